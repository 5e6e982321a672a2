"""Structured output: the public names.

- ``client.chat().completions().parse(T)`` and ``client.responses().parse(T)`` (builders
  :class:`ChatCompletionParse`, :class:`ResponseParse`) return :class:`ParsedChatCompletion`
  (``choices[i].message.parsed``) and :class:`ParsedResponse` (``output_parsed``); their
  ``stream()`` gives :class:`ParsedChatCompletionStream` / :class:`ParsedResponseStream` with
  ``parsed_partial``.
- :func:`to_json_schema` (Python type → strict JSON Schema) and :func:`to_strict_json_schema`
  (the strict transform of any schema) raise :class:`StrictSchemaError` for what strict mode
  cannot express.
- :func:`parse_partial_json` parses a prefix of a JSON document (:class:`PartialJSONError`).
- :data:`StructuredOutputMode`: ``"json_schema"``, ``"json_object_schema"``, ``"guided_json"``,
  ``"prompt"`` (compat C36).

Errors raised by ``send()`` are in the package root: ``StructuredOutputError``,
``LengthFinishReasonError``, ``ContentFilterFinishReasonError``.

See ``docs/structured-output-and-tools.md``.
"""

from openai_core.lib._parsed import (
    ParsedChatCompletion,
    ParsedChatCompletionMessage,
    ParsedChoice,
    ParsedResponse,
)
from openai_core.lib._partial_json import PartialJSONError, parse_partial_json
from openai_core.lib._schema import StrictSchemaError, to_json_schema, to_strict_json_schema
from openai_core.lib._structured import STRUCTURED_OUTPUT_MODES, StructuredOutputMode
from openai_core.lib._structured_builders import profile_structured_output_mode
from openai_core.lib.chat_parse import ChatCompletionParse, ParsedChatCompletionStream
from openai_core.lib.responses_parse import ParsedResponseStream, ResponseParse

__all__ = [
    "STRUCTURED_OUTPUT_MODES",
    "ChatCompletionParse",
    "ParsedChatCompletion",
    "ParsedChatCompletionMessage",
    "ParsedChatCompletionStream",
    "ParsedChoice",
    "ParsedResponse",
    "ParsedResponseStream",
    "PartialJSONError",
    "ResponseParse",
    "StrictSchemaError",
    "StructuredOutputMode",
    "parse_partial_json",
    "profile_structured_output_mode",
    "to_json_schema",
    "to_strict_json_schema",
]
