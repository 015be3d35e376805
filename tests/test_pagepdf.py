"""The two-layer page PDF written from OCR words (``ocr.pagepdf``), read back with pdfplumber."""

from __future__ import annotations

import io

import pdfplumber
import pikepdf
from fontTools.ttLib import TTFont
from PIL import Image

from ocr.model import Word
from ocr.pagepdf import GLYPH_ADVANCE, glyphless_font, text_lines, two_layer_page

DPI = 200
SCALE = 72 / DPI
# Two lines as Tesseract boxes them: tops differ with the tone marks, "Việt" hangs lower.
WORDS = (
    Word("Cộng", 91.0, (100, 96, 140, 52)),
    Word("hòa", 93.0, (258, 100, 96, 48)),
    Word("xã", 95.0, (372, 108, 60, 40)),
    Word("hội", 90.0, (450, 98, 88, 50)),
    Word("Việt", 89.0, (100, 200, 110, 56)),
    Word("Nam", 96.0, (228, 204, 118, 44)),
)


def page_words(pdf: bytes) -> list[dict[str, float | str]]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return list(doc.pages[0].extract_words())


def test_words_come_back_over_their_boxes() -> None:
    pdf = two_layer_page(Image.new("RGB", (700, 320), "white"), DPI, WORDS)
    found = {str(w["text"]): w for w in page_words(pdf)}
    assert set(found) == {w.text for w in WORDS}
    for word in WORDS:
        left, _, width, _ = word.box
        got = found[word.text]
        assert abs(float(got["x0"]) - left * SCALE) < 0.5
        assert abs(float(got["x1"]) - (left + width) * SCALE) < 0.5


def test_lines_read_back_as_lines() -> None:
    pdf = two_layer_page(Image.new("L", (700, 320), 255), DPI, WORDS)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert (doc.pages[0].extract_text() or "").splitlines() == ["Cộng hòa xã hội", "Việt Nam"]


def test_words_group_into_lines_by_overlap_and_order() -> None:
    lines = text_lines(WORDS)
    assert [[w.text for w in line] for line in lines] == [["Cộng", "hòa", "xã", "hội"],
                                                           ["Việt", "Nam"]]
    column = (Word("a", 90, (500, 100, 40, 40)), Word("b", 90, (100, 110, 40, 40)))
    assert len(text_lines(column)) == 2  # back to the left: a new line even at the same height


def test_the_page_is_the_image_at_its_resolution() -> None:
    pdf = two_layer_page(Image.new("RGB", (1654, 2339), (250, 240, 230)), DPI, WORDS)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        assert [round(float(v), 1) for v in page.mediabox] == [0, 0, 595.4, 842.0]
        [image] = page.Resources.XObject.values()
        assert (int(image.Width), int(image.Height)) == (1654, 2339)
        assert image.ColorSpace == pikepdf.Name.DeviceRGB and image.Filter == pikepdf.Name.DCTDecode
        assert "/F0" in page.Resources.Font


def test_a_page_without_words_is_its_image_alone() -> None:
    bilevel = Image.new("1", (400, 300), 1)
    pdf = two_layer_page(bilevel, DPI, ())
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        assert "/Font" not in page.Resources
        [image] = page.Resources.XObject.values()
        assert image.ColorSpace == pikepdf.Name.DeviceGray and int(image.BitsPerComponent) == 8
    assert page_words(pdf) == []


def test_the_font_is_one_empty_glyph_half_an_em_wide_and_reproducible() -> None:
    program = glyphless_font()
    font = TTFont(io.BytesIO(program))
    assert font["head"].unitsPerEm == 2048
    assert {name: metrics[0] for name, metrics in font["hmtx"].metrics.items()} == {
        ".notdef": GLYPH_ADVANCE, "space": GLYPH_ADVANCE}
    assert all(font["glyf"][name].numberOfContours == 0 for name in font.getGlyphOrder())
    glyphless_font.cache_clear()
    assert glyphless_font() == program
    image = Image.new("RGB", (700, 320), "white")
    assert two_layer_page(image, DPI, WORDS) == two_layer_page(image, DPI, WORDS)
