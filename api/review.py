"""The review queue (hàng chờ rà soát) and corrections that teach the classifier."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.archiving import ensure_open
from api.usecases import recompute_completeness
from ingest.errors import SohoaError
from ingest.text import nfc
from storage import repository as repo
from storage.events import record_event
from storage.search import index_document
from storage.tables import Correction, Document, Dossier

if TYPE_CHECKING:
    from api.services import Services

MAX_PAGE = 200
PAGE_BREAK = "\n\f\n"  # between the pages of Document.text (api.filing)


class UnknownDocType(SohoaError):
    code = "unknown_doc_type"


def review_queue(services: Services, units: Sequence[str] | None, limit: int = 50,
                 offset: int = 0) -> dict[str, Any]:
    """Documents the machine was unsure of, oldest first; only open dossiers of ``units``."""
    query = (select(Document, Dossier).join(Dossier, Document.dossier_id == Dossier.id)
             .where(Document.needs_review.is_(True), Dossier.status == "open"))
    if units is not None:
        query = query.where(Dossier.unit.in_(list(units)))
    limit = max(1, min(limit, MAX_PAGE))
    with services.session() as session:
        rows = session.execute(query.order_by(Document.created_at, Document.ordinal)
                               .offset(max(0, offset)).limit(limit)).all()
        return {"items": [_item(document, dossier) for document, dossier in rows],
                "limit": limit, "offset": offset}


def _item(document: Document, dossier: Dossier) -> dict[str, Any]:
    return {"document_id": document.id, "dossier_id": dossier.id, "dossier_code": dossier.code,
            "unit": dossier.unit, "procedure_code": dossier.procedure_code,
            "ordinal": document.ordinal, "doc_type": document.doc_type,
            "doc_type_name": document.doc_type_name, "confidence": document.confidence,
            "reason": document.reason, "classifier_version": document.classifier_version,
            "pages": document.pages, "page_info": document.page_info,
            "fields": document.fields, "text": document.text[:4000],
            "file_url": f"/api/documents/{document.id}/file",
            "created_at": document.created_at.isoformat()}


def correct_document(services: Services, document_id: str, doc_type: str | None,
                     fields: Mapping[str, object] | None, actor: str) -> dict[str, Any]:
    """Apply a reviewer's correction, keep it as a labelled example, return the new report."""
    with services.session() as session:
        document = repo.get_document(session, document_id)
        dossier = repo.get_dossier(session, document.dossier_id)
        ensure_open(dossier)
        previous = document.doc_type
        new_type = _checked_type(services, doc_type or previous)
        document.doc_type, document.doc_type_name = new_type, services.doctypes.name_of(new_type)
        document.confidence, document.needs_review = 1.0, False
        document.reason = f"Cán bộ {actor} xác nhận/sửa loại giấy tờ"
        clean = {nfc(str(k)): {"value": nfc(str(v)), "confidence": 1.0, "corrected": True}
                 for k, v in (fields or {}).items()}
        document.fields = {**(document.fields or {}), **clean}
        session.add(Correction(document_id=document.id, previous_type=previous,
                               doc_type=new_type, fields=clean, text=document.text,
                               actor=actor))
        record_event(session, dossier.id, "corrected", actor, document=document.id,
                     previous_type=previous, doc_type=new_type, fields=sorted(clean))
        session.flush()
        recompute_completeness(session, dossier, services.catalogue)
        index_document(session, document.id)
        return {"document_id": document.id, "doc_type": new_type,
                "doc_type_name": document.doc_type_name, "fields": document.fields,
                "completeness": dossier.completeness}


def _checked_type(services: Services, doc_type: str) -> str:
    if doc_type not in services.doctypes and doc_type != "other":
        raise UnknownDocType(f"Loại giấy tờ {doc_type!r} không có trong danh mục.",
                             f"Unknown document type {doc_type!r}.")
    return doc_type


def labelled_examples(session: Session) -> list[tuple[str, str]]:
    """(first-page OCR text, label) from every correction, the latest label per document.

    The model reads one page at a time and a document's type is on its first page; the rest
    of a multi-page document would teach it that continuation pages carry the type too.
    """
    rows = session.scalars(select(Correction).order_by(Correction.id)).all()
    latest = {row.document_id: (row.text.split(PAGE_BREAK)[0], row.doc_type) for row in rows}
    return [(text, label) for text, label in latest.values() if text.strip()]
