"""Errors: status mapping, attributes, and every error body shape of compat cases C28-C32."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator, List, Optional, Type

import pytest
import requests
import responses

from openai_core import (
    APIConnectionError,
    APIError,
    ApiErrorKind,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    Client,
    ConflictError,
    InternalServerError,
    NotFoundError,
    OpenAIError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)

BASE = "http://api.test/v1"
MODEL_URL = f"{BASE}/models/m"
CHAT_URL = f"{BASE}/chat/completions"

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


def make_client(max_retries: int = 0) -> Client:
    client = Client(api_key="sk-test", base_url=BASE, max_retries=max_retries)
    client._sleep = lambda seconds: None
    return client


def error_for(
    rsps: responses.RequestsMock,
    status: int,
    body: Any = b"",
    *,
    content_type: str = "application/json",
    headers: Optional[Dict[str, str]] = None,
) -> APIError:
    """Send one GET that the server answers with ``status`` and ``body``; return the error."""
    raw = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
    rsps.add("GET", MODEL_URL, status=status, body=raw, content_type=content_type, headers=headers)
    with pytest.raises(APIError) as info:
        make_client().models().retrieve("m").send()
    return info.value


# -- status -> class ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls", "kind"),
    [
        (400, BadRequestError, ApiErrorKind.BAD_REQUEST),
        (401, AuthenticationError, ApiErrorKind.AUTHENTICATION),
        (403, PermissionDeniedError, ApiErrorKind.PERMISSION_DENIED),
        (404, NotFoundError, ApiErrorKind.NOT_FOUND),
        (409, ConflictError, ApiErrorKind.CONFLICT),
        (422, UnprocessableEntityError, ApiErrorKind.UNPROCESSABLE_ENTITY),
        (429, RateLimitError, ApiErrorKind.RATE_LIMIT),
        (500, InternalServerError, ApiErrorKind.INTERNAL_SERVER),
        (502, InternalServerError, ApiErrorKind.INTERNAL_SERVER),
        (503, InternalServerError, ApiErrorKind.INTERNAL_SERVER),
        (504, InternalServerError, ApiErrorKind.INTERNAL_SERVER),
    ],
)
def test_status_maps_to_class(
    rsps: responses.RequestsMock, status: int, cls: Type[APIStatusError], kind: ApiErrorKind
) -> None:
    err = error_for(rsps, status, {"error": {"message": f"failed with {status}"}})
    assert type(err) is cls
    assert isinstance(err, APIStatusError)
    assert isinstance(err, OpenAIError)
    assert err.status == status
    assert err.status_code == status
    assert err.kind is kind
    assert err.message == f"failed with {status}"


@pytest.mark.parametrize("status", [402, 405, 406, 410, 413, 415, 418, 451])
def test_other_4xx_is_plain_api_status_error(rsps: responses.RequestsMock, status: int) -> None:
    err = error_for(rsps, status, {"error": {"message": "nope"}})
    assert type(err) is APIStatusError
    assert err.status == status
    assert err.kind is ApiErrorKind.STATUS
    assert err.message == "nope"


def test_exception_tree() -> None:
    assert issubclass(APIStatusError, APIError)
    assert issubclass(APIError, OpenAIError)
    assert issubclass(APITimeoutError, APIConnectionError)
    assert issubclass(APIConnectionError, APIError)
    assert issubclass(APIResponseValidationError, APIError)
    for cls in (
        BadRequestError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        UnprocessableEntityError,
        RateLimitError,
        InternalServerError,
    ):
        assert issubclass(cls, APIStatusError)
    assert APITimeoutError().kind is ApiErrorKind.TIMEOUT
    assert APIConnectionError().kind is ApiErrorKind.CONNECTION


def test_all_attributes_of_openai_envelope(rsps: responses.RequestsMock) -> None:
    body = {
        "error": {
            "message": "Invalid value for 'temperature': must be <= 2.",
            "type": "invalid_request_error",
            "param": "temperature",
            "code": "invalid_value",
        }
    }
    err = error_for(rsps, 400, body, headers={"x-request-id": "req_abc123"})
    assert isinstance(err, BadRequestError)
    assert err.status == 400
    assert err.status_code == 400
    assert err.request_id == "req_abc123"
    assert err.code == "invalid_value"
    assert err.type == "invalid_request_error"
    assert err.param == "temperature"
    assert err.body == body["error"]
    assert err.kind is ApiErrorKind.BAD_REQUEST
    assert err.message == "Invalid value for 'temperature': must be <= 2."
    assert isinstance(err.response, requests.Response)
    assert err.headers["x-request-id"] == "req_abc123"


def test_request_id_in_str(rsps: responses.RequestsMock) -> None:
    body = {"error": {"message": "Rate limit reached for gpt-x", "type": "requests"}}
    err = error_for(rsps, 429, body, headers={"x-request-id": "req_42"})
    text = str(err)
    assert "req_42" in text
    assert "429" in text
    assert "Rate limit reached for gpt-x" in text
    assert text == "[req_42] 429 Rate limit reached for gpt-x"


def test_no_request_id_no_prefix(rsps: responses.RequestsMock) -> None:
    err = error_for(rsps, 404, {"error": {"message": "gone"}})
    assert err.request_id is None
    assert str(err) == "404 gone"


# -- C28: envelopes ------------------------------------------------------------------------------


def test_c28_openai_envelope(rsps: responses.RequestsMock) -> None:
    body = {
        "error": {
            "message": "The model `gpt-9` does not exist or you do not have access to it.",
            "type": "invalid_request_error",
            "param": None,
            "code": "model_not_found",
        }
    }
    err = error_for(rsps, 404, body)
    assert isinstance(err, NotFoundError)
    assert err.message == body["error"]["message"]
    assert err.code == "model_not_found"
    assert err.type == "invalid_request_error"
    assert err.param is None
    assert err.body == body["error"]


def test_c28_old_vllm_flat_error_object(rsps: responses.RequestsMock) -> None:
    body = {
        "object": "error",
        "message": "This model's maximum context length is 4096 tokens. However, you requested "
        "5000 tokens.",
        "type": "BadRequestError",
        "param": None,
        "code": 400,
    }
    err = error_for(rsps, 400, body)
    assert isinstance(err, BadRequestError)
    assert err.message.startswith("This model's maximum context length is 4096 tokens")
    assert err.code == 400
    assert err.type == "BadRequestError"
    assert err.param is None
    assert err.body == body


def test_c28_nested_integer_code_vllm(rsps: responses.RequestsMock) -> None:
    body = {
        "error": {
            "message": "The model `qwen` does not exist.",
            "type": "NotFoundError",
            "param": "model",
            "code": 404,
        }
    }
    err = error_for(rsps, 404, body)
    assert isinstance(err, NotFoundError)
    assert err.code == 404
    assert isinstance(err.code, int)
    assert err.type == "NotFoundError"
    assert err.param == "model"
    assert err.message == "The model `qwen` does not exist."


def test_c28_nested_integer_code_llama_server(rsps: responses.RequestsMock) -> None:
    body = {
        "error": {
            "code": 400,
            "message": "the request exceeds the available context size, try increasing it",
            "type": "exceed_context_size_error",
            "n_prompt_tokens": 9000,
            "n_ctx": 4096,
        }
    }
    err = error_for(rsps, 400, body)
    assert isinstance(err, BadRequestError)
    assert err.code == 400
    assert err.type == "exceed_context_size_error"
    assert "exceeds the available context size" in err.message
    assert err.body["n_ctx"] == 4096  # extra fields stay readable


# -- C29: error as a string ---------------------------------------------------------------------


def test_c29_error_as_plain_string(rsps: responses.RequestsMock) -> None:
    body = {"error": "model 'x' not found, try pulling it first"}
    err = error_for(rsps, 404, body)
    assert isinstance(err, NotFoundError)
    assert err.message == "model 'x' not found, try pulling it first"
    assert "model 'x' not found" in str(err)
    assert err.code is None
    assert err.body == body


def test_c29_xai_code_and_error_strings(rsps: responses.RequestsMock) -> None:
    body = {
        "code": "Some requested entity was not found",
        "error": "The model grok-9 does not exist or your team does not have access to it.",
    }
    err = error_for(rsps, 404, body)
    assert isinstance(err, NotFoundError)
    assert err.message == body["error"]
    assert err.code == "Some requested entity was not found"
    assert "grok-9 does not exist" in str(err)


# -- C30: detail, flat message, no code/param ----------------------------------------------


def test_c30_fastapi_detail_string(rsps: responses.RequestsMock) -> None:
    err = error_for(rsps, 404, {"detail": "Not Found"})
    assert isinstance(err, NotFoundError)
    assert err.message == "Not Found"


def test_c30_fastapi_detail_validation_list(rsps: responses.RequestsMock) -> None:
    body = {
        "detail": [
            {"loc": ["body", "model"], "msg": "field required", "type": "value_error.missing"}
        ]
    }
    err = error_for(rsps, 422, body)
    assert isinstance(err, UnprocessableEntityError)
    assert "field required" in err.message
    assert "model" in err.message


def test_c30_flat_message(rsps: responses.RequestsMock) -> None:
    err = error_for(rsps, 401, {"message": "Invalid API key provided"})
    assert isinstance(err, AuthenticationError)
    assert err.message == "Invalid API key provided"
    assert err.code is None
    assert err.param is None


def test_c30_error_without_code_or_param(rsps: responses.RequestsMock) -> None:
    err = error_for(rsps, 500, {"error": {"message": "The server had an error", "type": "server"}})
    assert isinstance(err, InternalServerError)
    assert err.message == "The server had an error"
    assert err.code is None
    assert err.param is None
    assert err.type == "server"


def test_c30_error_object_without_message(rsps: responses.RequestsMock) -> None:
    err = error_for(rsps, 400, {"error": {"type": "invalid_request_error", "code": "bad"}})
    assert isinstance(err, BadRequestError)
    assert err.message  # something readable, never empty
    assert "invalid_request_error" in err.message
    assert err.code == "bad"


# -- C31: non-JSON bodies -----------------------------------------------------------------------


def test_c31_404_page_not_found_text(rsps: responses.RequestsMock) -> None:
    err = error_for(rsps, 404, b"404 page not found", content_type="text/plain")
    assert isinstance(err, NotFoundError)
    assert err.message == "404 page not found"
    assert err.body == "404 page not found"
    assert "404 page not found" in str(err)


NGINX_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


def test_c31_nginx_html_page(rsps: responses.RequestsMock) -> None:
    err = error_for(rsps, 502, NGINX_502, content_type="text/html")
    assert isinstance(err, InternalServerError)
    assert err.status == 502
    assert err.message == "502 Bad Gateway"
    assert isinstance(err.body, str)
    assert "nginx/1.25.3" in err.body  # raw text kept


def test_c31_json_sent_as_text_plain(rsps: responses.RequestsMock) -> None:
    body = b'{"error": {"message": "Invalid model", "type": "invalid_request_error", "code": 1}}'
    err = error_for(rsps, 400, body, content_type="text/plain; charset=utf-8")
    assert isinstance(err, BadRequestError)
    assert err.message == "Invalid model"
    assert err.type == "invalid_request_error"
    assert err.code == 1


@pytest.mark.parametrize(
    ("status", "cls", "reason"),
    [
        (500, InternalServerError, "Internal Server Error"),
        (503, InternalServerError, "Service Unavailable"),
        (401, AuthenticationError, "Unauthorized"),
        (404, NotFoundError, "Not Found"),
    ],
)
def test_c31_empty_body(
    rsps: responses.RequestsMock, status: int, cls: Type[APIStatusError], reason: str
) -> None:
    err = error_for(rsps, status, b"", content_type="text/plain")
    assert type(err) is cls
    assert err.message == reason
    assert err.body is None
    assert str(err) == f"{status} {reason}"


def test_c31_whitespace_only_body(rsps: responses.RequestsMock) -> None:
    err = error_for(rsps, 500, b"  \r\n ", content_type="text/plain")
    assert isinstance(err, InternalServerError)
    assert err.message == "Internal Server Error"


def test_c31_plain_text_with_status_200(rsps: responses.RequestsMock) -> None:
    rsps.add(
        "GET",
        MODEL_URL,
        status=200,
        body=b"Service temporarily unavailable, try later",
        content_type="text/plain",
        headers={"x-request-id": "req_txt"},
    )
    with pytest.raises(APIResponseValidationError) as info:
        make_client(max_retries=2).models().retrieve("m").send()
    err = info.value
    assert err.kind is ApiErrorKind.RESPONSE_VALIDATION
    assert "Service temporarily unavailable" in err.message
    assert "text/plain" in err.message
    assert err.request_id == "req_txt"
    assert "req_txt" in str(err)
    assert len(rsps.calls) == 1  # a malformed 2xx is not retried


def test_c31_json_sent_as_text_plain_with_status_200_decodes(
    rsps: responses.RequestsMock,
) -> None:
    body = b'{"id": "m", "object": "model", "created": 1, "owned_by": "me"}'
    rsps.add("GET", MODEL_URL, status=200, body=body, content_type="text/plain")
    assert make_client().models().retrieve("m").send().id == "m"


def test_c31_html_with_status_200(rsps: responses.RequestsMock) -> None:
    rsps.add("GET", MODEL_URL, status=200, body=b"<html>login</html>", content_type="text/html")
    with pytest.raises(APIResponseValidationError, match="login"):
        make_client().models().retrieve("m").send()


def test_c31_truncated_json_never_leaks_json_decode_error(rsps: responses.RequestsMock) -> None:
    err = error_for(rsps, 400, b'{"error": {"message": "cut off', content_type="application/json")
    assert isinstance(err, BadRequestError)
    assert not isinstance(err, json.JSONDecodeError)
    assert "cut off" in err.message


def test_c31_invalid_utf8_body(rsps: responses.RequestsMock) -> None:
    err = error_for(rsps, 500, b"upstream \xff\xfe failure", content_type="text/plain")
    assert isinstance(err, InternalServerError)
    assert "upstream" in err.message
    assert "failure" in err.message


def test_c31_long_body_is_truncated(rsps: responses.RequestsMock) -> None:
    err = error_for(rsps, 500, b"x" * 100_000, content_type="text/plain")
    assert isinstance(err, InternalServerError)
    assert 100 < len(err.message) < 5000
    assert isinstance(err.body, str)
    assert len(err.body) < 5000


def test_c31_json_array_body(rsps: responses.RequestsMock) -> None:
    err = error_for(rsps, 400, [{"message": "bad"}])
    assert isinstance(err, BadRequestError)
    assert "bad" in err.message


def test_streaming_request_error_status_reads_body(rsps: responses.RequestsMock) -> None:
    rsps.add(
        "POST",
        CHAT_URL,
        status=400,
        json={"error": {"message": "stream_options not supported", "param": "stream_options"}},
    )
    client = make_client()
    with pytest.raises(BadRequestError) as info:
        client.chat().completions().create().model("m").message_user("x").stream()
    assert info.value.message == "stream_options not supported"
    assert info.value.param == "stream_options"


# -- C32: errors inside HTTP 200 ---------------------------------------------------------------


def openrouter_error(code: int, message: str) -> Dict[str, Any]:
    return {
        "id": "gen-1",
        "error": {"message": message, "code": code, "metadata": {"provider_name": "X"}},
        "choices": None,
    }


def chat_send(client: Client) -> Any:
    return client.chat().completions().create().model("m").message_user("hi").send()


def test_c32_error_in_200_raises_rate_limit(rsps: responses.RequestsMock) -> None:
    rsps.add(
        "POST",
        CHAT_URL,
        json=openrouter_error(429, "Rate limit exceeded upstream"),
        headers={"x-request-id": "req_or"},
    )
    with pytest.raises(RateLimitError) as info:
        chat_send(make_client(max_retries=0))
    err = info.value
    assert err.status == 429
    assert err.code == 429
    assert err.message == "Rate limit exceeded upstream"
    assert err.request_id == "req_or"
    assert err.kind is ApiErrorKind.RATE_LIMIT


def test_c32_error_in_200_with_429_is_retried(rsps: responses.RequestsMock) -> None:
    rsps.add("POST", CHAT_URL, json=openrouter_error(429, "Rate limit exceeded upstream"))
    rsps.add("POST", CHAT_URL, json=CHAT_OK)
    client = make_client(max_retries=2)
    sleeps: List[float] = []
    client._sleep = sleeps.append
    completion = chat_send(client)
    assert completion.choices[0].message.content == "hi"
    assert len(rsps.calls) == 2
    assert len(sleeps) == 1


def test_c32_error_in_200_honours_retry_after_of_the_200(rsps: responses.RequestsMock) -> None:
    rsps.add(
        "POST",
        CHAT_URL,
        json=openrouter_error(429, "Rate limit exceeded upstream"),
        headers={"retry-after": "7"},
    )
    rsps.add("POST", CHAT_URL, json=CHAT_OK)
    client = make_client(max_retries=2)
    sleeps: List[float] = []
    client._sleep = sleeps.append
    chat_send(client)
    assert sleeps == [7.0]


def test_c32_error_in_200_with_5xx_is_retried(rsps: responses.RequestsMock) -> None:
    rsps.add("POST", CHAT_URL, json=openrouter_error(502, "Provider returned error"))
    rsps.add("POST", CHAT_URL, json=openrouter_error(502, "Provider returned error"))
    client = make_client(max_retries=1)
    with pytest.raises(InternalServerError, match="Provider returned error") as info:
        chat_send(client)
    assert info.value.status == 502
    assert len(rsps.calls) == 2


def test_c32_error_in_200_with_400_is_bad_request_not_retried(
    rsps: responses.RequestsMock,
) -> None:
    rsps.add("POST", CHAT_URL, json=openrouter_error(400, "Invalid tool schema"))
    rsps.add("POST", CHAT_URL, json=CHAT_OK)
    client = make_client(max_retries=3)
    with pytest.raises(BadRequestError) as info:
        chat_send(client)
    assert info.value.status == 400
    assert info.value.message == "Invalid tool schema"
    assert len(rsps.calls) == 1


def test_c32_error_in_200_without_status_code(rsps: responses.RequestsMock) -> None:
    rsps.add("POST", CHAT_URL, json={"error": {"message": "weird", "code": "oops"}})
    with pytest.raises(APIError, match="weird") as info:
        chat_send(make_client(max_retries=2))
    assert not isinstance(info.value, APIStatusError)
    assert info.value.code == "oops"
    assert len(rsps.calls) == 1


def test_c32_null_error_in_200_is_not_an_error(rsps: responses.RequestsMock) -> None:
    rsps.add("POST", CHAT_URL, json={**CHAT_OK, "error": None})
    assert chat_send(make_client()).id == "chatcmpl-1"
