"""What a database must do for search, and the SQL both backends share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from storage.search.entries import Entry
from storage.search.parse import Plan
from storage.tables import DateTime

Tier = Literal["all", "exact", "loose"]
"""all: every match (folded); exact: the query's diacritics kept; loose: all but exact."""


FacetRow = tuple[int, str, str, "str | None", str]
"""Entry key, unit, procedure code, document type, status."""


@dataclass(frozen=True)
class Selection:
    """``SELECT <key> AS id FROM … WHERE …``; order by ``key`` (ascending: newest first)."""

    sql: str
    params: dict[str, Any]
    key: str


class Matches(Protocol):
    """The matches of one plan on one database, for the length of one search."""

    def keys(self, tier: Tier, limit: int, offset: int = 0) -> list[int]:
        """Keys of matches in key order (newest first)."""

    def among(self, tier: Tier, keys: Sequence[int]) -> set[int]:
        """Which of ``keys`` (already known to match) match ``tier``."""

    def rows(self, limit: int) -> list[FacetRow]:
        """The first ``limit`` matches (all tiers) with the columns facets count."""

    def count(self, cap: int) -> int:
        """How many matches, counting at most ``cap``."""

    def close(self) -> None:
        """The search is over: undo any session state the questions needed."""


class Backend(Protocol):
    def matches(self, session: Session, plan: Plan) -> Matches: ...

    def insert(self, session: Session, entries: Sequence[Entry]) -> None: ...

    def delete(self, session: Session, ids: Sequence[int]) -> None: ...

    def clear(self, session: Session) -> None: ...

    def optimize(self, session: Session) -> None:
        """After a bulk load: merge index segments, refresh planner statistics."""


def lookups(plan: Plan, column: str, tier: Tier) -> tuple[list[str], dict[str, Any]]:
    """Conditions on an entry key ``column`` for the period and the exact look-ups."""
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if plan.keys is not None:
        conditions.append(f"{column} BETWEEN :key_low AND :key_high")
        params.update(key_low=plan.keys[0], key_high=plan.keys[1])
    if plan.dossier_code is not None:
        conditions.append(f"{column} IN (SELECT id FROM search_entries WHERE dossier_code = :code)")
        params["code"] = plan.dossier_code
    if plan.person_id is not None:
        conditions.append(f"{column} IN (SELECT entry_id FROM search_people "
                          "WHERE person_id = :person_id)")
        params["person_id"] = plan.person_id
    if plan.name_folded is not None:
        exact = " AND name_exact = :name_exact" if tier == "exact" and plan.name_marked else ""
        conditions.append(f"{column} IN (SELECT entry_id FROM search_people "
                          f"WHERE name_folded = :name_folded{exact})")
        params.update(name_folded=plan.name_folded, name_exact=plan.name_exact)
    return conditions, params


def where(conditions: Sequence[str]) -> str:
    return " WHERE " + " AND ".join(conditions) if conditions else ""


ENTRY_COLUMNS = ("id", "dossier_id", "document_id", "dossier_code", "unit", "procedure_code",
                 "doc_type", "status", "received_at")


def entry_params(entry: Entry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in ENTRY_COLUMNS}


def insert_statement(extra: dict[str, str] | None = None) -> TextClause:
    """INSERT of an entry's common columns plus ``extra`` {column: SQL value expression}."""
    extra = extra or {}
    columns = [*ENTRY_COLUMNS, *extra]
    values = [f":{c}" for c in ENTRY_COLUMNS] + list(extra.values())
    sql = f"INSERT INTO search_entries ({', '.join(columns)}) VALUES ({', '.join(values)})"
    return text(sql).bindparams(bindparam("received_at", type_=DateTime()))


def insert_people(session: Session, entries: Sequence[Entry]) -> None:
    rows = [{"entry_id": e.id, "person_id": p.person_id, "name_exact": p.name_exact,
             "name_folded": p.name_folded} for e in entries for p in e.people]
    if rows:
        session.execute(text("INSERT INTO search_people (entry_id, person_id, name_exact, "
                             "name_folded) VALUES (:entry_id, :person_id, :name_exact, "
                             ":name_folded)"), rows)


def delete_rows(session: Session, ids: Sequence[int]) -> None:
    for sql in ("DELETE FROM search_people WHERE entry_id IN :ids",
                "DELETE FROM search_entries WHERE id IN :ids"):
        session.execute(text(sql).bindparams(bindparam("ids", expanding=True)),
                        {"ids": list(ids)})
