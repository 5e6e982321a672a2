"""Stream a Chat Completions answer and a Responses answer to the terminal.

Run against any OpenAI-compatible server; the README's demo command starts a local llama.cpp
server and sets the environment for you:

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 LLAMA_MODEL=SmolLM2-135M-Instruct \\
        python examples/local_demo.py
"""

from __future__ import annotations

import os
import sys

from openai_core import Client


def main() -> int:
    model = os.environ.get("LLAMA_MODEL", "SmolLM2-135M-Instruct")
    question = " ".join(sys.argv[1:]) or "In two sentences, why is the sky blue?"
    with Client(timeout=120, max_retries=1) as client:
        print(f"== Chat Completions ({model} at {client.base_url})\n> {question}\n")
        chat = (
            client.chat()
            .completions()
            .create()
            .model(model)
            .message_system("You are a concise assistant.")
            .message_user(question)
            .max_tokens(120)
            .stream_options({"include_usage": True})
        )
        with chat.stream() as stream:
            for chunk in stream:
                for choice in chunk.choices:
                    if choice.delta is not None and choice.delta.content:
                        print(choice.delta.content, end="", flush=True)
            completion = stream.final_completion()
        usage = completion.usage
        print(
            f"\n\n[finish_reason={completion.choices[0].finish_reason}"
            f"{f', tokens={usage.total_tokens}' if usage else ''}]\n"
        )

        print(f"== Responses API\n> {question}\n")
        request = (
            client.responses()
            .create()
            .model(model)
            .instructions("You are a concise assistant.")
            .input_text(question)
            .max_output_tokens(120)
        )
        with request.stream() as events:
            for event in events:
                if event.type == "response.output_text.delta":
                    print(event.delta, end="", flush=True)
            response = events.final_response()
        print(f"\n\n[status={response.status}, id={response.id}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
