"""Legacy text Completions.

Source: https://platform.openai.com/docs/api-reference/completions
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List, Mapping, Optional, Union

import attrs

from openai_core._builder import RequestBuilder
from openai_core._sse import Stream
from openai_core.resources._base import Resource
from openai_core.types.completions import Completion

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["CompletionCreate", "Completions"]


@attrs.frozen(kw_only=True)
class CompletionCreate(RequestBuilder[Completion]):
    """``POST /completions``.

    Source: https://platform.openai.com/docs/api-reference/completions/create
    """

    def model(self, value: str) -> Self:
        """Model ID."""
        return self._set("model", value)

    def prompt(self, value: Union[str, List[str], List[int], List[List[int]]]) -> Self:
        """The prompt: a string, strings, or token arrays."""
        return self._set("prompt", value)

    def suffix(self, value: Optional[str]) -> Self:
        """Text after the insertion point."""
        return self._set("suffix", value)

    def max_tokens(self, value: Optional[int]) -> Self:
        """Upper bound on generated tokens."""
        return self._set("max_tokens", value)

    def temperature(self, value: Optional[float]) -> Self:
        """Sampling temperature, 0–2."""
        return self._set("temperature", value)

    def top_p(self, value: Optional[float]) -> Self:
        """Nucleus sampling mass."""
        return self._set("top_p", value)

    def n(self, value: Optional[int]) -> Self:
        """Completions per prompt."""
        return self._set("n", value)

    def stop(self, value: Union[str, List[str], None]) -> Self:
        """Up to 4 stop sequences."""
        return self._set("stop", value)

    def seed(self, value: Optional[int]) -> Self:
        """Best-effort deterministic sampling seed."""
        return self._set("seed", value)

    def echo(self, value: Optional[bool]) -> Self:
        """Echo the prompt in the completion."""
        return self._set("echo", value)

    def best_of(self, value: Optional[int]) -> Self:
        """Server-side candidates to pick the best of."""
        return self._set("best_of", value)

    def logprobs(self, value: Optional[int]) -> Self:
        """Log probabilities of this many most likely tokens (0–5)."""
        return self._set("logprobs", value)

    def logit_bias(self, value: Optional[Mapping[str, int]]) -> Self:
        """Token ID → bias (-100–100)."""
        return self._set("logit_bias", dict(value) if value is not None else None)

    def presence_penalty(self, value: Optional[float]) -> Self:
        """-2.0–2.0."""
        return self._set("presence_penalty", value)

    def frequency_penalty(self, value: Optional[float]) -> Self:
        """-2.0–2.0."""
        return self._set("frequency_penalty", value)

    def stream_options(self, value: Optional[Mapping[str, Any]]) -> Self:
        """Streaming options, for example ``{"include_usage": True}``."""
        return self._set("stream_options", dict(value) if value is not None else None)

    def user(self, value: Optional[str]) -> Self:
        """End-user identifier."""
        return self._set("user", value)

    def stream(self) -> Stream[Completion]:
        """Send with ``"stream": true``; each event is a ``Completion`` carrying a text fragment."""
        source, first = self._client._open_stream(self._compile(stream=True))
        return Stream(source, first, self._client._decode_model(Completion))


class Completions(Resource):
    """``client.completions()``."""

    __slots__ = ()

    def create(self) -> CompletionCreate:
        """``POST /completions``; finish with ``send()`` or ``stream()``."""
        return self._builder(
            CompletionCreate, "POST", "completions", self._client._decode_model(Completion)
        )
