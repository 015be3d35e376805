"""Archiving a dossier (lưu trữ): final manifest, retention lock, integrity checks."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ingest.errors import SohoaError
from storage import repository as repo
from storage.archive import DossierRef, write_manifest
from storage.cleanup import CleanupReport, remove_orphans
from storage.events import event_json, events_of, record_event
from storage.fixity import FixityResult, run_fixity, select_objects
from storage.s3 import StoredObject
from storage.search import index_dossier
from storage.tables import ArchiveObject, Dossier, utcnow

if TYPE_CHECKING:
    from api.services import Services

log = logging.getLogger(__name__)


class DossierIncomplete(SohoaError):
    code = "dossier_incomplete"


class DossierArchived(SohoaError):
    code = "dossier_archived"


class JobsPending(SohoaError):
    code = "jobs_pending"


def dossier_ref(dossier: Dossier) -> DossierRef:
    return DossierRef(dossier.id, dossier.code, dossier.unit, dossier.procedure_code,
                      dossier.received_at)


def ensure_open(dossier: Dossier) -> None:
    if dossier.status == "archived":
        raise DossierArchived(
            f"Hồ sơ {dossier.code} đã được lưu trữ, không thể thay đổi.",
            f"Dossier {dossier.code} is archived and cannot be changed.",
        )


def archive_dossier(services: Services, dossier_id: str, actor: str,
                    override_reason: str | None = None) -> Dossier:
    """Freeze a dossier: final manifest with its events, then lock every object.

    An incomplete dossier needs an explicit override with a reason, which is recorded.
    """
    with services.session() as session:
        dossier = repo.get_dossier(session, dossier_id)
        _check_archivable(dossier, override_reason)
        ref = dossier_ref(dossier)
        objects = list(session.scalars(select(ArchiveObject).where(
            ArchiveObject.dossier_id == dossier_id)))
        entries = [(o.role, StoredObject(o.key, o.sha256, o.size, o.media_type)) for o in objects]
        doc_types = [d.doc_type for d in dossier.documents]
        events = [event_json(e) for e in events_of(session, dossier_id)]
    procedure = services.catalogue.get(ref.procedure_code)
    rule = services.retention.for_dossier(procedure.code, procedure.field, doc_types)
    archived_at = utcnow()
    until = rule.until(archived_at)
    archival = {"archived_at": archived_at.isoformat(), "actor": actor,
                "override_reason": override_reason, "retention": rule.label,
                "retention_mode": rule.mode, "retained_until": until.isoformat(),
                "events": events}
    manifest = write_manifest(services.store, ref, entries, _provenance(services), archival)
    locked = _lock(services, [key for _, key in _keys(entries, manifest)], rule.mode, until)
    with services.session() as session:
        dossier = repo.get_dossier(session, dossier_id)
        dossier.status, dossier.archived_at = "archived", archived_at
        dossier.archive_override = override_reason
        session.merge(ArchiveObject(key=manifest.key, dossier_id=dossier_id, role="manifest",
                                    sha256=manifest.sha256, size=manifest.size,
                                    media_type=manifest.media_type))
        session.flush()
        for obj in session.scalars(select(ArchiveObject).where(
                ArchiveObject.dossier_id == dossier_id)):
            obj.retained_until = until if locked else None
        record_event(session, dossier_id, "archived", actor, override_reason=override_reason,
                     retention=rule.label, locked=locked)
        session.flush()
        index_dossier(session, dossier_id)  # its status is a search facet
    return dossier


def _check_archivable(dossier: Dossier, override_reason: str | None) -> None:
    ensure_open(dossier)
    if any(job.status not in ("done", "failed") for job in dossier.jobs):
        raise JobsPending("Hồ sơ còn tệp đang xử lý; hãy chờ xử lý xong rồi lưu trữ.",
                          "Files of this dossier are still being processed; archive later.")
    verdict = (dossier.completeness or {}).get("verdict")
    if verdict != "complete" and not (override_reason and override_reason.strip()):
        raise DossierIncomplete(
            f"Hồ sơ chưa đầy đủ (kết luận: {verdict}); lưu trữ cần ghi rõ lý do.",
            f"The dossier is not complete (verdict: {verdict}); archiving it needs a reason.",
        )


def _keys(entries: list[tuple[str, StoredObject]], manifest: StoredObject
          ) -> list[tuple[str, str]]:
    return [(role, obj.key) for role, obj in entries if role != "manifest"] + [
        ("manifest", manifest.key)]


def _lock(services: Services, keys: list[str], mode: str, until: dt.datetime) -> bool:
    if not services.lock_supported:
        log.warning("Object Lock unavailable: %d objects archived without retention", len(keys))
        return False
    for key in keys:
        services.store.retain(key, mode, until)
    return True


def _provenance(services: Services) -> dict[str, Any]:
    return {"catalogue_version": services.catalogue.version,
            "ocr_engine": services.tesseract_version}


def check_integrity(services: Services, dossier_id: str | None = None,
                    sample: int | None = None) -> list[FixityResult]:
    with services.session() as session:
        objects = select_objects(session, sample=sample, dossier_id=dossier_id)
        results = run_fixity(session, services.store, objects)
        for dossier in {r.dossier_id for r in results if r.status in ("missing", "altered")}:
            bad = [r.key for r in results if r.dossier_id == dossier and r.status != "ok"]
            record_event(session, dossier, "fixity", "fixity-audit", outcome="failure", keys=bad)
    return results


def cleanup(services: Services, grace: dt.timedelta, dry_run: bool = False) -> CleanupReport:
    with services.session() as session:
        report = remove_orphans(session, services.store, grace, utcnow(), dry_run)
    log.info("orphans: %d found, %d deleted, %d under retention", len(report.orphans),
             len(report.deleted), len(report.refused))
    return report


def integrity_json(services: Services, dossier_id: str) -> list[dict[str, Any]]:
    with services.session() as session:
        repo.get_dossier(session, dossier_id)
        return [{"key": o.key, "role": o.role, "sha256": o.sha256, "size": o.size,
                 "fixity_status": o.fixity_status,
                 "fixity_checked_at": o.fixity_checked_at.isoformat()
                 if o.fixity_checked_at else None,
                 "retained_until": o.retained_until.isoformat() if o.retained_until else None}
                for o in select_objects(session, dossier_id=dossier_id)]
