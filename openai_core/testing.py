"""A test kit for code that uses openai_core: canned replies, fake streams and cassettes.

Built on the ``responses`` mocking library, which patches ``HTTPAdapter.send`` (where the SDK
sends every request), so no socket is opened. ``responses`` is a test extra, imported only when a
fake or a replay starts::

    pip install openai-core[test]

Canned replies, served in the order they are registered for a path (the last one repeats), each
returning a :class:`Route` that records the requests it answered:

    >>> from openai_core.testing import FakeAPI
    >>> with FakeAPI(base_url="http://test/v1") as api:
    ...     api.error(429, "slow down", retry_after=0)          # the first call is limited,
    ...     chat = api.chat_completion("Hello!")                # the retry gets the answer
    ...     client = api.client(max_retries=1)
    ...     reply = client.chat().completions().create().model("m").message_user("Hi").send()
    ...     assert reply.choices[0].message.content == "Hello!"
    ...     assert chat.last.json["messages"][0]["content"] == "Hi"

Fake streams come from text (split into chat chunks, or Responses events from
``response.created`` to ``response.completed``) or from a list of chunk/event dicts:
``api.chat_stream("Hello there")``, ``api.response_stream([{"type": ...}, ...])``.

Cassettes record real traffic once and replay it offline; streams are stored as their raw SSE
text and ``Authorization``/``api-key`` headers are never written:

    >>> from openai_core.testing import cassette
    >>> with cassette("tests/cassettes/hello.json", record=False):   # True to (re)record
    ...     reply = client.responses().create().model("m").input_text("Hi").send()

Source: https://github.com/getsentry/responses
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import threading
import time
import unittest.mock
from contextlib import contextmanager
from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
)

import attrs
import requests
import requests.adapters

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

_SECRET_HEADERS = frozenset(
    {"authorization", "api-key", "proxy-authorization", "x-api-key", "cookie", "openai-api-key"}
)
_HOP_HEADERS = frozenset(
    {"content-encoding", "content-length", "transfer-encoding", "connection", "set-cookie"}
)
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_JSON = {"content-type": "application/json"}
_SSE = {"content-type": "text/event-stream"}


class UnmatchedRequestError(AssertionError):
    """A replayed request matches no unused interaction in the cassette."""


def _require_responses() -> Any:
    try:
        import responses
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "openai_core.testing needs the 'responses' package: pip install openai-core[test]"
        ) from exc
    return responses


@attrs.frozen(kw_only=True)
class Call:
    """One request a fake received.

    Example:
        >>> call = route.last
        >>> call.json["model"], call.headers["Authorization"]
    """

    method: str
    """The HTTP method."""
    url: str
    """The full URL, with the query string."""
    headers: Mapping[str, str]
    """The request headers as sent (case-insensitive)."""
    body: bytes
    """The raw request body (``b""`` when none)."""

    @property
    def json(self) -> Any:
        """The body parsed as JSON, or ``None`` when it is empty or not JSON."""
        try:
            return json.loads(self.body) if self.body else None
        except ValueError:
            return None


@attrs.frozen(kw_only=True)
class Reply:
    """A canned HTTP reply: status, headers and body bytes.

    Example:
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

    Example:
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

    Example:
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
        responses = _require_responses()
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
        call = _call_of(request)
        with self._lock:
            routes = self._by_key[(method, url)]
            route = next((r for r in routes if not r.called), routes[-1])
            route.calls.append(call)
            self._log.append(call)
        return (route.reply.status, dict(route.reply.headers), route.reply.body)


def _call_of(request: requests.PreparedRequest) -> Call:
    body = request.body
    data = body.encode("utf-8") if isinstance(body, str) else bytes(body or b"")
    return Call(
        method=request.method or "GET",
        url=request.url or "",
        headers=requests.structures.CaseInsensitiveDict(request.headers),
        body=data,
    )


def _body_field(data: bytes) -> Dict[str, Any]:
    try:
        return {"body": data.decode("utf-8")}
    except UnicodeDecodeError:
        import base64

        return {"body_base64": base64.b64encode(data).decode("ascii")}


def _body_bytes(stored: Mapping[str, Any]) -> bytes:
    if "body_base64" in stored:
        import base64

        return base64.b64decode(stored["body_base64"])
    return str(stored.get("body", "")).encode("utf-8")


def _same_body(recorded: bytes, sent: bytes) -> bool:
    try:
        return bool(json.loads(recorded) == json.loads(sent))
    except ValueError:
        return recorded == sent


@contextmanager
def cassette(path: Union[str, os.PathLike[str]], *, record: bool = False) -> Iterator[List[Any]]:
    """Record real HTTP traffic to a JSON file, or replay it from the file.

    Replay (``record=False``) serves each recorded interaction once, in order, to the first
    request with the same method, URL and body (JSON compared as values); any other request
    raises :class:`UnmatchedRequestError`. Record (``record=True``) sends through the real
    adapter and writes the file atomically when the block ends without an exception. Bodies
    are stored as text (a stream as its raw SSE text); secret headers (``Authorization``,
    ``api-key`` …) are never written.

    Yields:
        The list of interactions (dicts), live while recording.

    Example:
        >>> with cassette("tests/cassettes/chat.json", record=bool(os.environ.get("RECORD"))):
        ...     client.chat().completions().create().model("m").message_user("Hi").send()
    """
    if record:
        yield from _record(os.fspath(path))
    else:
        yield from _replay(os.fspath(path))


def _record(path: str) -> Iterator[List[Any]]:
    import urllib3

    interactions: List[Any] = []
    lock = threading.Lock()
    original = requests.adapters.HTTPAdapter.send

    def send(
        adapter: requests.adapters.HTTPAdapter,
        request: requests.PreparedRequest,
        *args: Any,
        **kwargs: Any,
    ) -> requests.Response:
        response = original(adapter, request, *args, **kwargs)
        data = response.raw.read(decode_content=True) or b""
        response.raw.release_conn()
        headers = {k: v for k, v in response.headers.items() if k.lower() not in _HOP_HEADERS}
        response.raw = urllib3.HTTPResponse(
            body=io.BytesIO(data),
            headers=headers,
            status=response.status_code,
            preload_content=False,
            decode_content=False,
        )
        response.headers = requests.structures.CaseInsensitiveDict(headers)
        call = _call_of(request)
        sent = {k: v for k, v in call.headers.items() if k.lower() not in _SECRET_HEADERS}
        with lock:
            interactions.append(
                {
                    "request": {
                        "method": call.method,
                        "url": call.url,
                        "headers": sent,
                        **_body_field(call.body),
                    },
                    "response": {
                        "status": response.status_code,
                        "headers": headers,
                        **_body_field(data),
                    },
                }
            )
        return response

    with unittest.mock.patch.object(requests.adapters.HTTPAdapter, "send", send):
        yield interactions
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".cassette-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump({"interactions": interactions}, file, indent=2, ensure_ascii=False)
            file.write("\n")
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


def _replay(path: str) -> Iterator[List[Any]]:
    responses = _require_responses()
    with open(path, encoding="utf-8") as file:
        interactions: List[Any] = json.load(file)["interactions"]
    used = [False] * len(interactions)
    lock = threading.Lock()

    def serve(request: requests.PreparedRequest) -> Any:
        call = _call_of(request)
        with lock:
            for index, entry in enumerate(interactions):
                stored = entry["request"]
                if (
                    not used[index]
                    and stored["method"] == call.method
                    and stored["url"] == call.url
                    and _same_body(_body_bytes(stored), call.body)
                ):
                    used[index] = True
                    reply = entry["response"]
                    return (int(reply["status"]), dict(reply["headers"]), _body_bytes(reply))
        recorded = "; ".join(
            f"{e['request']['method']} {e['request']['url']}" for e in interactions
        )
        raise UnmatchedRequestError(
            f"No unused interaction in {path} matches {call.method} {call.url} "
            f"with body {call.body[:200]!r} (recorded: {recorded or 'none'}); "
            "re-record with record=True."
        )

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for method in _METHODS:
            mock.add_callback(method, re.compile(r".*"), callback=serve)
        yield interactions
