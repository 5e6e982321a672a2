"""``BinaryResponse``: the result of operations that answer with bytes (audio, file contents,
videos, skill bundles), streamed from the connection instead of held in memory.

Source: https://platform.openai.com/docs/api-reference/audio/createSpeech
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import uuid
from typing import TYPE_CHECKING, Iterator, Mapping, Optional, Union

from openai_core._errors import APIError
from openai_core._transport import read_body, translate_exception

if TYPE_CHECKING:
    import requests

__all__ = ["BinaryResponse", "decode_text"]

DEFAULT_CHUNK_SIZE = 65536
_CONSUMED = (
    "The body was already streamed by iter_bytes() or write_to_file() and was not kept; "
    "read .content first to use it more than once."
)


def decode_text(response: requests.Response) -> str:
    """The body as text: the ``charset`` the server declared, else UTF-8 (never the ISO-8859-1
    that HTTP/1.1 assumes for ``text/*``); undecodable bytes become U+FFFD.

    Raises:
        requests/urllib3 exceptions while reading an unread body (translated by the caller).
    """
    return _decode(read_body(response), response.headers.get("content-type"))


def _decode(content: bytes, content_type: Optional[str]) -> str:
    charset = None
    for param in (content_type or "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    try:
        return content.decode(charset or "utf-8", "replace")
    except LookupError:  # a charset Python does not know
        return content.decode("utf-8", "replace")


class BinaryResponse:
    """A binary response body, read on demand from the open connection.

    The response has been checked (error statuses raise before you get one, after the retries
    the call allows); its body is still on the wire. Read it once: all at once with
    :attr:`content` (kept), in chunks with :meth:`iter_bytes`, or to disk with
    :meth:`write_to_file`. The connection is released when the body has been read to the end,
    or on :meth:`close` / leaving a ``with`` block (without draining the rest).

    Examples:
        >>> with client.audio().speech().create().model("gpt-4o-mini-tts").input("Hi")
        ...         .voice("alloy").send() as audio:
        ...     audio.write_to_file("hi.mp3")
    """

    def __init__(self, response: requests.Response) -> None:
        self._response = response
        self._content: Optional[bytes] = None
        self._consumed = False

    @property
    def response(self) -> requests.Response:
        """The underlying ``requests.Response`` (sent with ``stream=True``)."""
        return self._response

    @property
    def headers(self) -> Mapping[str, str]:
        """Response headers (case-insensitive mapping)."""
        return self._response.headers

    @property
    def status(self) -> int:
        """HTTP status code."""
        return self._response.status_code

    @property
    def status_code(self) -> int:
        """HTTP status code (the official SDK's name)."""
        return self._response.status_code

    @property
    def request_id(self) -> Optional[str]:
        """The ``x-request-id`` header, or ``None``."""
        return self._response.headers.get("x-request-id")

    @property
    def content_type(self) -> Optional[str]:
        """The ``Content-Type`` header, or ``None``."""
        return self._response.headers.get("content-type")

    @property
    def content(self) -> bytes:
        """The whole body (read on first access, then kept).

        Raises:
            APIConnectionError, APITimeoutError: the connection failed while reading.
            RuntimeError: the body was already streamed by :meth:`iter_bytes` or
                :meth:`write_to_file`.
        """
        if self._content is None:
            if self._consumed:
                raise RuntimeError(_CONSUMED)
            self._consumed = True
            try:
                self._content = read_body(self._response)
            except Exception as exc:
                raise translate_exception(exc) from exc
            finally:
                self._response.close()
        return self._content

    @property
    def text(self) -> str:
        """The body decoded as text (the declared charset, else UTF-8)."""
        return _decode(self.content, self.content_type)

    def iter_bytes(self, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
        """Yield the body in chunks of at most ``chunk_size`` bytes (default 64 KiB), without
        keeping it; the response is closed at the end, on ``break`` or on an error.

        Raises:
            ValueError: ``chunk_size`` is not a positive int.
            APIConnectionError, APITimeoutError: the connection failed mid-body (a body shorter
                than its ``Content-Length`` included).
            RuntimeError: the body was already streamed.
        """
        if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
            raise ValueError(f"chunk_size must be a positive int, got {chunk_size!r}")
        if self._content is not None:
            content = self._content
            return iter([content[i : i + chunk_size] for i in range(0, len(content), chunk_size)])
        if self._consumed:
            raise RuntimeError(_CONSUMED)
        self._consumed = True
        return self._stream(chunk_size)

    def _stream(self, chunk_size: int) -> Iterator[bytes]:
        try:
            for chunk in self._response.iter_content(chunk_size):
                if chunk:
                    yield chunk
        except APIError:
            raise
        except Exception as exc:
            raise translate_exception(exc) from exc
        finally:
            self._response.close()

    def write_to_file(
        self, path: Union[str, os.PathLike[str]], *, chunk_size: int = DEFAULT_CHUNK_SIZE
    ) -> pathlib.Path:
        """Stream the body to ``path`` without holding it in memory, atomically.

        The bytes go to a temporary file in the same directory, which is flushed to disk
        (``fsync``) and then renamed over ``path``; if anything fails midway (the connection
        drops, the disk fills, an interrupt) the temporary file is removed and ``path`` is left
        untouched. The new file's permissions follow the process umask.

        Args:
            path: Destination file; its directory must exist.
            chunk_size: Bytes read and written at a time (default 64 KiB).

        Returns:
            The destination as a ``pathlib.Path``.

        Raises:
            APIConnectionError, APITimeoutError: the connection failed mid-body.
            OSError: the file cannot be written.
            RuntimeError: the body was already streamed.
        """
        target = pathlib.Path(path)
        chunks = self.iter_bytes(chunk_size)
        temp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.part")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(temp, flags, 0o666)
        except BaseException:
            self.close()
            raise
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        except BaseException:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        return target

    def close(self) -> None:
        """Release the connection without draining the body. Idempotent."""
        self._response.close()

    def __enter__(self) -> BinaryResponse:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"BinaryResponse(status={self.status}, content_type={self.content_type!r}, "
            f"request_id={self.request_id!r})"
        )
