"""The generic request builder and its terminals, shared by every operation.

A builder is an immutable value: every setter returns a new builder, so a half-built request is a
reusable template. ``build()`` compiles it to a :class:`~openai_core.Request` with no I/O; the
terminals ``send()``, ``send_with_meta()``, ``send_raw()`` and ``stream()`` hand it to the client.
"""

from __future__ import annotations

from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Generic,
    Mapping,
    Optional,
    Tuple,
    TypeVar,
    Union,
)

import attrs

from openai_core._config import Timeout

if TYPE_CHECKING:
    import requests
    from typing_extensions import Self

    from openai_core._client import Client
    from openai_core._request import Request

__all__ = ["ApiResponse", "RateLimitInfo", "RequestBuilder", "ResponseMeta"]

T = TypeVar("T")
_NO_BODY: Any = object()


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
        attempts: Number of attempts made (1 when no retry happened).
        rate_limit: The parsed ``x-ratelimit-*`` headers.
    """

    request_id: Optional[str]
    status: int
    headers: Mapping[str, str] = attrs.field(repr=False)
    elapsed: float
    attempts: int
    rate_limit: RateLimitInfo


@attrs.frozen(kw_only=True)
class ApiResponse(Generic[T]):
    """A decoded result with its metadata, from ``send_with_meta()``.

    Example:
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

    Example:
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
        pair, or a :class:`~openai_core.Timeout`.

        Raises:
            ValueError, TypeError: not a positive, finite duration.
        """
        return attrs.evolve(self, timeout=Timeout.coerce(value))

    def max_retries(self, value: int) -> Self:
        """Per-call number of retries after the first attempt (0 disables retries)."""
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"max_retries must be an int >= 0, got {value!r}")
        return attrs.evolve(self, max_retries=value)

    # -- terminals ------------------------------------------------------------------------------

    def _compile(self, *, stream: bool = False, with_auth: bool = False) -> Request:
        body = None if self._body is _NO_BODY else self._body
        if body is None and self._method in ("POST", "PUT", "PATCH"):
            body = {}
        if stream and self._method == "POST":
            body = {**(body or {}), "stream": True}
        return self._client._compile(
            self._method,
            self._path,
            body=body,
            query=self._query,
            headers=self._headers,
            timeout=self._timeout,
            max_retries=self._max_retries,
            stream=stream,
            with_auth=with_auth,
        )

    def build(self) -> Request:
        """Compile the call into a :class:`~openai_core.Request` (method, URL, headers, body)
        without sending anything."""
        return self._compile(with_auth=True)

    def to_curl(self) -> str:
        """A ``curl`` command for this call, with the key redacted."""
        return self.build().to_curl()

    def send(self) -> T:
        """Send the call (with retries) and return the decoded result.

        Raises:
            APIStatusError (a subclass per status), APIConnectionError, APITimeoutError,
            APIResponseValidationError.
        """
        return self._client._execute(self._compile(), self._decoder()).data

    def send_with_meta(self) -> ApiResponse[T]:
        """Like :meth:`send`, also returning the request id, status, headers, elapsed time,
        attempts and rate-limit headers."""
        return self._client._execute(self._compile(), self._decoder())

    def _decoder(self) -> Callable[[Any], T]:
        return self._decode

    def send_raw(self) -> requests.Response:
        """Send the call (with retries) and return the ``requests.Response`` undecoded.

        Error statuses still raise; the body has been read.
        """
        return self._client._send(self._compile())[0]
