"""PostgreSQL: ``search_entries.exact_tsv`` and ``folded_tsv`` (tsvector, GIN indexes).

The tsvectors are built from the same Python tokens as SQLite's FTS5 columns (a literal equal to
``to_tsvector('simple', tokens)``: no stemming, no stop words, no unaccent extension needed);
queries are tsquery literals of the same tokens, ``<->`` for phrases. Migration 0004 keeps the
tsvectors inline and uncompressed (STORAGE EXTERNAL, toast_tuple_target 8160) so that checking a
row costs microseconds, not a TOAST fetch.

PostgreSQL's planner guesses the selectivity of full-text conditions badly (it assumes words are
independent and knows nothing of words absent from its sample), and a wrong guess costs seconds:
it walks the primary key through the whole table for a word that matches nothing, or sorts
300,000 bitmap matches for a common phrase. So each search first looks at the newest
``PROBE_ROWS`` entries (within the filters) to measure the selectivity, then picks the plan:
walk the key in order and stop early (common words), or collect the matches through GIN and sort
them (rare words). Either plan returns the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from storage.search.backend import (
    FacetRow,
    Tier,
    delete_rows,
    entry_params,
    insert_people,
    insert_statement,
    lookups,
    where,
)
from storage.search.entries import Entry
from storage.search.parse import Plan
from storage.search.tokens import fold_tokens, tsvector_literal

PROBE_ROWS = 1_000
_FILTERS = (("unit", "units"), ("procedure_code", "procedure_codes"), ("doc_type", "doc_types"),
            ("status", "statuses"))
_FACET_COLUMNS = "id, unit, procedure_code, doc_type, status"
_ORDERED = {"enable_bitmapscan": "off", "enable_seqscan": "off"}  # walk an index in key order
_BITMAP = {"enable_indexscan": "off", "enable_seqscan": "off", "work_mem": "32MB"}


def tsquery(phrases: Sequence[Sequence[str]]) -> str:
    """``'lúa' & ('khai' <-> 'sinh')``: every clause must match, a phrase word after word."""
    def one(tokens: Sequence[str]) -> str:
        quoted = " <-> ".join(f"'{t}'" for t in tokens)
        return f"({quoted})" if len(tokens) > 1 else quoted
    return " & ".join(one(p) for p in phrases)


def _text_conditions(plan: Plan, tier: Tier) -> tuple[list[str], dict[str, Any]]:
    if not plan.clauses:
        return [], {}
    conditions = ["folded_tsv @@ CAST(:folded_query AS tsquery)"]
    params = {"folded_query": tsquery([c.folded for c in plan.clauses])}
    if tier != "all" and plan.marked:
        params["exact_query"] = tsquery([c.tokens for c in plan.marked])
        exact = "exact_tsv @@ CAST(:exact_query AS tsquery)"
        conditions.append(exact if tier == "exact" else f"NOT ({exact})")
    return conditions, params


def _filter_conditions(plan: Plan, tier: Tier) -> tuple[list[str], dict[str, Any]]:
    conditions: list[str] = []
    params: dict[str, Any] = {}
    for column, attribute in _FILTERS:
        values = getattr(plan, attribute)
        if values is not None and len(values) == 1:  # "=": the (column, id) index is in order
            conditions.append(f"{column} = :{attribute}")
            params[attribute] = values[0]
        elif values is not None:
            conditions.append(f"{column} = ANY(CAST(:{attribute} AS varchar[]))")
            params[attribute] = list(values)
    more, extra = lookups(plan, "id", tier)
    return conditions + more, params | extra


def _apply(session: Session, settings: dict[str, str]) -> None:
    """Planner settings until the transaction ends or they are reset (one round trip)."""
    names = list(settings)
    session.execute(text("SELECT " + ", ".join(f"set_config('{n}', :v{i}, true)"
                                               for i, n in enumerate(names))),
                    {f"v{i}": settings[n] for i, n in enumerate(names)})


def _reset(session: Session, settings: dict[str, str]) -> None:
    session.execute(text("SELECT set_config(name, reset_val, true) FROM pg_settings "
                         "WHERE name IN :names").bindparams(bindparam("names", expanding=True)),
                    {"names": list(settings)})


class PostgresMatches:
    def __init__(self, session: Session, plan: Plan) -> None:
        self.session, self.plan = session, plan
        self.probed: dict[str, float] | None = None
        self.applied: dict[str, str] | None = None

    def _use(self, settings: dict[str, str] | None) -> None:
        if settings is self.applied:
            return
        if self.applied is not None:
            _reset(self.session, self.applied)
        if settings is not None:
            _apply(self.session, settings)
        self.applied = settings

    def close(self) -> None:
        """Give the transaction back with the planner settings it had."""
        self._use(None)

    def _probe(self) -> dict[str, float]:
        """How many of the newest PROBE_ROWS entries (within the filters) match each tier."""
        if self.probed is None:
            conditions, params = _filter_conditions(self.plan, "all")
            _words, words = _text_conditions(self.plan, "exact")
            folded = "folded_tsv @@ CAST(:folded_query AS tsquery)"
            exact = "exact_tsv @@ CAST(:exact_query AS tsquery)" if "exact_query" in words \
                else "true"
            sql = (f"SELECT count(*), count(*) FILTER (WHERE {folded}), count(*) FILTER (WHERE "
                   f"{folded} AND {exact}), (SELECT reltuples FROM pg_class WHERE relname = "
                   "'search_entries') FROM (SELECT folded_tsv, exact_tsv FROM search_entries"
                   f"{where(conditions)} ORDER BY id LIMIT {PROBE_ROWS}) AS newest")
            self._use(_ORDERED)
            seen, matched, kept, rows = self.session.execute(text(sql), params | words).one()
            self.probed = {"seen": seen, "rows": max(float(rows or 0), seen), "all": matched,
                           "exact": kept, "loose": matched - kept}
        return self.probed

    def _settings(self, tier: Tier, needed: int) -> dict[str, str] | None:
        """Walk the key in order (needed/share rows) or gather through GIN (share×rows rows,
        each about twice as dear: a heap page apiece)?

        None: no words, or a handful of look-up candidates: the planner chooses well.
        """
        if not self.plan.clauses or self.plan.lookup:
            return None
        probed = self._probe()
        if probed["seen"] < PROBE_ROWS:
            return _ORDERED  # the probe saw every row within the filters: few rows
        share = probed[tier] / probed["seen"]
        ordered = share > 0 and needed / share <= 2 * share * probed["rows"]
        return _ORDERED if ordered else _BITMAP

    def _select(self, tier: Tier, columns: str) -> tuple[str, dict[str, Any]]:
        text_part, params = _text_conditions(self.plan, tier)
        filters, extra = _filter_conditions(self.plan, tier)
        return f"SELECT {columns} FROM search_entries" + where(text_part + filters), params | extra

    def _run(self, sql: str, params: dict[str, Any], settings: dict[str, str] | None
             ) -> list[Any]:
        self._use(settings)
        return list(self.session.execute(text(sql), params))

    def keys(self, tier: Tier, limit: int, offset: int = 0) -> list[int]:
        sql, params = self._select(tier, "id")
        rows = self._run(f"{sql} ORDER BY id LIMIT :limit OFFSET :offset",
                         params | {"limit": limit, "offset": offset},
                         self._settings(tier, limit + offset))
        return [r[0] for r in rows]

    def among(self, tier: Tier, keys: Sequence[int]) -> set[int]:
        sql, params = self._select(tier, "id")
        sql += f"{' AND' if ' WHERE ' in sql else ' WHERE'} id = ANY(CAST(:among AS bigint[]))"
        return {r[0] for r in self._run(sql, params | {"among": list(keys)}, None)}

    def rows(self, limit: int) -> list[FacetRow]:
        sql, params = self._select("all", _FACET_COLUMNS)
        rows = self._run(f"{sql} ORDER BY id LIMIT :limit", params | {"limit": limit},
                         self._settings("all", limit))
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def count(self, cap: int) -> int:
        sql, params = self._select("all", "1")
        settings = self._settings("all", cap)
        order = " ORDER BY id" if settings is _ORDERED else ""
        rows = self._run(f"SELECT count(*) FROM ({sql}{order} LIMIT :cap) AS m",
                         params | {"cap": cap}, settings)
        return int(rows[0][0])


class PostgresBackend:
    def matches(self, session: Session, plan: Plan) -> PostgresMatches:
        return PostgresMatches(session, plan)

    def insert(self, session: Session, entries: Sequence[Entry]) -> None:
        if not entries:
            return
        rows = [entry_params(e) | {"exact": tsvector_literal(e.tokens),
                                   "folded": tsvector_literal(fold_tokens(e.tokens))}
                for e in entries]
        session.execute(insert_statement({"exact_tsv": "CAST(:exact AS tsvector)",
                                          "folded_tsv": "CAST(:folded AS tsvector)"}), rows)
        insert_people(session, entries)

    def delete(self, session: Session, ids: Sequence[int]) -> None:
        if ids:
            delete_rows(session, ids)

    def clear(self, session: Session) -> None:
        session.execute(text("TRUNCATE search_people, search_entries"))

    def optimize(self, session: Session) -> None:
        session.execute(text("ANALYZE search_entries"))
        session.execute(text("ANALYZE search_people"))
