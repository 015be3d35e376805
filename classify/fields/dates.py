"""Dates as printed on Vietnamese papers: "12/03/2026", "9-11-1973", "ngày 12 tháng 3 năm 2026"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from classify.fields.layout import fold_aligned
from classify.fields.number_place import find_number_place

_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_IN_WORDS = re.compile(
    r"(?:ngay\s*)?(?<!\d)(\d{1,2})\s*thang\s*(\d{1,2})\s*,?\s*nam\s*(\d{4})(?!\d)")
# The place-date line of an official document: "Hà Nội, ngày 30 tháng 4 năm 2026". Day and
# month may be handwritten or unreadable ("ngày 0? tháng 2#"); the year is then all we keep.
_PLACE_DATE = re.compile(
    r"ngay\s*(\S{0,3}?)\s*thang\s*(\S{0,3}?)\s*nam\s*(\d{4})(?!\d)[\s.,;)]*$")
_NOT_PLACE = re.compile(r"\b(?:hom nay|vao|tu|den|truoc|sau|cap|ky|ban hanh|sinh)\b")
MAX_PLACE_WORDS = 6
MIN_YEAR = 1800
MAX_YEAR = 2200


@dataclass(frozen=True)
class DateMatch:
    """A date found in a text, with the span it was read from."""

    value: date
    start: int
    end: int


@dataclass(frozen=True)
class PartialDate:
    """A place-date whose day or month may be unreadable: ``iso`` is "2026-04-30" or "2026"."""

    iso: str
    complete: bool
    start: int
    end: int


def parse_date(text: str) -> date | None:
    """The first date in ``text``, numeric or in words; ``None`` if there is none."""
    found = find_date(text)
    return found.value if found else None


def find_date(text: str) -> DateMatch | None:
    """The earliest valid date in ``text`` (either notation)."""
    folded = fold_aligned(text)
    best: DateMatch | None = None
    for pattern in (_NUMERIC, _IN_WORDS):
        for match in pattern.finditer(folded):
            value = make_date(match.group(1), match.group(2), match.group(3))
            if value is None:
                continue
            if best is None or match.start() < best.start:
                best = DateMatch(value, match.start(), match.end())
            break
    return best


def find_place_date(line: str) -> PartialDate | None:
    """The ", ngày … tháng … năm …" date ending ``line``, if there is place text before it
    ("Hà Nội, ngày …", not "Hôm nay, ngày …" nor "cấp ngày …")."""
    folded = fold_aligned(line)
    match = _PLACE_DATE.search(folded)
    if match is None or not _is_place(line[: match.start()]):
        return None
    year = int(match.group(3))
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    value = make_date(match.group(1), match.group(2), match.group(3))
    if value is not None:
        return PartialDate(value.isoformat(), True, match.start(), match.end())
    return PartialDate(f"{year:04d}", False, match.start(), match.end())


@dataclass(frozen=True)
class DateBlanks:
    """The day and month spans (``start``, ``end``) of a place-date line whose day or month is
    not digits, its year, and the span of the whole "ngày … năm …": "ngày 0? tháng 2# năm 2026"."""

    day: tuple[int, int]
    month: tuple[int, int]
    year: int
    span: tuple[int, int]


def find_date_blanks(line: str) -> DateBlanks | None:
    """The unread day or month of the place-date ending ``line``; None when it is complete."""
    found = find_place_date(line)
    if found is None or found.complete:
        return None
    match = _PLACE_DATE.search(fold_aligned(line))
    assert match is not None  # find_place_date matched the same pattern
    return DateBlanks(match.span(1), match.span(2), int(match.group(3)), match.span())


def _is_place(text: str) -> bool:
    """A place name as printed before the date: a few capitalised words without digits (a
    "Số: 12/QĐ-UBND" of the interleaved left column is skipped)."""
    number = find_number_place(text)  # the interleaved left column: "Số: 12/QĐ-UBND "
    place = (text[number.span_end:] if number is not None else text).strip(" ,.")
    words = place.split()
    if not 1 <= len(words) <= MAX_PLACE_WORDS or any(ch.isdigit() for ch in place):
        return False
    return place[0].isupper() and not _NOT_PLACE.search(fold_aligned(place))


def make_date(day: str, month: str, year: str) -> date | None:
    """The date of three digit strings, or None when they are not one."""
    if not (day.isdigit() and month.isdigit() and year.isdigit()):
        return None
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None
