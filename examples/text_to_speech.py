"""Text to speech: synthesise speech and stream the audio bytes into a file.

    OPENAI_API_KEY=sk-... python examples/text_to_speech.py speech.mp3

In CI it runs against the spec-driven mock, whose audio bytes are placeholder content.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from openai_core import Client


def main() -> int:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "speech.mp3"
    with Client(timeout=60, max_retries=1) as client:
        audio = (
            client.audio()
            .speech()
            .create()
            .model("gpt-4o-mini-tts")
            .voice("alloy")
            .input("Today is a wonderful day to build something people love!")
            .response_format("mp3")
            .send()
        )
        print(f"content-type: {audio.content_type}")
        audio.write_to_file(target)
    size = target.stat().st_size
    print(f"wrote {size} bytes to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
