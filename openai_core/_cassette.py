"""Cassettes for :mod:`openai_core.testing`: record real HTTP traffic to a JSON file, replay it.

Also the request record (:class:`Call`) that fakes and cassettes share. ``responses`` is imported
only when a replay starts (``pip install openai-core[test]``).
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import threading
import unittest.mock
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Mapping, Union

import attrs
import requests
import requests.adapters

__all__ = ["Call", "UnmatchedRequestError", "call_of", "cassette", "require_responses"]

_SECRET_HEADERS = frozenset(
    {"authorization", "api-key", "proxy-authorization", "x-api-key", "cookie", "openai-api-key"}
)
_HOP_HEADERS = frozenset(
    {"content-encoding", "content-length", "transfer-encoding", "connection", "set-cookie"}
)
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


class UnmatchedRequestError(AssertionError):
    """A replayed request matches no unused interaction in the cassette."""


def require_responses() -> Any:
    """Import ``responses``, or fail with the install hint."""
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

    Examples:
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


def call_of(request: requests.PreparedRequest) -> Call:
    """The :class:`Call` record of a prepared request."""
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

    Examples:
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
        call = call_of(request)
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
    responses = require_responses()
    with open(path, encoding="utf-8") as file:
        interactions: List[Any] = json.load(file)["interactions"]
    used = [False] * len(interactions)
    lock = threading.Lock()

    def serve(request: requests.PreparedRequest) -> Any:
        call = call_of(request)
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
