"""Provider profiles: one client setting that adapts the SDK to an OpenAI-compatible provider.

``Client.for_provider("groq")`` (or ``Client.builder().provider("groq").build()``) takes the
provider's default base URL and the key from its environment variable (``GROQ_API_KEY``), and
sets ``config.provider_profile``. The profile then, on every request, in one place
(``ProviderProfile.prepare``, called when the client compiles a request):

- refuses what the provider cannot serve before sending it (C40: Responses calls on a provider
  without ``/responses`` raise :class:`UnsupportedCapabilityError`);
- renames and drops Chat Completions parameters the provider rejects (C34), per model too;
- sends ``stream_options`` only where it is accepted, and asks for stream usage there (C14);
- strips reasoning fields from assistant messages sent back where they are rejected (C35);
- chooses the structured-output mode of ``parse()`` calls that do not choose one (C36).

``docs/provider-capability-matrix.md`` is generated from :data:`PROVIDERS` by
``python -m tools.provider_matrix``.

Examples:
    >>> from openai_core import Client
    >>> client = Client.for_provider("ollama")          # http://localhost:11434/v1, no key
    >>> client.config.provider_profile.name
    'ollama'
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Type, Union

from openai_core._config import ApiKey, ClientConfig
from openai_core._errors import OpenAIError
from openai_core.lib._provider_profile import (
    AuthStyle,
    ModelQuirk,
    ProviderProfile,
    UnsupportedCapabilityError,
)
from openai_core.lib._provider_table import BUILTIN_PROFILES

if TYPE_CHECKING:
    from openai_core._client import Client

__all__ = [
    "PROVIDERS",
    "AuthStyle",
    "ModelQuirk",
    "ProviderProfile",
    "UnsupportedCapabilityError",
    "get_provider",
]

#: The built-in profiles by name, in the order of the capability matrix.
PROVIDERS: Mapping[str, ProviderProfile] = {p.name: p for p in BUILTIN_PROFILES}

_ALIASES = {
    "llama.cpp": "llamacpp",
    "llama-cpp": "llamacpp",
    "llama-server": "llamacpp",
    "llama_cpp_python": "llama-cpp-python",
    "llamacpppython": "llama-cpp-python",
    "lm-studio": "lmstudio",
    "azure-openai": "azure",
    "x-ai": "xai",
    "grok": "xai",
    "google": "gemini",
    "zhipuai": "zhipu",
    "bigmodel": "zhipu",
}

# Settings a provider client must not inherit from the OpenAI environment variables: an OpenAI
# key or base URL is never sent to another provider.
_OPENAI_ENV = ("OPENAI_API_KEY", "OPENAI_ADMIN_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID",
               "OPENAI_PROJECT_ID")  # fmt: skip


def get_provider(name: str) -> ProviderProfile:
    """The built-in profile called ``name`` (case-insensitive; ``llama-server`` and a few other
    aliases are accepted).

    Raises:
        ValueError: an unknown name (the message lists the known ones).
    """
    if not isinstance(name, str):
        raise TypeError(f"a provider name is a string, got {type(name).__name__}")
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    profile = PROVIDERS.get(key) or PROVIDERS.get(key.replace("_", "-"))
    if profile is None:
        raise ValueError(
            f"unknown provider {name!r}; known providers: {', '.join(PROVIDERS)} "
            "(or pass a ProviderProfile)"
        )
    return profile


def provider_client(
    cls: Type[Client],
    provider: Union[str, ProviderProfile],
    api_key: Optional[ApiKey],
    options: Dict[str, Any],
    environ: Optional[Mapping[str, str]] = None,
) -> Client:
    """``Client.for_provider``'s implementation (see there)."""
    profile = provider if isinstance(provider, ProviderProfile) else get_provider(provider)
    if profile.auth == "api-key":
        azure = getattr(cls, "azure", None)
        if azure is None:
            raise OpenAIError(f"Create {profile.label} clients with Client.azure(...)")
        if "azure_api_key" in options:  # from the builder's azure_api_key()
            options.setdefault("api_key", options.pop("azure_api_key"))
        if api_key is not None:
            options["api_key"] = api_key
        client: Client = azure(**options)
        return client.with_options(provider_profile=profile)
    env = os.environ if environ is None else environ
    if api_key is None and profile.api_key_env:
        api_key = env.get(profile.api_key_env) or None
    base_url = options.pop("base_url", None)
    if base_url is not None:
        base_url = profile.normalize_base_url(base_url)
    elif profile.name == "custom":
        base_url = env.get("OPENAI_BASE_URL") or None
    else:
        base_url = profile.base_url
    if base_url is None:
        raise ValueError(
            f"The {profile.name!r} provider profile has no default base URL: pass base_url=..."
        )
    if api_key is None and profile.key_required:
        where = f" or set {profile.api_key_env}" if profile.api_key_env else ""
        raise OpenAIError(f"No API key for {profile.label}: pass api_key=...{where}")
    keep_openai_env = profile.api_key_env == "OPENAI_API_KEY"
    filtered = {k: v for k, v in env.items() if keep_openai_env or k not in _OPENAI_ENV}
    session = options.pop("session", None)
    config = ClientConfig.from_env(
        filtered, api_key=api_key, base_url=base_url, provider_profile=profile, **options
    )
    from openai_core._logging import setup_logging
    from openai_core._transport import Transport

    setup_logging()
    return cls._from_parts(config, Transport(pool_maxsize=config.pool_maxsize, session=session))
