"""Webhook verification and decoding (the Standard Webhooks scheme OpenAI signs with).

A delivery carries ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` headers. The
signature is ``base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))``, where ``key`` is the
base64-decoded part of the secret after ``whsec_`` (or the secret's UTF-8 bytes without that
prefix); the header holds space-separated ``v1,<signature>`` entries, any of which may match.
The timestamp must be within ``tolerance`` seconds of now, in either direction.

Exception tree::

    OpenAIError, ValueError
    └── WebhookVerificationError
        ├── MissingWebhookHeaderError      a webhook-* header is absent
        ├── InvalidWebhookTimestampError   webhook-timestamp is not an integer
        ├── WebhookTimestampTooOldError    older than the tolerance
        ├── WebhookTimestampTooNewError    further in the future than the tolerance
        └── InvalidWebhookSignatureError   no signature matches any secret

Source: https://platform.openai.com/docs/guides/webhooks and https://www.standardwebhooks.com/
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Optional, Tuple, Union

from openai_core._errors import OpenAIError

if TYPE_CHECKING:
    from openai_core._generated.models.other import WebhookEvent

__all__ = [
    "InvalidWebhookSignatureError",
    "InvalidWebhookTimestampError",
    "MissingWebhookHeaderError",
    "WebhookTimestampTooNewError",
    "WebhookTimestampTooOldError",
    "WebhookVerificationError",
    "Webhooks",
]

DEFAULT_TOLERANCE = 300
_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")

#: A secret, or several (any of them may have signed the delivery, for rotation).
Secrets = Union[str, Iterable[str]]


class WebhookVerificationError(OpenAIError, ValueError):
    """A webhook delivery failed verification; answer it with 400 and do not act on it."""


class MissingWebhookHeaderError(WebhookVerificationError):
    """A ``webhook-id``, ``webhook-timestamp`` or ``webhook-signature`` header is missing."""


class InvalidWebhookTimestampError(WebhookVerificationError):
    """The ``webhook-timestamp`` header is not a Unix time in whole seconds."""


class WebhookTimestampTooOldError(WebhookVerificationError):
    """The delivery is older than the tolerance (a replay, or a very slow delivery)."""


class WebhookTimestampTooNewError(WebhookVerificationError):
    """The delivery's timestamp is further in the future than the tolerance (clock skew)."""


class InvalidWebhookSignatureError(WebhookVerificationError):
    """No ``v1`` signature in ``webhook-signature`` matches the payload with any secret."""


def _header(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name)
    if value is None:
        for key, candidate in headers.items():
            if key.lower() == name:
                value = candidate
                break
    if value is None or value == "":
        raise MissingWebhookHeaderError(f"The webhook delivery has no {name} header")
    return str(value)


def _key(secret: str) -> bytes:
    if secret.startswith("whsec_"):
        try:
            return base64.b64decode(secret[len("whsec_") :], validate=True)
        except binascii.Error:
            raise ValueError("The webhook secret after 'whsec_' is not valid base64") from None
    return secret.encode("utf-8")


def _secrets(secret: Optional[Secrets], default: Optional[Secrets]) -> Tuple[str, ...]:
    chosen = secret if secret is not None else default
    if chosen is None:
        raise OpenAIError(
            "No webhook secret: pass secret=..., create the client with webhook_secret=..., "
            "or set OPENAI_WEBHOOK_SECRET"
        )
    values = (chosen,) if isinstance(chosen, str) else tuple(chosen)
    if not values or not all(isinstance(v, str) and v for v in values):
        raise ValueError("webhook secrets must be non-empty strings")
    return values


class Webhooks:
    """Verifies webhook signatures and decodes events; from ``client.webhooks()``.

    Args:
        secret: The default secret(s), from the client's ``webhook_secret`` option or
            ``OPENAI_WEBHOOK_SECRET``; a per-call ``secret=`` wins.
        clock: Returns the current Unix time (for tests).

    Examples:
        >>> event = client.webhooks().unwrap(request.get_data(), request.headers)
        >>> if event.type == "response.completed": print(event.data.id)
    """

    def __init__(
        self, secret: Optional[Secrets] = None, *, clock: Callable[[], float] = time.time
    ) -> None:
        self._secret = secret
        self._clock = clock

    def verify_signature(
        self,
        payload: Union[str, bytes],
        headers: Mapping[str, str],
        *,
        secret: Optional[Secrets] = None,
        tolerance: float = DEFAULT_TOLERANCE,
    ) -> None:
        """Check that ``payload`` was signed by OpenAI with (one of) the secret(s), recently.

        Args:
            payload: The raw request body, exactly as received (not re-serialized JSON).
            headers: The request headers (any mapping; names are matched case-insensitively).
            secret: A secret or a list of secrets (rotation: any may match); default: the
                client's.
            tolerance: Allowed distance of ``webhook-timestamp`` from now, in seconds.

        Raises:
            MissingWebhookHeaderError, InvalidWebhookTimestampError,
            WebhookTimestampTooOldError, WebhookTimestampTooNewError,
            InvalidWebhookSignatureError: all subclasses of :class:`WebhookVerificationError`.
            OpenAIError: no secret anywhere.
        """
        keys = [_key(s) for s in _secrets(secret, self._secret)]
        webhook_id, timestamp, signatures = (_header(headers, name) for name in _HEADERS)
        try:
            sent_at = int(timestamp)
        except ValueError:
            raise InvalidWebhookTimestampError(
                f"The webhook-timestamp header {timestamp[:40]!r} is not a Unix time in seconds"
            ) from None
        now = self._clock()
        if now - sent_at > tolerance:
            raise WebhookTimestampTooOldError(
                f"The webhook was sent at {sent_at}, more than {tolerance} s ago"
            )
        if sent_at - now > tolerance:
            raise WebhookTimestampTooNewError(
                f"The webhook timestamp {sent_at} is more than {tolerance} s in the future"
            )
        body = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
        content = f"{webhook_id}.{sent_at}.".encode() + body
        expected = [
            base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()) for key in keys
        ]
        for entry in signatures.split():
            version, _, signature = entry.partition(",")
            if version != "v1":
                continue
            candidate = signature.encode("ascii", "replace")
            # Every comparison runs, so the time taken does not tell which secret matched.
            matches = [hmac.compare_digest(candidate, e) for e in expected]
            if any(matches):
                return
        raise InvalidWebhookSignatureError(
            "The webhook signature does not match the payload with the given secret(s)"
        )

    def unwrap(
        self,
        payload: Union[str, bytes],
        headers: Mapping[str, str],
        *,
        secret: Optional[Secrets] = None,
        tolerance: float = DEFAULT_TOLERANCE,
    ) -> WebhookEvent:
        """Verify the delivery (as :meth:`verify_signature`) and decode its event.

        Returns:
            A ``WebhookEvent``: ``WebhookResponseCompleted``, ``WebhookBatchFailed`` … by the
            event's ``type``; an ``UnknownWebhookEvent`` (fields in ``.extra``) for a type this
            SDK does not know.

        Raises:
            WebhookVerificationError: as :meth:`verify_signature`.
            APIResponseValidationError: the verified payload is not a JSON object.
        """
        self.verify_signature(payload, headers, secret=secret, tolerance=tolerance)
        from openai_core._convert import from_dict
        from openai_core._generated.models.other import WebhookEvent

        try:
            data: Any = json.loads(payload)
        except ValueError as exc:
            from openai_core._errors import APIResponseValidationError

            raise APIResponseValidationError(
                f"The webhook payload is not JSON: {exc}", body=payload
            ) from None
        event: WebhookEvent = from_dict(data, WebhookEvent)  # type: ignore[arg-type]
        return event
