"""Read the text layer of born-digital PDF pages with pdfplumber instead of OCR."""

from __future__ import annotations

import io
import time

import pdfplumber

from ingest.rasterize import PageImage
from ingest.text import nfc
from ocr.model import PageText, Word

ENGINE = f"pdfplumber {pdfplumber.__version__}"


def read_text_layer(pdf_bytes: bytes, page: PageImage) -> PageText:
    """Return the text of ``page`` from the PDF's own text layer, boxes scaled to pixels."""
    started = time.perf_counter()
    scale = page.dpi / 72
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        source = pdf.pages[page.index]
        text = nfc(source.extract_text() or "")
        words = tuple(
            Word(
                text=nfc(w["text"]), conf=100.0,
                box=(round(w["x0"] * scale), round(w["top"] * scale),
                     round((w["x1"] - w["x0"]) * scale), round((w["bottom"] - w["top"]) * scale)),
            )
            for w in source.extract_words()
        )
    return PageText(
        index=page.index, text=text, mean_confidence=100.0 if words else None, words=words,
        source="text_layer", engine=ENGINE, width=page.image.width, height=page.image.height,
        dpi=page.dpi, seconds=time.perf_counter() - started,
        status="ok" if words else "empty",
    )
