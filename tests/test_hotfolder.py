"""The scanner hot folder: wait for complete files, ingest them, move them with a reason."""

from __future__ import annotations

from pathlib import Path

from api.hotfolder import HotFolder, HotFolderConfig
from api.services import Services
from api.usecases import create_dossier
from ingest.separators import render_cover_sheet
from storage import repository as repo
from tests.synthetic import BIRTH_CERTIFICATE, render_page, to_pdf, to_png


def test_files_are_ingested_once_complete_and_moved(services: Services, tmp_path: Path) -> None:
    inbox = tmp_path / "scanner"
    inbox.mkdir()
    existing = create_dossier(services, "1.001193", "000.00.15.H05")
    folder = HotFolder(HotFolderConfig(inbox, "1.000656", "000.00.15.H05", settle_seconds=5),
                       services)
    batch = inbox / "lo-01.pdf"
    batch.write_bytes(to_pdf([render_cover_sheet(existing.code, dpi=200),
                              render_page(BIRTH_CERTIFICATE, dpi=200)], dpi=200))
    loose = inbox / "to-roi.png"
    loose.write_bytes(to_png(render_page(BIRTH_CERTIFICATE, dpi=200), dpi=200))
    (inbox / "dang-quet.pdf.part").write_bytes(b"%PDF-1.4 still being written")
    (inbox / "hong.pdf").write_bytes(b"%PDF-1.4 this scan is broken")

    assert folder.ready_files(now=100.0) == []  # just seen: maybe still being written
    with batch.open("ab") as growing:  # the scanner is still appending to this one
        growing.write(b"\n")
    ready = folder.ready_files(now=106.0)
    assert [p.name for p in ready] == ["hong.pdf", "to-roi.png"]
    for path in ready:
        folder.process(path)
    assert (inbox / "done" / "to-roi.png").exists()
    reason = (inbox / "failed" / "hong.pdf.reason.txt").read_text(encoding="utf-8")
    assert "corrupt_file" in reason and "không đọc được" in reason
    assert [p.name for p in folder.ready_files(now=112.0)] == ["lo-01.pdf"]
    folder.process(batch)
    assert (inbox / "done" / "lo-01.pdf").exists()
    assert (inbox / "dang-quet.pdf.part").exists()  # partial downloads are never taken
    with services.session() as session:
        filled = repo.get_dossier(session, existing.id)
        assert [d.doc_type for d in filled.documents] == ["giay_chung_sinh"]
