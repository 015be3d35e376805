"""End to end through the HTTP API: real SeaweedFS, SQLite, Huey consumer and Tesseract."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import time
import unicodedata
from collections.abc import Iterator
from typing import Any

import pdfplumber
import pytest
from flask.testing import FlaskClient

from api.app import create_app
from api.services import Services, build_services
from api.settings import Settings
from api.worker import make_queue
from storage.s3 import S3Config
from tests.conftest import authorize, make_settings
from tests.synthetic import (
    BIRTH_CERTIFICATE,
    BIRTH_FORM,
    BIRTH_FORM_CONTINUED,
    render_page,
    to_pdf,
    to_png,
)

UNIT = "000.00.15.H05"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, s3_server: S3Config
          ) -> Iterator[tuple[FlaskClient, Services]]:
    settings = make_settings(tmp_path_factory.mktemp("api"), s3_server, ocr_dpi=300,
                             max_upload_mb=2)
    services = build_services(settings)
    queue = make_queue(settings, lambda: services)
    consumer = queue.huey.create_consumer(workers=1, worker_type="thread")
    consumer._set_signal_handlers = lambda: None  # type: ignore[method-assign]  # not main
    consumer.start()
    yield authorize(create_app(services, queue).test_client(), services), services
    consumer.stop(graceful=True)
    services.db.dispose()


def create_dossier(client: FlaskClient, code: str = "1.001193") -> dict[str, Any]:
    response = client.post("/api/dossiers", json={"procedure_code": code, "unit": UNIT})
    assert response.status_code == 201, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def wait_for_job(client: FlaskClient, job_id: str, timeout: float = 180) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").get_json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not finish")


def test_dossier_creation_returns_code_and_checklist(stack: tuple[FlaskClient, Services]) -> None:
    client, _ = stack
    body = create_dossier(client)
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).strftime("%y%m%d")
    assert re.fullmatch(rf"000\.00\.15\.H05-{today}-\d{{4}}", body["code"])
    ids = [c["component_id"] for c in body["components"]]
    assert {"to_khai", "giay_chung_sinh", "giay_to_tuy_than"} <= set(ids)
    assert body["completeness"]["verdict"] == "incomplete"
    received = dt.datetime.fromisoformat(body["received_at"])
    assert received.utcoffset() == dt.timedelta(hours=7)  # shown in Vietnam time
    again = client.get(f"/api/dossiers/{body['id']}").get_json()
    assert dt.datetime.fromisoformat(again["received_at"]) == received  # read back intact


def test_scan_is_read_classified_checked_and_archived(stack: tuple[FlaskClient, Services]) -> None:
    client, services = stack
    dossier = create_dossier(client)
    pages = [render_page(spec, dpi=300) for spec in (BIRTH_FORM, BIRTH_FORM_CONTINUED,
                                                      BIRTH_CERTIFICATE)]
    scan = to_pdf(pages, dpi=300)
    response = client.post(f"/api/dossiers/{dossier['id']}/files",
                           data={"file": (io.BytesIO(scan), "ho-so-khai-sinh.pdf")})
    assert response.status_code == 202, response.get_data(as_text=True)
    job = wait_for_job(client, response.get_json()["job_id"])
    assert job["status"] == "done", job
    assert job["progress"] == {"pages_done": 3, "pages_total": 3}

    body = client.get(f"/api/dossiers/{dossier['id']}").get_json()
    documents = body["documents"]
    assert [(d["doc_type"], d["pages"]) for d in documents] == [
        ("to_khai_dang_ky_khai_sinh", [0, 1]), ("giay_chung_sinh", [2])]
    assert all(d["pdfa"] for d in documents)  # archived as PDF/A-2b
    assert [p["status"] for p in documents[0]["page_info"]] == ["ok", "ok"]
    assert documents[0]["fields"]["ho_ten"]["value"] == "Nguyễn Thị Lan"
    assert body["jobs"][0]["summary"]["blank_pages"] == []
    states = {c["component_id"]: c["state"] for c in body["completeness"]["components"]}
    assert states["to_khai"] == "satisfied" and states["giay_chung_sinh"] == "satisfied"
    assert states["giay_to_tuy_than"] == "missing"  # the ID card was not shown yet
    assert body["completeness"]["verdict"] == "incomplete"
    assert body["jobs"][0]["status"] == "done"

    pdf = client.get(documents[0]["file_url"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert hashlib.sha256(pdf.data).hexdigest() == documents[0]["pdf_sha256"]
    with pdfplumber.open(io.BytesIO(pdf.data)) as archived:
        assert len(archived.pages) == 2
        assert "KHAI SINH" in (archived.pages[0].extract_text() or "")
    check_archive(services, body["code"], expected_documents=2)


def check_archive(services: Services, code: str, expected_documents: int) -> None:
    store = services.store
    [manifest_key] = [k for k in store.list_keys(UNIT) if code in k and k.endswith("manifest.json")]
    manifest = json.loads(store.get(manifest_key))
    assert manifest["dossier_code"] == code
    roles = [o["role"] for o in manifest["objects"]]
    assert roles.count("original") == 1 and roles.count("document_pdf") == expected_documents
    for entry in manifest["objects"]:
        data = store.get(entry["key"])
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["key"]
        assert len(data) == entry["size"]
    texts = [o["key"] for o in manifest["objects"] if o["role"] == "document_text"]
    first_text = store.get(sorted(texts)[0]).decode()
    assert "Nguyễn Thị Lan" in first_text and "Tờ khai".upper() in first_text.upper()


@pytest.mark.parametrize(("payload", "filename", "status", "code"), [
    (b"PK\x03\x04zip archive, not a scan", "scan.pdf", 415, "unsupported_media_type"),
    (b"", "empty.pdf", 422, "empty_file"),
    (b"%PDF-1.4\n%garbage that is not a PDF", "broken.pdf", 422, "corrupt_file"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "broken.png", 422, "corrupt_file"),
    (b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024 + 10), "big.pdf", 413, "file_too_large"),
])
def test_bad_uploads_are_refused_and_leave_nothing(
    stack: tuple[FlaskClient, Services], payload: bytes, filename: str, status: int, code: str
) -> None:
    client, services = stack
    dossier = create_dossier(client)
    good = to_png(render_page(BIRTH_FORM, dpi=72), dpi=72)
    response = client.post(f"/api/dossiers/{dossier['id']}/files", data={
        "file": [(io.BytesIO(good), "good.png"), (io.BytesIO(payload), filename)]})
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["code"] == code and problem["message_vi"] and problem["message_en"]
    after = client.get(f"/api/dossiers/{dossier['id']}").get_json()
    assert after["jobs"] == [] and after["documents"] == []
    assert [k for k in services.store.list_keys(UNIT) if dossier["code"] in k] == []


def test_request_errors_are_problem_json(stack: tuple[FlaskClient, Services]) -> None:
    client, _ = stack
    unknown = client.post("/api/dossiers", json={"procedure_code": "9.999999"})
    assert unknown.status_code == 404 and unknown.get_json()["code"] == "unknown_procedure"
    assert "Không có thủ tục" in unknown.get_json()["message_vi"]
    bad_unit = client.post("/api/dossiers", json={"procedure_code": "1.001193", "unit": "x"})
    assert bad_unit.status_code == 400 and bad_unit.get_json()["code"] == "invalid_unit"
    no_body = client.post("/api/dossiers", data="not json")
    assert no_body.status_code == 400
    missing = client.get("/api/dossiers/does-not-exist")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert client.get("/api/jobs/nope").status_code == 404
    assert client.get("/api/documents/nope/file").status_code == 404


def test_health_and_readiness(stack: tuple[FlaskClient, Services]) -> None:
    client, _ = stack
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.get_json()
    assert set(ready.get_json()["checks"]) == {"database", "s3", "tesseract", "catalogue"}


def test_settings_are_read_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOHOA_PORT", "8123")
    monkeypatch.setenv("SOHOA_S3_ENDPOINT", "minio.example:9000")
    settings = Settings()
    assert settings.port == 8123 and not settings.uses_embedded_s3
    monkeypatch.setenv("SOHOA_PORT", "not-a-port")
    with pytest.raises(ValueError):
        Settings()


def test_answers_recompute_the_report_in_the_same_response(
    stack: tuple[FlaskClient, Services]
) -> None:
    client, _ = stack
    dossier = create_dossier(client)
    before = {c["component_id"]: c["state"] for c in dossier["completeness"]["components"]}
    assert before["van_ban_uy_quyen"] == "not_applicable"
    response = client.put(f"/api/dossiers/{dossier['id']}/answers",
                          json={"uy_quyen": True, "xuat_trinh_giay_to_tuy_than": "có"})
    assert response.status_code == 200, response.get_json()
    after = {c["component_id"]: c for c in response.get_json()["completeness"]["components"]}
    assert after["van_ban_uy_quyen"]["state"] == "missing"
    assert after["giay_to_tuy_than"]["state"] == "shown"
    assert client.get(f"/api/dossiers/{dossier['id']}/completeness").get_json() == \
        response.get_json()["completeness"]
    unknown = client.put(f"/api/dossiers/{dossier['id']}/answers", json={"khong_co": True})
    assert unknown.status_code == 400 and "khong_co" in unknown.get_json()["message_vi"]
    bad_value = client.put(f"/api/dossiers/{dossier['id']}/answers", json={"uy_quyen": "maybe"})
    assert bad_value.status_code == 400 and bad_value.get_json()["code"] == "invalid_answer"


def test_one_stop_forms_are_printed_from_the_report(stack: tuple[FlaskClient, Services]) -> None:
    client, _ = stack
    dossier = create_dossier(client)
    receipt = client.get(f"/api/dossiers/{dossier['id']}/forms/01.pdf")
    assert receipt.status_code == 200 and receipt.mimetype == "application/pdf"
    with pdfplumber.open(io.BytesIO(receipt.data)) as pdf:
        text = unicodedata.normalize("NFC", pdf.pages[0].extract_text() or "")
    assert dossier["code"] in text and "HẸN TRẢ KẾT QUẢ" in text
    supplement = client.get(f"/api/dossiers/{dossier['id']}/forms/02.pdf")
    with pdfplumber.open(io.BytesIO(supplement.data)) as pdf:
        text = unicodedata.normalize("NFC", "".join(p.extract_text() or "" for p in pdf.pages))
    assert "YÊU CẦU BỔ SUNG" in text and "Tờ khai đăng ký khai sinh" in text
    refusal = client.get(f"/api/dossiers/{dossier['id']}/forms/03.pdf",
                         query_string={"reason": "Thủ tục không thuộc thẩm quyền của xã"})
    assert refusal.status_code == 200
    assert client.get(f"/api/dossiers/{dossier['id']}/forms/03.pdf").status_code == 400
    assert client.get(f"/api/dossiers/{dossier['id']}/forms/04.pdf").status_code == 404


def test_review_queue_and_correction_recompute_the_report(
    stack: tuple[FlaskClient, Services]
) -> None:
    client, services = stack
    dossier = create_dossier(client)
    untitled = render_page(BIRTH_FORM_CONTINUED, dpi=200)  # no title: the machine cannot tell
    response = client.post(f"/api/dossiers/{dossier['id']}/files", data={
        "file": (io.BytesIO(to_png(untitled, dpi=200)), "khong-ro.png")})
    assert wait_for_job(client, response.get_json()["job_id"])["status"] == "done"
    queue = client.get("/api/review", query_string={"unit": UNIT}).get_json()["items"]
    mine = [item for item in queue if item["dossier_id"] == dossier["id"]]
    # A continuation page: the model may guess the form, but not confidently enough to file it.
    assert len(mine) == 1 and mine[0]["confidence"] < 0.9, mine
    assert mine[0]["classifier_version"] == services.classifier.version
    assert services.classifier.version.startswith("rules-title-v2+doctype-")
    assert "cam đoan" in mine[0]["text"]
    assert client.get("/api/review", query_string={"unit": "000.00.99.H01"}
                      ).get_json()["items"] == []
    corrected = client.post(f"/api/documents/{mine[0]['document_id']}/correction",
                            json={"doc_type": "to_khai_dang_ky_khai_sinh",
                                  "fields": {"ho_ten": "Nguyễn Thị Lan"}})
    assert corrected.status_code == 200, corrected.get_json()
    body = corrected.get_json()
    states = {c["component_id"]: c["state"] for c in body["completeness"]["components"]}
    assert states["to_khai"] == "satisfied"  # the report came back with the correction
    assert body["fields"]["ho_ten"]["value"] == "Nguyễn Thị Lan"
    assert all(i["document_id"] != mine[0]["document_id"]
               for i in client.get("/api/review").get_json()["items"])
    bad = client.post(f"/api/documents/{mine[0]['document_id']}/correction",
                      json={"doc_type": "khong_co_loai_nay"})
    assert bad.status_code == 400 and bad.get_json()["code"] == "unknown_doc_type"
    from api.review import labelled_examples

    with services.session() as session:
        examples = labelled_examples(session)
    assert ("to_khai_dang_ky_khai_sinh" in {label for _, label in examples})


def test_procedure_search_with_or_without_diacritics(stack: tuple[FlaskClient, Services]) -> None:
    client, _ = stack
    for query in ("khai sinh", "Đăng ký khai sinh", "dang ky khai sinh", "1.001193"):
        codes = [p["code"] for p in
                 client.get("/api/procedures", query_string={"q": query}).get_json()["procedures"]]
        assert "1.001193" in codes, query
    assert "1.001193" not in [p["code"] for p in client.get(
        "/api/procedures", query_string={"q": "khai tử"}).get_json()["procedures"]]
    detail = client.get("/api/procedures/1.013225").get_json()
    assert detail["version"]["decision"] and any(c["min_count"] == 2
                                                 for c in detail["components"])
    assert client.get("/api/procedures/9.999999").status_code == 404


def test_search_finds_archived_text_with_or_without_diacritics(
    stack: tuple[FlaskClient, Services]
) -> None:
    client, _ = stack
    dossier = create_dossier(client)
    scan = to_png(render_page(BIRTH_CERTIFICATE, dpi=200), dpi=200)
    response = client.post(f"/api/dossiers/{dossier['id']}/files",
                           data={"file": (io.BytesIO(scan), "chung-sinh.png")})
    assert wait_for_job(client, response.get_json()["job_id"])["status"] == "done"
    for query in ("Trần Minh Khôi", "tran minh khoi", '"dự định đặt tên con"'):
        found = client.get("/api/search", query_string={"q": query,
                                                        "code": dossier["code"]}).get_json()
        assert found["total"] >= 1, query
        assert found["hits"][0]["dossier_code"] == dossier["code"]
        assert any(s["match"] for s in found["hits"][0]["snippet"])
    by_code = client.get("/api/search", query_string={"q": dossier["code"]}).get_json()
    assert by_code["hits"][0]["dossier_id"] == dossier["id"]
    bad = client.get("/api/search", query_string={"q": "x" * 600})
    assert bad.status_code == 400 and bad.get_json()["code"] == "invalid_query"
