"""The post-OCR correction stage: one OCR'd page in, the same page with repaired words out.

Runs after Tesseract on every page it read (never on text-layer pages, which carry the
author's own text). The corrected text and words flow downstream (classification, fields,
search, the archived .txt); the raw reading, the corrector version and every change are kept
in ``PageText.correction``. The invisible PDF text layer comes from the same single Tesseract
pass; the corrected words are written into it too (same glyph count, so the word boxes stay
valid), or it is left raw and says so when its words cannot be matched one for one.
"""

from __future__ import annotations

import difflib
import io
import re
import time
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Protocol

import pikepdf
from pikepdf import Name

from ingest.text import nfc
from ocr.correction import Corrector, corrector_version, default_corrector
from ocr.model import PageCorrection, PageText, WordFix

# Tesseract writes each word as one hex UTF-16BE string (with a trailing space) shown by TJ.
_WORD_RE = re.compile(rb"\[ <([0-9A-Fa-f]*)> \] TJ")


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
        pdf, layer = page.pdf, "raw"
        if page.pdf is not None and aligned:
            pdf, layer = relabel_text_layer(page.pdf, [w.text for w in page.words],
                                            {f.word: words[f.word].text for f in fixes})
        correction = PageCorrection(corrector=self.version, raw_text=page.text, fixes=fixes,
                                    text_layer=layer,
                                    seconds=round(time.perf_counter() - started, 4))
        return replace(page, text=fixed.text, words=words, pdf=pdf, correction=correction)


@lru_cache(maxsize=1)
def default_page_corrector() -> SyllableCorrection:
    """The project's corrector, loaded once per process on first use."""
    return SyllableCorrection(default_corrector())


def relabel_text_layer(page_pdf: bytes, read: Sequence[str], new: Mapping[int, str]
                       ) -> tuple[bytes, str]:
    """Write ``new`` words (by index into ``read``) into a Tesseract page PDF's invisible text.

    Returns the PDF and ``corrected``, or the PDF unchanged and ``raw`` when the content stream
    is not Tesseract's single stream or a changed word is not found in it.
    """
    if not new:
        return page_pdf, "corrected"
    with pikepdf.open(io.BytesIO(page_pdf)) as doc:
        contents = doc.pages[0].obj.get("/Contents")
        if not isinstance(contents, pikepdf.Stream):
            return page_pdf, "raw"
        data = contents.read_bytes()
        spans = list(_WORD_RE.finditer(data))
        shown = [nfc(bytes.fromhex(m.group(1).decode()).decode("utf-16-be")).strip()
                 for m in spans]
        where = _align(read, shown)
        edits: list[tuple[int, int, bytes]] = []
        for index, word in new.items():
            target = where.get(index)
            if target is None or len(word) != len(shown[target]):
                return page_pdf, "raw"
            hex_text = (word + " ").encode("utf-16-be").hex().upper().encode()
            edits.append((spans[target].start(1), spans[target].end(1), hex_text))
        for start, end, hex_text in sorted(edits, reverse=True):
            data = data[:start] + hex_text + data[end:]
        contents.write(zlib.compress(data, 6), filter=Name.FlateDecode)
        buffer = io.BytesIO()
        doc.save(buffer, deterministic_id=True)
    return buffer.getvalue(), "corrected"


def _align(read: Sequence[str], shown: Sequence[str]) -> dict[int, int]:
    """Index of each TSV word among the PDF's shown words, where the two sequences agree."""
    matcher = difflib.SequenceMatcher(None, list(read), list(shown), autojunk=False)
    return {block.a + k: block.b + k for block in matcher.get_matching_blocks()
            for k in range(block.size)}
