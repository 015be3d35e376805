"""One-stop forms Mẫu 01–03: printable A4 PDFs with an embedded Vietnamese font and, on Mẫu 01,
a QR of the dossier code that decodes after rasterizing as a scanner would."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2
import pytest
import zxingcpp
from PIL import Image, ImageFilter

from api.forms import (
    FontUnavailable,
    FormDossier,
    FormLine,
    InvalidFormInput,
    render_receipt,
    render_refusal,
    render_supplement_request,
)
from api.forms.fonts import CANDIDATES, FontFiles, find_font_files, register_fonts
from api.forms.model import day_month_year, time_and_date
from classify.catalogue.schema import Form
from ingest.text import nfc

A4_POINTS = (595.28, 841.89)
RECEIPT_TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
SUPPLEMENT_TITLE = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
REFUSAL_TITLE = "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"

DOSSIER = FormDossier(
    code="000.00.15.H05-250703-0001",
    unit_name="Bộ phận Tiếp nhận và Trả kết quả",
    parent_name="Ủy ban nhân dân phường Ba Đình",
    procedure_code="1.013978",
    procedure_name="Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng "
    "đất, quyền sở hữu tài sản gắn liền với đất lần đầu đối với hộ gia đình, cá nhân",
    received_at=dt.datetime(2025, 7, 3, 9, 30),
    due_at=dt.date(2025, 7, 24),
    applicant_name="Nguyễn Thị Hồng Nhung",
    officer_name="Trần Văn Đức",
    place="Hà Nội",
    applicant_address="Số 12 ngõ 34 phố Đội Cấn, phường Ba Đình, thành phố Hà Nội",
    applicant_phone="0912 345 678",
)
LONG_NAME = ("Giấy tờ chứng minh quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất theo "
             "quy định tại Điều 137 Luật Đất đai năm 2024 & các giấy tờ <liên quan> về quyền "
             "sử dụng đất")
COMPONENTS = (
    FormLine("Đơn đăng ký đất đai, tài sản gắn liền với đất theo Mẫu số 04/ĐK", "ban_chinh", 1),
    FormLine(LONG_NAME, "ban_sao", 2),
    FormLine("Chứng từ thực hiện nghĩa vụ tài chính; giấy tờ liên quan đến việc miễn, giảm "
             "nghĩa vụ tài chính về đất đai, tài sản gắn liền với đất (nếu có)",
             "ban_chinh_hoac_ban_sao", 1),
    FormLine("Sơ đồ nhà ở, công trình xây dựng", "ban_sao_chung_thuc", 1),
)
MISSING = (
    FormLine(LONG_NAME, "ban_sao", 1,
             "Bản sao chưa được chứng thực; thiếu trang 3 và trang 4 của Giấy chứng nhận."),
    FormLine("Mảnh trích đo bản đồ địa chính thửa đất", "ban_chinh", 1,
             "Chưa nộp: thửa đất chưa có bản đồ địa chính, phải trích đo."),
)
REASONS = (
    "Hồ sơ không thuộc thẩm quyền giải quyết của Ủy ban nhân dân phường Ba Đình theo quy định "
    "tại Nghị định số 118/2025/NĐ-CP.",
    "Thửa đất đang có tranh chấp, đã được Tòa án nhân dân thụ lý giải quyết.",
)


def flat(text: str) -> str:
    """NFC with all runs of white space as one space, for comparing wrapped text."""
    return " ".join(nfc(text).split())


def page_texts(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def component_rows(pdf: bytes) -> list[list[str]]:
    """Rows of the components table (the table whose header starts with "STT"), all pages."""
    rows: list[list[str]] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for table in page.extract_tables():
                if table and table[0] and table[0][0] == "STT":
                    rows.extend([flat(cell or "") for cell in row] for row in table[1:])
    return rows


@pytest.fixture(scope="module")
def receipt() -> bytes:
    return render_receipt(DOSSIER, COMPONENTS)


@pytest.fixture(scope="module")
def supplement() -> bytes:
    return render_supplement_request(DOSSIER, MISSING)


@pytest.fixture(scope="module")
def refusal() -> bytes:
    return render_refusal(DOSSIER, REASONS, issued_at=dt.datetime(2025, 7, 4, 14, 0))


def test_receipt_lists_what_was_received(receipt: bytes) -> None:
    texts = page_texts(receipt)
    first, text = flat(texts[0]), flat(" ".join(texts))
    assert unicodedata.is_normalized("NFC", text)
    assert RECEIPT_TITLE in first
    assert f"Mã hồ sơ: {DOSSIER.code}" in first
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "Hà Nội, ngày 03 tháng 7 năm 2025", "Nguyễn Thị Hồng Nhung", "Trần Văn Đức",
                     "0912 345 678", "mã thủ tục 1.013978",
                     "09 giờ 30 phút, ngày 03 tháng 7 năm 2025", "ngày 24 tháng 7 năm 2025"):
        assert flat(expected) in text, expected
    assert flat(DOSSIER.procedure_name) in text
    rows = component_rows(receipt)
    assert [row[1] for row in rows] == [flat(line.name) for line in COMPONENTS]
    assert [row[2] for row in rows] == ["Bản chính", "Bản sao", "Bản chính hoặc bản sao",
                                        "Bản sao chứng thực"]
    assert [row[3] for row in rows] == ["01", "02", "01", "01"]


def test_header_has_issuer_left_and_motto_right(receipt: bytes) -> None:
    with pdfplumber.open(io.BytesIO(receipt)) as doc:
        page = doc.pages[0]
        split = (30 + 66) / 25.4 * 72
        left = flat(page.crop((0, 0, split, 120)).extract_text() or "")
        right = flat(page.crop((split, 0, page.width, 120)).extract_text() or "")
    assert left == "ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"
    assert right == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"


def test_supplement_request_names_each_component_and_reason(supplement: bytes) -> None:
    text = flat(" ".join(page_texts(supplement)))
    assert unicodedata.is_normalized("NFC", text)
    assert SUPPLEMENT_TITLE in text
    assert f"Mã hồ sơ: {DOSSIER.code}" in text
    for number, line in enumerate(MISSING, start=1):
        assert f"{number}. {flat(line.name)}" in text
        assert f"Lý do: {flat(line.reason or '')}" in text
    assert text.index(flat(MISSING[0].name)) < text.index(flat(MISSING[1].name))
    assert "NGƯỜI HƯỚNG DẪN" in text


def test_refusal_states_the_reasons(refusal: bytes) -> None:
    text = flat(" ".join(page_texts(refusal)))
    assert REFUSAL_TITLE in text
    assert f"Mã hồ sơ: {DOSSIER.code}" in text
    for number, reason in enumerate(REASONS, start=1):
        assert f"{number}. {flat(reason)}" in text
    assert "Hà Nội, ngày 04 tháng 7 năm 2025" in text  # dated the day it is issued


@pytest.mark.parametrize(("form", "title"), [
    ("receipt", RECEIPT_TITLE), ("supplement", SUPPLEMENT_TITLE), ("refusal", REFUSAL_TITLE)])
def test_pdf_is_a4_with_embedded_truetype_and_metadata(
        form: str, title: str, request: pytest.FixtureRequest) -> None:
    pdf_bytes: bytes = request.getfixturevalue(form)
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            box = [float(value) for value in page.MediaBox]
            assert box[2:] == pytest.approx(A4_POINTS, abs=0.5)
            fonts = list(page.Resources.Font.values())
            assert fonts
            for font in fonts:
                assert font.Subtype == "/TrueType"
                assert "/FontFile2" in font.FontDescriptor, font.BaseFont
                assert "/ToUnicode" in font
        assert any("LiberationSerif" in str(font.BaseFont) or "DejaVuSerif" in str(font.BaseFont)
                   for font in pdf.pages[0].Resources.Font.values())
        info = pdf.docinfo
        assert nfc(str(info.Title)) == f"{title.capitalize()} – {DOSSIER.code}"
        assert "1.013978" in str(info.Subject)
        assert str(info.CreationDate).startswith("D:2025070")


def decode_qr(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)
            if result.format == zxingcpp.BarcodeFormat.QRCode]


def rasterize_first_page(pdf: bytes, dpi: int, grey: bool = False) -> Image.Image:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[0].render(scale=dpi / 72, grayscale=grey).to_pil()
    finally:
        document.close()


def test_receipt_qr_decodes_to_the_dossier_code_at_200_dpi(receipt: bytes) -> None:
    assert decode_qr(rasterize_first_page(receipt, 200)) == [DOSSIER.code]


def test_receipt_qr_survives_a_poor_scan(receipt: bytes) -> None:
    """Grey, blurred, JPEG-compressed at 200 dpi and slightly rotated, like a real cover sheet."""
    image = rasterize_first_page(receipt, 200, grey=True).convert("L")
    image = image.filter(ImageFilter.GaussianBlur(1.2)).rotate(1.5, expand=True, fillcolor=255)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=40)
    assert decode_qr(Image.open(io.BytesIO(buffer.getvalue()))) == [DOSSIER.code]


def test_qr_sits_in_the_top_half_of_page_one(receipt: bytes) -> None:
    image = rasterize_first_page(receipt, 200)
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1
    assert results[0].position.top_left.y < image.height / 2
    assert results[0].position.top_right.x > image.width / 2


def test_long_text_wraps_inside_the_page() -> None:
    unbroken = "Giấytờ" * 40  # one 240-character "word": must be split, not overflow
    lines = [*COMPONENTS, FormLine(unbroken, "ban_sao", 1)]
    pdf = render_receipt(DOSSIER, lines)
    right_margin = A4_POINTS[0] - 20 / 25.4 * 72
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            assert max(char["x1"] for char in page.chars) <= right_margin + 1
            assert min(char["x0"] for char in page.chars) >= 30 / 25.4 * 72 - 1
    assert flat(unbroken) in [row[1].replace(" ", "") for row in component_rows(pdf)]


def test_many_components_flow_onto_more_pages_with_the_header_repeated() -> None:
    lines = [FormLine(f"{line.name} (bộ {n})", line.form, line.quantity)
             for n in range(1, 11) for line in COMPONENTS]
    pdf = render_receipt(DOSSIER, lines)
    texts = page_texts(pdf)
    assert len(texts) > 1
    assert all(text.count("Tên thành phần hồ sơ") == 1 for text in texts)
    assert [row[1] for row in component_rows(pdf)] == [flat(line.name) for line in lines]
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in texts[-1]


def test_decomposed_input_is_printed_composed() -> None:
    nfd = unicodedata.normalize("NFD", LONG_NAME)
    assert nfd != LONG_NAME
    line = FormLine(nfd, "ban_sao", 1, unicodedata.normalize("NFD", "Thiếu chữ ký"))
    assert line.name == LONG_NAME
    name = unicodedata.normalize("NFD", "Lê Thị Ửng")
    dossier = dataclasses.replace(DOSSIER, applicant_name=name)
    text = flat(" ".join(page_texts(render_supplement_request(dossier, [line]))))
    assert flat(LONG_NAME) in text
    assert "Lê Thị Ửng" in text
    assert "Lý do: Thiếu chữ ký" in text


def test_unknown_values_leave_room_to_write_by_hand() -> None:
    dossier = FormDossier(code="H05.10-250703-0002", unit_name="Trung tâm Phục vụ hành chính công",
                          procedure_code="1.001193", procedure_name="Thủ tục đăng ký khai sinh",
                          received_at=dt.datetime(2025, 2, 5, 8, 5))
    text = flat(page_texts(render_receipt(dossier, [FormLine("Giấy chứng sinh")]))[0])
    assert "Tiếp nhận hồ sơ của: ……" in text
    assert "Thời gian trả kết quả giải quyết hồ sơ: ……" in text
    assert "Ngày 05 tháng 02 năm 2025" in text  # no place: the date line alone


def test_same_input_gives_the_same_bytes(receipt: bytes) -> None:
    assert render_receipt(DOSSIER, COMPONENTS) == receipt


@pytest.mark.parametrize("make", [
    lambda: render_refusal(DOSSIER, []),
    lambda: render_refusal(DOSSIER, ["   "]),
    lambda: render_supplement_request(DOSSIER, []),
    lambda: FormLine("Giấy chứng sinh", quantity=-1),
    lambda: FormLine("  "),
    lambda: dataclasses.replace(DOSSIER, code=" "),
])
def test_forms_that_would_be_unlawful_are_refused(make: Callable[[], object]) -> None:
    with pytest.raises(InvalidFormInput) as caught:
        make()
    assert caught.value.code == "invalid_request"
    assert caught.value.message_vi and caught.value.message_en


def test_dates_follow_administrative_style() -> None:
    assert day_month_year(dt.date(2025, 2, 5)) == "ngày 05 tháng 02 năm 2025"
    assert day_month_year(dt.date(2025, 11, 20)) == "ngày 20 tháng 11 năm 2025"
    utc = dt.datetime(2025, 7, 3, 2, 30, tzinfo=dt.UTC)
    assert time_and_date(utc) == "09 giờ 30 phút, ngày 03 tháng 7 năm 2025"
    assert time_and_date(dt.date(2025, 7, 24)) == "ngày 24 tháng 7 năm 2025"
    assert time_and_date(None) is None


def test_font_falls_back_to_dejavu_then_fails_clearly(tmp_path: Path) -> None:
    liberation, dejavu = CANDIDATES
    gone = FontFiles("Liberation Serif", *(tmp_path / p.name for p in liberation.paths()))
    assert find_font_files([gone, dejavu]) == dejavu
    fonts = register_fonts(dejavu)
    assert fonts.regular != fonts.bold
    fake = tmp_path / "fake.ttf"
    fake.write_bytes(b"not a font")
    broken = FontFiles("Broken", fake, fake, fake, fake)
    with pytest.raises(FontUnavailable) as caught:
        find_font_files([gone, broken])
    assert "fonts-liberation2" in str(caught.value)
    assert caught.value.code == "font_unavailable"


def test_paper_form_takes_catalogue_codes_or_free_text() -> None:
    drawing = FormLine("Bản vẽ thiết kế", Form.BAN_SAO_CHUNG_THUC, 2)
    assert drawing.form_label == "Bản sao chứng thực"
    assert FormLine("Giấy chứng sinh", "ban_chinh").form_label == "Bản chính"
    assert FormLine("Giấy tờ tùy thân", "Bản chính (xuất trình)").form_label == \
        "Bản chính (xuất trình)"
