"""Provenance events of a dossier: what happened, by whom, when."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.tables import DossierEvent, utcnow

KINDS = ("created", "ingested", "ocr", "classified", "answered", "corrected", "archived",
         "duplicate", "fixity", "exported", "restored")


def record_event(session: Session, dossier_id: str, kind: str, actor: str,
                 outcome: str = "success", **detail: Any) -> DossierEvent:
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    event = DossierEvent(dossier_id=dossier_id, kind=kind, actor=actor, outcome=outcome,
                         detail=detail, at=utcnow())
    session.add(event)
    return event


def events_of(session: Session, dossier_id: str) -> list[DossierEvent]:
    query = select(DossierEvent).where(DossierEvent.dossier_id == dossier_id)
    return list(session.scalars(query.order_by(DossierEvent.id)))


def event_json(event: DossierEvent) -> dict[str, Any]:
    return {"kind": event.kind, "at": event.at.isoformat(), "actor": event.actor,
            "outcome": event.outcome, "detail": event.detail}
