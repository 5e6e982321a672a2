"""Hand-written conveniences on top of the generated models.

``python -m tools.codegen`` puts each mixin first in the bases of the generated model named in
``MIXINS`` (``tools/codegen/__main__.py``). A mixin holds no state (``__slots__ = ()``) and adds
read-only properties only, computed from fields the model has; the attributes it reads are
declared for the type checker alone.

This module is imported by the generated model modules, so it imports none of them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Dict, List, Optional

__all__ = [
    "ChatCompletionDeltaMixin",
    "ChatCompletionMessageMixin",
    "ResponseOutputTextMixin",
    "output_text_of",
    "reasoning_text",
    "text_of_content",
]

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


def _read(value: Any, name: str) -> Any:
    """Field ``name`` of a model (declared, or kept in ``extra`` by an ``Unknown…`` variant) or of
    a dict (a value lenient decoding kept as it came)."""
    if isinstance(value, dict):
        return value.get(name)
    found = getattr(value, name, None)
    if found is None:
        extra = getattr(value, "extra", None)
        if isinstance(extra, dict):
            return extra.get(name)
    return found


def output_text_of(output: Any) -> str:
    """The ``text`` of every ``output_text`` part of every ``message`` item of a Responses
    ``output`` list, concatenated (``""`` if none); other items and parts are skipped."""
    if not isinstance(output, list):
        return ""
    texts: List[str] = []
    for item in output:
        if _read(item, "type") != "message":
            continue
        content = _read(item, "content")
        if not isinstance(content, list):
            continue
        for part in content:
            if _read(part, "type") == "output_text":
                text = _read(part, "text")
                if isinstance(text, str):
                    texts.append(text)
    return "".join(texts)


class ChatCompletionMessageMixin:
    """``text`` and ``reasoning`` of a chat completion message.

    ``content`` is a string on OpenAI; a few servers send a list of typed parts instead (compat
    C18), kept as sent: :attr:`text` always gives a string.
    """

    __slots__ = ()

    if TYPE_CHECKING:
        content: Any
        extra: Dict[str, Any]

    @property
    def text(self) -> Optional[str]:
        """The message text, joining text parts when ``content`` is a list (compat C18)."""
        return text_of_content(self.content)

    @property
    def reasoning(self) -> Optional[str]:
        """The model's reasoning, whichever field the server used (compat C19), or ``None``."""
        return reasoning_text(self.extra, self.content)


class ChatCompletionDeltaMixin:
    """``reasoning`` of a streamed chat completion delta."""

    __slots__ = ()

    if TYPE_CHECKING:
        content: Any
        extra: Dict[str, Any]

    @property
    def reasoning(self) -> Optional[str]:
        """A fragment of reasoning, whichever field the server used (compat C19), or ``None``."""
        return reasoning_text(self.extra, self.content)


class ResponseOutputTextMixin:
    """``output_text`` of a Responses ``Response``, as the official SDKs compute it."""

    __slots__ = ()

    if TYPE_CHECKING:
        output: Any

    @property
    def output_text(self) -> str:
        """All ``output_text`` parts of all ``message`` output items, concatenated (``""`` if
        none). Items and parts of other or unknown types are skipped."""
        return output_text_of(self.output)
