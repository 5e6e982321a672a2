"""The model generator (``tools/codegen/models.py``): module placement, names, types, and the
generated models decoding data — first on a small inline spec, then on the real OpenAPI spec.

The real spec is read from ``$OPENAI_OPENAPI_SPEC`` or ``../shared/openapi/openapi.yaml``; without
it those tests skip, except under CI where its absence fails them.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Set, Tuple

import attrs
import pytest

from openai_core import APIResponseValidationError
from openai_core._convert import from_dict, to_dict

# The generator is a development tool that lives beside the package: the main test run (from
# the checkout) covers it; the per-Python tox runs test the installed wheel alone.
models = pytest.importorskip(
    "tools.codegen.models", reason="tools/ is not importable here (tox tests the installed wheel)"
)
refs = pytest.importorskip("tools.codegen.model_schema").refs

ROOT = Path(__file__).resolve().parents[2]
REF = "#/components/schemas/"


def ref(name: str) -> Dict[str, str]:
    return {"$ref": REF + name}


def obj(required: Tuple[str, ...] = (), **properties: Any) -> Dict[str, Any]:
    return {"type": "object", "required": list(required), "properties": properties}


MINI: Dict[str, Any] = {
    "paths": {},
    "components": {
        "schemas": {
            "Pet": obj(
                ("id", "kind", "tags", "age", "toy"),
                id={"type": "string"},
                kind={"type": "string", "enum": ["cat", "dog"], "default": "cat"},
                tags={"type": "array", "items": {"type": "string"}, "maxItems": 3},
                nickname={"type": ["string", "null"], "maxLength": 20},
                age={"anyOf": [{"type": "integer", "minimum": 0}, {"type": "null"}]},
                weight={"type": "number", "nullable": True},
                **{"from": {"type": "string"}, "self-harm": {"type": "boolean"}},
                owner=obj(("name",), name={"type": "string"}),
                labels={"type": "object", "additionalProperties": {"type": "string"}},
                toy=ref("Toy"),
                plaything=ref("Plaything"),
                gadget={"anyOf": [ref("Match"), ref("Toy")]},
            ),
            "Toy": {"oneOf": [ref("Ball"), ref("Rope")], "discriminator": {"propertyName": "type"}},
            "Ball": obj(
                ("type",), type={"type": "string", "enum": ["ball"]}, size={"type": "integer"}
            ),
            "Rope": obj(
                ("type",), type={"const": "rope"}, length={"type": "number"}, mood=ref("Status")
            ),
            "Plaything": {"anyOf": [{"type": "string"}, ref("Toy"), {"type": "null"}]},
            "Status": {"type": "string", "enum": ["on", "off"]},
            "Tree": obj(
                value={"type": "integer"}, children={"type": "array", "items": ref("Tree")}
            ),
            "Filter": {
                "$recursiveAnchor": True,
                **obj(
                    ("type", "filters"),
                    type={"type": "string", "enum": ["and", "or"]},
                    filters={
                        "type": "array",
                        "items": {"oneOf": [ref("Match"), {"$recursiveRef": "#"}]},
                    },
                ),
            },
            "Match": obj(("key",), key={"type": "string"}, value={"type": "string"}),
            "Ping": obj(pong=ref("Pong")),
            "Pong": obj(ping=ref("Ping")),
            "Show": {"allOf": [ref("Pet"), obj(("stage",), stage={"type": "string"})]},
            "Orphan": obj(note={"type": "string"}),
            "PetEvent": obj(pet=ref("Pet")),
        }
    },
}
VALID_PET = {"id": "p", "kind": "cat", "tags": [], "age": None, "toy": {"type": "ball"}}
MINI_ROOTS = {"pets": ["Pet", "Show"], "toys": ["Toy", "Plaything"], "trees": ["Tree"]}


def load_package(sources: Mapping[str, str], directory: Path) -> str:
    """Write generated sources as a uniquely named package under ``directory``; its name."""
    name = f"generated_models_{uuid.uuid4().hex[:8]}"
    package = directory / name
    package.mkdir(parents=True)
    for module, source in sources.items():
        (package / f"{module}.py").parent.mkdir(parents=True, exist_ok=True)
        (package / f"{module}.py").write_text(source, encoding="utf-8")
    if str(directory) not in sys.path:
        sys.path.insert(0, str(directory))
    importlib.invalidate_caches()
    return name


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    module_of = models.assign_modules(MINI, MINI_ROOTS)
    mixins = {"Pet": "codegen_test_mixins:Describe"}
    directory = tmp_path_factory.mktemp("mini")
    (directory / "codegen_test_mixins.py").write_text(
        "class Describe:\n"
        "    __slots__ = ()\n\n"
        "    def describe(self) -> str:\n"
        "        return f'{self.kind} {self.id}'\n"
    )
    name = load_package(models.generate_models(MINI, module_of, mixins), directory)
    yield importlib.import_module(name)
    sys.path.remove(str(directory))


# --- placement --------------------------------------------------------------------------------


def test_a_schema_reached_from_one_namespace_goes_to_its_module() -> None:
    module_of = models.assign_modules(MINI, MINI_ROOTS)
    assert module_of["Pet"] == "pets"
    assert module_of["Tree"] == "trees"


def test_a_schema_reached_from_two_namespaces_goes_to_shared() -> None:
    module_of = models.assign_modules(MINI, MINI_ROOTS)
    assert module_of["Toy"] == module_of["Ball"] == module_of["Status"] == "shared"


def test_an_unreached_schema_goes_to_other_or_joins_the_namespace_it_needs() -> None:
    module_of = models.assign_modules(MINI, MINI_ROOTS)
    assert module_of["Orphan"] == module_of["Ping"] == "other"
    assert module_of["PetEvent"] == module_of["Filter"] == "pets"  # need Pet, Match: pets only
    schemas = {**MINI["components"]["schemas"], "Mixed": obj(a=ref("Pet"), b=ref("Tree"))}
    module_of = models.assign_modules({"components": {"schemas": schemas}}, MINI_ROOTS)
    assert module_of["Mixed"] == "shared"  # needs Pet and Tree ...
    assert module_of["Pet"] == module_of["Tree"] == "shared"  # ... which move to shared with it


def test_assign_modules_rejects_unknown_schemas_and_reserved_module_names() -> None:
    with pytest.raises(ValueError, match="Nope"):
        models.assign_modules(MINI, {"pets": ["Nope"]})
    with pytest.raises(ValueError, match="shared"):
        models.assign_modules(MINI, {"shared": ["Pet"]})


def test_generate_models_rejects_a_placement_that_imports_in_a_cycle() -> None:
    module_of = dict.fromkeys(MINI["components"]["schemas"], "other")
    module_of.update(Ping="a", Pong="b")
    with pytest.raises(ValueError, match="cycle"):
        models.generate_models(MINI, module_of)


def test_roots_put_models_in_modules_by_the_roots_that_reach_them() -> None:
    placement: Dict[str, str] = {}
    module_of = models.assign_modules(MINI, MINI_ROOTS)
    sources = models.generate_models(
        MINI, module_of, roots=["Pet", "Show", "Tree"], placement=placement
    )
    # A module per set of roots that reach its models, named after the root when there is one,
    # else after the namespace most of its models come from and a hash of the roots; a
    # namespace's models that no root reaches go to "<namespace>_rest" (grouped the same way).
    assert placement["Pet"] == "pet" and placement["Show"] == "show" and placement["Tree"] == "tree"
    assert placement["PetEvent"] == placement["Filter"] == "pets_rest"
    assert placement["Toy"] == placement["Ball"] == placement["UnknownToy"] == placement["PetOwner"]
    assert re.fullmatch(r"shared_[0-9a-f]{8}", placement["Toy"])  # from Pet and Show
    assert placement["Orphan"] == placement["Ping"] == placement["Pong"] == "other_rest"
    assert f"_m/{placement['Toy']}" in sources and "_m/__init__" in sources
    # The namespace modules export the same names, lazily.
    assert "\nclass " not in sources["pets"]
    assert f'"Pet": "{placement["Pet"]}",' in sources["pets"]
    again = models.generate_models(MINI, module_of, roots=["Tree", "Show", "Pet"])
    assert again == sources


def test_namespace_modules_load_only_what_a_model_needs(tmp_path: Path) -> None:
    module_of = models.assign_modules(MINI, MINI_ROOTS)
    sources = models.generate_models(MINI, module_of, roots=["Pet", "Show", "Tree"])
    name = load_package(sources, tmp_path)
    try:
        pets = importlib.import_module(f"{name}.pets")
        assert not [m for m in sys.modules if m.startswith(f"{name}._m.")]
        pet = from_dict(VALID_PET, pets.Pet)
        assert type(pet).__module__ == f"{name}._m.pet"
        assert type(pet.toy).__name__ == "Ball"
        loaded = {m.rpartition(".")[2] for m in sys.modules if m.startswith(f"{name}._m.")}
        assert len(loaded) == 2 and not loaded & {"tree", "show", "pets_rest", "other_rest"}
        assert "Pet" in dir(pets) and "Pet" in pets.__all__
        package = importlib.import_module(name)
        assert package.model("Tree") is importlib.import_module(f"{name}.trees").Tree
        with pytest.raises(AttributeError):
            pets.Nope  # noqa: B018
    finally:
        sys.path.remove(str(tmp_path))


# --- names and types --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "name"),
    [
        ("Response", "Response"),
        ("MessagePhase-2", "MessagePhase2"),
        ("Beta_AgentTagParam", "BetaAgentTagParam"),
        ("realtime.event", "RealtimeEvent"),
        ("2fa", "Schema2fa"),
        ("Union", "UnionModel"),
    ],
)
def test_class_name(schema: str, name: str) -> None:
    assert models.class_name(schema) == name


@pytest.mark.parametrize(
    ("schema", "text"),
    [
        ({"type": "string", "enum": ["a", "b"]}, "str"),
        ({"type": ["integer", "null"]}, "Optional[int]"),
        ({"type": "array", "items": ref("Ball")}, "List[Ball]"),
        ({"type": "object", "additionalProperties": {"type": "number"}}, "Dict[str, float]"),
        (obj(x={"type": "string"}), "Dict[str, Any]"),
        (ref("Toy"), "Toy"),
        (ref("Status"), "str"),
        (
            {"anyOf": [{"type": "string"}, {"type": "array", "items": ref("Ball")}]},
            "Union[List[Ball], str]",
        ),
        (
            {"oneOf": [{"type": "number"}, {"type": "integer"}, {"type": "boolean"}]},
            "Union[bool, int, float]",
        ),
        ({"allOf": [ref("Ball")], "nullable": True}, "Optional[Ball]"),
        ({"type": "string", "format": "binary"}, "Any"),
        ({}, "Any"),
    ],
)
def test_python_type(schema: Dict[str, Any], text: str) -> None:
    assert models.python_type(schema, MINI) == text


def test_schema_facts_for_the_builders() -> None:
    assert models.schema_kind(ref("Status"), MINI) == "string"
    assert models.schema_kind(ref("Toy"), MINI) == "object"
    assert models.schema_kind(ref("Plaything"), MINI) == "any"
    assert models.schema_kind({"type": "string", "format": "binary"}, MINI) == "file"
    assert models.enum_values(ref("Pet"), MINI) == ()
    assert models.enum_values({"anyOf": [ref("Status"), {"type": "string"}]}, MINI) == ("on", "off")
    assert models.is_nullable({"type": ["string", "null"]}, MINI)
    assert not models.is_nullable(ref("Ball"), MINI)
    assert models.referenced_schemas({"type": "array", "items": ref("Toy")}, MINI) == ["Toy"]


# --- the generated source ---------------------------------------------------------------------


def test_generated_modules_have_the_header_and_future_import() -> None:
    sources = models.generate_models(MINI, models.assign_modules(MINI, MINI_ROOTS))
    for source in sources.values():
        assert source.startswith("# Generated by tools/codegen from the OpenAI OpenAPI spec.")
        assert "from __future__ import annotations" in source


def test_fields_record_required_nullable_and_wire_names(mini: Any) -> None:
    fields = attrs.fields_dict(mini.model("Pet"))
    assert fields["id"].metadata == {"required": True, "nullable": False}
    assert fields["age"].metadata == {"required": True, "nullable": True}
    assert fields["nickname"].metadata == {"required": False, "nullable": True}
    assert fields["weight"].metadata == {"required": False, "nullable": True}
    assert fields["from_"].metadata["wire"] == "from"
    assert fields["self_harm"].metadata["wire"] == "self-harm"
    assert fields["tags"].default == attrs.Factory(list)


def test_attribute_docstrings_carry_type_facts_not_prose() -> None:
    sources = models.generate_models(MINI, models.assign_modules(MINI, MINI_ROOTS))
    pets = sources["pets"]
    assert 'Known values: ``"cat"``, ``"dog"``. Default: ``"cat"``.' in pets
    assert "Maximum items: 3." in pets
    assert "Optional, nullable. Maximum length: 20." in pets
    assert "API reference: https://platform.openai.com/docs/api-reference" in pets


def test_nested_objects_become_classes_named_after_their_place(mini: Any) -> None:
    pet = from_dict({"id": "p", "owner": {"name": "Ann"}}, mini.model("Pet"))
    assert type(pet.owner).__name__ == "PetOwner"
    assert pet.owner.name == "Ann"


def test_allof_merges_the_parts_into_one_class(mini: Any) -> None:
    show = from_dict({"id": "p", "kind": "dog", "stage": "final"}, mini.model("Show"))
    assert (show.id, show.kind, show.stage) == ("p", "dog", "final")
    assert attrs.fields_dict(mini.model("Show"))["stage"].metadata["required"] is True


def test_mixins_come_first_in_the_bases(mini: Any) -> None:
    pet = from_dict({"id": "p1", "kind": "cat"}, mini.model("Pet"))
    assert pet.describe() == "cat p1"
    assert mini.model("Pet").__mro__[1].__name__ == "Describe"


# --- decoding with generated models -----------------------------------------------------------


def test_a_tagged_union_picks_its_member_by_tag(mini: Any) -> None:
    pet = from_dict({"id": "p", "toy": {"type": "rope", "length": 2.5}}, mini.model("Pet"))
    assert type(pet.toy).__name__ == "Rope"
    assert pet.toy.length == 2.5
    assert from_dict({"type": "ball", "size": 3}, mini.model("Toy")).size == 3


def test_a_tagged_union_falls_back_to_its_unknown_member(mini: Any) -> None:
    toy = from_dict({"type": "kite", "string": 30}, mini.model("Toy"))
    assert type(toy).__name__ == "UnknownToy"
    assert (toy.type, toy.extra) == ("kite", {"string": 30})
    assert to_dict(toy) == {"type": "kite", "string": 30}


def test_a_tagged_union_may_have_members_that_are_not_objects(mini: Any) -> None:
    assert mini.model("Plaything").__args__[-1] is str
    pet = mini.model("Pet")
    assert from_dict({"plaything": "stick"}, pet).plaything == "stick"
    assert type(from_dict({"plaything": {"type": "rope"}}, pet).plaything).__name__ == "Rope"
    assert type(from_dict({"plaything": {"type": "kite"}}, pet).plaything).__name__ == (
        "UnknownPlaything"
    )


def test_an_untagged_union_gives_objects_to_the_member_they_fit(mini: Any) -> None:
    pet = mini.model("Pet")
    assert type(from_dict({"gadget": {"key": "k"}}, pet).gadget).__name__ == "Match"
    assert type(from_dict({"gadget": {"type": "ball"}}, pet).gadget).__name__ == "Ball"
    assert type(from_dict({"gadget": {"type": "kite"}}, pet).gadget).__name__ == "Match"


def test_open_enums_keep_values_the_spec_does_not_list(mini: Any) -> None:
    data = {**VALID_PET, "kind": "axolotl", "toy": {"type": "rope", "mood": "dim"}}
    pet = from_dict(data, mini.model("Pet"), strict=True)
    assert (pet.kind, pet.toy.mood) == ("axolotl", "dim")


def test_lenient_decoding_gives_none_and_empty_lists_for_missing_required_fields(mini: Any) -> None:
    pet = from_dict({"unexpected": 1}, mini.model("Pet"))
    assert (pet.id, pet.tags, pet.extra) == (None, [], {"unexpected": 1})


def test_strict_decoding_rejects_null_in_a_non_nullable_field(mini: Any) -> None:
    base = VALID_PET
    assert from_dict({**base, "nickname": None}, mini.model("Pet"), strict=True).nickname is None
    with pytest.raises(APIResponseValidationError, match=r"Pet\.id: null is not allowed"):
        from_dict({**base, "id": None}, mini.model("Pet"), strict=True)
    with pytest.raises(APIResponseValidationError, match=r"Pet\.from: null is not allowed"):
        from_dict({**base, "from": None}, mini.model("Pet"), strict=True)
    assert from_dict({**base, "from": None}, mini.model("Pet")).from_ is None  # lenient


def test_recursive_schemas_decode_at_every_depth(mini: Any) -> None:
    data = {"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}]}
    assert from_dict(data, mini.model("Tree")).children[0].children[0].value == 3
    assert type(from_dict({"pong": {"ping": {}}}, mini.model("Ping")).pong.ping).__name__ == "Ping"
    data = {"type": "and", "filters": [{"key": "a"}, {"type": "or", "filters": [{"key": "b"}]}]}
    flt = from_dict(data, mini.model("Filter"))
    assert [type(f).__name__ for f in flt.filters] == ["Match", "Filter"]
    assert to_dict(flt) == data


def test_models_compare_by_value_and_show_their_fields(mini: Any) -> None:
    one = from_dict({"type": "ball", "size": 1}, mini.model("Ball"))
    assert one == from_dict({"type": "ball", "size": 1}, mini.model("Ball"))
    assert one != from_dict({"type": "ball", "size": 2}, mini.model("Ball"))
    assert repr(one) == "Ball(type='ball', size=1)"


# --- the real spec ----------------------------------------------------------------------------


def spec_path() -> Path:
    env = os.environ.get("OPENAI_OPENAPI_SPEC")
    return Path(env) if env else ROOT.parent / "shared" / "openapi" / "openapi.yaml"


def roots_from_paths(spec: Mapping[str, Any]) -> Dict[str, Set[str]]:
    """Ad hoc roots: first path segment -> schemas its operations refer to (the real ones come
    from the endpoint catalog)."""
    responses = spec["components"].get("responses", {})

    def collect(node: Any, out: Set[str]) -> Set[str]:
        if isinstance(node, dict):
            target = node.get("$ref", "")
            if isinstance(target, str) and target.startswith(REF):
                out.add(target[len(REF) :])
            elif isinstance(target, str) and target.startswith("#/components/responses/"):
                collect(responses[target.rsplit("/", 1)[1]], out)
            for key, value in node.items():
                if key != "x-oaiMeta":
                    collect(value, out)
        elif isinstance(node, list):
            for value in node:
                collect(value, out)
        return out

    roots: Dict[str, Set[str]] = {}
    for path, item in spec["paths"].items():
        segment = re.sub(r"\W", "_", path.split("/")[1].split("?")[0])
        collect(item, roots.setdefault("admin" if segment == "organization" else segment, set()))
    collect(spec.get("webhooks", {}), roots.setdefault("webhooks", set()))
    return roots


@attrs.frozen
class Real:
    spec: Mapping[str, Any]
    module_of: Dict[str, str]
    sources: Dict[str, str]
    seconds: float
    directory: Path
    package: Any

    def model(self, schema: str) -> Any:
        return self.package.model(schema)


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Real]:
    path = spec_path()
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"the OpenAPI spec is missing at {path} (required under CI)")
        pytest.skip(f"the OpenAPI spec is not at {path}; set OPENAI_OPENAPI_SPEC")
    import yaml

    with path.open("rb") as handle:
        spec = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    started = time.perf_counter()
    module_of = models.assign_modules(spec, roots_from_paths(spec))
    sources = models.generate_models(spec, module_of)
    seconds = time.perf_counter() - started
    directory = tmp_path_factory.mktemp("real")
    name = load_package(sources, directory)
    yield Real(spec, module_of, sources, seconds, directory / name, importlib.import_module(name))
    sys.path.remove(str(directory))


def test_generation_takes_seconds_and_is_deterministic(real: Real) -> None:
    assert real.seconds < 30, f"generation took {real.seconds:.1f}s"
    again = models.generate_models(real.spec, dict(reversed(list(real.module_of.items()))))
    assert again == real.sources


def test_module_placement_keeps_imports_acyclic(real: Real) -> None:
    schemas = real.spec["components"]["schemas"]
    for name, module in real.module_of.items():
        for dep in refs(schemas[name], name):
            target = real.module_of[dep]
            assert target in (module, "shared"), f"{name} ({module}) -> {dep} ({target})"


def example_responses(spec: Mapping[str, Any]) -> Iterator[Tuple[str, str, Any]]:
    """(operation, response schema, decoded example) for every JSON example response."""
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict):
                continue
            schema = None
            for code, response in (op.get("responses") or {}).items():
                content = (response.get("content") or {}).get("application/json") or {}
                target = (content.get("schema") or {}).get("$ref", "")
                if str(code).startswith("2") and target.startswith(REF):
                    schema = target[len(REF) :]
            examples = (op.get("x-oaiMeta") or {}).get("examples") or []
            for example in examples if isinstance(examples, list) else [examples]:
                text = example.get("response") if isinstance(example, dict) else None
                if schema and isinstance(text, str) and text.lstrip().startswith("{"):
                    try:
                        data = json.loads(text)
                    except ValueError:  # a few examples are not valid JSON
                        continue
                    yield f"{method.upper()} {path}", schema, data


def without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def missing_in(data: Any, decoded: Any, path: str = "") -> List[str]:
    """Paths of values in ``data`` that ``decoded`` lost or changed ([] for a missing key is
    lenient decoding of a required array, not a loss)."""
    if isinstance(data, dict) and isinstance(decoded, dict):
        return [
            p
            for key, value in data.items()
            for p in (
                missing_in(value, decoded[key], f"{path}.{key}")
                if key in decoded
                else [f"{path}.{key}"]
            )
        ]
    if isinstance(data, list) and isinstance(decoded, list) and len(data) == len(decoded):
        return [
            p
            for i, (a, b) in enumerate(zip(data, decoded))
            for p in missing_in(a, b, f"{path}[{i}]")
        ]
    return [] if data == decoded else [path]


def test_every_example_response_decodes_leniently_without_losing_fields(real: Real) -> None:
    seen = set()
    for operation, schema, data in example_responses(real.spec):
        decoded = from_dict(data, real.model(schema))
        lost = missing_in(without_nulls(data), without_nulls(to_dict(decoded)))
        assert not lost, f"{operation} ({schema}) lost {lost[:5]}"
        seen.add(schema)
    wanted = {"CreateChatCompletionResponse", "Response", "FineTuningJob", "VectorStoreObject"}
    assert wanted <= seen


def test_response_output_items_decode_as_their_tagged_classes(real: Real) -> None:
    (data,) = [d for op, s, d in example_responses(real.spec) if op == "POST /responses"][:1]
    response = from_dict(data, real.model("Response"))
    assert type(response).__name__ == "Response"
    assert type(response.output[0]).__name__ == "OutputMessage"
    assert type(response.output[0].content[0]).__name__ == "OutputTextContent"


def test_stream_events_pick_their_class_by_type_and_fall_back_to_unknown(real: Real) -> None:
    event = real.model("ResponseStreamEvent")
    delta = {"type": "response.output_text.delta", "item_id": "m", "output_index": 0,
             "content_index": 0, "delta": "Hi", "sequence_number": 3, "logprobs": []}  # fmt: skip
    decoded = from_dict(delta, event)
    assert type(decoded).__name__ == "ResponseTextDeltaEvent"
    assert decoded.delta == "Hi"
    future = from_dict({"type": "response.teleported", "where": "moon"}, event)
    assert type(future).__name__ == "UnknownResponseStreamEvent"
    assert future.extra == {"where": "moon"}


def test_an_untagged_union_gives_objects_to_the_member_whose_tags_they_match(real: Real) -> None:
    # ItemResource is not tagged: its input and output messages share the type "message".
    items = real.model("ItemResource")

    def member(data: Dict[str, Any]) -> str:
        return type(from_dict(data, items)).__name__

    output = {"type": "function_call_output", "id": "o", "call_id": "c", "output": "sunny"}
    assert member(output) == "FunctionToolCallOutputResource"
    asked = {"type": "message", "id": "m", "role": "user", "status": "completed",
             "content": [{"type": "input_text", "text": "Hi"}]}  # fmt: skip
    assert member(asked) == "InputMessageResource"
    said = {"type": "message", "id": "m", "role": "assistant", "status": "completed",
            "content": [{"type": "output_text", "text": "Hi", "annotations": []}]}  # fmt: skip
    assert member(said) == "OutputMessage"
    assert member({k: v for k, v in said.items() if k != "status"}) == "OutputMessage"


def test_realtime_server_events_are_a_tagged_union(real: Real) -> None:
    if "RealtimeServerEvent" not in real.spec["components"]["schemas"]:
        pytest.skip("this spec has no RealtimeServerEvent")
    data = {"type": "input_audio_buffer.cleared", "event_id": "e1"}
    decoded = from_dict(data, real.model("RealtimeServerEvent"), strict=True)
    assert type(decoded).__name__ == "RealtimeServerEventInputAudioBufferCleared"


def test_real_open_enums_and_strict_nulls(real: Real) -> None:
    (data,) = [d for op, s, d in example_responses(real.spec) if op == "POST /responses"][:1]
    assert (
        from_dict({**data, "status": "levitating"}, real.model("Response")).status == "levitating"
    )
    reasoning = real.model("Reasoning")
    assert from_dict({"effort": None, "mode": "x"}, reasoning, strict=True).effort is None
    with pytest.raises(APIResponseValidationError, match=r"Reasoning\.mode: null is not allowed"):
        from_dict({"mode": None}, reasoning, strict=True)
    delta = {"type": "response.output_text.delta", "item_id": "m", "output_index": 0,
             "content_index": 0, "delta": None, "sequence_number": 3, "logprobs": []}  # fmt: skip
    with pytest.raises(
        APIResponseValidationError, match=r"ResponseTextDeltaEvent\.delta: null is not allowed"
    ):
        from_dict(delta, real.model("ResponseStreamEvent"), strict=True)


def test_the_recursive_compound_filter_decodes(real: Real) -> None:
    data = {"type": "and", "filters": [{"type": "eq", "key": "a", "value": 1},
            {"type": "or", "filters": [{"type": "ne", "key": "b", "value": "x"}]}]}  # fmt: skip
    decoded = from_dict(data, real.model("CompoundFilter"), strict=True)
    assert [type(f).__name__ for f in decoded.filters] == ["ComparisonFilter", "CompoundFilter"]
    assert to_dict(decoded) == data


def test_every_module_imports_quickly(real: Real) -> None:
    script = (
        "import importlib, sys, time, attrs, openai_core._convert\n"
        f"sys.path.insert(0, {str(real.directory.parent)!r})\n"
        "times = {}\n"
        f"for name in {sorted(real.sources)!r}:\n"
        "    started = time.perf_counter()\n"
        f"    importlib.import_module({real.directory.name!r} + '.' + name)\n"
        "    times[name] = time.perf_counter() - started\n"
        "print(sum(times.values()), max(times.values()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    total, biggest = map(float, result.stdout.split())
    assert total < 3.0, f"all model modules import in {total:.2f}s"
    assert biggest < 1.0, f"the slowest model module imports in {biggest:.2f}s"


def in_package_copy(real: Real, tmp_path: Path) -> Path:
    """A copy of the package with the generated models in ``openai_core/_generated/models``."""
    shutil.copytree(
        ROOT / "openai_core",
        tmp_path / "openai_core",
        ignore=shutil.ignore_patterns("_generated", "__pycache__"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    target = tmp_path / "openai_core" / "_generated" / "models"
    target.mkdir(parents=True)
    (target.parent / "__init__.py").write_text('"""Generated."""\n')
    for module, source in real.sources.items():
        (target / f"{module}.py").write_text(source, encoding="utf-8")
    return tmp_path


def tool(name: str) -> str:
    found = Path(sys.executable).with_name(name)
    if not found.exists():
        pytest.skip(f"{name} is not installed")
    return str(found)


def test_generated_code_passes_ruff(real: Real, tmp_path: Path) -> None:
    root = in_package_copy(real, tmp_path)
    ruff = tool("ruff")
    for command in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [ruff, *command, "openai_core/_generated/models"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout[-3000:]


def test_generated_code_passes_mypy_strict(real: Real, tmp_path: Path) -> None:
    root = in_package_copy(real, tmp_path)
    command = [
        tool("mypy"),
        "--follow-imports=silent",
        "--no-incremental",
        "openai_core/_generated/models",
    ]
    result = subprocess.run(
        command, cwd=root, capture_output=True, text=True, check=False, timeout=110
    )
    assert result.returncode == 0, result.stdout[-3000:]
