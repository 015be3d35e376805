"""Index entries: one per document, carrying its dossier's metadata (or one per dossier that has
no document yet), built from the database rows."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from storage.search.tokens import MAX_INDEXED_TOKENS, fold_tokens, tokenize
from storage.tables import Document, Dossier

ID_FIELDS = ("so_dinh_danh", "cccd", "cmnd")
NAME_FIELDS = ("ho_ten",)
OTHER_ID_FIELDS = ("ho_chieu", "ma_so_thue")  # searchable as words, not looked up as persons
_NOT_DIGIT = re.compile(r"\D")


@dataclass(frozen=True)
class Person:
    """A personal ID number or a full name read from a document's fields."""

    person_id: str | None
    name_exact: str | None
    name_folded: str | None


@dataclass(frozen=True)
class Entry:
    id: int
    dossier_id: str
    document_id: str | None
    ordinal: int
    dossier_code: str
    unit: str
    procedure_code: str
    doc_type: str | None
    status: str
    received_at: dt.datetime
    tokens: tuple[str, ...]  # as written (lower-case NFC), capped at MAX_INDEXED_TOKENS
    people: tuple[Person, ...]


def _flatten(value: Any) -> Iterator[str]:
    """Field values may be plain strings, {"value": …} records or lists of either."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        yield from _flatten(value.get("value"))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _flatten(item)


def _field_values(fields: Mapping[str, Any], names: Iterable[str]) -> list[str]:
    wanted = tuple(names)
    found = [v for key, value in fields.items()
             if key in wanted or key.startswith(tuple(f"{n}_" for n in wanted))
             for v in _flatten(value)]
    return list(dict.fromkeys(v.strip() for v in found if v.strip()))


def people(fields: Mapping[str, Any]) -> tuple[Person, ...]:
    found: list[Person] = []
    for raw in _field_values(fields, ID_FIELDS):
        digits = _NOT_DIGIT.sub("", raw)
        if len(digits) in (9, 12):
            found.append(Person(digits, None, None))
    for raw in _field_values(fields, NAME_FIELDS):
        tokens = tokenize(raw)[:20]
        if tokens:
            found.append(Person(None, " ".join(tokens)[:200],
                                " ".join(fold_tokens(tokens))[:200]))
    return tuple(dict.fromkeys(found))


def metadata_text(code: str, unit: str, procedure_code: str, doc_type_name: str | None,
                  fields: Mapping[str, Any]) -> str:
    """What an entry is found by besides its text: code, unit, procedure, type, IDs, names."""
    parts = [code, unit, procedure_code, doc_type_name or ""]
    parts += _field_values(fields, NAME_FIELDS + ID_FIELDS + OTHER_ID_FIELDS)
    return "\n".join(parts)


@dataclass(frozen=True)
class Source:
    """The columns an entry is made of, whether read from ORM rows or generated (bench)."""

    dossier_id: str
    dossier_code: str
    unit: str
    procedure_code: str
    status: str
    received_at: dt.datetime
    document_id: str | None = None
    ordinal: int = 0
    doc_type: str | None = None
    doc_type_name: str | None = None
    text: str = ""
    fields: Mapping[str, Any] | None = None


def source(dossier: Dossier, document: Document | None) -> Source:
    base = Source(dossier.id, dossier.code, dossier.unit, dossier.procedure_code,
                  dossier.status or "open", dossier.received_at)
    if document is None:
        return base
    return replace(base, document_id=document.id, ordinal=document.ordinal,
                   doc_type=document.doc_type, doc_type_name=document.doc_type_name,
                   text=document.text or "", fields=document.fields or {})


def make_entry(key: int, item: Source) -> Entry:
    fields = item.fields or {}
    meta = metadata_text(item.dossier_code, item.unit, item.procedure_code, item.doc_type_name,
                         fields)
    tokens = tokenize(meta) + tokenize(item.text)
    return Entry(
        id=key, dossier_id=item.dossier_id, document_id=item.document_id, ordinal=item.ordinal,
        dossier_code=item.dossier_code, unit=item.unit, procedure_code=item.procedure_code,
        doc_type=item.doc_type, status=item.status, received_at=item.received_at,
        tokens=tuple(tokens[:MAX_INDEXED_TOKENS]), people=people(fields))
