"""Re-emitting a ``Stream`` for a browser: SSE and NDJSON byte generators for web backends.

Each event is sent as the JSON payload the server sent (compact, UTF-8). A payload with a string
``type`` (Responses, Realtime-style events) is named with an ``event:`` line; payloads without one
(chat and legacy completion chunks) are plain ``data:`` lines and the SSE stream then ends with
``data: [DONE]``, as the API's own does. The upstream response is closed when the stream ends,
fails, or the consumer stops (``close()`` on the generator, which WSGI servers call when the
client goes away). An error is sent as a last event: ``event: error`` with
``{"type": "error", "error": {"message", "type", "code", "param"}, "request_id"}`` (a
``{"type": "error", ...}`` line in NDJSON); the API key is never part of it.

Source: https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any, Dict, Iterator, Optional

from openai_core._errors import APIError

if TYPE_CHECKING:
    from openai_core._sse import Stream

__all__ = ["iter_ndjson", "iter_sse"]

log = logging.getLogger("openai_core")


def _dumps(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _event_name(payload: Any) -> Optional[str]:
    if isinstance(payload, dict):
        name = payload.get("type")
        if isinstance(name, str) and name and "\n" not in name and "\r" not in name:
            return name
    return None


def _error_payload(exc: Exception, request_id: Optional[str]) -> Dict[str, Any]:
    if isinstance(exc, APIError):
        error = {"message": exc.message, "type": exc.type, "code": exc.code, "param": exc.param}
        request_id = exc.request_id or request_id
    else:  # not an SDK error: its text may hold anything, so only its class goes out
        log.error("stream forwarding failed", exc_info=exc)
        error = {"message": "internal error", "type": type(exc).__name__, "code": None}
        error["param"] = None
    return {"type": "error", "error": error, "request_id": request_id}


def iter_sse(stream: Stream[Any]) -> Iterator[bytes]:
    """The events of ``stream`` as ``text/event-stream`` bytes, one event per chunk."""
    named = False
    try:
        for _ in stream:
            payload = stream._last_payload
            name = _event_name(payload)
            if name is None:
                yield b"data: " + _dumps(payload) + b"\n\n"
            else:
                named = True
                yield b"event: " + name.encode("utf-8") + b"\ndata: " + _dumps(payload) + b"\n\n"
    except Exception as exc:
        stream.close()
        yield b"event: error\ndata: " + _dumps(_error_payload(exc, stream.request_id)) + b"\n\n"
    else:
        if not named:
            yield b"data: [DONE]\n\n"
    finally:
        stream.close()


def iter_ndjson(stream: Stream[Any]) -> Iterator[bytes]:
    """The events of ``stream`` as newline-delimited JSON bytes, one object per line."""
    try:
        for _ in stream:
            yield _dumps(stream._last_payload) + b"\n"
    except Exception as exc:
        stream.close()
        yield _dumps(_error_payload(exc, stream.request_id)) + b"\n"
    finally:
        stream.close()
