"""MkDocs hook: links from a docs page to repository files outside ``docs/`` point to GitHub.

The pages under ``docs/`` are also read on GitHub, where ``[bench](../benchmarks/README.md)`` or
``[example](../examples/chat.py)`` work as they are. MkDocs only publishes ``docs/``, so
``mkdocs build --strict`` would reject such links; this hook rewrites every relative link that
leaves the docs directory to the file's page in the repository (``repo_url`` in ``mkdocs.yml``),
and leaves every other link to MkDocs' own validation.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

_LINK = re.compile(r"\]\((?P<target>[^)\s#]+)(?P<anchor>#[^)\s]*)?\)")
_BRANCH = "main"


def _repo_link(repo_url: str, src_uri: str, target: str) -> str | None:
    if "://" in target or target.startswith(("/", "mailto:")):
        return None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), target))
    if not path.startswith("../"):
        return None  # inside docs/: MkDocs validates it
    repo_path = path[len("../") :]
    kind = "blob" if posixpath.splitext(repo_path)[1] else "tree"
    return f"{repo_url.rstrip('/')}/{kind}/{_BRANCH}/{repo_path}"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    repo_url = config.get("repo_url")
    if not repo_url:
        return markdown
    src_uri = page.file.src_uri

    def rewrite(match: re.Match[str]) -> str:
        url = _repo_link(repo_url, src_uri, match.group("target"))
        if url is None:
            return match.group(0)
        return f"]({url}{match.group('anchor') or ''})"

    return _LINK.sub(rewrite, markdown)
