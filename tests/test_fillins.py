"""Hand-filled blanks of a header, read again by the second engine (classify.fields.fillins).

The synthetic headers print their words in Liberation Serif and "write" the digits with
OpenCV's Hershey script face, a stroke font shaped like handwriting; the page's words are what
Tesseract read there (junk where the digits are). The second engine is the real one.
"""

from __future__ import annotations

import io
from dataclasses import replace

import cv2
import numpy as np
import pdfplumber
import pytest
from PIL import Image, ImageDraw, ImageFont

from classify.fields import extract_fields
from classify.fields.fillins import read_fill_ins
from ocr.bandreader import BandReader, default_band_reader
from ocr.model import PageText, Word
from tests.shared_data import shared_data

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
SCANS = shared_data("external", "scanned_official")
BASELINE = 60
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def header(*items: tuple[str, str]) -> tuple[Image.Image, PageText]:
    """A header line laid out left to right. Each item is (printed word, what Tesseract read
    there) or ("✍digits", what Tesseract read there): digits written by hand. A reading of ""
    means Tesseract saw nothing there. The page's words are the readings."""
    image = Image.new("RGB", (1000, 160), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 30)
    pixels = np.zeros(0)
    handwritten: list[tuple[int, str]] = []
    words, x = [], 40
    for shown, read in items:
        if shown.startswith("✍"):
            (width, height), _ = cv2.getTextSize(shown[1:], cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 1.5, 2)
            handwritten.append((x, shown[1:]))
            box = (x, BASELINE + 28 - height, width, height)
        else:
            draw.text((x, BASELINE), shown, font=font, fill="black")
            left, top, right, bottom = draw.textbbox((x, BASELINE), shown, font=font)
            box, width = (left, top, right - left, bottom - top), right - left
        if read:
            words.append(Word(read, 90.0, box))
        x += width + 14
    pixels = np.array(image)
    for left, digits in handwritten:
        cv2.putText(pixels, digits, (left, BASELINE + 28), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 1.5,
                    (20, 20, 90), 2, cv2.LINE_AA)
    motto = [Word(t, 95.0, (500 + 60 * i, 5, 50, 20)) for i, t in enumerate(MOTTO.split())]
    text = "\n".join([MOTTO, " ".join(w.text for w in words)])
    page = PageText(index=0, text=text, mean_confidence=90.0, words=(*motto, *words),
                    source="tesseract", engine="tesseract test", width=1000, height=160,
                    dpi=200, seconds=0.0)
    return Image.fromarray(pixels), page


NUMBER = [("Số:", "Số:"), ("✍127", "l2?"), ("/QĐ-UBND", "/QĐ-UBND")]
DATE = [("Hà", "Hà"), ("Nội,", "Nội,"), ("ngày", "ngày"), ("✍15", "l$"), ("tháng", "tháng"),
        ("✍3", "?"), ("năm", "năm"), ("2026", "2026")]


def never_needed() -> BandReader:
    raise AssertionError("the second engine was loaded for a page without a blank")


def test_a_handwritten_number_read_as_junk_is_read_again() -> None:
    image, page = header(*NUMBER)
    assert extract_fields(page.text, page.words)["so_ky_hieu"].value == "/QĐ-UBND"
    filled = read_fill_ins(page, image, default_band_reader)
    assert filled.text.split("\n")[1] == "Số: 127 /QĐ-UBND"
    assert [w.text for w in filled.words[-3:]] == ["Số:", "127", "/QĐ-UBND"]
    (fill,) = filled.fill_ins
    assert (fill.field, fill.original, fill.value) == ("so", "l2?", "127")
    assert fill.confidence > 0.5 and "PP-OCRv4" in fill.reader
    left, _, width, _ = fill.box
    written = page.words[-2].box  # where Tesseract saw the junk: the digits' place
    assert written[0] - 20 < left < written[0] + 20 and left + width < page.words[-1].box[0] + 10
    assert extract_fields(filled.text, filled.words)["so_ky_hieu"].value == "127/QĐ-UBND"
    assert page.as_json()["fill_ins"] == [] and filled.as_json()["fill_ins"][0]["value"] == "127"


def test_a_number_tesseract_missed_entirely_is_inserted() -> None:
    image, page = header(NUMBER[0], (NUMBER[1][0], ""), NUMBER[2])
    filled = read_fill_ins(page, image, default_band_reader)
    assert filled.text.split("\n")[1] == "Số: 127 /QĐ-UBND"
    assert len(filled.words) == len(page.words) + 1


def test_a_blank_left_empty_stays_empty() -> None:
    image, page = header(NUMBER[0], ("", "…"), NUMBER[2])
    filled = read_fill_ins(page, image, default_band_reader)
    assert filled == page


def test_digits_are_not_taken_when_the_printed_notation_disagrees() -> None:
    # Tesseract's words say /QĐ-UBND, the image prints /TB-SNV: the band is not that number.
    image, page = header(*NUMBER[:2], ("/TB-SNV", "/QĐ-UBND"))
    assert read_fill_ins(page, image, default_band_reader) == page


def test_handwritten_day_and_month_of_the_place_date() -> None:
    image, page = header(*DATE)
    assert extract_fields(page.text, page.words)["ngay_ban_hanh"].value == "2026"
    filled = read_fill_ins(page, image, default_band_reader)
    assert filled.text.split("\n")[1] == "Hà Nội, ngày 15 tháng 3 năm 2026"
    assert {f.field: (f.original, f.value) for f in filled.fill_ins} == {
        "ngay": ("l$", "15"), "thang": ("?", "3")}
    assert extract_fields(filled.text, filled.words)["ngay_ban_hanh"].value == "2026-03-15"


def test_a_date_whose_year_reads_differently_is_left_alone() -> None:
    image, page = header(*DATE[:-1], ("2025", "2026"))
    assert read_fill_ins(page, image, default_band_reader) == page


def test_pages_without_a_blank_never_load_the_second_engine() -> None:
    image, page = header(NUMBER[0], ("127", "127"), NUMBER[2])
    assert read_fill_ins(page, image, never_needed) == page
    junk = PageText(**{**page.__dict__, "text": page.text.replace("127", "l2?"),
                       "words": tuple(replace(w, text="l2?") if w.text == "127" else w
                                      for w in page.words)})
    layer = replace(junk, source="text_layer")  # the author's own text: never re-read
    assert read_fill_ins(layer, image, never_needed) == layer


@pytest.mark.parametrize(("scan", "number", "issued"), [
    ("sc01_cong_van_cuc_thue_2191-CT-CS_p1.png", "2191/CT-CS", "2026-04-08"),
    ("sc02_cong_van_ttg_464-TTg-CDS_p1.png", "464/TTg-CĐS", "2026-04-30"),
])
def test_real_scans_handwritten_numbers_through_the_page_stage(scan: str, number: str,
                                                               issued: str) -> None:
    """The service's own page stage (analysis, Tesseract, correction, fill-ins, page PDF)."""
    from api.page_pipeline import process_page
    from ingest.rasterize import rasterize
    from ingest.sniff import MediaType
    from ocr.tesseract import TesseractConfig, TesseractEngine

    data = (SCANS / scan).read_bytes()
    page = next(iter(rasterize(data, MediaType.PNG, 300, 200_000_000)))
    result = process_page(page, TesseractEngine(TesseractConfig()), None)
    fields = extract_fields(result.text.text, result.text.words)
    assert fields["so_ky_hieu"].value == number
    assert fields["ngay_ban_hanh"].value == issued
    assert any(f["field"] == "so" for f in result.summary()["fill_ins"])
    assert result.text.pdf is not None
    with pdfplumber.open(io.BytesIO(result.text.pdf)) as pdf:
        assert number.split("/")[0] in (pdf.pages[0].extract_text() or "")


def test_junk_spread_over_several_words_is_replaced_by_one_number() -> None:
    image, page = header(NUMBER[0], ("✍127", "Z/"), ("", "đổ"), NUMBER[2])
    filled = read_fill_ins(page, image, default_band_reader)
    assert filled.text.split("\n")[1] == "Số: 127 /QĐ-UBND"
    assert filled.fill_ins[0].original == "Z/ đổ"


def test_digits_tesseract_was_unsure_of_are_checked_and_corrected() -> None:
    image, page = header(*NUMBER)
    unsure = replace(page, text=page.text.replace("l2?", "121"), words=tuple(
        replace(w, text="121", conf=61.0) if w.text == "l2?" else w for w in page.words))
    filled = read_fill_ins(unsure, image, default_band_reader)
    assert [(f.original, f.value) for f in filled.fill_ins] == [("121", "127")]
    sure = replace(unsure, words=tuple(replace(w, conf=96.0) if w.text == "121" else w
                                       for w in unsure.words))
    assert read_fill_ins(sure, image, never_needed) == sure


def test_unsure_digits_that_read_the_same_again_are_left_as_they_are() -> None:
    image, page = header(*NUMBER)
    unsure = replace(page, text=page.text.replace("l2?", "127"), words=tuple(
        replace(w, text="127", conf=61.0) if w.text == "l2?" else w for w in page.words))
    assert read_fill_ins(unsure, image, default_band_reader) == unsure


def test_an_impossible_date_of_digits_is_read_again() -> None:
    image, page = header(*DATE[:3], ("✍15", "45"), *DATE[4:])  # "ngày 45 tháng ? năm 2026"
    filled = read_fill_ins(page, image, default_band_reader)
    assert {f.field: (f.original, f.value) for f in filled.fill_ins} == {
        "ngay": ("45", "15"), "thang": ("?", "3")}
