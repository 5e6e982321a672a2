"""Chat Completions facade: conveniences and the accumulating stream on top of the generated
builder for ``POST /chat/completions``.

Source: https://platform.openai.com/docs/api-reference/chat
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, List, Mapping, Optional

from openai_core._generated.resources.chat import ChatCompletionsCreateBuilder
from openai_core.resources._base import function_tool_param, message

if TYPE_CHECKING:
    from typing_extensions import Self

    from openai_core._chat_stream import ChatCompletionStream

__all__ = ["ChatCompletionCreate"]


class ChatCompletionCreate(ChatCompletionsCreateBuilder):
    """``POST /chat/completions``: every body field as a setter, plus message conveniences.

    Examples:
        >>> base = client.chat().completions().create().model("gpt-5.4").temperature(0)
        >>> base.message_user("Hello").send().choices[0].message.content

    Source: https://platform.openai.com/docs/api-reference/chat/create
    """

    __slots__ = ()

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

    def tools(self, value: Iterable[Mapping[str, Any]]) -> Self:
        """Replace the tool list; ``"type": "function"`` is added where missing (compat C37)."""
        return self._set("tools", tuple(function_tool_param(t) for t in value))

    def tool(self, value: Mapping[str, Any]) -> Self:
        """Append one tool definition (``"type": "function"`` added where missing)."""
        return self._append("tools", function_tool_param(value))

    def stream(self) -> ChatCompletionStream:
        """Send with ``"stream": true`` and return a :class:`ChatCompletionStream`.

        Retries cover everything before the first chunk arrives.

        Raises:
            APIError and subclasses, as ``send()`` does; more may arise while iterating.
        """
        # Imported here: a request that does not stream loads no chunk models.
        from openai_core._chat_stream import ChatCompletionStream
        from openai_core.types.chat import ChatCompletionChunk

        source, first = self._open_event_source(named_events=False, envelope=False)
        return ChatCompletionStream(source, first, self._client._decode_model(ChatCompletionChunk))
