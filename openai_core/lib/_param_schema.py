"""JSON Schema for the parameters of non-strict function tools (``function_tool(strict=False)``).

Strict tools use the structured-output generator (:mod:`openai_core.lib._schema`), which refuses
what strict mode cannot express. This one accepts more: ``schema_for(tp)`` turns one parameter
annotation into a JSON Schema for ``str``, ``int``, ``float``, ``bool``, ``Enum`` subclasses,
``Literal[...]``, ``Optional[T]`` and other unions, ``list``/``tuple``/``set``/``Sequence`` of a
type, nested dataclasses and attrs classes (fields with defaults optional),
``Annotated[T, "description"]``, free-form ``dict``/``Mapping`` and ``Any``.

Source: https://platform.openai.com/docs/guides/function-calling
"""

from __future__ import annotations

import collections.abc as cabc
import dataclasses
import enum
import typing
from typing import Any, Dict, List, Mapping, Tuple

import attrs

__all__ = ["FieldInfo", "is_model", "model_fields", "nullable", "schema_for"]

_PRIMITIVES: Mapping[Any, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}
_SEQUENCES = frozenset({list, tuple, set, frozenset})
_SEQUENCE_ORIGINS = frozenset({list, tuple, set, frozenset, cabc.Sequence, cabc.Iterable, cabc.Set})
_MAPPING_ORIGINS = frozenset({dict, cabc.Mapping})


@attrs.frozen(kw_only=True)
class FieldInfo:
    """One field of a nested model: its name, annotation and whether it has a default."""

    name: str
    annotation: Any
    has_default: bool


def is_model(tp: Any) -> bool:
    """Whether ``tp`` is a dataclass or attrs class (an object parameter)."""
    return isinstance(tp, type) and (dataclasses.is_dataclass(tp) or attrs.has(tp))


def model_fields(tp: type) -> List[FieldInfo]:
    """The fields of a dataclass or attrs class, with resolved annotations."""
    hints = typing.get_type_hints(tp, include_extras=True)
    if attrs.has(tp):
        return [
            FieldInfo(
                name=f.alias or f.name,
                annotation=hints.get(f.name, Any),
                has_default=f.default is not attrs.NOTHING,
            )
            for f in attrs.fields(tp)
            if f.init
        ]
    return [
        FieldInfo(
            name=f.name,
            annotation=hints.get(f.name, Any),
            has_default=(
                f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
            ),
        )
        for f in dataclasses.fields(tp)
        if f.init
    ]


def nullable(schema: Dict[str, Any]) -> Dict[str, Any]:
    """``schema`` that also accepts ``null`` (unchanged when it already does)."""
    if _accepts_null(schema):
        return schema
    kind = schema.get("type")
    if isinstance(kind, str) and set(schema) <= {"type", "description"}:
        return {**schema, "type": [kind, "null"]}
    description = schema.get("description")
    inner = {k: v for k, v in schema.items() if k != "description"}
    out: Dict[str, Any] = {"anyOf": [inner, {"type": "null"}]}
    if description is not None:
        out["description"] = description
    return out


def _accepts_null(schema: Mapping[str, Any]) -> bool:
    kind = schema.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    return any(_accepts_null(s) for s in schema.get("anyOf", ()))


def schema_for(tp: Any) -> Dict[str, Any]:
    """The JSON Schema of a parameter annotation.

    Raises:
        TypeError: a type this generator does not support, or a recursive class.
    """
    return _schema(tp, ())


def _schema(tp: Any, seen: Tuple[type, ...]) -> Dict[str, Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        schema = _schema(args[0], seen)
        notes = [a for a in args[1:] if isinstance(a, str)]
        return {**schema, "description": " ".join(notes)} if notes else schema
    if tp in _PRIMITIVES:
        return {"type": _PRIMITIVES[tp]}
    if tp is type(None):
        return {"type": "null"}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _enum_schema([member.value for member in tp])
    if origin is typing.Literal:
        return _enum_schema(list(args))
    if origin is typing.Union or type(tp).__name__ == "UnionType":
        members = [a for a in args if a is not type(None)]
        if len(members) == 1:
            schema = _schema(members[0], seen)
        else:
            schema = {"anyOf": [_schema(a, seen) for a in members]}
        return nullable(schema) if len(members) < len(args) else schema
    if tp in _SEQUENCES or origin in _SEQUENCE_ORIGINS:
        if origin is tuple and args and args[-1] is not Ellipsis:
            items: List[Dict[str, Any]] = [_schema(a, seen) for a in args]
            return {"type": "array", "prefixItems": items, "minItems": len(items)}
        item = args[0] if args else Any
        return {"type": "array", "items": _schema(item, seen)}
    if is_model(tp):
        if tp in seen:
            raise TypeError(f"recursive parameter type {tp.__name__} is not supported")
        return _object_schema(tp, (*seen, tp))
    if tp is dict or origin in _MAPPING_ORIGINS:
        value = args[1] if len(args) == 2 else Any
        return {"type": "object", "additionalProperties": _schema(value, seen)}
    if tp is Any:
        return {}
    raise TypeError(f"unsupported parameter type {tp!r}")


def _enum_schema(values: List[Any]) -> Dict[str, Any]:
    kinds = {_PRIMITIVES.get(type(v)) for v in values}
    schema: Dict[str, Any] = {"enum": values}
    if len(kinds) == 1 and None not in kinds:
        schema = {"type": kinds.pop(), **schema}
    return schema


def _object_schema(tp: type, seen: Tuple[type, ...]) -> Dict[str, Any]:
    properties: Dict[str, Any] = {}
    required: List[str] = []
    for field in model_fields(tp):
        properties[field.name] = _schema(field.annotation, seen)
        if not field.has_default:
            required.append(field.name)
    out: Dict[str, Any] = {"type": "object", "properties": properties, "required": required}
    if tp.__doc__ and not tp.__doc__.startswith(tp.__name__ + "("):  # dataclass' generated doc
        out["description"] = tp.__doc__.strip().split("\n\n")[0]
    return out
