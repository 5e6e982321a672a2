"""Function calling with Chat Completions, three ways: plain, streamed, and the raw stream.

1. plain: the model returns ``tool_calls``; we run the function and send its result back in a
   ``tool`` message for the final answer.
2. streamed: ``stream.final_completion()`` assembles the call from the chunks.
3. raw stream: each chunk's ``delta.tool_calls`` fragments, printed as they arrive.

The tiny local model calls a tool reliably only when the call is forced and its turn is
prefilled with ``<tool_call>``, which this example does when ``LLAMA_MODEL`` is set:

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 LLAMA_MODEL=SmolLM2-135M-Instruct \\
        python examples/function_calls.py

Against OpenAI: ``OPENAI_API_KEY=sk-... python examples/function_calls.py``.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Dict

from openai_core import Client

WEATHER_TOOL: Dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string", "description": "The city name."}},
            "required": ["city"],
        },
    },
}


def get_weather(city: str = "Paris", **_: Any) -> str:
    return json.dumps({"city": city, "temperature_c": 22, "sky": "sunny"})


def question(client: Client, model: str, local: bool) -> Any:
    builder = (
        client.chat()
        .completions()
        .create()
        .model(model)
        .message_user("What is the weather in Paris?")
        .tool(WEATHER_TOOL)
        .max_tokens(64)
        .temperature(0)
    )
    if local:
        builder = (
            builder.message_assistant("<tool_call>\n")
            .tool_choice("required")
            .stop(["</tool_call>"])
        )
    return builder


def parse_arguments(arguments: str) -> Dict[str, Any]:
    try:
        parsed = json.loads(arguments or "{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def main() -> int:
    local = "LLAMA_MODEL" in os.environ
    model = os.environ.get("LLAMA_MODEL") or os.environ.get("MODEL", "gpt-4o-mini")
    with Client(timeout=120, max_retries=1) as client:
        builder = question(client, model, local)

        print("== plain")
        message = builder.send().choices[0].message
        calls = message.tool_calls or []
        if not calls:
            print("no tool call", file=sys.stderr)
            return 1
        call = calls[0]
        print(f"tool call: {call.function.name}({call.function.arguments})")
        result = get_weather(**parse_arguments(call.function.arguments))
        follow_up = (
            client.chat()
            .completions()
            .create()
            .model(model)
            .message_user("What is the weather in Paris?")
            .message_assistant(
                None,
                tool_calls=[
                    {
                        "id": call.id,
                        "type": "function",
                        "function": {
                            "name": call.function.name,
                            "arguments": call.function.arguments,
                        },
                    }
                ],
            )
            .message_tool(call.id, result)
            .tool(WEATHER_TOOL)
            .max_tokens(48)
            .temperature(0)
            .send()
        )
        print(f"answer: {follow_up.choices[0].message.content}")

        print("== streamed")
        with builder.stream() as stream:
            for _ in stream:
                pass
            streamed = stream.final_completion().choices[0].message.tool_calls or []
        if not streamed:
            print("no streamed tool call", file=sys.stderr)
            return 1
        for assembled in streamed:
            function = assembled.function
            print(f"streamed tool call: {function.name}({function.arguments})")

        print("== raw stream")
        fragments = 0
        with builder.stream() as stream:
            for chunk in stream:
                for choice in chunk.choices:
                    for delta in choice.delta.tool_calls or []:
                        fragments += 1
                        name = delta.function.name if delta.function else None
                        args = delta.function.arguments if delta.function else None
                        print(f"delta index={delta.index} id={delta.id} name={name} args={args!r}")
        print(f"raw fragments: {fragments}")
    return 0 if fragments > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
