"""Responses facade: input conveniences, the accumulating stream and stream resumption on top of
the generated builders.

Source: https://platform.openai.com/docs/api-reference/responses
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Mapping, Optional, Union

from openai_core._generated.resources.responses import (
    ResponsesCreateBuilder,
    ResponsesInputTokensCountBuilder,
    ResponsesRetrieveBuilder,
)
from openai_core.resources._base import function_tool_param

if TYPE_CHECKING:
    from typing_extensions import Self

    from openai_core._responses_stream import ResponseStream

__all__ = ["InputTokensCount", "ResponseCreate", "ResponseRetrieve"]


class _InputConveniences:
    """Input conveniences shared by ``responses().create()`` and ``input_tokens().count()``."""

    __slots__ = ()

    if TYPE_CHECKING:

        def _set(self, key: str, value: Any) -> Self: ...

        def _get(self, key: str, default: Any = None) -> Any: ...

        def _append(self, key: str, item: Any) -> Self: ...

    def input(self, value: Union[str, Iterable[Mapping[str, Any]]]) -> Self:
        """The input: a string, or a list of input items."""
        return self._set("input", value if isinstance(value, str) else tuple(value))

    def input_text(self, text: str) -> Self:
        """The input as plain text (replaces any input set before)."""
        return self._set("input", text)

    def input_item(self, item: Mapping[str, Any]) -> Self:
        """Append one input item (a message, a ``function_call_output`` …)."""
        current = self._get("input", ())
        if isinstance(current, str):
            current = ({"role": "user", "content": current},)
        return self._set("input", (*current, dict(item)))

    def message_user(self, content: Any) -> Self:
        """Append a ``user`` message item."""
        return self.input_item({"role": "user", "content": content})

    def message_system(self, content: Any) -> Self:
        """Append a ``system`` message item."""
        return self.input_item({"role": "system", "content": content})

    def message_developer(self, content: Any) -> Self:
        """Append a ``developer`` message item."""
        return self.input_item({"role": "developer", "content": content})

    def message_assistant(self, content: Any) -> Self:
        """Append an ``assistant`` message item."""
        return self.input_item({"role": "assistant", "content": content})

    def function_call_output(self, call_id: str, output: Any) -> Self:
        """Append the output of a function call."""
        item = {"type": "function_call_output", "call_id": call_id, "output": output}
        return self.input_item(item)

    def tools(self, value: Iterable[Mapping[str, Any]]) -> Self:
        """Replace the tool list; ``"type": "function"`` is added where missing."""
        return self._set("tools", tuple(function_tool_param(t) for t in value))

    def tool(self, value: Mapping[str, Any]) -> Self:
        """Append one tool definition."""
        return self._append("tools", function_tool_param(value))


class ResponseCreate(_InputConveniences, ResponsesCreateBuilder):
    """``POST /responses``: every body field as a setter, plus input conveniences.

    Examples:
        >>> client.responses().create().model("gpt-5.4").input_text("Hi").send().output_text

    Source: https://platform.openai.com/docs/api-reference/responses/create
    """

    __slots__ = ()

    def stream(self) -> ResponseStream:
        """Send with ``"stream": true`` and return a :class:`ResponseStream` of typed events."""
        source, first = self._open_event_source(named_events=True, envelope=False)
        return _event_stream(self, source, first)


class InputTokensCount(_InputConveniences, ResponsesInputTokensCountBuilder):  # type: ignore[misc]
    """``POST /responses/input_tokens``: count a request's input tokens without running it.

    Source: https://platform.openai.com/docs/api-reference/responses/input-tokens
    """

    __slots__ = ()


class ResponseRetrieve(ResponsesRetrieveBuilder):
    """``GET /responses/{response_id}``; ``stream()`` resumes a background response's stream."""

    __slots__ = ()

    def stream(self, starting_after: Optional[int] = None) -> ResponseStream:
        """Resume the event stream (``?stream=true``), after event ``starting_after`` if given.

        Source: https://platform.openai.com/docs/api-reference/responses/get
        """
        builder = self.query("stream", True)
        if starting_after is not None:
            builder = builder.query("starting_after", starting_after)
        source, first = builder._open_event_source(named_events=True, envelope=False)
        return _event_stream(self, source, first)


def _event_stream(builder: Any, source: Any, first: Any) -> ResponseStream:
    """A :class:`ResponseStream` over ``source``; imported here, so that a request that does
    not stream loads no event models."""
    from openai_core._responses_stream import ResponseStream
    from openai_core.types.responses import ResponseStreamEvent

    return ResponseStream(source, first, builder._client._decode_model(ResponseStreamEvent))
