"""Request and response schemas of the JSON API, keyed by Flask endpoint (``blueprint.view``)."""

from __future__ import annotations

from api.openapi.model import (
    BINARY,
    CSV,
    FORM,
    JSON,
    MULTIPART,
    PDF,
    Param,
    Reply,
    RouteDoc,
    array,
    integer,
    json_reply,
    nullable,
    obj,
    problem_reply,
    ref,
    string,
)
from api.openapi.schemas import ANY_OBJECT, BOOL

DATE = string("Ngày YYYY-MM-DD / calendar day", format="date")
SHORT = string(maxLength=64)
UNIT = string("Mã đơn vị / unit code", maxLength=40)
ARCHIVED = problem_reply(409, "Hồ sơ đã lưu trữ / the dossier is archived")

CREDENTIALS = obj(("username", "password"), username=string(maxLength=200),
                  password=string(maxLength=1024))
AUDIT_QUERY = (
    Param("user", SHORT, "Tên đăng nhập / username"),
    Param("dossier", SHORT, "Mã hoặc id hồ sơ / dossier code or id"),
    Param("action", SHORT, "Hành động / action (view, search, export…)"),
    Param("from", string("YYYY-MM-DD hoặc ISO date-time", maxLength=40)),
    Param("to", string("YYYY-MM-DD (cả ngày) hoặc ISO date-time", maxLength=40)),
    Param("limit", integer(1, 500), "Số dòng tối đa / page size (1–500)"),
    Param("offset", integer(0, 1_000_000)),
)
SEARCH_QUERY = (
    Param("q", string("Toàn văn, có hoặc không dấu, \"cụm từ\" / full text", maxLength=200)),
    Param("code", string("Mã hồ sơ / dossier code", maxLength=64)),
    Param("id", string("Số định danh cá nhân hoặc CMND / personal id", maxLength=20)),
    Param("name", string("Họ tên / full name", maxLength=100)),
    Param("unit", UNIT, many=True), Param("procedure", string(maxLength=40), many=True),
    Param("doc_type", string(maxLength=64), many=True),
    Param("status", string(maxLength=16), many=True),
    Param("from", DATE), Param("to", DATE),
    Param("page", integer(1, 1000), "Trang, từ 1 / page from 1"),
    Param("page_size", integer(1, 100), "Cỡ trang; lớn hơn 100 bị giới hạn ở 100 / capped at 100"),
)

API_ROUTES: dict[str, RouteDoc] = {
    "health.healthz": RouteDoc(
        (json_reply(200, "Còn sống / alive", obj(("status",), status=string(enum=["ok"]))),),
        tags=("health",)),
    "health.readyz": RouteDoc((
        json_reply(200, "Sẵn sàng / ready", ref("Readiness")),
        json_reply(503, "Chưa sẵn sàng / a dependency is down", ref("Readiness"))),
        tags=("health",)),
    "auth.login": RouteDoc(
        (json_reply(200, "Đã đăng nhập; cookie phiên được đặt / signed in", ref("SignedIn")),
         problem_reply(401, "Sai tên hoặc mật khẩu, hay tài khoản bị khóa (một câu trả lời "
                            "duy nhất) / wrong credentials or locked: one answer for all"),
         problem_reply(403, "Yêu cầu từ trang khác / cross-site request")),
        body={JSON: CREDENTIALS, FORM: CREDENTIALS}, tags=("auth",)),
    "auth.logout": RouteDoc((Reply(204, "Đã đăng xuất / signed out"),), tags=("auth",)),
    "auth.me": RouteDoc((json_reply(200, "Người dùng hiện tại / current user", ref("SignedIn")),),
                        tags=("auth",)),
    "auth.audit_log": RouteDoc(
        (json_reply(200, "Nhật ký, mới nhất trước / entries, newest first", obj(
            ("entries", "limit", "offset", "next_offset"), entries=array(ref("AuditEntry")),
            limit=integer(1), offset=integer(0), next_offset=nullable(integer(0)))),),
        query=AUDIT_QUERY, tags=("audit",)),
    "auth.audit_export": RouteDoc(
        (Reply(200, "CSV (UTF-8 BOM), theo thứ tự chuỗi băm / CSV in chain order",
               {CSV: string()}),), query=AUDIT_QUERY, tags=("audit",)),
    "procedures.search": RouteDoc(
        (json_reply(200, "Thủ tục khớp / matching procedures", obj(
            ("procedures",), procedures=array(obj(
                ("code", "name", "level", "field"), code=string(), name=string(),
                level=string(), field=string())))),),
        query=(Param("q", string("Tên hoặc mã thủ tục / name or code", maxLength=200)),),
        tags=("catalogue",)),
    "procedures.show": RouteDoc(
        (json_reply(200, "Thủ tục và phiên bản đang hiệu lực / procedure in force", obj(
            ("code", "name", "version", "components"), code=string(), name=string(),
            version=ANY_OBJECT, components=array(ref("ChecklistItem")))),),
        tags=("catalogue",)),
    "dossiers.create": RouteDoc(
        (json_reply(201, "Hồ sơ mới với danh mục thành phần / new dossier", ref("Dossier"),
                    Location="/api/dossiers/{id}"),
         problem_reply(422, "Thủ tục chưa có phiên bản hiệu lực / no version in force")),
        body={JSON: obj(("procedure_code",), procedure_code=string(maxLength=40),
                        unit=UNIT, channel=string(enum=["truc_tiep", "truc_tuyen",
                                                        "buu_chinh"]))},
        tags=("dossiers",)),
    "dossiers.show": RouteDoc((json_reply(200, "Hồ sơ / the dossier", ref("Dossier")),),
                              tags=("dossiers",)),
    "dossiers.upload": RouteDoc(
        (json_reply(202, "Đã nhận; mỗi tệp một việc xử lý / accepted, one job per file", obj(
            ("job_id", "jobs"), job_id=string(), jobs=array(ref("Job"))),
            Location="/api/jobs/{job_id}"), ARCHIVED,
         problem_reply(413, "Tệp hoặc số trang quá lớn / file too large"),
         problem_reply(415, "Định dạng không hỗ trợ / unsupported media type"),
         problem_reply(422, "Tệp hỏng, rỗng, mã hóa… / corrupt, empty or encrypted file")),
        body={MULTIPART: obj(("file",), file=array(BINARY))}, tags=("dossiers",), slow=True),
    "dossiers.answers": RouteDoc(
        (json_reply(200, "Câu trả lời và báo cáo đầy đủ mới / answers and new report", obj(
            ("answers", "completeness"), answers=nullable(ANY_OBJECT),
            completeness=nullable(ref("Completeness")))), ARCHIVED),
        body={JSON: {"type": "object", "additionalProperties": BOOL, "properties": {
            "answers": {"type": "object", "additionalProperties": BOOL}}}},
        tags=("dossiers",)),
    "dossiers.completeness": RouteDoc(
        (json_reply(200, "Báo cáo đầy đủ / completeness report", nullable(ref("Completeness"))),),
        tags=("dossiers",)),
    "dossiers.archive": RouteDoc(
        (json_reply(200, "Đã lưu trữ và khóa / archived and locked", ref("Dossier")),
         problem_reply(409, "Chưa đầy đủ, đã lưu trữ hoặc còn việc đang chạy / incomplete, "
                            "archived or jobs pending")),
        body={JSON: obj(override_reason=string(maxLength=500))}, body_required=False,
        tags=("dossiers",), slow=True),
    "dossiers.integrity": RouteDoc(
        (json_reply(200, "Các đối tượng lưu trữ / archived objects", obj(
            ("objects",), objects=array(ref("ArchiveObject")))),), tags=("integrity",)),
    "dossiers.fixity": RouteDoc(
        (json_reply(200, "Kết quả kiểm tra toàn vẹn / fixity results", obj(
            ("checked", "problems"), checked=integer(0), problems=array(ANY_OBJECT))),),
        tags=("integrity",), slow=True),
    "dossiers.events": RouteDoc(
        (json_reply(200, "Lịch sử hồ sơ / provenance events", obj(
            ("events",), events=array(ref("Event")))),), tags=("dossiers",)),
    "forms.form": RouteDoc(
        (Reply(200, "Mẫu 01 (tiếp nhận), 02 (bổ sung) hoặc 03 (từ chối) / printable form",
               {PDF: BINARY}),),
        query=(Param("reason", string("Lý do từ chối (Mẫu 03) / refusal reason",
                                      maxLength=500), many=True),),
        path={"number": string("01, 02 hoặc 03", enum=["01", "02", "03"])},
        tags=("forms",), slow=True),
    "jobs.show": RouteDoc((json_reply(200, "Tiến độ xử lý / job progress", ref("Job")),),
                          tags=("jobs",)),
    "documents.file": RouteDoc(
        (Reply(200, "PDF lưu trữ / the archived PDF", {PDF: BINARY},
               {"X-Checksum-SHA256": "SHA-256 của tệp / of the file"}),
         problem_reply(409, "Bản lưu trữ không còn nguyên vẹn / failed its integrity check"),
         problem_reply(410, "Đối tượng đã mất / object missing")),
        tags=("documents",)),
    "review.queue": RouteDoc(
        (json_reply(200, "Hàng chờ rà soát / review queue", obj(
            ("items", "limit", "offset"), items=array(ref("ReviewItem")), limit=integer(1),
            offset=integer())),),
        query=(Param("unit", UNIT, many=True), Param("limit", integer(1, 200)),
               Param("offset", integer(0, 1_000_000))),
        tags=("review",)),
    "review.correction": RouteDoc(
        (json_reply(200, "Đã sửa; báo cáo mới / corrected, new report", obj(
            ("document_id", "doc_type", "fields", "completeness"), document_id=string(),
            doc_type=string(), doc_type_name=string(), fields=ANY_OBJECT,
            completeness=nullable(ref("Completeness")))), ARCHIVED),
        body={JSON: obj(doc_type=nullable(string(maxLength=64)), fields=ANY_OBJECT)},
        tags=("review",)),
    "search.find": RouteDoc(
        (json_reply(200, "Kết quả tìm kiếm / search results", ref("SearchResult")),),
        query=SEARCH_QUERY, tags=("search",)),
}
