"""The Responses API: create (and stream), retrieve (and resume a stream), delete, cancel,
input items, input token counts.

Source: https://platform.openai.com/docs/api-reference/responses
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, List, Mapping, Optional, Union

import attrs

from openai_core._builder import RequestBuilder
from openai_core._pagination import ListBuilder
from openai_core._responses_stream import ResponseStream
from openai_core.resources._base import Resource, function_tool_param, path
from openai_core.types.responses import InputTokenCount, Response, ResponseItem, ResponseStreamEvent

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["InputItems", "InputTokens", "ResponseCreate", "ResponseRetrieve", "Responses"]


@attrs.frozen(kw_only=True)
class _ResponseInput(RequestBuilder[Any]):
    """Setters shared by ``responses().create()`` and ``input_tokens().count()``."""

    def model(self, value: str) -> Self:
        """Model ID."""
        return self._set("model", value)

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
        return self.input_item(
            {"type": "function_call_output", "call_id": call_id, "output": output}
        )

    def instructions(self, value: Optional[str]) -> Self:
        """System (developer) instructions."""
        return self._set("instructions", value)

    def previous_response_id(self, value: Optional[str]) -> Self:
        """Continue from this response."""
        return self._set("previous_response_id", value)

    def conversation(self, value: Union[str, Mapping[str, Any], None]) -> Self:
        """The conversation this response belongs to."""
        return self._set("conversation", value)

    def tools(self, value: Iterable[Mapping[str, Any]]) -> Self:
        """Replace the tool list; ``"type": "function"`` is added where missing."""
        return self._set("tools", tuple(function_tool_param(t) for t in value))

    def tool(self, value: Mapping[str, Any]) -> Self:
        """Append one tool definition."""
        return self._append("tools", function_tool_param(value))

    def tool_choice(self, value: Union[str, Mapping[str, Any], None]) -> Self:
        """``"none"``, ``"auto"``, ``"required"`` or a specific tool."""
        return self._set("tool_choice", value)

    def parallel_tool_calls(self, value: Optional[bool]) -> Self:
        """Allow several tool calls in one turn."""
        return self._set("parallel_tool_calls", value)

    def text(self, value: Optional[Mapping[str, Any]]) -> Self:
        """Text output configuration, for example ``{"format": {"type": "json_schema", ...}}``."""
        return self._set("text", dict(value) if value is not None else None)

    def reasoning(self, value: Optional[Mapping[str, Any]]) -> Self:
        """Reasoning configuration, for example ``{"effort": "low"}``."""
        return self._set("reasoning", dict(value) if value is not None else None)

    def truncation(self, value: Optional[str]) -> Self:
        """``"auto"`` or ``"disabled"``."""
        return self._set("truncation", value)


@attrs.frozen(kw_only=True)
class ResponseCreate(_ResponseInput):
    """``POST /responses``.

    Source: https://platform.openai.com/docs/api-reference/responses/create
    """

    def temperature(self, value: Optional[float]) -> Self:
        """Sampling temperature, 0–2."""
        return self._set("temperature", value)

    def top_p(self, value: Optional[float]) -> Self:
        """Nucleus sampling mass."""
        return self._set("top_p", value)

    def max_output_tokens(self, value: Optional[int]) -> Self:
        """Upper bound on output tokens, reasoning included."""
        return self._set("max_output_tokens", value)

    def max_tool_calls(self, value: Optional[int]) -> Self:
        """Upper bound on built-in tool calls."""
        return self._set("max_tool_calls", value)

    def top_logprobs(self, value: Optional[int]) -> Self:
        """Most likely tokens to return per position (0–20)."""
        return self._set("top_logprobs", value)

    def metadata(self, value: Optional[Mapping[str, str]]) -> Self:
        """Up to 16 string key-value pairs."""
        return self._set("metadata", dict(value) if value is not None else None)

    def store(self, value: Optional[bool]) -> Self:
        """Store the response for later retrieval."""
        return self._set("store", value)

    def background(self, value: Optional[bool]) -> Self:
        """Run in the background."""
        return self._set("background", value)

    def include(self, value: List[str]) -> Self:
        """Extra output to include, for example ``["reasoning.encrypted_content"]``."""
        return self._set("include", list(value))

    def service_tier(self, value: Optional[str]) -> Self:
        """``"auto"``, ``"default"``, ``"flex"``, ``"priority"`` …"""
        return self._set("service_tier", value)

    def prompt(self, value: Optional[Mapping[str, Any]]) -> Self:
        """A stored prompt template reference."""
        return self._set("prompt", dict(value) if value is not None else None)

    def prompt_cache_key(self, value: Optional[str]) -> Self:
        """Cache key that groups similar requests."""
        return self._set("prompt_cache_key", value)

    def safety_identifier(self, value: Optional[str]) -> Self:
        """Stable identifier of the end user."""
        return self._set("safety_identifier", value)

    def user(self, value: Optional[str]) -> Self:
        """End-user identifier (deprecated in favour of ``safety_identifier``)."""
        return self._set("user", value)

    def stream_options(self, value: Optional[Mapping[str, Any]]) -> Self:
        """Streaming options."""
        return self._set("stream_options", dict(value) if value is not None else None)

    def stream(self) -> ResponseStream:
        """Send with ``"stream": true`` and return a :class:`ResponseStream` of typed events."""
        source, first = self._client._open_stream(self._compile(stream=True), named_events=True)
        return ResponseStream(source, first, self._client._decode_model(ResponseStreamEvent))


@attrs.frozen(kw_only=True)
class ResponseRetrieve(RequestBuilder[Response]):
    """``GET /responses/{response_id}``; ``stream()`` resumes a background response's stream."""

    def include(self, value: List[str]) -> Self:
        """Extra output to include."""
        return self.query("include", list(value))

    def stream(self, starting_after: Optional[int] = None) -> ResponseStream:
        """Resume the event stream (``?stream=true``), after event ``starting_after`` if given.

        Source: https://platform.openai.com/docs/api-reference/responses/get
        """
        builder = self.query("stream", True)
        if starting_after is not None:
            builder = builder.query("starting_after", starting_after)
        request = builder._compile(stream=True)
        source, first = self._client._open_stream(request, named_events=True)
        return ResponseStream(source, first, self._client._decode_model(ResponseStreamEvent))


@attrs.frozen(kw_only=True)
class InputItemsList(ListBuilder[ResponseItem]):
    """``GET /responses/{response_id}/input_items``."""

    def include(self, value: List[str]) -> Self:
        """Extra fields to include."""
        return self.query("include", list(value))


class InputItems(Resource):
    """``client.responses().input_items()``."""

    __slots__ = ()

    def list(self, response_id: str) -> InputItemsList:
        """``GET /responses/{response_id}/input_items``."""
        route = path("responses/{response_id}/input_items", response_id=response_id)
        return self._builder(InputItemsList, "GET", route, self._client._decode_model(ResponseItem))


class InputTokens(Resource):
    """``client.responses().input_tokens()``."""

    __slots__ = ()

    def count(self) -> _ResponseInput:
        """``POST /responses/input_tokens``: count a request's input tokens without running it.

        Returns a builder whose ``send()`` gives an
        :class:`~openai_core.types.responses.InputTokenCount`.
        """
        return self._builder(
            _ResponseInput,
            "POST",
            "responses/input_tokens",
            self._client._decode_model(InputTokenCount),
        )


class Responses(Resource):
    """``client.responses()``.

    Source: https://platform.openai.com/docs/api-reference/responses
    """

    __slots__ = ()

    def create(self) -> ResponseCreate:
        """``POST /responses``; finish with ``send()`` or ``stream()``."""
        return self._builder(
            ResponseCreate, "POST", "responses", self._client._decode_model(Response)
        )

    def retrieve(self, response_id: str) -> ResponseRetrieve:
        """``GET /responses/{response_id}``."""
        route = path("responses/{response_id}", response_id=response_id)
        return self._builder(ResponseRetrieve, "GET", route, self._client._decode_model(Response))

    def delete(self, response_id: str) -> RequestBuilder[None]:
        """``DELETE /responses/{response_id}``; returns ``None``."""
        route = path("responses/{response_id}", response_id=response_id)
        return self._builder(RequestBuilder, "DELETE", route, lambda _: None)

    def cancel(self, response_id: str) -> RequestBuilder[Response]:
        """``POST /responses/{response_id}/cancel`` (background responses)."""
        route = path("responses/{response_id}/cancel", response_id=response_id)
        return self._builder(RequestBuilder, "POST", route, self._client._decode_model(Response))

    def input_items(self) -> InputItems:
        """Input items of a stored response."""
        return InputItems(self._client)

    def input_tokens(self) -> InputTokens:
        """Input token counts."""
        return InputTokens(self._client)
