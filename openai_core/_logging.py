"""Logging to ``logging.getLogger("openai_core")`` and redaction of secrets.

``OPENAI_LOG`` (``off``, ``error``, ``warn``, ``info``, ``debug``; default ``off``) sets the
logger's level and attaches a stderr handler once. Without it the logger stays silent unless the
application configures logging itself. Secrets (``Authorization``, ``api-key`` and similar headers)
are redacted in every log line, ``repr`` and ``to_curl()`` output.
"""

from __future__ import annotations

import logging
import os
from typing import Iterable, Mapping, Optional, Tuple, Union

__all__ = ["SENSITIVE_HEADERS", "logger", "redact_headers", "setup_logging"]

logger = logging.getLogger("openai_core")

SENSITIVE_HEADERS = frozenset(
    {
        "authorization",
        "api-key",
        "proxy-authorization",
        "x-api-key",
        "openai-api-key",
        "cookie",
        "set-cookie",
    }
)

_LEVELS = {
    "off": None,
    "error": logging.ERROR,
    "warn": logging.WARNING,
    "warning": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
}

_configured = False


def setup_logging(value: Optional[str] = None) -> None:
    """Apply ``OPENAI_LOG`` (or ``value``) to the ``openai_core`` logger, once per process.

    Raises:
        ValueError: for a level that is not one of off/error/warn/info/debug.
    """
    global _configured  # noqa: PLW0603 - a process-wide, idempotent switch
    level_name = (value if value is not None else os.environ.get("OPENAI_LOG", "")).strip().lower()
    if not level_name:
        return
    if level_name not in _LEVELS:
        raise ValueError(
            f"OPENAI_LOG={level_name!r} is not a level; use off, error, warn, info or debug"
        )
    level = _LEVELS[level_name]
    if level is None:
        logger.disabled = False
        logger.setLevel(logging.CRITICAL + 1)
        return
    logger.setLevel(level)
    if not _configured:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
        logger.addHandler(handler)
        _configured = True


def redact_value(name: str, value: str) -> str:
    """Redact a header value when its name is sensitive, keeping the auth scheme visible."""
    if name.lower() not in SENSITIVE_HEADERS:
        return value
    scheme, sep, _ = value.partition(" ")
    if sep and scheme.lower() in ("bearer", "basic", "token"):
        return f"{scheme} <redacted>"
    return "<redacted>"


HeaderItems = Union[Mapping[str, str], Iterable[Tuple[str, str]]]


def redact_headers(headers: HeaderItems) -> dict[str, str]:
    """Return a copy of ``headers`` with secret values replaced by ``<redacted>``."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {name: redact_value(name, value) for name, value in items}
