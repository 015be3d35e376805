"""Field extraction on typed, OCR-like page texts (no OCR here; boxes from hand-made words)."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from classify.doctypes import load_document_types
from classify.fields import (
    PROVINCE_CODES,
    ExtractedField,
    extract_fields,
    parse_date,
    personal_id_problem,
)
from classify.fields.dates import find_date_blanks
from classify.fields.number_place import find_number_place
from classify.rules import classify_page
from ocr.model import Word
from tests.shared_data import shared_data

LABELS = shared_data("external", "labels.tsv")
# The page headers of the three real scans of data/external/scanned_official, typed as OCR
# returns them (two columns interleaved). The numbers are handwritten on two of them; here they
# are typed in, as a reviewer would.
SCAN_TEXTS = {
    "scanned_official/sc01_cong_van_cuc_thue_2191-CT-CS_p1.png": (
        "BỘ TÀI CHÍNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "CỤC THUẾ Độc lập — Tự do -Hạnh phúc\n\n"
        "Số: 2191/CT-CS Hà Nội, ngày 08 tháng 4 năm 2026\n"
        "V/v chính sách thuế TNDN\n\nKính gửi: Thuế tỉnh Ninh Bình.\n\n"
        "Cục Thuế nhận được Công văn số 5770/NBI-QLDN2 ngày 15/12/2025 của\n"
        "Thuế tỉnh Ninh Bình vướng mắc về việc xác định thời gian ưu đãi thuế."
    ),
    "scanned_official/sc02_cong_van_ttg_464-TTg-CDS_p1.png": (
        "THỦ TƯỚNG CHÍNH PHỦ CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "—- Độc lập - Tự do - Hạnh phúc\n\n"
        "Số: 464 /TTg-CĐS Hà Nội, ngày30 tháng 4 năm 2026\n"
        "V/v triển khai các Nghị quyết cắt giảm,\nđơn giản hóa TTHC, ĐKKD\n\n"
        "Kính gửi:\n- Bộ trưởng, Thủ trưởng cơ quan ngang Bộ;\n"
        "Triển khai Kết luận số 18-KL/TW ngày 02 tháng 4 năm 2026 của Ban Chấp hành"
    ),
    "scanned_official/sc03_thong_tu_vbhn_46-VBHN-BQP_p1.png": (
        "VĂN PHÒNG CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "CÔNG VĂN ĐẾN Độc lập - Tự do - Hạnh phúc\n"
        "Giờ....... Ngày..........\nKính chuyển.........\n\nTHÔNG TƯ\n"
        "Quy định và hướng dẫn tổ chức lễ tang đối với quân nhân,\n"
        "Thông tư số 86/2016/TT-BQP ngày 20 tháng 6 năm 2016 của Bộ trưởng"
    ),
}
DOC_TYPES = {"Công văn": "cong_van", "Thông tư (văn bản hợp nhất)": "thong_tu"}

CCCD_FRONT = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
CĂN CƯỚC CÔNG DÂN
Citizen Identity Card
Số / No.: 062073000123
Họ và tên / Full name:
NGUYỄN VĂN AN
Ngày sinh / Date of birth: 09/11/1973
Giới tính / Sex: Nam Quốc tịch / Nationality: Việt Nam
Quê quán / Place of origin: Đắk Hà, Kon Tum
Nơi thường trú / Place of residence: Thôn 3,
xã Đắk Hà, tỉnh Kon Tum
Có giá trị đến / Date of expiry: 09/11/2033"""

BIRTH_FORM = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
TỜ KHAI ĐĂNG KÝ KHAI SINH
Kính gửi: Ủy ban nhân dân xã Hòa Bình
Họ, chữ đệm, tên người yêu cầu: Nguyễn Thị Lan
Nơi cư trú: thôn Đông, xã Hòa Bình, tỉnh Phú Thọ
Giấy tờ tùy thân: CCCD số 0 6 2 1 9 5 0 0 0 4 5 6
Quan hệ với người được khai sinh: mẹ
Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:
Họ, chữ đệm, tên: Trần Minh Khôi
Ngày, tháng, năm sinh: 12/03/2026 ghi bằng chữ: ngày mười hai tháng ba năm hai nghìn không trăm
hai mươi sáu"""


def labels() -> list[dict[str, str]]:
    assert LABELS.is_file(), f"labels.tsv not found at {LABELS}"
    with LABELS.open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t")
                if row["file"].startswith("scanned_official/")]


def value(fields: dict[str, ExtractedField], name: str) -> str | None:
    found = fields.get(name)
    return found.value if found else None


# ----------------------------------------------------------------------------- real scans

def test_the_three_real_scans_give_their_labelled_number_date_and_type() -> None:
    rows = labels()
    assert len(rows) == 3
    types = load_document_types()
    for row in rows:
        text = SCAN_TEXTS[row["file"]]
        fields = extract_fields(text)
        number = row["so_ky_hieu"]
        if "not printed" in number:
            assert "so_ky_hieu" not in fields
        else:
            assert value(fields, "so_ky_hieu") == number
            day, month, year = (int(p) for p in row["ngay_ban_hanh"].split("/"))
            assert value(fields, "ngay_ban_hanh") == date(year, month, day).isoformat()
        assert classify_page(text, types).doc_type == DOC_TYPES[row["doc_type"]]


def test_issuing_body_is_read_from_the_interleaved_header() -> None:
    sc01, sc02, sc03 = (extract_fields(text) for text in SCAN_TEXTS.values())
    assert value(sc01, "co_quan_ban_hanh") == "BỘ TÀI CHÍNH / CỤC THUẾ"
    assert value(sc02, "co_quan_ban_hanh") == "THỦ TƯỚNG CHÍNH PHỦ"
    stamp_only = sc03
    assert "co_quan_ban_hanh" not in stamp_only  # "VĂN PHÒNG CHÍNH PHỦ / CÔNG VĂN ĐẾN" is a stamp


def test_a_handwritten_number_left_blank_keeps_the_notation_with_low_confidence() -> None:
    fields = extract_fields("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                            "XÃ HÒA BÌNH Độc lập - Tự do - Hạnh phúc\n"
                            "Số:      /QĐ-UBND Hòa Bình, ngày    tháng    năm 2026\nQUYẾT ĐỊNH")
    assert value(fields, "so_ky_hieu") == "/QĐ-UBND"
    assert fields["so_ky_hieu"].confidence < 0.6
    assert value(fields, "ngay_ban_hanh") == "2026" and fields["ngay_ban_hanh"].confidence < 0.5
    assert value(fields, "co_quan_ban_hanh") == "ỦY BAN NHÂN DÂN / XÃ HÒA BÌNH"
    unreadable = extract_fields("THỦ TƯỚNG CHÍNH PHỦ\nSố: 4@† /TTg-CĐS")
    assert value(unreadable, "so_ky_hieu") == "/TTg-CĐS"


@pytest.mark.parametrize(("line", "expected"), [
    ("Số: 04/QĐ-BCĐ138", "04/QĐ-BCĐ138"),
    ("Số: 118/2025/NĐ-CP", "118/2025/NĐ-CP"),
    ("Số: 279/BC-BTP", "279/BC-BTP"),
    ("Sô: 12/QĐ - UBND", "12/QĐ-UBND"),
])
def test_so_ky_hieu_formats(line: str, expected: str) -> None:
    assert value(extract_fields(f"CHÍNH PHỦ\n{line}\nNGHỊ ĐỊNH"), "so_ky_hieu") == expected


def test_a_reference_in_the_body_is_not_the_number_of_the_page() -> None:
    text = "TỜ TRÌNH\nCăn cứ Quyết định số 12/QĐ-UBND ngày 01/02/2026\nCông văn số 5770/NBI-QLDN2"
    assert "so_ky_hieu" not in extract_fields(text)


# ----------------------------------------------------------------------------- identifiers

def test_the_public_example_id_validates() -> None:
    assert len(PROVINCE_CODES) == 63
    assert PROVINCE_CODES["001"] == "Hà Nội" and PROVINCE_CODES["096"] == "Cà Mau"
    assert personal_id_problem("062073000123") is None
    assert personal_id_problem("062073000123", date(1973, 11, 9)) is None


@pytest.mark.parametrize(("number", "birth", "why"), [
    ("003073000123", None, "mã tỉnh"),                  # 003 is not a province code
    ("063073000123", None, "mã tỉnh"),                  # nor is 063
    ("062073000123", date(2003, 11, 9), "năm sinh"),    # 0 = born 1900s, but born 2003
    ("062273000123", None, "tương lai"),                # 2 = born 2000s: 2073 is in the future
    ("062074000123", date(1973, 11, 9), "năm sinh"),    # year digits 74 ≠ 1973
    ("06207300012", None, "12"),
])
def test_invalid_ids_are_rejected(number: str, birth: date | None, why: str) -> None:
    problem = personal_id_problem(number, birth)
    assert problem is not None and why in problem


def test_id_card_fields() -> None:
    fields = extract_fields(CCCD_FRONT)
    assert value(fields, "so_dinh_danh") == "062073000123"
    assert value(fields, "ho_ten") == "NGUYỄN VĂN AN"
    assert value(fields, "ngay_sinh") == "1973-11-09"
    assert value(fields, "co_gia_tri_den") == "2033-11-09"
    assert value(fields, "dia_chi") == "Thôn 3, xã Đắk Hà, tỉnh Kon Tum"
    assert fields["so_dinh_danh"].confidence > 0.95  # labelled and agreeing with the birth date
    assert "so_ky_hieu" not in fields  # "Số / No.:" is not a số ký hiệu


def test_an_id_whose_century_digit_contradicts_the_birth_date_is_rejected() -> None:
    text = CCCD_FRONT.replace("09/11/1973", "09/11/2003")
    assert "so_dinh_danh" not in extract_fields(text)
    assert "so_dinh_danh" not in extract_fields(CCCD_FRONT.replace("062073", "003073"))


def test_the_birth_date_of_another_person_does_not_reject_an_id() -> None:
    fields = extract_fields(BIRTH_FORM)
    assert value(fields, "so_dinh_danh") == "062195000456"  # digits printed in boxes
    assert value(fields, "ho_ten") == "Nguyễn Thị Lan"
    assert value(fields, "dia_chi") == "thôn Đông, xã Hòa Bình, tỉnh Phú Thọ"
    assert value(fields, "ngay_sinh") == "2026-03-12"


def test_cmnd_passport_and_tax_code() -> None:
    text = ("Số CMND: 125678901 cấp ngày 01/02/2010\nHộ chiếu số: C1234567\n"
            "Mã số thuế: 0100109106-001\nĐiện thoại: 0912345678")
    fields = extract_fields(text)
    assert value(fields, "cmnd") == "125678901"
    assert value(fields, "ho_chieu") == "C1234567"
    assert value(fields, "ma_so_thue") == "0100109106-001"
    assert value(fields, "ngay_cap") == "2010-02-01"
    boxed = extract_fields("Mã số doanh nghiệp: |0|1|0|0|1|0|9|1|0|6|")
    assert value(boxed, "ma_so_thue") == "0100109106"
    assert "cmnd" not in extract_fields("Tổng số tiền: 125678901 đồng")
    assert "ho_chieu" not in extract_fields("Mã hàng: B1234567")


# ----------------------------------------------------------------------------- dates, names

@pytest.mark.parametrize(("text", "expected"), [
    ("12/03/2026", date(2026, 3, 12)),
    ("9-11-1973", date(1973, 11, 9)),
    ("ngày 12 tháng 3 năm 2026", date(2026, 3, 12)),
    ("Hà Nội, ngày 05 tháng 01 năm 2026", date(2026, 1, 5)),
    ("ngay 30 thang 4 nam 2026", date(2026, 4, 30)),
    ("31/02/2026", None),
    ("không có ngày", None),
])
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_birth_date_in_words_and_name_labels() -> None:
    fields = extract_fields("1. Họ và tên: Lê Thị Hồng Nhung   Giới tính: Nữ\n"
                            "2. Sinh ngày 3 tháng 7 năm 1990\nĐịa chỉ: số 5 ngõ 12 phố Huế")
    assert value(fields, "ho_ten") == "Lê Thị Hồng Nhung"
    assert value(fields, "ngay_sinh") == "1990-07-03"
    assert value(fields, "dia_chi") == "số 5 ngõ 12 phố Huế"
    short = extract_fields("Họ tên: Phạm Văn Đồng .........\nĐịa chỉ email: a@b.vn")
    assert value(short, "ho_ten") == "Phạm Văn Đồng" and "dia_chi" not in short


def test_text_is_normalized_to_nfc() -> None:
    decomposed = "Ho\u0323 va\u0300 te\u0302n: Nguye\u0302\u0303n Va\u0306n An"
    assert value(extract_fields(decomposed), "ho_ten") == "Nguyễn Văn An"


# ----------------------------------------------------------------------------- boxes

def test_box_is_the_union_of_the_words_of_the_value() -> None:
    text = "BỘ TÀI CHÍNH\nCỤC THUẾ\nSố: 2191/CT-CS\nHọ và tên: Nguyễn Văn An"
    words = [
        Word("BỘ", 95, (100, 50, 40, 20)), Word("TÀI", 95, (150, 50, 40, 20)),
        Word("CHÍNH", 95, (200, 50, 80, 20)), Word("CỤC", 95, (120, 80, 50, 20)),
        Word("THUẾ", 95, (180, 80, 60, 20)), Word("Số:", 90, (100, 120, 40, 20)),
        Word("2191/CT-CS", 88, (150, 120, 120, 22)), Word("Họ", 96, (100, 300, 30, 20)),
        Word("và", 96, (135, 300, 30, 20)), Word("tên:", 96, (170, 300, 40, 20)),
        Word("Nguyễn", 96, (220, 300, 70, 20)), Word("Văn", 96, (300, 300, 40, 20)),
        Word("An", 96, (350, 300, 30, 21)),
    ]
    fields = extract_fields(text, words)
    assert fields["so_ky_hieu"].box == (150, 120, 120, 22)
    assert fields["ho_ten"].box == (220, 300, 160, 21)
    assert fields["co_quan_ban_hanh"].box == (100, 50, 180, 50)
    assert extract_fields(text)["ho_ten"].box is None


def test_a_handwritten_number_read_with_slashes_still_marks_the_blank() -> None:
    # Tesseract on a handwritten "2191": the junk has a slash in it; the notation is still
    # found, the number is left blank (low confidence) and the place-date keeps its year.
    line = "Số: 2/0J /CT-CS Hà Nội ngày 0Ÿ tháng # năm 2026"
    fields = extract_fields(f"BỘ TÀI CHÍNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{line}")
    assert value(fields, "so_ky_hieu") == "/CT-CS"
    assert fields["so_ky_hieu"].confidence < 0.9
    assert value(fields, "ngay_ban_hanh") == "2026"
    place = find_number_place(line)
    assert place is not None and line[place.start:place.end] == "2/0J"
    assert place.notation == "CT-CS"
    dates = find_date_blanks(line)
    assert dates is not None and dates.year == 2026
    assert (line[slice(*dates.day)], line[slice(*dates.month)]) == ("0Ÿ", "#")
    digits = find_number_place("Số: 12/2025/QĐ-UBND")
    assert digits is not None and (digits.start, digits.end, digits.year) == (4, 6, "2025")
    assert value(extract_fields("Số: 12/2025/QĐ-UBND"), "so_ky_hieu") == "12/2025/QĐ-UBND"
