"""examples/django_stream.py against a ``responses``-mocked upstream (skipped without Django)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
import responses

pytest.importorskip("django", reason="Django is only needed by this example")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "django_stream.py"
CHUNK = b'{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[]}'


@responses.activate
def test_the_view_streams_sse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://llm.test/v1")
    spec = importlib.util.spec_from_file_location("django_stream_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module: Any = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.configure()
    from django.test import RequestFactory

    responses.add(
        responses.POST,
        "http://llm.test/v1/chat/completions",
        body=b"data: " + CHUNK + b"\n\ndata: [DONE]\n\n",
        content_type="text/event-stream",
    )
    response = module.chat(RequestFactory().get("/chat", {"q": "hi"}))
    assert response["Content-Type"] == "text/event-stream"
    assert b"".join(response.streaming_content) == b"data: " + CHUNK + b"\n\ndata: [DONE]\n\n"
