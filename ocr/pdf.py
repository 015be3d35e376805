"""Assemble a document's two-layer PDF from the per-page PDFs made during OCR."""

from __future__ import annotations

import io
from collections.abc import Sequence
from contextlib import ExitStack

import pikepdf
from PIL import Image

from ocr.model import PageText


def image_only_pdf(image: Image.Image, dpi: int) -> bytes:
    """A one-page PDF of ``image`` alone: a page that failed OCR is still archived."""
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PDF", resolution=float(dpi))
    return buffer.getvalue()


def assemble_pdf(pages: Sequence[PageText], source_pdf: bytes | None) -> bytes:
    """Concatenate the pages in order; text-layer pages are copied from the original PDF."""
    with ExitStack() as stack:
        output = stack.enter_context(pikepdf.new())
        source = (stack.enter_context(pikepdf.open(io.BytesIO(source_pdf)))
                  if source_pdf is not None else None)
        for page in pages:
            if page.pdf is not None:
                single = stack.enter_context(pikepdf.open(io.BytesIO(page.pdf)))
                output.pages.extend(single.pages)
            elif source is not None:
                output.pages.append(source.pages[page.index])
            else:
                raise ValueError(f"page {page.index} has neither an OCR PDF nor a source page")
        buffer = io.BytesIO()
        output.save(buffer)
        return buffer.getvalue()
