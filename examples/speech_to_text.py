"""Speech to text: transcribe an audio file, as JSON and as plain text.

    OPENAI_API_KEY=sk-... python examples/speech_to_text.py recording.mp3

Without an argument it sends a one-second silent WAV generated on the fly. In CI it runs
against the spec-driven mock, whose transcripts are placeholder text.
"""

from __future__ import annotations

import io
import sys
import wave
from pathlib import Path
from typing import Any, Tuple, Union

from openai_core import Client


def text_of(transcription: Any) -> Any:
    """The transcript's text (a lenient client keeps an undecodable body as a dict)."""
    if isinstance(transcription, dict):
        return transcription.get("text")
    return transcription.text


def silent_wav() -> Tuple[str, bytes]:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(b"\0\0" * 16000)
    return ("silence.wav", buffer.getvalue())


def main() -> int:
    audio: Union[Path, Tuple[str, bytes]] = Path(sys.argv[1]) if len(sys.argv) > 1 else silent_wav()
    with Client(timeout=60, max_retries=1) as client:
        transcriptions = client.audio().transcriptions()
        result = transcriptions.create().file(audio).model("gpt-4o-transcribe").send()
        print(f"transcript (json): {text_of(result)!r}")
        text = transcriptions.create().file(audio).model("whisper-1").response_format("text").send()
        print(f"transcript (text): {text!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
