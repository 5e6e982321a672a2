"""Provider profiles: base URLs, keys from the environment, capability errors (C40) and every
request quirk (C14, C34, C35, C36, C39), checked on the exact body sent."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator, List

import attrs
import pytest
import responses

import openai_core
from openai_core import (
    PROVIDERS,
    Client,
    OpenAIError,
    ProviderProfile,
    UnsupportedCapabilityError,
    get_provider,
)

pytestmark = pytest.mark.timeout(30)

EXPECTED_PROVIDERS = (
    "openai", "azure", "ollama", "vllm", "llamacpp", "llama-cpp-python", "lmstudio", "litellm",
    "deepseek", "groq", "openrouter", "together", "mistral", "xai", "gemini", "zhipu", "minimax",
    "zenmux", "custom",
)  # fmt: skip

COMPLETION = {
    "id": "c1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}
    ],
}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for profile in PROVIDERS.values():
        if profile.api_key_env:
            monkeypatch.delenv(profile.api_key_env, raising=False)
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock() as mock:
        yield mock


def client_for(name: str, **options: Any) -> Client:
    options.setdefault("api_key", "k")
    options.setdefault("max_retries", 0)
    return Client.for_provider(name, **options)


def sent_chat(name: str, **fields: Any) -> Dict[str, Any]:
    """The body ``name``'s profile compiles for a chat request with ``fields``."""
    builder = client_for(name).chat().completions().create().model(fields.pop("model", "m"))
    body = builder.extra_body(fields).build().json_data
    assert isinstance(body, dict)
    return body


# --- the table ----------------------------------------------------------------------------------


def test_every_required_provider_has_a_profile() -> None:
    assert tuple(PROVIDERS) == EXPECTED_PROVIDERS
    for name, profile in PROVIDERS.items():
        assert profile.name == name and profile.label
        assert profile.auth in ("bearer", "api-key", "none")


@pytest.mark.parametrize(
    ("name", "base_url"),
    [
        ("openai", "https://api.openai.com/v1"),
        ("ollama", "http://localhost:11434/v1"),
        ("vllm", "http://localhost:8000/v1"),
        ("llamacpp", "http://127.0.0.1:8080/v1"),
        ("llama-cpp-python", "http://127.0.0.1:8000/v1"),
        ("lmstudio", "http://localhost:1234/v1"),
        ("litellm", "http://localhost:4000/v1"),
        ("deepseek", "https://api.deepseek.com/v1"),
        ("groq", "https://api.groq.com/openai/v1"),
        ("openrouter", "https://openrouter.ai/api/v1"),
        ("together", "https://api.together.xyz/v1"),
        ("mistral", "https://api.mistral.ai/v1"),
        ("xai", "https://api.x.ai/v1"),
        ("gemini", "https://generativelanguage.googleapis.com/v1beta/openai/"),
        ("zhipu", "https://open.bigmodel.cn/api/paas/v4"),
        ("minimax", "https://api.minimax.io/v1"),
        ("zenmux", "https://zenmux.ai/api/v1"),
    ],
)
def test_default_base_url(name: str, base_url: str) -> None:
    client = client_for(name)
    assert client.base_url == base_url
    assert client.config.provider_profile is PROVIDERS[name]


def test_c39_gemini_url_shape() -> None:
    request = client_for("gemini").chat().completions().create().model("gemini-2.5-flash").build()
    expected = "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions"
    assert request.url == expected


def test_c39_bare_origin_gets_the_provider_path() -> None:
    assert client_for("ollama", base_url="http://gpu:11434").base_url == "http://gpu:11434/v1"
    assert client_for("zhipu", base_url="https://proxy.example/").base_url == (
        "https://proxy.example/api/paas/v4"
    )
    kept = client_for("vllm", base_url="http://gpu:8000/openai/v1")
    assert kept.base_url == "http://gpu:8000/openai/v1"


def test_names_are_case_insensitive_with_aliases() -> None:
    assert get_provider("Groq") is PROVIDERS["groq"]
    assert get_provider("llama-server") is PROVIDERS["llamacpp"]
    assert get_provider("llama_cpp_python") is PROVIDERS["llama-cpp-python"]


def test_unknown_provider_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown provider 'nope'.*groq"):
        Client.for_provider("nope")


def test_profiles_are_exported_lazily() -> None:
    assert openai_core.ProviderProfile is ProviderProfile
    assert issubclass(UnsupportedCapabilityError, OpenAIError)
    assert issubclass(UnsupportedCapabilityError, ValueError)


# --- keys and auth ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "env"),
    [
        ("groq", "GROQ_API_KEY"),
        ("deepseek", "DEEPSEEK_API_KEY"),
        ("openrouter", "OPENROUTER_API_KEY"),
        ("together", "TOGETHER_API_KEY"),
        ("mistral", "MISTRAL_API_KEY"),
        ("xai", "XAI_API_KEY"),
        ("gemini", "GEMINI_API_KEY"),
        ("zhipu", "ZHIPUAI_API_KEY"),
        ("minimax", "MINIMAX_API_KEY"),
        ("zenmux", "ZENMUX_API_KEY"),
        ("vllm", "VLLM_API_KEY"),
        ("llamacpp", "LLAMA_API_KEY"),
        ("litellm", "LITELLM_API_KEY"),
        ("openai", "OPENAI_API_KEY"),
    ],
)
def test_key_from_the_profile_env_var(name: str, env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(env, "sk-from-env")
    request = Client.for_provider(name).models().list().build()
    assert dict(request.headers)["Authorization"] == "Bearer sk-from-env"


def test_explicit_key_wins_over_the_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "sk-env")
    request = Client.for_provider("groq", api_key="sk-arg").models().list().build()
    assert dict(request.headers)["Authorization"] == "Bearer sk-arg"


def test_cloud_provider_without_a_key_names_the_env_var() -> None:
    with pytest.raises(OpenAIError, match=r"No API key for Groq.*GROQ_API_KEY"):
        Client.for_provider("groq")


def test_openai_key_and_url_are_never_sent_to_another_provider(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-secret")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://elsewhere.test/v1")
    client = Client.for_provider("ollama")
    request = client.models().list().build()
    assert request.url == "http://localhost:11434/v1/models"
    assert "Authorization" not in dict(request.headers)


def test_custom_reads_the_openai_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-custom")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://my-server.test/v1")
    request = Client.for_provider("custom").models().list().build()
    assert request.url == "http://my-server.test/v1/models"
    assert dict(request.headers)["Authorization"] == "Bearer sk-custom"


def test_custom_without_a_base_url_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="'custom' provider profile has no default base URL"):
        Client.for_provider("custom")


def test_local_server_needs_no_key() -> None:
    request = Client.for_provider("llama-cpp-python").models().list().build()
    assert "Authorization" not in dict(request.headers)


def test_builder_provider_and_options() -> None:
    client = Client.builder().provider("groq").api_key("k").timeout(7).max_retries(1).build()
    assert client.config.provider_profile is PROVIDERS["groq"]
    assert client.config.timeout.read == 7 and client.config.max_retries == 1
    assert repr(client.config).count("'groq'") == 1


def test_default_client_has_no_profile() -> None:
    client = Client(api_key="k", base_url="http://api.test/v1")
    assert client.config.provider_profile is None
    body = client.chat().completions().create().model("m").store(True).build().json_data
    assert body == {"model": "m", "store": True}


def test_a_profile_object_can_be_passed_and_evolved() -> None:
    mine = get_provider("ollama").evolve(responses_api=False)
    client = Client.for_provider(mine)
    with pytest.raises(UnsupportedCapabilityError):
        client.responses().create().model("m").input_text("hi").build()


def test_with_options_keeps_the_profile() -> None:
    client = client_for("groq").with_options(timeout=3)
    assert client.config.provider_profile is PROVIDERS["groq"]


def test_azure_profile_on_top_of_client_azure() -> None:
    client = Client.for_provider(
        "azure",
        api_key="k",
        azure_endpoint="https://res.openai.azure.com",
        api_version="2024-10-21",
    )
    assert client.config.provider_profile is PROVIDERS["azure"]
    request = client.chat().completions().create().model("dep").build()
    assert request.url == (
        "https://res.openai.azure.com/openai/deployments/dep/chat/completions"
        "?api-version=2024-10-21"
    )
    assert dict(request.headers)["api-key"] == "k"


def test_azure_profile_through_the_builder() -> None:
    client = (
        Client.builder()
        .provider("azure")
        .azure_endpoint("https://res.openai.azure.com")
        .azure_api_version("2024-10-21")
        .azure_api_key("k")
        .build()
    )
    assert client.config.provider_profile is PROVIDERS["azure"]
    assert dict(client.models().list().build().headers)["api-key"] == "k"


# --- C40: capabilities refused before sending --------------------------------------------------


@pytest.mark.parametrize(
    "name", ["llama-cpp-python", "mistral", "gemini", "deepseek", "zhipu", "minimax"]
)
def test_c40_responses_refused_before_sending(name: str, rsps: responses.RequestsMock) -> None:
    client = client_for(name)
    with pytest.raises(UnsupportedCapabilityError) as info:
        client.responses().create().model("m").input_text("hi").send()
    assert info.value.provider == name and info.value.capability == "responses_api"
    assert "Responses API" in str(info.value) and name in str(info.value)
    assert len(rsps.calls) == 0


def test_c40_responses_retrieve_is_refused_too() -> None:
    with pytest.raises(UnsupportedCapabilityError):
        client_for("mistral").responses().retrieve("resp_1").build()


def test_responses_allowed_where_supported_or_unknown(rsps: responses.RequestsMock) -> None:
    for name in ("groq", "llamacpp", "custom"):
        options = {"base_url": "http://api.test/v1"} if name == "custom" else {}
        request = client_for(name, **options).responses().create().model("m").build()
        assert request.url.endswith("/responses")


def test_tools_refused_where_unsupported() -> None:
    profile = get_provider("custom").evolve(tools=False)
    client = Client.for_provider(profile, base_url="http://api.test/v1")
    builder = client.chat().completions().create().model("m").message_user("x")
    with pytest.raises(UnsupportedCapabilityError, match="does not support tools"):
        builder.tool({"function": {"name": "f", "parameters": {}}}).build()


# --- C34: parameters renamed and dropped --------------------------------------------------------


def test_c34_groq_drops_store(rsps: responses.RequestsMock) -> None:
    rsps.post("https://api.groq.com/openai/v1/chat/completions", json=COMPLETION)
    client_for("groq").chat().completions().create().model("llama-3.3-70b-versatile").store(
        True
    ).message_user("hi").send()
    sent = json.loads(rsps.calls[0].request.body)
    assert sent == {
        "model": "llama-3.3-70b-versatile",
        "messages": [{"role": "user", "content": "hi"}],
    }


@pytest.mark.parametrize(
    "name", ["llama-cpp-python", "ollama", "lmstudio", "deepseek", "mistral", "zhipu"]
)
def test_c34_max_completion_tokens_sent_as_max_tokens(name: str) -> None:
    assert sent_chat(name, max_completion_tokens=5) == {"model": "m", "max_tokens": 5}


def test_c34_rename_keeps_an_explicit_max_tokens() -> None:
    body = sent_chat("mistral", max_completion_tokens=5, max_tokens=9)
    assert body == {"model": "m", "max_tokens": 9}


def test_c34_openai_keeps_max_completion_tokens() -> None:
    assert sent_chat("openai", max_completion_tokens=5) == {
        "model": "m",
        "max_completion_tokens": 5,
    }


@pytest.mark.parametrize("model", ["grok-3-mini", "grok-4", "grok-4-fast-reasoning"])
def test_c34_xai_reasoning_models_drop_penalties_and_stop(model: str) -> None:
    body = sent_chat("xai", model=model, presence_penalty=0, frequency_penalty=0, stop=["x"])
    assert body == {"model": model}


def test_c34_xai_grok4_drops_reasoning_effort_but_grok3_mini_keeps_it() -> None:
    assert sent_chat("xai", model="grok-4", reasoning_effort="low") == {"model": "grok-4"}
    kept = sent_chat("xai", model="grok-3-mini", reasoning_effort="low")
    assert kept == {"model": "grok-3-mini", "reasoning_effort": "low"}


@pytest.mark.parametrize("model", ["grok-3", "grok-4-fast-non-reasoning"])
def test_c34_xai_other_models_keep_penalties(model: str) -> None:
    body = sent_chat("xai", model=model, presence_penalty=0.5, stop=["x"])
    assert body == {"model": model, "presence_penalty": 0.5, "stop": ["x"]}


def test_c34_quirks_leave_other_endpoints_alone() -> None:
    body = (
        client_for("groq").embeddings().create().model("m").input("x").extra_body({"store": True})
    )
    sent = body.build().json_data
    assert sent is not None and sent["store"] is True


# --- C14: stream_options -----------------------------------------------------------------------


def stream_body(name: str, **fields: Any) -> Dict[str, Any]:
    builder = client_for(name).chat().completions().create().model("m").extra_body(fields)
    body = builder._compile(stream=True).json_data
    assert isinstance(body, dict)
    return body


@pytest.mark.parametrize("name", ["openai", "ollama", "vllm", "llamacpp", "deepseek", "xai"])
def test_c14_stream_usage_requested_where_supported(name: str) -> None:
    body = stream_body(name)
    assert body["stream_options"] == {"include_usage": True}
    assert body["stream"] is True


def test_c14_caller_stream_options_win() -> None:
    body = stream_body("openai", stream_options={"include_usage": False})
    assert body["stream_options"] == {"include_usage": False}


@pytest.mark.parametrize("name", ["llama-cpp-python", "mistral"])
def test_c14_stream_options_dropped_where_unsupported(name: str) -> None:
    assert "stream_options" not in stream_body(name, stream_options={"include_usage": True})


@pytest.mark.parametrize("name", ["groq", "together", "zenmux"])
def test_c14_unverified_providers_send_only_what_was_set(name: str) -> None:
    assert "stream_options" not in stream_body(name)
    kept = stream_body(name, stream_options={"include_usage": True})
    assert kept["stream_options"] == {"include_usage": True}


def test_c14_no_stream_options_on_unstreamed_calls() -> None:
    assert "stream_options" not in sent_chat("openai")


def test_c14_the_streamed_request_on_the_wire(rsps: responses.RequestsMock) -> None:
    chunk = {**COMPLETION, "object": "chat.completion.chunk", "choices": []}
    rsps.post(
        "http://127.0.0.1:8080/v1/chat/completions",
        body=f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n",
        content_type="text/event-stream",
    )
    with client_for("llamacpp").chat().completions().create().model("m").stream() as stream:
        list(stream)
    sent = json.loads(rsps.calls[0].request.body)
    assert sent == {"model": "m", "stream": True, "stream_options": {"include_usage": True}}


# --- C35: reasoning fields on assistant messages sent back -------------------------------------

HISTORY: List[Dict[str, Any]] = [
    {"role": "user", "content": "q"},
    {"role": "assistant", "content": "a", "reasoning_content": "thought", "reasoning": "t"},
    {"role": "user", "content": "next"},
]


def test_c35_deepseek_strips_reasoning_from_assistant_messages() -> None:
    body = sent_chat("deepseek", messages=HISTORY)
    assert body["messages"] == [
        {"role": "user", "content": "q"},
        {"role": "assistant", "content": "a"},
        {"role": "user", "content": "next"},
    ]
    assert HISTORY[1]["reasoning_content"] == "thought"  # the caller's list is not changed


def test_c35_openrouter_sends_reasoning_back() -> None:
    history = [{"role": "assistant", "content": "a", "reasoning_details": [{"type": "x"}]}]
    assert sent_chat("openrouter", messages=history)["messages"] == history


# --- C36: structured output through the profile's mode -----------------------------------------


@attrs.frozen
class City:
    name: str


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("llama-cpp-python", lambda b: b["response_format"]["type"] == "json_object"),
        ("openai", lambda b: b["response_format"]["type"] == "json_schema"),
        ("ollama", lambda b: "response_format" not in b and b["messages"][0]["role"] == "system"),
        ("deepseek", lambda b: "response_format" not in b),
    ],
)
def test_c36_parse_uses_the_profile_mode(name: str, check: Any) -> None:
    builder = client_for(name).chat().completions().parse(City).model("m").message_user("x")
    body = builder.build().json_data
    assert check(body)


def test_c36_explicit_mode_wins_over_the_profile() -> None:
    builder = client_for("llama-cpp-python").chat().completions().parse(City).model("m")
    body = builder.structured_output_mode("guided_json").build().json_data
    assert body is not None and "guided_json" in body and "response_format" not in body


def test_every_profile_mode_is_a_known_mode() -> None:
    from openai_core.lib.structured import STRUCTURED_OUTPUT_MODES

    for profile in PROVIDERS.values():
        assert profile.structured_output_mode in STRUCTURED_OUTPUT_MODES
        if profile.json_schema is False:
            assert profile.structured_output_mode != "json_schema"
    with pytest.raises(ValueError, match="unknown structured_output_mode"):
        get_provider("custom").evolve(structured_output_mode="xml")


def test_capability_matrix_is_generated_from_the_profiles() -> None:
    from pathlib import Path

    # tools/ sits beside the package: importable from the checkout, not in the wheel-only tox runs
    matrix = pytest.importorskip("tools.provider_matrix", reason="tools/ is not importable here")
    OUTPUT, render = matrix.OUTPUT, matrix.render

    text = render()
    assert Path(OUTPUT).read_text(encoding="utf-8") == text, (
        "docs/provider-capability-matrix.md is out of date: run python -m tools.provider_matrix"
    )
    for name in PROVIDERS:
        assert f"| `{name}` " in text


def test_default_client_never_loads_the_profiles() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from openai_core import Client; "
        "c = Client(api_key='k', base_url='http://api.test/v1'); "
        "c.chat().completions().create().model('m').message_user('x').build(); "
        "print('openai_core.lib.providers' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "False"


def test_with_options_takes_a_provider_name() -> None:
    client = Client(api_key="k", base_url="http://api.test/v1").with_options(
        provider_profile="groq"
    )
    assert client.config.provider_profile is PROVIDERS["groq"]
    assert client.base_url == "http://api.test/v1"  # only the profile changes
    body = client.chat().completions().create().model("m").store(True).build().json_data
    assert body == {"model": "m"}
