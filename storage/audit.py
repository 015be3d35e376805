"""The audit log (nhật ký truy cập): append-only, each entry chained to the previous one.

Every entry carries ``prev_hash`` (the hash of the entry before it) and ``hash``, the SHA-256 of
the entry's canonical JSON including ``prev_hash``. Ids run 1, 2, 3 … without gaps, and the head
row (``audit_head``) holds the last id and hash, so an edited, deleted or truncated entry breaks
:func:`verify_chain`. Appends serialize on the head row: ``UPDATE … RETURNING`` takes its row lock
on PostgreSQL and the database write lock on SQLite before the last hash is read. The migration
also installs triggers that refuse UPDATE and DELETE on the table.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Integer, Select, String, Text, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.tables import Base, DateTime, utcnow

GENESIS = "0" * 64
OUTCOMES = ("success", "unauthenticated", "denied", "not_found", "rejected", "error")
CSV_COLUMNS = ("id", "at", "username", "role", "action", "target", "dossier_id", "dossier_code",
               "unit", "address", "outcome", "status", "detail", "prev_hash", "hash")
HASHED = CSV_COLUMNS[:-1]  # everything but the hash itself
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIMITS = {"username": 64, "role": 16, "action": 32, "target": 200, "dossier_id": 36,
          "dossier_code": 64, "unit": 35, "address": 64, "outcome": 16}


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime(), index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(200))
    dossier_id: Mapped[str | None] = mapped_column(String(36), index=True, nullable=True)
    dossier_code: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)
    unit: Mapped[str | None] = mapped_column(String(35), nullable=True)
    address: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """One row: the last id and hash of the chain (detects a truncated tail)."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(Text)


@dataclass(frozen=True)
class AuditRecord:
    """What to append: who did what to which target, from where, and how it ended."""

    username: str
    role: str
    action: str
    outcome: str = "success"
    target: str = ""
    dossier_id: str | None = None
    dossier_code: str | None = None
    unit: str | None = None
    address: str = ""
    status: int | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""
    head_hash: str = GENESIS


@dataclass(frozen=True)
class AuditQuery:
    user: str | None = None
    dossier: str | None = None  # a dossier id or code
    start: dt.datetime | None = None  # inclusive
    end: dt.datetime | None = None  # exclusive
    action: str | None = None
    units: frozenset[str] | None = None  # None: every unit; unit-less entries always shown
    limit: int = 100
    offset: int = 0


def _clean(value: Any) -> Any:
    """JSON-safe, NUL-free values (PostgreSQL text refuses NUL): hashed as they are stored."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, Mapping):
        return {str(_clean(k)): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_clean(v) for v in value]
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else str(value)
    return _clean(str(value))


def _text(name: str, value: str | None) -> str | None:
    return None if value is None else _clean(value)[:LIMITS[name]]


def canonical(fields: Mapping[str, Any]) -> bytes:
    return json.dumps({k: fields[k] for k in HASHED}, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"), allow_nan=False).encode("utf-8")


def fields_of(entry: AuditEntry) -> dict[str, Any]:
    values = {name: getattr(entry, name) for name in CSV_COLUMNS}
    values["at"] = entry.at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return values


def entry_hash(fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(fields)).hexdigest()


def _take_head(session: Session) -> tuple[int, str]:
    """Lock the head row and hand out the next id (the row is created on first use)."""
    statement = (update(AuditHead).where(AuditHead.id == 1)
                 .values(last_id=AuditHead.last_id + 1)
                 .returning(AuditHead.last_id, AuditHead.last_hash)
                 .execution_options(synchronize_session=False))
    row = session.execute(statement).one_or_none()
    if row is None:
        session.add(AuditHead(id=1, last_id=1, last_hash=GENESIS))
        session.flush()
        return 1, GENESIS
    return int(row[0]), str(row[1])


def append(session: Session, record: AuditRecord, at: dt.datetime | None = None) -> AuditEntry:
    """Add one entry at the end of the chain; commit with the caller's transaction."""
    if record.outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {record.outcome!r}")
    number, prev_hash = _take_head(session)
    moment = (at or utcnow()).astimezone(dt.UTC)
    entry = AuditEntry(
        id=number, at=moment, username=_text("username", record.username) or "",
        role=_text("role", record.role) or "", action=_text("action", record.action) or "",
        target=_text("target", record.target) or "",
        dossier_id=_text("dossier_id", record.dossier_id),
        dossier_code=_text("dossier_code", record.dossier_code),
        unit=_text("unit", record.unit), address=_text("address", record.address) or "",
        outcome=record.outcome, status=record.status, detail=_clean(dict(record.detail)),
        prev_hash=prev_hash,
    )
    entry.hash = entry_hash(fields_of(entry))
    session.add(entry)
    session.flush()
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(last_hash=entry.hash)
                    .execution_options(synchronize_session=False))
    return entry


def verify_chain(session: Session, batch: int = 1000) -> VerifyResult:
    """Re-hash every entry in order; the first break is reported with its id and why."""
    expected_id, prev_hash, checked = 1, GENESIS, 0
    rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id)
                           .execution_options(yield_per=batch))
    for entry in rows:
        problem = _check_entry(entry, expected_id, prev_hash)
        if problem:
            return VerifyResult(False, checked, entry.id, problem, prev_hash)
        checked, expected_id, prev_hash = checked + 1, entry.id + 1, entry.hash
    head = session.get(AuditHead, 1)
    last_id, last_hash = (head.last_id, head.last_hash) if head else (0, GENESIS)
    if last_id != checked or last_hash != prev_hash:
        return VerifyResult(False, checked, checked + 1,
                            f"the chain ends at entry {checked} but the head records entry "
                            f"{last_id}: entries at the end were deleted", prev_hash)
    return VerifyResult(True, checked, None, "", prev_hash)


def _check_entry(entry: AuditEntry, expected_id: int, prev_hash: str) -> str:
    if entry.id != expected_id:
        return f"entries {expected_id}–{entry.id - 1} are missing (deleted)"
    if entry.prev_hash != prev_hash:
        return f"entry {entry.id} does not follow the previous entry (prev_hash differs)"
    if entry_hash(fields_of(entry)) != entry.hash:
        return f"entry {entry.id} was altered (its content no longer matches its hash)"
    return ""


def _filtered(query: AuditQuery) -> Select[AuditEntry]:
    statement = select(AuditEntry)
    if query.user:
        statement = statement.where(AuditEntry.username == query.user)
    if query.dossier:
        statement = statement.where(or_(AuditEntry.dossier_id == query.dossier,
                                        AuditEntry.dossier_code == query.dossier))
    if query.start is not None:
        statement = statement.where(AuditEntry.at >= query.start)
    if query.end is not None:
        statement = statement.where(AuditEntry.at < query.end)
    if query.action:
        statement = statement.where(AuditEntry.action == query.action)
    if query.units is not None:
        statement = statement.where(or_(AuditEntry.unit.is_(None),
                                        AuditEntry.unit.in_(sorted(query.units))))
    return statement


def search(session: Session, query: AuditQuery) -> list[AuditEntry]:
    """Newest first, one page."""
    statement = _filtered(query).order_by(AuditEntry.id.desc())
    return list(session.scalars(statement.limit(query.limit).offset(query.offset)))


def iter_entries(session: Session, query: AuditQuery, batch: int = 1000
                 ) -> Iterator[AuditEntry]:
    """Every matching entry in chain order (for export); ``limit`` and ``offset`` are ignored."""
    statement = _filtered(query).order_by(AuditEntry.id).execution_options(yield_per=batch)
    yield from session.scalars(statement)


def entry_json(entry: AuditEntry) -> dict[str, Any]:
    return fields_of(entry)


def csv_safe(value: Any) -> str:
    """A cell a spreadsheet shows as text: formulas (= + - @ …) get a leading apostrophe."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else (
        json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, dict | list)
        else str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(entries: Iterator[AuditEntry]) -> Iterator[str]:
    """The export: a header, then one escaped row per entry (UTF-8 BOM first, for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(cells: list[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    yield "\ufeff" + line(list(CSV_COLUMNS))
    for entry in entries:
        values = fields_of(entry)
        yield line([csv_safe(values[name]) for name in CSV_COLUMNS])
