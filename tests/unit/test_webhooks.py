"""Webhooks: signature verification (the wire-rules vector), rotation, errors, typed events."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any, Dict, Optional

import pytest

from openai_core import Client, OpenAIError
from openai_core.lib.webhooks import (
    InvalidWebhookSignatureError,
    InvalidWebhookTimestampError,
    MissingWebhookHeaderError,
    Webhooks,
    WebhookTimestampTooNewError,
    WebhookTimestampTooOldError,
    WebhookVerificationError,
)
from openai_core.types.webhooks import (
    UnknownWebhookEvent,
    WebhookBatchFailed,
    WebhookResponseCompleted,
)

# The vector from reference/wire-rules.md.
SECRET = "whsec_RdvaYFYUXuIFuEbvZHwMfYFhUf7aMYjYcmM24+Aj40c="
WEBHOOK_ID = "wh_685c059ae39c8190af8c71ed1022a24d"
TIMESTAMP = 1750861210
BODY = (
    '{"id": "evt_685c059ae3a481909bdc86819b066fb6", "object": "event", "created_at": '
    '1750861210, "type": "response.completed", "data": {"id": "resp_123"}}'
)
SIGNATURE = "v1,gUAg4R2hWouRZqRQG4uJypNS8YK885G838+EHb4nKBY="
OTHER_SECRET = "whsec_" + base64.b64encode(b"another key of thirty-two bytes!").decode()


def vector_headers(**changes: Optional[str]) -> Dict[str, str]:
    headers: Dict[str, Optional[str]] = {
        "webhook-id": WEBHOOK_ID,
        "webhook-timestamp": str(TIMESTAMP),
        "webhook-signature": SIGNATURE,
        **changes,
    }
    return {k: v for k, v in headers.items() if v is not None}


def webhooks(secret: Any = SECRET, now: float = TIMESTAMP) -> Webhooks:
    return Webhooks(secret, clock=lambda: now)


def sign(secret: str, body: str, webhook_id: str = WEBHOOK_ID, ts: int = TIMESTAMP) -> str:
    key = base64.b64decode(secret[len("whsec_") :])
    digest = hmac.new(key, f"{webhook_id}.{ts}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def test_the_wire_rules_vector_verifies() -> None:
    webhooks().verify_signature(BODY, vector_headers())


def test_the_vector_verifies_as_bytes() -> None:
    webhooks().verify_signature(BODY.encode(), vector_headers())


def test_our_signing_matches_the_vector() -> None:
    assert sign(SECRET, BODY) == SIGNATURE


def test_unwrap_returns_the_typed_event() -> None:
    event = webhooks().unwrap(BODY, vector_headers())
    assert isinstance(event, WebhookResponseCompleted)
    assert event.id == "evt_685c059ae3a481909bdc86819b066fb6"
    assert event.created_at == TIMESTAMP
    assert event.data.id == "resp_123"


def test_unwrap_decodes_other_event_types() -> None:
    body = json.dumps(
        {
            "id": "evt_1",
            "object": "event",
            "created_at": 1,
            "type": "batch.failed",
            "data": {"id": "b"},
        }
    )
    headers = vector_headers(**{"webhook-signature": sign(SECRET, body)})
    event = webhooks().unwrap(body, headers)
    assert isinstance(event, WebhookBatchFailed)
    assert event.data.id == "b"


def test_unknown_event_type_falls_back() -> None:
    body = json.dumps({"id": "evt_2", "type": "brand.new", "data": {"x": 1}})
    headers = vector_headers(**{"webhook-signature": sign(SECRET, body)})
    event = webhooks().unwrap(body, headers)
    assert isinstance(event, UnknownWebhookEvent)
    assert event.type == "brand.new"
    assert event.extra["data"] == {"x": 1}


def test_header_names_are_case_insensitive() -> None:
    headers = {
        "Webhook-Id": WEBHOOK_ID,
        "WEBHOOK-TIMESTAMP": str(TIMESTAMP),
        "Webhook-Signature": SIGNATURE,
    }
    webhooks().verify_signature(BODY, headers)


def test_any_of_several_signatures_may_match() -> None:
    headers = vector_headers(**{"webhook-signature": f"v1,AAAA v2,zzz {SIGNATURE}"})
    webhooks().verify_signature(BODY, headers)


def test_rotation_accepts_any_of_several_secrets() -> None:
    webhooks([OTHER_SECRET, SECRET]).verify_signature(BODY, vector_headers())
    headers = vector_headers(**{"webhook-signature": sign(OTHER_SECRET, BODY)})
    webhooks((SECRET, OTHER_SECRET)).verify_signature(BODY, headers)


def test_per_call_secret_wins_over_the_default() -> None:
    webhooks(OTHER_SECRET).verify_signature(BODY, vector_headers(), secret=SECRET)
    with pytest.raises(InvalidWebhookSignatureError):
        webhooks(SECRET).verify_signature(BODY, vector_headers(), secret=OTHER_SECRET)


def test_a_secret_without_prefix_is_used_as_utf8_bytes() -> None:
    raw = "plain secret"
    digest = hmac.new(raw.encode(), f"{WEBHOOK_ID}.{TIMESTAMP}.{BODY}".encode(), hashlib.sha256)
    signature = "v1," + base64.b64encode(digest.digest()).decode()
    webhooks(raw).verify_signature(BODY, vector_headers(**{"webhook-signature": signature}))


@pytest.mark.parametrize("name", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_missing_header(name: str) -> None:
    with pytest.raises(MissingWebhookHeaderError, match=name):
        webhooks().verify_signature(BODY, vector_headers(**{name: None}))


@pytest.mark.parametrize("value", ["soon", "1750861210.5", ""])
def test_malformed_timestamp(value: str) -> None:
    expected = MissingWebhookHeaderError if value == "" else InvalidWebhookTimestampError
    with pytest.raises(expected):
        webhooks().verify_signature(BODY, vector_headers(**{"webhook-timestamp": value}))


def test_timestamp_too_old() -> None:
    with pytest.raises(WebhookTimestampTooOldError):
        webhooks(now=TIMESTAMP + 301).verify_signature(BODY, vector_headers())


def test_timestamp_too_new() -> None:
    with pytest.raises(WebhookTimestampTooNewError):
        webhooks(now=TIMESTAMP - 301).verify_signature(BODY, vector_headers())


def test_timestamp_at_the_tolerance_passes() -> None:
    webhooks(now=TIMESTAMP + 300).verify_signature(BODY, vector_headers())
    webhooks(now=TIMESTAMP - 300).verify_signature(BODY, vector_headers())


def test_tolerance_is_configurable() -> None:
    webhooks(now=TIMESTAMP + 3000).verify_signature(BODY, vector_headers(), tolerance=3600)
    with pytest.raises(WebhookTimestampTooOldError):
        webhooks(now=TIMESTAMP + 11).verify_signature(BODY, vector_headers(), tolerance=10)


def test_bad_signature() -> None:
    with pytest.raises(InvalidWebhookSignatureError):
        webhooks().verify_signature(BODY + " ", vector_headers())


def test_wrong_secret() -> None:
    with pytest.raises(InvalidWebhookSignatureError):
        webhooks(OTHER_SECRET).verify_signature(BODY, vector_headers())


def test_signature_of_another_version_does_not_count() -> None:
    headers = vector_headers(**{"webhook-signature": SIGNATURE.replace("v1,", "v2,")})
    with pytest.raises(InvalidWebhookSignatureError):
        webhooks().verify_signature(BODY, headers)


def test_unwrap_verifies_before_decoding() -> None:
    with pytest.raises(InvalidWebhookSignatureError):
        webhooks().unwrap(BODY.replace("resp_123", "resp_999"), vector_headers())


def test_errors_share_one_root_that_is_an_openai_error_and_a_value_error() -> None:
    for cls in (
        MissingWebhookHeaderError,
        InvalidWebhookTimestampError,
        WebhookTimestampTooOldError,
        WebhookTimestampTooNewError,
        InvalidWebhookSignatureError,
    ):
        assert issubclass(cls, WebhookVerificationError)
    assert issubclass(WebhookVerificationError, OpenAIError)
    assert issubclass(WebhookVerificationError, ValueError)


def test_compare_digest_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    webhooks().verify_signature(BODY, vector_headers())
    assert calls


def test_no_secret_anywhere_is_a_clear_error() -> None:
    with pytest.raises(OpenAIError, match="OPENAI_WEBHOOK_SECRET"):
        webhooks(None).verify_signature(BODY, vector_headers())


# -- through the client ---------------------------------------------------------------------


@pytest.fixture
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_WEBHOOK_SECRET", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("_no_env")
def test_client_option_supplies_the_secret() -> None:
    client = Client(api_key="sk", webhook_secret=SECRET)
    hooks = client.webhooks()
    hooks._clock = lambda: TIMESTAMP
    assert isinstance(hooks.unwrap(BODY, vector_headers()), WebhookResponseCompleted)


@pytest.mark.usefixtures("_no_env")
def test_environment_supplies_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_WEBHOOK_SECRET", SECRET)
    hooks = Client(api_key="sk").webhooks()
    hooks._clock = lambda: TIMESTAMP
    hooks.verify_signature(BODY, vector_headers())


@pytest.mark.usefixtures("_no_env")
def test_builder_takes_a_list_of_secrets_for_rotation() -> None:
    client = Client.builder().api_key("sk").webhook_secret([OTHER_SECRET, SECRET]).build()
    assert client.config.webhook_secret == (OTHER_SECRET, SECRET)
    hooks = client.webhooks()
    hooks._clock = lambda: TIMESTAMP
    hooks.verify_signature(BODY, vector_headers())


@pytest.mark.usefixtures("_no_env")
def test_the_secret_is_redacted_in_the_config_repr() -> None:
    assert SECRET not in repr(Client(api_key="sk", webhook_secret=SECRET).config)


@pytest.mark.usefixtures("_no_env")
def test_real_clock_rejects_the_old_vector() -> None:
    with pytest.raises(WebhookTimestampTooOldError):
        Client(api_key="sk", webhook_secret=SECRET).webhooks().verify_signature(
            BODY, vector_headers()
        )
