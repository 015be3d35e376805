"""The post-OCR correction stage in the page pipeline, with the real Tesseract.

The pages are printed with the misreadings Tesseract's ``vie`` model makes (a dropped or wrong
tone mark), so the OCR reads them faithfully wrong and only the correction stage can repair them.
"""

from __future__ import annotations

import io
import json

import pdfplumber
import pytest

from api.page_pipeline import process_page
from ingest.rasterize import PageImage, rasterize
from ingest.sniff import MediaType
from ocr.correction import corrector_version
from ocr.postcorrect import NoCorrection, default_page_corrector
from ocr.tesseract import TesseractConfig, TesseractEngine
from tests.synthetic import PageSpec, render_page
from tests.test_ocr import text_pdf

MISREAD = PageSpec(
    title="GIÂY ĐỀ NGHỊ BỐ SUNG HỒ SƠ",
    body=("Cộng hòa xã hôi chủ nghĩa Việt Nam",
          "Đề nghị ông bà bố sung hồ sơ theo quy định của thủ tục hành chinh."),
    issuer="ỦY BAN NHÂN DÂN XÃ HÒA BÌNH",
)


@pytest.fixture(scope="module")
def engine() -> TesseractEngine:
    return TesseractEngine(TesseractConfig())


@pytest.fixture(scope="module")
def misread_page() -> PageImage:
    return PageImage(index=0, image=render_page(MISREAD, dpi=200), dpi=200)


def test_dropped_tone_marks_are_repaired_and_the_raw_reading_kept(
        engine: TesseractEngine, misread_page: PageImage) -> None:
    result = process_page(misread_page, engine, None)
    page = result.text
    assert "xã hội chủ nghĩa" in page.text and "xã hôi" not in page.text
    assert "bổ sung hồ sơ" in page.text and "hành chính" in page.text
    assert page.correction is not None
    assert "xã hôi chủ nghĩa" in page.correction.raw_text == page.raw_text
    assert page.correction.corrector == corrector_version()
    # words carry the corrected text with the box and confidence Tesseract gave them
    fix = next(f for f in page.correction.fixes if f.original == "hôi")
    assert page.words[fix.word].text == "hội"
    raw = process_page(misread_page, engine, None, NoCorrection()).text
    assert raw.words[fix.word].text == "hôi"
    assert raw.words[fix.word].box == page.words[fix.word].box
    assert raw.correction is None and raw.text == page.correction.raw_text
    summary = result.summary()
    assert summary["words_corrected"] == len(page.correction.fixes) >= 3
    assert summary["corrector"] == corrector_version()


def test_the_invisible_text_layer_carries_the_corrected_words(
        engine: TesseractEngine, misread_page: PageImage) -> None:
    page = process_page(misread_page, engine, None).text
    assert page.correction is not None and page.correction.text_layer == "corrected"
    assert page.pdf is not None
    with pdfplumber.open(io.BytesIO(page.pdf)) as pdf:
        layer = pdf.pages[0].extract_text() or ""
    assert "xã hội chủ nghĩa" in layer and "hôi" not in layer


def test_ocr_json_keeps_raw_text_and_every_change(
        engine: TesseractEngine, misread_page: PageImage) -> None:
    page = process_page(misread_page, engine, None).text
    stored = json.loads(json.dumps(page.as_json(), ensure_ascii=False))
    correction = stored["correction"]
    assert stored["text"] == page.text
    assert "xã hôi" in correction["raw_text"]
    assert correction["words_changed"] == len(correction["changes"]) >= 3
    assert {"original": "hôi", "corrected": "hội"}.items() <= next(
        c for c in correction["changes"] if c["original"] == "hôi").items()


def test_text_layer_pages_are_not_corrected(engine: TesseractEngine) -> None:
    data = text_pdf(["Cộng hòa xã hôi chủ nghĩa Việt Nam"])
    [image] = rasterize(data, MediaType.PDF, 150, 10**9)
    page = process_page(image, engine, data).text
    assert page.source == "text_layer" and page.correction is None
    assert "xã hôi" in page.text  # the author's own text is kept as written


def test_correct_text_is_left_alone(engine: TesseractEngine) -> None:
    spec = PageSpec(title="TỜ KHAI ĐĂNG KÝ KHAI SINH",
                    body=("Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng "
                          "sự thật",))
    image = PageImage(index=0, image=render_page(spec, dpi=200), dpi=200)
    page = process_page(image, engine, None).text
    assert page.correction is not None and page.correction.fixes == ()
    assert page.text == page.correction.raw_text


def test_without_correction_the_text_layer_keeps_the_raw_reading(
        engine: TesseractEngine, misread_page: PageImage) -> None:
    page = process_page(misread_page, engine, None, NoCorrection()).text
    assert page.pdf is not None
    with pdfplumber.open(io.BytesIO(page.pdf)) as pdf:
        assert "xã hôi chủ nghĩa" in (pdf.pages[0].extract_text() or "")


def test_default_corrector_is_shared() -> None:
    assert default_page_corrector() is default_page_corrector()
    assert default_page_corrector().version == corrector_version()
