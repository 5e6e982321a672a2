"""Errors: each failure is an exception class carrying status, message, code and request id.

Shows a status error from the server (an endpoint or object that does not exist), a bad request
caught by its class, and a connection error (a closed local port), each handled by class.

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 LLAMA_MODEL=SmolLM2-135M-Instruct \\
        python examples/errors.py
"""

from __future__ import annotations

import os
import socket
import sys

from openai_core import APIConnectionError, APIStatusError, Client, NotFoundError


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> int:
    model = os.environ.get("LLAMA_MODEL") or os.environ.get("MODEL", "gpt-4o-mini")
    seen = 0
    with Client(timeout=30, max_retries=0) as client:
        try:
            client.files().retrieve("file-does-not-exist").send()
        except NotFoundError as err:
            print(f"NotFoundError: status={err.status} message={err.message!r}")
            seen += 1
        except APIStatusError as err:
            print(f"{type(err).__name__}: status={err.status} message={err.message!r}")
            seen += 1

        try:
            client.chat().completions().create().model(model).messages([]).max_tokens(4).send()
        except APIStatusError as err:
            print(f"{type(err).__name__}: status={err.status} code={err.code!r}")
            print(f"  request_id={err.request_id} message={err.message!r}")
            seen += 1
        else:
            print("(the server accepted an empty message list)")
            seen += 1

    with Client(base_url=f"http://127.0.0.1:{closed_port()}/v1", max_retries=0) as offline:
        try:
            offline.models().list().send()
        except APIConnectionError as err:
            print(f"APIConnectionError: {err}")
            seen += 1
    print(f"handled: {seen}")
    return 0 if seen == 3 else 1


if __name__ == "__main__":
    sys.exit(main())
