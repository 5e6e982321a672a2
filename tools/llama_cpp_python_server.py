#!/usr/bin/env python3
"""Install, start and stop llama-cpp-python's OpenAI-compatible server for integration tests.

A second, differently behaved compatible server next to llama.cpp's own ``llama-server``
(``tools/llama_server.py``): the FastAPI app of the ``llama-cpp-python`` package
(``python -m llama_cpp.server``), serving the same SmolLM2-135M-Instruct GGUF that
``tools/llama_server.py`` caches in ``.cache/llama/models/`` on 127.0.0.1.

Everything of its own is cached in ``<repo>/.cache/llama-py/`` (git-ignored):

* ``venv/``  a dedicated virtualenv with ``llama-cpp-python[server]``, which compiles
  llama.cpp's libraries from source once (about 5-8 minutes on 2 cores; the built wheel
  lands in pip's cache, so re-creating the venv later takes seconds);
* ``logs/``  one log file per started server;
* ``server.json`` the state of a server started with ``start`` (for ``stop``).

Library use::

    import llama_cpp_python_server
    llama_cpp_python_server.install()
    with llama_cpp_python_server.start() as server:
        print(server.base_url, server.model)

Command line::

    python tools/llama_cpp_python_server.py install
    python tools/llama_cpp_python_server.py start     # prints OPENAI_BASE_URL=... LLAMA_MODEL=...
    python tools/llama_cpp_python_server.py status
    python tools/llama_cpp_python_server.py stop
    python tools/llama_cpp_python_server.py run -- python examples/local_demo.py

How it differs from llama-server (llama-cpp-python 0.3.36 with the flags of
:func:`server_args`, measured):

* No ``/v1/responses`` (nor ``/health``, ``/props``, chat retrieval): unknown routes are
  FastAPI's ``404 {"detail": "Not Found"}`` (the SDK raises ``NotFoundError``, compat C40).
  There are ``/v1/chat/completions``, ``/v1/completions``, ``/v1/models`` and
  ``/v1/embeddings`` (the latter answers 500 unless started with ``--embedding true``).
* JSON mode is ``response_format={"type": "json_object", "schema": {...}}``: the schema
  (optional; without it any JSON) is compiled into a grammar. ``{"type": "json_schema", ...}``
  is not understood: it fails request validation.
* Every error, request validation included, is wrapped by the app's route handler:
  ``500 {"error": {"message": "1 validation error:\n  {'type': 'literal_error', 'loc':
  ('body', 'response_format', 'type'), ...}", "type": "internal_server_error",
  "param": null, "code": null}}``; a too long prompt is ``400 {"error": {"message":
  "This model's maximum context length is ...", "type": "invalid_request_error",
  "param": "messages", "code": "context_length_exceeded"}}``; a body that is not JSON is
  a ``500`` with the text/plain body ``Internal Server Error``. No FastAPI 422s. A body
  without ``messages`` is *not* an error (the app's example messages are used).
* Streams are ``data: {...}`` events ending with ``data: [DONE]``. The first chunk has only
  ``delta.role``, the last has an empty ``delta`` and the ``finish_reason``; no chunk has
  ``usage`` (``stream_options.include_usage`` is ignored). Non-streamed answers have
  ``usage`` (prompt/completion/total tokens) and no ``timings``.
* Tool calls only when ``tool_choice`` names a function (``{"type": "function",
  "function": {"name": ...}}``): the arguments are grammar-constrained to its parameters;
  ``"auto"``/``"required"`` are accepted and produce plain text. A forced call has
  ``content: null``, ``finish_reason: "tool_calls"``, an id like
  ``call__0_get_weather_cmpl-...`` and also the legacy ``function_call``; streamed, every
  fragment repeats ``index``, ``id``, ``type`` and ``name`` next to its piece of
  ``arguments``.
* ``/v1/models`` lists the ``--model_alias`` (``SmolLM2-135M-Instruct``, ``owned_by: "me"``).
  The request's ``model`` is not checked (any name uses the loaded model) and is echoed
  back as the answer's ``model``.
* No API key (an ``Authorization`` header is ignored). One request at a time (a global
  lock); by default a new request *interrupts* a running stream, so :func:`start` passes
  ``--interrupt_requests false``.

This module uses only the standard library and runs on Python 3.9+; it reuses the helpers
of ``tools/llama_server.py`` (model download, lock, process handling).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any, Dict, List, Optional, Sequence

_TOOLS = str(Path(__file__).resolve().parent)
if _TOOLS not in sys.path:
    sys.path.insert(0, _TOOLS)

import llama_server as _llama  # noqa: E402  (tools/ is not a package)

__all__ = [
    "CACHE_DIR",
    "LlamaCppPythonServer",
    "LlamaCppPythonServerError",
    "install",
    "is_installed",
    "start",
]

CACHE_DIR = Path(
    os.environ.get("OPENAI_CORE_LLAMA_PY_CACHE") or _llama.REPO_ROOT / ".cache" / "llama-py"
)
VENV_DIR = CACHE_DIR / "venv"
LOG_DIR = CACHE_DIR / "logs"
STATE_FILE = CACHE_DIR / "server.json"
LOCK_FILE = CACHE_DIR / "install.lock"
MARKER = VENV_DIR / ".openai-core-llama-cpp-python-installed.json"

# Pinned so that every machine builds and serves exactly the same thing.
PACKAGE_VERSION = "0.3.36"
PACKAGE_SPEC = os.environ.get(
    "OPENAI_CORE_LLAMA_CPP_PYTHON_SPEC", f"llama-cpp-python[server]=={PACKAGE_VERSION}"
)

# Only the shared libraries the bindings load: no tests, examples, tools (llama-server,
# llama-cli ...) and no multimodal (mtmd/llava) library, which the server only needs
# for --clip_model_path.
BUILD_ENV = {
    "CMAKE_ARGS": " ".join(
        [
            "-DLLAMA_BUILD_TESTS=OFF",
            "-DLLAMA_BUILD_EXAMPLES=OFF",
            "-DLLAMA_BUILD_TOOLS=OFF",
            "-DLLAMA_BUILD_SERVER=OFF",
            "-DLLAVA_BUILD=OFF",
        ]
    ),
    "CMAKE_BUILD_PARALLEL_LEVEL": "2",
}

HOST = _llama.HOST
MODEL_ALIAS = _llama.MODEL_ALIAS
DEFAULT_STARTUP_TIMEOUT = 120.0
DEFAULT_CTX_SIZE = 4096
DEFAULT_THREADS = _llama.DEFAULT_THREADS
# Environment variables the server process keeps. llama-cpp-python reads every setting
# (MODEL, PORT, API_KEY, N_CTX, CHAT_FORMAT, CONFIG_FILE, ...) from the environment too,
# case-insensitively, so anything else could silently change the server.
_ENV_KEEP = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TMP", "TEMP", "SYSTEMROOT")


class LlamaCppPythonServerError(_llama.LlamaServerError):
    """Installing, starting or stopping the llama-cpp-python server failed."""


class _PortInUse(LlamaCppPythonServerError):
    pass


def _log(message: str) -> None:
    print(f"[llama_cpp_python_server] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- install


def _venv_python() -> Path:
    return _llama._venv_python(VENV_DIR)


def _read_marker() -> Optional[Dict[str, Any]]:
    try:
        data = json.loads(MARKER.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _marker_ok() -> bool:
    marker = _read_marker()
    return bool(marker and marker.get("spec") == PACKAGE_SPEC and _venv_python().is_file())


def _probe_version() -> Optional[str]:
    """Import the server in the venv (as ``start`` will) and return the package version."""
    python = _venv_python()
    if not python.is_file():
        return None
    try:
        out = subprocess.run(
            [
                str(python),
                "-c",
                "import llama_cpp, llama_cpp.server.app, uvicorn; print(llama_cpp.__version__)",
            ],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = out.stdout.strip().splitlines()
    if out.returncode != 0 or not lines:
        _log(f"importing llama_cpp.server failed:\n{out.stderr.strip()[-2000:]}")
        return None
    return lines[-1].strip()


def _install_package() -> str:
    # No (valid) marker: never installed, another pinned version, or a half-finished
    # install. pip makes this idempotent: an interrupted build installed nothing and is
    # redone, a finished one is a no-op.
    MARKER.unlink(missing_ok=True)
    python = _llama._ensure_venv(VENV_DIR)
    env = dict(os.environ)
    env.update(BUILD_ENV)
    env.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    _log(
        f"installing {PACKAGE_SPEC} into {VENV_DIR}; if pip has not built it before this "
        "compiles llama.cpp from source (about 5-8 minutes on 2 cores)"
    )
    started = time.monotonic()
    _llama._run(
        [str(python), "-m", "pip", "install", "--no-input", PACKAGE_SPEC],
        env=env,
        what=f"pip install {PACKAGE_SPEC}",
    )
    version = _probe_version()
    if version is None:
        raise LlamaCppPythonServerError(
            f"{PACKAGE_SPEC} was installed into {VENV_DIR} but `import llama_cpp.server.app` "
            "fails in it"
        )
    if PACKAGE_SPEC.endswith(f"=={PACKAGE_VERSION}") and version != PACKAGE_VERSION:
        raise LlamaCppPythonServerError(
            f"{VENV_DIR} has llama-cpp-python {version}, expected {PACKAGE_VERSION}"
        )
    _llama._atomic_write_text(
        MARKER,
        json.dumps(
            {"spec": PACKAGE_SPEC, "version": version, "installed_at": time.time()}, indent=2
        ),
    )
    _log(f"llama-cpp-python {version} ready in {VENV_DIR} ({time.monotonic() - started:.0f}s)")
    return version


def is_installed() -> bool:
    """True when llama-cpp-python and the model are cached."""
    model = _llama.MODELS_DIR / _llama.MODEL_FILE_NAME
    return _marker_ok() and model.is_file()


def install() -> Path:
    """Install llama-cpp-python and the model if needed; return the venv's python.

    Idempotent and fast (no subprocess) when everything is already cached. The model
    comes from ``tools/llama_server.py``'s cache (downloaded there if missing); the
    llama-server binary itself is not needed.
    """
    with _llama._install_lock(LOCK_FILE):
        if not _marker_ok():
            _install_package()
    if not (_llama.MODELS_DIR / _llama.MODEL_FILE_NAME).is_file():
        with _llama._install_lock():
            _llama._install_model()
    return _venv_python()


# --------------------------------------------------------------------------- server


class LlamaCppPythonServer(_llama.LlamaServer):
    """A running ``python -m llama_cpp.server``. Use :func:`start` to create one.

    Same interface as ``llama_server.LlamaServer`` (``base_url``, ``root_url``, ``model``,
    ``log_path``, ``env()``, ``stop()``, context manager).
    """

    def __repr__(self) -> str:
        return (
            f"LlamaCppPythonServer(base_url={self.base_url!r}, model={self.model!r}, "
            f"pid={self.pid})"
        )


def server_args(model: Path, port: int, ctx_size: int, threads: int) -> List[str]:
    """The ``python -m llama_cpp.server`` arguments used by :func:`start`."""
    return [
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--model_alias",
        MODEL_ALIAS,
        "--host",
        HOST,
        "--port",
        str(port),
        # SmolLM2 is a ChatML model. The explicit format (rather than the GGUF's own Jinja
        # template) goes through llama-cpp-python's generic handler, which supports
        # response_format json_object(+schema) and forced tool calls via grammars.
        "--chat_format",
        "chatml",
        "--n_ctx",
        str(ctx_size),
        "--n_threads",
        str(threads),
        "--n_threads_batch",
        str(threads),
        # Default true: a new request cuts off a running stream with [DONE].
        "--interrupt_requests",
        "false",
    ]


def start(
    port: Optional[int] = None,
    extra_args: Sequence[str] = (),
    *,
    timeout: float = DEFAULT_STARTUP_TIMEOUT,
    ctx_size: int = DEFAULT_CTX_SIZE,
    threads: int = DEFAULT_THREADS,
    log_path: Optional[Path] = None,
    die_with_parent: bool = True,
) -> LlamaCppPythonServer:
    """Start the server on 127.0.0.1 and wait until ``GET /v1/models`` answers 200.

    ``port=None`` picks a free port (retrying with another one if it was taken in the
    meantime). ``extra_args`` are appended to the command line. Requires :func:`install`.
    Raises :class:`LlamaCppPythonServerError`, with the log's tail, when the server exits
    early or does not answer within ``timeout`` seconds.
    """
    if not _marker_ok():
        raise LlamaCppPythonServerError(
            "llama-cpp-python is not installed; run "
            "`python tools/llama_cpp_python_server.py install`"
        )
    model = _llama.model_path()
    attempts = 3 if port is None else 1
    last_error: Optional[LlamaCppPythonServerError] = None
    for _ in range(attempts):
        chosen = port if port is not None else _llama._free_port()
        args = [*server_args(model, chosen, ctx_size, threads), *extra_args]
        try:
            return _start_once(chosen, args, timeout, log_path, die_with_parent)
        except _PortInUse as exc:
            last_error = exc
            _log(f"port {chosen} was taken; retrying with another port")
    assert last_error is not None
    raise last_error


def _server_env() -> Dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key in _ENV_KEEP}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _start_once(
    port: int,
    args: Sequence[str],
    timeout: float,
    log_path: Optional[Path],
    die_with_parent: bool,
) -> LlamaCppPythonServer:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    _llama._prune_logs(LOG_DIR)
    log = log_path or LOG_DIR / f"server-{port}.log"
    cmd = [str(_venv_python()), *args]
    log_file: IO[bytes] = open(log, "wb")  # noqa: SIM115 - handed to the child
    try:
        log_file.write(("$ " + " ".join(cmd) + "\n").encode())
        log_file.flush()
        process = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            cwd=str(CACHE_DIR),
            env=_server_env(),
            start_new_session=True,
            # Only calls prctl(2); safe enough even with threads around.
            preexec_fn=(  # noqa: PLW1509
                _llama._die_with_parent if die_with_parent and sys.platform == "linux" else None
            ),
        )
    finally:
        log_file.close()

    server = LlamaCppPythonServer(process, process.pid, port, MODEL_ALIAS, log)
    # llama_server's atexit handler stops everything in this list.
    _llama._RUNNING.append(server)
    try:
        server.model = _wait_ready(server, timeout)
    except BaseException:
        server.stop()
        raise
    if not die_with_parent:
        _llama._RUNNING.remove(server)
    return server


def _wait_ready(server: LlamaCppPythonServer, timeout: float) -> str:
    """Poll ``/v1/models`` (the app only listens once the model is loaded)."""
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while True:
        if server.process is not None and server.process.poll() is not None:
            tail = _llama._tail(server.log_path)
            cls = (
                _PortInUse
                if "address already in use" in tail.lower()
                else (LlamaCppPythonServerError)
            )
            raise cls(
                f"llama_cpp.server exited with code {server.process.returncode} during "
                f"start-up (log: {server.log_path}):\n{tail}"
            )
        try:
            status, body = _llama._http_get(server.base_url + "/models", timeout=2.0)
            if status == 200:
                data = json.loads(body)
                try:
                    return str(data["data"][0]["id"])
                except (KeyError, IndexError, TypeError) as exc:
                    raise LlamaCppPythonServerError(
                        f"unexpected /v1/models answer: {data!r}"
                    ) from exc
            last = f"HTTP {status}: {body[:200]!r}"
        except (OSError, ValueError) as exc:
            last = str(exc)
        if time.monotonic() >= deadline:
            raise LlamaCppPythonServerError(
                f"llama_cpp.server on {server.root_url} did not answer /v1/models after "
                f"{timeout:g}s (last answer: {last}; log: {server.log_path}):\n"
                f"{_llama._tail(server.log_path)}"
            )
        time.sleep(0.2)


# --------------------------------------------------------------------------- CLI


def _read_state() -> Optional[LlamaCppPythonServer]:
    try:
        state = json.loads(STATE_FILE.read_text(encoding="utf-8"))
        return LlamaCppPythonServer(
            None,
            int(state["pid"]),
            int(state["port"]),
            str(state["model"]),
            Path(str(state["log"])),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _answers(server: LlamaCppPythonServer) -> bool:
    try:
        return _llama._http_get(server.base_url + "/models", timeout=2.0)[0] == 200
    except (OSError, ValueError):
        return False


def _looks_like_ours(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc (e.g. macOS): trust the state file
    return b"llama_cpp.server" in cmdline


def _cmd_install(_: argparse.Namespace) -> int:
    python = install()
    print(f"python: {python}")
    print(f"model:  {_llama.model_path()}")
    return 0


def _cmd_start(args: argparse.Namespace) -> int:
    old = _read_state()
    if old is not None and old.is_running() and _answers(old):
        _log(f"already running (pid {old.pid}, log {old.log_path})")
        _llama._print_env(old)
        return 0
    STATE_FILE.unlink(missing_ok=True)
    install()
    server = start(
        port=args.port, extra_args=args.extra, timeout=args.timeout, die_with_parent=False
    )
    state = {
        "pid": server.pid,
        "port": server.port,
        "model": server.model,
        "base_url": server.base_url,
        "log": str(server.log_path),
    }
    _llama._atomic_write_text(STATE_FILE, json.dumps(state, indent=2))
    _log(
        f"started pid {server.pid} (log {server.log_path}); stop it with: "
        "python tools/llama_cpp_python_server.py stop"
    )
    _llama._print_env(server)
    return 0


def _cmd_stop(_: argparse.Namespace) -> int:
    server = _read_state()
    if server is None:
        _log("no server started with `start` is recorded; nothing to stop")
        return 0
    if server.is_running() and _looks_like_ours(server.pid):
        server.stop()
        _log(f"stopped pid {server.pid}")
    else:
        _log(f"pid {server.pid} is not running any more")
    STATE_FILE.unlink(missing_ok=True)
    return 0


def _cmd_status(_: argparse.Namespace) -> int:
    print(f"installed: {is_installed()} (cache: {CACHE_DIR})")
    server = _read_state()
    if server is None:
        print("server:    not started")
        return 1
    healthy = server.is_running() and _answers(server)
    print(f"server:    pid {server.pid} {'answering' if healthy else 'NOT answering'}")
    _llama._print_env(server)
    return 0 if healthy else 1


def _cmd_run(args: argparse.Namespace) -> int:
    command = list(args.command)
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        _log("run needs a command: python tools/llama_cpp_python_server.py run -- CMD ...")
        return 2
    install()
    with start(port=args.port, extra_args=args.extra, timeout=args.timeout) as server:
        env = dict(os.environ)
        env.update(server.env())
        env.setdefault("OPENAI_API_KEY", "sk-no-key-required")
        _log(f"serving {server.model} at {server.base_url}; running: {' '.join(command)}")
        try:
            return subprocess.call(command, env=env)
        except FileNotFoundError:
            _log(f"command not found: {command[0]}")
            return 127


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="llama_cpp_python_server.py",
        description="Install, start and stop llama-cpp-python's server (SmolLM2-135M-Instruct).",
    )
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("install", help="build llama-cpp-python[server] and fetch the model (cached)")
    for name, text in (
        ("start", "start a server in the background; prints OPENAI_BASE_URL and LLAMA_MODEL"),
        ("run", "start a server, run a command against it, stop the server"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("--port", type=int, default=None, help="port (default: a free one)")
        p.add_argument(
            "--timeout",
            type=float,
            default=DEFAULT_STARTUP_TIMEOUT,
            help="seconds to wait for /v1/models (default: %(default)s)",
        )
        p.add_argument(
            "--server-arg",
            dest="extra",
            action="append",
            default=[],
            metavar="ARG",
            help="extra llama_cpp.server argument, repeatable; write --server-arg=--flag",
        )
        if name == "run":
            p.add_argument("command", nargs=argparse.REMAINDER, help="-- CMD [ARGS...]")
    sub.add_parser("stop", help="stop the server started with `start`")
    sub.add_parser("status", help="show whether the server is installed and running")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _llama._on_sigterm)
    handlers = {
        "install": _cmd_install,
        "start": _cmd_start,
        "stop": _cmd_stop,
        "status": _cmd_status,
        "run": _cmd_run,
    }
    try:
        return handlers[args.action](args)
    except _llama.LlamaServerError as exc:
        _log(f"error: {exc}")
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
