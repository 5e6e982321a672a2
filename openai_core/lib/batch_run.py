"""Scale-out through the Batch API: ``builder.to_batch_line()`` and ``client.batches().run()``.

``to_batch_line(custom_id)`` compiles any JSON ``POST`` builder of an endpoint the Batch API
serves into one JSONL line. ``run()`` writes those lines to files (one per endpoint, split at the
API's limits of 50,000 lines and 200 MB per file), uploads each file (``purpose="batch"``),
creates one batch per file, polls them, streams the output and error files to disk and returns
the results keyed by ``custom_id``, each decoded as the builder's ``send()`` would decode it.

Source: https://platform.openai.com/docs/guides/batch
"""

from __future__ import annotations

import json
import pathlib
import sys
import tempfile
import time
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    FrozenSet,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
)

import attrs

from openai_core._errors import APIResponseValidationError
from openai_core._request import encode_json
from openai_core.lib.batches import BATCH_TERMINAL_STATUSES
from openai_core.lib.polling import (
    ResourceMixin,
    check_seconds,
    field_of,
    id_of,
    poll_until_terminal,
)

if TYPE_CHECKING:
    from openai_core._builder import RequestBuilder

__all__ = [
    "BATCH_ENDPOINTS",
    "MAX_FILE_BYTES",
    "MAX_FILE_LINES",
    "BatchRequestError",
    "BatchRunMixin",
    "BatchRunResult",
    "batch_line",
    "print_progress",
    "split_lines",
]

BATCH_ENDPOINTS: FrozenSet[str] = frozenset(
    {
        "/v1/responses",
        "/v1/chat/completions",
        "/v1/embeddings",
        "/v1/completions",
        "/v1/moderations",
        "/v1/images/generations",
        "/v1/images/edits",
        "/v1/videos",
    }
)
"""Endpoints the Batch API serves (the spec's ``CreateBatchRequest.endpoint``)."""
MAX_FILE_LINES = 50_000
"""Requests per batch input file."""
MAX_FILE_BYTES = 200 * 1024 * 1024
"""Bytes per batch input file (200 MB)."""


def batch_line(builder: RequestBuilder[Any], custom_id: str) -> Tuple[str, str]:
    """``(endpoint, JSONL line without newline)`` for one builder.

    Raises:
        ValueError: ``custom_id`` is empty, or the builder cannot be batched (not ``POST``, not a
            JSON body, a streaming request, a non-JSON response, an endpoint the Batch API does
            not serve).
    """
    if not isinstance(custom_id, str) or not custom_id:
        raise ValueError(f"custom_id must be a non-empty string, got {custom_id!r}")
    name = type(builder).__name__
    if builder._method != "POST":
        raise ValueError(f"{name} cannot be batched: the Batch API only sends POST requests")
    if builder._request_kind != "json":
        raise ValueError(
            f"{name} cannot be batched: its body is {builder._request_kind}, and a batch line "
            "carries only a JSON body (multipart uploads cannot be batched)"
        )
    if builder._effective_response_kind() != "json":
        raise ValueError(f"{name} cannot be batched: its response is not JSON")
    endpoint = "/v1/" + builder._path.split("?", 1)[0].strip("/")
    if endpoint not in BATCH_ENDPOINTS:
        raise ValueError(
            f"{name} cannot be batched: the Batch API does not serve {endpoint} "
            f"(it serves {', '.join(sorted(BATCH_ENDPOINTS))})"
        )
    request = builder._compile()
    body = request.json_data
    if not isinstance(body, Mapping):
        raise ValueError(f"{name} cannot be batched: its body is not a JSON object")
    if body.get("stream"):
        raise ValueError(f"{name} cannot be batched: streaming requests cannot be batched")
    line = {"custom_id": custom_id, "method": "POST", "url": endpoint, "body": body}
    return endpoint, encode_json(line).decode("utf-8")


def split_lines(
    lines: Iterable[Tuple[str, str]],
    *,
    max_lines: int = MAX_FILE_LINES,
    max_bytes: int = MAX_FILE_BYTES,
) -> List[Tuple[str, List[str]]]:
    """Group ``(endpoint, line)`` pairs by endpoint (first-seen order) and cut each group into
    chunks of at most ``max_lines`` lines and ``max_bytes`` bytes (newlines counted).

    Raises:
        ValueError: one line alone is larger than ``max_bytes``.
    """
    groups: Dict[str, List[List[str]]] = {}
    sizes: Dict[str, int] = {}
    for endpoint, line in lines:
        size = len(line.encode("utf-8")) + 1
        if size > max_bytes:
            raise ValueError(f"a batch line of {size} bytes exceeds the {max_bytes}-byte limit")
        chunks = groups.setdefault(endpoint, [[]])
        if len(chunks[-1]) >= max_lines or sizes.get(endpoint, 0) + size > max_bytes:
            chunks.append([])
            sizes[endpoint] = 0
        chunks[-1].append(line)
        sizes[endpoint] = sizes.get(endpoint, 0) + size
    return [(endpoint, chunk) for endpoint, chunks in groups.items() for chunk in chunks]


@attrs.frozen(kw_only=True)
class BatchRequestError:
    """One request of a batch that did not succeed.

    Attributes:
        custom_id: The request's ``custom_id``.
        status_code: The HTTP status the request got, or ``None`` when it got no response.
        code: The error code (``error.code`` of the line or of the response body), if any.
        message: The error message, if any.
        body: The response body, or the line's ``error`` object.
        request_id: The request's ``x-request-id``, if any.
    """

    custom_id: str
    status_code: Optional[int] = None
    code: Optional[str] = None
    message: Optional[str] = None
    body: Any = None
    request_id: Optional[str] = None


@attrs.frozen(kw_only=True)
class BatchRunResult:
    """What :meth:`BatchRunMixin.run` returns.

    Attributes:
        results: Decoded response bodies of the successful requests, keyed by ``custom_id``
            (the model the builder's ``send()`` returns).
        errors: The failed (or never answered) requests, keyed by ``custom_id``.
        batches: The batches in their final status, one per input file.
        input_files: The JSONL files written and uploaded.
        output_files: The downloaded output files.
        error_files: The downloaded error files.

    Examples:
        >>> run = client.batches().run({"a": chat.message_user("Hi")}, timeout=24 * 3600)
        >>> run.results["a"].choices[0].message.content
    """

    results: Mapping[str, Any]
    errors: Mapping[str, BatchRequestError]
    batches: Tuple[Any, ...]
    input_files: Tuple[pathlib.Path, ...]
    output_files: Tuple[pathlib.Path, ...]
    error_files: Tuple[pathlib.Path, ...]


Builders = Union[Mapping[str, "RequestBuilder[Any]"], Sequence["RequestBuilder[Any]"]]


def _keyed(builders: Builders) -> Dict[str, RequestBuilder[Any]]:
    if isinstance(builders, Mapping):
        return dict(builders)
    keyed = list(builders)
    width = len(str(max(len(keyed) - 1, 0)))
    return {f"request-{index:0{width}d}": builder for index, builder in enumerate(keyed)}


def _iter_jsonl(path: pathlib.Path) -> Iterator[Dict[str, Any]]:
    with path.open("r", encoding="utf-8") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except ValueError as exc:
                raise APIResponseValidationError(
                    f"Line {number} of the batch file {path} is not JSON: {exc}", body=raw
                ) from exc
            if isinstance(record, dict):
                yield record


def _error_of(custom_id: str, record: Mapping[str, Any]) -> BatchRequestError:
    found = record.get("response")
    response: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    error = record.get("error")
    body = response.get("body")
    if not isinstance(error, Mapping) and isinstance(body, Mapping):
        error = body.get("error")
    error = error if isinstance(error, Mapping) else {}
    status = response.get("status_code")
    return BatchRequestError(
        custom_id=custom_id,
        status_code=status if isinstance(status, int) else None,
        code=error.get("code"),
        message=error.get("message"),
        body=body if body is not None else record.get("error"),
        request_id=response.get("request_id"),
    )


def _custom_id_of(line: str) -> str:
    """The ``custom_id`` of a line :func:`batch_line` wrote (its first key), without parsing
    the whole line."""
    value, _ = json.JSONDecoder().raw_decode(line, len('{"custom_id":'))
    return str(value)


def _unanswered(custom_id: str, batch: Any) -> BatchRequestError:
    """The error of a request that neither output file answers: its batch's status and first
    batch-level error, if any."""
    status = field_of(batch, "status")
    message = f"batch {field_of(batch, 'id')} ended {status} without a result for this request"
    found = field_of(field_of(batch, "errors"), "data") if field_of(batch, "errors") else None
    first = found[0] if found else None
    if first is not None and field_of(first, "message"):
        message += f": {field_of(first, 'message')}"
    return BatchRequestError(
        custom_id=custom_id,
        code=field_of(first, "code") if first is not None else None,
        message=message,
    )


def _decode_into(
    results: Dict[str, Any],
    errors: Dict[str, BatchRequestError],
    builder: RequestBuilder[Any],
    custom_id: str,
    response: Mapping[str, Any],
) -> None:
    """Decode one successful answer as ``send()`` would; an answer that does not decode (strict
    mode) becomes an error of that request rather than of the whole run."""
    try:
        results[custom_id] = builder._decoder()(response.get("body"))
    except APIResponseValidationError as exc:
        errors[custom_id] = BatchRequestError(
            custom_id=custom_id,
            status_code=response.get("status_code"),
            code="response_validation",
            message=str(exc),
            body=response.get("body"),
            request_id=response.get("request_id"),
        )


def print_progress(batch: Any) -> None:
    """A one-line progress bar on stderr (what ``progress=True`` uses)."""
    counts = field_of(batch, "request_counts")
    total, done = 0, 0
    if counts is not None:
        total = field_of(counts, "total") or 0
        done = (field_of(counts, "completed") or 0) + (field_of(counts, "failed") or 0)
    filled = int(20 * done / total) if total else 0
    bar = "#" * filled + "." * (20 - filled)
    status = field_of(batch, "status")
    end = "\n" if status in BATCH_TERMINAL_STATUSES else ""
    sys.stderr.write(f"\r{field_of(batch, 'id')} {status:<11} [{bar}] {done}/{total}{end}")
    sys.stderr.flush()


class BatchRunMixin(ResourceMixin):
    """``client.batches().run()``: many builders through the Batch API.

    Examples:
        >>> chat = client.chat().completions().create().model("gpt-4o-mini")
        >>> run = client.batches().run(
        ...     {f"q{i}": chat.message_user(q) for i, q in enumerate(questions)},
        ...     poll_interval=60, progress=lambda batch: print(batch.request_counts))
        >>> {key: r.choices[0].message.content for key, r in run.results.items()}
    """

    __slots__ = ()

    def run(
        self,
        builders: Builders,
        *,
        completion_window: str = "24h",
        metadata: Optional[Mapping[str, str]] = None,
        poll_interval: Optional[float] = None,
        timeout: Optional[float] = None,
        progress: Union[Callable[[Any], None], bool, None] = None,
        output_dir: Union[str, pathlib.Path, None] = None,
    ) -> BatchRunResult:
        """Send builders as batches and wait for their results.

        Args:
            builders: ``custom_id -> builder``, or a sequence of builders (ids
                ``request-0``, ``request-1`` … are generated).
            completion_window: The batches' completion window.
            metadata: Metadata set on every batch.
            poll_interval: Seconds between polls (default: the server's hint, else 1 s).
            timeout: Seconds to wait for all batches in total; ``None`` waits without limit.
            progress: Called with each batch as retrieved (``request_counts``, ``status``);
                ``True`` draws a one-line progress bar on stderr (:func:`print_progress`).
            output_dir: Where the input, output and error JSONL files go (default: a new
                temporary directory, left in place).

        Returns:
            A :class:`BatchRunResult`; requests missing from both output files are reported
            in ``errors`` with no status.

        Raises:
            ValueError: no builders, or a builder that cannot be batched.
            PollingTimeoutError: ``timeout`` passed before every batch ended.
            APIStatusError, APIConnectionError: from the upload, create, poll or download calls.

        Source: https://platform.openai.com/docs/api-reference/batch
        """
        check_seconds("poll_interval", poll_interval)
        check_seconds("timeout", timeout)
        report = print_progress if progress is True else progress or None
        keyed = _keyed(builders)
        if not keyed:
            raise ValueError("run() needs at least one builder")
        lines = [batch_line(builder, custom_id) for custom_id, builder in keyed.items()]
        folder = pathlib.Path(output_dir or tempfile.mkdtemp(prefix="openai-batch-"))
        folder.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        batches = self._client.batches()
        inputs: List[pathlib.Path] = []
        created: List[str] = []
        owners: Dict[str, int] = {}
        for index, (endpoint, chunk) in enumerate(split_lines(lines)):
            owners.update((_custom_id_of(line), index) for line in chunk)
            path = folder / f"input-{index}.jsonl"
            path.write_text("".join(line + "\n" for line in chunk), encoding="utf-8")
            inputs.append(path)
            uploaded = self._client.files().create().file(path).purpose("batch").send()
            create = batches.create().input_file_id(id_of(uploaded, "file"))
            create = create.endpoint(endpoint).completion_window(completion_window)
            if metadata is not None:
                create = create.metadata(metadata)
            created.append(id_of(create.send(), "batch"))
        finished = [
            self._wait(batch_id, poll_interval, timeout, started, report) for batch_id in created
        ]
        return self._collect(keyed, owners, finished, folder, tuple(inputs))

    def _wait(
        self,
        batch_id: str,
        poll_interval: Optional[float],
        timeout: Optional[float],
        started: float,
        progress: Optional[Callable[[Any], None]],
    ) -> Any:
        retrieve = self._client.batches().retrieve(batch_id)

        def fetch() -> Any:
            sent = retrieve.send_with_meta()
            if progress is not None:
                progress(sent.data)
            return sent

        left = None if timeout is None else max(0.0, timeout - (time.monotonic() - started))
        return poll_until_terminal(
            self._client,
            fetch,
            terminal=BATCH_TERMINAL_STATUSES,
            what=f"batch {batch_id}",
            poll_interval=poll_interval,
            timeout=left,
        )

    def _download(self, file_id: Any, path: pathlib.Path) -> Optional[pathlib.Path]:
        if not isinstance(file_id, str) or not file_id:
            return None
        with self._client.files().content(file_id).send() as body:
            return pathlib.Path(body.write_to_file(path))

    def _collect(
        self,
        keyed: Mapping[str, RequestBuilder[Any]],
        owners: Mapping[str, int],
        finished: List[Any],
        folder: pathlib.Path,
        inputs: Tuple[pathlib.Path, ...],
    ) -> BatchRunResult:
        results: Dict[str, Any] = {}
        errors: Dict[str, BatchRequestError] = {}
        outputs: List[pathlib.Path] = []
        error_files: List[pathlib.Path] = []
        for index, batch in enumerate(finished):
            output = self._download(
                field_of(batch, "output_file_id"), folder / f"output-{index}.jsonl"
            )
            failed = self._download(
                field_of(batch, "error_file_id"), folder / f"errors-{index}.jsonl"
            )
            for path, into in ((output, outputs), (failed, error_files)):
                if path is None:
                    continue
                into.append(path)
                for record in _iter_jsonl(path):
                    custom_id = record.get("custom_id")
                    if not isinstance(custom_id, str) or custom_id not in keyed:
                        continue
                    response = record.get("response")
                    response = response if isinstance(response, Mapping) else {}
                    status = response.get("status_code")
                    if isinstance(status, int) and 200 <= status < 300 and not record.get("error"):
                        _decode_into(results, errors, keyed[custom_id], custom_id, response)
                    else:
                        errors[custom_id] = _error_of(custom_id, record)
        for custom_id in keyed:
            if custom_id not in results and custom_id not in errors:
                errors[custom_id] = _unanswered(custom_id, finished[owners[custom_id]])
        return BatchRunResult(
            results=results,
            errors=errors,
            batches=tuple(finished),
            input_files=inputs,
            output_files=tuple(outputs),
            error_files=tuple(error_files),
        )
