"""Realtime over WebSocket: ``client.realtime().ws().model("…").connect()`` → a socket.

The socket iterates typed server events (the generated ``RealtimeServerEvent`` union; an
unknown ``type`` decodes to ``UnknownRealtimeServerEvent`` with its fields in ``extra``). ``error``
events are data, not exceptions. Client events go out with :meth:`RealtimeSocket.send_json` or
the typed helpers, namespaced as in openai-python: ``socket.session.update(...)``,
``socket.input_audio_buffer.append(audio)``, ``socket.conversation.item.create(item)``,
``socket.response.create()``, ``socket.output_audio_buffer.clear()`` …

Reconnection (close codes 1001, 1005, 1006, 1011-1013, 1015) and the send queue are those of
:class:`~openai_core._ws.WebSocketConnection`. A reopened realtime connection is a new session:
the server sends ``session.created`` again and the conversation starts empty; send
``session.update`` again if you configured the session.

Source: https://platform.openai.com/docs/api-reference/realtime-client-events
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any, Callable, Dict, Mapping, Optional, Union

import attrs

from openai_core._ws import WebSocketBuilder, WebSocketConnection, WebSocketRequest, encode_event

if TYPE_CHECKING:
    from typing_extensions import Self

    from openai_core._generated.models.shared import RealtimeServerEvent

__all__ = ["RealtimeSocket", "RealtimeWebSocketBuilder"]


@attrs.frozen(kw_only=True)
class RealtimeWebSocketBuilder(WebSocketBuilder):
    """``GET /realtime`` upgraded to a WebSocket: ``?model=…`` for a new session, or
    ``?call_id=…`` to attach to a SIP/WebRTC call.

    Examples:
        >>> with client.realtime().ws().model("gpt-realtime").connect() as socket:
        ...     socket.session.update({"type": "realtime", "output_modalities": ["text"]})
        ...     socket.conversation.item.create(
        ...         {"type": "message", "role": "user",
        ...          "content": [{"type": "input_text", "text": "Hi"}]})
        ...     socket.response.create()
        ...     for event in socket:
        ...         if event.type == "response.output_text.delta":
        ...             print(event.delta, end="")
        ...         elif event.type == "response.done":
        ...             break

    Source: https://platform.openai.com/docs/guides/realtime-websocket
    """

    _path = "/realtime"

    def model(self, value: str) -> Self:
        """The realtime model (query ``model``)."""
        return self.query("model", value)

    def call_id(self, value: str) -> Self:
        """Attach to an existing call (query ``call_id``) instead of starting a session."""
        return self.query("call_id", value)

    def connect(self) -> RealtimeSocket:
        """Open the WebSocket (retrying like HTTP) and return the socket.

        Raises:
            ValueError: neither ``model()`` nor ``call_id()`` was set.
            APIStatusError subclasses: the handshake was refused (401, 404 …).
            APIConnectionError, APITimeoutError: the server could not be reached.
        """
        if not any(name in ("model", "call_id") for name, _ in self._query):
            raise ValueError("realtime().ws() needs .model(...) or .call_id(...)")
        from openai_core._generated.models.shared import RealtimeServerEvent

        connection = self._open_connection("realtime")
        decode = self._client._decode_model(RealtimeServerEvent)
        return RealtimeSocket(connection, decode, self.build())


class _Namespace:
    __slots__ = ("_socket",)

    def __init__(self, socket: RealtimeSocket) -> None:
        self._socket = socket

    def _send(self, event_type: str, event_id: Optional[str], **fields: Any) -> None:
        event: Dict[str, Any] = {"type": event_type}
        event.update({k: v for k, v in fields.items() if v is not None})
        if event_id is not None:
            event["event_id"] = event_id
        self._socket.send_json(event)


class SessionEvents(_Namespace):
    """``socket.session``."""

    __slots__ = ()

    def update(self, session: Mapping[str, Any], *, event_id: Optional[str] = None) -> None:
        """``session.update``: change the session's configuration (``session`` as the API
        documents it, e.g. ``{"type": "realtime", "instructions": "…"}``)."""
        self._send("session.update", event_id, session=dict(session))


class InputAudioBufferEvents(_Namespace):
    """``socket.input_audio_buffer``."""

    __slots__ = ()

    def append(self, audio: Union[bytes, str], *, event_id: Optional[str] = None) -> None:
        """``input_audio_buffer.append``: raw audio ``bytes`` (base64-encoded here) or an
        already base64-encoded ``str``."""
        if isinstance(audio, (bytes, bytearray, memoryview)):
            audio = base64.b64encode(bytes(audio)).decode("ascii")
        self._send("input_audio_buffer.append", event_id, audio=audio)

    def commit(self, *, event_id: Optional[str] = None) -> None:
        """``input_audio_buffer.commit``: make the buffered audio a user message."""
        self._send("input_audio_buffer.commit", event_id)

    def clear(self, *, event_id: Optional[str] = None) -> None:
        """``input_audio_buffer.clear``: discard the buffered audio."""
        self._send("input_audio_buffer.clear", event_id)


class OutputAudioBufferEvents(_Namespace):
    """``socket.output_audio_buffer`` (WebRTC/SIP sessions)."""

    __slots__ = ()

    def clear(self, *, event_id: Optional[str] = None) -> None:
        """``output_audio_buffer.clear``: stop the audio being played and discard the rest."""
        self._send("output_audio_buffer.clear", event_id)


class ConversationItemEvents(_Namespace):
    """``socket.conversation.item``."""

    __slots__ = ()

    def create(
        self,
        item: Mapping[str, Any],
        *,
        previous_item_id: Optional[str] = None,
        event_id: Optional[str] = None,
    ) -> None:
        """``conversation.item.create``: add an item (after ``previous_item_id`` if given)."""
        self._send(
            "conversation.item.create",
            event_id,
            previous_item_id=previous_item_id,
            item=dict(item),
        )

    def delete(self, item_id: str, *, event_id: Optional[str] = None) -> None:
        """``conversation.item.delete``."""
        self._send("conversation.item.delete", event_id, item_id=item_id)

    def retrieve(self, item_id: str, *, event_id: Optional[str] = None) -> None:
        """``conversation.item.retrieve``: the server answers ``conversation.item.retrieved``."""
        self._send("conversation.item.retrieve", event_id, item_id=item_id)

    def truncate(
        self,
        item_id: str,
        *,
        content_index: int,
        audio_end_ms: int,
        event_id: Optional[str] = None,
    ) -> None:
        """``conversation.item.truncate``: cut an assistant audio item at ``audio_end_ms``."""
        self._send(
            "conversation.item.truncate",
            event_id,
            item_id=item_id,
            content_index=content_index,
            audio_end_ms=audio_end_ms,
        )


class ConversationEvents(_Namespace):
    """``socket.conversation``."""

    __slots__ = ()

    @property
    def item(self) -> ConversationItemEvents:
        """``conversation.item.*`` events."""
        return ConversationItemEvents(self._socket)


class ResponseEvents(_Namespace):
    """``socket.response``."""

    __slots__ = ()

    def create(
        self, response: Optional[Mapping[str, Any]] = None, *, event_id: Optional[str] = None
    ) -> None:
        """``response.create``: ask for a response (``response`` overrides the session's
        settings for this one, as the API documents)."""
        body = None if response is None else dict(response)
        self._send("response.create", event_id, response=body)

    def cancel(self, response_id: Optional[str] = None, *, event_id: Optional[str] = None) -> None:
        """``response.cancel``: cancel the response in progress (or ``response_id``)."""
        self._send("response.cancel", event_id, response_id=response_id)


class RealtimeSocket:
    """A realtime session over one (reconnecting) WebSocket; iterate it for server events.

    A context manager; :meth:`close` ends it. Thread-safe: one thread may iterate while others
    send (audio appends, say).

    Raises (while iterating or sending):
        WebSocketClosedError: closed with a code that is not retried (1008 …) or reconnection
            was given up; ``unsent`` holds the client events that never reached the server.
        WebSocketQueueFullError: too much was sent while reconnecting.
        APITimeoutError: nothing arrived within the read timeout.
    """

    def __init__(
        self,
        connection: WebSocketConnection,
        decode: Callable[[Any], RealtimeServerEvent],
        request: WebSocketRequest,
    ) -> None:
        self._connection = connection
        self._decode = decode
        self.request = request
        """The handshake this socket was opened with (``repr`` redacts the key)."""

    @property
    def session(self) -> SessionEvents:
        """``session.update``."""
        return SessionEvents(self)

    @property
    def input_audio_buffer(self) -> InputAudioBufferEvents:
        """``input_audio_buffer.append`` / ``.commit`` / ``.clear``."""
        return InputAudioBufferEvents(self)

    @property
    def output_audio_buffer(self) -> OutputAudioBufferEvents:
        """``output_audio_buffer.clear``."""
        return OutputAudioBufferEvents(self)

    @property
    def conversation(self) -> ConversationEvents:
        """``conversation.item.create`` / ``.delete`` / ``.truncate`` / ``.retrieve``."""
        return ConversationEvents(self)

    @property
    def response(self) -> ResponseEvents:
        """``response.create`` / ``.cancel``."""
        return ResponseEvents(self)

    @property
    def reconnects(self) -> int:
        """How many times the connection was reopened after a recoverable close."""
        return self._connection.reconnects

    @property
    def closed(self) -> bool:
        """Whether the session is over."""
        return self._connection.closed

    def send_json(self, event: Any) -> None:
        """Send one client event: a mapping with a ``type``, or a generated
        ``RealtimeClientEvent…`` model. Queued while reconnecting.

        Raises:
            TypeError, ValueError: not an event.
            WebSocketClosedError, WebSocketQueueFullError: see the class docstring.
        """
        text, payload = encode_event(event)
        self._connection.send(text, payload)

    def recv_json(self) -> Optional[Dict[str, Any]]:
        """The next server event as a ``dict``; ``None`` once the session ended normally."""
        import json

        text = self._connection.recv()
        if text is None:
            return None
        from openai_core._errors import APIResponseValidationError

        try:
            payload = json.loads(text)
        except ValueError:
            raise APIResponseValidationError(
                f"A realtime message is not JSON: {text[:200]!r}", body=text
            ) from None
        if not isinstance(payload, dict):
            raise APIResponseValidationError("A realtime message is not an object", body=payload)
        return payload

    def recv(self) -> RealtimeServerEvent:
        """The next server event, typed.

        Raises:
            WebSocketClosedError: the session is over (also after a normal close).
        """
        payload = self.recv_json()
        if payload is None:
            from openai_core._errors import WebSocketClosedError

            raise WebSocketClosedError("The realtime session is closed")
        return self._decode(payload)

    def __iter__(self) -> RealtimeSocket:
        return self

    def __next__(self) -> RealtimeServerEvent:
        payload = self.recv_json()
        if payload is None:
            raise StopIteration
        return self._decode(payload)

    def close(self) -> None:
        """Close the WebSocket (code 1000). Idempotent."""
        self._connection.close()

    def __enter__(self) -> RealtimeSocket:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"RealtimeSocket(url={self.request.url!r}, closed={self.closed})"
