"""``client.uploads().upload_file_chunked()``: the exact request sequence (part sizes, part IDs
in order, MD5 of the whole content), reading part by part, progress, and cancel on failure."""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import io
import json
import pathlib
from typing import Any, BinaryIO, Dict, Iterator, List, Tuple, cast

import pytest
import responses

from openai_core import Client, InternalServerError, OpenAIError
from openai_core.lib.polling import field_of
from openai_core.lib.uploads import DEFAULT_PART_SIZE, ChunkedUploadError

BASE = "http://api.test/v1"
CONTENT = b"0123456789"  # 10 bytes: parts of 4, 4 and 2 with part_size=4

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def client() -> Client:
    c = Client(api_key="sk-test", base_url=BASE, max_retries=0)
    c._sleep = lambda seconds: None
    return c


def serve_upload(rsps: responses.RequestsMock, *, fail_part: int = 0) -> None:
    """An Uploads API: parts get ids part_1, part_2, ...; part ``fail_part`` answers 500."""
    rsps.add("POST", f"{BASE}/uploads", json={"id": "upload_1", "status": "pending"})
    counter = iter(range(1, 1000))

    def part(request: Any) -> Tuple[int, Dict[str, str], str]:
        number = next(counter)
        if number == fail_part:
            return 500, {}, json.dumps({"error": {"message": "part storage failed"}})
        return 200, {}, json.dumps({"id": f"part_{number}", "object": "upload.part"})

    rsps.add_callback("POST", f"{BASE}/uploads/upload_1/parts", callback=part)
    rsps.add(
        "POST",
        f"{BASE}/uploads/upload_1/complete",
        json={"id": "upload_1", "status": "completed", "file": {"id": "file-1"}},
    )
    rsps.add("POST", f"{BASE}/uploads/upload_1/cancel", json={"id": "upload_1"})


def paths(rsps: responses.RequestsMock) -> List[str]:
    return [(c.request.url or "").replace(BASE, "") for c in rsps.calls]


def part_data(call: Any) -> bytes:
    """The ``data`` file part of a part request, parsed by the standard library."""
    content_type = call.request.headers["Content-Type"]
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        head + call.request.body
    )
    (part,) = list(message.iter_parts())
    assert part.get_param("name", header="content-disposition") == "data"
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload


def json_body(call: Any) -> Any:
    return json.loads(call.request.body)


def test_chunked_upload_sends_create_parts_in_order_and_complete_with_md5(
    rsps: responses.RequestsMock, client: Client
) -> None:
    serve_upload(rsps)

    upload = client.uploads().upload_file_chunked(
        CONTENT, filename="data.jsonl", mime_type="text/jsonl", purpose="batch", part_size=4
    )

    assert field_of(upload, "status") == "completed"
    assert paths(rsps) == [
        "/uploads",
        "/uploads/upload_1/parts",
        "/uploads/upload_1/parts",
        "/uploads/upload_1/parts",
        "/uploads/upload_1/complete",
    ]
    assert json_body(rsps.calls[0]) == {
        "bytes": 10,
        "filename": "data.jsonl",
        "mime_type": "text/jsonl",
        "purpose": "batch",
    }
    assert [part_data(c) for c in rsps.calls[1:4]] == [b"0123", b"4567", b"89"]
    assert json_body(rsps.calls[4]) == {
        "part_ids": ["part_1", "part_2", "part_3"],
        "md5": hashlib.md5(CONTENT).hexdigest(),
    }


def test_content_fitting_in_one_part_is_sent_as_one_part(
    rsps: responses.RequestsMock, client: Client
) -> None:
    serve_upload(rsps)

    client.uploads().upload_file_chunked(
        CONTENT, filename="a.txt", mime_type="text/plain", purpose="assistants"
    )

    assert DEFAULT_PART_SIZE == 64 * 1024 * 1024
    assert [part_data(c) for c in rsps.calls[1:-1]] == [CONTENT]
    assert json_body(rsps.calls[-1])["part_ids"] == ["part_1"]


def test_path_gives_the_filename_and_size(
    rsps: responses.RequestsMock, client: Client, tmp_path: pathlib.Path
) -> None:
    serve_upload(rsps)
    target = tmp_path / "train.jsonl"
    target.write_bytes(CONTENT)

    client.uploads().upload_file_chunked(
        target, mime_type="text/jsonl", purpose="fine-tune", part_size=6
    )

    assert json_body(rsps.calls[0])["filename"] == "train.jsonl"
    assert json_body(rsps.calls[0])["bytes"] == 10
    assert [part_data(c) for c in rsps.calls[1:3]] == [b"012345", b"6789"]


def test_named_file_object_is_read_from_its_position_and_left_open(
    rsps: responses.RequestsMock, client: Client, tmp_path: pathlib.Path
) -> None:
    serve_upload(rsps)
    target = tmp_path / "big.bin"
    target.write_bytes(b"HEADER" + CONTENT)

    with target.open("rb") as handle:
        handle.seek(6)
        client.uploads().upload_file_chunked(
            handle, mime_type="application/octet-stream", purpose="assistants", part_size=5
        )
        assert not handle.closed

    assert json_body(rsps.calls[0])["filename"] == "big.bin"
    assert json_body(rsps.calls[0])["bytes"] == 10
    assert [part_data(c) for c in rsps.calls[1:3]] == [b"01234", b"56789"]
    assert json_body(rsps.calls[-1])["md5"] == hashlib.md5(CONTENT).hexdigest()


class Pipe(io.RawIOBase):
    """A non-seekable stream that returns short reads and records how much was asked."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self.asked: List[int] = []

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.asked.append(size)
        chunk, self._data = self._data[: min(size, 3)], self._data[min(size, 3) :]
        return chunk


def test_non_seekable_stream_needs_bytes_and_is_read_part_by_part(
    rsps: responses.RequestsMock, client: Client
) -> None:
    serve_upload(rsps)
    pipe = Pipe(CONTENT)

    with pytest.raises(ValueError, match="bytes="):
        client.uploads().upload_file_chunked(
            cast(BinaryIO, Pipe(CONTENT)), filename="p.bin", mime_type="x/y", purpose="batch"
        )
    client.uploads().upload_file_chunked(
        cast(BinaryIO, pipe),
        filename="p.bin",
        bytes=10,
        mime_type="x/y",
        purpose="batch",
        part_size=4,
    )

    assert [part_data(c) for c in rsps.calls[1:4]] == [b"0123", b"4567", b"89"]
    assert max(pipe.asked) <= 4  # never more than one part at a time


def test_progress_is_called_after_each_part(rsps: responses.RequestsMock, client: Client) -> None:
    serve_upload(rsps)
    seen: List[Tuple[int, int]] = []

    client.uploads().upload_file_chunked(
        CONTENT,
        filename="a.txt",
        mime_type="text/plain",
        purpose="assistants",
        part_size=4,
        progress=lambda sent, total: seen.append((sent, total)),
    )

    assert seen == [(4, 10), (8, 10), (10, 10)]


def test_failed_part_cancels_the_upload_and_says_what_was_sent(
    rsps: responses.RequestsMock, client: Client
) -> None:
    serve_upload(rsps, fail_part=2)

    with pytest.raises(ChunkedUploadError) as info:
        client.uploads().upload_file_chunked(
            CONTENT, filename="a.txt", mime_type="text/plain", purpose="assistants", part_size=4
        )

    error = info.value
    assert isinstance(error, OpenAIError)
    assert isinstance(error.__cause__, InternalServerError)
    assert (error.upload_id, error.part_ids, error.bytes_sent, error.total) == (
        "upload_1",
        ("part_1",),
        4,
        10,
    )
    assert error.cancelled is True
    assert "1 part(s), 4 of 10 bytes sent; the upload was cancelled" in str(error)
    assert paths(rsps) == [
        "/uploads",
        "/uploads/upload_1/parts",
        "/uploads/upload_1/parts",
        "/uploads/upload_1/cancel",
    ]


def test_failed_cancel_is_reported(rsps: responses.RequestsMock, client: Client) -> None:
    rsps.add("POST", f"{BASE}/uploads", json={"id": "upload_1", "status": "pending"})
    rsps.add("POST", f"{BASE}/uploads/upload_1/parts", json={"error": {"message": "x"}}, status=500)
    rsps.add(
        "POST", f"{BASE}/uploads/upload_1/cancel", json={"error": {"message": "y"}}, status=500
    )

    with pytest.raises(ChunkedUploadError, match="cancelling the upload failed too") as info:
        client.uploads().upload_file_chunked(
            CONTENT, filename="a.txt", mime_type="text/plain", purpose="assistants"
        )

    assert info.value.cancelled is False
    assert info.value.part_ids == ()


def test_failed_complete_cancels_the_upload(rsps: responses.RequestsMock, client: Client) -> None:
    rsps.add("POST", f"{BASE}/uploads", json={"id": "upload_1", "status": "pending"})
    rsps.add("POST", f"{BASE}/uploads/upload_1/parts", json={"id": "part_1"})
    rsps.add(
        "POST", f"{BASE}/uploads/upload_1/complete", json={"error": {"message": "md5"}}, status=500
    )
    rsps.add("POST", f"{BASE}/uploads/upload_1/cancel", json={"id": "upload_1"})

    with pytest.raises(ChunkedUploadError) as info:
        client.uploads().upload_file_chunked(
            CONTENT, filename="a.txt", mime_type="text/plain", purpose="assistants"
        )

    assert info.value.part_ids == ("part_1",)
    assert info.value.bytes_sent == 10
    assert paths(rsps)[-1] == "/uploads/upload_1/cancel"


def test_exception_from_progress_aborts_and_cancels(
    rsps: responses.RequestsMock, client: Client
) -> None:
    serve_upload(rsps)

    def stop(sent: int, total: int) -> None:
        raise RuntimeError("stop")

    with pytest.raises(ChunkedUploadError) as info:
        client.uploads().upload_file_chunked(
            CONTENT,
            filename="a.txt",
            mime_type="text/plain",
            purpose="assistants",
            part_size=4,
            progress=stop,
        )

    assert isinstance(info.value.__cause__, RuntimeError)
    assert paths(rsps)[-1] == "/uploads/upload_1/cancel"
    assert "/uploads/upload_1/complete" not in paths(rsps)


def test_content_shorter_than_declared_bytes_cancels(
    rsps: responses.RequestsMock, client: Client
) -> None:
    serve_upload(rsps)

    with pytest.raises(ChunkedUploadError, match="the file ended after 10 bytes") as info:
        client.uploads().upload_file_chunked(
            io.BytesIO(CONTENT),
            filename="a.txt",
            bytes=12,
            mime_type="text/plain",
            purpose="assistants",
        )

    assert isinstance(info.value.__cause__, ValueError)
    assert paths(rsps)[-1] == "/uploads/upload_1/cancel"


def test_failed_create_raises_the_api_error_and_cancels_nothing(
    rsps: responses.RequestsMock, client: Client
) -> None:
    rsps.add("POST", f"{BASE}/uploads", json={"error": {"message": "bad purpose"}}, status=500)

    with pytest.raises(InternalServerError):
        client.uploads().upload_file_chunked(
            CONTENT, filename="a.txt", mime_type="text/plain", purpose="nope"
        )

    assert paths(rsps) == ["/uploads"]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"file": CONTENT}, ValueError, "filename= is required"),
        ({"file": io.BytesIO(CONTENT)}, ValueError, "filename= is required"),
        ({"file": CONTENT, "filename": "a", "part_size": 0}, ValueError, "part_size"),
        ({"file": CONTENT, "filename": "a", "bytes": -1}, ValueError, "bytes must be"),
        ({"file": "/no/such/file.bin"}, FileNotFoundError, "No such file"),
        ({"file": io.StringIO("text")}, TypeError, "binary mode"),
        ({"file": 42}, TypeError, "cannot upload a int"),
    ],
)
def test_invalid_arguments_fail_before_any_request(
    rsps: responses.RequestsMock,
    client: Client,
    kwargs: Dict[str, Any],
    error: type,
    match: str,
) -> None:
    with pytest.raises(error, match=match):
        client.uploads().upload_file_chunked(mime_type="text/plain", purpose="batch", **kwargs)
    assert len(rsps.calls) == 0
