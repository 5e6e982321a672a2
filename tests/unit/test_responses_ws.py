"""The persistent Responses WebSocket session against the local test server
(tools/ws_test_server.py): handshake, warm-up, send(), stream(), chaining, errors, reconnection."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator, List

import pytest

from openai_core import APIConnectionError, BadRequestError, Client, ResponseStream
from openai_core._responses_ws import ResponsesSession
from openai_core.types.responses import Response, ResponseCompletedEvent, ResponseTextDeltaEvent

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from ws_test_server import WsTestServer

pytestmark = pytest.mark.timeout(30)

EVENT_TYPES = [
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.content_part.added",
    "response.output_text.delta",
    "response.output_text.delta",
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.completed",
]


@pytest.fixture(scope="module")
def server() -> Iterator[WsTestServer]:
    with WsTestServer(api_key="sk-test") as srv:
        yield srv


@pytest.fixture
def sleeps() -> List[float]:
    return []


@pytest.fixture
def client(server: WsTestServer, sleeps: List[float]) -> Iterator[Client]:
    server.reset()
    c = Client(api_key="sk-test", base_url=server.base_url, max_retries=2, timeout=(5, 5))
    c._sleep = sleeps.append
    yield c
    c.close()


def turns(server: WsTestServer, index: int = 0) -> List[dict]:
    return [e for e in server.connections[index].received if e["type"] == "response.create"]


def test_build_uses_the_responses_path_and_the_key() -> None:
    client = Client(api_key="sk-x", base_url="https://api.example.com/v1")
    request = client.responses().ws().build()
    assert request.url == "wss://api.example.com/v1/responses"
    assert ("Authorization", "Bearer sk-x") in request.headers


def test_warm_up_connects_before_the_first_turn(client: Client, server: WsTestServer) -> None:
    with client.responses().ws().connect() as session:
        assert session.connected
        assert len(server.connections) == 1
        conn = server.connections[0]
        assert conn.path == "/v1/responses"
        assert conn.headers["authorization"] == "Bearer sk-test"


def test_without_warm_up_the_first_turn_connects(client: Client, server: WsTestServer) -> None:
    with client.responses().ws().connect(warm_up=False) as session:
        assert not session.connected
        assert server.connections == []
        session.create().model("m").input_text("hi").send()
        assert len(server.connections) == 1


def test_send_returns_the_response_and_sends_one_response_create_event(
    client: Client, server: WsTestServer
) -> None:
    with client.responses().ws().connect() as session:
        response = session.create().model("gpt-5.4").input_text("Hi").temperature(0).send()
    assert isinstance(response, Response)
    assert response.output_text == "Hello there"
    assert response.status == "completed"
    assert turns(server) == [
        {"type": "response.create", "model": "gpt-5.4", "input": "Hi", "temperature": 0}
    ]


def test_to_event_never_carries_stream(client: Client) -> None:
    with client.responses().ws().connect(warm_up=False) as session:
        builder = session.create().model("m").input_text("x").stream_id("lane_1")
        assert builder.to_event() == {
            "type": "response.create",
            "model": "m",
            "input": "x",
            "stream_id": "lane_1",
        }


def test_stream_yields_typed_events_in_order_and_accumulates(client: Client) -> None:
    session = client.responses().ws().connect()
    with session, session.create().model("m").input_text("Hi").stream() as stream:
        assert isinstance(stream, ResponseStream)
        events = list(stream)
        final = stream.final_response()
    assert [e.type for e in events] == EVENT_TYPES
    assert isinstance(events[4], ResponseTextDeltaEvent)
    assert isinstance(events[-1], ResponseCompletedEvent)
    assert stream.output_text == "Hello there"
    assert stream.last_sequence_number == 9
    assert final.id.startswith("resp_")


def test_many_turns_share_one_connection(client: Client, server: WsTestServer) -> None:
    with client.responses().ws().connect() as session:
        ids = [session.create().model("m").input_text(str(i)).send().id for i in range(5)]
    assert len(set(ids)) == 5
    assert len(server.connections) == 1
    assert len(turns(server)) == 5


def test_chain_sets_previous_response_id_to_the_last_completed_response(
    client: Client, server: WsTestServer
) -> None:
    with client.responses().ws().connect() as session:
        first = session.create().model("m").input_text("a").chain().send()
        second = session.create().model("m").input_text("b").chain().send()
        third = session.create().model("m").input_text("c").send()
        assert session.last_response_id == third.id
    sent = turns(server)
    assert "previous_response_id" not in sent[0]  # nothing to chain from yet
    assert sent[1]["previous_response_id"] == first.id
    assert second.previous_response_id == first.id
    assert "previous_response_id" not in sent[2]  # not chained


def test_connect_chain_chains_every_turn_but_an_explicit_id_wins(
    client: Client, server: WsTestServer
) -> None:
    with client.responses().ws().connect(chain=True) as session:
        base = session.create().model("m")
        first = base.input_text("a").send()
        second = base.input_text("b").send()
        base.input_text("c").previous_response_id("resp_other").send()
        base.input_text("d").chain(False).send()
    sent = turns(server)
    assert sent[1]["previous_response_id"] == first.id
    assert second.previous_response_id == first.id
    assert sent[2]["previous_response_id"] == "resp_other"
    assert "previous_response_id" not in sent[3]


def test_an_error_event_raises_the_status_error_and_the_session_goes_on(
    client: Client,
) -> None:
    with client.responses().ws().connect() as session:
        with pytest.raises(BadRequestError) as info:
            session.create().model("fail").input_text("x").send()
        assert info.value.code == "model_not_found"
        assert info.value.param == "model"
        assert session.create().model("m").input_text("ok").send().output_text == "Hello there"


def test_an_abandoned_stream_is_drained_before_the_next_turn(client: Client) -> None:
    with client.responses().ws().connect() as session:
        with session.create().model("m").input_text("a").stream() as stream:
            first = next(stream)
        response = session.create().model("m").input_text("b").send()
    assert first.type == "response.created"
    assert response.output_text == "Hello there"
    assert response.id != first.response.id


def test_a_drop_between_turns_reconnects_and_resends_the_turn(
    client: Client, server: WsTestServer, sleeps: List[float]
) -> None:
    server.drops = [(10, 1012)]  # closes right after the first turn's response.completed
    with client.responses().ws().connect(chain=True) as session:
        first = session.create().model("m").input_text("a").send()
        second = session.create().model("m").input_text("b").send()
    assert len(server.connections) == 2
    assert turns(server, 1) == [
        {"type": "response.create", "model": "m", "input": "b", "previous_response_id": first.id}
    ]
    assert second.previous_response_id == first.id
    assert len(sleeps) == 1


def test_a_drop_in_the_middle_of_a_response_raises_and_the_next_turn_works(
    client: Client, server: WsTestServer
) -> None:
    server.drops = [(3, 1006)]
    with client.responses().ws().connect() as session:
        with pytest.raises(APIConnectionError, match="Send the turn again"):
            session.create().model("m").input_text("a").send()
        assert session.create().model("m").input_text("b").send().status == "completed"


def test_send_with_meta_is_http_only(client: Client) -> None:
    session: ResponsesSession = client.responses().ws().connect(warm_up=False)
    with pytest.raises(TypeError, match="HTTP-only"):
        session.create().model("m").send_with_meta()
    session.close()
    session.close()
