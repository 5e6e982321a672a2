"""Request builders: immutability, build() and its terminals, per-request options, pagination."""

from __future__ import annotations

import json
import math
import time
from typing import Any, Dict, Iterator, List, Tuple

import attrs
import pytest
import requests
import responses
from responses import matchers

from openai_core import (
    ApiResponse,
    BadRequestError,
    Client,
    CursorPage,
    RateLimitInfo,
    Request,
    ResponseMeta,
    Timeout,
)

BASE = "http://api.test/v1"
CHAT_URL = f"{BASE}/chat/completions"
MODELS_URL = f"{BASE}/models"
SECRET = "sk-builder-SECRET-0987654321"

CHAT_OK: Dict[str, Any] = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}
    ],
}


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def client() -> Client:
    c = Client(api_key=SECRET, base_url=BASE, max_retries=2)
    c._sleep = lambda seconds: None
    return c


def sent_json(rsps: responses.RequestsMock, index: int = 0) -> Any:
    return json.loads(rsps.calls[index].request.body)


# -- immutability ---------------------------------------------------------------------------------


def test_setter_returns_new_builder_and_leaves_original(client: Client) -> None:
    empty = client.chat().completions().create()
    with_model = empty.model("m")
    assert with_model is not empty
    assert empty.build().json_data == {}
    assert with_model.build().json_data == {"model": "m"}
    hotter = with_model.temperature(1.5)
    assert with_model.build().json_data == {"model": "m"}
    assert hotter.build().json_data == {"model": "m", "temperature": 1.5}


def test_builders_are_frozen(client: Client) -> None:
    builder = client.chat().completions().create().model("m")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        builder._body = {}  # type: ignore[misc]
    request = builder.build()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        request.url = "http://evil.test"  # type: ignore[misc]


def test_appending_setters_do_not_share_state(client: Client) -> None:
    base = client.chat().completions().create().model("m").message_system("be brief")
    a = base.message_user("a")
    b = base.message_user("b")
    assert [m["content"] for m in base.build().json_data["messages"]] == ["be brief"]
    assert [m["content"] for m in a.build().json_data["messages"]] == ["be brief", "a"]
    assert [m["content"] for m in b.build().json_data["messages"]] == ["be brief", "b"]


def test_base_builder_as_template_for_two_requests(
    client: Client, rsps: responses.RequestsMock
) -> None:
    rsps.add("POST", CHAT_URL, json=CHAT_OK)
    base = client.chat().completions().create().model("m").temperature(0).header("X-T", "1")
    base.message_user("first").send()
    base.message_user("second").max_retries(0).send()
    first, second = sent_json(rsps, 0), sent_json(rsps, 1)
    assert first == {
        "model": "m",
        "temperature": 0,
        "messages": [{"role": "user", "content": "first"}],
    }
    assert second == {
        "model": "m",
        "temperature": 0,
        "messages": [{"role": "user", "content": "second"}],
    }
    assert rsps.calls[0].request.headers["X-T"] == "1"
    assert rsps.calls[1].request.headers["X-T"] == "1"
    assert base.build().json_data == {"model": "m", "temperature": 0}


def test_per_request_options_do_not_leak_into_template(client: Client) -> None:
    base = client.models().list()
    tuned = base.timeout(3).max_retries(0).header("X-A", "1").query("limit", 5)
    assert tuned.build().max_retries == 0
    plain = base.build()
    assert plain.max_retries == 2
    assert plain.timeout == Timeout()
    assert plain.header("X-A") is None
    assert plain.url == MODELS_URL


# -- what is sent ---------------------------------------------------------------------------------


def test_never_set_fields_never_sent(client: Client, rsps: responses.RequestsMock) -> None:
    rsps.add("POST", CHAT_URL, json=CHAT_OK)
    client.chat().completions().create().model("m").message_user("hi").send()
    assert sent_json(rsps) == {"model": "m", "messages": [{"role": "user", "content": "hi"}]}


def test_none_is_sent_as_null(client: Client, rsps: responses.RequestsMock) -> None:
    rsps.add("POST", CHAT_URL, json=CHAT_OK)
    builder = client.chat().completions().create().model("m").temperature(None).stop(None)
    assert builder.build().content == b'{"model":"m","temperature":null,"stop":null}'
    builder.send()
    body = sent_json(rsps)
    assert "temperature" in body and body["temperature"] is None
    assert "stop" in body and body["stop"] is None


def test_setting_a_field_twice_keeps_the_last(client: Client) -> None:
    builder = client.chat().completions().create().temperature(1).temperature(0.2)
    assert builder.build().json_data == {"temperature": 0.2}


# -- build() ------------------------------------------------------------------------------------


def test_build_does_no_io() -> None:
    with responses.RequestsMock() as mock:  # nothing registered: any request would fail
        client = Client(api_key=SECRET, base_url=BASE)
        builder = client.chat().completions().create().model("m").message_user("hi")
        request = builder.build()
        builder.to_curl()
        client.models().list().build()
        client.models().retrieve("m").build()
        assert len(mock.calls) == 0
    assert isinstance(request, Request)


def test_build_returns_method_url_headers_body(client: Client) -> None:
    request = (
        client.chat().completions().create().model("m").message_user("hi").query("a", 1).build()
    )
    assert request.method == "POST"
    assert request.url == f"{CHAT_URL}?a=1"
    assert request.header("Authorization") == f"Bearer {SECRET}"
    assert request.header("content-type") == "application/json"
    assert request.header("Accept") == "application/json"
    expected = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    assert json.loads(json.dumps(request.json_data)) == expected
    assert request.content == b'{"model":"m","messages":[{"role":"user","content":"hi"}]}'
    assert request.stream is False
    assert request.timeout == Timeout()
    assert request.max_retries == 2
    assert isinstance(request.headers, tuple)


def test_build_get_has_no_body(client: Client) -> None:
    request = client.models().retrieve("gpt-x").build()
    assert request.method == "GET"
    assert request.url == f"{MODELS_URL}/gpt-x"
    assert request.content is None
    assert request.json_data is None


def test_post_without_fields_sends_empty_object(client: Client) -> None:
    assert client.chat().completions().create().build().content == b"{}"


def test_to_curl_redacts(client: Client) -> None:
    builder = client.chat().completions().create().model("m").header("api-key", SECRET)
    curl = builder.to_curl()
    assert SECRET not in curl
    assert curl.startswith("curl -X POST")
    assert CHAT_URL in curl
    assert "'Authorization: Bearer <redacted>'" in curl
    assert "'api-key: <redacted>'" in curl
    assert '\'{"model":"m"}\'' in curl


# -- timeout() -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (30, Timeout(connect=5.0, read=30.0)),
        (2.5, Timeout(connect=2.5, read=2.5)),
        ((1, 20), Timeout(connect=1.0, read=20.0)),
        ((7.5, 2.0), Timeout(connect=7.5, read=2.0)),
        (Timeout(connect=3.0, read=4.0), Timeout(connect=3.0, read=4.0)),
    ],
)
def test_timeout_accepts_number_tuple_and_timeout(
    client: Client, value: Any, expected: Timeout
) -> None:
    assert client.models().list().timeout(value).build().timeout == expected


@pytest.mark.parametrize(
    "value",
    [0, -1, -0.5, math.nan, math.inf, (1, 2, 3), (1,), (0, 5), (5, -1), (1, math.inf)],
)
def test_timeout_invalid_is_value_error(client: Client, value: Any) -> None:
    with pytest.raises(ValueError):
        client.models().list().timeout(value)


@pytest.mark.parametrize("value", ["10", None, [1, 2], True])
def test_timeout_wrong_type(client: Client, value: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        client.models().list().timeout(value)


def test_timeout_reaches_the_transport(client: Client, rsps: responses.RequestsMock) -> None:
    rsps.add("GET", MODELS_URL, json={"data": []})
    client.models().list().send()
    client.models().list().timeout((1.5, 9)).send()
    client.models().list().timeout(Timeout(connect=2, read=3)).send()
    timeouts = [call.request.req_kwargs["timeout"] for call in rsps.calls]
    assert timeouts == [(5.0, 600.0), (1.5, 9.0), (2.0, 3.0)]


def test_client_timeout_is_the_default() -> None:
    client = Client(base_url=BASE, timeout=(2, 30))
    assert client.models().list().build().timeout == Timeout(connect=2.0, read=30.0)
    assert client.models().list().timeout(4).build().timeout == Timeout(connect=4.0, read=4.0)


# -- max_retries(), header(), query() --------------------------------------------------------------


def test_max_retries(client: Client, rsps: responses.RequestsMock) -> None:
    assert client.models().list().max_retries(5).build().max_retries == 5
    assert client.models().list().max_retries(0).build().max_retries == 0
    rsps.add("GET", MODELS_URL, status=500)
    with pytest.raises(Exception, match="500"):
        client.models().list().max_retries(1).send()
    assert len(rsps.calls) == 2


@pytest.mark.parametrize("value", [-1, 1.5, True, "2", None])
def test_max_retries_invalid(client: Client, value: Any) -> None:
    with pytest.raises(ValueError):
        client.models().list().max_retries(value)


def test_header_added_and_replaced(client: Client, rsps: responses.RequestsMock) -> None:
    builder = client.models().list().header("X-Trace", "1").header("x-trace", "2")
    request = builder.build()
    assert request.header("X-Trace") == "2"
    assert sum(1 for k, _ in request.headers if k.lower() == "x-trace") == 1
    rsps.add("GET", MODELS_URL, json={"data": []})
    builder.send()
    assert rsps.calls[0].request.headers["X-Trace"] == "2"


def test_header_overrides_client_defaults(rsps: responses.RequestsMock) -> None:
    client = Client(base_url=BASE, default_headers={"X-Team": "a"})
    rsps.add("GET", MODELS_URL, json={"data": []})
    client.models().list().header("x-team", "b").header("Accept", "application/x-ndjson").send()
    sent = rsps.calls[0].request.headers
    assert sent["X-Team"] == "b"
    assert sent["Accept"] == "application/x-ndjson"


def test_header_invalid(client: Client) -> None:
    with pytest.raises(TypeError):
        client.models().list().header("", "x")
    with pytest.raises(TypeError):
        client.models().list().header("X-Num", 1)  # type: ignore[arg-type]


def test_query_added_replaced_and_arrays(client: Client, rsps: responses.RequestsMock) -> None:
    builder = client.models().list().query("limit", 1).query("limit", 3).query("tag", ["a", "b"])
    assert builder.build().url == f"{MODELS_URL}?limit=3&tag[]=a&tag[]=b"
    rsps.add("GET", MODELS_URL, json={"data": []})
    builder.send()
    assert rsps.calls[0].request.url == f"{MODELS_URL}?limit=3&tag[]=a&tag[]=b"


def test_query_invalid_name(client: Client) -> None:
    with pytest.raises(ValueError):
        client.models().list().query("", 1)


# -- extra_body(), body_value() -------------------------------------------------------------------


def test_extra_body_merges_and_overrides(client: Client, rsps: responses.RequestsMock) -> None:
    rsps.add("POST", CHAT_URL, json=CHAT_OK)
    builder = (
        client.chat()
        .completions()
        .create()
        .model("m")
        .temperature(1)
        .extra_body({"temperature": 0.1, "top_k": 40, "chat_template_kwargs": {"think": False}})
    )
    builder.send()
    assert sent_json(rsps) == {
        "model": "m",
        "temperature": 0.1,
        "top_k": 40,
        "chat_template_kwargs": {"think": False},
    }


def test_setters_after_extra_body_win(client: Client) -> None:
    builder = client.chat().completions().create().extra_body({"model": "x"}).model("y")
    assert builder.build().json_data == {"model": "y"}


def test_extra_body_rejects_non_mapping(client: Client) -> None:
    with pytest.raises(TypeError):
        client.chat().completions().create().extra_body([("a", 1)])  # type: ignore[arg-type]


def test_body_value_replaces_body(client: Client, rsps: responses.RequestsMock) -> None:
    rsps.add("POST", CHAT_URL, json=CHAT_OK)
    raw = {"model": "raw", "messages": [{"role": "user", "content": "x"}], "vendor_flag": True}
    builder = client.chat().completions().create().model("m").temperature(1).body_value(raw)
    builder.send()
    assert sent_json(rsps) == raw
    raw["model"] = "mutated later"  # the builder keeps its own copy
    assert builder.build().json_data["model"] == "raw"


def test_setters_after_body_value_start_from_it(client: Client) -> None:
    builder = client.chat().completions().create().body_value({"model": "a", "n": 2}).model("b")
    assert builder.build().json_data == {"model": "b", "n": 2}


def test_body_value_non_object(client: Client, rsps: responses.RequestsMock) -> None:
    rsps.add("POST", CHAT_URL, json=CHAT_OK)
    client.chat().completions().create().body_value([1, "two", None]).send_raw()
    assert rsps.calls[0].request.body == b'[1,"two",null]'


# -- send_with_meta(), send_raw() ---------------------------------------------------------------


RATE_HEADERS = {
    "x-request-id": "req_meta_1",
    "x-ratelimit-limit-requests": "500",
    "x-ratelimit-limit-tokens": "30000",
    "x-ratelimit-remaining-requests": "499",
    "x-ratelimit-remaining-tokens": "29950",
    "x-ratelimit-reset-requests": "120ms",
    "x-ratelimit-reset-tokens": "6m0s",
}


def slow_ok(request: Any) -> Tuple[int, Dict[str, str], str]:
    time.sleep(0.01)
    return 200, {**RATE_HEADERS, "Content-Type": "application/json"}, json.dumps(CHAT_OK)


def test_send_with_meta(client: Client, rsps: responses.RequestsMock) -> None:
    rsps.add("POST", CHAT_URL, status=503)
    rsps.add_callback("POST", CHAT_URL, callback=slow_ok)
    result = client.chat().completions().create().model("m").send_with_meta()
    assert isinstance(result, ApiResponse)
    assert result.data.id == "chatcmpl-1"
    meta = result.meta
    assert isinstance(meta, ResponseMeta)
    assert meta.request_id == "req_meta_1"
    assert meta.status == 200
    assert meta.headers["X-Request-Id"] == "req_meta_1"  # case-insensitive
    assert meta.elapsed >= 0.01
    assert meta.attempts == 2
    assert meta.rate_limit == RateLimitInfo(
        limit_requests=500,
        limit_tokens=30000,
        remaining_requests=499,
        remaining_tokens=29950,
        reset_requests="120ms",
        reset_tokens="6m0s",
    )


def test_send_with_meta_single_attempt_without_headers(
    client: Client, rsps: responses.RequestsMock
) -> None:
    rsps.add("GET", MODELS_URL, json={"object": "list", "data": []})
    meta = client.models().list().send_with_meta().meta
    assert meta.attempts == 1
    assert meta.request_id is None
    assert meta.elapsed > 0
    assert meta.rate_limit == RateLimitInfo()


def test_rate_limit_unparseable_numbers_are_none() -> None:
    info = RateLimitInfo.from_headers({"x-ratelimit-limit-requests": "lots"})
    assert info.limit_requests is None


def test_send_raw_returns_requests_response(client: Client, rsps: responses.RequestsMock) -> None:
    rsps.add("POST", CHAT_URL, json=CHAT_OK, headers={"x-request-id": "req_raw"})
    response = client.chat().completions().create().model("m").send_raw()
    assert isinstance(response, requests.Response)
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "req_raw"
    assert response.json() == CHAT_OK


def test_send_raw_error_status_raises(client: Client, rsps: responses.RequestsMock) -> None:
    rsps.add("POST", CHAT_URL, status=400, json={"error": {"message": "bad"}})
    with pytest.raises(BadRequestError, match="bad"):
        client.chat().completions().create().model("m").send_raw()


def test_send_raw_does_not_decode_error_bodies_in_200(
    client: Client, rsps: responses.RequestsMock
) -> None:
    body = {"error": {"message": "upstream", "code": 429}, "choices": None}
    rsps.add("POST", CHAT_URL, json=body)
    response = client.chat().completions().create().model("m").send_raw()
    assert response.json() == body


# -- pagination ------------------------------------------------------------------------------------


def completion(cid: str) -> Dict[str, Any]:
    return {"id": cid, "object": "chat.completion", "created": 1, "model": "m", "choices": []}


def page(ids: List[str], has_more: Any, **extra: Any) -> Dict[str, Any]:
    body: Dict[str, Any] = {"object": "list", "data": [completion(i) for i in ids]}
    if has_more is not None:
        body["has_more"] = has_more
    body.update(extra)
    return body


def add_page(rsps: responses.RequestsMock, query: Dict[str, str], body: Dict[str, Any]) -> None:
    rsps.add("GET", CHAT_URL, json=body, match=[matchers.query_param_matcher(query)])


def test_cursor_page_data_and_has_next(client: Client, rsps: responses.RequestsMock) -> None:
    add_page(rsps, {"limit": "2"}, page(["c1", "c2"], True))
    first = client.chat().completions().list().limit(2).send()
    assert isinstance(first, CursorPage)
    assert [c.id for c in first.data] == ["c1", "c2"]
    assert first.has_more is True
    assert first.object == "list"
    assert first.has_next_page() is True


def test_next_page_sends_after_last_id(client: Client, rsps: responses.RequestsMock) -> None:
    add_page(rsps, {"limit": "2"}, page(["c1", "c2"], True))
    add_page(rsps, {"limit": "2", "after": "c2"}, page(["c3"], False))
    first = client.chat().completions().list().limit(2).send()
    second = first.next_page()
    assert [c.id for c in second.data] == ["c3"]
    assert rsps.calls[1].request.url == f"{CHAT_URL}?limit=2&after=c2"
    assert second.has_next_page() is False


def test_next_page_replaces_an_existing_after(client: Client, rsps: responses.RequestsMock) -> None:
    add_page(rsps, {"after": "c0"}, page(["c1", "c2"], True))
    add_page(rsps, {"after": "c2"}, page(["c3"], False))
    first = client.chat().completions().list().after("c0").send()
    first.next_page()
    assert rsps.calls[1].request.url == f"{CHAT_URL}?after=c2"


def test_next_page_prefers_server_last_id(client: Client, rsps: responses.RequestsMock) -> None:
    add_page(rsps, {}, page(["c1", "c2"], True, first_id="c1", last_id="c2"))
    add_page(rsps, {"after": "c2"}, page(["c3"], False))
    first = client.chat().completions().list().send()
    assert first.first_id == "c1"
    assert first.last_id == "c2"
    assert [c.id for c in first.next_page().data] == ["c3"]


def test_iteration_over_three_pages(client: Client, rsps: responses.RequestsMock) -> None:
    add_page(rsps, {"limit": "2", "order": "asc"}, page(["c1", "c2"], True))
    add_page(rsps, {"limit": "2", "order": "asc", "after": "c2"}, page(["c3", "c4"], True))
    add_page(rsps, {"limit": "2", "order": "asc", "after": "c4"}, page(["c5"], False))
    first = client.chat().completions().list().limit(2).order("asc").send()
    assert [c.id for c in first] == ["c1", "c2", "c3", "c4", "c5"]
    assert len(rsps.calls) == 3
    assert [len(p.data) for p in first.iter_pages()] == [2, 2, 1]
    assert len(rsps.calls) == 5  # iterating again fetches again; pages are values


def test_no_next_page_when_has_more_false(client: Client, rsps: responses.RequestsMock) -> None:
    add_page(rsps, {}, page(["c1", "c2"], False))
    only = client.chat().completions().list().send()
    assert only.has_next_page() is False
    assert [c.id for c in only] == ["c1", "c2"]
    with pytest.raises(StopIteration):
        only.next_page()
    assert len(rsps.calls) == 1


def test_no_next_page_when_data_empty(client: Client, rsps: responses.RequestsMock) -> None:
    add_page(rsps, {}, page([], True))
    empty = client.chat().completions().list().send()
    assert empty.data == []
    assert empty.has_next_page() is False
    assert list(empty) == []
    assert len(rsps.calls) == 1


def test_unpaginated_models_list(client: Client, rsps: responses.RequestsMock) -> None:
    rsps.add(
        "GET",
        MODELS_URL,
        json={
            "object": "list",
            "data": [
                {"id": "a", "object": "model", "created": 1, "owned_by": "x"},
                {"id": "b", "object": "model", "created": 2, "owned_by": "y"},
            ],
        },
    )
    models = client.models().list().send()
    assert [m.id for m in models.data] == ["a", "b"]
    assert models.has_more is None
    assert models.has_next_page() is False
    assert [m.id for m in models] == ["a", "b"]
    assert len(rsps.calls) == 1


def test_list_as_bare_array(client: Client, rsps: responses.RequestsMock) -> None:
    rsps.add("GET", MODELS_URL, json=[{"id": "a"}, {"id": "b"}])
    assert [m.id for m in client.models().list().send()] == ["a", "b"]


def test_per_call_authorization_header_wins_on_the_wire(
    client: Client, rsps: responses.RequestsMock
) -> None:
    rsps.add("GET", MODELS_URL, status=500)
    rsps.add("GET", MODELS_URL, json={"data": []})
    builder = client.models().list().header("authorization", "Bearer sk-tenant-2")
    assert builder.build().header("Authorization") == "Bearer sk-tenant-2"
    builder.send()
    sent = [call.request.headers["Authorization"] for call in rsps.calls]
    assert sent == ["Bearer sk-tenant-2", "Bearer sk-tenant-2"]
    client.models().list().send()
    assert rsps.calls[2].request.headers["Authorization"] == f"Bearer {SECRET}"


def test_built_request_sent_as_built(client: Client, rsps: responses.RequestsMock) -> None:
    rsps.add("POST", CHAT_URL, json=CHAT_OK)
    request = client.chat().completions().create().model("m").header("X-A", "1").build()
    response = client.send(request)
    assert response.json() == CHAT_OK
    sent = rsps.calls[0].request
    assert sent.body == request.content
    assert sent.url == request.url
    for name, value in request.headers:
        assert sent.headers[name] == value
