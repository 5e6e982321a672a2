"""One operation per namespace with EVERY parameter set, against the mock.

For each top-level namespace the operation with the most query parameters and body fields is
sent with all of them filled from the spec (``spec_examples.py``): the mock validates each one
(types, enums, formats, unknown fields), so a setter that sends the wrong name or shape fails.
"""

from __future__ import annotations

from typing import Any, Dict, List

import pytest
from mock_server import MockServer, reported_problems  # tools/ is put on sys.path by conftest.py
from spec_examples import SpecExamples, required_arguments

from openai_core import Client
from openai_core._catalog import Endpoint, load_catalog

# Fields that exclude each other (one of several body variants), left out of the "every
# parameter" request for that operation, with why.
EXCLUSIVE: Dict[str, Dict[str, str]] = {}


def _sample() -> List[Endpoint]:
    best: Dict[str, Endpoint] = {}
    for endpoint in load_catalog():
        if endpoint.request_kind not in ("json", "none"):
            continue
        top = endpoint.namespace[0]
        size = len(endpoint.query_params) + len(endpoint.body_fields)
        current = best.get(top)
        if current is None or size > len(current.query_params) + len(current.body_fields):
            best[top] = endpoint
    return [best[top] for top in sorted(best)]


SAMPLE = _sample()


@pytest.fixture(scope="module")
def examples(spec_document: Dict[str, Any]) -> SpecExamples:
    return SpecExamples(spec_document)


@pytest.mark.parametrize("endpoint", SAMPLE, ids=[e.operation_id for e in SAMPLE])
def test_every_parameter_is_accepted(
    endpoint: Endpoint, examples: SpecExamples, mock_server: MockServer
) -> None:
    op = endpoint.operation_id
    client = Client(
        api_key="sk-test",
        admin_api_key="sk-admin-test",
        base_url=mock_server.base_url,
        max_retries=0,
        timeout=30,
    )
    path_args, required = required_arguments(endpoint, examples)
    target: Any = client
    for part in endpoint.namespace:
        target = getattr(target, part)()
    builder = getattr(target, endpoint.name)(*path_args)
    skipped = EXCLUSIVE.get(op, {})
    sent = dict(required)
    for param in endpoint.query_params:
        if param.name not in skipped and param.name != "stream":
            sent.setdefault(param.setter, examples.parameter_value(op, "query", param.name))
    for field in endpoint.body_fields:
        if field.name not in skipped and field.name != "stream":
            sent.setdefault(
                field.setter, examples.body_value(op, field.name, endpoint.request_kind)
            )
    for setter, value in sent.items():
        builder = getattr(builder, setter)(value)
    raw = builder.send_raw()
    assert raw.status_code < 400, raw.text[:500]
    assert not reported_problems(raw.headers), reported_problems(raw.headers)
    body = builder.build().json_data or {}
    for field in endpoint.body_fields:
        if field.name not in skipped and field.name != "stream":
            assert field.name in body, f"{op}: {field.setter}() did not send {field.name}"
    client.close()
