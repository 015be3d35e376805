"""The document-type taxonomy and the rule-based page classifier, on OCR-like page texts.

Texts are typed as Tesseract returns them: the two-column header interleaved line by line, lost
or wrong tone marks ("KẾT HỎN", "HỢP ĐỎNG"), look-alike letters ("SlNH").
"""

from __future__ import annotations

import json

import pytest

from classify.doctypes import OTHER, DocumentTypes, load_document_types
from classify.fields.layout import is_mostly_upper
from classify.rules import PageClassification, classify_page
from tests.shared_data import shared_data

PROCEDURES = shared_data("catalogue", "procedures.json")
ND30_TYPES = {  # NĐ 30/2020/NĐ-CP Điều 7: the 29 kinds of administrative document
    "nghi_quyet": "Nghị quyết", "quyet_dinh": "Quyết định", "chi_thi": "Chỉ thị",
    "quy_che": "Quy chế", "quy_dinh": "Quy định", "thong_cao": "Thông cáo",
    "thong_bao": "Thông báo", "huong_dan": "Hướng dẫn", "chuong_trinh": "Chương trình",
    "ke_hoach": "Kế hoạch", "phuong_an": "Phương án", "de_an": "Đề án", "du_an": "Dự án",
    "bao_cao": "Báo cáo", "bien_ban": "Biên bản", "to_trinh": "Tờ trình",
    "hop_dong": "Hợp đồng", "cong_van": "Công văn", "cong_dien": "Công điện",
    "ban_ghi_nho": "Bản ghi nhớ", "ban_thoa_thuan": "Bản thỏa thuận",
    "giay_uy_quyen": "Giấy ủy quyền", "giay_moi": "Giấy mời", "giay_gioi_thieu": "Giấy giới thiệu",
    "giay_nghi_phep": "Giấy nghỉ phép", "phieu_gui": "Phiếu gửi", "phieu_chuyen": "Phiếu chuyển",
    "phieu_bao": "Phiếu báo", "thu_cong": "Thư công",
}
ONE_STOP_FORMS = ("giay_tiep_nhan_hen_tra", "phieu_yeu_cau_bo_sung", "phieu_tu_choi",
                  "phieu_xin_loi", "thong_bao_dung", "phieu_kiem_soat")
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"


@pytest.fixture(scope="module")
def types() -> DocumentTypes:
    return load_document_types()


def classify(text: str, types: DocumentTypes) -> PageClassification:
    return classify_page(text, types)


# ----------------------------------------------------------------------------- taxonomy

def test_every_doc_type_of_the_procedure_catalogue_is_in_the_taxonomy(types: DocumentTypes) -> None:
    assert PROCEDURES.is_file(), f"procedures.json not found at {PROCEDURES}"
    procedures = json.loads(PROCEDURES.read_text(encoding="utf-8"))
    used = {code for p in procedures for c in p["components"] for code in c["doc_type"].split("|")}
    assert len(used) > 80
    assert sorted(used - set(types.types)) == []


def test_taxonomy_has_the_components_the_one_stop_forms_and_the_29_nd30_types(
    types: DocumentTypes,
) -> None:
    assert len(types.in_group("component")) >= 40
    assert all(code in types for code in ONE_STOP_FORMS)
    assert {t.code for t in types.in_group("one_stop_form")} >= set(ONE_STOP_FORMS)
    assert len(ND30_TYPES) == 29
    for code, name in ND30_TYPES.items():
        assert types.name_of(code) == name, code
    administrative = {t.code for t in types.in_group("administrative")}
    assert administrative == set(ND30_TYPES) - {"giay_uy_quyen", "giay_gioi_thieu"}


def test_titles_are_printed_capitals_and_codes_are_stable_slugs(types: DocumentTypes) -> None:
    for doc_type in types.types.values():
        assert doc_type.code.isascii() and doc_type.code == doc_type.code.lower()
        assert doc_type.name
        for title in doc_type.titles:
            assert is_mostly_upper(title, ratio=1.0), title
    assert "HỢP ĐỎNG UỶ QUYỀN" in types.types["hop_dong_uy_quyen"].titles
    assert {"GIẤY ỦY QUYỀN", "GIẤY UỶ QUYỀN"} <= set(types.types["giay_uy_quyen"].titles)
    assert "Mẫu số 01/2025/LLTP" in types.types["to_khai_ly_lich_tu_phap"].form_codes
    assert types.types["cong_van"].cues and not types.types["cong_van"].titles


def test_matching_tables_are_computed_once_per_taxonomy(types: DocumentTypes) -> None:
    assert types.title_phrases is types.title_phrases
    assert types.phrases_near(3) is types.phrases_near(3)
    assert types.form_code_index["18"] == "don_dang_ky_bien_dong"
    assert types.abbreviation_index["qd"] == "quyet_dinh"


# ----------------------------------------------------------------------------- titles

@pytest.mark.parametrize(("text", "expected"), [
    (MOTTO + "TỜ KHAI ĐĂNG KÝ KHAI SlNH\nKính gửi: Ủy ban nhân dân xã Hòa Bình\n"
     "Họ, chữ đệm, tên người yêu cầu: Nguyễn Thị Lan", "to_khai_dang_ky_khai_sinh"),
    (MOTTO + "TỜ KHAI ĐĂNG KÝ LẠI KHAI SINH\nKính gửi: Ủy ban nhân dân phường Đống Đa",
     "to_khai_dang_ky_lai_khai_sinh"),
    ("CONG HOA XA HOI CHU NGHIA VIET NAM\nDoc lap - Tu do - Hanh phuc\n"
     "TO KHAI DANG KY KET HON\nKinh gui: UBND xa Hoa Binh", "to_khai_dang_ky_ket_hon"),
    (MOTTO + "HỢP ĐỎNG UỶ QUYỀN\nHôm nay, ngày 05 tháng 01 năm 2026\nBÊN ỦY QUYỀN (Bên A):",
     "hop_dong_uy_quyen"),
    (MOTTO + "GIẤY UỶ QUYỀN\nTôi là: Trần Văn Bình", "giay_uy_quyen"),
    ("Trang 1/1\n" + MOTTO + "GIẤY CHỨNG NHẬN KẾT HỎN\nHọ, chữ đệm, tên vợ: Nguyễn Thị Lan",
     "giay_chung_nhan_ket_hon"),
    (MOTTO + "SOCIALIST REPUBLIC OF VIET NAM\nCĂN CƯỚC CÔNG DÂN\nCitizen Identity Card\n"
     "Số / No.: 062073000123", "cccd"),
    (MOTTO + "GIẤY CHỨNG NHẬN\nQUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở\n"
     "VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT\nI. Người sử dụng đất", "giay_chung_nhan_qsdd"),
    ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "PHƯỜNG ĐỐNG ĐA Độc lập - Tự do - Hạnh phúc\nSố: 15/TB-UBND Hà Nội, ngày 3 tháng 3 năm 2026\n"
     "THÔNG BÁO\nDỪNG GIẢI QUYẾT HỒ SƠ\nMã hồ sơ: 000.00.15.H05-250703-0001", "thong_bao_dung"),
    ("ỦY BAN NHÂN DÂN XÃ HÒA BÌNH\nBỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ\n"
     "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ\nHồ sơ của: Nguyễn Văn An", "phieu_yeu_cau_bo_sung"),
    ("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG\nGIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ\n"
     "Mã hồ sơ: 000.00.15.H05-250703-0001", "giay_tiep_nhan_hen_tra"),
    ("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ\nMã hồ sơ: 000.00.15.H05-250703-0001",
     "phieu_kiem_soat"),
    ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "XÃ HÒA BÌNH Độc lập - Tự do - Hạnh phúc\nSố: 12/QĐ-UBND Hòa Bình, ngày 5 tháng 3 năm 2026\n"
     "QUYET ĐINH\nVề việc kiện toàn Ban chỉ đạo", "quyet_dinh"),
    ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "XÃ HÒA BÌNH Độc lập - Tự do - Hạnh phúc\nSố: 07/QĐ-XPHC\nQUYẾT ĐỊNH\n"
     "Xử phạt vi phạm hành chính\nCăn cứ Luật Xử lý vi phạm hành chính", "quyet_dinh_xu_phat_vphc"),
    (MOTTO + "BIÊN BẢN\nXÁC NHẬN VIỆC TRẺ BỊ BỎ RƠI\nHôm nay, hồi 7 giờ", "bien_ban_tre_bi_bo_roi"),
    (MOTTO + "BIÊN BẢN HỌP\nThời gian: 14 giờ", "bien_ban"),
    (MOTTO + "- THÔNG TƯ\nQuy định và hướng dẫn tổ chức lễ tang", "thong_tu"),
    ("Mẫu số 01/2025/LLTP\n" + MOTTO + "TỜ KHAI YÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP\n"
     "Kính gửi: Công an tỉnh Phú Thọ", "to_khai_ly_lich_tu_phap"),
    ("Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA\n" + MOTTO
     + "TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ\nKính gửi: Công an xã Hòa Bình",
     "to_khai_thay_doi_thong_tin_cu_tru_ct01"),
    (MOTTO + "HỢP ĐỒNG TẶNG CHO QUYỀN SỬ DỤNG ĐẤT\nBÊN TẶNG CHO (Bên A):",
     "hop_dong_tang_cho_qsdd"),
    (MOTTO + "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG\n(Sử dụng cho công trình nhà ở riêng lẻ)",
     "don_de_nghi_cap_gpxd"),
])
def test_title_in_the_title_zone_gives_the_type(
    text: str, expected: str, types: DocumentTypes,
) -> None:
    result = classify(text, types)
    assert (result.doc_type, result.is_title_page) == (expected, True), result.reason
    assert result.confidence >= 0.9


def test_the_most_specific_title_wins(types: DocumentTypes) -> None:
    assert classify(MOTTO + "GIẤY CHỨNG NHẬN KẾT HÔN\nSố: 12", types).doc_type == \
        "giay_chung_nhan_ket_hon"
    assert classify(MOTTO + "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ\nKính gửi: ông An", types).doc_type \
        == "thong_bao_dung"
    assert classify(MOTTO + "THÔNG BÁO\nVề việc nghỉ lễ", types).doc_type == "thong_bao"
    assert classify(MOTTO + "HỢP ĐỒNG\nCHUYỂN NHƯỢNG QUYỀN SỬ DỤNG ĐẤT\nBÊN A", types).doc_type \
        == "hop_dong_chuyen_nhuong_qsdd"
    assert classify(MOTTO + "CĂN CƯỚC\nIDENTITY CARD\nSố định danh cá nhân", types).doc_type \
        == "the_can_cuoc"


def test_short_titles_must_match_closely(types: DocumentTypes) -> None:
    assert classify("HỘI ĐỒNG\nNHÂN DÂN TỈNH\nnội dung của văn bản", types).doc_type == OTHER
    assert classify(MOTTO + "QUY ĐỊNH\nvề quản lý con dấu", types).doc_type == "quy_dinh"
    assert classify(MOTTO + "THÔNG CÁO\nvề kết quả kỳ họp", types).doc_type == "thong_cao"


def test_a_parenthesised_note_on_the_title_line_is_ignored(types: DocumentTypes) -> None:
    text = MOTTO + "TỜ KHAI ĐĂNG KÝ KHAI SINH (Dùng cho trường hợp trực tiếp)\nKính gửi: UBND"
    assert classify(text, types).doc_type == "to_khai_dang_ky_khai_sinh"
    assert classify(MOTTO + "GIẤY KHAI SINH (BẢN SAO)\nHọ, chữ đệm, tên", types).doc_type == \
        "ban_sao_giay_khai_sinh"


def test_reason_says_which_line_matched_which_phrase_and_the_score(types: DocumentTypes) -> None:
    result = classify(MOTTO + "TỜ KHAI ĐĂNG KÝ KHAI SlNH\nKính gửi: UBND", types)
    assert "«TỜ KHAI ĐĂNG KÝ KHAI SlNH»" in result.reason
    assert "«TỜ KHAI ĐĂNG KÝ KHAI SINH»" in result.reason
    assert "96%" in result.reason and result.confidence == pytest.approx(0.96, abs=0.01)


# ----------------------------------------------------------------------------- not titles

def test_a_reference_to_another_paper_is_not_a_title(types: DocumentTypes) -> None:
    text = ("ỦY BAN NHÂN DÂN XÃ HÒA BÌNH\nCăn cứ Giấy chứng nhận quyền sử dụng đất số BX 123456\n"
            "CĂN CỨ GIẤY CHỨNG NHẬN KẾT HÔN SỐ 12\nThửa đất số 120, tờ bản đồ số 15")
    result = classify(text, types)
    assert (result.doc_type, result.confidence, result.is_title_page) == (OTHER, 0.0, False)


def test_section_headers_are_not_titles(types: DocumentTypes) -> None:
    text = ("I. BÁO CÁO KẾT QUẢ THỰC HIỆN\nĐiều 1. QUY ĐỊNH CHUNG\n2. KẾ HOẠCH NĂM 2026\n"
            "Nội dung chi tiết của các phần trên như sau")
    assert classify(text, types).doc_type == OTHER


def test_the_motto_is_not_a_title_but_is_a_signal(types: DocumentTypes) -> None:
    result = classify(MOTTO + "Kính gửi: Ủy ban nhân dân xã Hòa Bình\nTôi tên là Nguyễn Văn An",
                      types)
    assert (result.doc_type, result.has_motto, result.starts_document) == (OTHER, True, True)


def test_kiem_tra_is_not_kiem_soat(types: DocumentTypes) -> None:
    text = "PHIẾU KIỂM TRA QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ\nMã hồ sơ: 000.00.15.H05-250703-0001"
    assert classify(text, types).doc_type != "phieu_kiem_soat"


def test_a_title_far_down_the_page_is_not_in_the_title_zone(types: DocumentTypes) -> None:
    body = "\n".join(f"Dòng nội dung số {i} của văn bản" for i in range(30))
    assert classify(f"{body}\nGIẤY CHỨNG SINH\n{body}", types).doc_type == OTHER


@pytest.mark.parametrize("text", ["", "   \n\n  ", "~ . , ' |\n_ -", "ì ‘ . ' I l"])
def test_a_blank_or_unreadable_page_is_other_with_zero_confidence(
    text: str, types: DocumentTypes,
) -> None:
    result = classify(text, types)
    assert (result.doc_type, result.confidence, result.is_title_page) == (OTHER, 0.0, False)
    assert "không đọc được" in result.reason


# ----------------------------------------------------------------------------- other evidence

def test_cong_van_is_recognised_by_v_v_under_the_number(types: DocumentTypes) -> None:
    text = ("BỘ TÀI CHÍNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "CỤC THUẾ Độc lập — Tự do -Hạnh phúc\n"
            "Số: 2191/CT-CS Hà Nội, ngày 08 tháng 4 năm 2026\nV/v chính sách thuế TNDN\n"
            "Kính gửi: Thuế tỉnh Ninh Bình.\nCục Thuế nhận được Công văn số 5770/NBI-QLDN2")
    result = classify(text, types)
    assert (result.doc_type, result.is_title_page) == ("cong_van", True)
    assert "2191/CT-CS" in result.reason and result.confidence < 0.9  # reviewed, no title


def test_a_form_code_alone_gives_a_weaker_guess(types: DocumentTypes) -> None:
    text = "Mẫu số 18\n" + MOTTO + "Kính gửi: Văn phòng đăng ký đất đai\nThửa đất số 120"
    result = classify(text, types)
    assert (result.doc_type, result.form_code) == ("don_dang_ky_bien_dong", "Mẫu số 18")
    assert result.confidence == 0.8 and result.is_title_page


def test_form_code_agreeing_with_the_title_is_mentioned(types: DocumentTypes) -> None:
    text = "Mẫu số 18/ĐK\n" + MOTTO + "ĐƠN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI, TÀI SẢN\nGẮN LIỀN VỚI ĐẤT"
    result = classify(text, types)
    assert result.doc_type == "don_dang_ky_bien_dong" and "Mẫu số 18/ĐK" in result.reason


def test_the_type_abbreviation_of_the_number_is_the_last_resort(types: DocumentTypes) -> None:
    text = "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH\nSố: 12/QĐ-UBND\nnội dung bị nhòe không đọc được tiêu đề"
    result = classify(text, types)
    assert (result.doc_type, result.confidence) == ("quyet_dinh", 0.6)


def test_page_numbering_signals(types: DocumentTypes) -> None:
    second = classify("Trang 2/3\nĐiều 5. Trách nhiệm thi hành\nCác ông, bà có tên", types)
    assert (second.page_number, second.page_total, second.starts_document) == (2, 3, False)
    bare = classify("2\nvà chịu trách nhiệm trước pháp luật về cam đoan của mình", types)
    assert (bare.page_number, bare.starts_document) == (2, False)
    first = classify(MOTTO + "GIẤY CHỨNG SINH\nHọ và tên mẹ: Lan\nTrang 1/2", types)
    assert (first.page_number, first.page_total, first.starts_document) == (1, 2, True)
    stamp = classify("97-\nCăn cứ các quy định hiện hành\nnội dung tiếp theo của văn bản", types)
    assert stamp.page_number is None


def test_a_stray_bare_number_does_not_hide_a_titled_first_page(types: DocumentTypes) -> None:
    # OCR of a scanned Mẫu CT07 read the seal under the signature as a last line "7".
    text = (MOTTO + "Mẫu CT07 ban hành kèm theo Thông tư số 66/2023/TT-BCA\n"
            "XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ\nHọ, chữ đệm và tên: Nguyễn Thị Lan\n"
            "TRƯỞNG CÔNG AN XÃ\n7")
    page = classify(text, types)
    assert (page.doc_type, page.page_number, page.starts_document) == \
        ("giay_to_chung_minh_cu_tru", 7, True)
    titled = classify("2\nGIẤY CHỨNG SINH\nHọ và tên mẹ: Lan", types)
    assert (titled.is_title_page, titled.starts_document) == (True, False)
    numbered = classify(MOTTO + "GIẤY CHỨNG SINH\nHọ và tên mẹ: Lan\nTrang 2/2", types)
    assert numbered.starts_document is False


def test_existing_callers_can_build_a_classification_positionally() -> None:
    page = PageClassification(OTHER, 0.0, "x", False)
    assert (page.has_motto, page.form_code, page.page_number, page.starts_document) == \
        (False, None, None, False)
