"""Legacy Completions facade: the typed stream on top of the generated builder.

Source: https://platform.openai.com/docs/api-reference/completions
"""

from __future__ import annotations

from openai_core._generated.resources.completions import CompletionsCreateBuilder
from openai_core._sse import Stream
from openai_core.types.completions import Completion

__all__ = ["CompletionCreate"]


class CompletionCreate(CompletionsCreateBuilder):
    """``POST /completions``.

    Source: https://platform.openai.com/docs/api-reference/completions/create
    """

    __slots__ = ()

    def stream(self) -> Stream[Completion]:
        """Send with ``"stream": true``; each event is a ``Completion`` carrying a text fragment."""
        source, first = self._open_event_source(named_events=False, envelope=False)
        return Stream(source, first, self._client._decode_model(Completion))
