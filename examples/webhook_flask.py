"""Receive OpenAI webhooks in a Flask route: verify the signature, then act on the typed event.

Flask is not a dependency of openai_core; ``pip install flask`` to run this example:

    OPENAI_API_KEY=sk-... OPENAI_WEBHOOK_SECRET=whsec_... flask --app examples/webhook_flask run

Register ``https://<your host>/webhooks/openai`` in the OpenAI dashboard. The route verifies the
raw body (never re-serialized JSON) against the ``webhook-*`` headers and answers 400 to a
delivery that fails verification, so OpenAI does not count it as delivered; it answers 200 fast
and leaves slow work to a queue, because OpenAI retries deliveries that are not acknowledged.
"""

from __future__ import annotations

import logging
from typing import Optional, Tuple

from flask import Flask, request

from openai_core import Client, WebhookVerificationError
from openai_core.types.webhooks import (
    WebhookBatchCompleted,
    WebhookResponseCompleted,
    WebhookResponseFailed,
)

log = logging.getLogger(__name__)


def create_app(client: Optional[Client] = None) -> Flask:
    """The Flask app; ``client`` defaults to ``Client()`` (``OPENAI_WEBHOOK_SECRET`` and the key
    from the environment)."""
    app = Flask(__name__)
    webhooks = (client or Client()).webhooks()
    app.config["HANDLED_EVENTS"] = []

    @app.post("/webhooks/openai")
    def openai_webhook() -> Tuple[str, int]:
        try:
            event = webhooks.unwrap(request.get_data(), request.headers)
        except WebhookVerificationError as exc:
            log.warning("rejected a webhook delivery: %s", exc)
            return "invalid signature", 400
        if isinstance(event, WebhookResponseCompleted):
            log.info("response %s completed", event.data.id)
        elif isinstance(event, WebhookResponseFailed):
            log.warning("response %s failed", event.data.id)
        elif isinstance(event, WebhookBatchCompleted):
            log.info("batch %s completed", event.data.id)
        else:
            log.info("webhook event %s ignored", event.type)
        app.config["HANDLED_EVENTS"].append(event)
        return "", 200

    return app


if __name__ == "__main__":
    create_app().run(port=8000)
