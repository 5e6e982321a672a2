"""Hedged requests (``builder.hedged()``) against a real threaded HTTP server on 127.0.0.1.

The server answers each request by its arrival order from a plan: a delay before the answer (or,
for a stream, before its first event), a status and whether to stream. While it waits it watches
the socket, so it records the moment a client shuts a connection down: that is how the tests see
a losing leg cancelled, not merely ignored.
"""

from __future__ import annotations

import json
import math
import select
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import attrs
import pytest

from openai_core import BadRequestError, Client, InternalServerError
from openai_core import _hedging as hedging

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_faults import assert_no_leaked_connections

pytestmark = pytest.mark.timeout(30)


@attrs.define
class Step:
    """How the server answers one request: wait ``delay`` seconds, then ``status``."""

    delay: float = 0.0
    status: int = 200
    stream: bool = False


@attrs.define
class Seen:
    index: int
    path: str
    headers: Dict[str, str]
    arrived: float
    disconnected: Optional[float] = None
    answered: Optional[float] = None


class HedgeServer:
    """A ``ThreadingHTTPServer`` answering request ``n`` by ``plan[n]`` (default: at once)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.plan: List[Step] = []
        self.seen: List[Seen] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                outer.handle(self)

            def do_POST(self) -> None:
                outer.handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def reset(self, *plan: Step) -> None:
        with self.lock:
            self.plan = list(plan)
            self.seen = []

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        if length:
            handler.rfile.read(length)
        with self.lock:
            index = len(self.seen)
            step = self.plan[index] if index < len(self.plan) else Step()
            seen = Seen(index, handler.path, dict(handler.headers), time.monotonic())
            self.seen.append(seen)
        sock = handler.connection
        if step.stream:
            handler.send_response(200)
            handler.send_header("Content-Type", "text/event-stream")
            handler.send_header("Connection", "close")
            handler.end_headers()
            handler.wfile.flush()
            handler.close_connection = True
        if step.delay and not self.wait(sock, step.delay, seen):
            handler.close_connection = True
            return
        try:
            if step.stream:
                for n in range(3):
                    chunk = {
                        "id": f"leg-{index}",
                        "object": "chat.completion.chunk",
                        "created": 1,
                        "model": "m",
                        "choices": [
                            {
                                "index": 0,
                                "delta": {"content": f"{index}.{n}"},
                                "finish_reason": None,
                            }
                        ],
                    }
                    handler.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
                handler.wfile.write(b"data: [DONE]\n\n")
                handler.wfile.flush()
            else:
                self.answer(handler, index, step.status)
            seen.answered = time.monotonic()
        except OSError:
            seen.disconnected = time.monotonic()
            handler.close_connection = True

    def answer(self, handler: BaseHTTPRequestHandler, index: int, status: int) -> None:
        if status >= 400:
            payload: Dict[str, Any] = {
                "error": {"message": f"failed leg {index}", "type": "x", "code": None}
            }
        elif "/models" in handler.path:
            payload = {"object": "list", "data": [{"id": f"leg-{index}", "object": "model"}]}
        else:
            payload = {
                "id": f"leg-{index}",
                "object": "chat.completion",
                "created": 1,
                "model": "m",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": f"leg-{index}"},
                        "finish_reason": "stop",
                    }
                ],
            }
        body = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("x-request-id", f"req-{index}")
        handler.end_headers()
        handler.wfile.write(body)
        handler.wfile.flush()

    @staticmethod
    def wait(sock: socket.socket, delay: float, seen: Seen) -> bool:
        """Wait ``delay`` seconds; False (and the time noted) if the client disconnects first."""
        end = time.monotonic() + delay
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return True
            readable, _, _ = select.select([sock], [], [], min(left, 0.02))
            if readable:
                try:
                    # The TCP socket's own recv: an SSLSocket refuses flags.
                    data = socket.socket.recv(sock, 1, socket.MSG_PEEK)
                except OSError:
                    data = b""
                if not data:
                    seen.disconnected = time.monotonic()
                    return False

    def count(self) -> int:
        with self.lock:
            return len(self.seen)


@pytest.fixture(scope="module")
def server() -> Iterator[HedgeServer]:
    srv = HedgeServer()
    srv.reset(Step(), Step(stream=True))
    warm = Client(base_url=srv.url, max_retries=0)  # first-call imports and decoders, not timed
    chat(warm).send()
    with chat(warm).stream() as stream:
        list(stream)
    warm.close()
    yield srv
    srv.close()


@pytest.fixture
def client(server: HedgeServer) -> Iterator[Client]:
    server.reset()
    client = Client(base_url=server.url, max_retries=0, timeout=10)
    yield client
    client.close()


def chat(client: Client) -> Any:
    return client.chat().completions().create().model("m").message_user("hi")


def wait_until(condition: Any, limit: float = 2.0) -> bool:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return bool(condition())


def settled(client: Client) -> None:
    """Every leg's thread has ended (promptly) and no connection leaked."""
    assert wait_until(lambda: hedging.active_legs() == 0, 1.0)
    assert_no_leaked_connections(client)


def idempotency_keys(server: HedgeServer) -> List[Optional[str]]:
    return [seen.headers.get("Idempotency-Key") for seen in server.seen]


# -- the duplicate wins ---------------------------------------------------------------------------


def test_slow_first_leg_loses_to_the_duplicate_and_is_cancelled(
    server: HedgeServer, client: Client
) -> None:
    server.reset(Step(delay=3.0), Step())
    started = time.monotonic()
    result = chat(client).hedged(after=0.3).send_with_meta()
    elapsed = time.monotonic() - started

    assert result.data.choices[0].message.content == "leg-1"
    assert 0.3 <= elapsed < 1.5  # after + a fast answer, far below the 3 s of the slow leg
    assert result.meta.hedged_legs == 2
    assert result.meta.winning_leg == 1
    assert result.meta.attempts == 1
    assert result.meta.request_id == "req-1"
    # The losing leg's socket was shut down: the server sees the disconnect at once.
    assert wait_until(lambda: server.seen[0].disconnected is not None, 1.0)
    assert server.seen[0].disconnected is not None
    assert server.seen[0].disconnected - started < 1.5
    assert server.seen[0].answered is None
    assert wait_until(lambda: hedging.active_legs() == 0, 0.5)  # its worker thread ended
    assert server.count() == 2
    keys = idempotency_keys(server)
    assert keys[0] and keys[0].startswith("openai-core-")
    assert keys[0] == keys[1]
    settled(client)


def test_fast_first_answer_sends_no_duplicate(server: HedgeServer, client: Client) -> None:
    server.reset(Step(delay=0.05))
    result = chat(client).hedged(after=0.3).send_with_meta()
    assert result.data.choices[0].message.content == "leg-0"
    assert (result.meta.hedged_legs, result.meta.winning_leg) == (1, 0)
    time.sleep(0.5)  # well past ``after``: still one request
    assert server.count() == 1
    assert hedging.active_legs() == 0
    settled(client)


def test_up_to_max_extra_duplicates_each_after_the_previous(
    server: HedgeServer, client: Client
) -> None:
    server.reset(Step(delay=3.0), Step(delay=3.0), Step(), Step())
    started = time.monotonic()
    result = chat(client).hedged(after=0.2, max_extra=3).send_with_meta()
    elapsed = time.monotonic() - started
    assert result.data.choices[0].message.content == "leg-2"
    assert 0.4 <= elapsed < 1.5
    assert (result.meta.hedged_legs, result.meta.winning_leg) == (3, 2)
    time.sleep(0.3)  # the fourth leg (due at 0.6 s) is never sent
    assert server.count() == 3
    arrivals = [seen.arrived - started for seen in server.seen]
    assert arrivals[1] >= 0.2 and arrivals[2] >= 0.4
    assert wait_until(lambda: all(server.seen[i].disconnected for i in (0, 1)), 1.0)
    assert len(set(idempotency_keys(server))) == 1
    assert wait_until(lambda: hedging.active_legs() == 0, 0.5)
    settled(client)


def test_a_failing_leg_lets_the_others_continue(server: HedgeServer, client: Client) -> None:
    server.reset(Step(delay=0.4, status=500), Step(delay=0.4))
    result = chat(client).hedged(after=0.2).send_with_meta()
    assert result.data.choices[0].message.content == "leg-1"
    assert (result.meta.hedged_legs, result.meta.winning_leg) == (2, 1)
    assert server.count() == 2
    settled(client)


def test_send_raw_is_hedged(server: HedgeServer, client: Client) -> None:
    server.reset(Step(delay=3.0), Step())
    started = time.monotonic()
    response = chat(client).hedged(after=0.2).send_raw()
    assert time.monotonic() - started < 1.5
    assert response.json()["id"] == "leg-1"
    assert wait_until(lambda: server.seen[0].disconnected is not None, 1.0)
    settled(client)


def test_binary_responses_are_hedged(server: HedgeServer, client: Client) -> None:
    server.reset(Step(delay=3.0), Step())
    result = client.files().content("file-1").hedged(after=0.2).send_with_meta()
    assert json.loads(result.data.content)["id"] == "leg-1"
    assert (result.meta.hedged_legs, result.meta.winning_leg) == (2, 1)
    assert wait_until(lambda: server.seen[0].disconnected is not None, 1.0)
    settled(client)


def test_get_is_hedged_without_an_idempotency_key(server: HedgeServer, client: Client) -> None:
    server.reset(Step(delay=3.0), Step())
    page = client.models().list().hedged(after=0.2).send()
    assert page.data[0].id == "leg-1"
    assert idempotency_keys(server) == [None, None]


def test_a_caller_key_is_shared_and_keys_can_be_off(server: HedgeServer, client: Client) -> None:
    server.reset(Step(delay=3.0), Step())
    chat(client).header("Idempotency-Key", "mine").hedged(after=0.2).send()
    assert idempotency_keys(server) == ["mine", "mine"]
    no_keys = Client(base_url=server.url, max_retries=0, idempotency_keys=False)
    server.reset(Step(delay=3.0), Step())
    chat(no_keys).hedged(after=0.2).send()
    assert idempotency_keys(server) == [None, None]
    no_keys.close()


# -- every leg fails ------------------------------------------------------------------------------


def test_all_legs_failing_raise_the_first_legs_error(server: HedgeServer, client: Client) -> None:
    # Leg 1 fails first (404 at 0.2 s), leg 0 last (400 at 0.5 s): leg 0's error is raised.
    server.reset(Step(delay=0.5, status=400), Step(status=404))
    with pytest.raises(BadRequestError) as info:
        chat(client).hedged(after=0.2).send()
    assert "failed leg 0" in str(info.value)
    assert server.count() == 2
    assert hedging.active_legs() == 0
    settled(client)


def test_a_fast_failure_sends_no_duplicate(server: HedgeServer, client: Client) -> None:
    server.reset(Step(status=400))
    started = time.monotonic()
    with pytest.raises(BadRequestError):
        chat(client).hedged(after=1.0).send()
    assert time.monotonic() - started < 0.8  # raised at once, not after ``after``
    time.sleep(1.2)
    assert server.count() == 1


def test_retries_apply_to_the_whole_hedged_call(server: HedgeServer) -> None:
    server.reset(Step(delay=0.4, status=500), Step(status=500), Step())
    client = Client(base_url=server.url, max_retries=1, timeout=10)
    sleeps: List[float] = []
    client._sleep = sleeps.append
    result = chat(client).hedged(after=0.2).send_with_meta()
    assert result.data.choices[0].message.content == "leg-2"
    assert result.meta.attempts == 2  # round 1: two legs failed; round 2: the original won
    assert (result.meta.hedged_legs, result.meta.winning_leg) == (1, 0)
    assert len(sleeps) == 1  # one backoff, on the caller's thread
    assert server.count() == 3
    assert len(set(idempotency_keys(server))) == 1  # one logical call, one key
    client.close()


def test_retries_exhausted_raise_the_first_legs_error(server: HedgeServer) -> None:
    server.reset(*[Step(status=500)] * 4)
    client = Client(base_url=server.url, max_retries=2, timeout=10)
    client._sleep = lambda seconds: None
    with pytest.raises(InternalServerError):
        chat(client).hedged(after=0.2).send()
    assert server.count() == 3  # each leg 0 failed at once: no duplicate, three rounds
    client.close()


# -- streams --------------------------------------------------------------------------------------


def test_stream_is_hedged_until_the_first_event(server: HedgeServer, client: Client) -> None:
    # Leg 0 sends its headers at once but no event for 2 s; leg 1 streams at once.
    server.reset(Step(delay=3.0, stream=True), Step(stream=True))
    started = time.monotonic()
    with chat(client).hedged(after=0.3).stream() as stream:
        texts = [chunk.choices[0].delta.content for chunk in stream]
    assert texts == ["1.0", "1.1", "1.2"]
    assert time.monotonic() - started < 1.5
    assert wait_until(lambda: server.seen[0].disconnected is not None, 1.0)
    assert server.count() == 2
    assert wait_until(lambda: hedging.active_legs() == 0, 0.5)
    settled(client)


def test_fast_stream_sends_no_duplicate(server: HedgeServer, client: Client) -> None:
    server.reset(Step(stream=True))
    with chat(client).hedged(after=0.3).stream() as stream:
        texts = [chunk.choices[0].delta.content for chunk in stream]
    assert texts == ["0.0", "0.1", "0.2"]
    time.sleep(0.4)
    assert server.count() == 1
    settled(client)


# -- adaptive mode --------------------------------------------------------------------------------


def test_adaptive_delay_follows_the_percentile_after_enough_samples(
    server: HedgeServer, client: Client
) -> None:
    builder = chat(client).hedged(after="p95")
    policy = builder._hedge
    operation = builder._hedging()[1]
    assert policy.percentile == 95.0 and policy.after is None
    assert policy.delay(client, operation) == hedging.ADAPTIVE_DEFAULT_AFTER
    for _ in range(hedging.ADAPTIVE_MIN_SAMPLES - 1):
        builder.send()
    assert policy.delay(client, operation) == hedging.ADAPTIVE_DEFAULT_AFTER  # 19 samples
    builder.send()
    samples = sorted(hedging.latency_window(client, operation)._samples)
    assert len(samples) == hedging.ADAPTIVE_MIN_SAMPLES
    expected = max(hedging.ADAPTIVE_MIN_AFTER, samples[math.ceil(0.95 * len(samples)) - 1])
    delay = policy.delay(client, operation)
    assert delay == expected < 0.5
    # Now a slow call is hedged after the learnt delay, not the 1 s default.
    server.reset(Step(delay=3.0), Step())
    started = time.monotonic()
    result = builder.send_with_meta()
    assert time.monotonic() - started < 0.9  # not the 1 s default
    assert result.meta.winning_leg == 1
    # Other operations and other clients keep their own windows.
    assert hedging.latency_window(client, ("POST", "embeddings")).percentile(95) is None
    other = Client(base_url=server.url)
    assert policy.delay(other, operation) == hedging.ADAPTIVE_DEFAULT_AFTER


def test_latency_window_is_a_bounded_ring_with_nearest_rank_percentiles() -> None:
    window = hedging.LatencyWindow()
    for value in range(1, 20):
        window.add(float(value))
    assert window.percentile(95) is None  # fewer than ADAPTIVE_MIN_SAMPLES
    window.add(20.0)
    assert window.percentile(95) == 19.0
    assert window.percentile(50) == 10.0
    assert window.percentile(99.9) == 20.0
    for value in range(1000):
        window.add(1000.0 + value)
    assert len(window) == hedging.ADAPTIVE_WINDOW
    assert window.percentile(1) == 1900.0


# -- validation and plumbing ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("after", "message"),
    [
        (0, "positive, finite"),
        (-1.0, "positive, finite"),
        (float("nan"), "positive, finite"),
        (float("inf"), "positive, finite"),
        ("p0", "percentile such as 'p95'"),
        ("p100", "percentile such as 'p95'"),
        ("p95.", "percentile such as 'p95'"),
        ("fast", "percentile such as 'p95'"),
        (True, r"hedged\(after=...\) must be a positive number"),
        (None, r"hedged\(after=...\) must be a positive number"),
    ],
)
def test_after_is_validated(client: Client, after: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        chat(client).hedged(after=after)


@pytest.mark.parametrize("max_extra", [0, 6, -1, 1.5, True, "2"])
def test_max_extra_is_validated(client: Client, max_extra: Any) -> None:
    with pytest.raises(ValueError, match=r"hedged\(max_extra=...\) must be .*from 1 to 5"):
        chat(client).hedged(max_extra=max_extra)


def test_initial_after_is_the_adaptive_delay_until_enough_samples(client: Client) -> None:
    builder = chat(client).hedged(after="p90", initial_after=4)
    assert builder._hedge.delay(client, builder._hedging()[1]) == 4.0
    assert builder._hedge.initial_after == 4.0
    with pytest.raises(ValueError, match=r"initial_after=...\) is the delay of the adaptive"):
        chat(client).hedged(after=0.5, initial_after=2.0)
    for bad in (0, -1, float("inf"), "1", True):
        with pytest.raises(ValueError, match=r"hedged\(initial_after=...\) must be"):
            chat(client).hedged(after="p95", initial_after=bad)


def test_hedged_returns_a_new_builder_and_plain_sends_do_not_hedge(
    server: HedgeServer, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = chat(client)
    hedged = base.hedged(after="p99", max_extra=5)
    assert base._hedge is None
    assert hedged._hedge == hedging.HedgePolicy(after=None, percentile=99.0, max_extra=5)
    assert hedged.build() == base.build()  # hedging is not part of the request

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a plain call went through the hedging module")

    monkeypatch.setattr(hedging, "send", refuse)
    monkeypatch.setattr(hedging, "execute", refuse)
    monkeypatch.setattr(hedging, "open_stream", refuse)
    server.reset(Step(), Step(stream=True))
    result = base.send_with_meta()
    assert (result.meta.hedged_legs, result.meta.winning_leg) == (1, 0)
    with base.stream() as stream:
        list(stream)


def test_a_cancelled_token_refuses_a_connection_and_shuts_an_attached_one() -> None:
    token = hedging.CancelToken()
    a, b = socket.socketpair()
    try:

        @attrs.define
        class Conn:
            sock: Optional[socket.socket]
            _openai_core_cancel: Any = None

        conn = Conn(a)
        token.attach(conn)
        token.cancel()
        assert b.recv(1) == b""  # the peer sees the shutdown
        with pytest.raises(hedging.LegCancelled):
            token.attach(Conn(None))
        token.release(conn)
        assert conn._openai_core_cancel is None
    finally:
        a.close()
        b.close()


def test_a_leg_cancelled_while_connecting_is_shut_once_connected() -> None:
    token = hedging.CancelToken()
    a, b = socket.socketpair()
    try:

        @attrs.define
        class Conn:
            sock: Optional[socket.socket] = None
            _openai_core_cancel: Any = None

        conn = Conn()
        token.attach(conn)  # taken from the pool, not connected yet
        token.cancel()  # nothing to shut down yet
        conn.sock = a
        hedging._after_connect(conn)  # what the pool's connection class does after connect()
        assert b.recv(1) == b""
    finally:
        a.close()
        b.close()


def test_a_cancelled_legs_pool_refuses_the_connection_and_keeps_it() -> None:
    import urllib3

    pool = hedging._HTTPPool("127.0.0.1", 1, maxsize=2)
    token = hedging.CancelToken()
    token.cancel()
    hedging._count(1)  # as while a leg runs
    hedging._local.token = token
    try:
        with pytest.raises(hedging.LegCancelled):
            pool._get_conn()
    finally:
        hedging._local.token = None
        hedging._count(-1)
    assert pool.pool is not None and pool.pool.qsize() == 2  # the slot went back
    assert isinstance(pool, urllib3.HTTPConnectionPool)


def test_concurrent_hedged_calls_share_the_pool_without_leaks(server: HedgeServer) -> None:
    server.reset(*[Step(delay=1.0) if i % 3 == 0 else Step() for i in range(400)])
    client = Client(base_url=server.url, max_retries=0, timeout=10, pool_maxsize=16)
    builder = chat(client).hedged(after=0.1, max_extra=2)
    errors: List[BaseException] = []
    results: List[str] = []

    def worker() -> None:
        try:
            for _ in range(5):
                results.append(builder.send().choices[0].message.content)
        except BaseException as exc:
            errors.append(exc)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert not errors
    assert len(results) == 40 and all(text.startswith("leg-") for text in results)
    assert time.monotonic() - started < 8  # each call well under the 1 s of a slow request
    assert wait_until(lambda: hedging.active_legs() == 0, 2.0)
    settled(client)
    client.close()


def test_https_losers_are_shut_down_too(tmp_path: Path) -> None:
    import shutil
    import ssl
    import subprocess

    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
        timeout=20,
    )
    server = HedgeServer()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
    client = Client(
        base_url=server.url.replace("http://", "https://"),
        max_retries=0,
        timeout=10,
        verify=str(cert),
    )
    try:
        for stream in (False, True):
            server.reset(Step(delay=3.0, stream=stream), Step(stream=stream))
            started = time.monotonic()
            if stream:
                with chat(client).hedged(after=0.3).stream() as events:
                    texts = [event.choices[0].delta.content for event in events]
                    assert texts == ["1.0", "1.1", "1.2"]
            else:
                assert chat(client).hedged(after=0.3).send().id == "leg-1"
            assert time.monotonic() - started < 2.0
            assert wait_until(lambda: server.seen[0].disconnected is not None, 1.0)
            settled(client)
    finally:
        client.close()
        server.close()


def test_a_closed_client_raises_without_sending(server: HedgeServer) -> None:
    from openai_core import APIConnectionError

    client = Client(base_url=server.url)
    client.close()
    server.reset()
    with pytest.raises(APIConnectionError, match="closed"):
        chat(client).hedged(after=0.1).send()
    assert server.count() == 0


def test_responses_from_a_mocked_adapter_are_hedged_too(client: Client) -> None:
    responses = pytest.importorskip("responses")
    with responses.RequestsMock() as mock:
        mock.add(
            responses.POST,
            f"{client.base_url}/chat/completions",
            json={
                "id": "x",
                "object": "chat.completion",
                "created": 1,
                "model": "m",
                "choices": [],
            },
        )
        result = chat(client).hedged(after=0.5).send_with_meta()
    assert result.data.id == "x"
    assert (result.meta.hedged_legs, result.meta.winning_leg) == (1, 0)
