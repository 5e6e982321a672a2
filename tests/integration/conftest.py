"""Integration tests against a real llama.cpp server on 127.0.0.1.

* Every test collected from this folder is marked ``integration``
  (deselect them with ``-m "not integration"``).
* ``OPENAI_CORE_SKIP_INTEGRATION=1`` skips them with a clear reason.
* Otherwise the session-scoped ``llama_server`` fixture installs llama-server
  and the SmolLM2-135M-Instruct model if needed (cached in ``.cache/llama/``;
  the first install compiles llama.cpp for 10-15 minutes), starts one server
  for the whole session and stops it at the end. An install or start failure
  is a test error, not a skip.

The fixture yields a ``llama_server.LlamaServer`` (from ``tools/llama_server.py``)
with ``base_url`` (``http://127.0.0.1:PORT/v1``), ``root_url``
(``http://127.0.0.1:PORT``), ``model`` (the id ``/v1/models`` reports) and
``log_path``.

The session-scoped ``llama_cpp_python_server`` fixture does the same for a second,
differently behaved server, llama-cpp-python's ``python -m llama_cpp.server``
(``tools/llama_cpp_python_server.py``, cached in ``.cache/llama-py/``; the first
install compiles llama.cpp again, about 5-8 minutes), serving the same model. It is
installed only when a collected test uses the fixture.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterator, List, Optional

import pytest

_HERE = Path(__file__).resolve().parent
_TOOLS = _HERE.parent.parent / "tools"
if str(_TOOLS) not in sys.path:
    sys.path.insert(0, str(_TOOLS))

import llama_cpp_python_server as _llama_py  # noqa: E402
import llama_server as _llama  # noqa: E402  (lives in tools/, not a package)

SKIP_ENV = "OPENAI_CORE_SKIP_INTEGRATION"

_install_error: Optional[BaseException] = None
_install_error_py: Optional[BaseException] = None


def _skip_requested() -> bool:
    return os.environ.get(SKIP_ENV, "").strip().lower() in {"1", "true", "yes"}


def _is_integration_item(item: pytest.Item) -> bool:
    try:
        Path(str(item.path)).resolve().relative_to(_HERE)
    except ValueError:
        return False
    return True


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason=f"integration tests skipped because {SKIP_ENV}=1")
    for item in items:
        if _is_integration_item(item):
            item.add_marker(pytest.mark.integration)
            if _skip_requested():
                item.add_marker(skip)


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> None:
    """Install before the first test runs, outside any per-test timeout.

    The first install compiles llama.cpp (minutes), far longer than the
    suite's per-test ``timeout``; the fixture then only starts the server.
    A failure is remembered and raised by the fixture, so it errors the
    integration tests instead of aborting the whole session.
    """
    global _install_error, _install_error_py
    if session.config.option.collectonly or _skip_requested():
        return
    if not any(_is_integration_item(item) for item in session.items):
        return
    try:
        _llama.install()
    except Exception as exc:  # reported by the fixture
        _install_error = exc
    if any(
        "llama_cpp_python_server" in getattr(item, "fixturenames", ()) for item in session.items
    ):
        try:
            _llama_py.install()
        except Exception as exc:  # reported by the fixture
            _install_error_py = exc


@pytest.fixture(scope="session")
def llama_server() -> Iterator[_llama.LlamaServer]:
    if _skip_requested():
        pytest.skip(f"integration tests skipped because {SKIP_ENV}=1")
    if _install_error is not None:
        raise _llama.LlamaServerError(
            f"installing llama-server failed: {_install_error}"
        ) from _install_error
    _llama.install()
    # Bounded below the suite's 120 s per-test timeout so the real cause
    # (with the server log's tail) is what gets reported.
    server = _llama.start(timeout=90)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def llama_cpp_python_server() -> Iterator[_llama_py.LlamaCppPythonServer]:
    """llama-cpp-python's server (no /v1/responses, json_object+schema JSON mode)."""
    if _skip_requested():
        pytest.skip(f"integration tests skipped because {SKIP_ENV}=1")
    if _install_error_py is not None:
        raise _llama_py.LlamaCppPythonServerError(
            f"installing llama-cpp-python failed: {_install_error_py}"
        ) from _install_error_py
    _llama_py.install()
    # Bounded below the suite's 120 s per-test timeout (see llama_server above).
    server = _llama_py.start(timeout=90)
    try:
        yield server
    finally:
        server.stop()
