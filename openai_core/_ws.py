"""WebSocket sessions over ``websocket-client``: the URL and handshake, a thread-safe connection
that reconnects on recoverable close codes, and the builder shared by the WebSocket endpoints.

Wire facts (wire-rules.md, WebSockets): the URL is the base URL with ``http→ws`` / ``https→wss``
plus the endpoint path; auth is ``Authorization: Bearer <key>``; events are JSON text frames.
A connection closed with 1001, 1005, 1006, 1011, 1012, 1013 or 1015 is reopened through
:func:`openai_core._retry.reconnect_with_retries` (the HTTP backoff, at most the client's
``max_retries`` attempts); messages sent meanwhile are queued (bounded in bytes) and flushed in
order once it is back. Any other close code ends the session: 1000 ends iteration cleanly, the
rest raise :class:`~openai_core.WebSocketClosedError`, as does giving up, carrying the unsent
messages. There are no acknowledgements: a message already handed to the socket when a drop
happens is lost, not queued. ``websocket-client`` is imported when the first connection opens.

Source: https://platform.openai.com/docs/guides/realtime-websocket
"""

from __future__ import annotations

import collections
import contextlib
import json
import socket
import struct
import threading
import time
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    ClassVar,
    Deque,
    Dict,
    List,
    Mapping,
    Optional,
    Tuple,
    Union,
)
from urllib.parse import urlsplit, urlunsplit

import attrs

from openai_core._config import Timeout
from openai_core._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    WebSocketClosedError,
    WebSocketQueueFullError,
    make_status_error,
)
from openai_core._logging import logger, redact_headers
from openai_core._request import encode_query, join_url
from openai_core._retry import call_with_retries, reconnect_with_retries

if TYPE_CHECKING:
    from typing_extensions import Self

    from openai_core._client import Client

__all__ = [
    "DEFAULT_MAX_QUEUE_BYTES",
    "RECONNECT_CLOSE_CODES",
    "WebSocketBuilder",
    "WebSocketConnection",
    "WebSocketRequest",
    "ws_url",
]

RECONNECT_CLOSE_CODES = frozenset({1001, 1005, 1006, 1011, 1012, 1013, 1015})
"""Close codes after which the connection is reopened (going away, no status, abnormal,
internal error, service restart, try again later, TLS failure)."""
DEFAULT_MAX_QUEUE_BYTES = 4 * 1024 * 1024
"""Bytes of messages kept while reconnecting (about 90 s of 24 kHz PCM16 audio in base64)."""
_CLOSE_TIMEOUT = 2.0


def ws_url(base_url: str, path: str, query: Tuple[Tuple[str, Any], ...] = ()) -> str:
    """``base_url`` + ``path`` with ``http→ws``, ``https→wss`` and the encoded query."""
    parts = urlsplit(join_url(base_url, path))
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    encoded = encode_query(query) if query else ""
    merged = "&".join(q for q in (parts.query, encoded) if q)
    return urlunsplit((scheme, parts.netloc, parts.path, merged, ""))


@attrs.frozen(kw_only=True)
class WebSocketRequest:
    """A compiled WebSocket handshake (no I/O): the URL and the headers sent with it.

    ``repr`` redacts credentials. The ``Authorization`` header is recomputed on every connection
    attempt when the client's key is a callable.
    """

    url: str
    headers: Tuple[Tuple[str, str], ...] = attrs.field(repr=lambda h: repr(redact_headers(h)))


def _close_status(data: bytes) -> Tuple[int, str]:
    if len(data) < 2:
        return 1005, ""
    return struct.unpack("!H", data[:2])[0], data[2:].decode("utf-8", "replace")


class WebSocketConnection:
    """One logical WebSocket session: reconnects on recoverable close codes, queues while it does.

    Thread-safe: one thread may iterate while others send. Build it with
    :meth:`WebSocketBuilder._open_connection`.
    """

    def __init__(
        self,
        opener: Callable[[], Any],
        *,
        max_retries: int,
        max_queue_bytes: int,
        sleep: Callable[[float], None],
        describe: str,
    ) -> None:
        self._opener = opener
        self._max_retries = max_retries
        self._max_queue_bytes = max_queue_bytes
        self._sleep = sleep
        self._describe = describe
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._queue: Deque[Tuple[str, Any]] = collections.deque()
        self._queued_bytes = 0
        self._state = "closed"
        self._failure: Optional[WebSocketClosedError] = None
        self._ws: Any = None
        self._generation = 0
        self._readers = 0
        self._replay: Optional[str] = None
        self.reconnects = 0
        """How many times the connection was reopened."""

    def open(self) -> None:
        """Open the connection, retrying like an HTTP request (refused, 5xx, 429 …)."""
        self._ws = call_with_retries(
            lambda _: self._opener(), max_retries=self._max_retries, sleep=self._sleep,
            describe=self._describe,
        )  # fmt: skip
        self._state = "open"

    # -- sending --------------------------------------------------------------------------------

    def send(self, text: str, event: Any) -> None:
        """Send one text message (``event`` is what the caller passed, kept for errors).

        Raises:
            WebSocketQueueFullError: reconnecting, and the queue has no room for it.
            WebSocketClosedError: the session is over (``event`` is in ``unsent``), or
                reconnecting after a failed send was given up.
        """
        with self._lock:
            if self._state in ("closed", "failed"):
                raise self._closed_error([event])
            if self._state == "reconnecting":
                self._enqueue(text, event)
                return
            ws, generation = self._ws, self._generation
            try:
                ws.send(text)
                return
            except Exception as exc:
                if not _is_socket_error(exc):
                    raise
                cause: Exception = exc
                self._enqueue(text, event)
        self._recover(generation, 1006, "", cause)

    def _enqueue(self, text: str, event: Any) -> None:
        size = len(text.encode("utf-8"))
        if self._queued_bytes + size > self._max_queue_bytes:
            raise WebSocketQueueFullError(
                f"The {self._describe} connection is reconnecting and its send queue is full "
                f"({self._queued_bytes} of {self._max_queue_bytes} bytes queued, this message "
                f"is {size}); the message was not queued. Send less while reconnecting, or raise "
                "the limit with max_queue_bytes().",
                limit=self._max_queue_bytes,
                queued=self._queued_bytes,
            )
        self._queue.append((text, event))
        self._queued_bytes += size

    def _closed_error(self, extra: List[Any]) -> WebSocketClosedError:
        failure = self._failure
        if failure is None:
            return WebSocketClosedError(f"The {self._describe} connection is closed", unsent=extra)
        return WebSocketClosedError(
            failure.message, close_code=failure.close_code, reason=failure.reason, unsent=extra
        )

    def set_replay(self, text: Optional[str]) -> None:
        """Send ``text`` again first if the connection is reopened (``None`` clears it): a
        request whose answer has not started yet (a Responses turn)."""
        with self._lock:
            self._replay = text

    # -- receiving ------------------------------------------------------------------------------

    def recv(self, on_reconnect: Optional[Callable[[], None]] = None) -> Optional[str]:
        """The next text message; ``None`` once the session ended normally (close code 1000 or
        :meth:`close`). ``on_reconnect`` is called when this call reopened the connection (it
        may raise, to end a request whose answer was lost).

        Raises:
            WebSocketClosedError: closed with a code that is not retried, or reconnecting was
                given up.
            APITimeoutError: nothing arrived within the read timeout.
        """
        from websocket import ABNF, WebSocketTimeoutException

        while True:
            with self._lock:
                while self._state == "reconnecting":
                    self._cond.wait(1.0)
                if self._state == "closed":
                    return None
                if self._state == "failed":
                    assert self._failure is not None
                    raise self._closed_error(self._failure.unsent)
                ws, generation = self._ws, self._generation
                self._readers += 1
            try:
                opcode, frame = ws.recv_data_frame(False)
            except WebSocketTimeoutException as exc:
                raise APITimeoutError(f"No {self._describe} message within the timeout") from exc
            except Exception as exc:
                if not _is_socket_error(exc) and not isinstance(exc, ValueError):
                    raise
                if self._state == "closed":
                    return None
                self._recover(generation, 1006, "", exc)
                if on_reconnect is not None and self._generation != generation:
                    on_reconnect()
                continue
            finally:
                with self._lock:
                    self._readers -= 1
            if opcode == ABNF.OPCODE_CLOSE:
                code, reason = _close_status(frame.data)
                self._recover(generation, code, reason, None)
                if on_reconnect is not None and self._generation != generation:
                    on_reconnect()
                continue
            data = frame if isinstance(frame, (bytes, bytearray)) else frame.data
            return bytes(data).decode("utf-8", "replace")

    # -- reconnecting ---------------------------------------------------------------------------

    def _recover(
        self, generation: int, code: int, reason: str, cause: Optional[BaseException]
    ) -> None:
        """Reopen after a drop (once per drop, whichever thread sees it first), flush the queue;
        or end the session for a code that is not retried."""
        with self._lock:
            if generation != self._generation or self._state != "open":
                return  # another thread handles (or handled) this drop
            old = self._ws
            if code not in RECONNECT_CLOSE_CODES or self._max_retries <= 0:
                self._fail(code, reason, given_up=code in RECONNECT_CLOSE_CODES)
                _abort(old)
                if code == 1000:
                    return
                assert self._failure is not None
                raise self._failure from cause
            self._state = "reconnecting"
        _abort(old)
        logger.info("%s closed with code %d %s; reconnecting", self._describe, code, reason)
        while True:
            try:
                ws = reconnect_with_retries(
                    lambda _: self._opener(), max_retries=self._max_retries,
                    sleep=self._sleep, describe=self._describe,
                )  # fmt: skip
            except APIError as exc:
                with self._lock:
                    if self._state == "closed":
                        return
                    self._fail(code, reason, given_up=True)
                    assert self._failure is not None
                    raise self._failure from exc
            with self._lock:
                if self._state == "closed":
                    _abort(ws)
                    return
                try:
                    if self._replay is not None:
                        ws.send(self._replay)
                    while self._queue:
                        text, _ = self._queue[0]
                        ws.send(text)
                        self._queue.popleft()
                        self._queued_bytes -= len(text.encode("utf-8"))
                except Exception as exc:
                    if not _is_socket_error(exc):
                        raise
                    _abort(ws)
                    code, reason = 1006, ""
                    continue
                self._ws = ws
                self._generation += 1
                self.reconnects += 1
                self._state = "open"
                self._cond.notify_all()
                return

    def _fail(self, code: int, reason: str, *, given_up: bool) -> None:
        unsent = [event for _, event in self._queue]
        self._queue.clear()
        self._queued_bytes = 0
        if code == 1000:
            self._state = "closed"
            self._failure = WebSocketClosedError(
                f"The server closed the {self._describe} connection (1000 {reason})".rstrip(),
                close_code=code,
                reason=reason,
            )
        else:
            what = (
                f"gave up reconnecting after {self._max_retries} attempt(s)"
                if given_up and self._max_retries > 0
                else "not reconnecting"
            )
            self._state = "failed"
            self._failure = WebSocketClosedError(
                f"The {self._describe} connection closed with code {code}"
                f"{f' ({reason})' if reason else ''}; {what}; {len(unsent)} message(s) unsent",
                close_code=code,
                reason=reason,
                unsent=unsent,
            )
        self._cond.notify_all()

    def close(self) -> None:
        """Close with code 1000 (idempotent). Queued, unsent messages are dropped."""
        with self._lock:
            if self._state == "closed":
                return
            was_open = self._state == "open"
            self._state = "closed"
            self._failure = None
            self._queue.clear()
            self._queued_bytes = 0
            ws, reading = self._ws, self._readers > 0
            self._cond.notify_all()
        if ws is None:
            return
        try:
            if was_open and not reading:
                ws.close(timeout=_CLOSE_TIMEOUT)
            elif was_open:
                ws.send_close()
        except Exception:  # closing is best effort
            logger.debug("Closing %s failed", self._describe, exc_info=True)
        _abort(ws)

    @property
    def closed(self) -> bool:
        """Whether the session is over (closed by either side, or given up)."""
        return self._state in ("closed", "failed")


def _abort(ws: Any) -> None:
    if ws is not None:
        with contextlib.suppress(Exception):  # already gone
            ws.shutdown()


def _is_socket_error(exc: BaseException) -> bool:
    from websocket import WebSocketException

    return isinstance(exc, (WebSocketException, OSError))


@attrs.frozen(kw_only=True)
class WebSocketBuilder:
    """The immutable builder shared by the WebSocket endpoints: query, headers, timeout,
    reconnection attempts and the send-queue limit; ``build()`` compiles the handshake."""

    _client: Client = attrs.field(repr=False)
    _query: Tuple[Tuple[str, Any], ...] = ()
    _headers: Tuple[Tuple[str, str], ...] = attrs.field(default=(), repr=False)
    _timeout: Optional[Timeout] = None
    _max_retries: Optional[int] = None
    _max_queue_bytes: int = DEFAULT_MAX_QUEUE_BYTES

    _path: ClassVar[str] = "/"

    def query(self, name: str, value: Any) -> Self:
        """Add (or replace) one query parameter of the handshake URL."""
        kept = tuple((k, v) for k, v in self._query if k != name)
        return attrs.evolve(self, query=(*kept, (name, value)))

    def header(self, name: str, value: str) -> Self:
        """Add (or replace) one handshake header."""
        kept = tuple((k, v) for k, v in self._headers if k.lower() != name.lower())
        return attrs.evolve(self, headers=(*kept, (name, value)))

    def timeout(self, value: Union[Timeout, float, Tuple[float, float]]) -> Self:
        """Connect timeout (the handshake) and read timeout (waiting for one message)."""
        return attrs.evolve(self, timeout=Timeout.coerce(value))

    def max_retries(self, value: int) -> Self:
        """Attempts to open or reopen the connection after the first (default: the client's)."""
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"max_retries must be an int >= 0, got {value!r}")
        return attrs.evolve(self, max_retries=value)

    def max_queue_bytes(self, value: int) -> Self:
        """Bytes of messages queued while reconnecting (default 4 MiB)."""
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"max_queue_bytes must be an int >= 0, got {value!r}")
        return attrs.evolve(self, max_queue_bytes=value)

    def build(self) -> WebSocketRequest:
        """Compile the handshake (URL and headers, the key included) without connecting."""
        return self._request(self._client._auth_headers())

    def _request(self, auth: Mapping[str, str]) -> WebSocketRequest:
        client = self._client
        config = client._config
        if getattr(config, "azure_endpoint", None) and self._path == "/realtime":
            # Azure OpenAI: wss://{host}/openai/realtime?api-version=…&deployment=… (lib.azure).
            import importlib

            azure = importlib.import_module("openai_core.lib.azure")
            model = dict(self._query).get("model")
            url = azure.realtime_url(config, model)
            extra = tuple((k, v) for k, v in self._query if k != "model")
            if extra:
                url = f"{url}&{encode_query(extra)}"
        else:
            url = ws_url(config.base_url, self._path, (*config.default_query, *self._query))
        headers: Dict[str, str] = {
            k: v for k, v in client._base_headers.items() if not k.lower().startswith("accept")
        }
        headers.update(auth)
        for name, value in self._headers:
            for existing in [k for k in headers if k.lower() == name.lower()]:
                del headers[existing]
            headers[name] = value
        return WebSocketRequest(url=url, headers=tuple(headers.items()))

    def _open_connection(self, describe: str) -> WebSocketConnection:
        client = self._client
        timeout = self._timeout or client._config.timeout
        max_retries = client._config.max_retries if self._max_retries is None else self._max_retries

        def opener() -> Any:
            request = self._request(client._auth_headers())
            return _connect(request, timeout)

        connection = WebSocketConnection(
            opener,
            max_retries=max_retries,
            max_queue_bytes=self._max_queue_bytes,
            sleep=client._sleep,
            describe=describe,
        )
        connection.open()
        return connection


def _connect(request: WebSocketRequest, timeout: Timeout) -> Any:
    """Open one WebSocket, translating ``websocket-client``'s exceptions."""
    import websocket

    started = time.monotonic()
    if logger.isEnabledFor(10):
        logger.debug("WebSocket %s headers=%s", request.url, redact_headers(request.headers))
    try:
        ws = websocket.create_connection(
            request.url,
            header=[f"{k}: {v}" for k, v in request.headers],
            timeout=timeout.connect,
            enable_multithread=True,
            suppress_origin=True,
            # Its pure-Python UTF-8 check costs a fifth of a turn; text is decoded here anyway.
            skip_utf8_validation=True,
        )
    except websocket.WebSocketBadStatusException as exc:
        headers = dict(exc.resp_headers or {})
        raise make_status_error(
            exc.status_code,
            exc.resp_body or b"",
            headers=headers,
            request_id=headers.get("x-request-id"),
        ) from None
    except (websocket.WebSocketTimeoutException, socket.timeout) as exc:
        raise APITimeoutError(f"WebSocket handshake with {request.url} timed out") from exc
    except (websocket.WebSocketException, OSError) as exc:
        raise APIConnectionError(f"WebSocket connection to {request.url} failed: {exc}") from exc
    ws.settimeout(timeout.read)
    logger.info("WebSocket %s open in %.3f s", request.url, time.monotonic() - started)
    return ws


def encode_event(event: Any) -> Tuple[str, Any]:
    """``(JSON text, event as a dict)`` for a mapping or a model with ``to_dict()``."""
    if hasattr(event, "to_dict") and not isinstance(event, Mapping):
        event = event.to_dict()
    if not isinstance(event, Mapping):
        raise TypeError(f"an event is a mapping or a model, got {type(event).__name__}")
    if not isinstance(event.get("type"), str):
        raise ValueError("an event needs a string 'type'")
    event = dict(event)
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"), allow_nan=False), event
