"""PostgreSQL: ``search_entries.exact_tsv`` and ``folded_tsv`` (tsvector, GIN indexes).

The tsvectors are built from the same Python tokens as SQLite's FTS5 columns (a literal equal to
``to_tsvector('simple', tokens)``: no stemming, no stop words, no unaccent extension needed);
queries are tsquery literals of the same tokens, ``<->`` for phrases.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from storage.search.backend import (
    Selection,
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
from storage.search.tokens import SECONDS_BASE, fold_tokens, tsvector_literal

_FILTERS = (("unit", "units"), ("procedure_code", "procedure_codes"), ("doc_type", "doc_types"),
            ("status", "statuses"))


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


class PostgresBackend:
    def select(self, plan: Plan, tier: Tier, columns: str = "id") -> Selection:
        conditions, params = _text_conditions(plan, tier)
        for column, attribute in _FILTERS:
            values = getattr(plan, attribute)
            if values is not None:
                conditions.append(f"{column} = ANY(CAST(:{attribute} AS varchar[]))")
                params[attribute] = list(values)
        more, extra = lookups(plan, "id", tier)
        return Selection(f"SELECT {columns} FROM search_entries" + where(conditions + more),
                         params | extra, "id")

    def window(self, plan: Plan) -> Selection:
        inner = self.select(plan, "all", "id, unit, procedure_code, doc_type, status")
        return Selection(inner.sql + " ORDER BY id LIMIT :window", inner.params, "id")

    def year(self, column: str) -> str:
        seconds = f"{SECONDS_BASE + 7 * 3600} - ({column} >> 24)"
        return f"to_char(to_timestamp({seconds}) AT TIME ZONE 'UTC', 'YYYY')"

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
