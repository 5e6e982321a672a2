#!/usr/bin/env python3
"""The project's two set-up commands (standard library only, Python 3.9+).

    python3 tools/dev.py demo   # venv + local llama-server + examples/local_demo.py
    python3 tools/dev.py test   # venv + llama-server + mock + ruff, mypy, bandit, pytest, tox

Both create ``.venv`` at the repository root with the interpreter running this
script (if it does not exist yet), install the package into it in editable
mode, and install llama.cpp's ``llama-server`` plus the SmolLM2-135M-Instruct
model into ``.cache/llama/`` (the first time this compiles llama.cpp: about
10-15 minutes on 2 cores; later runs reuse the cache). ``test`` also installs
the Steady mock server for the contract tests with npm into ``.cache/mock/`` and
llama-cpp-python's server, a second compatible server for the integration tests, into
``.cache/llama-py/`` (compiles llama.cpp once more the first time: about 5-8 minutes), and
Debian's ``chromium`` with apt-get when ``/usr/bin/chromium`` is missing (for the browser test;
``sudo -n`` when not root).
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import llama_cpp_python_server  # noqa: E402
import llama_server  # noqa: E402
import mock_server  # noqa: E402

VENV = ROOT / ".venv"
DEMO_SCRIPT = ROOT / "examples" / "local_demo.py"
TOX_ENVS = "py39,py310,py311,py312,py313"
SKIP_ENV = "OPENAI_CORE_SKIP_INTEGRATION"  # also honoured by tests/integration/conftest.py
SKIP_CONTRACT_ENV = "OPENAI_CORE_SKIP_CONTRACT"  # also honoured by tests/contract/conftest.py

# Generous upper bounds so that nothing can hang CI forever (CI allows 90 min).
TIMEOUT_INSTALL = 45 * 60
TIMEOUT_STEP = 20 * 60
TIMEOUT_DOCS = 5 * 60  # mkdocs build --strict (about 5 s here)
DOCS_MIN_PYTHON = (3, 11)  # mkdocstrings[python] (the `dev` extra installs it from 3.11 on)
TIMEOUT_APT = 10 * 60  # each apt-get command (update + install took about 20 s here)

# Debian's Chromium for tests/integration/test_browser_stream.py (driven by Playwright with
# executable_path; no browser is ever downloaded). When it cannot be installed, the reason is
# written here and that test fails with it.
CHROMIUM = Path(os.environ.get("OPENAI_CORE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ERROR = ROOT / ".cache" / "chromium-install-error.txt"


class StepFailed(Exception):
    def __init__(self, name: str, code: int) -> None:
        super().__init__(f"{name} failed (exit code {code})")
        self.name = name
        self.code = code


def _say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


class Steps:
    """Runs named steps in order, fails fast, and prints a timed summary."""

    def __init__(self) -> None:
        self.results: List[Tuple[str, str, float]] = []

    def run(self, name: str, action: Callable[[], None]) -> None:
        _say(f"==> {name}")
        started = time.monotonic()
        status = "FAIL"
        try:
            action()
            status = "ok"
        finally:
            elapsed = time.monotonic() - started
            self.results.append((name, status, elapsed))
            _say(f"<== {name}: {status} in {elapsed:.1f}s")

    def skip(self, name: str, reason: str) -> None:
        _say(f"--- {name}: skipped ({reason})")
        self.results.append((name, "skip", 0.0))

    def summary(self) -> None:
        if not self.results:
            return
        width = max(len(name) for name, _, _ in self.results)
        print("\nSummary", flush=True)
        for name, status, elapsed in self.results:
            print(f"  {status:<4}  {name:<{width}}  {_duration(elapsed):>8}", flush=True)
        total = sum(elapsed for _, _, elapsed in self.results)
        print(f"  total {_duration(total)}", flush=True)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f}s"
    return f"{int(seconds // 60)}m{int(seconds % 60):02d}s"


def run_command(
    name: str,
    cmd: Sequence[str],
    env: Optional[Dict[str, str]] = None,
    timeout: float = TIMEOUT_STEP,
) -> None:
    """Run ``cmd`` at the repo root; raise StepFailed on a non-zero exit or timeout."""
    print("$ " + " ".join(str(part) for part in cmd), flush=True)
    process = subprocess.Popen(
        [str(part) for part in cmd],
        cwd=str(ROOT),
        env=env,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # so a timeout can kill the whole process tree
    )
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _say(f"{name} did not finish within {timeout / 60:.0f} minutes; killing it")
        _kill_tree(process)
        raise StepFailed(name, 124) from None
    except BaseException:
        _kill_tree(process)
        raise
    if code != 0:
        raise StepFailed(name, code)


def _kill_tree(process: subprocess.Popen[bytes]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        try:
            process.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


def ensure_venv(extra: str) -> None:
    python = venv_python()
    usable = python.is_file() and (
        subprocess.run([str(python), "-c", "pass"], check=False).returncode == 0
    )
    if not usable:
        what = "re-creating broken" if VENV.exists() else "creating"
        _say(f"{what} {VENV} with {sys.executable} ({sys.version.split()[0]})")
        run_command("create .venv", [sys.executable, "-m", "venv", "--clear", str(VENV)])
    env = dict(os.environ)
    env.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    run_command(
        f"pip install -e .[{extra}]",
        [str(python), "-m", "pip", "install", "--no-input", "-e", f".[{extra}]"],
        env=env,
    )


def install_llama() -> None:
    # Runs in this process (it prints its own progress); the build itself is
    # bounded by pip. The cached case returns immediately.
    llama_server.install()


def install_llama_cpp_python() -> None:
    # Builds llama-cpp-python[server] into .cache/llama-py/ (the SmolLM2 model is
    # shared with llama-server); the cached case returns immediately.
    llama_cpp_python_server.install()


def install_mock() -> None:
    # npm-installs the pinned Steady mock server (tests/contract); cached afterwards.
    mock_server.install()


def _apt_install_chromium() -> None:
    apt = shutil.which("apt-get")
    if apt is None:
        raise RuntimeError("apt-get is not available to install Debian's chromium package")
    prefix: List[str] = []
    if getattr(os, "geteuid", lambda: 0)() != 0:
        if shutil.which("sudo") is None:
            raise RuntimeError("installing chromium with apt-get needs root, and sudo is missing")
        prefix = ["sudo", "-n"]
    apt_cmd = [*prefix, "env", "DEBIAN_FRONTEND=noninteractive", apt, "-q"]
    apt_cmd += ["-o", "DPkg::Lock::Timeout=120"]
    for attempt in (1, 2):
        try:
            run_command("apt-get update", [*apt_cmd, "update"], timeout=TIMEOUT_APT)
            run_command(
                "apt-get install chromium",
                [*apt_cmd, "install", "-y", "--no-install-recommends", "chromium"],
                timeout=TIMEOUT_APT,
            )
            break
        except StepFailed as exc:
            if attempt == 2:
                raise RuntimeError(f"{exc} (tried twice)") from exc
            _say(f"{exc}; retrying apt-get update + install once")
            time.sleep(5)
    if not CHROMIUM.is_file():
        raise RuntimeError(f"apt-get installed chromium but {CHROMIUM} does not exist")


def install_chromium() -> None:
    """Install Debian's chromium with apt-get when it is missing (for the browser test).

    A failure does not stop the run: the reason goes to .cache/chromium-install-error.txt,
    and tests/integration/test_browser_stream.py fails with it."""
    if CHROMIUM_ERROR.exists():
        CHROMIUM_ERROR.unlink()
    if CHROMIUM.is_file():
        _say(f"{CHROMIUM} is installed")
        return
    try:
        _apt_install_chromium()
    except (RuntimeError, OSError) as exc:
        CHROMIUM_ERROR.parent.mkdir(parents=True, exist_ok=True)
        CHROMIUM_ERROR.write_text(f"{exc}\n", encoding="utf-8")
        _say(f"WARNING: could not install chromium: {exc}; the browser test will fail")


def _python_version(python: str) -> Tuple[int, int]:
    out = subprocess.run(
        [python, "-c", "import sys; print(sys.version_info[0], sys.version_info[1])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return int(out[0]), int(out[1])


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes"}


def pyenv_path() -> str:
    """PATH with every ``~/.pyenv/versions/*/bin`` prepended, so tox finds python3.X."""
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    dirs = sorted(glob.glob(os.path.join(root, "versions", "*", "bin")))
    current = os.environ.get("PATH", "")
    return os.pathsep.join([*dirs, current]) if dirs else current


def cmd_test(_: argparse.Namespace) -> int:
    steps = Steps()
    python = str(venv_python())
    try:
        steps.run("venv: pip install -e .[dev]", lambda: ensure_venv("dev"))
        if _env_flag(SKIP_ENV):
            steps.skip("llama-server + model (cached)", f"{SKIP_ENV} is set")
        else:
            steps.run("llama-server + model (cached)", install_llama)
        if _env_flag(SKIP_ENV):
            steps.skip("llama-cpp-python server (cached)", f"{SKIP_ENV} is set")
        else:
            steps.run("llama-cpp-python server (cached)", install_llama_cpp_python)
        if _env_flag(SKIP_ENV):
            steps.skip("chromium for the browser test (apt-get)", f"{SKIP_ENV} is set")
        else:
            steps.run("chromium for the browser test (apt-get)", install_chromium)
        if _env_flag(SKIP_CONTRACT_ENV):
            steps.skip("Steady mock server (npm, cached)", f"{SKIP_CONTRACT_ENV} is set")
        else:
            steps.run("Steady mock server (npm, cached)", install_mock)
        steps.run("ruff check .", lambda: run_command("ruff", [python, "-m", "ruff", "check", "."]))
        steps.run("mypy", lambda: run_command("mypy", [python, "-m", "mypy"]))
        steps.run(
            "bandit -r openai_core (security lint)",
            lambda: run_command(
                "bandit",
                [python, "-m", "bandit", "-q", "-r", "openai_core", "-c", "pyproject.toml"],
            ),
        )
        steps.run(
            "generated code up to date (python -m tools.codegen --check)",
            lambda: run_command("codegen drift", [python, "-m", "tools.codegen", "--check"]),
        )
        steps.run(
            "provider capability matrix up to date (python -m tools.provider_matrix --check)",
            lambda: run_command(
                "provider matrix drift", [python, "-m", "tools.provider_matrix", "--check"]
            ),
        )
        docs_cmd = [python, "-m", "mkdocs", "build", "--strict", "--site-dir", ".cache/site"]
        if _python_version(python) >= DOCS_MIN_PYTHON:
            steps.run(
                "docs site (mkdocs build --strict)",
                lambda: run_command("mkdocs", docs_cmd, timeout=TIMEOUT_DOCS),
            )
        else:
            steps.skip("docs site (mkdocs build --strict)", "mkdocstrings needs Python 3.11+")
        steps.run(
            "pytest tests (unit + integration + contract)",
            lambda: run_command("pytest", [python, "-m", "pytest", "tests"]),
        )
        tox_env = dict(os.environ)
        tox_env["PATH"] = pyenv_path()
        steps.run(
            f"tox -e {TOX_ENVS} -- tests/unit",
            lambda: run_command(
                "tox", [python, "-m", "tox", "-e", TOX_ENVS, "--", "tests/unit"], env=tox_env
            ),
        )
    except StepFailed as exc:
        steps.summary()
        _say(f"FAILED: {exc}")
        return exc.code or 1
    except (llama_server.LlamaServerError, mock_server.MockServerError) as exc:
        steps.summary()
        _say(f"FAILED: {exc}")
        return 1
    steps.summary()
    _say("all checks passed")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    script = Path(args.script).resolve() if args.script else DEMO_SCRIPT
    if not script.is_file():
        _say(f"error: {script} does not exist")
        return 1
    steps = Steps()
    try:
        steps.run("venv: pip install -e .[test]", lambda: ensure_venv("test"))
        steps.run("llama-server + model (cached)", install_llama)
        server = llama_server.start()
        try:
            env = dict(os.environ)
            env.update(server.env())
            env.setdefault("OPENAI_API_KEY", "sk-no-key-required")
            _say(f"serving {server.model} at {server.base_url} (log: {server.log_path})")
            label = script.relative_to(ROOT) if script.is_relative_to(ROOT) else script
            steps.run(
                f"python {label}",
                lambda: run_command("demo", [str(venv_python()), str(script)], env=env),
            )
        finally:
            server.stop()
    except StepFailed as exc:
        steps.summary()
        _say(f"FAILED: {exc}")
        return exc.code or 1
    except llama_server.LlamaServerError as exc:
        steps.summary()
        _say(f"FAILED: {exc}")
        return 1
    steps.summary()
    return 0


def _on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/dev.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run examples/local_demo.py against a local llama-server")
    demo.add_argument("--script", help=argparse.SUPPRESS)  # plumbing tests only
    sub.add_parser(
        "test", help="ruff, mypy, pytest (unit + integration + contract), tox on py39-py313"
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        if args.command == "demo":
            return cmd_demo(args)
        return cmd_test(args)
    except KeyboardInterrupt:
        _say("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
