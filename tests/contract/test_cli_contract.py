"""The installed ``openai-core`` console script against the spec-driven mock server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(sys.executable).with_name("openai-core")


def run_cli(server: Any, *args: str) -> subprocess.CompletedProcess[str]:
    if not SCRIPT.is_file():
        pytest.fail(f"{SCRIPT} is missing; run `pip install -e .` to install the console script")
    command = [str(SCRIPT), "--base-url", server.base_url, "--api-key", "sk-test"]
    return subprocess.run(
        [*command, "--max-retries", "0", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_api_get_prints_the_json_body(mock_server: Any) -> None:
    result = run_cli(mock_server, "api", "GET", "/models")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["object"] == "list"


def test_api_sends_query_parameters(mock_server: Any) -> None:
    result = run_cli(mock_server, "--verbose", "api", "GET", "/files", "-q", "limit=2")
    assert result.returncode == 0, result.stderr
    assert "limit=2" in result.stderr
    assert "sk-test" not in result.stderr


def test_files_list_prints_one_file_per_line(mock_server: Any) -> None:
    result = run_cli(mock_server, "files", "list")
    assert result.returncode == 0, result.stderr
    for line in result.stdout.splitlines():
        assert len(line.split("\t")) == 4


def test_files_upload_prints_the_created_file(mock_server: Any, tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text('{"a": 1}\n')
    result = run_cli(mock_server, "files", "upload", str(path), "--purpose", "batch")
    assert result.returncode == 0, result.stderr
    assert "id" in json.loads(result.stdout)


def test_chunked_upload_draws_a_progress_bar(mock_server: Any, tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text('{"a": 1}\n')
    result = run_cli(
        mock_server, "files", "upload", str(path), "--purpose", "batch", "--part-size", "4"
    )
    assert result.returncode == 0, result.stderr
    assert "100.0% 9/9 bytes" in result.stderr
    assert "id" in json.loads(result.stdout)


def test_files_download_writes_the_content(mock_server: Any, tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    result = run_cli(mock_server, "files", "download", "file-abc", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.is_file()


def test_a_bad_request_exits_with_its_code(mock_server: Any) -> None:
    result = run_cli(mock_server, "api", "POST", "/chat/completions", "-d", "{}")
    assert result.returncode == 8
    assert "BadRequestError" in result.stderr


def test_invalid_json_is_a_usage_error(mock_server: Any) -> None:
    result = run_cli(mock_server, "api", "POST", "/chat/completions", "-d", "{nope")
    assert result.returncode == 2
    assert "not valid JSON" in result.stderr
