"""Streaming Chat Completions: print each delta as it arrives, then the accumulated completion.

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 LLAMA_MODEL=SmolLM2-135M-Instruct \\
        python examples/streaming.py "Count to five"

Against OpenAI: ``OPENAI_API_KEY=sk-... python examples/streaming.py``.
"""

from __future__ import annotations

import os
import sys

from openai_core import Client


def main() -> int:
    model = os.environ.get("LLAMA_MODEL") or os.environ.get("MODEL", "gpt-4o-mini")
    question = " ".join(sys.argv[1:]) or "Count from one to five."
    chunks = 0
    with Client(timeout=60, max_retries=1) as client:
        builder = (
            client.chat()
            .completions()
            .create()
            .model(model)
            .message_user(question)
            .max_tokens(32)
            .temperature(0)
        )
        with builder.stream() as stream:
            for chunk in stream:
                chunks += 1
                for choice in chunk.choices:
                    print(choice.delta.content or "", end="", flush=True)
            completion = stream.final_completion()
    print(f"\nchunks: {chunks}")
    print(f"final: {completion.choices[0].message.content!r}")
    print(f"finish_reason: {completion.choices[0].finish_reason}")
    return 0 if chunks > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
