"""The raw HTTP response and the call's metadata: ``send_with_meta()`` and ``send_raw()``.

``send_with_meta()`` returns the decoded model with the request id, status, headers, elapsed
time, attempts and rate-limit headers; ``send_raw()`` returns the ``requests.Response`` itself.

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 LLAMA_MODEL=SmolLM2-135M-Instruct \\
        python examples/raw_response.py
"""

from __future__ import annotations

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
            .message_user("Say hi.")
            .max_tokens(8)
            .temperature(0)
        )
        result = builder.send_with_meta()
        meta = result.meta
        print(f"meta status={meta.status} attempts={meta.attempts} elapsed={meta.elapsed:.2f}s")
        print(f"meta request_id={meta.request_id} content-type={meta.headers.get('content-type')}")
        print(f"meta rate_limit remaining_requests={meta.rate_limit.remaining_requests}")
        print(f"data: {result.data.choices[0].message.content!r}")

        raw = builder.send_raw()
        print(f"raw status={raw.status_code} bytes={len(raw.content)}")
        body = raw.json()
        print(f"raw body keys: {sorted(body)}")
    return 0 if raw.ok and meta.status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
