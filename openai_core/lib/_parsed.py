"""Results of ``parse(T)``: the completion or response as received, plus the parsed value.

Each wrapper holds the decoded model it wraps (``completion``, ``choice``, ``message``,
``response``) and reads every field the wrapper does not declare from it, so
``parsed.id``, ``parsed.usage``, ``parsed.choices[0].message.tool_calls`` all work as on the
plain model, while ``parsed.choices[0].message.parsed`` (chat) and ``parsed.output_parsed``
(Responses) are typed as the requested class.
"""

from __future__ import annotations

from typing import Any, Dict, Generic, List, Optional, TypeVar

import attrs

__all__ = [
    "ParsedChatCompletion",
    "ParsedChatCompletionMessage",
    "ParsedChoice",
    "ParsedResponse",
]

T = TypeVar("T")


class _Delegating:
    """Reads undeclared attributes from the wrapped model (named by ``_wrapped``)."""

    __slots__ = ()
    _wrapped: str = ""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(object.__getattribute__(self, self._wrapped), name)

    def to_dict(self) -> Dict[str, Any]:
        """The wrapped model as JSON data (the parsed value is not included)."""
        wrapped = object.__getattribute__(self, self._wrapped)
        return wrapped.to_dict()  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class ParsedChatCompletionMessage(_Delegating, Generic[T]):
    """A chat message with its parsed content.

    Attributes:
        message: The message as received.
        parsed: The content validated and structured into the requested type; ``None`` when the
            model refused (see :attr:`refusal`) or sent no content (tool calls).
    """

    _wrapped = "message"

    message: Any = attrs.field(repr=False)
    parsed: Optional[T]

    @property
    def content(self) -> Optional[str]:
        """The raw JSON text."""
        return getattr(self.message, "content", None)

    @property
    def refusal(self) -> Optional[str]:
        """The refusal message, when the model refused."""
        return getattr(self.message, "refusal", None)

    @property
    def role(self) -> str:
        """``"assistant"``."""
        return str(getattr(self.message, "role", None) or "assistant")

    @property
    def tool_calls(self) -> Any:
        """Tool calls the model made, or ``None``."""
        return getattr(self.message, "tool_calls", None)


@attrs.frozen(kw_only=True)
class ParsedChoice(_Delegating, Generic[T]):
    """A choice whose ``message`` is a :class:`ParsedChatCompletionMessage`.

    Attributes:
        choice: The choice as received.
        message: The message with ``parsed``.
    """

    _wrapped = "choice"

    choice: Any = attrs.field(repr=False)
    message: ParsedChatCompletionMessage[T]

    @property
    def index(self) -> int:
        """Index of the choice."""
        return int(getattr(self.choice, "index", 0) or 0)

    @property
    def finish_reason(self) -> Optional[str]:
        """Why generation stopped (``stop``, ``tool_calls`` …)."""
        return getattr(self.choice, "finish_reason", None)


@attrs.frozen(kw_only=True)
class ParsedChatCompletion(_Delegating, Generic[T]):
    """A chat completion whose choices carry the parsed message (``choices[i].message.parsed``).

    Every other field (``id``, ``model``, ``usage``, ``created`` …) reads from
    :attr:`completion`.

    Examples:
        >>> done = client.chat().completions().parse(Person).model("m").message_user("…").send()
        >>> done.choices[0].message.parsed.name, done.usage
    """

    _wrapped = "completion"

    completion: Any = attrs.field(repr=False)
    choices: List[ParsedChoice[T]]

    @property
    def id(self) -> str:
        """Identifier of the completion."""
        return str(getattr(self.completion, "id", None) or "")

    @property
    def model(self) -> str:
        """The model used."""
        return str(getattr(self.completion, "model", None) or "")

    @property
    def usage(self) -> Any:
        """Token usage, or ``None``."""
        return getattr(self.completion, "usage", None)

    @property
    def parsed(self) -> Optional[T]:
        """``choices[0].message.parsed`` (``None`` without choices)."""
        return self.choices[0].message.parsed if self.choices else None


@attrs.frozen(kw_only=True)
class ParsedResponse(_Delegating, Generic[T]):
    """A Responses result with its output parsed (``output_parsed``).

    Every other field (``id``, ``status``, ``output``, ``usage`` …) reads from :attr:`response`.

    Attributes:
        response: The response as received.
        output_parsed: The output text validated and structured into the requested type;
            ``None`` when the model refused (see :attr:`refusal`) or produced no text.
        refusal: The refusal text, when the model refused.

    Examples:
        >>> done = client.responses().parse(Person).model("m").input_text("…").send()
        >>> done.output_parsed.name
    """

    _wrapped = "response"

    response: Any = attrs.field(repr=False)
    output_parsed: Optional[T]
    refusal: Optional[str] = None

    @property
    def id(self) -> str:
        """Identifier of the response."""
        return str(getattr(self.response, "id", None) or "")

    @property
    def output_text(self) -> str:
        """The raw JSON text."""
        return str(getattr(self.response, "output_text", "") or "")

    @property
    def usage(self) -> Any:
        """Token usage, or ``None``."""
        return getattr(self.response, "usage", None)
