"""The whole-body HTTP/1.1 exchange of the direct transport path, byte for byte.

A scripted TCP server on 127.0.0.1 answers each request with the next canned byte string (or a
callable writing to the socket), records the raw requests, and counts connections; the client is
a real ``Client`` on its default transport, so these answers go through ``openai_core._http11``.
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from typing import Any, Callable, Iterator, List, Union

import pytest

from openai_core import APIConnectionError, APITimeoutError, Client

pytestmark = pytest.mark.timeout(60)

MODELS = {"object": "list", "data": [{"id": "m", "object": "model", "created": 0, "owned_by": "o"}]}
BODY = json.dumps(MODELS).encode()

Script = Union[bytes, Callable[[socket.socket], None]]


def ok(body: bytes = BODY, *extra: str, status: str = "200 OK", version: str = "1.1") -> bytes:
    head = [f"HTTP/{version} {status}", "Content-Type: application/json", *extra]
    if not any(h.lower().startswith(("content-length", "transfer-encoding")) for h in extra):
        head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def chunked(body: bytes, *extra: str, sizes: int = 7) -> bytes:
    parts = [body[i : i + sizes] for i in range(0, len(body), sizes)]
    out = b"".join(b"%x;ext=1\r\n%s\r\n" % (len(p), p) for p in parts)
    head = ["HTTP/1.1 200 OK", "Content-Type: application/json", "Transfer-Encoding: chunked"]
    return ("\r\n".join([*head, *extra]) + "\r\n\r\n").encode() + out + b"0\r\nX-Trailer: t\r\n\r\n"


class ScriptedServer:
    def __init__(self, script: List[Script]) -> None:
        self.script = list(script)
        self.requests: List[bytes] = []
        self.connections = 0
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            while True:
                while b"\r\n\r\n" not in data:
                    more = conn.recv(65536)
                    if not more:
                        return
                    data += more
                head, _, data = data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                while len(data) < length:
                    data += conn.recv(65536)
                body, data = data[:length], data[length:]
                with self.lock:
                    self.requests.append(head + b"\r\n\r\n" + body)
                    step = self.script.pop(0) if self.script else b""
                if callable(step):
                    step(conn)
                    return
                if not step:
                    return
                conn.sendall(step)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture()
def scripted() -> Iterator[Callable[..., ScriptedServer]]:
    servers: List[ScriptedServer] = []

    def make(*script: Script) -> ScriptedServer:
        server = ScriptedServer(list(script))
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.close()


def client_for(server: ScriptedServer, **kwargs: Any) -> Client:
    kwargs.setdefault("max_retries", 0)
    kwargs.setdefault("timeout", 5)
    return Client(api_key="sk-test", base_url=server.url, **kwargs)


def ids(client: Client) -> List[str]:
    return [m.id for m in client.models().list().send().data]


def test_content_length_answers_reuse_one_connection(scripted: Any) -> None:
    server = scripted(ok(), ok(), ok())
    client = client_for(server)
    assert [ids(client) for _ in range(3)] == [["m"]] * 3
    assert server.connections == 1
    first = server.requests[0].decode()
    assert first.startswith("GET /v1/models HTTP/1.1\r\n")
    assert f"Host: 127.0.0.1:{server.url.split(':')[2].split('/')[0]}\r\n" in first
    assert "Authorization: Bearer sk-test\r\n" in first


def test_chunked_answer_with_extensions_and_trailers(scripted: Any) -> None:
    server = scripted(chunked(BODY), ok())
    client = client_for(server)
    assert ids(client) == ["m"]
    assert ids(client) == ["m"]
    assert server.connections == 1  # the terminating chunk and trailers were read


def test_informational_answer_is_skipped(scripted: Any) -> None:
    server = scripted(b"HTTP/1.1 100 Continue\r\n\r\n" + ok())
    assert ids(client_for(server)) == ["m"]


def test_header_fields_folded_repeated_and_cased(scripted: Any) -> None:
    server = scripted(
        ok(
            BODY,
            "X-Folded: first",
            "  second",
            "X-Twice: a",
            "x-twice: b",
            "Set-Cookie: a=1; Path=/",
            "Set-Cookie: b=2; Path=/",
            "x-request-id: req_9",
        )
    )
    response = client_for(server).models().list().send_raw()
    assert response.headers["x-folded"] == "first second"
    assert response.headers["X-TWICE"] == "a, b"
    assert response.cookies.get_dict() == {"a": "1", "b": "2"}
    assert response.headers["X-Request-Id"] == "req_9"
    assert response.reason == "OK"
    assert response.raw.status == 200
    assert response.raw.read() == b""  # the body was read already


def test_gzip_body_is_decoded(scripted: Any) -> None:
    packed = gzip.compress(BODY)
    server = scripted(ok(packed, "Content-Encoding: gzip"))
    assert ids(client_for(server)) == ["m"]


def test_connection_close_is_not_pooled(scripted: Any) -> None:
    server = scripted(ok(BODY, "Connection: close"), ok())
    client = client_for(server)
    ids(client)
    ids(client)
    assert server.connections == 2


def test_http10_answer_without_keep_alive_is_not_pooled(scripted: Any) -> None:
    server = scripted(ok(version="1.0"), ok())
    client = client_for(server)
    ids(client)
    ids(client)
    assert server.connections == 2


def test_body_without_framing_runs_to_the_close(scripted: Any) -> None:
    def write(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n")
        conn.sendall(BODY[:10])
        time.sleep(0.05)
        conn.sendall(BODY[10:])

    server = scripted(write, ok())
    client = client_for(server)
    assert ids(client) == ["m"]
    assert ids(client) == ["m"]
    assert server.connections == 2


def test_body_split_across_many_writes(scripted: Any) -> None:
    def write(conn: socket.socket) -> None:
        data = ok()
        for i in range(0, len(data), 5):
            conn.sendall(data[i : i + 5])
            time.sleep(0.001)
        time.sleep(0.5)  # keep the connection open: the framing says where the body ends

    server = scripted(write)
    assert ids(client_for(server)) == ["m"]


def test_no_content_answer_has_no_body(scripted: Any) -> None:
    server = scripted(b"HTTP/1.1 204 No Content\r\n\r\n", ok())
    client = client_for(server)
    response = client.models().list().send_raw()
    assert response.status_code == 204
    assert response.content == b""
    assert ids(client) == ["m"]
    assert server.connections == 1


def test_bytes_past_the_body_drop_the_connection(scripted: Any) -> None:
    server = scripted(ok() + b"garbage", ok())
    client = client_for(server)
    ids(client)
    ids(client)
    assert server.connections == 2


def test_truncated_body_raises_connection_error(scripted: Any) -> None:
    def write(conn: socket.socket) -> None:
        conn.sendall(ok()[:-10])

    server = scripted(write)
    with pytest.raises(APIConnectionError, match="closed after"):
        ids(client_for(server))


def test_not_http_raises_connection_error(scripted: Any) -> None:
    server = scripted(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
    with pytest.raises(APIConnectionError, match=r"not an HTTP/1\.x answer"):
        ids(client_for(server))


def test_close_without_answer_raises_connection_error(scripted: Any) -> None:
    server = scripted(lambda conn: None)
    with pytest.raises(APIConnectionError, match="without an answer"):
        ids(client_for(server))


def test_silence_raises_timeout(scripted: Any) -> None:
    server = scripted(lambda conn: time.sleep(3))
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        ids(client_for(server, timeout=0.3))
    assert time.monotonic() - started < 2


def test_header_injection_is_refused_before_sending(scripted: Any) -> None:
    server = scripted(ok())
    client = client_for(server)
    with pytest.raises(APIConnectionError, match="Invalid header value"):
        client.models().list().header("X-Test", "a\r\nInjected: yes").send()
    assert server.requests == []


def test_large_request_body_is_sent_whole(scripted: Any) -> None:
    completion = {
        "id": "c",
        "object": "chat.completion",
        "created": 0,
        "model": "m",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}
        ],
    }
    server = scripted(ok(json.dumps(completion).encode()))
    text = "x" * 300_000
    client = client_for(server)
    result = client.chat().completions().create().model("m").message_user(text).send()
    assert result.choices[0].message.content == "ok"
    sent = json.loads(server.requests[0].partition(b"\r\n\r\n")[2])
    assert sent["messages"][0]["content"] == text


def test_a_pooled_connection_the_server_closed_is_replaced(scripted: Any) -> None:
    def answer_then_close(conn: socket.socket) -> None:
        conn.sendall(ok())  # keep-alive answer, then the server goes away
        time.sleep(0.05)

    server = scripted(answer_then_close, ok())
    client = client_for(server)
    ids(client)
    time.sleep(0.3)  # the close reaches the pooled connection
    assert ids(client) == ["m"]  # no retry allowed: the pool noticed, a new connection was made
    assert server.connections == 2


def test_a_whole_body_response_pickles(scripted: Any) -> None:
    import pickle

    server = scripted(ok(BODY, "Set-Cookie: a=1; Path=/"))
    response = client_for(server).models().list().send_raw()
    copy = pickle.loads(pickle.dumps(response))
    assert copy.json() == MODELS
    assert copy.cookies.get_dict() == {"a": "1"}
    assert copy.headers["content-type"] == "application/json"


def test_an_adapter_with_urllib3_retries_keeps_them(scripted: Any) -> None:
    import requests
    import requests.adapters
    from urllib3.util.retry import Retry

    server = scripted(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n", ok())
    session = requests.Session()
    retry = Retry(total=2, status_forcelist=[503], allowed_methods=None, backoff_factor=0)
    session.mount("http://", requests.adapters.HTTPAdapter(max_retries=retry))
    client = client_for(server, session=session)  # the SDK itself retries nothing here
    assert ids(client) == ["m"]  # urllib3 retried the 503, as HTTPAdapter.send would
    assert len(server.requests) == 2
