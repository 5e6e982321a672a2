"""Hedged requests: when a call is slow, send a duplicate and keep the first success.

``builder.hedged(after=0.5, max_extra=1)`` sends the call; if no answer has come after ``after``
seconds it sends a duplicate (a *leg*), and another ``after`` seconds later the next one, up to
``max_extra`` duplicates. The first leg to succeed wins; every other leg is cancelled: its socket
is shut down (``shutdown(SHUT_RDWR)``), so its worker thread ends at once, the server sees the
disconnect, and the connection is discarded rather than returned to the pool half-read. The
caller returns as soon as the winner answers and never waits for the losers.

``after="p95"`` (any ``"pNN"``, 0 < NN < 100) is the adaptive mode: the delay is that percentile
of this client's recent latencies for the same operation (method and path), kept in a ring
buffer of :data:`ADAPTIVE_WINDOW` samples; until :data:`ADAPTIVE_MIN_SAMPLES` have been seen the
delay is ``initial_after`` (default :data:`ADAPTIVE_DEFAULT_AFTER`), and it is never below
:data:`ADAPTIVE_MIN_AFTER`.

Semantics in one place:

- A leg is one attempt. Retries apply to the whole hedged call: when every leg sent so far has
  failed, the *round* is over and the client's retry rules (``max_retries``, ``Retry-After``,
  backoff) decide on the first leg's error whether to run another round. A failing leg does not
  trigger a duplicate early, so a 429 is never answered by an immediate resend.
- When every leg fails (after retries), the error of the first leg sent (leg 0, the original
  request) of the last round is raised.
- Legs of one call share one ``Idempotency-Key`` (the client adds one to POSTs unless
  ``idempotency_keys=False``), so a server that honours the key runs the call once. A server
  that does not honour it runs every leg: hedging duplicates non-idempotent calls there.
- Streams (``.stream()``) are hedged until the first event: the first leg to deliver its first
  event wins and the others are closed.
- Legs run on one module-level thread pool (:data:`MAX_WORKERS` threads, created on the first
  hedged call and re-created in a forked child). A call that is not hedged uses none of this: no
  thread, no lock, no allocation; one integer test when a connection is taken from the pool and
  one attribute test when it is given back.

Cancellation reaches the socket through the SDK's own adapter (:class:`CancellableHTTPAdapter`,
mounted by the transport): its urllib3 pools record the connection a leg takes in the leg's
thread-local :class:`CancelToken`. With a user ``session=`` whose adapters are not this one (or
through a proxy), losers cannot be interrupted; they finish in the background and their
responses are closed.
"""

from __future__ import annotations

import collections
import math
import os
import re
import socket
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, Deque, Dict, List, Optional, Tuple, TypeVar, Union

import attrs
import requests.adapters
import urllib3
import urllib3.connection

from openai_core._logging import logger

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    from openai_core._builder import ApiResponse
    from openai_core._client import Client
    from openai_core._request import Request

__all__ = [
    "ADAPTIVE_DEFAULT_AFTER",
    "ADAPTIVE_MIN_AFTER",
    "ADAPTIVE_MIN_SAMPLES",
    "ADAPTIVE_WINDOW",
    "MAX_EXTRA",
    "MAX_WORKERS",
    "CancelToken",
    "CancellableHTTPAdapter",
    "HedgePolicy",
    "LatencyWindow",
    "LegCancelled",
    "active_legs",
]

T = TypeVar("T")

MAX_EXTRA = 5
"""The largest ``max_extra``: at most 6 legs per call."""
ADAPTIVE_WINDOW = 100
"""Latency samples kept per client and operation (a ring buffer: the oldest is dropped)."""
ADAPTIVE_MIN_SAMPLES = 20
"""Samples needed before the adaptive delay follows the percentile."""
ADAPTIVE_DEFAULT_AFTER = 1.0
"""Seconds: the adaptive delay until :data:`ADAPTIVE_MIN_SAMPLES` samples have been seen."""
ADAPTIVE_MIN_AFTER = 0.01
"""Seconds: the adaptive delay never goes below this (10 ms)."""
MAX_WORKERS = 64
"""Threads of the shared leg pool; legs beyond this wait for a free thread."""
_MAX_OPERATIONS = 256
_PERCENTILE = re.compile(r"^p(\d{1,2}(?:\.\d+)?)$")


# -- the policy -----------------------------------------------------------------------------------


@attrs.frozen
class HedgePolicy:
    """How a call is hedged (built and validated by ``builder.hedged()``).

    Attributes:
        after: Fixed delay in seconds between legs, or ``None`` in adaptive mode.
        percentile: In adaptive mode, the latency percentile (0–100 exclusive) used as the delay.
        max_extra: Duplicates sent at most (1 to :data:`MAX_EXTRA`).
        initial_after: In adaptive mode, the delay in seconds until
            :data:`ADAPTIVE_MIN_SAMPLES` latencies have been seen.
    """

    after: Optional[float]
    percentile: Optional[float]
    max_extra: int
    initial_after: float = ADAPTIVE_DEFAULT_AFTER

    @classmethod
    def create(
        cls, after: Union[float, str], max_extra: int, initial_after: Optional[float] = None
    ) -> HedgePolicy:
        """Validate the arguments of ``hedged()``.

        Raises:
            ValueError: ``after`` is not a positive finite number of seconds nor a percentile
                string such as ``"p95"``, ``max_extra`` is not an int from 1 to
                :data:`MAX_EXTRA`, or ``initial_after`` is given with a fixed ``after`` or is
                not a positive finite number.
        """
        if isinstance(max_extra, bool) or not isinstance(max_extra, int):
            raise ValueError(
                f"hedged(max_extra=...) must be an int from 1 to {MAX_EXTRA} (the number of "
                f"duplicate requests), got {max_extra!r}"
            )
        if not 1 <= max_extra <= MAX_EXTRA:
            raise ValueError(
                f"hedged(max_extra=...) must be from 1 to {MAX_EXTRA}, got {max_extra}; each "
                "duplicate is one more request to pay for, so more rarely helps"
            )
        if isinstance(after, str):
            match = _PERCENTILE.match(after.strip())
            percentile = float(match.group(1)) if match else 0.0
            if not 0.0 < percentile < 100.0:
                raise ValueError(
                    f"hedged(after=...) as a string is a latency percentile such as 'p95' "
                    f"(above p0 and below p100), got {after!r}"
                )
            initial = ADAPTIVE_DEFAULT_AFTER
            if initial_after is not None:
                initial = _seconds("initial_after", initial_after)
            return cls(
                after=None, percentile=percentile, max_extra=max_extra, initial_after=initial
            )
        if initial_after is not None:
            raise ValueError(
                "hedged(initial_after=...) is the delay of the adaptive mode until enough "
                f"latencies are known; it needs after='p95' (or another percentile), not {after!r}"
            )
        if isinstance(after, bool) or not isinstance(after, (int, float)):
            raise ValueError(
                "hedged(after=...) must be a positive number of seconds (such as 0.5) or a "
                f"latency percentile such as 'p95', got {after!r}"
            )
        return cls(after=_seconds("after", after), percentile=None, max_extra=max_extra)

    def delay(self, client: Client, operation: Tuple[str, str]) -> float:
        """The delay in seconds between legs for this call (adaptive: from the latencies)."""
        if self.after is not None:
            return self.after
        value = latency_window(client, operation).percentile(self.percentile or 95.0)
        if value is None:
            return self.initial_after
        return max(ADAPTIVE_MIN_AFTER, value)


def _seconds(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"hedged({name}=...) must be a number of seconds, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(
            f"hedged({name}=...) must be a positive, finite number of seconds, got {value!r}; "
            "use a delay near the call's usual p95 latency, such as 0.5"
        )
    return float(value)


# -- latency percentiles --------------------------------------------------------------------------


class LatencyWindow:
    """The last :data:`ADAPTIVE_WINDOW` latencies (seconds) of one operation. Thread-safe."""

    def __init__(self, size: int = ADAPTIVE_WINDOW) -> None:
        self._samples: Deque[float] = collections.deque(maxlen=size)
        self._lock = threading.Lock()

    def add(self, seconds: float) -> None:
        """Record one latency."""
        with self._lock:
            self._samples.append(seconds)

    def __len__(self) -> int:
        return len(self._samples)

    def percentile(
        self, percent: float, min_samples: int = ADAPTIVE_MIN_SAMPLES
    ) -> Optional[float]:
        """The nearest-rank ``percent`` percentile, or ``None`` with fewer than ``min_samples``."""
        with self._lock:
            samples = sorted(self._samples)
        if not samples or len(samples) < min_samples:
            return None
        rank = max(1, math.ceil(percent / 100.0 * len(samples)))
        return samples[rank - 1]


_stats_lock = threading.Lock()


def latency_window(client: Client, operation: Tuple[str, str]) -> LatencyWindow:
    """The latency window of ``operation`` (``(method, path)``) on ``client`` (created lazily).

    A client keeps at most 256 operations; the oldest is forgotten first.
    """
    windows: Optional[Dict[Tuple[str, str], LatencyWindow]] = client.__dict__.get(
        "_hedge_latencies"
    )
    if windows is not None:
        window = windows.get(operation)
        if window is not None:
            return window
    with _stats_lock:
        windows = client.__dict__.setdefault("_hedge_latencies", {})
        window = windows.get(operation)
        if window is None:
            if len(windows) >= _MAX_OPERATIONS:
                del windows[next(iter(windows))]
            window = windows[operation] = LatencyWindow()
        return window


# -- cancelling a leg's connection ----------------------------------------------------------------


class LegCancelled(Exception):
    """A hedge leg was cancelled (another leg won) before it could send."""


_local = threading.local()


def _shutdown(sock: Any) -> None:
    """Shut a socket down in both directions, waking a thread blocked on it."""
    if sock is None:
        return
    try:
        if isinstance(sock, socket.socket):
            # The plain socket's method: an SSLSocket's own would drop its SSL object under
            # the reading thread.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        else:  # pragma: no cover - TLS-in-TLS transports
            shutdown = getattr(sock, "shutdown", None)
            if shutdown is not None:
                shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed or never connected


class CancelToken:
    """The connection one leg is using, so that another thread can shut it down.

    The leg's thread sets the token in a thread-local; the pools of
    :class:`CancellableHTTPAdapter` attach each connection they hand out in that thread (and its
    socket once connected: a response read to the connection's close owns the socket after the
    connection lets go of it), and release it when it goes back to the pool, so a cancel never
    touches a connection another call has taken since.
    """

    __slots__ = ("_conn", "_lock", "_sock", "cancelled")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._conn: Any = None
        self._sock: Any = None
        self.cancelled = False

    def attach(self, conn: Any) -> None:
        """Record ``conn`` as this leg's connection.

        Raises:
            LegCancelled: the leg was cancelled already.
        """
        with self._lock:
            if self.cancelled:
                raise LegCancelled("hedge leg cancelled: another leg answered first")
            self._conn = conn
            self._sock = getattr(conn, "sock", None)
            conn._openai_core_cancel = self

    def connected(self, conn: Any) -> None:
        """``conn`` has just connected: remember its socket; shut it if the leg was cancelled."""
        with self._lock:
            if self._conn is conn:
                self._sock = conn.sock
            cancelled = self.cancelled
        if cancelled:
            _shutdown(conn.sock)

    def release(self, conn: Any) -> None:
        """``conn`` goes back to its pool: forget it."""
        with self._lock:
            if self._conn is conn:
                self._conn = self._sock = None
            conn._openai_core_cancel = None

    def cancel(self) -> None:
        """Cancel the leg: shut its connection down now, or as soon as it connects."""
        with self._lock:
            self.cancelled = True
            conn, sock = self._conn, self._sock
        if conn is not None:
            _shutdown(getattr(conn, "sock", None) or sock)


def _after_connect(conn: Any) -> None:
    token = conn._openai_core_cancel
    if token is not None:
        token.connected(conn)


class _CancellableConnection:
    """Mixed into urllib3's connection classes: a leg still connecting when it is cancelled has
    its socket shut down as soon as it exists."""

    _openai_core_cancel: Optional[CancelToken] = None

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        _after_connect(self)


class _HTTPConnection(_CancellableConnection, urllib3.connection.HTTPConnection):
    pass


class _HTTPSConnection(_CancellableConnection, urllib3.connection.HTTPSConnection):
    pass


def _checked_out(pool: urllib3.HTTPConnectionPool, conn: Any) -> None:
    token: Optional[CancelToken] = getattr(_local, "token", None)
    if token is not None:
        try:
            token.attach(conn)
        except LegCancelled:
            pool._put_conn(conn)
            raise


# The pools cost a call that is not hedged one integer test per connection taken (no leg is
# running anywhere, the usual case) or one thread-local read (some leg is), and one attribute
# test per connection given back.


class _CancellablePool:
    """Mixed into urllib3's pool classes: notes the connection a leg takes, for its token."""

    def _get_conn(self, timeout: Optional[float] = None) -> Any:
        conn = super()._get_conn(timeout)  # type: ignore[misc]
        if _legs.active:
            _checked_out(self, conn)  # type: ignore[arg-type]
        return conn

    def _put_conn(self, conn: Any) -> None:
        if conn is not None and conn._openai_core_cancel is not None:
            conn._openai_core_cancel.release(conn)
        super()._put_conn(conn)  # type: ignore[misc]


class _HTTPPool(_CancellablePool, urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(_CancellablePool, urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class CancellableHTTPAdapter(requests.adapters.HTTPAdapter):
    """``HTTPAdapter`` whose connections a hedged call can shut down from another thread.

    Behaves exactly as ``HTTPAdapter`` otherwise; the transport mounts it for http and https.
    """

    direct_path = True
    """The transport may drive this adapter's pools itself (see ``_transport``): it changes
    which pool and connection classes are used, nothing of ``send``."""

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


# -- the leg pool ---------------------------------------------------------------------------------


class _Legs:
    """The shared leg pool (created on first use, again in a forked child) and its count."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pool: Optional[ThreadPoolExecutor] = None
        self.pid = 0
        self.active = 0

    def executor(self) -> ThreadPoolExecutor:
        pool = self.pool
        if pool is None or self.pid != os.getpid():
            with self.lock:
                pool = self.pool
                if pool is None or self.pid != os.getpid():
                    from concurrent.futures import ThreadPoolExecutor

                    pool = ThreadPoolExecutor(MAX_WORKERS, thread_name_prefix="openai-core-hedge")
                    self.pool, self.pid = pool, os.getpid()
        return pool

    def count(self, delta: int) -> None:
        with self.lock:
            self.active += delta


_legs = _Legs()
_executor = _legs.executor
_count = _legs.count


def active_legs() -> int:
    """Legs whose worker thread is still running (all clients), for tests and monitoring."""
    return _legs.active


# -- one round: the original request and its duplicates ------------------------------------------

_Outcome = Tuple[Any, int, float, Any]  # what Client._send returns


def _discard(result: _Outcome) -> None:
    """Close a leg's response that lost (a read body is already back in the pool)."""
    try:
        result[0].close()
    except Exception:  # closing a loser must never fail the call
        logger.debug("closing a losing hedge leg failed", exc_info=True)


class _Round:
    def __init__(self, total: int) -> None:
        self.cond = threading.Condition(threading.Lock())
        self.tokens = [CancelToken() for _ in range(total)]
        self.errors: List[Optional[BaseException]] = [None] * total
        self.winner: Optional[int] = None  # -1: the caller gave up, every later success loses
        self.result: Optional[_Outcome] = None
        self.launched = 0
        self.failed = 0

    def finish(
        self, index: int, result: Optional[_Outcome], error: Optional[BaseException]
    ) -> None:
        lost = False
        with self.cond:
            if result is not None:
                if self.winner is None:
                    self.winner = index
                    self.result = result
                else:
                    lost = True
            else:
                self.errors[index] = error
                self.failed += 1
            self.cond.notify_all()
        if lost and result is not None:
            _discard(result)


def _leg(client: Client, request: Request, mode: str, rnd: _Round, index: int) -> None:
    token = rnd.tokens[index]
    result: Optional[_Outcome] = None
    error: Optional[BaseException] = None
    try:
        if token.cancelled:
            raise LegCancelled("hedge leg cancelled before it was sent")
        _local.token = token
        try:
            result = client._send(request, mode=mode)
        finally:
            _local.token = None
    except BaseException as exc:  # handed to the caller's thread
        error = exc
        if token.cancelled:
            logger.debug("hedge leg %d of %s %s cancelled", index, request.method, request.url)
    finally:
        rnd.finish(index, result, error)
        _count(-1)


def _run_round(
    client: Client, request: Request, mode: str, delay: float, total: int
) -> Tuple[_Outcome, int, int]:
    """Send legs ``delay`` seconds apart until one succeeds; ``(result, legs, winner)``.

    Raises:
        BaseException: leg 0's error, when every leg sent has failed.
    """
    rnd = _Round(total)
    executor = _executor()
    started = time.monotonic()
    done = False
    try:
        with rnd.cond:
            while rnd.winner is None and not (rnd.launched and rnd.failed == rnd.launched):
                if rnd.launched < total:
                    wait = started + delay * rnd.launched - time.monotonic()
                    if wait <= 0:
                        index = rnd.launched
                        if index:
                            logger.debug(
                                "hedging %s %s: leg %d after %.3f s",
                                request.method,
                                request.url,
                                index,
                                time.monotonic() - started,
                            )
                        _count(1)
                        try:
                            executor.submit(_leg, client, request, mode, rnd, index)
                        except BaseException:
                            _count(-1)
                            raise
                        rnd.launched += 1
                        continue
                    rnd.cond.wait(wait)
                else:
                    rnd.cond.wait()
            winner = rnd.winner
            result = rnd.result
            launched = rnd.launched
            if winner is None:
                rnd.winner = -1
        done = True
    finally:
        if not done:  # interrupted: nobody will take a late success
            with rnd.cond:
                if rnd.winner is None:
                    rnd.winner = -1
                else:
                    late = rnd.result
                    rnd.winner, rnd.result = -1, None
                    if late is not None:
                        _discard(late)
            for token in rnd.tokens:
                token.cancel()
    for index, token in enumerate(rnd.tokens):
        if index != winner:
            token.cancel()
    if winner is None or result is None:
        error = rnd.errors[0]  # leg 0 is always sent
        raise error if error is not None else RuntimeError("hedged call ended without a result")
    return result, launched, winner


# -- the hedged call ------------------------------------------------------------------------------


@attrs.frozen
class HedgedResult:
    """A finished hedged call: the winner's ``Client._send`` result and how it was won."""

    response: Any
    extra: Any
    attempts: int
    elapsed: float
    legs: int
    winner: int


def send(
    client: Client,
    request: Request,
    mode: str,
    policy: HedgePolicy,
    operation: Tuple[str, str],
) -> HedgedResult:
    """Send ``request`` hedged; ``mode`` is as for ``Client._send``.

    Raises:
        APIError and subclasses: leg 0's error when every leg of the last round failed.
    """
    from openai_core._errors import APIConnectionError
    from openai_core._retry import call_with_retries

    if client._transport._closed:
        raise APIConnectionError("The client is closed; create a new one.")
    headers = request.headers
    key = client._idempotency_key(request)
    if key is not None and request.header("Idempotency-Key") is None:
        headers = (*headers, ("Idempotency-Key", key))  # one key for every leg
    leg_request = attrs.evolve(request, headers=headers, max_retries=0)
    delay = policy.delay(client, operation)
    total = 1 + policy.max_extra
    started = time.monotonic()
    attempts = 0
    round_started = started

    def attempt(number: int) -> Tuple[_Outcome, int, int]:
        nonlocal attempts, round_started
        attempts = number
        round_started = time.monotonic()
        return _run_round(client, leg_request, mode, delay, total)

    (response, _, _, extra), legs, winner = call_with_retries(
        attempt,
        max_retries=request.max_retries,
        sleep=client._sleep,
        describe=f"{request.method} {request.url}",
    )
    now = time.monotonic()
    # The latency of the original request, or a lower bound for it when a duplicate won.
    latency_window(client, operation).add(now - round_started)
    logger.info(
        "%s %s -> %s in %.3f s (hedged after %.3f s: leg %d of %d won, %d attempt%s)",
        request.method,
        request.url,
        response.status_code,
        now - started,
        delay,
        winner,
        legs,
        attempts,
        "" if attempts == 1 else "s",
    )
    return HedgedResult(
        response=response,
        extra=extra,
        attempts=attempts,
        elapsed=now - started,
        legs=legs,
        winner=winner,
    )


def execute(
    client: Client,
    request: Request,
    decode: Callable[[Any], T],
    kind: str,
    policy: HedgePolicy,
    operation: Tuple[str, str],
) -> ApiResponse[T]:
    """``Client._execute`` for a hedged call: the decoded winner with its metadata."""
    from openai_core._client import api_response, response_mode

    mode = response_mode(kind)
    outcome = send(client, request, mode, policy, operation)
    return api_response(
        outcome.response,
        outcome.extra,
        mode,
        decode,
        elapsed=outcome.elapsed,
        attempts=outcome.attempts,
        hedged_legs=outcome.legs,
        winning_leg=outcome.winner,
    )


def open_stream(
    client: Client,
    request: Request,
    policy: HedgePolicy,
    operation: Tuple[str, str],
    *,
    named_events: bool,
    envelope: bool,
) -> Tuple[Any, Any]:
    """``Client._open_stream`` hedged until the first event: ``(EventSource, first payload)``."""
    from openai_core._client import stream_mode

    mode = stream_mode(named_events, envelope)
    extra: Tuple[Any, Any] = send(client, request, mode, policy, operation).extra
    return extra
