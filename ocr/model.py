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
class WordFix:
    """One word repaired after OCR: its index in ``PageText.words``, as read, as corrected."""

    word: int
    original: str
    corrected: str
    reason: str


@dataclass(frozen=True)
class PageCorrection:
    """How a page's OCR text was corrected (sửa lỗi sau OCR); the raw reading is kept here.

    ``text_layer`` says whether the words, and so the invisible PDF text written from them,
    carry the corrections (``corrected``) or Tesseract's reading (``raw``, when the corrected
    text could not be matched to the words one for one).
    """

    corrector: str
    raw_text: str
    fixes: tuple[WordFix, ...]
    text_layer: str
    seconds: float

    def as_json(self) -> dict[str, object]:
        return {"corrector": self.corrector, "words_changed": len(self.fixes),
                "text_layer": self.text_layer, "raw_text": self.raw_text,
                "changes": [{"word": f.word, "original": f.original, "corrected": f.corrected,
                             "reason": f.reason} for f in self.fixes]}


@dataclass(frozen=True)
class FillIn:
    """A blank filled by hand ("Số: 2191/CT-CS"), read again by a second engine.

    ``field`` is ``so`` (the number of the số ký hiệu), ``ngay`` or ``thang`` (of the
    place-date); ``original`` is what Tesseract read there ("2d", "" for nothing), ``value`` the
    second reading, now in the page's text and words; ``box`` is its place on the page.
    """

    field: str
    original: str
    value: str
    confidence: float
    box: tuple[int, int, int, int]
    reader: str

    def as_json(self) -> dict[str, object]:
        return {"field": self.field, "original": self.original, "value": self.value,
                "confidence": self.confidence, "box": list(self.box), "reader": self.reader}


@dataclass(frozen=True)
class PageText:
    """What was read from one page, and how.

    ``source`` is ``tesseract`` or ``text_layer``; ``status`` is ``ok``, ``empty`` (nothing
    legible) or ``failed`` (timeout or engine error, with ``error`` set) so a page is never
    silently empty. ``pdf`` is the one-page two-layer PDF (archive image + the words as
    invisible text, ``ocr.pagepdf``) once the pipeline has written it. ``correction`` is set
    when text and words were corrected after OCR (``ocr.postcorrect``); it keeps the raw text.
    ``fill_ins`` are the hand-filled blanks read again (``classify.fields.fillins``).
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
    correction: PageCorrection | None = None
    fill_ins: tuple[FillIn, ...] = ()

    @property
    def raw_text(self) -> str:
        """The text exactly as the engine read it, before any correction."""
        return self.correction.raw_text if self.correction is not None else self.text

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
            "correction": self.correction.as_json() if self.correction is not None else None,
            "fill_ins": [f.as_json() for f in self.fill_ins],
        }


class OcrEngine(Protocol):
    """Reads one page image. Implementations must be safe to call from several threads."""

    @property
    def version(self) -> str: ...

    def recognize(self, page: PageImage) -> PageText:
        """Words (with boxes and confidences) and text; ``pdf`` is left for the pipeline."""
        ...
