"""One HTTP/1.1 exchange with a whole body, on a connection of a urllib3 pool.

The transport's direct path uses this for requests whose body it reads at once (everything but
streams and binary downloads): urllib3 keeps doing what it is for (the pool, connecting, TLS,
noticing a dropped kept-alive connection), and the exchange itself is one ``sendall`` of the
request and a parser working on whole reads of the answer, instead of ``http.client``'s
line-by-line reads and its e-mail header parser, which cost more than the rest of a request on a
kept-alive loopback connection.

What is followed (RFC 9112): informational (1xx) answers skipped; header fields split at the
first colon, surrounding whitespace dropped, obsolete line folding joined, repeated fields joined
with ``", "`` (``Set-Cookie`` kept one by one for the cookie jar); no body for ``HEAD``, 1xx, 204
and 304; ``Transfer-Encoding: chunked`` (extensions and trailers ignored), else
``Content-Length``, else the body runs to the end of the connection; the connection goes back to
the pool only when the body ended where its framing said and neither side asked to close it.
``Content-Encoding`` is decoded by urllib3's own decoders. Header names and values are checked
as ``http.client`` checks them (no CR, LF or NUL; names without colon or whitespace).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Tuple

from openai_core._errors import APIConnectionError

if TYPE_CHECKING:
    from urllib3.connectionpool import HTTPConnectionPool

__all__ = ["Answer", "exchange"]

_READ = 65536
_MAX_HEAD = 65536 * 4
_NO_BODY_STATUSES = frozenset({204, 304})
_BAD_NAME = frozenset(":\r\n\x00 \t")
_LARGE_BODY = 65536


class Answer:
    """A parsed answer: status, reason, header fields (merged), ``Set-Cookie`` values, body."""

    __slots__ = ("body", "cookies", "headers", "reason", "status", "version")

    def __init__(
        self,
        status: int,
        reason: str,
        version: int,
        headers: Dict[str, Tuple[str, str]],
        cookies: List[str],
        body: bytes,
    ) -> None:
        self.status = status
        self.reason = reason
        self.version = version
        self.headers = headers  # {lowercased name: (name as sent, value)}
        self.cookies = cookies
        self.body = body


def _request_head(method: str, target: str, host: str, headers: Mapping[str, str]) -> bytes:
    """The request line and header fields, checked as ``http.client`` checks them, in one pass;
    ``Host`` added unless ``headers`` has one."""
    lines = [f"{method} {target} HTTP/1.1\r\n", ""]
    has_host = False
    for name, value in headers.items():
        if not name or not _BAD_NAME.isdisjoint(name):
            raise ValueError(f"Invalid header name {name!r}")
        if "\r" in value or "\n" in value or "\x00" in value:
            raise ValueError(f"Invalid header value for {name!r}: it contains CR, LF or NUL")
        has_host = has_host or (len(name) == 4 and name.lower() == "host")
        lines.append(f"{name}: {value}\r\n")
    if not has_host:
        lines[1] = f"Host: {host}\r\n"
    lines.append("\r\n")
    return "".join(lines).encode("latin-1")


def exchange(
    pool: HTTPConnectionPool,
    host: str,
    method: str,
    target: str,
    headers: Mapping[str, str],
    body: Optional[bytes],
    timeout: Tuple[float, float],
) -> Answer:
    """Send one request on a pooled connection of ``pool`` and read the whole answer.

    Args:
        pool: The urllib3 pool of the origin (connections are taken and given back).
        host: The ``Host`` header (used unless ``headers`` has one).
        method, target: Request line parts (``target`` is the path and query).
        headers: Header fields, ``Content-Length`` included.
        body: The body, or ``None``.
        timeout: ``(connect, read)`` seconds; sending counts against ``connect``, as in urllib3.

    Raises:
        APIConnectionError: the answer is not HTTP/1.x, or ends before its framing says.
        OSError, urllib3.exceptions.HTTPError: connecting, sending or reading failed (the
            transport translates them with ``translate_exception``, as for every path).
        ValueError: a header name or value that cannot be sent.
    """
    head = _request_head(method, target, host, headers)
    connect, read = timeout
    conn: Any = pool._get_conn()  # a urllib3 HTTPConnection: ``sock`` is None until connected
    reusable = False
    try:
        if conn.sock is None:  # new, or found dropped by the pool
            conn.timeout = connect
            conn.connect()
        sock = conn.sock
        sock.settimeout(connect)
        if body is not None and len(body) < _LARGE_BODY:
            sock.sendall(head + body)
        else:
            sock.sendall(head)
            if body:
                sock.sendall(body)
        sock.settimeout(read)
        answer, reusable = _read_answer(sock, method)
    finally:
        if reusable:
            pool._put_conn(conn)
        else:
            conn.close()
            pool._put_conn(None)
    return answer


def _read_answer(sock: Any, method: str) -> Tuple[Answer, bool]:
    data = b""
    while True:
        end = data.find(b"\r\n\r\n")
        if end < 0:
            if len(data) > _MAX_HEAD:
                raise APIConnectionError("Connection error: the answer's header is too long")
            more = sock.recv(_READ)
            if not more:
                raise APIConnectionError(
                    "Connection error: the server closed the connection without an answer"
                    if not data
                    else "Connection error: the server closed the connection inside the header"
                )
            data += more
            continue
        head = data[:end].decode("latin-1")
        data = data[end + 4 :]
        status_line, _, fields = head.partition("\r\n")
        version_text, _, rest = status_line.partition(" ")
        status_text, _, reason = rest.partition(" ")
        if not version_text.startswith("HTTP/1.") or len(status_text) != 3:
            raise APIConnectionError(f"Connection error: not an HTTP/1.x answer: {status_line!r}")
        try:
            status = int(status_text)
        except ValueError:
            raise APIConnectionError(
                f"Connection error: not an HTTP/1.x answer: {status_line!r}"
            ) from None
        if 100 <= status < 200 and status != 101:
            continue  # informational: the real answer follows
        break
    headers, cookies = _parse_fields(fields)
    version = 11 if version_text == "HTTP/1.1" else 10
    connection = headers.get("connection", ("", ""))[1].lower()
    keep_alive = "close" not in connection and (version == 11 or "keep-alive" in connection)
    if method == "HEAD" or status in _NO_BODY_STATUSES or status < 200:
        body = b""
        complete = not data
    elif "chunked" in headers.get("transfer-encoding", ("", ""))[1].lower():
        body, complete = _read_chunked(sock, data)
    elif "content-length" in headers:
        try:
            length = int(headers["content-length"][1].split(",")[0].strip())
        except ValueError:
            raise APIConnectionError(
                f"Connection error: invalid Content-Length {headers['content-length'][1]!r}"
            ) from None
        if length < 0:
            raise APIConnectionError(f"Connection error: invalid Content-Length {length}")
        parts = [data]
        got = len(data)
        while got < length:
            more = sock.recv(max(_READ, length - got))
            if not more:
                raise APIConnectionError(
                    f"Connection error: the connection closed after {got} of {length} body bytes"
                )
            parts.append(more)
            got += len(more)
        body = data if len(parts) == 1 else b"".join(parts)
        complete = got == length
        if not complete:
            body = body[:length]
    else:  # no framing: the body is what comes until the server closes
        parts = [data]
        while True:
            more = sock.recv(_READ)
            if not more:
                break
            parts.append(more)
        body = b"".join(parts)
        keep_alive = False
        complete = False
    encoding = headers.get("content-encoding")
    if encoding is not None and body and encoding[1].strip().lower() not in ("", "identity"):
        body = _decode(body, encoding[1])
    answer = Answer(status, reason.strip(), version, headers, cookies, body)
    return answer, keep_alive and complete


def _parse_fields(text: str) -> Tuple[Dict[str, Tuple[str, str]], List[str]]:
    headers: Dict[str, Tuple[str, str]] = {}
    cookies: List[str] = []
    last: Optional[str] = None
    if not text:
        return headers, cookies
    for line in text.split("\r\n"):
        if line[:1] in (" ", "\t"):  # obsolete line folding: part of the previous value
            if last is not None:
                name, value = headers[last]
                headers[last] = (name, f"{value} {line.strip()}")
            continue
        name, sep, value = line.partition(":")
        if not sep:
            continue  # not a field; http.client ignores such lines too
        name = name.strip()
        value = value.strip()
        key = name.lower()
        if key == "set-cookie":
            cookies.append(value)
        previous = headers.get(key)
        headers[key] = (
            (name, value) if previous is None else (previous[0], f"{previous[1]}, {value}")
        )
        last = key
    return headers, cookies


def _read_chunked(sock: Any, data: bytes) -> Tuple[bytes, bool]:
    """The body of a chunked answer, from what was read already plus the socket; and whether it
    ended exactly where the framing says (nothing read past the last CRLF)."""
    buffer = bytearray(data)
    position = 0
    parts: List[bytes] = []

    def fill(needed: int) -> None:
        while len(buffer) - position < needed:
            more = sock.recv(_READ)
            if not more:
                raise APIConnectionError(
                    "Connection error: the connection closed inside a chunked body"
                )
            buffer.extend(more)

    def line() -> bytes:
        nonlocal position
        while True:
            end = buffer.find(b"\r\n", position)
            if end >= 0:
                text = bytes(buffer[position:end])
                position = end + 2
                return text
            if len(buffer) - position > _MAX_HEAD:
                raise APIConnectionError("Connection error: a chunk header is too long")
            fill(len(buffer) - position + 1)

    while True:
        size_text = line().split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise APIConnectionError(
                f"Connection error: invalid chunk size {size_text[:20]!r}"
            ) from None
        if size == 0:
            while line():  # trailer fields, up to the empty line
                pass
            return b"".join(parts), position == len(buffer)
        fill(size + 2)
        parts.append(bytes(buffer[position : position + size]))
        position += size
        if buffer[position : position + 2] != b"\r\n":
            raise APIConnectionError("Connection error: a chunk does not end with CRLF")
        position += 2
        if position > _READ:  # keep the buffer short
            del buffer[:position]
            position = 0


def _decode(body: bytes, encoding: str) -> bytes:
    """Undo ``Content-Encoding`` with urllib3's decoders (gzip, deflate, and br or zstd when
    their modules are installed), so every path decodes alike."""
    import urllib3

    response = urllib3.HTTPResponse(
        body=io.BytesIO(body),
        headers={"content-encoding": encoding},
        preload_content=False,
        decode_content=True,
    )
    return response.read(decode_content=True) or b""  # DecodeError: translated by the transport
