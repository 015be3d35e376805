"""Small portal fields: title, levels, field slug, result documents, legal bases."""

from __future__ import annotations

import re
from dataclasses import dataclass

from classify.catalogue.schema import RESULT_CODE, Level
from classify.portal.text import LOWER, UPPER, strip_invisible
from ingest.text import fold, nfc

NO_INFO = "Không có thông tin"
LEVELS = {"cap xa": Level.XA, "cap tinh": Level.TINH, "cap bo": Level.BO, "cap huyen": Level.HUYEN}
# Portal UI text scraped after the result list: "Từ khóa…Mô tả…Chọn cơ quan thực hiện…Nộp hồ sơ".
_UI_MARKERS = ("Từ khóa", "Chọn cơ quan thực hiện", "Hệ thống chỉ hiển thị")
_RESULT_SPLIT = re.compile(r"\s*Mã:\s*")
# A result code glued to the next document's name: "KQ.G01.000064Thông báo…".
_RESULT_CODE_HEAD = re.compile(r"KQ\.[A-Z]\d{2}\.\d{5,6}|[0-9A-Z][0-9A-Z.\-]*[0-9]|[A-Z]{2,}\b")
LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
# The "Mã văn bản" cell: "123/2015/NĐ-CP", "66.7/2025/NQ-CP", "190/2025/NQ-QH15", "24/2024".
_ISSUER = r"(?:QH\d{2}|[A-Z]\d{2}|[A-ZĐ]+)"  # "QH15", "C06", "NĐ", "BTC"
_DOC_NUMBER = rf"\d{{1,4}}(?:\.\d+)?/\d{{4}}(?:/{_ISSUER}(?:-{_ISSUER})*)?"
_NEXT_NUMBER = r"\d+(?:\.\d+)?/\d{4}"
# Next title glued on ("…TT-BTCNghị định…"), the next number, or the end; but "…TT-BCAngày 01/7"
# is a citation missing its space, not the cell "TT-BC" followed by a title "Angày".
_FOLLOW_GLUED = rf"(?![{UPPER}]ngày)(?=$|[{UPPER}][{LOWER}]|{_NEXT_NUMBER})"
_NUMBER_CELL = re.compile(
    # "…Việt NamLuật 47/2014/QH13Thông tư…": a cell with its kind, glued on both sides
    rf"(?<=\S)(?P<prefixed>(?:Luật|Nghị định|Thông tư|Nghị quyết|Quyết định|NĐ|TT)(?: số)? "
    rf"{_DOC_NUMBER}){_FOLLOW_GLUED}"
    # "…Luật Hộ tịch123/2015/NĐ-CP": glued to the title, or to a year ("2020" + "68/2020/QH14"),
    # or to the previous cell ("QH12" + "28/2009/QH12"); followed by the next title or the end
    rf"|(?:(?<=[^\s\d/])(?<!QH)|(?<=[^\d]\d{{4}})|(?<=QH\d{{2}}))(?P<plain>{_DOC_NUMBER})"
    rf"(?:{_FOLLOW_GLUED}|(?=\s+[{UPPER}]))"
)
_CORE_NUMBER = re.compile(_DOC_NUMBER)


@dataclass(frozen=True)
class ResultDocument:
    name: str
    code: str | None
    suspect: str | None = None


@dataclass(frozen=True)
class LegalBasis:
    title: str
    number: str | None


def clean_title(title: str, code: str) -> str:
    """One line, no trailing period, no "(1.010736)" echo of the code."""
    text = " ".join(strip_invisible(nfc(title)).split())
    echo = re.compile(rf"\s*\(\s*{re.escape(code)}\s*\)$")
    previous = None
    while text != previous:  # "… (1.003434)." and "…. (1.003434)" both occur
        previous = text
        text = echo.sub("", text.rstrip(" ."))
    return text


def parse_levels(text: str) -> tuple[tuple[Level, ...], tuple[str, ...]]:
    """("Cấp tỉnh, Cấp xã") → (tinh, xa); unknown levels ("Cơ quan khác") are returned apart."""
    levels: list[Level] = []
    others: list[str] = []
    for item in nfc(text or "").split(","):
        item = item.strip()
        level = LEVELS.get(fold(item))
        if level is not None and level not in levels:
            levels.append(level)
        elif level is None and item and item != NO_INFO:
            others.append(item)
    return tuple(levels), tuple(others)


def field_slug(name: str) -> str:
    """The catalogue's ``field`` pattern ``^[a-z_]+$``: "Hộ tịch" → "ho_tich"."""
    return re.sub(r"[^a-z]+", "_", fold(name)).strip("_")


def parse_results(text: str) -> tuple[ResultDocument, ...]:
    """Result documents (kết quả) with their codes, portal UI text cut off."""
    text = _cut_ui(" ".join(strip_invisible(nfc(text or "")).split()))
    if not text or text == NO_INFO:
        return ()
    pieces = _RESULT_SPLIT.split(text)
    names, codes = [pieces[0]], []
    for piece in pieces[1:]:
        head = _RESULT_CODE_HEAD.match(piece)
        code = head.group(0) if head else ""
        codes.append(code or None)
        names.append(piece[len(code):])
    codes.append(None)  # the last name (if any text is left) has no code
    return tuple(_result(name, code) for name, code in zip(names, codes, strict=True)
                 if _result_name(name) or code)


def _result(name: str, code: str | None) -> ResultDocument:
    suspect = None
    if code is not None and not RESULT_CODE.match(code):
        suspect = f"mã kết quả {code!r} không theo dạng KQ.G15.000031"
    return ResultDocument(_result_name(name), code, suspect)


def _result_name(name: str) -> str:
    return re.sub(r"^[-+*\s]+", "", name).rstrip(" .;")


def _cut_ui(text: str) -> str:
    cut = min((i for i in (text.find(m) for m in _UI_MARKERS) if i >= 0), default=len(text))
    return text[:cut].strip()


def parse_legal_bases(text: str) -> tuple[LegalBasis, ...]:
    """Căn cứ pháp lý: each title glued to its number cell; best effort, reviewed by a human."""
    text = " ".join(strip_invisible(nfc(text or "")).split()).replace(LEGAL_HEADER, "", 1).strip()
    if not text or text == NO_INFO:
        return ()
    bases: list[LegalBasis] = []
    cursor = 0
    for match in _NUMBER_CELL.finditer(text):
        title = text[cursor:match.start()].strip(" ;,")
        number = match.group("prefixed") or match.group("plain")
        cursor = match.end()
        # "98/2018/NĐ-CP98/2018/NĐ-CP": the title cell repeats the number; keep one entry.
        if not title and bases and _same_number(bases[-1].number, number):
            if match.group("plain"):  # keep the bare number as the cell, the longer as title
                bases[-1] = LegalBasis(bases[-1].title, number)
            continue
        bases.append(LegalBasis(title or number, number))
    rest = text[cursor:].strip(" ;,")
    if rest:
        bases.append(LegalBasis(rest, None))  # cut off or without a number cell
    return tuple(bases)


def _same_number(a: str | None, b: str) -> bool:
    core_a = _CORE_NUMBER.search(a or "")
    core_b = _CORE_NUMBER.search(b)
    return bool(core_a and core_b and core_a.group(0) == core_b.group(0))
