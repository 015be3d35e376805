"""Personal and tax identifiers (DOMAIN.md §6): số định danh cá nhân / CCCD, CMND, hộ chiếu, MST.

Số định danh cá nhân (TT 59/2021/TT-BCA Điều 7): 3 digits of the province (or country) where the
birth was registered, 1 digit for sex and century (0/1 male/female born 1900–1999, 2/3 2000–2099,
4/5 2100–2199, 6/7 2200–2299, 8/9 2300–2399), 2 digits of the birth year, 6 random digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from classify.fields.layout import fold_aligned

PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}
"""Birth-registration province codes of TT 59/2021/TT-BCA (the 63 provinces before 2025)."""

ID_LABELS = ("so dinh danh", "dinh danh ca nhan", "cccd", "can cuoc", "so/no", "so / no", "no.",
             "the can cuoc", "ma dinh danh")
CMND_LABELS = ("cmnd", "cmtnd", "chung minh nhan dan", "chung minh thu")
PASSPORT_LABELS = ("ho chieu", "passport")
TAX_LABELS = ("ma so thue", "mst", "ma so doanh nghiep", "tax code", "ma so ho kinh doanh")
_SPACED_DIGITS = re.compile(r"\d(?:[ |.]?\d)*")
_PASSPORT = re.compile(r"(?<![A-Za-z0-9])[A-Z]\d{7}(?![A-Za-z0-9])")
_TAX = re.compile(r"(?<![\d-])(\d{10})(?:\s*-\s*(\d{3}))?(?![\d-])")


@dataclass(frozen=True)
class DigitRun:
    """A run of digits on a line (separators inside dropped) and its raw text."""

    digits: str
    raw: str
    line: int
    labelled: bool


def has_label(line: str, labels: tuple[str, ...]) -> bool:
    """Whether the folded ``line`` mentions one of ``labels``."""
    folded = fold_aligned(line)
    return any(label in folded for label in labels)


def personal_id_problem(number: str, birth: date | None = None,
                        today: date | None = None) -> str | None:
    """Why ``number`` is not a valid số định danh cá nhân, or ``None`` if it is.

    Checks the format, the province code, and the birth year encoded by the century digit and
    the 2-digit year: not in the future, and equal to ``birth``'s year when known.
    """
    if not re.fullmatch(r"\d{12}", number):
        return "không đủ 12 chữ số"
    if number[:3] not in PROVINCE_CODES:
        return f"mã tỉnh {number[:3]} không có trong danh mục TT 59/2021"
    year = birth_year_of(number)
    if year > (today or date.today()).year:
        return f"chữ số thế kỷ {number[3]} cho năm sinh {year} trong tương lai"
    if birth is not None and birth.year != year:
        return f"năm sinh {year} theo số định danh khác ngày sinh {birth.isoformat()}"
    return None


def birth_year_of(number: str) -> int:
    """The birth year encoded in digits 4–6 of a số định danh cá nhân."""
    return 1900 + 100 * (int(number[3]) // 2) + int(number[4:6])


def is_male(number: str) -> bool:
    return int(number[3]) % 2 == 0


def digit_runs(lines: Sequence[str], labels: tuple[str, ...], length: int) -> Iterator[DigitRun]:
    """Runs of exactly ``length`` digits: on labelled lines digits printed in boxes or groups
    ("0 6 2 0 7 3 …", "|0|6|2|…") are joined; elsewhere only a contiguous run counts."""
    contiguous = re.compile(rf"(?<!\d)\d{{{length}}}(?!\d)")
    for index, line in enumerate(lines):
        labelled = has_label(line, labels)
        for match in contiguous.finditer(line):
            yield DigitRun(match.group(0), match.group(0), index, labelled)
        if not labelled:
            continue
        for match in _SPACED_DIGITS.finditer(line):
            raw = match.group(0)
            digits = re.sub(r"\D", "", raw)
            if len(digits) == length and digits != raw:
                yield DigitRun(digits, raw, index, labelled)


def find_passports(lines: Sequence[str]) -> Iterator[tuple[str, int, bool]]:
    """(number, line, labelled) for every "C1234567"-shaped token."""
    for index, line in enumerate(lines):
        labelled = has_label(line, PASSPORT_LABELS)
        for match in _PASSPORT.finditer(line):
            yield match.group(0), index, labelled


def find_tax_codes(lines: Sequence[str]) -> Iterator[tuple[str, str]]:
    """(value, raw) for 10-digit or 10-3 tax codes on lines labelled as such."""
    for line in lines:
        if not has_label(line, TAX_LABELS):
            continue
        joined = re.sub(r"(?<=\d)[ |.](?=\d)", "", line)
        for match in _TAX.finditer(joined):
            value = match.group(1) + (f"-{match.group(2)}" if match.group(2) else "")
            yield value, _raw_digits(line, value)


def _raw_digits(line: str, value: str) -> str:
    """The span of ``line`` that holds the digits of ``value`` (possibly spaced)."""
    pattern = r"[ |.]?".join(re.escape(ch) for ch in value)
    found = re.search(pattern, line)
    return found.group(0) if found else value
