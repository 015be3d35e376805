"""Work on many pages at once, keeping ``workers`` busy and results in page order.

Threads are enough for parallelism: the heavy work happens in Tesseract child processes and in
OpenCV/NumPy, which release the GIL. At most ``2 * workers`` rasterized pages wait in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from ingest.rasterize import PageImage
from ocr.model import OcrEngine, PageText
from ocr.textlayer import read_text_layer

T = TypeVar("T")


def map_pages(pages: Iterable[PageImage], work: Callable[[PageImage], T], *, workers: int,
              on_done: Callable[[T], None] | None = None) -> list[T]:
    """Apply ``work`` to every page in parallel; return the results in page order."""
    results: list[T] = []
    pending: list[Future[T]] = []
    limit = 2 * max(1, workers)

    def collect() -> None:
        result = pending.pop(0).result()
        results.append(result)
        if on_done is not None:
            on_done(result)

    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="page") as pool:
        for page in pages:
            pending.append(pool.submit(work, page))
            while sum(not f.done() for f in pending) >= limit:
                collect()
        while pending:
            collect()
    return results


def read_pages(
    pages: Iterable[PageImage],
    engine: OcrEngine,
    *,
    pdf_bytes: bytes | None,
    workers: int,
    on_page: Callable[[PageText], None] | None = None,
) -> list[PageText]:
    """OCR every page; PDF pages with a usable text layer are read from it instead."""

    def read(page: PageImage) -> PageText:
        if page.has_text_layer and pdf_bytes is not None:
            return read_text_layer(pdf_bytes, page)
        return engine.recognize(page)

    return map_pages(pages, read, workers=workers, on_done=on_page)
