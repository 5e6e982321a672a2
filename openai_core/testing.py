from __future__ import annotations

import json
import re
import threading
import time
from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
)

import attrs
import requests

from openai_core._cassette import Call, UnmatchedRequestError, call_of, cassette, require_responses

if TYPE_CHECKING:
    import responses as _responses_lib

    from openai_core._client import Client

__all__ = [
    "Call",
    "FakeAPI",
    "Reply",
    "Route",
    "UnmatchedRequestError",
    "cassette",
    "chat_chunks",
    "encode_sse",
    "response_events",
]

_JSON = {"content-type": "application/json"}
_SSE = {"content-type": "text/event-stream"}


@attrs.frozen(kw_only=True)
class Reply:
    """A canned HTTP reply: status, headers and body bytes.

    Examples:
        >>> Reply(status=200, headers={"content-type": "application/json"}, body=b"{}")
    """

    status: int = 200
    """The HTTP status code."""
    headers: Mapping[str, str] = attrs.field(factory=dict)
    """Response headers."""
    body: bytes = b""
    """The body, sent as is (an SSE stream is its raw text)."""


@attrs.define(eq=False)
class Route:
    """The handle for one registered reply: the requests it answered, in order.

    Examples:
        >>> route = api.embedding([0.1, 0.2])
        >>> ...
        >>> assert route.called and route.last.json["input"] == "hello"
    """

    method: str
    url: str
    reply: Reply
    calls: List[Call] = attrs.field(factory=list)

    @property
    def called(self) -> bool:
        """Whether the route answered at least one request."""
        return bool(self.calls)

    @property
    def call_count(self) -> int:
        """How many requests the route answered."""
        return len(self.calls)

    @property
    def last(self) -> Call:
        """The last request answered.

        Raises:
            AssertionError: the route was never called.
        """
        if not self.calls:
            raise AssertionError(f"{self.method} {self.url} was never called")
        return self.calls[-1]


def encode_sse(events: Sequence[Any], *, done: bool = False) -> bytes:
    """Encode events as an SSE body: each a ``data:`` line, JSON unless already a string.

    A dict with a string ``"type"`` also gets an ``event:`` line (as the Responses API sends).
    ``done`` appends ``data: [DONE]`` (as Chat Completions sends).
    """
    parts: List[str] = []
    for event in events:
        data = event if isinstance(event, str) else json.dumps(event)
        kind = event.get("type") if isinstance(event, dict) else None
        prefix = f"event: {kind}\n" if isinstance(kind, str) else ""
        parts.append(f"{prefix}data: {data}\n\n")
    if done:
        parts.append("data: [DONE]\n\n")
    return "".join(parts).encode("utf-8")


def _pieces(text: str) -> List[str]:
    """Split text into word-sized pieces that join back to it (whitespace kept)."""
    return re.findall(r"\s*\S+\s*|\s+", text) or [""]


def chat_chunks(text: str, *, model: str = "gpt-test", id: str = "chatcmpl-test") -> List[Any]:
    """``chat.completion.chunk`` dicts streaming ``text``: a role delta, one chunk per word, and a
    final chunk with ``finish_reason: "stop"``."""
    created = int(time.time())

    def chunk(delta: Dict[str, Any], finish: Optional[str] = None) -> Dict[str, Any]:
        return {
            "id": id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }

    return [
        chunk({"role": "assistant", "content": ""}),
        *(chunk({"content": piece}) for piece in _pieces(text) if piece),
        chunk({}, "stop"),
    ]


def _response(text: str, *, model: str, id: str, status: str = "completed") -> Dict[str, Any]:
    output = (
        [
            {
                "type": "message",
                "id": "msg_test",
                "status": "completed",
                "role": "assistant",
                "content": [{"type": "output_text", "text": text, "annotations": []}],
            }
        ]
        if status == "completed"
        else []
    )
    return {
        "id": id,
        "object": "response",
        "created_at": int(time.time()),
        "status": status,
        "model": model,
        "output": output,
        "usage": {"input_tokens": 1, "output_tokens": len(_pieces(text)), "total_tokens": 0},
    }


def response_events(
    text: str, *, model: str = "gpt-test", id: str = "resp_test"
) -> List[Dict[str, Any]]:
    """Responses streaming events for ``text``, in the API's order: ``response.created``,
    ``response.in_progress``, item and content part added, one ``response.output_text.delta``
    per word, the text/part/item done events and ``response.completed``."""
    message: Dict[str, Any] = {
        "type": "message",
        "id": "msg_test",
        "status": "in_progress",
        "role": "assistant",
        "content": [],
    }
    part = {"type": "output_text", "text": "", "annotations": []}
    where = {"item_id": "msg_test", "output_index": 0, "content_index": 0}
    pending = _response("", model=model, id=id, status="in_progress")
    events: List[Dict[str, Any]] = [
        {"type": "response.created", "response": pending},
        {"type": "response.in_progress", "response": pending},
        {"type": "response.output_item.added", "output_index": 0, "item": message},
        {"type": "response.content_part.added", **where, "part": part},
    ]
    events += [
        {"type": "response.output_text.delta", **where, "delta": piece}
        for piece in _pieces(text)
        if piece
    ]
    final = _response(text, model=model, id=id)
    events += [
        {"type": "response.output_text.done", **where, "text": text},
        {"type": "response.content_part.done", **where, "part": {**part, "text": text}},
        {"type": "response.output_item.done", "output_index": 0, "item": final["output"][0]},
        {"type": "response.completed", "response": final},
    ]
    return [{**event, "sequence_number": number} for number, event in enumerate(events)]


class FakeAPI:
    """A fake OpenAI-compatible server for one ``with`` block (requests never leave the process).

    Replies registered for the same method and path are served in order; the last one repeats.
    On exit, a route that was never called fails the test (``assert_all_called=False`` to allow
    it). A request that matches no route raises ``APIConnectionError`` in the SDK.

    Args:
        base_url: The base URL the client under test uses (paths are relative to it).
        assert_all_called: Fail on exit when a registered route was never called.

    Examples:
        >>> with FakeAPI(base_url="http://test/v1") as api:
        ...     route = api.response("Hi")
        ...     api.client().responses().create().model("m").input_text("x").send().output_text
        'Hi'
    """

    def __init__(
        self, *, base_url: str = "https://api.openai.com/v1", assert_all_called: bool = True
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.assert_all_called = assert_all_called
        self.routes: List[Route] = []
        self._by_key: Dict[Tuple[str, str], List[Route]] = {}
        self._lock = threading.Lock()
        self._mock: Optional[_responses_lib.RequestsMock] = None
        self._log: List[Call] = []

    @property
    def calls(self) -> List[Call]:
        """Every request answered, in order, across routes."""
        return list(self._log)

    def __enter__(self) -> FakeAPI:
        responses = require_responses()
        self._mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        self._mock.start()
        for method, url in self._by_key:
            self._install(method, url)
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        mock, self._mock = self._mock, None
        if mock is not None:
            mock.stop()
            mock.reset()
        if exc_type is None and self.assert_all_called:
            unused = [f"{r.method} {r.url}" for r in self.routes if not r.called]
            if unused:
                raise AssertionError(f"Registered replies never requested: {', '.join(unused)}")

    def client(self, **options: Any) -> Client:
        """A ``Client`` for this fake (``api_key="sk-test"``, no retries unless given)."""
        from openai_core._client import Client

        options.setdefault("api_key", "sk-test")
        options.setdefault("max_retries", 0)
        return Client(base_url=self.base_url, **options)

    def reply(self, method: str, path: str, reply: Reply) -> Route:
        """Register any reply for ``method`` and ``path`` (relative to ``base_url``)."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        route = Route(method.upper(), url, reply)
        key = (route.method, url)
        with self._lock:
            self.routes.append(route)
            first = key not in self._by_key
            self._by_key.setdefault(key, []).append(route)
        if first and self._mock is not None:
            self._install(*key)
        return route

    def json(
        self,
        method: str,
        path: str,
        body: Any,
        *,
        status: int = 200,
        headers: Optional[Mapping[str, str]] = None,
    ) -> Route:
        """Register a JSON reply (``body`` is serialized unless it is bytes or a string)."""
        data = body if isinstance(body, bytes) else str(body).encode("utf-8")
        if not isinstance(body, (bytes, str)):
            data = json.dumps(body).encode("utf-8")
        return self.reply(
            method, path, Reply(status=status, headers={**_JSON, **(headers or {})}, body=data)
        )

    def chat_completion(
        self,
        content: Optional[str],
        *,
        model: str = "gpt-test",
        finish_reason: str = "stop",
        tool_calls: Optional[Sequence[Mapping[str, Any]]] = None,
        path: str = "chat/completions",
    ) -> Route:
        """Register a ``chat.completion`` whose one choice says ``content``."""
        message: Dict[str, Any] = {"role": "assistant", "content": content}
        if tool_calls is not None:
            message["tool_calls"] = [dict(call) for call in tool_calls]
        body = {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        return self.json("POST", path, body)

    def response(self, text: str, *, model: str = "gpt-test", path: str = "responses") -> Route:
        """Register a completed ``response`` whose one message says ``text``."""
        return self.json("POST", path, _response(text, model=model, id="resp_test"))

    def embedding(
        self,
        vectors: Union[Sequence[float], Sequence[Sequence[float]]],
        *,
        model: str = "text-embedding-test",
        path: str = "embeddings",
    ) -> Route:
        """Register an embeddings list: one vector, or a list of vectors (one per input)."""
        items: List[Any] = list(vectors)
        rows = [list(v) for v in items] if items and isinstance(items[0], Sequence) else [items]
        data = [{"object": "embedding", "index": i, "embedding": row} for i, row in enumerate(rows)]
        body = {
            "object": "list",
            "data": data,
            "model": model,
            "usage": {"prompt_tokens": 1, "total_tokens": 1},
        }
        return self.json("POST", path, body)

    def error(
        self,
        status: int,
        message: str = "error",
        *,
        type: Optional[str] = None,
        code: Optional[str] = None,
        body: Any = None,
        retry_after: Optional[float] = None,
        headers: Optional[Mapping[str, str]] = None,
        method: str = "POST",
        path: str = "chat/completions",
    ) -> Route:
        """Register an error reply.

        Args:
            status: The HTTP status.
            message, type, code: The OpenAI shape ``{"error": {"message", "type", "code"}}``.
            body: Any other body instead (a dict, a list, a string: every shape servers send).
            retry_after: Sent as the ``retry-after`` header (seconds).
            headers: More response headers (e.g. ``x-request-id``).
            method, path: Where the error is served (default ``POST chat/completions``).
        """
        if body is None:
            body = {"error": {"message": message, "type": type, "code": code, "param": None}}
        extra = dict(headers or {})
        if retry_after is not None:
            extra["retry-after"] = f"{retry_after:g}"
        return self.json(method, path, body, status=status, headers=extra)

    def chat_stream(
        self,
        chunks: Union[str, Sequence[Any]],
        *,
        model: str = "gpt-test",
        done: bool = True,
        path: str = "chat/completions",
    ) -> Route:
        """Register a Chat Completions SSE stream from text or from chunk dicts, ending in
        ``[DONE]`` unless ``done=False``."""
        events = chat_chunks(chunks, model=model) if isinstance(chunks, str) else list(chunks)
        return self.reply("POST", path, Reply(headers=_SSE, body=encode_sse(events, done=done)))

    def response_stream(
        self, events: Union[str, Sequence[Any]], *, model: str = "gpt-test", path: str = "responses"
    ) -> Route:
        """Register a Responses SSE stream from text (:func:`response_events`) or event dicts."""
        items = response_events(events, model=model) if isinstance(events, str) else list(events)
        return self.reply("POST", path, Reply(headers=_SSE, body=encode_sse(items)))

    def _install(self, method: str, url: str) -> None:
        assert self._mock is not None
        pattern = re.compile(re.escape(url) + r"(\?.*)?$")
        self._mock.add_callback(method, pattern, callback=lambda req: self._serve(method, url, req))

    def _serve(self, method: str, url: str, request: requests.PreparedRequest) -> Any:
        call = call_of(request)
        with self._lock:
            routes = self._by_key[(method, url)]
            route = next((r for r in routes if not r.called), routes[-1])
            route.calls.append(call)
            self._log.append(call)
        return (route.reply.status, dict(route.reply.headers), route.reply.body)
