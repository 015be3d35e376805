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
from classify.fields.number_place import find_number_place

HEADER_LINES = 15
MAX_ISSUER_LINES = 3
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
        if find_number_place(rest) is not None or find_place_date(rest):
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
