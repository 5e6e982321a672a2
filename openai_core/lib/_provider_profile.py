"""``ProviderProfile``: what one provider supports, and the one request transform it applies.

The client calls :meth:`ProviderProfile.prepare` from ``Client._compile`` when its config
carries a profile (never otherwise, so the default client pays nothing): capability checks first
(C40: no Responses API → :class:`UnsupportedCapabilityError` before anything is sent), then the
body quirks of Chat Completions (C34 renames and drops, per model too; C14 ``stream_options``;
C35 reasoning fields on assistant messages sent back).
"""

from __future__ import annotations

from typing import Any, Dict, Literal, Optional, Tuple

import attrs

from openai_core._errors import OpenAIError
from openai_core._logging import logger
from openai_core.lib._structured import check_mode

__all__ = ["AuthStyle", "ModelQuirk", "ProviderProfile", "UnsupportedCapabilityError"]

AuthStyle = Literal["bearer", "api-key", "none"]
"""``"bearer"`` (``Authorization: Bearer <key>``), ``"api-key"`` (Azure's ``api-key`` header)
or ``"none"`` (no key expected; one given anyway is sent as a bearer token)."""

#: Fields a provider may put on an assistant message (C19), stripped on the way back (C35).
REASONING_FIELDS = ("reasoning_content", "reasoning", "reasoning_details")

_CAPABILITY_NAMES = {
    "responses_api": "the Responses API (/responses)",
    "tools": "tools",
}
_CHAT_PATHS = ("chat/completions", "completions")


class UnsupportedCapabilityError(OpenAIError, ValueError):
    """A request the client's provider profile says the provider cannot serve; raised before
    anything is sent.

    Attributes:
        provider: The profile's name (``"groq"``).
        capability: The capability flag (``"responses_api"``).

    Examples:
        >>> try:
        ...     Client.for_provider("mistral", api_key="k").responses().create().build()
        ... except UnsupportedCapabilityError as exc:
        ...     exc.provider, exc.capability
        ('mistral', 'responses_api')
    """

    def __init__(self, message: str, *, provider: str, capability: str) -> None:
        super().__init__(message)
        self.provider = provider
        self.capability = capability


@attrs.frozen(kw_only=True)
class ModelQuirk:
    """Parameters a provider rejects for some of its models (compat C34).

    A model matches when its name starts with one of ``prefixes`` and contains none of
    ``exclude``.
    """

    prefixes: Tuple[str, ...]
    exclude: Tuple[str, ...] = ()
    drop_params: Tuple[str, ...] = ()

    def matches(self, model: Any) -> bool:
        """Whether this quirk applies to ``model`` (a model name; anything else never matches)."""
        return (
            isinstance(model, str)
            and model.startswith(self.prefixes)
            and not any(part in model for part in self.exclude)
        )


def _mode(instance: Any, attribute: Any, value: str) -> None:
    check_mode(value)


@attrs.frozen(kw_only=True)
class ProviderProfile:
    """What one OpenAI-compatible provider supports and how requests are adapted to it.

    Capabilities are ``True`` (supported), ``False`` (not supported: refused client-side or
    dropped from the body) or ``None`` (unverified: what the caller sets is sent unchanged).
    Change one with :meth:`evolve` and pass the result to ``Client.for_provider``.

    Attributes:
        name: Lookup name (``"groq"``).
        label: Human name (``"Groq"``).
        base_url: Default API root (``None``: none; Azure and custom need one).
        api_key_env: Environment variable holding the key (``None``: no key expected).
        auth: :data:`AuthStyle`.
        key_required: ``Client.for_provider`` fails without a key.
        responses_api: ``/responses`` exists; ``False`` refuses Responses calls (C40).
        json_schema: ``response_format: json_schema`` is honoured (C36).
        stream_usage: ``stream_options`` is accepted (C14): ``True`` adds
            ``{"include_usage": true}`` to chat streams that do not set it; ``False`` drops it.
        tools: Function tools work; ``False`` refuses requests with ``tools``.
        parallel_tool_calls: The ``parallel_tool_calls`` parameter is accepted.
        reasoning_field: Where reasoning comes back on chat messages (C19), for reference.
        reasoning_send_back: ``False`` strips reasoning fields from assistant messages sent
            back (C35); ``True`` or ``None`` sends them unchanged.
        structured_output_mode: The mode ``parse()`` uses unless the call chooses one (C36).
        drop_params: Chat body fields removed (C34).
        rename_params: Chat body fields renamed ``(old, new)``; kept as set when ``new`` is
            already there (C34).
        model_quirks: Per-model drops (:class:`ModelQuirk`).
        notes: One line for the capability matrix.

    Examples:
        >>> from openai_core import get_provider
        >>> local = get_provider("ollama").evolve(responses_api=True)
        >>> client = Client.for_provider(local, base_url="http://gpu-box:11434")
    """

    name: str
    label: str
    base_url: Optional[str] = None
    api_key_env: Optional[str] = None
    auth: AuthStyle = "bearer"
    key_required: bool = False
    responses_api: Optional[bool] = None
    json_schema: Optional[bool] = None
    stream_usage: Optional[bool] = None
    tools: Optional[bool] = None
    parallel_tool_calls: Optional[bool] = None
    reasoning_field: Optional[str] = None
    reasoning_send_back: Optional[bool] = None
    structured_output_mode: str = attrs.field(default="json_schema", validator=_mode)
    drop_params: Tuple[str, ...] = ()
    rename_params: Tuple[Tuple[str, str], ...] = ()
    model_quirks: Tuple[ModelQuirk, ...] = ()
    notes: str = ""

    def evolve(self, **changes: Any) -> ProviderProfile:
        """A copy with some fields changed (``profile.evolve(responses_api=True)``)."""
        return attrs.evolve(self, **changes)

    def normalize_base_url(self, url: str) -> str:
        """Add this provider's API path to a bare origin (C39): ``http://gpu:11434`` becomes
        ``http://gpu:11434/v1`` for Ollama; a URL that has a path is kept as given."""
        scheme, sep, rest = url.partition("://")
        host, _, path = rest.partition("/")
        if not sep or path.strip("/") or self.base_url is None:
            return url
        default_path = self.base_url.partition("://")[2].partition("/")[2]
        return f"{scheme}://{host}/{default_path}" if default_path else url

    def _refuse(self, capability: str) -> UnsupportedCapabilityError:
        what = _CAPABILITY_NAMES.get(capability, capability)
        hint = "; use client.chat().completions() instead" if capability == "responses_api" else ""
        return UnsupportedCapabilityError(
            f"{self.label} ({self.name!r} provider profile) does not support {what} "
            f"(capability {capability!r}){hint}. If your server does, use "
            f"get_provider({self.name!r}).evolve({capability}=True).",
            provider=self.name,
            capability=capability,
        )

    def prepare(self, method: str, path: str, body: Any, *, stream: bool) -> Any:
        """The body to send for this call, adapted to the provider (the one request transform).

        Raises:
            UnsupportedCapabilityError: the call needs a capability the provider lacks.
        """
        path = path.lstrip("/")
        if self.responses_api is False and (path == "responses" or path.startswith("responses/")):
            raise self._refuse("responses_api")
        if method != "POST" or path not in _CHAT_PATHS or not isinstance(body, dict):
            return body
        if self.tools is False and body.get("tools"):
            raise self._refuse("tools")
        out: Dict[str, Any] = dict(body)
        for old, new in self.rename_params:
            if old in out:
                value = out.pop(old)
                out.setdefault(new, value)
        dropped = [key for key in self.drop_params if key in out]
        model = out.get("model")
        for quirk in self.model_quirks:
            if quirk.matches(model):
                dropped.extend(key for key in quirk.drop_params if key in out)
        if self.stream_usage is False and "stream_options" in out:
            dropped.append("stream_options")
        for key in dropped:
            out.pop(key, None)
        if dropped and logger.isEnabledFor(10):
            logger.debug("%s profile: dropped %s", self.name, ", ".join(sorted(set(dropped))))
        if (
            self.stream_usage
            and (stream or out.get("stream") is True)
            and path == "chat/completions"
            and "stream_options" not in out
        ):
            out["stream_options"] = {"include_usage": True}
        if self.reasoning_send_back is False and out.get("messages"):
            out["messages"] = [_strip_reasoning(m) for m in out["messages"]]
        return out


def _strip_reasoning(message: Any) -> Any:
    if not isinstance(message, dict) or message.get("role") != "assistant":
        return message
    if not any(field in message for field in REASONING_FIELDS):
        return message
    return {k: v for k, v in message.items() if k not in REASONING_FIELDS}
