"""Hand-filled blanks of an official document's header, read again by a second engine.

The number of the số ký hiệu and the day and month of the date are often written by hand into
printed blanks when the document is registered ("Số: 2191/CT-CS", "ngày 08 tháng 4 năm 2026").
Tesseract, trained on print, reads such digits as junk ("2d", "4@†", "0?") or as digits it is
unsure of (below ``MIN_DIGIT_CONFIDENCE``). For those spans only,
the band around the line is read again by a detector and recogniser made for mixed print and
handwriting (``ocr.bandreader``). Its digits are taken only where it also reads the printed
parts as Tesseract did (the notation, the year) and the result is well formed; they then
replace the junk in the page's text and words, so fields, search and the archive's text layer
all see the number. Each fill-in is recorded on the page beside what Tesseract read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from PIL import Image
from rapidfuzz import fuzz

from classify.fields.dates import find_date_blanks, make_date
from classify.fields.header import HEADER_LINES
from classify.fields.layout import fold_aligned
from classify.fields.number_place import find_number_place
from ocr.bandreader import BandReader, TextBox
from ocr.model import FillIn, PageText, Word

BAND_MARGIN = 1.0  # line heights above and below: handwriting straddles the printed line
MIN_NOTATION_SIMILARITY = 80  # rapidfuzz ratio of the two readings of the printed notation
# Digits Tesseract is this unsure of are read again too: on the bench's headers it read
# handwritten numbers as plausible wrong digits ("2905" for 2505) at confidence 60-71.
MIN_DIGIT_CONFIDENCE = 85.0
DATE_PART_MAX = {"ngay": 31, "thang": 12}
# Handwritten digits are often read with gaps ("1 5"), hence the optional spaces inside numbers.
_REREAD_NUMBER = re.compile(
    r"(?<![\da-z])(\d(?: ?\d){0,6})\s*/\s*(?:\d{4}\s*/\s*)?([a-z][a-z0-9&.\-]*)")
_REREAD_DATE = re.compile(
    r"ng[a-z]*\s*[:.]?\s*(\d ?\d?)\s*[a-z]{3,6}\s*[:.]?\s*(\d ?\d?)\s*[a-z]{2,4}\s*(\d{4})(?!\d)")

Span = tuple[int, int]


@dataclass(frozen=True)
class Blank:
    """A span of a header line to read again: ``band`` is the printed context around it."""

    line: int
    band: Span
    parse: Callable[[str], dict[str, Span] | None]  # reread text → where each field's digits are
    spans: dict[str, Span]  # field → its span in the line as Tesseract read it
    trusted: frozenset[str] = frozenset()  # fields whose Tesseract reading is kept


@dataclass(frozen=True)
class Fill:
    line: int
    span: Span
    fill_in: FillIn


def read_fill_ins(page: PageText, image: Image.Image,
                  reader: Callable[[], BandReader]) -> PageText:
    """The page with its header's hand-filled blanks read again; unchanged when there are none.

    ``image`` is the image Tesseract read (the words' boxes are in its pixels); ``reader`` is
    called only when a blank is found, so pages without one never load the second engine.
    """
    if page.source != "tesseract" or page.status != "ok" or page.fill_ins:
        return page
    lines = _lines_of_words(page)
    if lines is None:
        return page
    blanks = [b for index, (text, words) in enumerate(lines[:HEADER_LINES])
              for b in _blanks(index, text, words)]
    if not blanks:
        return page
    engine = reader()
    fills = [fill for blank in blanks for fill in _reread(blank, lines, image, engine)]
    return _with_fills(page, lines, fills) if fills else page


def _lines_of_words(page: PageText) -> list[tuple[str, list[Word]]] | None:
    """Each text line with its words, or None when the text no longer matches the words."""
    lines: list[tuple[str, list[Word]]] = []
    used = 0
    for text in page.text.split("\n"):
        count = len(text.split())
        lines.append((text, list(page.words[used:used + count])))
        used += count
    if used != len(page.words) or any(" ".join(w.text for w in ws) != t for t, ws in lines):
        return None
    return lines


def _blanks(index: int, line: str, words: list[Word]) -> list[Blank]:
    found: list[Blank] = []
    number = find_number_place(line)
    if number is not None and not _trusted_digits(line, words, (number.start, number.end)):
        notation = fold_aligned(number.notation)
        found.append(Blank(index, (number.span_start, number.span_end),
                           lambda text: _parse_number(text, notation),
                           {"so": (number.start, number.end)}))
    date = find_date_blanks(line)
    if date is not None:
        year = date.year
        spans = {"ngay": date.day, "thang": date.month}
        # A day or month read as digits is kept, unless it cannot be one ("ngày 37").
        trusted = frozenset(f for f, (a, b) in spans.items()
                            if line[a:b].isdigit() and 1 <= int(line[a:b]) <= DATE_PART_MAX[f])
        if len(trusted) == len(spans):  # both plausible yet no valid date (31 tháng 2)
            trusted = frozenset()
        found.append(Blank(index, date.span, lambda text: _parse_date(text, year), spans,
                           trusted))
    return found


def _trusted_digits(line: str, words: list[Word], span: Span) -> bool:
    """Whether Tesseract read the span as digits, and was sure of every word of it."""
    if not line[span[0]:span[1]].isdigit():
        return False
    return all(w.conf >= MIN_DIGIT_CONFIDENCE for w, (a, b) in zip(words, _offsets(words),
                                                                      strict=True)
               if a < span[1] and b > span[0])


def _parse_number(text: str, notation: str) -> dict[str, Span] | None:
    for match in _REREAD_NUMBER.finditer(text):
        if fuzz.ratio(match.group(2).rstrip("."), notation) >= MIN_NOTATION_SIMILARITY:
            return {"so": match.span(1)}
    return None


def _parse_date(text: str, year: int) -> dict[str, Span] | None:
    match = _REREAD_DATE.search(text)
    if match is None or int(match.group(3)) != year:
        return None
    if make_date(_digits(match.group(1)), _digits(match.group(2)), match.group(3)) is None:
        return None
    return {"ngay": match.span(1), "thang": match.span(2)}


def _reread(blank: Blank, lines: list[tuple[str, list[Word]]], image: Image.Image,
            engine: BandReader) -> list[Fill]:
    text, words = lines[blank.line]
    inside = [w for w, (start, end) in zip(words, _offsets(words), strict=True)
              if start < blank.band[1] and end > blank.band[0]]
    if not inside:
        return []
    left, top, right, bottom = _union(inside)
    margin = int((bottom - top) * BAND_MARGIN)
    origin = (max(0, left - margin // 2), max(0, top - margin))
    band = image.crop((*origin, min(image.width, right + margin // 2),
                       min(image.height, bottom + margin)))
    row = (top - origin[1], bottom - origin[1])
    boxes = sorted((b for b in engine.read(band) if _overlaps_row(b, row)),
                   key=lambda b: b.box[0])
    joined = " ".join(b.text for b in boxes)
    found = blank.parse(fold_aligned(joined))
    if found is None:
        return []
    fills = []
    for field, (start, end) in found.items():
        old_start, old_end = blank.spans[field]
        value = _digits(joined[start:end])
        if field in blank.trusted or text[old_start:old_end] == value:
            continue
        box, confidence = _box_of(boxes, start, end, origin)
        # Tesseract found the ink where it read junk; the reader's box is one per text run.
        covered = [w for w, (a, b) in zip(words, _offsets(words), strict=True)
                   if a >= old_start and b <= old_end]
        box = _as_box(_union(covered)) if covered else box
        fills.append(Fill(blank.line, blank.spans[field], FillIn(
            field, text[old_start:old_end], value, round(confidence, 3), box,
            engine.version)))
    return fills


def _digits(text: str) -> str:
    return text.replace(" ", "")


def _overlaps_row(box: TextBox, row: Span) -> bool:
    top, bottom = box.box[1], box.box[1] + box.box[3]
    overlap = min(bottom, row[1]) - max(top, row[0])
    return overlap >= 0.5 * min(box.box[3], row[1] - row[0])


def _box_of(boxes: list[TextBox], start: int, end: int,
            origin: tuple[int, int]) -> tuple[tuple[int, int, int, int], float]:
    """Where characters ``start:end`` of the joined reading are on the page, and its score."""
    offset = 0
    for box in boxes:
        if offset <= start < offset + len(box.text):
            left, top, width, height = _sub_box(box.box, len(box.text), start - offset,
                                                end - offset)
            return (left + origin[0], top + origin[1], width, height), box.confidence
        offset += len(box.text) + 1
    raise ValueError("span outside the reading")


def _with_fills(page: PageText, lines: list[tuple[str, list[Word]]],
                fills: list[Fill]) -> PageText:
    new_lines = list(lines)
    # Right to left within a line, so earlier spans keep their offsets.
    for fill in sorted(fills, key=lambda f: (f.line, -f.span[0])):
        _, words = new_lines[fill.line]
        filled = _fill_words(words, fill.span, fill.fill_in)
        new_lines[fill.line] = (" ".join(w.text for w in filled), filled)
    return replace(page, text="\n".join(t for t, _ in new_lines),
                   words=tuple(w for _, ws in new_lines for w in ws),
                   fill_ins=tuple(f.fill_in for f in fills))


def _fill_words(words: list[Word], span: Span, fill: FillIn) -> list[Word]:
    """The line's words with characters ``span`` (any words, or none) replaced by the value."""
    start, end = span
    before: list[Word] = []
    after: list[Word] = []
    for word, (w_start, w_end) in zip(words, _offsets(words), strict=True):
        if w_end <= start and not w_start < start < w_end:
            before.append(word)
        elif w_start >= end:
            after.append(word)
        else:  # overlaps the span: keep what lies outside it
            if start > w_start:
                before.append(_part(word, word.text[:start - w_start], 0))
            if end < w_end:
                after.append(_part(word, word.text[end - w_start:], end - w_start))
    return [*before, Word(fill.value, round(fill.confidence * 100, 2), fill.box), *after]


def _part(word: Word, text: str, start: int) -> Word:
    return Word(text, word.conf, _sub_box(word.box, len(word.text), start, start + len(text)))


def _offsets(words: list[Word]) -> list[Span]:
    spans, at = [], 0
    for word in words:
        spans.append((at, at + len(word.text)))
        at += len(word.text) + 1
    return spans


def _union(words: list[Word]) -> tuple[int, int, int, int]:
    return (min(w.box[0] for w in words), min(w.box[1] for w in words),
            max(w.box[0] + w.box[2] for w in words), max(w.box[1] + w.box[3] for w in words))


def _as_box(corners: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    left, top, right, bottom = corners
    return (left, top, right - left, bottom - top)


def _sub_box(box: tuple[int, int, int, int], length: int, start: int,
             end: int) -> tuple[int, int, int, int]:
    """Characters ``start:end`` of a word ``length`` long, as an even share of its box."""
    left, top, width, height = box
    share = width / max(1, length)
    return (left + int(start * share), top, max(1, int((end - start) * share)), height)
