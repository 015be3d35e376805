"""CPU seconds per page of each step of the page pipeline, one page at a time, in this process.

Run through ``bench.speed --steps`` (same generated pages); cheaper alternatives are measured
beside the steps (``alt:``) and the Tesseract CLI's own outputs as references (``ref:``).
"""

from __future__ import annotations

import os
import resource
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cpu(work: Callable[[], Any]) -> tuple[Any, float]:
    """CPU seconds of this process (OpenCV and pdfium threads included), children excluded."""
    started = time.process_time()
    result = work()
    return result, time.process_time() - started


def _tesseract_cpu(image_path: Path, dpi: int, *outputs: str) -> float:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    before = children_cpu()
    subprocess.run(["tesseract", str(image_path), str(image_path.with_suffix("")), "-l", "vie",
                    "--oem", "1", "--psm", "3", "--dpi", str(dpi), *outputs],
                   check=True, env=env, capture_output=True)
    return children_cpu() - before


def _tesseract_references(page: Any, ocr_image: Any, dpi: int, totals: dict[str, float]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.tif"
        totals["  of which TIFF write"] += _cpu(
            lambda: ocr_image.save(path, format="TIFF", dpi=(dpi, dpi), compression="raw"))[1]
        png = Path(tmp) / "p.png"
        page.image.save(png, dpi=(dpi, dpi), compress_level=1)
        totals["ref: tesseract CLI txt from PNG (raw config)"] += _tesseract_cpu(png, dpi, "txt")
        totals["ref: tesseract CLI tsv from TIFF, invert off (sohoa)"] += _tesseract_cpu(
            path, dpi, "-c", "tessedit_create_tsv=1", "-c", "tessedit_do_invert=0")
        totals["ref: tesseract CLI tsv+pdf from TIFF (its own PDF renderer)"] += _tesseract_cpu(
            path, dpi, "-c", "tessedit_create_tsv=1", "-c", "tessedit_do_invert=0", "pdf")


def time_steps(data: bytes, dpi: int, limit: int) -> dict[str, float]:
    """CPU seconds per page of each step (``pages …`` entries are counts, not seconds)."""
    from api.page_pipeline import process_page
    from ingest.analysis import analyse_page, archive_image
    from ingest.rasterize import rasterize
    from ingest.separators import classify_sheet
    from ingest.sniff import MediaType
    from ocr.pagepdf import with_page_pdf
    from ocr.postcorrect import default_page_corrector
    from ocr.tesseract import TesseractConfig, TesseractEngine

    engine = TesseractEngine(TesseractConfig())
    corrector = default_page_corrector()
    totals: defaultdict[str, float] = defaultdict(float)
    pages = rasterize(data, MediaType.PDF, dpi, 10**9)
    count = 0
    while count < limit:
        page, cost = _cpu(lambda: next(pages, None))
        if page is None:
            break
        count += 1
        totals["rasterize (pdfium render + RGB)"] += cost
        (analysis, ocr_image), cost = _cpu(lambda: analyse_page(page))  # noqa: B023
        totals["analyse_page"] += cost
        totals["classify_sheet (zxing)"] += _cpu(lambda: classify_sheet(page.image))[1]  # noqa: B023
        _tesseract_references(page, ocr_image, dpi, totals)
        children = children_cpu()
        seen = replace(page, image=ocr_image)  # grey, cleaned where chosen: what OCR is given
        text, cost = _cpu(lambda: engine.recognize(seen))  # noqa: B023
        totals["recognize: python side (TIFF, TSV parse)"] += cost
        totals["recognize: tesseract process"] += children_cpu() - children
        text, cost = _cpu(lambda: corrector.correct(text))  # noqa: B023
        totals["syllable correction"] += cost
        colour, cost = _cpu(lambda: archive_image(page, analysis))  # noqa: B023
        totals["archive_image (redo turn/deskew where needed)"] += cost
        totals["page PDF: JPEG q90 + invisible text (ocr.pagepdf)"] += _cpu(
            lambda: with_page_pdf(text, colour))[1]  # noqa: B023
        children = children_cpu()
        totals["whole process_page (for reference)"] += _cpu(
            lambda: process_page(page, engine, data))[1]  # noqa: B023
        totals["whole process_page (for reference)"] += children_cpu() - children
    return {k: round(v / count, 3) if not k.startswith("pages ") else v for k, v in totals.items()}
