"""Reading and writing dossiers, files, jobs and documents."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ingest.errors import SohoaError
from storage.tables import Document, Dossier, DossierSequence, Job, UploadedFile, utcnow

UNIT_ID = re.compile(r"^(?=.{1,35}$)(?:\d{2,3}\.){0,3}[A-K]\d{2}$")
DOSSIER_CODE = re.compile(r"^(?P<unit>[0-9A-Z]+(?:\.[0-9A-Z]+)*)-(?P<date>\d{6})-(?P<seq>\d{4,})$")


class NotFound(SohoaError):
    code = "not_found"


class InvalidUnit(SohoaError):
    code = "invalid_unit"


def new_id() -> str:
    return str(uuid.uuid4())


def validate_unit(unit: str) -> str:
    unit = unit.strip()
    if not UNIT_ID.match(unit):
        raise InvalidUnit(
            f"Mã định danh đơn vị không hợp lệ: {unit!r} (ví dụ 000.00.15.H05, QĐ 20/2020/QĐ-TTg).",
            f"Invalid unit identifier {unit!r} (e.g. 000.00.15.H05, per QĐ 20/2020/QĐ-TTg).",
        )
    return unit


def next_dossier_code(session: Session, unit: str, day: dt.date) -> str:
    """``{unit}-{yyMMdd}-{NNNN}``: the sequence restarts per unit each day.

    One atomic upsert hands out the number, so concurrent requests never share one.
    """
    stamp = day.strftime("%y%m%d")
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    statement = (
        dialect.insert(DossierSequence)
        .values(unit=unit, day=stamp, last=1)
        .on_conflict_do_update(index_elements=["unit", "day"],
                               set_={"last": DossierSequence.last + 1})
        .returning(DossierSequence.last)
    )
    number = session.execute(statement).scalar_one()
    return f"{unit}-{stamp}-{number:04d}"


def create_dossier(session: Session, *, unit: str, procedure_code: str, decision: str,
                   catalogue_version: str, channel: str, received_at: dt.datetime) -> Dossier:
    dossier = Dossier(
        id=new_id(), code=next_dossier_code(session, unit, received_at.date()), unit=unit,
        procedure_code=procedure_code, procedure_decision=decision,
        catalogue_version=catalogue_version, channel=channel, received_at=received_at,
        answers={},
    )
    session.add(dossier)
    return dossier


def get_dossier(session: Session, dossier_id: str) -> Dossier:
    dossier = session.get(Dossier, dossier_id)
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ {dossier_id}.", f"Dossier {dossier_id} not found.")
    return dossier


def get_dossier_by_code(session: Session, code: str) -> Dossier:
    dossier = session.scalars(select(Dossier).where(Dossier.code == code.strip())).one_or_none()
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ mã {code}.", f"No dossier with code {code}.")
    return dossier


def get_job(session: Session, job_id: str) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(f"Không tìm thấy tác vụ {job_id}.", f"Job {job_id} not found.")
    return job


def get_document(session: Session, document_id: str) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound(f"Không tìm thấy giấy tờ {document_id}.",
                       f"Document {document_id} not found.")
    return document


def add_file_with_job(session: Session, dossier: Dossier, **file_fields: Any) -> Job:
    uploaded = UploadedFile(id=new_id(), dossier_id=dossier.id, **file_fields)
    job = Job(id=new_id(), dossier_id=dossier.id, file_id=uploaded.id, status="queued",
              stage="queued", pages_total=uploaded.page_count, pages_done=0)
    session.add(uploaded)
    session.flush()  # the job's foreign key needs the file row first
    session.add(job)
    return job


def reserve_ordinals(session: Session, dossier_id: str, count: int) -> int:
    """Reserve ``count`` document ordinals for a dossier; return the first.

    One atomic UPDATE … RETURNING, committed before any object is named after the ordinals,
    so two jobs filing into one dossier never share a number (a crash leaves a gap, never a
    clash).
    """
    statement = (update(Dossier).where(Dossier.id == dossier_id)
                 .values(ordinals_used=Dossier.ordinals_used + count)
                 .returning(Dossier.ordinals_used))
    last = session.execute(statement).scalar_one()
    return int(last) - count + 1


def mark_job(session: Session, job: Job, *, status: str | None = None, stage: str | None = None,
             pages_done: int | None = None, error: SohoaError | None = None) -> None:
    if status is not None:
        job.status = status
        if status == "running" and job.started_at is None:
            job.started_at = utcnow()
        if status in ("done", "failed"):
            job.finished_at = utcnow()
    if stage is not None:
        job.stage = stage
    if pages_done is not None:
        job.pages_done = pages_done
    if error is not None:
        job.error_code = error.code
        job.error_message = str(error)
