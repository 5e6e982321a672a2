"""HTTP transport on one ``requests.Session``: one attempt, no retries, errors translated once.

The transport sends a ``PreparedRequest`` straight to the session's mounted adapter with proxy,
certificate and verification settings resolved once per origin, instead of ``Session.request``,
which re-merges them (and re-reads the environment) on every call. Mounted adapters, ``verify``,
``cert``, proxies and the ``responses`` mocking library keep working, because they all live at the
adapter. urllib3 never retries (``HTTPAdapter(max_retries=0)``); retries live in ``_retry``.

A child process after ``fork`` gets a fresh session (and so fresh connections) the first time it
sends; the parent's connections are never touched by the child.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Dict, Iterator, Mapping, Optional, Tuple, Union
from urllib.parse import urljoin, urlsplit

import requests
import requests.adapters
from requests.structures import CaseInsensitiveDict

from openai_core._errors import APIConnectionError, APIError, APITimeoutError
from openai_core._logging import logger

__all__ = ["Transport", "iter_raw_chunks", "read_body", "translate_exception"]

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_MAX_REDIRECTS = 20
_AUTH_HEADERS = ("authorization", "api-key", "proxy-authorization")


def translate_exception(exc: BaseException) -> APIError:
    """Map a ``requests``/``urllib3``/socket exception to the SDK's error family (once)."""
    import urllib3.exceptions as u3

    if isinstance(exc, APIError):
        return exc
    if isinstance(exc, (requests.Timeout, u3.TimeoutError, TimeoutError)):
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
        session = requests.Session()
        for prefix in ("http://", "https://"):
            session.mount(
                prefix,
                requests.adapters.HTTPAdapter(
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
            }
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
            import urllib3.exceptions as u3

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
        prepared.headers = CaseInsensitiveDict(headers)
        if body is not None:
            prepared.headers["Content-Length"] = str(len(body))
        elif method in ("POST", "PUT", "PATCH"):
            prepared.headers["Content-Length"] = "0"
        prepared.body = body
        prepared.hooks = {"response": []}
        settings = self._settings_for(url)
        adapter = self.session.get_adapter(url)
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
            import urllib3.exceptions as u3

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
