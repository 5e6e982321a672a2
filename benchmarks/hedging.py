"""Hedged requests against a server with a slow tail: latency percentiles and extra requests.

A loopback HTTP/1.1 server (stdlib, threaded, in a child process) answers
``POST /v1/chat/completions`` with a canned chat completion; it delays a random 5 % of the
requests by 2 s (``--slow-fraction``, ``--slow-delay``), drawn per request from a fixed seed, so
a hedged duplicate of a slow request is a new request with its own draw. A fresh server (same
seed) serves each configuration:

- ``none``: no hedging;
- ``fixed``: ``hedged(after=--after)`` (default 0.05 s);
- ``p95`` / ``p90``: the adaptive mode, ``hedged(after="p95")`` and ``hedged(after="p90")``.

Each sends ``--requests`` chat completions (default 400) one after another with one client
(``max_retries=0``) after one warm-up call, and reports P50 / P90 / P99 / max latency and the
extra requests spent (what the server counted, minus the requests sent).

Usage::

    python benchmarks/hedging.py                 # 400 requests per configuration (~1.5 min)
    python benchmarks/hedging.py --quick         # 100 requests per configuration
    python benchmarks/hedging.py --requests 1000 --after 0.1 --only none,fixed
"""

from __future__ import annotations

import argparse
import json
import math
import random
import select
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, List, Optional

CHAT = json.dumps(
    {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 1,
        "model": "m",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "Hello there."},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8},
    }
).encode()

# -- the server (child process) -------------------------------------------------------------------


def serve(seed: int, slow_fraction: float, slow_delay: float) -> None:
    """Run the server; print ``PORT <n>`` once listening; stop when stdin closes."""
    lock = threading.Lock()
    rng = random.Random(seed)
    counts = {"requests": 0, "slow": 0, "cancelled": 0}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            with lock:
                body = json.dumps(counts).encode()
            self.reply(body)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            with lock:
                counts["requests"] += 1
                slow = rng.random() < slow_fraction
                counts["slow"] += slow
            if slow and not self.wait(slow_delay):
                with lock:
                    counts["cancelled"] += 1
                self.close_connection = True
                return
            try:
                self.reply(CHAT)
            except OSError:
                self.close_connection = True

        def setup(self) -> None:
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def reply(self, body: bytes) -> None:
            # One write: headers and body in one segment (no Nagle / delayed-ACK stall).
            head = (
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            )
            self.wfile.write(head.encode() + body)
            self.wfile.flush()

        def wait(self, seconds: float) -> bool:
            """Sleep, but stop (False) when the client shuts the connection down."""
            end = time.monotonic() + seconds
            while (left := end - time.monotonic()) > 0:
                readable, _, _ = select.select([self.connection], [], [], min(left, 0.05))
                if readable:
                    try:
                        data = self.connection.recv(1, socket.MSG_PEEK)
                    except OSError:
                        data = b""
                    if not data:
                        return False
            return True

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    print(f"PORT {httpd.server_address[1]}", flush=True)
    sys.stdin.read()  # the parent closes stdin to stop us
    httpd.shutdown()


class Server:
    """The server in a child process."""

    def __init__(self, seed: int, slow_fraction: float, slow_delay: float) -> None:
        self.process = subprocess.Popen(  # this very script, with our interpreter
            [sys.executable, __file__, "--serve", str(seed), str(slow_fraction), str(slow_delay)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError(f"the server did not start: {line!r}")
        self.url = f"http://127.0.0.1:{int(line.split()[1])}"

    def counts(self) -> Dict[str, int]:
        import requests

        result: Dict[str, int] = requests.get(self.url + "/status", timeout=5).json()
        return result

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()


# -- the client -----------------------------------------------------------------------------------


def percentile(values: List[float], percent: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(percent / 100 * len(ordered))) - 1]


def run(name: str, after: Optional[Any], args: argparse.Namespace) -> Dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from openai_core import Client

    server = Server(args.seed, args.slow_fraction, args.slow_delay)
    try:
        client = Client(base_url=server.url + "/v1", max_retries=0, timeout=30)
        builder = client.chat().completions().create().model("m").message_user("Hello")
        if after is not None:
            builder = builder.hedged(after=after, max_extra=args.max_extra)
        builder.send()  # warm-up: connection open, imports done
        before = server.counts()["requests"]
        latencies: List[float] = []
        winners = 0
        started = time.monotonic()
        for _ in range(args.requests):
            t0 = time.perf_counter()
            result = builder.send_with_meta()
            latencies.append(time.perf_counter() - t0)
            winners += result.meta.winning_leg > 0
            if result.data.choices[0].message.content != "Hello there.":
                raise RuntimeError("unexpected completion text")
        wall = time.monotonic() - started
        time.sleep(0.2)  # let cancelled legs reach the server's count
        counts = server.counts()
        client.close()
    finally:
        server.close()
    return {
        "name": name,
        "p50": percentile(latencies, 50),
        "p90": percentile(latencies, 90),
        "p99": percentile(latencies, 99),
        "max": max(latencies),
        "extra": counts["requests"] - before - args.requests,
        "won_by_duplicate": winners,
        "wall": wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--quick", action="store_true", help="100 requests per configuration")
    parser.add_argument("--after", type=float, default=0.05, help="the fixed delay (seconds)")
    parser.add_argument("--max-extra", type=int, default=1)
    parser.add_argument("--slow-fraction", type=float, default=0.05)
    parser.add_argument("--slow-delay", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", default="none,fixed,p95,p90", help="configurations to run")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--serve", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(int(args.serve[0]), float(args.serve[1]), float(args.serve[2]))
        return
    if args.quick:
        args.requests = 100
    configurations = {"none": None, "fixed": args.after, "p95": "p95", "p90": "p90"}
    print(
        f"{args.requests} sequential chat completions per configuration; "
        f"{args.slow_fraction:.0%} of requests delayed {args.slow_delay:g} s (seed {args.seed}); "
        f"max_extra={args.max_extra}",
        flush=True,
    )
    rows = []
    for name in args.only.split(","):
        label = {"none": "no hedging", "fixed": f"after={args.after:g}"}.get(
            name, f'after="{name}"'
        )
        rows.append(run(label, configurations[name], args))
        print(f"  {label}: done in {rows[-1]['wall']:.1f} s", file=sys.stderr, flush=True)
    print()
    print("| configuration | P50 ms | P90 ms | P99 ms | max ms | extra requests | duplicate won |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        extra = f"{row['extra']} ({row['extra'] / args.requests:.1%})"
        print(
            f"| {row['name']} | {row['p50'] * 1e3:.1f} | {row['p90'] * 1e3:.1f} | "
            f"{row['p99'] * 1e3:.1f} | {row['max'] * 1e3:.1f} | {extra} | "
            f"{row['won_by_duplicate']} |"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
