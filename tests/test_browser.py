"""The officers' pages in a real browser: Debian's Chromium driven by Playwright for Python.

The real app (S3, SQLite, Huey consumer thread, Tesseract) is served by waitress on a free port.
One test walks the counter, a correction, the review queue, the auditor's desk and the 766
dashboard, in that order, saving a screenshot of each screen under ``test-artifacts/``, checking
that every control has an accessible name and that Tab reaches the main controls.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from api.app import create_app
from api.services import Services, build_services
from api.web import register_web
from api.web.labels import number, percent
from api.worker import make_queue
from storage.s3 import S3Config
from tests.conftest import free_port_block, make_settings
from tests.synthetic import (
    BIRTH_CERTIFICATE,
    BIRTH_FORM,
    BIRTH_FORM_CONTINUED,
    render_page,
    to_pdf,
    to_png,
)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
DESK, TABLET = {"width": 1366, "height": 768}, {"width": 768, "height": 1024}
ADMIN = ("quan.tri", "mat-khau-rat-dai-1")

playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is missing: apt-get install chromium", allow_module_level=True)
Page = Any  # playwright.sync_api.Page

UNNAMED_CONTROLS = """() => {
  const text = (id) => (document.getElementById(id) || {}).textContent || "";
  const name = (el) => {
    const by = el.getAttribute("aria-labelledby");
    const labels = el.labels ? Array.from(el.labels).map((l) => l.textContent) : [];
    const own = ["BUTTON", "A"].includes(el.tagName)
      ? el.textContent || (el.querySelector("img") || {}).alt || "" : "";
    return (el.getAttribute("aria-label") || (by ? by.split(/\\s+/).map(text).join(" ") : "")
      || labels.join(" ") || own || el.getAttribute("title") || "").trim();
  };
  const missing = [];
  const controls = "input:not([type=hidden]), select, textarea, button, a[href]";
  document.querySelectorAll(controls).forEach((el) => {
    if (!el.closest("[hidden]") && !name(el)) missing.push(el.outerHTML.slice(0, 160));
  });
  document.querySelectorAll("img:not([alt]), svg:not([role])")
    .forEach((el) => missing.push(el.outerHTML.slice(0, 160)));
  return missing;
}"""
DROP_FILE = """([name, type, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type }));
  const zone = document.querySelector("[data-dropzone]");
  for (const kind of ["dragenter", "dragover", "drop"]) {
    const options = { dataTransfer: transfer, bubbles: true, cancelable: true };
    zone.dispatchEvent(new DragEvent(kind, options));
  }
}"""


class LiveServer:
    """The app under waitress in a thread, with a Huey consumer thread doing the work."""

    def __init__(self, app: Flask, services: Services) -> None:
        from waitress.server import create_server

        self.services = services
        self.server = create_server(app, host="127.0.0.1", port=free_port_block(1), threads=6)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"  # type: ignore[union-attr]
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.close()
        self.server.task_dispatcher.shutdown()  # type: ignore[union-attr]
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, s3_server: S3Config) -> Iterator[LiveServer]:
    services = build_services(make_settings(tmp_path_factory.mktemp("browser"), s3_server))
    queue = make_queue(services.settings, lambda: services)
    consumer = queue.huey.create_consumer(workers=services.settings.worker_threads,
                                          worker_type="thread")  # as `sohoa serve` does
    consumer._set_signal_handlers = lambda: None  # type: ignore[method-assign]  # not main
    consumer.start()
    app = create_app(services, queue)
    register_web(app)
    if "sohoa_auth" in app.extensions:  # sign-in installed: an administrator for the walk
        from storage.auth import PasswordHashing, add_user

        with services.session() as session:
            add_user(session, ADMIN[0], ADMIN[1], "admin", ["*"], PasswordHashing())
    with LiveServer(app, services) as server:
        yield server
    consumer.stop(graceful=True)
    services.db.dispose()


@pytest.fixture(scope="module")
def browser(live: LiveServer) -> Iterator[Any]:
    with playwright_api.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def check_page(page: Page, name: str) -> None:
    """Screenshot, every control named, nothing wider than the window."""
    shoot(page, name)
    assert page.evaluate(UNNAMED_CONTROLS) == [], name
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name


def tab_reaches(page: Page, selectors: list[str], presses: int = 200) -> None:
    """Press Tab from the top of the page until each selector has had the focus."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.locator("body").focus()
    wanted = {s: page.locator(s).first for s in selectors}
    reached: set[str] = set()
    for _ in range(presses):
        page.keyboard.press("Tab")
        reached |= {s for s, loc in wanted.items() if s not in reached
                    and loc.evaluate("el => el === document.activeElement")}
        if reached == set(wanted):
            return
    raise AssertionError(f"Tab never reached {sorted(set(wanted) - reached)}")


def api(page: Page, url: str) -> Any:
    response = page.request.get(url)
    assert response.ok, (url, response.status)
    return response.json()


def sign_in_if_needed(page: Page, live: LiveServer) -> None:
    page.goto(f"{live.url}/tiep-nhan")
    if page.locator("form[data-login]").count():  # the page asked for is the sign-in form
        check_page(page, "00-dang-nhap")
        page.get_by_label("Tên đăng nhập").fill(ADMIN[0])
        page.get_by_label("Mật khẩu").fill("sai mật khẩu")
        form = page.locator("form[data-login]")
        form.get_by_role("button", name="Đăng nhập").click()
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in form.get_by_role("alert").inner_text()
        page.get_by_label("Mật khẩu").fill(ADMIN[1])
        form.get_by_role("button", name="Đăng nhập").click()
        page.get_by_role("heading", name="Tiếp nhận hồ sơ").wait_for()
        assert page.get_by_text(f"Người dùng: {ADMIN[0]}").is_visible()


def counter_creates_the_dossier(page: Page, live: LiveServer) -> str:
    page.goto(f"{live.url}/tiep-nhan")
    tab_reaches(page, ["a.skip", "#q"])
    page.get_by_label("Tên hoặc mã thủ tục (gõ có dấu hoặc không dấu)").fill("dang ky khai sinh")
    page.locator('[data-procedure-results] a[data-code="1.001193"]').wait_for()
    page.locator("#q").press("ArrowDown")  # the list is reachable from the keyboard
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="2. Thành phần hồ sơ: Thủ tục đăng ký khai sinh (1.001193)"
                     ).wait_for()
    assert page.locator("table.checklist").get_by_text("Giấy chứng sinh").first.is_visible()
    check_page(page, "01-tiep-nhan-chon-thu-tuc")
    page.get_by_role("button", name="Tạo hồ sơ và nhận bản quét").click()
    page.wait_for_url("**/tiep-nhan/ho-so/*")
    return str(page.url.rsplit("/", 1)[-1])


def counter_uploads_scans(page: Page, dossier_id: str) -> None:
    scan = to_pdf([render_page(s, dpi=200) for s in (BIRTH_FORM, BIRTH_FORM_CONTINUED,
                                                      BIRTH_CERTIFICATE)], dpi=200)
    page.get_by_label("Chọn tệp quét…").set_input_files(
        files=[{"name": "ho-so-khai-sinh.pdf", "mimeType": "application/pdf", "buffer": scan}])
    for name, dpi in (("trang-le-1.png", 200), ("trang-le-2.png", 190)):  # untitled: unsure
        png = to_png(render_page(BIRTH_FORM_CONTINUED, dpi=dpi), dpi=dpi)
        page.evaluate(DROP_FILE, [name, "image/png", base64.b64encode(png).decode()])
    assert page.locator("[data-chosen] li").count() == 3
    page.get_by_role("button", name="Tải lên và xử lý").click()
    page.locator("[data-job]").first.wait_for()
    shoot(page, "02-tiep-nhan-dang-xu-ly")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-job][data-status=done]').length === 3",
        timeout=240_000)
    page.get_by_role("status").filter(has_text="Đã xử lý xong các tệp").wait_for()
    page.locator("li.document").nth(3).wait_for()
    images = page.locator("li.document img")
    assert images.count() >= 4
    for i in range(images.count()):  # lazy thumbnails, rendered from the archived PDFs
        images.nth(i).scroll_into_view_if_needed()
        assert images.nth(i).evaluate("img => img.decode().then(() => img.naturalWidth)") == 240
    highlighted = page.locator('tr.highlight[data-component="giay_to_tuy_than"]')
    assert highlighted.get_by_text("Thiếu").is_visible()
    check_page(page, "03-tiep-nhan-ho-so")
    tab_reaches(page, ["#files", "select[id^=type-]", "#override-reason"])


def counter_corrects_a_type(page: Page, live: LiveServer, dossier_id: str) -> None:
    uncertain = page.locator("li.document.uncertain").first
    document_id = uncertain.get_attribute("data-document")
    uncertain.get_by_label("Loại giấy tờ").select_option("giay_cam_doan")
    uncertain.get_by_role("button", name="Lưu loại").click()
    page.locator(f'li[data-document="{document_id}"][data-doc-type="giay_cam_doan"]').wait_for()
    assert page.get_by_role("status").inner_text().startswith("Đã ghi loại giấy tờ")
    body = api(page, f"{live.url}/api/dossiers/{dossier_id}")
    corrected = next(d for d in body["documents"] if d["id"] == document_id)
    assert corrected["doc_type"] == "giay_cam_doan" and not corrected["needs_review"]
    question = page.get_by_role("group", name="Đã khai thác được thông tin giấy tờ tùy thân",
                                exact=False)
    question.get_by_label("Có").check()
    page.get_by_role("button", name="Lưu câu trả lời").click()
    page.locator('tr[data-component="giay_to_tuy_than"][data-state="waived"]').wait_for()
    href = page.get_by_role("link", name="In Mẫu 01", exact=False).get_attribute("href")
    receipt = page.request.get(f"{live.url}{href}", fail_on_status_code=True)
    assert receipt.headers["content-type"] == "application/pdf"
    page.set_viewport_size(TABLET)
    check_page(page, "04-tiep-nhan-may-tinh-bang")
    page.set_viewport_size(DESK)


def review_queue_takes_keyboard_corrections(page: Page, live: LiveServer, dossier_id: str
                                            ) -> None:
    page.goto(f"{live.url}/ra-soat")
    check_page(page, "05-ra-soat-hang-cho")
    page.get_by_role("link", name="Bắt đầu rà soát", exact=False).click()
    page.wait_for_url("**/ra-soat/*")
    document_id = page.url.rsplit("/", 1)[-1]
    assert "cam đoan" in page.locator("[data-ocr-text]").inner_text()
    page.locator("figure img").first.evaluate("img => img.decode()")  # loaded before the shot
    check_page(page, "06-ra-soat-giay-to")
    page.keyboard.press("t")
    assert page.evaluate("document.activeElement.id") == "doc-type"
    page.locator("#doc-type").select_option("to_khai_dang_ky_khai_sinh")
    page.keyboard.press("Escape")
    page.keyboard.press("f")
    assert page.evaluate("document.activeElement.name") == "ho_ten"
    page.keyboard.type("Nguyễn Thị Lan")
    page.keyboard.press("Control+Enter")
    page.wait_for_url("**/ra-soat")
    body = api(page, f"{live.url}/api/dossiers/{dossier_id}")
    reviewed = next(d for d in body["documents"] if d["id"] == document_id)
    assert reviewed["doc_type"] == "to_khai_dang_ky_khai_sinh"
    assert reviewed["fields"]["ho_ten"]["value"] == "Nguyễn Thị Lan"
    assert page.locator("[data-queue-empty]").is_visible()


def counter_archives(page: Page, live: LiveServer, dossier_id: str) -> str:
    page.goto(f"{live.url}/tiep-nhan/ho-so/{dossier_id}")
    if page.locator("#override-reason").count():
        page.get_by_role("button", name="Lưu trữ hồ sơ").click()
        assert "hãy ghi lý do" in page.locator("#archive-error").inner_text()
        page.get_by_label("Lý do lưu trữ khi hồ sơ chưa đầy đủ", exact=False).fill(
            "Công dân bổ sung giấy tờ cư trú sau")
    page.get_by_role("button", name="Lưu trữ hồ sơ").click()
    page.get_by_text("Đã lưu trữ lúc", exact=False).wait_for()
    return str(page.locator("[data-dossier-code]").inner_text())


def desk_finds_and_downloads(page: Page, live: LiveServer, dossier_id: str, code: str) -> None:
    try:  # the index the search reads, rebuilt as after a migration (a no-op when current)
        from storage.search import reindex_all

        with live.services.session() as session:
            reindex_all(session)
    except ImportError:
        pass
    page.goto(f"{live.url}/tra-cuu")
    page.get_by_label("Mã hồ sơ", exact=False).fill(code)
    page.keyboard.press("Enter")
    page.locator(f'[data-hit="{dossier_id}"]').first.wait_for()
    check_page(page, "07-tra-cuu-ket-qua")
    page.locator(f'[data-hit="{dossier_id}"] a.code').first.click()
    page.wait_for_url(f"**/tra-cuu/ho-so/{dossier_id}")
    page.get_by_role("button", name="Kiểm tra toàn vẹn ngay").click()  # re-read from S3
    page.get_by_text("nguyên vẹn ở lần kiểm tra gần nhất").wait_for()
    assert page.locator('[data-integrity="ok"]').is_visible()
    assert page.locator("table.events").get_by_text("Lưu trữ").first.is_visible()
    check_page(page, "08-tra-cuu-ho-so")
    copy = page.get_by_role("link", name="Mở bản sao đọc (có dấu chìm)").get_attribute("href")
    assert page.request.get(f"{live.url}{copy}").body().startswith(b"%PDF")
    first = api(page, f"{live.url}/api/dossiers/{dossier_id}")["documents"][0]
    with page.expect_download() as download:
        page.locator(f'tr[data-document="{first["id"]}"] [data-download]').click()
    data = Path(download.value.path()).read_bytes()
    assert hashlib.sha256(data).hexdigest() == first["pdf_sha256"]
    page.locator(f'tr[data-document="{first["id"]}"]').get_by_role("link", name="Xem").click()
    page.locator(".viewer figure img").first.evaluate("img => img.decode()")
    check_page(page, "09-tra-cuu-giay-to")


def dashboard_matches_the_api(page: Page, live: LiveServer) -> None:
    page.goto(f"{live.url}/bang-dieu-khien")
    check_page(page, "10-bang-dieu-khien")
    total = api(page, f"{live.url}/api/metrics/766")["total"]
    assert total["received"] == 1 and total["reused"] == 1 and total["digitized"] == 1
    for name in ("received", "digitized", "reused", "on_time", "late", "waiting_supplement"):
        assert page.locator(f'[data-metric="{name}"]').inner_text() == number(total[name]), name
    for name in ("digitized_rate", "reuse_rate", "on_time_rate", "digitized_score_share"):
        assert page.locator(f'[data-metric="{name}"]').inner_text() == percent(total[name]), name
    assert page.locator('[data-metric="result_tracking"]').inner_text() == "chưa theo dõi"
    queue = api(page, f"{live.url}/api/metrics/766")["queue"]
    assert page.locator('[data-queue="done"]').inner_text() == number(queue["done"]) == "3"
    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_officers_walk_through_every_screen(live: LiveServer, browser: Any) -> None:
    context = browser.new_context(viewport=DESK, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if "Content Security Policy" in message.text else None)
    try:
        sign_in_if_needed(page, live)
        dossier_id = counter_creates_the_dossier(page, live)
        counter_uploads_scans(page, dossier_id)
        counter_corrects_a_type(page, live, dossier_id)
        review_queue_takes_keyboard_corrections(page, live, dossier_id)
        code = counter_archives(page, live, dossier_id)
        desk_finds_and_downloads(page, live, dossier_id, code)
        dashboard_matches_the_api(page, live)
    except Exception:
        shoot(page, "loi-tai-buoc-cuoi")
        raise
    finally:
        context.close()
    assert errors == [], errors
