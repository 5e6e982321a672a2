"""openai_core: a builder-style SDK for the OpenAI API and compatible servers."""

from openai_core._version import __version__

__all__ = ["__version__"]
