"""Function calling with the Responses API, streamed: the call's arguments arrive as
``response.function_call_arguments.delta`` events; the final response holds the assembled
``function_call`` item, which the example runs.

The tiny local model calls a tool reliably only when forced and prefilled with ``<tool_call>``,
which this example does when ``LLAMA_MODEL`` is set:

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 LLAMA_MODEL=SmolLM2-135M-Instruct \\
        python examples/responses_tools_stream.py

Against OpenAI: ``OPENAI_API_KEY=sk-... python examples/responses_tools_stream.py``.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Dict, List

from openai_core import Client
from openai_core.lib.tools import function_tool


@function_tool
def get_weather(city: str) -> str:
    """Get the current weather for a city.

    Args:
        city: The city name.
    """
    return json.dumps({"city": city, "temperature_c": 22, "sky": "sunny"})


def main() -> int:
    local = "LLAMA_MODEL" in os.environ
    model = os.environ.get("LLAMA_MODEL") or os.environ.get("MODEL", "gpt-4o-mini")
    question: List[Dict[str, Any]] = [
        {"type": "message", "role": "user", "content": "What is the weather in Paris?"}
    ]
    if local:
        question.append({"type": "message", "role": "assistant", "content": "<tool_call>\n"})
    with Client(timeout=120, max_retries=1) as client:
        builder = (
            client.responses()
            .create()
            .model(model)
            .input(question)
            .tool(get_weather.to_responses_param())
            .max_output_tokens(64)
            .temperature(0)
        )
        if local:
            builder = builder.tool_choice("required").extra_body({"stop": ["</tool_call>"]})
        with builder.stream() as events:
            for event in events:
                if event.type == "response.function_call_arguments.delta":
                    print(f"arguments delta: {event.delta!r}")
                elif event.type == "response.output_item.added":
                    print(f"item added: {event.item.type}")
            final = events.final_response()
        calls = [item for item in final.output if item.type == "function_call"]
        if not calls:
            print(f"no function call; output_text={final.output_text!r}", file=sys.stderr)
            return 1
        call = calls[0]
        output = get_weather.invoke(call.arguments)
        print(f"function call: {call.name}({call.arguments}) -> {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
