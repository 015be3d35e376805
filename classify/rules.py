"""First-pass, rule-based page classification by the printed title (DOMAIN.md §5).

The title of an administrative document is a standalone line in capitals near the top of its
first page; references to other papers ("Căn cứ Giấy chứng nhận …") are in sentence case, so a
match counts only on a mostly upper-case line.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import fuzz

from classify.doctypes import OTHER, DocumentTypes
from ingest.text import fold

TITLE_ZONE_FRACTION = 0.35
MIN_TITLE_ZONE_LINES = 12
MATCH_THRESHOLD = 85.0
MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc")


@dataclass(frozen=True)
class PageClassification:
    """The type read from one page; ``is_title_page`` when a title was found on it."""

    doc_type: str
    confidence: float
    reason: str
    is_title_page: bool


def classify_page(text: str, types: DocumentTypes) -> PageClassification:
    """Find the best-matching title phrase in the title zone of ``text``."""
    best: tuple[float, int, str, str] | None = None  # (score, phrase length, code, line)
    for line in _title_lines(text):
        folded = fold(line)
        for doc_type in types.types.values():
            for phrase in doc_type.folded_titles:
                score = _title_score(phrase, folded)
                if score < MATCH_THRESHOLD:
                    continue
                candidate = (score, len(phrase), doc_type.code, line)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
    if best is None:
        return PageClassification(OTHER, 0.0, "Không tìm thấy tiêu đề giấy tờ đã biết", False)
    score, _, code, line = best
    return PageClassification(
        doc_type=code,
        confidence=round(score / 100, 3),
        reason=f"Tiêu đề «{line.strip()}» khớp {score:.0f}% với mẫu của {types.name_of(code)}",
        is_title_page=True,
    )


def _title_score(phrase: str, line: str) -> float:
    """How well ``line`` reads as the title ``phrase``: the phrase must fill most of the line."""
    if len(line) < 0.8 * len(phrase):
        return 0.0
    coverage = min(1.0, len(phrase) / max(len(line), 1))
    if coverage < 0.6:
        return 0.0
    return float(fuzz.partial_ratio(phrase, line))


def _title_lines(text: str) -> list[str]:
    """Upper-case lines of the top of the page, with wrapped two-line titles joined."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    zone = lines[: max(MIN_TITLE_ZONE_LINES, int(len(lines) * TITLE_ZONE_FRACTION))]
    upper = [ln for ln in zone if _is_upper(ln) and not _is_motto(ln)]
    joined = [f"{a} {b}" for a, b in pairwise(upper)]
    return upper + joined


def _is_upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 4 and sum(ch.isupper() for ch in letters) / len(letters) >= 0.7


def _is_motto(line: str) -> bool:
    folded = fold(line)
    return any(fuzz.partial_ratio(m, folded) >= 90 for m in MOTTO)
