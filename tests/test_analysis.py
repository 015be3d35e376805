"""Page analysis on generated pages: blank, skew, orientation, preprocessing and quality gate."""

from __future__ import annotations

import json
import unicodedata

import cv2
import numpy as np
import pytest
from PIL import Image
from rapidfuzz.distance import Levenshtein

from ingest.analysis import (
    BLANK_INK_RATIO,
    PageAnalysis,
    Preprocessing,
    analyse_page,
    archive_image,
    detect_orientation,
)
from ingest.rasterize import PageImage
from ocr.tesseract import TesseractConfig, TesseractEngine
from tests.synthetic import A4_INCHES, BIRTH_FORM, PageSpec, render_page

DPI = 200
SHORT_FORM = PageSpec(title="TỜ KHAI ĐĂNG KÝ KHAI SINH", header=False, body=BIRTH_FORM.body[:5])


@pytest.fixture(scope="module")
def text_page() -> Image.Image:
    return render_page(BIRTH_FORM, dpi=DPI)


def analyse(image: Image.Image, dpi: int = DPI,
            **options: bool) -> tuple[PageAnalysis, Image.Image]:
    return analyse_page(PageImage(index=0, image=image, dpi=dpi), **options)


def blank_page(dpi: int = DPI) -> Image.Image:
    return Image.new("RGB", (round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi)), "white")


def with_speckles(image: Image.Image, seed: int, count: int = 600) -> Image.Image:
    """Dust and toner specks of 1–3 px, as a scanner glass leaves them."""
    rng = np.random.default_rng(seed)
    pixels = np.array(image)
    for _ in range(count):
        x, y = int(rng.integers(0, image.width)), int(rng.integers(0, image.height))
        cv2.circle(pixels, (x, y), int(rng.integers(1, 3)), (0, 0, 0), -1)
    return Image.fromarray(pixels)


def with_dark_border(image: Image.Image) -> Image.Image:
    """Black strips where the scanner lid did not cover the page."""
    pixels = np.array(image)
    pixels[:, :50] = 15
    pixels[:30, :] = 25
    return Image.fromarray(pixels)


def degraded(image: Image.Image, seed: int = 7) -> Image.Image:
    """Low contrast (ink at half strength), a shadow across the page and grain (σ = 20)."""
    rng = np.random.default_rng(seed)
    grey = np.asarray(image.convert("L")).astype(np.float32)
    height, width = grey.shape
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    paper = 235 - 95 * (0.6 * xx / width + 0.4 * yy / height)
    paper -= 40 * np.exp(-((xx - 0.3 * width) ** 2 + (yy - 0.4 * height) ** 2)
                         / (2 * (0.15 * width) ** 2))
    out = paper - (255 - grey) / 255 * paper * 0.5 + rng.normal(0, 20, grey.shape)
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8)).convert("RGB")


def same_pixels(one: Image.Image, other: Image.Image) -> bool:
    return one.mode == other.mode and np.array_equal(np.asarray(one), np.asarray(other))


def cer(text: str, truth: str) -> float:
    flat = " ".join(unicodedata.normalize("NFC", text).split())
    return Levenshtein.distance(flat, truth) / len(truth)


@pytest.mark.parametrize("make", [
    lambda: with_speckles(blank_page(), seed=1),
    lambda: with_dark_border(with_speckles(blank_page(), seed=2)),
    lambda: degraded(blank_page(), seed=3),
], ids=["speckles", "speckles+border", "grain+shadow"])
def test_blank_pages_are_blank_despite_noise_and_borders(make: object) -> None:
    image = make()  # type: ignore[operator]
    analysis, ocr_image = analyse(image)
    assert analysis.is_blank and analysis.ink_ratio < BLANK_INK_RATIO
    assert analysis.preprocessing == "none" and same_pixels(ocr_image, image.convert("L"))
    assert [step for step, _ in analysis.timings][:2] == ["measure", "stats"]


def test_text_page_is_measured_and_left_untouched(text_page: Image.Image) -> None:
    analysis, ocr_image = analyse(text_page)
    assert not analysis.is_blank and analysis.ink_ratio >= 0.008
    assert analysis.preprocessing == Preprocessing.NONE
    # Clean pages go to OCR only turned grey (binarizing hurts them; grey reads faster).
    assert ocr_image.mode == "L" and same_pixels(ocr_image, text_page.convert("L"))
    assert abs(analysis.skew_degrees) < 0.3 and not analysis.deskewed
    assert analysis.rotation == 0 and analysis.orientation_confidence is None  # no OSD run
    assert analysis.quality_flags == () and not analysis.rescan
    assert json.loads(json.dumps(analysis.as_json()))["stats"]["dpi"] == DPI


def test_page_skewed_by_three_degrees_is_straightened(text_page: Image.Image) -> None:
    skewed = text_page.rotate(3, resample=Image.Resampling.BICUBIC, fillcolor="white")
    analysis, ocr_image = analyse(skewed)
    assert analysis.deskewed and analysis.skew_degrees == pytest.approx(3.0, abs=0.3)
    again, _ = analyse(ocr_image)
    assert abs(again.skew_degrees) < 0.5
    archived = archive_image(PageImage(index=0, image=skewed, dpi=DPI), analysis)
    assert archived.mode == "RGB" and archived.size == skewed.size
    assert abs(analyse(archived)[0].skew_degrees) < 0.5


def test_upside_down_page_is_detected_and_turned(text_page: Image.Image) -> None:
    upside_down = text_page.rotate(180)
    degrees, confidence = detect_orientation(upside_down, DPI)
    assert degrees == 180 and confidence > 2
    # Without being asked, the cheap profile hint sends the page to OSD and turns it back.
    analysis, ocr_image = analyse(upside_down)
    assert analysis.rotation == 180 and analysis.orientation_confidence is not None
    assert same_pixels(ocr_image, text_page.convert("L"))


def test_degraded_page_is_preprocessed_and_reads_better() -> None:
    page = render_page(SHORT_FORM, dpi=DPI)
    page = degraded(page.crop((0, 0, page.width, page.height * 2 // 5)))
    analysis, ocr_image = analyse(page)
    assert analysis.preprocessing == "normalize" and ocr_image.mode == "L"
    engine = TesseractEngine(TesseractConfig())
    truth = " ".join([SHORT_FORM.title or "", *SHORT_FORM.body])
    raw = cer(engine.recognize(PageImage(index=0, image=page, dpi=DPI)).text, truth)
    treated = cer(engine.recognize(PageImage(index=0, image=ocr_image, dpi=DPI)).text, truth)
    assert treated < raw and treated < 0.05


def test_low_resolution_page_must_be_rescanned() -> None:
    analysis, _ = analyse(render_page(BIRTH_FORM, dpi=150), dpi=150)
    assert analysis.flag_codes == ("low_dpi",) and analysis.rescan
    assert "200 dpi" in analysis.quality_flags[0].reason_vi


def test_blurred_page_must_be_rescanned(text_page: Image.Image) -> None:
    blurred = Image.fromarray(cv2.GaussianBlur(np.asarray(text_page), (0, 0), 4))  # σ 0.5 mm
    analysis, _ = analyse(blurred)
    assert "blurred" in analysis.flag_codes and analysis.rescan
    assert "mờ" in analysis.quality_flags[analysis.flag_codes.index("blurred")].reason_vi


@pytest.mark.parametrize(("change", "code"), [
    (lambda p: Image.fromarray((np.asarray(p) * 0.35).astype(np.uint8)), "too_dark"),
    (lambda p: Image.fromarray((255 - (255 - np.asarray(p)) * 0.15).astype(np.uint8)),
     "too_light"),
    (lambda p: p.crop((round(p.width * 0.12), 0, p.width, p.height)), "cut_off"),
    (lambda p: p.convert("L"), "not_colour"),
], ids=["dark", "light", "cut-off", "grey"])
def test_quality_gate_flags_with_reasons(text_page: Image.Image, change: object,
                                         code: str) -> None:
    analysis, _ = analyse(change(text_page))  # type: ignore[operator]
    assert code in analysis.flag_codes and analysis.rescan
    assert all(flag.reason_vi and flag.reason_en for flag in analysis.quality_flags)
