"""The field extractors, each reading one field from the lines of a page (no boxes here)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from classify.fields.dates import find_date
from classify.fields.header import find_issue_date, find_issuer, find_number_notation
from classify.fields.identifiers import (
    CMND_LABELS,
    ID_LABELS,
    PASSPORT_LABELS,
    digit_runs,
    find_passports,
    find_tax_codes,
    has_label,
    personal_id_problem,
)
from classify.fields.labels import NAME_LABELS, clean_name, labelled_values, person_blocks
from classify.fields.layout import fold_aligned, page_lines
from classify.fields.model import ExtractedField

Lines = Sequence[str]
BIRTH_LABELS = ("ngay, thang, nam sinh", "ngay thang nam sinh", "ngay sinh", "sinh ngay",
                "date of birth")
ISSUE_LABELS = ("ngay cap", "cap ngay", "ngay, thang, nam cap", "date of issue")
EXPIRY_LABELS = ("co gia tri den", "gia tri den", "date of expiry")
ADDRESS_LABELS = ("noi thuong tru", "noi cu tru", "noi o hien tai", "dia chi thuong tru",
                  "dia chi", "place of residence")
DATE_WINDOW = 40  # the date follows its label closely
_NOT_ADDRESS = ("email", "thu dien tu", "website")


def extract_text_fields(text: str) -> dict[str, ExtractedField]:
    lines = page_lines(text)
    fields: dict[str, ExtractedField] = {}
    for name, extractor in EXTRACTORS.items():
        found = extractor(lines)
        if found is not None:
            fields[name] = found
    return fields


def _field(value: str, confidence: float, source: str) -> ExtractedField:
    return ExtractedField(value=value, confidence=round(confidence, 3), box=None,
                          source_text=" ".join(source.split()))


def labelled_dates(lines: Lines, labels: tuple[str, ...]) -> list[tuple[date, int, str]]:
    """(date, line, source text) of every date printed after one of ``labels``."""
    dates = []
    for found in labelled_values(lines, labels, anywhere=True):
        match = find_date(found.value[:DATE_WINDOW])
        if match is not None:
            dates.append((match.value, found.line, found.value[match.start:match.end]))
    return dates


def _date_field(labels: tuple[str, ...]) -> Callable[[Lines], ExtractedField | None]:
    def extract(lines: Lines) -> ExtractedField | None:
        dates = labelled_dates(lines, labels)
        if not dates:
            return None
        value, _, source = dates[0]
        return _field(value.isoformat(), 0.9, source)
    return extract


def personal_id(lines: Lines) -> ExtractedField | None:
    """The first valid số định danh, labelled ones first; a birth date printed for the same
    person (:func:`person_blocks`) must agree with its century and year digits."""
    blocks = person_blocks(lines)
    births = {blocks[line]: born for born, line, _ in reversed(labelled_dates(lines, BIRTH_LABELS))}
    runs = sorted(digit_runs(lines, ID_LABELS, 12), key=lambda r: (not r.labelled, r.line))
    for run in runs:
        birth = births.get(blocks[run.line])
        if personal_id_problem(run.digits, birth) is None:
            confidence = (0.95 if run.labelled else 0.75) + (0.03 if birth else 0.0)
            return _field(run.digits, confidence, run.raw)
    return None


def cmnd(lines: Lines) -> ExtractedField | None:
    for run in digit_runs(lines, CMND_LABELS, 9):
        if run.labelled:
            return _field(run.digits, 0.9, run.raw)
    return None


def passport(lines: Lines) -> ExtractedField | None:
    mentioned = any(has_label(line, PASSPORT_LABELS) for line in lines)
    for number, _, labelled in find_passports(lines):
        if labelled or mentioned:
            return _field(number, 0.9 if labelled else 0.7, number)
    return None


def tax_code(lines: Lines) -> ExtractedField | None:
    for value, raw in find_tax_codes(lines):
        return _field(value, 0.9, raw)
    return None


def full_name(lines: Lines) -> ExtractedField | None:
    for found in labelled_values(lines, NAME_LABELS):
        name = clean_name(found.value)
        if name is not None:
            return _field(name, 0.9 if found.same_line else 0.8, found.value)
    return None


def address(lines: Lines) -> ExtractedField | None:
    for found in labelled_values(lines, ADDRESS_LABELS):
        label_part = fold_aligned(lines[found.line - (not found.same_line)]).split(":")[0]
        if any(word in label_part for word in _NOT_ADDRESS):
            continue
        value = _with_continuation(lines, found.line, found.value)
        if sum(ch.isalpha() for ch in value) >= 4:
            return _field(value, 0.85, value)
    return None


def _with_continuation(lines: Lines, index: int, value: str) -> str:
    """Join the next line when the address visibly goes on (ends with a comma, or the next
    line starts in lower case and has no label)."""
    if index + 1 >= len(lines):
        return value
    following = lines[index + 1]
    if ":" in following:
        return value
    if lines[index].rstrip().endswith(","):
        return f"{value}, {following}"
    if following[:1].islower():
        return f"{value} {following}"
    return value


def number_notation(lines: Lines) -> ExtractedField | None:
    found = find_number_notation(lines)
    if found is None:
        return None
    return _field(found.value, 0.95 if found.number else 0.5, found.source)


def issue_date(lines: Lines) -> ExtractedField | None:
    found = find_issue_date(lines)
    if found is None:
        return None
    date_, line = found
    return _field(date_.iso, 0.9 if date_.complete else 0.3, line[date_.start:date_.end])


def issuer(lines: Lines) -> ExtractedField | None:
    found = find_issuer(lines)
    if found is None:
        return None
    parts, closed_by_number = found
    value = " / ".join(parts)
    return _field(value, 0.85 if closed_by_number else 0.6, value)


EXTRACTORS: dict[str, Callable[[Lines], ExtractedField | None]] = {
    "so_dinh_danh": personal_id,
    "cmnd": cmnd,
    "ho_chieu": passport,
    "ma_so_thue": tax_code,
    "ho_ten": full_name,
    "ngay_sinh": _date_field(BIRTH_LABELS),
    "ngay_cap": _date_field(ISSUE_LABELS),
    "co_gia_tri_den": _date_field(EXPIRY_LABELS),
    "so_ky_hieu": number_notation,
    "ngay_ban_hanh": issue_date,
    "co_quan_ban_hanh": issuer,
    "dia_chi": address,
}
