"""Parse a model's answer into an attrs class, then watch a partial parse while streaming.

Against any OpenAI-compatible server that enforces JSON Schema (OpenAI, llama.cpp's
llama-server); for llama-cpp-python's server add ``.structured_output_mode("json_object_schema")``:

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 LLAMA_MODEL=SmolLM2-135M-Instruct \\
        python examples/structured_output.py
"""

from __future__ import annotations

import enum
import os

import attrs

from openai_core import Client


class Mood(enum.Enum):
    HAPPY = "happy"
    SAD = "sad"


@attrs.frozen
class Pet:
    name: str
    species: str


@attrs.frozen
class Person:
    """A person the model invents."""

    name: str = attrs.field(metadata={"description": "Given name"})
    age: int = attrs.field(metadata={"description": "Age in years"})
    mood: Mood
    pet: Pet


def main() -> None:
    model = os.environ.get("LLAMA_MODEL", "gpt-5.4")
    with Client(timeout=120) as client:
        request = (
            client.chat()
            .completions()
            .parse(Person)
            .model(model)
            .message_user("Invent a person with one pet.")
            .max_tokens(200)
        )
        person = request.send().choices[0].message.parsed
        print("parsed:", person)

        with request.stream() as stream:
            for _ in stream:
                print("partial:", stream.parsed_partial)
            print("final:", stream.final_completion().choices[0].message.parsed)


if __name__ == "__main__":
    main()
