"""Small shared pieces of the resource modules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, Mapping, Optional, Type, TypeVar

from openai_core._builder import RequestBuilder, _identity
from openai_core._request import path_segment

if TYPE_CHECKING:
    from openai_core._client import Client

__all__ = ["Resource", "function_tool_param", "message", "path"]

B = TypeVar("B", bound=RequestBuilder[Any])


class Resource:
    """A namespace of operations bound to a client."""

    __slots__ = ("_client",)

    def __init__(self, client: Client) -> None:
        self._client = client

    def _builder(
        self,
        cls: Type[B],
        method: str,
        route: str,
        decode: Callable[[Any], Any],
    ) -> B:
        return cls(client=self._client, method=method, path=route, decode=decode)


def path(template: str, **params: Any) -> str:
    """Fill a path template; each parameter is percent-encoded as one segment.

    Raises:
        ValueError: a parameter is empty (the message names it).
    """
    return template.format(**{name: path_segment(name, value) for name, value in params.items()})


def message(role: str, content: Any, name: Optional[str] = None) -> Dict[str, Any]:
    """A chat message dict."""
    msg: Dict[str, Any] = {"role": role, "content": content}
    if name is not None:
        msg["name"] = name
    return msg


def function_tool_param(tool: Mapping[str, Any]) -> Dict[str, Any]:
    """A tool definition with ``"type": "function"`` added when missing (compat C37)."""
    if not isinstance(tool, Mapping):
        raise TypeError(f"a tool must be a mapping, got {type(tool).__name__}")
    return dict(tool) if "type" in tool else {"type": "function", **tool}


identity = _identity
"""Decode nothing: return the payload as is (the builders' default decoder)."""
