"""``client.batches().run()`` against the spec-driven mock: the upload, the batch creation and
the retrieval it sends are all valid for the spec.

The mock answers a retrieval with a generated batch whose status need not be terminal, so the
run is bounded with ``timeout=0``: it uploads, creates, retrieves once and stops with
:class:`~openai_core.lib.polling.PollingTimeoutError` (the mock's batch is not terminal).
"""

from __future__ import annotations

from typing import Any, Iterator, List, Tuple

import pytest
import requests
from mock_server import MockServer  # tools/ is put on sys.path by conftest.py
from test_contract import check_accepted

from openai_core import Client
from openai_core.lib.polling import PollingTimeoutError

Seen = List[Tuple[str, str, int, Any]]


@pytest.fixture()
def recorded(mock_server: MockServer) -> Iterator[Tuple[Client, Seen]]:
    seen: Seen = []

    class Recording(requests.adapters.HTTPAdapter):
        def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
            response = super().send(request, **kwargs)
            path = (request.url or "").split("?", 1)[0][len(mock_server.base_url) :]
            seen.append((request.method or "", path, response.status_code, response.headers))
            return response

    session = requests.Session()
    session.mount("http://", Recording())
    with Client(
        api_key="sk-test", base_url=mock_server.base_url, max_retries=0, timeout=30, session=session
    ) as client:
        yield client, seen


def test_run_sends_upload_create_and_retrieve_the_spec_accepts(
    recorded: Tuple[Client, Seen], tmp_path: Any
) -> None:
    client, seen = recorded
    chat = client.chat().completions().create().model("gpt-4o")
    with pytest.raises(PollingTimeoutError) as raised:
        client.batches().run(
            {"a": chat.message_user("one"), "b": chat.message_user("two")},
            metadata={"job": "contract"},
            poll_interval=0,
            timeout=0,
            output_dir=tmp_path,
        )
    assert raised.value.last_status not in {"completed", "failed", "cancelled", "expired"}
    calls = [(method, path) for method, path, _, _ in seen]
    assert len(calls) == 3
    assert calls[:2] == [("POST", "/files"), ("POST", "/batches")]
    assert calls[2][0] == "GET" and calls[2][1].startswith("/batches/")
    for _, _, status, headers in seen[:3]:
        check_accepted(status, headers)
