"""``builder.to_batch_line()`` and ``client.batches().run()``, the latter against a local fake of
the batch lifecycle (files.create/retrieve/content, batches.create/retrieve) on 127.0.0.1."""

from __future__ import annotations

import email.parser
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from openai_core import Client
from openai_core.lib.batch_run import (
    BatchRequestError,
    BatchRunResult,
    split_lines,
)
from openai_core.lib.polling import PollingTimeoutError


@pytest.fixture()
def offline() -> Client:
    return Client(api_key="sk-test", base_url="http://127.0.0.1:9/v1", max_retries=0)


# -- to_batch_line ------------------------------------------------------------------------------


def test_chat_completion_compiles_to_an_exact_batch_line(offline: Client) -> None:
    chat = offline.chat().completions().create().model("gpt-4o-mini").message_user("Hi")
    assert chat.to_batch_line("q1") == (
        '{"custom_id":"q1","method":"POST","url":"/v1/chat/completions",'
        '"body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}}'
    )


def test_embedding_compiles_to_an_exact_batch_line(offline: Client) -> None:
    emb = offline.embeddings().create().model("text-embedding-3-small").input(["a", "b"])
    line = json.loads(emb.to_batch_line("e1"))
    assert line["url"] == "/v1/embeddings"
    assert line["body"]["input"] == ["a", "b"]
    assert line["body"]["model"] == "text-embedding-3-small"
    assert list(line) == ["custom_id", "method", "url", "body"]


def test_response_compiles_to_an_exact_batch_line(offline: Client) -> None:
    resp = offline.responses().create().model("gpt-5").input("Hi")
    assert resp.to_batch_line("r1") == (
        '{"custom_id":"r1","method":"POST","url":"/v1/responses",'
        '"body":{"model":"gpt-5","input":"Hi"}}'
    )


def test_batch_line_url_ignores_the_base_url() -> None:
    client = Client(api_key="sk-test", base_url="http://127.0.0.1:9/proxy/v1")
    line = client.responses().create().model("m").input("x").to_batch_line("a")
    assert json.loads(line)["url"] == "/v1/responses"


def test_streaming_request_is_rejected(offline: Client) -> None:
    chat = offline.chat().completions().create().model("m").extra_body({"stream": True})
    with pytest.raises(ValueError, match="streaming"):
        chat.to_batch_line("a")


def test_multipart_request_is_rejected(offline: Client) -> None:
    upload = offline.files().create().purpose("batch").file(("a.jsonl", b"{}"))
    with pytest.raises(ValueError, match="multipart"):
        upload.to_batch_line("a")


def test_non_post_request_is_rejected(offline: Client) -> None:
    with pytest.raises(ValueError, match="POST"):
        offline.models().list().to_batch_line("a")


def test_endpoint_the_batch_api_does_not_serve_is_rejected(offline: Client) -> None:
    with pytest.raises(ValueError, match="does not serve /v1/assistants"):
        offline.beta().assistants().create().model("m").to_batch_line("a")


def test_empty_custom_id_is_rejected(offline: Client) -> None:
    with pytest.raises(ValueError, match="custom_id"):
        offline.responses().create().model("m").to_batch_line("")


# -- splitting ----------------------------------------------------------------------------------


def test_split_groups_lines_by_endpoint_in_first_seen_order() -> None:
    lines = [("/v1/responses", "r1"), ("/v1/embeddings", "e1"), ("/v1/responses", "r2")]
    assert split_lines(lines) == [("/v1/responses", ["r1", "r2"]), ("/v1/embeddings", ["e1"])]


def test_split_cuts_at_the_line_limit() -> None:
    lines = [("/v1/responses", f"l{i}") for i in range(5)]
    chunks = split_lines(lines, max_lines=2)
    assert [chunk for _, chunk in chunks] == [["l0", "l1"], ["l2", "l3"], ["l4"]]


def test_split_cuts_at_the_byte_limit_counting_newlines() -> None:
    lines = [("/v1/responses", "x" * 4) for _ in range(3)]  # 5 bytes each with the newline
    chunks = split_lines(lines, max_bytes=10)
    assert [len(chunk) for _, chunk in chunks] == [2, 1]


def test_split_rejects_a_line_larger_than_the_byte_limit() -> None:
    with pytest.raises(ValueError, match="exceeds"):
        split_lines([("/v1/responses", "x" * 20)], max_bytes=10)


# -- run() against a fake batch lifecycle -------------------------------------------------------


class FakeBatchAPI:
    """Files and batches in memory; a batch moves validating -> in_progress -> completed over
    two retrievals, then answers each input line (``model == "fail"`` lines go to the error
    file with a 400)."""

    def __init__(self) -> None:
        self.files: Dict[str, bytes] = {}
        self.batches: Dict[str, Dict[str, Any]] = {}
        self.requests: List[str] = []
        self.lock = threading.Lock()

    def add_file(self, content: bytes, filename: str, purpose: str) -> Dict[str, Any]:
        file_id = f"file-{len(self.files)}"
        self.files[file_id] = content
        return {
            "id": file_id,
            "object": "file",
            "bytes": len(content),
            "created_at": 1,
            "filename": filename,
            "purpose": purpose,
            "status": "processed",
        }

    def advance(self, batch: Dict[str, Any]) -> None:
        if batch["status"] == "validating":
            batch["status"] = "in_progress"
        elif batch["status"] == "in_progress":
            self.complete(batch)

    def complete(self, batch: Dict[str, Any]) -> None:
        out: List[str] = []
        err: List[str] = []
        for raw in self.files[batch["input_file_id"]].decode().splitlines():
            line = json.loads(raw)
            body = line["body"]
            if body.get("model") == "fail":
                response = {
                    "status_code": 400,
                    "request_id": "req_bad",
                    "body": {"error": {"message": "no such model", "code": "model_not_found"}},
                }
                err.append(
                    json.dumps(
                        {
                            "id": "br",
                            "custom_id": line["custom_id"],
                            "response": response,
                            "error": None,
                        }
                    )
                )
                continue
            if line["url"] == "/v1/chat/completions":
                answer = {
                    "id": "chatcmpl-1",
                    "object": "chat.completion",
                    "created": 1,
                    "model": body["model"],
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {
                                "role": "assistant",
                                "content": "echo " + body["messages"][0]["content"],
                            },
                        }
                    ],
                }
            else:
                answer = {
                    "id": "resp_1",
                    "object": "response",
                    "created_at": 1,
                    "model": body["model"],
                    "status": "completed",
                    "output": [],
                }
            response = {"status_code": 200, "request_id": "req_ok", "body": answer}
            out.append(
                json.dumps(
                    {
                        "id": "br",
                        "custom_id": line["custom_id"],
                        "response": response,
                        "error": None,
                    }
                )
            )
        total = len(out) + len(err)
        batch["status"] = "completed"
        batch["request_counts"] = {"total": total, "completed": len(out), "failed": len(err)}
        if out:
            batch["output_file_id"] = self.add_file(
                ("\n".join(out) + "\n").encode(), "out.jsonl", "batch_output"
            )["id"]
        if err:
            batch["error_file_id"] = self.add_file(
                ("\n".join(err) + "\n").encode(), "err.jsonl", "batch_output"
            )["id"]


def _handler(api: FakeBatchAPI) -> type:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _json(self, status: int, payload: Any) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length", "0")))

        def do_POST(self) -> None:
            body = self._body()
            with api.lock:
                api.requests.append(f"POST {self.path}")
                if self.path == "/v1/files":
                    head = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode()
                    message = email.parser.BytesParser().parsebytes(head + body)
                    fields: Dict[str, Any] = {}
                    for part in message.get_payload():  # type: ignore[union-attr]
                        name = part.get_param("name", header="content-disposition")
                        fields[name] = (part.get_filename(), part.get_payload(decode=True))
                    filename, content = fields["file"]
                    self._json(200, api.add_file(content, filename, fields["purpose"][1].decode()))
                elif self.path == "/v1/batches":
                    req = json.loads(body)
                    batch = {
                        "id": f"batch_{len(api.batches)}",
                        "object": "batch",
                        "endpoint": req["endpoint"],
                        "input_file_id": req["input_file_id"],
                        "completion_window": req["completion_window"],
                        "status": "validating",
                        "created_at": 1,
                        "metadata": req.get("metadata"),
                        "request_counts": {"total": 0, "completed": 0, "failed": 0},
                    }
                    api.batches[batch["id"]] = batch
                    self._json(200, batch)
                else:
                    self._json(404, {"error": {"message": "not found"}})

        def do_GET(self) -> None:
            with api.lock:
                api.requests.append(f"GET {self.path}")
                match = re.fullmatch(r"/v1/batches/([^/]+)", self.path)
                if match and match.group(1) in api.batches:
                    batch = api.batches[match.group(1)]
                    api.advance(batch)
                    self._json(200, batch)
                    return
                match = re.fullmatch(r"/v1/files/([^/]+)/content", self.path)
                if match and match.group(1) in api.files:
                    data = api.files[match.group(1)]
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                self._json(404, {"error": {"message": "not found"}})

    return Handler


@pytest.fixture()
def fake() -> Iterator[FakeBatchAPI]:
    api = FakeBatchAPI()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"  # type: ignore[attr-defined]
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def client(fake: FakeBatchAPI) -> Iterator[Client]:
    with Client(api_key="sk-test", base_url=fake.base_url, max_retries=0) as value:  # type: ignore[attr-defined]
        value._sleep = lambda seconds: None
        yield value


def test_run_returns_typed_results_keyed_by_custom_id(client: Client, tmp_path: Path) -> None:
    from openai_core._generated.models.chat import CreateChatCompletionResponse

    chat = client.chat().completions().create().model("gpt-4o-mini")
    run = client.batches().run(
        {"a": chat.message_user("one"), "b": chat.message_user("two")}, output_dir=tmp_path
    )
    assert isinstance(run, BatchRunResult)
    assert set(run.results) == {"a", "b"}
    assert isinstance(run.results["a"], CreateChatCompletionResponse)
    assert run.results["b"].choices[0].message.content == "echo two"
    assert run.errors == {}
    assert [batch.status for batch in run.batches] == ["completed"]
    assert run.output_files == (tmp_path / "output-0.jsonl",)
    assert run.input_files[0].read_text().count("\n") == 2


def test_run_reports_failed_requests_in_errors(client: Client, tmp_path: Path) -> None:
    chat = client.chat().completions().create()
    run = client.batches().run(
        {"ok": chat.model("m").message_user("x"), "bad": chat.model("fail").message_user("y")},
        output_dir=tmp_path,
    )
    assert set(run.results) == {"ok"}
    error = run.errors["bad"]
    assert isinstance(error, BatchRequestError)
    assert (error.status_code, error.code, error.request_id) == (400, "model_not_found", "req_bad")
    assert run.error_files == (tmp_path / "errors-0.jsonl",)


def test_run_makes_one_batch_per_endpoint(
    client: Client, fake: FakeBatchAPI, tmp_path: Path
) -> None:
    from openai_core._generated.models.responses import Response

    builders = [
        client.chat().completions().create().model("m").message_user("x"),
        client.responses().create().model("m").input("y"),
    ]
    run = client.batches().run(builders, output_dir=tmp_path, metadata={"job": "t"})
    assert [batch.endpoint for batch in run.batches] == ["/v1/chat/completions", "/v1/responses"]
    assert set(run.results) == {"request-0", "request-1"}
    assert isinstance(run.results["request-1"], Response)
    assert all(batch["metadata"] == {"job": "t"} for batch in fake.batches.values())


def test_run_calls_progress_with_each_retrieved_batch(client: Client, tmp_path: Path) -> None:
    seen: List[str] = []
    client.batches().run(
        [client.responses().create().model("m").input("y")],
        output_dir=tmp_path,
        progress=lambda batch: seen.append(batch.status),
    )
    assert seen == ["in_progress", "completed"]


def test_run_timeout_raises_polling_timeout(client: Client, tmp_path: Path) -> None:
    with pytest.raises(PollingTimeoutError):
        client.batches().run(
            [client.responses().create().model("m").input("y")],
            output_dir=tmp_path,
            timeout=0,
        )


def test_run_rejects_an_unbatchable_builder_before_any_request(
    client: Client, fake: FakeBatchAPI, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="POST"):
        client.batches().run([client.models().list()], output_dir=tmp_path)
    assert fake.requests == []


def test_progress_true_draws_a_bar_on_stderr(
    client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client.batches().run(
        [client.responses().create().model("m").input("y")], output_dir=tmp_path, progress=True
    )
    err = capsys.readouterr().err
    assert "batch_0 in_progress" in err
    assert err.endswith("batch_0 completed   [####################] 1/1\n")


def test_an_answer_that_does_not_decode_is_an_error_of_that_request(
    fake: FakeBatchAPI, tmp_path: Path
) -> None:
    with Client(api_key="sk-test", base_url=fake.base_url, max_retries=0, strict=True) as client:  # type: ignore[attr-defined]
        client._sleep = lambda seconds: None
        run = client.batches().run(
            {"r": client.responses().create().model("m").input("y")}, output_dir=tmp_path
        )
    assert run.results == {}
    assert run.errors["r"].code == "response_validation"
    assert run.errors["r"].status_code == 200


def test_malformed_output_line_raises_response_validation(
    client: Client, fake: FakeBatchAPI, tmp_path: Path
) -> None:
    from openai_core import APIResponseValidationError

    complete = fake.complete

    def garble(batch: Dict[str, Any]) -> None:
        complete(batch)
        fake.files[batch["output_file_id"]] += b"{not json\n"

    fake.complete = garble  # type: ignore[method-assign]
    with pytest.raises(APIResponseValidationError, match="not JSON"):
        client.batches().run(
            [client.responses().create().model("m").input("y")], output_dir=tmp_path
        )


def test_requests_of_a_failed_batch_are_errors_naming_the_batch_failure(
    client: Client, fake: FakeBatchAPI, tmp_path: Path
) -> None:
    def fail(batch: Dict[str, Any]) -> None:
        batch["status"] = "failed"
        batch["errors"] = {
            "object": "list",
            "data": [{"code": "invalid_json_line", "message": "bad line", "line": 1}],
        }

    fake.advance = fail  # type: ignore[method-assign]
    builders = {
        "c": client.chat().completions().create().model("m").message_user("x"),
        "r": client.responses().create().model("m").input("y"),
    }
    run = client.batches().run(builders, output_dir=tmp_path)
    assert run.results == {}
    assert run.errors["c"].code == "invalid_json_line"
    assert (
        run.errors["r"].message
        == "batch batch_1 ended failed without a result for this request: bad line"
    )
    assert run.output_files == run.error_files == ()
