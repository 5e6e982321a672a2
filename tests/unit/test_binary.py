"""Response kinds: ``BinaryResponse`` (streamed bodies, atomic ``write_to_file``), text and empty
results, transcription formats, and non-chat streams (type-tagged and Assistants-style)."""

from __future__ import annotations

import hashlib
import io
import os
import pathlib
import tracemalloc
from typing import Any, ClassVar, Dict, Iterator, List, Literal, Mapping, Optional, Tuple, Union

import attrs
import pytest
import responses

from openai_core import (
    APIConnectionError,
    APIError,
    BaseModel,
    BinaryResponse,
    Client,
    NotFoundError,
    RequestBuilder,
)
from openai_core._convert import register_tagged_union
from openai_core.lib.audio import TranscriptionBuilderBase, TranslationBuilderBase
from openai_core.resources._base import identity

BASE = "http://api.test/v1"
SPEECH_URL = f"{BASE}/audio/speech"
CONTENT_URL = f"{BASE}/files/file-1/content"
SECRET = "sk-binary-SECRET-1234567890"
MB = 1024 * 1024

pytestmark = pytest.mark.timeout(60)


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
class SpeechBuilder(RequestBuilder[BinaryResponse]):
    _response_kind: ClassVar[str] = "binary"
    _stream_fields: ClassVar[Tuple[Tuple[str, Any], ...]] = (("stream_format", "sse"),)


@attrs.frozen(kw_only=True)
class TextBuilder(RequestBuilder[str]):
    _response_kind: ClassVar[str] = "text"


@attrs.frozen(kw_only=True)
class EmptyBuilder(RequestBuilder[None]):
    _request_kind: ClassVar[str] = "none"
    _response_kind: ClassVar[str] = "none"


def speech(client: Client) -> SpeechBuilder:
    return SpeechBuilder(client=client, method="POST", path="audio/speech", decode=identity)


def download(client: Client) -> SpeechBuilder:
    return SpeechBuilder(client=client, method="GET", path="files/file-1/content", decode=identity)


class PatternBody(io.RawIOBase):
    """``size`` bytes of a repeating pattern, generated on read (never held whole); optionally
    fails with a connection reset after ``fail_after`` bytes."""

    _BLOCK = bytes(range(251)) * 263  # >= 251 + 64 KiB, so any read is one slice

    def __init__(self, size: int, fail_after: Optional[int] = None) -> None:
        self._size = size
        self._offset = 0
        self._fail_after = fail_after

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._fail_after is not None and self._offset >= self._fail_after:
            raise ConnectionResetError("connection reset by peer")
        n = min(len(buffer), self._size - self._offset, 65536)
        start = self._offset % 251
        buffer[:n] = self._BLOCK[start : start + n]
        self._offset += n
        return n

    @classmethod
    def digest(cls, size: int) -> str:
        body, sha = cls(size), hashlib.sha256()
        chunk = bytearray(65536)
        while True:
            n = body.readinto(chunk)
            if not n:
                return sha.hexdigest()
            sha.update(chunk[:n])


def add_pattern_body(
    rsps: responses.RequestsMock, size: int, fail_after: Optional[int] = None
) -> None:
    rsps.get(
        CONTENT_URL,
        body=io.BufferedReader(PatternBody(size, fail_after)),  # type: ignore[arg-type]
        headers={"Content-Length": str(size), "x-request-id": "req_dl"},
        content_type="application/octet-stream",
    )


# -- BinaryResponse -------------------------------------------------------------------------------


def test_binary_send_returns_an_unread_binary_response(
    client: Client, rsps: responses.RequestsMock
) -> None:
    rsps.post(
        SPEECH_URL, body=b"ID3audio", content_type="audio/mpeg", headers={"x-request-id": "req_1"}
    )
    audio = speech(client)._set("input", "hi").send()
    assert isinstance(audio, BinaryResponse)
    assert audio.response.raw.tell() == 0  # nothing read yet
    assert (audio.status, audio.status_code, audio.request_id) == (200, 200, "req_1")
    assert audio.headers["content-type"] == "audio/mpeg"
    assert audio.content == b"ID3audio"
    assert audio.content == b"ID3audio"  # kept
    assert audio.text == "ID3audio"
    assert list(audio.iter_bytes(3)) == [b"ID3", b"aud", b"io"]
    sent = rsps.calls[0].request
    assert sent.headers["Accept"] == "application/octet-stream"
    assert sent.headers["Content-Type"] == "application/json"


def test_send_with_meta_carries_the_binary_response(
    client: Client, rsps: responses.RequestsMock
) -> None:
    rsps.get(CONTENT_URL, body=b"abc", headers={"x-request-id": "req_2"})
    result = download(client).send_with_meta()
    assert result.meta.request_id == "req_2"
    with result.data as body:
        assert body.content == b"abc"


def test_iter_bytes_streams_once_and_closes(client: Client, rsps: responses.RequestsMock) -> None:
    rsps.get(CONTENT_URL, body=b"x" * 10)
    body = download(client).send()
    chunks = list(body.iter_bytes(chunk_size=4))
    assert chunks == [b"xxxx", b"xxxx", b"xx"]
    with pytest.raises(RuntimeError, match="already streamed"):
        body.iter_bytes()
    with pytest.raises(RuntimeError, match="already streamed"):
        _ = body.content
    with pytest.raises(ValueError, match="chunk_size"):
        download(client).send().iter_bytes(0)


def test_status_errors_raise_with_the_error_body_read(
    client: Client, rsps: responses.RequestsMock
) -> None:
    rsps.get(
        CONTENT_URL,
        status=404,
        json={"error": {"message": "No such file: file-1", "type": "invalid_request_error"}},
        headers={"x-request-id": "req_404"},
    )
    with pytest.raises(NotFoundError, match="No such file") as info:
        download(client).send()
    assert info.value.request_id == "req_404"


def test_binary_requests_are_retried_before_the_body_is_handed_over(
    client: Client, rsps: responses.RequestsMock
) -> None:
    rsps.post(SPEECH_URL, status=503, json={"error": {"message": "overloaded"}})
    rsps.post(SPEECH_URL, status=429, json={"error": {"message": "slow down"}})
    rsps.post(SPEECH_URL, body=b"ID3ok")
    result = speech(client).send_with_meta()
    assert result.meta.attempts == 3
    assert result.data.content == b"ID3ok"


def test_write_to_file_streams_a_large_body_in_bounded_memory(
    client: Client, rsps: responses.RequestsMock, tmp_path: pathlib.Path
) -> None:
    size = 20 * MB
    expected = PatternBody.digest(size)
    add_pattern_body(rsps, size)
    target = tmp_path / "video.mp4"
    tracemalloc.start()
    try:
        body = download(client).send()
        written = body.write_to_file(target)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written == target
    assert target.stat().st_size == size
    sha = hashlib.sha256()
    with open(target, "rb") as handle:
        for block in iter(lambda: handle.read(MB), b""):
            sha.update(block)
    assert sha.hexdigest() == expected
    assert peak < size // 10, f"peak traced memory {peak} bytes for a {size}-byte body"
    assert sorted(os.listdir(tmp_path)) == ["video.mp4"]
    with pytest.raises(RuntimeError, match="already streamed"):
        _ = body.content


def test_write_to_file_leaves_nothing_behind_when_the_stream_breaks(
    client: Client, rsps: responses.RequestsMock, tmp_path: pathlib.Path
) -> None:
    add_pattern_body(rsps, 4 * MB, fail_after=MB)
    target = tmp_path / "out.bin"
    target.write_bytes(b"previous version")
    body = download(client).send()
    with pytest.raises(APIConnectionError, match="Connection error"):
        body.write_to_file(target)
    assert sorted(os.listdir(tmp_path)) == ["out.bin"]
    assert target.read_bytes() == b"previous version"


def test_write_to_file_removes_the_temp_file_when_the_body_is_truncated(
    client: Client, rsps: responses.RequestsMock, tmp_path: pathlib.Path
) -> None:
    rsps.get(
        CONTENT_URL,
        body=io.BufferedReader(PatternBody(1000)),  # type: ignore[arg-type]
        headers={"Content-Length": "5000"},
    )
    body = download(client).send()
    with pytest.raises(APIConnectionError):
        body.write_to_file(tmp_path / "short.bin")
    assert os.listdir(tmp_path) == []


def test_write_to_file_after_content_writes_the_kept_bytes(
    client: Client, rsps: responses.RequestsMock, tmp_path: pathlib.Path
) -> None:
    rsps.get(CONTENT_URL, body=b"kept")
    body = download(client).send()
    assert body.content == b"kept"
    assert body.write_to_file(str(tmp_path / "k.bin")).read_bytes() == b"kept"


def test_write_to_file_into_a_missing_directory_fails_cleanly(
    client: Client, rsps: responses.RequestsMock, tmp_path: pathlib.Path
) -> None:
    rsps.get(CONTENT_URL, body=b"data")
    body = download(client).send()
    with pytest.raises(FileNotFoundError):
        body.write_to_file(tmp_path / "missing" / "f.bin")
    assert os.listdir(tmp_path) == []


# -- text and empty results -----------------------------------------------------------------------


def test_text_kind_decodes_utf8_when_no_charset_is_declared(
    client: Client, rsps: responses.RequestsMock
) -> None:
    rsps.get(f"{BASE}/notes", body="héllo → wörld".encode(), content_type="text/plain")
    builder = TextBuilder(client=client, method="GET", path="notes", decode=identity)
    assert builder.send() == "héllo → wörld"


def test_text_kind_honours_a_declared_charset(client: Client, rsps: responses.RequestsMock) -> None:
    rsps.get(f"{BASE}/notes", body="café".encode("latin-1"), content_type="text/plain")
    rsps.replace(
        responses.GET,
        f"{BASE}/notes",
        body="café".encode("latin-1"),
        headers={"Content-Type": "text/plain; charset=ISO-8859-1"},
    )
    builder = TextBuilder(client=client, method="GET", path="notes", decode=identity)
    assert builder.send() == "café"


@pytest.mark.parametrize(("status", "body"), [(204, b""), (200, b'{"deleted": true}')])
def test_none_kind_returns_none(
    client: Client, rsps: responses.RequestsMock, status: int, body: bytes
) -> None:
    rsps.delete(f"{BASE}/containers/c1", status=status, body=body)
    builder = EmptyBuilder(client=client, method="DELETE", path="containers/c1", decode=identity)
    result = builder.send_with_meta()
    assert result.data is None
    assert result.meta.status == status


# -- transcriptions -------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class TranscriptionJson(BaseModel):
    text: Optional[str] = None


@attrs.frozen(kw_only=True)
class TranscriptionVerbose(BaseModel):
    text: Optional[str] = None
    language: Optional[str] = None
    duration: Optional[float] = None


@attrs.frozen(kw_only=True)
class Transcribe(TranscriptionBuilderBase):
    """What the generated createTranscription builder looks like."""

    _json_models: ClassVar[Mapping[str, Any]] = {
        "verbose_json": TranscriptionVerbose,
        "diarized_json": TranscriptionVerbose,
    }

    def file(self, value: Any) -> Transcribe:
        return self._set_file("file", value)

    def model(self, value: str) -> Transcribe:
        return self._set("model", value)

    def response_format(self, value: str) -> Transcribe:
        return self._set("response_format", value)


def transcribe(client: Client) -> Transcribe:
    return (
        Transcribe(
            client=client,
            method="POST",
            path="audio/transcriptions",
            decode=client._decode_model(TranscriptionJson),
        )
        .file(("talk.wav", b"RIFF....WAVE", "audio/wav"))
        .model("whisper-1")
    )


SRT = "1\n00:00:00,000 --> 00:00:01,000\nHello.\n\n"


@pytest.mark.parametrize(
    ("fmt", "body"),
    [("text", "Hello.\n"), ("srt", SRT), ("vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nHello.\n")],
)
def test_transcription_text_formats_return_str(
    client: Client, rsps: responses.RequestsMock, fmt: str, body: str
) -> None:
    rsps.post(f"{BASE}/audio/transcriptions", body=body, content_type="text/plain")
    result = transcribe(client).response_format(fmt).send()
    assert result == body
    sent = rsps.calls[0].request
    assert sent.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert b'name="response_format"\r\n\r\n' + fmt.encode() in sent.body
    assert b'filename="talk.wav"\r\nContent-Type: audio/wav\r\n\r\nRIFF....WAVE' in sent.body


def test_transcription_json_formats_return_models(
    client: Client, rsps: responses.RequestsMock
) -> None:
    rsps.post(f"{BASE}/audio/transcriptions", json={"text": "Hello."})
    rsps.post(
        f"{BASE}/audio/transcriptions",
        json={"text": "Hello.", "language": "english", "duration": 1.5, "segments": []},
    )
    rsps.post(f"{BASE}/audio/transcriptions", json={"text": "Hi.", "language": "en"})
    plain = transcribe(client).send()  # json is the API's default format
    assert plain == TranscriptionJson(text="Hello.")
    verbose = transcribe(client).response_format("verbose_json").send()
    assert isinstance(verbose, TranscriptionVerbose)
    assert (verbose.language, verbose.duration, verbose.extra) == ("english", 1.5, {"segments": []})
    diarized = transcribe(client).response_format("diarized_json").send()
    assert isinstance(diarized, TranscriptionVerbose)


def test_translation_base_follows_the_same_rules(
    client: Client, rsps: responses.RequestsMock
) -> None:
    rsps.post(f"{BASE}/audio/translations", body="Bonjour.", content_type="text/plain")
    builder = TranslationBuilderBase(
        client=client, method="POST", path="audio/translations", decode=identity
    )
    result = builder._set_file("file", ("a.mp3", b"ID3"))._set("response_format", "text").send()
    assert result == "Bonjour."


# -- other streams --------------------------------------------------------------------------------


def sse(*events: Tuple[Optional[str], str]) -> str:
    lines = []
    for name, data in events:
        if name is not None:
            lines.append(f"event: {name}")
        lines.append(f"data: {data}")
        lines.append("")
    return "\n".join(lines) + "\n"


def test_transcription_stream_yields_type_tagged_events(
    client: Client, rsps: responses.RequestsMock
) -> None:
    body = sse(
        (None, '{"type":"transcript.text.delta","delta":"Hel"}'),
        (None, '{"type":"transcript.text.delta","delta":"lo."}'),
        (None, '{"type":"transcript.text.done","text":"Hello."}'),
        (None, "[DONE]"),
    )
    rsps.post(f"{BASE}/audio/transcriptions", body=body, content_type="text/event-stream")
    with transcribe(client)._stream() as stream:
        events = list(stream)
    assert [e["type"] for e in events] == ["transcript.text.delta"] * 2 + ["transcript.text.done"]
    sent = rsps.calls[0].request
    assert b'name="stream"\r\n\r\ntrue' in sent.body
    assert sent.headers["Accept"] == "text/event-stream"


def test_image_generation_stream_decodes_with_the_event_model(
    client: Client, rsps: responses.RequestsMock
) -> None:
    @attrs.frozen(kw_only=True)
    class ImagesCreate(RequestBuilder[Any]):
        _stream_event_model: ClassVar[Any] = Dict[str, Any]
        _stream_named_events: ClassVar[bool] = True

    body = sse(
        (
            "image_generation.partial_image",
            '{"type":"image_generation.partial_image","b64_json":"AA==","partial_image_index":0}',
        ),
        ("image_generation.completed", '{"type":"image_generation.completed","b64_json":"AAAA"}'),
    )
    rsps.post(f"{BASE}/images/generations", body=body, content_type="text/event-stream")
    builder = ImagesCreate(client=client, method="POST", path="images/generations", decode=identity)
    events = list(builder._set("prompt", "a cat")._stream())
    assert [e["type"] for e in events] == [
        "image_generation.partial_image",
        "image_generation.completed",
    ]
    assert b'"stream":true' in rsps.calls[0].request.body


def test_speech_stream_asks_with_its_own_stream_field(
    client: Client, rsps: responses.RequestsMock
) -> None:
    body = sse(
        (None, '{"type":"speech.audio.delta","audio":"AAA="}'),
        (None, '{"type":"speech.audio.done","usage":{"total_tokens":3}}'),
    )
    rsps.post(SPEECH_URL, body=body, content_type="text/event-stream")
    events = list(speech(client)._set("input", "hi")._stream())
    assert [e["type"] for e in events] == ["speech.audio.delta", "speech.audio.done"]
    sent = rsps.calls[0].request
    assert sent.body == b'{"input":"hi","stream_format":"sse"}'
    assert sent.headers["Accept"] == "text/event-stream"


@attrs.frozen(kw_only=True)
class Run(BaseModel):
    id: Optional[str] = None
    status: Optional[str] = None


@attrs.frozen(kw_only=True)
class RunCreatedEvent(BaseModel):
    event: Literal["thread.run.created"] = "thread.run.created"
    data: Optional[Run] = None


@attrs.frozen(kw_only=True)
class RunCompletedEvent(BaseModel):
    event: Literal["thread.run.completed"] = "thread.run.completed"
    data: Optional[Run] = None


@attrs.frozen(kw_only=True)
class UnknownAssistantEvent(BaseModel):
    event: Optional[str] = None
    data: Any = None


AssistantEvent = Union[RunCreatedEvent, RunCompletedEvent, UnknownAssistantEvent]
register_tagged_union(AssistantEvent, UnknownAssistantEvent, tag="event")


@attrs.frozen(kw_only=True)
class RunCreate(RequestBuilder[Run]):
    _stream_envelope: ClassVar[bool] = True
    _stream_event_model: ClassVar[Any] = AssistantEvent


ASSISTANT_STREAM = sse(
    ("thread.run.created", '{"id":"run_1","object":"thread.run","status":"queued"}'),
    ("thread.message.delta", '{"id":"msg_1","object":"thread.message.delta","delta":{}}'),
    ("thread.run.completed", '{"id":"run_1","object":"thread.run","status":"completed"}'),
    ("done", "[DONE]"),
)


def run_create(client: Client) -> RunCreate:
    return RunCreate(
        client=client,
        method="POST",
        path="threads/thread_1/runs",
        decode=client._decode_model(Run),
    ).header("OpenAI-Beta", "assistants=v2")


def test_assistants_stream_hands_out_event_and_data_records(
    client: Client, rsps: responses.RequestsMock
) -> None:
    rsps.post(f"{BASE}/threads/thread_1/runs", body=ASSISTANT_STREAM)
    records: List[Dict[str, Any]] = list(run_create(client)._stream(identity))
    assert records == [
        {
            "event": "thread.run.created",
            "data": {"id": "run_1", "object": "thread.run", "status": "queued"},
        },
        {
            "event": "thread.message.delta",
            "data": {"id": "msg_1", "object": "thread.message.delta", "delta": {}},
        },
        {
            "event": "thread.run.completed",
            "data": {"id": "run_1", "object": "thread.run", "status": "completed"},
        },
    ]
    assert b'"stream":true' in rsps.calls[0].request.body


def test_assistants_stream_decodes_a_union_tagged_by_event(
    client: Client, rsps: responses.RequestsMock
) -> None:
    rsps.post(f"{BASE}/threads/thread_1/runs", body=ASSISTANT_STREAM)
    events = list(run_create(client)._stream())
    assert [type(e).__name__ for e in events] == [
        "RunCreatedEvent",
        "UnknownAssistantEvent",
        "RunCompletedEvent",
    ]
    assert events[0].data == Run(id="run_1", status="queued", extra={"object": "thread.run"})
    assert events[1].event == "thread.message.delta"


def test_assistants_error_event_raises(client: Client, rsps: responses.RequestsMock) -> None:
    body = sse(
        ("thread.run.created", '{"id":"run_1","status":"queued"}'),
        ("error", '{"message":"Run failed: server_error","type":"server_error"}'),
    )
    rsps.post(f"{BASE}/threads/thread_1/runs", body=body)
    stream = run_create(client)._stream(identity)
    assert next(stream)["event"] == "thread.run.created"
    with pytest.raises(APIError, match="Run failed"):
        next(stream)


def test_without_envelope_named_events_keep_their_payloads(
    client: Client, rsps: responses.RequestsMock
) -> None:
    rsps.post(f"{BASE}/threads/thread_1/runs", body=ASSISTANT_STREAM)
    payloads = list(run_create(client)._stream(identity, envelope=False, named_events=True))
    assert [p["id"] for p in payloads] == ["run_1", "msg_1", "run_1"]
