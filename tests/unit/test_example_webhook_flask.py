"""examples/webhook_flask.py, run with Flask's test client (skipped when Flask is missing)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib.util
import json
import time
from pathlib import Path
from types import ModuleType
from typing import Any, Dict

import pytest

from openai_core import Client

pytest.importorskip("flask", reason="Flask is only needed by this example")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "webhook_flask.py"
SECRET = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
BODY = json.dumps(
    {
        "id": "evt_1",
        "object": "event",
        "created_at": 1750861210,
        "type": "response.completed",
        "data": {"id": "resp_123"},
    }
)


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("webhook_flask_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def signed_headers(body: str, secret: str = SECRET) -> Dict[str, str]:
    timestamp = str(int(time.time()))
    key = base64.b64decode(secret[len("whsec_") :])
    digest = hmac.new(key, f"wh_1.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return {
        "Webhook-Id": "wh_1",
        "Webhook-Timestamp": timestamp,
        "Webhook-Signature": "v1," + base64.b64encode(digest).decode(),
        "Content-Type": "application/json",
    }


@pytest.fixture
def app() -> Any:
    client = Client(api_key="sk-test", base_url="http://127.0.0.1:9/v1", webhook_secret=SECRET)
    return load_example().create_app(client)


def test_a_signed_delivery_is_accepted_and_decoded(app: Any) -> None:
    response = app.test_client().post("/webhooks/openai", data=BODY, headers=signed_headers(BODY))
    assert response.status_code == 200
    (event,) = app.config["HANDLED_EVENTS"]
    assert event.type == "response.completed"
    assert event.data.id == "resp_123"


def test_a_tampered_delivery_is_rejected(app: Any) -> None:
    headers = signed_headers(BODY)
    tampered = BODY.replace("resp_123", "resp_999")
    response = app.test_client().post("/webhooks/openai", data=tampered, headers=headers)
    assert response.status_code == 400
    assert app.config["HANDLED_EVENTS"] == []


def test_a_delivery_without_headers_is_rejected(app: Any) -> None:
    response = app.test_client().post("/webhooks/openai", data=BODY)
    assert response.status_code == 400
