"""``parse(T)`` on ``client.chat().completions()`` and ``client.responses()``: the resource
mixins named in the code generator's ``RESOURCE_MIXINS``. The builders are imported on first
use, so loading a namespace does not load the structured-output machinery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Mapping, Type, TypeVar, overload

from openai_core.lib.polling import ResourceMixin

if TYPE_CHECKING:
    from openai_core.lib.chat_parse import ChatCompletionParse
    from openai_core.lib.responses_parse import ResponseParse
    from openai_core.resources.chat import ChatCompletionCreate
    from openai_core.resources.responses import ResponseCreate

__all__ = ["ChatCompletionsParseMixin", "ResponsesParseMixin"]

T = TypeVar("T")


class ChatCompletionsParseMixin(ResourceMixin):
    """``client.chat().completions().parse(T)``."""

    __slots__ = ()

    if TYPE_CHECKING:

        def create(self) -> ChatCompletionCreate: ...

    @overload
    def parse(self, response_format: Type[T]) -> ChatCompletionParse[T]: ...

    @overload
    def parse(self, response_format: Mapping[str, Any]) -> ChatCompletionParse[Dict[str, Any]]: ...

    def parse(self, response_format: Any) -> ChatCompletionParse[Any]:
        """A chat completion whose output is parsed into ``response_format``.

        Args:
            response_format: An attrs class, a dataclass, a ``TypedDict``, or a JSON Schema dict
                (then ``parsed`` is the validated JSON value). Its schema is computed when the
                request is built, so an unsupported type raises ``StrictSchemaError`` from
                ``build()``, ``send()`` or ``stream()``.

        Returns:
            A :class:`~openai_core.lib.chat_parse.ChatCompletionParse` builder with every
            ``create()`` setter, plus ``structured_output_mode()`` and ``schema_name()``.

        Examples:
            >>> done = client.chat().completions().parse(Person).model("m").message_user("…").send()
            >>> done.choices[0].message.parsed
        """
        from openai_core.lib._structured_builders import promote
        from openai_core.lib.chat_parse import ChatCompletionParse

        return promote(self.create(), ChatCompletionParse, parse_type=response_format)


class ResponsesParseMixin(ResourceMixin):
    """``client.responses().parse(T)``."""

    __slots__ = ()

    if TYPE_CHECKING:

        def create(self) -> ResponseCreate: ...

    @overload
    def parse(self, response_format: Type[T]) -> ResponseParse[T]: ...

    @overload
    def parse(self, response_format: Mapping[str, Any]) -> ResponseParse[Dict[str, Any]]: ...

    def parse(self, response_format: Any) -> ResponseParse[Any]:
        """A response whose output is parsed into ``response_format`` (``output_parsed``).

        Args:
            response_format: An attrs class, a dataclass, a ``TypedDict``, or a JSON Schema dict.
                Its schema is computed when the request is built.

        Returns:
            A :class:`~openai_core.lib.responses_parse.ResponseParse` builder with every
            ``create()`` setter, plus ``structured_output_mode()`` and ``schema_name()``.

        Examples:
            >>> client.responses().parse(Person).model("m").input_text("…").send().output_parsed
        """
        from openai_core.lib._structured_builders import promote
        from openai_core.lib.responses_parse import ResponseParse

        return promote(self.create(), ResponseParse, parse_type=response_format)
