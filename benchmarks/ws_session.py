"""A 10-turn Responses conversation over one WebSocket session vs. over HTTP, on loopback.

- WebSocket: ``client.responses().ws().connect(chain=True)`` against ``tools/ws_test_server.py``
  (each turn is one ``response.create`` frame answered by the 10 events of a text response,
  ``response.created`` … ``response.completed``); the handshake is inside the timed loop.
- HTTP: the same 10 chained turns with ``client.responses().create()...send()`` against a tiny
  stdlib HTTP/1.1 server answering ``POST /v1/responses`` with the same canned response (one JSON
  body, kept-alive connection, ``TCP_NODELAY``); a fresh client per rep, so the TCP connect is
  inside the timed loop too.

Both servers run in a child process (so they do not share the client's GIL). Each rep times the
whole 10-turn loop; the figures are medians over ``--reps`` reps (after one untimed warm-up rep per
side, the sides interleaved), and the ratio is WebSocket / HTTP (lower means the session is
faster).

Usage: ``python benchmarks/ws_session.py [--reps 15] [--turns 10]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ws_test_server import WsTestServer, response_object

from openai_core import Client

KEY = "sk-bench"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    counter = 0
    lock = threading.Lock()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        request = json.loads(self.rfile.read(length) or b"{}")
        if not self.path.endswith("/responses"):
            self.send_error(404)
            return
        with _Handler.lock:
            _Handler.counter += 1
            number = _Handler.counter
        body = json.dumps(response_object(f"resp_{number}", request, "completed")).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def http_loop(base_url: str, turns: int) -> float:
    client = Client(api_key=KEY, base_url=base_url, max_retries=0)
    started = time.perf_counter()
    previous = None
    for i in range(turns):
        builder = client.responses().create().model("m").input_text(f"turn {i}")
        if previous is not None:
            builder = builder.previous_response_id(previous)
        response = builder.send()
        assert response.output_text == "Hello there"
        previous = response.id
    elapsed = time.perf_counter() - started
    client.close()
    return elapsed


def ws_loop(base_url: str, turns: int) -> float:
    client = Client(api_key=KEY, base_url=base_url, max_retries=0)
    started = time.perf_counter()
    with client.responses().ws().connect(chain=True) as session:
        base = session.create().model("m")
        for i in range(turns):
            response = base.input_text(f"turn {i}").send()
            assert response.output_text == "Hello there"
    elapsed = time.perf_counter() - started
    client.close()
    return elapsed


def serve() -> None:
    """Run both servers (in the child process) until stdin closes; print their base URLs."""
    http_server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    http_server.daemon_threads = True
    threading.Thread(target=http_server.serve_forever, daemon=True).start()
    with WsTestServer(api_key=KEY) as ws_server:
        print(f"http://127.0.0.1:{http_server.server_address[1]}/v1", ws_server.base_url)
        sys.stdout.flush()
        sys.stdin.read()
    http_server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve()
        return

    # The servers run in their own process, so they do not share the client's GIL.
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        http_url, ws_url = child.stdout.readline().split()
        http_times, ws_times = [], []
        http_loop(http_url, args.turns)  # warm-up: imports, first decode
        ws_loop(ws_url, args.turns)
        for _ in range(args.reps):  # interleaved, so drift hits both sides alike
            http_times.append(http_loop(http_url, args.turns))
            ws_times.append(ws_loop(ws_url, args.turns))
    finally:
        if child.stdin is not None:
            child.stdin.close()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
    http_ms = statistics.median(http_times) * 1000
    ws_ms = statistics.median(ws_times) * 1000
    print(f"{args.turns}-turn loop, median of {args.reps} reps (loopback):")
    for name, ms in (("HTTP POST /v1/responses", http_ms), ("WebSocket session", ws_ms)):
        print(f"  {name:<24} {ms:8.2f} ms  ({ms / args.turns:.2f} ms/turn)")
    print(f"  {'ratio WebSocket / HTTP':<24} {ws_ms / http_ms:8.2f}")


if __name__ == "__main__":
    main()
