"""Running a search: rank, count, facets, hits with snippets. Same answers on both databases.

Ranking is deterministic and computed the same way on SQLite and PostgreSQL: first the matches
that keep the query's diacritics (and the name as written), then the folded-only matches; within
each, the most recently received dossier first (the entry key order), then the document ordinal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from storage.search.backend import FacetRow, Matches
from storage.search.index import backend_for
from storage.search.model import (
    FACET_NAMES,
    RESULT_WINDOW,
    FacetCount,
    Hit,
    SearchQuery,
    SearchResult,
)
from storage.search.parse import Plan, prepare
from storage.search.snippet import SCAN_CHARS, snippet
from storage.search.tokens import received_day
from storage.tables import DateTime

Ranked = list[tuple[int, bool]]  # (entry key, exact)


def _rank_known(matches: Matches, plan: Plan, found: Sequence[int]) -> Ranked:
    """All candidates are known (a look-up, or fewer than the window): rank them in Python."""
    window = found[:plan.window]
    exact = matches.among("exact", window) if plan.tiered and window else None
    ranked = [(k, exact is None or k in exact) for k in window]
    ranked.sort(key=lambda pair: not pair[1])  # stable: key order kept within each tier
    return ranked[plan.offset:plan.offset + plan.limit]


def _rank_text(matches: Matches, plan: Plan) -> Ranked:
    """Exact matches first, streamed in key order; folded-only matches after them."""
    if not plan.tiered:
        return [(k, True) for k in matches.keys("all", plan.limit, plan.offset)]
    wanted = plan.offset + plan.limit
    exact = matches.keys("exact", wanted)
    ranked = [(k, True) for k in exact[plan.offset:]]
    if len(exact) < wanted:  # every exact match is known: len(exact) of them
        skip = max(0, plan.offset - len(exact))
        ranked += [(k, False) for k in matches.keys("loose", plan.limit - len(ranked), skip)]
    return ranked


def _facets(rows: Sequence[FacetRow]) -> dict[str, tuple[FacetCount, ...]]:
    """Counts per unit, procedure, document type, status and year (Vietnam time) of ``rows``."""
    counters: dict[str, Counter[str]] = {name: Counter() for name in FACET_NAMES}
    for key, unit, procedure, doc_type, status in rows:
        values = (unit, procedure, doc_type, status, str(received_day(key).year))
        for name, value in zip(FACET_NAMES, values, strict=True):
            if value:
                counters[name][value] += 1
    return {name: tuple(FacetCount(v, n) for v, n in
                        sorted(counter.items(), key=lambda item: (-item[1], item[0])))
            for name, counter in counters.items()}


_HITS = text(
    "SELECT e.id, e.dossier_id, e.document_id, e.dossier_code, e.unit, e.procedure_code, "
    "e.doc_type, e.status, e.received_at, d.doc_type_name, substr(d.text, 1, :scan) AS body "
    "FROM search_entries e LEFT JOIN documents d ON d.id = e.document_id WHERE e.id IN :ids"
).bindparams(bindparam("ids", expanding=True)).columns(received_at=DateTime())


def _hits(session: Session, plan: Plan, ranked: Ranked) -> tuple[Hit, ...]:
    if not ranked:
        return ()
    rows = {r.id: r for r in session.execute(_HITS, {"ids": [k for k, _ in ranked],
                                                     "scan": SCAN_CHARS})}
    return tuple(_hit(rows[key], exact, plan) for key, exact in ranked if key in rows)


def _hit(row: Any, exact: bool, plan: Plan) -> Hit:
    return Hit(entry_id=row.id, dossier_id=row.dossier_id, document_id=row.document_id,
               dossier_code=row.dossier_code, unit=row.unit, procedure_code=row.procedure_code,
               doc_type=row.doc_type, doc_type_name=row.doc_type_name, status=row.status,
               received_at=row.received_at, score=2.0 if exact else 1.0, exact=exact,
               snippet=snippet(row.body or "", plan.clauses))


def _run(matches: Matches, plan: Plan
         ) -> tuple[Ranked, int, dict[str, tuple[FacetCount, ...]]]:
    """Ranked page, total (window + 1: more) and facets."""
    rows = matches.rows(plan.window + 1) if plan.facets else []
    facets = _facets(rows[:plan.window]) if plan.facets else {}
    if plan.lookup and not plan.facets:
        keys = matches.keys("all", plan.window + 1)
        return _rank_known(matches, plan, keys), len(keys), facets
    if plan.facets and (plan.lookup or len(rows) <= plan.window):
        return _rank_known(matches, plan, [r[0] for r in rows]), len(rows), facets
    total = len(rows) if plan.facets else matches.count(plan.window + 1)
    return _rank_text(matches, plan), total, facets


def search(session: Session, query: SearchQuery, *, window: int = RESULT_WINDOW
           ) -> SearchResult:
    """Find documents and dossiers; raise InvalidQuery (code "invalid_query") on bad input.

    ``window``: the deepest result reachable by paging, and how many matches totals and facets
    count at most (larger costs time on large result sets: see docs/benchmarks.md).
    """
    plan = prepare(query, window)
    if plan.impossible:
        return SearchResult(0, True, plan.page, plan.page_size, (), {}, True)
    matches = backend_for(session).matches(session, plan)
    try:
        ranked, total, facets = _run(matches, plan)
    finally:
        matches.close()
    return SearchResult(total=min(total, plan.window), total_exact=total <= plan.window,
                        page=plan.page, page_size=plan.page_size,
                        hits=_hits(session, plan, ranked), facets=facets,
                        facets_exact=total <= plan.window)
