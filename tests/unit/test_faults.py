"""Fault injection: every scenario of ``tests/fault_server.py`` through the public SDK.

Each test states the exact outcome: the exception class, the attempts the server counted, what
the caller received before the fault, the sleeps the retry loop asked for (``client._sleep`` is
patched to record them), a bound on the elapsed time, and that no connection leaked (see
:func:`assert_no_leaked_connections`). The table in ``docs/reliability.md`` mirrors these tests.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Iterator, List, Tuple

import pytest

from openai_core import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    Client,
    InternalServerError,
    RateLimitError,
)

# The fault server lives in tests/ (not a package): importable from the checkout and from the
# wheel-only tox runs alike.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fault_server import FaultServer, closed_port

pytestmark = pytest.mark.timeout(20)

SECRET = "sk-fault-secret-0123456789"


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    srv = FaultServer()
    yield srv
    srv.close()


@pytest.fixture(autouse=True)
def _fresh_counts(server: FaultServer) -> None:
    server.reset()


def make_client(
    base_url: str, *, max_retries: int = 2, timeout: Any = 5.0
) -> Tuple[Client, List[float]]:
    client = Client(api_key=SECRET, base_url=base_url, max_retries=max_retries, timeout=timeout)
    sleeps: List[float] = []
    client._sleep = sleeps.append
    return client, sleeps


def assert_no_leaked_connections(client: Client) -> None:
    """Every connection of every urllib3 pool of the client's session is back in its pool.

    A urllib3 ``HTTPConnectionPool`` keeps a ``LifoQueue`` of ``maxsize`` slots, each holding a
    connection or ``None``; a checked-out connection leaves its slot empty. So the pool has no
    connection in use exactly when ``pool.pool.qsize() == pool.pool.maxsize``. (A response that
    was closed, read to its end or failed gives its slot back; one that is neither leaks.)
    """
    for adapter in client._transport.session.adapters.values():
        pools = adapter.poolmanager.pools  # type: ignore[attr-defined]
        for key in list(pools.keys()):
            pool = pools[key]
            assert pool.pool.qsize() == pool.pool.maxsize, f"connection leaked from {key}"


def chat(client: Client) -> Any:
    return client.chat().completions().create().model("m").message_user("x")


def consume(client: Client, received: List[str]) -> None:
    with chat(client).stream() as stream:
        for chunk in stream:
            received.append(chunk.choices[0].delta.content)


# -- no response -------------------------------------------------------------------------------


def test_refused_connection_is_retried_then_raises_connection_error() -> None:
    client, sleeps = make_client(f"http://127.0.0.1:{closed_port()}/v1")
    started = time.monotonic()
    with pytest.raises(APIConnectionError) as info:
        chat(client).send()
    assert type(info.value) is APIConnectionError
    assert len(sleeps) == 2  # three attempts
    assert time.monotonic() - started < 2
    assert_no_leaked_connections(client)


def test_reset_before_headers_is_retried_then_raises_connection_error(server: FaultServer) -> None:
    client, sleeps = make_client(f"{server.url}/reset_before_headers")
    started = time.monotonic()
    with pytest.raises(APIConnectionError) as info:
        chat(client).send()
    assert type(info.value) is APIConnectionError
    assert server.requests["reset_before_headers"] == 3
    assert len(sleeps) == 2
    assert time.monotonic() - started < 2
    assert_no_leaked_connections(client)


def test_reset_mid_body_is_retried_then_raises_connection_error(server: FaultServer) -> None:
    client, sleeps = make_client(f"{server.url}/reset_mid_body", max_retries=1)
    started = time.monotonic()
    with pytest.raises(APIConnectionError) as info:
        chat(client).send()
    assert type(info.value) is APIConnectionError
    assert server.requests["reset_mid_body"] == 2
    assert len(sleeps) == 1
    assert time.monotonic() - started < 2
    assert_no_leaked_connections(client)


def test_headers_later_than_read_timeout_raise_timeout(server: FaultServer) -> None:
    client, sleeps = make_client(f"{server.url}/slow_headers", max_retries=1, timeout=(2.0, 0.5))
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        chat(client).send()
    assert server.requests["slow_headers"] == 2
    assert len(sleeps) == 1
    assert 1.0 <= time.monotonic() - started < 3
    assert_no_leaked_connections(client)


# -- streams -----------------------------------------------------------------------------------


def test_reset_mid_stream_raises_after_the_events_received_without_retry(
    server: FaultServer,
) -> None:
    client, sleeps = make_client(f"{server.url}/reset_mid_stream/2")
    received: List[str] = []
    started = time.monotonic()
    with pytest.raises(APIConnectionError) as info:
        consume(client, received)
    assert type(info.value) is APIConnectionError
    assert received == ["t0", "t1"]
    assert server.requests["reset_mid_stream"] == 1  # never retried once an event was handed out
    assert sleeps == []
    assert time.monotonic() - started < 2
    assert_no_leaked_connections(client)


def test_reset_before_the_first_stream_event_is_retried(server: FaultServer) -> None:
    client, sleeps = make_client(f"{server.url}/reset_mid_stream/0", max_retries=1)
    received: List[str] = []
    with pytest.raises(APIConnectionError):
        consume(client, received)
    assert received == []
    assert server.requests["reset_mid_stream"] == 2
    assert len(sleeps) == 1
    assert_no_leaked_connections(client)


def test_stalled_stream_raises_timeout_after_the_events_received(server: FaultServer) -> None:
    client, sleeps = make_client(f"{server.url}/stall_stream/2", timeout=(2.0, 0.5))
    received: List[str] = []
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        consume(client, received)
    assert received == ["t0", "t1"]
    assert server.requests["stall_stream"] == 1
    assert sleeps == []
    assert 0.5 <= time.monotonic() - started < 2
    assert_no_leaked_connections(client)


def test_closing_a_stream_early_does_not_drain_it(server: FaultServer) -> None:
    client, _ = make_client(f"{server.url}/stall_stream/2", timeout=(2.0, 10.0))
    started = time.monotonic()
    with chat(client).stream() as stream:
        first = next(stream)
    assert first.choices[0].delta.content == "t0"
    assert time.monotonic() - started < 1  # the 3 s stall was not waited for
    assert_no_leaked_connections(client)


@pytest.mark.parametrize(
    ("scenario", "error", "attempts"),
    [
        ("corrupt_gzip", APIConnectionError, 2),  # "could not be decoded", retried
        ("reset_mid_body", APIConnectionError, 2),  # a JSON answer cut off, retried
        ("wrong_content_type", APIResponseValidationError, 1),  # HTML, not zero events
        ("truncated_json", APIResponseValidationError, 1),
    ],
)
def test_stream_request_answered_with_a_broken_body_raises_translated_error(
    server: FaultServer, scenario: str, error: type, attempts: int
) -> None:
    client, sleeps = make_client(f"{server.url}/{scenario}", max_retries=1)
    received: List[str] = []
    with pytest.raises(error) as info:
        consume(client, received)
    assert type(info.value) is error
    assert received == []
    assert server.requests[scenario] == attempts
    assert len(sleeps) == attempts - 1
    assert_no_leaked_connections(client)


# -- 429 and 5xx -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "low", "high"),
    [
        ("retry_after_seconds", 1.0, 1.0),
        ("retry_after_ms", 0.25, 0.25),
        ("retry_after_date", 1.0, 3.0),  # a date 3 s ahead, at one-second resolution
    ],
)
def test_429_sleeps_what_the_server_asks_then_raises_rate_limit(
    server: FaultServer, scenario: str, low: float, high: float
) -> None:
    client, sleeps = make_client(f"{server.url}/{scenario}")
    started = time.monotonic()
    with pytest.raises(RateLimitError) as info:
        chat(client).send()
    assert info.value.status == 429
    assert server.requests[scenario] == 3
    assert len(sleeps) == 2
    assert all(low <= s <= high for s in sleeps), sleeps
    assert time.monotonic() - started < 2  # the sleeps were recorded, not slept
    assert_no_leaked_connections(client)


def test_429_once_then_success(server: FaultServer) -> None:
    client, sleeps = make_client(f"{server.url}/retry_after_ms/1")
    result = chat(client).send_with_meta()
    assert result.data.choices[0].message.content == "hi"
    assert result.meta.attempts == 2
    assert server.requests["retry_after_ms"] == 2
    assert sleeps == [0.25]
    assert_no_leaked_connections(client)


def test_burst_of_5xx_then_200_succeeds(server: FaultServer) -> None:
    client, sleeps = make_client(f"{server.url}/burst_5xx/2")
    result = chat(client).send_with_meta()
    assert result.data.choices[0].message.content == "hi"
    assert result.meta.attempts == 3
    assert server.requests["burst_5xx"] == 3
    assert len(sleeps) == 2
    assert 0.375 <= sleeps[0] <= 0.5 and 0.75 <= sleeps[1] <= 1.0  # backoff, jitter shortens
    assert_no_leaked_connections(client)


def test_5xx_longer_than_the_retries_raises_internal_server_error(server: FaultServer) -> None:
    client, sleeps = make_client(f"{server.url}/burst_5xx")
    with pytest.raises(InternalServerError) as info:
        chat(client).send()
    assert info.value.status == 503  # the third answer: 500, 502, 503
    assert server.requests["burst_5xx"] == 3
    assert len(sleeps) == 2
    assert_no_leaked_connections(client)


def test_error_inside_http_200_raises_mapped_error_and_is_retried(server: FaultServer) -> None:
    client, sleeps = make_client(f"{server.url}/error_in_200", max_retries=1)
    with pytest.raises(InternalServerError) as info:
        chat(client).send()
    assert "Upstream error" in str(info.value)
    assert server.requests["error_in_200"] == 2
    assert len(sleeps) == 1
    assert_no_leaked_connections(client)


# -- broken 200 bodies -------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", ["truncated_json", "wrong_content_type", "invalid_utf8"])
def test_broken_json_body_raises_validation_error_without_retry(
    server: FaultServer, scenario: str
) -> None:
    client, sleeps = make_client(f"{server.url}/{scenario}")
    with pytest.raises(APIResponseValidationError):
        chat(client).send()
    assert server.requests[scenario] == 1
    assert sleeps == []
    assert_no_leaked_connections(client)


def test_corrupt_gzip_body_raises_connection_error(server: FaultServer) -> None:
    client, sleeps = make_client(f"{server.url}/corrupt_gzip", max_retries=1)
    with pytest.raises(APIConnectionError) as info:
        chat(client).send()
    assert type(info.value) is APIConnectionError
    assert "could not be decoded" in str(info.value)
    assert server.requests["corrupt_gzip"] == 2
    assert len(sleeps) == 1
    assert_no_leaked_connections(client)


def test_very_large_body_is_read_and_decoded(server: FaultServer) -> None:
    client, sleeps = make_client(f"{server.url}/large_body/50")
    started = time.monotonic()
    completion = chat(client).send()
    assert completion.choices[0].message.content == "hi"
    assert server.requests["large_body"] == 1
    assert sleeps == []
    assert time.monotonic() - started < 10
    assert_no_leaked_connections(client)


# -- redirects ---------------------------------------------------------------------------------


def test_redirect_to_another_origin_drops_the_key(server: FaultServer) -> None:
    client, sleeps = make_client(f"{server.url}/redirect")
    completion = chat(client).send()
    assert completion.choices[0].message.content == "hi"
    assert server.requests["redirect"] == 1
    assert server.requests["ok"] == 1
    assert "authorization" in server.headers["redirect"]
    assert "authorization" not in server.headers["ok"]
    assert server.connections == 2
    assert sleeps == []
    assert_no_leaked_connections(client)


def test_connections_are_reused_across_calls(server: FaultServer) -> None:
    client, _ = make_client(f"{server.url}/ok")
    for _ in range(5):
        chat(client).send()
    assert server.requests["ok"] == 5
    assert server.connections == 1
    assert_no_leaked_connections(client)


def test_failed_attempts_never_show_the_key(
    server: FaultServer, caplog: pytest.LogCaptureFixture
) -> None:
    client, _ = make_client(f"{server.url}/reset_before_headers", max_retries=1)
    with caplog.at_level("DEBUG", logger="openai_core"), pytest.raises(APIConnectionError) as info:
        chat(client).send()
    assert "Bearer <redacted>" in caplog.text
    assert SECRET not in caplog.text
    assert SECRET not in str(info.value) and SECRET not in repr(info.value)
