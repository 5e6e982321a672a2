"""What the chat and Responses parse builders share: the ``parse_type`` and
``structured_output_mode`` fields, mode resolution (explicit setter, then the provider-profile
hook, then ``"json_schema"``), and promoting a ``create()`` builder into a parse builder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, Optional, Type, TypeVar, cast

import attrs

from openai_core.lib._structured import StructuredOutput, StructuredOutputMode, check_mode

if TYPE_CHECKING:
    from typing_extensions import Self

    from openai_core._client import Client

__all__ = [
    "ParseBuilderFields",
    "parse_type_field",
    "profile_structured_output_mode",
    "promote",
]

T = TypeVar("T")
B = TypeVar("B")


def profile_structured_output_mode(client: Client) -> Optional[str]:
    """The structured-output mode a provider profile asks for, or ``None``.

    The hook for provider profiles (compat C36): a profile object set on the client's config as
    ``provider_profile`` with a ``structured_output_mode`` attribute (for example
    ``"json_object_schema"`` for llama-cpp-python's server) chooses the mode of every parse
    request that does not set one explicitly (see ``Client.for_provider`` and
    ``openai_core.lib.providers``). Without a profile this returns ``None`` and requests use
    ``"json_schema"``.
    """
    profile = getattr(client.config, "provider_profile", None)
    mode = getattr(profile, "structured_output_mode", None)
    return check_mode(mode) if isinstance(mode, str) else None


def parse_type_field() -> Any:
    """The attrs field holding the type given to ``parse()`` (declared by each parse builder,
    with ``_structured_output_mode`` and ``_schema_name``, both ``None`` by default)."""
    return attrs.field(default=None, repr=False)


class ParseBuilderFields(Generic[T]):
    """Setters and helpers of a parse builder (mixed into the chat / Responses ones, which
    declare the fields ``_parse_type``, ``_structured_output_mode`` and ``_schema_name``)."""

    __slots__ = ()

    if TYPE_CHECKING:
        _client: Client
        _parse_type: Any
        _structured_output_mode: Optional[str]
        _schema_name: Optional[str]

    def structured_output_mode(self, mode: StructuredOutputMode) -> Self:
        """How to ask the server for structured output (compat C36).

        ``"json_schema"`` (default; OpenAI and most servers), ``"json_object_schema"``
        (llama-cpp-python: ``{"type": "json_object", "schema": ...}``), ``"guided_json"``
        (older vLLM: a top-level ``guided_json`` field) or ``"prompt"`` (the schema in a system
        message; ``send()`` retries once when the output does not validate).

        Raises:
            ValueError: an unknown mode.
        """
        return cast("Self", attrs.evolve(cast(Any, self), structured_output_mode=check_mode(mode)))

    def schema_name(self, name: str) -> Self:
        """The schema ``name`` sent (default: the class name, or a raw schema's ``title``)."""
        if not isinstance(name, str) or not name:
            raise ValueError("schema_name() takes a non-empty string")
        return cast("Self", attrs.evolve(cast(Any, self), schema_name=name))

    def _output(self) -> StructuredOutput[T]:
        """The compiled output spec (raises ``StrictSchemaError`` for unsupported types)."""
        return StructuredOutput.of(self._parse_type, self._schema_name)

    def _mode(self) -> str:
        return (
            self._structured_output_mode
            or profile_structured_output_mode(self._client)
            or "json_schema"
        )


def promote(base: Any, cls: Type[B], **fields: Any) -> B:
    """Build a ``cls`` (a subclass of ``type(base)``'s builder) from ``base``'s fields plus
    ``fields``, so the path and decoder stay those of the generated ``create()``."""
    values = {a.alias: getattr(base, a.name) for a in attrs.fields(type(base)) if a.init}
    return cls(**values, **fields)
