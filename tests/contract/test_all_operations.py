"""Every operation of the generated endpoint catalog, through the SDK, against the mock.

One test per catalog ``Endpoint`` (id = the spec's ``operationId``): reach its builder with
``client.<namespace...>().<name>(*path_args)``, set every required query parameter and body field
to a valid example derived from the spec (``spec_examples.py``), send it, and check that the mock
found nothing wrong with the request (2xx, ``X-Steady-Error-Count: 0``) and that the answer
decodes: JSON strictly (``Client(strict=True)``), binary as bytes, text/SDP as a string.

Admin operations use a client with ``admin_api_key`` when ``Client`` has that option.

The tests skip, saying so, until ``openai_core/_generated/catalog.py`` exists.

What the mock cannot serve (found with the spec of ``/work/shared/openapi``, Steady 0.22.2):
every one of the 288 operations accepts the requests built from the spec; a few answer with a
body that is not valid for the spec itself. Those are listed in :data:`MOCK_ANSWER_NOT_SPEC_VALID`
with the reason and the field the strict decoding error must name. When strict decoding fails in
exactly that way, the test checks that the mock accepted the request and that lenient decoding
works, then reports the operation as ``xfail`` with the reason (shown by ``pytest -rx``); any
other failure fails. Nothing is skipped silently.
"""

from __future__ import annotations

import inspect
from typing import Any, Dict, Iterator, List, Tuple

import pytest
from mock_server import MockServer, reported_problems  # tools/ is put on sys.path by conftest.py
from spec_examples import SpecExamples, required_arguments

from openai_core import APIResponseValidationError, Client
from openai_core._catalog import Endpoint, load_catalog

_RESPONSE_EXAMPLE = (
    "Steady answers with the spec's own `example` of the `Response` schema, whose `user` is null "
    "where the schema allows only a string (its `output_text` part also lacks the required "
    "`logprobs`, and its `store` is a field the schema does not define)"
)
_RUN_MINIMUM = (
    "Steady generates `max_prompt_tokens`/`max_completion_tokens` below the schema's "
    "`minimum: 256` (the schema is OpenAPI 3.0 style, `nullable: true`)"
)
_COMPACT_EXAMPLE = (
    "Steady answers with the spec's own `example` of `CompactResource`, whose `output` messages "
    "lack the `id` and `status` that every output item variant requires"
)
_CHATKIT_EXAMPLE = (
    "Steady answers with the spec's own `example` of `ChatSessionResource`, whose `workflow` "
    "lacks the required `state_variables` and `tracing`"
)
_RUN_FIELDS = ("max_prompt_tokens", "max_completion_tokens")

# operationId -> (words one of which the strict decoding error names, why the mock's answer is
# not valid for the spec). Found by validating every answer against the spec's JSON schema.
MOCK_ANSWER_NOT_SPEC_VALID: Dict[str, Tuple[Tuple[str, ...], str]] = {
    "createResponse": (("user",), _RESPONSE_EXAMPLE),
    "getResponse": (("user",), _RESPONSE_EXAMPLE),
    "cancelResponse": (("user",), _RESPONSE_EXAMPLE),
    "beta_createResponse": (("user",), _RESPONSE_EXAMPLE),
    "beta_getResponse": (("user",), _RESPONSE_EXAMPLE),
    "beta_cancelResponse": (("user",), _RESPONSE_EXAMPLE),
    "createThreadAndRun": (_RUN_FIELDS, _RUN_MINIMUM),
    "createRun": (_RUN_FIELDS, _RUN_MINIMUM),
    "listRuns": (_RUN_FIELDS, _RUN_MINIMUM),
    "getRun": (_RUN_FIELDS, _RUN_MINIMUM),
    "modifyRun": (_RUN_FIELDS, _RUN_MINIMUM),
    "cancelRun": (_RUN_FIELDS, _RUN_MINIMUM),
    "submitToolOuputsToRun": (_RUN_FIELDS, _RUN_MINIMUM),
    "Compactconversation": (("status", "output"), _COMPACT_EXAMPLE),
    "beta_Compactconversation": (("status", "output"), _COMPACT_EXAMPLE),
    "CreateChatSessionMethod": (("state_variables", "tracing"), _CHATKIT_EXAMPLE),
    "CancelChatSessionMethod": (("state_variables", "tracing"), _CHATKIT_EXAMPLE),
}

# Binary operations whose answer the spec gives no content, so the mock's body is empty.
NO_CONTENT_IN_SPEC: Dict[str, str] = {
    "RetrieveContainerFileContent": "the spec declares no content for its 200 answer",
}


def _known_decode_failure(operation_id: str, error: Exception) -> str:
    """The reason a strict decoding ``error`` is expected for this operation, or ``""``."""
    text = str(error)
    words, reason = MOCK_ANSWER_NOT_SPEC_VALID.get(operation_id, ((), ""))
    return reason if any(word in text for word in words) else ""


ADMIN_KEY = "sk-admin-test"

try:
    ENDPOINTS: Tuple[Endpoint, ...] = load_catalog()
    CATALOG_MISSING = ""
except ImportError as exc:
    ENDPOINTS = ()
    CATALOG_MISSING = (
        "the generated endpoint catalog (openai_core/_generated/catalog.py) does not exist yet: "
        f"{exc}"
    )


def _params() -> List[Any]:
    if not ENDPOINTS:
        return [pytest.param(None, id="no-catalog", marks=pytest.mark.skip(reason=CATALOG_MISSING))]
    return [pytest.param(endpoint, id=endpoint.operation_id) for endpoint in ENDPOINTS]


def _supports_admin_key() -> bool:
    return "admin_api_key" in inspect.signature(Client.__init__).parameters


def _make_client(mock_server: MockServer, *, admin: bool, strict: bool) -> Client:
    options: Dict[str, Any] = {
        "api_key": "sk-test",
        "base_url": mock_server.base_url,
        "max_retries": 0,
        "strict": strict,
        "timeout": 30,
    }
    if admin:
        if _supports_admin_key():
            options["admin_api_key"] = ADMIN_KEY
        else:  # until Client grows the option, the admin key is the only key
            options["api_key"] = ADMIN_KEY
    return Client(**options)


@pytest.fixture(scope="module")
def examples(spec_document: Dict[str, Any]) -> SpecExamples:
    return SpecExamples(spec_document)


def _builder(client: Client, endpoint: Endpoint, examples: SpecExamples) -> Any:
    path_args, calls = required_arguments(endpoint, examples)
    resource: Any = client
    for part in endpoint.namespace:
        resource = getattr(resource, part)()
    builder = getattr(resource, endpoint.name)(*path_args)
    for setter, value in calls:
        builder = getattr(builder, setter)(value)
    return builder


def _check_json(builder: Any, endpoint: Endpoint) -> Any:
    result = builder.send_with_meta()
    assert result.meta.status < 400
    assert not reported_problems(result.meta.headers), reported_problems(result.meta.headers)
    if endpoint.response_model is not None:
        assert result.data is not None
    return result.data


@pytest.fixture()
def clients(mock_server: MockServer) -> Iterator[Dict[Tuple[bool, bool], Client]]:
    made: Dict[Tuple[bool, bool], Client] = {}
    yield made
    for client in made.values():
        client.close()


def _client(
    clients: Dict[Tuple[bool, bool], Client], mock_server: MockServer, admin: bool, strict: bool
) -> Client:
    key = (admin, strict)
    if key not in clients:
        clients[key] = _make_client(mock_server, admin=admin, strict=strict)
    return clients[key]


def test_catalog_covers_every_operation_of_the_spec(spec_document: Dict[str, Any]) -> None:
    if not ENDPOINTS:
        pytest.skip(CATALOG_MISSING)
    in_spec = {
        operation["operationId"]
        for item in spec_document["paths"].values()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    }
    in_catalog = {endpoint.operation_id for endpoint in ENDPOINTS}
    assert sorted(in_spec - in_catalog) == []
    assert sorted(in_catalog - in_spec) == []


@pytest.mark.parametrize("endpoint", _params())
def test_operation(
    endpoint: Endpoint,
    examples: SpecExamples,
    mock_server: MockServer,
    clients: Dict[Tuple[bool, bool], Client],
) -> None:
    client = _client(clients, mock_server, endpoint.admin, strict=True)
    builder = _builder(client, endpoint, examples)
    if endpoint.admin and _supports_admin_key():
        headers = dict(builder.build().headers)
        assert headers.get("Authorization") == f"Bearer {ADMIN_KEY}"

    if endpoint.response_kind == "json":
        try:
            _check_json(builder, endpoint)
        except APIResponseValidationError as exc:
            reason = _known_decode_failure(endpoint.operation_id, exc)
            if not reason:
                raise
            lenient = _builder(
                _client(clients, mock_server, endpoint.admin, strict=False), endpoint, examples
            )
            _check_json(lenient, endpoint)
            pytest.xfail(f"{reason} (strict decoding: {exc})")
        return

    raw = builder.send_raw()
    assert raw.status_code < 400
    assert not reported_problems(raw.headers), reported_problems(raw.headers)
    result = builder.send()
    if endpoint.response_kind == "binary":
        content = getattr(result, "content", result)
        assert isinstance(content, (bytes, bytearray))
        assert content or endpoint.operation_id in NO_CONTENT_IN_SPEC
    elif endpoint.response_kind in ("text", "sdp"):
        assert isinstance(result, str)
