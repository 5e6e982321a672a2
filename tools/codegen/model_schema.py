"""Read the spec's component schemas into classes, aliases and type expressions.

The model generator's first half (:mod:`tools.codegen.models` writes the source). Every named
schema becomes a :class:`Class` (objects, ``allOf`` merged) or an :class:`Alias`; inline objects
with properties become nested classes and tagged inline unions become aliases, named by
:meth:`Resolver.allocate` from a *hint* (``<Parent><Field>``, ``Item`` for array items, ``Value``
for map values, the member's tag for union members).
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Set, Tuple

DOCS = "https://platform.openai.com/docs/api-reference"
SHARED, OTHER = "shared", "other"
TYPING = ("Any", "Dict", "List", "Literal", "Optional", "Union")
_REF = "#/components/schemas/"
_SHAPE_KEYS = frozenset(("$ref", "$recursiveRef", "type", "properties", "items", "allOf"))
_SHAPE_KEYS |= {"anyOf", "oneOf", "enum", "const", "additionalProperties"}
_RESERVED_CLASSES = frozenset((*TYPING, "BaseModel", "attrs", "annotations", "None", "True"))
_RESERVED_FIELDS = frozenset(
    ("extra", "to_dict", "from_dict", "self", "str", "int", "float", "bool", *TYPING)
)
_PRIMS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_SLUG = re.compile(r"[a-z0-9-]+")


def class_name(schema_name: str) -> str:
    """The Python name of a schema: CapWords of its alphanumeric runs (``MessagePhase-2`` ->
    ``MessagePhase2``), ``Schema`` before a leading digit, ``Model`` after a reserved name."""
    name = cap(schema_name)
    if not name or name[0].isdigit():
        name = "Schema" + name
    return name + "Model" if name in _RESERVED_CLASSES else name


def cap(text: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"[^0-9A-Za-z]+", text) if p)


def schemas_of(spec: Mapping[str, Any]) -> Mapping[str, Any]:
    return spec.get("components", {}).get("schemas", {})  # type: ignore[no-any-return]


def ref_name(schema: Mapping[str, Any], owner: str) -> Optional[str]:
    """The schema a ``$ref`` names (``$recursiveRef`` names ``owner``), else None."""
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(_REF):
        return ref[len(_REF) :]
    return owner if "$recursiveRef" in schema else None


def refs(node: Any, owner: str) -> Set[str]:
    """Every schema that ``node`` refers to, at any depth."""
    out: Set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            name = ref_name(item, owner)
            if name:
                out.add(name)
            stack.extend(v for k, v in item.items() if k not in ("x-oaiMeta", "example"))
        elif isinstance(item, list):
            stack.extend(item)
    return out


def _is_modifier(schema: Any) -> bool:
    """A schema with no shape of its own: ``{nullable: true}``, ``{required: [...]}``, ..."""
    return isinstance(schema, dict) and not _SHAPE_KEYS.intersection(schema)


def members(schema: Mapping[str, Any]) -> List[Any]:
    raw = [*(schema.get("oneOf") or ()), *(schema.get("anyOf") or ())]
    return [m for m in raw if not _is_modifier(m)]


def _attr_name(wire: str, taken: Set[str]) -> str:
    """A safe attribute name for a property (``self-harm`` -> ``self_harm``, ``from`` ->
    ``from_``); unique within the class."""
    name = re.sub(r"[^0-9A-Za-z_]", "_", wire).strip("_") or "field"
    if name[0].isdigit():
        name = "f_" + name
    while name in taken or keyword.iskeyword(name) or name in _RESERVED_FIELDS:
        name += "_"
    taken.add(name)
    return name


# ---------------------------------------------------------------------------------------------
# The intermediate form


@dataclass(frozen=True)
class T:
    """A type: ``any``, ``none``, ``prim`` (name), ``list``/``dict`` (one arg), ``union`` (args),
    ``ref`` (a named schema) or ``gen`` (a generated nested class or inline union alias)."""

    kind: str
    name: str = ""
    args: Tuple[T, ...] = ()


ANY, NONE, STR = T("any"), T("none"), T("prim", "str")


def union(args: Iterable[T]) -> T:
    flat: List[T] = []
    for arg in args:
        for a in arg.args if arg.kind == "union" else (arg,):
            if a not in flat:
                flat.append(a)
    return flat[0] if len(flat) == 1 else T("union", args=tuple(flat)) if flat else ANY


def split_none(t: T) -> Tuple[T, bool]:
    if t.kind == "none":
        return ANY, True
    if t.kind == "union" and NONE in t.args:
        return union(a for a in t.args if a != NONE), True
    return t, False


@dataclass
class Named:
    """What a component schema is in Python: a class, or an alias of ``t``."""

    kind: str  # "class" or "alias"
    name: str
    t: T = ANY
    trivial: bool = False  # an alias of builtins only: references to it are expanded
    nullable: bool = False


@dataclass
class Field:
    attr: str
    wire: str
    t: T
    required: bool
    nullable: bool
    schema: Any  # the property's schema and its owner, for the docstring
    owner: str
    tag: Optional[str]  # the one string value the property allows
    json_string: bool = False


@dataclass
class Class:
    name: str
    module: str
    title: str
    doc_url: str = DOCS
    fields: List[Field] = field(default_factory=list)
    schema: str = ""  # the component schema's name, for named classes
    unknown_of: str = ""  # for the fallback member of a tagged union
    notes: List[str] = field(default_factory=list)


@dataclass
class Alias:
    name: str
    module: str
    t: T
    title: str
    schema: Any = None  # and its owner, for the docstring
    owner: str = ""
    unknown: str = ""  # tagged unions: the fallback class,
    tag: str = "type"  # the tag property,
    key: Tuple[str, T] = ("", ANY)  # and (tag, members) to find duplicates
    named: bool = True


# ---------------------------------------------------------------------------------------------
# The resolver


class Resolver:
    """Resolves every schema of ``spec`` (:meth:`build`); ``module_of`` places them."""

    def __init__(self, spec: Mapping[str, Any], module_of: Mapping[str, str]) -> None:
        self.spec = spec
        self.schemas = schemas_of(spec)
        self.module_of = module_of
        self.named_memo: Dict[str, Named] = {}
        self.is_class_memo: Dict[str, bool] = {}
        self.inline: Dict[Tuple[str, int], T] = {}
        self.union_memo: Dict[Tuple[str, int], List[Tuple[Any, str, T]]] = {}
        self.classes: Dict[str, Class] = {}
        self.aliases: Dict[str, Alias] = {}
        self.home: Dict[str, str] = {}  # generated name -> module
        self.tagged: Dict[Tuple[str, str, T], str] = {}  # (module, tag, members) -> alias
        self.redirect: Dict[str, str] = {}  # inline tagged union -> the named one like it
        self.tag_fields: Set[Tuple[str, str]] = set()  # (class, property) declared Literal
        self.paths: Dict[str, str] = {}  # hint -> where it is, e.g. "Response.output[]"
        self.taken: Set[str] = set()
        for name in sorted(self.schemas):
            if class_name(name) in self.taken:
                raise ValueError(f"two schemas are both named {class_name(name)!r} in Python")
            self.taken.add(class_name(name))
        self.doc_urls = self._doc_urls()

    def build(self) -> None:
        for name in sorted(self.schemas):
            self.named(name)
        # An inline tagged union that a named schema also spells out is that schema.
        named: Dict[Tuple[str, T], List[Alias]] = {}
        for alias in sorted(self.aliases.values(), key=lambda a: a.name):
            if alias.unknown and alias.named:
                named.setdefault(alias.key, []).append(alias)
        for alias in list(self.aliases.values()):
            same = [a for a in named.get(alias.key, ()) if a.module in (alias.module, SHARED)]
            if alias.unknown and not alias.named and same:
                self.redirect[alias.name] = same[0].name
                del self.aliases[alias.name], self.classes[alias.unknown]

    # --- naming and placement ----------------------------------------------------------------

    def sub(self, hint: Optional[str], suffix: str, path: str) -> Optional[str]:
        """A nested hint (``None`` stays ``None``), recording its path for docstrings."""
        if hint is None:
            return None
        self.paths.setdefault(hint + suffix, self.paths.get(hint, hint) + path)
        return hint + suffix

    def allocate(self, hint: str, module: str) -> str:
        name, n = hint, 2
        while name in self.taken:
            name, n = f"{hint}{n}", n + 1
        self.taken.add(name)
        self.home[name] = module
        return name

    def module(self, owner: str) -> str:
        return self.module_of.get(owner, OTHER)

    def _doc_urls(self) -> Dict[str, str]:
        """Schema -> reference page: its operation's (if one), else its group's, else the root."""
        found: Dict[str, Set[Tuple[str, str]]] = {}
        for item in (self.spec.get("paths") or {}).values():
            for op in item.values() if isinstance(item, dict) else ():
                meta = (op.get("x-oaiMeta") if isinstance(op, dict) else None) or {}
                group, path = str(meta.get("group", "")), str(meta.get("path", ""))
                if not _SLUG.fullmatch(group):
                    continue
                for part in (op.get("requestBody"), *(op.get("responses") or {}).values()):
                    for media in ((part or {}).get("content") or {}).values():
                        name = ref_name((media or {}).get("schema") or {}, "")
                        if name:
                            found.setdefault(name, set()).add((group, path))
        out = {}
        for name, pages in found.items():
            groups = {g for g, _ in pages}
            if len(pages) == 1 and _SLUG.fullmatch(next(iter(pages))[1]):
                out[name] = "{}/{}/{}".format(DOCS, *next(iter(pages)))
            elif len(groups) == 1:
                out[name] = f"{DOCS}/{groups.pop()}"
        for group in (self.spec.get("x-oaiMeta") or {}).get("groups") or ():
            for section in group.get("sections") or ():
                if section.get("type") == "object" and _SLUG.fullmatch(str(group.get("id"))):
                    out.setdefault(section["key"], f"{DOCS}/{group['id']}")
        for name, schema in self.schemas.items():
            group = str((schema.get("x-oaiMeta") or {}).get("group", ""))
            if _SLUG.fullmatch(group):
                out.setdefault(name, f"{DOCS}/{group}")
        return out

    # --- schema shape ------------------------------------------------------------------------

    def deref(self, schema: Any, owner: str = "") -> Mapping[str, Any]:
        seen: Set[str] = set()
        while isinstance(schema, dict):
            name = ref_name(schema, owner)
            if not name or name in seen or name not in self.schemas:
                return schema
            seen.add(name)
            schema, owner = self.schemas[name], name
        return {}

    def is_class(self, name: str) -> bool:
        if name not in self.is_class_memo:
            self.is_class_memo[name] = False  # a cycle through allOf is not an object
            self.is_class_memo[name] = self.object_like(self.schemas.get(name), name)
        return self.is_class_memo[name]

    def object_like(self, schema: Any, owner: str) -> bool:
        if not isinstance(schema, dict):
            return False
        name = ref_name(schema, owner)
        if name:
            return name in self.schemas and self.is_class(name)
        if schema.get("properties"):
            return True
        solo = self.solo(schema, owner)
        if solo is not None:
            return self.object_like(solo, owner)
        parts = [p for p in schema.get("allOf") or () if not _is_modifier(p)]
        return bool(parts) and all(self.object_like(p, owner) for p in parts)

    def solo(self, schema: Mapping[str, Any], owner: str) -> Any:
        """The one non-null member of a union (``anyOf: [X, {type: null}]``), else None."""
        found = [m for m in members(schema) if self.deref(m, owner).get("type") != "null"]
        return found[0] if len(found) == 1 else None

    def unwrap(self, schema: Mapping[str, Any], owner: str) -> Tuple[Mapping[str, Any], bool]:
        """The schema inside nullable and ``allOf`` wrappers, and whether a wrapper adds null."""
        nullable = False
        while not ref_name(schema, owner) and not schema.get("properties"):
            every = schema.get("allOf") or ()
            parts = [p for p in every if not _is_modifier(p)]
            nullable = nullable or any(p.get("nullable") is True for p in [schema, *every])
            solo = self.solo(schema, owner)
            if solo is not None:
                nullable = nullable or len(members(schema)) > 1
                schema = solo
            elif len(parts) == 1 or any(members(p) for p in parts):
                schema = next((p for p in parts if members(p)), parts[0])
            else:
                break
        return schema, nullable

    def merge(
        self, schema: Any, owner: str, parent: str, seen: Tuple[str, ...] = ()
    ) -> Tuple[Dict[str, Tuple[Any, str, str]], Set[str]]:
        """Properties (wire name -> schema, owner, parent class) and required names, allOf
        parts merged (later ones win)."""
        if not isinstance(schema, dict):
            return {}, set()
        name = ref_name(schema, owner)
        if name:
            if name in seen or name not in self.schemas:
                return {}, set()
            return self.merge(self.schemas[name], name, class_name(name), (*seen, name))
        props: Dict[str, Tuple[Any, str, str]] = {}
        required: Set[str] = set()
        solo = None if schema.get("properties") else self.solo(schema, owner)
        for part in [*(schema.get("allOf") or ()), *([solo] if solo else [])]:
            part_props, part_required = self.merge(part, owner, parent, seen)
            props.update(part_props)
            required |= part_required
        for wire, prop in (schema.get("properties") or {}).items():
            props[wire] = (prop, owner, parent)
        required |= {r for r in schema.get("required") or () if isinstance(r, str)}
        return props, required

    def single_value(self, schema: Any, owner: str) -> Optional[str]:
        prop = self.deref(schema, owner)
        values = [prop["const"]] if "const" in prop else list(prop.get("enum") or ())
        return values[0] if len(values) == 1 and isinstance(values[0], str) else None

    def tags(self, schema: Any, owner: str) -> Dict[str, str]:
        """Properties restricted to one string value, e.g. ``{"type": "message"}``."""
        props, _ = self.merge(schema, owner, "")
        values = {wire: self.single_value(p, o) for wire, (p, o, _) in props.items()}
        return {wire: value for wire, value in values.items() if value is not None}

    # --- named schemas -----------------------------------------------------------------------

    def named(self, name: str) -> Named:
        """The Python face of a component schema (built on first use)."""
        found = self.named_memo.get(name)
        if found:
            return found
        cls, schema = class_name(name), self.schemas[name]
        if self.is_class(name):
            nullable = split_none(self.resolve(schema, name, None))[1]
            named = self.named_memo[name] = Named("class", cls, nullable=nullable)
            self.home[cls] = self.module(name)
            self.build_class(cls, schema, name, name)
            return named
        named = self.named_memo[name] = Named("alias", cls)
        self.home[cls] = self.module(name)
        core, nullable = self.unwrap(schema, name)
        if members(core) and not core.get("properties"):
            t = self.resolve_union(core, name, cls, alias=cls)
            t = union((t, NONE)) if nullable else t
        else:
            t = self.resolve(schema, name, cls)
        named.t, named.trivial, named.nullable = t, self.trivial(t), split_none(t)[1]
        alias = self.aliases.setdefault(cls, Alias(cls, self.module(name), t, ""))
        alias.schema, alias.owner = schema, name
        return named

    def trivial(self, t: T) -> bool:
        if t.kind == "ref":
            return self.named(t.name).kind == "alias" and self.named(t.name).trivial
        return t.kind != "gen" and all(self.trivial(a) for a in t.args)

    def split(self, t: T) -> Tuple[T, bool]:
        """``t`` without ``None``, and whether it (or the schema it refers to) is nullable."""
        t, nullable = split_none(t)
        # A schema without a type (``Any``) accepts every JSON value, null included.
        return t, nullable or t == ANY or (t.kind == "ref" and self.named(t.name).nullable)

    def is_text(self, t: T) -> bool:
        while t.kind == "ref" and self.named(t.name).kind == "alias":
            t = split_none(self.named(t.name).t)[0]
        return t == STR

    def is_list(self, t: T) -> bool:
        while t.kind == "ref" and self.named(t.name).kind == "alias":
            t = split_none(self.named(t.name).t)[0]
        return t.kind == "list"

    # --- types -------------------------------------------------------------------------------

    def resolve(self, schema: Any, owner: str, hint: Optional[str]) -> T:
        """The type of ``schema``; ``hint`` names a nested class if one is needed (else dicts)."""
        if not isinstance(schema, dict):
            return ANY
        t = self._resolve(schema, owner, hint)
        return union((t, NONE)) if schema.get("nullable") is True else t

    def _resolve(self, schema: Mapping[str, Any], owner: str, hint: Optional[str]) -> T:
        name = ref_name(schema, owner)
        if name:
            return T("ref", name) if name in self.schemas else ANY
        every = schema.get("allOf") or ()
        parts = [p for p in every if not _is_modifier(p)]
        if parts and not schema.get("properties"):
            if len(parts) == 1 or not all(self.object_like(p, owner) for p in parts):
                t = self.resolve(next((p for p in parts if members(p)), parts[0]), owner, hint)
            else:
                t = self.inline_class(schema, owner, hint)
            return union((t, NONE)) if any(p.get("nullable") is True for p in every) else t
        if members(schema) and not schema.get("properties"):
            return self.resolve_union(schema, owner, hint)
        if "const" in schema or "enum" in schema:
            values = [schema["const"]] if "const" in schema else list(schema["enum"] or ())
            kind = schema.get("type")
            if isinstance(kind, str):
                t = self.type_of(schema, owner, hint, kind)
            else:
                t = self.value_type([v for v in values if v is not None])
            return union((t, NONE)) if None in values else t
        kind = schema.get("type")
        if isinstance(kind, list):
            return union(self.type_of(schema, owner, hint, k) for k in kind)
        if kind is None and schema.get("properties"):
            kind = "object"
        elif kind is None and "items" in schema:
            kind = "array"
        return self.type_of(schema, owner, hint, kind)

    def type_of(self, schema: Mapping[str, Any], owner: str, hint: Optional[str], kind: Any) -> T:
        if kind == "null":
            return NONE
        if kind in _PRIMS:
            return ANY if schema.get("format") == "binary" else T("prim", _PRIMS[kind])
        if kind == "array":
            items = schema.get("items")
            return T("list", args=(self.resolve(items, owner, self.sub(hint, "Item", "[]")),))
        if kind == "object":
            if schema.get("properties"):
                return self.inline_class(schema, owner, hint)
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                value_hint = self.sub(hint, "Value", "{}")
                return T("dict", args=(self.resolve(extra, owner, value_hint),))
            return T("dict", args=(ANY,))
        return ANY

    @staticmethod
    def value_type(values: List[Any]) -> T:
        names = ["bool" if isinstance(v, bool) else type(v).__name__ for v in values]
        types = [T("prim", n) if n in ("str", "int", "float", "bool") else ANY for n in names]
        return union(types) if values else NONE

    def inline_class(self, schema: Mapping[str, Any], owner: str, hint: Optional[str]) -> T:
        if hint is None:
            return T("dict", args=(ANY,))
        key = (owner, id(schema))
        found = self.inline.get(key)
        if found is None:
            name = self.allocate(hint, self.module(owner))
            found = self.inline[key] = T("gen", name)
            self.build_class(name, schema, owner, "", self.paths.get(hint, hint))
        return found

    # --- unions ------------------------------------------------------------------------------

    def union_parts(self, schema: Mapping[str, Any], owner: str, hint: Optional[str]) -> Any:
        """Members of a union as ``(schema, owner, type)``, named in the union's own context."""
        key = (owner, id(schema))
        if hint is not None and key in self.union_memo:
            return self.union_memo[key]
        several = self.solo(schema, owner) is None
        parts = []
        for i, member in enumerate(members(schema)):
            member_hint = hint
            if hint is not None and several and self.object_like(member, owner):
                tags = self.tags(member, owner)
                title = str(member.get("title", "")) if isinstance(member, dict) else ""
                label = tags.get(self.tag_property(schema, [tags])) or (
                    title if re.fullmatch(r"[A-Za-z][A-Za-z0-9 ]{0,40}", title) else ""
                )
                label = label or f"variant {i + 1}"
                member_hint = self.sub(hint, cap(label), f" ({label})")
            parts.append((member, owner, self.resolve(member, owner, member_hint)))
        if hint is not None:
            self.union_memo[key] = parts
        return parts

    @staticmethod
    def tag_property(schema: Mapping[str, Any], tags: List[Dict[str, str]]) -> str:
        """The discriminator's property, else ``type``, else one every member restricts."""
        declared = (schema.get("discriminator") or {}).get("propertyName")
        if declared:
            return str(declared)
        common = set.intersection(*(set(t) for t in tags)) if tags else set()
        return "type" if "type" in common or not common else sorted(common)[0]

    def expand(self, parts: List[Tuple[Any, str, T]]) -> List[Tuple[Any, str, T]]:
        """Members with refs to named unions replaced by those unions' members."""
        out = []
        for member, owner, t in parts:
            name = ref_name(member, owner) if isinstance(member, dict) else None
            if name and name in self.schemas and not self.is_class(name):
                core, nullable = self.unwrap(self.schemas[name], name)
                if members(core) and not core.get("properties"):
                    self.named(name)
                    out += self.expand(self.union_parts(core, name, class_name(name)))
                    out += [({"type": "null"}, name, NONE)] if nullable else []
                    continue
            out.append((member, owner, t))
        return out

    def resolve_union(
        self, schema: Mapping[str, Any], owner: str, hint: Optional[str], alias: str = ""
    ) -> T:
        """A union's type; a tagged one (see the generator's docstring) becomes an alias."""
        parts = self.union_parts(schema, owner, hint)
        plain = union(t for _, _, t in parts)
        flat = self.expand(parts) if hint is not None else []
        objects = [(m, o, t) for m, o, t in flat if self.object_like(m, o)]
        tags = [self.tags(m, o) for m, o, _ in objects]
        prop = self.tag_property(schema, tags)
        values = [t.get(prop) for t in tags]
        usable = (
            prop.isidentifier() and not keyword.iskeyword(prop) and prop not in _RESERVED_FIELDS
        )
        distinct = None not in values and len(set(values)) == len(values)
        if hint is None or len(objects) < 2 or not (usable and distinct):
            if alias:
                self.aliases[alias] = Alias(alias, self.module(owner), plain, "")
            return plain
        types = [t for _, _, t in flat]
        body, nullable = split_none(union(types))
        module, key = self.module(owner), (prop, body)
        name = alias or self.tagged.get((module, *key)) or self.allocate(hint, module)
        self.tagged.setdefault((module, *key), name)
        if name not in self.aliases:
            self.home.setdefault(name, module)
            unknown = self.allocate("Unknown" + name, module)
            fallback = self.classes[unknown] = Class(unknown, module, "", unknown_of=name)
            tag_field = Field(_attr_name(prop, set()), prop, STR, True, False, None, "", None)
            fallback.fields.append(tag_field)
            for _, _, t in objects:
                self.tag_fields.add((self.named(t.name).name if t.kind == "ref" else t.name, prop))
            title = f"The ``{owner if alias else self.paths.get(hint, hint)}`` union"
            body = split_none(union([*types, T("gen", unknown)]))[0]
            self.aliases[name] = Alias(
                name, module, body, title, None, "", unknown, prop, key, bool(alias)
            )
        return union((T("gen", name), NONE)) if nullable else T("gen", name)

    # --- classes -------------------------------------------------------------------

    def build_class(
        self, name: str, schema: Any, owner: str, schema_name: str, path: str = ""
    ) -> None:
        title = f"The ``{schema_name}`` schema." if schema_name else f"The ``{path}`` object."
        self.paths.setdefault(name, schema_name or path)
        url = self.doc_urls.get(owner, DOCS)
        cls = self.classes[name] = Class(name, self.module(owner), title, url, schema=schema_name)
        if isinstance(schema, dict) and schema.get("deprecated") is True:
            cls.notes.append("Deprecated.")
        if isinstance(schema, dict) and schema.get("x-oai-beta"):
            cls.notes.append("Beta.")
        props, required = self.merge(schema, owner, name)
        taken: Set[str] = set()
        for wire, (prop, prop_owner, parent) in props.items():
            if self.sdk_only(prop):
                continue
            hint = self.sub(parent, cap(wire), "." + wire)
            t, nullable = self.split(self.resolve(prop, prop_owner, hint))
            tag = self.single_value(prop, prop_owner)
            attr = _attr_name(wire, taken)
            fld = Field(attr, wire, t, wire in required, nullable, prop, prop_owner, tag)
            fld.json_string = wire == "arguments" and self.is_text(t)
            cls.fields.append(fld)

    def sdk_only(self, prop: Any) -> bool:
        """A property the official SDKs compute (``Response.output_text``): not on the wire."""
        if not isinstance(prop, dict):
            return False
        return "x-oaiSupportedSDKs" in prop or any(self.sdk_only(m) for m in members(prop))

    def enum_values(self, schema: Any, owner: str, seen: Tuple[int, ...] = ()) -> List[Any]:
        """The documented values of an (open) enum, through refs, unions and ``allOf``."""
        if not isinstance(schema, dict) or id(schema) in seen:
            return []
        seen = (*seen, id(schema))
        name = ref_name(schema, owner)
        if name:
            return self.enum_values(self.schemas.get(name), name, seen)
        values = list(schema.get("enum") or ())
        if "const" in schema:
            values.append(schema["const"])
        for member in [*members(schema), *(schema.get("allOf") or ())]:
            values += [v for v in self.enum_values(member, owner, seen) if v not in values]
        return [v for v in values if v is not None]
