"""One measurement, in a fresh process: ``bench.py`` runs this once per client per rep.

Usage::

    python benchmarks/runner.py CLIENT METRIC BASE_URL ITERATIONS WARMUP EXPECTED_JSON

CLIENT is ``openai``, ``openai_core`` or ``requests`` (the naive floor); METRIC is
``chat`` (non-streamed completions) or ``stream`` (one full SSE stream per
iteration). The client is created once; the first warm-up call's result is
checked against EXPECTED_JSON (written by ``payloads.py``) before anything is
timed. Prints one JSON line: ``{"client", "metric", "iterations", "calls",
"seconds", "events"}`` (``calls`` includes warm-up; ``events`` = decoded stream
chunks, or requests for ``chat``, in the timed part).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Callable, List, Tuple

ChatFn = Callable[[], str]
StreamFn = Callable[[], Tuple[str, int]]
MODEL = "gpt-4o-mini"
API_KEY = "sk-test"


def make_openai(base_url: str) -> Tuple[ChatFn, StreamFn, Callable[[], None]]:
    import openai

    client = openai.OpenAI(api_key=API_KEY, base_url=base_url, max_retries=0)
    messages = [{"role": "user", "content": "hi"}]

    def chat() -> str:
        completion = client.chat.completions.create(model=MODEL, messages=messages)  # type: ignore[arg-type]
        return completion.choices[0].message.content or ""

    def stream() -> Tuple[str, int]:
        parts: List[str] = []
        events = 0
        with client.chat.completions.create(
            model=MODEL,
            messages=messages,  # type: ignore[arg-type]
            stream=True,
        ) as chunks:
            for chunk in chunks:
                events += 1
                for choice in chunk.choices:
                    if choice.delta and choice.delta.content:
                        parts.append(choice.delta.content)
        return "".join(parts), events

    return chat, stream, client.close


def make_openai_core(base_url: str) -> Tuple[ChatFn, StreamFn, Callable[[], None]]:
    from openai_core import Client

    client = Client(api_key=API_KEY, base_url=base_url, max_retries=0)

    def chat() -> str:
        completion = client.chat().completions().create().model(MODEL).message_user("hi").send()
        return completion.choices[0].message.content or ""

    def stream() -> Tuple[str, int]:
        parts: List[str] = []
        events = 0
        request = client.chat().completions().create().model(MODEL).message_user("hi")
        with request.stream() as chunks:
            for chunk in chunks:
                events += 1
                for choice in chunk.choices:
                    if choice.delta and choice.delta.content:
                        parts.append(choice.delta.content)
        return "".join(parts), events

    return chat, stream, client.close


def make_requests(base_url: str) -> Tuple[ChatFn, StreamFn, Callable[[], None]]:
    """The naive floor: what a hand-written ``requests`` client would do."""
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {API_KEY}"
    url = base_url.rstrip("/") + "/chat/completions"
    body = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}]}
    stream_body = dict(body, stream=True)

    def chat() -> str:
        data = session.post(url, json=body).json()
        return data["choices"][0]["message"]["content"] or ""

    def stream() -> Tuple[str, int]:
        parts: List[str] = []
        events = 0
        with session.post(url, json=stream_body, stream=True) as response:
            for line in response.iter_lines():
                if not line.startswith(b"data: "):
                    continue
                data = line[6:]
                if data == b"[DONE]":
                    break
                chunk = json.loads(data)
                events += 1
                for choice in chunk["choices"]:
                    content = choice["delta"].get("content")
                    if content:
                        parts.append(content)
        return "".join(parts), events

    return chat, stream, session.close


FACTORIES = {"openai": make_openai, "openai_core": make_openai_core, "requests": make_requests}


def main(argv: List[str]) -> int:
    if len(argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    client_name, metric, base_url, iterations_s, warmup_s, expected_path = argv
    iterations, warmup = int(iterations_s), max(1, int(warmup_s))
    with open(expected_path, encoding="utf-8") as fh:
        expected = json.load(fh)
    chat, stream, close = FACTORIES[client_name](base_url)

    # Correctness first: the first result must match the canned payload.
    if metric == "chat":
        text = chat()
        if text != expected["chat_text"]:
            print(f"{client_name}: completion text mismatch: {text[:80]!r}", file=sys.stderr)
            return 1
        call: Callable[[], object] = chat
    elif metric == "stream":
        text, events = stream()
        if text != expected["stream_text"] or events != expected["stream_events"]:
            print(
                f"{client_name}: stream mismatch: {events} events, "
                f"{len(text)} chars (expected {expected['stream_events']}, "
                f"{len(expected['stream_text'])})",
                file=sys.stderr,
            )
            return 1
        call = stream
    else:
        print(f"unknown metric {metric!r}", file=sys.stderr)
        return 2

    for _ in range(warmup - 1):
        call()
    start = time.perf_counter()
    for _ in range(iterations):
        call()
    seconds = time.perf_counter() - start
    close()
    per_call_events = expected["stream_events"] if metric == "stream" else 1
    result = {
        "client": client_name,
        "metric": metric,
        "iterations": iterations,
        "calls": warmup + iterations,
        "seconds": seconds,
        "events": iterations * per_call_events,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
