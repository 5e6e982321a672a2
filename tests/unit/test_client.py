"""Client: configuration, request compilation on the wire, lifecycle, threads, fork, redaction."""

from __future__ import annotations

import http.server
import json
import logging
import os
import threading
import time
from typing import Any, Dict, Iterator, List, Optional, Tuple

import attrs
import pytest
import requests
import responses

from openai_core import (
    APIConnectionError,
    Client,
    ClientConfig,
    OpenAIError,
    Timeout,
    __version__,
)
from openai_core import _logging as core_logging

BASE = "http://api.test/v1"
MODELS_URL = f"{BASE}/models"
CHAT_URL = f"{BASE}/chat/completions"
SECRET = "sk-proj-SECRET-do-not-leak-1234567890"

MODELS_OK: Dict[str, Any] = {
    "object": "list",
    "data": [{"id": "m", "object": "model", "created": 1, "owned_by": "me"}],
}
CHAT_OK: Dict[str, Any] = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}
    ],
}
ENV_VARS = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "OPENAI_CUSTOM_HEADERS",
    "OPENAI_LOG",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def restore_logger() -> Iterator[None]:
    """OPENAI_LOG changes the process-wide logger; put it back after each test."""
    log = logging.getLogger("openai_core")
    saved = (log.level, list(log.handlers), log.disabled, core_logging._configured)
    yield
    log.setLevel(saved[0])
    log.handlers[:] = saved[1]
    log.disabled = saved[2]
    core_logging._configured = saved[3]


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def header_count(headers: Any, name: str) -> int:
    return sum(1 for key, _ in headers if key.lower() == name.lower())


# -- environment ----------------------------------------------------------------------------------


def test_env_api_key_and_base_url(
    monkeypatch: pytest.MonkeyPatch, rsps: responses.RequestsMock
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://env.test:8080/v1")
    client = Client()
    assert client.base_url == "http://env.test:8080/v1"
    rsps.add("GET", "http://env.test:8080/v1/models", json=MODELS_OK)
    client.models().list().send()
    assert rsps.calls[0].request.headers["Authorization"] == "Bearer sk-from-env"


def test_explicit_arguments_win_over_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://env.test/v1")
    monkeypatch.setenv("OPENAI_ORG_ID", "org-env")
    client = Client(api_key="sk-arg", base_url="http://arg.test/v1", organization="org-arg")
    request = client.models().list().build()
    assert request.url == "http://arg.test/v1/models"
    assert request.header("Authorization") == "Bearer sk-arg"
    assert request.header("OpenAI-Organization") == "org-arg"


def test_default_base_url_is_openai(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-x")
    client = Client()
    assert client.base_url == "https://api.openai.com/v1"
    assert client.models().list().build().url == "https://api.openai.com/v1/models"


def test_org_and_project_headers_when_set(
    monkeypatch: pytest.MonkeyPatch, rsps: responses.RequestsMock
) -> None:
    monkeypatch.setenv("OPENAI_ORG_ID", "org-123")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj_456")
    client = Client(base_url=BASE)
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    client.models().list().send()
    sent = rsps.calls[0].request.headers
    assert sent["OpenAI-Organization"] == "org-123"
    assert sent["OpenAI-Project"] == "proj_456"


def test_org_and_project_headers_absent_when_unset(rsps: responses.RequestsMock) -> None:
    client = Client(base_url=BASE)
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    client.models().list().send()
    sent = rsps.calls[0].request.headers
    assert "OpenAI-Organization" not in sent
    assert "OpenAI-Project" not in sent


def test_org_and_project_headers_absent_when_env_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_ORG_ID", "")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "")
    request = Client(base_url=BASE).models().list().build()
    assert request.header("OpenAI-Organization") is None
    assert request.header("OpenAI-Project") is None


def test_org_and_project_from_arguments() -> None:
    request = Client(base_url=BASE, organization="o", project="p").models().list().build()
    assert request.header("OpenAI-Organization") == "o"
    assert request.header("OpenAI-Project") == "p"


def test_custom_headers_from_env(
    monkeypatch: pytest.MonkeyPatch, rsps: responses.RequestsMock
) -> None:
    monkeypatch.setenv(
        "OPENAI_CUSTOM_HEADERS", "X-Team: search\n\nX-Upstream: http://a.test:81/x\r\n"
    )
    client = Client(base_url=BASE)
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    client.models().list().send()
    sent = rsps.calls[0].request.headers
    assert sent["X-Team"] == "search"
    assert sent["X-Upstream"] == "http://a.test:81/x"


def test_explicit_headers_win_over_custom_headers_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_CUSTOM_HEADERS", "X-Team: from-env\nX-Other: kept")
    client = Client(base_url=BASE, default_headers={"x-team": "explicit"})
    request = client.models().list().build()
    assert request.header("X-Team") == "explicit"
    assert header_count(request.headers, "x-team") == 1
    assert request.header("X-Other") == "kept"


def test_malformed_custom_headers_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_CUSTOM_HEADERS", "X-Good: 1\nnot a header line")
    with pytest.raises(ValueError, match="OPENAI_CUSTOM_HEADERS"):
        Client(base_url=BASE)


@pytest.mark.parametrize(
    ("value", "level"),
    [
        ("debug", logging.DEBUG),
        ("info", logging.INFO),
        ("warn", logging.WARNING),
        ("error", logging.ERROR),
        ("DEBUG", logging.DEBUG),
        (" info ", logging.INFO),
    ],
)
def test_openai_log_levels(monkeypatch: pytest.MonkeyPatch, value: str, level: int) -> None:
    monkeypatch.setenv("OPENAI_LOG", value)
    Client(base_url=BASE)
    log = logging.getLogger("openai_core")
    assert log.level == level
    assert log.isEnabledFor(level)
    assert not log.isEnabledFor(level - 1)
    assert any(isinstance(h, logging.StreamHandler) for h in log.handlers)


def test_openai_log_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_LOG", "off")
    Client(base_url=BASE)
    log = logging.getLogger("openai_core")
    assert not log.isEnabledFor(logging.CRITICAL)


def test_openai_log_handler_attached_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_LOG", "info")
    log = logging.getLogger("openai_core")
    before = len(log.handlers)
    Client(base_url=BASE)
    Client(base_url=BASE)
    assert len(log.handlers) <= before + 1


def test_openai_log_invalid_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_LOG", "verbose")
    with pytest.raises(ValueError, match="OPENAI_LOG") as info:
        Client(base_url=BASE)
    assert "verbose" in str(info.value)
    assert "debug" in str(info.value)


# -- keys -----------------------------------------------------------------------------------------


def test_keyless_local_server_sends_no_authorization(rsps: responses.RequestsMock) -> None:
    client = Client(base_url="http://127.0.0.1:8080/v1")
    assert client.models().list().build().header("Authorization") is None
    rsps.add("GET", "http://127.0.0.1:8080/v1/models", json=MODELS_OK)
    client.models().list().send()
    assert "Authorization" not in rsps.calls[0].request.headers


@pytest.mark.parametrize(
    "base_url", [None, "https://api.openai.com/v1", "https://api.openai.com/v1/"]
)
def test_missing_key_for_openai_raises(base_url: Optional[str]) -> None:
    with pytest.raises(OpenAIError, match="OPENAI_API_KEY"):
        Client(base_url=base_url)


def test_missing_key_for_openai_from_env_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "https://api.openai.com/v1")
    with pytest.raises(OpenAIError):
        Client()


# -- builder and with_options -----------------------------------------------------------------


def test_builder_equals_keyword_constructor() -> None:
    built = (
        Client.builder()
        .api_key("sk-b")
        .base_url("http://h.test/v1")
        .organization("org")
        .project("proj")
        .timeout(20)
        .max_retries(0)
        .default_header("X-A", "1")
        .default_query("api-version", "2024-10-21")
        .pool_maxsize(4)
        .idempotency_keys(False)
        .strict()
        .build()
    )
    direct = Client(
        api_key="sk-b",
        base_url="http://h.test/v1",
        organization="org",
        project="proj",
        timeout=20,
        max_retries=0,
        default_headers={"X-A": "1"},
        default_query={"api-version": "2024-10-21"},
        pool_maxsize=4,
        idempotency_keys=False,
        strict=True,
    )
    assert built.config == direct.config
    assert built.config.timeout == Timeout(connect=5.0, read=20.0)
    assert built.config.max_retries == 0
    assert built.config.strict is True


def test_builder_defaults_equal_constructor_defaults() -> None:
    built = Client.builder().base_url(BASE).build()
    assert built.config == Client(base_url=BASE).config
    assert built.config == ClientConfig(base_url=BASE)


def test_client_builder_is_immutable() -> None:
    base = Client.builder().base_url(BASE)
    fewer = base.max_retries(0)
    assert base.build().config.max_retries == 2
    assert fewer.build().config.max_retries == 0


def test_with_options_shares_transport_and_changes_only_what_it_says() -> None:
    client = Client(api_key="sk-a", base_url=BASE, default_headers={"X-A": "1"})
    session = client._transport.session
    copy = client.with_options(max_retries=7, default_headers={"X-B": "2"})
    assert copy._transport is client._transport
    assert copy._transport.session is session
    assert copy.config == attrs.evolve(
        client.config, max_retries=7, default_headers=(("X-A", "1"), ("X-B", "2"))
    )
    assert client.config.max_retries == 2  # the original is unchanged
    assert client.config.default_headers == (("X-A", "1"),)
    request = copy.models().list().build()
    assert request.header("X-A") == "1"
    assert request.header("X-B") == "2"
    assert request.max_retries == 7
    assert client.models().list().build().header("X-B") is None


def test_with_options_timeout_and_key() -> None:
    client = Client(api_key="sk-a", base_url=BASE)
    copy = client.with_options(timeout=3, api_key="sk-b")
    assert copy.config.timeout == Timeout(connect=3.0, read=3.0)
    assert copy.models().list().build().header("Authorization") == "Bearer sk-b"
    assert client.models().list().build().header("Authorization") == "Bearer sk-a"
    assert client.config.timeout == Timeout()


def test_with_options_rejects_session_and_pool_size() -> None:
    client = Client(base_url=BASE)
    with pytest.raises(TypeError, match="session"):
        client.with_options(session=requests.Session())
    with pytest.raises(TypeError, match="pool_maxsize"):
        client.with_options(pool_maxsize=3)


def test_with_options_sends_through_the_same_session(rsps: responses.RequestsMock) -> None:
    client = Client(base_url=BASE)
    copy = client.with_options(default_headers={"X-Copy": "yes"})
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    client.models().list().send()
    copy.models().list().send()
    assert "X-Copy" not in rsps.calls[0].request.headers
    assert rsps.calls[1].request.headers["X-Copy"] == "yes"


# -- lifecycle ----------------------------------------------------------------------------------


def test_close_closes_session_and_later_sends_fail(
    monkeypatch: pytest.MonkeyPatch, rsps: responses.RequestsMock
) -> None:
    client = Client(base_url=BASE, max_retries=0)
    closed: List[bool] = []
    monkeypatch.setattr(client._transport.session, "close", lambda: closed.append(True))
    client.close()
    assert closed == [True]
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    with pytest.raises(APIConnectionError, match="closed"):
        client.models().list().send()
    assert len(rsps.calls) == 0


def test_closed_client_fails_at_once_without_retrying(rsps: responses.RequestsMock) -> None:
    client = Client(base_url=BASE, max_retries=3)
    sleeps: List[float] = []
    client._sleep = sleeps.append
    client.close()
    with pytest.raises(APIConnectionError, match="closed"):
        client.models().list().send()
    assert sleeps == []
    assert len(rsps.calls) == 0


def test_context_manager_closes(rsps: responses.RequestsMock) -> None:
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    with Client(base_url=BASE, max_retries=0) as client:
        assert isinstance(client, Client)
        client.models().list().send()
    with pytest.raises(APIConnectionError):
        client.models().list().send()
    assert len(rsps.calls) == 1


def test_context_manager_closes_on_exception() -> None:
    client = Client(base_url=BASE, max_retries=0)
    with pytest.raises(RuntimeError), client:
        raise RuntimeError("boom")
    with pytest.raises(APIConnectionError):
        client.models().list().send()


# -- URLs -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("http://h.test/v1", "http://h.test/v1/models"),
        ("http://h.test/v1/", "http://h.test/v1/models"),
        ("http://h.test/v1//", "http://h.test/v1/models"),
        ("http://h.test", "http://h.test/models"),
        ("http://h.test/", "http://h.test/models"),
        ("http://h.test:8080/openai/v1beta/", "http://h.test:8080/openai/v1beta/models"),
    ],
)
def test_base_url_joining(rsps: responses.RequestsMock, base_url: str, expected: str) -> None:
    client = Client(base_url=base_url)
    url = client.models().list().build().url
    assert url == expected
    assert "//" not in url.split("://", 1)[1]
    rsps.add("GET", expected, json=MODELS_OK)
    client.models().list().send()
    assert rsps.calls[0].request.url == expected


@pytest.mark.parametrize("path", ["models", "/models"])
@pytest.mark.parametrize("base_url", ["http://h.test/v1", "http://h.test/v1/"])
def test_compile_path_with_or_without_slash(base_url: str, path: str) -> None:
    request = Client(base_url=base_url)._compile("GET", path, body=None)
    assert request.url == "http://h.test/v1/models"


def test_default_query_joined_with_request_query() -> None:
    client = Client(base_url=BASE, default_query={"api-version": "2024-10-21"})
    url = client.models().list().query("limit", 2).build().url
    assert url == f"{BASE}/models?api-version=2024-10-21&limit=2"


def test_query_arrays_use_brackets(rsps: responses.RequestsMock) -> None:
    client = Client(base_url=BASE)
    builder = client.responses().retrieve("resp_1").include(["a", "b"])
    expected = f"{BASE}/responses/resp_1?include[]=a&include[]=b"
    assert builder.build().url == expected
    rsps.add("GET", f"{BASE}/responses/resp_1", json={"id": "resp_1", "object": "response"})
    builder.send_raw()
    assert rsps.calls[0].request.url == expected


def test_query_values_are_percent_encoded() -> None:
    client = Client(base_url=BASE)
    url = client.models().list().query("q", "a&b=c d").query("tags", ["x/y", "z"]).build().url
    assert url == f"{BASE}/models?q=a%26b%3Dc%20d&tags[]=x%2Fy&tags[]=z"


def test_query_booleans_and_none() -> None:
    client = Client(base_url=BASE)
    url = client.models().list().query("a", True).query("b", False).query("c", None).build().url
    assert url == f"{BASE}/models?a=true&b=false"


@pytest.mark.parametrize(
    ("model_id", "segment"),
    [
        ("gpt-4o", "gpt-4o"),
        ("ft:gpt-4o:org:custom:abc", "ft%3Agpt-4o%3Aorg%3Acustom%3Aabc"),
        ("a/b", "a%2Fb"),
        ("../admin", "..%2Fadmin"),
        ("x y?z#w", "x%20y%3Fz%23w"),
        ("modèle", "mod%C3%A8le"),
    ],
)
def test_path_params_percent_encoded(model_id: str, segment: str) -> None:
    url = Client(base_url=BASE).models().retrieve(model_id).build().url
    assert url == f"{BASE}/models/{segment}"


def test_path_param_sent_encoded_on_the_wire(rsps: responses.RequestsMock) -> None:
    rsps.add("DELETE", f"{BASE}/models/ft%3Ax%2Fy", json={"id": "ft:x/y", "deleted": True})
    Client(base_url=BASE).models().delete("ft:x/y").send()
    assert rsps.calls[0].request.url == f"{BASE}/models/ft%3Ax%2Fy"


def test_empty_path_param_is_value_error_naming_it() -> None:
    client = Client(base_url=BASE)
    with pytest.raises(ValueError, match="'model'"):
        client.models().retrieve("")
    with pytest.raises(ValueError, match="'completion_id'"):
        client.chat().completions().retrieve("")
    with pytest.raises(ValueError, match="'response_id'"):
        client.responses().retrieve("")


# -- bodies and headers -----------------------------------------------------------------------


def test_json_body_is_compact_utf8(rsps: responses.RequestsMock) -> None:
    client = Client(base_url=BASE)
    text = 'héllo ☃ 日本 \U0001f600 "quoted"'
    builder = client.chat().completions().create().model("m").message_user(text)
    expected = json.dumps(
        {"model": "m", "messages": [{"role": "user", "content": text}]},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    assert builder.build().content == expected
    assert b"\\u" not in expected
    assert b": " not in expected and b", " not in expected
    rsps.add("POST", CHAT_URL, json=CHAT_OK)
    builder.send()
    assert rsps.calls[0].request.body == expected
    assert rsps.calls[0].request.headers["Content-Type"] == "application/json"
    assert rsps.calls[0].request.headers["Content-Length"] == str(len(expected))


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_nan_refused_client_side(rsps: responses.RequestsMock, bad: float) -> None:
    client = Client(base_url=BASE)
    builder = client.chat().completions().create().model("m").temperature(bad)
    with pytest.raises(ValueError, match="NaN or Infinity"):
        builder.build()
    with pytest.raises(ValueError, match="NaN or Infinity"):
        builder.send()
    nested = client.chat().completions().create().extra_body({"x": {"y": [1.0, bad]}})
    with pytest.raises(ValueError, match="NaN or Infinity"):
        nested.send()
    assert len(rsps.calls) == 0


def test_get_has_no_content_type(rsps: responses.RequestsMock) -> None:
    client = Client(base_url=BASE)
    request = client.models().list().build()
    assert request.header("Content-Type") is None
    assert request.content is None
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    client.models().list().send()
    sent = rsps.calls[0].request
    assert "Content-Type" not in sent.headers
    assert sent.body is None


def test_delete_has_no_content_type() -> None:
    request = Client(base_url=BASE).models().delete("m").build()
    assert request.method == "DELETE"
    assert request.header("Content-Type") is None


def test_every_request_accepts_json(rsps: responses.RequestsMock) -> None:
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    rsps.add("POST", CHAT_URL, json=CHAT_OK)
    client = Client(base_url=BASE)
    client.models().list().send()
    client.chat().completions().create().model("m").send()
    for call in rsps.calls:
        assert call.request.headers["Accept"] == "application/json"
        assert "Cache-Control" not in call.request.headers


def test_streaming_request_headers(rsps: responses.RequestsMock) -> None:
    rsps.add(
        "POST",
        CHAT_URL,
        body=b'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",'
        b'"choices":[]}\n\ndata: [DONE]\n\n',
        content_type="text/event-stream",
    )
    client = Client(base_url=BASE)
    with client.chat().completions().create().model("m").message_user("x").stream() as stream:
        list(stream)
    sent = rsps.calls[0].request
    assert sent.headers["Accept"] == "text/event-stream"
    assert sent.headers["Cache-Control"] == "no-cache"
    assert sent.headers["Content-Type"] == "application/json"
    assert json.loads(sent.body)["stream"] is True


def test_user_agent_names_sdk_and_version(rsps: responses.RequestsMock) -> None:
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    Client(base_url=BASE).models().list().send()
    agent = rsps.calls[0].request.headers["User-Agent"]
    assert "openai-core" in agent
    assert __version__ in agent
    assert agent == f"openai-core-python/{__version__}"


def test_requests_default_user_agent_not_sent(rsps: responses.RequestsMock) -> None:
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    Client(base_url=BASE).models().list().send()
    assert "python-requests" not in rsps.calls[0].request.headers["User-Agent"]


# -- redirects ------------------------------------------------------------------------------------


def test_redirect_to_other_origin_strips_authorization(rsps: responses.RequestsMock) -> None:
    rsps.add("GET", MODELS_URL, status=302, headers={"Location": "http://other.test/v1/models"})
    rsps.add("GET", "http://other.test/v1/models", json=MODELS_OK)
    client = Client(api_key=SECRET, base_url=BASE, max_retries=0)
    page = client.models().list().header("api-key", SECRET).send()
    assert page.data[0].id == "m"
    first, second = rsps.calls[0].request, rsps.calls[1].request
    assert first.headers["Authorization"] == f"Bearer {SECRET}"
    assert second.url == "http://other.test/v1/models"
    assert "Authorization" not in second.headers
    assert "api-key" not in second.headers
    assert second.headers["User-Agent"] == f"openai-core-python/{__version__}"


@pytest.mark.parametrize(
    "location",
    ["http://api.test:8081/v1/models", "https://api.test/v1/models"],
    ids=["other-port", "other-scheme"],
)
def test_redirect_to_other_port_or_scheme_strips_authorization(
    rsps: responses.RequestsMock, location: str
) -> None:
    rsps.add("GET", MODELS_URL, status=307, headers={"Location": location})
    rsps.add("GET", location, json=MODELS_OK)
    Client(api_key=SECRET, base_url=BASE, max_retries=0).models().list().send()
    assert "Authorization" not in rsps.calls[1].request.headers


def test_redirect_to_same_origin_keeps_authorization(rsps: responses.RequestsMock) -> None:
    rsps.add("GET", MODELS_URL, status=301, headers={"Location": "/v2/models"})
    rsps.add("GET", "http://api.test/v2/models", json=MODELS_OK)
    Client(api_key=SECRET, base_url=BASE, max_retries=0).models().list().send()
    assert rsps.calls[1].request.url == "http://api.test/v2/models"
    assert rsps.calls[1].request.headers["Authorization"] == f"Bearer {SECRET}"


# -- redaction and logging -------------------------------------------------------------------------


def assert_no_secret(records: List[logging.LogRecord]) -> None:
    for record in records:
        assert SECRET not in record.getMessage()
        assert SECRET not in repr(record.args)
        assert SECRET not in repr(record.msg)


def test_key_never_logged_at_debug(
    caplog: pytest.LogCaptureFixture, rsps: responses.RequestsMock
) -> None:
    caplog.set_level(logging.DEBUG, logger="openai_core")
    client = Client(api_key=SECRET, base_url=BASE, max_retries=2)
    client._sleep = lambda seconds: None
    rsps.add("POST", CHAT_URL, status=500, json={"error": {"message": "down"}})
    rsps.add("POST", CHAT_URL, status=307, headers={"Location": "http://other.test/chat"})
    rsps.add("POST", "http://other.test/chat", json=CHAT_OK)
    client.chat().completions().create().model("m").message_user("hi").send()
    rsps.add("GET", MODELS_URL, status=401, json={"error": {"message": "Incorrect API key"}})
    with pytest.raises(OpenAIError):
        client.models().list().send()
    records = [r for r in caplog.records if r.name.startswith("openai_core")]
    assert any(r.levelno == logging.DEBUG for r in records)
    assert any("<redacted>" in r.getMessage() for r in records)
    assert_no_secret(caplog.records)
    assert SECRET not in caplog.text


def test_callable_key_never_logged(
    caplog: pytest.LogCaptureFixture, rsps: responses.RequestsMock
) -> None:
    caplog.set_level(logging.DEBUG, logger="openai_core")
    client = Client(api_key=lambda: SECRET, base_url=BASE, max_retries=0)
    rsps.add("GET", MODELS_URL, json=MODELS_OK)
    client.models().list().send()
    assert rsps.calls[0].request.headers["Authorization"] == f"Bearer {SECRET}"
    assert caplog.records
    assert_no_secret(caplog.records)


def test_key_never_in_to_curl_or_reprs() -> None:
    client = Client(api_key=SECRET, base_url=BASE, default_headers={"api-key": SECRET})
    builder = client.chat().completions().create().model("m").message_user("hi")
    request = builder.build()
    assert request.header("Authorization") == f"Bearer {SECRET}"  # the real value is there
    curl = builder.to_curl()
    assert SECRET not in curl
    assert "Bearer <redacted>" in curl
    assert SECRET not in request.to_curl()
    assert SECRET not in repr(request)
    assert SECRET not in str(request)
    assert SECRET not in repr(client.config)
    assert SECRET not in str(client.config)
    assert SECRET not in repr(client)
    assert SECRET not in repr(builder)


def test_callable_key_repr() -> None:
    client = Client(api_key=lambda: SECRET, base_url=BASE)
    assert SECRET not in repr(client.config)


# -- local server: threads and fork --------------------------------------------------------------


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.hits = 0
        self.client_ports: List[int] = []


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.hits += 1
            self.server.client_ports.append(self.client_address[1])
        body = json.dumps(MODELS_OK).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Tuple[_Server, str]]:
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    host, port = srv.server_address[:2]
    try:
        yield srv, f"http://{host}:{port}/v1"
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)


@pytest.mark.timeout(60)
def test_thread_safety_shared_client(server: Tuple[_Server, str]) -> None:
    srv, base_url = server
    client = Client(base_url=base_url, timeout=10, max_retries=0, pool_maxsize=8)
    errors: List[BaseException] = []
    results: List[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8, timeout=10)

    def work() -> None:
        try:
            barrier.wait()
            for _ in range(50):
                page = client.models().list().send()
                with lock:
                    results.append(page.data[0].id)
        except BaseException as exc:
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(50)
    try:
        assert not any(t.is_alive() for t in threads)
        assert errors == []
        assert results == ["m"] * 400
        assert srv.hits == 400
    finally:
        client.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is not available")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.timeout(60)
def test_fork_safety(server: Tuple[_Server, str]) -> None:
    srv, base_url = server
    client = Client(base_url=base_url, timeout=5, max_retries=0)
    client.models().list().send()  # the parent now holds a pooled connection
    parent_session = client._transport.session
    parent_port = srv.client_ports[-1]

    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 1
        try:
            child_session = client._transport.session
            if child_session is parent_session:
                code = 2
            elif not isinstance(child_session, requests.Session):
                code = 3
            else:
                page = client.models().list().send()
                code = 0 if page.data[0].id == "m" else 4
                if client._transport.session is not child_session:
                    code = 5
        except BaseException:
            code = 6
        finally:
            os._exit(code)

    deadline = time.monotonic() + 30
    status: Optional[int] = None
    while time.monotonic() < deadline:
        done, raw = os.waitpid(pid, os.WNOHANG)
        if done:
            status = raw
            break
        time.sleep(0.02)
    if status is None:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        pytest.fail("the forked child did not finish in 30 s")
    assert os.WIFEXITED(status)
    assert os.WEXITSTATUS(status) == 0, f"child failed with code {os.WEXITSTATUS(status)}"

    # The parent keeps its own session and its connection, and keeps working.
    assert client._transport.session is parent_session
    assert client.models().list().send().data[0].id == "m"
    assert srv.hits == 3
    child_port = srv.client_ports[1]
    assert child_port != parent_port  # the child opened a fresh connection
    assert srv.client_ports[2] == parent_port  # the parent reused its own
    client.close()
