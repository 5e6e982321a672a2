"""UI generation: structured output of a recursive schema (a UI element holds child elements).

The schema is generated from a recursive attrs class (``$ref`` to itself), sent strict, and the
model's JSON is validated and structured back into ``UIElement`` values, printed as a tree.

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 LLAMA_MODEL=SmolLM2-135M-Instruct \\
        python examples/ui_generation.py

Against OpenAI: ``OPENAI_API_KEY=sk-... python examples/ui_generation.py``.
"""

from __future__ import annotations

import json
import os
import sys
from typing import List, Literal

import attrs

from openai_core import Client
from openai_core.lib.structured import to_json_schema


@attrs.frozen
class UIElement:
    """One element of a user interface.

    Attributes:
        type: The kind of element.
        label: Its visible text.
        children: Nested elements (empty for leaves).
    """

    type: Literal["div", "button", "header", "section", "field", "form"]
    label: str
    children: List[UIElement]


def show(element: UIElement, depth: int = 0) -> None:
    print(f"{'  ' * depth}- {element.type}: {element.label}")
    for child in element.children:
        show(child, depth + 1)


def main() -> int:
    model = os.environ.get("LLAMA_MODEL") or os.environ.get("MODEL", "gpt-4o-mini")
    print(f"schema: {json.dumps(to_json_schema(UIElement))[:200]}...")
    with Client(timeout=120, max_retries=1) as client:
        done = (
            client.chat()
            .completions()
            .parse(UIElement)
            .model(model)
            .message_system("You design user interfaces as JSON.")
            .message_user(
                "Make a login form: a form element whose children are a header and a submit"
                " button; the header and the button have no children."
            )
            .max_tokens(400)
            .temperature(0)
            .send()
        )
    root = done.choices[0].message.parsed
    if root is None:
        print("no parsed UI", file=sys.stderr)
        return 1
    print("ui tree:")
    show(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
