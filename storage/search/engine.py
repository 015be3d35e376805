"""Running a search: rank, count, facets, hits with snippets. Same answers on both databases.

Ranking is deterministic and computed the same way on SQLite and PostgreSQL: first the matches
that keep the query's diacritics (and the name as written), then the folded-only matches; within
each, the most recently received dossier first (the entry key order), then the document ordinal.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from storage.search.backend import Backend, Tier
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
from storage.tables import DateTime

Ranked = list[tuple[int, bool]]  # (entry key, exact)


def _ids(session: Session, backend: Backend, plan: Plan, tier: Tier, limit: int,
         offset: int = 0) -> list[int]:
    selection = backend.select(plan, tier)
    sql = f"{selection.sql} ORDER BY {selection.key} LIMIT :limit OFFSET :offset"
    params = selection.params | {"limit": limit, "offset": offset}
    return list(session.execute(text(sql), params).scalars())


def _count(session: Session, backend: Backend, plan: Plan) -> int:
    """Matches, counting at most the window + 1."""
    selection = backend.select(plan, "all")
    sql = f"SELECT count(*) FROM ({selection.sql} LIMIT :cap) AS matches"
    return int(session.execute(text(sql), selection.params | {"cap": plan.window + 1})
               .scalar_one())


def _rank_lookup(session: Session, backend: Backend, plan: Plan) -> tuple[Ranked, int]:
    """Few candidates (an exact look-up): fetch them all and rank in Python."""
    found = _ids(session, backend, plan, "all", plan.window + 1)
    window = found[:plan.window]
    exact = set(_ids(session, backend, plan, "exact", plan.window)) if plan.tiered else None
    ranked = [(k, exact is None or k in exact) for k in window]
    ranked.sort(key=lambda pair: not pair[1])  # stable: key order kept within each tier
    return ranked[plan.offset:plan.offset + plan.limit], len(found)


def _rank_text(session: Session, backend: Backend, plan: Plan) -> Ranked:
    """Exact matches first, streamed in key order; folded-only matches after them."""
    if not plan.tiered:
        return [(k, True) for k in _ids(session, backend, plan, "all", plan.limit, plan.offset)]
    wanted = plan.offset + plan.limit
    exact = _ids(session, backend, plan, "exact", wanted)
    ranked = [(k, True) for k in exact[plan.offset:]]
    if len(exact) < wanted:  # every exact match is known: len(exact) of them
        skip = max(0, plan.offset - len(exact))
        loose = _ids(session, backend, plan, "loose", plan.limit - len(ranked), skip)
        ranked += [(k, False) for k in loose]
    return ranked


def _facets(session: Session, backend: Backend, plan: Plan
            ) -> tuple[dict[str, tuple[FacetCount, ...]], int]:
    """Counts per unit, procedure, type, status and year over the first ``window`` matches,
    and how many matches there are (window + 1: more), in one statement."""
    window = backend.window(plan)
    columns = dict(zip(FACET_NAMES, ("unit", "procedure_code", "doc_type", "status",
                                     backend.year("id")), strict=True))
    groups = "".join(f" UNION ALL SELECT '{name}', {column}, count(*) FROM w GROUP BY {column}"
                     for name, column in columns.items())
    sql = (f"WITH m AS MATERIALIZED ({window.sql}), w AS MATERIALIZED (SELECT * FROM m "
           f"ORDER BY id LIMIT {plan.window:d}) SELECT 'total', NULL, count(*) FROM m{groups}")
    found: dict[str, list[FacetCount]] = {name: [] for name in FACET_NAMES}
    total = 0
    for facet, value, count in session.execute(text(sql), window.params
                                               | {"window": plan.window + 1}):
        if facet == "total":
            total = int(count)
        elif value:
            found[facet].append(FacetCount(str(value), int(count)))
    facets = {name: tuple(sorted(counts, key=lambda f: (-f.count, f.value)))
              for name, counts in found.items()}
    return facets, total


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


def search(session: Session, query: SearchQuery, *, window: int = RESULT_WINDOW
           ) -> SearchResult:
    """Find documents and dossiers; raise InvalidQuery (code "invalid_query") on bad input.

    ``window``: the deepest result reachable by paging, and how many matches totals and facets
    count at most (larger costs time on large result sets: see docs/benchmarks.md).
    """
    plan = prepare(query, window)
    if plan.impossible:
        return SearchResult(0, True, plan.page, plan.page_size, (), {}, True)
    backend = backend_for(session)
    facets: dict[str, tuple[FacetCount, ...]] = {}
    if plan.lookup:
        ranked, total = _rank_lookup(session, backend, plan)
    else:
        ranked = _rank_text(session, backend, plan)
        total = -1
    if plan.facets:
        facets, counted = _facets(session, backend, plan)
        total = counted if total < 0 else total
    if total < 0:
        total = _count(session, backend, plan)
    return SearchResult(total=min(total, plan.window), total_exact=total <= plan.window,
                        page=plan.page, page_size=plan.page_size,
                        hits=_hits(session, plan, ranked), facets=facets,
                        facets_exact=total <= plan.window)
