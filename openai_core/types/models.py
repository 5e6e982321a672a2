"""Models (the API's model objects).

Source: https://platform.openai.com/docs/api-reference/models
"""

from __future__ import annotations

import attrs

from openai_core._convert import BaseModel, required

__all__ = ["Model"]


@attrs.frozen(kw_only=True)
class Model(BaseModel):
    """A model the server offers.

    Source: https://platform.openai.com/docs/api-reference/models/object
    """

    id: str = required()
    """Model identifier, used as ``model`` in requests."""
    object: str = required()
    """``"model"`` (missing on some compatible servers)."""
    created: int = required()
    """Unix time (seconds) the model was created."""
    owned_by: str = required()
    """The owning organization."""
