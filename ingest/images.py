"""Open uploaded image bytes with Pillow, including HEIC/HEIF phone photos (pillow-heif).

The HEIF opener is registered on first use, not at import. Pillow's own decompression-bomb
check (``Image.MAX_IMAGE_PIXELS``) applies to every format; intake checks the page size against
the configured cap from the header before any pixel is decoded.
"""

from __future__ import annotations

import io
from functools import cache

from PIL import Image


@cache
def register_formats() -> None:
    """Let Pillow open (and save, for tests) HEIC/HEIF; idempotent."""
    from pillow_heif import register_heif_opener

    # No thumbnails or depth maps: only the primary picture is a page.
    register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)


def open_image(data: bytes) -> Image.Image:
    """A lazily decoded Pillow image of ``data`` (any format intake accepts)."""
    register_formats()
    return Image.open(io.BytesIO(data))
