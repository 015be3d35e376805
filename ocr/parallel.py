"""Read many pages at once: each page is its own Tesseract process, kept ``workers`` busy."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor

from ingest.rasterize import PageImage
from ocr.model import OcrEngine, PageText
from ocr.textlayer import read_text_layer

ProgressCallback = Callable[[PageText], None]


def read_pages(
    pages: Iterable[PageImage],
    engine: OcrEngine,
    *,
    pdf_bytes: bytes | None,
    workers: int,
    on_page: ProgressCallback | None = None,
) -> list[PageText]:
    """Read every page, in order; text-layer PDF pages skip OCR.

    Threads are enough for parallelism because the work happens in Tesseract child processes;
    at most ``2 * workers`` rasterized pages wait in memory.
    """
    results: dict[int, PageText] = {}
    pending: list[Future[PageText]] = []

    def collect(future: Future[PageText]) -> None:
        page_text = future.result()
        results[page_text.index] = page_text
        if on_page is not None:
            on_page(page_text)

    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="ocr") as pool:
        for page in pages:
            if page.has_text_layer and pdf_bytes is not None:
                pending.append(pool.submit(read_text_layer, pdf_bytes, page))
            else:
                pending.append(pool.submit(engine.recognize, page))
            while len([f for f in pending if not f.done()]) >= 2 * max(1, workers):
                pending[0].result()
                collect(pending.pop(0))
        for future in pending:
            collect(future)
    return [results[i] for i in sorted(results)]
