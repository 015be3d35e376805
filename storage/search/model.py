"""What a search asks and what it answers (tìm kiếm hồ sơ, giấy tờ).

OCR text is untrusted: a snippet is a tuple of :class:`Segment` (plain text, and whether it is a
match). Nothing here is HTML; whoever shows a snippet escapes every segment (see ``render``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ingest.errors import SohoaError

MAX_QUERY_CHARS = 200  # longer queries are refused, not silently cut
MAX_CLAUSES = 12  # words or "phrases" in one query
MAX_QUERY_TOKENS = 32
MAX_NAME_CHARS = 100
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100  # larger page sizes are capped to this
RESULT_WINDOW = 1_000  # deepest reachable result; totals and facets count at most this many
FACET_NAMES = ("unit", "procedure_code", "doc_type", "status", "year")


class InvalidQuery(SohoaError):
    """A query the user can fix: malformed, too long, page out of range (HTTP 400)."""

    code = "invalid_query"


@dataclass(frozen=True)
class SearchQuery:
    """One search. ``text`` is free text: words are ANDed, ``"…"`` is a phrase.

    Filters take several values (any of them matches); ``None`` means no filter and an empty
    tuple matches nothing (a user with no unit sees nothing). ``received_from``/``received_to``
    are calendar days in Vietnam time, both included. ``dossier_code``, ``person_id`` (12-digit
    số định danh cá nhân or 9-digit CMND) and ``person_name`` (full name, any case, with or without
    diacritics) are exact look-ups; a ``text`` that is a whole dossier code is looked up too.
    """

    text: str = ""
    dossier_code: str | None = None
    person_id: str | None = None
    person_name: str | None = None
    units: Sequence[str] | None = None
    procedure_codes: Sequence[str] | None = None
    doc_types: Sequence[str] | None = None
    statuses: Sequence[str] | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    facets: bool = True


@dataclass(frozen=True)
class Segment:
    """A piece of snippet text; ``match`` marks a word that matched the query."""

    text: str
    match: bool


@dataclass(frozen=True)
class Hit:
    """One matching document (or a dossier without documents: ``document_id`` is None)."""

    entry_id: int
    dossier_id: str
    document_id: str | None
    dossier_code: str
    unit: str
    procedure_code: str
    doc_type: str | None
    doc_type_name: str | None
    status: str
    received_at: dt.datetime
    score: float  # 2.0: the query's diacritics (and name) matched as typed; 1.0: folded match only
    exact: bool
    snippet: tuple[Segment, ...]


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True)
class SearchResult:
    """``total`` is exact when ``total_exact``; otherwise at least RESULT_WINDOW matched.

    ``facets`` count the matches, or the RESULT_WINDOW most recently received ones when more
    matched (``facets_exact`` is then False).
    """

    total: int
    total_exact: bool
    page: int
    page_size: int
    hits: tuple[Hit, ...]
    facets: Mapping[str, tuple[FacetCount, ...]] = field(default_factory=dict)
    facets_exact: bool = True


def render(snippet: Sequence[Segment], escape: Callable[[str], str], *,
           open_mark: str = "<mark>", close_mark: str = "</mark>") -> str:
    """Join a snippet for display: every segment goes through ``escape`` (e.g. markupsafe)."""
    return "".join(open_mark + escape(s.text) + close_mark if s.match else escape(s.text)
                   for s in snippet)
