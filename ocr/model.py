"""Results of reading a page, shared by every OCR engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ingest.rasterize import PageImage


@dataclass(frozen=True)
class Word:
    """One recognised word; ``box`` is (left, top, width, height) in page pixels."""

    text: str
    conf: float
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class PageText:
    """What was read from one page, and how.

    ``source`` is ``tesseract`` or ``text_layer``; ``status`` is ``ok``, ``empty`` (nothing
    legible) or ``failed`` (timeout or engine error, with ``error`` set) so a page is never
    silently empty. ``pdf`` is the one-page two-layer PDF (image + invisible text) when the
    engine produced one in the same pass.
    """

    index: int
    text: str
    mean_confidence: float | None
    words: tuple[Word, ...]
    source: str
    engine: str
    width: int
    height: int
    dpi: int
    seconds: float
    status: str = "ok"
    error: str | None = None
    pdf: bytes | None = field(default=None, repr=False)

    def as_json(self) -> dict[str, object]:
        return {
            "index": self.index,
            "text": self.text,
            "mean_confidence": self.mean_confidence,
            "source": self.source,
            "engine": self.engine,
            "status": self.status,
            "error": self.error,
            "width": self.width,
            "height": self.height,
            "dpi": self.dpi,
            "words": [{"text": w.text, "conf": w.conf, "box": list(w.box)} for w in self.words],
        }


class OcrEngine(Protocol):
    """Reads one page image. Implementations must be safe to call from several threads."""

    @property
    def version(self) -> str: ...

    def recognize(self, page: PageImage, with_pdf: bool = True) -> PageText:
        """Words and text; with ``with_pdf`` also the one-page two-layer PDF, same pass."""
        ...
