"""Database tables (SQLAlchemy 2). Portable between SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, Dialect, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import DateTime as SQLDateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class DateTime(TypeDecorator[dt.datetime]):
    """Timestamps stored in UTC and read back time-zone aware, on SQLite as on PostgreSQL."""

    impl = SQLDateTime
    cache_ok = True

    def __init__(self, timezone: bool = True) -> None:
        super().__init__(timezone=timezone)

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect
                           ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a time zone")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect
                             ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class DossierSequence(Base):
    """Last sequence number handed out per unit and day (for mã hồ sơ)."""

    __tablename__ = "dossier_sequences"
    unit: Mapped[str] = mapped_column(String(35), primary_key=True)
    day: Mapped[str] = mapped_column(String(6), primary_key=True)  # yyMMdd
    last: Mapped[int] = mapped_column(Integer)


class Dossier(Base):
    """Hồ sơ thủ tục hành chính."""

    __tablename__ = "dossiers"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    unit: Mapped[str] = mapped_column(String(35), index=True)
    procedure_code: Mapped[str] = mapped_column(String(20), index=True)
    procedure_decision: Mapped[str] = mapped_column(String(64))
    catalogue_version: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    completeness: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | archived
    # Document ordinals handed out so far; reserved atomically before objects are written.
    ordinals_used: Mapped[int] = mapped_column(Integer, default=0)
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(), nullable=True)
    archive_override: Mapped[str | None] = mapped_column(Text, nullable=True)
    files: Mapped[list[UploadedFile]] = relationship(back_populates="dossier",
                                                     order_by="UploadedFile.created_at")
    documents: Mapped[list[Document]] = relationship(back_populates="dossier",
                                                     order_by="Document.ordinal")
    jobs: Mapped[list[Job]] = relationship(back_populates="dossier", order_by="Job.created_at")


class UploadedFile(Base):
    """An original file as received, stored in S3 before anything else happened to it."""

    __tablename__ = "files"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    page_count: Mapped[int] = mapped_column(Integer)
    s3_key: Mapped[str] = mapped_column(String(512))
    duplicate_of: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    dossier: Mapped[Dossier] = relationship(back_populates="files")


class Job(Base):
    """Background processing of one uploaded file: queued → running → done | failed."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    file_id: Mapped[str] = mapped_column(ForeignKey("files.id"))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    stage: Mapped[str] = mapped_column(String(32), default="queued")
    pages_total: Mapped[int] = mapped_column(Integer, default=0)
    pages_done: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)  # blank, separator, rescan pages
    error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True),
                                                            nullable=True)
    dossier: Mapped[Dossier] = relationship(back_populates="jobs")


class Document(Base):
    """One document (giấy tờ) split from an uploaded file, classified and archived."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("dossier_id", "ordinal"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"))
    ordinal: Mapped[int] = mapped_column(Integer)
    doc_type: Mapped[str] = mapped_column(String(64), index=True)
    doc_type_name: Mapped[str] = mapped_column(String(200))
    confidence: Mapped[float] = mapped_column(Float)
    needs_review: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(Text)
    # The classifier (rules and model version) that named the type; None before migration 0008.
    classifier_version: Mapped[str | None] = mapped_column(String(100), nullable=True)
    pages: Mapped[list[Any]] = mapped_column(default=list)  # page indexes in the source file
    mean_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    pdf_key: Mapped[str] = mapped_column(String(512))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    text_key: Mapped[str] = mapped_column(String(512))
    pdfa: Mapped[bool] = mapped_column(default=False)  # archived as PDF/A-2b
    page_info: Mapped[list[Any]] = mapped_column(default=list)  # per page: status, rescan flags
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)  # extracted fields
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    dossier: Mapped[Dossier] = relationship(back_populates="documents")


class ArchiveObject(Base):
    """Every object written to S3 for a dossier, with its checksum (the manifest, in rows)."""

    __tablename__ = "archive_objects"
    key: Mapped[str] = mapped_column(String(512), primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    fixity_status: Mapped[str] = mapped_column(String(16), default="unchecked")
    fixity_checked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(), nullable=True)
    retained_until: Mapped[dt.datetime | None] = mapped_column(DateTime(), nullable=True)


class DossierEvent(Base):
    """What happened to a dossier, by whom and when (provenance for the manifest and PREMIS)."""

    __tablename__ = "dossier_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # ingested, ocr, classified, corrected, archived
    at: Mapped[dt.datetime] = mapped_column(DateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(16), default="success")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class FixityCheck(Base):
    """One re-reading of an archived object and what its checksum was."""

    __tablename__ = "fixity_checks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(512), index=True)
    dossier_id: Mapped[str] = mapped_column(String(36), index=True)
    checked_at: Mapped[dt.datetime] = mapped_column(DateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(16))  # ok | missing | altered | error
    expected_sha256: Mapped[str] = mapped_column(String(64))
    actual_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Correction(Base):
    """A reviewer's correction of a document: a labelled example for retraining the classifier."""

    __tablename__ = "corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    previous_type: Mapped[str] = mapped_column(String(64))
    doc_type: Mapped[str] = mapped_column(String(64), index=True)
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    text: Mapped[str] = mapped_column(Text)  # the OCR text the label applies to
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(), default=utcnow)
