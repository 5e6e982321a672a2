"""Canned, realistic payloads for the benchmark server.

Writes into an output directory (default ``benchmarks/.work/www``):

* ``chat.json``    - a non-streamed ``chat.completion`` object;
* ``stream.sse``   - a server-sent-event chat stream: one role chunk, content
  chunks, one finish chunk and one usage chunk (``STREAM_EVENTS`` JSON events in
  all), then ``data: [DONE]``;
* ``expected.json`` - what a client must decode from them (completion text,
  concatenated stream text, number of stream events).

Everything is deterministic (fixed seed), so runs are comparable.

Usage: ``python benchmarks/payloads.py [--out DIR]``
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any, Dict, List

STREAM_EVENTS = 2000
MODEL = "gpt-4o-mini-2024-07-18"
FINGERPRINT = "fp_0ba0d124f1"
CREATED = 1732180000

_WORDS = (  # noqa: SIM905
    "the of and to in is that it for as with was on be by this are from or have an "
    "which at but not were can all their has more one been there its also when other "
    "request response stream token model client server latency throughput connection "
    "buffer decode encode payload header session retry timeout schema parse event chunk "
    "benchmark python library function method object value result error status message"
).split()
# A sprinkling of tokens that exercise JSON escapes and non-ASCII decoding.
_SPECIAL = ["\n\n", ",", ".", " —", " café", ' "quoted"', " naïve", " 🙂", "\\", " über", ":"]


def _tokens(rng: random.Random, count: int) -> List[str]:
    out: List[str] = []
    for _ in range(count):
        if rng.random() < 0.12:
            out.append(rng.choice(_SPECIAL))
        else:
            out.append(" " + rng.choice(_WORDS))
    out[0] = out[0].lstrip() or "Hello"
    return out


def _dumps(obj: Any) -> str:
    # OpenAI emits compact JSON with raw UTF-8.
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def _usage(prompt: int, completion: int) -> Dict[str, Any]:
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def chat_completion(rng: random.Random) -> Dict[str, Any]:
    tokens = _tokens(rng, 180)
    return {
        "id": "chatcmpl-AVbench0000000000000000000001",
        "object": "chat.completion",
        "created": CREATED,
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": "".join(tokens),
                    "refusal": None,
                    "annotations": [],
                },
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": _usage(12, len(tokens)),
        "service_tier": "default",
        "system_fingerprint": FINGERPRINT,
    }


def stream_events(rng: random.Random, events: int = STREAM_EVENTS) -> List[Dict[str, Any]]:
    """Return ``events`` chunk objects: role, content..., finish, usage."""
    tokens = _tokens(rng, events - 3)

    def chunk(delta: Dict[str, Any], finish: Any = None) -> Dict[str, Any]:
        return {
            "id": "chatcmpl-AVbench0000000000000000000002",
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": MODEL,
            "service_tier": "default",
            "system_fingerprint": FINGERPRINT,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
            "usage": None,
        }

    out = [chunk({"role": "assistant", "content": "", "refusal": None})]
    out.extend(chunk({"content": tok}) for tok in tokens)
    out.append(chunk({}, "stop"))
    last = chunk({})
    last["choices"] = []
    last["usage"] = _usage(12, len(tokens))
    out.append(last)
    return out


def sse_frames(events: List[Dict[str, Any]]) -> List[bytes]:
    """One ``data: ...\\n\\n`` frame per event, plus the ``[DONE]`` frame."""
    frames = [f"data: {_dumps(ev)}\n\n".encode() for ev in events]
    frames.append(b"data: [DONE]\n\n")
    return frames


def stream_text(events: List[Dict[str, Any]]) -> str:
    parts = []
    for ev in events:
        for choice in ev["choices"]:
            content = choice["delta"].get("content")
            if content:
                parts.append(content)
    return "".join(parts)


def write_payloads(out: Path) -> Dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20241121)
    chat = chat_completion(rng)
    events = stream_events(rng)
    (out / "chat.json").write_bytes(_dumps(chat).encode())
    (out / "stream.sse").write_bytes(b"".join(sse_frames(events)))
    expected = {
        "chat_text": chat["choices"][0]["message"]["content"],
        "stream_text": stream_text(events),
        "stream_events": len(events),
    }
    (out / "expected.json").write_text(json.dumps(expected), encoding="utf-8")
    return expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parent / ".work" / "www"
    parser.add_argument("--out", type=Path, default=default)
    args = parser.parse_args()
    expected = write_payloads(args.out)
    print(f"wrote payloads to {args.out} ({expected['stream_events']} stream events)")


if __name__ == "__main__":
    main()
