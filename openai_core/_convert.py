"""The wire converter: every wire concern of the models lives here.

Models are frozen ``attrs`` classes deriving from :class:`BaseModel`. Decoding is **lenient** by
default, because compatible servers differ (compat C10–C19):

- a missing or ``null`` field decodes as ``None`` (lists as ``[]``), even where the API calls it
  required (those attributes are typed without ``Optional`` and are ``None`` only on servers that
  break the schema);
- enum-like fields are plain ``str`` and keep values this SDK has never seen;
- unknown fields are kept in ``.extra`` and written back by :func:`to_dict`;
- a union tagged by ``type`` falls back to its ``Unknown…`` variant;
- a value whose shape does not match its field is kept as it came rather than failing.

**Strict** decoding (``Client(strict=True)``, or ``from_dict(..., strict=True)``) is meant for
tests: a missing required field, an unknown field, a wrong type or ``null`` in a field declared
``nullable=False`` raises :class:`~openai_core.APIResponseValidationError` naming the JSON path.

The field helpers (:func:`required`, :func:`optional`, :func:`required_list`,
:func:`json_string`) record ``required``, ``nullable`` and the ``wire`` name in the field metadata.
"""

from __future__ import annotations

import json
import typing
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    FrozenSet,
    List,
    Mapping,
    Optional,
    Tuple,
    Type,
    TypeVar,
    Union,
)

import attrs

from openai_core._errors import APIResponseValidationError

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "BaseModel",
    "decoder_for",
    "from_dict",
    "get_converter",
    "json_string",
    "optional",
    "register_tagged_union",
    "required",
    "required_list",
    "to_dict",
]

M = TypeVar("M")
_MISSING: Any = object()
_PRIMITIVES: Tuple[type, ...] = (str, int, float, bool)


def _metadata(required: bool, nullable: Optional[bool], wire: Optional[str]) -> Dict[str, Any]:
    metadata: Dict[str, Any] = {"required": required}
    if nullable is not None:
        metadata["nullable"] = nullable
    if wire is not None:
        metadata["wire"] = wire
    return metadata


def required(
    *,
    nullable: Optional[bool] = None,
    wire: Optional[str] = None,
    default: Any = None,
    **kwargs: Any,
) -> Any:
    """An attrs field the API marks as required: ``default`` (``None``) when a lenient decode
    finds it missing.

    Args:
        nullable: Whether the API allows ``null`` (``False``: strict decoding rejects it; not
            given: not checked).
        wire: The JSON name, when the attribute is named differently.
        default: The value when missing (a union member's tag).
    """
    return attrs.field(default=default, metadata=_metadata(True, nullable, wire), **kwargs)


def optional(*, nullable: bool = False, wire: Optional[str] = None, default: Any = None) -> Any:
    """An attrs field the API may omit: ``default`` (``None``) when missing (see ``required``)."""
    return attrs.field(default=default, metadata=_metadata(False, nullable, wire))


def json_string(*, nullable: Optional[bool] = None, wire: Optional[str] = None) -> Any:
    """A required field holding JSON text (tool-call ``arguments``): a server that sends a JSON
    object instead of a string (compat C25) gets it re-serialised, so the field is always text."""
    metadata = {**_metadata(True, nullable, wire), "json_string": True}
    return attrs.field(default=None, metadata=metadata)


def _as_json_string(value: Any) -> Any:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def required_list(*, nullable: Optional[bool] = None, wire: Optional[str] = None) -> Any:
    """A required array field: ``[]`` when a lenient decode finds it missing or ``null``."""
    return attrs.field(factory=list, metadata=_metadata(True, nullable, wire))


@attrs.frozen(kw_only=True, eq=False, repr=False)
class BaseModel:
    """Base of every response model.

    ``==`` compares the class and every field, ``extra`` included; ``repr`` shows every field
    but ``extra``. Subclasses may let attrs generate both, or declare
    ``@attrs.frozen(kw_only=True, eq=False, repr=False)`` and use these (the generated models
    do: attrs then compiles only ``__init__``, which halves their import time). Models hold
    dicts and lists, so they are not hashable.

    Attributes:
        extra: Fields the server sent that this model does not declare (for example
            ``reasoning_content``, ``timings``, ``system_fingerprint`` on some servers), kept
            verbatim and written back by :meth:`to_dict`.
    """

    extra: Dict[str, Any] = attrs.field(factory=dict, repr=False, eq=True)

    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(
            getattr(self, f.name) == getattr(other, f.name) for f in attrs.fields(type(self))
        )

    def __repr__(self) -> str:
        shown = (f"{f.name}={getattr(self, f.name)!r}" for f in attrs.fields(type(self)) if f.repr)
        return f"{type(self).__qualname__}({', '.join(shown)})"

    def to_dict(self) -> Dict[str, Any]:
        """The model as JSON-ready data, unknown fields included; ``None`` fields are left out."""
        return to_dict(self)

    @classmethod
    def from_dict(cls: Type[M], data: Mapping[str, Any], *, strict: bool = False) -> M:
        """Decode ``data`` into this model (see the module docstring for lenient/strict).

        Raises:
            APIResponseValidationError: in strict mode, or when ``data`` is not an object.
        """
        return from_dict(data, cls, strict=strict)


# ---------------------------------------------------------------------------------------------
# Tagged unions

_TAGGED: Dict[Any, Tuple[str, Dict[str, type], type]] = {}


def register_tagged_union(union: Any, unknown: type, *, tag: str = "type") -> None:
    """Declare ``union`` as tagged by ``tag``; variants declare their tag as a ``Literal`` default.

    Each variant's tag value is read from the default of its ``tag`` field. Objects with an
    unseen tag (or no tag) decode as ``unknown``. Members that are not models (``str``,
    ``List[...]``) take the values that are not objects. A union field whose members include all
    of a tagged union's models (``Union[Tagged, str]`` is flattened by ``typing``) decodes objects
    through the tagged union.
    """
    variants: Dict[str, type] = {}
    for member in typing.get_args(union):
        if member is unknown or not attrs.has(member):
            continue
        default = attrs.fields_dict(member)[tag].default
        if not isinstance(default, str):
            raise TypeError(f"{member.__name__}.{tag} needs a string default naming its tag")
        variants[default] = member
    _TAGGED[union] = (tag, variants, unknown)


def _union_structure(conv: _Hooks, union: Any) -> Callable[[Any, Any], Any]:
    """The structure hook of a tagged union: the variant its tag names, else ``unknown``."""
    tag, variants, unknown = _TAGGED[union]

    hooks: Dict[str, Tuple[Callable[[Any, Any], Any], type]] = {}

    def structure(value: Any, _: Any = None) -> Any:
        if not isinstance(value, dict):
            raise _ShapeError(f"expected an object, got {type(value).__name__}")
        name = value.get(tag)
        key = name if name.__class__ is str else str(name)
        found = hooks.get(key)
        if found is None:
            if len(hooks) > len(variants) + 64:  # unknown tags: keep the cache bounded
                hooks.clear()
            cls = variants.get(key, unknown)
            found = hooks[key] = (conv.get_structure_hook(cls), cls)
        return found[0](value, found[1])

    structure.takes_one = True  # type: ignore[attr-defined]
    return structure


# ---------------------------------------------------------------------------------------------
# Structuring


class _ShapeError(Exception):
    """A value does not have the shape its field declares (internal; carries a JSON path)."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def at(self, segment: str) -> _ShapeError:
        return _ShapeError(self.message, segment + self.path)


def _strip_optional(tp: Any) -> Tuple[Any, bool]:
    if typing.get_origin(tp) is Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        nullable = len(args) != len(typing.get_args(tp))
        if len(args) == 1:
            return args[0], nullable
        return Union[tuple(args)], nullable
    return tp, False


def _is_passthrough(tp: Any) -> bool:
    if tp is Any or tp in _PRIMITIVES or tp is object:
        return True
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return True
    if origin in (dict, Dict):
        return True
    if origin in (list, List):
        (arg,) = typing.get_args(tp) or (Any,)
        return _is_passthrough(_strip_optional(arg)[0])
    if origin is Union:
        return all(_is_passthrough(a) for a in typing.get_args(tp))
    return False


def _check_primitive(value: Any, tp: Any) -> None:
    """Strict-mode check for passthrough values."""
    if tp is Any or tp is object:
        return
    origin = typing.get_origin(tp)
    if tp is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif tp is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif tp in _PRIMITIVES:
        ok = isinstance(value, tp)
    elif origin is typing.Literal:
        ok = True  # open enums: any value is kept
    elif origin in (dict, Dict):
        ok = isinstance(value, dict)
    elif origin in (list, List):
        if not isinstance(value, list):
            raise _ShapeError(f"expected an array, got {type(value).__name__}")
        (arg,) = typing.get_args(tp) or (Any,)
        inner, _ = _strip_optional(arg)
        for i, item in enumerate(value):
            if item is not None:
                try:
                    _check_primitive(item, inner)
                except _ShapeError as exc:
                    raise exc.at(f"[{i}]") from None
        return
    elif origin is Union:
        for member in typing.get_args(tp):
            try:
                _check_primitive(value, member)
            except _ShapeError:
                continue
            return
        ok = False
    else:
        ok = True
    if not ok:
        raise _ShapeError(f"expected {getattr(tp, '__name__', tp)}, got {type(value).__name__}")


def _make_value_hook(conv: _Hooks, tp: Any, strict: bool) -> Optional[Callable[[Any], Any]]:
    """A function that structures one non-null value of type ``tp``, or None for passthrough."""
    if _is_passthrough(tp):
        if strict:

            def check(value: Any) -> Any:
                _check_primitive(value, tp)
                return value

            return check
        return None
    origin = typing.get_origin(tp)
    if origin is Union:
        return _make_union_hook(conv, tp, strict)
    if origin in (list, List):
        (arg,) = typing.get_args(tp)
        inner, _ = _strip_optional(arg)
        item_hook = _make_value_hook(conv, inner, strict)
        if item_hook is None:
            return None

        def structure_list(value: Any) -> Any:
            if not isinstance(value, list):
                raise _ShapeError(f"expected an array, got {type(value).__name__}")
            out = []
            for i, item in enumerate(value):
                try:
                    out.append(item_hook(item) if item is not None else None)
                except _ShapeError as exc:
                    raise exc.at(f"[{i}]") from None
            return out

        return structure_list
    return _object_hook(conv, tp)


def _object_hook(conv: _Hooks, tp: Any) -> Callable[[Any], Any]:
    hook = conv.get_structure_hook(tp)
    if getattr(hook, "takes_one", False):  # a model's own hook: it checks for an object itself
        return hook  # type: ignore[return-value]

    def structure_value(value: Any) -> Any:
        if not isinstance(value, dict):
            raise _ShapeError(f"expected an object, got {type(value).__name__}")
        return hook(value, tp)

    return structure_value


def _wire_names(cls: type, flag: str, value: Any = True) -> FrozenSet[str]:
    """Wire names of the fields whose metadata has ``flag`` set to ``value``."""
    return frozenset(
        f.metadata.get("wire", f.name) for f in attrs.fields(cls) if f.metadata.get(flag) is value
    )


_Misfit = Tuple[int, int, int]
_PERFECT: _Misfit = (0, 0, 0)


def _knows_tag(tag: str, variants: Mapping[str, type]) -> Callable[[Dict[str, Any]], _Misfit]:
    return lambda value: _PERFECT if str(value.get(tag)) in variants else (1, 0, 0)


def _misfit(cls: type) -> Callable[[Dict[str, Any]], _Misfit]:
    """How badly an object fits model ``cls``: ``(tags it contradicts, nested objects whose tag
    the nested tagged union does not know, whether a required field is missing)``, ``(0, 0, 0)``
    for a perfect fit. A tag is a ``Literal`` field (``type: Literal["message"]``)."""
    required = _wire_names(cls, "required")
    hints = _field_types(cls)
    tags: List[Tuple[str, FrozenSet[str]]] = []
    nested: List[Tuple[str, str, Mapping[str, type]]] = []
    for field in attrs.fields(cls):
        if field.name == "extra":
            continue
        wire = field.metadata.get("wire", field.name)
        tp = _strip_optional(hints[field.name])[0]
        if typing.get_origin(tp) is typing.Literal:
            tags.append((wire, frozenset(str(v) for v in typing.get_args(tp))))
            continue
        if typing.get_origin(tp) in (list, List):
            tp = _strip_optional((typing.get_args(tp) or (Any,))[0])[0]
        if tp in _TAGGED:
            tag, variants, _unknown = _TAGGED[tp]
            nested.append((wire, tag, variants))

    def misfit(value: Dict[str, Any]) -> _Misfit:
        wrong = sum(
            1 for wire, allowed in tags if wire in value and str(value[wire]) not in allowed
        )
        unknown = 0
        for wire, tag, variants in nested:
            inner = value.get(wire)
            for item in inner if isinstance(inner, list) else (inner,):
                if isinstance(item, dict) and str(item.get(tag)) not in variants:
                    unknown += 1
        return wrong, unknown, 0 if required.issubset(value) else 1

    return misfit


def _make_union_hook(conv: _Hooks, tp: Any, strict: bool) -> Callable[[Any], Any]:
    """Members are tried in order, except that an object goes first to the models it fits best:
    a model none of whose tags (``Literal`` fields) it contradicts, whose nested tagged objects
    its nested unions know, and whose required fields it has all — in that order of weight —, or
    a tagged union (``typing`` flattens one inside a bigger union; its members are regrouped
    here) that knows its tag. Among equal fits the order stands."""
    members: List[Any] = list(typing.get_args(tp))
    for union, (_tag, variants, unknown) in _TAGGED.items():
        models = {*variants.values(), unknown}
        if models <= set(members):
            first = next(i for i, m in enumerate(members) if m in models)
            members = [m for m in members if m not in models]
            members.insert(first, union)
    Fits = Optional[Callable[[Dict[str, Any]], _Misfit]]
    hooks: List[Tuple[Any, Optional[Callable[[Any], Any]], Fits]] = []
    for member in members:
        fits: Fits = None
        if member in _TAGGED:
            hooks.append((member, _object_hook(conv, member), _knows_tag(*_TAGGED[member][:2])))
            continue
        if attrs.has(member):
            fits = _misfit(member)
        hooks.append((member, _make_value_hook(conv, member, strict), fits))
    several_models = sum(1 for h in hooks if h[2] is not None) > 1
    # Models and tagged unions take objects only: a string or a list never tries them (each try
    # would raise, and raising costs more than the rest of a decode).
    not_objects = [h for h in hooks if h[2] is None]
    takes_objects = len(not_objects) < len(hooks)
    # ... and an object never tries a scalar type.
    for_objects = [h for h in hooks if not (h[1] is None and h[0] in _PRIMITIVES)]

    def structure_union(value: Any) -> Any:
        last: Optional[_ShapeError] = None
        candidates = hooks
        if isinstance(value, dict):
            candidates = for_objects
            if several_models:
                candidates = sorted(
                    for_objects, key=lambda h: _PERFECT if h[2] is None else h[2](value)
                )
            if len(candidates) < len(hooks):
                last = _ShapeError(f"no member of {tp} takes an object")
        else:
            candidates = not_objects
            if takes_objects:
                last = _ShapeError(f"expected an object, got {type(value).__name__}")
        for member, hook, _fits in candidates:
            if hook is None:
                if _matches_primitive(value, member):
                    return value
                continue
            try:
                return hook(value)
            except _ShapeError as exc:
                last = exc
        raise last or _ShapeError(f"no member of {tp} matches {type(value).__name__}")

    return structure_union


def _matches_primitive(value: Any, tp: Any) -> bool:
    try:
        _check_primitive(value, tp)
    except _ShapeError:
        return False
    return True


_HINTS: Dict[type, Dict[str, Any]] = {}


def _field_types(cls: type) -> Dict[str, Any]:
    """``typing.get_type_hints(cls)`` (each class in the MRO resolves its annotations in its own
    module), once per class: a model in a union asks twice, and each time compiles every
    annotation anew."""
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


def _make_model_hook(conv: _Hooks, cls: type, strict: bool) -> Callable[[Any, Any], Any]:
    hints = _field_types(cls)
    specs: List[Tuple[str, str, Optional[Callable[[Any], Any]], bool, bool]] = []
    not_null = _wire_names(cls, "nullable", False)
    lazy: List[Tuple[int, Any]] = []
    for field in attrs.fields(cls):
        if field.name == "extra":
            continue
        tp, _nullable = _strip_optional(hints[field.name])
        is_list = typing.get_origin(tp) in (list, List)
        specs.append(
            (
                field.name,
                field.metadata.get("wire", field.name),
                None,
                bool(field.metadata.get("required")),
                is_list,
            )
        )
        lazy.append((len(specs) - 1, "json_string" if field.metadata.get("json_string") else tp))
    known = frozenset(s[1] for s in specs)
    resolved = False
    by_wire: Dict[str, Tuple[str, Optional[Callable[[Any], Any]]]] = {}

    def resolve() -> None:
        # Hooks of nested models are resolved on first use, so models may refer to each other.
        nonlocal resolved
        for index, tp in lazy:
            name, wire, _, req, is_list = specs[index]
            hook = _as_json_string if tp == "json_string" else _make_value_hook(conv, tp, strict)
            specs[index] = (name, wire, hook, req, is_list)
            by_wire[wire] = (name, hook)
        resolved = True

    if not strict:

        def structure_lenient(data: Any, _: Any = None) -> Any:
            # One pass over what the server sent: absent fields cost nothing, unknown ones go to
            # ``extra`` in their order, a value of the wrong shape is kept as it came.
            if not resolved:
                resolve()
            if data.__class__ is not dict and not isinstance(data, dict):
                raise _ShapeError(f"expected an object, got {type(data).__name__}")
            kwargs: Dict[str, Any] = {}
            extra: Optional[Dict[str, Any]] = None
            for wire, value in data.items():
                spec = by_wire.get(wire)
                if spec is None:
                    if extra is None:
                        extra = {}
                    extra[wire] = value
                elif value is not None:
                    name, hook = spec
                    if hook is None:
                        kwargs[name] = value
                    else:
                        try:
                            kwargs[name] = hook(value)
                        except _ShapeError:
                            kwargs[name] = value
            if extra:
                kwargs["extra"] = extra
            return cls(**kwargs)

        structure_lenient.takes_one = True  # type: ignore[attr-defined]
        return structure_lenient

    def structure(data: Any, _: Any = None) -> Any:  # strict: every rule of the schema holds
        if not resolved:
            resolve()
        if not isinstance(data, dict):
            raise _ShapeError(f"expected an object, got {type(data).__name__}")
        kwargs: Dict[str, Any] = {}
        for name, wire, hook, req, _is_list in specs:
            value = data.get(wire, _MISSING)
            if value is _MISSING:
                if req:
                    raise _ShapeError("required field is missing", f".{wire}")
                continue
            if value is None:
                if wire in not_null:
                    raise _ShapeError("null is not allowed", f".{wire}")
                continue
            if hook is not None:
                try:
                    value = hook(value)
                except _ShapeError as exc:
                    raise exc.at(f".{wire}") from None
            kwargs[name] = value
        unexpected = [key for key in data if key not in known]
        if unexpected:
            raise _ShapeError(f"unexpected field(s): {', '.join(sorted(unexpected))}")
        return cls(**kwargs)

    structure.takes_one = True  # type: ignore[attr-defined]
    return structure


class _Hooks:
    """The structure hooks of one decoding mode (lenient or strict). Models and tagged unions
    get this module's own hooks, built once per type; any other type (an ``attrs`` class of the
    caller's, say) goes to the ``cattrs`` converter of the mode, which is loaded only then: the
    API's responses decode without importing ``cattrs``."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self._hooks: Dict[Any, Callable[[Any, Any], Any]] = {}

    def get_structure_hook(self, tp: Any) -> Callable[[Any, Any], Any]:
        hook = self._hooks.get(tp)
        if hook is None:
            if tp in _TAGGED:
                hook = _union_structure(self, tp)
            elif isinstance(tp, type) and issubclass(tp, BaseModel):
                hook = _make_model_hook(self, tp, self.strict)
            else:
                hook = get_converter(self.strict).get_structure_hook(tp)
            self._hooks[tp] = hook
        return hook


_HOOKS = {False: _Hooks(False), True: _Hooks(True)}
_CONVERTERS: Dict[bool, cattrs.Converter] = {}


def _make_converter(strict: bool) -> cattrs.Converter:
    import cattrs

    hooks = _HOOKS[strict]
    conv = cattrs.Converter(detailed_validation=False)
    conv.register_structure_hook_factory(
        lambda t: t in _TAGGED or (isinstance(t, type) and issubclass(t, BaseModel)),
        hooks.get_structure_hook,
    )
    conv.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, BaseModel), to_dict
    )
    return conv


def get_converter(strict: bool = False) -> cattrs.Converter:
    """The shared lenient (default) or strict ``cattrs`` converter, for types other than the
    API's models (it hands those to this module's own hooks)."""
    conv = _CONVERTERS.get(strict)
    if conv is None:
        conv = _CONVERTERS[strict] = _make_converter(strict)
    return conv


def _type_name(tp: Any, data: Any) -> str:
    """A model's name; for a tagged union, its member that ``data`` names."""
    if tp in _TAGGED and isinstance(data, dict):
        tag, variants, unknown = _TAGGED[tp]
        tp = variants.get(str(data.get(tag)), unknown)
    return str(getattr(tp, "__name__", None) or getattr(tp, "_name", None) or tp)


_DECODERS: Dict[Tuple[int, bool], Tuple[Any, Callable[..., Any]]] = {}


def decoder_for(cls: Type[M], *, strict: bool = False) -> Callable[..., M]:
    """The decoding function of ``cls`` (a model, a tagged union or a plain union):
    ``decode(data, request_id=None) -> instance``, raising as :func:`from_dict` does.

    Built once per type and mode. Types are looked up by identity, not by hash: a ``Union`` of
    sixty event models hashes all its members on every lookup.
    """
    key = (id(cls), strict)
    entry = _DECODERS.get(key)
    if entry is None or entry[0] is not cls:
        entry = _DECODERS[key] = (cls, _build_decoder(cls, strict))
    return entry[1]


def _build_decoder(cls: Any, strict: bool) -> Callable[..., Any]:
    conv = _HOOKS[strict]
    call: Callable[[Any], Any]
    if cls in _TAGGED:
        tag, variants, unknown = _TAGGED[cls]
        hooks = {name: (conv.get_structure_hook(model), model) for name, model in variants.items()}
        fallback = (conv.get_structure_hook(unknown), unknown)

        def call(data: Any) -> Any:
            if data.__class__ is not dict and not isinstance(data, dict):
                raise _ShapeError(f"expected an object, got {type(data).__name__}")
            value = data.get(tag)
            hook, model = hooks.get(value if value.__class__ is str else str(value), fallback)
            return hook(data, model)

    elif typing.get_origin(cls) is Union:
        # A plain union at the top (list items, for instance): our member-by-member matching,
        # not cattrs' attribute-based disambiguation.
        call = _make_value_hook(conv, cls, strict) or (lambda value: value)
    else:
        hook = conv.get_structure_hook(cls)

        def call(data: Any) -> Any:
            return hook(data, cls)

    def decode(data: Any, request_id: Optional[str] = None) -> Any:
        try:
            return call(data)
        except _ShapeError as exc:
            name = _type_name(cls, data)
            where = f" at {name}{exc.path}" if exc.path else f" for {name}"
            raise APIResponseValidationError(
                f"Response does not match the schema{where}: {exc.message}",
                body=data,
                request_id=request_id,
            ) from None
        except Exception as exc:  # cattrs' own errors included: they never reach callers
            raise APIResponseValidationError(
                f"Response could not be decoded as {_type_name(cls, data)}: {exc}",
                body=data,
                request_id=request_id,
            ) from exc

    return decode


def from_dict(
    data: Any, cls: Type[M], *, strict: bool = False, request_id: Optional[str] = None
) -> M:
    """Decode JSON data into ``cls`` through the shared converter.

    Raises:
        APIResponseValidationError: the data is not an object, or (strict) does not match.
    """
    return decoder_for(cls, strict=strict)(data, request_id)


# ---------------------------------------------------------------------------------------------
# Unstructuring

_FIELDS: Dict[type, Tuple[Tuple[str, str], ...]] = {}


def _unstructure(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return to_dict(value)
    if isinstance(value, (list, tuple)):
        return [_unstructure(v) for v in value]
    if isinstance(value, dict):
        return {k: _unstructure(v) for k, v in value.items()}
    if attrs.has(type(value)):
        return get_converter().unstructure(value)
    return value


def to_dict(model: Any) -> Dict[str, Any]:
    """A model as JSON-ready data: declared fields (``None`` ones left out), then ``extra``."""
    cls = type(model)
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(
            (f.name, f.metadata.get("wire", f.name)) for f in attrs.fields(cls) if f.name != "extra"
        )
    out: Dict[str, Any] = {}
    for name, wire in names:
        value = getattr(model, name)
        if value is not None:
            out[wire] = _unstructure(value)
    extra = getattr(model, "extra", None)
    if extra:
        for key, value in extra.items():
            out.setdefault(key, value)
    return out
