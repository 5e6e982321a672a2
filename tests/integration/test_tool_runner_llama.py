"""The tool runner against a real llama.cpp server: a whole loop with a real tool call.

The 135M model calls a tool reliably only when forced (``tool_choice="required"``, its turn
prefilled with ``<tool_call>`` and ``stop`` at the closing tag, see ``test_llama.py``); the
runner sends the forced choice in the first round only and replaces the prefill with the model's
turn, so the second round is a plain answer to the tool's output.
"""

from __future__ import annotations

import json
from typing import Any, Iterator, List

import pytest

from openai_core import Client
from openai_core.lib.tool_runner import ModelStreamEvent, ToolCallStarted
from openai_core.lib.tools import function_tool

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def client(llama_server: Any) -> Iterator[Client]:
    with Client(base_url=llama_server.base_url, timeout=120, max_retries=1) as c:
        yield c


@pytest.fixture(scope="module")
def model(llama_server: Any) -> str:
    return str(llama_server.model)


def weather_tool(calls: List[str]) -> Any:
    @function_tool
    def get_weather(city: str) -> str:
        """Get the current weather for a city.

        Args:
            city: The city name.
        """
        calls.append(city)
        return json.dumps({"city": city, "temperature_c": 22, "sky": "sunny"})

    return get_weather


def forced(client: Client, model: str) -> Any:
    return (
        client.chat()
        .completions()
        .create()
        .model(model)
        .message_user("What is the weather in Paris?")
        .message_assistant("<tool_call>\n")
        .tool_choice("required")
        .stop(["</tool_call>"])
        .max_tokens(64)
        .temperature(0)
    )


def test_tool_runner_completes_a_loop_with_a_real_tool_call(client: Client, model: str) -> None:
    calls: List[str] = []
    result = (
        client.chat()
        .completions()
        .run_tools(forced(client, model), [weather_tool(calls)], max_rounds=3)
    )
    trace = result.trace
    print(trace)

    first = trace.rounds[0]
    assert first.request.json_data["tool_choice"] == "required"
    assert first.tool_calls, first.response.to_dict()
    record = first.tool_calls[0]
    assert record.name == "get_weather" and record.status == "ok", record
    assert calls and calls[0] == json.loads(record.arguments)["city"]
    assert "temperature_c" in (record.output or "")
    assert first.usage is not None and first.model_seconds > 0

    second = trace.rounds[1]
    sent = second.request.json_data
    assert sent["tool_choice"] == "auto"
    assert [m["role"] for m in sent["messages"]][:3] == ["user", "assistant", "tool"]
    assert sent["messages"][1]["tool_calls"][0]["id"] == record.call_id
    assert sent["messages"][1]["tool_calls"][0]["type"] == "function"
    assert sent["messages"][2] == {
        "role": "tool",
        "tool_call_id": record.call_id,
        "content": record.output,
    }

    assert not result.max_rounds_reached
    assert not trace.rounds[-1].tool_calls
    answer = result.final.choices[0].message.content
    assert isinstance(answer, str) and answer.strip()
    assert str(trace).startswith(f"Tool run: {len(trace.rounds)} rounds")


def test_streamed_tool_runner_starts_the_call_and_answers(client: Client, model: str) -> None:
    calls: List[str] = []
    with (
        client.chat()
        .completions()
        .stream_tools(forced(client, model), [weather_tool(calls)], max_rounds=3) as run
    ):
        events = list(run)
        result = run.result()

    started = [e for e in events if isinstance(e, ToolCallStarted)]
    assert started and started[0].name == "get_weather"
    assert calls
    assert sum(isinstance(e, ModelStreamEvent) and e.round == 1 for e in events) >= 2
    assert result.trace.rounds[0].tool_calls[0].status == "ok"
    assert not result.max_rounds_reached
    answer = result.final.choices[0].message.content
    assert isinstance(answer, str) and answer.strip()


def test_responses_tool_runner_completes_a_loop(client: Client, model: str) -> None:
    """The same loop on ``/v1/responses``: the prefill is an assistant message item, and the
    second round sends the ``function_call`` item and its ``function_call_output``."""
    calls: List[str] = []
    builder = (
        client.responses()
        .create()
        .model(model)
        .input_item({"type": "message", "role": "user", "content": "What is the weather in Paris?"})
        .input_item(
            {
                "type": "message",
                "role": "assistant",
                "content": [{"type": "output_text", "text": "<tool_call>\n"}],
            }
        )
        .tool_choice("required")
        .max_output_tokens(64)
        .temperature(0)
        .extra_body({"stop": ["</tool_call>"]})
    )

    result = client.responses().run_tools(builder, [weather_tool(calls)], max_rounds=3)
    print(result.trace)

    first = result.trace.rounds[0]
    assert first.tool_calls, first.response.to_dict()
    record = first.tool_calls[0]
    assert record.name == "get_weather" and record.status == "ok" and calls
    sent = result.trace.rounds[1].request.json_data
    assert sent["tool_choice"] == "auto"
    assert [item.get("type") for item in sent["input"]] == [
        "message",
        "function_call",
        "function_call_output",
    ]
    assert sent["input"][2] == {
        "type": "function_call_output",
        "call_id": record.call_id,
        "output": record.output,
    }
    assert not result.max_rounds_reached
    assert result.final.output_text.strip()
