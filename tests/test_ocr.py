"""OCR with the real Tesseract ``vie`` model, and the PDF text-layer path."""

from __future__ import annotations

import io
from collections.abc import Callable

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from api.page_pipeline import process_page
from ingest.rasterize import rasterize
from ingest.sniff import MediaType
from ocr.model import PageText
from ocr.parallel import map_pages
from ocr.pdf import assemble_pdf
from ocr.tesseract import TesseractConfig, TesseractEngine, TesseractUnavailable, parse_tsv
from tests.synthetic import BIRTH_CERTIFICATE, BIRTH_FORM, FONT_DIR, render_page, to_pdf


@pytest.fixture(scope="module")
def engine() -> TesseractEngine:
    return TesseractEngine(TesseractConfig())


def text_pdf(lines: list[str]) -> bytes:
    """A born-digital PDF with a real text layer, as a word processor exports it."""
    regular = FONT_DIR / "LiberationSerif-Regular.ttf"
    pdfmetrics.registerFont(TTFont("LiberationSerif", str(regular)))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("LiberationSerif", 13)
    for i, line in enumerate(lines):
        pdf.drawString(72, 760 - 20 * i, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def read_pages(data: bytes, dpi: int, engine: TesseractEngine, workers: int = 1,
               on_page: Callable[[PageText], None] | None = None) -> list[PageText]:
    """The PDF's pages through the page pipeline, ``workers`` at a time."""
    return map_pages(rasterize(data, MediaType.PDF, dpi, 10**9),
                     lambda page: process_page(page, engine, data).text,
                     workers=workers, on_done=on_page)


def test_reads_vietnamese_with_words_and_confidences(engine: TesseractEngine) -> None:
    data = to_pdf([render_page(BIRTH_FORM, dpi=200)], dpi=200)
    [page] = read_pages(data, 200, engine)
    assert page.source == "tesseract" and page.status == "ok"
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in page.text
    assert "Nguyễn Thị Lan" in page.text
    assert page.mean_confidence is not None and page.mean_confidence > 85
    word = next(w for w in page.words if w.text == "Lan")
    left, top, width, height = word.box
    assert 0 < left < page.width and 0 < top < page.height and width > 0 and height > 0
    assert page.pdf is not None and page.pdf.startswith(b"%PDF")


def test_pages_in_parallel_keep_their_order(engine: TesseractEngine) -> None:
    images = [render_page(BIRTH_FORM, dpi=150), render_page(BIRTH_CERTIFICATE, dpi=150)]
    data = to_pdf(images, dpi=150)
    seen: list[int] = []
    pages = read_pages(data, 150, engine, workers=2, on_page=lambda p: seen.append(p.index))
    assert [p.index for p in pages] == [0, 1]
    assert sorted(seen) == [0, 1]
    assert "GIẤY CHỨNG SINH" in pages[1].text
    merged = assemble_pdf(pages, data)
    with pdfplumber.open(io.BytesIO(merged)) as pdf:
        assert len(pdf.pages) == 2
        assert "CHỨNG SINH" in (pdf.pages[1].extract_text() or "")


def test_text_layer_pages_skip_ocr(engine: TesseractEngine) -> None:
    data = text_pdf(["QUYẾT ĐỊNH về việc cấp giấy phép xây dựng nhà ở riêng lẻ",
                     "Căn cứ Luật Xây dựng số 50/2014/QH13"])
    [page] = read_pages(data, 150, engine)
    assert page.source == "text_layer"
    assert "QUYẾT ĐỊNH về việc cấp giấy phép xây dựng" in page.text
    merged = assemble_pdf([page], data)  # the original page is archived as it was
    with pdfplumber.open(io.BytesIO(merged)) as pdf:
        assert "Luật Xây dựng" in (pdf.pages[0].extract_text() or "")


def test_missing_language_is_a_clear_error() -> None:
    with pytest.raises(TesseractUnavailable, match="klingon"):
        TesseractEngine(TesseractConfig(lang="klingon"))
    with pytest.raises(TesseractUnavailable):
        TesseractEngine(TesseractConfig(command="/nonexistent/tesseract"))


def test_tsv_parsing_groups_lines_and_paragraphs() -> None:
    header = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth"
              "\theight\tconf\ttext")
    rows = [
        "5\t1\t1\t1\t1\t1\t10\t10\t50\t20\t96.5\tTờ",
        "5\t1\t1\t1\t1\t2\t70\t10\t50\t20\t91.0\tkhai",
        "5\t1\t1\t1\t2\t1\t10\t40\t50\t20\t88.0\tKính",
        "5\t1\t2\t1\t1\t1\t10\t90\t50\t20\t80.0\tgửi",
        "4\t1\t2\t1\t1\t0\t10\t90\t50\t20\t-1\t",
    ]
    words, text = parse_tsv("\n".join([header, *rows]))
    assert [w.text for w in words] == ["Tờ", "khai", "Kính", "gửi"]
    assert text == "Tờ khai\nKính\n\ngửi"


def test_tsv_parsing_reads_the_eth_tesseract_gives_for_d_as_d() -> None:
    header = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth"
              "\theight\tconf\ttext")
    rows = ["5\t1\t1\t1\t1\t1\t10\t10\t50\t20\t96.5\t/QÐ-UBND",
            "5\t1\t1\t1\t1\t2\t70\t10\t50\t20\t91.0\tðồng"]
    words, text = parse_tsv("\n".join([header, *rows]))
    assert text == "/QĐ-UBND đồng" and words[0].text == "/QĐ-UBND"
