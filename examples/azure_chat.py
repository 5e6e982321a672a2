"""Azure OpenAI chat: the same builders, with Azure's URL, ``api-version`` and ``api-key`` header.

With ``AZURE_OPENAI_ENDPOINT`` (and ``AZURE_OPENAI_API_KEY``, ``OPENAI_API_VERSION``) set it
calls your Azure deployment (``AZURE_DEPLOYMENT``, default ``gpt-4o-mini``):

    AZURE_OPENAI_ENDPOINT=https://my-resource.openai.azure.com AZURE_OPENAI_API_KEY=... \\
        OPENAI_API_VERSION=2024-10-21 python examples/azure_chat.py

Without them it prints the compiled request (``build()``, ``to_curl()``: no I/O), then sends it
to a tiny fake Azure server started by this example on 127.0.0.1, which checks the deployment
path, ``api-version`` and ``api-key`` and answers a fixed, canned chat completion (it is not a
model; the output says so).
"""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import sys
import threading
import urllib.parse
from typing import Iterator

from openai_core import Client

CANNED = {
    "id": "chatcmpl-fake-azure",
    "object": "chat.completion",
    "created": 0,
    "model": "gpt-4o-mini",
    "choices": [
        {
            "index": 0,
            "finish_reason": "stop",
            "message": {"role": "assistant", "content": "(canned answer from the fake Azure)"},
        }
    ],
}


class FakeAzure(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        ok = (
            url.path == "/openai/deployments/my-deployment/chat/completions"
            and query.get("api-version") == ["2024-10-21"]
            and self.headers.get("api-key") == "azure-key"
            and "Authorization" not in self.headers
            and isinstance(body.get("messages"), list)
        )
        payload = CANNED if ok else {"error": {"message": f"unexpected request {self.path}"}}
        data = json.dumps(payload).encode()
        self.send_response(200 if ok else 400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def fake_azure() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeAzure)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def ask(client: Client, deployment: str) -> int:
    builder = (
        client.chat()
        .completions()
        .create()
        .model(deployment)
        .message_user("Say hello.")
        .max_tokens(16)
    )
    request = builder.build()
    print(f"request: {request.method} {request.url}")
    print(f"curl: {builder.to_curl()}")
    reply = builder.send()
    print(f"answer: {reply.choices[0].message.content}")
    return 0


def main() -> int:
    if os.environ.get("AZURE_OPENAI_ENDPOINT"):
        with Client.azure(timeout=60) as client:
            return ask(client, os.environ.get("AZURE_DEPLOYMENT", "gpt-4o-mini"))
    with fake_azure() as endpoint:
        print(f"(AZURE_OPENAI_ENDPOINT unset: a local fake Azure at {endpoint}, canned answer)")
        with Client.azure(
            azure_endpoint=endpoint, api_version="2024-10-21", api_key="azure-key", max_retries=0
        ) as client:
            return ask(client, "my-deployment")


if __name__ == "__main__":
    sys.exit(main())
