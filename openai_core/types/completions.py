"""Legacy Completions models.

Source: https://platform.openai.com/docs/api-reference/completions
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import attrs

from openai_core._convert import BaseModel, required, required_list
from openai_core.types.chat import CompletionUsage

__all__ = ["Completion", "CompletionChoice"]


@attrs.frozen(kw_only=True)
class CompletionChoice(BaseModel):
    """One generated text."""

    text: str = required()
    """The generated text (a fragment, in a stream)."""
    index: int = required()
    """Index of the choice."""
    finish_reason: Optional[str] = None
    """``stop``, ``length`` or ``content_filter`` (open set of values)."""
    logprobs: Optional[Dict[str, Any]] = None
    """Log probabilities, when requested."""


@attrs.frozen(kw_only=True)
class Completion(BaseModel):
    """A legacy text completion (also each event of a streamed one).

    Source: https://platform.openai.com/docs/api-reference/completions/object
    """

    id: str = required()
    """Unique identifier."""
    object: str = required()
    """``"text_completion"``."""
    created: int = required()
    """Unix time (seconds) of creation."""
    model: str = required()
    """The model used."""
    choices: List[CompletionChoice] = required_list()
    """Generated choices."""
    usage: Optional[CompletionUsage] = None
    """Token usage."""
    system_fingerprint: Optional[str] = None
    """Backend configuration fingerprint."""
