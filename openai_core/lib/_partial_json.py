"""A parser for prefixes of JSON documents, for snapshots of structured output while it streams.

:func:`parse_partial_json` returns what is known so far of a JSON document of which ``text`` is
a prefix. The result is a **prefix value** of the document's final value:

- a complete scalar (``true``, ``false``, ``null``, a number) is the final scalar; an
  unfinished one (``tr``, ``-1.`` or a number that may still grow) is left out;
- a string may be cut short: the final string starts with it (an escape sequence that has not
  fully arrived, including the first half of a surrogate pair, is left out);
- an object holds the first keys of the final object, in order, each with its final value except
  the last one, which is a prefix value of its final value; a key whose value has not started
  (or is an unfinished scalar) is left out;
- an array holds the first items of the final array, all final except the last, which is a
  prefix value of its final item;
- ``None`` when nothing of the value has arrived (empty or blank text, or an unfinished scalar at
  the top level).

A number at the top level is returned as soon as it is a valid number (``"12"`` gives ``12``
although ``"123"`` may follow): only a bare top-level number can grow after that.

Anything else raises :class:`PartialJSONError` and nothing else: text that is not a prefix of any
JSON document, nesting deeper than ``max_depth`` (default 128), or text longer than
``max_size`` characters (default 8 MiB). Strings are decoded by the C scanner of the ``json``
module and numbers by one regular expression, so a prefix parses in linear time.
"""

from __future__ import annotations

import json.decoder
import re
from typing import Any, Callable, Dict, List, Tuple

from openai_core._errors import OpenAIError

__all__ = ["DEFAULT_MAX_DEPTH", "DEFAULT_MAX_SIZE", "PartialJSONError", "parse_partial_json"]

DEFAULT_MAX_DEPTH = 128
"""Default bound on nesting (objects and arrays) of :func:`parse_partial_json`."""
DEFAULT_MAX_SIZE = 8 * 1024 * 1024
"""Default bound on the length of the text (characters) of :func:`parse_partial_json`."""
_DEPTH_LIMIT = 300  # two Python frames per level stay far below the interpreter's limit


class PartialJSONError(OpenAIError, ValueError):
    """The text is not a prefix of a JSON document, or exceeds the depth or size bound.

    Attributes:
        position: Index in the text where the problem was found.
    """

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position})")
        self.position = position


_ABSENT: Any = object()
_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
# The longest prefix of a number that can still become a valid number.
_NUMBER_PREFIX = re.compile(
    r"-?(?:(?:0|[1-9][0-9]*)(?:\.(?:[0-9]+(?:[eE][-+]?[0-9]*)?)?|[eE][-+]?[0-9]*)?)?"
)
_LITERALS = {"t": ("true", True), "f": ("false", False), "n": ("null", None)}
_TRAILING_ESCAPE = re.compile(r"(\\+)(u[0-9a-fA-F]{0,3})?\Z")
_TRAILING_HIGH_SURROGATE = re.compile(r"(\\+)u[dD][89abAB][0-9a-fA-F]{2}\Z")
_scanstring: Callable[[str, int, bool], Tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


def parse_partial_json(
    text: str, *, max_depth: int = DEFAULT_MAX_DEPTH, max_size: int = DEFAULT_MAX_SIZE
) -> Any:
    """The value known so far of the JSON document ``text`` is a prefix of (see the module).

    Args:
        text: A prefix of a JSON document (a complete document included).
        max_depth: Deepest nesting of objects and arrays accepted (1 to 300).
        max_size: Longest text accepted, in characters.

    Raises:
        PartialJSONError: ``text`` is not a prefix of any JSON document, nests deeper than
            ``max_depth``, or is longer than ``max_size``.
        ValueError: ``max_depth`` or ``max_size`` out of range; TypeError: ``text`` not a str.

    Examples:
        >>> parse_partial_json('{"name": "Ada Lov')
        {'name': 'Ada Lov'}
        >>> parse_partial_json('{"tags": ["a", "b"], "age": 3')
        {'tags': ['a', 'b']}
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_partial_json() takes a str, got {type(text).__name__}")
    if not 1 <= max_depth <= _DEPTH_LIMIT:
        raise ValueError(f"max_depth must be between 1 and {_DEPTH_LIMIT}, got {max_depth}")
    if max_size < 0:
        raise ValueError(f"max_size must be >= 0, got {max_size}")
    if len(text) > max_size:
        raise PartialJSONError(f"the text is longer than max_size={max_size}", max_size)
    parser = _Parser(text, max_depth)
    try:
        return parser.document()
    except RecursionError:  # only when called from an already deep stack
        raise PartialJSONError("the text nests too deeply for the stack", 0) from None


class _Parser:
    __slots__ = ("max_depth", "n", "s")

    def __init__(self, text: str, max_depth: int) -> None:
        self.s = text
        self.n = len(text)
        self.max_depth = max_depth

    def document(self) -> Any:
        s, n = self.s, self.n
        i = _WS.match(s, 0).end()  # type: ignore[union-attr]
        if i >= n:
            return None
        if s[i] in "-0123456789":
            number = _NUMBER.match(s, i)
            if number is not None and _WS.match(s, number.end()).end() == n:  # type: ignore[union-attr]
                return _to_number(number.group(), i)
        value, end, complete = self.value(i, 0)
        if complete:
            end = _WS.match(s, end).end()  # type: ignore[union-attr]
            if end < n:
                raise PartialJSONError("unexpected text after the JSON value", end)
        return None if value is _ABSENT else value

    def value(self, i: int, depth: int) -> Tuple[Any, int, bool]:
        """``(value or _ABSENT, end, complete)`` of the value starting at ``i`` (not blank)."""
        s, n = self.s, self.n
        if i >= n:
            return _ABSENT, n, False
        c = s[i]
        if c == '"':
            return self.string(i)
        if c == "{":
            return self.object(i, depth + 1)
        if c == "[":
            return self.array(i, depth + 1)
        if c in _LITERALS:
            word, literal = _LITERALS[c]
            if s.startswith(word, i):
                return literal, i + len(word), True
            rest = s[i : i + len(word)]
            if i + len(rest) == n and word.startswith(rest):
                return _ABSENT, n, False
            raise PartialJSONError(f"invalid literal (expected {word!r})", i)
        if c == "-" or "0" <= c <= "9":
            prefix = _NUMBER_PREFIX.match(s, i)
            end = prefix.end() if prefix is not None else i
            if end == n:
                return _ABSENT, n, False  # may still grow
            number = _NUMBER.match(s, i)
            if number is None or number.end() != end:
                raise PartialJSONError("invalid number", i)
            return _to_number(number.group(), i), end, True
        raise PartialJSONError(f"unexpected character {c!r}", i)

    def string(self, i: int) -> Tuple[Any, int, bool]:
        try:
            text, end = _scanstring(self.s, i + 1, True)
            return text, end, True
        except json.decoder.JSONDecodeError as exc:
            failure = exc
        tail = self.s[i + 1 :]
        escape = _TRAILING_ESCAPE.search(tail)
        if escape is not None and len(escape.group(1)) % 2 == 1:
            tail = tail[: escape.start() + len(escape.group(1)) - 1]
        surrogate = _TRAILING_HIGH_SURROGATE.search(tail)
        if surrogate is not None and len(surrogate.group(1)) % 2 == 1:
            tail = tail[:-6]
        try:
            text, _ = _scanstring(tail + '"', 0, True)
        except json.decoder.JSONDecodeError:
            raise PartialJSONError(f"invalid string: {failure.msg}", failure.pos) from None
        return text, self.n, False

    def object(self, i: int, depth: int) -> Tuple[Any, int, bool]:
        if depth > self.max_depth:
            raise PartialJSONError(f"nesting deeper than max_depth={self.max_depth}", i)
        s, n = self.s, self.n
        out: Dict[str, Any] = {}
        i = _WS.match(s, i + 1).end()  # type: ignore[union-attr]
        if i < n and s[i] == "}":
            return out, i + 1, True
        while True:
            if i >= n:
                return out, n, False
            if s[i] != '"':
                raise PartialJSONError("expected a property name in double quotes", i)
            key, i, complete = self.string(i)
            if not complete:
                return out, n, False
            i = _WS.match(s, i).end()  # type: ignore[union-attr]
            if i >= n:
                return out, n, False
            if s[i] != ":":
                raise PartialJSONError("expected ':' after a property name", i)
            i = _WS.match(s, i + 1).end()  # type: ignore[union-attr]
            value, i, complete = self.value(i, depth)
            if value is not _ABSENT:
                out[key] = value
            if not complete:
                return out, n, False
            i = _WS.match(s, i).end()  # type: ignore[union-attr]
            if i >= n:
                return out, n, False
            if s[i] == "}":
                return out, i + 1, True
            if s[i] != ",":
                raise PartialJSONError("expected ',' or '}' in an object", i)
            i = _WS.match(s, i + 1).end()  # type: ignore[union-attr]

    def array(self, i: int, depth: int) -> Tuple[Any, int, bool]:
        if depth > self.max_depth:
            raise PartialJSONError(f"nesting deeper than max_depth={self.max_depth}", i)
        s, n = self.s, self.n
        out: List[Any] = []
        i = _WS.match(s, i + 1).end()  # type: ignore[union-attr]
        if i < n and s[i] == "]":
            return out, i + 1, True
        while True:
            value, i, complete = self.value(i, depth)
            if value is not _ABSENT:
                out.append(value)
            if not complete:
                return out, n, False
            i = _WS.match(s, i).end()  # type: ignore[union-attr]
            if i >= n:
                return out, n, False
            if s[i] == "]":
                return out, i + 1, True
            if s[i] != ",":
                raise PartialJSONError("expected ',' or ']' in an array", i)
            i = _WS.match(s, i + 1).end()  # type: ignore[union-attr]


def _to_number(text: str, position: int) -> Any:
    try:
        if "." in text or "e" in text or "E" in text:
            return float(text)
        return int(text)
    except ValueError as exc:  # more digits than int() converts (sys.set_int_max_str_digits)
        raise PartialJSONError(f"number not convertible: {exc}", position) from None
