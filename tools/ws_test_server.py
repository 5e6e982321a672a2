"""A small, honest RFC 6455 WebSocket server for the tests, on 127.0.0.1 (stdlib only).

It speaks the opening handshake, text frames (fragmented ones too), ping/pong and close codes,
checks ``Authorization: Bearer <key>`` and the query (``model=`` or ``call_id=`` on
``/realtime``), and replays event sequences in the order the API documents them:

- ``/v1/realtime``: ``session.created`` on connect; on ``response.create``:
  ``response.created``, ``response.output_item.added``, ``response.content_part.added``,
  ``response.output_audio_transcript.delta`` x2, ``response.output_audio_transcript.done``,
  ``response.content_part.done``, ``response.output_item.done``, ``response.done``; every other
  client event is recorded (and ``conversation.item.retrieve`` answered).
- Test hooks on either path: ``test.echo`` answers ``test.echoed`` with its ``data`` (a
  barrier: everything sent before it has been received); ``test.emit`` sends its ``events``.
- ``/v1/responses``: on each ``response.create``: ``response.created``,
  ``response.in_progress``, ``response.output_item.added``, ``response.content_part.added``,
  ``response.output_text.delta`` x2, ``response.output_text.done``, ``response.content_part.done``,
  ``response.output_item.done``, ``response.completed`` (or, for ``"model": "fail"``, an
  ``error`` event with ``"status": 400``).

``server.drops`` scripts failures: entry ``i`` (``(after, code)``) applies to the ``i``-th
connection, which is dropped after the server has sent ``after`` messages: code 1006 closes the
TCP connection with no close frame, 1005 sends a close frame without a code, anything else sends a
close frame with that code. Every connection's handshake and received messages are recorded.

Usage: ``with WsTestServer(api_key="sk-test") as server: Client(base_url=server.base_url, ...)``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import socketserver
import struct
import threading
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import parse_qs, urlsplit

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class _Dropped(Exception):
    """The scripted drop happened; end the connection."""


class Connection:
    """What one connection's handshake carried and which messages it received."""

    def __init__(self, path: str, query: Dict[str, str], headers: Dict[str, str]) -> None:
        self.path = path
        self.query = query
        self.headers = headers
        self.received: List[Dict[str, Any]] = []


class _Handler(socketserver.BaseRequestHandler):
    server: _TCPServer

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(10)
        owner = self.server.owner
        self.rfile = sock.makefile("rb")
        self.sent = 0
        self.closing = False
        try:
            conn = self._handshake(owner)
            if conn is None:
                return
            index = owner.connections.index(conn)
            self.drop = owner.drops[index] if index < len(owner.drops) else None
            self._maybe_drop()
            if conn.path.endswith("/realtime"):
                self._send_event({"type": "session.created", "event_id": "event_0", **SESSION})
            while True:
                message = self._read_message()
                if message is None:
                    return
                event = json.loads(message)
                conn.received.append(event)
                owner.on_message(self, conn, event)
        except (_Dropped, OSError, ValueError):
            return
        finally:
            self.rfile.close()
            sock.close()

    def _handshake(self, owner: WsTestServer) -> Optional[Connection]:
        request_line = self.rfile.readline(65537).decode("latin-1")
        headers: Dict[str, str] = {}
        while True:
            line = self.rfile.readline(65537).decode("latin-1")
            if line in ("\r\n", "\n", ""):
                break
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        target = request_line.split(" ")[1] if request_line.count(" ") >= 2 else "/"
        parts = urlsplit(target)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        error = None
        if owner.api_key is not None and headers.get("authorization") != f"Bearer {owner.api_key}":
            error = (401, "Incorrect API key provided")
        elif parts.path.endswith("/realtime") and not ("model" in query or "call_id" in query):
            error = (400, "Missing required parameter: 'model' or 'call_id'")
        elif not parts.path.endswith(("/realtime", "/responses")):
            error = (404, f"No WebSocket endpoint at {parts.path}")
        elif owner.handshake_status is not None:
            error = (owner.handshake_status, "Scripted handshake failure")
        if error is not None:
            body = json.dumps({"error": {"message": error[1], "type": "invalid_request_error"}})
            self.request.sendall(
                (
                    f"HTTP/1.1 {error[0]} Error\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}"
                ).encode()
            )
            return None
        conn = Connection(parts.path, query, headers)
        with owner.lock:  # recorded before the client can see the handshake succeed
            owner.connections.append(conn)
        accept = base64.b64encode(
            hashlib.sha1((headers["sec-websocket-key"] + GUID).encode()).digest()
        ).decode()
        self.request.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
            ).encode()
        )
        return conn

    # -- frames ---------------------------------------------------------------------------------

    def _read_exact(self, n: int) -> bytes:
        data = self.rfile.read(n)
        if len(data) < n:
            raise _Dropped
        return data

    def _read_message(self) -> Optional[str]:
        """The next text message (fragments joined); ``None`` after a close frame."""
        parts: List[bytes] = []
        while True:
            head = self._read_exact(2)
            fin, opcode = head[0] & 0x80, head[0] & 0x0F
            length = head[1] & 0x7F
            if length == 126:
                length = struct.unpack("!H", self._read_exact(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", self._read_exact(8))[0]
            mask = self._read_exact(4) if head[1] & 0x80 else b"\0\0\0\0"
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self._read_exact(length)))
            if opcode == 0x8:  # close: echo the code back (unless this side closed first)
                if not self.closing:
                    self._send_frame(0x8, payload[:2])
                return None
            if opcode == 0x9:
                self._send_frame(0xA, payload)
            elif opcode in (0x1, 0x0):
                parts.append(payload)
                if fin:
                    return b"".join(parts).decode("utf-8")

    def _send_frame(self, opcode: int, payload: bytes) -> None:
        n = len(payload)
        if n < 126:
            head = struct.pack("!BB", 0x80 | opcode, n)
        elif n < 65536:
            head = struct.pack("!BBH", 0x80 | opcode, 126, n)
        else:
            head = struct.pack("!BBQ", 0x80 | opcode, 127, n)
        self.request.sendall(head + payload)

    def _send_event(self, event: Dict[str, Any]) -> None:
        self._send_frame(0x1, json.dumps(event).encode("utf-8"))
        self.sent += 1
        self._maybe_drop()

    def _maybe_drop(self) -> None:
        """Carry out the scripted drop once ``after`` messages were sent."""
        if self.drop is not None and self.sent >= self.drop[0]:
            code = self.drop[1]
            if code == 1006:
                self.request.shutdown(socket.SHUT_RDWR)
            else:
                self._send_frame(0x8, b"" if code == 1005 else struct.pack("!H", code) + b"bye")
                self.request.settimeout(2)
                self.closing = True
                while self._read_message() is not None:  # wait for the client's close frame
                    pass
            raise _Dropped

    def send_raw(self, event: Dict[str, Any]) -> None:
        """Send one event (subject to the scripted drop)."""
        self._send_event(event)


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: WsTestServer


SESSION: Dict[str, Any] = {
    "session": {"type": "realtime", "id": "sess_1", "object": "realtime.session", "model": "m"}
}


class WsTestServer:
    """The server; a context manager that serves on a free 127.0.0.1 port in a thread."""

    def __init__(self, api_key: Optional[str] = "sk-test") -> None:
        self.api_key = api_key
        self.drops: List[Optional[Tuple[int, int]]] = []
        self.handshake_status: Optional[int] = None
        self.connections: List[Connection] = []
        self.lock = threading.Lock()
        self._server = _TCPServer(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._responses = 0

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/v1``."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def reset(self) -> None:
        """Forget recorded connections and scripted behaviour."""
        with self.lock:
            self.drops, self.connections, self.handshake_status = [], [], None

    def __enter__(self) -> WsTestServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def on_message(self, handler: _Handler, conn: Connection, event: Dict[str, Any]) -> None:
        kind = event.get("type")
        if kind == "response.create" and conn.path.endswith("/realtime"):
            for reply in realtime_response_events():
                handler.send_raw(reply)
        elif kind == "response.create" and event.get("model") == "fail":
            error = {
                "type": "invalid_request_error",
                "code": "model_not_found",
                "message": "The model 'fail' does not exist",
                "param": "model",
            }
            handler.send_raw({"type": "error", "status": 400, "error": error})
        elif kind == "response.create":
            with self.lock:
                self._responses += 1
                number = self._responses
            for reply in responses_events(f"resp_{number}", event):
                handler.send_raw(reply)
        elif kind == "conversation.item.retrieve":
            item = {"id": event.get("item_id"), "type": "message", "role": "user", "content": []}
            handler.send_raw({"type": "conversation.item.retrieved", "event_id": "e", "item": item})
        elif kind == "test.emit":  # send the given events verbatim (tests)
            for reply in event.get("events", ()):
                handler.send_raw(reply)
        elif kind == "test.echo":
            handler.send_raw({"type": "test.echoed", "event_id": "e", "data": event.get("data")})


def realtime_response_events() -> List[Dict[str, Any]]:
    """A realtime response with an audio transcript, in the documented order."""
    item = {"id": "item_1", "type": "message", "role": "assistant", "status": "in_progress"}
    part = {"type": "audio", "transcript": ""}
    ids = {"response_id": "resp_1", "item_id": "item_1", "output_index": 0, "content_index": 0}
    response = {"id": "resp_1", "object": "realtime.response", "status": "in_progress"}
    done_item = {**item, "status": "completed"}
    return [
        {"type": "response.created", "event_id": "e1", "response": response},
        {
            "type": "response.output_item.added",
            "event_id": "e2",
            "response_id": "resp_1",
            "output_index": 0,
            "item": item,
        },
        {"type": "response.content_part.added", "event_id": "e3", **ids, "part": part},
        {
            "type": "response.output_audio_transcript.delta",
            "event_id": "e4",
            **ids,
            "delta": "Hello",
        },
        {
            "type": "response.output_audio_transcript.delta",
            "event_id": "e5",
            **ids,
            "delta": " there",
        },
        {
            "type": "response.output_audio_transcript.done",
            "event_id": "e6",
            **ids,
            "transcript": "Hello there",
        },
        {
            "type": "response.content_part.done",
            "event_id": "e7",
            **ids,
            "part": {**part, "transcript": "Hello there"},
        },
        {
            "type": "response.output_item.done",
            "event_id": "e8",
            "response_id": "resp_1",
            "output_index": 0,
            "item": done_item,
        },
        {
            "type": "response.done",
            "event_id": "e9",
            "response": {**response, "status": "completed", "output": [done_item]},
        },
    ]


def response_object(response_id: str, request: Dict[str, Any], status: str) -> Dict[str, Any]:
    """A ``Response`` object echoing the request's model and previous_response_id."""
    done = status == "completed"
    message = {
        "id": f"msg_{response_id}",
        "type": "message",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "output_text", "text": "Hello there", "annotations": []}],
    }
    return {
        "id": response_id,
        "object": "response",
        "created_at": 1700000000,
        "status": status,
        "model": request.get("model", "m"),
        "previous_response_id": request.get("previous_response_id"),
        "output": [message] if done else [],
        "usage": {"input_tokens": 3, "output_tokens": 2, "total_tokens": 5} if done else None,
    }


def responses_events(response_id: str, request: Dict[str, Any]) -> List[Dict[str, Any]]:
    """A text response, in the documented order, with sequence numbers."""
    item = {
        "id": f"msg_{response_id}",
        "type": "message",
        "role": "assistant",
        "status": "in_progress",
        "content": [],
    }
    part = {"type": "output_text", "text": "", "annotations": []}
    ids = {"item_id": f"msg_{response_id}", "output_index": 0, "content_index": 0}
    final = response_object(response_id, request, "completed")
    pending = response_object(response_id, request, "in_progress")
    events: List[Dict[str, Any]] = [
        {"type": "response.created", "response": pending},
        {"type": "response.in_progress", "response": pending},
        {"type": "response.output_item.added", "output_index": 0, "item": item},
        {"type": "response.content_part.added", **ids, "part": part},
        {"type": "response.output_text.delta", **ids, "delta": "Hello", "logprobs": []},
        {"type": "response.output_text.delta", **ids, "delta": " there", "logprobs": []},
        {"type": "response.output_text.done", **ids, "text": "Hello there", "logprobs": []},
        {"type": "response.content_part.done", **ids, "part": {**part, "text": "Hello there"}},
        {"type": "response.output_item.done", "output_index": 0, "item": final["output"][0]},
        {"type": "response.completed", "response": final},
    ]
    stream_id = request.get("stream_id")
    extra = {"stream_id": stream_id} if stream_id else {}
    return [{**e, "sequence_number": i, **extra} for i, e in enumerate(events)]
