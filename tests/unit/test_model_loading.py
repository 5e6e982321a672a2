"""The generated models load lazily: a namespace module (``openai_core._generated.models.chat``)
exports every name but imports nothing until a name is used, and a model loads with only the
classes it refers to (its implementation module in ``openai_core._generated.models._m``)."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import attrs

from openai_core._generated import models

ROOT = Path(__file__).resolve().parents[2]

CHAT_COMPLETION = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "hi", "refusal": None},
            "logprobs": None,
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}


def run(script: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_namespace_module_imports_no_model_until_one_is_used() -> None:
    out = run(
        "import sys\n"
        "import openai_core._generated.models.shared as shared\n"
        "print(sum(m.startswith('openai_core._generated.models._m.') for m in sys.modules))\n"
        "shared.CompletionUsage\n"
        "print(sum(m.startswith('openai_core._generated.models._m.') for m in sys.modules))\n"
    )
    before, after = map(int, out.split())
    assert before == 0 and 1 <= after <= 3


def test_decoding_a_chat_completion_loads_only_the_models_it_needs() -> None:
    out = run(
        "import json, sys, attrs\n"
        "from openai_core._convert import from_dict\n"
        "from openai_core._generated.models.chat import CreateChatCompletionResponse as C\n"
        f"c = from_dict(json.loads({json.dumps(json.dumps(CHAT_COMPLETION))}), C)\n"
        "assert c.choices[0].message.content == 'hi'\n"
        "prefix = 'openai_core._generated.models._m.'\n"
        "loaded = [m for n, m in sys.modules.items() if n.startswith(prefix)]\n"
        "print(sum(attrs.has(v) for m in loaded for v in vars(m).values()\n"
        "          if isinstance(v, type) and v.__module__ == m.__name__))\n"
    )
    assert int(out) < 60  # of about 1,800; the per-namespace modules loaded 401


def test_every_exported_name_resolves_from_its_namespace_module() -> None:
    for name, namespace in models.MODULES.items():
        module = importlib.import_module(f"openai_core._generated.models.{namespace}")
        assert name in module.__all__ and name in dir(module)
        value = getattr(module, name)
        assert models.model(name) is value
        if isinstance(value, type) and attrs.has(value):
            home = sys.modules[value.__module__]
            assert value.__module__.startswith("openai_core._generated.models._m.")
            assert getattr(home, value.__qualname__) is value  # importable, so picklable
