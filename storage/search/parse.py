"""Check a :class:`SearchQuery` and turn it into a :class:`Plan` the backends can run.

Query language: words (all must match, diacritics optional) and ``"quoted phrases"``. Nothing
the user types reaches a database as syntax: every word becomes a quoted token.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.text import nfc
from storage.repository import DOSSIER_CODE
from storage.search.model import (
    MAX_CLAUSES,
    MAX_NAME_CHARS,
    MAX_PAGE_SIZE,
    MAX_QUERY_CHARS,
    MAX_QUERY_TOKENS,
    RESULT_WINDOW,
    InvalidQuery,
    SearchQuery,
)
from storage.search.tokens import fold_tokens, has_marks, key_range, tokenize

PERSON_ID = re.compile(r"^(?:\d{12}|\d{9})$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"'})


@dataclass(frozen=True)
class Clause:
    """One word or phrase: its tokens as typed (lower-case NFC) and folded."""

    tokens: tuple[str, ...]
    folded: tuple[str, ...]

    @property
    def marked(self) -> bool:
        """The user typed diacritics here: matches that keep them rank first."""
        return has_marks(self.tokens)


@dataclass(frozen=True)
class Plan:
    clauses: tuple[Clause, ...]
    dossier_code: str | None
    person_id: str | None
    name_exact: str | None
    name_folded: str | None
    units: tuple[str, ...] | None
    procedure_codes: tuple[str, ...] | None
    doc_types: tuple[str, ...] | None
    statuses: tuple[str, ...] | None
    keys: tuple[int, int] | None
    offset: int
    limit: int  # the page size, or less where the result window ends within the page
    page: int
    page_size: int
    facets: bool
    window: int = RESULT_WINDOW

    @property
    def marked(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.marked)

    @property
    def name_marked(self) -> bool:
        return self.name_exact is not None and self.name_exact != self.name_folded

    @property
    def tiered(self) -> bool:
        """Some matches keep the query's diacritics and others do not: rank them apart."""
        return bool(self.marked) or self.name_marked

    @property
    def lookup(self) -> bool:
        """An exact look-up narrows the candidates to a few rows."""
        return any(v is not None for v in (self.dossier_code, self.person_id, self.name_folded))

    @property
    def impossible(self) -> bool:
        """A filter with no allowed value: nothing can match."""
        filters = (self.units, self.procedure_codes, self.doc_types, self.statuses)
        return any(f is not None and not f for f in filters)


def _invalid(vi: str, en: str) -> InvalidQuery:
    return InvalidQuery(vi, en)


def _pieces(text: str) -> list[str]:
    """Quoted phrases and unquoted words; an unclosed quote is an error."""
    text = text.translate(_QUOTES)
    if text.count('"') % 2:
        raise _invalid("Thiếu dấu ngoặc kép đóng cụm từ trong câu truy vấn.",
                       "Unbalanced double quote in the query: close the phrase.")
    parts = text.split('"')
    return [p for i, part in enumerate(parts) for p in ([part] if i % 2 else part.split())]


def parse_text(text: str) -> tuple[Clause, ...]:
    """Clauses of a free-text query; a word like "H05-250703" is a phrase of its tokens."""
    if len(text) > MAX_QUERY_CHARS:
        raise _invalid(f"Câu truy vấn dài quá {MAX_QUERY_CHARS} ký tự ({len(text)}).",
                       f"The query is longer than {MAX_QUERY_CHARS} characters ({len(text)}).")
    clean = _CONTROL.sub(" ", nfc(text))
    clauses: dict[Clause, None] = {}  # a repeated word is one clause
    for piece in _pieces(clean):
        tokens = tuple(tokenize(piece))
        if tokens:
            clauses[Clause(tokens, tuple(fold_tokens(tokens)))] = None
    if clean.strip() and not clauses:
        raise _invalid("Câu truy vấn không có từ nào để tìm (chỉ có dấu câu hoặc ký hiệu).",
                       "The query has no word to search for (only punctuation or symbols).")
    if len(clauses) > MAX_CLAUSES or sum(len(c.tokens) for c in clauses) > MAX_QUERY_TOKENS:
        raise _invalid(f"Câu truy vấn có quá nhiều từ (tối đa {MAX_CLAUSES} từ hoặc cụm từ).",
                       f"Too many words in the query (at most {MAX_CLAUSES} words or phrases).")
    return tuple(clauses)


def _code(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip().upper()
    if not DOSSIER_CODE.match(code) or len(code) > 64:
        raise _invalid(f"Mã hồ sơ không hợp lệ: {value[:80]!r} (ví dụ 000.00.15.H05-250703-0001).",
                       f"Invalid dossier code {value[:80]!r} (e.g. 000.00.15.H05-250703-0001).")
    return code


def _person_id(value: str | None) -> str | None:
    if value is None:
        return None
    digits = re.sub(r"[\s.]", "", value)
    if not PERSON_ID.match(digits):
        raise _invalid("Số định danh cá nhân phải có 12 chữ số (hoặc CMND 9 chữ số).",
                       "A personal ID number has 12 digits (or 9 for an old CMND).")
    return digits


def name_keys(name: str) -> tuple[str, str]:
    """(as written, folded) keys of a full name: "Nguyễn  văn AN" → ("nguyễn văn an", ...)."""
    tokens = tokenize(name)
    return " ".join(tokens), " ".join(fold_tokens(tokens))


def _name(value: str | None) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    if len(value) > MAX_NAME_CHARS:
        raise _invalid(f"Họ tên dài quá {MAX_NAME_CHARS} ký tự.",
                       f"The name is longer than {MAX_NAME_CHARS} characters.")
    exact, folded = name_keys(value)
    if not exact:
        raise _invalid("Họ tên cần tìm không có chữ nào.", "The name to look up has no letters.")
    return exact, folded


def _values(values: Sequence[str] | None, what: str) -> tuple[str, ...] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = (values,)
    cleaned = tuple(dict.fromkeys(v.strip() for v in values))
    if len(cleaned) > 500 or any(len(v) > 100 for v in cleaned):
        raise _invalid(f"Bộ lọc {what} có quá nhiều giá trị hoặc giá trị quá dài.",
                       f"The {what} filter has too many values or a value too long.")
    return cleaned


def _page(query: SearchQuery, window: int) -> tuple[int, int]:
    if query.page < 1 or query.page_size < 1:
        raise _invalid("Số trang và cỡ trang phải từ 1 trở lên.",
                       "Page and page size must be 1 or more.")
    size = min(query.page_size, MAX_PAGE_SIZE)
    if (query.page - 1) * size >= window:
        raise _invalid(f"Chỉ xem được {window} kết quả đầu tiên: hãy thu hẹp tìm kiếm.",
                       f"Only the first {window} results can be paged: refine the search.")
    return (query.page - 1) * size, size


def prepare(query: SearchQuery, window: int = RESULT_WINDOW) -> Plan:
    """Validate ``query``; raise :class:`InvalidQuery` with a message in Vietnamese and English."""
    text = query.text or ""
    code = _code(query.dossier_code)
    if code is None and DOSSIER_CODE.match(text.strip().upper()):
        code, text = _code(text), ""
    if query.received_from and query.received_to and query.received_from > query.received_to:
        raise _invalid("Ngày bắt đầu sau ngày kết thúc.", "The period starts after it ends.")
    offset, size = _page(query, window)
    name_exact, name_folded = _name(query.person_name)
    return Plan(
        clauses=parse_text(text), dossier_code=code, person_id=_person_id(query.person_id),
        name_exact=name_exact, name_folded=name_folded, units=_values(query.units, "unit"),
        procedure_codes=_values(query.procedure_codes, "procedure"),
        doc_types=_values(query.doc_types, "doc_type"), statuses=_values(query.statuses, "status"),
        keys=key_range(query.received_from, query.received_to), offset=offset,
        limit=min(size, window - offset), page=query.page, page_size=size, facets=query.facets,
        window=window)
