"""Where the số ký hiệu of an official document's header has its number ("Số: 2191/CT-CS").

Shared by the header fields (``classify.fields.header``), the place-date that follows it on the
same OCR line (``classify.fields.dates``) and the re-reading of hand-filled numbers
(``classify.fields.fillins``), so all three agree on what a "Số: …/notation" is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from classify.fields.layout import fold_aligned

# "Số: 2191/CT-CS", "Số: 118/2025/NĐ-CP", "Số:      /QĐ-UBND" (number left blank, filled by hand).
# A handwritten number may come out of OCR with slashes in it ("2/0J /CT-CS"): the shortest
# number before a notation is taken, so such junk is still the number's place.
_NUMBER = re.compile(
    r"(?:^[^a-z0-9]*s[o0]\s*[:.]?|(?<=\s)s[o0]\s*:)\s*"
    r"(?P<num>\S{0,8}?)\s*/\s*(?:(?P<year>\d{4})\s*/\s*)?"
    r"(?P<notation>[a-z][a-z0-9&.]*(?:\s?-\s?[a-z0-9&.]+)*)"
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
