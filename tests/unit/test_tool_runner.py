"""The tool runner: run_tools() and stream_tools() for Chat Completions and Responses."""

from __future__ import annotations

import io
import json
import threading
from typing import Any, Dict, Iterator, List, Optional, Union

import pytest
import responses

from openai_core import Client
from openai_core.lib.tool_runner import (
    ModelStreamEvent,
    RoundFinished,
    ToolCallFinished,
    ToolCallStarted,
)
from openai_core.lib.tools import function_tool

pytestmark = pytest.mark.timeout(30)

BASE_URL = "http://llm.test/v1"
CHAT_URL = f"{BASE_URL}/chat/completions"
RESPONSES_URL = f"{BASE_URL}/responses"


@pytest.fixture
def server() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def client() -> Iterator[Client]:
    with Client(base_url=BASE_URL, api_key="sk-test", max_retries=0, timeout=5) as c:
        yield c


@function_tool
def get_weather(city: str) -> str:
    """Get the current weather for a city.

    Args:
        city: The city name.
    """
    return f"22 C in {city}"


def completion(
    content: Optional[str] = None, *calls: Dict[str, Any], tokens: int = 10
) -> Dict[str, Any]:
    message: Dict[str, Any] = {"role": "assistant", "content": content}
    if calls:
        message["tool_calls"] = list(calls)
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "m",
        "choices": [
            {"index": 0, "message": message, "finish_reason": "tool_calls" if calls else "stop"}
        ],
        "usage": {"prompt_tokens": tokens - 2, "completion_tokens": 2, "total_tokens": tokens},
    }


def call(call_id: str, name: str, arguments: Any, **extra: Any) -> Dict[str, Any]:
    return {
        "id": call_id,
        "type": "function",
        "function": {"name": name, "arguments": arguments},
        **extra,
    }


def bodies(server: responses.RequestsMock) -> List[Dict[str, Any]]:
    return [json.loads(c.request.body) for c in server.calls]


def chat(client: Client) -> Any:
    return client.chat().completions().create().model("m").message_user("Weather in Paris?")


# --- chat, non-streaming ------------------------------------------------------------------------


def test_chat_loop_runs_the_tool_and_sends_the_result_back(
    server: responses.RequestsMock, client: Client
) -> None:
    server.add(
        responses.POST,
        CHAT_URL,
        json=completion(None, call("call_1", "get_weather", '{"city":"Paris"}')),
    )
    server.add(responses.POST, CHAT_URL, json=completion("It is 22 C in Paris."))

    result = client.chat().completions().run_tools(chat(client), [get_weather])

    assert result.final.choices[0].message.content == "It is 22 C in Paris."
    assert not result.max_rounds_reached
    first, second = bodies(server)
    assert first["tools"][0]["function"]["name"] == "get_weather"
    assert first["tools"][0]["type"] == "function"
    assert second["messages"][1] == {
        "role": "assistant",
        "content": None,
        "tool_calls": [call("call_1", "get_weather", '{"city":"Paris"}')],
    }
    assert second["messages"][2] == {
        "role": "tool",
        "tool_call_id": "call_1",
        "content": "22 C in Paris",
    }
    assert result.builder._get("messages")[-1] == {
        "role": "assistant",
        "content": "It is 22 C in Paris.",
    }


def test_chat_trace_records_rounds_calls_usage_and_durations(
    server: responses.RequestsMock, client: Client
) -> None:
    server.add(
        responses.POST,
        CHAT_URL,
        json=completion(None, call("call_1", "get_weather", '{"city":"Oslo"}')),
    )
    server.add(responses.POST, CHAT_URL, json=completion("Mild.", tokens=20))

    trace = client.chat().completions().run_tools(chat(client), [get_weather]).trace

    assert [r.number for r in trace.rounds] == [1, 2]
    assert trace.rounds[0].request.url == CHAT_URL
    assert trace.rounds[0].request.json_data["messages"][0]["content"] == "Weather in Paris?"
    assert trace.rounds[0].request.header("Authorization") is None
    record = trace.rounds[0].tool_calls[0]
    assert (record.call_id, record.name, record.status, record.output) == (
        "call_1",
        "get_weather",
        "ok",
        "22 C in Oslo",
    )
    assert record.duration >= 0 and trace.rounds[0].model_seconds >= 0
    assert trace.total_tokens == 30
    text = str(trace)
    assert text.startswith("Tool run: 2 rounds, 1 tool call (0 failed)")
    assert 'get_weather({"city":"Oslo"}) [call_1] ok' in text
    assert "answer: Mild." in text
    assert text == trace.format()


def test_chat_errors_go_back_to_the_model_as_outputs(
    server: responses.RequestsMock, client: Client
) -> None:
    @function_tool
    def explode(city: str) -> str:
        """Always fails."""
        raise RuntimeError("station offline")

    server.add(
        responses.POST,
        CHAT_URL,
        json=completion(
            None,
            call("c1", "explode", '{"city":"Paris"}'),
            call("c2", "get_weather", '{"town":"Paris"}'),
            call("c3", "get_weather", '{"city":'),
            call("c4", "teleport", "{}"),
        ),
    )
    server.add(responses.POST, CHAT_URL, json=completion("Sorry."))

    result = client.chat().completions().run_tools(chat(client), [get_weather, explode])

    outputs = {m["tool_call_id"]: m["content"] for m in bodies(server)[1]["messages"][2:]}
    assert outputs["c1"] == "Error: explode raised RuntimeError: station offline"
    assert "invalid arguments for get_weather" in outputs["c2"]
    assert "not valid JSON" in outputs["c3"]
    assert outputs["c4"].startswith("Error: there is no tool named 'teleport'")
    statuses = [r.status for r in result.trace.tool_calls]
    assert statuses == ["error"] * 4
    assert isinstance(result.trace.tool_calls[0].exception, RuntimeError)


def test_chat_calls_of_one_round_run_in_parallel(
    server: responses.RequestsMock, client: Client
) -> None:
    barrier = threading.Barrier(2, timeout=5)

    @function_tool
    def meet(who: str) -> str:
        """Wait for the other call."""
        barrier.wait()  # only passes when both calls run at the same time
        return who

    server.add(
        responses.POST,
        CHAT_URL,
        json=completion(None, call("a", "meet", '{"who":"a"}'), call("b", "meet", '{"who":"b"}')),
    )
    server.add(responses.POST, CHAT_URL, json=completion("Done."))

    result = client.chat().completions().run_tools(chat(client), [meet])

    assert [(r.call_id, r.status, r.output) for r in result.trace.tool_calls] == [
        ("a", "ok", "a"),
        ("b", "ok", "b"),
    ]


@pytest.mark.parametrize("how", ["request", "argument"])
def test_chat_calls_run_one_at_a_time_when_parallel_is_off(
    server: responses.RequestsMock, client: Client, how: str
) -> None:
    running: List[int] = []
    peak: List[int] = [0]
    lock = threading.Lock()
    order: List[str] = []

    @function_tool
    def work(n: str) -> str:
        """Work."""
        with lock:
            running.append(1)
            peak[0] = max(peak[0], len(running))
        threading.Event().wait(0.05)
        with lock:
            running.pop()
            order.append(n)
        return n

    server.add(
        responses.POST,
        CHAT_URL,
        json=completion(
            None, *(call(f"c{i}", "work", json.dumps({"n": str(i)})) for i in range(3))
        ),
    )
    server.add(responses.POST, CHAT_URL, json=completion("Done."))
    builder = chat(client)
    if how == "request":
        builder = builder.parallel_tool_calls(False)
    client.chat().completions().run_tools(builder, [work], parallel=how != "argument")

    assert peak[0] == 1
    assert order == ["0", "1", "2"]


def test_chat_stops_at_max_rounds_with_a_flag(
    server: responses.RequestsMock, client: Client
) -> None:
    for i in range(2):
        server.add(
            responses.POST,
            CHAT_URL,
            json=completion(None, call(f"c{i}", "get_weather", '{"city":"Paris"}')),
        )

    result = client.chat().completions().run_tools(chat(client), [get_weather], max_rounds=2)

    assert result.max_rounds_reached and result.trace.max_rounds_reached
    assert len(server.calls) == 2
    assert [r.status for r in result.trace.rounds[1].tool_calls] == ["not_run"]
    assert result.final.choices[0].message.tool_calls[0].id == "c1"
    assert "stopped at max_rounds" in str(result.trace)
    # The builder holds the history sent in the last round, without the unanswered turn.
    assert result.builder._get("messages")[-1]["role"] == "tool"


def test_chat_history_keeps_provider_metadata_and_the_function_type(
    server: responses.RequestsMock, client: Client
) -> None:
    """Compat C27 (Gemini's thought_signature) and C37 (``"type": "function"``)."""
    gemini_call = {
        "id": "call_g",
        "function": {"name": "get_weather", "arguments": '{"city":"Rome"}'},
        "extra_content": {"google": {"thought_signature": "sig=="}},
    }
    server.add(responses.POST, CHAT_URL, json=completion(None, gemini_call))
    server.add(responses.POST, CHAT_URL, json=completion("Warm."))

    client.chat().completions().run_tools(chat(client), [get_weather])

    sent = bodies(server)[1]["messages"][1]["tool_calls"][0]
    assert sent["extra_content"] == {"google": {"thought_signature": "sig=="}}
    assert sent["type"] == "function"


def test_chat_arguments_as_an_object_and_missing_arguments(
    server: responses.RequestsMock, client: Client
) -> None:
    """Compat C25 (arguments as a JSON object) and C24 (no arguments at all)."""

    @function_tool
    def now() -> str:
        """The time."""
        return "noon"

    server.add(
        responses.POST,
        CHAT_URL,
        json=completion(
            None,
            call("c1", "get_weather", {"city": "Lima"}),
            {"id": "c2", "type": "function", "function": {"name": "now"}},
        ),
    )
    server.add(responses.POST, CHAT_URL, json=completion("Ok."))

    result = client.chat().completions().run_tools(chat(client), [get_weather, now])

    assert [r.output for r in result.trace.tool_calls] == ["22 C in Lima", "noon"]
    sent = bodies(server)[1]["messages"][1]["tool_calls"]
    assert [c["function"]["arguments"] for c in sent] == ['{"city":"Lima"}', "{}"]


def test_chat_forced_choice_and_prefill_apply_to_the_first_round_only(
    server: responses.RequestsMock, client: Client
) -> None:
    server.add(
        responses.POST,
        CHAT_URL,
        json=completion(None, call("c1", "get_weather", '{"city":"Paris"}')),
    )
    server.add(responses.POST, CHAT_URL, json=completion("Sunny."))
    builder = chat(client).message_assistant("<tool_call>\n").tool_choice("required")

    client.chat().completions().run_tools(builder, [get_weather])

    first, second = bodies(server)
    assert first["tool_choice"] == "required"
    assert second["tool_choice"] == "auto"
    assert [m["role"] for m in second["messages"]] == ["user", "assistant", "tool"]
    assert second["messages"][1]["tool_calls"][0]["id"] == "c1"


def test_plain_functions_are_wrapped_and_existing_tools_kept(
    server: responses.RequestsMock, client: Client
) -> None:
    def add(a: int, b: int) -> int:
        """Add."""
        return a + b

    server.add(responses.POST, CHAT_URL, json=completion(None, call("c1", "add", '{"a":1,"b":2}')))
    server.add(responses.POST, CHAT_URL, json=completion("3"))
    builder = chat(client).tool({"function": {"name": "other", "parameters": {"type": "object"}}})

    result = client.chat().completions().run_tools(builder, [add])

    assert result.trace.tool_calls[0].output == "3"
    assert [t["function"]["name"] for t in bodies(server)[0]["tools"]] == ["other", "add"]


def test_run_tools_checks_its_arguments(client: Client) -> None:
    with pytest.raises(TypeError, match="ChatCompletionCreate"):
        client.chat().completions().run_tools(client.responses().create(), [get_weather])
    with pytest.raises(ValueError, match="max_rounds"):
        client.chat().completions().run_tools(chat(client), [get_weather], max_rounds=0)
    with pytest.raises(ValueError, match="two tools"):
        client.chat().completions().run_tools(chat(client), [get_weather, get_weather])


# --- responses, non-streaming -------------------------------------------------------------------


def response(*output: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "id": "resp_1",
        "object": "response",
        "created_at": 1700000000,
        "status": "completed",
        "model": "m",
        "output": list(output),
        "usage": {"input_tokens": 5, "output_tokens": 3, "total_tokens": 8},
    }


def fc_item(call_id: str, arguments: str, name: str = "get_weather") -> Dict[str, Any]:
    return {
        "type": "function_call",
        "id": f"fc_{call_id}",
        "call_id": call_id,
        "name": name,
        "arguments": arguments,
        "status": "completed",
    }


def message_item(text: str) -> Dict[str, Any]:
    return {
        "type": "message",
        "id": "msg_1",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "output_text", "text": text, "annotations": []}],
    }


def test_responses_loop_sends_function_call_outputs(
    server: responses.RequestsMock, client: Client
) -> None:
    server.add(responses.POST, RESPONSES_URL, json=response(fc_item("call_1", '{"city":"Paris"}')))
    server.add(responses.POST, RESPONSES_URL, json=response(message_item("22 C.")))
    builder = client.responses().create().model("m").input_text("Weather in Paris?")

    result = client.responses().run_tools(builder, [get_weather])

    assert result.final.output_text == "22 C."
    first, second = bodies(server)
    assert first["tools"] == [get_weather.to_responses_param()]
    assert second["input"] == [
        {"role": "user", "content": "Weather in Paris?"},
        fc_item("call_1", '{"city":"Paris"}'),
        {"type": "function_call_output", "call_id": "call_1", "output": "22 C in Paris"},
    ]
    assert result.trace.total_tokens == 16
    assert result.builder._get("input")[-1]["type"] == "message"


def test_responses_prefill_is_replaced_by_the_tool_calling_turn(
    server: responses.RequestsMock, client: Client
) -> None:
    server.add(responses.POST, RESPONSES_URL, json=response(fc_item("call_1", '{"city":"Rome"}')))
    server.add(responses.POST, RESPONSES_URL, json=response(message_item("Warm.")))
    builder = (
        client.responses()
        .create()
        .model("m")
        .message_user("Weather in Rome?")
        .message_assistant("<tool_call>\n")
        .tool_choice("required")
    )

    client.responses().run_tools(builder, [get_weather])

    second = bodies(server)[1]
    assert [item.get("type", item.get("role")) for item in second["input"]] == [
        "user",
        "function_call",
        "function_call_output",
    ]
    assert second["tool_choice"] == "auto"


# --- streaming ----------------------------------------------------------------------------------

GATE_SECONDS = 5.0


class GatedBody(io.RawIOBase):
    """A response body sent in parts; a ``threading.Event`` between parts blocks the reader
    until it is set (or ``GATE_SECONDS`` pass, which the test then reports)."""

    def __init__(self, parts: List[Union[bytes, threading.Event]]) -> None:
        self._parts = list(parts)
        self._buffer = b""
        self.timed_out = False

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer:
            if not self._parts:
                return 0
            part = self._parts.pop(0)
            if isinstance(part, threading.Event):
                if not part.wait(GATE_SECONDS):
                    self.timed_out = True
                continue
            self._buffer = part
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def sse(*payloads: Dict[str, Any], done: bool = True) -> bytes:
    out = b"".join(b"data: " + json.dumps(p).encode() + b"\n\n" for p in payloads)
    return out + (b"data: [DONE]\n\n" if done else b"")


def named_sse(*events: Dict[str, Any]) -> bytes:
    return b"".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode() for e in events)


def chunk(*calls: Dict[str, Any], finish: Optional[str] = None, **delta: Any) -> Dict[str, Any]:
    if calls:
        delta["tool_calls"] = list(calls)
    return {
        "id": "chatcmpl-s",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "m",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def delta_call(index: int, arguments: str, **fields: Any) -> Dict[str, Any]:
    function: Dict[str, Any] = {"arguments": arguments}
    if "name" in fields:
        function["name"] = fields.pop("name")
    return {"index": index, "function": function, **fields}


def gated_tool(name: str) -> Any:
    called = threading.Event()

    def handler(city: str) -> str:
        called.set()
        return f"{name}:{city}"

    handler.__name__ = name
    handler.__doc__ = "A tool."
    return function_tool(handler), called


def add_gated(
    server: responses.RequestsMock, url: str, parts: List[Union[bytes, threading.Event]]
) -> GatedBody:
    body = GatedBody(parts)
    server.add(
        responses.POST,
        url,
        body=io.BufferedReader(body),  # type: ignore[arg-type]
        content_type="text/event-stream",
    )
    return body


def test_chat_stream_starts_a_call_when_the_next_call_begins(
    server: responses.RequestsMock, client: Client
) -> None:
    first, first_called = gated_tool("first")
    second, _ = gated_tool("second")
    body = add_gated(
        server,
        CHAT_URL,
        [
            sse(
                chunk(delta_call(0, "", id="c1", type="function", name="first"), role="assistant"),
                chunk(delta_call(0, '{"city":')),
                chunk(delta_call(0, '"Paris"}')),
                chunk(delta_call(1, "", id="c2", type="function", name="second")),
                done=False,
            ),
            first_called,  # the rest of the stream waits until the first tool has run
            sse(chunk(delta_call(1, '{"city":"Rome"}')), chunk(finish="tool_calls")),
        ],
    )
    server.add(
        responses.POST,
        CHAT_URL,
        body=sse(chunk(content="Done.", role="assistant"), chunk(finish="stop")),
        content_type="text/event-stream",
    )

    with client.chat().completions().stream_tools(chat(client), [first, second]) as run:
        events = list(run)
        result = run.result()

    assert not body.timed_out, "the first call did not start before the stream ended"
    kinds = [type(e).__name__ for e in events]
    first_start = next(
        i for i, e in enumerate(events) if isinstance(e, ToolCallStarted) and e.name == "first"
    )
    last_round1_event = max(
        i for i, e in enumerate(events) if isinstance(e, ModelStreamEvent) and e.round == 1
    )
    assert first_start < last_round1_event
    assert kinds.count("ToolCallStarted") == 2 and kinds.count("ToolCallFinished") == 2
    assert [type(e) for e in events if isinstance(e, RoundFinished)] == [RoundFinished] * 2
    assert result.final.choices[0].message.content == "Done."
    assert [(r.call_id, r.output) for r in result.trace.tool_calls] == [
        ("c1", "first:Paris"),
        ("c2", "second:Rome"),
    ]
    sent = json.loads(server.calls[1].request.body)["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "tool", "tool"]
    assert sent[1]["tool_calls"][1]["function"]["arguments"] == '{"city":"Rome"}'


def test_chat_stream_starts_the_last_call_when_the_choice_finishes(
    server: responses.RequestsMock, client: Client
) -> None:
    only, called = gated_tool("only")
    usage = {
        **chunk(),
        "choices": [],
        "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
    }
    body = add_gated(
        server,
        CHAT_URL,
        [
            sse(
                chunk(delta_call(0, '{"city":"Lima"}', id="c1", type="function", name="only")),
                chunk(finish="tool_calls"),
                done=False,
            ),
            called,
            sse(usage),
        ],
    )
    server.add(
        responses.POST,
        CHAT_URL,
        body=sse(chunk(content="Ok.", role="assistant"), chunk(finish="stop")),
        content_type="text/event-stream",
    )

    with client.chat().completions().stream_tools(chat(client), [only]) as run:
        result = run.result()

    assert not body.timed_out
    assert result.trace.rounds[0].usage is not None
    assert result.trace.tool_calls[0].output == "only:Lima"


def test_chat_stream_does_not_start_interleaved_calls_early(
    server: responses.RequestsMock, client: Client
) -> None:
    """Calls interleaved by index: the first is not started on half its arguments."""
    body = sse(
        chunk(delta_call(0, "", id="a", type="function", name="get_weather")),
        chunk(delta_call(1, "", id="b", type="function", name="get_weather")),
        chunk(delta_call(0, '{"city":')),
        chunk(delta_call(1, '{"city":"Rome"}')),
        chunk(delta_call(0, '"Paris"}')),
        chunk(finish="tool_calls"),
    )
    server.add(responses.POST, CHAT_URL, body=body, content_type="text/event-stream")
    server.add(
        responses.POST,
        CHAT_URL,
        body=sse(chunk(content="Ok.", role="assistant"), chunk(finish="stop")),
        content_type="text/event-stream",
    )

    result = client.chat().completions().stream_tools(chat(client), [get_weather]).result()

    assert [r.output for r in result.trace.tool_calls] == ["22 C in Paris", "22 C in Rome"]


def response_event(kind: str, **fields: Any) -> Dict[str, Any]:
    return {"type": kind, **fields}


def test_responses_stream_starts_a_call_on_arguments_done(
    server: responses.RequestsMock, client: Client
) -> None:
    tool, called = gated_tool("lookup")
    pending = {**fc_item("call_1", ""), "status": "in_progress"}
    done_item = fc_item("call_1", '{"city":"Oslo"}', name="lookup")
    body = add_gated(
        server,
        RESPONSES_URL,
        [
            named_sse(
                response_event(
                    "response.created", response={**response(), "status": "in_progress"}
                ),
                response_event(
                    "response.output_item.added", output_index=0, item={**pending, "name": "lookup"}
                ),
                response_event(
                    "response.function_call_arguments.delta",
                    item_id="fc_call_1",
                    output_index=0,
                    delta='{"city":"Oslo"}',
                ),
                response_event(
                    "response.function_call_arguments.done",
                    item_id="fc_call_1",
                    output_index=0,
                    arguments='{"city":"Oslo"}',
                ),
            ),
            called,
            named_sse(
                response_event("response.output_item.done", output_index=0, item=done_item),
                response_event("response.completed", response=response(done_item)),
            ),
        ],
    )
    server.add(
        responses.POST,
        RESPONSES_URL,
        body=named_sse(
            response_event("response.completed", response=response(message_item("Cold.")))
        ),
        content_type="text/event-stream",
    )
    builder = client.responses().create().model("m").input_text("Weather in Oslo?")

    with client.responses().stream_tools(builder, [tool]) as run:
        events = list(run)
        result = run.result()

    assert not body.timed_out, "the call did not start before the stream ended"
    started = next(i for i, e in enumerate(events) if isinstance(e, ToolCallStarted))
    completed = next(
        i
        for i, e in enumerate(events)
        if isinstance(e, ModelStreamEvent) and e.event.type == "response.completed"
    )
    assert started < completed
    assert any(isinstance(e, ToolCallFinished) for e in events)
    assert result.final.output_text == "Cold."
    second = json.loads(server.calls[1].request.body)
    assert second["input"][-1] == {
        "type": "function_call_output",
        "call_id": "call_1",
        "output": "lookup:Oslo",
    }
    assert second["input"][1]["type"] == "function_call"


def test_stream_stops_at_max_rounds(server: responses.RequestsMock, client: Client) -> None:
    server.add(
        responses.POST,
        CHAT_URL,
        body=sse(
            chunk(delta_call(0, '{"city":"Paris"}', id="c1", type="function", name="get_weather")),
            chunk(finish="tool_calls"),
        ),
        content_type="text/event-stream",
    )

    run = client.chat().completions().stream_tools(chat(client), [get_weather], max_rounds=1)
    result = run.result()

    assert result.max_rounds_reached
    assert [r.status for r in result.trace.tool_calls] == ["not_run"]
    assert run.trace is result.trace


def test_closing_a_stream_run_early_closes_it(
    server: responses.RequestsMock, client: Client
) -> None:
    server.add(
        responses.POST,
        CHAT_URL,
        body=sse(chunk(content="Hi", role="assistant"), chunk(finish="stop")),
        content_type="text/event-stream",
    )
    with client.chat().completions().stream_tools(chat(client), [get_weather]) as run:
        next(run)
    with pytest.raises(RuntimeError, match="closed"):
        run.result()
