"""The Responses API streamed: print the text deltas as they arrive, then the final response.

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 LLAMA_MODEL=SmolLM2-135M-Instruct \\
        python examples/responses_stream.py "Tell me a short fact"

Against OpenAI: ``OPENAI_API_KEY=sk-... python examples/responses_stream.py``.
"""

from __future__ import annotations

import os
import sys
from collections import Counter

from openai_core import Client


def main() -> int:
    model = os.environ.get("LLAMA_MODEL") or os.environ.get("MODEL", "gpt-4o-mini")
    prompt = " ".join(sys.argv[1:]) or "Tell me one short fact about the Moon."
    kinds: Counter[str] = Counter()
    with Client(timeout=60, max_retries=1) as client:
        builder = (
            client.responses()
            .create()
            .model(model)
            .input_text(prompt)
            .max_output_tokens(32)
            .temperature(0)
        )
        with builder.stream() as events:
            for event in events:
                kinds[event.type] += 1
                if event.type == "response.output_text.delta":
                    print(event.delta, end="", flush=True)
            final = events.final_response()
    print(f"\nevents: {dict(kinds)}")
    print(f"final status: {final.status}")
    print(f"output_text: {final.output_text!r}")
    return 0 if kinds["response.output_text.delta"] > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
