"""The header of an official document (NĐ 30/2020 Phụ lục I): issuing body, số ký hiệu, date.

    BỘ TÀI CHÍNH                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    CỤC THUẾ                          Độc lập - Tự do - Hạnh phúc
    Số: 2191/CT-CS                  Hà Nội, ngày 08 tháng 4 năm 2026
    V/v chính sách thuế TNDN

OCR interleaves the two columns line by line; the motto is cut out of each line first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from classify.fields.dates import PartialDate, find_place_date
from classify.fields.layout import fold_aligned, is_mostly_upper, letter_count, strip_motto

HEADER_LINES = 15
MAX_ISSUER_LINES = 3
# "Số: 2191/CT-CS", "Số: 118/2025/NĐ-CP", "Số:      /QĐ-UBND" (number left blank, filled by hand).
# A handwritten number may come out of OCR with slashes in it ("2/0J /CT-CS"): the shortest
# number before a notation is taken, so such junk is still the number's place.
_NUMBER = re.compile(
    r"(?:^[^a-z0-9]*s[o0]\s*[:.]?|(?<=\s)s[o0]\s*:)\s*"
    r"(?P<num>\S{0,8}?)\s*/\s*(?:(?P<year>\d{4})\s*/\s*)?"
    r"(?P<notation>[a-z][a-z0-9&.]*(?:\s?-\s?[a-z0-9&.]+)*)"
)
_STAMP = re.compile(r"\b(?:cong van den|van ban den)\b|^den\b")
_ORGAN_START = re.compile(
    r"^(?:uy ban|ubnd|hoi dong|bo |so |cuc |tong cuc|chi cuc|phong |ban |bo phan|trung tam|"
    r"van phong|cong an|toa an|vien |benh vien|truong |thu tuong|chinh phu|quoc hoi|kho bac|"
    r"chi nhanh|cong ty|ngan hang|thue )"
)


@dataclass(frozen=True)
class NumberNotation:
    """A parsed số ký hiệu: ``number`` is empty when it is blank or unreadable."""

    number: str
    year: str
    notation: str
    line: int
    source: str

    @property
    def value(self) -> str:
        parts = [self.number, self.year, self.notation] if self.year else [self.number,
                                                                             self.notation]
        return "/".join(parts)

    @property
    def type_abbreviation(self) -> str:
        """The first part of the notation: "QĐ" in "12/QĐ-UBND" (for a Công văn it is the
        issuer's abbreviation instead: "CT" in "2191/CT-CS")."""
        return self.notation.split("-")[0]


def find_number_notation(lines: Sequence[str]) -> NumberNotation | None:
    """The số ký hiệu in the header lines of a page."""
    for index, line in enumerate(lines[:HEADER_LINES]):
        rest, _ = strip_motto(line)
        found = _parse_number(rest, index)
        if found is not None:
            return found
    return None


def _parse_number(line: str, index: int) -> NumberNotation | None:
    place = find_number_place(line)
    if place is None:
        return None
    number = line[place.start:place.end]
    source = line[place.start:place.span_end]
    return NumberNotation(
        number=number if number.isdigit() else "", year=place.year, notation=place.notation,
        line=index, source=" ".join(source.split()),
    )


@dataclass(frozen=True)
class NumberPlace:
    """Where the number of a "Số: …/notation" line is: ``start:end`` of the line (empty when
    nothing was read there), the notation as printed, and the span of the whole "Số: …/notation".
    """

    start: int
    end: int
    notation: str
    span_start: int
    span_end: int
    year: str = ""


_LABEL = re.compile(r"^[^a-z0-9]*s[o0]\S?\s*[:.]?\s*")  # folded "Số:" opening a line
_NOTATION_AFTER = re.compile(r"/\s*(?:(?P<year>\d{4})\s*/\s*)?(?P<notation>[A-ZĐ][A-Za-zĐđ0-9&.]*"
                             r"(?:\s?-\s?[A-Za-zĐđ0-9&.]+)*)")
MAX_NUMBER_CHARS = 14


def find_number_place(line: str) -> NumberPlace | None:
    """Where the line's số ký hiệu has its number, whatever OCR read there.

    Handwritten digits come out of OCR as junk with slashes and spaces in it ("Z/ đổ /QĐ-UBND",
    "2 9 9 /CT-VP"), so the notation is the first "/" after "Số:" followed by an upper-case
    abbreviation, and the number is whatever lies between.
    """
    match = _NUMBER.search(fold_aligned(line))
    if match is not None:
        notation = line[match.start("notation"):match.end("notation")]
        if sum(ch.isupper() for ch in notation) >= 2:
            return NumberPlace(match.start("num"), match.end("num"),
                               re.sub(r"\s+", "", notation).rstrip("."), match.start(),
                               match.end(), match.group("year") or "")
    label = _LABEL.match(fold_aligned(line))
    if label is None:
        return None
    for slash in _NOTATION_AFTER.finditer(line, label.end(), label.end() + MAX_NUMBER_CHARS + 1):
        notation = slash.group("notation")
        if sum(ch.isupper() for ch in notation) >= 2:
            number = line[label.end():slash.start()]
            end = label.end() + len(number.rstrip())
            return NumberPlace(label.end(), end, re.sub(r"\s+", "", notation).rstrip("."),
                               label.start(), slash.end(), slash.group("year") or "")
    return None


def find_number_blank(line: str) -> NumberPlace | None:
    """The unread number of the line's số ký hiệu; None when it is digits or there is none."""
    place = find_number_place(line)
    if place is None or line[place.start:place.end].isdigit():
        return None
    return place


def find_issue_date(lines: Sequence[str]) -> tuple[PartialDate, str] | None:
    """The place-date of the header ("Hà Nội, ngày 30 tháng 4 năm 2026") and its line."""
    for line in lines[:HEADER_LINES]:
        rest, _ = strip_motto(line)
        found = find_place_date(rest)
        if found is not None:
            return found, rest
    return None


def find_issuer(lines: Sequence[str]) -> tuple[list[str], bool] | None:
    """The upper-case lines of the issuing body above "Số:", and whether "Số:" closed them.

    Without a "Số:" line only lines up to the last motto line count (below it comes the title),
    and only if the first names an organ ("ỦY BAN …", "BỘ …", "SỞ …", "BỆNH VIỆN …").
    """
    parts: list[tuple[int, str]] = []
    last_motto = -1
    for index, line in enumerate(lines[:HEADER_LINES]):
        rest, motto = strip_motto(line)
        last_motto = index if motto else last_motto
        if _STAMP.search(fold_aligned(rest)):  # "VĂN PHÒNG … / CÔNG VĂN ĐẾN": a received stamp
            parts.clear()
            continue
        if letter_count(rest) < 2:
            continue
        if _NUMBER.search(fold_aligned(rest)) or find_place_date(rest):
            return ([p for _, p in parts], True) if parts else None
        if not is_mostly_upper(rest, ratio=0.8, min_letters=2):
            if parts:
                break
            continue
        parts.append((index, " ".join(rest.strip(" -–—_=*.").split())))
        if len(parts) > MAX_ISSUER_LINES:
            return None
    kept = [p for index, p in parts if index <= last_motto]
    if kept and _ORGAN_START.match(fold_aligned(kept[0]) + " "):
        return kept, False
    return None
