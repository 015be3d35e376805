"""E-ARK packages of a dossier: export an AIP or a reading copy, restore a dossier from an AIP."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.archiving import dossier_ref
from ingest.errors import SohoaError
from ingest.intake import count_pages
from ingest.sniff import MediaType
from storage import repository as repo
from storage.archive import original_key, write_manifest
from storage.eark import (
    PackageDocument,
    PackageDossier,
    PackageEvent,
    PackageFile,
    RestoredPackage,
    build_aip,
    build_dip,
    read_aip,
)
from storage.events import events_of, record_event
from storage.s3 import StoredObject
from storage.search import index_dossier
from storage.tables import ArchiveObject, Document, Dossier, DossierEvent, Job, utcnow

if TYPE_CHECKING:
    from api.services import Services

DECISION_PREFIX = "Quyết định công bố: "


class DossierExists(SohoaError):
    code = "dossier_exists"


def export_aip(services: Services, code: str) -> bytes:
    dossier, documents, originals = _package_parts(services, code)
    aip = build_aip(dossier, documents, originals)
    _note(services, code, "exported", package="AIP", bytes=len(aip))
    return aip


def export_dip(services: Services, code: str) -> bytes:
    dossier, documents, _ = _package_parts(services, code)
    dip = build_dip(dossier, documents, services.settings.unit_name)
    _note(services, code, "exported", package="DIP", bytes=len(dip))
    return dip


def _note(services: Services, code: str, kind: str, **detail: Any) -> None:
    with services.session() as session:
        record_event(session, repo.get_dossier_by_code(session, code).id, kind, "cli", **detail)


def _package_parts(services: Services, code: str
                   ) -> tuple[PackageDossier, list[PackageDocument], list[PackageFile]]:
    store = services.store
    with services.session() as session:
        row = repo.get_dossier_by_code(session, code)
        dossier = _package_dossier(services, row, events_of(session, row.id))
        documents = [PackageDocument(
            ordinal=d.ordinal, doc_type=d.doc_type, doc_type_name=d.doc_type_name,
            subject=d.doc_type_name, page_count=len(d.pages), pdf=store.get(d.pdf_key),
            text=store.get(d.text_key).decode("utf-8"), pdf_sha256=d.pdf_sha256,
            ocr_json=store.get(d.text_key.removesuffix(".txt") + ".ocr.json"),
        ) for d in row.documents]
        originals = [PackageFile(name=f.filename, media_type=f.media_type,
                                 data=store.get(f.s3_key), sha256=f.sha256) for f in row.files]
    return dossier, documents, originals


def _package_dossier(services: Services, row: Dossier, events: list[DossierEvent]
                     ) -> PackageDossier:
    procedure = services.catalogue.get(row.procedure_code)
    rule = services.retention.for_dossier(procedure.code, procedure.field,
                                          [d.doc_type for d in row.documents])
    return PackageDossier(
        code=row.code, unit=row.unit, unit_name=services.settings.unit_name,
        procedure_code=procedure.code, procedure_name=procedure.name,
        title=f"Hồ sơ {procedure.name}", received_at=row.received_at,
        archived_at=row.archived_at or utcnow(),
        maintenance="01" if rule.label == "vĩnh viễn" else str(rule.years),
        keywords=(procedure.code, f"{DECISION_PREFIX}{row.procedure_decision}"),
        completeness=str((row.completeness or {}).get("verdict", "")),
        events=tuple(PackageEvent(kind=e.kind, at=e.at, agent=e.actor, outcome=e.outcome,
                                  detail=json.dumps(e.detail, ensure_ascii=False, sort_keys=True))
                     for e in events),
    )


def import_aip(services: Services, data: bytes, actor: str) -> str:
    """Restore a dossier from an AIP: objects to S3 first, then the rows in one commit."""
    package = read_aip(data)
    code = package.dossier.code
    with services.session() as session:
        if session.scalars(select(Dossier).where(Dossier.code == code)).first() is not None:
            raise DossierExists(f"Hồ sơ {code} đã có trong hệ thống; không khôi phục đè.",
                                f"Dossier {code} already exists; it is not overwritten.")
    with services.session() as session:
        dossier = _restore_dossier(services, package)
        session.add(dossier)
        session.flush()
        stored = _restore_objects(services, session, dossier, package)
        for event in package.dossier.events:
            session.add(DossierEvent(dossier_id=dossier.id, kind=event.kind, at=event.at,
                                     actor=event.agent, outcome=event.outcome,
                                     detail=json.loads(event.detail or "{}")))
        record_event(session, dossier.id, "restored", actor, objid=package.objid)
        session.flush()
        index_dossier(session, dossier.id)
        write_manifest(services.store, dossier_ref(dossier), stored,
                       {"restored_from": package.objid})
        return dossier.id


def _restore_dossier(services: Services, package: RestoredPackage) -> Dossier:
    meta = package.dossier
    decision = next((k.removeprefix(DECISION_PREFIX) for k in meta.keywords
                     if k.startswith(DECISION_PREFIX)), None)
    if decision is None:
        decision = services.catalogue.version_on(meta.procedure_code,
                                                 meta.received_at.date()).decision
    return Dossier(id=repo.new_id(), code=meta.code, unit=meta.unit,
                   procedure_code=meta.procedure_code, procedure_decision=decision,
                   catalogue_version=services.catalogue.version, channel="truc_tiep",
                   received_at=meta.received_at, answers={},
                   completeness={"verdict": meta.completeness, "components": [],
                                 "restored": True},
                   status="archived", archived_at=meta.archived_at,
                   ordinals_used=max((d.ordinal for d in package.documents), default=0))


def _restore_objects(services: Services, session: Session, dossier: Dossier,
                     package: RestoredPackage) -> list[tuple[str, StoredObject]]:
    ref, store, stored = dossier_ref(dossier), services.store, []
    job: Job | None = None
    for original in package.originals:
        media = MediaType(original.media_type)
        obj = store.put(original_key(ref, original.sha256, media.extension), original.data,
                        original.media_type, {"filename": original.name})
        stored.append(("original", obj))
        pages = count_pages(original.data, media)
        added = repo.add_file_with_job(session, dossier, filename=original.name,
                                       media_type=original.media_type, size=obj.size,
                                       sha256=obj.sha256, page_count=pages, s3_key=obj.key)
        added.pages_done = pages
        added.status, added.stage, added.finished_at = "done", "restored", utcnow()
        job = job or added
    if job is None:
        raise SohoaError("Gói AIP không có tệp gốc nào.", "The AIP holds no original files.",
                         code="package_invalid")
    base = f"{ref.prefix}/documents/{ref.code}"
    for doc in package.documents:
        pdf = store.put(f"{base}.{doc.ordinal}.pdf", doc.pdf, "application/pdf")
        txt = store.put(f"{base}.{doc.ordinal}.txt", doc.text.encode("utf-8"),
                        "text/plain; charset=utf-8")
        objs = [("document_pdf", pdf), ("document_text", txt)]
        if doc.ocr_json is not None:
            objs.append(("document_ocr", store.put(f"{base}.{doc.ordinal}.ocr.json",
                                                   doc.ocr_json, "application/json")))
        stored += objs
        session.add(Document(
            id=repo.new_id(), dossier_id=dossier.id, job_id=job.id, ordinal=doc.ordinal,
            doc_type=doc.doc_type, doc_type_name=doc.doc_type_name, confidence=1.0,
            needs_review=False, reason="Khôi phục từ gói AIP", pages=list(range(doc.page_count)),
            text=doc.text, pdf_key=pdf.key, pdf_sha256=pdf.sha256, text_key=txt.key))
    for role, obj in stored:
        session.add(ArchiveObject(key=obj.key, dossier_id=dossier.id, role=role, sha256=obj.sha256,
                                  size=obj.size, media_type=obj.media_type))
    return stored

