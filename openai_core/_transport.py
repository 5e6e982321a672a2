"""HTTP transport on one ``requests.Session``: one attempt, no retries, errors translated once.

The transport resolves proxy, certificate and verification settings once per origin, instead of
``Session.request``, which re-merges them (and re-reads the environment) on every call. Then:

* the direct path (a plain ``HTTPAdapter``, or this SDK's own subclass that says so with a
  ``direct_path = True`` class attribute, whose ``send`` nobody replaced, and no proxy for the
  origin): the adapter's urllib3 pool is asked for the connection and the request goes straight to
  ``urlopen``, with the pool key worked out once per origin; the ``requests.Response`` is built
  the way ``HTTPAdapter.build_response`` builds it (cookies are extracted only when the answer
  sets any). This is what an unmodified ``HTTPAdapter.send`` does, minus the per-call URL
  parsing, proxy selection and CA-bundle checks;
* otherwise (an adapter of the caller's own, a proxy, or ``HTTPAdapter.send`` patched, as the
  ``responses`` mocking library does) a ``PreparedRequest`` goes to the mounted adapter's
  ``send``, so mounted adapters, proxies and mocks keep working.

urllib3 never retries (``HTTPAdapter(max_retries=0)``); retries live in ``_retry``.

A child process after ``fork`` gets a fresh session (and so fresh connections) the first time it
sends; the parent's connections are never touched by the child.
"""

from __future__ import annotations

import os
import socket
import threading
from datetime import timedelta
from typing import Any, Dict, Iterator, Mapping, Optional, Tuple, Union, cast
from urllib.parse import urljoin, urlsplit

import requests
import requests.adapters
import urllib3.exceptions as u3
from requests.cookies import RequestsCookieJar, extract_cookies_to_jar
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from openai_core._errors import APIConnectionError, APIError, APITimeoutError
from openai_core._logging import logger

_HTTPAdapter = requests.adapters.HTTPAdapter
_ADAPTER_SEND: Any = None


def _is_plain_send(send: Any) -> bool:
    """True when ``HTTPAdapter.send`` is requests' own, not a replacement (``responses`` and
    ``unittest.mock`` patch it; either may have done so before this module was imported)."""
    global _ADAPTER_SEND  # noqa: PLW0603 - remembered once seen
    if send is _ADAPTER_SEND:
        return True
    if (
        getattr(send, "__module__", None) == "requests.adapters"
        and getattr(send, "__qualname__", None) == "HTTPAdapter.send"
    ):
        _ADAPTER_SEND = send
        return True
    return False


__all__ = ["Transport", "iter_raw_chunks", "read_body", "translate_exception"]

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_MAX_REDIRECTS = 20
_AUTH_HEADERS = ("authorization", "api-key", "proxy-authorization")


def translate_exception(exc: BaseException) -> APIError:
    """Map a ``requests``/``urllib3``/socket exception to the SDK's error family (once)."""

    if isinstance(exc, APIError):
        return exc
    if isinstance(exc, u3.MaxRetryError) and exc.reason is not None:
        return translate_exception(exc.reason)
    if isinstance(exc, u3.NewConnectionError):  # a ConnectTimeoutError subclass, not a timeout
        return APIConnectionError(f"Connection error: {_describe(exc)}")
    if isinstance(exc, (requests.Timeout, u3.TimeoutError, TimeoutError, socket.timeout)):
        return APITimeoutError(f"Request timed out: {_describe(exc)}")
    inner = exc.args[0] if exc.args else None
    if isinstance(inner, (u3.TimeoutError, TimeoutError)):
        return APITimeoutError(f"Request timed out: {_describe(exc)}")
    if isinstance(exc, requests.TooManyRedirects):
        return APIConnectionError(f"Too many redirects: {exc}")
    if isinstance(exc, (requests.exceptions.ContentDecodingError, u3.DecodeError)):
        return APIConnectionError(f"The response body could not be decoded: {_describe(exc)}")
    return APIConnectionError(f"Connection error: {_describe(exc)}")


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 500 else text[:500] + "..."


class Transport:
    """Sends one HTTP attempt through a shared ``requests.Session``.

    Args:
        pool_maxsize: Connections kept alive per host (default 10).
        session: An existing session to use (its mounted adapters are honoured); by default a
            new session with ``HTTPAdapter(max_retries=0)`` for http and https.
        verify, proxies, cert: TLS verification (bool or CA bundle path), proxy URLs by scheme
            and client certificate; they override the session's and the environment's
            (``REQUESTS_CA_BUNDLE``, ``HTTPS_PROXY`` …), which are used for what is not set.

    Thread-safe: many threads may call :meth:`send` at once.
    """

    def __init__(
        self,
        *,
        pool_maxsize: int = 10,
        session: Optional[requests.Session] = None,
        verify: Union[bool, str, None] = None,
        proxies: Optional[Mapping[str, str]] = None,
        cert: Union[str, Tuple[str, str], None] = None,
    ):
        # Explicit TLS/proxy settings win over the session's and the environment's.
        self._explicit: Dict[str, Any] = {
            "verify": verify,
            "proxies": dict(proxies or {}),
            "cert": cert,
        }
        self._pool_maxsize = pool_maxsize
        self._user_session = session is not None
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._session = session if session is not None else self._new_session()
        self._settings: Dict[str, Dict[str, Any]] = {}
        self._closed = False

    def _new_session(self) -> requests.Session:
        # An HTTPAdapter whose connections a hedged call can shut down (see ``_hedging``).
        from openai_core._hedging import CancellableHTTPAdapter

        session = requests.Session()
        for prefix in ("http://", "https://"):
            session.mount(
                prefix,
                CancellableHTTPAdapter(
                    pool_connections=4, pool_maxsize=self._pool_maxsize, max_retries=0
                ),
            )
        return session

    @property
    def session(self) -> requests.Session:
        """The ``requests.Session`` (fresh in a forked child)."""
        if self._pid != os.getpid():
            self._after_fork()
        return self._session

    def _after_fork(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            # Drop, do not close: closing would shut sockets the parent still uses.
            self._session = self._new_session()
            self._settings = {}
            self._pid = os.getpid()

    def _settings_for(self, url: str) -> Dict[str, Any]:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        settings = self._settings.get(origin)
        if settings is None:
            session = self.session
            merged = session.merge_environment_settings(origin + "/", {}, None, None, None)
            explicit = self._explicit
            settings = {
                "proxies": {**(merged.get("proxies") or {}), **explicit["proxies"]},
                "verify": _first(explicit["verify"], merged.get("verify"), True),
                "cert": _first(explicit["cert"], merged.get("cert")),
                "origin": origin,
                "direct": None,
            }
            from requests.utils import select_proxy

            if select_proxy(origin + "/", settings["proxies"]) is None:
                settings["direct"] = _pool_key(
                    session.get_adapter(origin + "/"), origin, settings["verify"], settings["cert"]
                )
                settings["host"] = _host_header(parts.scheme, parts.hostname or "", parts.port)
            self._settings[origin] = settings
        return settings

    def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: Optional[bytes],
        *,
        timeout: Tuple[float, float],
        stream: bool,
    ) -> requests.Response:
        """Send one attempt; follow redirects; read the body unless ``stream``.

        Raises:
            APITimeoutError: connect or read timeout.
            APIConnectionError: any other failure to get a complete response.
        """
        if self._closed:
            raise APIConnectionError("The client is closed; create a new one.")
        try:
            response = self._send_once(method, url, headers, body, timeout, stream)
            redirects = 0
            while response.status_code in _REDIRECT_STATUSES and "location" in response.headers:
                redirects += 1
                if redirects > _MAX_REDIRECTS:
                    response.close()
                    raise requests.TooManyRedirects(f"Exceeded {_MAX_REDIRECTS} redirects.")
                method, url, headers, body = self._redirect(response, method, url, headers, body)
                response = self._send_once(method, url, headers, body, timeout, stream)
            if not stream:
                read_body(response)
            return response
        except APIError:
            raise
        except (requests.RequestException, OSError, ValueError) as exc:
            raise translate_exception(exc) from exc
        except Exception as exc:
            if isinstance(exc, u3.HTTPError):
                raise translate_exception(exc) from exc
            raise

    def _send_once(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: Optional[bytes],
        timeout: Tuple[float, float],
        stream: bool,
    ) -> requests.Response:
        prepared = requests.PreparedRequest()
        prepared.method = method
        prepared.url = url
        store = {key.lower(): (key, value) for key, value in headers.items()}
        if body is not None:
            store["content-length"] = ("Content-Length", str(len(body)))
        elif method in ("POST", "PUT", "PATCH"):
            store["content-length"] = ("Content-Length", "0")
        prepared.headers = _case_insensitive(store)
        prepared.body = body
        prepared.hooks = {"response": []}
        settings = self._settings_for(url)
        adapter = self.session.get_adapter(url)
        direct = settings["direct"]
        kind = type(adapter)
        if (
            direct is not None
            and (kind is _HTTPAdapter or kind.__dict__.get("direct_path") is True)
            and _is_plain_send(kind.send)
        ):
            plain = cast(requests.adapters.HTTPAdapter, adapter)
            return _send_direct(plain, direct, prepared, settings, timeout, stream)
        return adapter.send(
            prepared,
            stream=True,
            timeout=timeout,
            verify=settings["verify"],
            cert=settings["cert"],
            proxies=settings["proxies"],
        )

    def _redirect(
        self,
        response: requests.Response,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: Optional[bytes],
    ) -> Tuple[str, str, Dict[str, str], Optional[bytes]]:
        location = response.headers["location"]
        status = response.status_code
        response.close()
        new_url = urljoin(url, location)
        new_headers = dict(headers)
        old, new = urlsplit(url), urlsplit(new_url)
        if (old.scheme, old.hostname, old.port) != (new.scheme, new.hostname, new.port):
            # Never carry credentials to another origin.
            for key in list(new_headers):
                if key.lower() in _AUTH_HEADERS:
                    del new_headers[key]
        if status == 303 or (status in (301, 302) and method == "POST"):
            method = "GET" if method != "HEAD" else method
            body = None
            for key in list(new_headers):
                if key.lower() in ("content-type", "content-length", "idempotency-key"):
                    del new_headers[key]
        logger.debug("following %s redirect to %s", status, new_url)
        return method, new_url, new_headers, body

    def close(self) -> None:
        """Close every pooled connection. Later sends raise ``APIConnectionError``."""
        self._closed = True
        if self._pid == os.getpid():
            self._session.close()


def _host_header(scheme: str, hostname: str, port: Optional[int]) -> str:
    """The ``Host`` header ``http.client`` would send for an origin."""
    if not hostname.isascii():
        hostname = hostname.encode("idna").decode("ascii")
    if ":" in hostname:  # an IPv6 literal
        hostname = f"[{hostname}]"
    default = 443 if scheme.lower() == "https" else 80
    return hostname if port is None or port == default else f"{hostname}:{port}"


def _pool_key(
    adapter: Any,
    origin: str,
    verify: Union[bool, str, None],
    cert: Union[str, Tuple[str, str], None],
) -> Optional[Tuple[Dict[str, Any], Dict[str, Any]]]:
    """The urllib3 pool key of an origin, from the adapter's own
    ``build_connection_pool_key_attributes`` (what ``HTTPAdapter.send`` asks on each request):
    ``(host_params, pool_kwargs)``. ``None`` for an adapter without it, or when ``verify`` or
    ``cert`` names a path that does not exist (the adapter then raises its own error for it, on
    every request, as before).
    """
    build = getattr(adapter, "build_connection_pool_key_attributes", None)
    if build is None:
        return None
    paths = [verify] if isinstance(verify, str) else []
    if cert is not None:
        paths.extend(cert if isinstance(cert, tuple) else (cert,))
    if origin.lower().startswith("https:") and not all(os.path.exists(p) for p in paths if p):
        return None
    probe = requests.PreparedRequest()
    probe.url = origin + "/"
    key: Tuple[Dict[str, Any], Dict[str, Any]] = build(probe, verify, cert)
    return key


def _send_direct(
    adapter: requests.adapters.HTTPAdapter,
    key: Tuple[Dict[str, Any], Dict[str, Any]],
    prepared: requests.PreparedRequest,
    settings: Dict[str, Any],
    timeout: Tuple[float, float],
    stream: bool,
) -> requests.Response:
    """What ``HTTPAdapter.send`` does for a request without a proxy, with the pool key known:
    a whole-body answer through :func:`openai_core._http11.exchange`, a stream through
    urllib3's ``urlopen`` (its response object is what stream readers work on), and so is a
    whole-body answer when the adapter has urllib3 retries of its own to apply (a session the
    caller passed in, with ``HTTPAdapter(max_retries=Retry(...))``)."""
    host_params, pool_kwargs = key
    url: str = prepared.url  # type: ignore[assignment]
    target = url[len(settings["origin"]) :] or "/"
    try:
        pool = adapter.poolmanager.connection_from_host(**host_params, pool_kwargs=pool_kwargs)
    except u3.LocationValueError as exc:
        raise APIConnectionError(f"Invalid URL {url!r}: {exc}") from exc
    response = _Response.__new__(_Response)
    if not stream and _no_retries(adapter.max_retries):
        from openai_core._http11 import exchange

        answer = exchange(
            pool,
            settings["host"],
            prepared.method or "GET",
            target,
            prepared.headers,
            prepared.body,  # type: ignore[arg-type]
            timeout,
        )
        _blank(response, answer.status, answer.reason, answer.headers, url, prepared, adapter)
        response.__dict__.update(_content=answer.body, _content_consumed=True, _raw=None)
        response.__dict__["_cookie_source"] = answer.cookies
        response.__dict__["_version"] = answer.version
        return response
    u3_timeout = _TIMEOUTS.get(timeout)
    if u3_timeout is None:
        from urllib3.util.timeout import Timeout as Urllib3Timeout

        u3_timeout = Urllib3Timeout(connect=timeout[0], read=timeout[1])
        if len(_TIMEOUTS) < 64:
            _TIMEOUTS[timeout] = u3_timeout
    try:
        raw = pool.urlopen(
            method=prepared.method,
            url=target,
            body=prepared.body,
            headers=prepared.headers,
            redirect=False,
            assert_same_host=False,
            preload_content=False,
            decode_content=False,
            retries=adapter.max_retries,
            timeout=u3_timeout,
            chunked=False,
        )
    except u3.MaxRetryError as exc:
        raise translate_exception(exc) from exc
    store = {name.lower(): (name, value) for name, value in raw.headers.itermerged()}
    _blank(response, raw.status, raw.reason or "", store, url, prepared, adapter)
    response.__dict__.update(_content=False, _content_consumed=False, _raw=raw)
    response.__dict__["_cookie_source"] = raw.headers.getlist("set-cookie") or None
    return response


_TIMEOUTS: Dict[Tuple[float, float], Any] = {}


def _no_retries(retries: Any) -> bool:
    """True for an adapter whose urllib3 ``Retry`` never retries nor turns a status into an error
    (``HTTPAdapter(max_retries=0)``, this client's own)."""
    return getattr(retries, "total", None) == 0 and not getattr(retries, "status_forcelist", None)


class _Response(requests.Response):
    """A ``requests.Response`` built by the direct path: as ``HTTPAdapter.build_response`` builds
    it, except that ``cookies`` are parsed from the ``Set-Cookie`` fields on first access (this
    client never sends them back; reading them is for callers of ``send_raw()``), and that for a
    whole-body answer ``raw`` is an already-read urllib3 response made on first access."""

    @property
    def cookies(self) -> RequestsCookieJar:
        jar: Optional[RequestsCookieJar] = self.__dict__.get("_cookies")
        if jar is None:
            jar = self.__dict__["_cookies"] = RequestsCookieJar()
            values = self.__dict__.get("_cookie_source")
            if values:
                import http.client

                message = http.client.HTTPMessage()
                for value in values:
                    message["Set-Cookie"] = value  # appends: one field per cookie
                holder = _CookieHolder(message)
                extract_cookies_to_jar(jar, self.request, holder)  # type: ignore[no-untyped-call]
        return jar

    @cookies.setter
    def cookies(self, value: RequestsCookieJar) -> None:
        self.__dict__["_cookies"] = value

    @property
    def raw(self) -> Any:
        raw = self.__dict__.get("_raw")
        if raw is None and self.__dict__.get("_content_consumed"):
            import io

            import urllib3

            raw = self.__dict__["_raw"] = urllib3.HTTPResponse(
                body=io.BytesIO(b""),
                headers=dict(self.headers),
                status=self.status_code,
                version=self.__dict__.get("_version", 11),
                reason=self.reason,
                preload_content=False,
                decode_content=False,
            )
        return raw

    @raw.setter
    def raw(self, value: Any) -> None:
        self.__dict__["_raw"] = value


class _CookieHolder:
    """What ``extract_cookies_to_jar`` reads of a response: its ``_original_response.msg``."""

    __slots__ = ("_original_response", "msg")

    def __init__(self, message: Any) -> None:
        self.msg = message
        self._original_response = self


def _blank(
    response: requests.Response,
    status: int,
    reason: str,
    store: Dict[str, Tuple[str, str]],
    url: str,
    prepared: requests.PreparedRequest,
    adapter: requests.adapters.HTTPAdapter,
) -> None:
    """Fill a ``Response`` made with ``__new__`` as ``Response()`` and ``build_response`` do."""
    headers = _case_insensitive(store)
    response.__dict__.update(
        _next=None,
        status_code=status,
        headers=headers,
        url=url,
        encoding=get_encoding_from_headers(headers) if "content-type" in store else None,
        history=[],
        reason=reason,
        elapsed=timedelta(0),
        request=prepared,
        connection=adapter,
    )


def _case_insensitive(store: Dict[str, Tuple[str, str]]) -> CaseInsensitiveDict[str]:
    """A ``CaseInsensitiveDict`` over ``{lowercased name: (name, value)}``, built in one step
    (its constructor goes through ``MutableMapping.update``, one ``__setitem__`` per header)."""
    headers: CaseInsensitiveDict[str] = CaseInsensitiveDict()
    headers._store = store  # type: ignore[attr-defined]  # the mapping CaseInsensitiveDict keeps
    return headers


def _first(*values: Any) -> Any:
    """The first value that is not ``None`` (``False`` counts), else ``None``."""
    return next((value for value in values if value is not None), None)


def read_body(response: requests.Response) -> bytes:
    """Read a whole (``stream=True``) response body at once and return the connection to the pool.

    Raises:
        APIConnectionError, APITimeoutError: the connection failed, or the body could not be
            decoded, while reading (the response is closed).
    """
    content: Any = response._content
    if content is False:
        raw = response.raw
        try:
            content = raw.read(decode_content=True) or b""
        except Exception as exc:
            response.close()

            if isinstance(exc, (requests.RequestException, OSError, ValueError, u3.HTTPError)):
                raise translate_exception(exc) from exc
            raise
        response._content = content
        response._content_consumed = True  # type: ignore[attr-defined]
        raw.release_conn()
    return content if isinstance(content, bytes) else b""


def iter_raw_chunks(response: requests.Response) -> Iterator[bytes]:
    """Yield body bytes as they arrive, without waiting to fill a buffer.

    Chunked responses yield one HTTP chunk at a time; others yield whatever the socket has.
    """
    raw = response.raw
    if getattr(raw, "chunked", False) and raw.supports_chunked_reads():
        yield from raw.read_chunked(decode_content=True)
        return
    read1 = getattr(raw, "read1", None)
    if read1 is not None:
        while True:
            data = read1(65536, decode_content=True)
            if not data:
                return
            yield data
    else:  # pragma: no cover - urllib3 < 2.3
        yield from raw.stream(4096, decode_content=True)
