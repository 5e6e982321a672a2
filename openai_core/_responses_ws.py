"""A persistent Responses session over one WebSocket: ``client.responses().ws().connect()``.

Each turn is a ``response.create`` client event carrying the same top-level fields as
``POST /responses`` (``stream`` is implicit and never sent); the server answers with the same
events as the HTTP stream (``response.created`` … ``response.completed``), so a turn is read with
the same :class:`~openai_core.ResponseStream`. Turns run one after the other on the socket; a turn
abandoned early is drained before the next one starts. ``{"type": "error"}`` ends a turn with an
:class:`~openai_core.APIError` (an ``APIStatusError`` subclass when it carries a ``status``).

The session remembers the id of the last completed response: ``create().chain()`` sets
``previous_response_id`` to it, and ``connect(chain=True)`` does so for every turn. A connection
dropped with a recoverable code is reopened; a turn that had no answer yet is sent again on the new
connection, and one whose events were partly lost with the old connection raises
:class:`~openai_core.APIConnectionError` (send it again).

Source: https://platform.openai.com/docs/api-reference/responses-websocket-client-events
"""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING, Any, Dict, Optional, cast

import attrs

from openai_core._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    WebSocketClosedError,
    error_from_payload,
    make_status_error,
)
from openai_core._responses_stream import ResponseStream
from openai_core._ws import WebSocketBuilder, WebSocketConnection, encode_event
from openai_core.resources.responses import ResponseCreate

if TYPE_CHECKING:
    import requests
    from typing_extensions import Self

    from openai_core._builder import ApiResponse
    from openai_core._sse import EventSource
    from openai_core.types.responses import Response

__all__ = ["ResponsesSession", "ResponsesWebSocketBuilder", "SessionResponseCreate"]

_TERMINAL = frozenset({"response.completed", "response.failed", "response.incomplete"})


@attrs.frozen(kw_only=True)
class ResponsesWebSocketBuilder(WebSocketBuilder):
    """``/responses`` upgraded to a WebSocket, for many turns over one connection.

    Examples:
        >>> with client.responses().ws().connect(chain=True) as session:
        ...     base = session.create().model("gpt-5.4")
        ...     print(base.input_text("Name a prime").send().output_text)
        ...     print(base.input_text("And the next one?").send().output_text)  # chained

    Source: https://platform.openai.com/docs/api-reference/responses-websocket-client-events
    """

    _path = "/responses"

    def connect(self, *, warm_up: bool = True, chain: bool = False) -> ResponsesSession:
        """Return a session; with ``warm_up`` (default) the WebSocket handshake is done now,
        so the first turn pays no connection setup; otherwise on the first turn.

        Args:
            warm_up: Connect now rather than on the first turn.
            chain: Set ``previous_response_id`` on every turn to the last completed response's
                id (a turn that sets it itself keeps its own).

        Raises:
            APIStatusError subclasses, APIConnectionError: the handshake failed (with warm-up).
        """
        session = ResponsesSession(self, chain=chain)
        if warm_up:
            session._connect()
        return session


class ResponsesSession:
    """Many Responses turns over one WebSocket; a context manager. Thread-safe (turns are
    serialized)."""

    def __init__(self, builder: ResponsesWebSocketBuilder, *, chain: bool) -> None:
        self._builder = builder
        self._client = builder._client
        self.chain = chain
        """Whether every turn continues from the last completed response."""
        self.last_response_id: Optional[str] = None
        """The id of the last response that completed on this session."""
        self._connection: Optional[WebSocketConnection] = None
        self._lock = threading.RLock()
        self._active: Optional[_TurnSource] = None

    def _connect(self) -> WebSocketConnection:
        with self._lock:
            if self._connection is None:
                self._connection = self._builder._open_connection("responses")
            return self._connection

    def create(self) -> SessionResponseCreate:
        """A ``responses().create()`` builder whose ``send()`` / ``stream()`` go over this
        session's socket (every setter of the HTTP builder is available)."""
        from openai_core.types.responses import Response

        return SessionResponseCreate(
            client=self._client,
            method="POST",
            path="/responses",
            decode=self._client._decode_model(Response),
            session=self,
            chain=self.chain,
        )

    @property
    def connected(self) -> bool:
        """Whether the WebSocket is open (or reconnecting)."""
        return self._connection is not None and not self._connection.closed

    def close(self) -> None:
        """Close the WebSocket (code 1000). Idempotent."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()

    def __enter__(self) -> ResponsesSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _start_turn(self, event: Dict[str, Any]) -> _TurnSource:
        with self._lock:
            connection = self._connect()
            if self._active is not None and not self._active.done:
                self._active.drain()
            chain = event.pop("__chain__", False)
            if chain and "previous_response_id" not in event and self.last_response_id:
                event["previous_response_id"] = self.last_response_id
            text, payload = encode_event(event)
            connection.set_replay(None)
            connection.send(text, payload)
            connection.set_replay(text)  # sent again if the connection reopens before an answer
            source = _TurnSource(self, connection)
            self._active = source
            return source


class _TurnSource:
    """The events of one turn, for :class:`ResponseStream` (it stands in for an SSE source)."""

    response: Optional[requests.Response] = None
    request_id: Optional[str] = None

    def __init__(self, session: ResponsesSession, connection: WebSocketConnection) -> None:
        self._session = session
        self._connection = connection
        self._started = False
        self.done = False

    def next_payload(self) -> Optional[Any]:
        if self.done:
            return None
        text = self._connection.recv(self._on_reconnect)
        if text is None:
            self.done = True
            raise WebSocketClosedError("The Responses session closed before the response ended")
        self._connection.set_replay(None)
        try:
            payload = json.loads(text)
        except ValueError:
            self.done = True
            raise APIResponseValidationError(
                f"A Responses WebSocket message is not JSON: {text[:200]!r}", body=text
            ) from None
        self._started = True
        kind = payload.get("type") if isinstance(payload, dict) else None
        if kind == "error":
            self.done = True
            raise _ws_error(payload)
        if kind in _TERMINAL:
            self.done = True
            response = payload.get("response")
            if kind == "response.completed" and isinstance(response, dict):
                self._session.last_response_id = response.get("id")
        return payload

    def _on_reconnect(self) -> None:
        if not self._started:
            return  # no answer yet: the connection sent the turn again
        self.done = True
        raise APIConnectionError(
            "The Responses WebSocket was reopened while a response was in progress; its "
            "events were lost with the old connection. Send the turn again."
        )

    def drain(self) -> None:
        """Read (and drop) the rest of this turn's events."""
        try:
            while self.next_payload() is not None:
                pass
        except APIError:
            pass

    def close(self) -> None:
        """Leave the rest of the turn on the socket; the next turn drains it."""


def _ws_error(payload: Dict[str, Any]) -> APIError:
    status = payload.get("status")
    error = payload.get("error", payload)
    if isinstance(status, int) and status >= 400:
        return make_status_error(status, {"error": error})
    return error_from_payload(error)


@attrs.frozen(kw_only=True)
class SessionResponseCreate(ResponseCreate):
    """``responses().create()`` over a :class:`ResponsesSession`: the same setters; ``send()``
    returns the ``Response``, ``stream()`` a :class:`ResponseStream`; ``to_event()`` shows the
    ``response.create`` event that would be sent."""

    _session: ResponsesSession = attrs.field(repr=False)
    _chain: bool = False

    def chain(self, enabled: bool = True) -> Self:
        """Continue from the session's last completed response (``previous_response_id``)."""
        return attrs.evolve(self, chain=enabled)

    def stream_id(self, value: str) -> Self:
        """The WebSocket lane (``stream_id``) for this response; events echo it."""
        return self._set("stream_id", value)

    def to_event(self) -> Dict[str, Any]:
        """The ``response.create`` client event for this turn (chaining not yet applied)."""
        body = self._body if isinstance(self._body, dict) else {}
        event: Dict[str, Any] = {"type": "response.create"}
        event.update((k, v) for k, v in body.items() if k != "stream")
        return event

    def _start(self) -> _TurnSource:
        event = self.to_event()
        if self._chain:
            event["__chain__"] = True
        return self._session._start_turn(event)

    def stream(self) -> ResponseStream:
        """Send the turn and return its events as a :class:`ResponseStream`.

        Raises:
            APIError and subclasses: an ``error`` event (while iterating).
            WebSocketClosedError, APIConnectionError: the connection failed.
        """
        from openai_core.types.responses import ResponseStreamEvent

        source = self._start()
        first = source.next_payload()
        decode = self._client._decode_model(ResponseStreamEvent)
        return ResponseStream(cast("EventSource", source), first, decode)

    def send(self) -> Response:
        """Send the turn and return the final ``Response`` (read from ``response.completed``).

        Raises:
            APIError and subclasses: an ``error`` event.
            WebSocketClosedError, APIConnectionError: the connection failed.
        """
        # Only the terminal event's response is decoded (send() hands out no events).
        source = self._start()
        last: Any = None
        while True:
            payload = source.next_payload()
            if payload is None:
                break
            last = payload
        if not isinstance(last, dict) or last.get("type") not in _TERMINAL:
            raise APIResponseValidationError("The turn ended without a response.completed event")
        response: Response = self._decoder()(last.get("response"))
        return response

    def send_with_meta(self) -> ApiResponse[Response]:
        """Not available on a WebSocket session (there are no per-turn HTTP headers)."""
        raise TypeError("send_with_meta() is HTTP-only; use send() on a WebSocket session")

    def send_raw(self) -> requests.Response:
        """Not available on a WebSocket session."""
        raise TypeError("send_raw() is HTTP-only; use send() on a WebSocket session")
