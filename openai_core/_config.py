"""Client configuration: a frozen value, read from the environment by ``ClientConfig.from_env``."""

from __future__ import annotations

import math
import os
import re
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional, Tuple, Union

import attrs

if TYPE_CHECKING:
    from openai_core.lib.providers import ProviderProfile

__all__ = ["DEFAULT_BASE_URL", "ApiKey", "ClientConfig", "Timeout"]

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 600.0
DEFAULT_MAX_RETRIES = 2
DEFAULT_POOL_MAXSIZE = 10

#: An API key: a string, or a callable returning one, called again before every attempt.
ApiKey = Union[str, Callable[[], str]]


def _check_seconds(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, got {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive, finite number of seconds, got {value!r}")
    return float(value)


def _check_optional_seconds(name: str, value: Optional[float]) -> Optional[float]:
    return None if value is None else _check_seconds(name, value)


@attrs.frozen(kw_only=True)
class Timeout:
    """Connect and read timeouts, and the deadlines of a stream, in seconds.

    ``read`` bounds each wait for bytes from the server (the whole response for a non-streamed
    call is usually one wait). A stream is bounded by the three ``stream_*`` deadlines as well,
    each raising :class:`~openai_core.StreamTimeoutError` with what arrived so far; they count
    events, not bytes, so keepalive comments (``: ping``, ``data: : keepalive``) never reset them.

    Attributes:
        connect: Seconds to establish the connection (default 5).
        read: Seconds of silence allowed on the socket (default 600).
        stream_first_byte: Seconds from sending a stream request to its first event; ``None``
            (the default) means ``read``.
        stream_idle: Seconds allowed between two events of a stream; ``None`` (the default)
            means ``read``, so a stream of keepalives alone is cut when a silent socket would be.
        stream_total: Seconds from sending to the end of a stream; ``None`` (the default) sets
            no limit on a stream whose events keep arriving.

    Examples:
        >>> t = Timeout(connect=2.0, read=30.0, stream_idle=60.0, stream_total=600.0)
        >>> t.stream_first_byte is None  # the first event may take up to ``read`` (30 s)
        True
    """

    connect: float = DEFAULT_CONNECT_TIMEOUT
    read: float = DEFAULT_READ_TIMEOUT
    stream_first_byte: Optional[float] = None
    stream_idle: Optional[float] = None
    stream_total: Optional[float] = None

    def __attrs_post_init__(self) -> None:
        _check_seconds("Timeout.connect", self.connect)
        _check_seconds("Timeout.read", self.read)
        _check_optional_seconds("Timeout.stream_first_byte", self.stream_first_byte)
        _check_optional_seconds("Timeout.stream_idle", self.stream_idle)
        _check_optional_seconds("Timeout.stream_total", self.stream_total)

    @classmethod
    def coerce(cls, value: Union[Timeout, float, Tuple[float, float]]) -> Timeout:
        """Accept a ``Timeout``, a number or a ``(connect, read)`` pair.

        A single number ``n`` means ``read=n`` and ``connect=min(5.0, n)``; the stream
        deadlines keep their defaults (first byte and idle follow ``read``).

        Raises:
            TypeError, ValueError: for anything that is not a positive, finite duration.
        """
        if isinstance(value, Timeout):
            return value
        if isinstance(value, tuple):
            if len(value) != 2:
                raise ValueError("a timeout tuple must be (connect_seconds, read_seconds)")
            return cls(connect=value[0], read=value[1])
        seconds = _check_seconds("timeout", value)
        return cls(connect=min(DEFAULT_CONNECT_TIMEOUT, seconds), read=seconds)

    def as_tuple(self) -> Tuple[float, float]:
        """The ``(connect, read)`` pair ``requests`` expects."""
        return (self.connect, self.read)


def _redact_key(value: Optional[ApiKey]) -> str:
    if value is None:
        return "None"
    if callable(value):
        return "<callable>"
    return "'<redacted>'"


def _secrets(value: Any) -> Union[str, Tuple[str, ...], None]:
    """A webhook secret as given, or several (any iterable but a string) as a tuple."""
    if value is None or isinstance(value, str):
        return value
    return tuple(value)


def _proxies(value: Any) -> Tuple[Tuple[str, str], ...]:
    """Proxy URLs by scheme (``{"https": "http://proxy:3128"}``) as sorted pairs."""
    return tuple(sorted(dict(value or {}).items()))


def _redact_proxies(value: Tuple[Tuple[str, str], ...]) -> str:
    """Proxy URLs with any ``user:password@`` replaced, for ``repr``."""
    return repr({k: re.sub(r"//[^/@]*@", "//<redacted>@", str(v)) for k, v in value})


def _check_verify(_: Any, __: Any, value: Union[bool, str, None]) -> None:
    if value is not None and not isinstance(value, (bool, str)):
        raise TypeError("verify must be True, False or the path of a CA bundle")


def _check_cert(_: Any, __: Any, value: Union[str, Tuple[str, str], None]) -> None:
    pair = isinstance(value, tuple) and len(value) == 2
    if value is not None and not isinstance(value, str) and not pair:
        raise TypeError("cert must be a certificate path or a (cert_path, key_path) pair")


def _path(value: Any) -> Any:
    """``os.PathLike`` paths as strings (pairs too); anything else as given."""
    if isinstance(value, (list, tuple)):
        return tuple(os.fspath(v) for v in value)
    return os.fspath(value) if isinstance(value, os.PathLike) else value


def _profile_name(profile: Optional[ProviderProfile]) -> str:
    return "None" if profile is None else repr(profile.name)


def _parse_custom_headers(text: str) -> Tuple[Tuple[str, str], ...]:
    headers = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if not sep or not name.strip():
            raise ValueError(
                f"OPENAI_CUSTOM_HEADERS: line {line!r} is not 'Name: value'; "
                "write one header per line"
            )
        headers.append((name.strip(), value.strip()))
    return tuple(headers)


@attrs.frozen(kw_only=True)
class ClientConfig:
    """Everything a client needs to send requests; immutable.

    Attributes:
        api_key: A key string, a callable returning one (called before every attempt), or
            ``None`` for a keyless local server (no ``Authorization`` header is sent).
        admin_api_key: The admin key used by ``client.admin()`` (``OPENAI_ADMIN_KEY``).
        base_url: API root, default ``https://api.openai.com/v1``; joined without ``//``.
        organization: Sent as ``OpenAI-Organization`` when set.
        project: Sent as ``OpenAI-Project`` when set.
        default_headers: Headers on every request; explicit ones win over
            ``OPENAI_CUSTOM_HEADERS``.
        default_query: Query parameters on every request.
        timeout: Default :class:`Timeout` (5 s connect, 600 s read).
        max_retries: Retries after the first attempt (default 2).
        pool_maxsize: Connections kept per host (default 10); size it to your thread count.
        idempotency_keys: Send one ``Idempotency-Key`` per logical POST call (default True).
        strict: Decode responses strictly (missing required fields, unknown fields and wrong
            types raise ``APIResponseValidationError``); meant for tests. Default False.
        provider_profile: The :class:`~openai_core.ProviderProfile` requests are adapted to
            (set by ``Client.for_provider``); ``None`` sends requests as built.
        webhook_secret: The secret (``whsec_…``) that ``client.webhooks()`` verifies signatures
            with, or several (a tuple) while rotating (``OPENAI_WEBHOOK_SECRET``).
        azure_endpoint: Azure OpenAI mode when set (``https://<resource>.openai.azure.com``):
            ``api_key`` is sent as ``api-key``, URLs are routed as ``openai_core.lib.azure``
            describes. Set by ``Client.azure(...)``.
        azure_deployment: The fixed Azure deployment of model-scoped operations, if any.
        api_version: Azure's required ``api-version`` query parameter.
        azure_ad_token: An Azure AD (Entra ID) token, or a callable returning one (called before
            every attempt), sent as ``Authorization: Bearer``; instead of ``api_key``.
        verify: TLS verification: ``True``, ``False`` or the path of a CA bundle. ``None``
            (the default) verifies with ``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` if set, else
            certifi's bundle. Set it to override the environment.
        proxies: Proxy URLs by scheme (``{"https": "http://proxy:3128"}``); each entry wins over
            ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``ALL_PROXY`` for its scheme (``NO_PROXY`` still
            applies to the environment's). Credentials in proxy URLs are redacted in ``repr``.
        cert: A client certificate for mutual TLS: a path to a PEM file holding the certificate
            and key, or a ``(cert_path, key_path)`` pair.
    """

    api_key: Optional[ApiKey] = attrs.field(default=None, repr=_redact_key)
    admin_api_key: Optional[ApiKey] = attrs.field(default=None, repr=_redact_key)
    base_url: str = DEFAULT_BASE_URL
    organization: Optional[str] = None
    project: Optional[str] = None
    default_headers: Tuple[Tuple[str, str], ...] = attrs.field(default=(), repr=False)
    default_query: Tuple[Tuple[str, Any], ...] = ()
    timeout: Timeout = Timeout()
    max_retries: int = DEFAULT_MAX_RETRIES
    pool_maxsize: int = DEFAULT_POOL_MAXSIZE
    idempotency_keys: bool = True
    strict: bool = False
    provider_profile: Optional[ProviderProfile] = attrs.field(default=None, repr=_profile_name)
    webhook_secret: Union[str, Tuple[str, ...], None] = attrs.field(
        default=None, repr=_redact_key, converter=_secrets
    )
    azure_endpoint: Optional[str] = None
    azure_deployment: Optional[str] = None
    api_version: Optional[str] = None
    azure_ad_token: Optional[ApiKey] = attrs.field(default=None, repr=_redact_key)
    verify: Union[bool, str, None] = attrs.field(
        default=None, converter=_path, validator=_check_verify
    )
    proxies: Tuple[Tuple[str, str], ...] = attrs.field(
        default=(), converter=_proxies, repr=_redact_proxies
    )
    cert: Union[str, Tuple[str, str], None] = attrs.field(
        default=None, converter=_path, validator=_check_cert
    )

    def __attrs_post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            raise TypeError("max_retries must be an int")
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {self.max_retries}")
        if not isinstance(self.pool_maxsize, int) or self.pool_maxsize < 1:
            raise ValueError(f"pool_maxsize must be an int >= 1, got {self.pool_maxsize!r}")
        if not isinstance(self.base_url, str) or "://" not in self.base_url:
            raise ValueError(
                f"base_url must be an absolute http(s) URL such as "
                f"'http://127.0.0.1:8080/v1', got {self.base_url!r}"
            )
        if self.api_key is not None and not (
            isinstance(self.api_key, str) or callable(self.api_key)
        ):
            raise TypeError("api_key must be a string, a callable returning one, or None")

    @classmethod
    def from_env(
        cls, environ: Optional[Mapping[str, str]] = None, **overrides: Any
    ) -> ClientConfig:
        """Read ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``, ``OPENAI_ORG_ID``, ``OPENAI_PROJECT_ID``,
        ``OPENAI_WEBHOOK_SECRET`` and ``OPENAI_CUSTOM_HEADERS``; keyword ``overrides`` that are
        not ``None`` win.

        Raises:
            ValueError: a malformed ``OPENAI_CUSTOM_HEADERS`` or an invalid setting.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        if env.get("OPENAI_API_KEY"):
            values["api_key"] = env["OPENAI_API_KEY"]
        if env.get("OPENAI_ADMIN_KEY"):
            values["admin_api_key"] = env["OPENAI_ADMIN_KEY"]
        if env.get("OPENAI_BASE_URL"):
            values["base_url"] = env["OPENAI_BASE_URL"]
        if env.get("OPENAI_ORG_ID"):
            values["organization"] = env["OPENAI_ORG_ID"]
        if env.get("OPENAI_PROJECT_ID"):
            values["project"] = env["OPENAI_PROJECT_ID"]
        if env.get("OPENAI_WEBHOOK_SECRET"):
            values["webhook_secret"] = env["OPENAI_WEBHOOK_SECRET"]
        env_headers = _parse_custom_headers(env.get("OPENAI_CUSTOM_HEADERS", ""))
        explicit_headers = overrides.pop("default_headers", None)
        merged: dict[str, Tuple[str, str]] = {}
        for name, value in (*env_headers, *_header_pairs(explicit_headers)):
            merged[name.lower()] = (name, value)
        if merged:
            values["default_headers"] = tuple(merged.values())
        if "default_query" in overrides and overrides["default_query"] is not None:
            overrides["default_query"] = tuple(dict(overrides["default_query"]).items())
        if "timeout" in overrides and overrides["timeout"] is not None:
            overrides["timeout"] = Timeout.coerce(overrides["timeout"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def evolve(self, **changes: Any) -> ClientConfig:
        """A copy with ``changes`` applied (``None`` values are ignored)."""
        changes = {k: v for k, v in changes.items() if v is not None}
        if "timeout" in changes:
            changes["timeout"] = Timeout.coerce(changes["timeout"])
        if "default_headers" in changes:
            merged = {n.lower(): (n, v) for n, v in self.default_headers}
            for name, value in _header_pairs(changes["default_headers"]):
                merged[name.lower()] = (name, value)
            changes["default_headers"] = tuple(merged.values())
        if "default_query" in changes:
            changes["default_query"] = tuple(
                {**dict(self.default_query), **dict(changes["default_query"])}.items()
            )
        if self.azure_endpoint is not None and {"azure_endpoint", "azure_deployment"} & {*changes}:
            from openai_core.lib.azure import azure_base_url

            changes.setdefault(
                "base_url",
                azure_base_url(
                    changes.get("azure_endpoint", self.azure_endpoint),
                    changes.get("azure_deployment", self.azure_deployment),
                ),
            )
        return attrs.evolve(self, **changes)

    def is_openai_host(self) -> bool:
        """True when ``base_url`` points at api.openai.com."""
        return "://api.openai.com" in self.base_url


def _header_pairs(headers: Any) -> Tuple[Tuple[str, str], ...]:
    if not headers:
        return ()
    items = headers.items() if isinstance(headers, Mapping) else headers
    pairs = []
    for name, value in items:
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(f"header {name!r}: names and values must be strings")
        pairs.append((name, value))
    return tuple(pairs)
