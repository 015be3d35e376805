"""PDF/A-2b archive copies of real OCR output (Tesseract words, ``ocr.pagepdf`` page PDFs),
checked with pikepdf and pdfplumber.

veraPDF is not available here (no Java downloads); these tests check the rules our converter
is responsible for: identification, metadata agreement, output intent, embedded fonts, no
encryption, a file ID, and the TT 05 image requirements (24-bit colour, ≥ 200 dpi).
"""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw
from reportlab.pdfgen import canvas

from api.page_pipeline import process_page
from ingest.rasterize import PageImage
from ocr.pagepdf import with_page_pdf
from ocr.pdf import assemble_pdf
from ocr.pdfa import (
    ArchiveMetadata,
    PdfaError,
    archive_filename,
    inspect_pages,
    to_pdfa,
)
from ocr.tesseract import TesseractConfig, TesseractEngine
from tests.synthetic import BIRTH_FORM, render_page

DPI = 200
VIETNAM = timezone(timedelta(hours=7))
META = ArchiveMetadata(
    title="Tờ khai đăng ký khai sinh", dossier_code="000.00.15.H05-250703-0001",
    document_type="Tờ khai", creator="UBND xã Hòa Bình",
    digitized_at=datetime(2026, 3, 12, 9, 30, tzinfo=VIETNAM), ordinal=1, producer="sohoa 0.1.0")


@pytest.fixture(scope="module")
def engine() -> TesseractEngine:
    return TesseractEngine(TesseractConfig())


@pytest.fixture(scope="module")
def colour_page() -> Image.Image:
    page = render_page(BIRTH_FORM, dpi=DPI)
    return page.crop((0, 0, page.width, page.height // 3))  # a third of A4: quick to read


@pytest.fixture(scope="module")
def two_layer(engine: TesseractEngine, colour_page: Image.Image) -> bytes:
    """What the pipeline archives: the page PDF over the OCR words, merged by assemble_pdf."""
    page = engine.recognize(PageImage(index=0, image=colour_page, dpi=DPI))
    return assemble_pdf([with_page_pdf(page, colour_page)], None)


@pytest.fixture(scope="module")
def archived(two_layer: bytes) -> bytes:
    return to_pdfa(two_layer, META)


def nfc_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return unicodedata.normalize("NFC", "\n".join(p.extract_text() or "" for p in doc.pages))


def test_identifies_as_pdfa_2b_with_metadata_matching_info(archived: bytes) -> None:
    with pikepdf.open(io.BytesIO(archived)) as doc:
        xmp = doc.open_metadata()
        assert xmp.pdfa_status == "2B"
        assert xmp["dc:title"] == META.title and xmp["dc:creator"] == [META.creator]
        assert xmp["dc:identifier"] == "000.00.15.H05-250703-0001.1"
        assert xmp["dc:source"] == META.dossier_code and xmp["dc:type"] == {"Tờ khai"}
        assert xmp["xmp:CreateDate"] == "2026-03-12T09:30:00+07:00"
        info = doc.docinfo
        assert str(info.Title) == META.title and str(info.Author) == META.creator
        assert str(info.Producer) == xmp["pdf:Producer"]
        assert str(info.Creator) == xmp["xmp:CreatorTool"] == "sohoa 0.1.0"
        assert str(info.CreationDate).startswith("D:20260312093000+07")
        assert "/Filter" not in doc.Root.Metadata  # XMP stays readable as plain text
        assert "/Encrypt" not in doc.trailer and len(doc.trailer.ID) == 2
        assert doc.pdf_version == "1.7"


def test_srgb_output_intent(archived: bytes) -> None:
    with pikepdf.open(io.BytesIO(archived)) as doc:
        [intent] = doc.Root.OutputIntents
        assert intent.S == pikepdf.Name.GTS_PDFA1
        profile = intent.DestOutputProfile
        icc = profile.read_bytes()
        assert int(profile.N) == 3 and icc[36:40] == b"acsp"
        assert icc[12:16] == b"mntr" and icc[16:20] == b"RGB " and icc[8] <= 4


def test_every_font_is_embedded(archived: bytes) -> None:
    with pikepdf.open(io.BytesIO(archived)) as doc:
        fonts = [o for o in doc.objects
                 if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == pikepdf.Name.Font
                 and o.get("/Subtype") != pikepdf.Name.Type0]
        assert fonts and {str(f.BaseFont) for f in fonts} == {"/GlyphLessFont"}
        for font in fonts:
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(font.FontDescriptor.keys())


def test_text_layer_and_colour_image_survive(archived: bytes) -> None:
    text = nfc_text(archived)
    assert "KHAI SINH" in text and "Nguyễn Thị Lan" in text
    [page] = inspect_pages(archived)
    assert page.is_24_bit_colour and min(page.dpi) >= 200


def test_same_input_gives_same_bytes(two_layer: bytes, archived: bytes) -> None:
    assert to_pdfa(two_layer, META) == archived


def test_colour_image_replaces_grey_ocr_image(engine: TesseractEngine,
                                              colour_page: Image.Image) -> None:
    """OCR ran on a grey cleaned-up copy; the archive must still show the colour scan."""
    grey_image = colour_page.convert("L")
    grey = engine.recognize(PageImage(index=0, image=grey_image, dpi=DPI))
    assert not inspect_pages(with_page_pdf(grey, grey_image).pdf or b"")[0].is_24_bit_colour
    archived = to_pdfa(assemble_pdf([with_page_pdf(grey, colour_page)], None), META)
    [page] = inspect_pages(archived)
    assert page.is_24_bit_colour and page.dpi == (200.0, 200.0)
    assert "Nguyễn Thị Lan" in nfc_text(archived)
    with pytest.raises(ValueError, match="different size"):
        with_page_pdf(grey, colour_page.rotate(90, expand=True))


def test_pipeline_reads_grey_but_archives_the_colour_scan(engine: TesseractEngine,
                                                          colour_page: Image.Image) -> None:
    """process_page hands Tesseract a grey copy (faster) and puts the colour scan back."""
    stamped = colour_page.copy()
    ImageDraw.Draw(stamped).ellipse((1200, 60, 1500, 360), outline=(200, 20, 20), width=14)
    result = process_page(PageImage(index=0, image=stamped, dpi=DPI), engine, None)
    assert result.analysis is not None and result.analysis.preprocessing == "none"
    assert "Nguyễn Thị Lan" in result.text.text
    assert result.text.pdf is not None
    [page] = inspect_pages(result.text.pdf)
    assert page.is_24_bit_colour and page.dpi == (200.0, 200.0)
    document = pdfium.PdfDocument(result.text.pdf)
    rendered = document[0].render(scale=DPI / 72).to_pil().convert("RGB")
    red, green, blue = rendered.getpixel((1200 + 7, 210))  # on the stamp's left edge
    assert red > 150 and green < 90 and blue < 90, (red, green, blue)


def test_unembedded_font_is_refused_with_a_reason() -> None:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont("Helvetica", 12)  # a standard-14 font: referenced, never embedded
    pdf.drawString(72, 720, "Giay to co lop chu")
    pdf.save()
    with pytest.raises(PdfaError) as error:
        to_pdfa(buffer.getvalue(), META)
    assert "Helvetica" in error.value.message_vi and "không được nhúng" in error.value.message_vi
    assert error.value.code == "pdfa_not_convertible"


def test_a_font_written_inline_in_the_page_resources_is_checked_too() -> None:
    # doc.objects lists indirect objects only; an inline (direct) font dictionary escaped it.
    doc = pikepdf.new()
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType,
                              BaseFont=pikepdf.Name("/Arial"))
    page = pikepdf.Page(pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=doc.make_stream(b"BT /F1 12 Tf 72 720 Td (Giay to) Tj ET")))
    doc.pages.append(page)
    buffer = io.BytesIO()
    doc.save(buffer)
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as saved:
        resources = saved.pages[0].Resources.Font
        assert not resources.F1.is_indirect  # the case under test
    with pytest.raises(PdfaError) as error:
        to_pdfa(buffer.getvalue(), META)
    assert "/Arial" in error.value.message_vi and "không được nhúng" in error.value.message_vi


def test_archive_file_names_follow_tt05() -> None:
    assert archive_filename("000.00.15.H05-250703-0001", 1) == "000.00.15.H05-250703-0001.1.pdf"
    assert archive_filename("H49.64.33.2001.160", 1) == "H49.64.33.2001.160.1.pdf"
    assert archive_filename("H49.64.33.2001.160", None) == "H49.64.33.2001.160.pdf"
    for bad in ("", "../etc", "a/b", "mã hồ sơ", ".hidden"):
        with pytest.raises(ValueError):
            archive_filename(bad, 1)
    with pytest.raises(ValueError):
        archive_filename("H49.64.33.2001.160", 0)


def test_metadata_needs_a_time_zone() -> None:
    with pytest.raises(ValueError, match="timezone"):
        ArchiveMetadata(title="x", dossier_code="X-250101-0001", document_type="x", creator="x",
                        digitized_at=datetime(2026, 1, 1, 8, 0))
    aware = ArchiveMetadata(title="x", dossier_code="X-250101-0001", document_type="x",
                            creator="x", digitized_at=datetime(2026, 1, 1, 1, 0, tzinfo=UTC))
    assert aware.identifier == "X-250101-0001"
