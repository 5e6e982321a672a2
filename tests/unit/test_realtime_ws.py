"""Realtime over WebSocket against the local RFC 6455 test server (tools/ws_test_server.py):
handshake, typed events, every client-event helper's JSON, reconnection and giving up; plus the
generated realtime REST operations with ``responses``."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

import pytest
import responses

from openai_core import (
    AuthenticationError,
    Client,
    InternalServerError,
    WebSocketClosedError,
    WebSocketQueueFullError,
)
from openai_core._generated.models.shared import (
    RealtimeServerEventError,
    RealtimeServerEventResponseAudioTranscriptDelta,
    RealtimeServerEventSessionCreated,
    UnknownRealtimeServerEvent,
)
from openai_core._realtime_ws import RealtimeSocket
from openai_core._retry import INITIAL_RETRY_DELAY

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from ws_test_server import WsTestServer, realtime_response_events

pytestmark = pytest.mark.timeout(30)


@pytest.fixture(scope="module")
def server() -> Iterator[WsTestServer]:
    with WsTestServer(api_key="sk-test") as srv:
        yield srv


class Sleeps:
    """The client's sleep function: records delays and runs a hook (to send while reconnecting)."""

    def __init__(self) -> None:
        self.delays: List[float] = []
        self.hook: Callable[[], None] = lambda: None

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.hook()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(server: WsTestServer, sleeps: Sleeps) -> Iterator[Client]:
    server.reset()
    c = Client(api_key="sk-test", base_url=server.base_url, max_retries=2, timeout=(5, 5))
    c._sleep = sleeps
    yield c
    c.close()


def connect(client: Client) -> RealtimeSocket:
    return client.realtime().ws().model("gpt-realtime").connect()


def barrier(socket: RealtimeSocket, data: Any = "sync") -> Dict[str, Any]:
    """Send ``test.echo`` and return its answer: the server has received everything sent before."""
    socket.send_json({"type": "test.echo", "data": data})
    while True:
        event = socket.recv_json()
        assert event is not None
        if event["type"] == "test.echoed":
            return event


# -- handshake -------------------------------------------------------------------------------------


def test_build_turns_the_base_url_into_a_websocket_url_with_the_model() -> None:
    client = Client(api_key="sk-x", base_url="https://api.example.com/v1/")
    request = client.realtime().ws().model("gpt-realtime").build()
    assert request.url == "wss://api.example.com/v1/realtime?model=gpt-realtime"
    assert ("Authorization", "Bearer sk-x") in request.headers
    assert "sk-x" not in repr(request)


def test_build_with_call_id_and_plain_http_uses_ws() -> None:
    client = Client(api_key="sk-x", base_url="http://127.0.0.1:9/v1")
    request = client.realtime().ws().call_id("rtc_1").build()
    assert request.url == "ws://127.0.0.1:9/v1/realtime?call_id=rtc_1"


def test_azure_routes_realtime_to_its_deployment_with_the_api_key_header() -> None:
    client = Client.azure(
        azure_endpoint="https://res.openai.azure.com",
        api_version="2025-04-01-preview",
        api_key="az-key",
    )
    request = client.realtime().ws().model("my-realtime").build()
    assert request.url == (
        "wss://res.openai.azure.com/openai/realtime"
        "?api-version=2025-04-01-preview&deployment=my-realtime"
    )
    assert ("api-key", "az-key") in request.headers
    assert "az-key" not in repr(request)


def test_connect_needs_a_model_or_a_call_id(client: Client) -> None:
    with pytest.raises(ValueError, match="model"):
        client.realtime().ws().connect()


def test_handshake_sends_the_key_and_the_model(client: Client, server: WsTestServer) -> None:
    with connect(client) as socket:
        assert isinstance(socket.recv(), RealtimeServerEventSessionCreated)
    (conn,) = server.connections
    assert conn.path == "/v1/realtime"
    assert conn.query == {"model": "gpt-realtime"}
    assert conn.headers["authorization"] == "Bearer sk-test"
    assert conn.headers["user-agent"].startswith("openai-core-python/")


def test_handshake_with_call_id(client: Client, server: WsTestServer) -> None:
    with client.realtime().ws().call_id("rtc_123").connect() as socket:
        socket.recv()
    assert server.connections[0].query == {"call_id": "rtc_123"}


def test_a_wrong_key_is_an_authentication_error_and_not_retried(
    server: WsTestServer, sleeps: Sleeps
) -> None:
    client = Client(api_key="sk-wrong", base_url=server.base_url, max_retries=2)
    client._sleep = sleeps
    with pytest.raises(AuthenticationError, match="Incorrect API key"):
        connect(client)
    assert sleeps.delays == []


def test_a_refused_handshake_with_5xx_is_retried_like_http(
    client: Client, server: WsTestServer, sleeps: Sleeps
) -> None:
    server.handshake_status = 503
    with pytest.raises(InternalServerError):
        connect(client)
    assert len(sleeps.delays) == 2


def test_websocket_client_is_not_loaded_by_import_or_by_the_resources() -> None:
    code = (
        "import sys, openai_core\n"
        "c = openai_core.Client(api_key='k', base_url='http://127.0.0.1:9/v1')\n"
        "c.realtime(); c.responses(); c.realtime().ws().model('m').build()\n"
        "print('websocket' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.strip() == "False", out.stderr


# -- events ----------------------------------------------------------------------------------------


def test_a_response_arrives_as_typed_events_in_the_documented_order(client: Client) -> None:
    with connect(client) as socket:
        assert socket.recv().type == "session.created"
        socket.response.create()
        events = []
        for event in socket:
            events.append(event)
            if event.type == "response.done":
                break
    assert [e.type for e in events] == [e["type"] for e in realtime_response_events()]
    deltas = [e for e in events if isinstance(e, RealtimeServerEventResponseAudioTranscriptDelta)]
    assert "".join(d.delta or "" for d in deltas) == "Hello there"


def test_an_unknown_event_type_decodes_to_the_fallback_variant(client: Client) -> None:
    with connect(client) as socket:
        socket.recv()
        socket.send_json({"type": "test.emit", "events": [{"type": "brand.new", "x": 1}]})
        event = socket.recv()
    assert isinstance(event, UnknownRealtimeServerEvent)
    assert event.type == "brand.new"
    assert event.to_dict() == {"type": "brand.new", "x": 1}


def test_an_error_event_is_data_not_an_exception(client: Client) -> None:
    error = {
        "type": "error",
        "event_id": "e",
        "error": {"type": "invalid_request_error", "message": "bad", "event_id": "c1"},
    }
    with connect(client) as socket:
        socket.recv()
        socket.send_json({"type": "test.emit", "events": [error, {"type": "after"}]})
        first, second = socket.recv(), socket.recv()
    assert isinstance(first, RealtimeServerEventError)
    assert first.error.message == "bad"
    assert second.type == "after"


def test_send_json_refuses_something_that_is_not_an_event(client: Client) -> None:
    with connect(client) as socket:
        with pytest.raises(ValueError, match="type"):
            socket.send_json({"no": "type"})
        with pytest.raises(TypeError):
            socket.send_json(["x"])


HELPERS: List[Any] = [
    (
        lambda s: s.session.update({"type": "realtime", "instructions": "Be brief."}),
        {"type": "session.update", "session": {"type": "realtime", "instructions": "Be brief."}},
    ),
    (
        lambda s: s.session.update({"type": "realtime"}, event_id="c1"),
        {"type": "session.update", "session": {"type": "realtime"}, "event_id": "c1"},
    ),
    (
        lambda s: s.input_audio_buffer.append(b"\x00\x01\x02"),
        {"type": "input_audio_buffer.append", "audio": base64.b64encode(b"\x00\x01\x02").decode()},
    ),
    (
        lambda s: s.input_audio_buffer.append("AAEC"),
        {"type": "input_audio_buffer.append", "audio": "AAEC"},
    ),
    (lambda s: s.input_audio_buffer.commit(), {"type": "input_audio_buffer.commit"}),
    (lambda s: s.input_audio_buffer.clear(), {"type": "input_audio_buffer.clear"}),
    (
        lambda s: s.conversation.item.create(
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]}
        ),
        {
            "type": "conversation.item.create",
            "item": {
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": "hi"}],
            },
        },
    ),
    (
        lambda s: s.conversation.item.create({"type": "message"}, previous_item_id="root"),
        {
            "type": "conversation.item.create",
            "previous_item_id": "root",
            "item": {"type": "message"},
        },
    ),
    (
        lambda s: s.conversation.item.delete("item_1"),
        {"type": "conversation.item.delete", "item_id": "item_1"},
    ),
    (
        lambda s: s.conversation.item.truncate("item_1", content_index=0, audio_end_ms=1500),
        {
            "type": "conversation.item.truncate",
            "item_id": "item_1",
            "content_index": 0,
            "audio_end_ms": 1500,
        },
    ),
    (
        lambda s: s.conversation.item.retrieve("item_1"),
        {"type": "conversation.item.retrieve", "item_id": "item_1"},
    ),
    (
        lambda s: s.response.create({"output_modalities": ["text"]}),
        {"type": "response.create", "response": {"output_modalities": ["text"]}},
    ),
    (lambda s: s.response.cancel(), {"type": "response.cancel"}),
    (
        lambda s: s.response.cancel("resp_1", event_id="c2"),
        {"type": "response.cancel", "response_id": "resp_1", "event_id": "c2"},
    ),
    (lambda s: s.output_audio_buffer.clear(), {"type": "output_audio_buffer.clear"}),
]


@pytest.mark.parametrize(("call", "expected"), HELPERS)
def test_each_client_event_helper_sends_exactly_this_json(
    client: Client, server: WsTestServer, call: Callable[[RealtimeSocket], None], expected: Any
) -> None:
    with connect(client) as socket:
        socket.recv()
        call(socket)
        barrier(socket)
    received = server.connections[0].received
    assert received[0] == expected
    assert received[-1]["type"] == "test.echo"


def test_send_json_accepts_a_generated_client_event_model(
    client: Client, server: WsTestServer
) -> None:
    from openai_core._generated.models.realtime import RealtimeClientEventInputAudioBufferCommit

    with connect(client) as socket:
        socket.recv()
        socket.send_json(RealtimeClientEventInputAudioBufferCommit(event_id="c9"))
        barrier(socket)
    assert server.connections[0].received[0] == {
        "type": "input_audio_buffer.commit",
        "event_id": "c9",
    }


# -- reconnection ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [1001, 1005, 1006, 1011, 1012, 1013, 1015])
def test_a_recoverable_close_reconnects_and_flushes_queued_messages_in_order(
    client: Client, server: WsTestServer, sleeps: Sleeps, code: int
) -> None:
    server.drops = [(1, code)]  # the first connection drops after session.created
    with connect(client) as socket:
        socket.recv()

        def send_while_reconnecting() -> None:
            socket.send_json({"type": "test.echo", "data": 1})
            socket.send_json({"type": "test.echo", "data": 2})
            sleeps.hook = lambda: None

        sleeps.hook = send_while_reconnecting
        assert socket.recv().type == "session.created"  # the new connection's session
        echoes = [socket.recv_json(), socket.recv_json()]
        assert socket.reconnects == 1
    assert [e["data"] for e in echoes if e] == [1, 2]
    assert len(server.connections) == 2
    assert server.connections[1].received[:2] == [
        {"type": "test.echo", "data": 1},
        {"type": "test.echo", "data": 2},
    ]
    assert len(sleeps.delays) == 1
    assert INITIAL_RETRY_DELAY * 0.75 <= sleeps.delays[0] <= INITIAL_RETRY_DELAY


def test_giving_up_raises_with_the_unsent_messages(
    client: Client, server: WsTestServer, sleeps: Sleeps
) -> None:
    server.drops = [(1, 1012)]
    with connect(client) as socket:
        socket.recv()

        def refuse_and_send() -> None:
            if not sleeps.delays[1:]:
                server.handshake_status = 503
                socket.send_json({"type": "response.create"})
                socket.input_audio_buffer.commit()

        sleeps.hook = refuse_and_send
        with pytest.raises(WebSocketClosedError) as info:
            socket.recv()
        with pytest.raises(WebSocketClosedError):
            socket.send_json({"type": "response.cancel"})
    error = info.value
    assert error.close_code == 1012
    assert error.unsent == [{"type": "response.create"}, {"type": "input_audio_buffer.commit"}]
    assert isinstance(error.__cause__, InternalServerError)
    assert "gave up reconnecting after 2 attempt(s)" in str(error)
    assert len(sleeps.delays) == 2  # before attempt 1 and attempt 2: the HTTP backoff
    assert 0.75 <= sleeps.delays[1] <= 1.0


def test_the_send_queue_is_bounded_in_bytes(
    client: Client, server: WsTestServer, sleeps: Sleeps
) -> None:
    server.drops = [(1, 1006)]
    errors: List[Exception] = []
    with client.realtime().ws().model("m").max_queue_bytes(100).connect() as socket:
        socket.recv()

        def overflow() -> None:
            socket.send_json({"type": "test.echo", "data": "small"})
            try:
                socket.send_json({"type": "test.echo", "data": "x" * 200})
            except WebSocketQueueFullError as exc:
                errors.append(exc)
            sleeps.hook = lambda: None

        sleeps.hook = overflow
        socket.recv()  # session.created of the new connection
        assert socket.recv_json() == {"type": "test.echoed", "event_id": "e", "data": "small"}
    (error,) = errors
    assert isinstance(error, WebSocketQueueFullError)
    assert error.limit == 100
    assert "max_queue_bytes" in str(error)


def test_a_normal_close_ends_iteration_without_reconnecting(
    client: Client, server: WsTestServer, sleeps: Sleeps
) -> None:
    server.drops = [(1, 1000)]
    with connect(client) as socket:
        assert [e.type for e in socket] == ["session.created"]
        with pytest.raises(WebSocketClosedError) as info:
            socket.input_audio_buffer.clear()
    assert info.value.close_code == 1000
    assert info.value.unsent == [{"type": "input_audio_buffer.clear"}]
    assert len(server.connections) == 1
    assert sleeps.delays == []


def test_a_policy_violation_close_is_raised_and_not_retried(
    client: Client, server: WsTestServer, sleeps: Sleeps
) -> None:
    server.drops = [(1, 1008)]
    with connect(client) as socket:
        socket.recv()
        with pytest.raises(WebSocketClosedError) as info:
            socket.recv()
    assert info.value.close_code == 1008
    assert info.value.reason == "bye"
    assert "not reconnecting" in str(info.value)
    assert len(server.connections) == 1
    assert sleeps.delays == []


def test_max_retries_zero_does_not_reconnect(server: WsTestServer, sleeps: Sleeps) -> None:
    server.reset()
    server.drops = [(1, 1012)]
    client = Client(api_key="sk-test", base_url=server.base_url, max_retries=0)
    with client.realtime().ws().model("m").connect() as socket:
        socket.recv()
        with pytest.raises(WebSocketClosedError) as info:
            socket.recv()
    assert info.value.close_code == 1012
    assert len(server.connections) == 1


def test_one_thread_iterates_while_another_sends(client: Client) -> None:
    seen: List[Any] = []
    with connect(client) as socket:
        socket.recv()

        def read() -> None:
            for event in socket:
                seen.append(event.to_dict().get("data"))
                if len(seen) == 20:
                    return

        reader = threading.Thread(target=read)
        reader.start()
        for i in range(20):
            socket.send_json({"type": "test.echo", "data": i})
        reader.join(10)
        assert not reader.is_alive()
    assert seen == list(range(20))


def test_close_is_idempotent_and_ends_iteration(client: Client) -> None:
    socket = connect(client)
    socket.recv()
    socket.close()
    socket.close()
    assert socket.closed
    assert list(socket) == []


# -- REST operations of the realtime namespace -----------------------------------------------------

BASE = "http://api.test/v1"


@pytest.fixture
def rest() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock() as mock:
        yield mock


def rest_client() -> Client:
    return Client(api_key="sk-test", base_url=BASE, max_retries=0)


def test_client_secrets_create(rest: responses.RequestsMock) -> None:
    rest.post(f"{BASE}/realtime/client_secrets", json={"value": "ek_1", "expires_at": 1})
    secret = (
        rest_client()
        .realtime()
        .client_secrets()
        .create()
        .session({"type": "realtime", "model": "gpt-realtime"})
        .send()
    )
    assert secret.value == "ek_1"
    body = json.loads(rest.calls[0].request.body)
    assert body == {"session": {"type": "realtime", "model": "gpt-realtime"}}


def test_calls_create_sends_sdp_and_returns_the_answer(rest: responses.RequestsMock) -> None:
    rest.post(
        f"{BASE}/realtime/calls",
        body="v=0\r\nanswer",
        content_type="application/sdp",
        status=201,
    )
    answer = rest_client().realtime().calls().create().sdp("v=0\r\noffer").send()
    assert answer == "v=0\r\nanswer"
    request = rest.calls[0].request
    assert request.headers["Content-Type"].startswith("multipart/form-data")
    assert b"v=0\r\noffer" in request.body


@pytest.mark.parametrize(
    ("operation", "setup", "body"),
    [
        ("accept", lambda b: b.type("realtime").model("gpt-realtime"),
         {"type": "realtime", "model": "gpt-realtime"}),
        ("hangup", lambda b: b, None),
        ("refer", lambda b: b.target_uri("tel:+14155550123"), {"target_uri": "tel:+14155550123"}),
        ("reject", lambda b: b.status_code(486), {"status_code": 486}),
    ],
)  # fmt: skip
def test_call_operations(
    rest: responses.RequestsMock, operation: str, setup: Any, body: Any
) -> None:
    rest.post(f"{BASE}/realtime/calls/rtc_1/{operation}", status=200)
    builder = getattr(rest_client().realtime().calls(), operation)("rtc_1")
    assert setup(builder).send() is None
    sent = rest.calls[0].request.body
    assert (json.loads(sent) if sent else None) == body


# -- the reconnect loop in _retry ------------------------------------------------------------------


def test_reconnect_with_retries_sleeps_the_http_backoff_before_each_attempt() -> None:
    from openai_core import APIConnectionError
    from openai_core._retry import reconnect_with_retries

    delays: List[float] = []
    attempts: List[int] = []

    def refuse(number: int) -> None:
        attempts.append(number)
        raise APIConnectionError("refused")

    with pytest.raises(APIConnectionError):
        reconnect_with_retries(refuse, max_retries=4, sleep=delays.append, rand=lambda: 0.0)
    assert attempts == [1, 2, 3, 4]
    assert delays == [0.5, 1.0, 2.0, 4.0]


def test_reconnect_with_retries_stops_at_a_handshake_that_must_not_be_retried() -> None:
    from openai_core._errors import make_status_error
    from openai_core._retry import reconnect_with_retries

    def unauthorized(number: int) -> None:
        raise make_status_error(401, b'{"error": {"message": "bad key"}}')

    delays: List[float] = []
    with pytest.raises(AuthenticationError):
        reconnect_with_retries(unauthorized, max_retries=3, sleep=delays.append)
    assert len(delays) == 1
    with pytest.raises(ValueError):
        reconnect_with_retries(unauthorized, max_retries=0)


def test_close_from_another_thread_ends_iteration(client: Client) -> None:
    socket = connect(client)
    socket.recv()
    seen: List[Any] = []

    def read() -> None:
        seen.extend(socket)

    reader = threading.Thread(target=read)
    reader.start()
    socket.close()
    reader.join(10)
    assert not reader.is_alive()
    assert seen == []
