"""``parse(T).stream()``: ``parsed_partial`` snapshots while content streams, and the final
completion / response validated into ``T``."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator, List

import attrs
import pytest
import responses

from openai_core import Client, LengthFinishReasonError, StructuredOutputError

BASE = "http://api.test/v1"

pytestmark = pytest.mark.timeout(30)


@attrs.frozen
class Person:
    name: str
    tags: List[str]


DOC = json.dumps({"name": "Ada Lovelace", "tags": ["math", "poetry"]})


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def client() -> Client:
    return Client(api_key="sk-test", base_url=BASE, max_retries=0)


def sse(events: List[Dict[str, Any]], *, named: bool = False, done: bool = True) -> bytes:
    out = b""
    for event in events:
        if named:
            out += b"event: " + event["type"].encode() + b"\n"
        out += b"data: " + json.dumps(event).encode() + b"\n\n"
    return out + (b"data: [DONE]\n\n" if done else b"")


def chunk(content: str = "", finish_reason: Any = None) -> Dict[str, Any]:
    delta = {"content": content} if content else {}
    return {
        "id": "c1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }


def pieces(text: str, size: int = 7) -> List[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def test_chat_stream_gives_partial_snapshots_and_a_parsed_final_completion(
    rsps: responses.RequestsMock, client: Client
) -> None:
    events = [chunk(p) for p in pieces(DOC)] + [chunk(finish_reason="stop")]
    rsps.post(f"{BASE}/chat/completions", body=sse(events), content_type="text/event-stream")
    snapshots = []
    builder = client.chat().completions().parse(Person).model("m").message_user("Ada")
    with builder.stream() as stream:
        for _ in stream:
            snapshots.append(stream.parsed_partial)
        final = stream.final_completion()
    assert final.choices[0].message.parsed == Person(name="Ada Lovelace", tags=["math", "poetry"])
    assert snapshots[0] == {}  # '{"name"' - the key has no value yet
    assert {"name": "Ada Lovelac"} in snapshots  # a string cut short
    assert snapshots[-1] == {"name": "Ada Lovelace", "tags": ["math", "poetry"]}
    sent = json.loads(rsps.calls[0].request.body)
    assert sent["stream"] is True and sent["response_format"]["type"] == "json_schema"


def test_chat_stream_final_completion_raises_on_length(
    rsps: responses.RequestsMock, client: Client
) -> None:
    events = [chunk('{"name": "A'), chunk(finish_reason="length")]
    rsps.post(f"{BASE}/chat/completions", body=sse(events), content_type="text/event-stream")
    stream = client.chat().completions().parse(Person).model("m").stream()
    with pytest.raises(LengthFinishReasonError):
        stream.final_completion()
    assert stream.parsed_partial == {"name": "A"}


def test_chat_stream_invalid_output_keeps_the_last_snapshot_and_fails_at_the_end(
    rsps: responses.RequestsMock, client: Client
) -> None:
    events = [chunk('{"name": "A"'), chunk("}} oops"), chunk(finish_reason="stop")]
    rsps.post(f"{BASE}/chat/completions", body=sse(events), content_type="text/event-stream")
    with client.chat().completions().parse(Person).model("m").stream() as stream:
        stream.until_done()
        assert stream.parsed_partial == {"name": "A"}
        with pytest.raises(StructuredOutputError):
            stream.final_completion()


def response_events(text: str) -> List[Dict[str, Any]]:
    base = {"id": "resp_1", "object": "response", "created_at": 1, "model": "m"}
    final = {
        **base,
        "status": "completed",
        "output": [
            {
                "type": "message",
                "id": "msg_1",
                "role": "assistant",
                "status": "completed",
                "content": [{"type": "output_text", "text": text, "annotations": []}],
            }
        ],
    }
    events: List[Dict[str, Any]] = [
        {"type": "response.created", "sequence_number": 0, "response": {**base, "output": []}}
    ]
    for n, piece in enumerate(pieces(text), start=1):
        events.append(
            {
                "type": "response.output_text.delta",
                "sequence_number": n,
                "item_id": "msg_1",
                "output_index": 0,
                "content_index": 0,
                "delta": piece,
            }
        )
    events.append({"type": "response.completed", "sequence_number": 99, "response": final})
    return events


def test_responses_stream_gives_partial_snapshots_and_output_parsed(
    rsps: responses.RequestsMock, client: Client
) -> None:
    body = sse(response_events(DOC), named=True, done=False)
    rsps.post(f"{BASE}/responses", body=body, content_type="text/event-stream")
    snapshots = []
    with client.responses().parse(Person).model("m").input_text("Ada").stream() as stream:
        for _ in stream:
            snapshots.append(stream.parsed_partial)
        final = stream.final_response()
    assert final.output_parsed == Person(name="Ada Lovelace", tags=["math", "poetry"])
    assert {"name": "Ada Lovelac"} in snapshots
    assert snapshots[-1] == {"name": "Ada Lovelace", "tags": ["math", "poetry"]}
    assert json.loads(rsps.calls[0].request.body)["text"]["format"]["name"] == "Person"
