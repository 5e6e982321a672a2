"""The core of structured output: the compiled output spec, the request fields of each
structured-output mode, and validating + structuring the model's text into the caller's type.

Modes (compat C36), chosen with ``.structured_output_mode(...)`` on a parse builder:

- ``"json_schema"`` (default): ``response_format: {"type": "json_schema", "json_schema":
  {"name", "schema", "strict": true}}`` (chat), ``text.format`` (Responses);
- ``"json_object_schema"``: ``{"type": "json_object", "schema": ...}`` (llama-cpp-python's
  server);
- ``"guided_json"``: a top-level ``guided_json`` field holding the schema (older vLLM);
- ``"prompt"``: no structured-output parameter at all; the schema goes into a system message,
  and when the output does not validate, ``send()`` retries once with the validation error.

The model's output is always validated with ``jsonschema`` against the strict schema, then
structured with ``cattrs`` into the requested type (attrs classes, dataclasses, ``TypedDict``,
enums, literals, unions, lists, nested classes); a raw JSON Schema dict gives the JSON value.
"""

from __future__ import annotations

import json
import re
import typing
from typing import Any, Callable, Dict, Generic, List, Mapping, Optional, Tuple, TypeVar, cast

import attrs

from openai_core._errors import StructuredOutputError
from openai_core.lib._schema import (
    StrictSchemaError,
    is_typed_dict,
    schema_name,
    to_json_schema,
    to_strict_json_schema,
)

if typing.TYPE_CHECKING:
    import cattrs

__all__ = [
    "STRUCTURED_OUTPUT_MODES",
    "StructuredOutput",
    "StructuredOutputMode",
    "check_mode",
    "prompt_instructions",
]

T = TypeVar("T")

StructuredOutputMode = typing.Literal["json_schema", "json_object_schema", "guided_json", "prompt"]
"""How a parse request asks for structured output (see the module docstring)."""

STRUCTURED_OUTPUT_MODES: Tuple[str, ...] = typing.get_args(StructuredOutputMode)

_SCHEMAS: Dict[Any, Dict[str, Any]] = {}
_VALIDATORS: Dict[int, Any] = {}
_FENCE = re.compile(r"^\s*```[A-Za-z0-9_-]*\s*\n(.*?)\n?\s*```\s*$", re.DOTALL)


def check_mode(mode: str) -> str:
    """Return ``mode`` if it is one of :data:`STRUCTURED_OUTPUT_MODES`.

    Raises:
        ValueError: any other value (the message lists the modes).
    """
    if mode not in STRUCTURED_OUTPUT_MODES:
        raise ValueError(
            f"unknown structured_output_mode {mode!r}; expected one of {STRUCTURED_OUTPUT_MODES}"
        )
    return mode


@attrs.frozen(kw_only=True)
class StructuredOutput(Generic[T]):
    """What a parse request asks for: the target type, its strict schema and name.

    Attributes:
        type: The Python type (or the raw schema dict) given to ``parse()``.
        schema: The strict JSON Schema sent and validated against.
        name: The schema's ``name`` on the wire.
    """

    type: Any
    schema: Dict[str, Any] = attrs.field(repr=False)
    name: str

    @classmethod
    def of(cls, tp: Any, name: Optional[str] = None) -> StructuredOutput[T]:
        """Compile ``tp`` (a class, or a JSON Schema dict) into its strict schema.

        Schemas of classes are computed once per class.

        Raises:
            StrictSchemaError: ``tp`` cannot be expressed in strict mode.
        """
        if isinstance(tp, Mapping):
            schema = to_strict_json_schema(tp)
            _check_schema(schema)
            raw_name = tp.get("title") if isinstance(tp.get("title"), str) else None
            return cls(type=tp, schema=schema, name=name or schema_name_of(raw_name))
        try:
            schema = _SCHEMAS[tp]
        except KeyError:
            schema = _SCHEMAS[tp] = to_json_schema(tp)
        except TypeError:  # unhashable: not a class anyway
            schema = to_json_schema(tp)
        return cls(type=tp, schema=schema, name=name or schema_name(tp))

    def parse(self, content: Optional[str], *, request_id: Optional[str] = None) -> T:
        """Validate the model's text and structure it into :attr:`type`.

        A Markdown code fence around the JSON is tolerated (prompt-only servers add one).

        Raises:
            StructuredOutputError: not JSON, not valid for the schema, or not structurable;
                ``path`` says where and ``content`` holds the text.
        """
        if content is None:
            raise StructuredOutputError(
                "The model returned no content to parse", content=None, request_id=request_id
            )
        try:
            value = _loads(content)
        except ValueError as exc:
            raise StructuredOutputError(
                f"The model's output is not valid JSON: {exc}",
                content=content,
                reason=f"not valid JSON ({exc})",
                request_id=request_id,
            ) from None
        path, reason = self.validate(value)
        if reason is not None:
            raise StructuredOutputError(
                f"The model's output does not match the schema at {path}: {reason}",
                content=content,
                path=path,
                reason=reason,
                request_id=request_id,
            )
        if isinstance(self.type, Mapping):
            return cast(T, value)
        return cast(T, _structure(value, self.type, content, request_id))

    def validate(self, value: Any) -> Tuple[str, Optional[str]]:
        """``(json_path, message)`` of the most relevant schema violation, or ``("$", None)``."""
        validator = _VALIDATORS.get(id(self.schema))
        if validator is None or validator.schema is not self.schema:
            validator = _validator(self.schema)
            if not isinstance(self.type, Mapping):
                _VALIDATORS[id(self.schema)] = validator
        from jsonschema.exceptions import best_match

        error = best_match(validator.iter_errors(value))
        if error is None:
            return "$", None
        return str(error.json_path), str(error.message)


def schema_name_of(title: Optional[str]) -> str:
    """The wire name of a raw schema: its ``title`` made safe, else ``"response"``."""
    if not title:
        return "response"
    return re.sub(r"[^A-Za-z0-9_-]", "_", title)[:64] or "response"


def _loads(content: str) -> Any:
    def reject(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    try:
        return json.loads(content, parse_constant=reject)
    except ValueError:
        match = _FENCE.match(content)
        if match is None:
            raise
        return json.loads(match.group(1), parse_constant=reject)


def _validator(schema: Dict[str, Any]) -> Any:
    from jsonschema import Draft202012Validator
    from jsonschema.validators import validator_for

    cls = validator_for(schema, default=Draft202012Validator)
    return cls(schema)


def _check_schema(schema: Dict[str, Any]) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError
    from jsonschema.validators import validator_for

    try:
        validator_for(schema, default=Draft202012Validator).check_schema(schema)
    except SchemaError as exc:
        where = "#" + "".join(f"/{p}" for p in exc.path)
        raise StrictSchemaError(where, f"not a valid JSON Schema: {exc.message}") from None


def prompt_instructions(output: StructuredOutput[Any]) -> str:
    """The system message of the ``"prompt"`` mode: the schema and how to answer."""
    schema = json.dumps(output.schema, ensure_ascii=False, separators=(",", ":"))
    return (
        "Respond with a single JSON value that conforms to the JSON Schema below, and nothing "
        "else: no prose, no Markdown code fence. Every property is required; use null where the "
        f"schema allows it.\nJSON Schema ({output.name}): {schema}"
    )


def retry_instructions(error: StructuredOutputError) -> str:
    """The user message of the ``"prompt"`` mode's one retry."""
    return (
        f"Your previous answer was not valid: {error.reason or error.message} (at {error.path}). "
        "Answer again with only the corrected JSON."
    )


# ---------------------------------------------------------------------------------------------
# Structuring into the caller's type

_CONVERTER: Optional[cattrs.Converter] = None


def _converter() -> cattrs.Converter:
    global _CONVERTER  # noqa: PLW0603 - one converter, made on first use
    if _CONVERTER is None:
        import cattrs

        conv = cattrs.Converter(forbid_extra_keys=True)
        conv.register_structure_hook_func(_is_union, _union_hook(conv))
        _CONVERTER = conv
    return _CONVERTER


def _is_union(tp: Any) -> bool:
    if typing.get_origin(tp) is typing.Union:
        return True
    import types

    union_type = getattr(types, "UnionType", None)
    return union_type is not None and isinstance(tp, union_type)


def _accepts(value: Any, tp: Any) -> bool:
    """Whether a JSON value can be of ``tp`` at all (so union members are tried in order)."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _accepts(value, typing.get_args(tp)[0])
    if tp is bool:
        return isinstance(value, bool)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if tp is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if tp is str:
        return isinstance(value, str)
    if tp is type(None):
        return value is None
    if origin is typing.Literal:
        return any(value == v and type(value) is type(v) for v in typing.get_args(tp))
    if isinstance(tp, type) and (
        attrs.has(tp) or is_typed_dict(tp) or hasattr(tp, "__dataclass_fields__")
    ):
        return isinstance(value, dict)
    if origin in (list, tuple) or tp in (list, tuple) or str(origin).startswith("collections.abc"):
        return isinstance(value, list)
    return True


def _union_hook(conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    def structure(value: Any, tp: Any) -> Any:
        failures: List[str] = []
        for member in typing.get_args(tp):
            if not _accepts(value, member):
                continue
            if member is type(None):
                return None
            try:
                return conv.structure(value, member)
            except Exception as exc:
                failures.append(f"{getattr(member, '__name__', member)}: {exc}")
        detail = f" ({'; '.join(failures)})" if failures else ""
        raise ValueError(f"{value!r} matches no member of {tp}{detail}")

    return structure


def _structure(value: Any, tp: Any, content: str, request_id: Optional[str]) -> Any:
    conv = _converter()
    try:
        return conv.structure(value, tp)
    except Exception as exc:
        import cattrs

        path, reason = "$", str(exc)
        try:
            messages = cattrs.transform_error(exc, path="$")
        except Exception:  # pragma: no cover - not a cattrs error group
            messages = []
        if messages:
            reason, _, where = messages[0].rpartition(" @ ")
            path = where or "$"
            reason = reason or messages[0]
        raise StructuredOutputError(
            f"The model's output could not be structured into "
            f"{getattr(tp, '__name__', tp)} at {path}: {reason}",
            content=content,
            path=path,
            reason=reason,
            request_id=request_id,
        ) from None
