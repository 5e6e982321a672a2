"""Function tools: a Python function the model can call, with its JSON Schema and a safe invoker.

``@function_tool`` derives the tool's name (the function's name), description (the docstring's
text before its sections) and parameters schema (from the signature and type hints, with each
parameter's description taken from the Google-style ``Args:`` section). ``FunctionTool`` builds
one explicitly from a JSON Schema. Either renders to the Chat Completions shape
(:meth:`FunctionTool.to_chat_param`) and the Responses shape
(:meth:`FunctionTool.to_responses_param`), and :meth:`FunctionTool.invoke` validates the
model's arguments (``jsonschema``), structures them (the SDK's ``cattrs`` converter) and runs the
handler. The tool runner (``client.chat().completions().run_tools(...)``) uses these.

Strict mode (the default) sends ``"strict": true`` with a schema from the structured-output
generator (:func:`openai_core.lib._schema.to_json_schema`, so parameter types follow the same
rules as ``parse(T)``: every property required, ``"additionalProperties": false``, nested
classes in ``$defs``); a parameter with a default is required but nullable, its description says
``Default: ...``, and ``null`` from the model means "use the default". ``strict=False`` accepts
free-form ``dict`` and ``Any`` parameters and leaves defaulted ones optional.

Examples:
    >>> @function_tool
    ... def get_weather(city: str, unit: Literal["C", "F"] = "C") -> str:
    ...     '''Get the current weather for a city.
    ...
    ...     Args:
    ...         city: The city, for example "Paris".
    ...         unit: Temperature unit.
    ...     '''
    ...     return f"22 {unit} in {city}"
    >>> get_weather.to_chat_param()["function"]["parameters"]["required"]
    ['city', 'unit']

Source: https://platform.openai.com/docs/guides/function-calling
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import re
import typing
from typing import (
    Any,
    Callable,
    Dict,
    List,
    Mapping,
    Optional,
    Tuple,
    TypeVar,
    Union,
    overload,
)

import attrs

from openai_core._errors import OpenAIError
from openai_core.lib._param_schema import schema_for

__all__ = ["FunctionTool", "ToolArgumentsError", "function_tool", "tool_output_text"]

F = TypeVar("F", bound=Callable[..., Any])
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SECTIONS = re.compile(
    r"^(Args|Arguments|Parameters|Returns|Return|Yields|Raises|Example|Examples|Note|Notes|"
    r"Attributes|See Also|Warning|Warnings|Todo):\s*$"
)


class ToolArgumentsError(OpenAIError, ValueError):
    """The model's arguments for a tool are not valid JSON or do not match its schema.

    Attributes:
        tool: The tool's name.
        arguments: The arguments as the model sent them.
    """

    def __init__(self, message: str, *, tool: str, arguments: Any) -> None:
        super().__init__(message)
        self.tool = tool
        self.arguments = arguments


@attrs.frozen
class _Param:
    name: str
    annotation: Any
    default: Any  # inspect.Parameter.empty when there is none


def _no_structure(arguments: Dict[str, Any]) -> Dict[str, Any]:
    return arguments


@attrs.frozen
class FunctionTool:
    """A function tool: its wire definition and the handler that answers its calls.

    The handler is called with the arguments as keyword arguments. Calling the tool object
    itself calls the handler directly (``get_weather(city="Paris")``), so a decorated function
    stays usable as a function.

    Args:
        name: The function name the model calls (``^[A-Za-z0-9_-]{1,64}$``).
        description: What the function does and when to call it, or ``None``.
        parameters: The JSON Schema of the arguments object (sent as given).
        handler: The callable that runs a call.
        strict: Send ``"strict": true`` (the schema must then follow the strict subset).

    Raises:
        ValueError: an invalid ``name``, or ``parameters`` that is not an object schema.

    Examples:
        >>> add = FunctionTool(
        ...     "add",
        ...     "Add two integers.",
        ...     {
        ...         "type": "object",
        ...         "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
        ...         "required": ["a", "b"],
        ...         "additionalProperties": False,
        ...     },
        ...     lambda a, b: a + b,
        ... )
        >>> add.invoke('{"a": 2, "b": 3}')
        5
    """

    name: str
    description: Optional[str]
    parameters: Mapping[str, Any] = attrs.field(converter=dict)
    handler: Callable[..., Any] = attrs.field(repr=False)
    strict: bool = True
    _structure: Callable[[Dict[str, Any]], Dict[str, Any]] = attrs.field(
        default=_no_structure, repr=False, eq=False, kw_only=True
    )
    _validator: List[Any] = attrs.field(factory=list, init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME.match(self.name):
            raise ValueError(f"a tool name has 1-64 letters, digits, '_' or '-', got {self.name!r}")
        if self.parameters.get("type") != "object":
            raise ValueError(f"{self.name}: parameters must be an object schema")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the handler directly (no validation)."""
        return self.handler(*args, **kwargs)

    def to_chat_param(self) -> Dict[str, Any]:
        """The Chat Completions tool definition: ``{"type": "function", "function": {...}}``."""
        function: Dict[str, Any] = {"name": self.name}
        if self.description:
            function["description"] = self.description
        function["parameters"] = dict(self.parameters)
        function["strict"] = self.strict
        return {"type": "function", "function": function}

    def to_responses_param(self) -> Dict[str, Any]:
        """The Responses tool definition: ``{"type": "function", "name": ..., "parameters":
        ..., "strict": ...}``."""
        tool: Dict[str, Any] = {"type": "function", "name": self.name}
        if self.description:
            tool["description"] = self.description
        tool["parameters"] = dict(self.parameters)
        tool["strict"] = self.strict
        return tool

    def parse_arguments(
        self, arguments: Union[str, bytes, Mapping[str, Any], None]
    ) -> Dict[str, Any]:
        """Decode and validate the model's arguments; return the handler's keyword arguments.

        ``None`` and ``""`` mean no arguments (``{}``, compat C24); a mapping is taken as
        already decoded (compat C25).

        Raises:
            ToolArgumentsError: not JSON, not an object, not valid against the schema, or not
                convertible to the parameter types.
        """
        if arguments is None or arguments in ("", b""):
            data: Any = {}
        elif isinstance(arguments, Mapping):
            data = dict(arguments)
        else:
            try:
                data = json.loads(arguments)
            except ValueError as exc:
                raise ToolArgumentsError(
                    f"the arguments of {self.name} are not valid JSON ({exc})",
                    tool=self.name,
                    arguments=arguments,
                ) from None
        if not isinstance(data, dict):
            raise ToolArgumentsError(
                f"the arguments of {self.name} must be a JSON object, got {type(data).__name__}",
                tool=self.name,
                arguments=arguments,
            )
        error = self._schema_error(data)
        if error is not None:
            raise ToolArgumentsError(
                f"invalid arguments for {self.name}: {error}", tool=self.name, arguments=arguments
            )
        try:
            return self._structure(data)
        except Exception as exc:
            raise ToolArgumentsError(
                f"invalid arguments for {self.name}: {exc}", tool=self.name, arguments=arguments
            ) from exc

    def invoke(self, arguments: Union[str, bytes, Mapping[str, Any], None]) -> Any:
        """Validate the arguments, then run the handler and return what it returns.

        Raises:
            ToolArgumentsError: as :meth:`parse_arguments`.
            Exception: whatever the handler raises.
        """
        return self.handler(**self.parse_arguments(arguments))

    def _schema_error(self, data: Dict[str, Any]) -> Optional[str]:
        if not self._validator:
            import importlib

            validators = importlib.import_module("jsonschema.validators")  # lazily
            cls = validators.validator_for(self.parameters)
            self._validator.append(cls(self.parameters))
        import importlib

        best_match = importlib.import_module("jsonschema.exceptions").best_match
        first = best_match(self._validator[0].iter_errors(data))
        if first is None:
            return None
        where = "".join(f"[{p!r}]" if isinstance(p, int) else f".{p}" for p in first.absolute_path)
        return f"{first.message} (at ${where})"


def tool_output_text(value: Any) -> str:
    """A handler's return value as the text sent back to the model: strings as they are,
    anything else as JSON (attrs classes and dataclasses through the SDK's converter)."""
    if isinstance(value, str):
        return value
    from openai_core._convert import get_converter

    if attrs.has(type(value)) or dataclasses.is_dataclass(value):
        value = get_converter().unstructure(value)
    return json.dumps(value, ensure_ascii=False, default=str)


# -- the decorator -------------------------------------------------------------------------------


@overload
def function_tool(func: F, /) -> FunctionTool: ...


@overload
def function_tool(
    *,
    name: Optional[str] = None,
    description: Optional[str] = None,
    strict: bool = True,
) -> Callable[[Callable[..., Any]], FunctionTool]: ...


def function_tool(
    func: Optional[Callable[..., Any]] = None,
    /,
    *,
    name: Optional[str] = None,
    description: Optional[str] = None,
    strict: bool = True,
) -> Union[FunctionTool, Callable[[Callable[..., Any]], FunctionTool]]:
    """Make a :class:`FunctionTool` from a function's signature, type hints and docstring.

    Use it bare (``@function_tool``) or with options (``@function_tool(strict=False)``).

    Args:
        func: The function (when used bare).
        name: The tool name; default: the function's ``__name__``.
        description: The tool description; default: the docstring's text before its first
            section (``Args:``, ``Returns:`` ...).
        strict: Strict schema (see the module docstring). With ``strict=False`` parameters
            with defaults are optional, their JSON-serialisable defaults are sent as
            ``default``, and ``dict``/``Any`` parameters are allowed.

    Raises:
        StrictSchemaError: (a ``TypeError``) in strict mode, a parameter type strict mode cannot
            express, or one without a type hint; the message names ``function.parameter``.
        TypeError: a ``*args``/``**kwargs`` or positional-only parameter, or (non-strict) a
            type the schema generator does not support.
    """

    def wrap(fn: Callable[..., Any]) -> FunctionTool:
        summary, arg_docs = _parse_docstring(inspect.getdoc(fn) or "")
        params = _signature_params(fn)
        schema = _parameters_schema(params, arg_docs, strict=strict, where=fn.__qualname__)
        tool_name = name or fn.__name__
        return FunctionTool(
            tool_name,
            description if description is not None else (summary or None),
            schema,
            fn,
            strict,
            structure=_structurer(params),
        )

    return wrap if func is None else wrap(func)


def _signature_params(fn: Callable[..., Any]) -> List[_Param]:
    hints = typing.get_type_hints(fn, include_extras=True)
    params = []
    for param in inspect.signature(fn).parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise TypeError(f"{fn.__qualname__}: *args and **kwargs cannot be tool parameters")
        if param.kind is param.POSITIONAL_ONLY:
            raise TypeError(f"{fn.__qualname__}: positional-only parameter {param.name}")
        params.append(_Param(param.name, hints.get(param.name, Any), param.default))
    return params


def _parameters_schema(
    params: List[_Param], docs: Mapping[str, str], *, strict: bool, where: str
) -> Dict[str, Any]:
    texts: Dict[str, str] = {}
    for param in params:
        text = docs.get(param.name, "")
        if strict and param.default is not inspect.Parameter.empty:
            shown = _json_or_none(param.default)
            text = f"{text} " if text else ""
            text += f"Default: {shown if shown is not None else repr(param.default)}."
        if text:
            texts[param.name] = text
    if strict:
        return _strict_schema(params, texts, where)
    properties: Dict[str, Any] = {}
    required: List[str] = []
    for param in params:
        try:
            schema = schema_for(param.annotation)
        except TypeError as exc:
            raise TypeError(f"{where}.{param.name}: {exc}") from None
        if param.default is inspect.Parameter.empty:
            required.append(param.name)
        else:
            shown = _json_or_none(param.default)
            if shown is not None:
                schema = {**schema, "default": json.loads(shown)}
        if param.name in texts:
            schema = {**schema, "description": texts[param.name]}
        properties[param.name] = schema
    return {"type": "object", "properties": properties, "required": required}


def _strict_schema(params: List[_Param], texts: Mapping[str, str], where: str) -> Dict[str, Any]:
    """The strict schema, from the structured-output generator (``lib._schema``): the
    parameters become the fields of a throwaway dataclass; those with defaults are nullable."""
    from openai_core.lib._schema import to_json_schema

    fields = [
        (
            param.name,
            param.annotation
            if param.default is inspect.Parameter.empty
            else Optional[param.annotation],
            dataclasses.field(metadata={"description": texts[param.name]})
            if param.name in texts
            else dataclasses.field(),
        )
        for param in params
    ]
    name = where.rpartition(".")[2]
    model = dataclasses.make_dataclass(name if name.isidentifier() else "function", fields)
    schema = to_json_schema(model)
    schema.pop("description", None)
    return schema


def _json_or_none(value: Any) -> Optional[str]:
    try:
        return json.dumps(getattr(value, "value", value))
    except (TypeError, ValueError):
        return None


def _structurer(params: List[_Param]) -> Callable[[Dict[str, Any]], Dict[str, Any]]:
    def structure(arguments: Dict[str, Any]) -> Dict[str, Any]:
        from openai_core._convert import get_converter

        converter = get_converter(strict=True)
        kwargs: Dict[str, Any] = {}
        for param in params:
            if param.name not in arguments:
                continue  # jsonschema checked the required ones; the default applies
            value = arguments[param.name]
            if value is None and param.default is not inspect.Parameter.empty:
                continue  # strict mode sends null for "use the default"
            if param.annotation is Any:
                kwargs[param.name] = value
            else:
                kwargs[param.name] = converter.structure(value, param.annotation)
        return kwargs

    return structure


def _parse_docstring(doc: str) -> Tuple[str, Dict[str, str]]:
    """The summary (text before the first section) and the ``Args:`` descriptions."""
    summary: List[str] = []
    args: Dict[str, List[str]] = {}
    section: Optional[str] = None
    current: Optional[str] = None
    arg_indent: Optional[int] = None
    for line in doc.splitlines():
        heading = _SECTIONS.match(line.strip()) if not line[:1].isspace() else None
        if heading:
            section, current, arg_indent = heading.group(1), None, None
            continue
        if section is None:
            summary.append(line)
            continue
        if section not in ("Args", "Arguments", "Parameters") or not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        match = re.match(r"^\s*\*{0,2}(\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$", line)
        if match and (arg_indent is None or indent <= arg_indent):
            arg_indent = indent
            current = match.group(1)
            args[current] = [match.group(2).strip()]
        elif current is not None:
            args[current].append(line.strip())
    text = "\n".join(summary).strip()
    return text, {k: " ".join(p for p in v if p) for k, v in args.items()}
