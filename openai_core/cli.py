"""The ``openai-core`` command line: chat, responses, models, embeddings, files and raw calls.

Run ``openai-core --help`` (or ``python -m openai_core --help``). Only the standard library is
imported until a command runs, so ``--help`` is fast. Exit codes, one per error class, are listed
in :data:`EXIT_CODES` and in the ``--help`` epilog; docs/cli.md has examples.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

if TYPE_CHECKING:
    from openai_core import Client
    from openai_core._request import Request

__all__ = ["EXIT_CODES", "main"]

EXIT_CODES: Tuple[Tuple[int, str], ...] = (
    (0, "success"),
    (1, "other API errors (APIError, e.g. 409 Conflict) and local errors (a missing file)"),
    (2, "usage: bad arguments or options"),
    (3, "connection error (APIConnectionError): refused, reset, DNS, TLS"),
    (4, "timeout (APITimeoutError, StreamTimeoutError)"),
    (5, "authentication or permission (401, 403)"),
    (6, "not found (404)"),
    (7, "rate limit (429)"),
    (8, "bad request or unprocessable entity (400, 422)"),
    (9, "server error (>= 500)"),
    (10, "response validation (a 2xx body that is not what the operation promises)"),
    (130, "interrupted (Ctrl-C)"),
)
"""``(code, meaning)`` for every exit status the command uses."""

_EPILOG = "exit codes:\n" + "\n".join(f"  {code:<4} {text}" for code, text in EXIT_CODES)
_LARGE_FILE = 8 * 1024 * 1024  # files above this go through the Uploads API, in parts this size


def exit_code_for(error: BaseException) -> int:
    """The exit status for an exception raised by the SDK (see :data:`EXIT_CODES`)."""
    from openai_core import _errors as e

    table: Tuple[Tuple[type, int], ...] = (
        (e.APITimeoutError, 4),
        (e.APIConnectionError, 3),
        (e.AuthenticationError, 5),
        (e.PermissionDeniedError, 5),
        (e.NotFoundError, 6),
        (e.RateLimitError, 7),
        (e.BadRequestError, 8),
        (e.UnprocessableEntityError, 8),
        (e.InternalServerError, 9),
        (e.APIResponseValidationError, 10),
    )
    for cls, code in table:
        if isinstance(error, cls):
            return code
    return 1


# -- the parser ----------------------------------------------------------------------------------


def _add_globals(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """Global options, accepted before and after the command (``suppress`` on subcommands)."""

    def default(value: Any) -> Any:
        return argparse.SUPPRESS if suppress else value

    group = parser.add_argument_group("global options")
    group.add_argument("--base-url", default=default(None), help="API root (OPENAI_BASE_URL)")
    group.add_argument(
        "--provider", default=default(None), help="a provider profile: groq, ollama, llamacpp …"
    )
    group.add_argument("--model", default=default(None), help="model id for the request")
    group.add_argument(
        "--api-key",
        default=default(None),
        help="API key (default: OPENAI_API_KEY or the provider's variable)",
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=default(False),
        help="trace each request on stderr as curl, with secrets redacted",
    )
    group.add_argument("--timeout", type=float, default=default(None), help="seconds")
    group.add_argument("--max-retries", type=int, default=default(None), help="retries per call")


def build_parser() -> argparse.ArgumentParser:
    """The ``openai-core`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="openai-core",
        description="Call the OpenAI API or an OpenAI-compatible server from the shell.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from openai_core._version import __version__

    parser.add_argument("--version", action="version", version=f"openai-core {__version__}")
    _add_globals(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(parent: Any, name: str, help: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = parent.add_parser(
            name, help=help, description=help, epilog=_EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )  # fmt: skip
        _add_globals(sub, suppress=True)
        return sub

    def json_flag(sub: argparse.ArgumentParser, what: str) -> None:
        sub.add_argument("--json", action="store_true", help=f"print {what} as JSON")

    chat = command(commands, "chat", "stream a Chat Completions answer")
    chat.add_argument("prompt", nargs="*", help="the user message (default: stdin)")
    chat.add_argument("--system", help="a system message sent first")
    chat.add_argument("--max-tokens", type=int, help="max_completion_tokens")
    chat.add_argument("--temperature", type=float, help="sampling temperature")
    json_flag(chat, "the final ChatCompletion (no streaming)")
    chat.set_defaults(run=_chat)

    responses = command(commands, "responses", "stream a Responses answer")
    responses.add_argument("prompt", nargs="*", help="the input text (default: stdin)")
    responses.add_argument("--instructions", help="system instructions")
    responses.add_argument("--max-tokens", type=int, help="max_output_tokens")
    responses.add_argument("--temperature", type=float, help="sampling temperature")
    json_flag(responses, "the final Response (no streaming)")
    responses.set_defaults(run=_responses)

    models = command(commands, "models", "list models").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    models_list = command(models, "list", "list the models' ids")
    json_flag(models_list, "the models")
    models_list.set_defaults(run=_models_list)

    embeddings = command(commands, "embeddings", "embed texts, one vector per line")
    embeddings.add_argument("text", nargs="*", help="texts to embed (default: stdin lines)")
    json_flag(embeddings, "the whole response")
    embeddings.set_defaults(run=_embeddings)

    files = command(commands, "files", "upload, list and download files").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    upload = command(files, "upload", "upload a file (in parts, with a progress bar, above 8 MiB)")
    upload.add_argument("path", help="the file to upload")
    upload.add_argument("--purpose", required=True, help="assistants, batch, fine-tune …")
    upload.add_argument("--mime-type", help="for the Uploads API (default: guessed)")
    upload.add_argument(
        "--chunked", action="store_true", help="use the Uploads API even for a small file"
    )
    upload.add_argument("--part-size", type=int, help="bytes per part (default 8 MiB)")
    upload.set_defaults(run=_files_upload)
    files_list = command(files, "list", "list files")
    files_list.add_argument("--purpose", help="only files with this purpose")
    json_flag(files_list, "the files")
    files_list.set_defaults(run=_files_list)
    download = command(files, "download", "download a file's content")
    download.add_argument("file_id", help="the file id")
    download.add_argument("-o", "--output", required=True, help="destination path")
    download.set_defaults(run=_files_download)

    api = command(commands, "api", "call any endpoint and print the response body")
    api.add_argument("method", type=str.upper, help="GET, POST, DELETE …")
    api.add_argument("path", help="path under the base URL, e.g. /models")
    api.add_argument("-d", "--data", help="JSON request body ('-' reads stdin)")
    api.add_argument(
        "-q", "--query", action="append", default=[], metavar="KEY=VALUE", help="query parameter"
    )
    api.set_defaults(run=_api)
    return parser


# -- helpers -------------------------------------------------------------------------------------


def _client(args: argparse.Namespace) -> Client:
    from openai_core import Client

    options: Dict[str, Any] = {}
    for name in ("base_url", "timeout", "max_retries"):
        if getattr(args, name) is not None:
            options[name] = getattr(args, name)
    if args.provider:
        return Client.for_provider(args.provider, args.api_key, **options)
    return Client(api_key=args.api_key, **options)


def _enable_trace() -> None:
    import logging

    from openai_core._logging import logger

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("* %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


def _trace(args: argparse.Namespace, request: Request) -> None:
    if args.verbose:
        print(f"> {request.to_curl()}", file=sys.stderr)


def _text(args: argparse.Namespace, words: Sequence[str], what: str) -> str:
    if words:
        return " ".join(words)
    if sys.stdin.isatty():
        raise _UsageError(f"give the {what} as arguments or on stdin")
    text = sys.stdin.read()
    if not text.strip():
        raise _UsageError(f"the {what} on stdin is empty")
    return text


def _model(args: argparse.Namespace) -> str:
    model = args.model or os.environ.get("OPENAI_MODEL")
    if not model:
        raise _UsageError("--model is required (or set OPENAI_MODEL)")
    return str(model)


def _print_json(value: Any) -> None:
    from openai_core._convert import to_dict

    def default(obj: Any) -> Any:
        return to_dict(obj)

    print(json.dumps(value, indent=2, ensure_ascii=False, default=default))


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


class _UsageError(Exception):
    """Bad input found after parsing (exit code 2)."""


# -- commands ------------------------------------------------------------------------------------


def _chat(args: argparse.Namespace, client: Client) -> None:
    call = client.chat().completions().create().model(_model(args))
    if args.system:
        call = call.message_system(args.system)
    if args.max_tokens is not None:
        call = call.max_completion_tokens(args.max_tokens)
    if args.temperature is not None:
        call = call.temperature(args.temperature)
    call = call.message_user(_text(args, args.prompt, "prompt"))
    _trace(args, call._compile(stream=not args.json, with_auth=True))
    if args.json:
        _print_json(call.send())
        return
    with call.stream() as stream:
        for chunk in stream:
            for choice in chunk.choices or ():
                content = choice.delta.content if choice.delta is not None else None
                if content:
                    _write(content)
    _write("\n")


def _responses(args: argparse.Namespace, client: Client) -> None:
    call = client.responses().create().model(_model(args))
    if args.instructions:
        call = call.instructions(args.instructions)
    if args.max_tokens is not None:
        call = call.max_output_tokens(args.max_tokens)
    if args.temperature is not None:
        call = call.temperature(args.temperature)
    call = call.input_text(_text(args, args.prompt, "input"))
    _trace(args, call._compile(stream=not args.json, with_auth=True))
    if args.json:
        _print_json(call.send())
        return
    with call.stream() as events:
        for event in events:
            if getattr(event, "type", None) == "response.output_text.delta":
                _write(str(getattr(event, "delta", "") or ""))
    _write("\n")


def _models_list(args: argparse.Namespace, client: Client) -> None:
    call = client.models().list()
    _trace(args, call.build())
    models = list(call.send())
    if args.json:
        _print_json(models)
    else:
        for model in models:
            print(model.id)


def _embeddings(args: argparse.Namespace, client: Client) -> None:
    texts: List[str] = list(args.text)
    if not texts:
        texts = [line for line in _text(args, (), "texts").splitlines() if line.strip()]
    call = client.embeddings().create().model(_model(args)).input(texts)
    _trace(args, call.build())
    result = call.send()
    if args.json:
        _print_json(result)
        return
    for item in result.data:
        print(json.dumps(item.embedding))


def _progress(stream: Any = None) -> Callable[[int, int], None]:
    """A text progress bar on stderr: ``progress(done, total)``."""
    out = stream or sys.stderr

    def progress(done: int, total: int) -> None:
        fraction = done / total if total else 1.0
        filled = int(fraction * 30)
        bar = "#" * filled + "-" * (30 - filled)
        out.write(f"\r[{bar}] {fraction:6.1%} {done}/{total} bytes")
        if done >= total:
            out.write("\n")
        out.flush()

    return progress


def _files_upload(args: argparse.Namespace, client: Client) -> None:
    import mimetypes

    size = os.path.getsize(args.path)
    if not (args.chunked or args.part_size or size > _LARGE_FILE):
        call = client.files().create().file(args.path).purpose(args.purpose)
        _trace(args, call.build())
        _print_json(call.send())
        return
    mime = args.mime_type
    if not mime:
        mime = "text/jsonl" if args.path.endswith(".jsonl") else mimetypes.guess_type(args.path)[0]
    upload = client.uploads().upload_file_chunked(
        args.path,
        mime_type=mime or "application/octet-stream",
        purpose=args.purpose,
        part_size=args.part_size or _LARGE_FILE,
        progress=_progress(),
    )
    _print_json(upload.file if upload.file is not None else upload)


def _files_list(args: argparse.Namespace, client: Client) -> None:
    call = client.files().list()
    if args.purpose:
        call = call.purpose(args.purpose)
    _trace(args, call.build())
    files = list(call.send())
    if args.json:
        _print_json(files)
        return
    for item in files:
        print(f"{item.id}\t{item.purpose}\t{item.bytes}\t{item.filename}")


def _files_download(args: argparse.Namespace, client: Client) -> None:
    call = client.files().content(args.file_id)
    _trace(args, call.build())
    path = call.send().write_to_file(args.output)
    print(path, file=sys.stderr)


def _query(pairs: Iterable[str]) -> List[Tuple[str, str]]:
    out = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise _UsageError(f"-q expects KEY=VALUE, got {pair!r}")
        out.append((key, value))
    return out


def _api(args: argparse.Namespace, client: Client) -> None:
    body: Any = None
    if args.data is not None:
        text = sys.stdin.read() if args.data == "-" else args.data
        try:
            body = json.loads(text)
        except ValueError as exc:
            raise _UsageError(f"-d is not valid JSON: {exc}") from exc
    path = args.path if args.path.startswith("/") else "/" + args.path
    request = client._compile(
        args.method, path, body=body, query=_query(args.query), with_auth=True
    )
    _trace(args, request)
    response = client.send(request)
    if not response.content:
        return
    try:
        print(json.dumps(response.json(), indent=2, ensure_ascii=False))
    except ValueError:
        _write(response.text)


# -- entry point ---------------------------------------------------------------------------------


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status (see :data:`EXIT_CODES`)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from openai_core._errors import APIError, OpenAIError

    if args.verbose:
        _enable_trace()
    try:
        client = _client(args)
        with client:
            args.run(args, client)
    except _UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"openai-core: error: {exc}", file=sys.stderr)
        return 2
    except APIError as exc:
        request_id = f" (request id {exc.request_id})" if exc.request_id else ""
        print(f"openai-core: {type(exc).__name__}{request_id}: {exc}", file=sys.stderr)
        return exit_code_for(exc)
    except (OpenAIError, ValueError, OSError) as exc:
        print(f"openai-core: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("openai-core: interrupted", file=sys.stderr)
        return 130
    return 0
