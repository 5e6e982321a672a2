"""Schemas from Python types and the strict transform (openai_core.lib._schema)."""

from __future__ import annotations

import dataclasses
import enum
from typing import Any, Dict, List, Literal, Optional, Set, Tuple, Union

import attrs
import pytest
from typing_extensions import TypedDict

from openai_core.lib._schema import StrictSchemaError, to_json_schema, to_strict_json_schema

pytestmark = pytest.mark.timeout(30)


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


@attrs.frozen
class Address:
    """A postal address.

    Attributes:
        city: The city name,
            possibly long.
        zip: Postal code.
    """

    city: str
    zip: Optional[str] = None


@attrs.frozen
class Person:
    """Someone."""

    name: str = attrs.field(metadata={"description": "Full name"})
    age: int
    color: Color
    kind: Literal["human", "robot"]
    address: Address
    tags: List[str] = attrs.Factory(list)
    score: Union[int, str] = 0


@dataclasses.dataclass
class Point:
    x: float
    y: float = dataclasses.field(default=0.0, metadata={"description": "Vertical"})


class Movie(TypedDict):
    """A film.

    Attributes:
        title: Its title.
    """

    title: str
    year: int


@attrs.frozen
class Node:
    value: int
    children: List[Node]


def test_attrs_class_gives_a_strict_object_with_descriptions_and_defaults() -> None:
    schema = to_json_schema(Person)
    assert schema["type"] == "object"
    assert schema["description"] == "Someone."
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["name", "age", "color", "kind", "address", "tags", "score"]
    props = schema["properties"]
    assert props["name"] == {"type": "string", "description": "Full name"}
    assert props["color"] == {"type": "string", "enum": ["red", "green"]}
    assert props["kind"] == {"type": "string", "enum": ["human", "robot"]}
    assert props["tags"] == {"type": "array", "items": {"type": "string"}}
    assert props["score"] == {"anyOf": [{"type": "integer"}, {"type": "string"}], "default": 0}


def test_nested_class_is_referenced_and_docstring_attributes_become_descriptions() -> None:
    schema = to_json_schema(Person)
    assert schema["properties"]["address"] == {"$ref": "#/$defs/Address"}
    address = schema["$defs"]["Address"]
    assert address["description"] == "A postal address."
    assert address["properties"]["city"]["description"] == "The city name, possibly long."
    # Optional with a None default: anyOf with null, "default: null" dropped, still required.
    assert address["properties"]["zip"] == {
        "anyOf": [{"type": "string"}, {"type": "null"}],
        "description": "Postal code.",
    }
    assert address["required"] == ["city", "zip"]


def test_dataclass_metadata_description_and_default() -> None:
    schema = to_json_schema(Point)
    y = schema["properties"]["y"]
    assert y == {"type": "number", "description": "Vertical", "default": 0.0}
    assert "description" not in schema  # the generated dataclass __doc__ is not a description


def test_typed_dict_docstring_attributes() -> None:
    schema = to_json_schema(Movie)
    assert schema["properties"]["title"] == {"type": "string", "description": "Its title."}
    assert schema["required"] == ["title", "year"]


def test_recursive_class() -> None:
    schema = to_json_schema(Node)
    assert schema["properties"]["children"]["items"] == {"$ref": "#/$defs/Node"}
    assert schema["$defs"]["Node"]["properties"]["value"] == {"type": "integer"}


@attrs.frozen
class WithDict:
    meta: Dict[str, Any]


@attrs.frozen
class WithAny:
    inner: List[Any]


@attrs.frozen
class WithSet:
    ids: Set[int]


@attrs.frozen
class WithTuple:
    pair: Tuple[int, str]


@attrs.frozen
class Outer:
    pets: List[WithDict]


@pytest.mark.parametrize(
    ("tp", "path", "hint"),
    [
        (WithDict, "WithDict.meta", "nested class"),
        (WithAny, "WithAny.inner[]", "Any"),
        (WithSet, "WithSet.ids", "List[X]"),
        (WithTuple, "WithTuple.pair", "List[X]"),
        (Outer, "WithDict.meta", "nested class"),
    ],
)
def test_types_strict_mode_cannot_express_are_refused_with_path_and_hint(
    tp: Any, path: str, hint: str
) -> None:
    with pytest.raises(StrictSchemaError) as info:
        to_json_schema(tp)
    assert info.value.path == path
    assert hint in str(info.value)
    assert isinstance(info.value, TypeError) and isinstance(info.value, ValueError)


def test_untyped_attrs_field_is_refused() -> None:
    @attrs.define
    class Untyped:
        a = attrs.field()

    with pytest.raises(StrictSchemaError, match=r"Untyped\.a: .*annotation"):
        to_json_schema(Untyped)


def test_top_level_must_be_a_class() -> None:
    with pytest.raises(StrictSchemaError, match="top level"):
        to_json_schema(List[int])


def test_strict_transform_of_a_raw_schema() -> None:
    raw = {
        "type": "object",
        "properties": {
            "a": {"type": "string", "default": None},
            "b": {"allOf": [{"$ref": "#/$defs/B"}]},
            "c": {"$ref": "#/$defs/B", "description": "the c"},
        },
        "$defs": {"B": {"type": "object", "properties": {"x": {"type": "integer"}}}},
    }
    strict = to_strict_json_schema(raw)
    assert strict["required"] == ["a", "b", "c"]
    assert strict["additionalProperties"] is False
    assert strict["properties"]["a"] == {"type": "string"}
    assert strict["properties"]["b"] == {"$ref": "#/$defs/B"}
    assert strict["properties"]["c"] == {
        "type": "object",
        "properties": {"x": {"type": "integer"}},
        "required": ["x"],
        "additionalProperties": False,
        "description": "the c",
    }
    assert strict["$defs"]["B"]["additionalProperties"] is False
    assert "default" in raw["properties"]["a"]  # the input is not changed


@pytest.mark.parametrize(
    ("schema", "path"),
    [
        ({"type": "object", "additionalProperties": True}, "#/additionalProperties"),
        ({"type": "object"}, "#"),
        ({"type": "object", "properties": {"a": {}}}, "#/properties/a"),
        ({"type": "object", "properties": {"a": {"type": "array"}}}, "#/properties/a"),
        ({"type": "object", "properties": {"a": {"oneOf": []}}}, "#/properties/a/oneOf"),
        ({"type": "array", "items": {"type": "string"}}, "#"),
    ],
)
def test_raw_schemas_strict_mode_cannot_express_are_refused(schema: Any, path: str) -> None:
    with pytest.raises(StrictSchemaError) as info:
        to_strict_json_schema(schema)
    assert info.value.path == path
