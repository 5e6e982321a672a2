"""Logging: turn on the SDK's logger and watch requests, responses and retries (keys redacted).

``OPENAI_LOG=debug`` (or ``info``) does it from the environment; this example calls
``logging.basicConfig`` and sets the ``openai_core`` logger's level in code. (The file is not
called ``logging.py``, which would shadow the standard library module.)

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 LLAMA_MODEL=SmolLM2-135M-Instruct \\
        python examples/logging_demo.py
"""

from __future__ import annotations

import logging
import os
import sys

from openai_core import Client


def main() -> int:
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stdout, format="%(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("openai_core").setLevel(logging.DEBUG)
    model = os.environ.get("LLAMA_MODEL") or os.environ.get("MODEL", "gpt-4o-mini")
    with Client(api_key=os.environ.get("OPENAI_API_KEY") or "sk-demo-secret", timeout=60) as client:
        completion = (
            client.chat()
            .completions()
            .create()
            .model(model)
            .message_user("Say hi.")
            .max_tokens(8)
            .send()
        )
    print(f"answer: {completion.choices[0].message.content!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
