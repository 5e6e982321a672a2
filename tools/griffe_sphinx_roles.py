"""Griffe extension for the docs site: Sphinx roles in docstrings render as code.

The package's docstrings are Google style, with Sphinx cross-reference roles here and there
(``:class:`Timeout```, ``:meth:`FunctionTool.invoke```, ``:func:`~openai_core.to_file```).
Markdown has no such syntax, so each becomes inline code with the name (``~a.b.C`` as ``C``).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:class|func|meth|attr|data|exc|mod|obj|const):`(~?)([^`]+)`")


def _replace(match: re.Match[str]) -> str:
    target = match.group(2)
    if match.group(1):  # ``~a.b.C`` shows as ``C``, as in Sphinx
        target = target.rsplit(".", 1)[-1]
    return f"`{target}`"


class SphinxRoles(griffe.Extension):
    """Rewrites ``:role:`target``` to ```target``` in every docstring."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None and ":`" in obj.docstring.value:
            obj.docstring.value = _ROLE.sub(_replace, obj.docstring.value)
