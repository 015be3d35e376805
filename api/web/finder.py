"""The auditor's search: ``storage.search`` when it is installed, else an interim filter.

``storage.search`` finds what its index holds: dossiers and documents are indexed by
``index_dossier``/``index_document`` where they are created and changed. The interim filter (for
a tree without ``storage.search``) looks at the dossiers table only: a dossier code (or part of
it), a procedure code or name (with or without diacritics), unit, document type, status and the
day of receipt; facets count units, procedures, statuses and years of the matching dossiers. It
does not search citizen names, ID numbers or the OCR text.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from api.web.labels import VIETNAM
from classify.catalogue.loader import Catalogue
from storage.tables import Document, Dossier

PAGE_SIZE = 20
INTERIM_WINDOW = 5000
FACETS = ("unit", "procedure_code", "status", "year")

try:
    from storage.search import SearchQuery as _SearchQuery
    from storage.search import render as _render
    from storage.search import search as _search
except ImportError:  # pragma: no cover - depends on whether the search issue has landed
    _search = None  # type: ignore[assignment]


@dataclass(frozen=True)
class DeskQuery:
    text: str = ""
    units: Sequence[str] | None = None  # None: every unit (the user's visible units)
    unit: str | None = None
    procedure_code: str | None = None
    doc_type: str | None = None
    status: str | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    page: int = 1


@dataclass(frozen=True)
class DeskHit:
    dossier_id: str
    dossier_code: str
    unit: str
    procedure_code: str
    status: str
    received_at: dt.datetime
    document_id: str | None = None
    doc_type_name: str | None = None
    snippet: Markup | None = None


@dataclass(frozen=True)
class DeskResult:
    total: int
    hits: tuple[DeskHit, ...]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    engine: str = "interim"
    page: int = 1
    pages: int = 1


def search_engine_available() -> bool:
    return _search is not None


def find(session: Session, catalogue: Catalogue, query: DeskQuery) -> DeskResult:
    if _search is not None:
        return _with_search(session, query)
    return _interim(session, catalogue, query)


def _narrow(units: Sequence[str] | None, unit: str | None) -> Sequence[str] | None:
    """The unit filter within what the user may see (an unseen unit matches nothing)."""
    if unit is None:
        return units
    return [unit] if units is None or unit in units else []


def _with_search(session: Session, query: DeskQuery) -> DeskResult:
    wanted = _SearchQuery(
        text=query.text, units=_narrow(query.units, query.unit),
        procedure_codes=[query.procedure_code] if query.procedure_code else None,
        doc_types=[query.doc_type] if query.doc_type else None,
        statuses=[query.status] if query.status else None,
        received_from=query.received_from, received_to=query.received_to, page=query.page,
        page_size=PAGE_SIZE)
    result = _search(session, wanted)
    hits = tuple(DeskHit(h.dossier_id, h.dossier_code, h.unit, h.procedure_code, h.status,
                         h.received_at, h.document_id, h.doc_type_name,
                         _snippet(h.snippet) if h.snippet else None)
                 for h in result.hits)
    facets = {name: [(f.value, f.count) for f in counts]
              for name, counts in result.facets.items()}
    return DeskResult(result.total, hits, facets, "search", result.page,
                      max(1, -(-result.total // PAGE_SIZE)))


def _snippet(segments: Any) -> Markup:
    """Every OCR segment escaped (as plain text, so the <mark> tags stay tags)."""
    return Markup(_render(segments, lambda text: str(escape(text))))


def _interim(session: Session, catalogue: Catalogue, query: DeskQuery) -> DeskResult:
    statement = select(Dossier)
    units = _narrow(query.units, query.unit)
    if units is not None:
        statement = statement.where(Dossier.unit.in_(list(units)))
    text = query.text.strip()
    if text:
        codes = [p.code for p in catalogue.search(text)]
        statement = statement.where(or_(Dossier.code.contains(text, autoescape=True),
                                        Dossier.procedure_code.in_(codes)))
    if query.procedure_code:
        statement = statement.where(Dossier.procedure_code == query.procedure_code)
    if query.doc_type:
        statement = statement.where(Dossier.documents.any(Document.doc_type == query.doc_type))
    if query.status:
        statement = statement.where(Dossier.status == query.status)
    if query.received_from:
        statement = statement.where(Dossier.received_at >= _day_start(query.received_from))
    if query.received_to:
        statement = statement.where(
            Dossier.received_at < _day_start(query.received_to + dt.timedelta(days=1)))
    rows = list(session.scalars(statement.order_by(Dossier.received_at.desc())
                                .limit(INTERIM_WINDOW)))
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(1, query.page), pages)
    shown = rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    hits = tuple(DeskHit(d.id, d.code, d.unit, d.procedure_code, d.status, d.received_at)
                 for d in shown)
    return DeskResult(len(rows), hits, _facets(rows), "interim", page, pages)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), VIETNAM)


def _facets(rows: Sequence[Dossier]) -> dict[str, list[tuple[str, int]]]:
    keys: dict[str, Callable[[Dossier], Any]] = {
        "unit": lambda d: d.unit, "procedure_code": lambda d: d.procedure_code,
        "status": lambda d: d.status,
        "year": lambda d: str(d.received_at.astimezone(VIETNAM).year)}
    return {name: sorted(Counter(key(d) for d in rows).items(), key=lambda kv: (-kv[1], kv[0]))
            for name, key in keys.items()}
