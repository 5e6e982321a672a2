"""Secrets never reach logs, reprs, curl commands, messages or tracebacks; TLS and proxies.

Every credential (API key string and callable, admin key, Azure key, AD token and token provider,
webhook secret) is driven through every path that prints: ``OPENAI_LOG=debug`` on stderr and
``caplog`` at DEBUG (successes, retries, errors), ``repr`` of clients, configs, builders, requests,
errors and response metadata, ``to_curl()``, and ``str``/``repr``/``traceback.format_exception``
of status, connection, timeout, validation and webhook errors.
"""

from __future__ import annotations

import ast
import base64
import logging
import re
import socket
import sys
import traceback
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

import pytest
import requests
import requests.adapters
import responses
from requests.structures import CaseInsensitiveDict

from openai_core import Client, ClientConfig, OpenAIError
from openai_core import _logging as core_logging
from openai_core.lib.webhooks import Webhooks

API_KEY = "sk-proj-APIKEY-secret-0001"
CALLABLE_KEY = "sk-proj-CALLABLE-secret-0002"
ADMIN_KEY = "sk-admin-ADMIN-secret-0003"
AZURE_KEY = "azure-KEY-secret-0004"
AD_TOKEN = "eyJ-ADTOKEN-secret-0005"
PROVIDER_TOKEN = "eyJ-PROVIDER-secret-0006"
WEBHOOK_RAW = "WEBHOOK-secret-0007"
WEBHOOK_SECRET = "whsec_" + base64.b64encode(WEBHOOK_RAW.encode()).decode()
PROXY_PASSWORD = "PROXY-password-0008"
SECRETS = (
    API_KEY,
    CALLABLE_KEY,
    ADMIN_KEY,
    AZURE_KEY,
    AD_TOKEN,
    PROVIDER_TOKEN,
    WEBHOOK_RAW,
    WEBHOOK_SECRET,
    PROXY_PASSWORD,
)
BASE = "https://api.test/v1"
ENDPOINT = "https://res.openai.azure.com"
MODELS_OK: Dict[str, Any] = {
    "object": "list",
    "data": [{"id": "m", "object": "model", "created": 1, "owned_by": "me"}],
}
ENV_VARS = (
    "OPENAI_API_KEY",
    "OPENAI_ADMIN_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "OPENAI_CUSTOM_HEADERS",
    "OPENAI_WEBHOOK_SECRET",
    "OPENAI_API_VERSION",
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_AD_TOKEN",
    "AZURE_OPENAI_ENDPOINT",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "HTTPS_PROXY",
    "HTTP_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "https_proxy",
    "http_proxy",
    "all_proxy",
    "no_proxy",
)


@pytest.fixture(autouse=True)
def debug_logging(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    """``OPENAI_LOG=debug`` (a fresh stderr handler) and caplog at DEBUG; restored afterwards."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENAI_LOG", "debug")
    log = logging.getLogger("openai_core")
    saved = (log.level, list(log.handlers), log.disabled, core_logging._configured)
    log.handlers[:] = []
    core_logging._configured = False
    caplog.set_level(logging.DEBUG)
    yield
    log.setLevel(saved[0])
    log.handlers[:] = saved[1]
    log.disabled = saved[2]
    core_logging._configured = saved[3]


def assert_clean(texts: List[str]) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} leaked in: {text[:300]}"


def describe_error(exc: BaseException) -> List[str]:
    return [
        str(exc),
        repr(exc),
        "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    ]


def output(capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> List[str]:
    captured = capsys.readouterr()
    records = [r.getMessage() + repr(r.args) + repr(r.msg) for r in caplog.records]
    return [captured.out, captured.err, caplog.text, *records]


def exercise(client: Client, send: Callable[[Client], Any]) -> List[str]:
    """Success, retry then success, 401, connection error, timeout, non-JSON 200."""
    texts = [repr(client), repr(client.config), repr(client.with_options(max_retries=1))]
    client._sleep = lambda _seconds: None
    any_url = re.compile(r"https://.*")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add("GET", any_url, json=MODELS_OK)
        result = send(client)
        texts += [repr(result), repr(getattr(result, "meta", None))]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add("GET", any_url, status=500, json={"error": {"message": "boom"}})
        rsps.add("GET", any_url, json=MODELS_OK)
        texts.append(repr(send(client)))
    failures: List[Dict[str, Any]] = [
        {"status": 401, "json": {"error": {"message": "Incorrect API key provided"}}},
        {"body": requests.ConnectionError("Connection refused")},
        {"body": requests.ReadTimeout("Read timed out")},
        {"body": "<html>not json</html>", "content_type": "text/html"},
    ]
    for failure in failures:
        with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
            rsps.add("GET", any_url, **failure)
            with pytest.raises(OpenAIError) as info:
                send(client.with_options(max_retries=0))
            texts += describe_error(info.value)
    return texts


def send_models(client: Client) -> Any:
    builder = client.models().list()
    request = builder.build()
    assert request.to_curl().count("<redacted>") == 1
    return builder.send_with_meta()


def send_admin(client: Client) -> Any:
    return client.admin().organization().admin_api_keys().list().send_with_meta()


def build_texts(client: Client) -> List[str]:
    builders: List[Any] = [
        client.models().list(),
        client.chat().completions().create().model("m").message_user("hi"),
        client.responses().create().model("m").input_text("hi"),
    ]
    texts = []
    for builder in builders:
        request = builder.build()
        texts += [repr(builder), repr(request), request.to_curl()]
    return texts


CLIENTS: Dict[str, Callable[[], Client]] = {
    "api_key": lambda: Client(api_key=API_KEY, base_url=BASE),
    "api_key_callable": lambda: Client(api_key=lambda: CALLABLE_KEY, base_url=BASE),
    "builder": lambda: Client.builder().api_key(API_KEY).base_url(BASE).build(),
    "azure_key": lambda: Client.azure(
        azure_endpoint=ENDPOINT, api_version="2024-10-21", api_key=AZURE_KEY
    ),
    "azure_ad_token": lambda: Client.azure(
        azure_endpoint=ENDPOINT, api_version="2024-10-21", azure_ad_token=AD_TOKEN
    ),
    "azure_token_provider": lambda: Client.azure(
        azure_endpoint=ENDPOINT,
        api_version="2024-10-21",
        azure_ad_token_provider=lambda: PROVIDER_TOKEN,
    ),
}


@pytest.mark.parametrize("kind", sorted(CLIENTS))
def test_credentials_never_printed(
    kind: str, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    client = CLIENTS[kind]()
    texts = build_texts(client) + exercise(client, send_models)
    texts += output(capsys, caplog)
    assert any("GET" in record.getMessage() for record in caplog.records)
    assert "attempt 2" in caplog.text  # the retry was logged
    assert_clean(texts)


def test_admin_key_never_printed(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    client = Client(api_key=API_KEY, admin_api_key=ADMIN_KEY, base_url=BASE)
    admin = client.admin().organization().admin_api_keys().list()
    texts = [repr(admin), repr(admin.build()), admin.build().to_curl()]
    texts += exercise(client, send_admin) + output(capsys, caplog)
    assert_clean(texts)


def test_keys_from_the_environment_never_printed(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    monkeypatch.setenv("OPENAI_ADMIN_KEY", ADMIN_KEY)
    monkeypatch.setenv("OPENAI_WEBHOOK_SECRET", WEBHOOK_SECRET)
    config = ClientConfig.from_env()
    client = Client(base_url=BASE)
    texts = [repr(config), str(config), repr(client.config), repr(client.webhooks())]
    assert_clean(texts + output(capsys, caplog))


def test_real_connection_failure_never_prints_the_key(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = Client(api_key=API_KEY, base_url=f"http://127.0.0.1:{port}/v1", max_retries=1)
    client._sleep = lambda _seconds: None
    with pytest.raises(OpenAIError) as info:
        client.models().list().send()
    assert_clean(describe_error(info.value) + output(capsys, caplog))


@pytest.mark.timeout(60)
def test_websocket_handshake_failures_never_print_the_key(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    from ws_test_server import WsTestServer

    texts: List[str] = []
    with WsTestServer(api_key=API_KEY) as server:
        wrong = Client(api_key=lambda: CALLABLE_KEY, base_url=server.base_url, max_retries=1)
        client = Client(api_key=API_KEY, base_url=server.base_url, max_retries=1)
        server.handshake_status = 503  # the right key meets a retried 5xx handshake
        for each in (wrong, client):  # the wrong key is refused with 401
            each._sleep = lambda _seconds: None
            socket_builder = each.realtime().ws().model("gpt-realtime")
            texts += [repr(socket_builder), repr(socket_builder.build())]
            with pytest.raises(OpenAIError) as info:
                socket_builder.connect()
            texts += describe_error(info.value)
    assert "401" in texts[4] and "503" in texts[-3]
    assert "WebSocket" in caplog.text
    assert_clean(texts + output(capsys, caplog))


def test_a_bad_key_callable_error_does_not_print_keys(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    client = Client(api_key=lambda: "", base_url=BASE, admin_api_key=ADMIN_KEY, max_retries=0)
    with pytest.raises(OpenAIError) as info:
        client.models().list().send()
    assert_clean(describe_error(info.value) + output(capsys, caplog))


@pytest.mark.parametrize(
    "make",
    [
        lambda: Client.azure(
            azure_endpoint=ENDPOINT,
            api_version="2024-10-21",
            api_key=AZURE_KEY,
            azure_ad_token=AD_TOKEN,
        ),
        lambda: Client.azure(azure_endpoint=ENDPOINT, api_key=AZURE_KEY),
        lambda: Client.azure(api_version="2024-10-21", azure_ad_token=AD_TOKEN),
        lambda: Client(api_key=API_KEY, base_url="not a url"),
        lambda: Client(api_key=API_KEY, base_url=BASE, max_retries=-1),
        lambda: Client(api_key=API_KEY, base_url=BASE, verify=3),  # type: ignore[arg-type]
        lambda: Client(api_key=API_KEY, base_url=BASE).with_options(verify=False),
        lambda: Client.builder().api_key(API_KEY).azure_api_key(AZURE_KEY).build(),
        lambda: ClientConfig(api_key=API_KEY, webhook_secret=WEBHOOK_SECRET, max_retries="2"),
    ],
)
def test_configuration_errors_do_not_print_secrets(
    make: Callable[[], Any], capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises((OpenAIError, ValueError, TypeError)) as info:
        make()
    assert_clean(describe_error(info.value) + output(capsys, caplog))


def _signed_headers(secret: str, body: bytes, timestamp: int) -> Dict[str, str]:
    import hashlib
    import hmac

    key = base64.b64decode(secret[len("whsec_") :])
    content = f"msg_1.{timestamp}.".encode() + body
    signature = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    return {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(timestamp),
        "webhook-signature": f"v1,{signature}",
    }


@pytest.mark.parametrize(
    "case", ["bad-signature", "too-old", "too-new", "missing-header", "bad-timestamp", "not-json"]
)
def test_webhook_errors_do_not_print_the_secret(
    case: str, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    now = 1_700_000_000
    body = b"not json" if case == "not-json" else b'{"type": "x"}'
    headers = _signed_headers(WEBHOOK_SECRET, body, now)
    if case == "bad-signature":
        headers["webhook-signature"] = "v1,AAAA"
    elif case == "too-old":
        headers = _signed_headers(WEBHOOK_SECRET, body, now - 10_000)
    elif case == "too-new":
        headers = _signed_headers(WEBHOOK_SECRET, body, now + 10_000)
    elif case == "missing-header":
        del headers["webhook-id"]
    elif case == "bad-timestamp":
        headers["webhook-timestamp"] = "soon"
    client = Client(api_key=API_KEY, base_url=BASE, webhook_secret=WEBHOOK_SECRET)
    hooks = client.webhooks()
    hooks._clock = lambda: float(now)
    with pytest.raises(OpenAIError) as info:
        hooks.unwrap(body, headers)
    texts = [*describe_error(info.value), repr(hooks), repr(client), repr(client.config)]
    assert_clean(texts + output(capsys, caplog))


def test_an_invalid_webhook_secret_is_not_printed() -> None:
    bad = "whsec_" + PROXY_PASSWORD + "!!"
    with pytest.raises(ValueError) as info:
        Webhooks(bad).verify_signature(b"{}", _signed_headers(WEBHOOK_SECRET, b"{}", 1))
    assert_clean(describe_error(info.value))


def test_a_proxy_failure_prints_neither_key_nor_proxy_password(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as sock:  # a proxy port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proxy = f"http://user:{PROXY_PASSWORD}@127.0.0.1:{port}"
    client = Client(
        api_key=API_KEY, base_url="http://api.test/v1", max_retries=0, proxies={"http": proxy}
    )
    with pytest.raises(OpenAIError) as info:
        client.models().list().send()
    assert "proxy" in str(info.value).lower()
    assert_clean(describe_error(info.value) + output(capsys, caplog))


def test_proxy_credentials_are_redacted_in_repr() -> None:
    proxy = f"http://user:{PROXY_PASSWORD}@proxy.test:3128"
    client = Client(api_key=API_KEY, base_url=BASE, proxies={"https": proxy})
    assert "proxy.test:3128" in repr(client.config)
    assert_clean([repr(client), repr(client.config)])


# -- TLS and proxies -----------------------------------------------------------------------------


@pytest.fixture
def adapter_calls(monkeypatch: pytest.MonkeyPatch) -> List[Dict[str, Any]]:
    """Replace ``HTTPAdapter.send``: record its keyword arguments, answer 200 ``MODELS_OK``."""
    calls: List[Dict[str, Any]] = []

    def send(self: Any, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        calls.append({"url": request.url, **kwargs})
        response = requests.Response()
        response.status_code = 200
        response.headers = CaseInsensitiveDict({"content-type": "application/json"})
        response._content = b'{"object": "list", "data": []}'
        response.url = str(request.url)
        response.request = request
        return response

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)
    return calls


def list_models(client: Client) -> None:
    client.models().list().send()


def test_tls_verification_is_on_by_default(adapter_calls: List[Dict[str, Any]]) -> None:
    list_models(Client(api_key=API_KEY, base_url=BASE))
    assert adapter_calls[0]["verify"] is True
    assert adapter_calls[0]["cert"] is None
    assert adapter_calls[0]["proxies"] == {}


def test_requests_ca_bundle_is_honoured(
    adapter_calls: List[Dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/corp/ca.pem")
    list_models(Client(api_key=API_KEY, base_url=BASE))
    assert adapter_calls[0]["verify"] == "/etc/corp/ca.pem"


def test_https_proxy_is_honoured(
    adapter_calls: List[Dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    list_models(Client(api_key=API_KEY, base_url=BASE))
    assert adapter_calls[0]["proxies"]["https"] == "http://proxy.test:3128"


def test_no_proxy_is_honoured(
    adapter_calls: List[Dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    monkeypatch.setenv("NO_PROXY", "api.test")
    list_models(Client(api_key=API_KEY, base_url=BASE))
    assert "https" not in adapter_calls[0]["proxies"]


def test_explicit_settings_override_the_environment(
    adapter_calls: List[Dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/corp/ca.pem")
    monkeypatch.setenv("HTTPS_PROXY", "http://env-proxy.test:3128")
    client = Client(
        api_key=API_KEY,
        base_url=BASE,
        verify=False,
        proxies={"https": "http://mine.test:8080"},
        cert=("/tls/client.pem", "/tls/client.key"),
    )
    list_models(client)
    call = adapter_calls[0]
    assert call["verify"] is False
    assert call["proxies"]["https"] == "http://mine.test:8080"
    assert call["cert"] == ("/tls/client.pem", "/tls/client.key")


def test_verify_takes_a_ca_bundle_path_and_cert_a_single_file(
    adapter_calls: List[Dict[str, Any]], tmp_path: Path
) -> None:
    bundle = tmp_path / "ca.pem"
    list_models(Client(api_key=API_KEY, base_url=BASE, verify=str(bundle), cert="/tls/both.pem"))
    assert adapter_calls[0]["verify"] == str(bundle)
    assert adapter_calls[0]["cert"] == "/tls/both.pem"


def test_builder_sets_tls_and_proxies_and_with_options_keeps_them(
    adapter_calls: List[Dict[str, Any]],
) -> None:
    client = (
        Client.builder()
        .api_key(API_KEY)
        .base_url(BASE)
        .verify("/etc/ca.pem")
        .proxies({"https": "http://proxy.test:1"})
        .cert("/tls/both.pem")
        .build()
    )
    assert client.config.verify == "/etc/ca.pem"
    list_models(client.with_options(max_retries=0, timeout=3))
    call = adapter_calls[0]
    assert (call["verify"], call["proxies"]["https"], call["cert"]) == (
        "/etc/ca.pem",
        "http://proxy.test:1",
        "/tls/both.pem",
    )
    assert client.with_options(max_retries=0).config.proxies == (("https", "http://proxy.test:1"),)


@pytest.mark.parametrize("option", ["verify", "proxies", "cert"])
def test_with_options_cannot_change_transport_settings(option: str) -> None:
    with pytest.raises(TypeError, match=option):
        Client(api_key=API_KEY, base_url=BASE).with_options(**{option: None})


def test_azure_client_takes_tls_settings(adapter_calls: List[Dict[str, Any]]) -> None:
    client = Client.azure(
        azure_endpoint=ENDPOINT, api_version="2024-10-21", api_key=AZURE_KEY, verify="/ca.pem"
    )
    list_models(client)
    assert adapter_calls[0]["verify"] == "/ca.pem"


@pytest.mark.parametrize(
    ("option", "value"), [("verify", 1), ("cert", ("a", "b", "c")), ("cert", 5)]
)
def test_invalid_tls_settings_are_rejected(option: str, value: Any) -> None:
    with pytest.raises(TypeError, match=option):
        ClientConfig(**{option: value})


# -- no server data is ever evaluated or unpickled ------------------------------------------------

PACKAGE = Path(__file__).resolve().parents[2] / "openai_core"
FORBIDDEN_CALLS = {
    ("", "eval"),
    ("", "exec"),
    ("", "compile"),
    ("pickle", "loads"),
    ("pickle", "load"),
    ("pickle", "Unpickler"),
    ("marshal", "loads"),
    ("marshal", "load"),
    ("yaml", "load"),
    ("yaml", "unsafe_load"),
    ("yaml", "full_load"),
}


def _call_name(node: ast.Call) -> tuple[str, str]:
    func = node.func
    if isinstance(func, ast.Name):
        return "", func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.value.id, func.attr
    return "?", "?"


def test_the_package_never_evaluates_or_unpickles_data() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _call_name(node) in FORBIDDEN_CALLS:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {ast.unparse(node)}")
            if isinstance(node, ast.ImportFrom) and node.module in ("pickle", "marshal", "yaml"):
                names = {alias.name for alias in node.names}
                if names & {"loads", "load", "Unpickler", "unsafe_load", "full_load"}:
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} from-import")
    assert found == [], "eval/exec/unpickling in the package: " + ", ".join(found)
