"""End to end: examples/flask_stream.py in headless Chromium against the local llama-server.

The example app runs on a real WSGI server (werkzeug, 127.0.0.1, a free port, in a thread);
Playwright drives Debian's Chromium (``/usr/bin/chromium``, installed by ``tools/dev.py test``
with apt-get; Playwright never downloads a browser here). The test types a question, clicks
"Ask", and polls the page's text every 50 ms: the answer must grow in several steps while the
model generates, not appear all at once.

A missing browser or driver is a failure, not a skip: the test command installs both.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator, List

import pytest

from openai_core import Client

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "flask_stream.py"
CHROMIUM = os.environ.get("OPENAI_CORE_CHROMIUM", "/usr/bin/chromium")
# Written by tools/dev.py when it could not install Chromium with apt-get.
INSTALL_ERROR = ROOT / ".cache" / "chromium-install-error.txt"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEADLINE = 40.0  # seconds for the whole answer; the test itself is bounded at 60 s

# Records when the page's EventSource is closed (after ``data: [DONE]`` or an error).
TRACK_CLOSE = """
(() => {
  window.__sseClosed = false;
  const close = EventSource.prototype.close;
  EventSource.prototype.close = function () { window.__sseClosed = true; return close.call(this); };
})();
"""


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("flask_stream_browser_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def require_chromium() -> None:
    if os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
        return
    reason = f"no Chromium at {CHROMIUM} (python3 tools/dev.py test installs Debian's chromium)"
    if INSTALL_ERROR.is_file():
        reason += ": " + INSTALL_ERROR.read_text(encoding="utf-8").strip()
    pytest.fail(reason)


@pytest.fixture()
def app_url(llama_server: Any) -> Iterator[str]:
    from werkzeug.serving import make_server

    with Client(base_url=llama_server.base_url, timeout=60, max_retries=1) as client:
        app = load_example().create_app(client, model=str(llama_server.model))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="flask-example", daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()


@pytest.mark.timeout(60)
def test_the_answer_appears_in_the_page_in_several_steps(app_url: str) -> None:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=20_000
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(15_000)
            page.add_init_script(TRACK_CLOSE)
            page.goto(app_url + "/")
            page.fill("#q", "Tell me a short story about a cat who learns to sail.")
            page.click("button")

            lengths: List[int] = []  # distinct lengths of #out seen while the stream was open
            closed = False
            deadline = time.monotonic() + DEADLINE
            while time.monotonic() < deadline:
                state = page.evaluate(
                    "() => [document.getElementById('out').textContent.length, window.__sseClosed]"
                )
                length, closed = int(state[0]), bool(state[1])
                if closed:
                    break
                if length and (not lengths or length != lengths[-1]):
                    lengths.append(length)
                page.wait_for_timeout(50)
            text = page.inner_text("#out")
        finally:
            browser.close()

    assert closed, f"the stream did not end within {DEADLINE:.0f} s; text so far: {text!r}"
    assert "[error]" not in text, text
    assert text.strip(), "the page shows no answer"
    intermediate = [n for n in lengths if n < len(text)]
    assert lengths == sorted(lengths), f"the text shrank: {lengths}"
    assert len(intermediate) >= 3, (
        f"the answer ({len(text)} characters) appeared in too few steps: {lengths}"
    )
