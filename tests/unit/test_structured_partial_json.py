"""The partial-JSON parser behind ``parsed_partial`` (openai_core.lib._partial_json).

Consistency, as the module documents it: the value of a prefix of a JSON document is a *prefix
value* of the document's value (``is_prefix_value`` below):

- a string is a prefix value of a string that starts with it;
- a list ``p`` is one of a list ``f`` when ``len(p) <= len(f)``, every item but the last equals
  the item of ``f`` at the same position, and the last is a prefix value of its counterpart;
- a dict ``p`` is one of a dict ``f`` when its keys are the first ``len(p)`` keys of ``f`` in
  order, every value but the last equals ``f``'s, and the last is a prefix value of ``f``'s;
- any other value (numbers, booleans, null) only of an equal value of the same type;
- at the top level, ``None`` (nothing has arrived) is a prefix value of anything.

Properties (hypothesis): every prefix of every serialisation of any object or array parses to a
prefix value of the full value, and the whole text parses to exactly ``json.loads(text)``;
prefixes of top-level scalars are ``None``, cut-short strings, or (numbers) the value of the
prefix itself; arbitrary text and mutated documents raise nothing but ``PartialJSONError``.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openai_core.lib._partial_json import PartialJSONError, parse_partial_json

pytestmark = pytest.mark.timeout(120)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=6), inner, max_size=5)
    ),
    max_leaves=25,
)
containers = st.lists(values, max_size=5) | st.dictionaries(st.text(max_size=6), values, max_size=5)
dumps_options = st.sampled_from(
    [
        {},
        {"ensure_ascii": False},
        {"indent": 2},
        {"separators": (",", ":")},
        {"ensure_ascii": False, "indent": 1, "separators": (" , ", " : ")},
    ]
)


def same(a: Any, b: Any) -> bool:
    """Equality that tells ``True`` from ``1`` and ``1`` from ``1.0``."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return bool(a == b)


def is_prefix_value(p: Any, f: Any) -> bool:
    if isinstance(f, str):
        return isinstance(p, str) and f.startswith(p)
    if isinstance(f, list):
        if not isinstance(p, list) or len(p) > len(f):
            return False
        if not p:
            return True
        last = len(p) - 1
        return all(same(x, y) for x, y in zip(p[:last], f)) and is_prefix_value(p[last], f[last])
    if isinstance(f, dict):
        if not isinstance(p, dict) or list(p) != list(f)[: len(p)]:
            return False
        keys = list(p)
        if not keys:
            return True
        return all(same(p[k], f[k]) for k in keys[:-1]) and is_prefix_value(
            p[keys[-1]], f[keys[-1]]
        )
    return same(p, f)


@SETTINGS
@given(containers, dumps_options)
def test_every_prefix_of_a_document_is_a_prefix_value(doc: Any, options: Any) -> None:
    text = json.dumps(doc, **options)
    full = json.loads(text)
    for end in range(len(text)):
        value = parse_partial_json(text[:end])
        assert value is None or is_prefix_value(value, full), (text[:end], value)
    assert same(parse_partial_json(text), full)
    assert same(parse_partial_json(text + " \n"), full)


@SETTINGS
@given(scalars, dumps_options)
def test_prefixes_of_top_level_scalars(doc: Any, options: Any) -> None:
    text = json.dumps(doc, **options)
    full = json.loads(text)
    for end in range(len(text)):
        value = parse_partial_json(text[:end])
        if value is None:
            continue
        if isinstance(full, (int, float)) and not isinstance(full, bool):
            # A bare top-level number is returned once valid; it may still grow (documented).
            assert same(value, json.loads(text[:end]))
        else:
            assert is_prefix_value(value, full), (text[:end], value)
    assert same(parse_partial_json(text), full)


@SETTINGS
@given(st.text(max_size=60))
def test_arbitrary_text_raises_only_the_documented_error(text: str) -> None:
    with contextlib.suppress(PartialJSONError):
        parse_partial_json(text)


@SETTINGS
@given(containers, st.data())
def test_mutated_documents_raise_only_the_documented_error(doc: Any, data: Any) -> None:
    text = json.dumps(doc)
    position = data.draw(st.integers(min_value=0, max_value=len(text)))
    junk = data.draw(st.text(alphabet='{}[]",:\\ tfnu0123456789.eE-+x\x00\n', max_size=4))
    cut = data.draw(st.integers(min_value=0, max_value=3))
    mutated = text[:position] + junk + text[position + cut :]
    for end in (len(mutated), len(mutated) // 2):
        with contextlib.suppress(PartialJSONError):
            parse_partial_json(mutated[:end])


@SETTINGS
@given(st.integers(min_value=1, max_value=300), st.sampled_from(["[", '{"a":']))
def test_nesting_beyond_max_depth_raises_the_documented_error(depth: int, opener: str) -> None:
    text = opener * (depth + 1)
    with pytest.raises(PartialJSONError, match="max_depth"):
        parse_partial_json(text, max_depth=depth)
    assert parse_partial_json(opener * depth, max_depth=depth) is not None


def test_size_bound() -> None:
    with pytest.raises(PartialJSONError, match="max_size"):
        parse_partial_json("[" + "1," * 100, max_size=50)


def test_very_deep_input_with_the_default_bound_is_refused_not_a_recursion_error() -> None:
    with pytest.raises(PartialJSONError):
        parse_partial_json("[" * 100_000)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('{"a": "x\\u00', {"a": "x"}),
        ('{"a": "\\ud83d', {"a": ""}),
        ('{"a": "\\ud83d\\ude00', {"a": "\U0001f600"}),
        ('{"a": "b\\\\', {"a": "b\\"}),
        ('{"a": 1.', {}),
        ('{"a": -', {}),
        ('{"a": 1e5, "b": fa', {"a": 100000.0}),
        ("[1, 2, [3, {", [1, 2, [3, {}]]),
        ("  ", None),
    ],
)
def test_examples(text: str, value: Any) -> None:
    assert same(parse_partial_json(text), value)


@pytest.mark.parametrize(
    "text", ['{"a": "\\x"}', "[1,]", '{"a" 1}', "01", "[1 2]", '{"a":1}}', "NaN", '"\x01"']
)
def test_invalid_json_is_refused(text: str) -> None:
    with pytest.raises(PartialJSONError):
        parse_partial_json(text)
