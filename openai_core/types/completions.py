"""Legacy Completions models under the official SDK's names (aliases of the generated models).

Source: https://platform.openai.com/docs/api-reference/completions
"""

from __future__ import annotations

from openai_core._generated.models.completions import (
    CreateCompletionResponse,
    CreateCompletionResponseChoicesItem,
)
from openai_core._generated.models.shared import CompletionUsage

__all__ = ["Completion", "CompletionChoice", "CompletionUsage"]

Completion = CreateCompletionResponse
"""A legacy text completion, also each event of a streamed one (``CreateCompletionResponse``)."""

CompletionChoice = CreateCompletionResponseChoicesItem
"""One generated text."""
