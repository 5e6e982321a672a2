"""Embeddings.

Unless the caller chooses ``encoding_format``, the request asks for ``"base64"`` (a quarter of
the bytes of JSON floats, and much faster to decode) and the vectors are decoded back to
little-endian float32 lists. Servers that ignore the format and send floats work too.

Source: https://platform.openai.com/docs/api-reference/embeddings
"""

from __future__ import annotations

import array
import base64
import binascii
import sys
from typing import TYPE_CHECKING, Any, Callable, List

from openai_core._builder import RequestBuilder
from openai_core._errors import APIResponseValidationError
from openai_core._generated.resources.embeddings import EmbeddingsCreateBuilder
from openai_core.types.embeddings import CreateEmbeddingResponse

if TYPE_CHECKING:
    from openai_core._request import Request

__all__ = ["EmbeddingCreate", "decode_base64_embedding"]


def decode_base64_embedding(value: str) -> List[float]:
    """Decode a base64 string of little-endian float32 values into a list of floats.

    Raises:
        APIResponseValidationError: not base64, or not a whole number of float32 values.
    """
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise APIResponseValidationError(f"An embedding is not valid base64: {exc}") from None
    if len(raw) % 4:
        raise APIResponseValidationError(
            f"A base64 embedding has {len(raw)} bytes, not a multiple of 4 (float32)"
        )
    floats = array.array("f")
    floats.frombytes(raw)
    if sys.byteorder == "big":  # pragma: no cover - the wire format is little-endian
        floats.byteswap()
    return floats.tolist()


class EmbeddingCreate(EmbeddingsCreateBuilder):
    """``POST /embeddings``; asks for base64 unless ``encoding_format`` is set, and decodes it.

    Source: https://platform.openai.com/docs/api-reference/embeddings/create
    """

    __slots__ = ()

    def _compile(self, *, stream: bool = False, with_auth: bool = False) -> Request:
        if not _has_key(self._body, "encoding_format"):
            return RequestBuilder._compile(
                self._set("encoding_format", "base64"), stream=stream, with_auth=with_auth
            )
        return RequestBuilder._compile(self, stream=stream, with_auth=with_auth)

    def _decoder(self) -> Callable[[Any], CreateEmbeddingResponse]:
        decode: Callable[[Any], CreateEmbeddingResponse] = self._decode
        if _has_key(self._body, "encoding_format"):
            return decode

        def decode_floats(payload: Any) -> CreateEmbeddingResponse:
            if isinstance(payload, dict) and isinstance(payload.get("data"), list):
                for item in payload["data"]:
                    if isinstance(item, dict) and isinstance(item.get("embedding"), str):
                        item["embedding"] = decode_base64_embedding(item["embedding"])
            return decode(payload)

        return decode_floats


def _has_key(body: Any, key: str) -> bool:
    return isinstance(body, dict) and key in body
