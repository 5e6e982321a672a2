"""Builder bases for audio transcriptions and translations, whose result type depends on the
``response_format`` the caller sets.

``json`` (the default), ``verbose_json`` and ``diarized_json`` answer with JSON, decoded into the
operation's model; ``text``, ``srt`` and ``vtt`` answer with plain text, returned as ``str``.
Both bodies are ``multipart/form-data`` (the audio is a file part).

Source: https://platform.openai.com/docs/api-reference/audio/createTranscription
"""

from __future__ import annotations

import enum
from typing import Any, Callable, ClassVar, FrozenSet, Mapping, Optional

import attrs

from openai_core._builder import RequestBuilder

__all__ = ["TEXT_FORMATS", "TranscriptionBuilderBase", "TranslationBuilderBase"]

TEXT_FORMATS: FrozenSet[str] = frozenset({"text", "srt", "vtt"})
"""Response formats answered with plain text (returned as ``str``)."""


@attrs.frozen(kw_only=True)
class TranscriptionBuilderBase(RequestBuilder[Any]):
    """Base of the ``POST /audio/transcriptions`` builder: ``send()`` returns ``str`` for the
    text formats and the decoded JSON model otherwise.

    Subclasses (the generated builder) add the field setters; they may set ``_json_models`` to
    decode each JSON format into its own model (``{"json": CreateTranscriptionResponseJson,
    "verbose_json": ...}``); formats not in it use the builder's ``decode``.

    Examples:
        >>> srt = (client.audio().transcriptions().create()
        ...        .file("talk.mp3").model("whisper-1").response_format("srt").send())
        >>> srt.splitlines()[0]
        '1'
    """

    _request_kind: ClassVar[str] = "multipart"
    _json_models: ClassVar[Mapping[str, Any]] = {}
    """``response_format`` → model class (or union) for the JSON formats."""

    def _response_format(self) -> Optional[str]:
        """The ``response_format`` field as set (enums by value), or ``None`` when unset."""
        value = self._get("response_format")
        if isinstance(value, enum.Enum):
            value = value.value
        return value if isinstance(value, str) else None

    def _effective_response_kind(self) -> str:
        return "text" if self._response_format() in TEXT_FORMATS else "json"

    def _decoder(self) -> Callable[[Any], Any]:
        model = self._json_models.get(self._response_format() or "json")
        return self._decode if model is None else self._client._decode_model(model)


@attrs.frozen(kw_only=True)
class TranslationBuilderBase(TranscriptionBuilderBase):
    """Base of the ``POST /audio/translations`` builder (formats ``json``, ``text``, ``srt``,
    ``verbose_json``, ``vtt``), with the same result rules as transcriptions.

    Source: https://platform.openai.com/docs/api-reference/audio/createTranslation
    """
