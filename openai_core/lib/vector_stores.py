"""Vector-store helpers: poll vector-store files and file batches until they are processed, and
upload files into a vector store in one call.

Polling works as in :mod:`openai_core.lib.polling`: the interval comes from the
``openai-poll-after-ms`` header, else 1 s; ``timeout`` raises
:class:`~openai_core.lib.polling.PollingTimeoutError`. A vector-store file or file batch is done
when its status is ``completed``, ``failed`` or ``cancelled``.

``file_batches().upload_and_poll()`` uploads its files concurrently on a
``concurrent.futures.ThreadPoolExecutor`` (the client is thread-safe) and keeps the order of the
IDs as given.

Source: https://platform.openai.com/docs/api-reference/vector_stores/create-vector-store-file
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import (
    TYPE_CHECKING,
    Any,
    FrozenSet,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    TypeVar,
)

from openai_core.lib.polling import (
    ResourceMixin,
    check_builder,
    check_seconds,
    id_of,
    path_param,
    poll_until_terminal,
)

if TYPE_CHECKING:
    from openai_core._builder import RequestBuilder
    from openai_core._client import Client
    from openai_core._files import FileTypes, FileValue
    from openai_core._generated.resources.vector_stores import (
        VectorStoresFileBatchesCreateBuilder,
        VectorStoresFilesCreateBuilder,
    )

__all__ = [
    "DEFAULT_MAX_CONCURRENCY",
    "VECTOR_STORE_FILE_TERMINAL_STATUSES",
    "VectorStoreFileBatchesMixin",
    "VectorStoreFilesMixin",
    "upload_files",
]

VECTOR_STORE_FILE_TERMINAL_STATUSES: FrozenSet[str] = frozenset(
    {"completed", "failed", "cancelled"}
)
"""Statuses of a vector-store file or file batch that end polling."""
DEFAULT_MAX_CONCURRENCY = 5
"""Files uploaded at once by ``file_batches().upload_and_poll()``."""

B = TypeVar("B", bound="RequestBuilder[Any]")


def upload_files(
    client: Client,
    files: Iterable[FileTypes],
    *,
    purpose: str = "assistants",
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
) -> List[str]:
    """Upload files with ``POST /files`` on a thread pool; return their IDs in the given order.

    Every file is checked (:func:`~openai_core.to_file`) before the first upload starts. When an
    upload fails, uploads not started yet are cancelled, running ones are awaited, and the
    first failure in the given order is raised; files already uploaded are kept.

    Args:
        client: The client to upload with (shared by the worker threads).
        files: Paths, bytes, binary file objects or ``(filename, content)`` tuples.
        purpose: The files' ``purpose``; default ``"assistants"``.
        max_concurrency: Uploads at once; default 5.

    Returns:
        The uploaded files' IDs, in the order of ``files``.

    Raises:
        TypeError: ``files`` is a single file rather than a list of files, or holds a value
            that cannot be uploaded.
        ValueError: ``max_concurrency`` is not an integer >= 1.
        FileNotFoundError: a path does not exist.
        APIStatusError, APIConnectionError: an upload failed.

    Source: https://platform.openai.com/docs/api-reference/files/upload-file
    """
    from openai_core._files import to_file

    if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int):
        raise ValueError(f"max_concurrency must be an integer >= 1, got {max_concurrency!r}")
    if max_concurrency < 1:
        raise ValueError(f"max_concurrency must be an integer >= 1, got {max_concurrency!r}")
    if isinstance(files, (str, bytes, bytearray, tuple)) or hasattr(files, "read"):
        raise TypeError("files: pass a list of files (use a list even for one file)")
    values = [to_file(value) for value in files]
    if not values:
        return []

    def upload(value: FileValue) -> str:
        created = client.files().create().file(value).purpose(purpose).send()
        return id_of(created, "file")

    workers = min(max_concurrency, len(values))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="openai-core-upload") as pool:
        futures = [pool.submit(upload, value) for value in values]
        try:
            return [future.result() for future in futures]
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _with_fields(
    request: B,
    attributes: Optional[Mapping[str, Any]],
    chunking_strategy: Optional[Mapping[str, Any]],
) -> B:
    if attributes is not None:
        request = request._set("attributes", dict(attributes))
    if chunking_strategy is not None:
        request = request._set("chunking_strategy", dict(chunking_strategy))
    return request


class VectorStoreFilesMixin(ResourceMixin):
    """Helpers of ``client.vector_stores().files()``.

    Examples:
        >>> vs_file = client.vector_stores().files().upload_and_poll("vs_abc", "manual.pdf")
        >>> vs_file = client.vector_stores().files().poll("file-abc", vector_store_id="vs_abc")
    """

    __slots__ = ()

    def poll(
        self,
        file_id: str,
        *,
        vector_store_id: str,
        poll_interval: Optional[float] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Retrieve a vector-store file until its status is ``completed``, ``failed`` or
        ``cancelled``.

        As in the official SDK, the file comes first and ``vector_store_id`` is a keyword.

        Args:
            file_id: The file.
            vector_store_id: Its vector store.
            poll_interval: Seconds between polls; default: the ``openai-poll-after-ms`` header,
                else 1 s.
            timeout: Seconds to keep polling; default ``None``, no limit.

        Returns:
            The vector-store file in its terminal status (``last_error`` says why one failed).

        Raises:
            PollingTimeoutError: ``timeout`` passed first (``.last`` is the last file object).
            APIStatusError, APIConnectionError: as ``retrieve(...).send()`` raises them.

        Source: https://platform.openai.com/docs/api-reference/vector_stores/retrieve-vector-store-file
        """
        return self._poll(vector_store_id, file_id, None, poll_interval, timeout)

    def create_and_poll(
        self,
        request: VectorStoresFilesCreateBuilder,
        *,
        poll_interval: Optional[float] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Send a configured ``files().create(vector_store_id)`` builder (attach an uploaded
        file), then poll the vector-store file as :meth:`poll` does.

        Args:
            request: ``client.vector_stores().files().create(vector_store_id)`` with
                ``.file_id(...)`` set.
            poll_interval: Seconds between polls; default: the ``openai-poll-after-ms`` header,
                else 1 s.
            timeout: Seconds to keep polling after the file was attached; default ``None``.

        Returns:
            The vector-store file in its terminal status.

        Raises:
            TypeError: ``request`` is not a vector-store-file create builder.
            PollingTimeoutError, APIStatusError, APIConnectionError: as :meth:`poll`.

        Source: https://platform.openai.com/docs/api-reference/vector_stores/create-vector-store-file
        """
        from openai_core._generated.resources.vector_stores import VectorStoresFilesCreateBuilder

        check_builder(
            request,
            (VectorStoresFilesCreateBuilder,),
            "create_and_poll",
            "client.vector_stores().files().create(vector_store_id)",
        )
        check_seconds("poll_interval", poll_interval)
        check_seconds("timeout", timeout)
        sent = request.send_with_meta()
        file_id = id_of(sent.data, "vector store file")
        return self._poll(path_param(request, 1), file_id, sent, poll_interval, timeout)

    def upload_and_poll(
        self,
        vector_store_id: str,
        file: FileTypes,
        *,
        attributes: Optional[Mapping[str, Any]] = None,
        chunking_strategy: Optional[Mapping[str, Any]] = None,
        poll_interval: Optional[float] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Upload a file (``POST /files``, purpose ``assistants``), attach it to a vector store
        and poll it until it is processed.

        Args:
            vector_store_id: The vector store.
            file: A path, bytes, a binary file object or a ``(filename, content)`` tuple.
            attributes: The file's ``attributes`` in the vector store; not sent by default.
            chunking_strategy: How the file is chunked; by default the server's ``auto``.
            poll_interval: Seconds between polls; default: the ``openai-poll-after-ms`` header,
                else 1 s.
            timeout: Seconds to keep polling after the file was attached; default ``None``.

        Returns:
            The vector-store file in its terminal status.

        Raises:
            TypeError, FileNotFoundError: ``file`` cannot be uploaded.
            PollingTimeoutError, APIStatusError, APIConnectionError: as :meth:`poll`.

        Source: https://platform.openai.com/docs/api-reference/vector_stores/create-vector-store-file
        """
        from openai_core._files import to_file

        check_seconds("poll_interval", poll_interval)
        check_seconds("timeout", timeout)
        value = to_file(file)
        uploaded = self._client.files().create().file(value).purpose("assistants").send()
        request = self._client.vector_stores().files().create(vector_store_id)
        request = request.file_id(id_of(uploaded, "file"))
        return self.create_and_poll(
            _with_fields(request, attributes, chunking_strategy),
            poll_interval=poll_interval,
            timeout=timeout,
        )

    def _poll(
        self,
        vector_store_id: str,
        file_id: str,
        first: Any,
        poll_interval: Optional[float],
        timeout: Optional[float],
    ) -> Any:
        files = self._client.vector_stores().files()
        return poll_until_terminal(
            self._client,
            lambda: files.retrieve(vector_store_id, file_id).send_with_meta(),
            terminal=VECTOR_STORE_FILE_TERMINAL_STATUSES,
            what=f"vector store file {file_id}",
            first=first,
            poll_interval=poll_interval,
            timeout=timeout,
        )


class VectorStoreFileBatchesMixin(ResourceMixin):
    """Helpers of ``client.vector_stores().file_batches()``.

    Examples:
        >>> batch = client.vector_stores().file_batches().upload_and_poll(
        ...     "vs_abc", ["a.pdf", "b.md"], max_concurrency=4, file_ids=["file-abc"])
    """

    __slots__ = ()

    def poll(
        self,
        batch_id: str,
        *,
        vector_store_id: str,
        poll_interval: Optional[float] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Retrieve a file batch until its status is ``completed``, ``failed`` or
        ``cancelled``.

        As in the official SDK, the batch comes first and ``vector_store_id`` is a keyword.

        Args:
            batch_id: The file batch.
            vector_store_id: Its vector store.
            poll_interval: Seconds between polls; default: the ``openai-poll-after-ms`` header,
                else 1 s.
            timeout: Seconds to keep polling; default ``None``, no limit.

        Returns:
            The file batch in its terminal status (``file_counts`` has the tallies).

        Raises:
            PollingTimeoutError: ``timeout`` passed first (``.last`` is the last batch).
            APIStatusError, APIConnectionError: as ``retrieve(...).send()`` raises them.

        Source: https://platform.openai.com/docs/api-reference/vector_stores/retrieve-vector-store-file-batch
        """
        return self._poll(vector_store_id, batch_id, None, poll_interval, timeout)

    def create_and_poll(
        self,
        request: VectorStoresFileBatchesCreateBuilder,
        *,
        poll_interval: Optional[float] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Send a configured ``file_batches().create(vector_store_id)`` builder, then poll the
        batch as :meth:`poll` does.

        Args:
            request: ``client.vector_stores().file_batches().create(vector_store_id)`` with
                ``.file_ids([...])`` (or ``.files([...])``) set.
            poll_interval: Seconds between polls; default: the ``openai-poll-after-ms`` header,
                else 1 s.
            timeout: Seconds to keep polling after the batch was created; default ``None``.

        Returns:
            The file batch in its terminal status.

        Raises:
            TypeError: ``request`` is not a file-batch create builder.
            PollingTimeoutError, APIStatusError, APIConnectionError: as :meth:`poll`.

        Source: https://platform.openai.com/docs/api-reference/vector_stores/create-vector-store-file-batch
        """
        from openai_core._generated.resources.vector_stores import (
            VectorStoresFileBatchesCreateBuilder,
        )

        check_builder(
            request,
            (VectorStoresFileBatchesCreateBuilder,),
            "create_and_poll",
            "client.vector_stores().file_batches().create(vector_store_id)",
        )
        check_seconds("poll_interval", poll_interval)
        check_seconds("timeout", timeout)
        sent = request.send_with_meta()
        batch_id = id_of(sent.data, "vector store file batch")
        return self._poll(path_param(request, 1), batch_id, sent, poll_interval, timeout)

    def upload_and_poll(
        self,
        vector_store_id: str,
        files: Sequence[FileTypes],
        *,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        file_ids: Sequence[str] = (),
        attributes: Optional[Mapping[str, Any]] = None,
        chunking_strategy: Optional[Mapping[str, Any]] = None,
        poll_interval: Optional[float] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Upload files concurrently (``POST /files``, purpose ``assistants``), add them with
        ``file_ids`` to a vector store as one batch, and poll the batch until it is processed.

        The batch's ``file_ids`` are ``file_ids`` followed by the uploaded files' IDs in the
        order of ``files``. When an upload fails, no batch is created and the error is raised
        (files already uploaded are kept).

        Args:
            vector_store_id: The vector store.
            files: Paths, bytes, binary file objects or ``(filename, content)`` tuples.
            max_concurrency: Uploads at once, on a thread pool; default 5.
            file_ids: IDs of files uploaded before, added to the batch first; default none.
            attributes: ``attributes`` applied to every file of the batch; not sent by default.
            chunking_strategy: How the files are chunked; by default the server's ``auto``.
            poll_interval: Seconds between polls; default: the ``openai-poll-after-ms`` header,
                else 1 s.
            timeout: Seconds to keep polling after the batch was created; default ``None``.

        Returns:
            The file batch in its terminal status.

        Raises:
            ValueError: neither ``files`` nor ``file_ids`` name a file, or ``max_concurrency``
                is not an integer >= 1.
            TypeError, FileNotFoundError: a file cannot be uploaded (before any upload starts).
            PollingTimeoutError, APIStatusError, APIConnectionError: as :meth:`poll`.

        Source: https://platform.openai.com/docs/api-reference/vector_stores/create-vector-store-file-batch
        """
        if isinstance(file_ids, str):
            raise TypeError("file_ids: pass a list of file IDs")
        check_seconds("poll_interval", poll_interval)
        check_seconds("timeout", timeout)
        uploaded = upload_files(self._client, files, max_concurrency=max_concurrency)
        ids = [*file_ids, *uploaded]
        if not ids:
            raise ValueError("upload_and_poll() needs at least one file in files or file_ids")
        request = self._client.vector_stores().file_batches().create(vector_store_id)
        request = request.file_ids(ids)
        return self.create_and_poll(
            _with_fields(request, attributes, chunking_strategy),
            poll_interval=poll_interval,
            timeout=timeout,
        )

    def _poll(
        self,
        vector_store_id: str,
        batch_id: str,
        first: Any,
        poll_interval: Optional[float],
        timeout: Optional[float],
    ) -> Any:
        batches = self._client.vector_stores().file_batches()
        return poll_until_terminal(
            self._client,
            lambda: batches.retrieve(vector_store_id, batch_id).send_with_meta(),
            terminal=VECTOR_STORE_FILE_TERMINAL_STATUSES,
            what=f"vector store file batch {batch_id}",
            first=first,
            poll_interval=poll_interval,
            timeout=timeout,
        )
