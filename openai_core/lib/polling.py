"""The polling loop shared by the ``poll()`` / ``create_and_poll()`` helpers of runs, vector-store
files and file batches, videos and batches, and by ``files().wait_for_processing()``.

The loop retrieves an object until its ``status`` is terminal. Between two retrievals it sleeps
for the interval the last response asked for in its ``openai-poll-after-ms`` header, else 1 s; a
``poll_interval`` passed by the caller wins over both. ``timeout`` bounds the whole wait and
raises :class:`PollingTimeoutError` (an :class:`~openai_core.APITimeoutError`) carrying the last
object. Sleeping goes through the client's sleep function (``client._sleep``), so tests replace
it and never sleep.

The ``create_and_poll()`` helpers take the configured create builder rather than a copy of its
fields as keyword arguments, so every setter (and ``.timeout()``, ``.header()``,
``.extra_body()``) stays available and a half-built builder stays a reusable template::

    runs = client.beta().threads().runs()
    run = runs.create_and_poll(runs.create("thread_abc").assistant_id("asst_abc"))

The helpers return what the operations return (the decoded model, or the JSON object as a
``dict`` where no model is generated). :func:`poll_until_terminal` also serves any other object
with a ``status`` (a background response, a fine-tuning job).

Source: https://platform.openai.com/docs/api-reference/threads/retrieve-run
"""

from __future__ import annotations

import enum
import math
import time
from typing import TYPE_CHECKING, Any, Callable, FrozenSet, Mapping, Optional, Tuple, Type
from urllib.parse import unquote

from openai_core._errors import APIResponseValidationError, APITimeoutError
from openai_core._logging import logger

if TYPE_CHECKING:
    from openai_core._builder import ApiResponse, RequestBuilder, ResponseMeta
    from openai_core._client import Client

__all__ = [
    "DEFAULT_POLL_INTERVAL",
    "POLL_AFTER_HEADER",
    "PollingTimeoutError",
    "ResourceMixin",
    "check_builder",
    "check_seconds",
    "field_of",
    "id_of",
    "path_param",
    "poll_interval_from",
    "poll_until_terminal",
]

DEFAULT_POLL_INTERVAL = 1.0
"""Seconds between two polls when the server sends no ``openai-poll-after-ms`` header."""
POLL_AFTER_HEADER = "openai-poll-after-ms"
"""The response header with the server's suggested poll interval, in milliseconds."""


class PollingTimeoutError(APITimeoutError):
    """The object did not reach a terminal status within the caller's ``timeout``.

    Also an :class:`~openai_core.APITimeoutError`, so one ``except`` catches both kinds of
    timeout.

    Attributes:
        last: The object as last retrieved (model or ``dict``).
        last_status: Its ``status`` then.
        elapsed: Seconds spent polling.
    """

    def __init__(
        self,
        message: str,
        *,
        last: Any,
        last_status: str,
        elapsed: float,
        request_id: Optional[str] = None,
    ) -> None:
        super().__init__(message, request_id=request_id)
        self.last = last
        self.last_status = last_status
        self.elapsed = elapsed


def field_of(obj: Any, name: str) -> Any:
    """A field of a decoded object: a model attribute or a ``dict`` key (``None`` when absent);
    enum members are returned as their values."""
    value = obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)
    return value.value if isinstance(value, enum.Enum) else value


def id_of(obj: Any, what: str) -> str:
    """The ``id`` of a created object.

    Raises:
        APIResponseValidationError: the object has no string ``id``.
    """
    value = field_of(obj, "id")
    if not isinstance(value, str) or not value:
        raise APIResponseValidationError(f"The created {what} has no id; cannot poll it", body=obj)
    return value


def path_param(request: RequestBuilder[Any], index: int) -> str:
    """Segment ``index`` of a builder's path (a path parameter the caller filled), decoded."""
    return unquote(request._path.split("/")[index])


def check_seconds(name: str, value: Optional[float]) -> Optional[float]:
    """Validate an optional duration in seconds.

    Raises:
        ValueError: not ``None`` and not a finite number >= 0.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number of seconds, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be >= 0 seconds, got {value!r}")
    return float(value)


def check_builder(request: Any, classes: Tuple[Type[Any], ...], method: str, hint: str) -> None:
    """Raise ``TypeError`` unless ``request`` is a builder of one of ``classes``."""
    if not isinstance(request, classes):
        raise TypeError(
            f"{method}() takes the builder returned by {hint}, configured with its setters; "
            f"got {type(request).__name__}"
        )


def poll_interval_from(meta: ResponseMeta, explicit: Optional[float]) -> float:
    """Seconds to wait before the next poll: ``explicit`` when given, else the
    ``openai-poll-after-ms`` header of ``meta`` (milliseconds), else 1 s."""
    if explicit is not None:
        return explicit
    raw = meta.headers.get(POLL_AFTER_HEADER)
    if raw is not None:
        try:
            millis = float(raw)
        except ValueError:
            millis = math.nan
        if math.isfinite(millis) and millis >= 0:
            return millis / 1000.0
        logger.debug("ignoring %s=%r: not a number of milliseconds", POLL_AFTER_HEADER, raw)
    return DEFAULT_POLL_INTERVAL


class _Elapsed:
    """Seconds since polling started. Each sleep counts at least its nominal length, so a sleep
    function that returns at once (tests) still moves the deadline."""

    def __init__(self, sleep: Callable[[float], None]) -> None:
        self._sleep = sleep
        self._started = time.monotonic()
        self._credit = 0.0

    def __call__(self) -> float:
        return time.monotonic() - self._started + self._credit

    def sleep(self, seconds: float) -> None:
        before = time.monotonic()
        self._sleep(seconds)
        self._credit += max(0.0, seconds - (time.monotonic() - before))


def poll_until_terminal(
    client: Client,
    fetch: Callable[[], ApiResponse[Any]],
    *,
    terminal: FrozenSet[str],
    what: str,
    first: Optional[ApiResponse[Any]] = None,
    poll_interval: Optional[float] = None,
    timeout: Optional[float] = None,
) -> Any:
    """Call ``fetch`` until the object's ``status`` is in ``terminal``; return that object.

    Args:
        client: Its sleep function is used between polls.
        fetch: Retrieves the object once (a builder's ``send_with_meta``).
        terminal: Statuses that end polling.
        what: How messages name the object (``"run run_abc"``).
        first: An already fetched response (a create call's), checked before fetching.
        poll_interval: Seconds between polls; default: the ``openai-poll-after-ms`` header of
            the last response, else 1 s.
        timeout: Seconds to keep polling; ``None`` (the default) waits without limit. The wait
            before the last poll is shortened to end at the deadline.

    Returns:
        The object in its terminal status, as ``fetch`` decoded it.

    Raises:
        PollingTimeoutError: ``timeout`` passed first; it carries the last object and status.
        APIResponseValidationError: the object has no ``status`` field.
        ValueError: ``poll_interval`` or ``timeout`` is negative or not a number.
        APIStatusError, APIConnectionError: as ``fetch`` raises them.

    Examples:
        >>> poll_until_terminal(
        ...     client,
        ...     client.responses().retrieve("resp_abc").send_with_meta,
        ...     terminal=frozenset({"completed", "failed", "cancelled", "incomplete"}),
        ...     what="response resp_abc",
        ...     timeout=600,
        ... )
    """
    poll_interval = check_seconds("poll_interval", poll_interval)
    timeout = check_seconds("timeout", timeout)
    elapsed = _Elapsed(client._sleep)
    response = first if first is not None else fetch()
    while True:
        obj = response.data
        status = field_of(obj, "status")
        if not isinstance(status, str):
            raise APIResponseValidationError(
                f"The {what} has no status field; cannot poll it",
                body=obj,
                request_id=response.meta.request_id,
            )
        if status in terminal:
            return obj
        interval = poll_interval_from(response.meta, poll_interval)
        spent = elapsed()
        if timeout is not None:
            remaining = timeout - spent
            if remaining <= 0:
                raise PollingTimeoutError(
                    f"Gave up waiting for the {what} after {spent:.1f} s (timeout={timeout:g} s); "
                    f"its last status was {status!r}",
                    last=obj,
                    last_status=status,
                    elapsed=spent,
                    request_id=response.meta.request_id,
                )
            interval = min(interval, remaining)
        logger.debug("%s is %s; polling again in %.3f s", what, status, interval)
        elapsed.sleep(interval)
        response = fetch()


class ResourceMixin:
    """Base of the hand-written resource mixins (the generated resource provides ``_client``)."""

    __slots__ = ()

    if TYPE_CHECKING:
        _client: Client
