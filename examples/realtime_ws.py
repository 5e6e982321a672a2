"""Realtime over WebSocket: open a session, send a user message, ask for a response and print the
server's events until ``response.done``.

With ``REALTIME_BASE_URL`` unset, the example starts the repository's local test WebSocket server
(``tools/ws_test_server.py``), which replays the event sequence the API documents (scripted
events, not a model) and says so. Against OpenAI:

    REALTIME_BASE_URL=https://api.openai.com/v1 OPENAI_API_KEY=sk-... python examples/realtime_ws.py
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any, Iterator, Tuple

from openai_core import Client


@contextlib.contextmanager
def endpoint() -> Iterator[Tuple[str, str]]:
    url = os.environ.get("REALTIME_BASE_URL")
    if url:
        yield url, os.environ.get("OPENAI_API_KEY", "")
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    from ws_test_server import WsTestServer

    with WsTestServer(api_key="sk-local") as server:
        print(f"(REALTIME_BASE_URL unset: scripted local test server at {server.base_url})")
        yield server.base_url, "sk-local"


def converse(client: Client, model: str) -> int:
    seen = []
    with client.realtime().ws().model(model).timeout(30).connect() as socket:
        socket.session.update({"type": "realtime", "output_modalities": ["text"]})
        socket.conversation.item.create(
            {
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": "Say hello."}],
            }
        )
        socket.response.create()
        event: Any
        for event in socket:
            seen.append(event.type)
            print(f"event: {event.type}")
            if event.type == "error":
                print(f"server error: {event.error.message}")
                return 1
            if event.type.endswith(".delta"):
                print(f"  delta: {event.delta!r}")
            if event.type == "response.done":
                break
    print(f"events: {len(seen)}")
    return 0 if "response.done" in seen else 1


def main() -> int:
    model = os.environ.get("REALTIME_MODEL", "gpt-realtime")
    with endpoint() as (base_url, key), Client(base_url=base_url, api_key=key) as client:
        return converse(client, model)


if __name__ == "__main__":
    sys.exit(main())
