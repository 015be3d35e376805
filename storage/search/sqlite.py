"""SQLite: FTS5 ``search_fts`` (contentless, unicode61 with remove_diacritics 0).

Columns: ``exact`` (tokens as written), ``folded`` (tokens folded) and ``tags`` (one token per
filter value, so unit/procedure/type/status filters run inside FTS5). The rowid is the entry key.
Contentless tables need the indexed values to delete a row: ``search_tokens`` keeps the tokens,
and the folded text and tags are derived again from them by the same functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from storage.search.backend import (
    FacetRow,
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
from storage.search.tokens import entry_tags, fold_tokens, tag

_FILTERS = (("unit", "units"), ("procedure_code", "procedure_codes"), ("doc_type", "doc_types"),
            ("status", "statuses"))


def _phrase(tokens: Sequence[str]) -> str:
    return '"' + " ".join(tokens) + '"'  # tokens are letters and digits only: nothing to escape


def _all(column: str, phrases: Sequence[Sequence[str]]) -> str:
    return f"{column} : (" + " AND ".join(_phrase(p) for p in phrases) + ")"


def _tags(plan: Plan) -> str | None:
    groups = []
    for kind, attribute in _FILTERS:
        values = getattr(plan, attribute)
        if values:
            groups.append("(" + " OR ".join(_phrase([tag(kind, v)]) for v in values) + ")")
    return "tags : (" + " AND ".join(groups) + ")" if groups else None


def match(plan: Plan, tier: Tier) -> str | None:
    """The FTS5 query for ``plan``, or None when nothing needs full text."""
    parts = [_all("folded", [c.folded for c in plan.clauses])] if plan.clauses else []
    tags = _tags(plan)
    if tags:
        parts.append(tags)
    if not parts:
        return None
    expression = " AND ".join(f"({p})" for p in parts)
    if tier != "all" and plan.marked:
        exact = _all("exact", [c.tokens for c in plan.marked])
        joiner = "AND" if tier == "exact" else "NOT"
        expression = f"({expression}) {joiner} ({exact})"
    return expression


def select(plan: Plan, tier: Tier) -> Selection:
    """The keys of the matches: through FTS5 when there are words or filters, else the table."""
    expression = match(plan, tier)
    if expression is None:
        conditions, params = lookups(plan, "id", tier)
        return Selection("SELECT id FROM search_entries" + where(conditions), params, "id")
    conditions, params = lookups(plan, "rowid", tier)
    params["match"] = expression
    sql = "SELECT rowid AS id FROM search_fts" + where(["search_fts MATCH :match", *conditions])
    return Selection(sql, params, "rowid")


class SqliteMatches:
    """FTS5 returns rowids in order, so every question streams and stops early."""

    def __init__(self, session: Session, plan: Plan) -> None:
        self.session, self.plan = session, plan

    def keys(self, tier: Tier, limit: int, offset: int = 0) -> list[int]:
        chosen = select(self.plan, tier)
        sql = f"{chosen.sql} ORDER BY {chosen.key} LIMIT :limit OFFSET :offset"
        return list(self.session.execute(text(sql), chosen.params
                                         | {"limit": limit, "offset": offset}).scalars())

    def among(self, tier: Tier, keys: Sequence[int]) -> set[int]:
        """One pass over the key range (FTS5 would evaluate the query once per key given)."""
        chosen = select(self.plan, tier)
        sql = (f"{chosen.sql}{' AND' if ' WHERE ' in chosen.sql else ' WHERE'} "
               f"{chosen.key} BETWEEN :first AND :last")
        found = self.session.execute(text(sql), chosen.params
                                     | {"first": min(keys), "last": max(keys)}).scalars()
        return set(found) & set(keys)

    def rows(self, limit: int) -> list[FacetRow]:
        chosen = select(self.plan, "all")
        sql = ("SELECT e.id, e.unit, e.procedure_code, e.doc_type, e.status FROM search_entries e"
               f" JOIN ({chosen.sql} ORDER BY {chosen.key} LIMIT :limit) AS m ON e.id = m.id "
               "ORDER BY e.id")
        found = self.session.execute(text(sql), chosen.params | {"limit": limit})
        return [(r[0], r[1], r[2], r[3], r[4]) for r in found]

    def count(self, cap: int) -> int:
        chosen = select(self.plan, "all")
        sql = f"SELECT count(*) FROM ({chosen.sql} LIMIT :cap) AS m"
        return int(self.session.execute(text(sql), chosen.params | {"cap": cap}).scalar_one())

    def close(self) -> None:
        return None


class SqliteBackend:
    def matches(self, session: Session, plan: Plan) -> SqliteMatches:
        return SqliteMatches(session, plan)

    def insert(self, session: Session, entries: Sequence[Entry]) -> None:
        if not entries:
            return
        session.execute(insert_statement({}), [entry_params(e) for e in entries])
        session.execute(text("INSERT INTO search_tokens (id, tokens) VALUES (:id, :tokens)"),
                        [{"id": e.id, "tokens": " ".join(e.tokens)} for e in entries])
        session.execute(text("INSERT INTO search_fts (rowid, exact, folded, tags) "
                             "VALUES (:id, :exact, :folded, :tags)"),
                        [_fts_values(e.id, e.tokens, e.unit, e.procedure_code, e.doc_type,
                                     e.status) for e in entries])
        insert_people(session, entries)

    def delete(self, session: Session, ids: Sequence[int]) -> None:
        if not ids:
            return
        rows = session.execute(
            text("SELECT e.id, t.tokens, e.unit, e.procedure_code, e.doc_type, e.status "
                 "FROM search_entries e JOIN search_tokens t ON t.id = e.id WHERE e.id IN :ids")
            .bindparams(bindparam("ids", expanding=True)),
            {"ids": list(ids)}).all()
        if rows:
            session.execute(text("INSERT INTO search_fts (search_fts, rowid, exact, folded, tags)"
                                 " VALUES ('delete', :id, :exact, :folded, :tags)"),
                            [_fts_values(r.id, tuple(r.tokens.split()), r.unit,
                                         r.procedure_code, r.doc_type, r.status) for r in rows])
        session.execute(text("DELETE FROM search_tokens WHERE id IN :ids")
                        .bindparams(bindparam("ids", expanding=True)), {"ids": list(ids)})
        delete_rows(session, ids)

    def clear(self, session: Session) -> None:
        session.execute(text("INSERT INTO search_fts (search_fts) VALUES ('delete-all')"))
        session.execute(text("DELETE FROM search_people"))
        session.execute(text("DELETE FROM search_tokens"))
        session.execute(text("DELETE FROM search_entries"))

    def optimize(self, session: Session) -> None:
        session.execute(text("INSERT INTO search_fts (search_fts) VALUES ('optimize')"))
        session.execute(text("ANALYZE search_entries"))
        session.execute(text("ANALYZE search_people"))


def _fts_values(key: int, tokens: Sequence[str], unit: str, procedure_code: str,
                doc_type: str | None, status: str) -> dict[str, Any]:
    return {"id": key, "exact": " ".join(tokens), "folded": " ".join(fold_tokens(tokens)),
            "tags": entry_tags(unit, procedure_code, doc_type, status)}
