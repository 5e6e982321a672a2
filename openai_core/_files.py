"""File values for uploads (``to_file``) and the ``multipart/form-data`` encoder.

:func:`to_file` turns whatever a caller has — a path, bytes, an open binary file, a downloaded
``requests.Response`` or a ``(filename, content[, content_type])`` tuple — into one
:class:`FileValue`. Builders of multipart operations store file fields as ``FileValue`` (through
``RequestBuilder._set_file``) and :func:`encode_multipart` turns the body into exact bytes when
the request is compiled, so a :class:`~openai_core.Request` stays a pure value.

Form encoding follows the official SDKs: nested objects as ``name[key]``, arrays as repeated
``name[]``, booleans as ``true``/``false``, numbers as text, ``None`` left out (a form cannot
carry ``null``).

Source: https://platform.openai.com/docs/api-reference/files/create
"""

from __future__ import annotations

import enum
import io
import math
import os
import pathlib
from typing import IO, Any, Iterable, List, Mapping, Optional, Tuple, Union

import attrs
import requests

from openai_core._request import FormField, encode_json

__all__ = ["FileTypes", "FileValue", "encode_multipart", "is_file_value", "to_file"]

FileContent = Union[bytes, bytearray, memoryview, IO[bytes], "os.PathLike[str]"]
"""What the content slot of a ``(filename, content[, content_type])`` tuple may hold."""

FileTypes = Union[
    str,
    "os.PathLike[str]",
    bytes,
    bytearray,
    memoryview,
    IO[bytes],
    requests.Response,
    "FileValue",
    Tuple[Optional[str], FileContent],
    Tuple[Optional[str], FileContent, Optional[str]],
]
"""Everything :func:`to_file` accepts: a path (``str`` or ``os.PathLike``), bytes, a binary file
object, a ``requests.Response`` (its body), a ``(filename, content[, content_type])`` tuple, or a
:class:`FileValue`."""

_DEFAULT_NAME = "upload"
_OCTET_STREAM = "application/octet-stream"


@attrs.frozen(kw_only=True)
class FileValue:
    """One file to upload, normalized by :func:`to_file`.

    Attributes:
        filename: The name sent in the part's ``Content-Disposition`` (the API reads the format of
            audio and images from its extension).
        content: The bytes, a seekable binary file object (read from ``start`` at each compile),
            or a ``pathlib.Path`` (read when the request is compiled).
        content_type: The part's ``Content-Type``; guessed from ``filename`` with ``mimetypes``
            when not given, else ``application/octet-stream``.
        start: Where a file object's content starts (its position when it was passed in).

    A file object is read (seek, read) each time a request holding it is compiled, so do not
    send builders that share one file object from several threads at once; pass a path or bytes
    for that.

    Examples:
        >>> to_file(("speech.mp3", b"ID3...")).content_type
        'audio/mpeg'
    """

    filename: str
    content: Union[bytes, IO[bytes], pathlib.Path] = attrs.field(repr=False)
    content_type: str
    start: int = attrs.field(default=0, repr=False)

    def read(self) -> bytes:
        """The whole content as bytes (a path is read now; a file object from ``start``).

        Raises:
            OSError: the path cannot be read any more, or the file object fails.
        """
        content = self.content
        if isinstance(content, bytes):
            return content
        if isinstance(content, pathlib.Path):
            return content.read_bytes()
        content.seek(self.start)
        data = content.read()
        if not isinstance(data, bytes):
            raise TypeError(
                f"{self.filename}: the file object returned {type(data).__name__}, "
                "not bytes; open the file in binary mode ('rb')"
            )
        return data

    @property
    def size(self) -> Optional[int]:
        """Byte size when known without reading (bytes and paths), else ``None``."""
        if isinstance(self.content, bytes):
            return len(self.content)
        if isinstance(self.content, pathlib.Path):
            try:
                return self.content.stat().st_size
            except OSError:
                return None
        return None


def to_file(value: FileTypes) -> FileValue:
    """Normalize an upload into a :class:`FileValue`.

    Args:
        value: One of :data:`FileTypes`:

            - a path (``str`` or ``os.PathLike``): the file must exist; it is read when the
              request is compiled, and its base name is the filename;
            - ``bytes`` / ``bytearray`` / ``memoryview``: sent as ``upload`` (pass a tuple to name
              it: the API reads audio and image formats from the extension);
            - a binary file object (``open(path, "rb")``, ``io.BytesIO``): read from its current
              position; a non-seekable one (a pipe) is read at once;
            - a ``requests.Response``: its body, named after ``Content-Disposition`` or the URL;
            - ``(filename, content)`` or ``(filename, content, content_type)`` where ``content``
              is bytes, a binary file object or a path, and ``filename``/``content_type`` may be
              ``None`` to derive them;
            - a :class:`FileValue`, returned as is.

    Returns:
        The normalized file: filename, content, and a content type (given, else guessed from
        the filename with ``mimetypes``, else ``application/octet-stream``).

    Raises:
        TypeError: an unsupported value (a text-mode file object included: open it with
            ``"rb"``), or a tuple whose parts have the wrong types.
        ValueError: a tuple of the wrong length, an empty filename, or a path that is a
            directory.
        FileNotFoundError: a path that does not exist.

    Examples:
        >>> to_file("data/batch.jsonl").filename
        'batch.jsonl'
        >>> to_file(("a.wav", b"RIFF...", "audio/wav")).content_type
        'audio/wav'
    """
    if isinstance(value, FileValue):
        return value
    if isinstance(value, tuple):
        return _from_tuple(value)
    if isinstance(value, (str, os.PathLike)):
        return _from_path(value)
    if isinstance(value, requests.Response):
        return _from_response(value)
    return _from_content(value, None, None, what="value")


def is_file_value(value: Any) -> bool:
    """True for values that are unmistakably file content in a multipart body: a
    :class:`FileValue`, bytes, a binary file object or a ``requests.Response`` (paths and
    tuples count only when set through a file setter)."""
    if isinstance(value, (FileValue, bytes, bytearray, memoryview, requests.Response)):
        return True
    return _is_binary_file_object(value)


def _from_tuple(value: Tuple[Any, ...]) -> FileValue:
    if len(value) not in (2, 3):
        raise ValueError(
            "a file tuple is (filename, content) or (filename, content, content_type), "
            f"got {len(value)} items"
        )
    filename, content = value[0], value[1]
    content_type = value[2] if len(value) == 3 else None
    if filename is not None and not isinstance(filename, str):
        raise TypeError(f"a file tuple's filename must be a string or None, got {filename!r}")
    if filename == "":
        raise ValueError("a file tuple's filename must not be empty")
    if content_type is not None and not isinstance(content_type, str):
        raise TypeError(f"a file tuple's content type must be a string, got {content_type!r}")
    if isinstance(content, str):
        raise TypeError(
            "a file tuple's content must be bytes, a binary file or a path, got str; "
            "encode text first (text.encode()) or pass a pathlib.Path for a path"
        )
    if isinstance(content, os.PathLike):
        path_value = _from_path(content)
        return attrs.evolve(
            path_value,
            filename=filename or path_value.filename,
            content_type=content_type or _guess_type(filename or path_value.filename),
        )
    return _from_content(content, filename, content_type, what="file tuple content")


def _from_path(value: Union[str, os.PathLike[str]]) -> FileValue:
    path = pathlib.Path(value)
    if not path.exists():
        raise FileNotFoundError(
            f"No such file: {str(path)!r} (to upload text or bytes rather than a file, pass "
            "bytes, or a (filename, bytes) tuple)"
        )
    if path.is_dir():
        raise ValueError(f"{str(path)!r} is a directory, not a file")
    return FileValue(filename=path.name, content=path, content_type=_guess_type(path.name))


def _from_response(response: requests.Response) -> FileValue:
    from email.message import Message

    filename: Optional[str] = None
    disposition = response.headers.get("content-disposition")
    if disposition:
        message = Message()
        message["content-disposition"] = disposition
        filename = message.get_filename()
    if not filename:
        tail = (response.url or "").split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        filename = tail if "." in tail else None
    name = os.path.basename(filename) if filename else _DEFAULT_NAME
    declared = response.headers.get("content-type")
    content_type = declared.split(";", 1)[0].strip() if declared else None
    return FileValue(
        filename=name or _DEFAULT_NAME,
        content=response.content or b"",
        content_type=content_type or _guess_type(name),
    )


def _from_content(
    content: Any, filename: Optional[str], content_type: Optional[str], *, what: str
) -> FileValue:
    if isinstance(content, (bytes, bytearray, memoryview)):
        name = filename or _DEFAULT_NAME
        return FileValue(
            filename=name, content=bytes(content), content_type=content_type or _guess_type(name)
        )
    if isinstance(content, io.TextIOBase) or _is_text_file_object(content):
        raise TypeError(
            f"the {what} is a text-mode file object; open the file in binary mode "
            "(open(path, 'rb')) or pass bytes"
        )
    if not _is_binary_file_object(content):
        raise TypeError(
            f"cannot upload a {type(content).__name__}: pass a path (str or os.PathLike), bytes, "
            "a binary file object, a requests.Response, or a (filename, content[, content_type]) "
            "tuple"
        )
    name = filename or _file_object_name(content) or _DEFAULT_NAME
    kind = content_type or _guess_type(name)
    seekable = getattr(content, "seekable", None)
    if callable(seekable) and seekable():
        return FileValue(filename=name, content=content, content_type=kind, start=content.tell())
    data = content.read()  # a pipe or socket: it can be read only once, so read it now
    if not isinstance(data, bytes):
        raise TypeError(
            f"the {what} returned {type(data).__name__}, not bytes; open the file "
            "in binary mode ('rb')"
        )
    return FileValue(filename=name, content=data, content_type=kind)


def _is_binary_file_object(value: Any) -> bool:
    return callable(getattr(value, "read", None)) and not isinstance(value, io.TextIOBase)


def _is_text_file_object(value: Any) -> bool:
    mode = getattr(value, "mode", None)
    return isinstance(mode, str) and "b" not in mode and callable(getattr(value, "read", None))


def _file_object_name(content: Any) -> Optional[str]:
    name = getattr(content, "name", None)
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    if isinstance(name, str) and name and not name.startswith("<"):
        return os.path.basename(name) or None
    return None


def _guess_type(filename: str) -> str:
    import mimetypes

    return mimetypes.guess_type(filename, strict=False)[0] or _OCTET_STREAM


# -- multipart ------------------------------------------------------------------------------------


def encode_multipart(
    fields: Mapping[str, Any],
    *,
    part_content_types: Mapping[str, str] = {},
    boundary: Optional[str] = None,
) -> Tuple[bytes, str, Tuple[FormField, ...]]:
    """Encode a request body as ``multipart/form-data``.

    Args:
        fields: Field name → value. File values (see :func:`is_file_value`) become file parts;
            lists/tuples of them become repeated ``name[]`` file parts. Other values become form
            fields: mappings as ``name[key]``, lists as repeated ``name[]``, booleans as
            ``true``/``false``, numbers and enums as text; ``None`` is left out.
        part_content_types: Field name → content type for fields sent as one typed part
            (``application/json`` ones are JSON-encoded), as the spec's ``encoding`` declares
            (``session`` of ``POST /realtime/calls``).
        boundary: The boundary to use; random by default.

    Returns:
        ``(body bytes, Content-Type header with the boundary, form fields for to_curl)``.

    Raises:
        ValueError: a value that a form cannot carry (NaN, Infinity, an unsupported type).
        OSError: a file can no longer be read.
    """
    from urllib3.fields import RequestField
    from urllib3.filepost import encode_multipart_formdata

    flat: List[Tuple[str, Any, Optional[str]]] = []
    for name, value in fields.items():
        typed = part_content_types.get(name)
        if typed is not None and value is not None and not is_file_value(value):
            flat.append((name, _typed_part(value, typed), typed))
        else:
            _flatten(name, value, flat)
    parts: List[RequestField] = []
    form: List[FormField] = []
    for name, value, content_type in flat:
        if isinstance(value, FileValue):
            data = value.read()
            part = RequestField(name=name, data=data, filename=value.filename)
            part.make_multipart(content_type=value.content_type)
            form.append(
                FormField(
                    name=name,
                    filename=value.filename,
                    content_type=value.content_type,
                    size=len(data),
                )
            )
        else:
            part = RequestField(name=name, data=value)
            part.make_multipart(content_type=content_type)
            form.append(FormField(name=name, value=value, content_type=content_type))
        parts.append(part)
    body, header = encode_multipart_formdata(parts, boundary=boundary)
    return body, header, tuple(form)


def _typed_part(value: Any, content_type: str) -> str:
    if content_type.split(";", 1)[0].strip().lower().endswith("json"):
        return encode_json(value).decode("utf-8")
    return value if isinstance(value, str) else _form_scalar(value)


def _flatten(name: str, value: Any, out: List[Tuple[str, Any, Optional[str]]]) -> None:
    if value is None:
        return
    if is_file_value(value):
        out.append((name, to_file(value), None))
    elif attrs.has(type(value)):
        from openai_core._convert import to_dict

        _flatten(name, to_dict(value), out)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _flatten(f"{name}[{key}]", item, out)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in _ordered(value):
            _flatten(f"{name}[]", item, out)
    else:
        out.append((name, _form_scalar(value), None))


def _ordered(value: Iterable[Any]) -> Iterable[Any]:
    return sorted(value, key=str) if isinstance(value, (set, frozenset)) else value


def _form_scalar(value: Any) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"a form field cannot carry {value!r}; use a finite number")
        return repr(value)
    if isinstance(value, int):
        return str(value)
    raise ValueError(
        f"a form field cannot carry a {type(value).__name__}; pass a string, number, boolean, "
        "list, mapping or a file"
    )
