"""Memory growth of one ``Client`` over many requests and streams, measured with ``tracemalloc``.

Starts a local HTTP/1.1 server in a child process (so that only the client's allocations are
traced), then in this process: a warm-up, N plain requests (``GET /models``), M streams (a
20-event ``chat.completion.chunk`` SSE stream each), and prints the traced memory after each phase
and the growth per 1,000 calls. A leak of even one small object per call shows up as tens of KB
per 1,000.

Usage: ``python benchmarks/memory_growth.py [--requests 10000] [--streams 1000] [--warmup 200]``
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
import tracemalloc

from openai_core import Client

_SERVER = r"""
import http.server, json, socket, sys

models = json.dumps({"object": "list", "data": [{"id": "m", "object": "model", "created": 0}]})
def chunk(i):
    return "data: " + json.dumps({"id": "c", "object": "chat.completion.chunk", "created": 0,
        "model": "m", "choices": [{"index": 0, "delta": {"content": "t%d" % i},
        "finish_reason": None}]}) + "\n\n"
sse = ("".join(chunk(i) for i in range(20)) + "data: [DONE]\n\n").encode()

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    def reply(self, body, kind):
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        self.reply(models.encode(), "application/json")
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.reply(sse, "text/event-stream")
    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
"""


def _traced() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def _kib(value: float) -> str:
    return f"{value / 1024:,.1f} KiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--streams", type=int, default=1_000)
    parser.add_argument("--warmup", type=int, default=200)
    args = parser.parse_args()

    server = subprocess.Popen([sys.executable, "-c", _SERVER], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline().split()[1])
        client = Client(base_url=f"http://127.0.0.1:{port}/v1", timeout=10, max_retries=0)

        def request() -> None:
            assert client.models().list().send().data[0].id == "m"

        def stream() -> None:
            builder = client.chat().completions().create().model("m").message_user("hi")
            with builder.stream() as events:
                assert sum(1 for _ in events) == 20

        tracemalloc.start()
        started = time.monotonic()
        for _ in range(args.warmup):
            request()
            stream()
        warm = _traced()
        for _ in range(args.requests):
            request()
        after_requests = _traced()
        for _ in range(args.streams):
            stream()
        after_streams = _traced()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        client.close()
    finally:
        server.terminate()
        server.wait(10)

    per_request = (after_requests - warm) * 1000 / max(args.requests, 1)
    per_stream = (after_streams - after_requests) * 1000 / max(args.streams, 1)
    print(f"traced after warm-up ({args.warmup} requests + {args.warmup} streams): {_kib(warm)}")
    print(f"traced after {args.requests:,} requests: {_kib(after_requests)}")
    print(f"traced after {args.streams:,} streams (20 events each): {_kib(after_streams)}")
    print(f"growth per 1,000 requests: {_kib(per_request)}")
    print(f"growth per 1,000 streams: {_kib(per_stream)}")
    print(f"peak traced: {_kib(peak)}; wall time {time.monotonic() - started:.1f} s")
    print(
        json.dumps({"warm": warm, "after_requests": after_requests, "after_streams": after_streams})
    )


if __name__ == "__main__":
    main()
