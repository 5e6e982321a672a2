"""The transport's direct path (urllib3 pool, no ``HTTPAdapter.send``) and connection reuse.

A plain ``HTTPAdapter`` without a proxy is driven through its urllib3 pool; anything else (an
adapter subclass, a patched ``HTTPAdapter.send`` as the ``responses`` library does, a proxy) goes
through the adapter. Both must hand back the same ``requests.Response``. Streams ended by
``data: [DONE]`` give their connection back to the pool when the body ends at once, with
``Content-Length`` or chunked encoding; a server that keeps the stream open gets its connection
closed after a short grace period.

Every test talks to a stdlib HTTP/1.1 server on 127.0.0.1 that it starts itself; the server
counts the TCP connections it accepted.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import requests
import requests.adapters
import responses

from openai_core import APIConnectionError, APITimeoutError, Client

pytestmark = pytest.mark.timeout(60)

COMPLETION = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "hello"},
            "finish_reason": "stop",
        }
    ],
}


def _event(text: str) -> bytes:
    chunk = {
        "id": "c",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "m",
        "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}],
    }
    return b"data: " + json.dumps(chunk).encode() + b"\n\n"


FRAMES = [_event(f"t{i}") for i in range(5)] + [b"data: [DONE]\n\n"]


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.connections = 0
        self.requests: List[Dict[str, str]] = []
        self.mode = "length"  # how streams are served: length, chunked, open
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        with self.server.lock:
            self.server.requests.append(dict(self.headers))
        if not body.get("stream"):
            data = json.dumps(COMPLETION).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Set-Cookie", "session=abc; Path=/")
            self.send_header("x-request-id", "req_1")
            self.end_headers()
            self.wfile.write(data)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        if self.server.mode == "length":
            data = b"".join(FRAMES)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for frame in FRAMES:  # one event per chunk, one write each
            self.wfile.write(b"%x\r\n%s\r\n" % (len(frame), frame))
            self.wfile.flush()
        if self.server.mode == "open":  # keep the stream open past [DONE]
            self.server.release.wait(10)
        self.wfile.write(b"0\r\n\r\n")


@pytest.fixture()
def server() -> Iterator[_Server]:
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.release.set()
        srv.shutdown()
        srv.server_close()


def _chat(client: Client) -> Any:
    return client.chat().completions().create().model("m").message_user("hi")


def _adapter_sends(monkeypatch: pytest.MonkeyPatch) -> List[int]:
    """Count calls of ``HTTPAdapter.send`` (patching it, as mocking libraries do)."""
    calls: List[int] = []
    original = requests.adapters.HTTPAdapter.send

    def send(self: requests.adapters.HTTPAdapter, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)
    return calls


def test_a_plain_adapter_is_driven_through_its_pool(server: _Server) -> None:
    adapter = requests.adapters.HTTPAdapter(max_retries=0)
    sent: List[int] = []
    # An instance attribute: the class's send is untouched, so the direct path must not use it.
    adapter.send = lambda *a, **k: sent.append(1)  # type: ignore[method-assign]
    session = requests.Session()
    session.mount("http://", adapter)
    client = Client(api_key="k", base_url=server.url, session=session, max_retries=0)
    for _ in range(3):
        assert _chat(client).send().choices[0].message.content == "hello"
    assert sent == []
    assert server.connections == 1  # kept alive through the adapter's own pool
    assert len(adapter.poolmanager.pools) == 1


def test_direct_and_adapter_paths_build_the_same_response(
    server: _Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client(api_key="k", base_url=server.url, max_retries=0)
    direct = _chat(client).send_raw()
    calls = _adapter_sends(monkeypatch)
    via_adapter = _chat(client).send_raw()
    assert calls == [1]

    def shape(response: requests.Response) -> Tuple[Any, ...]:
        return (
            response.status_code,
            response.reason,
            response.url,
            response.encoding,
            dict(response.headers),
            response.cookies.get_dict(),
            response.json(),
            response.request.method,
            response.request.url,
            response.request.headers["content-type"],
            type(response.connection).__name__,
        )

    assert shape(direct)[:4] == shape(via_adapter)[:4]
    assert {k: v for k, v in shape(direct)[4].items() if k != "Date"} == {
        k: v for k, v in shape(via_adapter)[4].items() if k != "Date"
    }
    assert shape(direct)[5:] == shape(via_adapter)[5:]
    assert direct.cookies.get_dict() == {"session": "abc"}
    assert direct.headers["X-REQUEST-ID"] == "req_1"  # case-insensitive
    assert direct.request.headers["Content-Length"] == str(len(direct.request.body or b""))


def test_an_adapter_subclass_is_used_as_mounted(server: _Server) -> None:
    seen: List[str] = []

    class Recording(requests.adapters.HTTPAdapter):
        def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
            seen.append(str(request.url))
            return super().send(request, **kwargs)

    session = requests.Session()
    session.mount("http://", Recording(max_retries=0))
    client = Client(api_key="k", base_url=server.url, session=session, max_retries=0)
    _chat(client).send()
    assert seen == [server.url + "/chat/completions"]


def test_the_responses_library_still_mocks_the_client() -> None:
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, "http://127.0.0.1:9/v1/chat/completions", json=COMPLETION)
        client = Client(api_key="k", base_url="http://127.0.0.1:9/v1", max_retries=0)
        assert _chat(client).send().choices[0].message.content == "hello"


def test_a_proxy_goes_through_the_adapter(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _adapter_sends(monkeypatch)
    client = Client(
        api_key="k",
        base_url="http://127.0.0.1:9/v1",
        proxies={"http": "http://127.0.0.1:1"},
        max_retries=0,
        timeout=2,
    )
    with pytest.raises(APIConnectionError):
        _chat(client).send()
    assert calls == [1]


def test_direct_path_errors_keep_their_classes() -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = Client(api_key="k", base_url=f"http://127.0.0.1:{port}/v1", max_retries=0)
    with pytest.raises(APIConnectionError) as refused:
        _chat(client).send()
    assert not isinstance(refused.value, APITimeoutError)

    with socket.socket() as silent:  # accepts, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/v1"
        slow = Client(api_key="k", base_url=url, max_retries=0, timeout=0.3)
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            _chat(slow).send()
        assert time.monotonic() - started < 5


@pytest.mark.parametrize("mode", ["length", "chunked"])
def test_streams_ended_by_done_reuse_their_connection(server: _Server, mode: str) -> None:
    server.mode = mode
    client = Client(api_key="k", base_url=server.url, max_retries=0)
    for _ in range(5):
        with _chat(client).stream() as stream:
            texts = [c.choices[0].delta.content for c in stream]
        assert texts == [f"t{i}" for i in range(5)]
    _chat(client).send()
    assert len(server.requests) == 6
    assert server.connections == 1


def test_a_stream_held_open_past_done_is_closed_promptly(server: _Server) -> None:
    server.mode = "open"
    client = Client(api_key="k", base_url=server.url, max_retries=0)
    started = time.monotonic()
    with _chat(client).stream() as stream:
        assert len(list(stream)) == 5
    assert time.monotonic() - started < 1.0  # the grace period, not the server's 10 s
    server.release.set()
    _chat(client).send()  # a new connection: the held one was closed, not pooled
    assert server.connections == 2


def test_a_stream_left_early_closes_its_connection(server: _Server) -> None:
    server.mode = "chunked"
    client = Client(api_key="k", base_url=server.url, max_retries=0)
    with _chat(client).stream() as stream:
        next(stream)
    _chat(client).send()
    assert server.connections == 2  # never drained: the half-read one is not reused


def test_a_mock_started_before_the_first_client_is_still_honoured() -> None:
    # In a fresh interpreter the transport module is imported by the first Client, here while
    # ``responses`` has already replaced HTTPAdapter.send.
    import subprocess
    import sys

    code = (
        "import responses\n"
        "from openai_core import Client\n"
        "with responses.RequestsMock() as mock:\n"
        "    mock.add(responses.GET, 'http://127.0.0.1:9/v1/models',\n"
        "             json={'object': 'list', 'data': []})\n"
        "    client = Client(api_key='k', base_url='http://127.0.0.1:9/v1', max_retries=0)\n"
        "    print(len(client.models().list().send().data), len(mock.calls))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "1"]


def test_the_default_client_takes_the_direct_path(
    server: _Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openai_core._http11 as http11

    calls: List[int] = []
    original = http11.exchange

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(http11, "exchange", counting)
    client = Client(api_key="k", base_url=server.url, max_retries=0)
    assert _chat(client).send().choices[0].message.content == "hello"
    assert calls == [1]
