"""A persistent Responses session over WebSocket: two chained turns on one connection, the first
sent, the second streamed.

With ``RESPONSES_WS_BASE_URL`` unset, the example starts the repository's local test WebSocket
server (``tools/ws_test_server.py``), which answers each turn with the documented event sequence
(scripted text, not a model) and says so. Against OpenAI:

    RESPONSES_WS_BASE_URL=https://api.openai.com/v1 OPENAI_API_KEY=sk-... \\
        python examples/responses_websocket.py
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Iterator, Tuple

from openai_core import Client


@contextlib.contextmanager
def endpoint() -> Iterator[Tuple[str, str]]:
    url = os.environ.get("RESPONSES_WS_BASE_URL")
    if url:
        yield url, os.environ.get("OPENAI_API_KEY", "")
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    from ws_test_server import WsTestServer

    with WsTestServer(api_key="sk-local") as server:
        print(f"(RESPONSES_WS_BASE_URL unset: scripted local test server at {server.base_url})")
        yield server.base_url, "sk-local"


def two_turns(client: Client, model: str) -> int:
    with client.responses().ws().connect(chain=True) as session:
        base = session.create().model(model).instructions("Be brief.")
        first = base.input_text("Name a prime number.").send()
        print(f"turn 1: {first.id} {first.status} {first.output_text!r}")
        deltas = 0
        with base.input_text("And the next one?").stream() as events:
            for event in events:
                if event.type == "response.output_text.delta":
                    deltas += 1
                    print(f"  delta: {event.delta!r}")
            second = events.final_response()
        print(f"turn 2: {second.id} {second.status} after {deltas} deltas")
        print(f"chained: previous_response_id={second.previous_response_id}")
    return 0 if second.status == "completed" else 1


def main() -> int:
    model = os.environ.get("MODEL", "gpt-4o-mini")
    with endpoint() as (base_url, key), Client(base_url=base_url, api_key=key) as client:
        return two_turns(client, model)


if __name__ == "__main__":
    sys.exit(main())
