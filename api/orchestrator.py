"""The one place that runs the pipeline, in the order of DESIGN.md:

intake → rasterize → page analysis → OCR → split into documents → classify → archive (PDF/A,
manifest) → index → completeness. Each step is a function of its own module; this module only
calls them in order, records progress and decides what a failure means.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import suppress

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from api.archiving import dossier_ref, ensure_open
from api.fastpath import provisional_verdict
from api.filing import file_documents
from api.page_pipeline import PageResult
from api.reading import read_file
from api.services import Services
from ingest.errors import SohoaError
from ingest.sniff import MediaType
from storage import repository as repo
from storage.archive import DossierRef
from storage.events import record_event
from storage.s3 import CONNECTION_ERRORS, StorageUnavailable
from storage.tables import Dossier, UploadedFile

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]  # (pages done, pages in the file)
TRANSIENT_ERRORS = (*CONNECTION_ERRORS, OperationalError)
RETRY_BASE_DELAY = 5.0
MAX_RETRY_DELAY = 300.0
MAX_ATTEMPTS = 12


class Retry(Exception):
    """The job should run again after ``delay`` seconds (S3 or the database was unreachable)."""

    def __init__(self, delay: float) -> None:
        super().__init__(f"retry in {delay:.0f} s")
        self.delay = delay


def run_job(job_id: str, services: Services, progress: Progress | None = None) -> None:
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
        _process(job_id, uploaded, ref, services, progress)
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


def _process(job_id: str, uploaded: UploadedFile, ref: DossierRef, services: Services,
             progress: Progress | None) -> None:
    settings = services.settings
    data = services.store.get(uploaded.s3_key)
    if uploaded.page_count <= settings.fast_path_max_pages:
        provisional_verdict(services, job_id, ref, data, MediaType(uploaded.media_type))
    done = 0

    def on_page(_page: PageResult) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, uploaded.page_count)
        with services.session() as session:
            repo.mark_job(session, repo.get_job(session, job_id), pages_done=done)

    result = read_file(
        data, MediaType(uploaded.media_type), engine=services.ocr, doctypes=services.doctypes,
        dpi=settings.ocr_dpi, workers=settings.ocr_workers, limits=settings.intake_limits,
        on_page=on_page, classifier=services.classifier,
    )
    with services.session() as session:
        repo.mark_job(session, repo.get_job(session, job_id), stage="archive")
        targets = [(_target(session, ref, planned.code), planned) for planned in result.dossiers]
    source_pdf = data if uploaded.media_type == MediaType.PDF else None
    for target, planned in targets:
        file_documents(services, job_id, target, planned.documents, result.pages, source_pdf)
    with services.session() as session:
        job = repo.get_job(session, job_id)
        job.summary = result.summary()
        repo.mark_job(session, job, status="done", stage="done")
        failed = job.summary["failed_pages"]
        record_event(session, ref.id, "ocr", "worker", outcome="failure" if failed else "success",
                     job=job_id, engine=services.ocr.version, **job.summary)


def _target(session: Session, ref: DossierRef, code: str | None) -> DossierRef:
    """The dossier a batch part belongs to: the uploading one, or the one its cover names."""
    if code is None or code == ref.code:
        return ref
    found = session.scalars(select(Dossier).where(Dossier.code == code)).one_or_none()
    if found is None:
        log.warning("cover sheet names unknown dossier %s; filed into %s", code, ref.code)
        return ref
    ensure_open(found)
    return dossier_ref(found)
