"""Chat Completions: create (and stream), and stored completions.

Source: https://platform.openai.com/docs/api-reference/chat
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, List, Mapping, Optional, Union

import attrs

from openai_core._builder import RequestBuilder
from openai_core._chat_stream import ChatCompletionStream
from openai_core._pagination import ListBuilder
from openai_core.resources._base import Resource, function_tool_param, message, path
from openai_core.types.chat import ChatCompletion, ChatCompletionChunk, ChatCompletionStoreMessage
from openai_core.types.shared import DeletedObject

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "Chat",
    "ChatCompletionCreate",
    "ChatCompletionList",
    "ChatCompletionUpdate",
    "ChatCompletions",
]


@attrs.frozen(kw_only=True)
class ChatCompletionCreate(RequestBuilder[ChatCompletion]):
    """``POST /chat/completions``: setters named after the request body's fields.

    Source: https://platform.openai.com/docs/api-reference/chat/create
    """

    def model(self, value: str) -> Self:
        """Model ID, for example ``"gpt-5.4"``."""
        return self._set("model", value)

    def messages(self, value: Iterable[Mapping[str, Any]]) -> Self:
        """Replace the whole message list."""
        return self._set("messages", tuple(value))

    def message(self, value: Mapping[str, Any]) -> Self:
        """Append one message (any role, any content shape)."""
        return self._append("messages", dict(value))

    def message_system(self, content: Any, name: Optional[str] = None) -> Self:
        """Append a ``system`` message."""
        return self._append("messages", message("system", content, name))

    def message_developer(self, content: Any, name: Optional[str] = None) -> Self:
        """Append a ``developer`` message."""
        return self._append("messages", message("developer", content, name))

    def message_user(self, content: Any, name: Optional[str] = None) -> Self:
        """Append a ``user`` message (a string, or a list of content parts)."""
        return self._append("messages", message("user", content, name))

    def message_assistant(self, content: Any, tool_calls: Optional[List[Any]] = None) -> Self:
        """Append an ``assistant`` message (pass ``tool_calls`` to replay a tool-calling turn)."""
        msg = message("assistant", content)
        if tool_calls is not None:
            msg["tool_calls"] = list(tool_calls)
        return self._append("messages", msg)

    def message_tool(self, tool_call_id: str, content: Any) -> Self:
        """Append a ``tool`` message answering ``tool_call_id``."""
        return self._append(
            "messages", {"role": "tool", "tool_call_id": tool_call_id, "content": content}
        )

    def temperature(self, value: Optional[float]) -> Self:
        """Sampling temperature, 0–2."""
        return self._set("temperature", value)

    def top_p(self, value: Optional[float]) -> Self:
        """Nucleus sampling mass, 0–1."""
        return self._set("top_p", value)

    def max_tokens(self, value: Optional[int]) -> Self:
        """Deprecated upper bound on generated tokens (still what many servers read)."""
        return self._set("max_tokens", value)

    def max_completion_tokens(self, value: Optional[int]) -> Self:
        """Upper bound on generated tokens, reasoning included."""
        return self._set("max_completion_tokens", value)

    def n(self, value: Optional[int]) -> Self:
        """Number of choices to generate."""
        return self._set("n", value)

    def stop(self, value: Union[str, List[str], None]) -> Self:
        """Up to 4 stop sequences."""
        return self._set("stop", value)

    def seed(self, value: Optional[int]) -> Self:
        """Best-effort deterministic sampling seed."""
        return self._set("seed", value)

    def presence_penalty(self, value: Optional[float]) -> Self:
        """-2.0–2.0."""
        return self._set("presence_penalty", value)

    def frequency_penalty(self, value: Optional[float]) -> Self:
        """-2.0–2.0."""
        return self._set("frequency_penalty", value)

    def logit_bias(self, value: Optional[Mapping[str, int]]) -> Self:
        """Token ID → bias (-100–100)."""
        return self._set("logit_bias", dict(value) if value is not None else None)

    def logprobs(self, value: Optional[bool]) -> Self:
        """Return log probabilities of output tokens."""
        return self._set("logprobs", value)

    def top_logprobs(self, value: Optional[int]) -> Self:
        """Most likely tokens to return per position (0–20); needs ``logprobs(True)``."""
        return self._set("top_logprobs", value)

    def tools(self, value: Iterable[Mapping[str, Any]]) -> Self:
        """Replace the tool list; ``"type": "function"`` is added where missing."""
        return self._set("tools", tuple(function_tool_param(t) for t in value))

    def tool(self, value: Mapping[str, Any]) -> Self:
        """Append one tool definition."""
        return self._append("tools", function_tool_param(value))

    def tool_choice(self, value: Union[str, Mapping[str, Any], None]) -> Self:
        """``"none"``, ``"auto"``, ``"required"`` or ``{"type": "function", "function": {...}}``."""
        return self._set("tool_choice", value)

    def parallel_tool_calls(self, value: Optional[bool]) -> Self:
        """Allow several tool calls in one turn."""
        return self._set("parallel_tool_calls", value)

    def response_format(self, value: Optional[Mapping[str, Any]]) -> Self:
        """``{"type": "text" | "json_object" | "json_schema", ...}``."""
        return self._set("response_format", dict(value) if value is not None else None)

    def stream_options(self, value: Optional[Mapping[str, Any]]) -> Self:
        """Streaming options, for example ``{"include_usage": True}``; sent only when set (C14)."""
        return self._set("stream_options", dict(value) if value is not None else None)

    def store(self, value: Optional[bool]) -> Self:
        """Store the completion for later retrieval."""
        return self._set("store", value)

    def metadata(self, value: Optional[Mapping[str, str]]) -> Self:
        """Up to 16 string key-value pairs."""
        return self._set("metadata", dict(value) if value is not None else None)

    def reasoning_effort(self, value: Optional[str]) -> Self:
        """``"minimal"``, ``"low"``, ``"medium"`` or ``"high"`` (reasoning models)."""
        return self._set("reasoning_effort", value)

    def service_tier(self, value: Optional[str]) -> Self:
        """``"auto"``, ``"default"``, ``"flex"``, ``"priority"`` …"""
        return self._set("service_tier", value)

    def modalities(self, value: Optional[List[str]]) -> Self:
        """Output modalities, for example ``["text", "audio"]``."""
        return self._set("modalities", value)

    def audio(self, value: Optional[Mapping[str, Any]]) -> Self:
        """Audio output parameters (``voice``, ``format``)."""
        return self._set("audio", dict(value) if value is not None else None)

    def prediction(self, value: Optional[Mapping[str, Any]]) -> Self:
        """Predicted output, for faster regeneration."""
        return self._set("prediction", dict(value) if value is not None else None)

    def user(self, value: Optional[str]) -> Self:
        """End-user identifier."""
        return self._set("user", value)

    def safety_identifier(self, value: Optional[str]) -> Self:
        """Stable identifier of the end user, for abuse detection."""
        return self._set("safety_identifier", value)

    def prompt_cache_key(self, value: Optional[str]) -> Self:
        """Cache key that groups similar requests."""
        return self._set("prompt_cache_key", value)

    def verbosity(self, value: Optional[str]) -> Self:
        """``"low"``, ``"medium"`` or ``"high"``."""
        return self._set("verbosity", value)

    def web_search_options(self, value: Optional[Mapping[str, Any]]) -> Self:
        """Web search tool options."""
        return self._set("web_search_options", dict(value) if value is not None else None)

    def stream(self) -> ChatCompletionStream:
        """Send with ``"stream": true`` and return a :class:`ChatCompletionStream`.

        Retries cover everything before the first chunk arrives.

        Raises:
            APIError and subclasses, as ``send()`` does; more may arise while iterating.
        """
        source, first = self._client._open_stream(self._compile(stream=True))
        return ChatCompletionStream(source, first, self._client._decode_model(ChatCompletionChunk))


@attrs.frozen(kw_only=True)
class ChatCompletionUpdate(RequestBuilder[ChatCompletion]):
    """``POST /chat/completions/{completion_id}``: only ``metadata`` can change."""

    def metadata(self, value: Optional[Mapping[str, str]]) -> Self:
        """The new metadata (replaces the old)."""
        return self._set("metadata", dict(value) if value is not None else None)


@attrs.frozen(kw_only=True)
class ChatCompletionList(ListBuilder[ChatCompletion]):
    """``GET /chat/completions``: stored completions, filterable by model and metadata."""

    def model(self, value: str) -> Self:
        """Only completions of this model."""
        return self.query("model", value)

    def metadata(self, value: Mapping[str, str]) -> Self:
        """Only completions with these metadata pairs (``metadata[key]=value``)."""
        return self.query("metadata", dict(value))


class ChatCompletionMessages(Resource):
    """``client.chat().completions().messages()``."""

    __slots__ = ()

    def list(self, completion_id: str) -> ListBuilder[ChatCompletionStoreMessage]:
        """``GET /chat/completions/{completion_id}/messages``."""
        route = path("chat/completions/{completion_id}/messages", completion_id=completion_id)
        return self._builder(
            ListBuilder, "GET", route, self._client._decode_model(ChatCompletionStoreMessage)
        )


class ChatCompletions(Resource):
    """``client.chat().completions()``.

    Source: https://platform.openai.com/docs/api-reference/chat
    """

    __slots__ = ()

    def create(self) -> ChatCompletionCreate:
        """``POST /chat/completions``; finish with ``send()`` or ``stream()``."""
        return self._builder(
            ChatCompletionCreate,
            "POST",
            "chat/completions",
            self._client._decode_model(ChatCompletion),
        )

    def retrieve(self, completion_id: str) -> RequestBuilder[ChatCompletion]:
        """``GET /chat/completions/{completion_id}`` (stored completions)."""
        route = path("chat/completions/{completion_id}", completion_id=completion_id)
        return self._builder(
            RequestBuilder, "GET", route, self._client._decode_model(ChatCompletion)
        )

    def update(self, completion_id: str) -> ChatCompletionUpdate:
        """``POST /chat/completions/{completion_id}``."""
        route = path("chat/completions/{completion_id}", completion_id=completion_id)
        return self._builder(
            ChatCompletionUpdate, "POST", route, self._client._decode_model(ChatCompletion)
        )

    def list(self) -> ChatCompletionList:
        """``GET /chat/completions``."""
        return self._builder(
            ChatCompletionList,
            "GET",
            "chat/completions",
            self._client._decode_model(ChatCompletion),
        )

    def delete(self, completion_id: str) -> RequestBuilder[DeletedObject]:
        """``DELETE /chat/completions/{completion_id}``."""
        route = path("chat/completions/{completion_id}", completion_id=completion_id)
        return self._builder(
            RequestBuilder, "DELETE", route, self._client._decode_model(DeletedObject)
        )

    def messages(self) -> ChatCompletionMessages:
        """Messages of stored completions."""
        return ChatCompletionMessages(self._client)


class Chat(Resource):
    """``client.chat()``."""

    __slots__ = ()

    def completions(self) -> ChatCompletions:
        """Chat Completions."""
        return ChatCompletions(self._client)
