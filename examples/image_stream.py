"""Image generation streamed: partial images arrive as events before the final one; each is
base64 PNG data, written to a file.

    OPENAI_API_KEY=sk-... python examples/image_stream.py "A lighthouse at dawn"

In CI it runs against the spec-driven mock: the images are placeholders, and when a server
answers the streamed request with plain JSON (no event stream), the example says so and falls
back to a non-streamed generation.
"""

from __future__ import annotations

import base64
import binascii
import sys
import tempfile
from pathlib import Path
from typing import Any

from openai_core import APIResponseValidationError, Client


def save(b64: Any, target: Path) -> int:
    try:
        data = base64.b64decode(b64 or "", validate=False)
    except (binascii.Error, ValueError):
        data = b""
    target.write_bytes(data)
    return len(data)


def main() -> int:
    prompt = " ".join(sys.argv[1:]) or "A lighthouse at dawn, watercolor"
    out = Path(tempfile.mkdtemp(prefix="images-"))
    with Client(timeout=120, max_retries=1) as client:
        builder = (
            client.images()
            .generate()
            .model("gpt-image-1")
            .prompt(prompt)
            .size("1024x1024")
            .partial_images(2)
        )
        try:
            with builder.stream() as events:
                for i, event in enumerate(events):
                    kind = getattr(event, "type", None) or type(event).__name__
                    size = save(getattr(event, "b64_json", None), out / f"event-{i}.png")
                    print(f"image event: {kind} ({size} bytes)")
            return 0
        except APIResponseValidationError as err:
            print(f"stream: not served as a stream here ({err.message})")
        images = builder.send()
        for i, image in enumerate(images.data or []):
            size = save(image.b64_json, out / f"image-{i}.png")
            print(f"image: {out / f'image-{i}.png'} ({size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
