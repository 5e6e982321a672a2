"""Models shared by several namespaces."""

from __future__ import annotations

import attrs

from openai_core._convert import BaseModel, required
from openai_core.types._mixins import reasoning_text, text_of_content

__all__ = ["DeletedObject", "reasoning_text", "text_of_content"]


@attrs.frozen(kw_only=True)
class DeletedObject(BaseModel):
    """The answer to a delete operation.

    Source: https://platform.openai.com/docs/api-reference/models/delete
    """

    id: str = required()
    """ID of the deleted object."""
    object: str = required()
    """The object type, for example ``"model"`` or ``"chat.completion.deleted"``."""
    deleted: bool = required()
    """Whether the object was deleted."""
