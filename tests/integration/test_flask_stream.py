"""examples/flask_stream.py with Flask's test client against the local llama-server.

The SSE body must arrive in several pieces while the model generates (the route streams, it does
not buffer), parse as chat chunks, and end with ``data: [DONE]``.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator, List

import pytest

from openai_core import Client

pytest.importorskip("flask", reason="Flask is only needed by this example")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "flask_stream.py"


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("flask_stream_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def client(llama_server: Any) -> Iterator[Client]:
    with Client(base_url=llama_server.base_url, timeout=120, max_retries=1) as c:
        yield c


def test_the_chat_route_streams_sse_in_several_chunks(client: Client, llama_server: Any) -> None:
    app = load_example().create_app(client, model=str(llama_server.model))
    response = app.test_client().get(
        "/chat", query_string={"q": "Count from one to ten.", "max_tokens": "32"}, buffered=False
    )
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    pieces: List[bytes] = [piece for piece in response.response if piece]  # type: ignore[union-attr]
    response.close()
    assert len(pieces) >= 3, pieces
    body = b"".join(pieces)
    assert body.endswith(b"data: [DONE]\n\n")
    events = body.split(b"\n\n")[:-1]
    chunks = [json.loads(e[len(b"data: ") :]) for e in events if e != b"data: [DONE]"]
    assert all(e.startswith(b"data: ") for e in events)
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    text = "".join(
        (choice["delta"].get("content") or "") for c in chunks for choice in c["choices"]
    )
    assert text.strip()


def test_the_page_opens_an_event_source(client: Client, llama_server: Any) -> None:
    app = load_example().create_app(client, model=str(llama_server.model))
    page = app.test_client().get("/").get_data(as_text=True)
    assert "new EventSource" in page
