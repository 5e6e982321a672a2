"""Models (the API's model objects) under the official SDK's names (the generated models).

Source: https://platform.openai.com/docs/api-reference/models
"""

from __future__ import annotations

from openai_core._generated.models.models import DeleteModelResponse, Model

__all__ = ["Model", "ModelDeleted"]

ModelDeleted = DeleteModelResponse
"""The answer to ``models().delete()`` (``DeleteModelResponse``)."""
