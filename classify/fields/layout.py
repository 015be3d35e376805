"""Line-level layout of an administrative page: the title zone, the national motto, casing.

Shared by the page classifier and the field extractors. The official header has two columns
(issuing body | motto); OCR often interleaves them line by line ("BỘ TÀI CHÍNH CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM"), so the motto is cut out of a line rather than the line dropped.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from ingest.text import nfc

TITLE_ZONE_FRACTION = 0.35
MIN_TITLE_ZONE_LINES = 12
MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc")
MOTTO_SCORE = 82.0
MOTTO_MIN_COVERAGE = 0.6
_NON_WORD = re.compile(r"[^\w/]|_")
_SPACES = re.compile(r" +")


def _fold_char(ch: str) -> str:
    if ch in "đĐðÐ":  # ð/Ð: OCR's misreading of đ/Đ
        return "d"
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return base if len(base) == 1 else ch


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold_aligned(text: str) -> str:
    """Fold ``text`` (lower case, no tone marks, đ→d) keeping one character per character, so
    that positions in the result are positions in ``text``."""
    return text.translate(_FOLD_TABLE)


def words_aligned(text: str) -> str:
    """:func:`fold_aligned` with every character that is not a letter, digit or "/" as a space."""
    return _NON_WORD.sub(" ", fold_aligned(text))


def page_lines(text: str) -> list[str]:
    """Non-empty lines of ``text`` in NFC, stripped."""
    return [ln.strip() for ln in nfc(text).splitlines() if ln.strip()]


def title_zone(lines: list[str]) -> list[str]:
    """The top of the page (~35 % of its lines, at least 12), where titles and headers are."""
    return lines[: max(MIN_TITLE_ZONE_LINES, int(len(lines) * TITLE_ZONE_FRACTION))]


def letter_count(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def is_mostly_upper(line: str, ratio: float = 0.7, min_letters: int = 3) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    if len(letters) < min_letters:
        return False
    return sum(ch.isupper() for ch in letters) / len(letters) >= ratio


def strip_motto(line: str) -> tuple[str, bool]:
    """Cut the national motto (or the part of it on this line) out of ``line``.

    Returns the rest of the line, trimmed of dashes and spaces, and whether a motto fragment
    was found. A fragment counts when at least 60 % of a motto line is matched.
    """
    rest, found = line, False
    for motto in MOTTO:
        span = _motto_span(rest, motto)
        if span is None:
            continue
        rest = f"{rest[: span[0]]} {rest[span[1]:]}"
        found = True
    if not found:
        return line, False
    return " ".join(rest.strip(" -–—_=.:|").split()), True


def _motto_span(line: str, motto: str) -> tuple[int, int] | None:
    if letter_count(line) < 0.5 * len(motto.replace(" ", "")) * MOTTO_MIN_COVERAGE:
        return None
    aligned = words_aligned(line)
    if not fuzz.partial_ratio(motto, _SPACES.sub(" ", aligned), score_cutoff=MOTTO_SCORE):
        return None
    folded, positions = _squeezed(aligned)
    found = fuzz.partial_ratio_alignment(motto, folded, score_cutoff=MOTTO_SCORE)
    if found is None or found.dest_end <= found.dest_start:
        return None
    if found.src_end - found.src_start < MOTTO_MIN_COVERAGE * len(motto):
        return None
    start, end = positions[found.dest_start], positions[found.dest_end - 1] + 1
    while start > 0 and line[start - 1].isalpha():  # whole words only
        start -= 1
    while end < len(line) and line[end].isalpha():
        end += 1
    return start, end


def _squeezed(text: str) -> tuple[str, list[int]]:
    """``text`` with runs of spaces made one, and the position in ``text`` of each character."""
    chars: list[str] = []
    positions: list[int] = []
    for index, ch in enumerate(text):
        if ch == " " and (not chars or chars[-1] == " "):
            continue
        chars.append(ch)
        positions.append(index)
    return "".join(chars), positions
