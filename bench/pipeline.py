"""Pages per minute: raw ``tesseract`` CLI against the sohoa pipeline, same pages, same run.

    .venv/bin/python -m bench.pipeline [--pages 12] [--dpi 300] [--workers 2]

The baseline runs the CLI on PNG renders (``-l vie --oem 1 --psm 3``, ``OMP_THREAD_LIMIT=1``,
``--workers`` processes at once). sohoa runs the same pages from one PDF through rasterizing,
OCR (TSV + page PDF in one pass), classification, splitting and PDF assembly.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from api.reading import read_file
from classify.doctypes import load_document_types
from ingest.intake import IntakeLimits
from ingest.sniff import MediaType
from ocr.pdf import assemble_pdf
from ocr.tesseract import TesseractConfig, TesseractEngine
from tests.synthetic import (
    BIRTH_CERTIFICATE,
    BIRTH_FORM,
    BIRTH_FORM_CONTINUED,
    DEATH_FORM,
    LAND_TRANSFER_FORM,
    render_page,
    to_pdf,
    to_png,
)

SPECS = (BIRTH_FORM, BIRTH_FORM_CONTINUED, BIRTH_CERTIFICATE, DEATH_FORM, LAND_TRANSFER_FORM)


def raw_tesseract(pngs: list[Path], workers: int) -> float:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def one(path: Path) -> None:
        subprocess.run(["tesseract", str(path), str(path.with_suffix("")), "-l", "vie",
                        "--oem", "1", "--psm", "3", "--dpi", "300", "txt"],
                       check=True, env=env, capture_output=True)

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, pngs))
    return time.perf_counter() - started


def sohoa_pipeline(pdf: bytes, dpi: int, workers: int) -> float:
    engine = TesseractEngine(TesseractConfig())
    types = load_document_types()
    started = time.perf_counter()
    result = read_file(pdf, MediaType.PDF, engine=engine, doctypes=types, dpi=dpi,
                       workers=workers, limits=IntakeLimits())
    by_index = {p.text.index: p.text for p in result.pages}
    for span in result.documents:
        assemble_pdf([by_index[i] for i in span.pages], pdf)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    images = [render_page(SPECS[i % len(SPECS)], dpi=args.dpi) for i in range(args.pages)]
    with tempfile.TemporaryDirectory() as tmp:
        pngs = []
        for i, image in enumerate(images):
            path = Path(tmp) / f"page{i:03d}.png"
            path.write_bytes(to_png(image, dpi=args.dpi))
            pngs.append(path)
        raw = raw_tesseract(pngs, args.workers)
    ours = sohoa_pipeline(to_pdf(images, dpi=args.dpi), args.dpi, args.workers)
    raw_rate, our_rate = 60 * args.pages / raw, 60 * args.pages / ours
    print(f"pages: {args.pages} at {args.dpi} dpi, {args.workers} workers")
    print(f"raw tesseract CLI : {raw:7.2f} s  {raw_rate:6.1f} pages/min")
    print(f"sohoa pipeline    : {ours:7.2f} s  {our_rate:6.1f} pages/min")
    print(f"ratio sohoa/raw   : {our_rate / raw_rate:.2f}")


if __name__ == "__main__":
    main()
