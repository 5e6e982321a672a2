"""Azure OpenAI: configuration from arguments and the environment, URL routing, realtime URL.

A client is in Azure mode when its config has an ``azure_endpoint`` (``Client.azure(...)`` or
``Client.builder().azure_endpoint(...)``). Then, in the client's request compilation
(:func:`route_url`, the only place Azure changes where a request goes):

- the API root is ``{endpoint}/openai``, or ``{endpoint}/openai/deployments/{deployment}`` for the
  model-scoped operations when a deployment is fixed (``azure_deployment``);
- without a fixed deployment, the model-scoped operations (:data:`DEPLOYMENT_PATHS`) go to
  ``{endpoint}/openai/deployments/{model}{path}``, the model taken from the JSON body or the
  multipart ``model`` field; every other operation (``/files``, ``/batches``, ``/responses`` …)
  goes to ``{endpoint}/openai{path}``;
- every request carries the query parameter ``api-version``;
- the credential is one of ``api-key: <key>`` (``api_key``) or ``Authorization: Bearer <token>``
  (``azure_ad_token``: a token string, or a provider callable called before every attempt).

Source: https://learn.microsoft.com/azure/ai-services/openai/reference
"""

from __future__ import annotations

import os
from typing import Any, Callable, Mapping, Optional, Tuple
from urllib.parse import quote, urlencode, urlsplit

from openai_core._config import ApiKey, ClientConfig
from openai_core._errors import OpenAIError
from openai_core._request import FormField

__all__ = [
    "DEPLOYMENT_PATHS",
    "AzureConfigError",
    "azure_auth_headers",
    "azure_base_url",
    "azure_config",
    "check_azure_config",
    "realtime_url",
    "route_url",
]

#: Operations whose URL names the deployment (``/deployments/{model}{path}``).
DEPLOYMENT_PATHS = frozenset(
    {
        "/completions",
        "/chat/completions",
        "/embeddings",
        "/audio/transcriptions",
        "/audio/translations",
        "/audio/speech",
        "/images/generations",
        "/images/edits",
    }
)


class AzureConfigError(OpenAIError, ValueError):
    """An Azure OpenAI client cannot be configured as given (the message says what to change)."""


def azure_config(
    *,
    azure_endpoint: Optional[str] = None,
    azure_deployment: Optional[str] = None,
    api_version: Optional[str] = None,
    api_key: Optional[ApiKey] = None,
    azure_ad_token: Optional[str] = None,
    azure_ad_token_provider: Optional[Callable[[], str]] = None,
    environ: Optional[Mapping[str, str]] = None,
    **options: Any,
) -> ClientConfig:
    """The :class:`~openai_core.ClientConfig` of an Azure OpenAI client.

    Unset arguments come from ``AZURE_OPENAI_ENDPOINT``, ``OPENAI_API_VERSION``,
    ``AZURE_OPENAI_API_KEY`` and ``AZURE_OPENAI_AD_TOKEN``; the credential variables are read only
    when no credential is passed. ``OPENAI_API_KEY`` and ``OPENAI_BASE_URL`` are ignored.
    ``options`` are the other :class:`~openai_core.Client` settings (``timeout``, ``max_retries``,
    ``default_headers`` …).

    Raises:
        AzureConfigError: no endpoint, no ``api_version``, no credential, or more than one.
    """
    env = os.environ if environ is None else environ
    if azure_ad_token is not None and azure_ad_token_provider is not None:
        raise AzureConfigError(
            "Pass either azure_ad_token or azure_ad_token_provider, not both: an Azure OpenAI "
            "client takes exactly one credential"
        )
    token: Optional[ApiKey] = azure_ad_token
    if token is None:
        token = azure_ad_token_provider
    if api_key is None and token is None:
        api_key = env.get("AZURE_OPENAI_API_KEY") or None
        token = env.get("AZURE_OPENAI_AD_TOKEN") or None
        if api_key is not None and token is not None:
            raise AzureConfigError(
                "Both AZURE_OPENAI_API_KEY and AZURE_OPENAI_AD_TOKEN are set: an Azure OpenAI "
                "client takes exactly one credential; unset one, or pass api_key=... or "
                "azure_ad_token=..."
            )
    endpoint = azure_endpoint or env.get("AZURE_OPENAI_ENDPOINT") or None
    if endpoint is None:
        raise AzureConfigError(
            "Azure OpenAI needs an endpoint: pass azure_endpoint='https://<resource>"
            ".openai.azure.com' or set AZURE_OPENAI_ENDPOINT"
        )
    endpoint = endpoint.rstrip("/")
    version = api_version or env.get("OPENAI_API_VERSION") or None
    base_url = azure_base_url(endpoint, azure_deployment)
    filtered = {k: v for k, v in env.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    config = ClientConfig.from_env(
        filtered,
        api_key=api_key,
        azure_ad_token=token,
        azure_endpoint=endpoint,
        azure_deployment=azure_deployment,
        api_version=version,
        base_url=base_url,
        **options,
    )
    check_azure_config(config)
    return config


def azure_base_url(endpoint: str, deployment: Optional[str]) -> str:
    """``{endpoint}/openai``, or ``{endpoint}/openai/deployments/{deployment}`` (the
    ``base_url`` an Azure client reports, as openai-python's does)."""
    base_url = f"{endpoint.rstrip('/')}/openai"
    if deployment:
        base_url += f"/deployments/{quote(deployment, safe='')}"
    return base_url


def check_azure_config(config: ClientConfig) -> None:
    """Check an Azure config: an ``api_version`` and exactly one credential.

    Raises:
        AzureConfigError: saying what is missing or doubled.
    """
    if not config.api_version:
        raise AzureConfigError(
            "Azure OpenAI needs an API version (the required api-version query parameter): "
            "pass api_version='2024-10-21' (or another) or set OPENAI_API_VERSION"
        )
    if config.api_key is None and config.azure_ad_token is None:
        raise AzureConfigError(
            "Azure OpenAI needs a credential: pass api_key=... (sent as the api-key header), "
            "azure_ad_token=... or azure_ad_token_provider=... (sent as Authorization: Bearer), "
            "or set AZURE_OPENAI_API_KEY or AZURE_OPENAI_AD_TOKEN"
        )
    if config.api_key is not None and config.azure_ad_token is not None:
        raise AzureConfigError(
            "Azure OpenAI takes exactly one credential, got both an API key and an Azure AD "
            "token: pass only api_key=... or only azure_ad_token=.../azure_ad_token_provider=..."
        )


def _model_of(body: Any, form: Tuple[FormField, ...]) -> Optional[str]:
    if isinstance(body, Mapping):
        model = body.get("model")
        return model if isinstance(model, str) and model else None
    for part in form:
        if part.name == "model" and part.filename is None and part.value:
            return part.value
    return None


def route_url(config: ClientConfig, path: str, body: Any, form: Tuple[FormField, ...]) -> str:
    """The URL (without query) of an operation on Azure OpenAI.

    Args:
        config: An Azure config (``azure_endpoint`` set).
        path: The operation path, such as ``chat/completions`` or ``/files/file-1``.
        body: The JSON body (a mapping), or ``None``.
        form: The multipart parts, for multipart operations.
    """
    if path.startswith(("http://", "https://")):
        return path
    path = "/" + path.lstrip("/")
    root = f"{str(config.azure_endpoint).rstrip('/')}/openai"
    if path in DEPLOYMENT_PATHS:
        deployment = config.azure_deployment or _model_of(body, form)
        if deployment:
            return f"{root}/deployments/{quote(deployment, safe='')}{path}"
    return root + path


def azure_auth_headers(config: ClientConfig) -> dict[str, str]:
    """The credential header of one attempt: ``api-key`` or ``Authorization: Bearer`` (a token
    provider is called now).

    Raises:
        OpenAIError: the key or token provider returned something other than a non-empty string.
    """
    if config.azure_ad_token is not None:
        token = config.azure_ad_token
        value = token() if callable(token) else token
        if not isinstance(value, str) or not value:
            raise OpenAIError("The azure_ad_token_provider must return a non-empty string")
        return {"Authorization": f"Bearer {value}"}
    key = config.api_key
    if key is None:
        return {}
    value = key() if callable(key) else key
    if not isinstance(value, str) or not value:
        raise OpenAIError("The api_key callable must return a non-empty string")
    return {"api-key": value}


def realtime_url(config: ClientConfig, model: Optional[str] = None) -> str:
    """The WebSocket URL of a realtime session on Azure OpenAI.

    ``wss://{host}/openai/realtime?api-version=…&deployment=…`` (``ws://`` for an ``http://``
    endpoint); the deployment is the client's fixed ``azure_deployment``, else ``model``.
    Authenticate with the same headers as HTTP requests (``api-key`` or ``Authorization``).

    Raises:
        AzureConfigError: the config is not an Azure one, or names no deployment.

    Examples:
        >>> realtime_url(client.config, "gpt-realtime")
        'wss://res.openai.azure.com/openai/realtime?api-version=2025-04-01-preview&deployment=gpt-realtime'
    """
    if not config.azure_endpoint:
        raise AzureConfigError("realtime_url() needs an Azure config (azure_endpoint is not set)")
    deployment = config.azure_deployment or model
    if not deployment:
        raise AzureConfigError(
            "An Azure realtime session needs a deployment: pass the model (deployment name) or "
            "set azure_deployment"
        )
    parts = urlsplit(config.azure_endpoint)
    scheme = "ws" if parts.scheme == "http" else "wss"
    prefix = parts.path.rstrip("/")
    query = urlencode({"api-version": config.api_version or "", "deployment": deployment})
    return f"{scheme}://{parts.netloc}{prefix}/openai/realtime?{query}"
