"""Responses streams: ``ResponseStream`` with ``final_response()`` and ``output_text``.

The first event is ``response.created``; ``response.completed`` (or ``.failed`` /
``.incomplete``) carries the final response. When a server ends the stream without one, the final
response is rebuilt from the last snapshot and the ``output_item.done`` items.

Source: https://platform.openai.com/docs/api-reference/responses-streaming
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import attrs

from openai_core._sse import Stream
from openai_core.types.responses import (
    Response,
    ResponseCompletedEvent,
    ResponseCreatedEvent,
    ResponseFailedEvent,
    ResponseIncompleteEvent,
    ResponseInProgressEvent,
    ResponseOutputItem,
    ResponseOutputItemDoneEvent,
    ResponseQueuedEvent,
    ResponseStreamEvent,
    ResponseTextDeltaEvent,
)

__all__ = ["ResponseStream"]

_SNAPSHOTS = (ResponseCreatedEvent, ResponseInProgressEvent, ResponseQueuedEvent)
_FINAL = (ResponseCompletedEvent, ResponseFailedEvent, ResponseIncompleteEvent)


class ResponseStream(Stream[ResponseStreamEvent]):
    """A stream of Responses events that keeps the response being built.

    Examples:
        >>> with client.responses().create().model("m").input_text("hi").stream() as stream:
        ...     for event in stream:
        ...         if event.type == "response.output_text.delta":
        ...             print(event.delta, end="")
        ...     print(stream.final_response().output_text)
    """

    _snapshot: Optional[Response] = None
    _final: Optional[Response] = None
    _last_sequence_number: Optional[int] = None

    def _on_item(self, item: ResponseStreamEvent) -> ResponseStreamEvent:
        if self.__dict__.get("_text") is None:
            self._text: List[str] = []
            self._items: Dict[int, ResponseOutputItem] = {}
        sequence = getattr(item, "sequence_number", None)
        if sequence is None and isinstance(getattr(item, "extra", None), dict):
            sequence = item.extra.get("sequence_number")  # an event of a type unknown here
        if isinstance(sequence, int):
            self._last_sequence_number = sequence
        if isinstance(item, ResponseTextDeltaEvent):
            if item.delta:
                self._text.append(item.delta)
        elif isinstance(item, ResponseOutputItemDoneEvent):
            self._items[
                item.output_index if isinstance(item.output_index, int) else len(self._items)
            ] = item.item
        elif isinstance(item, _FINAL):
            self._final = item.response
        elif isinstance(item, _SNAPSHOTS):
            self._snapshot = item.response
        return item

    @property
    def output_text(self) -> str:
        """The output text received so far (all ``output_text`` deltas joined)."""
        return "".join(self.__dict__.get("_text") or ())

    @property
    def last_sequence_number(self) -> Optional[int]:
        """The ``sequence_number`` of the last event seen; resume after it with
        ``responses().retrieve(id).stream(starting_after=n)``."""
        return self._last_sequence_number

    def final_response(self) -> Response:
        """Read the rest of the stream and return the final ``Response``.

        Raises:
            APIError and subclasses: as iteration does.
            APIResponseValidationError: the stream ended without any response snapshot.
        """
        self.until_done()
        if self._final is not None:
            return self._final
        from openai_core._errors import APIResponseValidationError

        if self._snapshot is None:
            raise APIResponseValidationError(
                "The stream ended without a response.created or response.completed event",
                request_id=self.request_id,
            )
        items: Dict[int, Any] = self.__dict__.get("_items") or {}
        output = [items[i] for i in sorted(items)]
        return attrs.evolve(self._snapshot, output=output or self._snapshot.output)
