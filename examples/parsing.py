"""Structured output with Chat Completions: ``parse(T)`` into an attrs class, plain and streamed.

The plain call returns ``message.parsed`` (a validated ``Recipe``); the streamed call prints the
partial JSON value (``parsed_partial``) as it grows, then the validated result.

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 LLAMA_MODEL=SmolLM2-135M-Instruct \\
        python examples/parsing.py

Against OpenAI: ``OPENAI_API_KEY=sk-... python examples/parsing.py``.
"""

from __future__ import annotations

import os
import sys

import attrs

from openai_core import Client


@attrs.frozen
class Recipe:
    """A short recipe.

    Attributes:
        title: The dish.
        main_ingredient: The ingredient the dish is built on.
        minutes: Preparation time in minutes.
    """

    title: str
    main_ingredient: str
    minutes: int


def main() -> int:
    model = os.environ.get("LLAMA_MODEL") or os.environ.get("MODEL", "gpt-4o-mini")
    with Client(timeout=120, max_retries=1) as client:
        builder = (
            client.chat()
            .completions()
            .parse(Recipe)
            .model(model)
            .message_user("Give a pancake recipe as JSON: a title, its main ingredient, minutes.")
            .max_tokens(160)
            .temperature(0)
        )
        done = builder.send()
        recipe = done.choices[0].message.parsed
        print(f"parsed: {recipe!r}")

        snapshots = 0
        with builder.stream() as stream:
            for _ in stream:
                if stream.parsed_partial is not None:
                    snapshots += 1
                    if snapshots % 8 == 1:
                        print(f"partial: {stream.parsed_partial}")
            streamed = stream.final_completion().choices[0].message.parsed
        print(f"streamed parsed: {streamed!r} after {snapshots} snapshots")
    return 0 if isinstance(recipe, Recipe) and isinstance(streamed, Recipe) else 1


if __name__ == "__main__":
    sys.exit(main())
