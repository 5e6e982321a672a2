"""Stream deadlines (first event, idle between events, total) against a local server that stalls.

The server on 127.0.0.1 writes chunked SSE with controlled sleeps and records when the client
hangs up, so each test also checks the response's connection was closed after the timeout.
"""

from __future__ import annotations

import http.server
import json
import select
import socket
import threading
import time
from typing import Any, Callable, Iterator, List, Optional, Tuple

import pytest

from openai_core import APITimeoutError, Client, StreamTimeoutError, Timeout
from openai_core._chat_stream import ChatCompletionStream

#: How late a deadline may fire (a loaded CI machine), in seconds; never early.
LATE = 0.6


def chunk(text: str) -> bytes:
    payload = {
        "id": "c1",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "m",
        "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}],
    }
    return f"data: {json.dumps(payload)}\n\n".encode()


Script = Callable[["Handler"], None]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    script: Script
    hung_up: threading.Event

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            self.script(self)
        except OSError:  # the client hung up while we wrote
            self.hung_up.set()

    def start(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()

    def write(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def finish_body(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def wait(self, seconds: float) -> bool:
        """Sleep, returning False early (and recording it) if the client hangs up."""
        sock = self.connection
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            readable, _, _ = select.select([sock], [], [], left)
            if readable and not sock.recv(1, socket.MSG_PEEK):
                self.hung_up.set()
                return False
        return True


@pytest.fixture
def serve() -> Iterator[Callable[[Script], Tuple[Client, threading.Event]]]:
    servers: List[http.server.ThreadingHTTPServer] = []

    def start(script: Script) -> Tuple[Client, threading.Event]:
        hung_up = threading.Event()
        handler = type("H", (Handler,), {"script": staticmethod(script), "hung_up": hung_up})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/v1"
        return Client(base_url=base, api_key="sk-test", max_retries=0), hung_up

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def open_stream(client: Client, timeout: Optional[Timeout] = None) -> ChatCompletionStream:
    builder = client.chat().completions().create().model("m").message_user("hi")
    if timeout is not None:
        builder = builder.timeout(timeout)
    return builder.stream()


def assert_near(elapsed: float, deadline: float) -> None:
    assert deadline - 0.02 <= elapsed <= deadline + LATE, f"{elapsed:.3f} s for {deadline} s"


@pytest.mark.timeout(10)
def test_no_first_event_raises_first_byte_timeout_and_closes(serve: Any) -> None:
    def script(h: Handler) -> None:
        h.start()
        h.wait(8)

    client, hung_up = serve(script)
    started = time.monotonic()
    with pytest.raises(StreamTimeoutError) as info:
        open_stream(client, Timeout(read=8, stream_first_byte=0.5))
    assert_near(time.monotonic() - started, 0.5)
    err = info.value
    assert (err.deadline, err.seconds, err.events_received) == ("first_byte", 0.5, 0)
    assert isinstance(err, APITimeoutError)
    assert "stream_first_byte" in str(err)
    assert hung_up.wait(2)


@pytest.mark.timeout(10)
def test_no_response_headers_time_out_at_the_first_byte_deadline(serve: Any) -> None:
    def script(h: Handler) -> None:
        h.wait(8)

    client, hung_up = serve(script)
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        open_stream(client, Timeout(read=8, stream_first_byte=0.5))
    assert_near(time.monotonic() - started, 0.5)
    assert hung_up.wait(2)


@pytest.mark.timeout(10)
def test_silence_after_events_raises_idle_timeout_with_what_arrived(serve: Any) -> None:
    def script(h: Handler) -> None:
        h.start()
        h.write(chunk("a"))
        h.write(chunk("b"))
        h.wait(8)

    client, hung_up = serve(script)
    stream = open_stream(client, Timeout(read=8, stream_idle=0.5))
    received = []
    with pytest.raises(StreamTimeoutError) as info:
        for item in stream:
            received.append(item.choices[0].delta.content)
            last = time.monotonic()
    assert_near(time.monotonic() - last, 0.5)
    err = info.value
    assert (err.deadline, err.events_received) == ("idle", 2)
    assert received == ["a", "b"]
    assert err.stream is stream
    assert stream.current_completion().choices[0].message.content == "ab"
    assert hung_up.wait(2)


@pytest.mark.timeout(10)
def test_keepalive_comments_do_not_reset_the_idle_deadline(serve: Any) -> None:
    def script(h: Handler) -> None:
        h.start()
        h.write(chunk("a"))
        for n in range(80):
            h.write(b": ping\n\n" if n % 2 else b"data: : keepalive\n\n")
            if not h.wait(0.1):
                return

    client, hung_up = serve(script)
    stream = open_stream(client, Timeout(read=8, stream_idle=0.6))
    started = time.monotonic()
    with pytest.raises(StreamTimeoutError) as info:
        stream.until_done()
    assert_near(time.monotonic() - started, 0.6)
    assert (info.value.deadline, info.value.events_received) == ("idle", 1)
    assert hung_up.wait(2)


@pytest.mark.timeout(10)
def test_idle_deadline_defaults_to_the_read_timeout_despite_keepalives(serve: Any) -> None:
    def script(h: Handler) -> None:
        h.start()
        h.write(chunk("a"))
        for _ in range(80):
            h.write(b": ping\n\n")
            if not h.wait(0.1):
                return

    client, hung_up = serve(script)
    stream = open_stream(client, Timeout(read=0.6))
    started = time.monotonic()
    with pytest.raises(StreamTimeoutError) as info:
        stream.until_done()
    assert_near(time.monotonic() - started, 0.6)
    assert (info.value.deadline, info.value.seconds) == ("idle", 0.6)
    assert hung_up.wait(2)


@pytest.mark.timeout(10)
def test_total_deadline_fires_while_events_keep_flowing(serve: Any) -> None:
    def script(h: Handler) -> None:
        h.start()
        for _ in range(80):
            h.write(chunk("x"))
            if not h.wait(0.1):
                return

    client, hung_up = serve(script)
    started = time.monotonic()
    stream = open_stream(client, Timeout(read=8, stream_idle=0.5, stream_total=1.0))
    with pytest.raises(StreamTimeoutError) as info:
        stream.until_done()
    assert_near(time.monotonic() - started, 1.0)
    err = info.value
    assert err.deadline == "total"
    assert 5 <= err.events_received <= 12
    assert stream.current_completion().choices[0].message.content == "x" * err.events_received
    assert hung_up.wait(2)


@pytest.mark.timeout(10)
def test_client_wide_stream_deadlines_apply_to_every_stream(serve: Any) -> None:
    def script(h: Handler) -> None:
        h.start()
        h.write(chunk("a"))
        h.wait(8)

    client, hung_up = serve(script)
    client = client.with_options(timeout=Timeout(read=8, stream_idle=0.5))
    stream = open_stream(client)
    started = time.monotonic()
    with pytest.raises(StreamTimeoutError):
        stream.until_done()
    assert_near(time.monotonic() - started, 0.5)
    assert hung_up.wait(2)


@pytest.mark.timeout(10)
def test_streams_within_their_deadlines_are_unaffected(serve: Any) -> None:
    def script(h: Handler) -> None:
        h.start()
        for text in "hello":
            h.write(chunk(text))
            h.write(b": ping\n\n")
            h.wait(0.05)
        h.write(b"data: [DONE]\n\n")
        h.finish_body()

    client, _ = serve(script)
    with open_stream(client, Timeout(read=1, stream_idle=0.5, stream_total=5)) as stream:
        completion = stream.final_completion()
    assert completion.choices[0].message.content == "hello"


def test_stream_deadlines_are_validated_and_coerce_keeps_their_defaults() -> None:
    with pytest.raises(ValueError, match="stream_idle"):
        Timeout(stream_idle=0)
    with pytest.raises(TypeError, match="stream_total"):
        Timeout(stream_total="10")  # type: ignore[arg-type]
    timeout = Timeout.coerce((2, 30))
    assert (timeout.stream_first_byte, timeout.stream_idle, timeout.stream_total) == (
        None,
        None,
        None,
    )
    assert Timeout.coerce(30).as_tuple() == (5.0, 30.0)


def test_stream_timeout_error_is_an_api_timeout_error() -> None:
    err = StreamTimeoutError("late", deadline="idle", seconds=1.0, events_received=3)
    assert isinstance(err, APITimeoutError)
    assert err.stream is None
    assert err.events_received == 3


@pytest.mark.timeout(10)
def test_responses_stream_output_text_stays_readable_after_an_idle_timeout(serve: Any) -> None:
    def delta(text: str, n: int) -> bytes:
        event = {
            "type": "response.output_text.delta",
            "item_id": "msg_1",
            "output_index": 0,
            "content_index": 0,
            "delta": text,
            "sequence_number": n,
        }
        return f"data: {json.dumps(event)}\n\n".encode()

    def script(h: Handler) -> None:
        h.start()
        h.write(delta("Hel", 1) + delta("lo", 2))
        h.wait(8)

    client, hung_up = serve(script)
    builder = client.responses().create().model("m").input_text("hi")
    stream = builder.timeout(Timeout(read=8, stream_idle=0.5)).stream()
    with pytest.raises(StreamTimeoutError) as info:
        stream.until_done()
    assert info.value.stream is stream
    assert (stream.output_text, stream.last_sequence_number) == ("Hello", 2)
    assert hung_up.wait(2)


class FakeSocket:
    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.calls = 0

    def gettimeout(self) -> float:
        return self.timeout

    def settimeout(self, value: float) -> None:
        self.calls += 1
        self.timeout = value


def guarded(timeout: Timeout, chunks: int) -> FakeSocket:
    """Run ``chunks`` events through a guard over a fake socket; return the socket."""
    from openai_core._deadlines import StreamDeadlines, first_read_timeout

    sock = FakeSocket(first_read_timeout(timeout)[1])
    response: Any = type("R", (), {})()
    response.raw = type("Raw", (), {"_connection": type("C", (), {"sock": sock})()})()
    deadlines = StreamDeadlines(timeout, time.monotonic())
    for _ in deadlines.guard(response, iter([b"x"] * chunks)):
        deadlines.event()
    return sock


def test_fast_events_set_no_socket_timeout_with_the_defaults() -> None:
    assert guarded(Timeout(), 10_000).calls == 0


def test_a_shorter_idle_deadline_sets_the_socket_timeout_once_for_fast_events() -> None:
    sock = guarded(Timeout(read=600, stream_idle=30), 10_000)
    assert sock.calls == 1
    assert 30 <= sock.timeout <= 30.05
