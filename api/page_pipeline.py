"""One page through the stages before classification: analysis, sheet codes, OCR, correction,
hand-filled blanks.

Runs in the page worker threads. The OCR may see a cleaned, grey, deskewed image; the archive
keeps the original colour image, turned and deskewed the same way, and its page PDF carries the
corrected words as invisible text over it (``ocr.pagepdf``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from classify.fields.fillins import read_fill_ins
from ingest.analysis import PageAnalysis, analyse_page, archive_image
from ingest.analysis.measure import to_grey
from ingest.rasterize import PageImage
from ingest.separators import SheetKind, SheetRole, classify_sheet
from ocr.bandreader import default_band_reader
from ocr.model import OcrEngine, PageText
from ocr.pagepdf import with_page_pdf
from ocr.postcorrect import PageCorrector, default_page_corrector
from ocr.textlayer import read_text_layer

SKIPPED_STATUS = {SheetRole.SEPARATOR: "separator", SheetRole.COVER: "cover"}


@dataclass(frozen=True)
class PageResult:
    """A page read: its text, how it was analysed (None for text-layer pages), its sheet role."""

    text: PageText
    analysis: PageAnalysis | None
    sheet: SheetKind

    @property
    def archived(self) -> bool:
        """Blank backs, separator sheets and cover sheets are counted but not archived."""
        return self.text.status not in ("blank", "separator", "cover")

    def summary(self) -> dict[str, Any]:
        """What an officer needs to see about the page: status, rescan reasons, what was done."""
        info: dict[str, Any] = {"index": self.text.index, "status": self.text.status,
                                "source": self.text.source,
                                "mean_confidence": self.text.mean_confidence}
        if self.text.correction is not None:
            c = self.text.correction
            info.update(corrector=c.corrector, words_corrected=len(c.fixes),
                        text_layer=c.text_layer)
        if self.text.fill_ins:
            info["fill_ins"] = [f.as_json() for f in self.text.fill_ins]
        if self.analysis is not None:
            a = self.analysis
            info.update(rescan=a.rescan, preprocessing=a.preprocessing, rotation=a.rotation,
                        skew_degrees=round(a.skew_degrees, 2), ink_ratio=a.ink_ratio,
                        flags=[{"code": f.code, "message_vi": f.reason_vi,
                                "message_en": f.reason_en} for f in a.quality_flags])
        if self.sheet.dossier_code:
            info["dossier_code"] = self.sheet.dossier_code
        return info


def process_page(page: PageImage, engine: OcrEngine, source_pdf: bytes | None,
                 corrector: PageCorrector | None = None) -> PageResult:
    """Text-layer pages are read from the PDF; others are analysed, OCR'd, corrected, and the
    hand-filled blanks of their header read again (``classify.fields.fillins``).

    ``corrector`` defaults to the project's syllable corrector (``ocr.postcorrect``).
    """
    if page.has_text_layer and source_pdf is not None:
        return PageResult(read_text_layer(source_pdf, page), None, SheetKind(SheetRole.PAGE))
    grey = to_grey(page.image)  # once, for both the analysis and the barcode reader
    analysis, ocr_image = analyse_page(page, grey=grey)
    sheet = classify_sheet(grey)
    if sheet.role in SKIPPED_STATUS:
        return PageResult(_skipped(page, SKIPPED_STATUS[sheet.role], engine), analysis, sheet)
    if analysis.is_blank:
        return PageResult(_skipped(page, "blank", engine), analysis, sheet)
    text = engine.recognize(replace(page, image=ocr_image))
    text = (corrector or default_page_corrector()).correct(text)
    text = read_fill_ins(text, ocr_image, default_band_reader)
    return PageResult(with_page_pdf(text, archive_image(page, analysis)), analysis, sheet)


def _skipped(page: PageImage, status: str, engine: OcrEngine) -> PageText:
    return PageText(index=page.index, text="", mean_confidence=None, words=(), source="none",
                    engine=engine.version, width=page.image.width, height=page.image.height,
                    dpi=page.dpi, seconds=0.0, status=status)
