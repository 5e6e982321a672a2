"""The installed ``openai-core`` console script against the local llama.cpp server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, List

import pytest

SCRIPT = Path(sys.executable).with_name("openai-core")


def run_cli(server: Any, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    if not SCRIPT.is_file():
        pytest.fail(f"{SCRIPT} is missing; run `pip install -e .` to install the console script")
    command: List[str] = [str(SCRIPT), "--base-url", server.base_url, "--max-retries", "0"]
    return subprocess.run(
        [*command, *args], input=stdin, capture_output=True, text=True, timeout=90, check=False
    )


def test_chat_streams_the_answer_to_stdout(llama_server: Any) -> None:
    result = run_cli(
        llama_server,
        "chat",
        "--max-tokens",
        "16",
        "--model",
        llama_server.model,
        "--system",
        "Be brief.",
        "Say hi",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_chat_reads_the_prompt_from_stdin(llama_server: Any) -> None:
    result = run_cli(
        llama_server, "--model", llama_server.model, "chat", "--max-tokens", "16", stdin="Say hi\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_chat_json_prints_the_completion(llama_server: Any) -> None:
    result = run_cli(
        llama_server,
        "chat",
        "--json",
        "--max-tokens",
        "16",
        "--model",
        llama_server.model,
        "Say hi",
    )
    assert result.returncode == 0, result.stderr
    completion = json.loads(result.stdout)
    assert completion["object"] == "chat.completion"
    assert completion["choices"][0]["message"]["role"] == "assistant"


def test_models_list_prints_the_server_model(llama_server: Any) -> None:
    result = run_cli(llama_server, "models", "list")
    assert result.returncode == 0, result.stderr
    assert llama_server.model in result.stdout.splitlines()


def test_embeddings_print_one_vector_per_line(llama_server: Any) -> None:
    result = run_cli(llama_server, "embeddings", "--model", llama_server.model, "a cat", "a dog")
    assert result.returncode == 0, result.stderr
    vectors = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(vectors) == 2
    assert all(isinstance(x, float) for x in vectors[0])


def test_responses_streams_the_output_text(llama_server: Any) -> None:
    result = run_cli(
        llama_server, "responses", "--max-tokens", "16", "--model", llama_server.model, "Say hi"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_verbose_traces_the_request_without_the_key(llama_server: Any) -> None:
    result = run_cli(llama_server, "--verbose", "--api-key", "sk-cli-secret-123", "models", "list")
    assert result.returncode == 0, result.stderr
    assert "curl -X GET" in result.stderr
    assert "-> 200" in result.stderr
    assert "sk-cli-secret-123" not in result.stderr + result.stdout


def test_a_404_route_exits_with_the_not_found_code(llama_server: Any) -> None:
    result = run_cli(llama_server, "api", "GET", "/chat/completions/chatcmpl-does-not-exist")
    assert result.returncode == 6
    assert "NotFoundError" in result.stderr


def test_a_refused_connection_exits_with_the_connection_code(llama_server: Any) -> None:
    result = subprocess.run(
        [
            str(SCRIPT),
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--max-retries",
            "0",
            "models",
            "list",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 3, result.stderr
