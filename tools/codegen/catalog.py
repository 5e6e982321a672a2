"""Derive the endpoint catalog from the OpenAPI spec: names, parameters, kinds, pagination.

Operation names follow the official SDKs: where the spec's Python example calls
``client.a.b.method(...)`` that chain is used; otherwise the name comes from the path shape
(``GET /x`` -> ``x.list``, ``POST /x`` -> ``x.create``, ``GET /x/{id}`` -> ``x.retrieve``,
``POST /x/{id}`` -> ``x.update``, ``DELETE /x/{id}`` -> ``x.delete``, ``POST /x/{id}/cancel`` ->
``x.cancel``), with a few overrides where the official SDKs name an operation otherwise. Admin
operations (``/organization/...`` and the role operations under ``/projects/...``) live under
``admin().organization()``.
"""

from __future__ import annotations

import keyword
import re
from typing import Any, Dict, List, Mapping, Optional, Set, Tuple

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
DOC_ROOT = "https://platform.openai.com/docs/api-reference"

# Builder methods a field setter must not shadow (a clash gets a trailing underscore).
RESERVED = frozenset(
    {
        "build",
        "send",
        "send_raw",
        "send_with_meta",
        "stream",
        "to_curl",
        "timeout",
        "max_retries",
        "header",
        "extra_body",
        "body_value",
        "query",
    }
)

# (method, path) -> (namespace, name) where the official SDKs' names differ from the rules.
OVERRIDES: Dict[Tuple[str, str], Tuple[Tuple[str, ...], str]] = {
    ("get", "/fine_tuning/jobs/{fine_tuning_job_id}/events"): (
        ("fine_tuning", "jobs"),
        "list_events",
    ),
    ("get", "/files/{file_id}/content"): (("files",), "content"),
    ("get", "/vector_stores/{vector_store_id}/files/{file_id}/content"): (
        ("vector_stores", "files"),
        "content",
    ),
    ("get", "/containers/{container_id}/files/{file_id}/content"): (
        ("containers", "files", "content"),
        "retrieve",
    ),
    ("get", "/videos/{video_id}/content"): (("videos",), "download_content"),
    ("get", "/skills/{skill_id}/content"): (("skills", "content"), "retrieve"),
    ("get", "/skills/{skill_id}/versions/{version}/content"): (
        ("skills", "versions", "content"),
        "retrieve",
    ),
    ("post", "/vector_stores/{vector_store_id}/search"): (("vector_stores",), "search"),
    ("post", "/uploads/{upload_id}/parts"): (("uploads", "parts"), "create"),
    ("post", "/realtime/calls"): (("realtime", "calls"), "create"),
    ("post", "/audio/speech"): (("audio", "speech"), "create"),
    ("post", "/realtime/client_secrets"): (("realtime", "client_secrets"), "create"),
}

# Top-level namespaces whose operations need an OpenAI-Beta header.
BETA_HEADERS = {
    "assistants": "assistants=v2",
    "threads": "assistants=v2",
    "chatkit": "chatkit_beta=v1",
}
# Top-level path segments that the official SDKs put under ``beta``.
BETA_NAMESPACES = frozenset({"assistants", "threads", "chatkit"})


def snake(text: str) -> str:
    """``createChatCompletion`` / ``admin-api-keys-list`` -> ``create_chat_completion``."""
    text = re.sub(r"[^0-9A-Za-z]+", "_", text)
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    return re.sub(r"_+", "_", text).strip("_").lower()


def safe_name(name: str) -> str:
    """A Python identifier for a wire name (keywords and reserved builder names get ``_``)."""
    ident = re.sub(r"\W", "_", name)
    if not ident or ident[0].isdigit():
        ident = "_" + ident
    if keyword.iskeyword(ident) or ident in RESERVED:
        ident += "_"
    return ident


class Spec:
    """The loaded spec with ``$ref`` resolution helpers."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.schemas: Mapping[str, Any] = data["components"]["schemas"]
        self.parameters: Mapping[str, Any] = data["components"].get("parameters", {})
        self.request_bodies: Mapping[str, Any] = data["components"].get("requestBodies", {})
        self.responses: Mapping[str, Any] = data["components"].get("responses", {})

    def ref_name(self, schema: Any) -> Optional[str]:
        if isinstance(schema, Mapping) and "$ref" in schema:
            return str(schema["$ref"]).rsplit("/", 1)[-1]
        return None

    def resolve(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, Mapping) and "$ref" in node and seen < 50:
            ref = str(node["$ref"])
            kind, name = ref.split("/")[-2], ref.rsplit("/", maxsplit=1)[-1]
            table = {
                "schemas": self.schemas,
                "parameters": self.parameters,
                "requestBodies": self.request_bodies,
                "responses": self.responses,
            }[kind]
            node = table[name]
            seen += 1
        return node

    def properties(self, schema: Any) -> Tuple[Dict[str, Any], Set[str]]:
        """Properties and required names of an object schema, ``allOf`` merged."""
        schema = self.resolve(schema)
        props: Dict[str, Any] = {}
        required: Set[str] = set()
        if not isinstance(schema, Mapping):
            return props, required
        for part in schema.get("allOf", []):
            sub_props, sub_required = self.properties(part)
            props.update(sub_props)
            required |= sub_required
        props.update(schema.get("properties", {}))
        required |= set(schema.get("required", []))
        return props, required

    def kind(self, schema: Any) -> Tuple[str, Tuple[str, ...], bool]:
        """``(kind, enum values, nullable)`` of a parameter or field schema."""
        schema = self.resolve(schema)
        if not isinstance(schema, Mapping):
            return "any", (), False
        nullable = bool(schema.get("nullable"))
        types = schema.get("type")
        if isinstance(types, list):
            nullable = nullable or "null" in types
            types = [t for t in types if t != "null"]
            types = types[0] if len(types) == 1 else None
        for key in ("anyOf", "oneOf"):
            members = schema.get(key)
            if isinstance(members, list):
                real = [m for m in members if self.resolve(m).get("type") != "null"]
                nullable = nullable or len(real) != len(members)
                if len(real) == 1:
                    kind, enum, inner_null = self.kind(real[0])
                    return kind, enum, nullable or inner_null
                kinds = {self.kind(m)[0] for m in real}
                if "file" in kinds or "files" in kinds:
                    return "file", (), nullable  # one upload (or a list: see "files")
                return (kinds.pop() if len(kinds) == 1 else "any"), (), nullable
        if len(schema.get("allOf", [])) == 1 and not schema.get("properties"):
            kind, enum, inner_null = self.kind(schema["allOf"][0])
            return kind, enum, nullable or inner_null
        enum = tuple(str(v) for v in schema.get("enum", []) if v is not None)
        if types == "string" and schema.get("format") == "binary":
            return "file", (), nullable
        if types == "array" and self.kind(schema.get("items", {}))[0] == "file":
            return "files", (), nullable
        if types in ("string", "integer", "number", "boolean", "array", "object"):
            return str(types), enum, nullable
        if "properties" in schema or "additionalProperties" in schema:
            return "object", enum, nullable
        return "any", enum, nullable


def _python_examples(op: Mapping[str, Any]) -> List[str]:
    examples = op.get("x-oaiMeta", {}).get("examples")
    found: List[str] = []
    for example in examples if isinstance(examples, list) else [examples]:
        if isinstance(example, Mapping):
            request = example.get("request")
            if isinstance(request, Mapping) and isinstance(request.get("python"), str):
                found.append(request["python"])
    return found


def _example_call(op: Mapping[str, Any]) -> Optional[Tuple[Tuple[str, ...], str]]:
    for source in _python_examples(op):
        calls = re.findall(r"client\.([a-z_][\w.]*)\(", source)
        if calls:
            parts = tuple("chatkit" if p == "chat_kit" else p for p in calls[0].split("."))
            if len(parts) >= 2:
                return parts[:-1], parts[-1]
    return None


def _static(segment: str) -> bool:
    return not segment.startswith("{")


def _rule_name(
    method: str,
    segments: List[str],
    collections: Set[Tuple[str, ...]],
    singletons: Set[Tuple[str, ...]],
    is_list: bool,
) -> Tuple[Tuple[str, ...], str]:
    statics = tuple(snake(s) for s in segments if _static(s))
    last = segments[-1]
    if not _static(last):
        return statics, {"get": "retrieve", "post": "update", "delete": "delete"}.get(
            method, method
        )
    key = tuple(segments)
    if key in collections or is_list or len(segments) == 1:
        return statics, {"get": "list", "post": "create", "delete": "delete"}.get(method, method)
    if key in singletons:
        # A resource without ids (data_retention, spend_limit, ...): read, replace, remove.
        return statics, {"get": "retrieve", "post": "update", "delete": "delete"}.get(
            method, method
        )
    if method == "post" and last.endswith("s"):
        return statics, "create"  # a sub-collection that can only be added to
    # Otherwise an action on what precedes it (cancel, archive, activate, validate, ...).
    return statics[:-1], snake(last)


def _namespace_root(path: str) -> Tuple[Tuple[str, ...], str, bool]:
    """``(prefix namespaces, remaining path, admin)``."""
    beta = False
    if "?beta=true" in path:
        path = path.replace("?beta=true", "")
        beta = True
    admin = path.startswith("/organization") or path.startswith("/projects/")
    if path.startswith("/organization"):
        return ("admin", "organization"), path[len("/organization") :] or "/", True
    if admin:
        return ("admin", "organization"), path, True
    first = path.strip("/").split("/")[0]
    if beta or first in BETA_NAMESPACES:
        return ("beta",), path, False
    return (), path, admin


def derive_endpoints(spec: Spec) -> List[Dict[str, Any]]:
    """One dict per operation with every :class:`openai_core._catalog.Endpoint` field."""
    paths: Mapping[str, Any] = spec.data["paths"]
    collections: Set[Tuple[str, ...]] = set()
    singletons: Set[Tuple[str, ...]] = set()
    for raw_path, item in paths.items():
        _, rest, _ = _namespace_root(raw_path)
        segments = [s for s in rest.strip("/").split("/") if s]
        for i in range(len(segments) - 1):
            if _static(segments[i]) and not _static(segments[i + 1]):
                collections.add(tuple(segments[: i + 1]))
        if segments and _static(segments[-1]) and "get" in item:
            singletons.add(tuple(segments))

    # A Python example's call chain names the operation, unless several examples share it
    # (an example that first lists, then acts, names the wrong operation).
    # The ``?beta=true`` twins of the Responses operations reuse their GA examples.
    chains: Dict[Tuple[Tuple[str, ...], str], int] = {}
    for raw_path, item in paths.items():
        if "?beta=true" in raw_path:
            continue
        for method in HTTP_METHODS:
            if method in item:
                call = _example_call(item[method])
                if call is not None:
                    chains[call] = chains.get(call, 0) + 1
    trusted = {call for call, count in chains.items() if count == 1}

    endpoints: List[Dict[str, Any]] = []
    for raw_path, item in paths.items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            endpoints.append(
                _endpoint(spec, raw_path, method, item, op, collections, singletons, trusted)
            )
    _fix_collisions(endpoints)
    endpoints.sort(key=lambda e: (e["namespace"], e["name"], e["path"], e["method"]))
    return endpoints


def _params(spec: Spec, item: Mapping[str, Any], op: Mapping[str, Any]) -> List[Mapping[str, Any]]:
    out = []
    for raw in [*item.get("parameters", []), *op.get("parameters", [])]:
        out.append(spec.resolve(raw))
    return out


def _endpoint(
    spec: Spec,
    raw_path: str,
    method: str,
    item: Mapping[str, Any],
    op: Mapping[str, Any],
    collections: Set[Tuple[str, ...]],
    singletons: Set[Tuple[str, ...]],
    trusted: Set[Tuple[Tuple[str, ...], str]],
) -> Dict[str, Any]:
    prefix, rest, admin = _namespace_root(raw_path)
    segments = [s for s in rest.strip("/").split("/") if s]
    params = _params(spec, item, op)
    path_params = tuple(re.findall(r"{(\w+)}", raw_path))
    query = [p for p in params if p.get("in") == "query"]
    response_model, item_model, response_kind, stream_model, pagination = _response(spec, op, query)
    is_list = pagination != "none" or (item_model is not None and method == "get")

    override = OVERRIDES.get((method, raw_path.replace("?beta=true", "")))
    if override is not None:
        namespace, name = override
        namespace = prefix + namespace if prefix == ("beta",) else namespace
        if admin:
            namespace = prefix + namespace
    else:
        example = None if admin else _example_call(op)
        if example not in trusted:
            example = None
        rule_ns, rule_name = _rule_name(method, segments, collections, singletons, is_list)
        namespace, name = prefix + rule_ns, rule_name
        if example is not None:
            example_ns, example_name = example
            if prefix == ("beta",) and example_ns[:1] != ("beta",):
                example_ns = prefix + example_ns
            namespace, name = example_ns, example_name
    if response_kind == "none" and method == "get" and raw_path.endswith("/content"):
        response_kind = "binary"  # file contents whose media type the spec leaves open
    request_kind, request_model, body_fields = _request(spec, op)
    if stream_model is None and any(f["name"] == "stream" for f in body_fields):
        # Streams the spec does not list as text/event-stream: legacy completions send the
        # response object per event; the Assistants API sends named events.
        stream_model = "AssistantStreamEvent" if segments[:1] == ["threads"] else response_model
    beta = None
    top = segments[0] if segments else ""
    if top in BETA_HEADERS:
        beta = BETA_HEADERS[top]
    return {
        "operation_id": str(op.get("operationId") or snake(f"{method}_{raw_path}")),
        "method": method.upper(),
        "path": raw_path,
        "namespace": tuple(namespace),
        "name": name,
        "path_params": path_params,
        "query_params": tuple(
            _param_record(spec, p["name"], p.get("schema", {}), bool(p.get("required")))
            for p in query
        ),
        "body_fields": body_fields,
        "request_kind": request_kind,
        "response_kind": response_kind,
        "streams": stream_model is not None,
        "pagination": pagination,
        "beta": beta,
        "request_model": request_model,
        "response_model": response_model,
        "stream_event_model": stream_model,
        "item_model": item_model,
        "admin": admin,
        "doc_url": _doc_url(op),
    }


def _param_record(spec: Spec, name: str, schema: Any, required: bool) -> Dict[str, Any]:
    kind, enum, nullable = spec.kind(schema)
    return {
        "name": name,
        # ``query`` is overloaded: one argument sets the field, two set a query parameter.
        "setter": "query" if name == "query" else safe_name(name),
        "required": required,
        "kind": kind,
        "enum": enum,
        "nullable": nullable,
    }


def _request(
    spec: Spec, op: Mapping[str, Any]
) -> Tuple[str, Optional[str], Tuple[Dict[str, Any], ...]]:
    body = spec.resolve(op.get("requestBody"))
    if not isinstance(body, Mapping):
        return "none", None, ()
    content = body.get("content", {})
    multipart = content.get("multipart/form-data")
    if multipart is not None and (
        "application/json" not in content
        or any(
            spec.kind(prop)[0] in ("file", "files")
            for prop in spec.properties(multipart.get("schema", {}))[0].values()
        )
    ):
        # Uploads: the multipart form wins where the JSON form cannot carry the file.
        kind, media = "multipart", multipart
    elif "application/json" in content:
        kind, media = "json", content["application/json"]
    elif "multipart/form-data" in content:
        kind, media = "multipart", content["multipart/form-data"]
    elif "application/sdp" in content:
        kind, media = "sdp", content["application/sdp"]
    else:
        return "none", None, ()
    schema = media.get("schema", {})
    model = spec.ref_name(schema)
    if kind == "sdp":
        return kind, model, ()
    props, required = spec.properties(schema)
    if not props:
        # A union body (oneOf of objects): offer the union of their fields.
        resolved = spec.resolve(schema)
        for member in (
            (resolved.get("oneOf") or resolved.get("anyOf") or [])
            if isinstance(resolved, Mapping)
            else []
        ):
            sub_props, _ = spec.properties(member)
            for key, value in sub_props.items():
                props.setdefault(key, value)
    fields = tuple(
        _param_record(spec, name, prop, name in required) for name, prop in sorted(props.items())
    )
    return kind, model, fields


def _response(
    spec: Spec, op: Mapping[str, Any], query: List[Mapping[str, Any]]
) -> Tuple[Optional[str], Optional[str], str, Optional[str], str]:
    """``(response model, list item model, response kind, stream event model, pagination)``."""
    response_model: Optional[str] = None
    item_model: Optional[str] = None
    stream_model: Optional[str] = None
    kind = "none"
    pagination = "none"
    for code, raw in sorted(op.get("responses", {}).items()):
        if not str(code).startswith("2"):
            continue
        response = spec.resolve(raw)
        content = response.get("content", {}) if isinstance(response, Mapping) else {}
        for media_type, media in content.items():
            schema = media.get("schema", {})
            resolved = spec.resolve(schema)
            if media_type == "text/event-stream":
                stream_model = spec.ref_name(schema)
                continue
            if media_type == "application/json":
                if isinstance(resolved, Mapping) and resolved.get("type") == "string":
                    kind = "binary" if kind in ("none", "binary") else kind
                    continue
                kind = "json"
                response_model = spec.ref_name(schema)
                props, _ = spec.properties(schema)
                data = spec.resolve(props.get("data", {}))
                if isinstance(data, Mapping) and data.get("type") == "array":
                    item_model = spec.ref_name(data.get("items", {}))
                names = {q.get("name") for q in query}
                if "has_more" in props:
                    if "next_page" in props and "page" in names:
                        pagination = "next_page"
                    elif "next" in props and "after" in names:
                        pagination = "after_next"
                    elif "last_id" in props and "after" in names:
                        pagination = "after_last_id"
                    elif "after" in names:
                        pagination = "after_id"
            elif media_type == "application/sdp":
                kind = "sdp"
            elif media_type.startswith("text/"):
                kind = "text" if kind == "none" else kind
            elif kind != "json":
                kind = "binary"
    return response_model, item_model, kind, stream_model, pagination


def _doc_url(op: Mapping[str, Any]) -> str:
    meta = op.get("x-oaiMeta", {})
    group = meta.get("group")
    name = meta.get("name")
    if isinstance(group, str) and group:
        anchor = snake(name).replace("_", "-") if isinstance(name, str) else ""
        return f"{DOC_ROOT}/{group}" + (f"/{anchor}" if anchor else "")
    return DOC_ROOT


def _fix_collisions(endpoints: List[Dict[str, Any]]) -> None:
    """Rename operations that would share a method, or shadow a sub-namespace."""
    namespaces = {e["namespace"][: i + 1] for e in endpoints for i in range(len(e["namespace"]))}
    seen: Dict[Tuple[Tuple[str, ...], str], Dict[str, Any]] = {}
    for endpoint in sorted(endpoints, key=lambda e: (len(e["path"]), e["path"], e["method"])):
        key = (endpoint["namespace"], endpoint["name"])
        clash = key in seen or (*endpoint["namespace"], endpoint["name"]) in namespaces
        if clash:
            endpoint["name"] = snake(endpoint["operation_id"])
            key = (endpoint["namespace"], endpoint["name"])
        seen[key] = endpoint
