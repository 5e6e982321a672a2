"""Run the examples that need endpoints a local chat model lacks, as subprocesses against the
Steady mock of the OpenAPI spec.

Each example is started with ``OPENAI_BASE_URL`` set to the mock (no ``/v1``) and a dummy
``OPENAI_API_KEY``, must exit 0 within its timeout, and must print the expected markers. The
mock's answers are spec-shaped placeholders, so only the calls and the decoding are checked.
``docs/examples.md`` lists which examples run here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"

pytestmark = pytest.mark.timeout(120)

# example file, arguments, strings its output must contain
CASES: List[Tuple[str, List[str], List[str]]] = [
    ("assistants.py", [], ["assistant:", "thread:", "polled run:", "thread message:"]),
    ("text_to_speech.py", [], ["wrote", "bytes to"]),
    ("speech_to_text.py", [], ["transcript (json):", "transcript (text):"]),
    ("audio_round_trip.py", [], ["speech:", "heard:"]),
    ("fine_tuning.py", [], ["uploaded:", "job:", "listed job:"]),
    ("image_stream.py", [], ["image"]),
    ("batch.py", [], ["batch ", "still running: batch"]),
    ("pagination.py", ["files"], ["first page:", "item 1:", "total:"]),
    ("responses_background.py", [], ["created:", "polled:"]),
]

# examples that bring their own local server (no mock needed): the scripted WebSocket test
# server of tools/ws_test_server.py, a fake Azure endpoint answering a canned completion, or
# (webhooks) no server at all
SELF_CONTAINED: List[Tuple[str, List[str], List[str]]] = [
    ("realtime_ws.py", [], ["scripted local test server", "event: response.done"]),
    ("responses_websocket.py", [], ["turn 1:", "turn 2:", "chained: previous_response_id=resp_1"]),
    ("webhook_verification.py", [], ["verified: WebhookResponseCompleted", "rejected (tampered"]),
    (
        "azure_chat.py",
        [],
        [
            "/openai/deployments/my-deployment/chat/completions?api-version=",
            "api-key: <redacted>",
            "answer:",
        ],
    ),
]


def example_env(base_url: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env["OPENAI_BASE_URL"] = base_url
    env["OPENAI_API_KEY"] = "sk-example-test"
    env["POLL_TIMEOUT"] = "2"
    env["BATCH_TIMEOUT"] = "0"  # upload, create, one poll: the mock's batch need not finish
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_example(
    name: str, args: List[str], env: Dict[str, str], cwd: Path, timeout: float = 90
) -> str:
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        env=env,
        cwd=str(cwd),
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
def test_example_runs(
    mock_server: Any, tmp_path: Path, name: str, args: List[str], expected: List[str]
) -> None:
    out = run_example(name, args, example_env(mock_server.base_url), tmp_path)
    for marker in expected:
        assert marker in out, f"{name}: {marker!r} missing from output:\n{out}"


@pytest.mark.parametrize(
    ("name", "args", "expected"), SELF_CONTAINED, ids=[c[0] for c in SELF_CONTAINED]
)
def test_self_contained_example_runs(
    tmp_path: Path, name: str, args: List[str], expected: List[str]
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AZURE_"))}
    env.pop("REALTIME_BASE_URL", None)
    env.pop("RESPONSES_WS_BASE_URL", None)
    out = run_example(name, args, env, tmp_path)
    for marker in expected:
        assert marker in out, f"{name}: {marker!r} missing from output:\n{out}"
