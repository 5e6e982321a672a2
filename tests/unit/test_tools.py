"""Function tools: schemas from signatures and docstrings, both wire shapes, argument checks."""

from __future__ import annotations

import dataclasses
import enum
from typing import Any, Dict, List, Literal, Optional

import attrs
import pytest

from openai_core.lib.tools import (
    FunctionTool,
    ToolArgumentsError,
    function_tool,
    tool_output_text,
)

pytestmark = pytest.mark.timeout(30)


class Unit(enum.Enum):
    CELSIUS = "C"
    FAHRENHEIT = "F"


@dataclasses.dataclass
class Place:
    """A place on Earth."""

    city: str
    country: Optional[str] = None


@attrs.frozen
class Window:
    days: int = 1


@function_tool
def get_weather(place: Place, unit: Unit = Unit.CELSIUS, days: Optional[Window] = None) -> str:
    """Get the current weather for a place.

    Uses the nearest station.

    Args:
        place: Where to look,
            as a city and a country.
        unit (Unit): Temperature unit.

    Returns:
        A sentence about the weather.
    """
    return f"{place.city}/{place.country}/{unit.value}/{days}"


def schema(tool: FunctionTool) -> Dict[str, Any]:
    return dict(tool.parameters)


def test_name_and_description_come_from_the_function() -> None:
    assert get_weather.name == "get_weather"
    assert (
        get_weather.description
        == "Get the current weather for a place.\n\nUses the nearest station."
    )


def test_parameter_descriptions_come_from_the_args_section() -> None:
    properties = schema(get_weather)["properties"]
    assert properties["place"]["description"] == "Where to look, as a city and a country."
    assert properties["unit"]["description"] == 'Temperature unit. Default: "C".'


def test_strict_schema_requires_everything_and_forbids_extra_properties() -> None:
    params = schema(get_weather)
    assert params["required"] == ["place", "unit", "days"]
    assert params["additionalProperties"] is False
    place = params["properties"]["place"]
    assert place["required"] == ["city", "country"]
    assert place["additionalProperties"] is False
    assert place["properties"]["country"] == {"anyOf": [{"type": "string"}, {"type": "null"}]}


def test_defaulted_parameter_is_nullable_in_strict_mode() -> None:
    unit = schema(get_weather)["properties"]["unit"]
    assert unit["anyOf"] == [{"type": "string", "enum": ["C", "F"]}, {"type": "null"}]


def test_non_strict_schema_leaves_defaults_optional() -> None:
    @function_tool(strict=False)
    def search(query: str, limit: int = 5, filters: Optional[Dict[str, str]] = None) -> str:
        """Search."""
        return query

    params = schema(search)
    assert params["required"] == ["query"]
    assert params["properties"]["limit"] == {"type": "integer", "default": 5}
    assert "additionalProperties" not in params
    assert search.to_chat_param()["function"]["strict"] is False


def test_types_map_to_json_schema() -> None:
    @function_tool
    def f(
        a: str, b: int, c: float, d: bool, e: List[int], g: Literal["x", "y"], h: Optional[int]
    ) -> None:
        """F."""

    props = schema(f)["properties"]
    assert props["a"] == {"type": "string"}
    assert props["b"] == {"type": "integer"}
    assert props["c"] == {"type": "number"}
    assert props["d"] == {"type": "boolean"}
    assert props["e"] == {"type": "array", "items": {"type": "integer"}}
    assert props["g"] == {"type": "string", "enum": ["x", "y"]}
    assert props["h"] == {"anyOf": [{"type": "integer"}, {"type": "null"}]}


def test_non_strict_mode_accepts_free_form_values() -> None:
    @function_tool(strict=False)
    def store(key: str, value: Any, tags: Optional[Dict[str, int]] = None) -> str:
        """Store."""
        return key

    props = schema(store)["properties"]
    assert props["value"] == {}
    assert props["tags"] == {
        "anyOf": [
            {"type": "object", "additionalProperties": {"type": "integer"}},
            {"type": "null"},
        ],
        "default": None,
    }
    assert store.invoke({"key": "k", "value": [1, {"a": None}]}) == "k"


def test_strict_mode_refuses_free_form_dicts() -> None:
    with pytest.raises(TypeError, match=r"search\.filters: a free-form object"):

        @function_tool
        def search(filters: Dict[str, str]) -> str:
            return ""


def test_untyped_parameter_is_refused_in_strict_mode() -> None:
    with pytest.raises(TypeError, match=r"\.x: `Any` cannot be expressed"):
        function_tool(lambda x: x)


def test_options_override_name_and_description() -> None:
    @function_tool(name="lookup", description="Look something up.")
    def f(key: str) -> str:
        """Ignored."""
        return key

    assert (f.name, f.description) == ("lookup", "Look something up.")


def test_chat_wire_shape() -> None:
    param = get_weather.to_chat_param()
    assert param["type"] == "function"
    assert set(param["function"]) == {"name", "description", "parameters", "strict"}
    assert param["function"]["strict"] is True


def test_responses_wire_shape() -> None:
    param = get_weather.to_responses_param()
    assert param["type"] == "function"
    assert param["name"] == "get_weather"
    assert param["strict"] is True
    assert param["parameters"]["type"] == "object"


def test_invoke_structures_arguments_into_the_parameter_types() -> None:
    out = get_weather.invoke(
        '{"place": {"city": "Paris", "country": "FR"}, "unit": "F", "days": {"days": 3}}'
    )
    assert out == "Paris/FR/F/Window(days=3)"


def test_null_means_the_default() -> None:
    out = get_weather.invoke(
        '{"place": {"city": "Oslo", "country": null}, "unit": null, "days": null}'
    )
    assert out == "Oslo/None/C/None"


def test_invalid_json_is_an_arguments_error() -> None:
    with pytest.raises(ToolArgumentsError, match="not valid JSON") as info:
        get_weather.invoke('{"place": ')
    assert info.value.tool == "get_weather"
    assert isinstance(info.value, ValueError)


def test_schema_violation_names_the_path() -> None:
    with pytest.raises(ToolArgumentsError, match=r"\$\.unit"):
        get_weather.invoke(
            '{"place": {"city": "Paris", "country": null}, "unit": "K", "days": null}'
        )


def test_non_object_arguments_are_refused() -> None:
    with pytest.raises(ToolArgumentsError, match="JSON object"):
        get_weather.invoke("[1]")


def test_missing_arguments_mean_an_empty_object() -> None:
    @function_tool
    def now() -> str:
        """The time."""
        return "noon"

    assert now.invoke(None) == "noon"
    assert now.invoke("") == "noon"
    assert now.parameters == {
        "type": "object",
        "properties": {},
        "required": [],
        "additionalProperties": False,
    }


def test_explicit_tool_validates_and_calls_with_keywords() -> None:
    add = FunctionTool(
        "add",
        "Add two integers.",
        {
            "type": "object",
            "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
            "required": ["a", "b"],
            "additionalProperties": False,
        },
        lambda a, b: a + b,
    )
    assert add.invoke({"a": 2, "b": 3}) == 5
    with pytest.raises(ToolArgumentsError):
        add.invoke('{"a": 2}')
    assert add.to_chat_param()["function"]["parameters"]["required"] == ["a", "b"]


def test_explicit_tool_checks_its_name_and_schema() -> None:
    with pytest.raises(ValueError, match="tool name"):
        FunctionTool("bad name", None, {"type": "object"}, print)
    with pytest.raises(ValueError, match="object schema"):
        FunctionTool("ok", None, {"type": "string"}, print)


def test_decorated_function_stays_callable() -> None:
    assert get_weather(Place("Rome")) == "Rome/None/C/None"


def test_outputs_are_text() -> None:
    assert tool_output_text("plain") == "plain"
    assert tool_output_text({"a": 1}) == '{"a": 1}'
    assert tool_output_text(Place("Rome", "IT")) == '{"city": "Rome", "country": "IT"}'
    assert tool_output_text(None) == "null"
