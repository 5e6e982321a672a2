"""Responses API models under the official SDK's names: responses, items, stream events.

Each name is the generated model itself (an alias, so ``isinstance`` holds for what the client
returns); :attr:`Response.output_text` comes from a mixin in :mod:`openai_core.types._mixins`.
Tagged unions fall back to their ``Unknown…`` member for types this SDK does not know, with the
fields in ``extra``.

Source: https://platform.openai.com/docs/api-reference/responses
"""

from __future__ import annotations

from openai_core._generated.models.responses import (
    InputMessageResource,
    ItemResource,
    OutputContent,
    OutputItem,
    Response,
    ResponseCompletedEvent,
    ResponseContentPartAddedEvent,
    ResponseContentPartDoneEvent,
    ResponseCreatedEvent,
    ResponseError,
    ResponseErrorEvent,
    ResponseFailedEvent,
    ResponseFunctionCallArgumentsDeltaEvent,
    ResponseFunctionCallArgumentsDoneEvent,
    ResponseIncompleteEvent,
    ResponseInProgressEvent,
    ResponseOutputItemAddedEvent,
    ResponseOutputItemDoneEvent,
    ResponseQueuedEvent,
    ResponseReasoningSummaryTextDeltaEvent,
    ResponseReasoningTextDeltaEvent,
    ResponseRefusalDeltaEvent,
    ResponseRefusalDoneEvent,
    ResponseStreamEvent,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
    ResponseUsage,
    TokenCountsResource,
    UnknownOutputContent,
    UnknownOutputItem,
    UnknownResponseStreamEvent,
)
from openai_core._generated.models.shared import (
    FunctionToolCall,
    FunctionToolCallOutputResource,
    FunctionToolCallResource,
    InputTextContent,
    OutputMessage,
    OutputTextContent,
    ReasoningItem,
    RefusalContent,
)

__all__ = [
    "InputTokenCount",
    "Response",
    "ResponseCompletedEvent",
    "ResponseContentPart",
    "ResponseContentPartAddedEvent",
    "ResponseContentPartDoneEvent",
    "ResponseCreatedEvent",
    "ResponseError",
    "ResponseErrorEvent",
    "ResponseFailedEvent",
    "ResponseFunctionCallArgumentsDeltaEvent",
    "ResponseFunctionCallArgumentsDoneEvent",
    "ResponseFunctionToolCall",
    "ResponseFunctionToolCallItem",
    "ResponseFunctionToolCallOutput",
    "ResponseFunctionToolCallOutputItem",
    "ResponseIncompleteEvent",
    "ResponseInProgressEvent",
    "ResponseInputMessageItem",
    "ResponseInputText",
    "ResponseItem",
    "ResponseOutputItem",
    "ResponseOutputItemAddedEvent",
    "ResponseOutputItemDoneEvent",
    "ResponseOutputMessage",
    "ResponseOutputRefusal",
    "ResponseOutputText",
    "ResponseQueuedEvent",
    "ResponseReasoningItem",
    "ResponseReasoningSummaryTextDeltaEvent",
    "ResponseReasoningTextDeltaEvent",
    "ResponseRefusalDeltaEvent",
    "ResponseRefusalDoneEvent",
    "ResponseStreamEvent",
    "ResponseTextDeltaEvent",
    "ResponseTextDoneEvent",
    "ResponseUsage",
    "UnknownResponseContentPart",
    "UnknownResponseOutputItem",
    "UnknownResponseStreamEvent",
]

InputTokenCount = TokenCountsResource
"""The answer to ``responses().input_tokens().count()`` (``TokenCountsResource``)."""

ResponseOutputItem = OutputItem
"""An item of ``Response.output``, tagged by ``type`` (``OutputItem``)."""

UnknownResponseOutputItem = UnknownOutputItem
"""An output item of a type this SDK does not know; its fields are in ``extra``."""

ResponseItem = ItemResource
"""An item of ``responses().input_items().list()`` (``ItemResource``). The spec's union has two
``message`` members (input and output messages), so it is not tagged: each item decodes into the
member its ``type`` and fields fit."""

ResponseOutputMessage = OutputMessage
"""A message output by the model (``OutputMessage``)."""

ResponseInputMessageItem = InputMessageResource
"""A message given as input, as listed by ``input_items().list()`` (``InputMessageResource``)."""

ResponseContentPart = OutputContent
"""A content part of ``response.content_part.*`` events, tagged by ``type`` (``OutputContent``)."""

UnknownResponseContentPart = UnknownOutputContent
"""A content part of a type this SDK does not know; its fields are in ``extra``."""

ResponseOutputText = OutputTextContent
"""Text produced by the model (``OutputTextContent``)."""

ResponseOutputRefusal = RefusalContent
"""A refusal from the model (``RefusalContent``)."""

ResponseInputText = InputTextContent
"""Text given as input (``InputTextContent``)."""

ResponseFunctionToolCall = FunctionToolCall
"""A call of a function tool (``FunctionToolCall``)."""

ResponseFunctionToolCallItem = FunctionToolCallResource
"""A function tool call as ``input_items().list()`` lists it (``FunctionToolCallResource``)."""

ResponseFunctionToolCallOutputItem = FunctionToolCallOutputResource
"""The output of a function call (``FunctionToolCallOutputResource``)."""

ResponseFunctionToolCallOutput = FunctionToolCallOutputResource
"""The output of a function call (the same class as ``ResponseFunctionToolCallOutputItem``)."""

ResponseReasoningItem = ReasoningItem
"""Reasoning produced by a reasoning model (``ReasoningItem``)."""
