"""Structured outputs with tools (Responses API): a strict function tool whose JSON Schema is
generated from a typed Python signature (a ``Literal``, an ``int``), the model's call, and its
arguments validated and structured back into those types (``parse_arguments``).

The tiny local model calls a tool reliably only when forced and prefilled with ``<tool_call>``,
which this example does when ``LLAMA_MODEL`` is set:

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 LLAMA_MODEL=SmolLM2-135M-Instruct \\
        python examples/responses_structured_tools.py

Against OpenAI: ``OPENAI_API_KEY=sk-... python examples/responses_structured_tools.py``.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Dict, List, Literal

from openai_core import Client
from openai_core.lib.tools import ToolArgumentsError, function_tool


@function_tool
def query_orders(status: Literal["shipped", "pending", "cancelled"], limit: int) -> str:
    """Query the orders table.

    Args:
        status: Only orders in this status.
        limit: At most this many rows.
    """
    return json.dumps({"rows": [], "status": status, "limit": limit})


def main() -> int:
    local = "LLAMA_MODEL" in os.environ
    model = os.environ.get("LLAMA_MODEL") or os.environ.get("MODEL", "gpt-4o-mini")
    tool = query_orders.to_responses_param()
    print(f"strict tool: strict={tool.get('strict')} parameters={json.dumps(tool['parameters'])}")
    question: List[Dict[str, Any]] = [
        {"type": "message", "role": "user", "content": "List up to 5 shipped orders."}
    ]
    if local:
        question.append({"type": "message", "role": "assistant", "content": "<tool_call>\n"})
    with Client(timeout=120, max_retries=1) as client:
        builder = (
            client.responses()
            .create()
            .model(model)
            .input(question)
            .tool(tool)
            .max_output_tokens(64)
            .temperature(0)
        )
        if local:
            builder = builder.tool_choice("required").extra_body({"stop": ["</tool_call>"]})
        reply = builder.send()
    calls = [item for item in reply.output if item.type == "function_call"]
    if not calls:
        print(f"no function call; output_text={reply.output_text!r}", file=sys.stderr)
        return 1
    call = calls[0]
    print(f"tool call: {call.name} raw arguments {call.arguments!r}")
    try:
        arguments = query_orders.parse_arguments(call.arguments)
    except ToolArgumentsError as err:
        # the model's arguments did not match the strict schema: a real outcome, reported
        print(f"arguments rejected: {err}")
        return 0
    print(f"parsed arguments: {arguments}")
    print(f"tool output: {query_orders.invoke(call.arguments)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
