"""Contract tests: the SDK against the spec-driven Steady mock server on 127.0.0.1.

* Every test collected from this folder is marked ``contract``
  (deselect them with ``-m "not contract"``).
* ``OPENAI_CORE_SKIP_CONTRACT=1`` skips them with a clear reason.
* Without the OpenAPI spec (``$OPENAI_OPENAPI_SPEC``, else ``../shared/openapi/openapi.yaml``
  beside the repository) they are skipped with the reason, except under CI (``CI`` set), where
  the missing spec fails them.
* Otherwise Steady is installed with npm before the first test (outside the per-test timeout;
  cached in ``.cache/mock/``), the session-scoped ``mock_server`` fixture starts one server for
  the whole session and stops it at the end. An install or start failure is a test error, not a
  skip.

Fixtures: ``mock_server`` (a ``mock_server.MockServer`` from ``tools/mock_server.py``, with
``base_url``), ``spec_document`` (the spec as the mock loaded it, parsed JSON), ``client``
(strict decoding) and ``lenient_client``.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

_HERE = Path(__file__).resolve().parent
_TOOLS = _HERE.parent.parent / "tools"
if str(_TOOLS) not in sys.path:
    sys.path.insert(0, str(_TOOLS))

import mock_server as _mock  # noqa: E402  (lives in tools/, not a package)

from openai_core import Client  # noqa: E402

SKIP_ENV = "OPENAI_CORE_SKIP_CONTRACT"

_install_error: Optional[BaseException] = None


def _skip_requested() -> bool:
    return os.environ.get(SKIP_ENV, "").strip().lower() in {"1", "true", "yes"}


def _in_ci() -> bool:
    return bool(os.environ.get("CI", "").strip())


def _is_contract_item(item: pytest.Item) -> bool:
    try:
        Path(str(item.path)).resolve().relative_to(_HERE)
    except ValueError:
        return False
    return True


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason=f"contract tests skipped because {SKIP_ENV}=1")
    for item in items:
        if _is_contract_item(item):
            item.add_marker(pytest.mark.contract)
            if _skip_requested():
                item.add_marker(skip)


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> None:
    """Install Steady before the first test runs, outside any per-test timeout.

    A failure is remembered and raised by the fixture, so it errors the contract tests instead of
    aborting the whole session.
    """
    global _install_error
    if session.config.option.collectonly or _skip_requested():
        return
    if not any(_is_contract_item(item) for item in session.items):
        return
    if not _mock.default_spec_path().is_file():
        return  # the fixture skips or fails with the reason
    try:
        _mock.install()
    except Exception as exc:  # reported by the fixture
        _install_error = exc


@pytest.fixture(scope="session")
def mock_server() -> Iterator[_mock.MockServer]:
    if _skip_requested():
        pytest.skip(f"contract tests skipped because {SKIP_ENV}=1")
    spec = _mock.default_spec_path()
    if not spec.is_file():
        reason = (
            f"the OpenAPI spec {spec} is absent (set {_mock.SPEC_ENV} to its path); the "
            "contract tests need it"
        )
        if _in_ci():
            pytest.fail(f"{reason} and CI is set, so its absence is a failure", pytrace=False)
        pytest.skip(reason)
    if _install_error is not None:
        raise _mock.MockServerError(
            f"installing the Steady mock server failed: {_install_error}"
        ) from _install_error
    _mock.install()
    # Bounded below the suite's 120 s per-test timeout so the real cause (with the log's tail)
    # is what gets reported.
    server = _mock.start(spec, timeout=60)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def spec_document(mock_server: _mock.MockServer) -> Dict[str, Any]:
    """The OpenAPI document exactly as the mock loaded it (Steady serves it as JSON)."""
    with urllib.request.urlopen(mock_server.root_url + "/_x-steady/spec", timeout=30) as answer:
        document: Dict[str, Any] = json.loads(answer.read())
    return document


@pytest.fixture()
def client(mock_server: _mock.MockServer) -> Iterator[Client]:
    """A client with strict decoding and no retries, pointed at the mock."""
    with Client(
        api_key="sk-test", base_url=mock_server.base_url, max_retries=0, strict=True, timeout=30
    ) as value:
        yield value


@pytest.fixture()
def lenient_client(mock_server: _mock.MockServer) -> Iterator[Client]:
    """Like ``client`` but with the default lenient decoding."""
    with Client(
        api_key="sk-test", base_url=mock_server.base_url, max_retries=0, strict=False, timeout=30
    ) as value:
        yield value
