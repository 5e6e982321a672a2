"""Every operation that streams, streamed through the SDK against the mock.

The mock answers a request with ``Accept: text/event-stream`` with generated events of the
operation's stream schema; each must decode into the typed event (or envelope) the builder
promises, and the mock must find nothing wrong with the request.
"""

from __future__ import annotations

from typing import Any, Dict

import pytest
from mock_server import MockServer, reported_problems  # tools/ is put on sys.path by conftest.py
from spec_examples import SpecExamples, required_arguments

from openai_core import APIResponseValidationError, Client
from openai_core._catalog import Endpoint, load_catalog
from openai_core._convert import BaseModel

STREAMING = [e for e in load_catalog() if e.streams]

# Operations the spec gives no event-stream answer: the mock answers JSON, and the SDK says so.
NO_STREAM_IN_SPEC = {
    e.operation_id for e in STREAMING if e.stream_event_model == e.response_model
} | {e.operation_id for e in STREAMING if e.stream_event_model == "AssistantStreamEvent"}


@pytest.fixture(scope="module")
def examples(spec_document: Dict[str, Any]) -> SpecExamples:
    return SpecExamples(spec_document)


@pytest.mark.parametrize("endpoint", STREAMING, ids=[e.operation_id for e in STREAMING])
def test_stream_decodes_typed_events(
    endpoint: Endpoint, examples: SpecExamples, mock_server: MockServer
) -> None:
    with Client(api_key="sk-test", base_url=mock_server.base_url, max_retries=0, timeout=30) as c:
        path_args, calls = required_arguments(endpoint, examples)
        target: Any = c
        for part in endpoint.namespace:
            target = getattr(target, part)()
        builder = getattr(target, endpoint.name)(*path_args)
        for setter, value in calls:
            builder = getattr(builder, setter)(value)
        if endpoint.operation_id in NO_STREAM_IN_SPEC:
            with pytest.raises(APIResponseValidationError, match="text/event-stream"):
                builder.stream()
            return
        with builder.stream() as stream:
            assert not reported_problems(stream.response.headers), reported_problems(
                stream.response.headers
            )
            events = list(stream)
        assert events, f"{endpoint.operation_id}: no event decoded"
        assert all(isinstance(event, BaseModel) for event in events), events[:2]
        assert stream.response.raw.closed or stream.response.raw.isclosed()
