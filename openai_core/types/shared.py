"""Models and helpers shared by several namespaces."""

from __future__ import annotations

from typing import Union

from openai_core._generated.models.chat import ChatCompletionDeleted
from openai_core._generated.models.models import DeleteModelResponse
from openai_core.types._mixins import reasoning_text, text_of_content

__all__ = ["DeletedObject", "reasoning_text", "text_of_content"]

DeletedObject = Union[ChatCompletionDeleted, DeleteModelResponse]
"""The answer to a delete operation of these namespaces: ``ChatCompletionDeleted``
(``chat().completions().delete()``) or ``ModelDeleted`` (``models().delete()``), each with
``id``, ``object`` and ``deleted``."""
