"""Embeddings models under the official SDK's names (the generated models).

``Embedding.embedding`` is a list of floats; when the caller explicitly chose
``encoding_format("base64")`` it is the base64 string the server sent.

Source: https://platform.openai.com/docs/api-reference/embeddings
"""

from __future__ import annotations

from openai_core._generated.models.embeddings import (
    CreateEmbeddingResponse,
    CreateEmbeddingResponseUsage,
    Embedding,
)

__all__ = ["CreateEmbeddingResponse", "Embedding", "EmbeddingUsage"]

EmbeddingUsage = CreateEmbeddingResponseUsage
"""Token usage of an embeddings request."""
