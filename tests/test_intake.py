"""Intake: type sniffing, limits and readability, before anything is stored."""

from __future__ import annotations

import io

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from ingest.errors import CorruptFile, EmptyFile, FileTooLarge, TooManyPages, UnsupportedMediaType
from ingest.intake import EncryptedPdf, IntakeLimits, PageTooSmall, inspect_upload
from ingest.rasterize import rasterize
from ingest.sniff import MediaType, sniff_media_type
from ingest.text import fold, nfc
from tests.synthetic import BIRTH_FORM, render_page, to_pdf, to_png, to_tiff

LIMITS = IntakeLimits()


@pytest.fixture(scope="module")
def page_png() -> bytes:
    return to_png(render_page(BIRTH_FORM, dpi=100), dpi=100)


def test_sniff_uses_bytes_not_names(page_png: bytes) -> None:
    assert sniff_media_type(page_png) is MediaType.PNG
    assert sniff_media_type(b"%PDF-1.7\n...") is MediaType.PDF
    with pytest.raises(UnsupportedMediaType):
        sniff_media_type(b"PK\x03\x04 this is a zip file")
    with pytest.raises(UnsupportedMediaType):
        sniff_media_type("Tờ khai".encode())
    with pytest.raises(EmptyFile):
        sniff_media_type(b"")


def test_inspect_counts_pages_and_hashes(page_png: bytes) -> None:
    image = render_page(BIRTH_FORM, dpi=100)
    pdf = inspect_upload(to_pdf([image, image], dpi=100), "hồ sơ.pdf", LIMITS)
    assert (pdf.media_type, pdf.page_count) == (MediaType.PDF, 2)
    assert len(pdf.sha256) == 64
    tiff = inspect_upload(to_tiff([image, image, image], dpi=100), "scan.tif", LIMITS)
    assert (tiff.media_type, tiff.page_count) == (MediaType.TIFF, 3)
    png = inspect_upload(page_png, "a.bin", LIMITS)  # the extension is ignored
    assert png.media_type is MediaType.PNG


def test_corrupt_and_truncated_files_are_rejected(page_png: bytes) -> None:
    with pytest.raises(CorruptFile):
        inspect_upload(b"%PDF-1.4\nnot really a pdf", "x.pdf", LIMITS)
    with pytest.raises(CorruptFile):
        inspect_upload(page_png[: len(page_png) // 2], "half.png", LIMITS)


def test_limits(page_png: bytes) -> None:
    with pytest.raises(FileTooLarge):
        inspect_upload(page_png, "a.png", IntakeLimits(max_bytes=100))
    image = render_page(BIRTH_FORM, dpi=72)
    with pytest.raises(TooManyPages):
        inspect_upload(to_pdf([image] * 3, dpi=72), "a.pdf", IntakeLimits(max_pages=2))


def test_rasterize_pdf_and_images() -> None:
    image = render_page(BIRTH_FORM, dpi=100)
    pages = list(rasterize(to_pdf([image, image], dpi=100), MediaType.PDF, 150, 10**9))
    assert [p.index for p in pages] == [0, 1]
    assert pages[0].dpi == 150 and pages[0].image.width == pytest.approx(8.27 * 150, abs=3)
    assert not pages[0].has_text_layer
    tiff_pages = list(rasterize(to_tiff([image] * 2, dpi=100), MediaType.TIFF, 300, 10**9))
    assert len(tiff_pages) == 2 and tiff_pages[0].dpi == 100


def test_text_normalisation() -> None:
    decomposed = "Ho\u0302\u0300 so\u031b"  # "Hồ sơ" in NFD
    assert nfc(decomposed) == "Hồ sơ"
    assert fold("TỜ KHAI ĐĂNG KÝ Khai Sinh") == "to khai dang ky khai sinh"


def _pdf(width_pt: float, height_pt: float) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width_pt, height_pt))
    pdf.drawString(10, 10, "x")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_hostile_and_degenerate_files_are_refused_before_decoding() -> None:
    encrypted = io.BytesIO()
    with pikepdf.open(io.BytesIO(_pdf(595, 842))) as pdf:
        pdf.save(encrypted, encryption=pikepdf.Encryption(user="mật khẩu", owner="o"))
    with pytest.raises(EncryptedPdf):
        inspect_upload(encrypted.getvalue(), "khoa.pdf", LIMITS)

    empty = io.BytesIO()
    pdfium.PdfDocument.new().save(empty)
    with pytest.raises(CorruptFile) as no_pages:
        inspect_upload(empty.getvalue(), "rong.pdf", LIMITS)
    assert no_pages.value.code == "no_pages"

    with pytest.raises(CorruptFile) as absurd:  # 200 × 200 inches: 3.6 gigapixels at 300 dpi
        inspect_upload(_pdf(14400, 14400), "ban-do.pdf", LIMITS)
    assert absurd.value.code == "page_too_large"

    bomb = io.BytesIO()  # 40 000 × 40 000 pixels, a few hundred kilobytes on disk
    Image.new("1", (40_000, 40_000), 1).save(bomb, format="PNG")
    assert len(bomb.getvalue()) < 1_000_000
    with pytest.raises(CorruptFile) as exploded:
        inspect_upload(bomb.getvalue(), "bom.png", LIMITS)
    assert exploded.value.code == "page_too_large"

    tiny = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(tiny, format="PNG")
    with pytest.raises(PageTooSmall):
        inspect_upload(tiny.getvalue(), "nho.png", LIMITS)

    truncated = _pdf(595, 842)
    with pytest.raises(CorruptFile):
        inspect_upload(truncated[: len(truncated) // 3], "cut.pdf", LIMITS)
