"""A second reader for small bands of a page: PP-OCRv4 detection + recognition (RapidOCR).

Tesseract is trained on print and reads digits written by hand into a printed blank as junk
("Số: 2d /CT-CS"). PaddleOCR's PP-OCRv4 models read handwriting far better, but they know no
Vietnamese tone marks and take seconds on a whole page, so sohoa uses them only on the band
around a span Tesseract could not read, and only for its digits (``classify.fields.fillins``).
The models ship inside the ``rapidocr_onnxruntime`` wheel: nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Protocol

import numpy as np
from PIL import Image

# Detection on a band scaled so its longer side is at most this: a band is a line or two of
# text, and the wheel's default (the shorter side scaled *up* to 736 px) costs ~1 s a band.
DETECT_MAX_SIDE = 960


@dataclass(frozen=True)
class TextBox:
    """One run of text found in a band; ``box`` is (left, top, width, height) in band pixels."""

    text: str
    confidence: float
    box: tuple[int, int, int, int]


class BandReader(Protocol):
    """Finds and reads the text in a small image (a band of a page)."""

    @property
    def version(self) -> str: ...

    def read(self, band: Image.Image) -> tuple[TextBox, ...]: ...


class RapidOcrBandReader:
    """RapidOCR with the bundled PP-OCRv4 models, one thread, no angle classifier."""

    def __init__(self) -> None:
        from rapidocr_onnxruntime import RapidOCR  # onnxruntime loads only when first needed

        self._engine: Any = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1,
                                     det_limit_type="max", det_limit_side_len=DETECT_MAX_SIDE)
        # RapidOCR.__call__ sets attributes on the engine, so calls are serialised.
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        return f"rapidocr-onnxruntime {metadata.version('rapidocr_onnxruntime')} PP-OCRv4"

    def read(self, band: Image.Image) -> tuple[TextBox, ...]:
        pixels = np.asarray(band.convert("RGB"))[:, :, ::-1]  # RapidOCR expects BGR
        with self._lock:
            found, _ = self._engine(np.ascontiguousarray(pixels), use_cls=False)
        return tuple(_text_box(points, text, score) for points, text, score in found or ())


def _text_box(points: list[list[float]], text: str, score: float) -> TextBox:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    left, top = int(min(xs)), int(min(ys))
    return TextBox(text, float(score), (left, top, int(max(xs)) - left, int(max(ys)) - top))


@functools.cache
def default_band_reader() -> RapidOcrBandReader:
    """Loaded once per process, on the first page that needs it (about 0.3 s, ~60 MB)."""
    return RapidOcrBandReader()
