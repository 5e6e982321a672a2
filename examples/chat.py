"""Chat Completions: one request, one answer, with the usage the server reports.

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 LLAMA_MODEL=SmolLM2-135M-Instruct \\
        python examples/chat.py "Say hello"

Against OpenAI: ``OPENAI_API_KEY=sk-... python examples/chat.py`` (model ``gpt-4o-mini``).
"""

from __future__ import annotations

import os
import sys

from openai_core import Client


def main() -> int:
    model = os.environ.get("LLAMA_MODEL") or os.environ.get("MODEL", "gpt-4o-mini")
    question = " ".join(sys.argv[1:]) or "Say hello in one short sentence."
    with Client(timeout=60, max_retries=1) as client:
        completion = (
            client.chat()
            .completions()
            .create()
            .model(model)
            .message_system("You are a helpful assistant.")
            .message_user(question)
            .max_tokens(32)
            .temperature(0)
            .send()
        )
    choice = completion.choices[0]
    print(f"answer: {choice.message.content}")
    print(f"finish_reason: {choice.finish_reason}")
    usage = completion.usage
    if usage is not None:
        print(f"usage: {usage.prompt_tokens} in, {usage.completion_tokens} out")
    return 0 if choice.message.content is not None else 1


if __name__ == "__main__":
    sys.exit(main())
