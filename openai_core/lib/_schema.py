"""JSON Schema for structured output: generated from Python types, then made strict.

:func:`to_json_schema` turns an attrs class, a dataclass or a ``TypedDict`` into a JSON Schema
(our own small generator, no pydantic). Field types may be ``str``, ``int``, ``float``,
``bool``, ``None``, ``Literal[...]``, ``Enum`` subclasses, ``Optional[...]`` and other unions,
``List[...]`` / ``Sequence[...]`` / ``Tuple[X, ...]``, and nested (also recursive) classes.
Descriptions come from a field's ``metadata={"description": ...}``, from the "Attributes:"
section of the class docstring (Google style; ``TypedDict`` included), and the docstring's
summary describes the object. Defaults that are JSON values are kept as ``default``.

:func:`to_strict_json_schema` applies the strict transform of the official SDKs (wire rules,
"Structured output") to any schema, generated or hand-written: every property becomes required,
objects get ``additionalProperties: false``, a single-entry ``allOf`` and a ``$ref`` with
sibling keys are inlined, and ``default: null`` is dropped. Unlike the official SDKs, what strict
mode cannot express is refused with a :class:`StrictSchemaError` naming the place and what to
use instead (free-form ``dict``, ``Any``, untyped fields, sets, fixed-size tuples, ``oneOf``,
``not``, ``if``, ``patternProperties``, arrays without ``items``, untyped schemas).

Source: https://platform.openai.com/docs/guides/structured-outputs#supported-schemas
"""

from __future__ import annotations

import copy
import dataclasses
import enum
import inspect
import re
import types
import typing
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

import attrs

from openai_core._errors import OpenAIError

__all__ = [
    "StrictSchemaError",
    "is_typed_dict",
    "schema_name",
    "to_json_schema",
    "to_strict_json_schema",
]

_NONE_TYPE = type(None)
_PRIMITIVES: Dict[Any, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}
_SEQUENCES = {list, tuple, typing.List, typing.Sequence, typing.Tuple}
_ABC_SEQUENCES = ("collections.abc.Sequence", "collections.abc.MutableSequence")
_REFUSED_KEYS = {
    "oneOf": "use anyOf",
    "not": "remove it and validate in your own code",
    "if": "remove it and validate in your own code",
    "patternProperties": "declare each property by name",
    "dependentSchemas": "remove it and validate in your own code",
    "dependentRequired": "remove it; strict mode makes every property required",
    "unevaluatedProperties": "use additionalProperties: false",
    "prefixItems": "use an object with named fields",
}
_FREE_FORM = (
    "a free-form object cannot be expressed in strict mode; use a nested class (attrs, "
    "dataclass or TypedDict) with named fields"
)


class StrictSchemaError(OpenAIError, TypeError, ValueError):
    """A type or schema that strict structured output cannot express.

    Raised when a ``parse(T)`` request is built (``build()``, ``send()``, ``stream()``), and by
    :func:`to_json_schema` / :func:`to_strict_json_schema`. It is both a ``TypeError`` (for
    Python types) and a ``ValueError`` (for JSON Schema dicts).

    Attributes:
        path: Where: ``"Person.address.tags[]"`` for a Python type, a JSON pointer such as
            ``"#/properties/tags"`` for a schema.
        hint: What to use instead.

    Examples:
        >>> @dataclasses.dataclass
        ... class Bad:
        ...     extra: dict
        >>> to_json_schema(Bad)
        Traceback (most recent call last):
        StrictSchemaError: Bad.extra: a free-form object cannot be expressed in strict mode; ...
    """

    def __init__(self, path: str, hint: str) -> None:
        super().__init__(f"{path}: {hint}")
        self.path = path
        self.hint = hint


# ---------------------------------------------------------------------------------------------
# Python types -> JSON Schema


def is_typed_dict(tp: Any) -> bool:
    """Whether ``tp`` is a ``TypedDict`` class (``typing`` or ``typing_extensions``)."""
    return isinstance(tp, type) and issubclass(tp, dict) and hasattr(tp, "__total__")


def _is_class_model(tp: Any) -> bool:
    return isinstance(tp, type) and (
        attrs.has(tp) or dataclasses.is_dataclass(tp) or is_typed_dict(tp)
    )


def schema_name(tp: Any) -> str:
    """The ``name`` sent with a schema: the class name, made safe (``[A-Za-z0-9_-]``, 64 chars)."""
    raw = getattr(tp, "__name__", None) or "response"
    return re.sub(r"[^A-Za-z0-9_-]", "_", str(raw))[:64] or "response"


_SECTION = re.compile(r"^\s*(Attributes|Args|Arguments|Fields)\s*:\s*$")
_OTHER_SECTION = re.compile(r"^\s*[A-Z][A-Za-z ]*:\s*$")
_ITEM = re.compile(r"^(\s*)(\*{0,2}[A-Za-z_][A-Za-z0-9_]*)\s*(?:\([^)]*\))?\s*:\s*(.*)$")


def _docstring(cls: type) -> Tuple[Optional[str], Dict[str, str]]:
    """The docstring's summary (text before the first section) and its "Attributes:" items."""
    doc = cls.__dict__.get("__doc__")
    if not doc or (dataclasses.is_dataclass(cls) and doc.startswith(f"{cls.__name__}(")):
        return None, {}
    lines = inspect.cleandoc(doc).splitlines()
    summary: List[str] = []
    items: Dict[str, str] = {}
    section: Optional[str] = None
    current: Optional[str] = None
    item_indent = 0
    for line in lines:
        if _SECTION.match(line):
            section, current = "attributes", None
            continue
        if _OTHER_SECTION.match(line) and not line.startswith((" ", "\t")):
            section, current = "other", None
            continue
        if section is None:
            summary.append(line)
        elif section == "attributes":
            match = _ITEM.match(line)
            indent = len(line) - len(line.lstrip())
            if match and (current is None or indent <= item_indent):
                item_indent = indent
                current = match.group(2)
                items[current] = match.group(3).strip()
            elif current is not None and line.strip():
                items[current] = f"{items[current]} {line.strip()}".strip()
    text = " ".join(" ".join(summary).split())
    return text or None, items


def _json_default(value: Any) -> Tuple[bool, Any]:
    """Whether a Python default is a plain JSON value (returned as such; enums by value)."""
    if isinstance(value, enum.Enum):
        value = value.value
    if value is None or isinstance(value, (str, int, float, bool)):
        return True, value
    return False, None


class _Generator:
    def __init__(self) -> None:
        self.defs: Dict[str, Dict[str, Any]] = {}
        self.names: Dict[type, str] = {}

    def root(self, tp: Any) -> Dict[str, Any]:
        tp = _strip_annotated(tp)
        if not _is_class_model(tp):
            raise StrictSchemaError(
                _type_label(tp),
                "the top level of structured output must be an object; pass an attrs class, a "
                "dataclass, a TypedDict or a JSON Schema dict (wrap lists and scalars in a "
                "class with one field)",
            )
        name = self._name(tp)
        schema = self._object(tp, name)
        if self.defs:
            # The root may be referenced by recursive fields: keep it addressable as "#".
            schema["$defs"] = self.defs
        return schema

    def _name(self, cls: type) -> str:
        name = self.names.get(cls)
        if name is None:
            base = schema_name(cls)
            name, n = base, 1
            while name in self.names.values():
                n += 1
                name = f"{base}{n}"
            self.names[cls] = name
        return name

    def _object(self, cls: type, path: str) -> Dict[str, Any]:
        try:
            hints = typing.get_type_hints(cls, include_extras=True)
        except Exception as exc:
            raise StrictSchemaError(
                path, f"its type hints cannot be resolved ({exc}); import the names they use"
            ) from exc
        summary, documented = _docstring(cls)
        properties: Dict[str, Any] = {}
        for name, meta, default in _fields(cls, path):
            field_path = f"{path}.{name}"
            if name not in hints:
                raise StrictSchemaError(
                    field_path, "the field has no type annotation; annotate it (e.g. `: str`)"
                )
            schema = self.of(hints[name], field_path)
            description = meta.get("description") or documented.get(name)
            if description:
                schema = {**schema, "description": str(description)}
            if default is not _NO_DEFAULT:
                ok, value = _json_default(default)
                if ok:
                    schema = {**schema, "default": value}
            properties[name] = schema
        out: Dict[str, Any] = {"type": "object"}
        if summary:
            out["description"] = summary
        out["properties"] = properties
        out["required"] = list(properties)
        out["additionalProperties"] = False
        return out

    def of(self, tp: Any, path: str) -> Dict[str, Any]:
        tp = _strip_annotated(tp)
        if tp in _PRIMITIVES:
            return {"type": _PRIMITIVES[tp]}
        if tp is None or tp is _NONE_TYPE:
            return {"type": "null"}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return _enum_schema([m.value for m in tp], path)
        if isinstance(tp, typing.TypeVar):
            raise StrictSchemaError(path, "a type variable cannot be sent; use a concrete type")
        supertype = getattr(tp, "__supertype__", None)  # typing.NewType
        if supertype is not None:
            return self.of(supertype, path)
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is typing.Literal:
            return _enum_schema(list(args), path)
        if origin is Union or _is_union_type(tp):
            members = [a for a in args if a is not _NONE_TYPE]
            variants = [self.of(a, path) for a in members]
            if len(members) < len(args):
                variants.append({"type": "null"})
            return variants[0] if len(variants) == 1 else {"anyOf": variants}
        if origin in _SEQUENCES or _origin_name(origin) in _ABC_SEQUENCES or tp in (list, tuple):
            if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
                if not args:
                    raise StrictSchemaError(path, "say what the tuple holds: Tuple[X, ...]")
                raise StrictSchemaError(
                    path,
                    "a fixed-size tuple cannot be expressed in strict mode; use List[X] or a "
                    "nested class with named fields",
                )
            if not args:
                raise StrictSchemaError(path, "say what the list holds: List[X]")
            return {"type": "array", "items": self.of(args[0], f"{path}[]")}
        if _is_class_model(tp):
            name = self._name(tp)
            if name not in self.defs:
                self.defs[name] = {}  # placeholder: recursion refers to it before it is done
                self.defs[name] = self._object(tp, getattr(tp, "__name__", name))
            return {"$ref": f"#/$defs/{name}"}
        return self._refuse(tp, origin, path)

    @staticmethod
    def _refuse(tp: Any, origin: Any, path: str) -> Dict[str, Any]:
        if tp is Any or tp is object:
            hint = "`Any` cannot be expressed in strict mode; use a concrete type or a union"
        elif (
            tp in (dict, typing.Dict, typing.Mapping)
            or origin in (dict, Mapping)
            or (
                _origin_name(origin)
                in ("collections.abc.Mapping", "collections.abc.MutableMapping")
            )
        ):
            hint = _FREE_FORM
        elif (
            tp in (set, frozenset)
            or origin in (set, frozenset)
            or (_origin_name(origin) in ("collections.abc.Set", "collections.abc.MutableSet"))
        ):
            hint = "sets cannot be expressed in strict mode; use List[X]"
        elif tp is bytes:
            hint = "bytes cannot be expressed; use str (for example base64 text)"
        else:
            hint = (
                f"{_type_label(tp)} cannot be expressed in strict mode; use str, int, float, "
                "bool, Literal, an Enum, a list, or a nested attrs class, dataclass or TypedDict"
            )
        raise StrictSchemaError(path, hint)


_NO_DEFAULT: Any = object()


def _fields(cls: type, path: str) -> List[Tuple[str, Mapping[str, Any], Any]]:
    """(name, metadata, default) of each field, in declaration order."""
    if attrs.has(cls):
        out = []
        for a in attrs.fields(cls):
            if not a.init:
                continue
            default = a.default
            if default is attrs.NOTHING or isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                default = _NO_DEFAULT  # required, or a factory (a fresh value each time)
            out.append((a.name, a.metadata, default))
        return out
    if dataclasses.is_dataclass(cls):
        out = []
        for f in dataclasses.fields(cls):
            if not f.init:
                continue
            default = _NO_DEFAULT if f.default is dataclasses.MISSING else f.default
            out.append((f.name, f.metadata, default))
        return out
    # TypedDict: annotations in declaration order, bases first.
    names: Dict[str, None] = {}
    for base in reversed(cls.__mro__):
        for name in vars(base).get("__annotations__", {}):
            names[name] = None
    return [(name, {}, _NO_DEFAULT) for name in names]


def _strip_annotated(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    # Required[...] / NotRequired[...] of TypedDicts: every field is required in strict mode.
    if getattr(tp, "__origin__", None) is not None and _origin_name(typing.get_origin(tp)) in (
        "typing.Required",
        "typing.NotRequired",
        "typing_extensions.Required",
        "typing_extensions.NotRequired",
    ):
        return _strip_annotated(typing.get_args(tp)[0])
    return tp


def _is_union_type(tp: Any) -> bool:
    union_type = getattr(types, "UnionType", None)  # X | Y, Python 3.10+
    return union_type is not None and isinstance(tp, union_type)


def _origin_name(origin: Any) -> str:
    if origin is None:
        return ""
    return f"{getattr(origin, '__module__', '')}.{getattr(origin, '__qualname__', '')}"


def _type_label(tp: Any) -> str:
    return str(getattr(tp, "__name__", None) or tp)


def _enum_schema(values: List[Any], path: str) -> Dict[str, Any]:
    if not values:
        raise StrictSchemaError(path, "an empty Literal or Enum has no value to produce")
    kinds = set()
    for value in values:
        if isinstance(value, bool):
            kinds.add("boolean")
        elif isinstance(value, int):
            kinds.add("integer")
        elif isinstance(value, float):
            kinds.add("number")
        elif isinstance(value, str):
            kinds.add("string")
        elif value is None:
            kinds.add("null")
        else:
            raise StrictSchemaError(
                path,
                f"the value {value!r} is not a JSON scalar; use str, int, float or bool values",
            )
    schema: Dict[str, Any] = {}
    if len(kinds) == 1:
        schema["type"] = kinds.pop()
    schema["enum"] = list(values)
    return schema


def to_json_schema(tp: Any) -> Dict[str, Any]:
    """The strict JSON Schema of a Python type (attrs class, dataclass or ``TypedDict``).

    Nested classes go to ``$defs`` (recursive classes are fine); ``$ref`` with siblings
    (a described nested field) are then inlined by :func:`to_strict_json_schema`.

    Raises:
        StrictSchemaError: a field type strict mode cannot express (the message names the field
            path, e.g. ``Person.pets[].tags``, and what to use instead), or a top level that is
            not a class.

    Examples:
        >>> @attrs.frozen
        ... class Person:
        ...     name: str = attrs.field(metadata={"description": "Full name"})
        >>> to_json_schema(Person)["properties"]["name"]
        {'type': 'string', 'description': 'Full name'}
    """
    return to_strict_json_schema(_Generator().root(tp))


# ---------------------------------------------------------------------------------------------
# Strict transform


def to_strict_json_schema(schema: Mapping[str, Any]) -> Dict[str, Any]:
    """Apply the strict-schema transform to a JSON Schema (a copy; the input is not changed).

    Every property required, ``additionalProperties: false`` on objects, single-entry ``allOf``
    and ``$ref`` with sibling keys inlined, ``default: null`` dropped.

    Raises:
        StrictSchemaError: the schema uses something strict mode cannot express (the message
            gives the JSON pointer and what to use instead), or its top level is not an object.
    """
    if not isinstance(schema, Mapping):
        raise StrictSchemaError("#", "a JSON Schema must be a dict")
    root = copy.deepcopy(dict(schema))
    out = _strict(root, root, "#", set())
    if out.get("type") != "object":
        raise StrictSchemaError(
            "#",
            'the top level of structured output must be {"type": "object", ...}; wrap other '
            "values in an object with one property",
        )
    return out


def _resolve(root: Dict[str, Any], ref: str, path: str) -> Dict[str, Any]:
    if not ref.startswith("#"):
        raise StrictSchemaError(path, f"only local $refs (#/...) can be used, got {ref!r}")
    node: Any = root
    for raw in ref[1:].split("/")[1:] if ref != "#" else []:
        part = raw.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            raise StrictSchemaError(path, f"the $ref {ref!r} points nowhere")
        node = node[part]
    if not isinstance(node, dict):
        raise StrictSchemaError(path, f"the $ref {ref!r} does not point to a schema")
    return node


def _strict(node: Any, root: Dict[str, Any], path: str, seen: set[str]) -> Dict[str, Any]:
    if not isinstance(node, dict):
        raise StrictSchemaError(path, "a schema must be an object")
    for key, hint in _REFUSED_KEYS.items():
        if key in node:
            raise StrictSchemaError(
                f"{path}/{key}", f"{key} is not supported in strict mode; {hint}"
            )
    if "default" in node and node["default"] is None:
        del node["default"]
    ref = node.get("$ref")
    if isinstance(ref, str) and len(node) > 1:
        # Inline a $ref that has siblings (a description, a default): strict mode reads no
        # sibling keys next to $ref.
        if ref in seen:
            raise StrictSchemaError(path, f"the $ref {ref!r} with sibling keys refers to itself")
        target = copy.deepcopy(_resolve(root, ref, path))
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        return _strict({**target, **siblings}, root, path, seen | {ref})
    if isinstance(ref, str):
        _resolve(root, ref, path)
        return node
    for key in ("$defs", "definitions"):
        defs = node.get(key)
        if isinstance(defs, dict):
            for name in list(defs):
                defs[name] = _strict(defs[name], root, f"{path}/{key}/{name}", seen)
    all_of = node.get("allOf")
    if isinstance(all_of, list):
        if len(all_of) != 1:
            raise StrictSchemaError(
                f"{path}/allOf",
                "allOf with several entries is not supported in strict mode; merge them into "
                "one object schema",
            )
        del node["allOf"]
        merged = {**all_of[0], **node}
        return _strict(merged, root, path, seen)
    any_of = node.get("anyOf")
    if isinstance(any_of, list):
        if not any_of:
            raise StrictSchemaError(f"{path}/anyOf", "an empty anyOf matches nothing")
        node["anyOf"] = [_strict(v, root, f"{path}/anyOf/{i}", seen) for i, v in enumerate(any_of)]
    kind = node.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "object" in kinds or "properties" in node:
        _strict_object(node, root, path, seen)
    if "array" in kinds or "items" in node:
        items = node.get("items")
        if isinstance(items, list):
            raise StrictSchemaError(
                f"{path}/items", "tuple-style items are not supported; use one items schema"
            )
        if items is None or items is True or items == {}:
            raise StrictSchemaError(
                path, "an array needs an items schema; say what the list holds (List[X])"
            )
        node["items"] = _strict(items, root, f"{path}/items", seen)
    if kind is None and not any(k in node for k in ("anyOf", "enum", "const", "$ref")):
        raise StrictSchemaError(
            path, "a schema without a type accepts any value (Any); give it a type"
        )
    return node


def _strict_object(node: Dict[str, Any], root: Dict[str, Any], path: str, seen: set[str]) -> None:
    extra = node.get("additionalProperties")
    if extra not in (None, False):
        raise StrictSchemaError(f"{path}/additionalProperties", _FREE_FORM)
    properties = node.get("properties")
    if not isinstance(properties, dict):
        if extra is not False:
            raise StrictSchemaError(path, _FREE_FORM)
        properties = {}
    node["properties"] = {
        name: _strict(value, root, f"{path}/properties/{name}", seen)
        for name, value in properties.items()
    }
    node["required"] = list(properties)
    node["additionalProperties"] = False
