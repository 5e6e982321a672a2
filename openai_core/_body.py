"""Request bodies other than JSON: what a builder's ``_request_kind`` turns its fields into.

``"json"`` bodies stay Python values (the client encodes them); ``"multipart"`` bodies become
``multipart/form-data`` bytes (see :mod:`openai_core._files`); ``"sdp"`` bodies are the SDP offer
text as ``application/sdp``; ``"none"`` sends no body at all. A :class:`RawBody` set with
``RequestBuilder._set_raw_body`` is sent as given whatever the kind.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Tuple

import attrs

from openai_core._request import FormField

__all__ = ["REQUEST_KINDS", "RawBody", "encode_body"]

REQUEST_KINDS = ("json", "multipart", "sdp", "none")


@attrs.frozen(kw_only=True)
class RawBody:
    """A request body sent as given, from ``RequestBuilder._set_raw_body``.

    Attributes:
        content: The body bytes.
        content_type: Its ``Content-Type``.
    """

    content: bytes = attrs.field(repr=False)
    content_type: str


def encode_body(
    kind: str, body: Any, *, part_content_types: Mapping[str, str]
) -> Tuple[Any, Optional[bytes], Optional[str], Tuple[FormField, ...]]:
    """Encode ``body`` for request kind ``kind``.

    Returns:
        ``(json_body, content, content_type, form)``: the JSON value for the client to encode
        (``None`` unless ``kind`` is ``"json"``), or the encoded bytes with their content type,
        plus the multipart parts for ``to_curl()``.

    Raises:
        ValueError: an unknown kind, an SDP request without an offer, or a value a form cannot
            carry.
    """
    if kind not in REQUEST_KINDS:
        raise ValueError(f"unknown request kind {kind!r}; expected one of {REQUEST_KINDS}")
    if isinstance(body, RawBody):
        return None, body.content, body.content_type, ()
    if kind == "multipart":
        from openai_core._files import encode_multipart

        content, content_type, form = encode_multipart(
            body or {}, part_content_types=part_content_types
        )
        return None, content, content_type, form
    if kind == "sdp":
        return None, _sdp_offer(body), "application/sdp", ()
    return (None if kind == "none" else body), None, None, ()


def _sdp_offer(body: Any) -> bytes:
    """The SDP text: a string or bytes set with ``body_value()``, or the body's ``sdp`` field."""
    if isinstance(body, Mapping):
        body = body.get("sdp")
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    raise ValueError("this operation sends an SDP offer: set it as a string (.sdp(offer))")
