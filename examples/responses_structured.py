"""Structured output with the Responses API: ``responses().parse(T)``, plain and streamed.

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 LLAMA_MODEL=SmolLM2-135M-Instruct \\
        python examples/responses_structured.py

Against OpenAI: ``OPENAI_API_KEY=sk-... python examples/responses_structured.py``.
"""

from __future__ import annotations

import os
import sys

import attrs

from openai_core import Client


@attrs.frozen
class City:
    """A city.

    Attributes:
        name: The city's name.
        country: The country it is in.
    """

    name: str
    country: str


def main() -> int:
    model = os.environ.get("LLAMA_MODEL") or os.environ.get("MODEL", "gpt-4o-mini")
    with Client(timeout=120, max_retries=1) as client:
        builder = (
            client.responses()
            .parse(City)
            .model(model)
            .input_text("Name the capital of France as JSON with name and country.")
            .max_output_tokens(64)
            .temperature(0)
        )
        reply = builder.send()
        print(f"output_parsed: {reply.output_parsed!r}")
        with builder.stream() as events:
            for _ in events:
                pass
            streamed = events.final_response().output_parsed
            print(f"last partial: {events.parsed_partial}")
        print(f"streamed output_parsed: {streamed!r}")
    return 0 if isinstance(reply.output_parsed, City) and isinstance(streamed, City) else 1


if __name__ == "__main__":
    sys.exit(main())
