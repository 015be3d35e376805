"""AIP export, wipe, import, compare: the round trip an archive must survive."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import pdfplumber
import pytest

from api.archiving import archive_dossier
from api.orchestrator import run_job
from api.packages import DossierExists, export_aip, export_dip, import_aip
from api.services import Services, build_services
from api.usecases import accept_upload, create_dossier, dossier_json
from storage import repository as repo
from storage.eark import read_aip
from storage.events import events_of
from storage.s3 import S3Config
from tests.conftest import make_settings
from tests.synthetic import BIRTH_CERTIFICATE, BIRTH_FORM, render_page, to_pdf, to_png


def test_export_wipe_import_compare(services: Services, tmp_path: Path,
                                    s3_server: S3Config) -> None:
    dossier = create_dossier(services, "1.001193", "000.00.15.H05", actor="officer-a")
    files = [("to-khai.pdf", to_pdf([render_page(BIRTH_FORM, dpi=150)], dpi=150)),
             ("chung-sinh.png", to_png(render_page(BIRTH_CERTIFICATE, dpi=150), dpi=150))]
    for job in accept_upload(services, dossier.id, files, actor="officer-a"):
        run_job(job.id, services)
    archive_dossier(services, dossier.id, "officer-a", override_reason="Chưa xuất trình CCCD")
    aip = export_aip(services, dossier.code)
    with services.session() as session:  # each export is itself recorded
        assert [e.kind for e in events_of(session, dossier.id)][-1] == "exported"
    with zipfile.ZipFile(io.BytesIO(aip)) as archive:
        names = archive.namelist()
    assert any(n.endswith("/METS.xml") for n in names)
    assert sum(n.endswith(".pdf") and "/rep1/" in n for n in names) == 2

    # wipe: a new database and an empty bucket, as after losing the primary store
    fresh = build_services(make_settings(tmp_path / "restore", s3_server))
    restored_id = import_aip(fresh, aip, actor="archivist")
    with pytest.raises(DossierExists):
        import_aip(fresh, aip, actor="archivist")
    original = read_aip(aip)
    again = read_aip(export_aip(fresh, dossier.code))
    assert again.documents == original.documents
    assert again.originals == original.originals
    assert again.dossier.code == original.dossier.code
    assert again.dossier.received_at == original.dossier.received_at
    assert [e.kind for e in again.dossier.events][: len(original.dossier.events)] == [
        e.kind for e in original.dossier.events]
    with fresh.session() as session:
        restored = dossier_json(repo.get_dossier(session, restored_id), fresh.catalogue)
    assert restored["status"] == "archived"
    assert [d["doc_type"] for d in restored["documents"]] == [
        "to_khai_dang_ky_khai_sinh", "giay_chung_sinh"]
    fresh.db.dispose()


def test_reading_copy_carries_the_watermark(services: Services) -> None:
    dossier = create_dossier(services, "1.001193", "000.00.15.H05")
    [job] = accept_upload(services, dossier.id, [
        ("chung-sinh.png", to_png(render_page(BIRTH_CERTIFICATE, dpi=150), dpi=150))])
    run_job(job.id, services)
    dip = export_dip(services, dossier.code)
    with pdfplumber.open(io.BytesIO(dip)) as pdf:
        text = unicodedata.normalize("NFC", pdf.pages[0].extract_text() or "")
    assert "BẢN SAO" in text and services.settings.unit_name in text
