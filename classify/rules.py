"""First-pass, rule-based page classification (DOMAIN.md §5).

The title of an administrative paper is a standalone line in capitals in the top ~35 % of its
first page. Lines are folded (no tone marks, đ→d), the national motto is cut out, references
("Căn cứ Giấy chứng nhận …") and section headers ("I.", "Điều 1") are skipped, and the title
phrases of :mod:`classify.doctypes` are compared with the start of each remaining upper-case
line (and of each line joined with the next, for titles wrapped over two lines) with an
OCR-tolerant ratio. Text left over on the line costs score, so the most specific phrase wins
("GIẤY CHỨNG NHẬN KẾT HÔN" over "GIẤY CHỨNG NHẬN"). Without a title, weaker evidence is used in
this order: a cue (Công văn: "V/v …" under the số ký hiệu), the form code in the corner ("Mẫu
số 18"), the type abbreviation of the số ký hiệu ("Số: 12/QĐ-UBND").

Signals for splitting a stack into documents ride along: the motto, the form code and the page
numbering ("Trang 1/3", or a bare "2" at the top of a continuation page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from classify.doctypes import OTHER, DocumentTypes, TitlePhrase, normalize_form_code
from classify.fields.header import NumberNotation, find_number_notation
from classify.fields.layout import (
    fold_aligned,
    is_mostly_upper,
    page_lines,
    strip_motto,
    title_zone,
    words_aligned,
)
from ingest.text import fold

MATCH_THRESHOLD = 85.0
SHORT_MATCH_THRESHOLD = 90.0
SHORT_PHRASE = 12
LEFTOVER_WEIGHT = 25.0
MIN_COVERAGE = 0.3
TOKEN_MATCH = 80.0
FORM_CODE_LINES = 8
CUE_CONFIDENCE = (0.85, 0.75)  # with / without a số ký hiệu on the page
FORM_CODE_CONFIDENCE = 0.8
ABBREVIATION_CONFIDENCE = 0.6
CORROBORATION_BONUS = 0.03
MIN_WORDS = 3

_REFERENCE = re.compile(
    r"^(?:can cu|theo|kem theo|ban hanh kem theo|ve viec|v/v|kinh gui|noi nhan|xet )\b")
_SECTION = re.compile(
    r"^(?:[ivxlc]+|\d+(?:\.\d+)*|[a-z])\s*[.):\-]\s|^(?:dieu|chuong|muc|phan)\s+\w")
_LEADING_NOISE = re.compile(r"^[^\w(]+")
_PARENTHESES = re.compile(r"\([^)]*\)?")
_FORM_CODE = re.compile(
    r"^[(\s]*(?:theo\s+)?(?P<printed>mau\s*(?:so)?\s*[:.]?\s*(?P<code>[0-9a-z][0-9a-z./\-]*))")
_PAGE_OF = re.compile(r"\btrang\s*(\d{1,3})\s*(?:/|tren|of)\s*(\d{1,3})\b")
_BARE_PAGE = re.compile(r"^(?:-\s*(\d{1,2})\s*-|(\d{1,2}))$")
MAX_BARE_PAGE = 30


@dataclass(frozen=True)
class PageClassification:
    """The type read from one page, why, and layout signals for splitting.

    ``is_title_page`` when the page carries evidence of a document start with its type (title,
    cue, form code or số ký hiệu). ``has_motto`` when the national motto is in the title zone;
    ``form_code`` is the printed form code of the top of the page ("Mẫu số 18"); ``page_number``
    and ``page_total`` come from "Trang 1/3" or a bare page number.
    """

    doc_type: str
    confidence: float
    reason: str
    is_title_page: bool
    has_motto: bool = False
    form_code: str | None = None
    page_number: int | None = None
    page_total: int | None = None

    @property
    def starts_document(self) -> bool:
        """Whether this page looks like the first page of a document.

        "Trang 2/3" decides. A bare number is weaker: OCR reads one out of a seal or a
        signature, so it does not outweigh a title read under the motto or a form code.
        """
        if self.page_total is not None:
            return self.page_number == 1
        if self.is_title_page and (self.has_motto or self.form_code is not None):
            return True
        if self.page_number is not None:
            return self.page_number == 1
        return self.is_title_page or self.form_code is not None or self.has_motto


@dataclass(frozen=True)
class _Candidate:
    """A line (or two joined lines) of the title zone that may be a title."""

    text: str
    normalized: str
    prefixes: tuple[str, ...]  # prefixes[j - 1] = the first j words


@dataclass(frozen=True)
class _TitleMatch:
    phrase: TitlePhrase
    line: str
    score: float


@dataclass(frozen=True)
class _FormCode:
    printed: str
    doc_type: str | None


@dataclass(frozen=True)
class _Signals:
    has_motto: bool
    form_code: str | None
    page_number: int | None
    page_total: int | None

    def result(self, doc_type: str, confidence: float, reason: str,
               is_title_page: bool) -> PageClassification:
        return PageClassification(
            doc_type, round(min(max(confidence, 0.0), 1.0), 3), reason, is_title_page,
            has_motto=self.has_motto, form_code=self.form_code, page_number=self.page_number,
            page_total=self.page_total,
        )


@dataclass(frozen=True)
class _Zone:
    lines: tuple[str, ...]  # motto cut out, empty lines dropped
    has_motto: bool


def classify_page(text: str, types: DocumentTypes) -> PageClassification:
    """Classify one page from its text (OCR or text layer)."""
    lines = page_lines(text)
    if _unreadable(lines):
        return PageClassification(OTHER, 0.0, "Trang trắng hoặc không đọc được chữ", False)
    zone = _zone(title_zone(lines))
    number, total = _page_numbering(lines)
    form = _form_code(zone.lines, types)
    signals = _Signals(zone.has_motto, form.printed if form else None, number, total)
    notation = find_number_notation(list(zone.lines))
    title = _best_title(_candidates(zone.lines), types)
    if title is not None:
        return _from_title(title, form, notation, types, signals)
    return _without_title(zone, form, notation, types, signals)


def _from_title(title: _TitleMatch, form: _FormCode | None, notation: NumberNotation | None,
                types: DocumentTypes, signals: _Signals) -> PageClassification:
    code = title.phrase.code
    confidence = title.score / 100
    reason = (f"Dòng «{title.line}» khớp tiêu đề «{title.phrase.text}» ({title.score:.0f}%) "
              f"→ {types.name_of(code)}")
    if form is not None and form.doc_type is not None:
        agrees = form.doc_type == code
        confidence += CORROBORATION_BONUS if agrees else -0.1
        reason += (f"; mã mẫu «{form.printed}» " +
                   ("khớp" if agrees else f"là của {types.name_of(form.doc_type)}"))
    elif notation is not None and _abbreviation_type(notation, types) == code:
        confidence += CORROBORATION_BONUS
        reason += f"; số ký hiệu «{notation.value}» khớp loại văn bản"
    return signals.result(code, confidence, reason, True)


def _without_title(zone: _Zone, form: _FormCode | None, notation: NumberNotation | None,
                   types: DocumentTypes, signals: _Signals) -> PageClassification:
    cue = _cue(zone.lines, types)
    if cue is not None:
        code, line = cue
        confidence = CUE_CONFIDENCE[0] if notation is not None else CUE_CONFIDENCE[1]
        reason = f"Không có tiêu đề; dòng «{line}» là dấu hiệu của {types.name_of(code)}"
        if notation is not None:
            reason += f" (số ký hiệu «{notation.value}»)"
        return signals.result(code, confidence, reason, True)
    if form is not None and form.doc_type is not None:
        reason = (f"Không đọc được tiêu đề; mã mẫu «{form.printed}» là của "
                  f"{types.name_of(form.doc_type)}")
        return signals.result(form.doc_type, FORM_CODE_CONFIDENCE, reason, True)
    abbreviated = _abbreviation_type(notation, types) if notation is not None else None
    if notation is not None and abbreviated is not None:
        reason = (f"Không đọc được tiêu đề; số ký hiệu «{notation.value}» có tên loại viết tắt "
                  f"«{notation.type_abbreviation}» của {types.name_of(abbreviated)}")
        return signals.result(abbreviated, ABBREVIATION_CONFIDENCE, reason, True)
    return signals.result(OTHER, 0.0, "Không tìm thấy tiêu đề giấy tờ đã biết", False)


# ----------------------------------------------------------------------------- title matching

def _best_title(candidates: list[_Candidate], types: DocumentTypes) -> _TitleMatch | None:
    """The best title match; a phrase contained in a longer matched phrase yields to it."""
    matches = [m for candidate in candidates for m in _matches(candidate, types)]
    if not matches:
        return None
    best = max(matches, key=lambda m: (m.score, len(m.phrase.normalized)))
    inner = f" {best.phrase.normalized} "
    longer = [m for m in matches if inner in f" {m.phrase.normalized} "
              and len(m.phrase.normalized) > len(best.phrase.normalized)]
    if longer:
        return max(longer, key=lambda m: (len(m.phrase.normalized), m.score))
    return best


def _matches(candidate: _Candidate, types: DocumentTypes) -> list[_TitleMatch]:
    """Phrases that read like the start of ``candidate``: the first n words are compared with
    the phrases of n ± 1 words; the text left over on the line costs score."""
    matches: list[_TitleMatch] = []
    total = len(candidate.normalized)
    for n_words, window in enumerate(candidate.prefixes, start=1):
        if len(window) < MIN_COVERAGE * total:
            continue
        group = types.phrases_near(n_words)
        found = process.extract(window, group.texts, scorer=fuzz.ratio, limit=None,
                                score_cutoff=MATCH_THRESHOLD)
        for _, ratio, index in found:
            phrase = group.phrases[index]
            score = ratio - LEFTOVER_WEIGHT * (total - len(window)) / total
            if score >= _threshold(phrase) and _has_required_words(phrase, window):
                matches.append(_TitleMatch(phrase, candidate.text, score))
    return matches


def _threshold(phrase: TitlePhrase) -> float:
    """Short titles must match closer: "HỘI ĐỒNG" is not "HỢP ĐỒNG", "QUY ĐỊNH" not "QUYẾT
    ĐỊNH" (folding already forgives the tone-mark errors that dominate OCR of short lines)."""
    return SHORT_MATCH_THRESHOLD if len(phrase.normalized) < SHORT_PHRASE else MATCH_THRESHOLD


def _has_required_words(phrase: TitlePhrase, window: str) -> bool:
    tokens = window.split()
    for required in phrase.must_contain:
        for word in required:
            if word in tokens:
                continue
            if len(word) < 4 or not any(fuzz.ratio(word, t) >= TOKEN_MATCH for t in tokens):
                return False
    return True


def _candidates(lines: tuple[str, ...]) -> list[_Candidate]:
    """Upper-case, non-reference, non-section lines; each also joined with the next line.

    A parenthesised note ("(Dùng cho …)", "(BẢN SAO)") is matched both with and without it.
    """
    candidates: list[_Candidate] = []
    for index, line in enumerate(lines):
        bare = " ".join(_PARENTHESES.sub(" ", line).split())
        if not _may_be_title(bare):
            continue
        following = lines[index + 1] if index + 1 < len(lines) else None
        for text in dict.fromkeys((line, bare)):
            if not is_mostly_upper(text):
                continue
            candidates.append(_candidate(text))
            if following is not None and _may_continue_title(following):
                candidates.append(_candidate(f"{text} {following}"))
    return candidates


def _candidate(text: str) -> _Candidate:
    normalized = " ".join(words_aligned(text).split())
    words = normalized.split()
    prefixes = tuple(" ".join(words[:j]) for j in range(1, len(words) + 1))
    return _Candidate(text, normalized, prefixes)


def _may_be_title(line: str) -> bool:
    folded = fold(line)
    if _REFERENCE.match(folded) or _SECTION.match(folded):
        return False
    return is_mostly_upper(line)


def _may_continue_title(line: str) -> bool:
    folded = fold(line)
    return not (_REFERENCE.match(folded) or _SECTION.match(folded) or ":" in line)


# ----------------------------------------------------------------------------- other evidence

def _zone(lines: list[str]) -> _Zone:
    cleaned: list[str] = []
    has_motto = False
    for line in lines:
        rest, motto = strip_motto(line)
        has_motto = has_motto or motto
        rest = _LEADING_NOISE.sub("", rest).strip()
        if sum(ch.isalnum() for ch in rest) >= 2:
            cleaned.append(rest)
    return _Zone(tuple(cleaned), has_motto)


def _form_code(lines: tuple[str, ...], types: DocumentTypes) -> _FormCode | None:
    """The printed form code at the top of the page and the type it belongs to, if known."""
    for line in lines[:FORM_CODE_LINES]:
        match = _FORM_CODE.match(fold_aligned(line))
        if match is None:
            continue
        printed = line[match.start("printed"):match.end("printed")].rstrip(".,;:)")
        return _FormCode(printed, _form_type(normalize_form_code(match.group("code")), types))
    return None


def _form_type(code: str, types: DocumentTypes) -> str | None:
    index = types.form_code_index
    if code in index:
        return index[code]
    prefixes = [k for k in index if code.startswith(f"{k}/") or code.startswith(f"{k}-")]
    return index[max(prefixes, key=len)] if prefixes else None


def _cue(lines: tuple[str, ...], types: DocumentTypes) -> tuple[str, str] | None:
    for line in lines:
        normalized = " ".join(words_aligned(line).split())
        for cue in types.cue_patterns:
            if cue.pattern.search(normalized):
                return cue.code, line
    return None


def _abbreviation_type(notation: NumberNotation, types: DocumentTypes) -> str | None:
    return types.abbreviation_index.get(fold(notation.type_abbreviation))


def _page_numbering(lines: list[str]) -> tuple[int | None, int | None]:
    """(page, total) from "Trang 2/3" near the top or bottom, or a bare "2" / "- 2 -" as the
    first or last line (NĐ 30/2020 numbers pages from 2, at the top)."""
    edges = lines[:3] + lines[-3:]
    for line in edges:
        match = _PAGE_OF.search(fold(line))
        if match and len(line) <= 40:
            page, total = int(match.group(1)), int(match.group(2))
            if 1 <= page <= total:
                return page, total
    for line in (lines[0], lines[-1]):
        match = _BARE_PAGE.match(line.strip())
        if match:
            page = int(match.group(1) or match.group(2))
            if 2 <= page <= MAX_BARE_PAGE:
                return page, None
    return None, None


def _unreadable(lines: list[str]) -> bool:
    """Blank, or no more than a couple of word-like tokens (OCR noise on a blank scan)."""
    found = 0
    for line in lines:
        found += sum(1 for token in line.split() if _word_like(token))
        if found >= MIN_WORDS:
            return False
    return True


def _word_like(token: str) -> bool:
    letters = sum(ch.isalpha() for ch in token)
    return letters >= 2 and letters >= 0.6 * len(token)
