"""WebSocket entry points on the generated resources (``RESOURCE_MIXINS``):
``client.realtime().ws()`` and ``client.responses().ws()``.

Kept light: the WebSocket modules (and ``websocket-client``) load on the first call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from openai_core.lib.polling import ResourceMixin

if TYPE_CHECKING:
    from openai_core._realtime_ws import RealtimeWebSocketBuilder
    from openai_core._responses_ws import ResponsesWebSocketBuilder

__all__ = ["RealtimeWebSocketMixin", "ResponsesWebSocketMixin"]


class RealtimeWebSocketMixin(ResourceMixin):
    """``client.realtime().ws()``."""

    __slots__ = ()

    def ws(self) -> RealtimeWebSocketBuilder:
        """A builder for a realtime session over WebSocket (``wss://…/realtime?model=…``).

        Examples:
            >>> with client.realtime().ws().model("gpt-realtime").connect() as socket:
            ...     socket.response.create()
            ...     for event in socket:
            ...         print(event.type)
        """
        from openai_core._realtime_ws import RealtimeWebSocketBuilder

        return RealtimeWebSocketBuilder(client=self._client)


class ResponsesWebSocketMixin(ResourceMixin):
    """``client.responses().ws()``."""

    __slots__ = ()

    def ws(self) -> ResponsesWebSocketBuilder:
        """A builder for a persistent Responses session over one WebSocket (``…/responses``).

        Examples:
            >>> with client.responses().ws().connect() as session:
            ...     first = session.create().model("gpt-5.4").input_text("Hi").send()
            ...     second = session.create().model("gpt-5.4").input_text("More").send()
        """
        from openai_core._responses_ws import ResponsesWebSocketBuilder

        return ResponsesWebSocketBuilder(client=self._client)
