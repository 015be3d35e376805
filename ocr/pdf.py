"""Assemble a document's two-layer PDF from its page PDFs (``ocr.pagepdf``)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from contextlib import ExitStack

import pikepdf

from ocr.model import PageText


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
