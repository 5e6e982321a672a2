"""Fine-tuning: upload a JSONL training file, create a job, list its events, and list jobs.

    OPENAI_API_KEY=sk-... python examples/fine_tuning.py

In CI it runs against the spec-driven mock, whose job and event bodies are spec-shaped.
"""

from __future__ import annotations

import json
import sys

from openai_core import Client

TRAINING = [
    {
        "messages": [
            {"role": "user", "content": f"What is {a} + {a}?"},
            {"role": "assistant", "content": str(a + a)},
        ]
    }
    for a in range(10)
]


def main() -> int:
    data = "\n".join(json.dumps(line) for line in TRAINING).encode()
    with Client(timeout=60, max_retries=1) as client:
        uploaded = client.files().create().file(("train.jsonl", data)).purpose("fine-tune").send()
        print(f"uploaded: {uploaded.id} ({len(data)} bytes)")
        jobs = client.fine_tuning().jobs()
        job = (
            jobs.create()
            .model("gpt-4o-mini-2024-07-18")
            .training_file(uploaded.id)
            .suffix("adder")
            .send()
        )
        print(f"job: {job.id} status={job.status}")
        for event in jobs.list_events(job.id).limit(5).send().data:
            print(f"event: {event.level} {event.message}")
        for listed in jobs.list().limit(3).send().data:
            print(f"listed job: {listed.id} status={listed.status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
