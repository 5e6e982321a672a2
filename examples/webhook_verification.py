"""Webhook verification without a web framework: sign a delivery the way OpenAI does (Standard
Webhooks: ``base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))``), verify it with
``client.webhooks().unwrap()``, and show that a tampered body and a stale timestamp are rejected.

The signing half stands in for OpenAI's servers, so the example runs anywhere:

    python examples/webhook_verification.py

(``OPENAI_WEBHOOK_SECRET`` sets the secret; ``webhook_flask.py`` is the same inside Flask.)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import sys
import time
from typing import Dict

from openai_core import Client, WebhookVerificationError

SECRET = os.environ.get("OPENAI_WEBHOOK_SECRET") or (
    "whsec_" + base64.b64encode(b"example-webhook-secret-32-bytes!").decode()
)


def sign(body: bytes, webhook_id: str, timestamp: int) -> Dict[str, str]:
    """The headers OpenAI would send with ``body``."""
    key = (
        base64.b64decode(SECRET[len("whsec_") :])
        if SECRET.startswith("whsec_")
        else SECRET.encode()
    )
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    signature = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": f"v1,{signature}",
    }


def main() -> int:
    body = json.dumps(
        {
            "id": "evt_123",
            "object": "event",
            "type": "response.completed",
            "created_at": int(time.time()),
            "data": {"id": "resp_abc"},
        }
    ).encode()
    now = int(time.time())
    client = Client(api_key="unused", webhook_secret=SECRET)
    webhooks = client.webhooks()

    event = webhooks.unwrap(body, sign(body, "wh_1", now))
    print(f"verified: {type(event).__name__} type={event.type} data.id={event.data.id}")

    rejected = 0
    for label, payload, headers in [
        ("tampered body", body.replace(b"resp_abc", b"resp_xyz"), sign(body, "wh_2", now)),
        ("stale timestamp", body, sign(body, "wh_3", now - 3600)),
    ]:
        try:
            webhooks.unwrap(payload, headers)
        except WebhookVerificationError as err:
            rejected += 1
            print(f"rejected ({label}): {type(err).__name__}: {err}")
    client.close()
    return 0 if rejected == 2 else 1


if __name__ == "__main__":
    sys.exit(main())
