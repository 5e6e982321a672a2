"""Forward a model's answer to the browser as it is generated: Django + server-sent events.

Django is not a dependency of openai_core (nor imported until the app starts); to run this
single-file project:

    pip install django
    OPENAI_API_KEY=sk-... python examples/django_stream.py runserver 8000

then open http://127.0.0.1:8000/chat?q=Hello to watch the events arrive (the HTML page of
``examples/flask_stream.py`` works the same way against this view). Against a local
OpenAI-compatible server, set ``OPENAI_BASE_URL=http://127.0.0.1:8080/v1`` and ``OPENAI_MODEL``.

The view returns ``StreamingHttpResponse(stream.to_sse(), content_type="text/event-stream")``;
Django closes the generator when the client goes away, which closes the upstream response. Use
``stream.to_ndjson()`` with ``application/x-ndjson`` for a ``fetch()`` reader instead.
"""

from __future__ import annotations

import os
import sys
from typing import Any, List, Optional

from openai_core import Client

_client: Optional[Client] = None


def configure() -> None:
    """Configure Django settings for this one-file project (imports Django lazily)."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DEBUG=os.environ.get("DJANGO_DEBUG") == "1",
            SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "example-only-not-secret"),
            ROOT_URLCONF=__name__,
            ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"],
        )


def get_client() -> Client:
    """The process-wide client (key and base URL from the environment)."""
    global _client  # noqa: PLW0603 - one client per process, created on first use
    if _client is None:
        _client = Client()
    return _client


def chat(request: Any) -> Any:
    """``GET /chat?q=...``: the chat completion's chunks as server-sent events."""
    from django.http import StreamingHttpResponse

    stream = (
        get_client()
        .chat()
        .completions()
        .create()
        .model(os.environ.get("OPENAI_MODEL", "gpt-5.4-mini"))
        .max_tokens(int(request.GET.get("max_tokens", "256")))
        .message_user(request.GET.get("q", "Say hello."))
        .stream()
    )
    response = StreamingHttpResponse(stream.to_sse(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


def _urlpatterns() -> List[Any]:
    from django.urls import path

    return [path("chat", chat)]


def __getattr__(name: str) -> Any:  # Django reads ``urlpatterns`` from ROOT_URLCONF lazily
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)


if __name__ == "__main__":
    configure()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
