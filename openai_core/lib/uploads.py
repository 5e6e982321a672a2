"""Chunked uploads: ``client.uploads().upload_file_chunked()`` sends a large file through the
Uploads API (``POST /uploads``, one ``POST /uploads/{id}/parts`` per part, then
``POST /uploads/{id}/complete`` with the part IDs in order and the MD5 of the whole content).

The file is read one part at a time, so at most one part (64 MiB by default) is held in memory,
and the MD5 is computed while reading. When anything fails after the upload was created, the
upload is cancelled and :class:`ChunkedUploadError` says how far it got.

Source: https://platform.openai.com/docs/api-reference/uploads
"""

from __future__ import annotations

import builtins
import hashlib
import io
import os
import pathlib
from typing import IO, TYPE_CHECKING, Any, Callable, List, Optional, Tuple, Union

from openai_core._errors import OpenAIError
from openai_core._logging import logger
from openai_core.lib.polling import ResourceMixin, id_of

if TYPE_CHECKING:
    from openai_core._generated.resources.uploads import UploadsResource

__all__ = ["DEFAULT_PART_SIZE", "ChunkedUploadError", "UploadsMixin"]

DEFAULT_PART_SIZE = 64 * 1024 * 1024
"""Bytes per part: 64 MiB, the largest part the API accepts."""

UploadSource = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, IO[bytes]]
"""What ``upload_file_chunked`` reads: a path, bytes, or a binary file object."""


class ChunkedUploadError(OpenAIError):
    """A chunked upload failed after it was created; the ``__cause__`` is the original error.

    Attributes:
        upload_id: The upload.
        part_ids: IDs of the parts sent, in order.
        bytes_sent: Bytes sent in those parts.
        total: Bytes the upload was created for.
        cancelled: Whether the upload was cancelled (``False`` when cancelling failed too; an
            upload left pending expires by itself).
    """

    def __init__(
        self,
        message: str,
        *,
        upload_id: str,
        part_ids: Tuple[str, ...],
        bytes_sent: int,
        total: int,
        cancelled: bool,
    ) -> None:
        super().__init__(message)
        self.upload_id = upload_id
        self.part_ids = part_ids
        self.bytes_sent = bytes_sent
        self.total = total
        self.cancelled = cancelled


def _open_source(
    file: UploadSource, filename: Optional[str], size: Optional[int]
) -> Tuple[IO[bytes], str, int, bool]:
    """``(stream, filename, total bytes, whether to close the stream afterwards)``."""
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
        raise ValueError(f"bytes must be an integer >= 0, got {size!r}")
    if isinstance(file, (str, os.PathLike)):
        path = pathlib.Path(file)
        if not path.is_file():
            raise FileNotFoundError(f"No such file: {str(path)!r}")
        total = path.stat().st_size if size is None else size
        return path.open("rb"), filename or path.name, total, True
    if isinstance(file, (builtins.bytes, bytearray, memoryview)):
        if not filename:
            raise ValueError("filename= is required when uploading bytes")
        data = file if isinstance(file, builtins.bytes) else builtins.bytes(file)
        return io.BytesIO(data), filename, len(data) if size is None else size, True
    if not _is_binary_reader(file):
        raise TypeError(
            f"cannot upload a {type(file).__name__}: pass a path, bytes, or a file object "
            "opened in binary mode ('rb')"
        )
    name = filename or _name_of(file)
    if not name:
        raise ValueError("filename= is required for a file object without a name")
    if size is None:
        if not (callable(getattr(file, "seekable", None)) and file.seekable()):
            raise ValueError("bytes= is required for a file object that cannot seek (a pipe)")
        start = file.tell()
        size = file.seek(0, os.SEEK_END) - start
        file.seek(start)
    return file, name, size, False


def _is_binary_reader(file: Any) -> bool:
    mode = getattr(file, "mode", None)
    text_mode = isinstance(mode, str) and "b" not in mode
    return callable(getattr(file, "read", None)) and not (
        isinstance(file, io.TextIOBase) or text_mode
    )


def _name_of(file: Any) -> Optional[str]:
    name = getattr(file, "name", None)
    if isinstance(name, builtins.bytes):
        name = os.fsdecode(name)
    if isinstance(name, str) and name and not name.startswith("<"):
        return os.path.basename(name) or None
    return None


def _read_part(stream: IO[bytes], size: int) -> builtins.bytes:
    """Up to ``size`` bytes, reading again after short reads (raw files, pipes)."""
    chunks: List[builtins.bytes] = []
    missing = size
    while missing > 0:
        chunk = stream.read(missing)
        if not isinstance(chunk, builtins.bytes):
            raise TypeError(
                f"the file object returned {type(chunk).__name__}, not bytes; open it in binary "
                "mode ('rb')"
            )
        if not chunk:
            break
        chunks.append(chunk)
        missing -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


class UploadsMixin(ResourceMixin):
    """``client.uploads().upload_file_chunked()``.

    Examples:
        >>> upload = client.uploads().upload_file_chunked(
        ...     "train.jsonl", mime_type="text/jsonl", purpose="fine-tune",
        ...     progress=lambda sent, total: print(f"{sent}/{total}"))
    """

    __slots__ = ()

    def upload_file_chunked(
        self,
        file: UploadSource,
        *,
        mime_type: str,
        purpose: str,
        filename: Optional[str] = None,
        bytes: Optional[int] = None,
        part_size: int = DEFAULT_PART_SIZE,
        progress: Optional[Callable[[int, int], None]] = None,
    ) -> Any:
        """Upload a file in parts through the Uploads API and complete the upload.

        Creates the upload, sends the content in parts of ``part_size`` bytes (the last one
        shorter) one after the other, then completes the upload with the part IDs in order and
        the hex MD5 of everything sent. Only one part is in memory at a time.

        Args:
            file: A path (``str`` or ``os.PathLike``), bytes, or a binary file object (read
                from its current position; it is not closed).
            mime_type: The file's MIME type (``"text/jsonl"``, ``"application/pdf"``).
            purpose: The file's purpose: ``assistants``, ``batch``, ``fine-tune`` or
                ``vision``.
            filename: The file's name; default: the path's or file object's base name
                (required for bytes and unnamed file objects).
            bytes: How many bytes to upload; default: the size of the path or bytes, or what
                remains of a seekable file object (required for one that cannot seek).
            part_size: Bytes per part; default 64 MiB, the most the API accepts.
            progress: Called after each part as ``progress(bytes_sent, total)``; an exception
                it raises aborts (and cancels) the upload.

        Returns:
            The completed upload; its ``file`` field is the created file.

        Raises:
            ChunkedUploadError: a part, the completion, reading the file or ``progress`` failed
                after the upload was created; the upload was cancelled and the error carries
                the part IDs and bytes sent, with the original error as ``__cause__``.
            ValueError: an invalid ``part_size`` or ``bytes``, a missing ``filename``, or a
                non-seekable file object without ``bytes``.
            TypeError: ``file`` is not a path, bytes or a binary file object.
            FileNotFoundError: the path does not exist.
            APIStatusError, APIConnectionError: creating the upload failed (nothing to cancel).

        Source: https://platform.openai.com/docs/api-reference/uploads/create-upload
        """
        if isinstance(part_size, bool) or not isinstance(part_size, int) or part_size < 1:
            raise ValueError(f"part_size must be an integer >= 1, got {part_size!r}")
        stream, name, total, owned = _open_source(file, filename, bytes)
        try:
            uploads = self._client.uploads()
            created = (
                uploads.create()
                .bytes(total)
                .filename(name)
                .mime_type(mime_type)
                .purpose(purpose)
                .send()
            )
            upload_id = id_of(created, "upload")
            return _send_parts(uploads, upload_id, stream, total, part_size, progress)
        finally:
            if owned:
                stream.close()


def _send_parts(
    uploads: UploadsResource,
    upload_id: str,
    stream: IO[bytes],
    total: int,
    part_size: int,
    progress: Optional[Callable[[int, int], None]],
) -> Any:
    part_ids: List[str] = []
    sent = 0
    digest = hashlib.md5(usedforsecurity=False)
    try:
        while sent < total:
            chunk = _read_part(stream, min(part_size, total - sent))
            if not chunk:
                raise ValueError(
                    f"the file ended after {sent} bytes, but the upload was created for {total}"
                )
            digest.update(chunk)
            part = uploads.parts().create(upload_id).data(chunk).send()
            part_ids.append(id_of(part, "upload part"))
            sent += len(chunk)
            if progress is not None:
                progress(sent, total)
        return uploads.complete(upload_id).part_ids(part_ids).md5(digest.hexdigest()).send()
    except BaseException as exc:
        cancelled = _cancel(uploads, upload_id)
        if not isinstance(exc, Exception):
            raise
        outcome = "the upload was cancelled" if cancelled else "cancelling the upload failed too"
        raise ChunkedUploadError(
            f"Chunked upload {upload_id} failed after {len(part_ids)} part(s), {sent} of "
            f"{total} bytes sent; {outcome}: {exc}",
            upload_id=upload_id,
            part_ids=tuple(part_ids),
            bytes_sent=sent,
            total=total,
            cancelled=cancelled,
        ) from exc


def _cancel(uploads: UploadsResource, upload_id: str) -> bool:
    try:
        uploads.cancel(upload_id).send()
    except Exception:
        logger.warning("could not cancel upload %s", upload_id, exc_info=True)
        return False
    return True
