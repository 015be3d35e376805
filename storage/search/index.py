"""Keeping the index in step with the database: call these in the same transaction as the change.

All functions flush the session first, write only search tables, and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from sqlalchemy import select, text
from sqlalchemy.orm import Session, selectinload

from storage.search.backend import Backend
from storage.search.entries import Entry, make_entry, source
from storage.search.postgres import PostgresBackend
from storage.search.sqlite import SqliteBackend
from storage.search.tokens import entry_key, second_range
from storage.tables import Document, Dossier

MAX_SLOTS = 1 << 16


def backend_for(session: Session) -> Backend:
    name = session.get_bind().dialect.name
    if name == "sqlite":
        return SqliteBackend()
    if name == "postgresql":
        return PostgresBackend()
    raise RuntimeError(f"search is not available on {name}")


def _taken(session: Session, dossier: Dossier) -> set[int]:
    low, high = second_range(dossier.received_at)
    rows = session.execute(text("SELECT id FROM search_entries WHERE id BETWEEN :low AND :high"),
                           {"low": low, "high": high})
    return set(rows.scalars())


def free_key(received_at: dt.datetime, dossier_id: str, ordinal: int, taken: set[int]) -> int:
    """The entry key of a document; the next hash bucket if another dossier took it."""
    for slot in range(MAX_SLOTS):
        key = entry_key(received_at, dossier_id, ordinal, slot)
        if key not in taken:
            taken.add(key)
            return key
    raise RuntimeError("no free search key in this second")  # 16.7 million entries in 1 s


def _entries(dossier: Dossier, taken: set[int],
             documents: Sequence[Document] | None = None) -> list[Entry]:
    documents = dossier.documents if documents is None else documents
    if not documents:
        key = free_key(dossier.received_at, dossier.id, 0, taken)
        return [make_entry(key, source(dossier, None))]
    return [make_entry(free_key(dossier.received_at, dossier.id, d.ordinal, taken),
                       source(dossier, d)) for d in documents]


def _ids(session: Session, sql: str, **params: str) -> list[int]:
    return list(session.execute(text(sql), params).scalars())


def index_dossier(session: Session, dossier_id: str) -> int:
    """(Re)index every document of a dossier, e.g. after its status changed; returns entries."""
    session.flush()
    backend = backend_for(session)
    backend.delete(session, _ids(session, "SELECT id FROM search_entries WHERE dossier_id = :d",
                                 d=dossier_id))
    dossier = session.get(Dossier, dossier_id)
    if dossier is None:
        return 0
    documents = list(session.scalars(select(Document).where(Document.dossier_id == dossier_id)
                                     .order_by(Document.ordinal)))  # not a stale relationship
    entries = _entries(dossier, _taken(session, dossier), documents)
    backend.insert(session, entries)
    return len(entries)


def index_document(session: Session, document_id: str) -> None:
    """(Re)index one document (new, or its text, type or fields changed)."""
    session.flush()
    document = session.get(Document, document_id)
    if document is None:
        remove_document(session, document_id)
        return
    backend = backend_for(session)
    backend.delete(session, _ids(
        session, "SELECT id FROM search_entries WHERE document_id = :doc OR "
        "(dossier_id = :dossier AND document_id IS NULL)", doc=document_id,
        dossier=document.dossier_id))
    dossier = document.dossier
    backend.insert(session, _entries(dossier, _taken(session, dossier), [document]))


def remove_document(session: Session, document_id: str) -> None:
    """Forget a deleted document; its dossier stays findable (by code) without it."""
    session.flush()
    dossiers = session.execute(text("SELECT dossier_id FROM search_entries "
                                    "WHERE document_id = :doc"), {"doc": document_id}).scalars()
    dossier_id = next(iter(dossiers), None)
    backend_for(session).delete(session, _ids(
        session, "SELECT id FROM search_entries WHERE document_id = :doc", doc=document_id))
    if dossier_id is not None and not _ids(
            session, "SELECT id FROM search_entries WHERE dossier_id = :d", d=dossier_id):
        index_dossier(session, dossier_id)


def remove_dossier(session: Session, dossier_id: str) -> None:
    session.flush()
    backend_for(session).delete(session, _ids(
        session, "SELECT id FROM search_entries WHERE dossier_id = :d", d=dossier_id))


def _batches(session: Session, size: int) -> Iterator[list[Dossier]]:
    ids = list(session.scalars(select(Dossier.id).order_by(Dossier.received_at, Dossier.id)))
    for start in range(0, len(ids), size):
        chunk = ids[start:start + size]
        yield list(session.scalars(select(Dossier).where(Dossier.id.in_(chunk))
                                   .options(selectinload(Dossier.documents))))


def reindex_all(session: Session, batch_size: int = 200) -> int:
    """Empty the index and rebuild it from every dossier and document; returns entries."""
    session.flush()
    backend = backend_for(session)
    backend.clear(session)
    taken: set[int] = set()
    count = 0
    for dossiers in _batches(session, batch_size):
        entries = [e for dossier in dossiers for e in _entries(dossier, taken)]
        backend.insert(session, entries)
        count += len(entries)
    backend.optimize(session)
    return count
