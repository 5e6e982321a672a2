"""Answer many questions through the Batch API: half the price, results within 24 hours.

Each question becomes one Chat Completions builder; ``client.batches().run()`` writes the JSONL,
uploads it, creates the batch, prints its progress, and returns the answers keyed by id:

    OPENAI_API_KEY=sk-... python examples/batch.py "Why is the sky blue?" "What is a qubit?"

``BATCH_POLL_INTERVAL`` (default 30 s) and ``BATCH_TIMEOUT`` (default 24 h) bound the wait; a
batch still running when the wait ends is reported with its id and status, to check on later
(CI runs this against the spec-driven mock with ``BATCH_TIMEOUT=0``: upload, create, one poll).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from openai_core import Client
from openai_core.lib.polling import PollingTimeoutError


def show_progress(batch: Any) -> None:
    counts = batch.request_counts
    done = f"{counts.completed + counts.failed}/{counts.total}" if counts is not None else "-"
    print(f"batch {batch.id}: {batch.status} ({done})", file=sys.stderr)


def main() -> int:
    questions = sys.argv[1:] or ["Why is the sky blue?", "What is a qubit?"]
    with Client() as client:
        chat = client.chat().completions().create().model("gpt-4o-mini").max_tokens(200)
        try:
            run = client.batches().run(
                {f"q{i}": chat.message_user(question) for i, question in enumerate(questions)},
                metadata={"example": "examples/batch.py"},
                poll_interval=float(os.environ.get("BATCH_POLL_INTERVAL", "30")),
                timeout=float(os.environ.get("BATCH_TIMEOUT", str(24 * 3600))),
                progress=show_progress,
                output_dir="batch-output",
            )
        except PollingTimeoutError as err:
            last = err.last
            print(f"still running: batch {last.id} is {last.status}; check on it later")
            return 0
    for custom_id, completion in sorted(run.results.items()):
        print(f"== {custom_id}\n{completion.choices[0].message.content}\n")
    for custom_id, error in sorted(run.errors.items()):
        print(f"!! {custom_id}: {error.status_code} {error.code} {error.message}", file=sys.stderr)
    print(f"files in {run.input_files[0].parent}", file=sys.stderr)
    return 1 if run.errors else 0


if __name__ == "__main__":
    sys.exit(main())
