"""Polling helpers: runs, vector-store files and file batches, videos, batches, and
``files().wait_for_processing()`` (interval from ``openai-poll-after-ms``, default 1 s, timeout,
terminal statuses), plus the thread-pool upload of ``file_batches().upload_and_poll()``."""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
import threading
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
import requests
import responses

from openai_core import APIResponseValidationError, APITimeoutError, Client, NotFoundError
from openai_core.lib.batches import BATCH_TERMINAL_STATUSES
from openai_core.lib.polling import PollingTimeoutError, field_of, poll_until_terminal
from openai_core.lib.runs import RUN_TERMINAL_STATUSES
from openai_core.lib.vector_stores import VECTOR_STORE_FILE_TERMINAL_STATUSES
from openai_core.lib.videos import VIDEO_TERMINAL_STATUSES

BASE = "http://api.test/v1"
RUN_URL = f"{BASE}/threads/thread_1/runs/run_1"

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def sleeps() -> List[float]:
    return []


@pytest.fixture
def client(sleeps: List[float]) -> Client:
    c = Client(api_key="sk-test", base_url=BASE, max_retries=0)
    c._sleep = sleeps.append
    return c


def add(
    rsps: responses.RequestsMock,
    method: str,
    url: str,
    body: Dict[str, Any],
    poll_after_ms: Optional[str] = None,
    status: int = 200,
) -> None:
    headers = {} if poll_after_ms is None else {"openai-poll-after-ms": poll_after_ms}
    rsps.add(method, url, json=body, headers=headers, status=status)


def calls(rsps: responses.RequestsMock) -> List[Tuple[str, str]]:
    return [(c.request.method or "", (c.request.url or "").replace(BASE, "")) for c in rsps.calls]


def body_of(call: Any) -> Any:
    return json.loads(call.request.body)


# -- the interval ---------------------------------------------------------------------------------


def test_interval_comes_from_the_poll_after_header_else_one_second(
    rsps: responses.RequestsMock, client: Client, sleeps: List[float]
) -> None:
    add(rsps, "GET", RUN_URL, {"id": "run_1", "status": "queued"}, poll_after_ms="250")
    add(rsps, "GET", RUN_URL, {"id": "run_1", "status": "in_progress"})
    add(rsps, "GET", RUN_URL, {"id": "run_1", "status": "completed"})

    run = client.beta().threads().runs().poll("run_1", "thread_1")

    assert field_of(run, "status") == "completed"
    assert sleeps == [0.25, 1.0]
    assert calls(rsps) == [("GET", "/threads/thread_1/runs/run_1")] * 3


def test_default_interval_is_one_second(
    rsps: responses.RequestsMock, client: Client, sleeps: List[float]
) -> None:
    for status in ("queued", "in_progress", "in_progress", "completed"):
        add(rsps, "GET", RUN_URL, {"id": "run_1", "status": status})

    client.beta().threads().runs().poll("run_1", "thread_1")

    assert sleeps == [1.0, 1.0, 1.0]


def test_explicit_poll_interval_wins_over_the_header(
    rsps: responses.RequestsMock, client: Client, sleeps: List[float]
) -> None:
    add(rsps, "GET", RUN_URL, {"id": "run_1", "status": "queued"}, poll_after_ms="5000")
    add(rsps, "GET", RUN_URL, {"id": "run_1", "status": "completed"})

    client.beta().threads().runs().poll("run_1", "thread_1", poll_interval=0.1)

    assert sleeps == [0.1]


@pytest.mark.parametrize("header", ["soon", "-5", "nan"])
def test_unusable_poll_after_header_falls_back_to_one_second(
    rsps: responses.RequestsMock, client: Client, sleeps: List[float], header: str
) -> None:
    add(rsps, "GET", RUN_URL, {"id": "run_1", "status": "queued"}, poll_after_ms=header)
    add(rsps, "GET", RUN_URL, {"id": "run_1", "status": "completed"})

    client.beta().threads().runs().poll("run_1", "thread_1")

    assert sleeps == [1.0]


# -- terminal statuses ----------------------------------------------------------------------------


def test_terminal_status_sets_match_the_api() -> None:
    expected = {
        "runs": {"completed", "failed", "cancelled", "expired", "incomplete", "requires_action"},
        "vector store files": {"completed", "failed", "cancelled"},
        "batches": {"completed", "failed", "cancelled", "expired"},
        "videos": {"completed", "failed"},
    }
    actual = {
        "runs": RUN_TERMINAL_STATUSES,
        "vector store files": VECTOR_STORE_FILE_TERMINAL_STATUSES,
        "batches": BATCH_TERMINAL_STATUSES,
        "videos": VIDEO_TERMINAL_STATUSES,
    }
    assert actual == expected


@pytest.mark.parametrize("status", sorted(RUN_TERMINAL_STATUSES))
def test_a_terminal_run_status_stops_polling(
    rsps: responses.RequestsMock, client: Client, sleeps: List[float], status: str
) -> None:
    add(rsps, "GET", RUN_URL, {"id": "run_1", "status": status})

    assert field_of(client.beta().threads().runs().poll("run_1", "thread_1"), "status") == status
    assert sleeps == []
    assert len(rsps.calls) == 1


@pytest.mark.parametrize("status", ["queued", "in_progress", "cancelling"])
def test_a_pending_run_status_keeps_polling(
    rsps: responses.RequestsMock, client: Client, status: str
) -> None:
    add(rsps, "GET", RUN_URL, {"id": "run_1", "status": status})
    add(rsps, "GET", RUN_URL, {"id": "run_1", "status": "completed"})

    client.beta().threads().runs().poll("run_1", "thread_1")

    assert len(rsps.calls) == 2


def test_object_without_status_is_a_validation_error(
    rsps: responses.RequestsMock, client: Client
) -> None:
    add(rsps, "GET", RUN_URL, {"id": "run_1"})

    with pytest.raises(APIResponseValidationError, match="no status"):
        client.beta().threads().runs().poll("run_1", "thread_1")


def test_errors_of_the_retrieve_call_propagate(
    rsps: responses.RequestsMock, client: Client
) -> None:
    add(rsps, "GET", RUN_URL, {"error": {"message": "No run found"}}, status=404)

    with pytest.raises(NotFoundError):
        client.beta().threads().runs().poll("run_1", "thread_1")


# -- timeout --------------------------------------------------------------------------------------


def test_timeout_raises_with_the_last_object_and_shortens_the_last_wait(
    rsps: responses.RequestsMock, client: Client, sleeps: List[float]
) -> None:
    add(rsps, "GET", RUN_URL, {"id": "run_1", "status": "in_progress"}, poll_after_ms="1000")

    with pytest.raises(PollingTimeoutError) as info:
        client.beta().threads().runs().poll("run_1", "thread_1", timeout=2.5)

    error = info.value
    assert isinstance(error, APITimeoutError)
    assert sleeps[:2] == [1.0, 1.0]
    assert sleeps[2] == pytest.approx(0.5, abs=0.25)  # less the time the requests took
    assert len(rsps.calls) == 4
    assert field_of(error.last, "id") == "run_1"
    assert error.last_status == "in_progress"
    assert error.elapsed >= 2.5
    assert "run run_1" in str(error)
    assert "'in_progress'" in str(error)


def test_zero_timeout_polls_once(
    rsps: responses.RequestsMock, client: Client, sleeps: List[float]
) -> None:
    add(rsps, "GET", RUN_URL, {"id": "run_1", "status": "queued"})

    with pytest.raises(PollingTimeoutError):
        client.beta().threads().runs().poll("run_1", "thread_1", timeout=0)

    assert sleeps == []
    assert len(rsps.calls) == 1


@pytest.mark.parametrize(
    ("name", "value"), [("timeout", -1), ("poll_interval", -0.5), ("timeout", float("inf"))]
)
def test_invalid_durations_are_value_errors_before_any_request(
    rsps: responses.RequestsMock, client: Client, name: str, value: float
) -> None:
    with pytest.raises(ValueError, match=name):
        client.beta().threads().runs().poll("run_1", "thread_1", **{name: value})
    assert len(rsps.calls) == 0


# -- runs -----------------------------------------------------------------------------------------


def test_run_poll_rejects_swapped_ids(client: Client) -> None:
    with pytest.raises(ValueError, match="run first"):
        client.beta().threads().runs().poll("thread_1", "run_1")


def test_run_create_and_poll_sends_the_builder_then_polls(
    rsps: responses.RequestsMock, client: Client, sleeps: List[float]
) -> None:
    add(
        rsps,
        "POST",
        f"{BASE}/threads/thread_1/runs",
        {"id": "run_1", "thread_id": "thread_1", "status": "queued"},
        poll_after_ms="500",
    )
    add(rsps, "GET", RUN_URL, {"id": "run_1", "status": "in_progress"})
    add(rsps, "GET", RUN_URL, {"id": "run_1", "status": "requires_action"})
    runs = client.beta().threads().runs()

    run = runs.create_and_poll(runs.create("thread_1").assistant_id("asst_1").temperature(0))

    assert field_of(run, "status") == "requires_action"
    assert calls(rsps) == [
        ("POST", "/threads/thread_1/runs"),
        ("GET", "/threads/thread_1/runs/run_1"),
        ("GET", "/threads/thread_1/runs/run_1"),
    ]
    assert body_of(rsps.calls[0]) == {"assistant_id": "asst_1", "temperature": 0}
    assert rsps.calls[1].request.headers["OpenAI-Beta"] == "assistants=v2"
    assert sleeps == [0.5, 1.0]


def test_run_create_and_poll_returns_a_run_created_terminal_without_polling(
    rsps: responses.RequestsMock, client: Client, sleeps: List[float]
) -> None:
    add(rsps, "POST", f"{BASE}/threads/thread_1/runs", {"id": "run_1", "status": "failed"})
    runs = client.beta().threads().runs()

    assert (
        field_of(runs.create_and_poll(runs.create("thread_1").assistant_id("a")), "status")
        == "failed"
    )
    assert sleeps == []


def test_submit_tool_outputs_and_poll(rsps: responses.RequestsMock, client: Client) -> None:
    add(
        rsps,
        "POST",
        f"{RUN_URL}/submit_tool_outputs",
        {"id": "run_1", "status": "queued"},
    )
    add(rsps, "GET", RUN_URL, {"id": "run_1", "status": "completed"})
    runs = client.beta().threads().runs()
    outputs = [{"tool_call_id": "call_1", "output": "42"}]

    run = runs.submit_tool_outputs_and_poll(
        runs.submit_tool_outputs("thread_1", "run_1").tool_outputs(outputs)
    )

    assert field_of(run, "status") == "completed"
    assert body_of(rsps.calls[0]) == {"tool_outputs": outputs}


def test_create_and_poll_rejects_another_operation_s_builder(client: Client) -> None:
    runs = client.beta().threads().runs()
    with pytest.raises(TypeError, match=r"runs\(\)\.create\(thread_id\)"):
        runs.create_and_poll(runs.list("thread_1"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="batches"):
        client.batches().create_and_poll(client.videos().create())  # type: ignore[arg-type]


# -- vector-store files and file batches ----------------------------------------------------------

VS_FILE_URL = f"{BASE}/vector_stores/vs_1/files/file-1"


@pytest.mark.parametrize("status", sorted(VECTOR_STORE_FILE_TERMINAL_STATUSES))
def test_vector_store_file_poll_stops_at_terminal_statuses(
    rsps: responses.RequestsMock, client: Client, sleeps: List[float], status: str
) -> None:
    add(rsps, "GET", VS_FILE_URL, {"id": "file-1", "status": "in_progress"}, poll_after_ms="20")
    add(rsps, "GET", VS_FILE_URL, {"id": "file-1", "status": status})

    vs_file = client.vector_stores().files().poll("file-1", vector_store_id="vs_1")

    assert field_of(vs_file, "status") == status
    assert sleeps == [0.02]


def test_vector_store_file_create_and_poll(rsps: responses.RequestsMock, client: Client) -> None:
    add(rsps, "POST", f"{BASE}/vector_stores/vs_1/files", {"id": "file-1", "status": "in_progress"})
    add(rsps, "GET", VS_FILE_URL, {"id": "file-1", "status": "completed"})
    files = client.vector_stores().files()

    assert (
        field_of(files.create_and_poll(files.create("vs_1").file_id("file-1")), "status")
        == "completed"
    )
    assert body_of(rsps.calls[0]) == {"file_id": "file-1"}


def multipart_fields(call: Any) -> Dict[str, Tuple[Optional[str], Any]]:
    """``{field: (filename, content)}`` of a multipart request, parsed by the standard library."""
    content_type = call.request.headers["Content-Type"]
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        head + call.request.body
    )
    return {
        str(part.get_param("name", header="content-disposition")): (
            part.get_filename(),
            part.get_payload(decode=True),
        )
        for part in message.iter_parts()
    }


def test_vector_store_file_upload_and_poll(
    rsps: responses.RequestsMock, client: Client, sleeps: List[float]
) -> None:
    add(rsps, "POST", f"{BASE}/files", {"id": "file-1", "object": "file"})
    add(rsps, "POST", f"{BASE}/vector_stores/vs_1/files", {"id": "file-1", "status": "in_progress"})
    add(rsps, "GET", VS_FILE_URL, {"id": "file-1", "status": "completed"})

    vs_file = (
        client.vector_stores()
        .files()
        .upload_and_poll("vs_1", ("notes.md", b"# Notes"), attributes={"team": "docs"})
    )

    assert field_of(vs_file, "status") == "completed"
    assert calls(rsps) == [
        ("POST", "/files"),
        ("POST", "/vector_stores/vs_1/files"),
        ("GET", "/vector_stores/vs_1/files/file-1"),
    ]
    assert multipart_fields(rsps.calls[0]) == {
        "file": ("notes.md", b"# Notes"),
        "purpose": (None, b"assistants"),
    }
    assert body_of(rsps.calls[1]) == {"file_id": "file-1", "attributes": {"team": "docs"}}
    assert sleeps == [1.0]


BATCH_URL = f"{BASE}/vector_stores/vs_1/file_batches"


def test_file_batch_upload_and_poll_keeps_the_given_order_whatever_finishes_first(
    rsps: responses.RequestsMock, client: Client
) -> None:
    last_done = threading.Event()

    def upload(request: requests.PreparedRequest) -> Tuple[int, Dict[str, str], str]:
        found = re.search(rb'filename="([^"]+)"', request.body or b"")  # type: ignore[arg-type]
        assert found is not None
        name = found.group(1)
        if name == b"a.txt":  # the first file finishes last
            assert last_done.wait(10)
        if name == b"c.txt":
            last_done.set()
        return 200, {}, json.dumps({"id": f"file-{name.decode()[0]}"})

    rsps.add_callback("POST", f"{BASE}/files", callback=upload)
    add(rsps, "POST", BATCH_URL, {"id": "vsfb_1", "status": "in_progress"})
    add(rsps, "GET", f"{BATCH_URL}/vsfb_1", {"id": "vsfb_1", "status": "completed"})

    batch = (
        client.vector_stores()
        .file_batches()
        .upload_and_poll(
            "vs_1",
            [("a.txt", b"A"), ("b.txt", b"B"), ("c.txt", b"C")],
            max_concurrency=3,
            file_ids=["file-old"],
        )
    )

    assert field_of(batch, "status") == "completed"
    create = next(c for c in rsps.calls if c.request.url == BATCH_URL)
    assert body_of(create) == {"file_ids": ["file-old", "file-a", "file-b", "file-c"]}
    assert calls(rsps)[-2:] == [
        ("POST", "/vector_stores/vs_1/file_batches"),
        ("GET", "/vector_stores/vs_1/file_batches/vsfb_1"),
    ]


def test_file_batch_uploads_run_concurrently_up_to_max_concurrency(
    rsps: responses.RequestsMock, client: Client
) -> None:
    barrier = threading.Barrier(2, timeout=10)  # breaks unless two uploads overlap
    lock = threading.Lock()
    running: List[int] = [0, 0]  # [now, peak]

    def upload(request: requests.PreparedRequest) -> Tuple[int, Dict[str, str], str]:
        with lock:
            running[0] += 1
            running[1] = max(running)
        barrier.wait()
        with lock:
            running[0] -= 1
        return 200, {}, json.dumps({"id": "file-x"})

    rsps.add_callback("POST", f"{BASE}/files", callback=upload)
    add(rsps, "POST", BATCH_URL, {"id": "vsfb_1", "status": "completed"})

    client.vector_stores().file_batches().upload_and_poll(
        "vs_1", [(f"{i}.txt", b"x") for i in range(4)], max_concurrency=2
    )

    assert running[1] == 2
    assert body_of(rsps.calls[-1]) == {"file_ids": ["file-x"] * 4}


def test_file_batch_upload_failure_creates_no_batch(
    rsps: responses.RequestsMock, client: Client
) -> None:
    rsps.add("POST", f"{BASE}/files", json={"error": {"message": "nope"}}, status=404)

    with pytest.raises(NotFoundError):
        client.vector_stores().file_batches().upload_and_poll("vs_1", [("a.txt", b"A")])

    assert all(c.request.url == f"{BASE}/files" for c in rsps.calls)


def test_file_batch_upload_and_poll_checks_its_arguments_before_uploading(
    rsps: responses.RequestsMock, client: Client
) -> None:
    batches = client.vector_stores().file_batches()
    with pytest.raises(ValueError, match="at least one file"):
        batches.upload_and_poll("vs_1", [])
    with pytest.raises(TypeError, match="list of files"):
        batches.upload_and_poll("vs_1", "a.txt")
    with pytest.raises(ValueError, match="max_concurrency"):
        batches.upload_and_poll("vs_1", [b"x"], max_concurrency=0)
    with pytest.raises(FileNotFoundError):
        batches.upload_and_poll("vs_1", [("a.txt", b"A"), "/no/such/file.txt"])
    assert len(rsps.calls) == 0


def test_file_batch_poll_and_create_and_poll(
    rsps: responses.RequestsMock, client: Client, sleeps: List[float]
) -> None:
    add(rsps, "POST", BATCH_URL, {"id": "vsfb_1", "status": "in_progress"}, poll_after_ms="1500")
    add(rsps, "GET", f"{BATCH_URL}/vsfb_1", {"id": "vsfb_1", "status": "cancelled"})
    batches = client.vector_stores().file_batches()

    batch = batches.create_and_poll(batches.create("vs_1").file_ids(["file-1"]))

    assert field_of(batch, "status") == "cancelled"
    assert sleeps == [1.5]


# -- videos and batches ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", sorted(VIDEO_TERMINAL_STATUSES))
def test_video_poll(
    rsps: responses.RequestsMock, client: Client, sleeps: List[float], status: str
) -> None:
    url = f"{BASE}/videos/video_1"
    add(rsps, "GET", url, {"id": "video_1", "status": "queued"}, poll_after_ms="2000")
    add(rsps, "GET", url, {"id": "video_1", "status": "in_progress", "progress": 50})
    add(rsps, "GET", url, {"id": "video_1", "status": status})

    assert field_of(client.videos().poll("video_1"), "status") == status
    assert sleeps == [2.0, 1.0]


def test_video_create_and_poll_accepts_remix(rsps: responses.RequestsMock, client: Client) -> None:
    add(rsps, "POST", f"{BASE}/videos/video_1/remix", {"id": "video_2", "status": "queued"})
    add(rsps, "GET", f"{BASE}/videos/video_2", {"id": "video_2", "status": "completed"})
    videos = client.videos()

    assert (
        field_of(videos.create_and_poll(videos.remix("video_1").prompt("in color")), "id")
        == "video_2"
    )


@pytest.mark.parametrize("status", sorted(BATCH_TERMINAL_STATUSES))
def test_batch_create_and_poll(
    rsps: responses.RequestsMock, client: Client, sleeps: List[float], status: str
) -> None:
    add(rsps, "POST", f"{BASE}/batches", {"id": "batch_1", "status": "validating"})
    for pending in ("in_progress", "finalizing", "cancelling"):
        add(rsps, "GET", f"{BASE}/batches/batch_1", {"id": "batch_1", "status": pending})
    add(rsps, "GET", f"{BASE}/batches/batch_1", {"id": "batch_1", "status": status})
    batches = client.batches()

    batch = batches.create_and_poll(
        batches.create().input_file_id("file-1").endpoint("/v1/responses").completion_window("24h"),
        poll_interval=60,
    )

    assert field_of(batch, "status") == status
    assert sleeps == [60.0] * 4


def test_batch_poll_timeout(rsps: responses.RequestsMock, client: Client) -> None:
    add(rsps, "GET", f"{BASE}/batches/batch_1", {"id": "batch_1", "status": "in_progress"})

    with pytest.raises(PollingTimeoutError, match="batch batch_1"):
        client.batches().poll("batch_1", timeout=3)


# -- files().wait_for_processing() ----------------------------------------------------------------

FILE_URL = f"{BASE}/files/file-1"


@pytest.mark.parametrize("status", ["processed", "error", "deleted"])
def test_wait_for_processing_polls_every_five_seconds_until_terminal(
    rsps: responses.RequestsMock, client: Client, sleeps: List[float], status: str
) -> None:
    add(rsps, "GET", FILE_URL, {"id": "file-1", "status": "uploaded"}, poll_after_ms="100")
    add(rsps, "GET", FILE_URL, {"id": "file-1", "status": "uploaded"})
    add(rsps, "GET", FILE_URL, {"id": "file-1", "status": status})

    assert field_of(client.files().wait_for_processing("file-1"), "status") == status
    assert sleeps == [5.0, 5.0]


def test_wait_for_processing_gives_up_after_max_wait_seconds(
    rsps: responses.RequestsMock, client: Client, sleeps: List[float]
) -> None:
    add(rsps, "GET", FILE_URL, {"id": "file-1", "status": "uploaded"})

    with pytest.raises(PollingTimeoutError, match="file file-1") as info:
        client.files().wait_for_processing("file-1", poll_interval=5, max_wait_seconds=12)

    assert sleeps[:2] == [5.0, 5.0]
    assert sleeps[2] == pytest.approx(2.0, abs=0.25)
    assert info.value.last_status == "uploaded"


def test_wait_for_processing_default_limit_is_thirty_minutes(
    rsps: responses.RequestsMock, client: Client, sleeps: List[float]
) -> None:
    add(rsps, "GET", FILE_URL, {"id": "file-1", "status": "uploaded"})

    with pytest.raises(PollingTimeoutError):
        client.files().wait_for_processing("file-1")

    assert 1790.0 <= sum(sleeps) <= 1800.0
    assert set(sleeps[:-1]) == {5.0}


# -- the shared loop ------------------------------------------------------------------------------


def test_poll_until_terminal_serves_other_objects(
    rsps: responses.RequestsMock, client: Client, sleeps: List[float]
) -> None:
    url = f"{BASE}/responses/resp_1"
    add(rsps, "GET", url, {"id": "resp_1", "object": "response", "status": "queued"})
    add(rsps, "GET", url, {"id": "resp_1", "object": "response", "status": "completed"})

    response = poll_until_terminal(
        client,
        client.responses().retrieve("resp_1").send_with_meta,
        terminal=frozenset({"completed", "failed", "cancelled", "incomplete"}),
        what="response resp_1",
        poll_interval=0.2,
    )

    assert response.status == "completed"
    assert sleeps == [0.2]
