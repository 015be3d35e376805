"""The counter's fast path: a provisional verdict from title zones, replaced by the full one."""

from __future__ import annotations

from api.fastpath import provisional_verdict, title_zone_text
from api.orchestrator import run_job
from api.services import Services
from api.usecases import accept_upload, create_dossier
from ingest.rasterize import PageImage
from ingest.sniff import MediaType
from storage import repository as repo
from tests.synthetic import BIRTH_CERTIFICATE, BIRTH_FORM, render_page, to_pdf


def test_title_zone_holds_the_title(services: Services) -> None:
    page = PageImage(index=0, image=render_page(BIRTH_FORM, dpi=200), dpi=200)
    text = title_zone_text(page, services.ocr)
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text


def test_provisional_report_then_final(services: Services) -> None:
    dossier = create_dossier(services, "1.001193", "000.00.15.H05")
    scan = to_pdf([render_page(BIRTH_FORM, dpi=200), render_page(BIRTH_CERTIFICATE, dpi=200)],
                  dpi=200)
    [job] = accept_upload(services, dossier.id, [("ho-so.pdf", scan)])
    provisional_verdict(services, job.id, _ref(services, dossier.id), scan, MediaType.PDF)
    with services.session() as session:
        report = repo.get_dossier(session, dossier.id).completeness or {}
        assert report["provisional"] is True
        states = {c["component_id"]: c["state"] for c in report["components"]}
        assert states["to_khai"] == states["giay_chung_sinh"] == "satisfied"
        assert repo.get_job(session, job.id).stage == "full_ocr"
    run_job(job.id, services)
    with services.session() as session:
        final = repo.get_dossier(session, dossier.id).completeness or {}
        assert "provisional" not in final
        assert {c["component_id"]: c["state"] for c in final["components"]}["to_khai"] == \
            "satisfied"


def _ref(services: Services, dossier_id: str):  # type: ignore[no-untyped-def]
    from api.archiving import dossier_ref

    with services.session() as session:
        return dossier_ref(repo.get_dossier(session, dossier_id))
