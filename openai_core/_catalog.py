"""The endpoint catalog's record type; the records themselves are generated from the OpenAPI spec
into ``openai_core/_generated/catalog.py`` by ``python -m tools.codegen``.

Each record says how an operation is reached (``namespace`` and ``name``: the chain of resource
methods from the client and the operation method, as the official SDKs name them), what goes on
the wire, and what comes back.
"""

from __future__ import annotations

from typing import Optional, Tuple

import attrs

__all__ = ["Endpoint", "Param", "load_catalog"]


@attrs.frozen(kw_only=True)
class Param:
    """One query parameter or request-body field.

    Attributes:
        name: The wire name (also the setter's name, with a trailing ``_`` if it is a Python
            keyword or clashes with a builder terminal).
        setter: The builder method that sets it.
        required: Whether the spec requires it.
        kind: ``"string"``, ``"integer"``, ``"number"``, ``"boolean"``, ``"array"``,
            ``"object"``, ``"file"`` (a multipart file part), ``"files"`` (several) or ``"any"``.
        enum: The documented values of an (open) enum, else empty.
        nullable: Whether ``null`` is an accepted value.
    """

    name: str
    setter: str
    required: bool = False
    kind: str = "any"
    enum: Tuple[str, ...] = ()
    nullable: bool = False


@attrs.frozen(kw_only=True)
class Endpoint:
    """One API operation.

    Attributes:
        operation_id: The spec's ``operationId``.
        method: HTTP method, upper case.
        path: Path template relative to the base URL, e.g. ``/vector_stores/{vector_store_id}``.
        namespace: Resource methods from the client, e.g. ``("vector_stores", "file_batches")``;
            admin operations start with ``("admin", "organization")``.
        name: The operation method, e.g. ``"create"``.
        path_params: Path parameters, in path order (the operation method's positional
            arguments).
        query_params: Query parameters.
        body_fields: Request-body fields (JSON or multipart).
        request_kind: ``"json"``, ``"multipart"``, ``"sdp"`` or ``"none"``.
        response_kind: ``"json"``, ``"binary"``, ``"text"``, ``"sdp"`` or ``"none"``.
        streams: Whether the operation can answer with server-sent events.
        pagination: ``"after_id"`` (``after=<id of the last item>``), ``"after_last_id"``
            (``after=<last_id>``), ``"after_next"`` (``after=<next>``), or ``"none"``.
        beta: The ``OpenAI-Beta`` header value the operation needs, or ``None``.
        request_model: Schema name of the request body, or ``None``.
        response_model: Schema name of the JSON response, or ``None``.
        stream_event_model: Schema name of one stream event, or ``None``.
        item_model: For paginated lists, the schema name of one item, or ``None``.
        admin: Whether the operation needs the admin API key.
        doc_url: The API reference page.
    """

    operation_id: str
    method: str
    path: str
    namespace: Tuple[str, ...]
    name: str
    path_params: Tuple[str, ...] = ()
    query_params: Tuple[Param, ...] = ()
    body_fields: Tuple[Param, ...] = ()
    request_kind: str = "none"
    response_kind: str = "json"
    streams: bool = False
    pagination: str = "none"
    beta: Optional[str] = None
    request_model: Optional[str] = None
    response_model: Optional[str] = None
    stream_event_model: Optional[str] = None
    item_model: Optional[str] = None
    admin: bool = False
    doc_url: str = ""

    @property
    def call(self) -> str:
        """How to reach it, e.g. ``client.vector_stores().files().list(vector_store_id)``."""
        chain = "".join(f".{part}()" for part in self.namespace)
        args = ", ".join(self.path_params)
        return f"client{chain}.{self.name}({args})"


def load_catalog() -> Tuple[Endpoint, ...]:
    """Every operation of the spec this package was generated from."""
    from openai_core._generated.catalog import ENDPOINTS

    return ENDPOINTS
