"""A misbehaving HTTP/1.1 server on 127.0.0.1, for the fault-injection suite (stdlib only).

It speaks raw sockets so that it can fail at the byte level: reset a connection (``SO_LINGER``
0 sends an RST) before the headers, in the middle of a body or of a stream, stall, send bytes
that are not what the headers promise. The scenario is the first segment of the request path
(``base_url=f"{server.url}/reset_mid_stream"``), or the ``x-fault`` header; a second segment of
digits is its parameter (``/burst_5xx/2`` answers 503 twice, then 200).

Scenarios:
    ok: a chat completion (keep-alive).
    reset_before_headers: RST after reading the request.
    reset_mid_body: headers promising 4,000 bytes, 100 of them, then RST.
    reset_mid_stream/N: an event stream of N chunks (default 2), then RST.
    slow_headers/S: wait S seconds (default 3) before answering.
    stall_stream/N: N stream chunks, then silence for 3 s, then the end of the stream.
    retry_after_seconds/N, retry_after_ms/N, retry_after_date/N: 429 with ``retry-after: 1``,
        ``retry-after-ms: 250`` or an HTTP date 3 s ahead, for the first N requests (default:
        all), then ``ok``.
    burst_5xx/N: 500, 502, 503 … for the first N requests, then ``ok``.
    truncated_json, wrong_content_type, invalid_utf8, corrupt_gzip: a 200 whose body is broken.
    large_body/M: a valid chat completion padded to M megabytes (default 50), sent in pieces.
    error_in_200: HTTP 200 with ``{"error": {"code": 502, ...}, "choices": null}`` (compat C32).
    redirect: 307 to ``ok`` on a second listening port (another origin).

``server.requests[scenario]`` counts requests, ``server.connections`` accepted connections and
``server.headers[scenario]`` keeps the last request's headers. :func:`closed_port` gives a port
where connections are refused.
"""

from __future__ import annotations

import collections
import contextlib
import email.utils
import json
import socket
import struct
import threading
import time
from typing import Dict, List, Optional, Tuple

__all__ = ["FaultServer", "closed_port"]

CHAT_OK = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "hi"},
            "finish_reason": "stop",
        }
    ],
}


def _chunk_event(index: int) -> bytes:
    chunk = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "delta": {"content": f"t{index}"}, "finish_reason": None}],
    }
    return b"data: " + json.dumps(chunk).encode() + b"\n\n"


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connections are refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    sock.close()
    return port


class FaultServer:
    """Two listening sockets (``url`` and ``other_url``) answering by scenario; see the module."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.requests: collections.Counter[str] = collections.Counter()
        self.headers: Dict[str, Dict[str, str]] = {}
        self.connections = 0
        self._listeners: List[socket.socket] = []
        for _ in range(2):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sock.listen(64)
            sock.settimeout(0.2)
            self._listeners.append(sock)
        port, other = (s.getsockname()[1] for s in self._listeners)
        self.url = f"http://127.0.0.1:{port}"
        self.other_url = f"http://127.0.0.1:{other}"
        self._threads = [
            threading.Thread(target=self._accept, args=(s,), daemon=True) for s in self._listeners
        ]
        for thread in self._threads:
            thread.start()

    def reset(self) -> None:
        """Forget the counts (between tests)."""
        with self._lock:
            self.requests.clear()
            self.headers.clear()
            self.connections = 0

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(2)
        for sock in self._listeners:
            sock.close()

    # -- plumbing ------------------------------------------------------------------------------

    def _accept(self, listener: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:  # the 0.2 s accept timeout, or closed
                continue
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        buffer = b""
        try:
            while not self._stop.is_set():
                request, buffer = _read_request(conn, buffer)
                if request is None:
                    return
                if not self._answer(conn, *request):
                    return
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    def _answer(self, conn: socket.socket, path: str, headers: Dict[str, str]) -> bool:
        """Answer one request; False when the connection must not be reused."""
        parts = [p for p in path.partition("?")[0].split("/") if p]
        scenario = headers.get("x-fault") or (parts[0] if parts else "ok")
        param: Optional[int] = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        with self._lock:
            self.requests[scenario] += 1
            number = self.requests[scenario]
            self.headers[scenario] = headers
        handler = getattr(self, f"_do_{scenario}", None)
        if handler is None:
            _send(conn, 404, b'{"error": {"message": "unknown scenario"}}')
            return True
        return bool(handler(conn, param, number))

    # -- scenarios -----------------------------------------------------------------------------

    def _do_ok(self, conn: socket.socket, param: Optional[int], number: int) -> bool:
        _send(conn, 200, json.dumps(CHAT_OK).encode())
        return True

    def _do_reset_before_headers(self, conn: socket.socket, param: Optional[int], n: int) -> bool:
        _reset(conn)
        return False

    def _do_reset_mid_body(self, conn: socket.socket, param: Optional[int], n: int) -> bool:
        conn.sendall(_head(200, {"Content-Type": "application/json", "Content-Length": "4000"}))
        conn.sendall(b'{"id": "chatcmpl-1", "padding": "' + b"x" * 67)
        time.sleep(0.05)
        _reset(conn)
        return False

    def _do_reset_mid_stream(self, conn: socket.socket, param: Optional[int], n: int) -> bool:
        conn.sendall(_stream_head())
        for index in range(2 if param is None else param):
            conn.sendall(_chunked(_chunk_event(index)))
        time.sleep(0.05)
        _reset(conn)
        return False

    def _do_slow_headers(self, conn: socket.socket, param: Optional[int], n: int) -> bool:
        self._stop.wait(3 if param is None else param)
        _send(conn, 200, json.dumps(CHAT_OK).encode())
        return False

    def _do_stall_stream(self, conn: socket.socket, param: Optional[int], n: int) -> bool:
        conn.sendall(_stream_head())
        for index in range(2 if param is None else param):
            conn.sendall(_chunked(_chunk_event(index)))
        self._stop.wait(3)
        conn.sendall(_chunked(b"data: [DONE]\n\n") + b"0\r\n\r\n")
        return False

    def _retry_after(self, conn: socket.socket, param: Optional[int], n: int, h: str) -> bool:
        if param is not None and n > param:
            return self._do_ok(conn, param, n)
        body = b'{"error": {"message": "Rate limit reached", "type": "requests"}}'
        name, _, value = h.partition(":")
        _send(conn, 429, body, {name: value.strip()})
        return True

    def _do_retry_after_seconds(self, conn: socket.socket, param: Optional[int], n: int) -> bool:
        return self._retry_after(conn, param, n, "retry-after: 1")

    def _do_retry_after_ms(self, conn: socket.socket, param: Optional[int], n: int) -> bool:
        return self._retry_after(conn, param, n, "retry-after-ms: 250")

    def _do_retry_after_date(self, conn: socket.socket, param: Optional[int], n: int) -> bool:
        date = email.utils.formatdate(time.time() + 3, usegmt=True)
        return self._retry_after(conn, param, n, f"retry-after: {date}")

    def _do_burst_5xx(self, conn: socket.socket, param: Optional[int], n: int) -> bool:
        if param is not None and n > param:
            return self._do_ok(conn, param, n)
        status = (500, 502, 503)[(n - 1) % 3]
        _send(conn, status, b'{"error": {"message": "The server had an error"}}')
        return True

    def _do_truncated_json(self, conn: socket.socket, param: Optional[int], n: int) -> bool:
        _send(conn, 200, json.dumps(CHAT_OK).encode()[:40])
        return True

    def _do_wrong_content_type(self, conn: socket.socket, param: Optional[int], n: int) -> bool:
        _send(conn, 200, b"<html><body>Welcome to nginx!</body></html>", ctype="text/html")
        return True

    def _do_invalid_utf8(self, conn: socket.socket, param: Optional[int], n: int) -> bool:
        _send(conn, 200, b'{"id": "chatcmpl-\xff\xfe", "object": "chat.completion"}')
        return True

    def _do_corrupt_gzip(self, conn: socket.socket, param: Optional[int], n: int) -> bool:
        body = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"this is not deflate data" * 4
        _send(conn, 200, body, {"Content-Encoding": "gzip"})
        return True

    def _do_large_body(self, conn: socket.socket, param: Optional[int], n: int) -> bool:
        size = (50 if param is None else param) * 1024 * 1024
        prefix = json.dumps(CHAT_OK)[:-1].encode() + b', "padding": "'
        suffix = b'"}'
        pad = size - len(prefix) - len(suffix)
        head = {"Content-Type": "application/json", "Content-Length": str(size)}
        conn.sendall(_head(200, head) + prefix)
        piece = b"x" * 65536
        while pad > 0:
            conn.sendall(piece[: min(pad, len(piece))])
            pad -= len(piece)
        conn.sendall(suffix)
        return True

    def _do_error_in_200(self, conn: socket.socket, param: Optional[int], n: int) -> bool:
        body = {"error": {"message": "Upstream error", "code": 502}, "choices": None}
        _send(conn, 200, json.dumps(body).encode())
        return True

    def _do_redirect(self, conn: socket.socket, param: Optional[int], n: int) -> bool:
        location = f"{self.other_url}/ok/chat/completions"
        _send(conn, 307, b"", {"Location": location})
        return True


# -- wire helpers ------------------------------------------------------------------------------

_REASONS = {200: "OK", 307: "Temporary Redirect", 404: "Not Found", 429: "Too Many Requests"}


def _read_request(
    conn: socket.socket, buffer: bytes
) -> Tuple[Optional[Tuple[str, Dict[str, str]]], bytes]:
    while b"\r\n\r\n" not in buffer:
        data = conn.recv(65536)
        if not data:
            return None, b""
        buffer += data
    head, _, rest = buffer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    path = lines[0].split(" ")[1]
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        data = conn.recv(65536)
        if not data:
            return None, b""
        rest += data
    return (path, headers), rest[length:]


def _head(status: int, headers: Dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _send(
    conn: socket.socket,
    status: int,
    body: bytes,
    extra: Optional[Dict[str, str]] = None,
    *,
    ctype: str = "application/json",
) -> None:
    headers = {"Content-Type": ctype, "Content-Length": str(len(body)), "x-request-id": "req_f"}
    headers.update(extra or {})
    conn.sendall(_head(status, headers) + body)


def _stream_head() -> bytes:
    return _head(200, {"Content-Type": "text/event-stream", "Transfer-Encoding": "chunked"})


def _chunked(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def _reset(conn: socket.socket) -> None:
    """Close with an RST instead of a FIN (``SO_LINGER`` on, timeout 0)."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()
