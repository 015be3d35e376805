"""Bilevel CCITT G4 TIFF scans are read; a page whose OCR times out is flagged, never empty."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from PIL import Image

from api.page_pipeline import process_page
from ingest.intake import IntakeLimits, inspect_upload
from ingest.rasterize import PageImage, rasterize
from ingest.sniff import MediaType
from ocr.tesseract import TesseractConfig, TesseractEngine
from tests.synthetic import BIRTH_CERTIFICATE, BIRTH_FORM, render_page


def test_multipage_ccitt_g4_tiff_is_read() -> None:
    pages = [render_page(spec, dpi=300).convert("1", dither=Image.Dither.NONE)
             for spec in (BIRTH_FORM, BIRTH_CERTIFICATE)]
    buffer = io.BytesIO()
    pages[0].save(buffer, format="TIFF", save_all=True, append_images=pages[1:],
                  compression="group4", dpi=(300, 300))
    data = buffer.getvalue()
    with Image.open(io.BytesIO(data)) as check:
        assert check.info.get("compression") == "group4"
    intake = inspect_upload(data, "lo-quet.tif", IntakeLimits())
    assert (intake.media_type, intake.page_count) == (MediaType.TIFF, 2)
    engine = TesseractEngine(TesseractConfig())
    read = [process_page(p, engine, None).text
            for p in rasterize(data, MediaType.TIFF, 300, IntakeLimits().max_page_pixels)]
    assert [p.dpi for p in read] == [300, 300]
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in read[0].text
    assert "GIẤY CHỨNG SINH" in read[1].text


def test_a_page_that_times_out_is_flagged_failed(tmp_path: Path) -> None:
    real = shutil.which("tesseract")
    assert real is not None
    slow = tmp_path / "slow-tesseract"
    slow.write_text(  # answers the start-up checks, then hangs on the page itself
        "#!/bin/sh\n"
        f'case "$1" in --version|--list-langs) exec {real} "$@";; esac\n'
        "sleep 30\n", encoding="utf-8")
    slow.chmod(0o755)
    engine = TesseractEngine(TesseractConfig(timeout_seconds=1, command=str(slow)))
    page = PageImage(index=3, image=render_page(BIRTH_FORM, dpi=150), dpi=150)
    text = process_page(page, engine, None).text
    assert text.status == "failed" and text.text == "" and text.error
    assert text.correction is None  # nothing to correct, and the failure is not hidden
