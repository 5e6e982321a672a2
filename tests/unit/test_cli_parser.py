"""``openai_core.cli``: the parser, the exit codes and the commands on a fake transport."""

from __future__ import annotations

import subprocess
import sys

import pytest

from openai_core import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from openai_core.cli import EXIT_CODES, build_parser, exit_code_for, main


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (APIError("x"), 1),
        (ConflictError("x", status=409), 1),
        (APIConnectionError("x"), 3),
        (APITimeoutError("x"), 4),
        (AuthenticationError("x", status=401), 5),
        (PermissionDeniedError("x", status=403), 5),
        (NotFoundError("x", status=404), 6),
        (RateLimitError("x", status=429), 7),
        (BadRequestError("x", status=400), 8),
        (UnprocessableEntityError("x", status=422), 8),
        (InternalServerError("x", status=500), 9),
        (APIResponseValidationError("x"), 10),
    ],
)
def test_each_error_class_has_its_exit_code(error: APIError, code: int) -> None:
    assert exit_code_for(error) == code


def test_help_epilog_lists_every_exit_code() -> None:
    text = build_parser().format_help()
    for code, meaning in EXIT_CODES:
        assert f"{code:<4} {meaning}" in text


def test_global_options_are_accepted_after_the_command() -> None:
    args = build_parser().parse_args(["chat", "--model", "m", "--timeout", "3", "hi"])
    assert (args.model, args.timeout, args.prompt) == ("m", 3.0, ["hi"])


def test_bad_query_parameter_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--base-url", "http://127.0.0.1:9", "api", "GET", "/models", "-q", "novalue"]
    assert main(argv) == 2
    assert "KEY=VALUE" in capsys.readouterr().err


def test_missing_command_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2


def test_python_dash_m_runs_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "openai_core", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "exit codes:" in result.stdout
