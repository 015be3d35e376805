"""Schemas of the officers' web pages, the 766 indicators and this document itself."""

from __future__ import annotations

from api.openapi.model import (
    BINARY,
    CSV,
    FORM,
    HTML,
    JPEG,
    JSON,
    PDF,
    XLSX,
    Param,
    Reply,
    RouteDoc,
    integer,
    json_reply,
    obj,
    ref,
    string,
)

PAGE = Reply(200, "Trang HTML (nội dung OCR luôn được thoát) / HTML page, OCR text escaped",
             {HTML: string()})
FRAGMENT = Reply(200, "Đoạn HTML / HTML fragment", {HTML: string()})
INVALID_PAGE = Reply(400, "Trang với lỗi nhập liệu / the page with the input errors shown",
                     {HTML: string()})
SEE_OTHER = Reply(303, "Chuyển tới trang tiếp theo / redirect", headers={"Location": "URL"})
DATE = string("YYYY-MM-DD", maxLength=40)
MONTH = string("Tháng YYYY-MM / month", maxLength=20)
METRICS_QUERY = (Param("unit", string(maxLength=40)), Param("procedure", string(maxLength=40)),
                 Param("from", MONTH), Param("to", MONTH))
DESK_QUERY = (
    Param("q", string("Tìm toàn văn / full text (≤ 200)", maxLength=500)),
    Param("unit", string(maxLength=40)), Param("procedure", string(maxLength=40)),
    Param("type", string(maxLength=64)), Param("status", string(maxLength=16)),
    Param("from", DATE), Param("to", DATE), Param("page", integer(1, 500)),
)
COUNTER_FORM = obj(("procedure_code",), procedure_code=string(maxLength=40),
                   unit=string(maxLength=40), channel=string(maxLength=16),
                   csrf_token=string())
DOCUMENT_ANY = {JSON: obj(("openapi", "info", "paths"), openapi=string(),
                          info=obj(), paths=obj(), components=obj())}

WEB_ROUTES: dict[str, RouteDoc] = {
    "openapi.document": RouteDoc(
        (Reply(200, "Tài liệu OpenAPI 3.1 này / this OpenAPI 3.1 document", DOCUMENT_ANY),),
        tags=("meta",)),
    "web.home": RouteDoc((Reply(302, "Tới trang đầu tiên của vai trò / first page of the role",
                                headers={"Location": "URL"}),), page=True, tags=("pages",)),
    "web.login": RouteDoc((PAGE,), query=(Param("next", string(maxLength=500)),), page=True,
                          tags=("pages",)),
    "counter.start": RouteDoc((PAGE,), query=(Param("q", string(maxLength=500)),
                                              Param("thu_tuc", string(maxLength=100))),
                              page=True, tags=("pages",)),
    "counter.create": RouteDoc((SEE_OTHER, INVALID_PAGE), body={FORM: COUNTER_FORM},
                               page=True, tags=("pages",)),
    "counter.checklist": RouteDoc((FRAGMENT,), page=True, tags=("pages",)),
    "counter.dossier": RouteDoc((PAGE,), page=True, tags=("pages",)),
    "counter.panel": RouteDoc((FRAGMENT,), page=True, tags=("pages",)),
    "review_pages.queue": RouteDoc((PAGE,), query=(Param("tu", integer(0, 1_000_000)),),
                                   page=True, tags=("pages",)),
    "review_pages.item": RouteDoc((PAGE,), page=True, tags=("pages",)),
    "desk.search": RouteDoc((PAGE, INVALID_PAGE), query=DESK_QUERY, page=True,
                            tags=("pages",)),
    "desk.dossier": RouteDoc((PAGE,), page=True, tags=("pages",)),
    "desk.document": RouteDoc((PAGE,), page=True, tags=("pages",)),
    "web_media.reading_copy": RouteDoc(
        (Reply(200, "Bản đọc có hình mờ / watermarked reading copy", {PDF: BINARY}),),
        tags=("documents",), slow=True),
    "web_media.page_image": RouteDoc(
        (Reply(200, "Ảnh trang / page image", {JPEG: BINARY}),),
        query=(Param("width", integer(1, 10_000), "Chiều rộng gần nhất có sẵn / width"),),
        tags=("documents",), slow=True),
    "dashboard.show": RouteDoc((PAGE, INVALID_PAGE), query=METRICS_QUERY, page=True,
                               tags=("pages",)),
    "metrics_api.metrics_json": RouteDoc(
        (json_reply(200, "Chỉ số 766 / indicators", ref("Metrics")),), query=METRICS_QUERY,
        tags=("reports",)),
    "metrics_api.metrics_csv": RouteDoc(
        (Reply(200, "Chỉ số 766 dạng CSV", {CSV: string()}),), query=METRICS_QUERY,
        tags=("reports",)),
    "metrics_api.metrics_xlsx": RouteDoc(
        (Reply(200, "Chỉ số 766 dạng XLSX", {XLSX: BINARY}),), query=METRICS_QUERY,
        tags=("reports",)),
}
