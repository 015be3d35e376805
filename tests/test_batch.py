"""A back-scanning batch through the real pipeline: cover sheets, separators, blank backs."""

from __future__ import annotations

from PIL import Image

from api.orchestrator import run_job
from api.services import Services
from api.usecases import accept_upload, create_dossier, dossier_json
from ingest.separators import render_cover_sheet, render_separator_sheet
from storage import repository as repo
from tests.synthetic import (
    BIRTH_CERTIFICATE,
    BIRTH_FORM,
    BIRTH_FORM_CONTINUED,
    DEATH_FORM,
    render_page,
    to_pdf,
)

DPI = 200


def blank() -> Image.Image:
    """The empty back of a duplex sheet."""
    return Image.new("RGB", render_page(BIRTH_FORM, dpi=DPI).size, "white")


def test_batch_is_split_into_dossiers_and_documents(services: Services) -> None:
    first = create_dossier(services, "1.001193", "000.00.15.H05")
    second = create_dossier(services, "1.000656", "000.00.15.H05")
    skewed = render_page(BIRTH_CERTIFICATE, dpi=DPI).rotate(2.5, expand=False, fillcolor="white")
    pages = [
        render_cover_sheet(first.code, dpi=DPI),
        render_page(BIRTH_FORM, dpi=DPI), render_page(BIRTH_FORM_CONTINUED, dpi=DPI),
        render_separator_sheet(dpi=DPI), blank(),
        skewed,
        render_cover_sheet(second.code, dpi=DPI),
        render_page(DEATH_FORM, dpi=DPI),
    ]
    [job] = accept_upload(services, first.id, [("lo-quet.pdf", to_pdf(pages, dpi=DPI))])
    run_job(job.id, services)
    with services.session() as session:
        done = repo.get_job(session, job.id)
        assert done.status == "done", done.error_message
        assert done.summary["cover_pages"] == [0, 6]
        assert done.summary["separator_pages"] == [3]
        assert done.summary["blank_pages"] == [4]
        one = dossier_json(repo.get_dossier(session, first.id), services.catalogue)
        two = dossier_json(repo.get_dossier(session, second.id), services.catalogue)
    assert [(d["doc_type"], d["pages"]) for d in one["documents"]] == [
        ("to_khai_dang_ky_khai_sinh", [1, 2]), ("giay_chung_sinh", [5])]
    assert [(d["doc_type"], d["pages"]) for d in two["documents"]] == [
        ("to_khai_dang_ky_khai_tu", [7])]
    certificate = one["documents"][1]["page_info"][0]
    assert certificate["rotation"] == 0 and abs(certificate["skew_degrees"]) > 1.5
    states = {c["component_id"]: c["state"] for c in two["completeness"]["components"]}
    assert states["to_khai"] == "satisfied"
