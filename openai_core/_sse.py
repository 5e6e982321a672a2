"""Server-sent events: a WHATWG-conformant decoder and ``Stream[T]``, the iterator users hold.

Why the decoder is our own and not ``sseclient-py``'s parser: ``sseclient.SSEClient`` decodes each
line on its own and fails on invalid UTF-8, keeps ``retry`` as text, misses a dispatch when a CR
line ending is followed by a CRLF (also in the next read, gluing two events into one), yields an
unterminated last event at EOF (the spec drops it), does not
keep ``id`` across events or ignore ids containing NUL, and allocates an object per line. Each of
those breaks a compatible server seen in the wild (compat C1–C9), and there is no hook to fix
them from outside, so the line parser is replaced; the decoder below works on bytes, splits lines
on CR, LF and CRLF (also when CRLF straddles two reads), decodes a whole event's data at once (a
multi-byte character may straddle reads; invalid bytes become U+FFFD) and never splits on U+2028.

Source: https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
"""

from __future__ import annotations

import contextlib
import json
import time
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Generic,
    Iterable,
    Iterator,
    List,
    Optional,
    Tuple,
    TypeVar,
)

import attrs

from openai_core._errors import (
    APIError,
    APIResponseValidationError,
    StreamTimeoutError,
    error_from_payload,
)

if TYPE_CHECKING:
    import requests
    from typing_extensions import Self

    from openai_core._config import Timeout

__all__ = ["EventSource", "ServerSentEvent", "Stream", "iter_sse_events"]

T = TypeVar("T")

_LF = 10
_COLON = 58

#: Seconds to wait after ``data: [DONE]`` for the end of the body (the terminating chunk of a
#: chunked response), so the connection can be reused; a server that keeps the stream open
#: longer has its connection closed instead.
_DONE_GRACE = 0.02
#: Bytes read after ``data: [DONE]`` at most, looking for the end of the body.
_DONE_DRAIN_LIMIT = 65536


@attrs.frozen(slots=True)
class ServerSentEvent:
    """One dispatched event.

    Attributes:
        data: The event's data lines joined with ``\\n`` (may be ``""`` for a bare ``data:``).
        event: The ``event`` field, or ``None`` when absent (the spec's default type "message").
        id: The last event id seen in the stream so far, or ``None``.
        retry: The last ``retry`` value (milliseconds), or ``None``.
    """

    data: str
    event: Optional[str] = None
    id: Optional[str] = None
    retry: Optional[int] = None


def iter_sse_events(chunks: Iterable[bytes]) -> Iterator[ServerSentEvent]:
    """Decode an event stream given as byte chunks of any size.

    Follows the WHATWG event-stream interpretation: comments skipped, one leading space
    stripped from values, ``data`` lines joined with ``\\n``, ``id`` kept across events (ignored if
    it contains NUL), integer ``retry``, unknown fields ignored, an event with no ``data`` field
    not dispatched, and an unterminated event at end of input dropped.
    """
    for data, event, last_id, retry in _iter_events(chunks):
        yield ServerSentEvent(data, event, last_id, retry)


def _iter_events(
    chunks: Iterable[bytes],
) -> Iterator[Tuple[str, Optional[str], Optional[str], Optional[int]]]:
    """:func:`iter_sse_events` as ``(data, event, id, retry)`` tuples (what ``EventSource``
    reads, without an object per event)."""
    pending: List[bytes] = []
    skip_lf = False
    data_parts: List[bytes] = []
    event_type: Optional[bytes] = None
    last_id: Optional[str] = None
    retry: Optional[int] = None
    chunks = _strip_bom(chunks)
    for chunk in chunks:
        if not chunk:
            continue
        if skip_lf:
            skip_lf = False
            if chunk[0] == _LF:
                chunk = chunk[1:]  # noqa: PLW2901 - the LF of a CRLF split across reads
                if not chunk:
                    continue
        if b"\r" in chunk:
            skip_lf = chunk[-1] == 13
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")  # noqa: PLW2901
        if b"\n" not in chunk:
            pending.append(chunk)
            continue
        if pending:
            pending.append(chunk)
            buffer = b"".join(pending)
            pending = []
        else:
            buffer = chunk
        lines = buffer.split(b"\n")
        rest = lines.pop()
        if rest:
            pending.append(rest)
        for line in lines:
            if not line:
                if data_parts:
                    raw = data_parts[0] if len(data_parts) == 1 else b"\n".join(data_parts)
                    yield (
                        raw.decode("utf-8", "replace"),
                        event_type.decode("utf-8", "replace") if event_type is not None else None,
                        last_id,
                        retry,
                    )
                    data_parts = []
                event_type = None
                continue
            if line[0] == _COLON:
                continue
            field, sep, value = line.partition(b":")
            if sep and value[:1] == b" ":
                value = value[1:]
            if field == b"data":
                data_parts.append(value)
            elif field == b"event":
                event_type = value
            elif field == b"id":
                if b"\x00" not in value:
                    last_id = value.decode("utf-8", "replace")
            elif field == b"retry" and value.isdigit():
                retry = int(value)


def _strip_bom(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Drop a UTF-8 byte order mark at the very start of the stream (WHATWG), even if split."""
    iterator = iter(chunks)
    head = b""
    for chunk in iterator:
        head += chunk
        if len(head) >= 3 or not b"\xef\xbb\xbf".startswith(head):
            break
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if head:
        yield head
    yield from iterator


_scan_once = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # set in __init__


def _loads(text: str) -> Any:
    """``json.loads`` for event data: the C scanner straight away, and ``json.loads`` itself
    (its whitespace handling, its errors) only when the text is not exactly one JSON value."""
    try:
        value, end = _scan_once(text, 0)
    except StopIteration:
        return json.loads(text)
    if end != len(text):
        return json.loads(text)
    return value


class EventSource:
    """The JSON payloads of one HTTP event stream, with the API's stream semantics.

    Skips events with empty data (compat C2), data starting with ``:`` (keepalives sent as data,
    C3) and, when ``named_events`` is false, events whose ``event`` field is neither absent,
    ``message`` nor ``error`` (C4). Ends at ``data: [DONE]`` (closing the response even if the
    server keeps it open, C7) or at end of input (C6). Raises the SDK's error for ``event: error``
    (C5) and for payloads with a truthy ``error`` key or ``"type": "error"`` (C9, C33).

    Args:
        response: The streaming ``requests.Response`` (body unread).
        timeout: The call's :class:`~openai_core.Timeout`, whose ``stream_*`` deadlines raise
            :class:`~openai_core.StreamTimeoutError` (default ``Timeout()``).
        sent_at: ``time.monotonic()`` when the request was sent (default: now), where the
            first-event and total deadlines start.
        named_events: Keep events with any ``event:`` name.
        envelope: Return ``{"event": <event name, "message" when absent>, "data": <payload>}``
            instead of the payload (implies ``named_events``), for streams whose payloads carry
            no ``type`` of their own: Assistants runs send ``event: thread.run.created`` with the
            run object as ``data``, and end with ``event: done`` / ``data: [DONE]``.
    """

    def __init__(
        self,
        response: requests.Response,
        *,
        named_events: bool = False,
        envelope: bool = False,
        timeout: Optional[Timeout] = None,
        sent_at: Optional[float] = None,
    ) -> None:
        self.response = response
        self._named_events = named_events or envelope
        self._envelope = envelope
        from openai_core._config import Timeout
        from openai_core._deadlines import StreamDeadlines
        from openai_core._transport import iter_raw_chunks

        self.request_id: Optional[str] = response.headers.get("x-request-id")
        self._deadlines = StreamDeadlines(
            timeout or Timeout(),
            time.monotonic() if sent_at is None else sent_at,
            self.request_id,
        )
        self._raw = iter_raw_chunks(response)
        self._events = _iter_events(self._deadlines.guard(response, self._raw))
        self._closed = False

    def next_payload(self) -> Optional[Any]:
        """The next decoded JSON payload, or ``None`` at the end of the stream.

        Raises:
            APIError: an error event, or an error payload, sent by the server.
            APIConnectionError, APITimeoutError: the connection failed mid-stream.
            APIResponseValidationError: an event whose data is not JSON.
        """
        if self._closed:
            return None
        try:
            while True:
                try:
                    data, event, _id, _retry = next(self._events)
                except StopIteration:
                    self.close()
                    return None
                if not data or data[0] == ":":
                    continue
                if data.startswith("[DONE]"):
                    self._finish()
                    return None
                if event not in (None, "message", "error") and not self._named_events:
                    continue
                try:
                    payload = _loads(data)
                except (ValueError, RecursionError) as exc:  # or nested too deep
                    if event == "error":
                        raise error_from_payload(data, request_id=self.request_id) from exc
                    raise APIResponseValidationError(
                        f"A stream event's data is not JSON: {data[:200]!r}",
                        body=data,
                        request_id=self.request_id,
                    ) from exc
                if isinstance(payload, dict):
                    if event == "error" or payload.get("error"):
                        raise error_from_payload(
                            payload.get("error") or payload, request_id=self.request_id
                        )
                    if payload.get("type") == "error":
                        raise error_from_payload(payload, request_id=self.request_id)
                elif event == "error":
                    raise error_from_payload(payload, request_id=self.request_id)
                self._deadlines.event()
                if self._envelope:
                    return {"event": event or "message", "data": payload}
                if payload is None:  # "data: null" carries nothing; None means the end
                    continue
                return payload
        except APIError:
            self.close()
            raise
        except Exception as exc:
            self.close()
            from openai_core._transport import translate_exception

            raise translate_exception(exc) from exc

    def _finish(self) -> None:
        """End the stream at ``[DONE]``: read the end of the body if it comes at once (within
        ``_DONE_GRACE`` seconds, at most ``_DONE_DRAIN_LIMIT`` bytes), so that the connection goes
        back to the pool; otherwise (a server that keeps the stream open, C7) close it."""
        if self._closed:
            return
        from openai_core._deadlines import _socket_of

        self._closed = True
        sock = _socket_of(self.response)
        if sock is not None:
            # Any failure here only means the connection is closed rather than reused.
            with contextlib.suppress(Exception):
                sock.settimeout(_DONE_GRACE)  # the next request on it sets its own timeout
                left = _DONE_DRAIN_LIMIT
                for chunk in self._raw:  # urllib3 releases the connection at the body's end
                    left -= len(chunk)
                    if left < 0:
                        break
        self.response.close()  # a no-op for the connection if it went back to the pool

    def close(self) -> None:
        """Close the response without draining it. Idempotent."""
        if not self._closed:
            self._closed = True
            self.response.close()


class Stream(Generic[T]):
    """An iterator of typed stream events that owns its HTTP response.

    Use it as a context manager, or iterate it to the end: the response is closed on
    exhaustion, ``break`` (when the stream is garbage-collected, or at once inside ``with``),
    an error, or :meth:`close`. Closing never drains the rest of the body.

    Examples:
        >>> with client.chat().completions().create().model("m").message_user("hi").stream() as s:
        ...     for chunk in s:
        ...         print(chunk.choices[0].delta.content if chunk.choices else "", end="")

    Raises (while iterating):
        APIError and subclasses: errors sent inside the stream, with the server's message.
        APIConnectionError / APITimeoutError: the connection failed mid-stream.
    """

    def __init__(
        self, source: EventSource, first: Optional[Any], decode: Callable[[Any], T]
    ) -> None:
        self._source = source
        self._first = first
        self._decode = decode
        self._started = False
        self._done = first is None
        self._last_payload: Any = None

    @property
    def response(self) -> requests.Response:
        """The underlying ``requests.Response`` (its headers, status and request id)."""
        return self._source.response

    @property
    def request_id(self) -> Optional[str]:
        """The ``x-request-id`` header of the stream's response, or ``None``."""
        return self._source.request_id

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> T:
        if not self._started:
            self._started = True
            if self._first is not None:
                first, self._first = self._first, None
                return self._item(first)
        if self._done:
            self._source.close()
            raise StopIteration
        try:
            payload = self._source.next_payload()
        except BaseException as exc:
            self._done = True
            self._source.close()
            if isinstance(exc, StreamTimeoutError):
                exc.stream = self  # what arrived before the deadline stays readable
            raise
        if payload is None:
            self._done = True
            self._on_end()
            raise StopIteration
        return self._item(payload)

    def _item(self, payload: Any) -> T:
        self._last_payload = payload
        try:
            return self._on_item(self._decode(payload))
        except BaseException:  # a decode error, or an error the payload stands for
            self._done = True
            self._source.close()
            raise

    def _on_item(self, item: T) -> T:
        """Hook for accumulating subclasses; returns the item handed to the caller."""
        return item

    def _on_end(self) -> None:
        """Hook called once when the stream ends cleanly."""

    def until_done(self) -> Self:
        """Consume the remaining events (keeping any accumulated state) and return ``self``."""
        for _ in self:
            pass
        return self

    def to_sse(self) -> Iterator[bytes]:
        """Re-emit the stream for a browser as ``text/event-stream`` bytes.

        Each event is ``event: <type>\\ndata: <json>\\n\\n`` (chat chunks carry no ``type`` and
        get no ``event:`` line; such streams end with ``data: [DONE]``). Iterating the generator
        consumes this stream (accumulating as usual); closing it closes the upstream response.
        An error becomes a last ``event: error`` with the message and request id.

        Examples:
            >>> return flask.Response(stream.to_sse(), mimetype="text/event-stream")
        """
        from openai_core._forward import iter_sse

        return iter_sse(self)

    def to_ndjson(self) -> Iterator[bytes]:
        """Re-emit the stream as newline-delimited JSON bytes: one event object per line, and
        a last ``{"type": "error", ...}`` line on an error. Closing it closes the upstream.

        Examples:
            >>> return flask.Response(stream.to_ndjson(), mimetype="application/x-ndjson")
        """
        from openai_core._forward import iter_ndjson

        return iter_ndjson(self)

    def close(self) -> None:
        """Close the response now, without draining it. Idempotent."""
        self._done = True
        self._first = None
        self._source.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        source = getattr(self, "_source", None)
        if source is not None:
            source.close()
