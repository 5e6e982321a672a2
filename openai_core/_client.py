"""``Client`` and ``ClientBuilder``: configuration, the retry loop and decoding."""

from __future__ import annotations

import json
import os
import time
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterable,
    Mapping,
    Optional,
    Tuple,
    TypeVar,
    Union,
)

from openai_core._builder import ApiResponse, RateLimitInfo, ResponseMeta
from openai_core._config import ApiKey, ClientConfig, Timeout
from openai_core._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    OpenAIError,
    error_from_payload,
    make_status_error,
)
from openai_core._generated.namespaces import Namespaces
from openai_core._logging import logger, redact_headers, setup_logging
from openai_core._request import FormField, Request, encode_json, encode_query, join_url
from openai_core._retry import call_with_retries
from openai_core._version import __version__

if TYPE_CHECKING:
    import requests

    from openai_core._sse import EventSource
    from openai_core._transport import Transport
    from openai_core.lib.providers import ProviderProfile
    from openai_core.lib.webhooks import Webhooks

# ``requests`` (and the transport built on it) load when the first client is created, so that
# ``import openai_core`` stays cheap for code that only builds requests or handles errors.

__all__ = ["Client", "ClientBuilder"]

T = TypeVar("T")
USER_AGENT = f"openai-core-python/{__version__}"


class Client(Namespaces):
    """A synchronous client for the OpenAI API or any OpenAI-compatible server.

    Every argument is optional; unset ones come from the environment (``OPENAI_API_KEY``,
    ``OPENAI_BASE_URL``, ``OPENAI_ORG_ID``, ``OPENAI_PROJECT_ID``, ``OPENAI_CUSTOM_HEADERS``,
    ``OPENAI_LOG``), then from the defaults.

    Args:
        api_key: Key string, or a callable returning one (called before every attempt). Without
            a key no ``Authorization`` header is sent (fine for local servers).
        admin_api_key: Admin key for ``client.admin()`` (``OPENAI_ADMIN_KEY``).
        base_url: API root; default ``https://api.openai.com/v1``.
        organization, project: Sent as ``OpenAI-Organization`` / ``OpenAI-Project``.
        timeout: Seconds, ``(connect, read)`` or a :class:`Timeout`; default 5 s / 600 s. A
            ``Timeout`` also sets the stream deadlines (first event, idle, total) of every call.
        max_retries: Retries after the first attempt; default 2.
        default_headers, default_query: Sent with every request.
        pool_maxsize: Connections kept alive per host; default 10.
        idempotency_keys: Send an ``Idempotency-Key`` on POSTs; default True.
        strict: Strict response decoding (for tests); default False.
        webhook_secret: Secret (or list of secrets, while rotating) for ``client.webhooks()``
            (``OPENAI_WEBHOOK_SECRET``).
        session: A ``requests.Session`` to send through (its mounted adapters are used).
        verify: TLS verification: ``True``, ``False`` or a CA bundle path. Default: on, with
            ``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` if set.
        proxies: Proxy URLs by scheme (``{"https": "http://proxy:3128"}``); default: from
            ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``ALL_PROXY``, honouring ``NO_PROXY``.
        cert: Client certificate for mutual TLS: a PEM path, or ``(cert_path, key_path)``.
            Explicit ``verify``, ``proxies`` and ``cert`` override the environment.

    For Azure OpenAI use :meth:`Client.azure` (or the builder's ``azure_*`` setters).

    A client is thread-safe (share one across threads) and fork-safe (a child process gets
    fresh connections). Close it, or use it as a context manager, to release its connections.
    Pickling keeps its settings only: the unpickled client opens its own connections (a client
    with a ``session`` or an unpicklable key callable raises ``TypeError``).

    Raises:
        OpenAIError: no key for api.openai.com.
        ValueError, TypeError: an invalid setting, with what to change.

    Examples:
        >>> client = Client(base_url="http://127.0.0.1:8080/v1", timeout=20, max_retries=0)
        >>> client.models().list().send().data[0].id
    """

    def __init__(
        self,
        *,
        api_key: Optional[ApiKey] = None,
        admin_api_key: Optional[ApiKey] = None,
        base_url: Optional[str] = None,
        organization: Optional[str] = None,
        project: Optional[str] = None,
        timeout: Union[Timeout, float, Tuple[float, float], None] = None,
        max_retries: Optional[int] = None,
        default_headers: Optional[Mapping[str, str]] = None,
        default_query: Optional[Mapping[str, Any]] = None,
        pool_maxsize: Optional[int] = None,
        idempotency_keys: Optional[bool] = None,
        strict: Optional[bool] = None,
        webhook_secret: Union[str, Iterable[str], None] = None,
        session: Optional[requests.Session] = None,
        verify: Union[bool, str, None] = None,
        proxies: Optional[Mapping[str, str]] = None,
        cert: Union[str, Tuple[str, str], None] = None,
    ) -> None:
        setup_logging()
        config = ClientConfig.from_env(
            api_key=api_key,
            admin_api_key=admin_api_key,
            base_url=base_url,
            organization=organization,
            project=project,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            pool_maxsize=pool_maxsize,
            idempotency_keys=idempotency_keys,
            strict=strict,
            webhook_secret=webhook_secret,
            verify=verify,
            proxies=proxies,
            cert=cert,
        )
        self._setup(config, _new_transport(config, session))

    def _setup(self, config: ClientConfig, transport: Transport) -> None:
        if config.api_key is None and config.admin_api_key is None and config.is_openai_host():
            raise OpenAIError(
                "No API key: pass api_key=... or set OPENAI_API_KEY. (A key is only optional "
                "for other servers, such as a local one set with base_url=...)"
            )
        if config.azure_endpoint is not None:
            from openai_core.lib.azure import check_azure_config

            check_azure_config(config)
        self._config = config
        self._transport = transport
        self._sleep: Callable[[float], None] = time.sleep
        headers: Dict[str, str] = {
            "Accept": "application/json",
            "Accept-Encoding": _accept_encoding(),
            "User-Agent": USER_AGENT,
        }
        if config.organization:
            headers["OpenAI-Organization"] = config.organization
        if config.project:
            headers["OpenAI-Project"] = config.project
        headers.update(config.default_headers)
        self._base_headers = headers
        key = config.api_key
        self._static_auth: Optional[Dict[str, str]] = (
            {"Authorization": f"Bearer {key}"} if isinstance(key, str) else None
        )
        if config.azure_endpoint is not None:
            token = config.azure_ad_token
            self._static_auth = (
                None
                if callable(token) or callable(key)
                else {"Authorization": f"Bearer {token}"}
                if token is not None
                else {"api-key": str(key)}
            )

    @classmethod
    def _from_parts(cls, config: ClientConfig, transport: Transport) -> Client:
        client = cls.__new__(cls)
        client._setup(config, transport)
        return client

    @classmethod
    def azure(
        cls,
        *,
        azure_endpoint: Optional[str] = None,
        azure_deployment: Optional[str] = None,
        api_version: Optional[str] = None,
        api_key: Optional[ApiKey] = None,
        azure_ad_token: Optional[str] = None,
        azure_ad_token_provider: Optional[Callable[[], str]] = None,
        session: Optional[requests.Session] = None,
        **options: Any,
    ) -> Client:
        """A client for Azure OpenAI (the keyword names of openai-python's ``AzureOpenAI``).

        Args:
            azure_endpoint: ``https://<resource>.openai.azure.com`` (``AZURE_OPENAI_ENDPOINT``).
            azure_deployment: A fixed deployment for the model-scoped operations; without one,
                their ``model`` names the deployment.
            api_version: The ``api-version`` query parameter (``OPENAI_API_VERSION``); required.
            api_key: Sent as the ``api-key`` header (``AZURE_OPENAI_API_KEY``).
            azure_ad_token: An Entra ID token, sent as ``Authorization: Bearer``
                (``AZURE_OPENAI_AD_TOKEN``).
            azure_ad_token_provider: A callable returning a token, called before every attempt.
            session: As for :class:`Client`.
            **options: Any other :class:`Client` keyword (``timeout``, ``max_retries`` …).

        Exactly one credential is allowed. See ``docs/azure.md``.

        Raises:
            AzureConfigError: (an ``OpenAIError`` and ``ValueError``) a missing endpoint,
                api_version or credential, or two credentials.

        Examples:
            >>> client = Client.azure(azure_endpoint="https://res.openai.azure.com",
            ...                       api_version="2024-10-21", api_key="…")
            >>> client.chat().completions().create().model("my-gpt-deployment")
        """
        setup_logging()
        from openai_core.lib.azure import azure_config

        config = azure_config(
            azure_endpoint=azure_endpoint,
            azure_deployment=azure_deployment,
            api_version=api_version,
            api_key=api_key,
            azure_ad_token=azure_ad_token,
            azure_ad_token_provider=azure_ad_token_provider,
            **options,
        )
        return cls._from_parts(config, _new_transport(config, session))

    @classmethod
    def for_provider(
        cls,
        provider: Union[str, ProviderProfile],
        api_key: Optional[ApiKey] = None,
        **options: Any,
    ) -> Client:
        """A client for an OpenAI-compatible provider, adapted to it by its profile.

        ``provider`` is a name (``"groq"``, ``"ollama"``, ``"llamacpp"`` …; see
        ``openai_core.PROVIDERS``) or a :class:`~openai_core.ProviderProfile`. The base URL
        defaults to the provider's (a bare origin gets the provider's API path, compat C39), the
        key to its environment variable (``GROQ_API_KEY``); the ``OPENAI_*`` key and URL
        variables are not used for other providers. ``options`` are the constructor's keyword
        arguments. The Azure profile is applied on top of ``Client.azure(**options)``.

        Raises:
            OpenAIError: no key for a provider that needs one.
            ValueError: an unknown provider, or no base URL for one without a default.

        Examples:
            >>> client = Client.for_provider("groq")            # key from GROQ_API_KEY
            >>> local = Client.for_provider("llamacpp", base_url="http://127.0.0.1:8080")
        """
        from openai_core.lib.providers import provider_client

        return provider_client(cls, provider, api_key, dict(options))

    @staticmethod
    def builder() -> ClientBuilder:
        """The fluent twin of the constructor: ``Client.builder().api_key("…").build()``."""
        return ClientBuilder()

    @property
    def config(self) -> ClientConfig:
        """The client's frozen configuration."""
        return self._config

    @property
    def base_url(self) -> str:
        """The API root requests are sent to."""
        return self._config.base_url

    def with_options(self, **changes: Any) -> Client:
        """A copy with some settings changed, sharing this client's connection pool.

        Accepts the constructor's keyword arguments except ``session``, ``pool_maxsize``,
        ``verify``, ``proxies`` and ``cert`` (the copy keeps this client's).
        Headers and query parameters are merged over the current ones. ``provider_profile``
        takes a :class:`~openai_core.ProviderProfile` or a provider name (``"groq"``).
        """
        for forbidden in ("session", "pool_maxsize", "verify", "proxies", "cert"):
            if forbidden in changes:
                raise TypeError(f"with_options() cannot change {forbidden}; create a new Client")
        if "timeout" in changes and changes["timeout"] is not None:
            changes["timeout"] = Timeout.coerce(changes["timeout"])
        if isinstance(changes.get("provider_profile"), str):
            from openai_core.lib.providers import get_provider

            changes["provider_profile"] = get_provider(changes["provider_profile"])
        return Client._from_parts(self._config.evolve(**changes), self._transport)

    def close(self) -> None:
        """Close pooled connections (shared with copies made by ``with_options``)."""
        self._transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Client(base_url={self._config.base_url!r})"

    def __getstate__(self) -> Dict[str, Any]:
        """Pickle the configuration only; the unpickled client opens its own connections.

        Raises:
            TypeError: the client sends through a user ``session`` (not picklable), or a
                setting (a key callable, a lambda) cannot be pickled.
        """
        import pickle

        if self._transport._user_session:
            raise TypeError(
                "A Client built with session=... cannot be pickled: pickle its settings and "
                "create a new Client with a new session in the other process"
            )
        try:
            pickle.dumps(self._config)
        except Exception as exc:
            raise TypeError(
                "This Client cannot be pickled: a setting (a key or token callable, for "
                f"instance a lambda) is not picklable ({exc}); use a module-level function"
            ) from None
        return {"config": self._config}

    def __setstate__(self, state: Dict[str, Any]) -> None:
        config: ClientConfig = state["config"]
        self._setup(config, _new_transport(config, None))

    def webhooks(self) -> Webhooks:
        """Verify and decode webhook deliveries, with this client's ``webhook_secret``.

        Examples:
            >>> event = client.webhooks().unwrap(request.get_data(), request.headers)
        """
        from openai_core.lib.webhooks import Webhooks

        return Webhooks(self._config.webhook_secret)

    def _admin_client(self) -> Client:
        """A copy authenticated with the admin key, for ``client.admin()``."""
        admin = self.__dict__.get("_admin")
        if admin is None:
            key = self._config.admin_api_key
            if key is None:
                raise OpenAIError(
                    "The admin API needs an admin key: pass admin_api_key=... or set "
                    "OPENAI_ADMIN_KEY"
                )
            admin = Client._from_parts(self._config.evolve(api_key=key), self._transport)
            self.__dict__["_admin"] = admin
        return admin

    # -- compiling ------------------------------------------------------------------------------

    def _auth_headers(self) -> Dict[str, str]:
        if self._static_auth is not None:
            return self._static_auth
        if self._config.azure_endpoint is not None:
            from openai_core.lib.azure import azure_auth_headers

            return azure_auth_headers(self._config)
        key = self._config.api_key
        if key is None:
            return {}
        value = key() if callable(key) else key
        if not isinstance(value, str) or not value:
            raise OpenAIError("The api_key callable must return a non-empty string")
        return {"Authorization": f"Bearer {value}"}

    def _compile(
        self,
        method: str,
        path: str,
        *,
        body: Any,
        content: Optional[bytes] = None,
        content_type: Optional[str] = None,
        form: Tuple[FormField, ...] = (),
        query: Iterable[Tuple[str, Any]] = (),
        headers: Iterable[Tuple[str, str]] = (),
        timeout: Optional[Timeout] = None,
        max_retries: Optional[int] = None,
        stream: bool = False,
        with_auth: bool = False,
    ) -> Request:
        """Compile one request; ``body`` is sent as JSON, or else ``content`` (already encoded:
        multipart, SDP) with ``content_type``."""
        config = self._config
        profile = config.provider_profile
        if profile is not None:  # provider quirks and capability checks: this one place
            body = profile.prepare(method, path, body, stream=stream)
        params = (*config.default_query, *query) if config.default_query else tuple(query)
        if config.azure_endpoint is None:
            url = join_url(config.base_url, path)
        else:
            from openai_core.lib.azure import route_url

            url = route_url(config, path, body, form)
            if not any(name == "api-version" for name, _ in params):
                params = (("api-version", config.api_version), *params)
        if params:
            encoded = encode_query(params)
            if encoded:
                url = f"{url}{'&' if '?' in url else '?'}{encoded}"
        merged = dict(self._base_headers)
        if body is not None:
            content = encode_json(body)
            merged["Content-Type"] = "application/json"
        elif content is not None and content_type:
            merged["Content-Type"] = content_type
        if stream:
            merged["Accept"] = "text/event-stream"
            merged["Cache-Control"] = "no-cache"
        if with_auth:
            merged.update(self._auth_headers())
        for name, value in headers:
            for existing in [k for k in merged if k.lower() == name.lower()]:
                del merged[existing]
            merged[name] = value
        return Request(
            method=method,
            url=url,
            headers=tuple(merged.items()),
            json_data=body,
            content=content,
            form=form,
            stream=stream,
            timeout=timeout or config.timeout,
            max_retries=config.max_retries if max_retries is None else max_retries,
        )

    # -- sending --------------------------------------------------------------------------------

    def send(self, request: Request) -> requests.Response:
        """Send a compiled :class:`Request` with retries; return the final ``requests.Response``.

        For a streaming request the body is left unread; close the response when done.

        Raises:
            APIStatusError: a subclass for each error status.
            APIConnectionError: the server could not be reached.
            APITimeoutError: the request timed out.
        """
        return self._send(request)[0]

    def _attempt_headers(self, request: Request, idempotency_key: Optional[str]) -> Dict[str, str]:
        headers = dict(request.headers)
        # A per-call Authorization header (``.header()``, or a built Request) wins, as in build();
        # on Azure an api-key header does too.
        own = ("authorization", "api-key") if self._config.azure_endpoint else ("authorization",)
        if not any(name.lower() in own for name in headers):
            headers.update(self._auth_headers())
        if idempotency_key is not None and not any(
            name.lower() == "idempotency-key" for name in headers
        ):
            headers["Idempotency-Key"] = idempotency_key
        return headers

    def _send(
        self, request: Request, *, mode: str = "raw"
    ) -> Tuple[requests.Response, int, float, Any]:
        """The retry loop: returns ``(response, attempts, elapsed, extra)``.

        ``mode`` is ``"raw"`` (extra is ``None``), ``"json"`` (extra is the decoded payload; an
        error inside a 2xx body raises and is retried like its status, compat C32), ``"text"``
        (extra is the body as ``str``), ``"none"`` (extra is ``None``), ``"binary"`` (extra is
        ``None`` and the body is left unread, for a ``BinaryResponse``), or ``"stream"`` /
        ``"named_stream"`` / ``"envelope_stream"`` (extra is ``(EventSource, first_payload)``;
        the stream is retried until its first event; ``named_stream`` keeps events with any
        ``event:`` name, ``envelope_stream`` also wraps them as ``{"event", "data"}``).
        """
        if self._transport._closed:  # not a connection failure: retrying cannot help
            raise APIConnectionError("The client is closed; create a new one.")
        idempotency_key = self._idempotency_key(request)
        timeout = request.timeout.as_tuple()
        if mode.endswith("stream"):  # the wait for headers counts against the stream deadlines
            from openai_core._deadlines import first_read_timeout

            timeout = first_read_timeout(request.timeout)
        streamed = request.stream or mode == "binary"
        started = time.monotonic()
        attempts = 0

        from openai_core._sse import EventSource
        from openai_core._transport import read_body

        def attempt(number: int) -> Tuple[requests.Response, Any]:
            nonlocal attempts
            attempts = number
            headers = self._attempt_headers(request, idempotency_key)
            if logger.isEnabledFor(10):
                logger.debug(
                    "%s %s (attempt %d) headers=%s",
                    request.method,
                    request.url,
                    number,
                    redact_headers(headers),
                )
            sent_at = time.monotonic()
            response = self._transport.send(
                request.method,
                request.url,
                headers,
                request.content,
                timeout=timeout,
                stream=streamed,
            )
            status = response.status_code
            if status >= 400:
                raise make_status_error(
                    status,
                    read_body(response) if streamed else response.content,
                    response=response,
                    request_id=response.headers.get("x-request-id"),
                )
            if mode == "json":
                return response, _decode_json(response)
            if mode == "text":
                from openai_core._binary import decode_text

                return response, decode_text(response)
            if mode in ("stream", "named_stream", "envelope_stream"):
                content_type = response.headers.get("content-type", "")
                if content_type.startswith("application/json"):
                    # Asked for a stream, answered with one JSON body: an error envelope
                    # raises as such; anything else is not a stream this SDK can iterate.
                    read_body(response)
                    payload = _decode_json(response)
                    raise APIResponseValidationError(
                        "Expected a text/event-stream answer to a streaming request, got "
                        "application/json; this server may not support streaming here",
                        body=payload,
                        request_id=response.headers.get("x-request-id"),
                    )
                if content_type.startswith("text/html"):
                    # An HTML page (a proxy's or a login page) would read as a stream of no events.
                    text = read_body(response)[:500].decode("utf-8", "replace")
                    raise APIResponseValidationError(
                        f"Expected a text/event-stream answer to a streaming request, got "
                        f"text/html: {text!r}",
                        body=text,
                        request_id=response.headers.get("x-request-id"),
                    )
                source = EventSource(
                    response,
                    named_events=mode != "stream",
                    envelope=mode == "envelope_stream",
                    timeout=request.timeout,
                    sent_at=sent_at,
                )
                return response, (source, source.next_payload())
            return response, None

        response, extra = call_with_retries(
            attempt,
            max_retries=request.max_retries,
            sleep=self._sleep,
            describe=f"{request.method} {request.url}",
        )
        elapsed = time.monotonic() - started
        logger.info(
            "%s %s -> %s in %.3f s (%d attempt%s)",
            request.method,
            request.url,
            response.status_code,
            elapsed,
            attempts,
            "" if attempts == 1 else "s",
        )
        return response, attempts, elapsed, extra

    def _idempotency_key(self, request: Request) -> Optional[str]:
        """A fresh ``Idempotency-Key`` for one logical POST; ``None`` for other methods or when
        ``idempotency_keys`` is off (a key the call sets itself is never replaced)."""
        if request.method == "POST" and self._config.idempotency_keys:
            return f"openai-core-{os.urandom(16).hex()}"
        return None

    def _execute(
        self, request: Request, decode: Callable[[Any], T], *, kind: str = "json"
    ) -> ApiResponse[T]:
        """Send with retries and decode by response kind: ``"json"`` (``decode`` gets the
        payload), ``"text"`` / ``"sdp"`` (the body as ``str``), ``"binary"`` (a
        ``BinaryResponse`` over the unread body) or ``"none"`` (``None``)."""
        mode = response_mode(kind)
        response, attempts, elapsed, payload = self._send(request, mode=mode)
        return api_response(response, payload, mode, decode, elapsed=elapsed, attempts=attempts)

    def _open_stream(
        self, request: Request, *, named_events: bool = False, envelope: bool = False
    ) -> Tuple[EventSource, Any]:
        """Open a stream with retries until its first event; returns the source and that event.

        ``envelope`` hands out ``{"event": name, "data": payload}`` (it implies
        ``named_events``)."""
        _, _, _, (source, first) = self._send(request, mode=stream_mode(named_events, envelope))
        return source, first

    def _decode_model(self, cls: Any) -> Callable[[Any], Any]:
        from openai_core._convert import decoder_for

        return decoder_for(cls, strict=self._config.strict)


def response_mode(kind: str) -> str:
    """The ``Client._send`` mode that reads a response of this kind."""
    return "text" if kind == "sdp" else kind


def stream_mode(named_events: bool, envelope: bool) -> str:
    """The ``Client._send`` mode of a stream (``envelope`` implies ``named_events``)."""
    return "envelope_stream" if envelope else "named_stream" if named_events else "stream"


def api_response(
    response: requests.Response,
    payload: Any,
    mode: str,
    decode: Callable[[Any], T],
    *,
    elapsed: float,
    attempts: int,
    hedged_legs: int = 1,
    winning_leg: int = 0,
) -> ApiResponse[T]:
    """The ``ApiResponse`` of a finished call: ``payload`` decoded (a binary body wrapped in a
    ``BinaryResponse`` first) and the response's metadata."""
    if mode == "binary":
        from openai_core._binary import BinaryResponse

        payload = BinaryResponse(response)
    headers = response.headers
    return ApiResponse(
        data=decode(payload),
        meta=ResponseMeta(
            request_id=headers.get("x-request-id"),
            status=response.status_code,
            headers=headers,
            elapsed=elapsed,
            attempts=attempts,
            rate_limit=RateLimitInfo.from_headers(headers),
            hedged_legs=hedged_legs,
            winning_leg=winning_leg,
        ),
    )


def _new_transport(config: ClientConfig, session: Optional[requests.Session]) -> Transport:
    """The transport of a new client, with the config's TLS and proxy settings."""
    from openai_core._transport import Transport

    return Transport(
        pool_maxsize=config.pool_maxsize,
        session=session,
        verify=config.verify,
        proxies=dict(config.proxies),
        cert=config.cert,
    )


def _accept_encoding() -> str:
    from requests.utils import DEFAULT_ACCEPT_ENCODING

    return str(DEFAULT_ACCEPT_ENCODING)


def _decode_json(response: requests.Response) -> Any:
    """The JSON payload of a 2xx response (``None`` for an empty body).

    Raises:
        APIResponseValidationError: the body is not JSON (compat C31).
        APIError: the body is an error object despite the 2xx status (compat C32).
    """
    content = response.content
    if not content or response.status_code == 204:
        return None
    request_id = response.headers.get("x-request-id")
    try:
        payload = json.loads(content)
    except (ValueError, RecursionError):  # RecursionError: nested too deep
        text = content[:500].decode("utf-8", "replace")
        kind = response.headers.get("content-type", "no content type")
        raise APIResponseValidationError(
            f"Expected a JSON body, got {kind}: {text!r}", body=text, request_id=request_id
        ) from None
    if (
        isinstance(payload, dict)
        and payload.get("error")
        and payload.get("object", "error") == "error"
    ):
        # An error envelope inside a 2xx body (compat C32). Resources that carry an ``error``
        # field of their own (responses, fine-tuning jobs, eval runs, videos) name an object.
        error = error_from_payload(payload["error"], request_id=request_id)
        if isinstance(error, APIStatusError):
            error.headers = response.headers  # retry-after on the 200 still counts
            error.response = response
        raise error
    return payload


class ClientBuilder:
    """Fluent construction of a :class:`Client` (mirrors the Rust crate's ``ClientBuilder``).

    Examples:
        >>> client = Client.builder().api_key("sk-…").timeout(20).max_retries(0).build()
    """

    def __init__(self) -> None:
        self._options: Dict[str, Any] = {}

    def _with(self, **option: Any) -> ClientBuilder:
        new = ClientBuilder()
        new._options = {**self._options, **option}
        return new

    def api_key(self, value: ApiKey) -> ClientBuilder:
        """The API key, or a callable returning it (called before every attempt)."""
        return self._with(api_key=value)

    def admin_api_key(self, value: ApiKey) -> ClientBuilder:
        """The admin key, for ``client.admin()``."""
        return self._with(admin_api_key=value)

    def base_url(self, value: str) -> ClientBuilder:
        """The API root, for example ``http://127.0.0.1:8080/v1``."""
        return self._with(base_url=value)

    def organization(self, value: str) -> ClientBuilder:
        """Sent as ``OpenAI-Organization``."""
        return self._with(organization=value)

    def project(self, value: str) -> ClientBuilder:
        """Sent as ``OpenAI-Project``."""
        return self._with(project=value)

    def timeout(self, value: Union[Timeout, float, Tuple[float, float]]) -> ClientBuilder:
        """Default timeout: seconds, ``(connect, read)`` or a :class:`Timeout`."""
        return self._with(timeout=Timeout.coerce(value))

    def max_retries(self, value: int) -> ClientBuilder:
        """Retries after the first attempt (default 2)."""
        return self._with(max_retries=value)

    def default_header(self, name: str, value: str) -> ClientBuilder:
        """A header sent with every request."""
        return self._with(default_headers={**self._options.get("default_headers", {}), name: value})

    def default_query(self, name: str, value: Any) -> ClientBuilder:
        """A query parameter sent with every request."""
        return self._with(default_query={**self._options.get("default_query", {}), name: value})

    def pool_maxsize(self, value: int) -> ClientBuilder:
        """Connections kept alive per host (default 10)."""
        return self._with(pool_maxsize=value)

    def idempotency_keys(self, enabled: bool) -> ClientBuilder:
        """Whether POSTs carry an ``Idempotency-Key`` (default True)."""
        return self._with(idempotency_keys=enabled)

    def strict(self, enabled: bool = True) -> ClientBuilder:
        """Strict response decoding, for tests."""
        return self._with(strict=enabled)

    def provider(self, value: Union[str, ProviderProfile]) -> ClientBuilder:
        """Build with :meth:`Client.for_provider`: a provider name or profile."""
        return self._with(provider=value)

    def session(self, session: requests.Session) -> ClientBuilder:
        """Send through this ``requests.Session`` (its mounted adapters are used)."""
        return self._with(session=session)

    def verify(self, value: Union[bool, str]) -> ClientBuilder:
        """TLS verification: ``True``, ``False`` or a CA bundle path (overrides the environment)."""
        return self._with(verify=value)

    def proxies(self, value: Mapping[str, str]) -> ClientBuilder:
        """Proxy URLs by scheme, such as ``{"https": "http://proxy:3128"}``."""
        return self._with(proxies=value)

    def cert(self, value: Union[str, Tuple[str, str]]) -> ClientBuilder:
        """A client certificate for mutual TLS: a PEM path, or ``(cert_path, key_path)``."""
        return self._with(cert=value)

    def webhook_secret(self, value: Union[str, Iterable[str]]) -> ClientBuilder:
        """The webhook secret for ``client.webhooks()``, or several while rotating."""
        return self._with(webhook_secret=value)

    def azure_endpoint(self, value: str) -> ClientBuilder:
        """Azure OpenAI mode: ``https://<resource>.openai.azure.com`` (see :meth:`Client.azure`)."""
        return self._with(azure_endpoint=value)

    def azure_api_version(self, value: str) -> ClientBuilder:
        """Azure's ``api-version`` query parameter (required in Azure mode)."""
        return self._with(api_version=value)

    def azure_deployment(self, value: str) -> ClientBuilder:
        """A fixed Azure deployment for the model-scoped operations."""
        return self._with(azure_deployment=value)

    def azure_api_key(self, value: ApiKey) -> ClientBuilder:
        """Azure mode with this key, sent as the ``api-key`` header."""
        return self._with(azure_api_key=value)

    def azure_ad_token(self, value: str) -> ClientBuilder:
        """Azure mode with this Entra ID token, sent as ``Authorization: Bearer``."""
        return self._with(azure_ad_token=value)

    def azure_ad_token_provider(self, value: Callable[[], str]) -> ClientBuilder:
        """Azure mode with a token provider, called before every attempt."""
        return self._with(azure_ad_token_provider=value)

    def build(self) -> Client:
        """Create the client.

        Raises:
            OpenAIError, ValueError, TypeError: as :class:`Client` (or :meth:`Client.azure`)
                does.
        """
        options = dict(self._options)
        provider = options.pop("provider", None)
        if provider is not None:
            return Client.for_provider(provider, **options)
        azure = [name for name in _AZURE_OPTIONS if name in options]
        if azure:
            if "azure_api_key" in options:
                if "api_key" in options:
                    raise ValueError("use azure_api_key() or api_key(), not both")
                options["api_key"] = options.pop("azure_api_key")
            if "base_url" in options:
                raise ValueError("Azure mode takes azure_endpoint(), not base_url()")
            return Client.azure(**options)
        return Client(**options)


_AZURE_OPTIONS = (
    "azure_endpoint",
    "api_version",
    "azure_deployment",
    "azure_api_key",
    "azure_ad_token",
    "azure_ad_token_provider",
)
