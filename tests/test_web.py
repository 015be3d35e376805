"""The officers' pages through the Flask test client: real S3, SQLite (and PostgreSQL for the
766 figures), real templates. OCR text, file names and field values are hostile here."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from api.app import create_app
from api.services import Services, build_services
from api.usecases import create_dossier, recompute_completeness, set_answers
from api.web import charts, register_web
from api.web.common import safe_next
from api.web.export import cell
from api.web.finder import search_engine_available
from api.worker import make_queue
from storage import auth as accounts
from storage import repository as repo
from storage.metrics import MetricsFilter, compute_metrics, score_share
from storage.s3 import S3Config
from storage.tables import ArchiveObject, Document
from tests.conftest import authorize, make_settings
from tests.synthetic import BIRTH_FORM, render_page, to_pdf

UNIT, OTHER_UNIT = "000.00.15.H05", "000.00.16.H05"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
HOSTILE_TEXT = 'TỜ KHAI <script>alert("ocr")</script> Nguyễn Thị Lan'
HOSTILE_FILE = '<img src=x onerror=alert(1)>.pdf'


@dataclass
class Seeded:
    dossier_id: str
    code: str
    document_id: str


def make_app(services: Services) -> Flask:
    app = create_app(services, make_queue(services.settings, lambda: services))
    register_web(app)
    return app


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, s3_server: S3Config
          ) -> Iterator[tuple[FlaskClient, Services]]:
    services = build_services(make_settings(tmp_path_factory.mktemp("web"), s3_server))
    yield authorize(make_app(services).test_client(), services), services
    services.db.dispose()


def add_document(services: Services, dossier_id: str, doc_type: str, *, text: str = "",
                 filename: str = "scan.pdf", needs_review: bool = False,
                 confidence: float = 0.97, fields: dict[str, Any] | None = None,
                 duplicate_of: str | None = None, pdf: bytes | None = None,
                 page_info: list[dict[str, Any]] | None = None) -> str:
    """A processed document as the pipeline leaves it: file, job, archived PDF, row."""
    pdf = pdf or to_pdf([render_page(BIRTH_FORM, dpi=60)], dpi=60)
    digest = hashlib.sha256(pdf).hexdigest()
    with services.session() as session:
        dossier = repo.get_dossier(session, dossier_id)
        key = f"{dossier.unit}/test/{dossier.code}/documents/{digest[:12]}.pdf"
        services.store.put(key, pdf, "application/pdf", {})
        session.add(ArchiveObject(key=key, dossier_id=dossier_id, role="document_pdf",
                                  sha256=digest, size=len(pdf), media_type="application/pdf"))
        job = repo.add_file_with_job(session, dossier, filename=filename,
                                     media_type="application/pdf", size=len(pdf), sha256=digest,
                                     page_count=1, s3_key=key, duplicate_of=duplicate_of)
        job.status, job.stage, job.pages_done = "done", "done", 1
        document = Document(
            id=repo.new_id(), dossier_id=dossier_id, job_id=job.id,
            ordinal=repo.reserve_ordinals(session, dossier_id, 1), doc_type=doc_type,
            doc_type_name=services.doctypes.name_of(doc_type), confidence=confidence,
            needs_review=needs_review, reason="Tiêu đề <b>khớp</b>", pages=[0], text=text,
            pdf_key=key, pdf_sha256=digest, text_key=key.replace(".pdf", ".txt"),
            page_info=page_info or [{"index": 0, "status": "ok", "rescan": True, "flags": [
                {"code": "blur", "message_vi": "Ảnh bị mờ <i>(rung tay)</i>",
                 "message_en": "blurred"}]}],
            fields=fields or {})
        session.add(document)
        session.flush()
        recompute_completeness(session, dossier, services.catalogue)
        return document.id


@pytest.fixture(scope="module")
def seeded(stack: tuple[FlaskClient, Services]) -> Seeded:
    _, services = stack
    dossier = create_dossier(services, "1.001193", UNIT)
    document_id = add_document(
        services, dossier.id, "other", text=HOSTILE_TEXT, filename=HOSTILE_FILE,
        needs_review=True, confidence=0.41,
        fields={"ho_ten": {"value": '"><script>alert(2)</script>', "confidence": 0.5}})
    index(services, dossier.id)
    return Seeded(dossier.id, dossier.code, document_id)


def index(services: Services, dossier_id: str) -> None:
    """Index the dossier for search, as the application does where dossiers change."""
    if not search_engine_available():
        return
    from storage.search import index_dossier

    with services.session() as session:
        index_dossier(session, dossier_id)


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:500])
    assert response.mimetype == "text/html"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    body = response.get_data(as_text=True)
    assert '<html lang="vi">' in body
    return body


def assert_no_raw_markup(body: str) -> None:
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "<i>(rung tay)</i>" not in body and "<b>khớp</b>" not in body


def test_every_page_renders_in_vietnamese(stack: tuple[FlaskClient, Services],
                                          seeded: Seeded) -> None:
    client, _ = stack
    assert client.get("/").headers["Location"].endswith("/tiep-nhan")
    expectations = {
        "/tiep-nhan": "Tiếp nhận hồ sơ",
        "/tiep-nhan?q=khai+sinh": "Thủ tục đăng ký khai sinh",
        "/tiep-nhan?q=KHAI+SINH+khong+dau": "Không có thủ tục nào khớp",
        "/tiep-nhan?thu_tuc=1.001193": "Tạo hồ sơ và nhận bản quét",
        f"/tiep-nhan/ho-so/{seeded.dossier_id}": "Giấy tờ đã nhận",
        "/ra-soat": "Rà soát giấy tờ máy chưa chắc chắn",
        f"/ra-soat/{seeded.document_id}": "Phím tắt",
        "/tra-cuu": "Tra cứu hồ sơ",
        f"/tra-cuu/ho-so/{seeded.dossier_id}": "Toàn vẹn lưu trữ",
        f"/tra-cuu/giay-to/{seeded.document_id}": "Chữ máy đọc được (OCR)",
        "/bang-dieu-khien": "Bảng điều khiển Bộ chỉ số 766",
        "/dang-nhap": "Đăng nhập",
    }
    for url, text in expectations.items():
        body = page(client, url)
        assert text in body, url
        assert_no_raw_markup(body)
    without_marks = page(client, "/tiep-nhan?q=dang+ky+khai+sinh")
    assert "1.001193" in without_marks  # typed without diacritics
    fragment = client.get("/tiep-nhan/thu-tuc/1.001193").get_data(as_text=True)
    assert "Giấy chứng sinh" in fragment and "<html" not in fragment


def test_hostile_text_is_escaped_everywhere(stack: tuple[FlaskClient, Services],
                                            seeded: Seeded) -> None:
    client, _ = stack
    review = page(client, f"/ra-soat/{seeded.document_id}")
    assert "TỜ KHAI &lt;script&gt;alert(&#34;ocr&#34;)&lt;/script&gt; Nguyễn Thị Lan" in review
    assert 'value="&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in review
    counter = page(client, f"/tiep-nhan/ho-so/{seeded.dossier_id}")
    assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in counter
    assert "Nên quét lại trang 1:" in counter and "&lt;i&gt;(rung tay)&lt;/i&gt;" in counter
    panel = client.get(f"/tiep-nhan/ho-so/{seeded.dossier_id}/khung").get_data(as_text=True)
    assert_no_raw_markup(panel)
    assert "Cần cán bộ xác nhận" in panel
    assert_no_raw_markup(page(client, f"/tra-cuu/giay-to/{seeded.document_id}"))


def test_numbers_read_from_handwriting_are_pointed_out_for_checking(
    stack: tuple[FlaskClient, Services]
) -> None:
    client, services = stack
    dossier = create_dossier(services, "1.001193", UNIT)
    fill_ins = [{"field": "so", "original": "2d", "value": "2191", "confidence": 0.96,
                 "box": [354, 272, 69, 39], "reader": "rapidocr-onnxruntime 1.4.4 PP-OCRv4"},
                {"field": "thang", "original": "2#", "value": "4", "confidence": 0.93,
                 "box": [1184, 271, 17, 48], "reader": "rapidocr-onnxruntime 1.4.4 PP-OCRv4"}]
    document_id = add_document(services, dossier.id, "cong_van", needs_review=True, page_info=[
        {"index": 0, "status": "ok"}, {"index": 1, "status": "ok", "fill_ins": fill_ins}])
    expected = "Trang 2 có chữ số viết tay, máy đọc là:</strong> số 2191, tháng 4."
    assert expected in page(client, f"/ra-soat/{document_id}")
    panel = client.get(f"/tiep-nhan/ho-so/{dossier.id}/khung").get_data(as_text=True)
    assert expected in panel and "Trang 1 có chữ số viết tay" not in panel


def test_counter_form_creates_a_dossier_or_says_what_is_wrong(
    stack: tuple[FlaskClient, Services]
) -> None:
    client, _ = stack
    created = client.post("/tiep-nhan", data={"procedure_code": "1.001193", "unit": UNIT,
                                              "channel": "truc_tiep"})
    assert created.status_code == 303
    body = page(client, created.headers["Location"])
    assert "Thủ tục đăng ký khai sinh" in body and "Chưa đầy đủ" in body
    assert "Lý do lưu trữ khi hồ sơ chưa đầy đủ" in body
    no_procedure = client.post("/tiep-nhan", data={"unit": UNIT})
    assert no_procedure.status_code == 400
    assert "Hãy chọn thủ tục trước khi tạo hồ sơ." in no_procedure.get_data(as_text=True)
    bad_unit = client.post("/tiep-nhan", data={"procedure_code": "1.001193", "unit": "<x>"})
    assert bad_unit.status_code == 400
    text = bad_unit.get_data(as_text=True)
    assert "Mã định danh đơn vị không hợp lệ" in text and "<x>" not in text
    unknown = client.post("/tiep-nhan", data={"procedure_code": "9.999999", "unit": UNIT})
    assert unknown.status_code == 400 and "Không có thủ tục" in unknown.get_data(as_text=True)


def test_missing_things_are_html_pages_not_json(stack: tuple[FlaskClient, Services]) -> None:
    client, _ = stack
    missing = page(client, "/tiep-nhan/ho-so/khong-co", 404)
    assert "Không tìm thấy hồ sơ khong-co." in missing
    assert "Không tìm thấy" in page(client, "/tra-cuu/giay-to/khong-co", 404)
    bad_date = client.get("/tra-cuu?from=31-12-2026")
    assert bad_date.status_code == 400 and "Ngày không hợp lệ" in bad_date.get_data(as_text=True)
    bad_month = client.get("/bang-dieu-khien?from=tháng")
    assert bad_month.status_code == 400
    assert "Tháng không hợp lệ" in bad_month.get_data(as_text=True)
    assert client.get("/api/metrics/766?to=x").status_code == 400


def test_page_images_come_from_the_archived_pdf(stack: tuple[FlaskClient, Services],
                                                seeded: Seeded) -> None:
    client, services = stack
    response = client.get(f"/api/documents/{seeded.document_id}/pages/1.jpg?width=250")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(response.data)).width == 240  # nearest fixed width
    assert client.get(f"/api/documents/{seeded.document_id}/pages/2.jpg").status_code == 404
    with services.session() as session:
        key = repo.get_document(session, seeded.document_id).pdf_key
        stored = session.get(ArchiveObject, key)
        assert stored is not None
        stored.fixity_status = "altered"
        stored.fixity_checked_at = dt.datetime.now(dt.UTC)
    try:
        refused = client.get(f"/api/documents/{seeded.document_id}/pages/1.jpg?width=900")
        assert refused.status_code == 409 and "không còn nguyên vẹn" in refused.get_json()[
            "message_vi"]
        desk = page(client, f"/tra-cuu/ho-so/{seeded.dossier_id}")
        assert 'data-integrity="bad"' in desk and "Mã băm SHA-256 không khớp" in desk
    finally:
        with services.session() as session:
            restored = session.get(ArchiveObject, key)
            assert restored is not None
            restored.fixity_status = "unchecked"


def test_review_queue_lists_uncertain_documents_with_shortcuts(
    stack: tuple[FlaskClient, Services], seeded: Seeded
) -> None:
    client, _ = stack
    queue = page(client, "/ra-soat")
    assert seeded.code in queue and f'data-queue-item="{seeded.document_id}"' in queue
    item = page(client, f"/ra-soat/{seeded.document_id}")
    for key in ("<kbd>A</kbd>", "<kbd>T</kbd>", "<kbd>F</kbd>", "<kbd>N</kbd>"):
        assert key in item
    assert re.search(r'<label for="doc-type">Loại giấy tờ', item)
    assert 'label for="field-ho_ten">Họ và tên' in item


def test_desk_search_filters_and_counts_facets(stack: tuple[FlaskClient, Services],
                                               seeded: Seeded) -> None:
    client, services = stack
    other = create_dossier(services, "1.000656", OTHER_UNIT)
    index(services, other.id)
    by_code = page(client, f"/tra-cuu?q={seeded.code}")
    assert f'data-hit="{seeded.dossier_id}"' in by_code and other.code not in by_code
    by_unit = page(client, f"/tra-cuu?unit={OTHER_UNIT}")
    assert other.code in by_unit and 'data-total="1"' in by_unit
    year = dt.datetime.now(VIETNAM).year
    everything = page(client, f"/tra-cuu?from={year}-01-01")
    assert f'href="?from={year}-01-01&amp;unit={UNIT}"' in everything
    assert "Đang xử lý" in everything and "Loại giấy tờ" in everything
    if search_engine_available():  # full text, without diacritics, snippets escaped
        by_text = page(client, "/tra-cuu?q=nguyen+thi+lan")
        assert f'data-hit="{seeded.dossier_id}"' in by_text and "<mark>" in by_text
        assert_no_raw_markup(by_text)
    else:  # the interim filter: procedure names with or without diacritics
        by_name = page(client, "/tra-cuu?q=khai+tu")
        assert other.code in by_name and seeded.code not in by_name


def test_metrics_on_a_small_fixture(services: Services) -> None:
    """Six dossiers in two months on SQLite and PostgreSQL; every figure checked by hand."""
    def received(day: int, month: int, hour: int = 9) -> dt.datetime:
        return dt.datetime(2026, month, day, hour, 0, tzinfo=VIETNAM)

    birth = [create_dossier(services, "1.001193", UNIT, received_at=received(d, 1))
             for d in (5, 6, 7)]
    february = create_dossier(services, "1.001193", UNIT, received_at=received(2, 2))
    create_dossier(services, "1.001193", OTHER_UNIT, received_at=received(3, 2))
    late_intake = create_dossier(services, "1.001193", UNIT, received_at=received(9, 1, 16))
    first = add_document(services, birth[0].id, "to_khai_dang_ky_khai_sinh")
    add_document(services, birth[1].id, "to_khai_dang_ky_khai_sinh", needs_review=True,
                 confidence=0.5)  # uncertain, but attached to its component: digitized
    add_document(services, february.id, "other", duplicate_of=first)  # no component
    set_answers(services, birth[2].id, {"tra_cuu_giay_chung_sinh": True})  # waived: reuse
    with services.session() as session:
        archive = {birth[0].id: received(5, 1, 10), birth[1].id: received(7, 1, 10),
                   late_intake.id: received(12, 1, 10)}
        for dossier_id, when in archive.items():
            dossier = repo.get_dossier(session, dossier_id)
            dossier.status, dossier.archived_at = "archived", when
    as_of = dt.datetime(2026, 3, 1, tzinfo=VIETNAM)
    with services.session() as session:
        report = compute_metrics(session, services.catalogue, MetricsFilter(as_of=as_of))
        unit_only = compute_metrics(session, services.catalogue,
                                    MetricsFilter(units=[UNIT], month_from=dt.date(2026, 1, 1),
                                                  month_to=dt.date(2026, 1, 31), as_of=as_of))
    total = report.total
    assert (total.received, total.digitized, total.paper_result) == (6, 2, 6)
    assert (total.reused, total.reused_lookup, total.reused_duplicate) == (2, 1, 1)
    # Same-day procedure: 5/1 archived 5/1 on time; 6/1 archived 7/1 late; received 9/1 after
    # 15:00 → due 12/1 (Monday), archived 12/1 on time; the open ones are late at the as-of.
    assert (total.finished, total.on_time, total.late) == (3, 2, 4)
    assert total.waiting_supplement == 3
    assert total.digitized_rate == pytest.approx(2 / 6)
    assert total.digitized_score_share == pytest.approx((2 / 6) / 0.8)
    assert list(report.by_month) == ["2026-01", "2026-02"]
    assert report.by_month["2026-02"].received == 2 and report.by_unit[OTHER_UNIT].received == 1
    assert [(r.unit, r.month, r.counts.received) for r in report.rows] == [
        (UNIT, "2026-01", 4), (UNIT, "2026-02", 1), (OTHER_UNIT, "2026-02", 1)]
    assert unit_only.total.received == 4 and unit_only.total.reused == 1
    assert score_share(0.9) == 1.0 and score_share(0.4) == pytest.approx(0.5)
    assert score_share(None) is None


def test_dashboard_exports_and_api_agree(stack: tuple[FlaskClient, Services],
                                         seeded: Seeded) -> None:
    client, _ = stack
    figures = client.get(f"/api/metrics/766?unit={UNIT}").get_json()
    assert set(figures["queue"]) >= {"queued", "running", "retrying", "done", "failed"}
    assert figures["result_tracking"] == "not_tracked"
    total = figures["total"]
    dashboard = page(client, f"/bang-dieu-khien?unit={UNIT}")
    assert f'data-metric="received">{total["received"]}<' in dashboard
    assert 'data-metric="result_tracking">chưa theo dõi<' in dashboard
    assert dashboard.count("<svg") == 3 and "<title" in dashboard
    raw = client.get(f"/api/metrics/766.csv?unit={UNIT}")
    assert raw.mimetype == "text/csv" and raw.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Đơn vị", "Mã thủ tục", "Tên thủ tục", "Tháng"]
    assert rows[-1][0] == "Tổng cộng" and int(rows[-1][4]) == total["received"]
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/api/metrics/766.xlsx?unit={UNIT}")
                                             .data))
    sheet = book["Chỉ số 766"]
    last = list(sheet.iter_rows(values_only=True))[-1]
    assert last[0] == "Tổng cộng" and last[4] == total["received"]
    assert "Định nghĩa" in book.sheetnames


def test_sign_in_returns_only_to_this_site() -> None:
    assert safe_next("/tra-cuu?q=1") == "/tra-cuu?q=1"
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example", "tra-cuu", None):
        assert safe_next(target) == "/"


def test_chart_and_export_cells_are_inert() -> None:
    svg = charts.rate_bars([('<script>alert("u")</script>', 0.5)], "Tỷ lệ <b>4.2</b>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;b&gt;" in svg
    bars = charts.grouped_bars(["2026-01"], [charts.Series("A&B", [3], "bar-a")], "T")
    assert "A&amp;B" in bars and 'role="img"' in bars
    assert cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and cell("000.00.15.H05") == "000.00.15.H05"


def test_pages_under_sign_in_check_role_unit_and_csrf(tmp_path_factory: pytest.TempPathFactory,
                                                       s3_server: S3Config) -> None:
    services = build_services(make_settings(tmp_path_factory.mktemp("web-auth"), s3_server))
    app = make_app(services)
    with services.session() as session:
        accounts.add_user(session, "can.bo", "mat-khau-dai-1", "intake", [UNIT],
                          accounts.PasswordHashing())
    mine = create_dossier(services, "1.001193", UNIT)
    theirs = create_dossier(services, "1.001193", OTHER_UNIT)
    client = app.test_client()
    for url in ("/", f"/tiep-nhan/ho-so/{mine.id}"):  # the sign-in form, back here after
        form = page(client, url, 401)
        assert "Cần đăng nhập để xem trang này." in form and f'data-next="{url}"' in form
        assert mine.code not in form
    assert "Tên đăng nhập" in page(client, "/dang-nhap")
    login = client.post("/api/auth/login", json={"username": "can.bo",
                                                 "password": "mat-khau-dai-1"})
    assert login.status_code == 200, login.get_data(as_text=True)
    token = login.get_json()["csrf_token"]
    assert client.get("/").headers["Location"] == "/tiep-nhan"  # the intake officer's screen
    assert mine.code in page(client, f"/tiep-nhan/ho-so/{mine.id}")
    start = page(client, "/tiep-nhan")
    assert f'<meta name="csrf-token" content="{token}">' in start and "can.bo" in start
    assert "Bảng điều khiển 766" not in start  # not in the menu of an intake officer
    assert "Không tìm thấy" in page(client, f"/tiep-nhan/ho-so/{theirs.id}", 404)
    assert "Không có quyền" in page(client, "/bang-dieu-khien", 403)
    form = {"procedure_code": "1.001193", "unit": UNIT}
    refused = client.post("/tiep-nhan", data=form)  # no CSRF token
    assert refused.status_code == 403 and "CSRF" in refused.get_data(as_text=True)
    assert client.post("/tiep-nhan", data={**form, "csrf_token": token}).status_code == 303
    other_unit = client.post("/tiep-nhan", data={**form, "unit": OTHER_UNIT, "csrf_token": token})
    assert other_unit.status_code == 400
    assert "Bạn không thuộc đơn vị này." in other_unit.get_data(as_text=True)
    services.db.dispose()
