"""Uploads: ``to_file``, multipart encoding (exact bytes), SDP and body-less requests."""

from __future__ import annotations

import email.parser
import email.policy
import enum
import io
import pathlib
import re
from typing import Any, ClassVar, Dict, Iterator, List, Mapping, Tuple

import attrs
import pytest
import requests
import responses

from openai_core import Client, FileValue, RequestBuilder, to_file
from openai_core.resources._base import identity

BASE = "http://api.test/v1"
SECRET = "sk-files-SECRET-1234567890"

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def client() -> Client:
    c = Client(api_key=SECRET, base_url=BASE, max_retries=2)
    c._sleep = lambda seconds: None
    return c


@attrs.frozen(kw_only=True)
class UploadBuilder(RequestBuilder[Any]):
    """A multipart operation as the generator writes one."""

    _request_kind: ClassVar[str] = "multipart"
    _part_content_types: ClassVar[Mapping[str, str]] = {"session": "application/json"}

    def file(self, value: Any) -> UploadBuilder:
        return self._set_file("file", value)

    def purpose(self, value: str) -> UploadBuilder:
        return self._set("purpose", value)


@attrs.frozen(kw_only=True)
class SdpBuilder(RequestBuilder[str]):
    _request_kind: ClassVar[str] = "sdp"
    _response_kind: ClassVar[str] = "sdp"


@attrs.frozen(kw_only=True)
class NoBodyBuilder(RequestBuilder[None]):
    _request_kind: ClassVar[str] = "none"
    _response_kind: ClassVar[str] = "none"


def upload(client: Client, path: str = "files") -> UploadBuilder:
    return UploadBuilder(client=client, method="POST", path=path, decode=identity)


def boundary_of(content_type: str) -> str:
    match = re.fullmatch(r"multipart/form-data; boundary=([0-9a-f]+)", content_type)
    assert match, content_type
    return match.group(1)


def parse_parts(content_type: str, body: bytes) -> List[Tuple[Dict[str, str], bytes]]:
    """Decode a multipart body with the standard library's MIME parser (independent of ours)."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    assert message.is_multipart()
    parts = []
    for part in message.iter_parts():
        headers = {key.lower(): str(value) for key, value in part.items()}
        parts.append((headers, part.get_payload(decode=True)))
    return parts


# -- to_file --------------------------------------------------------------------------------------


def test_path_string_is_named_after_the_file_and_read_at_compile_time(
    tmp_path: pathlib.Path,
) -> None:
    target = tmp_path / "speech.mp3"
    target.write_bytes(b"ID3-one")
    value = to_file(str(target))
    assert (value.filename, value.content_type, value.size) == ("speech.mp3", "audio/mpeg", 7)
    target.write_bytes(b"ID3-two")
    assert value.read() == b"ID3-two"


def test_path_like_is_accepted(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "image.png"
    target.write_bytes(b"\x89PNG")
    value = to_file(target)
    assert (value.filename, value.content_type, value.read()) == (
        "image.png",
        "image/png",
        b"\x89PNG",
    )


def test_missing_path_raises_file_not_found_with_a_hint(tmp_path: pathlib.Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"No such file.*pass bytes"):
        to_file(str(tmp_path / "nope.wav"))


def test_directory_path_is_a_value_error(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ValueError, match="is a directory"):
        to_file(tmp_path)


def test_bytes_are_named_upload_with_octet_stream() -> None:
    value = to_file(b"\x00\x01")
    assert (value.filename, value.content_type, value.read()) == (
        "upload",
        "application/octet-stream",
        b"\x00\x01",
    )
    assert to_file(bytearray(b"ab")).read() == b"ab"
    assert to_file(memoryview(b"cd")).read() == b"cd"


def test_binary_file_object_is_read_from_its_position_every_time(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_bytes(b"HEADERbody")
    with open(target, "rb") as handle:
        handle.read(6)
        value = to_file(handle)
        assert (value.filename, value.content_type) == ("notes.txt", "text/plain")
        assert value.read() == b"body"
        assert value.read() == b"body"  # a builder compiled twice sends the same bytes


def test_bytesio_without_a_name_is_named_upload() -> None:
    value = to_file(io.BytesIO(b"data"))
    assert (value.filename, value.read()) == ("upload", b"data")


class _Pipe(io.RawIOBase):
    def __init__(self, data: bytes) -> None:
        self._data = data

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), len(self._data))
        buffer[:n] = self._data[:n]
        self._data = self._data[n:]
        return n


def test_non_seekable_file_object_is_read_at_once() -> None:
    pipe = _Pipe(b"streamed")
    value = to_file(pipe)
    assert isinstance(value.content, bytes)
    assert value.read() == b"streamed"
    assert value.read() == b"streamed"


def test_text_mode_file_objects_are_refused_with_a_hint(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("hi")
    with open(target) as handle, pytest.raises(TypeError, match=r"binary mode.*'rb'"):
        to_file(handle)
    with pytest.raises(TypeError, match="binary mode"):
        to_file(io.StringIO("hi"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="binary mode"):
        to_file(("a.txt", io.StringIO("hi")))  # type: ignore[arg-type]


def test_requests_response_body_is_named_from_content_disposition() -> None:
    response = requests.Response()
    response._content = b"\x89PNG..."
    response.url = "https://cdn.test/download?id=1"
    response.headers["Content-Disposition"] = 'attachment; filename="cat.png"'
    response.headers["Content-Type"] = "image/png; charset=binary"
    value = to_file(response)
    assert (value.filename, value.content_type, value.read()) == (
        "cat.png",
        "image/png",
        b"\x89PNG...",
    )


def test_requests_response_falls_back_to_the_url_name() -> None:
    response = requests.Response()
    response._content = b"RIFF"
    response.url = "https://cdn.test/audio/clip.wav?sig=abc"
    value = to_file(response)
    assert value.filename == "clip.wav"
    assert value.content_type in ("audio/wav", "audio/x-wav")


def test_tuples_name_and_type_the_content(tmp_path: pathlib.Path) -> None:
    assert to_file(("a.json", b"{}")).content_type == "application/json"
    explicit = to_file(("a.bin", b"x", "audio/wav"))
    assert (explicit.filename, explicit.content_type) == ("a.bin", "audio/wav")
    target = tmp_path / "on-disk.png"
    target.write_bytes(b"png")
    renamed = to_file(("renamed.webp", target))
    assert (renamed.filename, renamed.content_type, renamed.read()) == (
        "renamed.webp",
        "image/webp",
        b"png",
    )
    derived = to_file((None, target, None))
    assert (derived.filename, derived.content_type) == ("on-disk.png", "image/png")


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (("a.txt",), ValueError, "got 1 items"),
        (("a", b"x", "t/t", "extra"), ValueError, "got 4 items"),
        (("", b"x"), ValueError, "must not be empty"),
        ((1, b"x"), TypeError, "filename must be a string"),
        (("a.txt", b"x", 5), TypeError, "content type must be a string"),
        (("a.txt", "text"), TypeError, r"encode text first"),
        (42, TypeError, "cannot upload a int"),
        ({"file": b"x"}, TypeError, "cannot upload a dict"),
    ],
)
def test_invalid_values_raise_clear_errors(value: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        to_file(value)


def test_file_value_passes_through_unchanged() -> None:
    value = FileValue(filename="a.txt", content=b"x", content_type="text/plain")
    assert to_file(value) is value


def test_unknown_extension_is_octet_stream() -> None:
    assert to_file(("blob.unknownext", b"x")).content_type == "application/octet-stream"


# -- multipart ------------------------------------------------------------------------------------


class Granularity(enum.Enum):
    WORD = "word"


def test_multipart_body_is_exact(client: Client) -> None:
    request = (
        upload(client)
        .file(("batch.jsonl", b'{"a":1}\n', "application/jsonl"))
        .purpose("batch")
        ._set("include", ["logprobs", "x"])
        ._set("chunking_strategy", {"type": "static", "max_chunk": 800})
        ._set("stream", False)
        ._set("temperature", 0.5)
        ._set("timestamp_granularities", (Granularity.WORD,))
        ._set("prompt", None)
        .build()
    )
    content_type = request.header("Content-Type")
    assert content_type is not None
    boundary = boundary_of(content_type)
    assert request.json_data is None
    dash = f"--{boundary}\r\n"

    def field(name: str, value: str) -> str:
        return f'{dash}Content-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'

    expected = (
        f'{dash}Content-Disposition: form-data; name="file"; filename="batch.jsonl"\r\n'
        'Content-Type: application/jsonl\r\n\r\n{"a":1}\n\r\n'
        + field("purpose", "batch")
        + field("include[]", "logprobs")
        + field("include[]", "x")
        + field("chunking_strategy[type]", "static")
        + field("chunking_strategy[max_chunk]", "800")
        + field("stream", "false")
        + field("temperature", "0.5")
        + field("timestamp_granularities[]", "word")
        + f"--{boundary}--\r\n"
    ).encode()
    assert request.content == expected


def test_multipart_is_sent_with_its_boundary_and_length(
    client: Client, rsps: responses.RequestsMock
) -> None:
    rsps.post(f"{BASE}/files", json={"id": "file-1", "object": "file"})
    result = upload(client).file(("a.wav", b"RIFF....WAVE", "audio/wav")).purpose("x").send()
    assert result["id"] == "file-1"
    sent = rsps.calls[0].request
    content_type = sent.headers["Content-Type"]
    boundary_of(content_type)
    assert sent.headers["Content-Length"] == str(len(sent.body))
    parts = parse_parts(content_type, sent.body)
    assert [(h["content-disposition"], h.get("content-type"), body) for h, body in parts] == [
        ('form-data; name="file"; filename="a.wav"', "audio/wav", b"RIFF....WAVE"),
        ('form-data; name="purpose"', None, b"x"),
    ]


def test_retries_resend_the_same_multipart_bytes(
    client: Client, rsps: responses.RequestsMock, tmp_path: pathlib.Path
) -> None:
    target = tmp_path / "data.jsonl"
    target.write_bytes(b"{}\n" * 100)
    rsps.post(f"{BASE}/files", status=503, json={"error": {"message": "busy"}})
    rsps.post(f"{BASE}/files", json={"id": "file-2"})
    result = upload(client).file(target).send_with_meta()
    assert result.meta.attempts == 2
    first, second = (call.request for call in rsps.calls)
    assert first.body == second.body
    assert first.headers["Content-Type"] == second.headers["Content-Type"]
    assert b"{}\n" * 100 in second.body


def test_file_arrays_use_bracket_names(client: Client) -> None:
    request = (
        upload(client)
        ._set_files("image", [("a.png", b"A"), ("b.png", b"B")])
        ._append_file("image", ("c.png", b"C"))
        .build()
    )
    parts = parse_parts(request.header("Content-Type") or "", request.content or b"")
    assert [(h["content-disposition"], body) for h, body in parts] == [
        ('form-data; name="image[]"; filename="a.png"', b"A"),
        ('form-data; name="image[]"; filename="b.png"', b"B"),
        ('form-data; name="image[]"; filename="c.png"', b"C"),
    ]


def test_set_files_refuses_a_single_file(client: Client) -> None:
    with pytest.raises(TypeError, match="list of files"):
        upload(client)._set_files("image", ("a.png", b"A"))


def test_bytes_set_without_a_file_setter_still_become_file_parts(client: Client) -> None:
    request = upload(client).extra_body({"file": b"raw", "note": "a/b.txt"}).build()
    parts = parse_parts(request.header("Content-Type") or "", request.content or b"")
    assert [(h["content-disposition"], body) for h, body in parts] == [
        ('form-data; name="file"; filename="upload"', b"raw"),
        ('form-data; name="note"', b"a/b.txt"),  # a string is never taken for a path
    ]


def test_typed_parts_are_json_encoded(client: Client) -> None:
    request = upload(client)._set("sdp", "v=0")._set("session", {"type": "realtime"}).build()
    parts = parse_parts(request.header("Content-Type") or "", request.content or b"")
    assert [(h.get("content-type"), body) for h, body in parts] == [
        (None, b"v=0"),
        ("application/json", b'{"type":"realtime"}'),
    ]


def test_form_cannot_carry_nan(client: Client) -> None:
    with pytest.raises(ValueError, match="finite"):
        upload(client)._set("temperature", float("nan")).build()


def test_stream_flag_is_a_form_field(client: Client) -> None:
    request = upload(client).purpose("x")._compile(stream=True)
    parts = parse_parts(request.header("Content-Type") or "", request.content or b"")
    assert parts[-1] == ({"content-disposition": 'form-data; name="stream"'}, b"true")
    assert request.header("Accept") == "text/event-stream"


def test_to_curl_shows_file_names_not_bytes(client: Client) -> None:
    curl = (
        upload(client)
        .file(("a.wav", b"SECRET-AUDIO-BYTES", "audio/wav"))
        .purpose("@not-a-file")
        ._set("session", {"type": "realtime"})
        .to_curl()
    )
    assert "-F 'file=@a.wav;type=audio/wav'" in curl
    assert "--form-string purpose=@not-a-file" in curl
    assert """-F 'session={"type":"realtime"};type=application/json'""" in curl
    assert "SECRET-AUDIO-BYTES" not in curl
    assert "boundary" not in curl and "Content-Type" not in curl
    assert SECRET not in curl


# -- other request kinds --------------------------------------------------------------------------


def test_sdp_body_is_sent_as_application_sdp(client: Client, rsps: responses.RequestsMock) -> None:
    rsps.post(
        f"{BASE}/realtime/calls",
        body="v=0\r\no=answer",
        status=201,
        content_type="application/sdp",
    )
    builder = SdpBuilder(client=client, method="POST", path="realtime/calls", decode=identity)
    answer = builder.body_value("v=0\r\no=offer").send()
    assert answer == "v=0\r\no=answer"
    sent = rsps.calls[0].request
    assert sent.headers["Content-Type"] == "application/sdp"
    assert sent.headers["Accept"] == "application/sdp"
    assert sent.body == b"v=0\r\no=offer"
    assert builder._set("sdp", "v=0").build().content == b"v=0"
    assert builder._set("sdp", "v=0").to_curl().endswith("--data-binary v=0")


def test_sdp_without_an_offer_is_a_value_error(client: Client) -> None:
    builder = SdpBuilder(client=client, method="POST", path="realtime/calls", decode=identity)
    with pytest.raises(ValueError, match="SDP offer"):
        builder.build()


def test_raw_body_is_sent_as_given(client: Client) -> None:
    request = upload(client)._set_raw_body("plain text", "text/plain; charset=utf-8").build()
    assert request.content == b"plain text"
    assert request.header("Content-Type") == "text/plain; charset=utf-8"
    with pytest.raises(TypeError, match="str or bytes"):
        upload(client)._set_raw_body(12, "text/plain")  # type: ignore[arg-type]


def test_none_kind_posts_without_a_body(client: Client, rsps: responses.RequestsMock) -> None:
    rsps.post(f"{BASE}/realtime/calls/c1/hangup", status=200, body="")
    builder = NoBodyBuilder(
        client=client, method="POST", path="realtime/calls/c1/hangup", decode=identity
    )
    request = builder.extra_body({"ignored": True}).build()
    assert request.content is None and request.header("Content-Type") is None
    assert builder.send() is None
    sent = rsps.calls[0].request
    assert sent.body is None
    assert sent.headers["Content-Length"] == "0"
    assert "Content-Type" not in sent.headers


def test_unknown_request_kind_is_refused(client: Client) -> None:
    @attrs.frozen(kw_only=True)
    class Odd(RequestBuilder[Any]):
        _request_kind: ClassVar[str] = "xml"

    with pytest.raises(ValueError, match="unknown request kind 'xml'"):
        Odd(client=client, method="POST", path="x", decode=identity).build()
