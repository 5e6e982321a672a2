"""Valid example values for an operation's parameters, derived from the OpenAPI spec.

The contract tests must send every operation with its required parameters set to values the
spec-driven mock accepts. For one field the value is, in this order: the schema's ``const``, its
``example`` (or first of ``examples``) if that fits the schema's type, the first value of its
``enum``, its ``default``, or a value synthesized from its type and format (objects get their
required properties, arrays their minimum number of items, unions their first non-null variant,
with the rest of the schema applied to it). Binary fields get a small file part.

Every one of the spec's 288 operations, filled this way, is accepted by the mock without a
diagnostic (checked with the endpoint catalog the generator derives from the same spec).

The spec document is the JSON the mock serves at ``/_x-steady/spec`` (so no YAML parser is
needed), or any already-parsed OpenAPI 3.1 document.
"""

from __future__ import annotations

import copy
from typing import Any, Dict, List, Mapping, Optional, Tuple

__all__ = ["SpecExamples", "file_part", "required_arguments"]

JsonDict = Dict[str, Any]

_MAX_DEPTH = 12

_CONTENT_TYPES = {
    "json": "application/json",
    "multipart": "multipart/form-data",
    "sdp": "application/sdp",
}


def required_arguments(
    endpoint: Any, examples: SpecExamples
) -> Tuple[List[str], List[Tuple[str, Any]]]:
    """What the contract test passes to reach and fill one catalog ``Endpoint``.

    Returns the path arguments (in path order) and ``(setter, value)`` for every required query
    parameter and request-body field.
    """
    op = endpoint.operation_id
    path_args = [examples.path_value(op, name) for name in endpoint.path_params]
    calls: List[Tuple[str, Any]] = [
        (param.setter, examples.parameter_value(op, "query", param.name))
        for param in endpoint.query_params
        if param.required
    ]
    # The catalog's required fields, plus those of the first variant of a body that is a union
    # (``anyOf: [{required: [file_ids]}, {required: [files]}]``), which the catalog cannot mark.
    _, spec_required = examples.body_properties(op, endpoint.request_kind)
    setters = {param.name: param.setter for param in endpoint.body_fields}
    names = [param.name for param in endpoint.body_fields if param.required]
    names.extend(name for name in spec_required if name not in names)
    for name in names:
        if name not in setters:
            raise KeyError(f"{op}: the spec requires body field {name!r}; no setter in the catalog")
        calls.append((setters[name], examples.body_value(op, name, endpoint.request_kind)))
    return path_args, calls


def file_part(name: str = "file.jsonl") -> Tuple[str, bytes, str]:
    """A small multipart file part: ``(filename, content, content type)``."""
    lowered = name.lower()
    if lowered.endswith(".png"):
        return (name, b"\x89PNG\r\n\x1a\n", "image/png")
    if lowered.endswith(".wav"):
        return (name, b"RIFF\x00\x00\x00\x00WAVE", "audio/wav")
    return (name, b"{}\n", "application/jsonl")


class SpecExamples:
    """Looks up operations and schemas in one spec document and makes example values."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.spec = spec
        self._operations: Dict[str, Tuple[str, str, JsonDict, List[JsonDict]]] = {}
        for route, item in spec.get("paths", {}).items():
            shared = list(item.get("parameters", ()))
            for method, operation in item.items():
                if method in ("get", "post", "put", "patch", "delete") and isinstance(
                    operation, dict
                ):
                    params = [*shared, *operation.get("parameters", ())]
                    resolved = [self.resolve(param) for param in params]
                    op_id = str(operation.get("operationId") or f"{method} {route}")
                    self._operations[op_id] = (method.upper(), route, operation, resolved)

    # -- lookups -----------------------------------------------------------------------------

    def operation_ids(self) -> List[str]:
        return list(self._operations)

    def method_and_path(self, operation_id: str) -> Tuple[str, str]:
        method, route, _, _ = self._operations[operation_id]
        return method, route

    def resolve(self, node: Any) -> Any:
        """Follow local ``$ref`` chains (``#/components/...``)."""
        seen = 0
        while isinstance(node, dict) and "$ref" in node:
            ref = str(node["$ref"])
            if not ref.startswith("#/"):
                raise ValueError(f"external $ref not supported: {ref}")
            target: Any = self.spec
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
            seen += 1
            if seen > 50:
                raise ValueError(f"$ref cycle at {ref}")
        return node

    def parameters(self, operation_id: str, location: str) -> List[JsonDict]:
        """The operation's parameters ``in`` ``location`` (``path``, ``query``, ``header``)."""
        return [p for p in self._operations[operation_id][3] if p.get("in") == location]

    def request_content(
        self, operation_id: str, kind: Optional[str] = None
    ) -> Tuple[Optional[str], Optional[JsonDict]]:
        """``(content type, resolved schema)`` of the request body, or ``(None, None)``.

        ``kind`` (``"json"``, ``"multipart"``, ``"sdp"``, as in the endpoint catalog) picks one of
        several content types; otherwise the first is taken.
        """
        body = self.resolve(self._operations[operation_id][2].get("requestBody"))
        if not isinstance(body, dict):
            return None, None
        content = body.get("content") or {}
        wanted = _CONTENT_TYPES.get(kind or "")
        for content_type, media in content.items():
            if wanted is None or content_type == wanted:
                return content_type, self.resolve((media or {}).get("schema") or {})
        return None, None

    def body_properties(
        self, operation_id: str, kind: Optional[str] = None
    ) -> Tuple[JsonDict, List[str]]:
        """The request body's properties (``allOf`` merged; union variants united) and its
        required field names."""
        _, schema = self.request_content(operation_id, kind)
        if schema is None:
            return {}, []
        merged = self.merged(schema)
        properties = dict(merged.get("properties") or {})
        required = list(merged.get("required") or [])
        for key in ("anyOf", "oneOf"):
            first = True
            for variant in merged.get(key) or ():
                part = self.merged(self.resolve(variant))
                if _is_null_schema(part):
                    continue
                for name, prop in (part.get("properties") or {}).items():
                    properties.setdefault(name, prop)
                if first:  # the first variant's required fields make the body valid
                    required.extend(n for n in part.get("required") or () if n not in required)
                    first = False
        return properties, required

    def merged(self, schema: Any) -> JsonDict:
        """``schema`` with its ``allOf`` parts merged in (properties and required united)."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return {}
        if "allOf" not in schema:
            return schema
        result: JsonDict = {k: v for k, v in schema.items() if k != "allOf"}
        properties: JsonDict = dict(result.get("properties") or {})
        required: List[str] = list(result.get("required") or [])
        for part in schema["allOf"]:
            sub = self.merged(part)
            for key, value in sub.items():
                if key == "properties":
                    for name, prop in value.items():
                        properties.setdefault(name, prop)
                elif key == "required":
                    required.extend(name for name in value if name not in required)
                else:
                    result.setdefault(key, value)
        if properties:
            result["properties"] = properties
        if required:
            result["required"] = required
        return result

    # -- values ------------------------------------------------------------------------------

    def body_value(self, operation_id: str, field: str, kind: Optional[str] = None) -> Any:
        """A valid value for the request-body field ``field``; a binary field (a multipart file
        part) gets a :func:`file_part`, an array of them a one-item list."""
        properties, _ = self.body_properties(operation_id, kind)
        if field not in properties:
            raise KeyError(f"{operation_id}: the request body has no field {field!r}")
        schema = self.merged(properties[field])
        if self.is_binary(schema):
            return self.file_for(operation_id, field)
        if schema.get("type") == "array" and self.is_binary(schema.get("items")):
            return [self.file_for(operation_id, field)]
        for variant in schema.get("anyOf") or schema.get("oneOf") or ():
            variant = self.merged(variant)  # noqa: PLW2901
            if variant.get("type") == "array" and self.is_binary(variant.get("items")):
                return [self.file_for(operation_id, field)]  # files: a list of uploads
        return self.value(schema)

    def is_binary(self, schema: Any) -> bool:
        """Whether ``schema`` describes file content (``format: binary`` and the like)."""
        schema = self.merged(schema)
        if schema.get("format") == "binary" or "contentMediaType" in schema:
            return True
        variants = [self.resolve(v) for v in schema.get("anyOf") or schema.get("oneOf") or ()]
        real = [v for v in variants if not _is_null_schema(v)]
        return bool(real) and self.is_binary(real[0])

    def file_for(self, operation_id: str, field: str) -> Tuple[str, bytes, str]:
        """A file part whose type suits the operation (an image, a sound, else JSON lines)."""
        _, route = self.method_and_path(operation_id)
        if route.startswith("/images") or field in ("image", "mask", "input_reference"):
            return file_part("image.png")
        if route.startswith("/audio"):
            return file_part("audio.wav")
        return file_part()

    def parameter_value(self, operation_id: str, location: str, name: str) -> Any:
        """A valid value for the ``path``/``query`` parameter ``name``."""
        for param in self.parameters(operation_id, location):
            if param.get("name") == name:
                schema = dict(self.resolve(param.get("schema") or {}))
                if "example" in param and "example" not in schema:
                    schema["example"] = param["example"]
                value = self.value(schema)
                if location == "path" and (value is None or value == ""):
                    return f"{name}_123"
                return value
        raise KeyError(f"{operation_id}: no {location} parameter {name!r}")

    def path_value(self, operation_id: str, name: str) -> str:
        """A path parameter value: the spec's example, else ``<name>_123``."""
        value = self.parameter_value(operation_id, "path", name)
        if not isinstance(value, str) or value == "string":
            return f"{name}_123"
        return value

    def value(self, schema: Any, depth: int = 0) -> Any:
        """An example instance of ``schema``."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict) or depth > _MAX_DEPTH:
            return None
        if "const" in schema:
            return copy.deepcopy(schema["const"])
        # Spec examples are used only when they fit the schema's type (some do not, e.g. an
        # object-typed JSON schema field whose example is the schema as a string).
        candidates = [schema.get("example")]
        if isinstance(schema.get("examples"), list):
            candidates.extend(schema["examples"][:1])
        for example in candidates:
            if example is not None and _fits(example, schema):
                return copy.deepcopy(example)
        enum = [value for value in schema.get("enum") or () if value is not None]
        if enum:
            return copy.deepcopy(enum[0])
        if (
            "default" in schema
            and schema["default"] is not None
            and _fits(schema["default"], schema)
        ):
            return copy.deepcopy(schema["default"])
        if "allOf" in schema:
            return self.value(self.merged(schema), depth + 1)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                # The rest of the schema applies to every variant: a variant may be a full
                # schema or only a constraint such as ``{"required": ["file_id"]}``.
                base = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf")}
                for variant in schema[key]:
                    resolved = self.resolve(variant)
                    if _is_null_schema(resolved):
                        continue
                    combined = self.merged({"allOf": [base, resolved]}) if base else resolved
                    candidate = self.value(combined, depth + 1)
                    if candidate is not None:
                        return candidate
                return None
        return self._synthesize(schema, depth)

    def _synthesize(self, schema: JsonDict, depth: int) -> Any:
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), None)
        if kind is None:
            if "properties" in schema:
                kind = "object"
            elif "items" in schema:
                kind = "array"
        if kind == "string":
            return _string(schema)
        if kind == "integer":
            return int(_number(schema, 1))
        if kind == "number":
            return float(_number(schema, 1.0))
        if kind == "boolean":
            return True
        if kind == "array":
            count = max(int(schema.get("minItems") or 1), 1)
            item = self.value(schema.get("items") or {"type": "string"}, depth + 1)
            return [copy.deepcopy(item) for _ in range(count)]
        if kind == "object" or kind is None:
            result: JsonDict = {}
            properties = schema.get("properties") or {}
            for name in schema.get("required") or ():
                result[name] = self.value(properties.get(name, {}), depth + 1)
            return result
        return None


_PYTHON_TYPES: Dict[str, Tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def _fits(value: Any, schema: JsonDict) -> bool:
    """A shallow check that ``value`` suits ``schema``: its type, enum and required keys."""
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if kind else []
    if kinds:
        if value is None:
            return "null" in kinds or bool(schema.get("nullable"))
        matched = False
        for name in kinds:
            types = _PYTHON_TYPES.get(name, ())
            if isinstance(value, types) and not (
                isinstance(value, bool) and name in ("integer", "number")
            ):
                matched = True
        if not matched:
            return False
    enum = schema.get("enum")
    if isinstance(enum, list) and enum and value not in enum:
        return False
    if isinstance(value, dict):
        return all(name in value for name in schema.get("required") or ())
    return True


def _is_null_schema(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("type") == "null" or schema.get("type") == ["null"]
    )


def _number(schema: JsonDict, fallback: float) -> float:
    low = schema.get("minimum")
    exclusive_low = schema.get("exclusiveMinimum")
    high = schema.get("maximum")
    value = fallback
    if isinstance(low, (int, float)) and not isinstance(low, bool):
        value = max(value, low)
    if isinstance(exclusive_low, (int, float)) and not isinstance(exclusive_low, bool):
        value = max(value, exclusive_low + 1)
    if isinstance(high, (int, float)) and not isinstance(high, bool):
        value = min(value, high)
    return value


def _string(schema: JsonDict) -> str:
    fmt = schema.get("format")
    if fmt == "date-time":
        return "2024-01-01T00:00:00Z"
    if fmt == "date":
        return "2024-01-01"
    if fmt in ("uri", "url"):
        return "https://example.com/a"
    if fmt == "email":
        return "user@example.com"
    if fmt == "uuid":
        return "123e4567-e89b-12d3-a456-426614174000"
    text = "string"
    low = schema.get("minLength")
    if isinstance(low, int) and low > len(text):
        text = text + "x" * (low - len(text))
    high = schema.get("maxLength")
    if isinstance(high, int) and 0 < high < len(text):
        text = text[:high]
    return text
