"""Cross-document consistency findings."""

from __future__ import annotations

from classify.consistency import DocumentFacts, find_inconsistencies

FORM = DocumentFacts("a", "to_khai_dang_ky_khai_tu", "Tờ khai đăng ký khai tử",
                     {"ho_ten": "Nguyễn Văn An", "so_dinh_danh": "001089012345",
                      "ngay_sinh": "1989-05-12"})


def test_agreeing_documents_give_no_finding() -> None:
    card = DocumentFacts("b", "cccd", "Căn cước công dân",
                         {"ho_ten": "NGUYỄN VĂN AN", "so_dinh_danh": "001 089 012 345",
                          "ngay_sinh": "1989-05-12"})
    assert find_inconsistencies([FORM, card]) == ()


def test_each_disagreement_is_a_finding() -> None:
    card = DocumentFacts("b", "cccd", "Căn cước công dân",
                         {"ho_ten": "Nguyễn Văn Ân", "so_dinh_danh": "001089012346"})
    findings = {f.field: f for f in find_inconsistencies([FORM, card])}
    assert set(findings) == {"so_dinh_danh"}  # folding forgives a lost tone mark on the name
    assert "001089012346" in findings["so_dinh_danh"].message
    assert findings["so_dinh_danh"].values == (("a", "001089012345"), ("b", "001089012346"))


def test_without_an_identity_document_nothing_is_compared() -> None:
    other = DocumentFacts("c", "giay_bao_tu", "Giấy báo tử", {"ho_ten": "Trần Thị Bình"})
    assert find_inconsistencies([FORM, other]) == ()
