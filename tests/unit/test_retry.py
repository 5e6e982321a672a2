"""Retry rules (wire-rules.md, Retries): the test vectors, then end to end via the client."""

from __future__ import annotations

import email.utils
import io
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
import requests
import responses

from openai_core import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    BadRequestError,
    Client,
    InternalServerError,
    NotFoundError,
    RateLimitError,
)
from openai_core._errors import make_status_error
from openai_core._retry import (
    backoff_delay,
    call_with_retries,
    is_retryable,
    parse_retry_after,
    retry_delay,
    should_retry_response,
)
from openai_core.testing import FakeAPI

NOW = 1696004797.0  # Fri, 29 Sep 2023 16:26:37 GMT
BASE = "http://api.test/v1"
CHAT_URL = f"{BASE}/chat/completions"
MODELS_URL = f"{BASE}/models"

CHAT_OK: Dict[str, Any] = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}
    ],
}
MODELS_OK: Dict[str, Any] = {"object": "list", "data": [{"id": "m", "object": "model"}]}
CHUNK = (
    b'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",'
    b'"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n'
)


def clock() -> float:
    return NOW


def no_jitter() -> float:
    return 0.0


def http_date(offset: float) -> str:
    return email.utils.formatdate(NOW + offset, usegmt=True)


# -- the vectors ------------------------------------------------------------------------------

# (id, headers, delay before the first retry, whether the response is retried)
VECTORS = [
    ("retry-after-20", {"retry-after": "20"}, 20.0, True),
    ("retry-after-0", {"retry-after": "0"}, 0.5, True),
    ("retry-after-minus-10", {"retry-after": "-10"}, 0.5, True),
    ("retry-after-60", {"retry-after": "60"}, 60.0, True),
    ("retry-after-61", {"retry-after": "61"}, 61.0, True),
    ("retry-after-120", {"retry-after": "120"}, 120.0, True),
    ("retry-after-121", {"retry-after": "121"}, 0.5, False),
    ("retry-after-fraction", {"retry-after": "1.5"}, 1.5, True),
    ("http-date-plus-20", {"retry-after": http_date(20)}, 20.0, True),
    ("http-date-plus-120", {"retry-after": http_date(120)}, 120.0, True),
    ("http-date-plus-121", {"retry-after": http_date(121)}, 0.5, False),
    ("http-date-past", {"retry-after": http_date(-10)}, 0.5, True),
    ("http-date-now", {"retry-after": http_date(0)}, 0.5, True),
    ("inf", {"retry-after": "inf"}, 0.5, True),
    ("minus-inf", {"retry-after": "-inf"}, 0.5, True),
    ("nan", {"retry-after": "nan"}, 0.5, True),
    ("huge-overflowing-to-inf", {"retry-after": "1e400"}, 0.5, True),
    ("huge-finite", {"retry-after": "99999999999999999999999999999999999"}, 0.5, False),
    ("empty", {"retry-after": ""}, 0.5, True),
    ("blank", {"retry-after": "   "}, 0.5, True),
    ("malformed-date-bad-day", {"retry-after": "Zun, 29 Sep 2023 16:26:27 GMT"}, 0.5, True),
    ("malformed-date-garbage", {"retry-after": "Fri, 99 Foo 2023 xx:yy:zz GMT"}, 0.5, True),
    ("not-a-date", {"retry-after": "soon"}, 0.5, True),
    ("no-header", {}, 0.5, True),
    ("retry-after-ms-120000", {"retry-after-ms": "120000"}, 120.0, True),
    ("retry-after-ms-120001", {"retry-after-ms": "120001"}, 0.5, False),
    ("retry-after-ms-1500", {"retry-after-ms": "1500"}, 1.5, True),
    ("retry-after-ms-0", {"retry-after-ms": "0"}, 0.5, True),
    (
        "retry-after-ms-wins-over-retry-after",
        {"retry-after-ms": "2000", "retry-after": "30"},
        2.0,
        True,
    ),
    (
        "retry-after-ms-malformed-falls-back",
        {"retry-after-ms": "soon", "retry-after": "30"},
        30.0,
        True,
    ),
    ("header-names-case-insensitive", {"Retry-After": "20"}, 20.0, True),
]
VECTOR_IDS = [v[0] for v in VECTORS]


@pytest.mark.parametrize(("name", "headers", "delay", "retried"), VECTORS, ids=VECTOR_IDS)
def test_vector_delay(name: str, headers: Dict[str, str], delay: float, retried: bool) -> None:
    assert retry_delay(0, headers, now=clock, rand=no_jitter) == pytest.approx(delay)


@pytest.mark.parametrize(("name", "headers", "delay", "retried"), VECTORS, ids=VECTOR_IDS)
def test_vector_retry_decision(
    name: str, headers: Dict[str, str], delay: float, retried: bool
) -> None:
    assert should_retry_response(429, headers, now=clock) is retried


@pytest.mark.parametrize(("name", "headers", "delay", "retried"), VECTORS, ids=VECTOR_IDS)
def test_vector_through_retry_loop(
    name: str, headers: Dict[str, str], delay: float, retried: bool
) -> None:
    """max_retries 3, first retry: the loop sleeps exactly ``delay`` or gives up at once."""
    sleeps: List[float] = []
    calls: List[int] = []

    def attempt(number: int) -> str:
        calls.append(number)
        if number == 1:
            raise make_status_error(429, b"", headers=headers)
        return "ok"

    if retried:
        result = call_with_retries(
            attempt, max_retries=3, sleep=sleeps.append, now=clock, rand=no_jitter
        )
        assert result == "ok"
        assert calls == [1, 2]
        assert sleeps == [pytest.approx(delay)]
    else:
        with pytest.raises(RateLimitError):
            call_with_retries(
                attempt, max_retries=3, sleep=sleeps.append, now=clock, rand=no_jitter
            )
        assert calls == [1]
        assert sleeps == []


def test_parse_retry_after_http_date_uses_clock() -> None:
    assert parse_retry_after({"retry-after": http_date(20)}, now=clock) == pytest.approx(20.0)
    assert parse_retry_after({"retry-after": "Fri, 29 Sep 2023 16:26:57 GMT"}, now=clock) == 20.0


def test_parse_retry_after_absent_is_none() -> None:
    assert parse_retry_after({}, now=clock) is None
    assert parse_retry_after({"retry-after": ""}, now=clock) is None
    assert parse_retry_after({"retry-after": "garbage"}, now=clock) is None


# -- x-should-retry and statuses ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "value", "expected"),
    [
        (400, "true", True),
        (404, "true", True),
        (401, "TRUE", True),
        (500, "false", False),
        (429, "false", False),
        (503, "False", False),
        (408, "false", False),
        (400, "maybe", False),  # not a boolean: the status decides
        (500, "maybe", True),
    ],
)
def test_x_should_retry_overrides_status(status: int, value: str, expected: bool) -> None:
    assert should_retry_response(status, {"x-should-retry": value}, now=clock) is expected


def test_retry_after_over_limit_beats_x_should_retry_true() -> None:
    headers = {"retry-after": "121", "x-should-retry": "true"}
    assert should_retry_response(500, headers, now=clock) is False


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 520, 599])
def test_retried_statuses(status: int) -> None:
    assert should_retry_response(status, {}, now=clock) is True
    assert is_retryable(make_status_error(status, b""), now=clock) is True


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 413, 422])
def test_not_retried_statuses(status: int) -> None:
    assert should_retry_response(status, {}, now=clock) is False
    assert is_retryable(make_status_error(status, b""), now=clock) is False


def test_connection_errors_and_timeouts_are_retryable() -> None:
    assert is_retryable(APIConnectionError("refused")) is True
    assert is_retryable(APITimeoutError("slow")) is True
    assert is_retryable(APIResponseValidationError("not json")) is False
    assert is_retryable(ValueError("bug")) is False


# -- backoff --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("retry_index", "expected"),
    [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 8.0), (6, 8.0), (1100, 8.0)],
)
def test_backoff_without_jitter(retry_index: int, expected: float) -> None:
    assert backoff_delay(retry_index, rand=no_jitter) == expected
    assert retry_delay(retry_index, None, now=clock, rand=no_jitter) == expected
    assert retry_delay(retry_index, {"retry-after": ""}, now=clock, rand=no_jitter) == expected


@pytest.mark.parametrize("retry_index", [0, 1, 2, 3, 4, 5])
@pytest.mark.parametrize("rand", [0.0, 0.1, 0.5, 0.9, 0.999999, 1.0])
def test_jitter_only_shortens(retry_index: int, rand: float) -> None:
    base = min(0.5 * 2**retry_index, 8.0)
    delay = backoff_delay(retry_index, rand=lambda: rand)
    assert base * 0.75 <= delay <= base
    assert delay == pytest.approx(base * (1 - 0.25 * rand))


def test_default_jitter_stays_in_range() -> None:
    for _ in range(200):
        assert 0.375 <= backoff_delay(0) <= 0.5
        assert 6.0 <= backoff_delay(7) <= 8.0


def test_loop_sleeps_follow_backoff_and_gives_up_after_max_retries() -> None:
    sleeps: List[float] = []
    calls: List[int] = []

    def attempt(number: int) -> str:
        calls.append(number)
        raise make_status_error(500, b'{"error": {"message": "down"}}')

    with pytest.raises(InternalServerError, match="down"):
        call_with_retries(attempt, max_retries=3, sleep=sleeps.append, now=clock, rand=no_jitter)
    assert calls == [1, 2, 3, 4]
    assert sleeps == [0.5, 1.0, 2.0]


def test_loop_zero_retries_calls_once() -> None:
    sleeps: List[float] = []
    calls: List[int] = []

    def attempt(number: int) -> str:
        calls.append(number)
        raise APIConnectionError("refused")

    with pytest.raises(APIConnectionError):
        call_with_retries(attempt, max_retries=0, sleep=sleeps.append)
    assert calls == [1]
    assert sleeps == []


def test_loop_does_not_retry_foreign_exceptions() -> None:
    calls: List[int] = []

    def attempt(number: int) -> str:
        calls.append(number)
        raise KeyError("bug")

    with pytest.raises(KeyError):
        call_with_retries(attempt, max_retries=3, sleep=lambda s: None)
    assert calls == [1]


# -- end to end through the client ---------------------------------------------------------------


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


class Recorder:
    def __init__(self) -> None:
        self.sleeps: List[float] = []

    def __call__(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def make_client(max_retries: int = 3, **kwargs: Any) -> Tuple[Client, Recorder]:
    kwargs.setdefault("api_key", "sk-test")
    client = Client(base_url=BASE, max_retries=max_retries, **kwargs)
    recorder = Recorder()
    client._sleep = recorder
    return client, recorder


def chat(client: Client) -> Any:
    return client.chat().completions().create().model("m").message_user("hi")


def test_e2e_retries_5xx_then_succeeds(rsps: responses.RequestsMock) -> None:
    client, rec = make_client(max_retries=3)
    rsps.add("POST", CHAT_URL, status=500, json={"error": {"message": "a"}})
    rsps.add("POST", CHAT_URL, status=502, body="bad gateway")
    rsps.add("POST", CHAT_URL, json=CHAT_OK)
    result = chat(client).send_with_meta()
    assert result.data.choices[0].message.content == "hi"
    assert result.meta.attempts == 3
    assert len(rsps.calls) == 3
    assert len(rec.sleeps) == 2
    assert 0.375 <= rec.sleeps[0] <= 0.5
    assert 0.75 <= rec.sleeps[1] <= 1.0


def test_e2e_gives_up_after_max_retries(rsps: responses.RequestsMock) -> None:
    client, rec = make_client(max_retries=2)
    rsps.add("GET", MODELS_URL, status=503, json={"error": {"message": "overloaded"}})
    with pytest.raises(InternalServerError, match="overloaded") as info:
        client.models().list().send()
    assert info.value.status == 503
    assert len(rsps.calls) == 3
    assert len(rec.sleeps) == 2


def test_e2e_default_max_retries_is_two(rsps: responses.RequestsMock) -> None:
    client = Client(api_key="sk-test", base_url=BASE)
    rec = Recorder()
    client._sleep = rec
    rsps.add("GET", MODELS_URL, status=500)
    with pytest.raises(InternalServerError):
        client.models().list().send()
    assert len(rsps.calls) == 3
    assert len(rec.sleeps) == 2


def test_e2e_sleeps_what_retry_after_says(rsps: responses.RequestsMock) -> None:
    client, rec = make_client(max_retries=3)
    rsps.add("GET", MODELS_URL, status=429, headers={"retry-after": "3"})
    rsps.add("GET", MODELS_URL, status=429, headers={"retry-after-ms": "250"})
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    page = client.models().list().send()
    assert [m.id for m in page.data] == ["m"]
    assert rec.sleeps == [3.0, 0.25]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_e2e_non_retryable_status_is_sent_once(rsps: responses.RequestsMock, status: int) -> None:
    client, rec = make_client(max_retries=3)
    rsps.add("GET", MODELS_URL, status=status, json={"error": {"message": "no"}})
    with pytest.raises(APIStatusError) as info:
        client.models().list().send()
    assert info.value.status == status
    assert len(rsps.calls) == 1
    assert rec.sleeps == []


@pytest.mark.parametrize("status", [408, 409, 429, 500, 504])
def test_e2e_retryable_status_is_retried(rsps: responses.RequestsMock, status: int) -> None:
    client, rec = make_client(max_retries=3)
    rsps.add("GET", MODELS_URL, status=status)
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    client.models().list().send()
    assert len(rsps.calls) == 2
    assert len(rec.sleeps) == 1


def test_e2e_retry_after_over_limit_is_not_retried(rsps: responses.RequestsMock) -> None:
    client, rec = make_client(max_retries=3)
    rsps.add("GET", MODELS_URL, status=429, headers={"retry-after": "121"})
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    with pytest.raises(RateLimitError):
        client.models().list().send()
    assert len(rsps.calls) == 1
    assert rec.sleeps == []


def test_e2e_x_should_retry_false_stops_a_500(rsps: responses.RequestsMock) -> None:
    client, rec = make_client(max_retries=3)
    rsps.add("GET", MODELS_URL, status=500, headers={"x-should-retry": "false"})
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    with pytest.raises(InternalServerError):
        client.models().list().send()
    assert len(rsps.calls) == 1
    assert rec.sleeps == []


def test_e2e_x_should_retry_true_retries_a_404(rsps: responses.RequestsMock) -> None:
    client, rec = make_client(max_retries=3)
    rsps.add("GET", MODELS_URL, status=404, headers={"x-should-retry": "true"})
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    client.models().list().send()
    assert len(rsps.calls) == 2
    assert len(rec.sleeps) == 1


def test_e2e_connection_errors_are_retried(rsps: responses.RequestsMock) -> None:
    client, rec = make_client(max_retries=3)
    rsps.add("GET", MODELS_URL, body=requests.ConnectionError("connection refused"))
    rsps.add("GET", MODELS_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    result = client.models().list().send_with_meta()
    assert result.meta.attempts == 3
    assert len(rsps.calls) == 3
    assert len(rec.sleeps) == 2


def test_e2e_connection_errors_exhaust_retries(rsps: responses.RequestsMock) -> None:
    client, rec = make_client(max_retries=2)
    rsps.add("GET", MODELS_URL, body=requests.ConnectionError("connection refused"))
    with pytest.raises(APIConnectionError, match="connection refused") as info:
        client.models().list().send()
    assert not isinstance(info.value, APITimeoutError)
    assert len(rsps.calls) == 3
    assert len(rec.sleeps) == 2


def test_e2e_timeouts_exhaust_retries_as_timeout_error(rsps: responses.RequestsMock) -> None:
    client, _ = make_client(max_retries=1)
    rsps.add("GET", MODELS_URL, body=requests.exceptions.ConnectTimeout("connect timed out"))
    with pytest.raises(APITimeoutError):
        client.models().list().send()
    assert len(rsps.calls) == 2


def test_e2e_per_request_max_retries_zero(rsps: responses.RequestsMock) -> None:
    client, rec = make_client(max_retries=3)
    rsps.add("GET", MODELS_URL, status=500)
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    with pytest.raises(InternalServerError):
        client.models().list().max_retries(0).send()
    assert len(rsps.calls) == 1
    assert rec.sleeps == []


def test_e2e_per_request_max_retries_overrides_client_zero(rsps: responses.RequestsMock) -> None:
    client, rec = make_client(max_retries=0)
    rsps.add("GET", MODELS_URL, status=500)
    rsps.add("GET", MODELS_URL, status=500)
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    client.models().list().max_retries(2).send()
    assert len(rsps.calls) == 3
    assert len(rec.sleeps) == 2


# -- streams --------------------------------------------------------------------------------------


class _BreaksAfter(io.RawIOBase):
    """A response body that yields ``first`` and then fails like a reset connection."""

    def __init__(self, first: bytes) -> None:
        self._first = first
        self._sent = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self._sent:
            self._sent = True
            buffer[: len(self._first)] = self._first
            return len(self._first)
        raise ConnectionResetError("connection reset by peer")


def broken_body(first: bytes) -> io.BufferedReader:
    return io.BufferedReader(_BreaksAfter(first))


def sse(*events: bytes) -> bytes:
    return b"".join(events) + b"data: [DONE]\n\n"


def test_e2e_stream_retried_on_status_before_first_event(rsps: responses.RequestsMock) -> None:
    client, rec = make_client(max_retries=3)
    rsps.add("POST", CHAT_URL, status=503)
    rsps.add("POST", CHAT_URL, body=sse(CHUNK), content_type="text/event-stream")
    with chat(client).stream() as stream:
        chunks = list(stream)
    assert [c.choices[0].delta.content for c in chunks] == ["hi"]
    assert len(rsps.calls) == 2
    assert len(rec.sleeps) == 1


def test_e2e_stream_retried_on_error_as_first_event(rsps: responses.RequestsMock) -> None:
    """C9: an HTTP 200 whose first event is a 5xx error counts as that status."""
    client, _ = make_client(max_retries=3)
    error_event = b'data: {"error": {"message": "overloaded", "code": 503}}\n\n'
    rsps.add("POST", CHAT_URL, body=error_event, content_type="text/event-stream")
    rsps.add("POST", CHAT_URL, body=sse(CHUNK), content_type="text/event-stream")
    with chat(client).stream() as stream:
        chunks = list(stream)
    assert len(chunks) == 1
    assert len(rsps.calls) == 2


def test_e2e_stream_retried_on_connection_drop_before_first_event(
    rsps: responses.RequestsMock,
) -> None:
    client, rec = make_client(max_retries=3)
    rsps.add("POST", CHAT_URL, body=broken_body(b": ping\n\n"), content_type="text/event-stream")
    rsps.add("POST", CHAT_URL, body=sse(CHUNK), content_type="text/event-stream")
    with chat(client).stream() as stream:
        assert len(list(stream)) == 1
    assert len(rsps.calls) == 2
    assert len(rec.sleeps) == 1


def test_e2e_stream_not_retried_after_first_event_on_connection_drop(
    rsps: responses.RequestsMock,
) -> None:
    client, rec = make_client(max_retries=3)
    rsps.add("POST", CHAT_URL, body=broken_body(CHUNK), content_type="text/event-stream")
    rsps.add("POST", CHAT_URL, body=sse(CHUNK, CHUNK), content_type="text/event-stream")
    received: List[Any] = []
    with pytest.raises(APIConnectionError), chat(client).stream() as stream:
        for chunk in stream:
            received.append(chunk)
    assert len(received) == 1
    assert len(rsps.calls) == 1
    assert rec.sleeps == []


def test_e2e_stream_not_retried_after_first_event_on_error_event(
    rsps: responses.RequestsMock,
) -> None:
    client, rec = make_client(max_retries=3)
    body = CHUNK + b'data: {"error": {"message": "upstream died", "code": 500}}\n\n'
    rsps.add("POST", CHAT_URL, body=body, content_type="text/event-stream")
    rsps.add("POST", CHAT_URL, body=sse(CHUNK), content_type="text/event-stream")
    received: List[Any] = []
    with pytest.raises(InternalServerError, match="upstream died"), chat(client).stream() as s:
        for chunk in s:
            received.append(chunk)
    assert len(received) == 1
    assert len(rsps.calls) == 1
    assert rec.sleeps == []


# -- idempotency keys -----------------------------------------------------------------------------


def idempotency_keys(rsps: responses.RequestsMock) -> List[Optional[str]]:
    return [call.request.headers.get("Idempotency-Key") for call in rsps.calls]


def test_idempotency_key_reused_across_attempts_of_one_post() -> None:
    with FakeAPI(base_url=BASE) as api:
        failed, limited = api.error(500), api.error(429)
        ok = api.chat_completion("hi")
        client, _ = make_client(max_retries=3)
        chat(client).send()
    assert (failed.call_count, limited.call_count, ok.call_count) == (1, 1, 1)
    keys = [call.headers.get("Idempotency-Key") for call in api.calls]
    assert len(keys) == 3
    assert keys[0]
    assert keys == [keys[0]] * 3


def test_idempotency_key_differs_between_calls(rsps: responses.RequestsMock) -> None:
    client, _ = make_client()
    rsps.add("POST", CHAT_URL, json=CHAT_OK)
    request = chat(client)
    request.send()
    request.send()
    chat(client).send()
    keys = idempotency_keys(rsps)
    assert all(keys)
    assert len(set(keys)) == 3


def test_idempotency_key_on_streams_too(rsps: responses.RequestsMock) -> None:
    client, _ = make_client(max_retries=1)
    rsps.add("POST", CHAT_URL, status=500)
    rsps.add("POST", CHAT_URL, body=sse(CHUNK), content_type="text/event-stream")
    with chat(client).stream() as stream:
        list(stream)
    keys = idempotency_keys(rsps)
    assert keys[0] and keys == [keys[0], keys[0]]


def test_no_idempotency_key_on_get(rsps: responses.RequestsMock) -> None:
    client, _ = make_client(max_retries=1)
    rsps.add("GET", MODELS_URL, status=500)
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    client.models().list().send()
    assert idempotency_keys(rsps) == [None, None]


def test_no_idempotency_key_when_disabled(rsps: responses.RequestsMock) -> None:
    client, _ = make_client(max_retries=1, idempotency_keys=False)
    rsps.add("POST", CHAT_URL, status=500)
    rsps.add("POST", CHAT_URL, json=CHAT_OK)
    chat(client).send()
    assert idempotency_keys(rsps) == [None, None]


def test_no_idempotency_key_when_disabled_via_builder(rsps: responses.RequestsMock) -> None:
    client = Client.builder().api_key("k").base_url(BASE).idempotency_keys(False).build()
    rsps.add("POST", CHAT_URL, json=CHAT_OK)
    chat(client).send()
    assert idempotency_keys(rsps) == [None]


def test_caller_idempotency_key_is_kept(rsps: responses.RequestsMock) -> None:
    client, _ = make_client(max_retries=1)
    rsps.add("POST", CHAT_URL, status=500)
    rsps.add("POST", CHAT_URL, json=CHAT_OK)
    chat(client).header("Idempotency-Key", "mine-1").send()
    assert idempotency_keys(rsps) == ["mine-1", "mine-1"]


def test_caller_idempotency_key_in_lower_case_is_kept(rsps: responses.RequestsMock) -> None:
    client, _ = make_client(max_retries=0)
    rsps.add("POST", CHAT_URL, json=CHAT_OK)
    chat(client).header("idempotency-key", "mine-2").send()
    assert idempotency_keys(rsps) == ["mine-2"]


# -- the request is rebuilt on every attempt ---------------------------------------------------


def test_api_key_callable_called_on_every_attempt(rsps: responses.RequestsMock) -> None:
    issued: List[str] = []

    def token() -> str:
        issued.append(f"tok-{len(issued) + 1}")
        return issued[-1]

    client, _ = make_client(max_retries=3, api_key=token)
    # 401 is not retried by status; the server asks for the retry (expired token).
    rsps.add("POST", CHAT_URL, status=401, headers={"x-should-retry": "true"})
    rsps.add("POST", CHAT_URL, status=500)
    rsps.add("POST", CHAT_URL, json=CHAT_OK)
    chat(client).send()
    sent = [call.request.headers["Authorization"] for call in rsps.calls]
    assert issued == ["tok-1", "tok-2", "tok-3"]
    assert sent == ["Bearer tok-1", "Bearer tok-2", "Bearer tok-3"]


def test_api_key_callable_called_per_call(rsps: responses.RequestsMock) -> None:
    counter: List[int] = []

    def token() -> str:
        counter.append(1)
        return f"tok-{len(counter)}"

    client, _ = make_client(max_retries=0, api_key=token)
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    client.models().list().send()
    client.models().list().send()
    assert [c.request.headers["Authorization"] for c in rsps.calls] == [
        "Bearer tok-1",
        "Bearer tok-2",
    ]


def test_retry_sends_the_same_body() -> None:
    with FakeAPI(base_url=BASE) as api:
        failed, ok = api.error(500), api.chat_completion("hi")
        client, _ = make_client(max_retries=2)
        chat(client).temperature(0.5).send()
    assert failed.last.body == ok.last.body
    assert ok.last.json["temperature"] == 0.5


def test_not_found_is_not_retried_even_with_many_retries(rsps: responses.RequestsMock) -> None:
    client, rec = make_client(max_retries=10)
    rsps.add("GET", f"{MODELS_URL}/nope", status=404, json={"error": {"message": "no model"}})
    with pytest.raises(NotFoundError):
        client.models().retrieve("nope").send()
    assert len(rsps.calls) == 1
    assert rec.sleeps == []


def test_bad_request_not_retried(rsps: responses.RequestsMock) -> None:
    client, rec = make_client(max_retries=3)
    rsps.add("POST", CHAT_URL, status=400, json={"error": {"message": "bad"}})
    with pytest.raises(BadRequestError):
        chat(client).send()
    assert len(rsps.calls) == 1
    assert rec.sleeps == []
