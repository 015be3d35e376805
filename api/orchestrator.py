"""The one place that runs the pipeline, in the order of DESIGN.md:

intake → rasterize → OCR → classify pages → split into documents → archive → index → completeness.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from api.archiving import dossier_ref
from api.services import Services
from api.usecases import recompute_completeness
from classify.doctypes import DocumentTypes
from classify.rules import classify_page
from classify.split import DocumentSpan, split_documents
from ingest.errors import SohoaError
from ingest.intake import IntakeLimits
from ingest.rasterize import rasterize
from ingest.sniff import MediaType
from ocr.model import OcrEngine, PageText
from ocr.parallel import read_pages
from ocr.pdf import assemble_pdf
from storage import repository as repo
from storage.archive import DocumentToArchive, DossierRef, archive_documents
from storage.events import record_event
from storage.s3 import CONNECTION_ERRORS, StorageUnavailable, StoredObject
from storage.tables import ArchiveObject, Document, UploadedFile

log = logging.getLogger(__name__)
CLASSIFIER_VERSION = "rules-title-v1"
TRANSIENT_ERRORS = (*CONNECTION_ERRORS, OperationalError)
RETRY_BASE_DELAY = 5.0
MAX_RETRY_DELAY = 300.0
MAX_ATTEMPTS = 12


@dataclass(frozen=True)
class ReadResult:
    """A file read and understood: its pages and the documents they form."""

    pages: tuple[PageText, ...]
    documents: tuple[DocumentSpan, ...]


def read_file(
    data: bytes, media_type: MediaType, *, engine: OcrEngine, doctypes: DocumentTypes,
    dpi: int, workers: int, limits: IntakeLimits,
    on_page: Callable[[PageText], None] | None = None,
) -> ReadResult:
    pages = read_pages(
        rasterize(data, media_type, dpi, limits.max_page_pixels), engine,
        pdf_bytes=data if media_type is MediaType.PDF else None, workers=workers, on_page=on_page,
    )
    classified = [classify_page(page.text, doctypes) for page in pages]
    return ReadResult(pages=tuple(pages), documents=tuple(split_documents(classified, doctypes)))


class Retry(Exception):
    """The job should run again after ``delay`` seconds (S3 or the database was unreachable)."""

    def __init__(self, delay: float) -> None:
        super().__init__(f"retry in {delay:.0f} s")
        self.delay = delay


def run_job(job_id: str, services: Services) -> None:
    """Process one uploaded file; a user-caused failure is recorded on the job, not raised.

    When storage or the database is unreachable the job raises :class:`Retry` with an
    exponential delay; object keys are deterministic, so a rerun rewrites, never duplicates.
    """
    with services.session() as session:
        job = repo.get_job(session, job_id)
        if job.status == "done":
            return  # a retried delivery of a finished job changes nothing
        job.attempts += 1
        attempts = job.attempts
        repo.mark_job(session, job, status="running", stage="ocr", pages_done=0)
        uploaded = session.get_one(UploadedFile, job.file_id)
        ref = dossier_ref(job.dossier)
    try:
        _process(job_id, uploaded, ref, services)
    except TRANSIENT_ERRORS as error:
        _retry_later(services, job_id, attempts, error)
    except SohoaError as error:
        log.warning("job %s failed: %s", job_id, error)
        with services.session() as session:
            repo.mark_job(session, repo.get_job(session, job_id), status="failed", error=error)
    except Exception:
        with services.session() as session:
            repo.mark_job(session, repo.get_job(session, job_id), status="failed",
                          error=SohoaError("Lỗi hệ thống khi xử lý tệp; sẽ thử lại.",
                                           "Internal error while processing; will retry.",
                                           code="internal_error"))
        raise


def _retry_later(services: Services, job_id: str, attempts: int, error: Exception) -> None:
    delay = min(MAX_RETRY_DELAY, RETRY_BASE_DELAY * 2 ** (attempts - 1))
    log.warning("job %s: storage unavailable (%s); attempt %d, retrying in %.0f s",
                job_id, error, attempts, delay)
    if attempts >= MAX_ATTEMPTS:
        failure = StorageUnavailable(
            f"Kho lưu trữ không truy cập được sau {attempts} lần thử.",
            f"Storage unreachable after {attempts} attempts.")
        with services.session() as session:
            repo.mark_job(session, repo.get_job(session, job_id), status="failed", error=failure)
        return
    # The database may be the thing that is down: then the status simply stays "running".
    with suppress(*TRANSIENT_ERRORS), services.session() as session:
        repo.mark_job(session, repo.get_job(session, job_id), status="retrying",
                      stage="waiting_for_storage")
    raise Retry(delay) from error


def _process(job_id: str, uploaded: UploadedFile, ref: DossierRef, services: Services) -> None:
    settings = services.settings
    data = services.store.get(uploaded.s3_key)
    done = 0

    def on_page(_page: PageText) -> None:
        nonlocal done
        done += 1
        with services.session() as session:
            repo.mark_job(session, repo.get_job(session, job_id), pages_done=done)

    result = read_file(
        data, MediaType(uploaded.media_type), engine=services.ocr, doctypes=services.doctypes,
        dpi=settings.ocr_dpi, workers=settings.ocr_workers, limits=settings.intake_limits,
        on_page=on_page,
    )
    with services.session() as session:
        repo.mark_job(session, repo.get_job(session, job_id), stage="archive")
        first = repo.next_ordinal(session, ref.id)
        earlier = [(o.role, StoredObject(o.key, o.sha256, o.size, o.media_type))
                   for o in session.query(ArchiveObject).filter_by(dossier_id=ref.id)]
    source_pdf = data if uploaded.media_type == MediaType.PDF else None
    to_archive = [_to_archive(first + i, span, result.pages, source_pdf)
                  for i, span in enumerate(result.documents)]
    provenance = {"ocr_engine": services.ocr.version, "catalogue_version":
                  services.catalogue.version, "classifier": CLASSIFIER_VERSION,
                  "dpi": settings.ocr_dpi}
    archived = archive_documents(services.store, ref, to_archive, earlier, provenance)
    with services.session() as session:
        for doc, stored in zip(to_archive, archived.documents, strict=True):
            session.add(_document_row(ref.id, job_id, doc, stored.pdf, stored.text))
            for role, obj in (("document_pdf", stored.pdf), ("document_text", stored.text),
                              ("document_ocr", stored.ocr)):
                session.merge(ArchiveObject(key=obj.key, dossier_id=ref.id, role=role,
                                            sha256=obj.sha256, size=obj.size,
                                            media_type=obj.media_type))
        session.merge(ArchiveObject(key=archived.manifest.key, dossier_id=ref.id, role="manifest",
                                    sha256=archived.manifest.sha256, size=archived.manifest.size,
                                    media_type=archived.manifest.media_type))
        session.flush()
        recompute_completeness(session, repo.get_dossier(session, ref.id), services.catalogue)
        repo.mark_job(session, repo.get_job(session, job_id), status="done", stage="done")
        _record_reading(session, ref.id, job_id, result, services.ocr.version)


def _record_reading(session: Session, dossier_id: str, job_id: str, result: ReadResult,
                    engine: str) -> None:
    failed = [p.index for p in result.pages if p.status == "failed"]
    record_event(session, dossier_id, "ocr", "worker", outcome="failure" if failed else "success",
                 job=job_id, pages=len(result.pages), failed_pages=failed, engine=engine)
    record_event(session, dossier_id, "classified", "worker", job=job_id,
                 classifier=CLASSIFIER_VERSION,
                 documents=[{"doc_type": d.doc_type, "confidence": d.confidence,
                             "pages": list(d.pages)} for d in result.documents])


def _to_archive(ordinal: int, span: DocumentSpan, pages: Sequence[PageText],
                source_pdf: bytes | None) -> DocumentToArchive:
    own = tuple(pages[p] for p in span.pages)
    return DocumentToArchive(ordinal=ordinal, span=span, pages=own,
                             pdf=assemble_pdf(own, source_pdf))


def _document_row(dossier_id: str, job_id: str, doc: DocumentToArchive, pdf: StoredObject,
                  text: StoredObject) -> Document:
    confidences = [p.mean_confidence for p in doc.pages if p.mean_confidence is not None]
    return Document(
        id=repo.new_id(), dossier_id=dossier_id, job_id=job_id, ordinal=doc.ordinal,
        doc_type=doc.span.doc_type, doc_type_name=doc.span.doc_type_name,
        confidence=doc.span.confidence, needs_review=doc.span.needs_review,
        reason=doc.span.reason, pages=list(doc.span.pages),
        mean_confidence=round(sum(confidences) / len(confidences), 2) if confidences else None,
        text="\n\f\n".join(p.text for p in doc.pages), pdf_key=pdf.key, pdf_sha256=pdf.sha256,
        text_key=text.key,
    )
