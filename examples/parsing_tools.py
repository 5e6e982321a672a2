"""Parsing with tools: a strict function tool whose call arguments are validated and structured
into the function's parameter types (``FunctionTool.parse_arguments``), then the tool runs.

The tool's strict JSON Schema is generated from the Python signature by ``@function_tool``. The
tiny local model calls a tool reliably only when forced with a ``<tool_call>`` prefill, which
this example does when ``LLAMA_MODEL`` is set:

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 LLAMA_MODEL=SmolLM2-135M-Instruct \\
        python examples/parsing_tools.py

Against OpenAI: ``OPENAI_API_KEY=sk-... python examples/parsing_tools.py``.
"""

from __future__ import annotations

import json
import os
import sys

from openai_core import Client
from openai_core.lib.tools import ToolArgumentsError, function_tool


@function_tool
def lookup_order(order_id: str) -> str:
    """Look up an order's delivery status.

    Args:
        order_id: The order number, for example "A-1024".
    """
    return json.dumps({"order_id": order_id, "status": "shipped"})


def main() -> int:
    local = "LLAMA_MODEL" in os.environ
    model = os.environ.get("LLAMA_MODEL") or os.environ.get("MODEL", "gpt-4o-mini")
    print(f"tool schema: {json.dumps(lookup_order.to_chat_param()['function']['parameters'])}")
    with Client(timeout=120, max_retries=1) as client:
        builder = (
            client.chat()
            .completions()
            .create()
            .model(model)
            .message_user("Where is my order A-1024?")
            .tool(lookup_order.to_chat_param())
            .max_tokens(64)
            .temperature(0)
        )
        if local:
            builder = (
                builder.message_assistant("<tool_call>\n")
                .tool_choice("required")
                .stop(["</tool_call>"])
            )
        calls = builder.send().choices[0].message.tool_calls or []
    if not calls:
        print("no tool call", file=sys.stderr)
        return 1
    call = calls[0]
    print(f"tool call: {call.function.name} raw arguments {call.function.arguments!r}")
    try:
        arguments = lookup_order.parse_arguments(call.function.arguments)
    except ToolArgumentsError as err:
        # the model's arguments did not match the schema: a real outcome, reported as such
        print(f"arguments rejected: {err}")
        return 0
    print(f"parsed arguments: {arguments}")
    print(f"tool output: {lookup_order.invoke(call.function.arguments)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
