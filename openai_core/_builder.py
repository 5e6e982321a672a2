"""The generic request builder and its terminals, shared by every operation.

A builder is an immutable value: every setter returns a new builder, so a half-built request is a
reusable template. ``build()`` compiles it to a :class:`~openai_core.Request` with no I/O; the
terminals ``send()``, ``send_with_meta()``, ``send_raw()`` and ``stream()`` hand it to the client.

What goes on the wire and what comes back is declared per operation with class variables, so the
generated builders only name their fields:

- ``_request_kind``: ``"json"`` (default), ``"multipart"`` (file fields set with
  :meth:`RequestBuilder._set_file`, other fields as form fields), ``"sdp"`` (a plain
  ``application/sdp`` body) or ``"none"`` (no body, even for POST);
- ``_response_kind``: ``"json"`` (default: the decoded model), ``"binary"``
  (a :class:`~openai_core.BinaryResponse`), ``"text"`` / ``"sdp"`` (``str``) or ``"none"``
  (``None``);
- ``_stream_event_model``, ``_stream_named_events``, ``_stream_envelope``, ``_stream_fields``:
  how :meth:`RequestBuilder._stream` asks for and decodes server-sent events.
"""

from __future__ import annotations

from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    ClassVar,
    Generic,
    Iterable,
    Mapping,
    Optional,
    Tuple,
    TypeVar,
    Union,
)

import attrs

from openai_core._body import RawBody, encode_body
from openai_core._config import Timeout

if TYPE_CHECKING:
    import requests
    from typing_extensions import Self

    from openai_core._client import Client
    from openai_core._files import FileTypes
    from openai_core._hedging import HedgePolicy
    from openai_core._request import Request
    from openai_core._sse import EventSource, Stream

__all__ = ["ApiResponse", "RateLimitInfo", "RequestBuilder", "ResponseMeta"]

T = TypeVar("T")
E = TypeVar("E")
_NO_BODY: Any = object()
RESPONSE_KINDS = ("json", "binary", "text", "sdp", "none")
_ACCEPT = {"binary": "application/octet-stream", "sdp": "application/sdp"}


def _identity(payload: Any) -> Any:
    return payload


@attrs.frozen(kw_only=True)
class RateLimitInfo:
    """The ``x-ratelimit-*`` response headers (``None`` when absent).

    Source: https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers
    """

    limit_requests: Optional[int] = None
    limit_tokens: Optional[int] = None
    remaining_requests: Optional[int] = None
    remaining_tokens: Optional[int] = None
    reset_requests: Optional[str] = None
    """Time until the request limit resets, as the server wrote it (``"1s"``, ``"6m0s"``)."""
    reset_tokens: Optional[str] = None
    """Time until the token limit resets, as the server wrote it."""

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimitInfo:
        """Read the rate-limit headers; unparseable numbers are left as ``None``."""

        def number(name: str) -> Optional[int]:
            value = headers.get(name)
            try:
                return int(value) if value is not None else None
            except ValueError:
                return None

        return cls(
            limit_requests=number("x-ratelimit-limit-requests"),
            limit_tokens=number("x-ratelimit-limit-tokens"),
            remaining_requests=number("x-ratelimit-remaining-requests"),
            remaining_tokens=number("x-ratelimit-remaining-tokens"),
            reset_requests=headers.get("x-ratelimit-reset-requests"),
            reset_tokens=headers.get("x-ratelimit-reset-tokens"),
        )


@attrs.frozen(kw_only=True)
class ResponseMeta:
    """What the transport knows about a finished call.

    Attributes:
        request_id: The ``x-request-id`` header, or ``None``.
        status: HTTP status of the final attempt.
        headers: Response headers (case-insensitive mapping).
        elapsed: Seconds from the first attempt's start to the final response's headers.
        attempts: Number of attempts made (1 when no retry happened); for a hedged call, the
            rounds of legs sent.
        rate_limit: The parsed ``x-ratelimit-*`` headers.
        hedged_legs: Requests sent in the final attempt: 1 unless the call was hedged
            (``hedged()``), then the original plus the duplicates sent before one answered.
        winning_leg: Which of them answered: 0 for the original request, ``n`` for the
            ``n``-th duplicate.
    """

    request_id: Optional[str]
    status: int
    headers: Mapping[str, str] = attrs.field(repr=False)
    elapsed: float
    attempts: int
    rate_limit: RateLimitInfo
    hedged_legs: int = 1
    winning_leg: int = 0


@attrs.frozen(kw_only=True)
class ApiResponse(Generic[T]):
    """A decoded result with its metadata, from ``send_with_meta()``.

    Examples:
        >>> result = client.models().list().send_with_meta()
        >>> result.meta.request_id, len(result.data.data)
    """

    data: T
    meta: ResponseMeta


def _check_key(name: str) -> str:
    if not isinstance(name, str) or not name:
        raise ValueError(f"field name must be a non-empty string, got {name!r}")
    return name


@attrs.frozen(kw_only=True)
class RequestBuilder(Generic[T]):
    """An immutable description of one API call, with the same terminals for every operation.

    Setters named after the API's fields are added by each operation's subclass; a field never set
    is never sent, and ``None`` set explicitly is sent as ``null``.

    Examples:
        >>> base = client.chat().completions().create().model("gpt-5.4").temperature(0)
        >>> base.message_user("Hello").send().choices[0].message.content
    """

    _client: Client = attrs.field(repr=False)
    _method: str
    _path: str
    _decode: Callable[[Any], T] = attrs.field(repr=False)
    _body: Any = attrs.field(default=_NO_BODY, repr=False)
    _query: Tuple[Tuple[str, Any], ...] = ()
    _headers: Tuple[Tuple[str, str], ...] = attrs.field(default=(), repr=False)
    _timeout: Optional[Timeout] = None
    _max_retries: Optional[int] = None
    _hedge: Optional[HedgePolicy] = attrs.field(default=None, repr=False)

    _request_kind: ClassVar[str] = "json"
    """How the body is sent: ``"json"``, ``"multipart"``, ``"sdp"`` or ``"none"``."""
    _response_kind: ClassVar[str] = "json"
    """What ``send()`` returns: ``"json"`` (decoded model), ``"binary"`` (BinaryResponse),
    ``"text"`` or ``"sdp"`` (str), ``"none"`` (None)."""
    _accept: ClassVar[Optional[str]] = None
    """The ``Accept`` header, when the response kind's default does not fit (binary:
    ``application/octet-stream``, sdp: ``application/sdp``, else ``application/json``)."""
    _part_content_types: ClassVar[Mapping[str, str]] = {}
    """Multipart fields sent as one part with this content type (``application/json`` ones
    JSON-encoded), as the spec's ``encoding`` object declares."""
    _stream_event_model: ClassVar[Any] = None
    """The model (or tagged union) one stream event decodes into; ``None`` keeps the payload."""
    _stream_named_events: ClassVar[bool] = False
    """Keep events whose SSE ``event:`` field names them (Responses-style streams)."""
    _stream_envelope: ClassVar[bool] = False
    """Hand the decoder ``{"event": <event name>, "data": <payload>}`` (Assistants streams)."""
    _stream_fields: ClassVar[Tuple[Tuple[str, Any], ...]] = (("stream", True),)
    """Body fields that ask a POST for a stream (speech: ``(("stream_format", "sse"),)``)."""

    # -- generic setters ------------------------------------------------------------------------

    def _set(self, key: str, value: Any) -> Self:
        body = self._body
        if body is _NO_BODY or not isinstance(body, dict):
            body = {}
        return attrs.evolve(self, body={**body, key: value})

    def _get(self, key: str, default: Any = None) -> Any:
        body = self._body
        return body.get(key, default) if isinstance(body, dict) else default

    def _append(self, key: str, item: Any) -> Self:
        return self._set(key, (*self._get(key, ()), item))

    def _set_file(self, key: str, value: FileTypes) -> Self:
        """Set a file field of a multipart body (any value :func:`~openai_core.to_file`
        accepts, paths and tuples included).

        Raises:
            TypeError, ValueError, FileNotFoundError: as ``to_file`` does.
        """
        from openai_core._files import to_file

        return self._set(key, to_file(value))

    def _set_files(self, key: str, values: Iterable[FileTypes]) -> Self:
        """Set a file-array field; each file is sent as a ``key[]`` part.

        Raises:
            TypeError: ``values`` is a single file rather than an iterable of files.
        """
        from openai_core._files import to_file

        if isinstance(values, (str, bytes, tuple)) or hasattr(values, "read"):
            raise TypeError(f"{key}: pass a list of files (use a list even for one file)")
        return self._set(key, [to_file(value) for value in values])

    def _set_upload(self, key: str, value: Any) -> Self:
        """Set a field the API accepts as a file, a list of files, or a JSON value (a file
        reference such as ``{"id": ...}``): lists go through :meth:`_set_files`, mappings are
        sent as they are, anything else through :meth:`_set_file`."""
        if isinstance(value, list):
            return self._set_files(key, value)
        if isinstance(value, Mapping):
            return self._set(key, dict(value))
        return self._set_file(key, value)

    def _append_file(self, key: str, value: FileTypes) -> Self:
        """Append one file to a file-array field (sent as ``key[]``)."""
        from openai_core._files import to_file

        return self._set(key, [*self._get(key, ()), to_file(value)])

    def _set_raw_body(self, content: Union[str, bytes], content_type: str) -> Self:
        """Send ``content`` as the whole body with this ``Content-Type`` (``str`` as UTF-8),
        whatever the request kind; setters called afterwards start a new body.

        Raises:
            TypeError: ``content`` is neither ``str`` nor ``bytes``.
        """
        if isinstance(content, str):
            content = content.encode("utf-8")
        if not isinstance(content, (bytes, bytearray)):
            raise TypeError(f"a raw body is str or bytes, got {type(content).__name__}")
        return attrs.evolve(self, body=RawBody(content=bytes(content), content_type=content_type))

    def extra_body(self, fields: Mapping[str, Any]) -> Self:
        """Merge extra JSON fields into the body (for parameters this SDK does not name yet, or
        a compatible server's own ones). They override fields set before.

        Raises:
            TypeError: ``fields`` is not a mapping.
        """
        if not isinstance(fields, Mapping):
            raise TypeError("extra_body() takes a mapping of field names to values")
        builder = self
        for key, value in fields.items():
            builder = builder._set(_check_key(key), value)
        return builder

    def body_value(self, value: Any) -> Self:
        """Replace the whole JSON body with ``value`` (any JSON value), as the raw escape hatch.

        Setters called afterwards start from ``value`` when it is an object.
        """
        return attrs.evolve(self, body=dict(value) if isinstance(value, Mapping) else value)

    def header(self, name: str, value: str) -> Self:
        """Add (or replace) one request header for this call."""
        if not isinstance(name, str) or not isinstance(value, str) or not name:
            raise TypeError("header() takes a non-empty name and a string value")
        kept = tuple((k, v) for k, v in self._headers if k.lower() != name.lower())
        return attrs.evolve(self, headers=(*kept, (name, value)))

    def query(self, name: str, value: Any) -> Self:
        """Add (or replace) one query parameter; lists are sent as ``name[]=a&name[]=b``."""
        kept = tuple((k, v) for k, v in self._query if k != name)
        return attrs.evolve(self, query=(*kept, (_check_key(name), value)))

    def timeout(self, value: Union[Timeout, float, Tuple[float, float]]) -> Self:
        """Per-call timeout: seconds (read timeout; connect is at most 5 s), a ``(connect, read)``
        pair, or a :class:`~openai_core.Timeout` (which also sets a stream's first-event, idle and
        total deadlines; a number or a pair leaves them at their defaults, following ``read``).

        Raises:
            ValueError, TypeError: not a positive, finite duration.
        """
        return attrs.evolve(self, timeout=Timeout.coerce(value))

    def max_retries(self, value: int) -> Self:
        """Per-call number of retries after the first attempt (0 disables retries)."""
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"max_retries must be an int >= 0, got {value!r}")
        return attrs.evolve(self, max_retries=value)

    def hedged(
        self,
        after: Union[float, str] = 0.5,
        max_extra: int = 1,
        *,
        initial_after: Optional[float] = None,
    ) -> Self:
        """Hedge the call against tail latency: if it has not answered after ``after`` seconds,
        send a duplicate, and another every ``after`` seconds, up to ``max_extra`` duplicates;
        the first success is returned and the other requests are cancelled (their connections
        shut down). Applies to ``send()``, ``send_with_meta()``, ``send_raw()`` and ``stream()``
        (hedged until the first event). See ``docs/hedging.md``.

        Args:
            after: Seconds between one request and the next duplicate (a positive finite
                number; default 0.5), or a latency percentile such as ``"p95"`` (``"p1"`` to
                ``"p99.9"``): the adaptive mode, where the delay is that percentile of this
                client's last 100 latencies of the same operation (``initial_after`` until 20
                have been seen, never under 10 ms).
            max_extra: Duplicates sent at most, 1 to 5 (default 1).
            initial_after: Adaptive mode only: the delay in seconds until 20 latencies have
                been seen (default 1.0). Raise it for slow operations (long generations), whose
                first calls would otherwise be duplicated after 1 s.

        Retries apply to the whole call: when every request sent has failed, the client's retry
        rules decide on the original request's error; if none is left that error is raised.
        All requests of one call carry the same ``Idempotency-Key`` (POST); a server that does
        not honour it runs the call once per request sent.

        ``send_with_meta().meta`` tells ``hedged_legs`` (requests sent) and ``winning_leg``
        (0: the original).

        Raises:
            ValueError: ``after`` is not a positive finite number or a ``"pNN"`` percentile,
                ``max_extra`` is not an int from 1 to 5, or ``initial_after`` is not a positive
                finite number or is given with a fixed ``after``.

        Examples:
            >>> fast = client.chat().completions().create().model("m").hedged(after=0.3)
            >>> fast.message_user("Hi").send()
            >>> adaptive = client.embeddings().create().hedged(after="p95", max_extra=2)
        """
        from openai_core._hedging import HedgePolicy

        return attrs.evolve(self, hedge=HedgePolicy.create(after, max_extra, initial_after))

    # -- terminals ------------------------------------------------------------------------------

    def _compile(self, *, stream: bool = False, with_auth: bool = False) -> Request:
        kind = self._request_kind
        body = None if self._body is _NO_BODY or kind == "none" else self._body
        if body is None and kind != "none" and self._method in ("POST", "PUT", "PATCH"):
            body = {}
        if stream and self._method == "POST" and kind != "none" and not isinstance(body, RawBody):
            body = {**(body or {}), **dict(self._stream_fields)}
        headers = self._headers
        accept = self._accept or _ACCEPT.get(self._effective_response_kind())
        if accept is not None and not stream:
            headers = (("Accept", accept), *headers)
        body, content, content_type, form = encode_body(
            kind, body, part_content_types=self._part_content_types
        )
        return self._client._compile(
            self._method,
            self._path,
            body=body,
            content=content,
            content_type=content_type,
            form=form,
            query=self._query,
            headers=headers,
            timeout=self._timeout,
            max_retries=self._max_retries,
            stream=stream,
            with_auth=with_auth,
        )

    def _effective_response_kind(self) -> str:
        """The response kind of this call (the class's ``_response_kind``; subclasses may look at
        the fields set, as transcriptions do with ``response_format``)."""
        return self._response_kind

    def build(self) -> Request:
        """Compile the call into a :class:`~openai_core.Request` (method, URL, headers, body)
        without sending anything."""
        return self._compile(with_auth=True)

    def to_batch_line(self, custom_id: str) -> str:
        """This call as one line of a Batch API input file (JSON, no trailing newline):
        ``{"custom_id", "method": "POST", "url": "/v1/…", "body"}``.

        Raises:
            ValueError: ``custom_id`` is empty, or the call cannot be batched: not ``POST``, a
                multipart or other non-JSON body, a streaming request, a non-JSON response, or
                an endpoint the Batch API does not serve.

        Source: https://platform.openai.com/docs/api-reference/batch/request-input
        """
        from openai_core.lib.batch_run import batch_line

        return batch_line(self, custom_id)[1]

    def to_curl(self) -> str:
        """A ``curl`` command for this call, with the key redacted."""
        return self.build().to_curl()

    def send(self) -> T:
        """Send the call (with retries) and return the decoded result.

        Raises:
            APIStatusError: a subclass for each error status.
            APIConnectionError: the server could not be reached.
            APITimeoutError: the request timed out.
            APIResponseValidationError: the body does not decode.
        """
        return self.send_with_meta().data

    def send_with_meta(self) -> ApiResponse[T]:
        """Like :meth:`send`, also returning the request id, status, headers, elapsed time,
        attempts and rate-limit headers.

        What ``data`` is depends on the operation's response kind: the decoded model (JSON), a
        :class:`~openai_core.BinaryResponse` whose body is still to be read (binary; retries
        happen before it is handed over), ``str`` (text, SDP) or ``None``.
        """
        kind = self._effective_response_kind()
        if kind not in RESPONSE_KINDS:
            raise ValueError(f"unknown response kind {kind!r}; expected one of {RESPONSE_KINDS}")
        decode: Callable[[Any], T] = self._decoder() if kind == "json" else _identity
        if self._hedge is not None:
            from openai_core._hedging import execute

            return execute(self._client, self._compile(), decode, kind, *self._hedging())
        return self._client._execute(self._compile(), decode, kind=kind)

    def _hedging(self) -> Tuple[HedgePolicy, Tuple[str, str]]:
        hedge = self._hedge
        if hedge is None:  # pragma: no cover - only called on a hedged builder
            raise RuntimeError("not a hedged builder")
        return hedge, (self._method, self._path)

    def _decoder(self) -> Callable[[Any], T]:
        return self._decode

    def send_raw(self) -> requests.Response:
        """Send the call (with retries) and return the ``requests.Response`` undecoded.

        Error statuses still raise; the body has been read.
        """
        if self._hedge is not None:
            from openai_core._hedging import send

            return send(self._client, self._compile(), "raw", *self._hedging()).response  # type: ignore[no-any-return]
        return self._client._send(self._compile())[0]

    # -- streams --------------------------------------------------------------------------------

    def _open_event_source(
        self, *, named_events: Optional[bool] = None, envelope: Optional[bool] = None
    ) -> Tuple[EventSource, Any]:
        """Send the call as a stream (with retries until the first event); return the event
        source and its first payload (``None`` for an empty stream), for custom stream classes.

        ``named_events`` and ``envelope`` default to the class's ``_stream_named_events`` and
        ``_stream_envelope``.
        """
        named = self._stream_named_events if named_events is None else named_events
        wrapped = self._stream_envelope if envelope is None else envelope
        if self._hedge is not None:
            from openai_core._hedging import open_stream

            return open_stream(
                self._client,
                self._compile(stream=True),
                *self._hedging(),
                named_events=named,
                envelope=wrapped,
            )
        return self._client._open_stream(
            self._compile(stream=True), named_events=named, envelope=wrapped
        )

    def _stream(
        self,
        decode: Optional[Callable[[Any], E]] = None,
        *,
        named_events: Optional[bool] = None,
        envelope: Optional[bool] = None,
    ) -> Stream[E]:
        """Send the call as a stream and return a :class:`~openai_core.Stream` of decoded events.

        Args:
            decode: Turns one event payload into an item; by default the class's
                ``_stream_event_model`` through the client's converter, or the payload itself
                when that is ``None``.
            named_events: Keep events with any SSE ``event:`` name (default:
                ``_stream_named_events``).
            envelope: Decode ``{"event": name, "data": payload}`` records instead of payloads,
                for streams that carry the type in the ``event:`` field (default:
                ``_stream_envelope``).

        Raises:
            APIStatusError subclasses, APIConnectionError, APITimeoutError: before the first
                event (after retries); the stream's own errors are raised while iterating.
        """
        from openai_core._sse import Stream

        if decode is None:
            model = self._stream_event_model
            decode = _identity if model is None else self._client._decode_model(model)
        source, first = self._open_event_source(named_events=named_events, envelope=envelope)
        return Stream(source, first, decode)
