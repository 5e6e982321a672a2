"""Run a tool-calling conversation: the model calls a Python function, the runner executes it,
sends the result back, and the model answers. Prints the answer and the run's trace, then does
the same streamed, showing each call as it starts.

Against a local llama.cpp server (the README's demo command starts one and sets the
environment); the tiny demo model calls a tool reliably only when its turn is prefilled with
``<tool_call>`` and the call is forced, which this example does when ``LLAMA_MODEL`` is set:

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 LLAMA_MODEL=SmolLM2-135M-Instruct \\
        python examples/tool_runner.py

Against OpenAI: ``OPENAI_API_KEY=sk-... MODEL=gpt-5.4 python examples/tool_runner.py``.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Literal

from openai_core import Client
from openai_core.lib.tool_runner import ToolCallFinished, ToolCallStarted
from openai_core.lib.tools import function_tool


@function_tool
def get_weather(city: str, unit: Literal["C", "F"] = "C") -> str:
    """Get the current weather for a city.

    Args:
        city: The city name, for example "Paris".
        unit: Temperature unit.
    """
    celsius = 22
    temperature = celsius if unit == "C" else round(celsius * 9 / 5 + 32)
    return json.dumps({"city": city, "temperature": temperature, "unit": unit, "sky": "sunny"})


def request(client: Client, model: str, question: str, local: bool) -> Any:
    builder = client.chat().completions().create().model(model).message_user(question)
    if local:
        # Small local models: force the first call (the runner sends "auto" afterwards) and
        # prefill the turn with the tool-call tag (the runner replaces the prefill in history).
        builder = (
            builder.message_assistant("<tool_call>\n")
            .tool_choice("required")
            .stop(["</tool_call>"])
            .max_tokens(96)
            .temperature(0)
        )
    return builder


def main() -> int:
    local = "LLAMA_MODEL" in os.environ
    model = os.environ.get("LLAMA_MODEL") or os.environ.get("MODEL", "gpt-5.4")
    question = " ".join(sys.argv[1:]) or "What is the weather in Paris?"
    with Client(timeout=120, max_retries=1) as client:
        completions = client.chat().completions()
        print(f"== run_tools ({model} at {client.base_url})\n> {question}\n")
        result = completions.run_tools(
            request(client, model, question, local), [get_weather], max_rounds=4
        )
        print(result.final.choices[0].message.content, "\n")
        print(result.trace, "\n")

        print("== stream_tools")
        with completions.stream_tools(
            request(client, model, question, local), [get_weather], max_rounds=4
        ) as run:
            for event in run:
                if isinstance(event, ToolCallStarted):
                    print(f"[round {event.round}] calling {event.name}({event.arguments})")
                elif isinstance(event, ToolCallFinished):
                    print(f"[round {event.round}] {event.record.name} -> {event.record.output}")
            final = run.result()
        print(final.final.choices[0].message.content)
        if final.max_rounds_reached:
            print("(stopped at max_rounds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
