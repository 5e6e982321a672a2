"""The compiled request: a pure value built by ``builder.build()``, sent by ``Client.send()``."""

from __future__ import annotations

import enum
import json
import math
import shlex
from typing import Any, Iterable, Mapping, Optional, Tuple
from urllib.parse import quote

import attrs

from openai_core._config import Timeout
from openai_core._logging import redact_headers

__all__ = ["FormField", "Request", "encode_json", "encode_query", "join_url", "path_segment"]


def _json_default(value: Any) -> Any:
    if attrs.has(type(value)):
        from openai_core._convert import to_dict

        return to_dict(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (set, frozenset)):
        return list(value)
    if isinstance(value, (bytes, bytearray)):
        raise TypeError(
            "bytes cannot be sent in a JSON body; base64-encode them, or upload them as a file"
        )
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def encode_json(value: Any) -> bytes:
    """Encode a request body as compact UTF-8 JSON.

    Attrs models are converted with ``to_dict()``; tuples and sets become arrays.

    Raises:
        ValueError: NaN or Infinity anywhere in the body (the API rejects them), or a value that
            JSON cannot represent (the message names its type).
    """
    try:
        return json.dumps(
            value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_json_default
        ).encode("utf-8")
    except ValueError as exc:
        if "Out of range float" in str(exc):
            raise ValueError(
                "the request body contains NaN or Infinity, which JSON cannot carry; "
                "replace it with a finite number or null"
            ) from exc
        raise
    except TypeError as exc:
        raise ValueError(f"the request body cannot be encoded as JSON: {exc}") from exc


def _query_scalar(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"query value {value!r} is not a finite number")
    return str(value)


def encode_query(params: Iterable[Tuple[str, Any]]) -> str:
    """Encode query parameters; arrays use brackets (``include[]=a&include[]=b``).

    ``None`` values are left out. Booleans are ``true``/``false``. Dicts use ``key[sub]=v``.
    """
    parts: list[str] = []
    for key, value in params:
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            name = quote(f"{key}[]", safe="[]")
            parts.extend(f"{name}={quote(_query_scalar(v), safe='')}" for v in value)
        elif isinstance(value, Mapping):
            for sub, v in value.items():
                if v is not None:
                    name = quote(f"{key}[{sub}]", safe="[]")
                    parts.append(f"{name}={quote(_query_scalar(v), safe='')}")
        else:
            parts.append(f"{quote(key, safe='')}={quote(_query_scalar(value), safe='')}")
    return "&".join(parts)


def join_url(base_url: str, path: str) -> str:
    """Join ``base_url`` and ``path`` so a trailing ``/`` or its absence never yields ``//``."""
    if path.startswith(("http://", "https://")):
        return path
    return base_url.rstrip("/") + "/" + path.lstrip("/")


def path_segment(name: str, value: Any) -> str:
    """Percent-encode one path parameter as a path segment.

    Raises:
        ValueError: when the value is empty, naming the parameter.
        TypeError: when the value is not a string or an integer.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"path parameter {name!r} must be a string, got {type(value).__name__}")
    text = str(value)
    if not text:
        raise ValueError(f"path parameter {name!r} must not be empty")
    return quote(text, safe="")


def _repr_headers(headers: Tuple[Tuple[str, str], ...]) -> str:
    return repr(redact_headers(headers))


@attrs.frozen(kw_only=True)
class FormField:
    """One part of a ``multipart/form-data`` body, as ``to_curl()`` shows it (no file bytes).

    Attributes:
        name: The part's field name (``file``, ``include[]``, ``metadata[key]`` …).
        value: The text of a form field; ``None`` for a file part.
        filename: The file name of a file part; ``None`` for a form field.
        content_type: The part's ``Content-Type`` (files, and typed parts such as JSON), or
            ``None`` for a plain form field.
        size: The byte size of a file part.
    """

    name: str
    value: Optional[str] = None
    filename: Optional[str] = None
    content_type: Optional[str] = None
    size: Optional[int] = None


@attrs.frozen(kw_only=True)
class Request:
    """One compiled API request: exactly what would go on the wire, with no I/O done.

    Attributes:
        method: HTTP method (``"GET"``, ``"POST"``, ``"DELETE"`` …).
        url: The absolute URL including the encoded query string.
        headers: Header pairs in send order; secrets are redacted in ``repr``.
        json_data: The JSON body as a Python value (``None`` when the body is not JSON).
        content: The encoded body bytes, or ``None`` for no body.
        form: The parts of a ``multipart/form-data`` body (empty for other bodies).
        stream: True when the response is a server-sent event stream.
        timeout: The :class:`Timeout` for each attempt.
        max_retries: Retries after the first attempt.

    Examples:
        >>> req = client.models().list().build()
        >>> req.method, req.url
        ('GET', 'https://api.openai.com/v1/models')
    """

    method: str
    url: str
    headers: Tuple[Tuple[str, str], ...] = attrs.field(default=(), repr=_repr_headers)
    json_data: Any = None
    content: Optional[bytes] = attrs.field(default=None, repr=False)
    form: Tuple[FormField, ...] = ()
    stream: bool = False
    timeout: Timeout = Timeout()
    max_retries: int = 2

    def header(self, name: str) -> Optional[str]:
        """The value of header ``name`` (case-insensitive), or ``None``."""
        lower = name.lower()
        for key, value in self.headers:
            if key.lower() == lower:
                return value
        return None

    def to_curl(self) -> str:
        """A ``curl`` command line that reproduces this request, with secrets redacted.

        A multipart body is shown as ``-F name=@filename;type=…`` file parts (names, not bytes)
        and ``--form-string name=value`` fields, and curl sets the boundary itself.
        """
        args = ["curl", "-X", self.method, self.url]
        for name, value in redact_headers(self.headers).items():
            if self.form and name.lower() in ("content-type", "content-length"):
                continue
            args += ["-H", f"{name}: {value}"]
        if self.stream:
            args.append("--no-buffer")
        if self.form:
            for part in self.form:
                args += _curl_form_part(part)
        elif self.content is not None:
            if self.json_data is not None:
                args += ["--data-raw", self.content.decode("utf-8")]
            elif _is_text(self.header("content-type")):
                args += ["--data-binary", self.content.decode("utf-8", "replace")]
            else:
                args += ["--data-binary", f"<{len(self.content)} bytes>"]
        return " ".join(shlex.quote(a) for a in args)


def _curl_form_part(part: FormField) -> Tuple[str, str]:
    if part.filename is not None:
        typed = f";type={part.content_type}" if part.content_type else ""
        return "-F", f"{part.name}=@{part.filename}{typed}"
    if part.content_type:
        return "-F", f"{part.name}={part.value};type={part.content_type}"
    return "--form-string", f"{part.name}={part.value}"


def _is_text(content_type: Optional[str]) -> bool:
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return kind.startswith("text/") or kind == "application/sdp"
