"""Every operation of the OpenAPI spec is reachable from the client, as the catalog says."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, List, Set, Tuple

import pytest

from openai_core import Client, RequestBuilder
from openai_core._catalog import Endpoint, load_catalog

SPEC = (
    Path(os.environ.get("OPENAI_OPENAPI_SPEC", ""))
    if os.environ.get("OPENAI_OPENAPI_SPEC")
    else Path(__file__).resolve().parents[3] / "shared" / "openapi" / "openapi.yaml"
)
METHODS = ("get", "post", "put", "patch", "delete")


def spec_operations() -> Set[Tuple[str, str]]:
    if not SPEC.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"the OpenAPI spec is missing at {SPEC} (set OPENAI_OPENAPI_SPEC)")
        pytest.skip(f"the OpenAPI spec is not at {SPEC}; set OPENAI_OPENAPI_SPEC to run this")
    yaml = pytest.importorskip("yaml")
    with SPEC.open("rb") as handle:
        spec = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in METHODS
        if method in item
    }


def reach(client: Client, endpoint: Endpoint) -> Any:
    target: Any = client
    for part in endpoint.namespace:
        target = getattr(target, part)()
    args = [f"{name}_1" for name in endpoint.path_params]
    return getattr(target, endpoint.name)(*args)


@pytest.fixture(scope="module")
def client() -> Client:
    return Client(
        api_key="sk-test", admin_api_key="sk-admin", base_url="https://api.example.test/v1"
    )


def test_every_spec_operation_is_in_the_catalog() -> None:
    catalog = {(e.method, e.path) for e in load_catalog()}
    missing = sorted(spec_operations() - catalog)
    assert not missing, f"{len(missing)} spec operations have no endpoint: {missing}"


def test_every_operation_is_reachable_and_builds_its_request(client: Client) -> None:
    unreachable: List[str] = []
    for endpoint in load_catalog():
        try:
            builder = reach(client, endpoint)
            assert isinstance(builder, RequestBuilder)
            request = builder.build()
        except Exception as exc:  # collect every failure, then report them all
            unreachable.append(f"{endpoint.operation_id} ({endpoint.call}): {exc!r}")
            continue
        expected = re.sub(r"{(\w+)}", lambda m: f"{m.group(1)}_1", endpoint.path)
        path = request.url.split("/v1/", 1)[1]
        if request.method != endpoint.method or (
            not expected.lstrip("/").startswith(path.split("?")[0])
            and not path.startswith(expected.lstrip("/"))
        ):
            unreachable.append(f"{endpoint.operation_id}: built {request.method} {path}")
    assert not unreachable, "\n".join(unreachable)
    assert len(load_catalog()) == len(spec_operations())


def test_catalog_calls_are_unique() -> None:
    calls = [(e.namespace, e.name) for e in load_catalog()]
    assert len(calls) == len(set(calls))


@pytest.mark.parametrize(
    ("chain", "args", "method", "path"),
    [
        (
            ("vector_stores", "file_batches", "create"),
            ("vs_1",),
            "POST",
            "vector_stores/vs_1/file_batches",
        ),
        (
            ("fine_tuning", "jobs", "list_events"),
            ("ftjob-1",),
            "GET",
            "fine_tuning/jobs/ftjob-1/events",
        ),
        (("beta", "threads", "runs", "list"), ("thread_1",), "GET", "threads/thread_1/runs"),
        (("conversations", "items", "list"), ("conv_1",), "GET", "conversations/conv_1/items"),
        (("containers", "files", "list"), ("cntr_1",), "GET", "containers/cntr_1/files"),
        (("evals", "runs", "list"), ("eval_1",), "GET", "evals/eval_1/runs"),
        (("realtime", "client_secrets", "create"), (), "POST", "realtime/client_secrets"),
        (("admin", "organization", "projects", "list"), (), "GET", "organization/projects"),
    ],
)
def test_namespace_tree_matches_the_official_names(
    client: Client, chain: Tuple[str, ...], args: Tuple[str, ...], method: str, path: str
) -> None:
    target: Any = client
    for part in chain[:-1]:
        target = getattr(target, part)()
    request = getattr(target, chain[-1])(*args).build()
    assert request.method == method
    assert request.url.split("?")[0] == f"https://api.example.test/v1/{path}"


def test_beta_header_is_set_per_operation(client: Client) -> None:
    assert client.beta().threads().runs().list("t").build().header("OpenAI-Beta") == (
        "assistants=v2"
    )
    assert client.beta().chatkit().threads().list().build().header("OpenAI-Beta") == (
        "chatkit_beta=v1"
    )
    assert client.vector_stores().list().build().header("OpenAI-Beta") is None


def test_admin_operations_use_the_admin_key(client: Client) -> None:
    request = client.admin().organization().users().list().build()
    assert request.header("Authorization") == "Bearer sk-admin"


def test_admin_without_admin_key_says_what_to_set() -> None:
    plain = Client(api_key="sk-test", base_url="https://api.example.test/v1")
    with pytest.raises(Exception, match="OPENAI_ADMIN_KEY"):
        plain.admin()


def test_empty_path_parameter_is_a_value_error_naming_it(client: Client) -> None:
    with pytest.raises(ValueError, match="vector_store_id"):
        client.vector_stores().files().list("")


def test_path_parameters_are_percent_encoded(client: Client) -> None:
    request = client.files().retrieve("a/b c").build()
    assert request.url == "https://api.example.test/v1/files/a%2Fb%20c"
