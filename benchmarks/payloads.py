"""Canned, realistic payloads for the benchmark server.

Writes into an output directory (default ``benchmarks/.work/www``):

* ``chat.json``    - a non-streamed ``chat.completion`` object;
* ``stream.sse``   - a server-sent-event chat stream: one role chunk, content
  chunks, one finish chunk and one usage chunk (``STREAM_EVENTS`` JSON events in
  all), then ``data: [DONE]``;
* ``responses.json`` - a non-streamed Responses ``response`` object (one message
  output item with ``output_text``, usage, ...);
* ``responses_stream.sse`` - a ``RESPONSES_EVENTS``-event Responses stream
  (``event:`` + ``data:`` frames: created, in_progress, output_item.added,
  content_part.added, the ``response.output_text.delta`` events, then
  output_text.done, content_part.done, output_item.done, completed);
* ``embeddings_float.json`` / ``embeddings_base64.json`` - a 64 x 1536
  ``list`` of embeddings, as JSON floats and as base64 of little-endian float32;
* ``expected.json`` - what a client must decode from them (completion text,
  concatenated stream text, number of stream events, Responses text, first
  values of the embeddings).

Everything is deterministic (fixed seed), so runs are comparable.

Usage: ``python benchmarks/payloads.py [--out DIR]``
"""

from __future__ import annotations

import argparse
import array
import base64
import json
import random
import sys
from pathlib import Path
from typing import Any, Dict, List

STREAM_EVENTS = 2000
RESPONSES_EVENTS = 2000
EMBEDDINGS = 64
DIMENSIONS = 1536
EMBEDDING_MODEL = "text-embedding-3-small"
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


# --------------------------------------------------------------------------- responses

RESPONSE_ID = "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b"
ITEM_ID = "msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b"


def response_object(text: str, output_tokens: int, status: str = "completed") -> Dict[str, Any]:
    done = status == "completed"
    return {
        "id": RESPONSE_ID,
        "object": "response",
        "created_at": CREATED,
        "status": status,
        "background": False,
        "completed_at": CREATED + 2 if done else None,
        "error": None,
        "incomplete_details": None,
        "instructions": None,
        "max_output_tokens": None,
        "max_tool_calls": None,
        "model": "gpt-4.1-2025-04-14",
        "output": [
            {
                "type": "message",
                "id": ITEM_ID,
                "status": "completed",
                "role": "assistant",
                "content": [
                    {"type": "output_text", "annotations": [], "logprobs": [], "text": text}
                ],
            }
        ]
        if done
        else [],
        "parallel_tool_calls": True,
        "previous_response_id": None,
        "prompt_cache_key": None,
        "reasoning": {"effort": None, "summary": None},
        "safety_identifier": None,
        "service_tier": "default",
        "store": True,
        "temperature": 1.0,
        "text": {"format": {"type": "text"}, "verbosity": "medium"},
        "tool_choice": "auto",
        "tools": [],
        "top_logprobs": 0,
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": {
            "input_tokens": 36,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": output_tokens,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": 36 + output_tokens,
        }
        if done
        else None,
        "user": None,
        "metadata": {},
    }


def responses_events(rng: random.Random, events: int = RESPONSES_EVENTS) -> List[Dict[str, Any]]:
    """``events`` Responses stream events; ``events - 8`` of them are text deltas."""
    tokens = _tokens(rng, events - 8)
    text = "".join(tokens)
    item_open = {
        "id": ITEM_ID,
        "type": "message",
        "status": "in_progress",
        "content": [],
        "role": "assistant",
    }
    part_open = {"type": "output_text", "annotations": [], "logprobs": [], "text": ""}
    part_done = dict(part_open, text=text)
    item_done = dict(item_open, status="completed", content=[part_done])
    pending = response_object("", 0, status="in_progress")
    out: List[Dict[str, Any]] = [
        {"type": "response.created", "response": pending},
        {"type": "response.in_progress", "response": pending},
        {"type": "response.output_item.added", "output_index": 0, "item": item_open},
        {
            "type": "response.content_part.added",
            "item_id": ITEM_ID,
            "output_index": 0,
            "content_index": 0,
            "part": part_open,
        },
    ]
    for tok in tokens:
        out.append(
            {
                "type": "response.output_text.delta",
                "item_id": ITEM_ID,
                "output_index": 0,
                "content_index": 0,
                "delta": tok,
                "logprobs": [],
            }
        )
    out.append(
        {
            "type": "response.output_text.done",
            "item_id": ITEM_ID,
            "output_index": 0,
            "content_index": 0,
            "text": text,
            "logprobs": [],
        }
    )
    out.append(
        {
            "type": "response.content_part.done",
            "item_id": ITEM_ID,
            "output_index": 0,
            "content_index": 0,
            "part": part_done,
        }
    )
    out.append({"type": "response.output_item.done", "output_index": 0, "item": item_done})
    out.append({"type": "response.completed", "response": response_object(text, len(tokens))})
    for seq, event in enumerate(out):
        # sequence_number second, as the API sends it
        event_type = event.pop("type")
        rest = dict(event)
        event.clear()
        event.update({"type": event_type, "sequence_number": seq, **rest})
    return out


def responses_frames(events: List[Dict[str, Any]]) -> List[bytes]:
    """One ``event: TYPE\\ndata: JSON\\n\\n`` frame per event (no ``[DONE]``)."""
    return [f"event: {ev['type']}\ndata: {_dumps(ev)}\n\n".encode() for ev in events]


def responses_stream_text(events: List[Dict[str, Any]]) -> str:
    return "".join(ev["delta"] for ev in events if ev["type"] == "response.output_text.delta")


# --------------------------------------------------------------------------- embeddings


def embedding_vectors(rng: random.Random) -> List[List[float]]:
    """Unit-ish vectors with realistic values (10 significant digits, like the API's)."""
    vectors = []
    for _ in range(EMBEDDINGS):
        vectors.append([float(f"{rng.gauss(0.0, 0.0255):.10g}") for _ in range(DIMENSIONS)])
    return vectors


def float32_le(vector: List[float]) -> bytes:
    packed = array.array("f", vector)
    if sys.byteorder == "big":  # pragma: no cover
        packed.byteswap()
    return packed.tobytes()


def embeddings_body(vectors: List[Any]) -> Dict[str, Any]:
    return {
        "object": "list",
        "data": [
            {"object": "embedding", "index": i, "embedding": vec} for i, vec in enumerate(vectors)
        ],
        "model": EMBEDDING_MODEL,
        "usage": {"prompt_tokens": 8 * EMBEDDINGS, "total_tokens": 8 * EMBEDDINGS},
    }


def _embeddings_json(vectors: List[Any]) -> bytes:
    # The API pretty-prints embeddings responses (two-space indent, one float per line).
    return json.dumps(embeddings_body(vectors), indent=2).encode()


def write_payloads(out: Path) -> Dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20241121)
    chat = chat_completion(rng)
    events = stream_events(rng)
    (out / "chat.json").write_bytes(_dumps(chat).encode())
    (out / "stream.sse").write_bytes(b"".join(sse_frames(events)))
    response = response_object("".join(_tokens(rng, 240)), 240)
    (out / "responses.json").write_bytes(_dumps(response).encode())
    r_events = responses_events(rng)
    (out / "responses_stream.sse").write_bytes(b"".join(responses_frames(r_events)))
    vectors = embedding_vectors(rng)
    (out / "embeddings_float.json").write_bytes(_embeddings_json(vectors))
    b64 = [base64.b64encode(float32_le(v)).decode() for v in vectors]
    (out / "embeddings_base64.json").write_bytes(_embeddings_json(b64))
    rounded = [array.array("f", v[:8]).tolist() for v in vectors]
    expected = {
        "chat_text": chat["choices"][0]["message"]["content"],
        "stream_text": stream_text(events),
        "stream_events": len(events),
        "responses_text": response["output"][0]["content"][0]["text"],
        "responses_stream_text": responses_stream_text(r_events),
        "responses_stream_events": len(r_events),
        "embeddings": {
            "count": EMBEDDINGS,
            "dimensions": DIMENSIONS,
            "float_head": [v[:8] for v in vectors],
            "base64_head": rounded,
        },
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
