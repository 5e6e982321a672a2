"""Audio round trip: text to speech, then the speech back to text, and compare.

    OPENAI_API_KEY=sk-... python examples/audio_round_trip.py "The quick brown fox."

In CI it runs against the spec-driven mock: the bytes and the transcript are placeholders, so
the comparison is printed, not asserted.
"""

from __future__ import annotations

import sys
from typing import Any

from openai_core import Client


def text_of(transcription: Any) -> Any:
    """The transcript's text (a lenient client keeps an undecodable body as a dict)."""
    if isinstance(transcription, dict):
        return transcription.get("text")
    return transcription.text


def main() -> int:
    sentence = " ".join(sys.argv[1:]) or "The quick brown fox jumped over the lazy dog."
    with Client(timeout=60, max_retries=1) as client:
        speech = (
            client.audio()
            .speech()
            .create()
            .model("gpt-4o-mini-tts")
            .voice("alloy")
            .input(sentence)
            .response_format("wav")
            .send()
        )
        audio = speech.content
        print(f"speech: {len(audio)} bytes ({speech.content_type})")
        transcript = (
            client.audio()
            .transcriptions()
            .create()
            .file(("speech.wav", audio))
            .model("gpt-4o-transcribe")
            .send()
        )
    print(f"said:  {sentence!r}")
    print(f"heard: {text_of(transcript)!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
