"""Archive and integrity against the real SeaweedFS: lock, fixity, duplicates, outages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from api.archiving import (
    DossierArchived,
    DossierIncomplete,
    archive_dossier,
    check_integrity,
    cleanup,
    integrity_json,
)
from api.orchestrator import Retry, run_job
from api.seaweed import EmbeddedS3
from api.services import Services, build_services
from api.usecases import accept_upload, create_dossier
from storage import repository as repo
from storage.s3 import RetentionRefused
from tests.conftest import make_settings
from tests.synthetic import BIRTH_CERTIFICATE, BIRTH_FORM, render_page, to_png

UNIT = "000.00.15.H05"


def scan(spec: object = BIRTH_CERTIFICATE) -> bytes:
    return to_png(render_page(spec, dpi=150), dpi=150)  # type: ignore[arg-type]


def ingest(services: Services, files: list[tuple[str, bytes]]) -> str:
    dossier = create_dossier(services, "1.001193", UNIT, actor="officer-a")
    for job in accept_upload(services, dossier.id, files, actor="officer-a"):
        run_job(job.id, services)
    return dossier.id


def objects(services: Services, dossier_id: str) -> dict[str, dict[str, object]]:
    return {o["role"] + ":" + str(o["key"]).rsplit("/", 1)[-1]: o
            for o in integrity_json(services, dossier_id)}


def test_archiving_needs_a_reason_when_incomplete_and_locks_objects(services: Services) -> None:
    dossier_id = ingest(services, [("chung-sinh.png", scan())])
    with pytest.raises(DossierIncomplete):
        archive_dossier(services, dossier_id, "officer-a")
    archived = archive_dossier(services, dossier_id, "reviewer-b",
                               override_reason="Công dân bổ sung tờ khai sau")
    assert archived.status == "archived"
    with services.session() as session:
        dossier = repo.get_dossier(session, dossier_id)
        assert dossier.archive_override == "Công dân bổ sung tờ khai sau"
        prefix = f"{dossier.unit}/{dossier.received_at:%Y}/{dossier.code}"
    manifest = json.loads(services.store.get(f"{prefix}/manifest.json"))
    assert manifest["archival"]["override_reason"] == "Công dân bổ sung tờ khai sau"
    assert manifest["archival"]["retention"] == "vĩnh viễn"  # hộ tịch
    kinds = [e["kind"] for e in manifest["archival"]["events"]]
    assert kinds[:2] == ["created", "ingested"] and "ocr" in kinds and "classified" in kinds
    rows = integrity_json(services, dossier_id)
    assert rows and all(r["retained_until"] for r in rows)
    pdf_key = next(str(r["key"]) for r in rows if r["role"] == "document_pdf")
    with pytest.raises(RetentionRefused):  # Object Lock: the archived version cannot go
        services.store.delete_version(pdf_key, services.store.versions(pdf_key)[0])
    with pytest.raises(DossierArchived):
        accept_upload(services, dossier_id, [("more.png", scan(BIRTH_FORM))])
    with pytest.raises(DossierArchived):
        archive_dossier(services, dossier_id, "officer-a", override_reason="again")


def test_fixity_detects_altered_and_missing_objects(services: Services) -> None:
    dossier_id = ingest(services, [("chung-sinh.png", scan())])
    rows = integrity_json(services, dossier_id)
    assert {r["fixity_status"] for r in rows} == {"unchecked"}
    assert all(r.status == "ok" for r in check_integrity(services, dossier_id))
    pdf = next(str(r["key"]) for r in rows if r["role"] == "document_pdf")
    text = next(str(r["key"]) for r in rows if r["role"] == "document_text")
    flipped = bytearray(services.store.get(pdf))
    flipped[len(flipped) // 2] ^= 0x01  # one bit of rot
    services.store.put(pdf, bytes(flipped), "application/pdf")
    services.store.delete(text)
    problems = {r.key: r.status for r in check_integrity(services, dossier_id) if r.status != "ok"}
    assert problems == {pdf: "altered", text: "missing"}
    statuses = {r["key"]: r["fixity_status"] for r in integrity_json(services, dossier_id)}
    assert statuses[pdf] == "altered" and statuses[text] == "missing"


def test_the_same_file_twice_is_stored_once(services: Services) -> None:
    data = scan()
    first = create_dossier(services, "1.001193", UNIT)
    [job] = accept_upload(services, first.id, [("a.png", data)])
    [again] = accept_upload(services, first.id, [("a-rescan.png", data)])
    assert again.id == job.id
    second = create_dossier(services, "1.001193", UNIT)
    [linked] = accept_upload(services, second.id, [("b.png", data)])
    with services.session() as session:
        files = repo.get_dossier(session, second.id).files
        assert files[0].duplicate_of is not None and files[0].s3_key.find(first.code) > 0
    assert linked.id != job.id
    keys = services.store.list_keys(UNIT)
    assert [k for k in keys if second.code in k] == []  # nothing stored twice
    assert len([k for k in keys if first.code in k and "/originals/" in k]) == 1


def test_orphans_are_removed_after_the_grace_period(services: Services) -> None:
    dossier_id = ingest(services, [("chung-sinh.png", scan())])
    keep = {str(r["key"]) for r in integrity_json(services, dossier_id)}
    orphan = f"{UNIT}/2026/crash-left-this/documents/x.pdf"
    services.store.put(orphan, b"%PDF-1.4 half written", "application/pdf")
    assert cleanup(services, dt.timedelta(hours=1)).orphans == ()  # too young to judge
    dry = cleanup(services, dt.timedelta(0), dry_run=True)
    assert orphan in dry.orphans and dry.deleted == ()
    report = cleanup(services, dt.timedelta(0))
    assert orphan in report.deleted
    assert not services.store.exists(orphan)
    assert all(services.store.exists(key) for key in keep)


def test_job_waits_for_storage_and_completes_without_duplicates(
    tmp_path: Path, own_s3: EmbeddedS3
) -> None:
    services = build_services(make_settings(tmp_path, own_s3.config, ocr_dpi=150))
    dossier = create_dossier(services, "1.001193", UNIT)
    [job] = accept_upload(services, dossier.id, [("chung-sinh.png", scan())])
    own_s3.stop()  # S3 goes away after the upload was accepted
    with pytest.raises(Retry) as retry:
        run_job(job.id, services)
    assert retry.value.delay > 0
    with services.session() as session:
        assert repo.get_job(session, job.id).status == "retrying"
    own_s3.start()
    with pytest.raises(Retry):  # a second failure waits longer
        own_s3.stop()
        run_job(job.id, services)
    own_s3.start()
    run_job(job.id, services)
    run_job(job.id, services)  # a duplicate delivery changes nothing
    with services.session() as session:
        finished = repo.get_job(session, job.id)
        assert (finished.status, finished.attempts) == ("done", 3)
        assert len(repo.get_dossier(session, dossier.id).documents) == 1
    keys = services.store.list_keys(UNIT)
    assert len([k for k in keys if k.endswith(".pdf") and "/documents/" in k]) == 1
    services.db.dispose()
