"""Generate the wire layer from the OpenAI OpenAPI spec.

    python -m tools.codegen [SPEC] [--check]

SPEC defaults to ``$OPENAI_OPENAPI_SPEC``, else ``../shared/openapi/openapi.yaml`` next to the
repository. Writes ``openai_core/_generated/`` and ``docs/api-reference.md``; with ``--check``
writes nothing and exits 1 if any generated file differs from what is committed (drift).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, Iterable, Mapping, Optional, Set, Tuple

import yaml

from tools.codegen import builders
from tools.codegen.catalog import Spec, derive_endpoints

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "openai_core" / "_generated"
REFERENCE = ROOT / "docs" / "api-reference.md"


def default_spec() -> Path:
    env = os.environ.get("OPENAI_OPENAPI_SPEC")
    if env:
        return Path(env)
    return ROOT.parent / "shared" / "openapi" / "openapi.yaml"


def load_spec(path: Path) -> Mapping[str, Any]:
    with path.open("rb") as handle:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data: Mapping[str, Any] = yaml.load(handle, Loader=loader)
    return data


def _roots(endpoints: Iterable[Mapping[str, Any]]) -> Dict[str, Set[str]]:
    roots: Dict[str, Set[str]] = {}
    for e in endpoints:
        names = roots.setdefault(e["namespace"][0], set())
        for key in ("request_model", "response_model", "stream_event_model", "item_model"):
            if e[key]:
                names.add(e[key])
    return roots


def render(spec_path: Path) -> Dict[Path, str]:
    """Every generated file: path -> content (before formatting)."""
    spec = with_webhook_event(load_spec(spec_path))
    endpoints = derive_endpoints(Spec(spec))
    files: Dict[Path, str] = {}
    model_ref = _model_files(spec, endpoints, files)
    for module, source in builders.generate_resources(endpoints, model_ref).items():
        files[PACKAGE / "resources" / f"{module}.py"] = source
    files[PACKAGE / "resources" / "__init__.py"] = (
        builders.HEADER + '"""Generated resources and builders, one module per namespace."""\n'
    )
    files[PACKAGE / "namespaces.py"] = builders.generate_namespaces(endpoints)
    files[PACKAGE / "catalog.py"] = builders.generate_catalog(endpoints)
    files[PACKAGE / "__init__.py"] = (
        builders.HEADER + '"""The generated wire layer; modules load lazily, per namespace."""\n'
    )
    files[REFERENCE] = builders.generate_reference(endpoints)
    return files


def with_webhook_event(spec: Mapping[str, Any]) -> Mapping[str, Any]:
    """The spec plus a ``WebhookEvent`` schema: a ``oneOf`` of every payload schema in its
    top-level ``webhooks`` section (no operation names them), so the generator writes a tagged
    union with an ``UnknownWebhookEvent`` fallback for ``client.webhooks().unwrap()``."""
    payloads = []
    for item in (spec.get("webhooks") or {}).values():
        for operation in item.values():
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema", {})
            if "$ref" in schema and schema not in payloads:
                payloads.append(schema)
    if not payloads:
        return spec
    payloads.sort(key=lambda ref: str(ref["$ref"]))
    components = dict(spec.get("components") or {})
    components["schemas"] = {
        **components.get("schemas", {}),
        "WebhookEvent": {"oneOf": payloads, "discriminator": {"propertyName": "type"}},
    }
    return {**spec, "components": components}


def _model_files(
    spec: Mapping[str, Any], endpoints: Iterable[Mapping[str, Any]], files: Dict[Path, str]
) -> builders.ModelRef:
    from tools.codegen import models

    module_of = models.assign_modules(spec, _roots(endpoints))
    decoded = {
        e[key]
        for e in endpoints
        for key in ("response_model", "stream_event_model", "item_model")
        if e[key]
    } | set(DECODED_ELSEWHERE)
    placement: Dict[str, str] = {}
    sources = models.generate_models(spec, module_of, MIXINS, sorted(decoded), placement)
    for module, source in sources.items():
        files[PACKAGE / "models" / f"{module}.py"] = source
    files.setdefault(
        PACKAGE / "models" / "__init__.py",
        builders.HEADER + '"""Generated models, one module per namespace."""\n',
    )

    def model_ref(schema: Optional[str]) -> Optional[Tuple[str, str]]:
        if not schema or schema not in module_of:
            return None
        name = models.class_name(schema)
        if name in placement:
            return f"openai_core._generated.models.{models.IMPL}.{placement[name]}", name
        return f"openai_core._generated.models.{module_of[schema]}", name

    return model_ref


# Schemas the hand-written runtime decodes on its own (no operation names them): their models
# get implementation modules of their own, like the operations' responses.
DECODED_ELSEWHERE = (
    "RealtimeServerEvent",  # openai_core._realtime_ws
    "WebhookEvent",  # openai_core.lib.webhooks
)

# Schema name -> hand-written mixin with conveniences for the generated model.
MIXINS: Dict[str, str] = {
    "BetaResponse": "openai_core.types._mixins:ResponseOutputTextMixin",
    "ChatCompletionResponseMessage": "openai_core.types._mixins:ChatCompletionMessageMixin",
    "ChatCompletionStreamResponseDelta": "openai_core.types._mixins:ChatCompletionDeltaMixin",
    "Response": "openai_core.types._mixins:ResponseOutputTextMixin",
}


def _format(directory: Path) -> None:
    local = Path(sys.executable).with_name("ruff")  # the environment's own ruff first
    ruff = str(local) if local.exists() else shutil.which("ruff")
    if ruff is None:
        raise SystemExit("ruff is needed to format the generated code: pip install -e '.[dev]'")
    py = [str(p) for p in directory.rglob("*.py")]
    # The package is first party whether or not a module it imports exists yet (ruff looks
    # for new implementation modules in the checkout, which they are not in before a first run).
    first_party = ["--config", "lint.isort.known-first-party = ['openai_core']"]
    subprocess.run(
        [ruff, "check", "--fix-only", "--quiet", "--exit-zero", *first_party, *py], check=True
    )
    subprocess.run([ruff, "format", "--quiet", *py], check=True)


def write(files: Mapping[Path, str], target_root: Path) -> None:
    for path, content in files.items():
        out = target_root / path.relative_to(ROOT)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(content, encoding="utf-8")
    _format(target_root / "openai_core" / "_generated")


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.codegen", description=__doc__)
    parser.add_argument("spec", nargs="?", type=Path, default=None)
    parser.add_argument("--check", action="store_true", help="fail on drift, write nothing")
    args = parser.parse_args(argv)
    spec_path = args.spec or default_spec()
    if not spec_path.is_file():
        print(f"OpenAPI spec not found at {spec_path}; pass its path or set OPENAI_OPENAPI_SPEC")
        return 2
    started = time.monotonic()
    files = render(spec_path)
    with tempfile.TemporaryDirectory() as tmp:
        write(files, Path(tmp))
        generated = {
            p.relative_to(tmp): p.read_bytes() for p in Path(tmp).rglob("*") if p.is_file()
        }
        if args.check:
            current = {
                p.relative_to(ROOT): p.read_bytes()
                for p in [*PACKAGE.rglob("*.py"), REFERENCE]
                if p.is_file()
            }
            drift = sorted(
                str(p) for p in set(generated) | set(current) if generated.get(p) != current.get(p)
            )
            if drift:
                print("generated code is out of date; run `python -m tools.codegen`:")
                for name in drift:
                    print(f"  {name}")
                return 1
            print(f"generated code is up to date ({len(generated)} files)")
            return 0
        if PACKAGE.exists():
            shutil.rmtree(PACKAGE)
        for rel, content in generated.items():
            out = ROOT / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(content)
    print(f"wrote {len(generated)} files in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
