"""``client.responses().parse(T)``: ``text.format``, ``output_parsed``, refusals, errors."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator, List, Optional

import attrs
import pytest
import responses

from openai_core import (
    Client,
    ContentFilterFinishReasonError,
    LengthFinishReasonError,
    StructuredOutputError,
)

BASE = "http://api.test/v1"
URL = f"{BASE}/responses"

pytestmark = pytest.mark.timeout(30)


@attrs.frozen
class Step:
    explanation: str
    output: str


@attrs.frozen
class Solution:
    steps: List[Step]
    final_answer: str


SOLUTION = {"steps": [{"explanation": "add", "output": "2"}], "final_answer": "2"}


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def client() -> Client:
    return Client(api_key="sk-test", base_url=BASE, max_retries=0)


def response(
    text: Optional[str] = None,
    *,
    refusal: Optional[str] = None,
    status: str = "completed",
    incomplete: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]:
    content: List[Dict[str, Any]] = []
    if text is not None:
        content.append({"type": "output_text", "text": text, "annotations": []})
    if refusal is not None:
        content.append({"type": "refusal", "refusal": refusal})
    return {
        "id": "resp_1",
        "object": "response",
        "created_at": 1,
        "status": status,
        "model": "m",
        "incomplete_details": incomplete,
        "output": [
            {
                "type": "message",
                "id": "msg_1",
                "role": "assistant",
                "status": "completed",
                "content": content,
            }
        ],
        "usage": {"input_tokens": 1, "output_tokens": 2, "total_tokens": 3},
    }


def test_parse_sends_text_format_and_returns_output_parsed(
    rsps: responses.RequestsMock, client: Client
) -> None:
    rsps.post(URL, json=response(json.dumps(SOLUTION)))
    builder = client.responses().parse(Solution).model("m").input_text("1+1")
    done = builder.text({"verbosity": "low"}).send()
    assert done.output_parsed == Solution(
        steps=[Step(explanation="add", output="2")], final_answer="2"
    )
    assert done.id == "resp_1" and done.status == "completed" and done.usage.total_tokens == 3
    assert done.output_text == json.dumps(SOLUTION)
    sent = json.loads(rsps.calls[0].request.body)
    assert sent["text"]["verbosity"] == "low"
    fmt = sent["text"]["format"]
    assert fmt["type"] == "json_schema" and fmt["name"] == "Solution" and fmt["strict"] is True
    assert fmt["schema"]["required"] == ["steps", "final_answer"]


def test_refusal_leaves_output_parsed_none(rsps: responses.RequestsMock, client: Client) -> None:
    rsps.post(URL, json=response(refusal="No."))
    done = client.responses().parse(Solution).model("m").input_text("x").send()
    assert done.output_parsed is None and done.refusal == "No."


def test_mismatch_raises_with_the_path(rsps: responses.RequestsMock, client: Client) -> None:
    rsps.post(
        URL, json=response('{"steps": [{"explanation": 1, "output": "2"}], "final_answer": "2"}')
    )
    with pytest.raises(StructuredOutputError) as info:
        client.responses().parse(Solution).model("m").input_text("x").send()
    assert info.value.path == "$.steps[0].explanation"


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("max_output_tokens", LengthFinishReasonError),
        ("content_filter", ContentFilterFinishReasonError),
    ],
)
def test_incomplete_responses_raise(
    rsps: responses.RequestsMock, client: Client, reason: str, error: type
) -> None:
    rsps.post(URL, json=response('{"steps": [', status="incomplete", incomplete={"reason": reason}))
    with pytest.raises(error):
        client.responses().parse(Solution).model("m").input_text("x").send()


@pytest.mark.parametrize(
    ("mode", "check"),
    [
        ("json_object_schema", lambda b: b["text"]["format"]["type"] == "json_object"),
        ("guided_json", lambda b: "text" not in b and b["guided_json"]["type"] == "object"),
        (
            "prompt",
            lambda b: (
                "text" not in b
                and b["input"][0]["role"] == "system"
                and b["input"][1] == {"role": "user", "content": "x"}
            ),
        ),
    ],
)
def test_modes_shape_the_request(client: Client, mode: str, check: Any) -> None:
    builder = client.responses().parse(Solution).model("m").input_text("x")
    sent = builder.structured_output_mode(mode).build().json_data  # type: ignore[arg-type]
    assert check(sent)


def test_prompt_mode_retries_once(rsps: responses.RequestsMock, client: Client) -> None:
    rsps.post(URL, json=response("not json"))
    rsps.post(URL, json=response(json.dumps(SOLUTION)))
    builder = client.responses().parse(Solution).structured_output_mode("prompt").model("m")
    done = builder.input_text("1+1").send()
    assert done.output_parsed is not None and done.output_parsed.final_answer == "2"
    retry = json.loads(rsps.calls[1].request.body)["input"]
    assert [item["role"] for item in retry] == ["system", "user", "assistant", "user"]
    assert "not valid JSON" in retry[-1]["content"]
