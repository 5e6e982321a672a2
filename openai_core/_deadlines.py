"""The deadlines of one stream: first event, silence between events, whole stream.

A socket read timeout alone cannot bound a stream: every keepalive byte (``: ping``,
``data: : keepalive``) resets it, so a server that pings but never sends an event would hold the
stream open forever. The deadlines here are counted in events instead, and enforced on each read
by setting the socket's timeout to the time left, so a silent socket cannot block past them
either (by more than ``_SLACK``). The socket timeout is never shorter than the time left, and is
only changed when it is not within ``_SLACK`` above it, so a stream whose events arrive quickly
makes no extra system calls.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Any, Iterator, Optional, Tuple

from openai_core._errors import StreamTimeoutError

if TYPE_CHECKING:
    import requests

    from openai_core._config import Timeout

__all__ = ["StreamDeadlines", "first_read_timeout"]

#: Seconds a per-read socket timeout may exceed the time left before it is set again.
_SLACK = 0.05


def first_read_timeout(timeout: Timeout) -> Tuple[float, float]:
    """The ``(connect, read)`` pair for sending a stream request: the wait for the response
    headers is bounded by the first-event and total deadlines too."""
    read = timeout.read
    for limit in (timeout.stream_first_byte, timeout.stream_total):
        if limit is not None and limit < read:
            read = limit
    return (timeout.connect, read)


def _socket_of(response: requests.Response) -> Any:
    """The socket under a live urllib3 response, or ``None`` (a mocked or released response)."""
    sock = getattr(getattr(response.raw, "_connection", None), "sock", None)
    return sock if hasattr(sock, "settimeout") else None


class StreamDeadlines:
    """The three deadlines of one stream and the guard that enforces them on its reads.

    Args:
        timeout: The call's :class:`~openai_core.Timeout` (``stream_first_byte`` and
            ``stream_idle`` default to ``read``; ``stream_total`` to no limit).
        sent_at: ``time.monotonic()`` when the request was sent.
        request_id: Put on the :class:`~openai_core.StreamTimeoutError`.
    """

    __slots__ = ("_event_at", "_first", "_idle", "_read", "_total", "_total_at", "events", "rid")

    def __init__(self, timeout: Timeout, sent_at: float, request_id: Optional[str] = None):
        self._read = timeout.read
        self._first = timeout.stream_first_byte or timeout.read
        self._idle = timeout.stream_idle or timeout.read
        self._total = timeout.stream_total
        self._total_at = math.inf if self._total is None else sent_at + self._total
        self._event_at = sent_at + self._first
        self.events = 0
        self.rid = request_id

    def event(self) -> None:
        """Count one event; the idle deadline starts again."""
        self.events += 1
        self._event_at = time.monotonic() + self._idle

    def guard(self, response: requests.Response, chunks: Iterator[bytes]) -> Iterator[bytes]:
        """Yield ``chunks``, raising :class:`~openai_core.StreamTimeoutError` once a deadline
        has passed; each read waits at most until the nearest deadline."""
        sock = _socket_of(response)
        current = (sock.gettimeout() if sock is not None else None) or self._read
        while True:
            deadline = self._event_at if self._event_at < self._total_at else self._total_at
            now = time.monotonic()
            if now >= deadline:
                raise self._error()
            if sock is not None:
                wanted = min(self._read, deadline - now)
                if not wanted <= current <= wanted + _SLACK:
                    current = wanted + _SLACK / 2
                    sock.settimeout(current)
            try:
                chunk = next(chunks)
            except StopIteration:
                return
            except Exception as exc:
                if time.monotonic() >= deadline - 0.01:  # ours, not the read timeout
                    raise self._error() from exc
                raise
            yield chunk

    def _error(self) -> StreamTimeoutError:
        if self._total_at <= self._event_at:
            which, seconds, what = "total", self._total, "the stream did not end"
        elif self.events == 0:
            which, seconds, what = "first_byte", self._first, "no event arrived"
        else:
            which, seconds, what = "idle", self._idle, "no further event arrived"
        return StreamTimeoutError(
            f"Stream timed out: {what} within {seconds:g} s (Timeout.stream_{which}); "
            f"{self.events} event{'' if self.events == 1 else 's'} received",
            deadline=which,
            seconds=float(seconds or 0.0),
            events_received=self.events,
            request_id=self.rid,
        )
