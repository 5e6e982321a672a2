"""Models shared by several namespaces."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

import attrs

from openai_core._convert import BaseModel, required

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


_THINK = re.compile(r"<think>(.*?)(?:</think>|$)", re.S)


def text_of_content(content: Any) -> Optional[str]:
    """The text of a message ``content``: a string as is, or the ``text`` parts of a list joined
    (compat C18). ``None`` when there is no content."""
    if content is None or isinstance(content, str):
        return content
    if isinstance(content, list):
        parts: List[str] = []
        for part in content:
            if isinstance(part, dict) and part.get("type", "text") == "text":
                text = part.get("text")
                if isinstance(text, str):
                    parts.append(text)
        return "".join(parts)
    return str(content)


def reasoning_text(extra: Dict[str, Any], content: Any) -> Optional[str]:
    """One reasoning accessor over every spelling servers use (compat C19): ``reasoning_content``
    (DeepSeek, vLLM, Qwen), ``reasoning`` (OpenRouter), ``reasoning_details`` text entries,
    ``thinking`` content parts, or a ``<think>…</think>`` block inside the content (MiniMax)."""
    for key in ("reasoning_content", "reasoning"):
        value = extra.get(key)
        if isinstance(value, str) and value:
            return value
    details = extra.get("reasoning_details")
    if isinstance(details, list):
        texts = [d.get("text") or d.get("summary") for d in details if isinstance(d, dict)]
        joined = "".join(t for t in texts if isinstance(t, str))
        if joined:
            return joined
    if isinstance(content, list):
        thinking = [
            p.get("thinking") or p.get("text")
            for p in content
            if isinstance(p, dict) and p.get("type") == "thinking"
        ]
        joined = "".join(t for t in thinking if isinstance(t, str))
        if joined:
            return joined
    if isinstance(content, str) and "<think>" in content:
        match = _THINK.search(content)
        if match:
            return match.group(1).strip()
    return None
