"""Forwarding a stream to your own client: as Server-Sent Events, as NDJSON, and raw.

``stream.to_sse()`` and ``stream.to_ndjson()`` are byte generators a web framework sends as the
response body (see ``flask_stream.py``/``django_stream.py``); here they are written to stdout, as
a server would write them to the socket. "Raw" iterates the upstream HTTP body's lines as the
server sent them (``stream.response`` is the ``requests.Response``; ``stream()`` has already
read the first event, to know the stream started, so the raw lines begin after it).

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 LLAMA_MODEL=SmolLM2-135M-Instruct \\
        python examples/stream_to_client.py
"""

from __future__ import annotations

import json
import os
import sys

from openai_core import Client


def main() -> int:
    model = os.environ.get("LLAMA_MODEL") or os.environ.get("MODEL", "gpt-4o-mini")
    with Client(timeout=60, max_retries=1) as client:
        builder = (
            client.chat()
            .completions()
            .create()
            .model(model)
            .message_user("Say hello.")
            .max_tokens(12)
            .temperature(0)
        )

        print("== sse (text/event-stream)")
        with builder.stream() as stream:
            sse = b"".join(stream.to_sse())
        sys.stdout.write(sse.decode()[:400] + "\n")
        print(f"sse bytes: {len(sse)}, ends with [DONE]: {sse.rstrip().endswith(b'[DONE]')}")

        print("== ndjson (application/x-ndjson)")
        with builder.stream() as stream:
            lines = [line for line in b"".join(stream.to_ndjson()).splitlines() if line]
        for line in lines[:3]:
            print(line.decode())
        print(f"ndjson lines: {len(lines)}, all JSON: {all(json.loads(x) for x in lines)}")

        print("== raw (the upstream body)")
        with builder.stream() as stream:
            raw = [line for line in stream.response.iter_lines() if line]
        for line in raw[:3]:
            print(line.decode())
        print(f"raw lines: {len(raw)}")
    return 0 if sse and lines and raw else 1


if __name__ == "__main__":
    sys.exit(main())
