"""Client under load and across process boundaries: threads, fork, multiprocessing, pickling,
and memory that stays flat over many requests and streams.

Every test talks to a ``ThreadingHTTPServer`` on 127.0.0.1 that the test starts; the server
records which client port (so which pooled connection) served each request, and for whom.
"""

from __future__ import annotations

import gc
import http.server
import json
import multiprocessing
import os
import pickle
import socket
import threading
import time
import tracemalloc
from typing import Any, Dict, Iterator, List, Optional, Set, Tuple

import pytest

from openai_core import Client

pytestmark = pytest.mark.timeout(120)

MODELS_OK = {"object": "list", "data": [{"id": "m", "object": "model", "created": 0}]}


def _chunk(i: int) -> bytes:
    payload = {
        "id": "c",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "m",
        "choices": [{"index": 0, "delta": {"content": f"t{i}"}, "finish_reason": None}],
    }
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


SSE_BODY = b"".join(_chunk(i) for i in range(20)) + b"data: [DONE]\n\n"


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.hits = 0
        self.ports: Dict[str, Set[int]] = {}


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without NODELAY each response waits ~40 ms
        # for the client's delayed ACK.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _record(self) -> None:
        who = self.headers.get("X-Who", "parent")
        with self.server.lock:
            self.server.hits += 1
            self.server.ports.setdefault(who, set()).add(self.client_address[1])

    def _reply(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._record()
        self._reply(json.dumps(MODELS_OK).encode(), "application/json")

    def do_POST(self) -> None:
        self._record()
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self._reply(SSE_BODY, "text/event-stream")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Tuple[_Server, str]]:
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    host, port = srv.server_address[:2]
    try:
        yield srv, f"http://{host}:{port}/v1"
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def _list(client: Client) -> str:
    return client.models().list().send().data[0].id


def _stream(client: Client) -> int:
    with client.chat().completions().create().model("m").message_user("hi").stream() as stream:
        return sum(1 for _ in stream)


# -- load --------------------------------------------------------------------------------------


def test_sixteen_threads_share_one_client_with_a_bounded_pool(
    server: Tuple[_Server, str],
) -> None:
    srv, base_url = server
    client = Client(base_url=base_url, timeout=10, max_retries=0, pool_maxsize=16)
    errors: List[BaseException] = []
    counts: List[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(16, timeout=10)

    def work() -> None:
        done = 0
        try:
            barrier.wait()
            for _ in range(500):
                if _list(client) == "m":
                    done += 1
        except BaseException as exc:
            with lock:
                errors.append(exc)
        with lock:
            counts.append(done)

    threads = [threading.Thread(target=work) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(100)
    try:
        assert not any(t.is_alive() for t in threads)
        assert errors == []
        assert sum(counts) == srv.hits == 16 * 500
        # Connections are reused: the server saw at most a couple of pool-fulls of client ports.
        assert len(srv.ports["parent"]) <= 16 * 2
    finally:
        client.close()


# -- fork and multiprocessing -----------------------------------------------------------------


def _child_work(client: Client, parent_session_id: int, results: Any) -> None:
    """Runs in a forked child: report whether it got a new session and its requests worked."""
    try:
        child = client.with_options(default_headers={"X-Who": "child"})
        fresh = id(client._transport.session) != parent_session_id
        ok = all(_list(child) == "m" for _ in range(20))
        results.put((fresh, ok, None))
    except BaseException as exc:  # pragma: no cover - reported to the parent
        results.put((False, False, repr(exc)))


def _wait(pid: int, seconds: float) -> Optional[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.02)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return None


def _parent_keeps_working(client: Client, stop: threading.Event, errors: List[str]) -> int:
    """Send requests from the parent until ``stop``; return how many succeeded."""
    done = 0
    while not stop.is_set():
        try:
            if _list(client) == "m":
                done += 1
        except BaseException as exc:  # pragma: no cover - reported by the assertion
            errors.append(repr(exc))
            return done
    return done


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is not available")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_os_fork_child_uses_fresh_connections_while_the_parent_keeps_working(
    server: Tuple[_Server, str],
) -> None:
    srv, base_url = server
    client = Client(base_url=base_url, timeout=5, max_retries=0)
    assert _list(client) == "m"
    parent_session = client._transport.session
    before = set(srv.ports["parent"])
    read_fd, write_fd = os.pipe()

    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 1
        try:
            os.close(read_fd)
            child = client.with_options(default_headers={"X-Who": "child"})
            fresh = client._transport.session is not parent_session
            ok = all(_list(child) == "m" for _ in range(20))
            code = 0 if fresh and ok else 2
        except BaseException:
            code = 3
        finally:
            os._exit(code)
    os.close(write_fd)
    stop = threading.Event()
    errors: List[str] = []
    counter: List[int] = []
    worker = threading.Thread(
        target=lambda: counter.append(_parent_keeps_working(client, stop, errors))
    )
    worker.start()
    try:
        assert _wait(pid, 30) == 0
    finally:
        stop.set()
        worker.join(10)
        os.close(read_fd)
    assert errors == [] and counter[0] > 0
    assert _list(client) == "m"  # after the child has exited too
    assert client._transport.session is parent_session
    assert srv.ports["child"] and not srv.ports["child"] & srv.ports["parent"]
    assert before <= srv.ports["parent"]
    client.close()


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork start method"
)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_multiprocessing_fork_child_uses_a_new_session(server: Tuple[_Server, str]) -> None:
    srv, base_url = server
    client = Client(base_url=base_url, timeout=5, max_retries=0)
    assert _list(client) == "m"
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    process = context.Process(
        target=_child_work, args=(client, id(client._transport.session), results)
    )
    stop = threading.Event()
    errors: List[str] = []
    counter: List[int] = []
    worker = threading.Thread(
        target=lambda: counter.append(_parent_keeps_working(client, stop, errors))
    )
    worker.start()
    try:
        process.start()
        fresh, ok, error = results.get(timeout=30)
        process.join(30)
    finally:
        stop.set()
        worker.join(10)
    assert (fresh, ok, error) == (True, True, None)
    assert process.exitcode == 0
    assert errors == [] and counter[0] > 0
    assert _list(client) == "m"
    assert srv.ports["child"] and not srv.ports["child"] & srv.ports["parent"]
    client.close()


# -- pickling ---------------------------------------------------------------------------------


def _module_level_key() -> str:
    return "sk-from-a-function"


def test_pickled_client_keeps_its_settings_and_opens_its_own_connections(
    server: Tuple[_Server, str],
) -> None:
    _, base_url = server
    client = Client(base_url=base_url, api_key="sk-x", timeout=5, max_retries=0)
    assert _list(client) == "m"
    copy = pickle.loads(pickle.dumps(client))
    assert copy.config == client.config
    assert copy._transport is not client._transport
    assert copy._transport.session is not client._transport.session
    assert _list(copy) == "m"
    assert _list(client) == "m"
    client.close()
    copy.close()


def test_pickling_keeps_a_module_level_key_function() -> None:
    client = Client(base_url="http://127.0.0.1:9/v1", api_key=_module_level_key)
    copy = pickle.loads(pickle.dumps(client))
    assert copy._auth_headers() == {"Authorization": "Bearer sk-from-a-function"}


def test_pickling_a_lambda_key_says_so() -> None:
    client = Client(base_url="http://127.0.0.1:9/v1", api_key=lambda: "sk-x")
    with pytest.raises(TypeError, match=r"cannot be pickled.*key or token callable"):
        pickle.dumps(client)


def test_pickling_a_client_with_its_own_session_says_so() -> None:
    import requests

    client = Client(base_url="http://127.0.0.1:9/v1", session=requests.Session())
    with pytest.raises(TypeError, match=r"session=\.\.\. cannot be pickled"):
        pickle.dumps(client)


# -- memory ------------------------------------------------------------------------------------


def _traced() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def test_memory_stays_flat_over_requests_and_streams(server: Tuple[_Server, str]) -> None:
    _, base_url = server
    client = Client(base_url=base_url, timeout=10, max_retries=0)
    tracemalloc.start()
    try:
        for _ in range(50):  # warm-up: caches, converters, pooled connection
            _list(client)
            _stream(client)
        baseline = _traced()
        for _ in range(600):
            _list(client)
        after_requests = _traced()
        for _ in range(100):
            assert _stream(client) == 20
        after_streams = _traced()
    finally:
        tracemalloc.stop()
        client.close()
    # A leak of one small object per call would add tens of KB here; allow noise only
    # (benchmarks/memory_growth.py measures 10,000 requests and 1,000 streams).
    assert after_requests - baseline < 32 * 1024, (baseline, after_requests)
    assert after_streams - after_requests < 32 * 1024, (after_requests, after_streams)
