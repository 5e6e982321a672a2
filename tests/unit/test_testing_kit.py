"""``openai_core.testing``: canned replies, fake streams, and cassettes recorded against a
127.0.0.1 server and replayed offline."""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, ClassVar, Iterator, List

import pytest

import openai_core.testing
from openai_core import APIConnectionError, BadRequestError, Client, RateLimitError
from openai_core.testing import (
    FakeAPI,
    UnmatchedRequestError,
    cassette,
    chat_chunks,
    encode_sse,
    response_events,
)

pytestmark = pytest.mark.timeout(30)

BASE_URL = "http://test/v1"


def chat(client: Client, text: str = "Hi") -> Any:
    return client.chat().completions().create().model("m").message_user(text)


def test_chat_completion_is_served_and_the_request_is_recorded() -> None:
    with FakeAPI(base_url=BASE_URL) as api:
        route = api.chat_completion("Hello!")
        reply = chat(api.client(api_key="sk-secret"), "Hi there").send()
    assert reply.choices[0].message.content == "Hello!"
    assert route.call_count == 1
    assert route.last.json["messages"] == [{"role": "user", "content": "Hi there"}]
    assert route.last.headers["authorization"] == "Bearer sk-secret"
    assert api.calls == route.calls


def test_response_and_embedding_are_typed() -> None:
    with FakeAPI(base_url=BASE_URL) as api:
        api.response("Hi")
        api.embedding([0.1, 0.2])
        client = api.client()
        assert client.responses().create().model("m").input_text("x").send().output_text == "Hi"
        embedded = client.embeddings().create().model("e").input("x").send()
    assert embedded.data[0].embedding == [0.1, 0.2]


def test_embedding_takes_one_vector_per_input() -> None:
    with FakeAPI(base_url=BASE_URL) as api:
        api.embedding([[1.0], [2.0]])
        result = api.client().embeddings().create().model("e").input(["a", "b"]).send()
    assert [row.embedding for row in result.data] == [[1.0], [2.0]]


def test_error_then_success_is_a_retry_sequence() -> None:
    with FakeAPI(base_url=BASE_URL) as api:
        limited = api.error(429, "slow down", retry_after=0.01)
        ok = api.chat_completion("done")
        reply = chat(api.client(max_retries=1)).send()
    assert reply.choices[0].message.content == "done"
    assert (limited.call_count, ok.call_count) == (1, 1)
    assert limited.last.headers["idempotency-key"] == ok.last.headers["idempotency-key"]


def test_error_maps_to_the_status_exception_with_its_message() -> None:
    with FakeAPI(base_url=BASE_URL) as api:
        api.error(429, "slow down", code="rate_limit_exceeded")
        with pytest.raises(RateLimitError, match="slow down"):
            chat(api.client()).send()


def test_error_takes_any_body_shape() -> None:
    with FakeAPI(base_url=BASE_URL) as api:
        api.error(400, body={"detail": "bad field"}, headers={"x-request-id": "req_1"})
        with pytest.raises(BadRequestError) as info:
            chat(api.client()).send()
    assert "bad field" in str(info.value)
    assert info.value.request_id == "req_1"


def test_last_reply_repeats() -> None:
    with FakeAPI(base_url=BASE_URL) as api:
        route = api.chat_completion("again")
        client = api.client()
        for _ in range(3):
            chat(client).send()
    assert route.call_count == 3


def test_unused_route_fails_on_exit_unless_allowed() -> None:
    with pytest.raises(AssertionError, match="never requested"), FakeAPI(base_url=BASE_URL) as api:
        api.response("unused")
    with FakeAPI(base_url=BASE_URL, assert_all_called=False) as api:
        api.response("unused")


def test_unregistered_request_is_a_connection_error() -> None:
    with FakeAPI(base_url=BASE_URL) as api, pytest.raises(APIConnectionError):
        chat(api.client()).send()


def test_chat_stream_from_text_ends_with_done_and_accumulates() -> None:
    with FakeAPI(base_url=BASE_URL) as api:
        route = api.chat_stream("Hello there, friend")
        with chat(api.client()).stream() as stream:
            pieces = [c.choices[0].delta.content or "" for c in stream if c.choices]
            completion = stream.final_completion()
    assert "".join(pieces) == "Hello there, friend"
    assert len(pieces) > 3
    assert completion.choices[0].message.content == "Hello there, friend"
    assert completion.choices[0].finish_reason == "stop"
    assert route.reply.body.endswith(b"data: [DONE]\n\n")
    assert route.last.json["stream"] is True


def test_chat_stream_from_chunk_dicts() -> None:
    chunks = chat_chunks("a b")
    with FakeAPI(base_url=BASE_URL) as api:
        api.chat_stream(chunks, done=False)
        with chat(api.client()).stream() as stream:
            assert stream.final_completion().choices[0].message.content == "a b"


def test_response_events_come_in_the_api_order() -> None:
    types = [event["type"] for event in response_events("one two")]
    assert types[:4] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
    ]
    assert types[4:6] == ["response.output_text.delta"] * 2
    assert types[6:] == [
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    numbers = [event["sequence_number"] for event in response_events("one two")]
    assert numbers == list(range(len(numbers)))


def test_response_stream_from_text() -> None:
    with FakeAPI(base_url=BASE_URL) as api:
        api.response_stream("Hi there")
        with api.client().responses().create().model("m").input_text("x").stream() as stream:
            kinds = [event.type for event in stream]
            final = stream.final_response()
    assert kinds[0] == "response.created" and kinds[-1] == "response.completed"
    assert final.output_text == "Hi there"


def test_encode_sse_names_typed_events() -> None:
    assert encode_sse([{"type": "x"}, "raw"], done=True) == (
        b'event: x\ndata: {"type": "x"}\n\ndata: raw\n\ndata: [DONE]\n\n'
    )


def test_importing_the_kit_does_not_import_responses() -> None:
    code = "import sys, openai_core.testing; assert 'responses' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_all_is_sorted_and_exported() -> None:
    assert openai_core.testing.__all__ == sorted(openai_core.testing.__all__)
    assert all(hasattr(openai_core.testing, name) for name in openai_core.testing.__all__)


# -- cassettes ------------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[List[Any]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        _Handler.seen.append((self.headers.get("authorization"), body))
        if body.get("stream"):
            payload = encode_sse(chat_chunks("streamed words"), done=True)
            content_type = "text/event-stream"
        else:
            payload = json.dumps(
                {
                    "id": "chatcmpl-1",
                    "object": "chat.completion",
                    "created": 1,
                    "model": "m",
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": "recorded"},
                            "finish_reason": "stop",
                        }
                    ],
                }
            ).encode()
            content_type = "application/json"
        self.send_response(200)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    _Handler.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def _record_and_use(path: Path, base_url: str) -> tuple[str, str]:
    with Client(base_url=base_url, api_key="sk-very-secret", max_retries=0) as client:
        text = chat(client, "one").send().choices[0].message.content
        with chat(client, "two").stream() as stream:
            streamed = stream.final_completion().choices[0].message.content
    return text, streamed


def test_cassette_records_against_a_server_then_replays_offline(
    tmp_path: Path, local_server: str
) -> None:
    path = tmp_path / "cassettes" / "chat.json"
    with cassette(path, record=True) as interactions:
        recorded = _record_and_use(path, local_server)
    assert recorded == ("recorded", "streamed words")
    assert len(interactions) == 2
    assert _Handler.seen[0][0] == "Bearer sk-very-secret"
    text = path.read_text()
    assert "sk-very-secret" not in text
    assert "authorization" not in text.lower()
    stored = json.loads(text)["interactions"]
    assert stored[1]["response"]["body"].endswith("data: [DONE]\n\n")

    seen_before = len(_Handler.seen)
    with cassette(path):
        assert _record_and_use(path, local_server) == recorded
    assert len(_Handler.seen) == seen_before


def test_cassette_replay_fails_clearly_on_an_unmatched_request(
    tmp_path: Path, local_server: str
) -> None:
    path = tmp_path / "chat.json"
    with cassette(path, record=True), Client(base_url=local_server, api_key="k") as client:
        chat(client, "one").send()
    client = Client(base_url=local_server, api_key="k", max_retries=0)
    with cassette(path), client, pytest.raises(UnmatchedRequestError, match="re-record"):
        chat(client, "something else").send()


def test_cassette_interaction_is_served_once(tmp_path: Path, local_server: str) -> None:
    path = tmp_path / "chat.json"
    with cassette(path, record=True), Client(base_url=local_server, api_key="k") as client:
        chat(client, "one").send()
    with cassette(path), Client(base_url=local_server, api_key="k", max_retries=0) as client:
        chat(client, "one").send()
        with pytest.raises(UnmatchedRequestError):
            chat(client, "one").send()


def test_cassette_is_written_atomically_with_no_temporary_file_left(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    with cassette(path, record=True):
        pass
    assert json.loads(path.read_text()) == {"interactions": []}
    assert [p.name for p in tmp_path.iterdir()] == ["empty.json"]


def test_routes_match_with_a_query_string_and_can_be_registered_before_entering() -> None:
    api = FakeAPI(base_url=BASE_URL)
    route = api.json("GET", "models", {"object": "list", "data": [{"id": "m", "object": "model"}]})
    with api:
        page = api.client().models().list().query("limit", 1).send()
    assert [model.id for model in page.data] == ["m"]
    assert route.last.url == f"{BASE_URL}/models?limit=1"


def test_cassette_is_not_written_when_the_block_fails(tmp_path: Path) -> None:
    path = tmp_path / "chat.json"
    path.write_text('{"interactions": []}')
    with pytest.raises(RuntimeError), cassette(path, record=True):
        raise RuntimeError("boom")
    assert path.read_text() == '{"interactions": []}'
    assert [p.name for p in tmp_path.iterdir()] == ["chat.json"]


def test_cassette_never_writes_api_key_headers(tmp_path: Path, local_server: str) -> None:
    path = tmp_path / "azure.json"
    with cassette(path, record=True), Client(base_url=local_server, api_key="k") as client:
        chat(client).header("api-key", "azure-secret").header("x-trace", "kept").send()
    stored = json.loads(path.read_text())["interactions"][0]["request"]["headers"]
    assert "azure-secret" not in path.read_text()
    assert stored["x-trace"] == "kept"
    assert not {name.lower() for name in stored} & {"api-key", "authorization"}
