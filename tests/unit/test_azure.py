"""Azure OpenAI: URL routing per class of operation, credentials, api-version, environment."""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List

import pytest
import requests
import responses

from openai_core import Client, OpenAIError
from openai_core.lib.azure import AzureConfigError, realtime_url

ENDPOINT = "https://res.openai.azure.com"
VERSION = "2024-10-21"
Q = f"?api-version={VERSION}"
KEY = "azure-key-SECRET-0123456789"
ENV_VARS = (
    "AZURE_OPENAI_ENDPOINT",
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_AD_TOKEN",
    "OPENAI_API_VERSION",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_CUSTOM_HEADERS",
)
CHAT_OK: Dict[str, Any] = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}
    ],
}
LIST_OK: Dict[str, Any] = {"object": "list", "data": [], "has_more": False}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


def azure(**options: Any) -> Client:
    options.setdefault("azure_endpoint", ENDPOINT)
    options.setdefault("api_version", VERSION)
    if not any(k in options for k in ("api_key", "azure_ad_token", "azure_ad_token_provider")):
        options["api_key"] = KEY
    client = Client.azure(**options)
    client._sleep = lambda seconds: None
    return client


def header(call: Any, name: str) -> Any:
    return call.request.headers.get(name)


# -- routing, checked on the compiled request ------------------------------------------------

MODEL_SCOPED: List[Any] = [
    ("completions", lambda c: c.completions().create().model("dep").prompt("x")),
    ("chat/completions", lambda c: c.chat().completions().create().model("dep")),
    ("embeddings", lambda c: c.embeddings().create().model("dep").input("x")),
    (
        "audio/transcriptions",
        lambda c: c.audio().transcriptions().create().model("dep").file(("a.wav", b"RIFF")),
    ),
    (
        "audio/translations",
        lambda c: c.audio().translations().create().model("dep").file(("a.wav", b"RIFF")),
    ),
    ("audio/speech", lambda c: c.audio().speech().create().model("dep").input("x")),
    ("images/generations", lambda c: c.images().generate().model("dep").prompt("x")),
    (
        "images/edits",
        lambda c: c.images().edit().model("dep").prompt("x").image(("a.png", b"PNG")),
    ),
]


@pytest.mark.parametrize(("path", "make"), MODEL_SCOPED, ids=[p for p, _ in MODEL_SCOPED])
def test_model_scoped_operation_goes_to_the_models_deployment(
    path: str, make: Callable[[Client], Any]
) -> None:
    request = make(azure()).build()
    assert request.url == f"{ENDPOINT}/openai/deployments/dep/{path}{Q}"


@pytest.mark.parametrize(("path", "make"), MODEL_SCOPED, ids=[p for p, _ in MODEL_SCOPED])
def test_model_scoped_operation_goes_to_the_fixed_deployment(
    path: str, make: Callable[[Client], Any]
) -> None:
    request = make(azure(azure_deployment="fixed")).build()
    assert request.url == f"{ENDPOINT}/openai/deployments/fixed/{path}{Q}"


NOT_MODEL_SCOPED: List[Any] = [
    ("files", lambda c: c.files().list()),
    ("batches", lambda c: c.batches().list()),
    ("responses", lambda c: c.responses().create().model("dep").input_text("x")),
    ("models", lambda c: c.models().list()),
    ("chat/completions/cc_1", lambda c: c.chat().completions().retrieve("cc_1")),
]


@pytest.mark.parametrize("deployment", [None, "fixed"])
@pytest.mark.parametrize(("path", "make"), NOT_MODEL_SCOPED, ids=[p for p, _ in NOT_MODEL_SCOPED])
def test_other_operations_go_to_the_openai_root(
    path: str, make: Callable[[Client], Any], deployment: Any
) -> None:
    request = make(azure(azure_deployment=deployment)).build()
    assert request.url == f"{ENDPOINT}/openai/{path}{Q}"


def test_model_scoped_operation_without_a_model_goes_to_the_openai_root() -> None:
    request = azure().chat().completions().create().message_user("hi").build()
    assert request.url == f"{ENDPOINT}/openai/chat/completions{Q}"


def test_deployment_names_are_percent_encoded() -> None:
    request = azure().chat().completions().create().model("my dep/1").build()
    assert request.url == f"{ENDPOINT}/openai/deployments/my%20dep%2F1/chat/completions{Q}"


def test_trailing_slash_on_the_endpoint_is_ignored() -> None:
    client = azure(azure_endpoint=ENDPOINT + "/")
    assert client.files().list().build().url == f"{ENDPOINT}/openai/files{Q}"
    assert client.base_url == f"{ENDPOINT}/openai"


def test_base_url_names_the_fixed_deployment() -> None:
    assert azure(azure_deployment="d").base_url == f"{ENDPOINT}/openai/deployments/d"


def test_with_options_changes_the_deployment_and_the_base_url() -> None:
    client = azure(azure_deployment="d1").with_options(azure_deployment="d2")
    assert client.base_url == f"{ENDPOINT}/openai/deployments/d2"
    request = client.chat().completions().create().model("x").build()
    assert request.url == f"{ENDPOINT}/openai/deployments/d2/chat/completions{Q}"
    assert azure().with_options(timeout=5).base_url == f"{ENDPOINT}/openai"


def test_api_version_is_added_to_the_other_query_parameters() -> None:
    request = azure().files().list().limit(2).build()
    assert request.url == f"{ENDPOINT}/openai/files{Q}&limit=2"


def test_a_per_call_api_version_replaces_the_clients() -> None:
    request = azure().files().list().query("api-version", "preview").build()
    assert request.url == f"{ENDPOINT}/openai/files?api-version=preview"


# -- on the wire -----------------------------------------------------------------------------


@responses.activate
def test_chat_sends_api_key_header_and_no_authorization() -> None:
    url = f"{ENDPOINT}/openai/deployments/gpt-dep/chat/completions{Q}"
    responses.add(responses.POST, url, json=CHAT_OK)
    reply = azure().chat().completions().create().model("gpt-dep").message_user("hi").send()
    assert reply.choices[0].message.content == "hi"
    call = responses.calls[0]
    assert call.request.url == url
    assert header(call, "api-key") == KEY
    assert header(call, "Authorization") is None


@responses.activate
def test_fixed_deployment_chat_and_files_on_the_wire() -> None:
    chat_url = f"{ENDPOINT}/openai/deployments/fixed/chat/completions{Q}"
    files_url = f"{ENDPOINT}/openai/files{Q}"
    responses.add(responses.POST, chat_url, json=CHAT_OK)
    responses.add(responses.GET, files_url, json=LIST_OK)
    client = azure(azure_deployment="fixed")
    client.chat().completions().create().model("other").message_user("hi").send()
    client.files().list().send()
    assert [c.request.url for c in responses.calls] == [chat_url, files_url]
    assert all(header(c, "api-key") == KEY for c in responses.calls)


@responses.activate
def test_multipart_operation_routes_by_its_model_form_field() -> None:
    url = f"{ENDPOINT}/openai/deployments/whisper-dep/audio/transcriptions{Q}"
    responses.add(responses.POST, url, json={"text": "hello"})
    result = (
        azure()
        .audio()
        .transcriptions()
        .create()
        .model("whisper-dep")
        .file(("a.wav", b"RIFF...."))
        .send()
    )
    call = responses.calls[0]
    assert call.request.url == url
    assert header(call, "Content-Type").startswith("multipart/form-data; boundary=")
    assert b'name="model"\r\n\r\nwhisper-dep' in call.request.body
    assert header(call, "api-key") == KEY
    assert result is not None


@responses.activate
def test_stream_goes_to_the_deployment_with_event_stream_headers() -> None:
    url = f"{ENDPOINT}/openai/deployments/gpt-dep/chat/completions{Q}"
    chunk = {
        "id": "c",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "delta": {"content": "hi"}, "finish_reason": None}],
    }
    body = f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n"
    responses.add(responses.POST, url, body=body, content_type="text/event-stream")
    builder = azure().chat().completions().create().model("gpt-dep").message_user("hi")
    with builder.stream() as stream:
        texts = [c.choices[0].delta.content for c in stream]
    assert texts == ["hi"]
    call = responses.calls[0]
    assert call.request.url == url
    assert header(call, "Accept") == "text/event-stream"
    assert header(call, "api-key") == KEY
    assert json.loads(call.request.body)["stream"] is True


@responses.activate
def test_static_ad_token_is_a_bearer_header() -> None:
    url = f"{ENDPOINT}/openai/files{Q}"
    responses.add(responses.GET, url, json=LIST_OK)
    azure(azure_ad_token="ad-token").files().list().send()
    call = responses.calls[0]
    assert header(call, "Authorization") == "Bearer ad-token"
    assert header(call, "api-key") is None


@responses.activate
def test_token_provider_is_called_on_every_attempt_including_retries() -> None:
    url = f"{ENDPOINT}/openai/deployments/dep/chat/completions{Q}"
    responses.add(responses.POST, url, status=500, json={"error": {"message": "boom"}})
    responses.add(responses.POST, url, status=429, json={"error": {"message": "slow"}})
    responses.add(responses.POST, url, json=CHAT_OK)
    tokens = iter(["t1", "t2", "t3", "t4"])
    calls: List[str] = []

    def provider() -> str:
        calls.append("called")
        return next(tokens)

    client = azure(azure_ad_token_provider=provider)
    client.chat().completions().create().model("dep").message_user("hi").send()
    assert [header(c, "Authorization") for c in responses.calls] == [
        "Bearer t1",
        "Bearer t2",
        "Bearer t3",
    ]
    assert len(calls) == 3
    assert all(header(c, "api-key") is None for c in responses.calls)


@responses.activate
def test_api_key_callable_is_sent_as_api_key_per_attempt() -> None:
    url = f"{ENDPOINT}/openai/files{Q}"
    responses.add(responses.GET, url, status=503)
    responses.add(responses.GET, url, json=LIST_OK)
    keys = iter(["k1", "k2"])
    azure(api_key=lambda: next(keys)).files().list().send()
    assert [header(c, "api-key") for c in responses.calls] == ["k1", "k2"]


def test_token_provider_returning_nothing_is_a_clear_error() -> None:
    client = azure(azure_ad_token_provider=lambda: "")
    with pytest.raises(OpenAIError, match="azure_ad_token_provider"):
        client.files().list().build()


@responses.activate
def test_api_key_is_stripped_on_a_redirect_to_another_origin() -> None:
    first = f"{ENDPOINT}/openai/files{Q}"
    other = "https://elsewhere.example/files"
    responses.add(responses.GET, first, status=307, headers={"Location": other})
    responses.add(responses.GET, other, json=LIST_OK)
    azure().files().list().send()
    assert header(responses.calls[0], "api-key") == KEY
    assert responses.calls[1].request.url == other
    assert header(responses.calls[1], "api-key") is None


@responses.activate
def test_api_key_is_kept_on_a_redirect_within_the_origin() -> None:
    first = f"{ENDPOINT}/openai/files{Q}"
    second = f"{ENDPOINT}/openai/files-moved{Q}"
    responses.add(responses.GET, first, status=307, headers={"Location": second})
    responses.add(responses.GET, second, json=LIST_OK)
    azure().files().list().send()
    assert header(responses.calls[1], "api-key") == KEY


def test_to_curl_and_repr_redact_the_api_key() -> None:
    client = azure()
    request = client.files().list().build()
    assert KEY not in request.to_curl()
    assert KEY not in repr(request)
    assert KEY not in repr(client.config)


# -- configuration -----------------------------------------------------------------------------


def test_environment_configures_the_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", ENDPOINT)
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_API_VERSION", VERSION)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-ignored")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://ignored.test/v1")
    request = Client.azure().chat().completions().create().model("dep").build()
    assert request.url == f"{ENDPOINT}/openai/deployments/dep/chat/completions{Q}"
    assert request.header("api-key") == KEY
    assert request.header("Authorization") is None


def test_environment_ad_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", ENDPOINT)
    monkeypatch.setenv("AZURE_OPENAI_AD_TOKEN", "env-token")
    monkeypatch.setenv("OPENAI_API_VERSION", VERSION)
    request = Client.azure().files().list().build()
    assert request.header("Authorization") == "Bearer env-token"
    assert request.header("api-key") is None


def test_an_explicit_credential_wins_over_the_environments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "env-key")
    monkeypatch.setenv("AZURE_OPENAI_AD_TOKEN", "env-token")
    request = azure(azure_ad_token_provider=lambda: "mine").files().list().build()
    assert request.header("Authorization") == "Bearer mine"
    assert request.header("api-key") is None


def test_explicit_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://env.openai.azure.com")
    monkeypatch.setenv("OPENAI_API_VERSION", "env-version")
    request = azure().files().list().build()
    assert request.url == f"{ENDPOINT}/openai/files{Q}"


def test_plain_client_ignores_the_azure_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", ENDPOINT)
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_API_VERSION", VERSION)
    client = Client(api_key="sk-x")
    assert client.files().list().build().url == "https://api.openai.com/v1/files"


def test_builder_form() -> None:
    client = (
        Client.builder()
        .azure_endpoint(ENDPOINT)
        .azure_api_version(VERSION)
        .azure_deployment("fixed")
        .azure_ad_token_provider(lambda: "tok")
        .timeout(20)
        .build()
    )
    request = client.embeddings().create().model("x").input("a").build()
    assert request.url == f"{ENDPOINT}/openai/deployments/fixed/embeddings{Q}"
    assert request.header("Authorization") == "Bearer tok"
    assert client.config.timeout.read == 20


def test_builder_api_key_form() -> None:
    client = (
        Client.builder().azure_endpoint(ENDPOINT).azure_api_version(VERSION).azure_api_key(KEY)
    ).build()
    assert client.files().list().build().header("api-key") == KEY


def test_missing_credential_is_an_error() -> None:
    with pytest.raises(AzureConfigError, match="needs a credential") as info:
        Client.azure(azure_endpoint=ENDPOINT, api_version=VERSION)
    assert isinstance(info.value, OpenAIError)
    assert isinstance(info.value, ValueError)


def test_two_credentials_are_an_error() -> None:
    with pytest.raises(AzureConfigError, match="exactly one credential"):
        Client.azure(azure_endpoint=ENDPOINT, api_version=VERSION, api_key=KEY, azure_ad_token="t")


def test_token_and_token_provider_are_an_error() -> None:
    with pytest.raises(AzureConfigError, match="not both"):
        Client.azure(
            azure_endpoint=ENDPOINT,
            api_version=VERSION,
            azure_ad_token="t",
            azure_ad_token_provider=lambda: "t",
        )


def test_two_credentials_in_the_environment_are_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", KEY)
    monkeypatch.setenv("AZURE_OPENAI_AD_TOKEN", "t")
    with pytest.raises(AzureConfigError, match="exactly one credential"):
        Client.azure(azure_endpoint=ENDPOINT, api_version=VERSION)


def test_adding_a_second_credential_with_with_options_is_an_error() -> None:
    with pytest.raises(AzureConfigError, match="exactly one credential"):
        azure().with_options(azure_ad_token="t")


def test_missing_api_version_is_an_error() -> None:
    with pytest.raises(AzureConfigError, match="api_version"):
        Client.azure(azure_endpoint=ENDPOINT, api_key=KEY)


def test_missing_endpoint_is_an_error() -> None:
    with pytest.raises(AzureConfigError, match="AZURE_OPENAI_ENDPOINT"):
        Client.azure(api_version=VERSION, api_key=KEY)


def test_builder_refuses_base_url_in_azure_mode() -> None:
    builder = Client.builder().azure_endpoint(ENDPOINT).base_url("http://x/v1")
    with pytest.raises(ValueError, match="azure_endpoint"):
        builder.build()


# -- realtime ----------------------------------------------------------------------------------


def test_realtime_url_names_the_model_as_deployment() -> None:
    url = realtime_url(azure().config, "gpt-realtime")
    assert url == (
        f"wss://res.openai.azure.com/openai/realtime?api-version={VERSION}&deployment=gpt-realtime"
    )


def test_realtime_url_prefers_the_fixed_deployment() -> None:
    url = realtime_url(azure(azure_deployment="rt").config, "other")
    assert url.endswith("&deployment=rt")


def test_realtime_url_needs_an_azure_config_and_a_deployment() -> None:
    with pytest.raises(AzureConfigError):
        realtime_url(Client(api_key="sk").config, "m")
    with pytest.raises(AzureConfigError, match="deployment"):
        realtime_url(azure().config)


def test_session_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    session = requests.Session()
    client = Client.azure(
        azure_endpoint=ENDPOINT, api_version=VERSION, api_key=KEY, session=session
    )
    assert client._transport.session is session
