"""A background response: create it with ``background=True``, poll it, and resume its event
stream from a sequence number (``retrieve(id).stream(starting_after=n)``).

    OPENAI_API_KEY=sk-... python examples/responses_background.py

In CI it runs against the spec-driven mock (spec-shaped placeholder bodies); when a server
answers the resumed stream with plain JSON, the example says so instead of pretending.
"""

from __future__ import annotations

import os
import sys

from openai_core import APIResponseValidationError, Client


def main() -> int:
    model = os.environ.get("MODEL", "gpt-4o-mini")
    with Client(timeout=60, max_retries=1) as client:
        responses = client.responses()
        created = (
            responses.create()
            .model(model)
            .input_text("Write a haiku about patience.")
            .background(True)
            .send()
        )
        print(f"created: {created.id} status={created.status}")
        current = responses.retrieve(created.id).send()
        print(f"polled: {current.id} status={current.status}")
        try:
            with responses.retrieve(created.id).stream(starting_after=0) as events:
                for count, event in enumerate(events, 1):
                    print(f"resumed event: {event.type}")
                    if count >= 5:
                        break
        except APIResponseValidationError as err:
            print(f"resume: not served as a stream here ({err.message})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
