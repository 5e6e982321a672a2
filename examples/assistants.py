"""Assistants (beta): create an assistant and a thread, run it to a terminal status by polling
(``create_and_poll``, giving up after ``POLL_TIMEOUT`` seconds), then run it again streamed,
printing each event's type.

    OPENAI_API_KEY=sk-... python examples/assistants.py

In CI it runs against the spec-driven mock (``OPENAI_BASE_URL`` set to it), whose answers are
shaped by the OpenAPI spec rather than meaningful; the calls and decoding are the real ones.
"""

from __future__ import annotations

import os
import sys

from openai_core import APIResponseValidationError, Client
from openai_core.lib.polling import PollingTimeoutError


def main() -> int:
    model = os.environ.get("MODEL", "gpt-4o-mini")
    with Client(timeout=60, max_retries=1) as client:
        beta = client.beta()
        assistant = (
            beta.assistants()
            .create()
            .model(model)
            .name("Math tutor")
            .instructions("You answer arithmetic questions briefly.")
            .send()
        )
        print(f"assistant: {assistant.id}")
        thread = beta.threads().create().send()
        print(f"thread: {thread.id}")
        message = (
            beta.threads().messages().create(thread.id).role("user").content("What is 3 + 4?")
        ).send()
        print(f"message: {message.id}")

        runs = beta.threads().runs()
        try:
            run = runs.create_and_poll(
                runs.create(thread.id).assistant_id(assistant.id),
                poll_interval=0.2,
                timeout=float(os.environ.get("POLL_TIMEOUT", "120")),
            )
            print(f"polled run: {run.id} status={run.status}")
        except PollingTimeoutError as err:
            # .last is the last run retrieved; a real run ends, a mock's may not
            print(f"polled run: gave up, last status={err.last.status}")

        events = 0
        try:
            with runs.create(thread.id).assistant_id(assistant.id).stream() as stream:
                for event in stream:
                    events += 1
                    print(f"stream event: {getattr(event, 'event', None) or type(event).__name__}")
                    if events >= 5:
                        break
            print(f"stream events: {events}")
        except APIResponseValidationError as err:
            # e.g. a mock that answers the streamed run with JSON
            print(f"stream: not served as a stream here ({err.message})")

        for item in beta.threads().messages().list(thread.id).limit(5).send().data:
            print(f"thread message: {item.id} role={item.role}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
