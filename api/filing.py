"""File what was read into a dossier: archive PDFs (PDF/A), texts and rows, then completeness."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.page_pipeline import PageResult
from api.usecases import VIETNAM, recompute_completeness
from classify.fields import extract_fields
from classify.split import DocumentSpan
from ocr.pdf import assemble_pdf
from ocr.pdfa import ArchiveMetadata, PdfaError, to_pdfa
from ocr.postcorrect import default_page_corrector
from storage import repository as repo
from storage.archive import DocumentToArchive, DossierRef, archive_documents
from storage.events import record_event
from storage.s3 import StoredObject
from storage.search import index_dossier
from storage.tables import ArchiveObject, Document

if TYPE_CHECKING:
    from api.services import Services

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ArchivePdf:
    pdf: bytes
    pdfa: bool


def document_pdf(span: DocumentSpan, pages: Sequence[PageResult], source_pdf: bytes | None,
                 ref: DossierRef, ordinal: int, creator: str) -> ArchivePdf:
    """Two-layer PDF of the document, as PDF/A-2b when its pages allow (TT 05/2025)."""
    assembled = assemble_pdf([p.text for p in pages], source_pdf)
    meta = ArchiveMetadata(title=span.doc_type_name, dossier_code=ref.code,
                           document_type=span.doc_type, creator=creator,
                           digitized_at=dt.datetime.now(VIETNAM), ordinal=ordinal)
    try:
        return ArchivePdf(to_pdfa(assembled, meta), True)
    except PdfaError as error:  # e.g. a born-digital page with fonts that are not embedded
        log.warning("document %s.%s kept as plain PDF: %s", ref.code, ordinal, error)
        return ArchivePdf(assembled, False)


def file_documents(services: Services, job_id: str, ref: DossierRef,
                   spans: Sequence[DocumentSpan], pages: Sequence[PageResult],
                   source_pdf: bytes | None) -> None:
    """Objects first (content-addressed keys), then one commit with rows and the new report."""
    by_index = {p.text.index: p for p in pages}
    with services.session() as session:
        first = repo.reserve_ordinals(session, ref.id, len(spans))
    with services.session() as session:
        earlier = [(o.role, StoredObject(o.key, o.sha256, o.size, o.media_type))
                   for o in session.scalars(select(ArchiveObject).where(
                       ArchiveObject.dossier_id == ref.id))]
    prepared = []
    for offset, span in enumerate(spans):
        own = [by_index[i] for i in span.pages]
        made = document_pdf(span, own, source_pdf, ref, first + offset,
                            services.settings.unit_name)
        prepared.append((DocumentToArchive(first + offset, span, tuple(p.text for p in own),
                                           made.pdf), own, made.pdfa))
    provenance = {"ocr_engine": services.ocr.version,
                  "ocr_corrector": default_page_corrector().version,
                  "classifier": services.classifier.version,
                  "catalogue_version": services.catalogue.version,
                  "dpi": services.settings.ocr_dpi}
    archived = archive_documents(services.store, ref, [p[0] for p in prepared], earlier,
                                 provenance)
    with services.session() as session:
        for (doc, own, pdfa), stored in zip(prepared, archived.documents, strict=True):
            row = _document_row(ref.id, job_id, doc, own, pdfa, stored.pdf, stored.text)
            row.classifier_version = services.classifier.version
            session.add(row)
            for role, obj in (("document_pdf", stored.pdf), ("document_text", stored.text),
                              ("document_ocr", stored.ocr)):
                _record_object(session, ref.id, role, obj)
        _record_object(session, ref.id, "manifest", archived.manifest)
        session.flush()
        recompute_completeness(session, repo.get_dossier(session, ref.id), services.catalogue)
        index_dossier(session, ref.id)  # full text and metadata, same transaction
        record_event(session, ref.id, "classified", "worker", job=job_id,
                     classifier=services.classifier.version,
                     documents=[{"doc_type": s.doc_type, "confidence": s.confidence,
                                 "pages": list(s.pages)} for s in spans])


def _record_object(session: Session, dossier_id: str, role: str, obj: StoredObject) -> None:
    session.merge(ArchiveObject(key=obj.key, dossier_id=dossier_id, role=role, sha256=obj.sha256,
                                size=obj.size, media_type=obj.media_type))


def _document_row(dossier_id: str, job_id: str, doc: DocumentToArchive,
                  pages: Sequence[PageResult], pdfa: bool, pdf: StoredObject,
                  text: StoredObject) -> Document:
    confidences = [p.mean_confidence for p in doc.pages if p.mean_confidence is not None]
    return Document(
        id=repo.new_id(), dossier_id=dossier_id, job_id=job_id, ordinal=doc.ordinal,
        doc_type=doc.span.doc_type, doc_type_name=doc.span.doc_type_name,
        confidence=doc.span.confidence, needs_review=doc.span.needs_review,
        reason=doc.span.reason, pages=list(doc.span.pages),
        mean_confidence=round(sum(confidences) / len(confidences), 2) if confidences else None,
        text="\n\f\n".join(p.text for p in doc.pages), pdf_key=pdf.key, pdf_sha256=pdf.sha256,
        text_key=text.key, pdfa=pdfa, page_info=[p.summary() for p in pages],
        fields=_fields(pages),
    )


def _fields(pages: Sequence[PageResult]) -> dict[str, Any]:
    """Fields of the document: the first page that yields each field wins."""
    found: dict[str, Any] = {}
    for page in pages:
        for name, field in extract_fields(page.text.text, page.text.words).items():
            found.setdefault(name, {"value": field.value, "confidence": field.confidence,
                                    "box": list(field.box) if field.box else None,
                                    "page": page.text.index})
    return found
