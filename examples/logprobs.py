"""Token log probabilities: ask for ``logprobs`` and the top alternatives of each token.

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 LLAMA_MODEL=SmolLM2-135M-Instruct \\
        python examples/logprobs.py

Against OpenAI: ``OPENAI_API_KEY=sk-... python examples/logprobs.py``.
"""

from __future__ import annotations

import math
import os
import sys

from openai_core import Client


def main() -> int:
    model = os.environ.get("LLAMA_MODEL") or os.environ.get("MODEL", "gpt-4o-mini")
    with Client(timeout=60, max_retries=1) as client:
        completion = (
            client.chat()
            .completions()
            .create()
            .model(model)
            .message_user("What is the capital of France? Answer in one word.")
            .max_tokens(8)
            .temperature(0)
            .logprobs(True)
            .top_logprobs(3)
            .send()
        )
    logprobs = completion.choices[0].logprobs
    if logprobs is None or not logprobs.content:
        print("the server returned no logprobs", file=sys.stderr)
        return 1
    for item in logprobs.content:
        alternatives = ", ".join(
            f"{alt.token!r}={math.exp(alt.logprob):.2f}" for alt in item.top_logprobs
        )
        print(f"logprob token {item.token!r} p={math.exp(item.logprob):.2f}  [{alternatives}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
