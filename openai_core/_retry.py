"""The one retry loop, built on ``tenacity``, with the official SDKs' rules.

Retried: connection errors and timeouts, and error responses where, in this order,

1. a ``Retry-After`` that is finite and greater than 120 s means **do not retry**;
2. ``x-should-retry: true`` means retry, ``false`` means do not;
3. status 408, 409, 429 or >= 500 means retry; anything else does not.

Delay before retry ``n`` (0 for the first retry): ``retry-after-ms`` (milliseconds), else
``retry-after`` as float seconds, else as an HTTP date minus now; a finite value in (0, 120] is
slept exactly; otherwise ``min(0.5 * 2**n, 8.0) * (1 - 0.25 * random())`` seconds.

Source: the official SDKs' retry logic (https://platform.openai.com/docs/guides/error-codes).
"""

from __future__ import annotations

import math
import random
import time
from typing import TYPE_CHECKING, Callable, Mapping, Optional, TypeVar

from openai_core._errors import APIConnectionError, APIError, APIStatusError
from openai_core._logging import logger

if TYPE_CHECKING:
    import tenacity

__all__ = [
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "backoff_delay",
    "call_with_retries",
    "parse_retry_after",
    "reconnect_with_retries",
    "retry_delay",
    "should_retry_response",
]

T = TypeVar("T")

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 120.0
_RETRY_STATUSES = frozenset({408, 409, 429})


def parse_retry_after(
    headers: Mapping[str, str], now: Optional[Callable[[], float]] = None
) -> Optional[float]:
    """The server's requested delay in seconds, or ``None`` when it did not give a usable one.

    Reads ``retry-after-ms`` first, then ``retry-after`` as seconds or as an HTTP date. The value
    may be negative, zero, infinite or NaN; callers decide what to do with it.
    """
    ms = _header(headers, "retry-after-ms")
    if ms is not None:
        try:
            return float(ms) / 1000.0
        except ValueError:
            pass
    value = _header(headers, "retry-after")
    if value is None or not value.strip():
        return None
    try:
        return float(value)
    except ValueError:
        pass
    import email.utils  # an HTTP-date is rare: not imported with the package

    try:
        parsed = email.utils.parsedate_tz(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    try:
        stamp = email.utils.mktime_tz(parsed)
    except (OverflowError, ValueError):
        return None
    return stamp - (now or time.time)()


def _header(headers: Mapping[str, str], name: str) -> Optional[str]:
    value = headers.get(name)
    if value is None:
        # Plain dicts in tests; requests' headers are case-insensitive already.
        lower = name.lower()
        for key, val in headers.items():
            if key.lower() == lower:
                return val
    return value


def should_retry_response(
    status: int, headers: Mapping[str, str], now: Optional[Callable[[], float]] = None
) -> bool:
    """Apply the three retry rules to one error response (see the module docstring)."""
    retry_after = parse_retry_after(headers, now)
    if retry_after is not None and math.isfinite(retry_after) and retry_after > MAX_RETRY_AFTER:
        return False
    should = _header(headers, "x-should-retry")
    if should is not None:
        if should.strip().lower() == "true":
            return True
        if should.strip().lower() == "false":
            return False
    return status in _RETRY_STATUSES or status >= 500


def backoff_delay(retry_index: int, rand: Callable[[], float] = random.random) -> float:
    """Capped exponential backoff with jitter that only shortens: 0.5, 1, 2, 4, 8, 8 … s."""
    base = min(INITIAL_RETRY_DELAY * 2.0 ** min(retry_index, 16), MAX_RETRY_DELAY)
    return base * (1.0 - 0.25 * rand())


def retry_delay(
    retry_index: int,
    headers: Optional[Mapping[str, str]],
    *,
    now: Optional[Callable[[], float]] = None,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to sleep before retry number ``retry_index`` (0 for the first retry)."""
    if headers:
        retry_after = parse_retry_after(headers, now)
        if (
            retry_after is not None
            and math.isfinite(retry_after)
            and 0 < retry_after <= MAX_RETRY_AFTER
        ):
            return retry_after
    return backoff_delay(retry_index, rand)


def is_retryable(exc: BaseException, now: Optional[Callable[[], float]] = None) -> bool:
    """True for connection errors, timeouts and error responses the rules allow to retry."""
    if isinstance(exc, APIStatusError):
        return should_retry_response(exc.status, exc.headers, now)
    return isinstance(exc, APIConnectionError)


def call_with_retries(
    attempt: Callable[[int], T],
    *,
    max_retries: int,
    sleep: Callable[[float], None] = time.sleep,
    now: Optional[Callable[[], float]] = None,
    rand: Callable[[], float] = random.random,
    describe: str = "request",
) -> T:
    """Call ``attempt(attempt_number)`` until it returns, or raise its last error.

    ``attempt`` raises an :class:`APIError` for a failed attempt; retryable ones (see
    :func:`is_retryable`) are retried up to ``max_retries`` times with :func:`retry_delay` between
    attempts. Attempt numbers start at 1. Non-SDK exceptions propagate at once.
    """
    # The first attempt runs outside tenacity, which is imported only when a retry is due.
    try:
        return attempt(1)
    except APIError as exc:
        if max_retries <= 0 or not is_retryable(exc, now):
            raise
        first_error = exc

    import tenacity

    def run(number: int) -> T:
        if number == 1:
            raise first_error
        return attempt(number)

    def wait(state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome is not None else None
        headers = exc.headers if isinstance(exc, APIStatusError) else None
        return retry_delay(state.attempt_number - 1, headers, now=now, rand=rand)

    def before_sleep(state: tenacity.RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        delay = state.upcoming_sleep
        logger.info(
            "Retrying %s in %.2f s (attempt %d of %d) after: %s",
            describe,
            delay,
            state.attempt_number + 1,
            max_retries + 1,
            exc,
        )

    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(max_retries + 1),
        retry=tenacity.retry_if_exception(lambda exc: is_retryable(exc, now)),
        wait=wait,
        sleep=sleep,
        before_sleep=before_sleep,
        reraise=True,
    )
    for attempt_state in retrying:
        with attempt_state:
            return run(attempt_state.retry_state.attempt_number)
    raise AssertionError("unreachable: tenacity returns or re-raises")  # pragma: no cover


def reconnect_with_retries(
    connect: Callable[[int], T],
    *,
    max_retries: int,
    sleep: Callable[[float], None] = time.sleep,
    now: Optional[Callable[[], float]] = None,
    rand: Callable[[], float] = random.random,
    describe: str = "WebSocket",
) -> T:
    """Reopen a dropped connection (a WebSocket closed with a recoverable code).

    Makes at most ``max_retries`` attempts ``connect(n)`` (n from 1), sleeping before each one
    exactly as HTTP sleeps before retry ``n - 1``: ``backoff_delay`` (0.5, 1, 2, 4, 8, 8 … s, jitter
    only shortens) or the server's ``Retry-After`` on a refused handshake. An error that
    :func:`is_retryable` rejects (a 401 handshake, say) is raised at once; after the last attempt
    its error is raised.
    """
    if max_retries <= 0:
        raise ValueError("reconnect_with_retries needs max_retries >= 1")
    import tenacity

    def wait(state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome is not None else None
        headers = exc.headers if isinstance(exc, APIStatusError) else None
        return retry_delay(state.attempt_number, headers, now=now, rand=rand)

    def before_sleep(state: tenacity.RetryCallState) -> None:
        logger.info(
            "Reconnecting %s in %.2f s (attempt %d of %d)",
            describe,
            state.upcoming_sleep,
            state.attempt_number + 1,
            max_retries,
        )

    logger.info("Reconnecting %s (attempt 1 of %d)", describe, max_retries)
    sleep(backoff_delay(0, rand))
    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(max_retries),
        retry=tenacity.retry_if_exception(lambda exc: is_retryable(exc, now)),
        wait=wait,
        sleep=sleep,
        before_sleep=before_sleep,
        reraise=True,
    )
    for attempt_state in retrying:
        with attempt_state:
            return connect(attempt_state.retry_state.attempt_number)
    raise AssertionError("unreachable: tenacity returns or re-raises")  # pragma: no cover
