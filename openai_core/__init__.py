"""openai_core: a synchronous-first, builder-style SDK for the OpenAI API and compatible servers.

Examples:
    >>> from openai_core import Client
    >>> client = Client()
    >>> reply = client.responses().create().model("gpt-5.4").input_text("Hi!").send()
    >>> print(reply.output_text)
"""

import typing as _typing

from openai_core._builder import ApiResponse, RateLimitInfo, RequestBuilder, ResponseMeta
from openai_core._client import Client, ClientBuilder
from openai_core._config import ClientConfig, Timeout
from openai_core._convert import BaseModel
from openai_core._errors import (
    APIConnectionError,
    APIError,
    ApiErrorKind,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ContentFilterFinishReasonError,
    InternalServerError,
    LengthFinishReasonError,
    NotFoundError,
    OpenAIError,
    PermissionDeniedError,
    RateLimitError,
    StreamTimeoutError,
    StructuredOutputError,
    UnprocessableEntityError,
    WebSocketClosedError,
    WebSocketQueueFullError,
)
from openai_core._pagination import CursorPage, ListBuilder
from openai_core._request import Request
from openai_core._sse import ServerSentEvent, Stream
from openai_core._version import __version__

if _typing.TYPE_CHECKING:
    from openai_core._binary import BinaryResponse
    from openai_core._chat_stream import ChatCompletionAccumulator, ChatCompletionStream
    from openai_core._files import FileTypes, FileValue, to_file
    from openai_core._realtime_ws import RealtimeSocket
    from openai_core._responses_stream import ResponseStream
    from openai_core._responses_ws import ResponsesSession
    from openai_core.lib.azure import AzureConfigError
    from openai_core.lib.providers import (
        PROVIDERS,
        ModelQuirk,
        ProviderProfile,
        UnsupportedCapabilityError,
        get_provider,
    )
    from openai_core.lib.tools import FunctionTool, ToolArgumentsError, function_tool
    from openai_core.lib.webhooks import (
        InvalidWebhookSignatureError,
        InvalidWebhookTimestampError,
        MissingWebhookHeaderError,
        WebhookTimestampTooNewError,
        WebhookTimestampTooOldError,
        WebhookVerificationError,
    )

# Loaded on first use, so `import openai_core` does not pay for the models they need.
_LAZY = {
    "AzureConfigError": "openai_core.lib.azure",
    "BinaryResponse": "openai_core._binary",
    "ChatCompletionAccumulator": "openai_core._chat_stream",
    "ChatCompletionStream": "openai_core._chat_stream",
    "FileTypes": "openai_core._files",
    "FileValue": "openai_core._files",
    "FunctionTool": "openai_core.lib.tools",
    "InvalidWebhookSignatureError": "openai_core.lib.webhooks",
    "InvalidWebhookTimestampError": "openai_core.lib.webhooks",
    "MissingWebhookHeaderError": "openai_core.lib.webhooks",
    "ModelQuirk": "openai_core.lib.providers",
    "PROVIDERS": "openai_core.lib.providers",
    "ProviderProfile": "openai_core.lib.providers",
    "RealtimeSocket": "openai_core._realtime_ws",
    "ResponseStream": "openai_core._responses_stream",
    "ResponsesSession": "openai_core._responses_ws",
    "ToolArgumentsError": "openai_core.lib.tools",
    "UnsupportedCapabilityError": "openai_core.lib.providers",
    "WebhookTimestampTooNewError": "openai_core.lib.webhooks",
    "WebhookTimestampTooOldError": "openai_core.lib.webhooks",
    "WebhookVerificationError": "openai_core.lib.webhooks",
    "function_tool": "openai_core.lib.tools",
    "get_provider": "openai_core.lib.providers",
    "to_file": "openai_core._files",
}


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'openai_core' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "ApiErrorKind",
    "ApiResponse",
    "AuthenticationError",
    "AzureConfigError",
    "BadRequestError",
    "BaseModel",
    "BinaryResponse",
    "ChatCompletionAccumulator",
    "ChatCompletionStream",
    "Client",
    "ClientBuilder",
    "ClientConfig",
    "ConflictError",
    "ContentFilterFinishReasonError",
    "CursorPage",
    "FileTypes",
    "FileValue",
    "FunctionTool",
    "InternalServerError",
    "InvalidWebhookSignatureError",
    "InvalidWebhookTimestampError",
    "LengthFinishReasonError",
    "ListBuilder",
    "MissingWebhookHeaderError",
    "ModelQuirk",
    "NotFoundError",
    "OpenAIError",
    "PROVIDERS",
    "PermissionDeniedError",
    "ProviderProfile",
    "RateLimitError",
    "RateLimitInfo",
    "RealtimeSocket",
    "Request",
    "RequestBuilder",
    "ResponseMeta",
    "ResponseStream",
    "ResponsesSession",
    "ServerSentEvent",
    "Stream",
    "StreamTimeoutError",
    "StructuredOutputError",
    "Timeout",
    "ToolArgumentsError",
    "UnprocessableEntityError",
    "UnsupportedCapabilityError",
    "WebSocketClosedError",
    "WebSocketQueueFullError",
    "WebhookTimestampTooNewError",
    "WebhookTimestampTooOldError",
    "WebhookVerificationError",
    "__version__",
    "function_tool",
    "get_provider",
    "to_file",
]
