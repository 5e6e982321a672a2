"""``client.chat().completions().parse(T)``: Chat Completions with structured output.

Examples:
    >>> @attrs.frozen
    ... class Person:
    ...     name: str
    ...     age: int
    >>> done = (client.chat().completions().parse(Person)
    ...         .model("gpt-5.4").message_user("Ada Lovelace, 36").send())
    >>> done.choices[0].message.parsed
    Person(name='Ada Lovelace', age=36)

Source: https://platform.openai.com/docs/guides/structured-outputs
"""

from __future__ import annotations

import contextlib
from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    Generic,
    List,
    Optional,
    TypeVar,
)

import attrs

from openai_core._builder import ApiResponse
from openai_core._chat_stream import ChatCompletionStream
from openai_core._errors import (
    ContentFilterFinishReasonError,
    LengthFinishReasonError,
    StructuredOutputError,
)
from openai_core.lib._parsed import ParsedChatCompletion, ParsedChatCompletionMessage, ParsedChoice
from openai_core.lib._partial_json import PartialJSONError, parse_partial_json
from openai_core.lib._structured import StructuredOutput, prompt_instructions, retry_instructions
from openai_core.lib._structured_builders import ParseBuilderFields, parse_type_field
from openai_core.resources.chat import ChatCompletionCreate
from openai_core.types.chat import ChatCompletionChunk

if TYPE_CHECKING:
    from openai_core._request import Request
    from openai_core._sse import EventSource

__all__ = [
    "ChatCompletionParse",
    "ParsedChatCompletionStream",
    "parse_chat_completion",
]

T = TypeVar("T")


def _text(content: Any) -> Optional[str]:
    """The message text; a list of parts (compat C18) is joined."""
    if content is None or isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            str(p.get("text") or "") if isinstance(p, dict) else str(getattr(p, "text", "") or "")
            for p in content
        )
    return str(content)


def parse_chat_completion(
    completion: Any, output: StructuredOutput[T], *, request_id: Optional[str] = None
) -> ParsedChatCompletion[T]:
    """Parse every choice of a completion into ``output.type``.

    Raises:
        LengthFinishReasonError: a choice ended with ``finish_reason: "length"``.
        ContentFilterFinishReasonError: a choice ended with ``"content_filter"``.
        StructuredOutputError: a choice's content is not valid for the schema.
    """
    choices: List[ParsedChoice[T]] = []
    for choice in getattr(completion, "choices", None) or []:
        reason = getattr(choice, "finish_reason", None)
        if reason == "length":
            raise LengthFinishReasonError(completion=completion, request_id=request_id)
        if reason == "content_filter":
            raise ContentFilterFinishReasonError(completion=completion, request_id=request_id)
        message = getattr(choice, "message", None)
        content = _text(getattr(message, "content", None))
        parsed: Optional[T] = None
        if not getattr(message, "refusal", None) and content is not None and content.strip():
            parsed = output.parse(content, request_id=request_id)
        elif content is not None and not getattr(message, "tool_calls", None):
            parsed = output.parse(content, request_id=request_id)  # blank: raises
        choices.append(
            ParsedChoice(
                choice=choice, message=ParsedChatCompletionMessage(message=message, parsed=parsed)
            )
        )
    return ParsedChatCompletion(completion=completion, choices=choices)


@attrs.frozen(kw_only=True)
class ChatCompletionParse(ParseBuilderFields[T], ChatCompletionCreate, Generic[T]):
    """``POST /chat/completions`` asking for output of type ``T``; ``send()`` returns a
    :class:`ParsedChatCompletion` whose ``choices[i].message.parsed`` is a ``T``.

    Every setter of ``create()`` is available; ``structured_output_mode()`` picks how the schema
    is sent (compat C36). The schema is computed when the request is built, so an unsupported
    type raises ``StrictSchemaError`` from ``build()``, ``send()`` or ``stream()``.

    Examples:
        >>> base = client.chat().completions().parse(Person).model("gpt-5.4")
        >>> base.message_user("Ada, 36").send().choices[0].message.parsed
    """

    _parse_type: Any = parse_type_field()
    _structured_output_mode: Optional[str] = None
    _schema_name: Optional[str] = None

    def _prepared(self) -> ChatCompletionParse[T]:
        """This builder with the structured-output fields of its mode set."""
        output = self._output()
        mode = self._mode()
        if mode == "json_schema":
            fmt = {"name": output.name, "schema": output.schema, "strict": True}
            return self._set("response_format", {"type": "json_schema", "json_schema": fmt})
        if mode == "json_object_schema":
            return self._set("response_format", {"type": "json_object", "schema": output.schema})
        if mode == "guided_json":
            return self._set("guided_json", output.schema)
        system = {"role": "system", "content": prompt_instructions(output)}
        return self._set("messages", (system, *self._get("messages", ())))

    def _compile(self, *, stream: bool = False, with_auth: bool = False) -> Request:
        prepared = self._prepared()
        return super(ChatCompletionParse, prepared)._compile(stream=stream, with_auth=with_auth)

    def send(self) -> ParsedChatCompletion[T]:
        """Send, validate and parse.

        In ``"prompt"`` mode, output that does not validate is sent back once with the
        validation error, and the second answer is parsed.

        Raises:
            StrictSchemaError: ``T`` cannot be expressed in strict mode (nothing is sent).
            StructuredOutputError: the output does not match the schema (``path``, ``content``).
            LengthFinishReasonError, ContentFilterFinishReasonError: the output was cut off.
            APIStatusError: and the rest, as ``create().send()`` raises them.
        """
        return self.send_with_meta().data

    def send_with_meta(self) -> ApiResponse[ParsedChatCompletion[T]]:
        """Like :meth:`send`, with the response metadata."""
        output = self._output()
        result = ChatCompletionCreate.send_with_meta(self)
        request_id = result.meta.request_id
        try:
            parsed = parse_chat_completion(result.data, output, request_id=request_id)
        except StructuredOutputError as error:
            if self._mode() != "prompt":
                raise
            retry = self._append(
                "messages", {"role": "assistant", "content": error.content or ""}
            )._append("messages", {"role": "user", "content": retry_instructions(error)})
            result = ChatCompletionCreate.send_with_meta(retry)
            parsed = parse_chat_completion(result.data, output, request_id=result.meta.request_id)
        return ApiResponse(data=parsed, meta=result.meta)

    def stream(self) -> ParsedChatCompletionStream[T]:
        """Send with ``"stream": true``; the stream offers ``parsed_partial`` as content arrives
        and ``final_completion()`` returns the validated :class:`ParsedChatCompletion`.

        ``"prompt"`` mode does not retry a stream.
        """
        output = self._output()
        source, first = self._open_event_source(named_events=False, envelope=False)
        decode = self._client._decode_model(ChatCompletionChunk)
        return ParsedChatCompletionStream(source, first, decode, output=output)


class ParsedChatCompletionStream(ChatCompletionStream, Generic[T]):
    """A :class:`~openai_core.ChatCompletionStream` that also parses the JSON as it arrives.

    ``parsed_partial`` is the partial JSON value of choice 0 so far (a ``dict`` with the keys
    received, the last string possibly cut short; see :func:`parse_partial_json`);
    ``final_completion()`` validates and structures the whole output.

    Examples:
        >>> builder = client.chat().completions().parse(Person).model("m").message_user("…")
        >>> with builder.stream() as s:
        ...     for chunk in s:
        ...         print(s.parsed_partial)
        ...     person = s.final_completion().choices[0].message.parsed
    """

    def __init__(
        self,
        source: EventSource,
        first: Optional[Any],
        decode: Any,
        *,
        output: StructuredOutput[T],
    ) -> None:
        super().__init__(source, first, decode)
        self._output = output
        self._texts: Dict[int, List[str]] = {}
        self._partials: Dict[int, Any] = {}

    def _on_item(self, item: ChatCompletionChunk) -> ChatCompletionChunk:
        item = super()._on_item(item)
        for choice in getattr(item, "choices", None) or []:
            delta = getattr(choice, "delta", None)
            text = _text(getattr(delta, "content", None)) if delta is not None else None
            if not text:
                continue
            index = choice.index if isinstance(choice.index, int) else 0
            parts = self._texts.setdefault(index, [])
            parts.append(text)
            # Not JSON (yet): keep the last good snapshot; final_completion() reports errors.
            with contextlib.suppress(PartialJSONError):
                self._partials[index] = parse_partial_json("".join(parts))
        return item

    @property
    def parsed_partial(self) -> Any:
        """The partial JSON value of choice 0 so far, or ``None`` before any arrived."""
        return self._partials.get(0)

    def parsed_partial_of(self, index: int) -> Any:
        """The partial JSON value of choice ``index`` so far, or ``None``."""
        return self._partials.get(index)

    def final_completion(self) -> ParsedChatCompletion[T]:  # type: ignore[override]
        """Read the rest of the stream, then validate and parse the accumulated completion.

        Raises:
            StructuredOutputError, LengthFinishReasonError, ContentFilterFinishReasonError: as
                ``send()`` does; APIError and subclasses, as iteration does.
        """
        completion = super().final_completion()
        return parse_chat_completion(completion, self._output, request_id=self.request_id)
