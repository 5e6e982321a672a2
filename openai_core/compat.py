"""The official ``openai`` package's call style on top of the builders, for a one-import migration.

Replace ``from openai import OpenAI`` with ``from openai_core.compat import OpenAI``; calls such as
``client.chat.completions.create(model=..., messages=[...], stream=True)`` then build the same
request with the builders and return this SDK's types (``ChatCompletion``, ``ChatCompletionStream``,
``Response``, ``ResponseStream``, ``CreateEmbeddingResponse``, ``CursorPage``).

Keyword arguments map to the builder's setters by the API's field names (from the endpoint
catalog); fields this SDK does not name go into the body as they are (as ``extra_body`` would).
``extra_headers``, ``extra_query``, ``extra_body`` and ``timeout`` work as in the official SDK.
The official ``NOT_GIVEN`` / ``omit`` sentinels leave a field out. See docs/migration.md.

Examples:
    >>> from openai_core.compat import OpenAI
    >>> client = OpenAI(api_key="sk-...", max_retries=2, timeout=30)
    >>> completion = client.chat.completions.create(
    ...     model="gpt-5.4-mini", messages=[{"role": "user", "content": "Hello"}]
    ... )
    >>> completion.choices[0].message.content
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Tuple, TypeVar

from openai_core._builder import RequestBuilder
from openai_core._client import Client
from openai_core._config import Timeout

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["OpenAI"]

B = TypeVar("B", bound=RequestBuilder[Any])
_SENTINELS = frozenset({"NotGiven", "Omit"})
_OMITTED: Any = object()  # an argument that was not passed


def _given(value: Any) -> bool:
    """False for an argument not passed and for the official SDK's ``NOT_GIVEN`` / ``omit``."""
    return value is not _OMITTED and type(value).__name__ not in _SENTINELS


def _timeout(value: Any) -> Any:
    """A float, a ``(connect, read)`` tuple, a :class:`Timeout`, or an ``httpx.Timeout``."""
    if isinstance(value, (int, float, tuple, Timeout)):
        return value
    read = getattr(value, "read", None)
    connect = getattr(value, "connect", None)
    if read is not None or connect is not None:  # httpx.Timeout, without importing httpx
        return (connect if connect is not None else 5.0, read if read is not None else 600.0)
    raise TypeError(f"timeout must be seconds or a Timeout, got {type(value).__name__}")


@functools.cache
def _setters(namespace: Tuple[str, ...], name: str) -> Dict[str, str]:
    """Field name → setter name of one operation's body and query parameters."""
    from openai_core._catalog import load_catalog

    for endpoint in load_catalog():
        if endpoint.namespace == namespace and endpoint.name == name:
            params = (*endpoint.body_fields, *endpoint.query_params)
            return {p.name: p.setter for p in params}
    raise LookupError(f"no operation {'.'.join(namespace)}.{name} in the catalog")


def _apply(builder: B, namespace: Tuple[str, ...], name: str, kwargs: Mapping[str, Any]) -> B:
    """Call the setter named like each keyword argument; the rest goes to ``extra_body``."""
    setters = _setters(namespace, name)
    extra: Dict[str, Any] = {}
    for key, value in kwargs.items():
        if not _given(value) or key in ("extra_headers", "extra_query", "extra_body", "timeout"):
            continue
        setter = setters.get(key)
        if setter is None:
            extra[key] = value
        else:
            builder = getattr(builder, setter)(value)
    for header, value in (kwargs.get("extra_headers") or {}).items():
        if _given(value) and value is not None:
            builder = builder.header(header, value)
    for param, value in (kwargs.get("extra_query") or {}).items():
        builder = builder.query(param, value)
    extra.update(kwargs.get("extra_body") or {})
    if extra:
        builder = builder.extra_body(extra)
    timeout = kwargs.get("timeout")
    if timeout is not None and _given(timeout):
        builder = builder.timeout(_timeout(timeout))
    return builder


def _send_or_stream(builder: Any, stream: Any) -> Any:
    if stream is True:
        return builder.stream()
    if _given(stream):
        builder = builder.extra_body({"stream": stream})  # an explicit False is sent, as upstream
    return builder.send()


class _Namespace:
    __slots__ = ("_client",)

    def __init__(self, client: Client) -> None:
        self._client = client


class ChatCompletions(_Namespace):
    """``client.chat.completions``."""

    __slots__ = ()

    def create(self, *, stream: Any = _OMITTED, **kwargs: Any) -> Any:
        """``POST /chat/completions``: a ``ChatCompletion``, or with ``stream=True`` a
        ``ChatCompletionStream`` of chunks."""
        builder = self._client.chat().completions().create()
        builder = _apply(builder, ("chat", "completions"), "create", kwargs)
        return _send_or_stream(builder, stream)


class Chat(_Namespace):
    """``client.chat``."""

    __slots__ = ()

    @property
    def completions(self) -> ChatCompletions:
        return ChatCompletions(self._client)


class Responses(_Namespace):
    """``client.responses``."""

    __slots__ = ()

    def create(self, *, stream: Any = _OMITTED, **kwargs: Any) -> Any:
        """``POST /responses``: a ``Response``, or with ``stream=True`` a ``ResponseStream``."""
        builder = _apply(self._client.responses().create(), ("responses",), "create", kwargs)
        return _send_or_stream(builder, stream)

    def retrieve(self, response_id: str, **kwargs: Any) -> Any:
        """``GET /responses/{response_id}``: the ``Response``."""
        builder = self._client.responses().retrieve(response_id)
        return _apply(builder, ("responses",), "retrieve", kwargs).send()


class Embeddings(_Namespace):
    """``client.embeddings``."""

    __slots__ = ()

    def create(self, **kwargs: Any) -> Any:
        """``POST /embeddings``: a ``CreateEmbeddingResponse`` (vectors as lists of floats)."""
        return _apply(self._client.embeddings().create(), ("embeddings",), "create", kwargs).send()


class Completions(_Namespace):
    """``client.completions`` (legacy completions)."""

    __slots__ = ()

    def create(self, *, stream: Any = _OMITTED, **kwargs: Any) -> Any:
        """``POST /completions``: a ``Completion``, or with ``stream=True`` a stream of them."""
        builder = _apply(self._client.completions().create(), ("completions",), "create", kwargs)
        return _send_or_stream(builder, stream)


class Models(_Namespace):
    """``client.models``."""

    __slots__ = ()

    def list(self, **kwargs: Any) -> Any:
        """``GET /models``: a ``CursorPage`` of ``Model`` (iterating it reads every page)."""
        return _apply(self._client.models().list(), ("models",), "list", kwargs).send()

    def retrieve(self, model: str, **kwargs: Any) -> Any:
        """``GET /models/{model}``: the ``Model``."""
        return _apply(self._client.models().retrieve(model), ("models",), "retrieve", kwargs).send()


class OpenAI:
    """A client with the official SDK's call style, backed by :class:`~openai_core.Client`.

    Args:
        api_key, organization, project, base_url, max_retries, default_headers, default_query:
            As for :class:`~openai_core.Client` (``None`` reads the environment).
        timeout: Seconds, a ``(connect, read)`` tuple, a :class:`~openai_core.Timeout` or an
            ``httpx.Timeout``.
        client: Use this :class:`~openai_core.Client` instead of building one.

    Examples:
        >>> client = OpenAI(base_url="http://127.0.0.1:8080/v1", api_key="none")
        >>> for chunk in client.chat.completions.create(model="m", messages=[...], stream=True):
        ...     print(chunk.choices[0].delta.content if chunk.choices else "", end="")
    """

    def __init__(
        self,
        *,
        api_key: Optional[str] = None,
        organization: Optional[str] = None,
        project: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Any = None,
        max_retries: Optional[int] = None,
        default_headers: Optional[Mapping[str, str]] = None,
        default_query: Optional[Mapping[str, Any]] = None,
        client: Optional[Client] = None,
    ) -> None:
        self._client = client or Client(
            api_key=api_key,
            organization=organization,
            project=project,
            base_url=base_url,
            timeout=_timeout(timeout) if timeout is not None and _given(timeout) else None,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
        )

    @property
    def chat(self) -> Chat:
        return Chat(self._client)

    @property
    def responses(self) -> Responses:
        return Responses(self._client)

    @property
    def embeddings(self) -> Embeddings:
        return Embeddings(self._client)

    @property
    def completions(self) -> Completions:
        return Completions(self._client)

    @property
    def models(self) -> Models:
        return Models(self._client)

    def close(self) -> None:
        """Close the underlying client's connections."""
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
