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
from typing import TYPE_CHECKING, Any, Callable, List, Optional, Union

import attrs

from openai_core._builder import RequestBuilder
from openai_core._errors import APIResponseValidationError
from openai_core.resources._base import Resource
from openai_core.types.embeddings import CreateEmbeddingResponse

if TYPE_CHECKING:
    from typing_extensions import Self

    from openai_core._request import Request

__all__ = ["EmbeddingCreate", "Embeddings", "decode_base64_embedding"]


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


@attrs.frozen(kw_only=True)
class EmbeddingCreate(RequestBuilder[CreateEmbeddingResponse]):
    """``POST /embeddings``.

    Source: https://platform.openai.com/docs/api-reference/embeddings/create
    """

    def model(self, value: str) -> Self:
        """Model ID."""
        return self._set("model", value)

    def input(self, value: Union[str, List[str], List[int], List[List[int]]]) -> Self:
        """Text(s) or token array(s) to embed."""
        return self._set("input", value)

    def dimensions(self, value: Optional[int]) -> Self:
        """Output dimensions (models that support shortening)."""
        return self._set("dimensions", value)

    def encoding_format(self, value: str) -> Self:
        """``"float"`` or ``"base64"``; when set, vectors are returned exactly as the server sent
        them (a base64 string stays a string)."""
        return self._set("encoding_format", value)

    def user(self, value: Optional[str]) -> Self:
        """End-user identifier."""
        return self._set("user", value)

    def _compile(self, *, stream: bool = False, with_auth: bool = False) -> Request:
        if not _has_key(self._body, "encoding_format"):
            return RequestBuilder._compile(
                self._set("encoding_format", "base64"), stream=stream, with_auth=with_auth
            )
        return RequestBuilder._compile(self, stream=stream, with_auth=with_auth)

    def _decoder(self) -> Callable[[Any], CreateEmbeddingResponse]:
        decode = self._decode
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


class Embeddings(Resource):
    """``client.embeddings()``."""

    __slots__ = ()

    def create(self) -> EmbeddingCreate:
        """``POST /embeddings``."""
        return self._builder(
            EmbeddingCreate,
            "POST",
            "embeddings",
            self._client._decode_model(CreateEmbeddingResponse),
        )
