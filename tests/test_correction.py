"""Post-OCR syllable correction: repairs in context, leaves the rest alone, never changes letters.

The regression test reads sentences written for this test (in no lexicon source) rendered and
degraded like a scan, with the real Tesseract: correction must not make the CER worse.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont

from bench.degrade import degrade, pad, seed_for
from ingest.rasterize import PageImage
from ingest.text import fold
from ocr.correction import correct_text, correct_words, default_corrector
from ocr.correction.metrics import errors
from ocr.correction.syllable import split_tone, usual_mark_position, with_tone
from ocr.model import Word
from ocr.tesseract import TesseractConfig, TesseractEngine
from tests.synthetic import FONT_DIR


@pytest.mark.parametrize(("read", "meant"), [
    ("Cộng hòa xã hôi chủ nghĩa Việt Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("CỘNG HÒA XÃ HÔI CHỦ NGHĨA VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("Giây chứng nhận quyền sử dụng đất", "Giấy chứng nhận quyền sử dụng đất"),
    ("Tờ khai đăng ký khai sinh cho ngươi con", "Tờ khai đăng ký khai sinh cho người con"),
    ("bố sung hồ sơ theo quy định", "bổ sung hồ sơ theo quy định"),
    ("cơ quan có thấm quyền kiếm tra hồ sơ", "cơ quan có thẩm quyền kiểm tra hồ sơ"),
    ("thủ tục hành chinh", "thủ tục hành chính"),
])
def test_known_confusions_are_repaired_in_context(read: str, meant: str) -> None:
    result = correct_text(read)
    assert result.text == meant
    assert result.raw == read
    assert result.changes and all(c.reason for c in result.changes)


def test_change_says_where_and_why() -> None:
    result = correct_text("Số: 12/2026\nCộng hòa xã hôi chủ nghĩa")
    (change,) = result.changes
    assert (change.original, change.corrected, change.line, change.word) == ("hôi", "hội", 1, 5)
    assert result.text[change.start:change.start + 3] == "hội"
    assert "xã _ chủ" in change.reason


@pytest.mark.parametrize("text", [
    "Ủy ban nhân dân xã Hòa Bình",
    "Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật",
    "Căn cứ Luật Tổ chức chính quyền địa phương",
    "Họ, chữ đệm, tên: Trần Minh Khôi",
    "Nơi cư trú: thôn Đông, xã Hòa Bình, tỉnh Phú Thọ",
])
def test_valid_text_is_left_alone(text: str) -> None:
    result = correct_text(text)
    assert result.text == text and result.changes == ()


@pytest.mark.parametrize("text", [
    "Số: 45/2026/NĐ-CP ngày 26/01/2026",
    "Luật số 54/2014/QH13 của QH13, UBND, CCCD 001203004567",
    "Email: thongtinchinhphu@chinhphu.vn, mã KQ.G12.001046",
    "a) b) c) đ) e)",
    "Nguyên nhân: tờMẫu khaiSố",
])
def test_digits_codes_and_mixed_case_are_untouched(text: str) -> None:
    assert correct_text(text).text == text


def _words(text: str, conf: float) -> tuple[Word, ...]:
    return tuple(Word(w, conf, (100 * i, 10, 90, 30)) for i, w in enumerate(text.split()))


def test_low_confidence_words_are_repaired_more_readily() -> None:
    text = "Kê hoạch sử dụng đất"
    assert correct_text(text, _words(text, 97.0)).text == text  # a valid syllable, read surely
    assert correct_text(text, _words(text, 60.0)).text == "Kế hoạch sử dụng đất"


def test_word_variant_keeps_boxes_and_confidences() -> None:
    words = _words("Cộng hòa xã hôi, chủ nghĩa", 60.0)
    result = correct_words(words)
    assert [w.text for w in result.words] == ["Cộng", "hòa", "xã", "hội,", "chủ", "nghĩa"]
    assert [(w.box, w.conf) for w in result.words] == [(w.box, w.conf) for w in words]
    assert [(c.original, c.corrected, c.word) for c in result.changes] == [("hôi", "hội", 3)]


def test_output_is_nfc_even_from_decomposed_input() -> None:
    decomposed = unicodedata.normalize("NFD", "Giây chứng nhận đăng ký kết hôn")
    result = correct_text(decomposed)
    assert unicodedata.is_normalized("NFC", result.text)
    assert result.text == "Giấy chứng nhận đăng ký kết hôn"


def test_tone_placement_style_is_kept() -> None:
    assert with_tone("hoa", 2) == "hòa" and usual_mark_position("quyên") == 3
    new_style = split_tone("hoà")
    assert new_style.key == split_tone("hòa").key
    assert new_style.spelled(5, new_style.mark_at) == "hoạ"


SYLLABLES = ["hội", "hôi", "hỏi", "giấy", "giây", "cơ", "cô", "cổ", "của", "cửa", "biểu",
             "biêu", "kế", "kê", "thể", "thê", "đăng", "dang", "ký", "ky", "hòa", "hoà", "xã"]
TOKENS = st.one_of(
    st.sampled_from(SYLLABLES).map(lambda w: w.upper()),
    st.sampled_from(SYLLABLES).map(lambda w: w[:1].upper() + w[1:]),
    st.sampled_from(SYLLABLES),
    st.sampled_from(["12/2026", "NĐ-CP", "(a)", "-", "QH13", "tờMẫu", "x", "Ủy,", "ban;"]),
)


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(st.lists(TOKENS, min_size=1, max_size=9), min_size=1, max_size=4),
       conf=st.one_of(st.none(), st.floats(0, 100)))
def test_correction_never_changes_the_folded_text(lines: list[list[str]],
                                                  conf: float | None) -> None:
    text = "\n".join(" ".join(line) for line in lines)
    words = None if conf is None else _words(text, conf)
    result = correct_text(text, words)
    assert fold(result.text) == fold(text)
    assert len(result.text) == len(text) and result.text.count("\n") == text.count("\n")
    assert [w.isupper() for w in result.text.split()] == [w.isupper() for w in text.split()]
    assert unicodedata.is_normalized("NFC", result.text)
    for change in result.changes:
        assert fold(change.original) == fold(change.corrected) != ""


# Written for this test; none of it is in the lexicon's sources.
HELD_OUT_LINES = (
    "Hội đồng nhân dân phường đã xem xét hồ sơ đề nghị của công dân",
    "Giấy xác nhận tình trạng hôn nhân được cấp cho người yêu cầu",
    "Bản sao giấy khai sinh có chứng thực và sổ hộ khẩu của cả hai bên",
    "Cơ quan tiếp nhận kiểm tra tính đầy đủ của thành phần hồ sơ",
    "Người nộp hồ sơ ký vào biểu mẫu trước mặt cán bộ tiếp nhận",
    "Kế hoạch thu hồi đất được công bố công khai tại trụ sở ủy ban",
)


def _line_image(text: str) -> Image.Image:
    face = ImageFont.truetype(str(FONT_DIR / "LiberationSerif-Regular.ttf"), 33)
    image = Image.new("RGB", (round(face.getlength(text)) + 20, 50), "white")
    ImageDraw.Draw(image).text((10, 6), text, font=face, fill="black")
    return pad(image, 30)


@pytest.mark.parametrize("profile", ["clean", "blur", "noise"])
def test_correction_does_not_worsen_generated_scan_lines(profile: str) -> None:
    engine = TesseractEngine(TesseractConfig(psm=7))
    corrector = default_corrector()
    before = after = errors("", "")
    for number, truth in enumerate(HELD_OUT_LINES):
        image = degrade(_line_image(truth), profile, seed_for(f"test-{number}", profile), 200)
        page = engine.recognize(PageImage(index=number, image=image, dpi=200))
        fixed = corrector.correct_text(page.text, page.words)
        before += errors(page.text, truth)
        after += errors(fixed.text, truth)
    assert after.char_errors <= before.char_errors
