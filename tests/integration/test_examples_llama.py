"""Run the examples that fit a real chat model, as subprocesses against llama-server.

Each example is started with ``OPENAI_BASE_URL`` and ``LLAMA_MODEL`` pointing at the session's
llama.cpp server (no API key), must exit 0 within its timeout, and must print the expected
markers. ``docs/examples.md`` lists which examples run here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"

pytestmark = pytest.mark.timeout(180)

# example file, arguments, strings its output must contain
CASES: List[Tuple[str, List[str], List[str]]] = [
    ("chat.py", [], ["answer:", "finish_reason:"]),
    ("streaming.py", [], ["chunks:", "final:"]),
    ("logprobs.py", [], ["logprob token"]),
    ("function_calls.py", [], ["tool call: get_weather", "streamed tool call:", "raw fragments:"]),
    ("raw_response.py", [], ["meta status=200", "raw status=200"]),
    ("pagination.py", [], ["first page:", "item 1:", "total:"]),
    ("errors.py", [], ["APIConnectionError:", "handled: 3"]),
    ("tool_runner.py", [], ["== run_tools", "== stream_tools"]),
    ("structured_output.py", [], []),
    ("parsing.py", [], ["parsed: Recipe(", "streamed parsed: Recipe("]),
    ("parsing_tools.py", [], ["tool schema:", "tool call: lookup_order"]),
    ("ui_generation.py", [], ["ui tree:", "- "]),
    ("responses_stream.py", [], ["events:", "final status: completed"]),
    ("responses_structured.py", [], ["output_parsed: City(", "streamed output_parsed: City("]),
    ("logging_demo.py", [], ["openai_core", "<redacted>", "answer:"]),
    ("responses_tools_stream.py", [], ["arguments delta:", "function call: get_weather"]),
    ("responses_structured_tools.py", [], ["strict tool: strict=True", "tool call: query_orders"]),
    ("stream_to_client.py", [], ["ends with [DONE]: True", "all JSON: True", "raw lines:"]),
]


def example_env(base_url: str, model: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env["OPENAI_BASE_URL"] = base_url
    env["LLAMA_MODEL"] = model
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_example(name: str, args: List[str], env: Dict[str, str], timeout: float = 150) -> str:
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert proc.returncode == 0, (
        f"{name} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    )
    return proc.stdout


@pytest.mark.parametrize(("name", "args", "expected"), CASES, ids=[c[0] for c in CASES])
def test_example_runs(llama_server: Any, name: str, args: List[str], expected: List[str]) -> None:
    out = run_example(name, args, example_env(llama_server.base_url, str(llama_server.model)))
    for marker in expected:
        assert marker in out, f"{name}: {marker!r} missing from output:\n{out}"
