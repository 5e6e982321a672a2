"""Griffe extension for the docs site: Sphinx roles and grouped parameters in docstrings.

The package's docstrings are Google style, with Sphinx cross-reference roles here and there
(``:class:`Timeout```, ``:meth:`FunctionTool.invoke```, ``:func:`~openai_core.to_file```).
Markdown has no such syntax, so each becomes inline code with the name (``~a.b.C`` as ``C``).
An ``Args:`` entry naming several parameters at once (``organization, project: ...``) becomes
one entry per parameter with the same description, so each gets its type and default.
"""

from __future__ import annotations

import re
from typing import Any, List, Optional

import griffe

_ROLE = re.compile(r":(?:class|func|meth|attr|data|exc|mod|obj|const):`(~?)([^`]+)`")


def _replace(match: re.Match[str]) -> str:
    target = match.group(2)
    if match.group(1):  # ``~a.b.C`` shows as ``C``, as in Sphinx
        target = target.rsplit(".", 1)[-1]
    return f"`{target}`"


_ARGS_HEADERS = {"Args:", "Arguments:", "Parameters:", "Params:"}
_GROUPED = re.compile(r"^(\s+)(\w+(?:, \w+)+): (.*)$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _split_grouped_args(text: str) -> str:
    lines = text.split("\n")
    out: List[str] = []
    section: Optional[int] = None  # indentation of the current Args: header
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.strip() in _ARGS_HEADERS:
            section = _indent(line)
            out.append(line)
            continue
        if section is not None and line.strip() and _indent(line) <= section:
            section = None
        match = _GROUPED.match(line) if section is not None else None
        if match is None:
            out.append(line)
            continue
        indent, names, description = match.groups()
        more: List[str] = []
        while i < len(lines) and lines[i].strip() and _indent(lines[i]) > len(indent):
            more.append(lines[i])
            i += 1
        for name in names.split(", "):
            out.append(f"{indent}{name}: {description}")
            out.extend(more)
    return "\n".join(out)


class SphinxRoles(griffe.Extension):
    """Rewrites ``:role:`target``` to ```target``` and splits grouped ``Args:`` entries."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is None:
            return
        value = obj.docstring.value
        if ":`" in value:
            value = _ROLE.sub(_replace, value)
        if ", " in value:
            value = _split_grouped_args(value)
        obj.docstring.value = value
