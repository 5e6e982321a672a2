"""``openai_core.compat.OpenAI``: the official SDK's call style builds the builders' requests.

The first group sends the same calls through the compat client and through the builders
(``responses`` records both) and compares method, URL, headers (minus ``Idempotency-Key`` and
``User-Agent``) and body. The second runs the official ``openai`` client (skipped when it is not
installed) and the compat client against a recording ``http.server`` on 127.0.0.1 and compares the
parsed JSON bodies, paths and queries.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, ClassVar, Dict, Iterator, List, Tuple

import pytest
import responses

from openai_core import ChatCompletionStream, Client, ResponseStream
from openai_core.compat import OpenAI
from openai_core.types.chat import ChatCompletion

pytestmark = pytest.mark.timeout(30)

BASE_URL = "http://llm.test/v1"
MESSAGES = [{"role": "user", "content": "Hello"}]
CHAT = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "Hi"}, "finish_reason": "stop"}
    ],
}
CHUNK = {
    "id": "chatcmpl-1",
    "object": "chat.completion.chunk",
    "created": 1,
    "model": "m",
    "choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": None}],
}
RESPONSE = {
    "id": "resp_1",
    "object": "response",
    "created_at": 1,
    "status": "completed",
    "model": "m",
    "output": [],
}
EMBEDDINGS = {
    "object": "list",
    "data": [{"object": "embedding", "index": 0, "embedding": [0.5, 0.25]}],
    "model": "m",
    "usage": {"prompt_tokens": 1, "total_tokens": 1},
}
MODEL = {"id": "m", "object": "model", "created": 1, "owned_by": "me"}
MODELS = {"object": "list", "data": [MODEL]}
COMPLETION = {
    "id": "cmpl-1",
    "object": "text_completion",
    "created": 1,
    "model": "m",
    "choices": [{"index": 0, "text": "Hi", "finish_reason": "stop", "logprobs": None}],
}


def sse(*events: Tuple[str, Any]) -> bytes:
    out = b""
    for name, payload in events:
        head = f"event: {name}\n" if name else ""
        out += f"{head}data: {json.dumps(payload)}\n\n".encode()
    return out


CHAT_SSE = sse(("", CHUNK)) + b"data: [DONE]\n\n"
RESPONSE_SSE = sse(
    ("response.created", {"type": "response.created", "sequence_number": 0, "response": RESPONSE}),
    (
        "response.completed",
        {"type": "response.completed", "sequence_number": 1, "response": RESPONSE},
    ),
)
COMPLETION_SSE = sse(("", COMPLETION)) + b"data: [DONE]\n\n"


def answer(path: str, body: Any) -> Tuple[str, bytes]:
    """The canned reply of the fake server: (content type, body)."""
    streaming = isinstance(body, dict) and body.get("stream") is True
    if path.endswith("/chat/completions"):
        return ("text/event-stream", CHAT_SSE) if streaming else ("", json.dumps(CHAT).encode())
    if path.endswith("/responses"):
        if streaming:
            return "text/event-stream", RESPONSE_SSE
        return "", json.dumps(RESPONSE).encode()
    if path.endswith("/completions"):
        if streaming:
            return "text/event-stream", COMPLETION_SSE
        return "", json.dumps(COMPLETION).encode()
    if path.endswith("/embeddings"):
        return "", json.dumps(EMBEDDINGS).encode()
    if path.endswith("/models"):
        return "", json.dumps(MODELS).encode()
    return "", json.dumps(MODEL).encode()


# --- compat calls and builder calls send the same requests ---------------------------------------


@pytest.fixture
def server() -> Iterator[responses.RequestsMock]:
    def reply(request: Any) -> Tuple[int, Dict[str, str], bytes]:
        body = json.loads(request.body) if request.body else None
        content_type, data = answer(request.path_url.split("?")[0], body)
        return 200, {"Content-Type": content_type or "application/json"}, data

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for method in (responses.GET, responses.POST):
            mock.add_callback(method, responses.matchers.re.compile(r"http://llm\.test/.*"), reply)  # type: ignore[attr-defined]
        yield mock


@pytest.fixture
def client() -> Iterator[Client]:
    with Client(base_url=BASE_URL, api_key="sk-test", max_retries=0) as c:
        yield c


def wire(server: responses.RequestsMock, call: Callable[[], Any]) -> Tuple[Any, ...]:
    before = len(server.calls)
    result = call()
    if isinstance(result, (ChatCompletionStream, ResponseStream)) or hasattr(result, "until_done"):
        result.until_done()
    assert len(server.calls) == before + 1
    request = server.calls[-1].request
    headers = {
        k.lower(): v
        for k, v in request.headers.items()
        if k.lower() not in ("idempotency-key", "user-agent")
    }
    body = json.loads(request.body) if request.body else None
    return request.method, request.url, headers, body


def same_wire(
    server: responses.RequestsMock, compat: Callable[[], Any], builder: Callable[[], Any]
) -> Any:
    sent = wire(server, compat)
    assert sent == wire(server, builder)
    return sent


def test_chat_create_matches_the_builder(server: responses.RequestsMock, client: Client) -> None:
    compat = OpenAI(client=client)
    sent = same_wire(
        server,
        lambda: compat.chat.completions.create(
            model="m", messages=MESSAGES, temperature=0, max_tokens=5, seed=1
        ),
        lambda: (
            client.chat()
            .completions()
            .create()
            .model("m")
            .messages(MESSAGES)
            .temperature(0)
            .max_tokens(5)
            .seed(1)
            .send()
        ),
    )
    assert sent[3] == {
        "model": "m",
        "messages": MESSAGES,
        "temperature": 0,
        "max_tokens": 5,
        "seed": 1,
    }


def test_chat_create_returns_a_chat_completion(
    client: Client, server: responses.RequestsMock
) -> None:
    result = OpenAI(client=client).chat.completions.create(model="m", messages=MESSAGES)
    assert isinstance(result, ChatCompletion)
    assert result.choices[0].message.content == "Hi"


def test_chat_stream_true_returns_the_chunk_stream(
    server: responses.RequestsMock, client: Client
) -> None:
    compat = OpenAI(client=client)
    same_wire(
        server,
        lambda: compat.chat.completions.create(
            model="m", messages=MESSAGES, stream=True, stream_options={"include_usage": True}
        ),
        lambda: (
            client.chat()
            .completions()
            .create()
            .model("m")
            .messages(MESSAGES)
            .stream_options({"include_usage": True})
            .stream()
        ),
    )
    stream = compat.chat.completions.create(model="m", messages=MESSAGES, stream=True)
    assert isinstance(stream, ChatCompletionStream)
    assert [c.choices[0].delta.content for c in stream] == ["Hi"]


def test_stream_false_is_sent_like_upstream(server: responses.RequestsMock, client: Client) -> None:
    sent = wire(
        server,
        lambda: OpenAI(client=client).chat.completions.create(
            model="m", messages=MESSAGES, stream=False
        ),
    )
    assert sent[3]["stream"] is False


def test_extra_arguments_match_the_builder(server: responses.RequestsMock, client: Client) -> None:
    compat = OpenAI(client=client)
    sent = same_wire(
        server,
        lambda: compat.chat.completions.create(
            model="m",
            messages=MESSAGES,
            top_k=40,  # not an API field: goes into the body
            extra_headers={"X-Trace": "1"},
            extra_query={"api-version": "v"},
            extra_body={"min_p": 0.1},
            timeout=12,
        ),
        lambda: (
            client.chat()
            .completions()
            .create()
            .model("m")
            .messages(MESSAGES)
            .header("X-Trace", "1")
            .query("api-version", "v")
            .extra_body({"top_k": 40, "min_p": 0.1})
            .timeout(12)
            .send()
        ),
    )
    assert sent[2]["x-trace"] == "1"
    assert sent[1].endswith("/chat/completions?api-version=v")
    assert sent[3]["top_k"] == 40 and sent[3]["min_p"] == 0.1


def test_official_not_given_sentinels_leave_fields_out(
    server: responses.RequestsMock, client: Client
) -> None:
    class NotGiven:
        pass

    sent = wire(
        server,
        lambda: OpenAI(client=client).chat.completions.create(
            model="m", messages=MESSAGES, temperature=NotGiven()
        ),
    )
    assert "temperature" not in sent[3]


def test_responses_create_and_stream_match_the_builder(
    server: responses.RequestsMock, client: Client
) -> None:
    compat = OpenAI(client=client)
    same_wire(
        server,
        lambda: compat.responses.create(model="m", input="hi", max_output_tokens=16),
        lambda: client.responses().create().model("m").input("hi").max_output_tokens(16).send(),
    )
    same_wire(
        server,
        lambda: compat.responses.create(model="m", input=MESSAGES, stream=True),
        lambda: client.responses().create().model("m").input(MESSAGES).stream(),
    )
    stream = compat.responses.create(model="m", input="hi", stream=True)
    assert isinstance(stream, ResponseStream)
    assert stream.final_response().id == "resp_1"


def test_embeddings_models_and_completions_match_the_builder(
    server: responses.RequestsMock, client: Client
) -> None:
    compat = OpenAI(client=client)
    same_wire(
        server,
        lambda: compat.embeddings.create(model="m", input=["a", "b"], dimensions=2),
        lambda: client.embeddings().create().model("m").input(["a", "b"]).dimensions(2).send(),
    )
    same_wire(server, compat.models.list, lambda: client.models().list().send())
    same_wire(
        server, lambda: compat.models.retrieve("m"), lambda: client.models().retrieve("m").send()
    )
    same_wire(
        server,
        lambda: compat.completions.create(model="m", prompt="Once", max_tokens=3),
        lambda: client.completions().create().model("m").prompt("Once").max_tokens(3).send(),
    )
    assert compat.embeddings.create(model="m", input="a").data[0].embedding == [0.5, 0.25]
    assert [m.id for m in compat.models.list()] == ["m"]
    assert compat.models.retrieve("m").id == "m"


def test_namespaces_are_attributes(client: Client) -> None:
    compat = OpenAI(client=client)
    assert callable(compat.chat.completions.create)
    assert callable(compat.responses.create)
    assert not callable(compat.chat)


# --- the official SDK and the compat client send the same JSON -----------------------------------


class Recorder(BaseHTTPRequestHandler):
    records: ClassVar[List[Tuple[str, str, Any]]] = []

    def _reply(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        self.records.append((self.command, self.path, body))
        content_type, data = answer(self.path.split("?")[0], body)
        self.send_response(200)
        self.send_header("Content-Type", content_type or "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _reply

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def recording_server() -> Iterator[Tuple[str, List[Tuple[str, str, Any]]]]:
    records: ClassVar[List[Tuple[str, str, Any]]] = []
    handler = type("Handler", (Recorder,), {"records": records})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", records
    finally:
        httpd.shutdown()
        httpd.server_close()


CALLS: List[Tuple[str, Callable[[Any], Any]]] = [
    ("chat", lambda c: c.chat.completions.create(model="m", messages=MESSAGES, temperature=0.5)),
    (
        "chat-stream",
        lambda c: list(
            c.chat.completions.create(
                model="m", messages=MESSAGES, stream=True, stream_options={"include_usage": True}
            )
        ),
    ),
    (
        "chat-extra",
        lambda c: c.chat.completions.create(
            model="m",
            messages=MESSAGES,
            max_completion_tokens=9,
            extra_body={"top_k": 4},
            extra_query={"q": "1"},
            extra_headers={"X-Trace": "1"},
        ),
    ),
    ("responses", lambda c: c.responses.create(model="m", input="hi", store=False)),
    ("responses-stream", lambda c: list(c.responses.create(model="m", input="hi", stream=True))),
    ("embeddings", lambda c: c.embeddings.create(model="m", input=["a", "b"])),
    ("models-list", lambda c: list(c.models.list())),
    ("models-retrieve", lambda c: c.models.retrieve("m")),
    ("completions", lambda c: c.completions.create(model="m", prompt="Once", max_tokens=3)),
]


@pytest.mark.parametrize("call", [c for _, c in CALLS], ids=[name for name, _ in CALLS])
def test_the_official_sdk_and_compat_send_the_same_json(
    recording_server: Tuple[str, List[Tuple[str, str, Any]]], call: Callable[[Any], Any]
) -> None:
    openai = pytest.importorskip("openai")
    base_url, records = recording_server
    official = openai.OpenAI(api_key="sk-test", base_url=base_url, max_retries=0)
    try:
        call(official)
    finally:
        official.close()
    with OpenAI(api_key="sk-test", base_url=base_url, max_retries=0) as compat:
        call(compat)
    assert len(records) == 2
    assert records[0] == records[1]
