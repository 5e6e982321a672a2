"""Responses API models: responses, output items, stream events.

Source: https://platform.openai.com/docs/api-reference/responses
"""

from __future__ import annotations

from typing import Any, Dict, List, Literal, Optional, Union

import attrs

from openai_core._convert import (
    BaseModel,
    json_string,
    register_tagged_union,
    required,
    required_list,
)

__all__ = [
    "InputTokenCount",
    "Response",
    "ResponseContentPart",
    "ResponseError",
    "ResponseFunctionToolCall",
    "ResponseFunctionToolCallOutput",
    "ResponseInputText",
    "ResponseItem",
    "ResponseOutputMessage",
    "ResponseOutputRefusal",
    "ResponseOutputText",
    "ResponseReasoningItem",
    "ResponseStreamEvent",
    "ResponseUsage",
    "UnknownResponseContentPart",
    "UnknownResponseItem",
    "UnknownResponseStreamEvent",
    "ResponseCreatedEvent",
    "ResponseInProgressEvent",
    "ResponseQueuedEvent",
    "ResponseCompletedEvent",
    "ResponseFailedEvent",
    "ResponseIncompleteEvent",
    "ResponseOutputItemAddedEvent",
    "ResponseOutputItemDoneEvent",
    "ResponseContentPartAddedEvent",
    "ResponseContentPartDoneEvent",
    "ResponseTextDeltaEvent",
    "ResponseTextDoneEvent",
    "ResponseRefusalDeltaEvent",
    "ResponseRefusalDoneEvent",
    "ResponseFunctionCallArgumentsDeltaEvent",
    "ResponseFunctionCallArgumentsDoneEvent",
    "ResponseReasoningSummaryTextDeltaEvent",
    "ResponseReasoningTextDeltaEvent",
]


# --- content parts ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ResponseOutputText(BaseModel):
    """Text produced by the model."""

    type: Literal["output_text"] = "output_text"
    text: str = required()
    """The text."""
    annotations: List[Dict[str, Any]] = attrs.field(factory=list)
    """Citations and file references."""
    logprobs: Optional[List[Dict[str, Any]]] = None
    """Log probabilities, when requested."""


@attrs.frozen(kw_only=True)
class ResponseOutputRefusal(BaseModel):
    """A refusal from the model."""

    type: Literal["refusal"] = "refusal"
    refusal: str = required()
    """The refusal explanation."""


@attrs.frozen(kw_only=True)
class ResponseInputText(BaseModel):
    """Text given as input (seen in input items)."""

    type: Literal["input_text"] = "input_text"
    text: str = required()
    """The text."""


@attrs.frozen(kw_only=True)
class UnknownResponseContentPart(BaseModel):
    """A content part of a type this SDK does not model; its fields are in ``extra``."""

    type: str = required()
    """The part's type."""


ResponseContentPart = Union[
    ResponseOutputText, ResponseOutputRefusal, ResponseInputText, UnknownResponseContentPart
]
register_tagged_union(ResponseContentPart, UnknownResponseContentPart)


# --- items --------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ResponseOutputMessage(BaseModel):
    """A message item (output by the model, or given as input)."""

    type: Literal["message"] = "message"
    id: Optional[str] = None
    """Item ID."""
    role: str = required()
    """``assistant`` for output; ``user``, ``system`` or ``developer`` in input items."""
    status: Optional[str] = None
    """``in_progress``, ``completed`` or ``incomplete``."""
    content: List[ResponseContentPart] = required_list()
    """Content parts."""


@attrs.frozen(kw_only=True)
class ResponseFunctionToolCall(BaseModel):
    """A call of a function tool."""

    type: Literal["function_call"] = "function_call"
    id: Optional[str] = None
    """Item ID."""
    call_id: str = required()
    """ID to answer with a ``function_call_output`` item."""
    name: str = required()
    """Function name."""
    arguments: str = json_string()
    """JSON-encoded arguments."""
    status: Optional[str] = None
    """``in_progress``, ``completed`` or ``incomplete``."""


@attrs.frozen(kw_only=True)
class ResponseFunctionToolCallOutput(BaseModel):
    """The output of a function call, given as input."""

    type: Literal["function_call_output"] = "function_call_output"
    id: Optional[str] = None
    """Item ID."""
    call_id: str = required()
    """The call this answers."""
    output: Any = required()
    """The output: a string or a list of content parts."""
    status: Optional[str] = None
    """Item status."""


@attrs.frozen(kw_only=True)
class ResponseReasoningItem(BaseModel):
    """Reasoning produced by a reasoning model."""

    type: Literal["reasoning"] = "reasoning"
    id: Optional[str] = None
    """Item ID."""
    summary: List[Dict[str, Any]] = attrs.field(factory=list)
    """Reasoning summary parts (``{"type": "summary_text", "text": ...}``)."""
    content: Optional[List[Dict[str, Any]]] = None
    """Reasoning text parts, when available."""
    encrypted_content: Optional[str] = None
    """Encrypted reasoning, when ``include`` asked for it."""
    status: Optional[str] = None
    """Item status."""


@attrs.frozen(kw_only=True)
class UnknownResponseItem(BaseModel):
    """An item of a type this SDK does not model (tool calls of hosted tools …); fields in
    ``extra``."""

    type: str = required()
    """The item's type."""
    id: Optional[str] = None
    """Item ID."""


ResponseItem = Union[
    ResponseOutputMessage,
    ResponseFunctionToolCall,
    ResponseFunctionToolCallOutput,
    ResponseReasoningItem,
    UnknownResponseItem,
]
register_tagged_union(ResponseItem, UnknownResponseItem)


# --- response -----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ResponseError(BaseModel):
    """Why a response failed."""

    code: str = required()
    """Error code."""
    message: str = required()
    """Description."""


@attrs.frozen(kw_only=True)
class ResponseUsage(BaseModel):
    """Token usage of a response."""

    input_tokens: int = required()
    """Input tokens."""
    output_tokens: int = required()
    """Output tokens."""
    total_tokens: int = required()
    """Input plus output tokens."""
    input_tokens_details: Optional[Dict[str, Any]] = None
    """Breakdown (``cached_tokens``)."""
    output_tokens_details: Optional[Dict[str, Any]] = None
    """Breakdown (``reasoning_tokens``)."""


@attrs.frozen(kw_only=True)
class Response(BaseModel):
    """A model response.

    Source: https://platform.openai.com/docs/api-reference/responses/object
    """

    id: str = required()
    """Unique identifier (``resp_…``)."""
    object: str = required()
    """``"response"``."""
    created_at: float = required()
    """Unix time (seconds) of creation."""
    status: Optional[str] = None
    """``completed``, ``failed``, ``in_progress``, ``cancelled``, ``queued`` or ``incomplete``."""
    model: str = required()
    """The model used."""
    output: List[ResponseItem] = required_list()
    """Output items, in order."""
    error: Optional[ResponseError] = None
    """Set when the response failed."""
    incomplete_details: Optional[Dict[str, Any]] = None
    """Why the response is incomplete (``{"reason": "max_output_tokens"}``)."""
    instructions: Any = None
    """The system/developer instructions used."""
    usage: Optional[ResponseUsage] = None
    """Token usage."""
    previous_response_id: Optional[str] = None
    """The response this one continues."""
    conversation: Optional[Dict[str, Any]] = None
    """The conversation this response belongs to."""
    metadata: Optional[Dict[str, str]] = None
    """Up to 16 key-value pairs."""
    temperature: Optional[float] = None
    """Sampling temperature used."""
    top_p: Optional[float] = None
    """Nucleus sampling value used."""
    max_output_tokens: Optional[int] = None
    """Upper bound on output tokens."""
    parallel_tool_calls: Optional[bool] = None
    """Whether tool calls may run in parallel."""
    tool_choice: Any = None
    """How the model chose tools."""
    tools: List[Dict[str, Any]] = attrs.field(factory=list)
    """Tools the model could call (missing on some servers, compat C15)."""
    text: Optional[Dict[str, Any]] = None
    """Text output configuration (``format``, ``verbosity``)."""
    reasoning: Optional[Dict[str, Any]] = None
    """Reasoning configuration."""
    truncation: Optional[str] = None
    """Truncation strategy."""
    background: Optional[bool] = None
    """Whether the response ran in the background."""
    store: Optional[bool] = None
    """Whether the response is stored."""
    service_tier: Optional[str] = None
    """Service tier used."""
    user: Optional[str] = None
    """End-user identifier."""

    @property
    def output_text(self) -> str:
        """All ``output_text`` parts of all output messages, concatenated (``""`` if none)."""
        return "".join(
            part.text or ""
            for item in self.output
            if isinstance(item, ResponseOutputMessage)
            for part in item.content
            if isinstance(part, ResponseOutputText)
        )


@attrs.frozen(kw_only=True)
class InputTokenCount(BaseModel):
    """The answer to ``responses().input_tokens().count()``.

    Source: https://platform.openai.com/docs/api-reference/responses/input-tokens
    """

    object: str = required()
    """``"response.input_tokens"``."""
    input_tokens: int = required()
    """Input tokens the request would use."""


# --- stream events ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ResponseCreatedEvent(BaseModel):
    """The response was created (always the first event)."""

    type: Literal["response.created"] = "response.created"
    sequence_number: Optional[int] = None
    """Position of the event in the stream."""
    response: Response = required()
    """The response at this point."""


@attrs.frozen(kw_only=True)
class ResponseInProgressEvent(BaseModel):
    """The response is running."""

    type: Literal["response.in_progress"] = "response.in_progress"
    sequence_number: Optional[int] = None
    """Position of the event in the stream."""
    response: Response = required()
    """The response at this point."""


@attrs.frozen(kw_only=True)
class ResponseQueuedEvent(BaseModel):
    """The response is queued."""

    type: Literal["response.queued"] = "response.queued"
    sequence_number: Optional[int] = None
    """Position of the event in the stream."""
    response: Response = required()
    """The response at this point."""


@attrs.frozen(kw_only=True)
class ResponseCompletedEvent(BaseModel):
    """The response finished; carries it whole."""

    type: Literal["response.completed"] = "response.completed"
    sequence_number: Optional[int] = None
    """Position of the event in the stream."""
    response: Response = required()
    """The response at this point."""


@attrs.frozen(kw_only=True)
class ResponseFailedEvent(BaseModel):
    """The response failed; ``response.error`` says why."""

    type: Literal["response.failed"] = "response.failed"
    sequence_number: Optional[int] = None
    """Position of the event in the stream."""
    response: Response = required()
    """The response at this point."""


@attrs.frozen(kw_only=True)
class ResponseIncompleteEvent(BaseModel):
    """The response ended incomplete."""

    type: Literal["response.incomplete"] = "response.incomplete"
    sequence_number: Optional[int] = None
    """Position of the event in the stream."""
    response: Response = required()
    """The response at this point."""


@attrs.frozen(kw_only=True)
class ResponseOutputItemAddedEvent(BaseModel):
    """An output item started."""

    type: Literal["response.output_item.added"] = "response.output_item.added"
    sequence_number: Optional[int] = None
    """Position of the event in the stream."""
    output_index: int = required()
    """Index of the output item."""
    item: ResponseItem = required()
    """The item so far."""


@attrs.frozen(kw_only=True)
class ResponseOutputItemDoneEvent(BaseModel):
    """An output item is complete."""

    type: Literal["response.output_item.done"] = "response.output_item.done"
    sequence_number: Optional[int] = None
    """Position of the event in the stream."""
    output_index: int = required()
    """Index of the output item."""
    item: ResponseItem = required()
    """The finished item."""


@attrs.frozen(kw_only=True)
class ResponseContentPartAddedEvent(BaseModel):
    """A content part started."""

    type: Literal["response.content_part.added"] = "response.content_part.added"
    sequence_number: Optional[int] = None
    """Position of the event in the stream."""
    item_id: str = required()
    """ID of the output item."""
    output_index: int = required()
    """Index of the output item."""
    content_index: int = required()
    """Index of the content part."""
    part: ResponseContentPart = required()
    """The part so far."""


@attrs.frozen(kw_only=True)
class ResponseContentPartDoneEvent(BaseModel):
    """A content part is complete."""

    type: Literal["response.content_part.done"] = "response.content_part.done"
    sequence_number: Optional[int] = None
    """Position of the event in the stream."""
    item_id: str = required()
    """ID of the output item."""
    output_index: int = required()
    """Index of the output item."""
    content_index: int = required()
    """Index of the content part."""
    part: ResponseContentPart = required()
    """The finished part."""


@attrs.frozen(kw_only=True)
class ResponseTextDeltaEvent(BaseModel):
    """A fragment of output text."""

    type: Literal["response.output_text.delta"] = "response.output_text.delta"
    sequence_number: Optional[int] = None
    """Position of the event in the stream."""
    item_id: str = required()
    """ID of the output item."""
    output_index: int = required()
    """Index of the output item."""
    content_index: int = required()
    """Index of the content part."""
    delta: str = required()
    """The text fragment."""
    logprobs: Optional[List[Dict[str, Any]]] = None
    """Log probabilities, when requested."""


@attrs.frozen(kw_only=True)
class ResponseTextDoneEvent(BaseModel):
    """An output text part is complete."""

    type: Literal["response.output_text.done"] = "response.output_text.done"
    sequence_number: Optional[int] = None
    """Position of the event in the stream."""
    item_id: str = required()
    """ID of the output item."""
    output_index: int = required()
    """Index of the output item."""
    content_index: int = required()
    """Index of the content part."""
    text: str = required()
    """The whole text of the part."""
    logprobs: Optional[List[Dict[str, Any]]] = None
    """Log probabilities, when requested."""


@attrs.frozen(kw_only=True)
class ResponseRefusalDeltaEvent(BaseModel):
    """A fragment of a refusal."""

    type: Literal["response.refusal.delta"] = "response.refusal.delta"
    sequence_number: Optional[int] = None
    """Position of the event in the stream."""
    item_id: str = required()
    """ID of the output item."""
    output_index: int = required()
    """Index of the output item."""
    content_index: int = required()
    """Index of the content part."""
    delta: str = required()
    """The refusal fragment."""


@attrs.frozen(kw_only=True)
class ResponseRefusalDoneEvent(BaseModel):
    """A refusal is complete."""

    type: Literal["response.refusal.done"] = "response.refusal.done"
    sequence_number: Optional[int] = None
    """Position of the event in the stream."""
    item_id: str = required()
    """ID of the output item."""
    output_index: int = required()
    """Index of the output item."""
    content_index: int = required()
    """Index of the content part."""
    refusal: str = required()
    """The whole refusal."""


@attrs.frozen(kw_only=True)
class ResponseFunctionCallArgumentsDeltaEvent(BaseModel):
    """A fragment of a function call's arguments."""

    type: Literal["response.function_call_arguments.delta"] = (
        "response.function_call_arguments.delta"
    )
    sequence_number: Optional[int] = None
    """Position of the event in the stream."""
    item_id: str = required()
    """ID of the output item."""
    output_index: int = required()
    """Index of the output item."""
    delta: str = required()
    """The arguments fragment."""


@attrs.frozen(kw_only=True)
class ResponseFunctionCallArgumentsDoneEvent(BaseModel):
    """A function call's arguments are complete."""

    type: Literal["response.function_call_arguments.done"] = "response.function_call_arguments.done"
    sequence_number: Optional[int] = None
    """Position of the event in the stream."""
    item_id: str = required()
    """ID of the output item."""
    output_index: int = required()
    """Index of the output item."""
    arguments: str = required()
    """The whole JSON-encoded arguments."""
    name: Optional[str] = None
    """The function name, when sent."""


@attrs.frozen(kw_only=True)
class ResponseReasoningSummaryTextDeltaEvent(BaseModel):
    """A fragment of a reasoning summary."""

    type: Literal["response.reasoning_summary_text.delta"] = "response.reasoning_summary_text.delta"
    sequence_number: Optional[int] = None
    """Position of the event in the stream."""
    item_id: str = required()
    """ID of the output item."""
    output_index: int = required()
    """Index of the output item."""
    summary_index: int = required()
    """Index of the summary part."""
    delta: str = required()
    """The summary fragment."""


@attrs.frozen(kw_only=True)
class ResponseReasoningTextDeltaEvent(BaseModel):
    """A fragment of reasoning text."""

    type: Literal["response.reasoning_text.delta"] = "response.reasoning_text.delta"
    sequence_number: Optional[int] = None
    """Position of the event in the stream."""
    item_id: str = required()
    """ID of the output item."""
    output_index: int = required()
    """Index of the output item."""
    content_index: int = required()
    """Index of the content part."""
    delta: str = required()
    """The reasoning fragment."""


@attrs.frozen(kw_only=True)
class UnknownResponseStreamEvent(BaseModel):
    """A stream event of a type this SDK does not model; its fields are in ``extra``."""

    type: str = required()
    """The event type."""
    sequence_number: Optional[int] = None
    """Position of the event in the stream."""


ResponseStreamEvent = Union[
    ResponseCreatedEvent,
    ResponseInProgressEvent,
    ResponseQueuedEvent,
    ResponseCompletedEvent,
    ResponseFailedEvent,
    ResponseIncompleteEvent,
    ResponseOutputItemAddedEvent,
    ResponseOutputItemDoneEvent,
    ResponseContentPartAddedEvent,
    ResponseContentPartDoneEvent,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
    ResponseRefusalDeltaEvent,
    ResponseRefusalDoneEvent,
    ResponseFunctionCallArgumentsDeltaEvent,
    ResponseFunctionCallArgumentsDoneEvent,
    ResponseReasoningSummaryTextDeltaEvent,
    ResponseReasoningTextDeltaEvent,
    UnknownResponseStreamEvent,
]
register_tagged_union(ResponseStreamEvent, UnknownResponseStreamEvent)
