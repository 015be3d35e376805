"""The post-OCR correction stage: one OCR'd page in, the same page with repaired words out.

Runs after Tesseract on every page it read (never on text-layer pages, which carry the
author's own text). The corrected text and words flow downstream (classification, fields,
search, the archived .txt, and the invisible text layer of the page PDF, which
``ocr.pagepdf`` writes from the words afterwards); the raw reading, the corrector version and
every change are kept in ``PageText.correction``. When the corrected text cannot be matched to
the words one for one, the words (and so the text layer) stay raw, and the correction says so.
"""

from __future__ import annotations

import time
from dataclasses import replace
from functools import lru_cache
from typing import Protocol

from ocr.correction import Corrector, corrector_version, default_corrector
from ocr.model import PageCorrection, PageText, WordFix


class PageCorrector(Protocol):
    """Corrects the text of an OCR'd page; returns it unchanged when there is nothing to do."""

    @property
    def version(self) -> str: ...

    def correct(self, page: PageText) -> PageText: ...


class NoCorrection:
    """The raw engine output (for benchmarks and for comparing against the raw reading)."""

    version = "none"

    def correct(self, page: PageText) -> PageText:
        return page


class SyllableCorrection:
    """:mod:`ocr.correction` (syllable bigrams + Tesseract's confusions) as a page stage."""

    def __init__(self, corrector: Corrector) -> None:
        self._corrector = corrector

    @property
    def version(self) -> str:
        return corrector_version()

    def correct(self, page: PageText) -> PageText:
        if page.source != "tesseract" or page.status != "ok" or page.correction is not None:
            return page
        started = time.perf_counter()
        fixed = self._corrector.correct_text(page.text, page.words)
        words = fixed.apply(page.words)
        aligned = len(page.words) == len(fixed.raw.split())
        fixes = tuple(WordFix(c.word, c.original, c.corrected, c.reason)
                      for c in fixed.changes) if aligned else ()
        correction = PageCorrection(corrector=self.version, raw_text=page.text, fixes=fixes,
                                    text_layer="corrected" if aligned else "raw",
                                    seconds=round(time.perf_counter() - started, 4))
        return replace(page, text=fixed.text, words=words, correction=correction)


@lru_cache(maxsize=1)
def default_page_corrector() -> SyllableCorrection:
    """The project's corrector, loaded once per process on first use."""
    return SyllableCorrection(default_corrector())
