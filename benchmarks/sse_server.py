"""Tiny stdlib HTTP/1.1 server that streams a canned SSE file with chunked encoding.

nginx serves static files with ``Content-Length``; a real OpenAI-style server
writes one event per HTTP chunk. This server reproduces the latter: every
``data: ...\\n\\n`` frame of the SSE file is sent as its own chunk (own
``send`` call, ``TCP_NODELAY``), on a kept-alive connection.

Routes: ``POST .../chat/completions`` -> the chat stream (CHAT_SSE);
``POST .../responses`` -> the Responses stream (RESPONSES_SSE, if given);
``GET /status`` -> JSON with the numbers of connections accepted and requests
received so far (to check keep-alive and that every call reached the server).

Usage: ``python benchmarks/sse_server.py CHAT_SSE [RESPONSES_SSE]`` - binds
127.0.0.1 on a free port and prints ``PORT <n>`` on stdout once listening.
"""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import sys
import threading
from typing import ClassVar, Dict, List

_lock = threading.Lock()
_connections = 0
_requests = 0


def _chunked(frames: List[bytes]) -> List[bytes]:
    return [b"%x\r\n%s\r\n" % (len(f), f) for f in frames] + [b"0\r\n\r\n"]


class Handler(socketserver.StreamRequestHandler):
    routes: ClassVar[Dict[str, List[bytes]]] = {}  # path suffix -> chunks

    def setup(self) -> None:
        global _connections  # noqa: PLW0603
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with _lock:
            _connections += 1

    def handle(self) -> None:
        global _requests  # noqa: PLW0603
        while True:
            request_line = self.rfile.readline(65537)
            if not request_line:
                return
            with _lock:
                _requests += 1
            method, path, _ = request_line.decode("latin-1").split(" ", 2)
            length = 0
            close = False
            while True:
                line = self.rfile.readline(65537)
                if line in (b"\r\n", b"\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                name = name.strip().lower()
                if name == "content-length":
                    length = int(value.strip())
                elif name == "connection" and value.strip().lower() == "close":
                    close = True
            if length:
                self.rfile.read(length)
            chunks = None
            if method == "POST":
                for suffix, candidate in self.routes.items():
                    if path.endswith(suffix):
                        chunks = candidate
                        break
            if chunks is not None:
                self.wfile.write(
                    b"HTTP/1.1 200 OK\r\n"
                    b"Content-Type: text/event-stream; charset=utf-8\r\n"
                    b"Transfer-Encoding: chunked\r\n"
                    b"Cache-Control: no-cache\r\n"
                    b"Connection: keep-alive\r\n\r\n"
                )
                for chunk in chunks:
                    self.wfile.write(chunk)
            elif method == "GET" and path == "/status":
                body = json.dumps({"connections": _connections, "requests": _requests}).encode()
                self.wfile.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
                )
            else:
                self.wfile.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            if close:
                return


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main() -> None:
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    for suffix, name in zip(("/chat/completions", "/responses"), sys.argv[1:]):
        with open(name, "rb") as fh:
            frames = [f + b"\n\n" for f in fh.read().split(b"\n\n") if f]
        Handler.routes[suffix] = _chunked(frames)
    with Server(("127.0.0.1", 0), Handler) as server:
        print(f"PORT {server.server_address[1]}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


if __name__ == "__main__":
    main()
