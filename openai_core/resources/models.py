"""Models: list, retrieve, delete.

Source: https://platform.openai.com/docs/api-reference/models
"""

from __future__ import annotations

from openai_core._builder import RequestBuilder
from openai_core._pagination import ListBuilder
from openai_core.resources._base import Resource, path
from openai_core.types.models import Model
from openai_core.types.shared import DeletedObject

__all__ = ["Models"]


class Models(Resource):
    """``client.models()``."""

    __slots__ = ()

    def list(self) -> ListBuilder[Model]:
        """``GET /models``: every model the server offers (one page)."""
        return self._builder(ListBuilder, "GET", "models", self._client._decode_model(Model))

    def retrieve(self, model: str) -> RequestBuilder[Model]:
        """``GET /models/{model}``."""
        return self._builder(
            RequestBuilder,
            "GET",
            path("models/{model}", model=model),
            self._client._decode_model(Model),
        )

    def delete(self, model: str) -> RequestBuilder[DeletedObject]:
        """``DELETE /models/{model}`` (fine-tuned models you own)."""
        return self._builder(
            RequestBuilder,
            "DELETE",
            path("models/{model}", model=model),
            self._client._decode_model(DeletedObject),
        )
