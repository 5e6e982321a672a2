"""``client.responses().parse(T)``: Responses with structured output (``output_parsed``).

Examples:
    >>> done = client.responses().parse(Person).model("gpt-5.4").input_text("Ada, 36").send()
    >>> done.output_parsed
    Person(name='Ada', age=36)

Source: https://platform.openai.com/docs/guides/structured-outputs?api-mode=responses
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, Generic, List, Mapping, Optional, Tuple, TypeVar

import attrs

from openai_core._builder import ApiResponse
from openai_core._errors import (
    ContentFilterFinishReasonError,
    LengthFinishReasonError,
    StructuredOutputError,
)
from openai_core._responses_stream import ResponseStream
from openai_core.lib._parsed import ParsedResponse
from openai_core.lib._partial_json import PartialJSONError, parse_partial_json
from openai_core.lib._structured import StructuredOutput, prompt_instructions, retry_instructions
from openai_core.lib._structured_builders import ParseBuilderFields, parse_type_field
from openai_core.resources.responses import ResponseCreate
from openai_core.types.responses import ResponseStreamEvent

if TYPE_CHECKING:
    from openai_core._request import Request
    from openai_core._sse import EventSource

__all__ = ["ParsedResponseStream", "ResponseParse", "parse_response"]

T = TypeVar("T")


def _read(value: Any, name: str) -> Any:
    if isinstance(value, Mapping):
        return value.get(name)
    found = getattr(value, name, None)
    if found is None:
        extra = getattr(value, "extra", None)
        if isinstance(extra, dict):
            return extra.get(name)
    return found


def output_text_and_refusal(response: Any) -> Tuple[Optional[str], Optional[str]]:
    """The ``output_text`` parts and the ``refusal`` parts of the output messages, each joined
    (``None`` when there are none)."""
    texts: List[str] = []
    refusals: List[str] = []
    for item in _read(response, "output") or []:
        if _read(item, "type") != "message":
            continue
        for part in _read(item, "content") or []:
            kind = _read(part, "type")
            if kind == "output_text":
                texts.append(str(_read(part, "text") or ""))
            elif kind == "refusal":
                refusals.append(str(_read(part, "refusal") or ""))
    return ("".join(texts) if texts else None), ("".join(refusals) if refusals else None)


def parse_response(
    response: Any, output: StructuredOutput[T], *, request_id: Optional[str] = None
) -> ParsedResponse[T]:
    """Parse a response's output text into ``output.type``.

    Raises:
        LengthFinishReasonError: the response is incomplete because of ``max_output_tokens``.
        ContentFilterFinishReasonError: the response is incomplete because of the content filter.
        StructuredOutputError: the output text is not valid for the schema.
    """
    if _read(response, "status") == "incomplete":
        reason = _read(_read(response, "incomplete_details"), "reason")
        if reason == "max_output_tokens":
            raise LengthFinishReasonError(completion=response, request_id=request_id)
        if reason == "content_filter":
            raise ContentFilterFinishReasonError(completion=response, request_id=request_id)
    text, refusal = output_text_and_refusal(response)
    parsed: Optional[T] = None
    if refusal is None and text is not None:
        parsed = output.parse(text, request_id=request_id)
    return ParsedResponse(response=response, output_parsed=parsed, refusal=refusal)


@attrs.frozen(kw_only=True)
class ResponseParse(ParseBuilderFields[T], ResponseCreate, Generic[T]):
    """``POST /responses`` asking for output of type ``T``; ``send()`` returns a
    :class:`ParsedResponse` whose ``output_parsed`` is a ``T``.

    Every setter of ``create()`` is available; the schema goes into ``text.format`` (keeping
    other ``text`` settings such as ``verbosity``), or as ``structured_output_mode()`` says.

    Examples:
        >>> client.responses().parse(Person).model("gpt-5.4").input_text("Ada, 36").send()
    """

    _parse_type: Any = parse_type_field()
    _structured_output_mode: Optional[str] = None
    _schema_name: Optional[str] = None

    def _prepared(self) -> ResponseParse[T]:
        output = self._output()
        mode = self._mode()
        text = dict(self._get("text") or {})
        if mode == "json_schema":
            text["format"] = {
                "type": "json_schema",
                "name": output.name,
                "schema": output.schema,
                "strict": True,
            }
            return self._set("text", text)
        if mode == "json_object_schema":
            text["format"] = {"type": "json_object", "schema": output.schema}
            return self._set("text", text)
        if mode == "guided_json":
            return self._set("guided_json", output.schema)
        current = self._get("input", ())
        if isinstance(current, str):
            current = ({"role": "user", "content": current},)
        system = {"role": "system", "content": prompt_instructions(output)}
        return self._set("input", (system, *current))

    def _compile(self, *, stream: bool = False, with_auth: bool = False) -> Request:
        prepared = self._prepared()
        return super(ResponseParse, prepared)._compile(stream=stream, with_auth=with_auth)

    def send(self) -> ParsedResponse[T]:
        """Send, validate and parse (``"prompt"`` mode retries once on invalid output).

        Raises:
            StrictSchemaError: ``T`` cannot be expressed in strict mode (nothing is sent).
            StructuredOutputError, LengthFinishReasonError, ContentFilterFinishReasonError: the
                output does not match the schema, or was cut off.
            APIStatusError: and the rest, as ``create().send()`` raises them.
        """
        return self.send_with_meta().data

    def send_with_meta(self) -> ApiResponse[ParsedResponse[T]]:
        """Like :meth:`send`, with the response metadata."""
        output = self._output()
        result = ResponseCreate.send_with_meta(self)
        try:
            parsed = parse_response(result.data, output, request_id=result.meta.request_id)
        except StructuredOutputError as error:
            if self._mode() != "prompt":
                raise
            retry = self.message_assistant(error.content or "").message_user(
                retry_instructions(error)
            )
            result = ResponseCreate.send_with_meta(retry)
            parsed = parse_response(result.data, output, request_id=result.meta.request_id)
        return ApiResponse(data=parsed, meta=result.meta)

    def stream(self) -> ParsedResponseStream[T]:
        """Send with ``"stream": true``; ``parsed_partial`` follows the output text and
        ``final_response()`` returns the validated :class:`ParsedResponse`."""
        output = self._output()
        source, first = self._open_event_source(named_events=True, envelope=False)
        decode = self._client._decode_model(ResponseStreamEvent)
        return ParsedResponseStream(source, first, decode, output=output)


class ParsedResponseStream(ResponseStream, Generic[T]):
    """A :class:`~openai_core.ResponseStream` that also parses the output JSON as it arrives.

    ``parsed_partial`` is the partial JSON value of the output text so far (see
    :func:`~openai_core.lib.structured.parse_partial_json`); ``final_response()`` validates
    and structures the whole output.

    Examples:
        >>> with client.responses().parse(Person).model("m").input_text("…").stream() as s:
        ...     for event in s:
        ...         print(s.parsed_partial)
        ...     person = s.final_response().output_parsed
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
        self._parts: List[str] = []
        self._partial: Any = None

    def _on_item(self, item: ResponseStreamEvent) -> ResponseStreamEvent:
        item = super()._on_item(item)
        if _read(item, "type") == "response.output_text.delta":
            delta = _read(item, "delta")
            if isinstance(delta, str) and delta:
                self._parts.append(delta)
                # Not JSON (yet): keep the last good snapshot; final_response() reports errors.
                with contextlib.suppress(PartialJSONError):
                    self._partial = parse_partial_json("".join(self._parts))
        return item

    @property
    def parsed_partial(self) -> Any:
        """The partial JSON value of the output so far, or ``None`` before any arrived."""
        return self._partial

    def final_response(self) -> ParsedResponse[T]:  # type: ignore[override]
        """Read the rest of the stream, then validate and parse the final response.

        Raises:
            StructuredOutputError, LengthFinishReasonError, ContentFilterFinishReasonError: as
                ``send()`` does; APIError and subclasses, as iteration does.
        """
        response = super().final_response()
        return parse_response(response, self._output, request_id=self.request_id)
