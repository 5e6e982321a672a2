"""One measurement, in a fresh process: ``bench.py`` runs this once per client per rep.

Usage::

    python benchmarks/runner.py CLIENT METRIC BASE_URL ITERATIONS WARMUP EXPECTED_JSON [THREADS]

CLIENT is ``openai``, ``openai_core``, ``requests`` (the naive floor) or
``openai_oxide`` (async; run with its own Python 3.9 interpreter). METRIC is one of

* ``chat`` / ``responses`` - non-streamed chat completion / Responses call;
* ``stream`` / ``responses_stream`` - one full SSE stream per iteration;
* ``embeddings_float`` / ``embeddings_base64`` - one 64 x 1536 embeddings call,
  returned by every client as ``list[list[float]]``;
* ``threads`` - THREADS threads (oxide: asyncio tasks) sharing one client, each
  making ITERATIONS non-streamed chat calls after WARMUP warm-up calls;
* ``cold`` - import + client construction + the first non-streamed chat call,
  timed from before the import (ITERATIONS and WARMUP are ignored).

The client is created once; the first call's result is checked against
EXPECTED_JSON (written by ``payloads.py``) before anything is timed. Prints one
JSON line: ``{"client", "metric", "iterations", "calls", "seconds", "events"}``
(``calls`` = every HTTP request made, warm-up included; ``events`` = decoded
stream events, or calls, in the timed part).

The ``openai_oxide`` calls are coroutines: the check, the warm-up and the timed
loop all run inside one ``asyncio.run``.

Keep this file importable by Python 3.9 (``openai-oxide`` ships cp39 wheels only).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from typing import Any, Callable, Dict, List, Tuple

MODEL = "gpt-4o-mini"
EMBEDDING_MODEL = "text-embedding-3-small"
API_KEY = "sk-test"
INPUTS = [f"benchmark sentence number {i} for the embeddings call" for i in range(64)]
Ops = Dict[str, Callable[[], Any]]


# --------------------------------------------------------------------------- clients


def make_openai(base_url: str, threads: int) -> Tuple[Ops, Callable[[], None]]:
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

    def responses() -> str:
        return client.responses.create(model=MODEL, input="hi").output_text

    def responses_stream() -> Tuple[str, int]:
        parts: List[str] = []
        events = 0
        with client.responses.create(model=MODEL, input="hi", stream=True) as stream:
            for event in stream:
                events += 1
                if event.type == "response.output_text.delta":
                    parts.append(event.delta)
        return "".join(parts), events

    def embeddings_float() -> List[List[float]]:
        result = client.embeddings.create(
            model=EMBEDDING_MODEL, input=INPUTS, encoding_format="float"
        )
        return [item.embedding for item in result.data]

    def embeddings_base64() -> List[List[float]]:
        # Without encoding_format the SDK asks for base64 and decodes it to floats;
        # with encoding_format="base64" it would hand back the base64 strings.
        result = client.embeddings.create(model=EMBEDDING_MODEL, input=INPUTS)
        return [item.embedding for item in result.data]

    ops: Ops = {
        "chat": chat,
        "stream": stream,
        "responses": responses,
        "responses_stream": responses_stream,
        "embeddings_float": embeddings_float,
        "embeddings_base64": embeddings_base64,
    }
    return ops, client.close


def make_openai_core(base_url: str, threads: int) -> Tuple[Ops, Callable[[], None]]:
    from openai_core import Client

    if threads > 1:
        client = Client(api_key=API_KEY, base_url=base_url, max_retries=0, pool_maxsize=threads)
    else:
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

    def responses() -> str:
        return client.responses().create().model(MODEL).input_text("hi").send().output_text

    def responses_stream() -> Tuple[str, int]:
        parts: List[str] = []
        events = 0
        request = client.responses().create().model(MODEL).input_text("hi")
        with request.stream() as stream:
            for event in stream:
                events += 1
                if event.type == "response.output_text.delta":
                    parts.append(event.delta)
        return "".join(parts), events

    def embeddings_float() -> List[List[float]]:
        request = client.embeddings().create().model(EMBEDDING_MODEL).input(INPUTS)
        result = request.encoding_format("float").send()
        return [item.embedding for item in result.data]

    def embeddings_base64() -> List[List[float]]:
        # Without encoding_format openai_core asks for base64 and decodes it to floats;
        # with encoding_format("base64") it would hand back the base64 strings.
        result = client.embeddings().create().model(EMBEDDING_MODEL).input(INPUTS).send()
        return [item.embedding for item in result.data]

    ops: Ops = {
        "chat": chat,
        "stream": stream,
        "responses": responses,
        "responses_stream": responses_stream,
        "embeddings_float": embeddings_float,
        "embeddings_base64": embeddings_base64,
    }
    return ops, client.close


def make_requests(base_url: str, threads: int) -> Tuple[Ops, Callable[[], None]]:
    """The naive floor: what a hand-written ``requests`` client would do."""
    import array
    import base64

    import requests

    session = requests.Session()
    if threads > 1:
        adapter = requests.adapters.HTTPAdapter(pool_maxsize=threads)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
    session.headers["Authorization"] = f"Bearer {API_KEY}"
    root = base_url.rstrip("/")
    chat_url = root + "/chat/completions"
    responses_url = root + "/responses"
    embeddings_url = root + "/embeddings"
    body = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}]}
    stream_body = dict(body, stream=True)
    responses_body = {"model": MODEL, "input": "hi"}
    responses_stream_body = dict(responses_body, stream=True)
    float_body = {"model": EMBEDDING_MODEL, "input": INPUTS, "encoding_format": "float"}
    base64_body = dict(float_body, encoding_format="base64")

    def chat() -> str:
        data = session.post(chat_url, json=body).json()
        return data["choices"][0]["message"]["content"] or ""

    def stream() -> Tuple[str, int]:
        parts: List[str] = []
        events = 0
        with session.post(chat_url, json=stream_body, stream=True) as response:
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

    def responses() -> str:
        data = session.post(responses_url, json=responses_body).json()
        return "".join(
            part["text"]
            for item in data["output"]
            if item["type"] == "message"
            for part in item["content"]
            if part["type"] == "output_text"
        )

    def responses_stream() -> Tuple[str, int]:
        parts: List[str] = []
        events = 0
        with session.post(responses_url, json=responses_stream_body, stream=True) as response:
            for line in response.iter_lines():
                if not line.startswith(b"data: "):
                    continue
                event = json.loads(line[6:])
                events += 1
                if event["type"] == "response.output_text.delta":
                    parts.append(event["delta"])
        return "".join(parts), events

    def embeddings_float() -> List[List[float]]:
        data = session.post(embeddings_url, json=float_body).json()
        return [item["embedding"] for item in data["data"]]

    def embeddings_base64() -> List[List[float]]:
        data = session.post(embeddings_url, json=base64_body).json()
        out = []
        for item in data["data"]:
            floats = array.array("f")
            floats.frombytes(base64.b64decode(item["embedding"]))
            out.append(floats.tolist())
        return out

    ops: Ops = {
        "chat": chat,
        "stream": stream,
        "responses": responses,
        "responses_stream": responses_stream,
        "embeddings_float": embeddings_float,
        "embeddings_base64": embeddings_base64,
    }
    return ops, session.close


def make_openai_oxide(base_url: str, threads: int) -> Tuple[Ops, Callable[[], None]]:
    """openai-oxide (Rust core): every op is a coroutine function.

    It has no chat stream and no embeddings; chat goes through ``create_chat_raw``
    (a JSON string in, a JSON string out), Responses through ``create`` (a dict with
    ``"text"``, as a JSON string) and ``create_stream`` (an async iterator of JSON event strings).
    """
    from openai_oxide import Client

    client = Client(api_key=API_KEY, base_url=base_url)
    messages = [{"role": "user", "content": "hi"}]

    async def chat() -> str:
        raw = await client.create_chat_raw(json.dumps({"model": MODEL, "messages": messages}))
        data = json.loads(raw) if isinstance(raw, (str, bytes)) else raw
        return data["choices"][0]["message"]["content"] or ""

    async def responses() -> str:
        raw = await client.create(MODEL, "hi")  # a JSON string: id, model, text, usage...
        result = json.loads(raw) if isinstance(raw, (str, bytes)) else raw
        return result["text"]

    async def responses_stream() -> Tuple[str, int]:
        parts: List[str] = []
        events = 0
        stream = await client.create_stream(MODEL, "hi")
        async for raw in stream:
            event = json.loads(raw) if isinstance(raw, (str, bytes)) else raw
            events += 1
            if event["type"] == "response.output_text.delta":
                parts.append(event["delta"])
        return "".join(parts), events

    ops: Ops = {"chat": chat, "responses": responses, "responses_stream": responses_stream}
    return ops, lambda: None


FACTORIES = {
    "openai": make_openai,
    "openai_core": make_openai_core,
    "requests": make_requests,
    "openai_oxide": make_openai_oxide,
}
ASYNC_CLIENTS = {"openai_oxide"}


# --------------------------------------------------------------------------- checks


def check(metric: str, value: Any, expected: Dict[str, Any]) -> str:
    """An error message if ``value`` (the first result) does not match, else ``""``."""
    if metric in ("chat", "threads", "cold"):
        if value != expected["chat_text"]:
            return f"completion text mismatch: {str(value)[:80]!r}"
    elif metric == "responses":
        if value != expected["responses_text"]:
            return f"response text mismatch: {str(value)[:80]!r}"
    elif metric in ("stream", "responses_stream"):
        prefix = "stream" if metric == "stream" else "responses_stream"
        text, events = value
        want_text, want_events = expected[f"{prefix}_text"], expected[f"{prefix}_events"]
        if text != want_text or events != want_events:
            return (
                f"stream mismatch: {events} events, {len(text)} chars "
                f"(expected {want_events}, {len(want_text)})"
            )
    elif metric.startswith("embeddings_"):
        emb = expected["embeddings"]
        heads = emb["float_head"] if metric == "embeddings_float" else emb["base64_head"]
        if not isinstance(value, list) or len(value) != emb["count"]:
            return f"expected {emb['count']} vectors, got {type(value).__name__}"
        for vector, head in zip(value, heads):
            if not isinstance(vector, list) or len(vector) != emb["dimensions"]:
                return f"a vector is {type(vector).__name__} (len {len(vector)}), not a list"
            if not isinstance(vector[0], float):
                return f"a vector holds {type(vector[0]).__name__}, not float"
            if any(abs(a - b) > 1e-6 for a, b in zip(vector, head)):
                return f"vector values differ: {vector[:3]} vs {head[:3]}"
    return ""


# --------------------------------------------------------------------------- timing


def run_sync(
    ops: Ops, metric: str, iterations: int, warmup: int, threads: int, expected: Dict[str, Any]
) -> Tuple[float, int]:
    """(seconds of the timed part, calls made) for a synchronous client."""
    call = ops["chat" if metric == "threads" else metric]
    error = check(metric, call(), expected)
    if error:
        raise SystemExit(error)
    if metric != "threads":
        for _ in range(warmup - 1):
            call()
        start = time.perf_counter()
        for _ in range(iterations):
            call()
        return time.perf_counter() - start, warmup + iterations

    barrier = threading.Barrier(threads + 1)
    failures: List[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(warmup):
                call()
            barrier.wait()  # all connections open and warm
            barrier.wait()  # go
            for _ in range(iterations):
                call()
        except BaseException as exc:
            failures.append(exc)
            barrier.abort()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    barrier.wait()
    for thread in pool:
        thread.join()
    seconds = time.perf_counter() - start
    if failures:
        raise SystemExit(f"a thread failed: {failures[0]!r}")
    return seconds, 1 + threads * (warmup + iterations)


def run_async(
    ops: Ops, metric: str, iterations: int, warmup: int, threads: int, expected: Dict[str, Any]
) -> Tuple[float, int]:
    """Same as :func:`run_sync`, inside one event loop, for coroutine ops."""
    import asyncio

    call = ops["chat" if metric == "threads" else metric]

    async def main() -> Tuple[float, int]:
        error = check(metric, await call(), expected)
        if error:
            raise SystemExit(error)
        if metric != "threads":
            for _ in range(warmup - 1):
                await call()
            start = time.perf_counter()
            for _ in range(iterations):
                await call()
            return time.perf_counter() - start, warmup + iterations

        async def task(count: int) -> None:
            for _ in range(count):
                await call()

        await asyncio.gather(*(task(warmup) for _ in range(threads)))
        start = time.perf_counter()
        await asyncio.gather(*(task(iterations) for _ in range(threads)))
        return time.perf_counter() - start, 1 + threads * (warmup + iterations)

    return asyncio.run(main())


def run_cold(client_name: str, base_url: str, expected: Dict[str, Any]) -> float:
    """Seconds from before the import to the first chat result (checked)."""
    start = time.perf_counter()
    ops, close = FACTORIES[client_name](base_url, 1)
    if client_name in ASYNC_CLIENTS:
        import asyncio

        text = asyncio.run(ops["chat"]())
    else:
        text = ops["chat"]()
    seconds = time.perf_counter() - start
    error = check("cold", text, expected)
    if error:
        raise SystemExit(error)
    close()
    return seconds


def main(argv: List[str]) -> int:
    if len(argv) not in (6, 7):
        print(__doc__, file=sys.stderr)
        return 2
    client_name, metric, base_url, iterations_s, warmup_s, expected_path = argv[:6]
    threads = int(argv[6]) if len(argv) == 7 else 1
    iterations, warmup = int(iterations_s), max(1, int(warmup_s))
    with open(expected_path, encoding="utf-8") as fh:
        expected = json.load(fh)

    if metric == "cold":
        seconds = run_cold(client_name, base_url, expected)
        iterations, calls, events = 1, 1, 1
    else:
        ops, close = FACTORIES[client_name](base_url, threads)
        key = "chat" if metric == "threads" else metric
        if key not in ops:
            print(f"{client_name} has no {metric!r}", file=sys.stderr)
            return 3
        run = run_async if client_name in ASYNC_CLIENTS else run_sync
        seconds, calls = run(ops, metric, iterations, warmup, threads, expected)
        close()
        if metric == "stream":
            events = iterations * expected["stream_events"]
        elif metric == "responses_stream":
            events = iterations * expected["responses_stream_events"]
        elif metric == "threads":
            events = iterations * threads
        else:
            events = iterations
    result = {
        "client": client_name,
        "metric": metric,
        "iterations": iterations,
        "calls": calls,
        "seconds": seconds,
        "events": events,
    }
    print(json.dumps(result), flush=True)
    if client_name in ASYNC_CLIENTS:
        # openai-oxide 0.17 can abort at interpreter shutdown ("PyGILState_Release: thread
        # state ... must be current when releasing", its runtime threads racing finalization);
        # the result is out, so skip finalization.
        sys.stderr.flush()
        os._exit(0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
