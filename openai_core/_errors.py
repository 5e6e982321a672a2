"""The SDK's exceptions: one root, translated once.

Exception tree::

    OpenAIError
    └── APIError                      (message, body, code, type, param, request_id, kind)
        ├── APIStatusError            (status / status_code, response, headers)
        │   ├── BadRequestError           400
        │   ├── AuthenticationError       401
        │   ├── PermissionDeniedError     403
        │   ├── NotFoundError             404
        │   ├── ConflictError             409
        │   ├── UnprocessableEntityError  422
        │   ├── RateLimitError            429
        │   └── InternalServerError       >= 500
        ├── APIConnectionError        (no response: refused, reset, DNS, TLS, too many redirects)
        │   ├── APITimeoutError       (connect or read timeout)
        │   │   └── StreamTimeoutError (a stream's first-event, idle or total deadline)
        │   ├── WebSocketClosedError  (a WebSocket closed and was not reopened; carries unsent)
        │   └── WebSocketQueueFullError (too much sent while a WebSocket reconnects)
        ├── APIResponseValidationError (a 2xx body that is not what the operation promises)
        │   └── StructuredOutputError     (structured output that does not match its schema)
        ├── LengthFinishReasonError   (structured output cut off by the token limit)
        └── ContentFilterFinishReasonError (structured output stopped by the content filter)

Errors that arrive inside a stream (compat C5, C9, C33) are raised from the same family: an
``APIStatusError`` subclass when the in-stream error carries an HTTP-like numeric code, else a
plain ``APIError``. Exceptions from ``requests``, ``urllib3`` and ``cattrs`` never reach callers
untranslated.

Source: https://platform.openai.com/docs/guides/error-codes
"""

from __future__ import annotations

import enum
import json
from typing import TYPE_CHECKING, Any, Mapping, Optional

if TYPE_CHECKING:
    import requests

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "ApiErrorKind",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ContentFilterFinishReasonError",
    "InternalServerError",
    "LengthFinishReasonError",
    "NotFoundError",
    "OpenAIError",
    "PermissionDeniedError",
    "RateLimitError",
    "StreamTimeoutError",
    "StructuredOutputError",
    "UnprocessableEntityError",
    "WebSocketClosedError",
    "WebSocketQueueFullError",
    "make_status_error",
    "parse_error_body",
]

_RAW_TEXT_LIMIT = 2000


class ApiErrorKind(str, enum.Enum):
    """What went wrong, as one value (mirrors the Rust crate's ``ApiErrorKind``)."""

    BAD_REQUEST = "bad_request"
    AUTHENTICATION = "authentication"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    UNPROCESSABLE_ENTITY = "unprocessable_entity"
    RATE_LIMIT = "rate_limit"
    INTERNAL_SERVER = "internal_server"
    STATUS = "status"
    CONNECTION = "connection"
    TIMEOUT = "timeout"
    RESPONSE_VALIDATION = "response_validation"
    STREAM = "stream"


class OpenAIError(Exception):
    """Root of every exception the SDK raises on purpose."""


class APIError(OpenAIError):
    """An error reported by, or about, one API request.

    Attributes:
        message: Human-readable description (the server's message when it sent one).
        body: The parsed error object (``body["error"]`` when present), the raw text when the
            body was not JSON, or ``None``.
        code: The error ``code`` (a string or an integer, as the server sent it), or ``None``.
        type: The error ``type`` (for example ``"invalid_request_error"``), or ``None``.
        param: The request parameter the error refers to, or ``None``.
        request_id: The ``x-request-id`` response header, or ``None``.
        kind: An :class:`ApiErrorKind`.
    """

    kind: ApiErrorKind = ApiErrorKind.STREAM

    def __init__(
        self,
        message: str,
        *,
        body: Any = None,
        code: Any = None,
        type: Optional[str] = None,
        param: Optional[str] = None,
        request_id: Optional[str] = None,
    ) -> None:
        self.message = message
        self.body = body
        self.code = code
        self.type = type
        self.param = param
        self.request_id = request_id
        super().__init__(message)

    def __str__(self) -> str:
        prefix = f"[{self.request_id}] " if self.request_id else ""
        return f"{prefix}{self.message}"


class APIStatusError(APIError):
    """The server answered with a non-success status (or an error body inside a 2xx, compat C32).

    Attributes:
        status: The HTTP status code (also readable as ``status_code``).
        response: The ``requests.Response``, or ``None`` for errors raised from inside a stream.
        headers: The response headers (case-insensitive mapping), possibly empty.
    """

    kind = ApiErrorKind.STATUS

    def __init__(
        self,
        message: str,
        *,
        status: int,
        response: Optional[requests.Response] = None,
        headers: Optional[Mapping[str, str]] = None,
        body: Any = None,
        code: Any = None,
        type: Optional[str] = None,
        param: Optional[str] = None,
        request_id: Optional[str] = None,
    ) -> None:
        self.status = status
        self.response = response
        self.headers: Mapping[str, str] = (
            headers if headers is not None else (response.headers if response is not None else {})
        )
        super().__init__(
            message, body=body, code=code, type=type, param=param, request_id=request_id
        )

    @property
    def status_code(self) -> int:
        """The HTTP status code (alias of ``status``, as in the official SDK)."""
        return self.status

    def __str__(self) -> str:
        prefix = f"[{self.request_id}] " if self.request_id else ""
        return f"{prefix}{self.status} {self.message}"


class BadRequestError(APIStatusError):
    """HTTP 400: the request was malformed or named an invalid parameter."""

    kind = ApiErrorKind.BAD_REQUEST


class AuthenticationError(APIStatusError):
    """HTTP 401: the API key is missing, wrong or revoked."""

    kind = ApiErrorKind.AUTHENTICATION


class PermissionDeniedError(APIStatusError):
    """HTTP 403: the key may not use this resource, model or region."""

    kind = ApiErrorKind.PERMISSION_DENIED


class NotFoundError(APIStatusError):
    """HTTP 404: the resource, model or endpoint does not exist on this server."""

    kind = ApiErrorKind.NOT_FOUND


class ConflictError(APIStatusError):
    """HTTP 409: the resource was changed concurrently."""

    kind = ApiErrorKind.CONFLICT


class UnprocessableEntityError(APIStatusError):
    """HTTP 422: the request was well formed but could not be processed."""

    kind = ApiErrorKind.UNPROCESSABLE_ENTITY


class RateLimitError(APIStatusError):
    """HTTP 429: rate limit or quota exceeded."""

    kind = ApiErrorKind.RATE_LIMIT


class InternalServerError(APIStatusError):
    """HTTP 5xx: the server failed."""

    kind = ApiErrorKind.INTERNAL_SERVER


class APIConnectionError(APIError):
    """No usable response: connection refused or reset, DNS or TLS failure, too many redirects."""

    kind = ApiErrorKind.CONNECTION

    def __init__(self, message: str = "Connection error.", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)


class APITimeoutError(APIConnectionError):
    """The connect or read timeout expired before the server answered."""

    kind = ApiErrorKind.TIMEOUT

    def __init__(self, message: str = "Request timed out.", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)


class StreamTimeoutError(APITimeoutError):
    """A stream deadline passed (see :class:`~openai_core.Timeout`): no first event within
    ``stream_first_byte``, no event for ``stream_idle`` (keepalives do not count), or the stream
    still open after ``stream_total``. The response has been closed.

    Attributes:
        deadline: Which one: ``"first_byte"``, ``"idle"`` or ``"total"``.
        seconds: The deadline's configured length, in seconds.
        events_received: Events received before it passed.
        stream: The :class:`~openai_core.Stream` it was raised from (so accumulated state such
            as ``current_completion()`` or ``output_text`` stays readable), or ``None`` when it
            was raised before the stream was handed out.
    """

    def __init__(
        self,
        message: str,
        *,
        deadline: str,
        seconds: float,
        events_received: int,
        request_id: Optional[str] = None,
    ) -> None:
        self.deadline = deadline
        self.seconds = seconds
        self.events_received = events_received
        self.stream: Any = None
        super().__init__(message, request_id=request_id)


class WebSocketClosedError(APIConnectionError):
    """A WebSocket closed and was not reopened: a close code that is not retried (1008 …),
    reconnection given up after the client's ``max_retries`` attempts, or use after ``close()``.

    Attributes:
        close_code: The close code (1006 when the connection was lost without a close frame,
            1005 for a close frame without a code), or ``None`` (closed by this client).
        reason: The close reason the server sent (may be empty).
        unsent: The client events sent or queued that never reached the server, in order.
    """

    def __init__(
        self,
        message: str,
        *,
        close_code: Optional[int] = None,
        reason: str = "",
        unsent: Optional[list[Any]] = None,
    ) -> None:
        self.close_code = close_code
        self.reason = reason
        self.unsent: list[Any] = list(unsent or ())
        super().__init__(message)


class WebSocketQueueFullError(APIConnectionError):
    """A message sent while a WebSocket reconnects would overflow the bounded send queue.

    The message was not queued; the ones queued before it are kept and sent after reconnecting.

    Attributes:
        limit: The queue's size limit in bytes.
        queued: Bytes already queued.
    """

    def __init__(self, message: str, *, limit: int, queued: int) -> None:
        self.limit = limit
        self.queued = queued
        super().__init__(message)


class APIResponseValidationError(APIError):
    """A successful response whose body is not what the operation promises.

    Raised for a body that is not JSON when JSON was expected, and in strict decoding mode for
    missing required fields, unexpected fields or wrong types.
    """

    kind = ApiErrorKind.RESPONSE_VALIDATION


class StructuredOutputError(APIResponseValidationError):
    """Structured output (``parse(T)``) that is not JSON, does not match the schema, or cannot
    be structured into the requested type.

    Attributes:
        content: The raw text the model produced.
        path: Where the output went wrong, as a JSON path (``"$"``, ``"$.address.zip"``,
            ``"$.tags[2]"``).
        reason: What was wrong there (the validator's message).
    """

    def __init__(
        self,
        message: str,
        *,
        content: Optional[str],
        path: str = "$",
        reason: str = "",
        request_id: Optional[str] = None,
    ) -> None:
        super().__init__(message, body=content, request_id=request_id)
        self.content = content
        self.path = path
        self.reason = reason


class LengthFinishReasonError(APIError):
    """A structured-output choice ended with ``finish_reason: "length"``: the JSON was cut off
    by the token limit (raise ``max_completion_tokens`` / ``max_output_tokens``).

    Attributes:
        completion: The (unparsed) completion or response as received.
    """

    kind = ApiErrorKind.RESPONSE_VALIDATION

    def __init__(self, *, completion: Any = None, request_id: Optional[str] = None) -> None:
        usage = getattr(completion, "usage", None)
        detail = f" (usage: {usage})" if usage is not None else ""
        super().__init__(
            "Could not parse the structured output: the length limit was reached" + detail,
            request_id=request_id,
        )
        self.completion = completion


class ContentFilterFinishReasonError(APIError):
    """A structured-output choice ended with ``finish_reason: "content_filter"``.

    Attributes:
        completion: The (unparsed) completion or response as received.
    """

    kind = ApiErrorKind.RESPONSE_VALIDATION

    def __init__(self, *, completion: Any = None, request_id: Optional[str] = None) -> None:
        super().__init__(
            "Could not parse the structured output: the request was rejected by the content filter",
            request_id=request_id,
        )
        self.completion = completion


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    """Return the ``APIStatusError`` subclass for an HTTP status code."""
    if status >= 500:
        return InternalServerError
    return _STATUS_CLASSES.get(status, APIStatusError)


def _truncate(text: str) -> str:
    if len(text) <= _RAW_TEXT_LIMIT:
        return text
    return text[:_RAW_TEXT_LIMIT] + f"... [{len(text) - _RAW_TEXT_LIMIT} more characters]"


def parse_error_body(raw: Any) -> tuple[str, Any, Any, Optional[str], Optional[str]]:
    """Extract ``(message, body, code, type, param)`` from any error payload.

    Accepts every envelope seen on compatible servers (compat C28–C33): OpenAI's
    ``{"error": {...}}``, flat ``{"object": "error", "message": ...}``, ``{"error": "text"}``,
    ``{"code": ..., "error": ...}``, ``{"detail": ...}``, ``{"message": ...}``, HTML, plain text and
    empty bodies, given as ``bytes``, ``str`` or an already-decoded value. Never raises.
    """
    data: Any = raw
    if isinstance(raw, (bytes, bytearray)):
        raw = bytes(raw).decode("utf-8", errors="replace")
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return "", None, None, None, None
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: nested too deep
            return _truncate(_strip_html(text)), _truncate(text), None, None, None
    if not isinstance(data, dict):
        return _truncate(str(data)), data, None, None, None

    inner: Any = data.get("error", data) if "error" in data else data
    if isinstance(inner, str):
        # {"error": "model not found"} (Ollama) or {"code": "...", "error": "..."} (xAI)
        code = data.get("code")
        return inner, data, code, _opt_str(data.get("type")), _opt_str(data.get("param"))
    if not isinstance(inner, dict):
        return _truncate(json.dumps(data, ensure_ascii=False)), data, None, None, None

    message: Any = inner.get("message")
    if message is None and "detail" in inner:
        message = inner["detail"]
    if message is None and "msg" in inner:
        message = inner["msg"]
    if not isinstance(message, str):
        message = (
            json.dumps(message, ensure_ascii=False)
            if message is not None
            else json.dumps(inner, ensure_ascii=False)
        )
    return (
        _truncate(message),
        inner,
        inner.get("code"),
        _opt_str(inner.get("type")),
        _opt_str(inner.get("param")),
    )


def _opt_str(value: Any) -> Optional[str]:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _strip_html(text: str) -> str:
    if not text.startswith("<"):
        return text
    # Best effort: the <title> of an HTML error page (nginx, proxies) is its message.
    lower = text.lower()
    start = lower.find("<title>")
    end = lower.find("</title>")
    if start != -1 and end > start:
        return text[start + 7 : end].strip() or text
    return text


def make_status_error(
    status: int,
    raw_body: Any,
    *,
    response: Optional[requests.Response] = None,
    headers: Optional[Mapping[str, str]] = None,
    request_id: Optional[str] = None,
) -> APIStatusError:
    """Build the right ``APIStatusError`` subclass for ``status`` from any error body."""
    message, body, code, err_type, param = parse_error_body(raw_body)
    if not message:
        message = _default_message(status, response)
    cls = status_error_class(status)
    return cls(
        message,
        status=status,
        response=response,
        headers=headers,
        body=body,
        code=code,
        type=err_type,
        param=param,
        request_id=request_id,
    )


def _default_message(status: int, response: Optional[requests.Response]) -> str:
    reason = getattr(response, "reason", None) if response is not None else None
    return f"{reason}" if reason else f"HTTP status {status}"


def error_from_payload(payload: Any, *, request_id: Optional[str] = None) -> APIError:
    """Turn an error found inside a 2xx body or a stream (compat C5, C9, C32, C33) into an error.

    A numeric ``code`` that looks like an HTTP status (400–599) selects the status class, so an
    error event behaves like the non-2xx response it stands for; otherwise a plain ``APIError``.
    """
    message, body, code, err_type, param = parse_error_body(payload)
    status = _status_from_code(code)
    if status is None and isinstance(payload, dict):
        status = _status_from_code(payload.get("status_code") or payload.get("status"))
    if not message:
        message = "The server reported an error."
    if status is not None:
        return status_error_class(status)(
            message,
            status=status,
            body=body,
            code=code,
            type=err_type,
            param=param,
            request_id=request_id,
        )
    return APIError(
        message, body=body, code=code, type=err_type, param=param, request_id=request_id
    )


def _status_from_code(code: Any) -> Optional[int]:
    if isinstance(code, bool):
        return None
    if isinstance(code, int) and 400 <= code <= 599:
        return code
    if isinstance(code, str) and code.isdigit() and 400 <= int(code) <= 599:
        return int(code)
    return None
