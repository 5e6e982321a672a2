"""The facade operations, through the public SDK, against the spec-driven mock.

Each test sends one operation with its required parameters (and one per namespace with many
optional ones) and checks that the mock accepted the request as valid for the spec (a 2xx
answer *and* no diagnostic in the ``X-Steady-Error-*`` headers: Steady answers problems it
cannot attribute to the client with confidence, such as a union no variant of which matched, with
a 2xx and ``X-Steady-Request-Valid: true``) and that the answer decodes in strict mode.

Two answers of the mock do not fit the spec, and the tests check that strict decoding rejects
exactly that and nothing else:

* Steady answers responses create, retrieve and cancel with the spec's own example of
  ``Response``, whose ``user`` is ``null`` where the schema allows only a string, whose
  ``output_text`` part lacks the required ``logprobs`` (also listed in
  ``MOCK_ANSWER_NOT_SPEC_VALID`` of ``test_all_operations.py``), and which has a ``store`` field
  the schema does not define: with those mended, the answer decodes strictly
  (:func:`accepted_response`).
* Steady ends every stream with its own ``event: done`` / ``data: {}``, not in the spec.
"""

from __future__ import annotations

import copy
from typing import Any, List

import pytest
import requests
from mock_server import MockServer, reported_problems  # tools/ is put on sys.path by conftest.py

from openai_core import (
    ApiResponse,
    APIResponseValidationError,
    BadRequestError,
    Client,
    UnprocessableEntityError,
)
from openai_core.types.chat import ChatCompletion, ChatCompletionDeleted, ChatCompletionStoreMessage
from openai_core.types.completions import Completion
from openai_core.types.embeddings import CreateEmbeddingResponse
from openai_core.types.models import Model, ModelDeleted
from openai_core.types.responses import InputTokenCount, Response, UnknownResponseStreamEvent

MODEL = "gpt-4o"
TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather in a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


def accepted(result: ApiResponse[Any]) -> Any:
    """Assert the mock judged the request valid for the spec; return the decoded data."""
    check_accepted(result.meta.status, result.meta.headers)
    return result.data


def check_accepted(status: int, headers: Any) -> None:
    """Assert a 2xx answer and no diagnostic of the mock about the request."""
    assert status < 400
    problems = reported_problems(headers)
    assert headers.get("x-steady-request-valid") == "true", problems
    assert not problems, problems  # also the diagnostics Steady does not reject (E3012 unions)


def accepted_response(builder: Any) -> Response:
    """Send ``builder``, check the mock accepted the request, and decode the answer strictly.

    The mock answers with the spec's own ``Response`` example, which breaks the spec twice,
    with ``"user": null`` (the schema allows only a string) and an ``output_text`` part without
    the required ``logprobs``, and has a ``store`` field the schema does not define (which strict
    mode rejects as unknown). Strict decoding must reject the answer, and accept it once those
    three are mended.
    """
    raw = builder.send_raw()
    check_accepted(raw.status_code, raw.headers)
    body = raw.json()
    mended = copy.deepcopy(body)
    if "user" in mended and mended["user"] is None:
        del mended["user"]
    mended.pop("store", None)
    for item in mended.get("output") or ():
        for part in item.get("content") or () if item.get("type") == "message" else ():
            if part.get("type") == "output_text":
                part.setdefault("logprobs", [])
    if mended != body:
        with pytest.raises(
            APIResponseValidationError, match=r"Response\.user|Response\.output|store"
        ):
            Response.from_dict(body, strict=True)
    return Response.from_dict(mended, strict=True)


def test_mock_answers_at_the_root_without_v1(mock_server: MockServer) -> None:
    assert requests.get(mock_server.base_url + "/models", timeout=10).status_code == 200
    assert requests.get(mock_server.base_url + "/v1/models", timeout=10).status_code == 404


# -- chat completions ------------------------------------------------------------------------


def test_chat_completions_create_required(client: Client) -> None:
    builder = client.chat().completions().create().model(MODEL).message_user("Hello")
    completion = accepted(builder.send_with_meta())
    assert isinstance(completion, ChatCompletion)
    assert completion.choices


def test_chat_completions_create_many_optional(client: Client) -> None:
    builder = (
        client.chat()
        .completions()
        .create()
        .model(MODEL)
        .message_system("Be brief.")
        .message_developer("Answer in English.")
        .message_user("What is the weather in Paris?")
        .message_assistant("Let me check.")
        .temperature(0.5)
        .top_p(0.9)
        .n(1)
        .max_completion_tokens(64)
        .stop(["\n\n"])
        .seed(7)
        .presence_penalty(0.1)
        .frequency_penalty(0.1)
        .logit_bias({"50256": -100})
        .logprobs(True)
        .top_logprobs(2)
        .tool(TOOL)
        .tool_choice("auto")
        .parallel_tool_calls(True)
        .response_format({"type": "json_object"})
        .store(True)
        .metadata({"suite": "contract"})
        .reasoning_effort("low")
        .service_tier("auto")
        .modalities(["text"])
        .user("user-1")
        .safety_identifier("user-1-hash")
        .prompt_cache_key("contract")
        .verbosity("low")
    )
    assert isinstance(accepted(builder.send_with_meta()), ChatCompletion)


def test_chat_completions_stream(client: Client) -> None:
    builder = client.chat().completions().create().model(MODEL).message_user("Hi")
    with builder.stream() as stream:
        chunks = list(stream)
        final = stream.final_completion()
    assert chunks
    assert all(chunk.object == "chat.completion.chunk" for chunk in chunks)
    assert isinstance(final, ChatCompletion)


def test_chat_completions_retrieve(client: Client) -> None:
    completion = accepted(client.chat().completions().retrieve("chatcmpl-123").send_with_meta())
    assert isinstance(completion, ChatCompletion)


def test_chat_completions_update(client: Client) -> None:
    builder = client.chat().completions().update("chatcmpl-123").metadata({"reviewed": "yes"})
    assert isinstance(accepted(builder.send_with_meta()), ChatCompletion)


def test_chat_completions_list(client: Client) -> None:
    page = accepted(client.chat().completions().list().send_with_meta())
    assert all(isinstance(item, ChatCompletion) for item in page.data)


def test_chat_completions_list_many_optional(client: Client) -> None:
    builder = (
        client.chat()
        .completions()
        .list()
        .model(MODEL)
        .metadata({"suite": "contract"})
        .after("chatcmpl-100")
        .limit(5)
        .order("asc")
    )
    page = accepted(builder.send_with_meta())
    assert all(isinstance(item, ChatCompletion) for item in page.data)


def test_chat_completions_delete(client: Client) -> None:
    deleted = accepted(client.chat().completions().delete("chatcmpl-123").send_with_meta())
    assert isinstance(deleted, ChatCompletionDeleted)


def test_chat_completions_messages_list(client: Client) -> None:
    builder = client.chat().completions().messages().list("chatcmpl-123")
    page = accepted(builder.after("msg-1").limit(10).order("desc").send_with_meta())
    assert all(isinstance(item, ChatCompletionStoreMessage) for item in page.data)


# -- completions ------------------------------------------------------------------------------


def test_completions_create_required(client: Client) -> None:
    builder = client.completions().create().model("gpt-3.5-turbo-instruct").prompt("Say hi")
    completion = accepted(builder.send_with_meta())
    assert isinstance(completion, Completion)


def test_completions_create_many_optional(client: Client) -> None:
    builder = (
        client.completions()
        .create()
        .model("gpt-3.5-turbo-instruct")
        .prompt(["Say hi", "Say bye"])
        .suffix(".")
        .max_tokens(16)
        .temperature(0.2)
        .top_p(0.9)
        .n(1)
        .stop(["\n"])
        .seed(3)
        .echo(False)
        .best_of(1)
        .logprobs(2)
        .logit_bias({"50256": -100})
        .presence_penalty(0.0)
        .frequency_penalty(0.0)
        .user("user-1")
    )
    assert isinstance(accepted(builder.send_with_meta()), Completion)


def test_completions_stream_answered_with_json_says_so(client: Client) -> None:
    # The spec declares no SSE answer for POST /completions, so the mock answers a stream
    # request with one JSON body: the SDK raises a clear error instead of an empty stream.
    builder = client.completions().create().model("gpt-3.5-turbo-instruct").prompt("Say hi")
    with pytest.raises(APIResponseValidationError, match="text/event-stream"):
        builder.stream()


# -- embeddings -------------------------------------------------------------------------------


def test_embeddings_create_required(client: Client) -> None:
    # Without an explicit format the SDK asks for base64; the mock answers floats, as the
    # spec's schema says, and the SDK accepts either.
    builder = client.embeddings().create().model("text-embedding-3-small").input("hello")
    result = accepted(builder.send_with_meta())
    assert isinstance(result, CreateEmbeddingResponse)
    assert all(isinstance(x, float) for x in result.data[0].embedding)


def test_embeddings_create_many_optional(client: Client) -> None:
    builder = (
        client.embeddings()
        .create()
        .model("text-embedding-3-small")
        .input(["hello", "world"])
        .dimensions(8)
        .encoding_format("float")
        .user("user-1")
    )
    assert isinstance(accepted(builder.send_with_meta()), CreateEmbeddingResponse)


# -- models -----------------------------------------------------------------------------------


def test_models_list(client: Client) -> None:
    page = accepted(client.models().list().send_with_meta())
    assert page.data and all(isinstance(item, Model) for item in page.data)


def test_models_retrieve(client: Client) -> None:
    assert isinstance(accepted(client.models().retrieve(MODEL).send_with_meta()), Model)


def test_models_delete(client: Client) -> None:
    builder = client.models().delete("ft:gpt-4o-mini:acme:suffix:abc123")
    assert isinstance(accepted(builder.send_with_meta()), ModelDeleted)


# -- responses --------------------------------------------------------------------------------


def test_responses_create_required(client: Client, lenient_client: Client) -> None:
    builder = client.responses().create().model(MODEL).input_text("Hello")
    response = accepted_response(builder)
    assert response.completed_at is not None  # a field of the spec's Response
    assert response.extra == {}
    # The answer's ``store`` is not a field of the spec's Response: lenient decoding keeps it.
    lenient = lenient_client.responses().create().model(MODEL).input_text("Hello")
    answer = accepted(lenient.send_with_meta())
    assert isinstance(answer, Response)
    assert answer.extra == {"store": True}


def test_responses_create_many_optional(client: Client) -> None:
    builder = (
        client.responses()
        .create()
        .model(MODEL)
        .instructions("Be brief.")
        .message_user("What is the weather in Paris?")
        .function_call_output("call_1", "sunny")
        .tool(
            {
                "type": "function",
                "name": "get_weather",
                "parameters": {"type": "object"},
                "strict": False,
            }
        )
        .tool_choice("auto")
        .parallel_tool_calls(True)
        .text({"format": {"type": "text"}})
        .reasoning({"effort": "low"})
        .truncation("auto")
        .temperature(0.5)
        .top_p(0.9)
        .max_output_tokens(64)
        .max_tool_calls(2)
        .top_logprobs(2)
        .metadata({"suite": "contract"})
        .store(True)
        .background(False)
        .include(["message.output_text.logprobs"])
        .service_tier("auto")
        .prompt_cache_key("contract")
        .safety_identifier("user-1-hash")
        .user("user-1")
    )
    assert isinstance(accepted_response(builder), Response)


def test_responses_create_with_previous_response_id(client: Client) -> None:
    builder = (
        client.responses()
        .create()
        .model(MODEL)
        .input_text("And tomorrow?")
        .previous_response_id("resp_123")
    )
    assert isinstance(accepted_response(builder), Response)


def test_responses_stream(client: Client, lenient_client: Client) -> None:
    # Strict: every event the mock generates from the spec's ``ResponseStreamEvent`` decodes into
    # its own variant. Steady ends every stream with its own ``event: done`` / ``data: {}`` (not
    # in the spec), which strict decoding rejects as an event without a type.
    events: List[Any] = []
    builder = client.responses().create().model(MODEL).input_text("Hi")
    with builder.stream() as stream, pytest.raises(APIResponseValidationError) as info:
        for event in stream:
            events.append(event)
    assert "UnknownResponseStreamEvent.type: required field is missing" in str(info.value)
    assert info.value.body == {}
    assert events
    assert not any(isinstance(event, UnknownResponseStreamEvent) for event in events)
    assert all(isinstance(event.type, str) for event in events)
    # Lenient decoding keeps named events, so Steady's arrives as an event without a type.
    with lenient_client.responses().create().model(MODEL).input_text("Hi").stream() as stream:
        *spec_events, steady_done = list(stream)
    assert [type(event) for event in spec_events] == [type(event) for event in events]
    assert isinstance(steady_done, UnknownResponseStreamEvent) and steady_done.type is None


def test_responses_retrieve(client: Client) -> None:
    builder = client.responses().retrieve("resp_123")
    assert isinstance(accepted_response(builder), Response)
    builder = builder.include(["message.output_text.logprobs"])
    assert isinstance(accepted_response(builder), Response)


def test_responses_delete(client: Client) -> None:
    assert accepted(client.responses().delete("resp_123").send_with_meta()) is None


def test_responses_cancel(client: Client) -> None:
    builder = client.responses().cancel("resp_123")
    assert isinstance(accepted_response(builder), Response)


def test_responses_input_items_list(client: Client) -> None:
    page = accepted(client.responses().input_items().list("resp_123").send_with_meta())
    assert page.data


def test_responses_input_items_list_many_optional(client: Client) -> None:
    builder = (
        client.responses()
        .input_items()
        .list("resp_123")
        .after("msg_1")
        .limit(5)
        .order("asc")
        .include(["message.input_image.image_url"])
    )
    assert accepted(builder.send_with_meta()).data


def test_responses_input_tokens_count(client: Client) -> None:
    builder = client.responses().input_tokens().count().model(MODEL).input_text("Hello")
    count = accepted(builder.send_with_meta())
    assert isinstance(count, InputTokenCount)
    assert isinstance(count.input_tokens, int)


def test_responses_input_tokens_count_many_optional(client: Client) -> None:
    builder = (
        client.responses()
        .input_tokens()
        .count()
        .model(MODEL)
        .instructions("Be brief.")
        .message_user("Hello")
        .message_assistant("Hi!")
        .message_user("Weather?")
        .tool(
            {
                "type": "function",
                "name": "get_weather",
                "parameters": {"type": "object"},
                "strict": False,
            }
        )
        .tool_choice("auto")
        .parallel_tool_calls(False)
        .text({"format": {"type": "text"}})
        .reasoning({"effort": "low"})
        .truncation("auto")
    )
    assert isinstance(accepted(builder.send_with_meta()), InputTokenCount)


# -- the mock really validates ---------------------------------------------------------------


def test_missing_required_field_is_rejected(client: Client) -> None:
    builder = client.chat().completions().create().message_user("Hello")  # no model
    with pytest.raises((BadRequestError, UnprocessableEntityError)) as info:
        builder.send()
    assert info.value.status in (400, 422)
    assert "model" in str(info.value.body)


def test_wrong_type_is_rejected(client: Client) -> None:
    builder = client.embeddings().create().model("m").input("x").extra_body({"dimensions": "8"})
    with pytest.raises(BadRequestError) as info:
        builder.send()
    assert "dimensions" in str(info.value.body)


def test_value_outside_an_enum_is_rejected(client: Client) -> None:
    with pytest.raises(BadRequestError) as info:
        client.chat().completions().list().order("sideways").send()
    assert "order" in str(info.value.body)
