"""Embeddings models.

Source: https://platform.openai.com/docs/api-reference/embeddings
"""

from __future__ import annotations

from typing import List

import attrs

from openai_core._convert import BaseModel, required, required_list

__all__ = ["CreateEmbeddingResponse", "Embedding", "EmbeddingUsage"]


@attrs.frozen(kw_only=True)
class Embedding(BaseModel):
    """One embedding vector.

    ``embedding`` is a list of floats; when the caller explicitly chose
    ``encoding_format("base64")`` it is the base64 string the server sent.
    """

    embedding: List[float] = required_list()
    """The vector (length depends on the model and ``dimensions``)."""
    index: int = required()
    """Index of the input this vector belongs to."""
    object: str = required()
    """``"embedding"``."""


@attrs.frozen(kw_only=True)
class EmbeddingUsage(BaseModel):
    """Token usage of an embeddings request."""

    prompt_tokens: int = required()
    """Tokens in the input."""
    total_tokens: int = required()
    """Total tokens."""


@attrs.frozen(kw_only=True)
class CreateEmbeddingResponse(BaseModel):
    """The answer to ``embeddings().create()``.

    Source: https://platform.openai.com/docs/api-reference/embeddings/object
    """

    data: List[Embedding] = required_list()
    """One embedding per input, in input order."""
    model: str = required()
    """The model used."""
    object: str = required()
    """``"list"``."""
    usage: EmbeddingUsage = required()
    """Token usage."""
