"""What the API and the CLI do with a dossier: create it, accept files, report on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.archiving import ensure_open
from classify.answers import answerable_keys, validate_answers
from classify.catalogue.loader import Catalogue
from classify.catalogue.schema import Channel, ProcedureVersion
from classify.completeness import DocumentEvidence, check_completeness
from classify.consistency import DocumentFacts, find_inconsistencies
from ingest.errors import SohoaError
from ingest.intake import IntakeFile, inspect_upload
from storage import repository as repo
from storage.archive import DossierRef, original_key
from storage.events import record_event
from storage.search import index_dossier
from storage.tables import ArchiveObject, Dossier, Job, UploadedFile

if TYPE_CHECKING:
    from api.services import Services

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class InvalidChannel(SohoaError):
    code = "invalid_request"


def create_dossier(services: Services, procedure_code: str, unit: str | None,
                   channel: str = "truc_tiep", received_at: dt.datetime | None = None,
                   actor: str = "system") -> Dossier:
    received = received_at or dt.datetime.now(VIETNAM)
    version = services.catalogue.version_on(procedure_code, received.date())
    try:
        chosen = Channel(channel)
    except ValueError:
        raise InvalidChannel(
            f"Hình thức nộp không hợp lệ: {channel!r} (truc_tiep, truc_tuyen, buu_chinh).",
            f"Invalid channel {channel!r} (truc_tiep, truc_tuyen, buu_chinh).",
        ) from None
    unit_id = repo.validate_unit(unit or services.settings.default_unit)
    with services.session() as session:
        dossier = repo.create_dossier(
            session, unit=unit_id, procedure_code=procedure_code.strip(),
            decision=version.decision, catalogue_version=services.catalogue.version,
            channel=chosen.value, received_at=received,
        )
        session.flush()
        recompute_completeness(session, dossier, services.catalogue)
        record_event(session, dossier.id, "created", actor, procedure=procedure_code,
                     decision=version.decision)
        session.flush()
        index_dossier(session, dossier.id)
    return dossier


def accept_upload(services: Services, dossier_id: str,
                  files: Sequence[tuple[str, bytes]], actor: str = "system") -> list[Job]:
    """Validate every file, then store the raw bytes in S3, then record them and their jobs.

    A rejected file rejects the whole request before anything is stored; if the database
    commit fails, the objects just written are removed again.
    """
    if not files:
        raise SohoaError("Chưa chọn tệp nào để tải lên.", "No file was uploaded.",
                         code="empty_file")
    limits = services.settings.intake_limits
    checked: list[tuple[IntakeFile, bytes]] = [
        (inspect_upload(data, name, limits), data) for name, data in files
    ]
    written: list[str] = []
    try:
        with services.session() as session:
            dossier = repo.get_dossier(session, dossier_id)
            ensure_open(dossier)
            ref = DossierRef(dossier.id, dossier.code, dossier.unit, dossier.procedure_code,
                             dossier.received_at)
            jobs = [_accept_one(services, session, dossier, ref, intake, data, written, actor)
                    for intake, data in checked]
    except Exception:
        for key in written:
            services.store.delete(key)
        raise
    return jobs


def _accept_one(services: Services, session: Session, dossier: Dossier, ref: DossierRef,
                intake: IntakeFile, data: bytes, written: list[str], actor: str) -> Job:
    """Store one checked file, unless the same bytes were received before (then link to them)."""
    same = session.scalars(select(UploadedFile).where(UploadedFile.sha256 == intake.sha256)
                           .order_by(UploadedFile.created_at)).all()
    here = next((f for f in same if f.dossier_id == dossier.id), None)
    if here is not None:  # the same scan uploaded twice to one dossier: nothing new to do
        record_event(session, dossier.id, "duplicate", actor, file=intake.filename,
                     sha256=intake.sha256, duplicate_of=here.id)
        return session.scalars(select(Job).where(Job.file_id == here.id)).one()
    if same:  # already stored for another dossier: link to it instead of storing it twice
        key, duplicate_of = same[0].s3_key, same[0].id
    else:
        key, duplicate_of = original_key(ref, intake.sha256, intake.media_type.extension), None
        stored = services.store.put(key, data, intake.media_type.value,
                                    {"filename": intake.filename, "dossier-code": ref.code})
        written.append(key)
        session.merge(ArchiveObject(key=key, dossier_id=ref.id, role="original",
                                    sha256=stored.sha256, size=stored.size,
                                    media_type=stored.media_type))
    job = repo.add_file_with_job(
        session, dossier, filename=intake.filename, media_type=intake.media_type.value,
        size=intake.size, sha256=intake.sha256, page_count=intake.page_count, s3_key=key,
        duplicate_of=duplicate_of,
    )
    record_event(session, dossier.id, "ingested", actor, file=intake.filename,
                 sha256=intake.sha256, pages=intake.page_count, duplicate_of=duplicate_of)
    return job


def set_answers(services: Services, dossier_id: str, answers: dict[str, object],
                actor: str = "system") -> Dossier:
    """Merge the officer's answers and recompute the report in the same transaction."""
    with services.session() as session:
        dossier = repo.get_dossier(session, dossier_id)
        ensure_open(dossier)
        version = procedure_version_of(services.catalogue, dossier)
        clean = validate_answers(version, answers)
        dossier.answers = {**(dossier.answers or {}), **clean}
        recompute_completeness(session, dossier, services.catalogue)
        record_event(session, dossier.id, "answered", actor, answers=clean)
    return dossier


def procedure_version_of(catalogue: Catalogue, dossier: Dossier) -> ProcedureVersion:
    procedure = catalogue.get(dossier.procedure_code)
    for version in procedure.versions:
        if version.decision == dossier.procedure_decision:
            return version
    return catalogue.version_on(dossier.procedure_code, dossier.received_at.date())


def recompute_completeness(session: Session, dossier: Dossier, catalogue: Catalogue) -> None:
    version = procedure_version_of(catalogue, dossier)
    evidence = [
        DocumentEvidence(id=d.id, doc_type=d.doc_type, doc_type_name=d.doc_type_name,
                         confidence=d.confidence, needs_review=d.needs_review)
        for d in dossier.documents
    ]
    report = check_completeness(version, evidence, dossier.answers or {}, Channel(dossier.channel))
    facts = [DocumentFacts(d.id, d.doc_type, d.doc_type_name,
                           {k: str(v.get("value", "")) for k, v in (d.fields or {}).items()})
             for d in dossier.documents]
    findings = find_inconsistencies(facts)
    dossier.completeness = {**report.as_json(), "findings": [f.as_json() for f in findings]}


def checklist_json(version: ProcedureVersion) -> list[dict[str, Any]]:
    return [
        {"component_id": c.id, "name": c.name, "doc_types": list(c.doc_types),
         "form": c.form.value, "quantity": c.quantity, "required": c.required,
         "min_count": c.min_count,
         "condition": c.condition, "one_of": c.one_of, "shown_only": c.shown_only,
         "waived_by": c.waived_by}
        for c in version.components
    ]


def dossier_json(dossier: Dossier, catalogue: Catalogue) -> dict[str, Any]:
    procedure = catalogue.get(dossier.procedure_code)
    version = procedure_version_of(catalogue, dossier)
    return {
        "id": dossier.id,
        "code": dossier.code,
        "unit": dossier.unit,
        "channel": dossier.channel,
        "received_at": dossier.received_at.astimezone(VIETNAM).isoformat(),
        "status": dossier.status,
        "archived_at": dossier.archived_at.isoformat() if dossier.archived_at else None,
        "archive_override": dossier.archive_override,
        "procedure": {"code": procedure.code, "name": procedure.name,
                      "decision": version.decision},
        "components": checklist_json(version),
        "questions": [{"key": k, "text": t} for k, t in answerable_keys(version).items()],
        "answers": dossier.answers,
        "documents": [
            {"id": d.id, "ordinal": d.ordinal, "doc_type": d.doc_type,
             "doc_type_name": d.doc_type_name, "confidence": d.confidence,
             "needs_review": d.needs_review, "reason": d.reason,
             "classifier_version": d.classifier_version, "pages": d.pages,
             "mean_ocr_confidence": d.mean_confidence, "pdf_sha256": d.pdf_sha256,
             "pdfa": d.pdfa, "page_info": d.page_info, "fields": d.fields,
             "rescan": any(p.get("rescan") for p in d.page_info),
             "file_url": f"/api/documents/{d.id}/file"}
            for d in dossier.documents
        ],
        "completeness": dossier.completeness,
        "jobs": [job_json(j) for j in dossier.jobs],
    }


def job_json(job: Job) -> dict[str, Any]:
    return {
        "id": job.id, "dossier_id": job.dossier_id, "status": job.status, "stage": job.stage,
        "progress": {"pages_done": job.pages_done, "pages_total": job.pages_total},
        "summary": job.summary,
        "error": ({"code": job.error_code, "message": job.error_message}
                  if job.error_code else None),
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
