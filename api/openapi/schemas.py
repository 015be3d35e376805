"""Shared JSON Schemas of the API's bodies (``components.schemas``) and security schemes.

The shapes are those built by ``api.usecases``, ``api.review``, ``storage.audit``,
``storage.metrics`` and the route modules; the OpenAPI test checks real answers against them.
"""

from __future__ import annotations

from api.openapi.model import Schema, array, integer, nullable, obj, ref, string

TIME = string("Thời điểm ISO 8601 / ISO 8601 date-time")
NULLABLE_TIME = nullable(TIME)
ANY_OBJECT: Schema = {"type": "object"}
NUMBER: Schema = {"type": "number"}
BOOL: Schema = {"type": "boolean"}
STRINGS = array({"type": "string"})

PROBLEM = obj(
    ("type", "title", "status", "code", "detail", "message_vi", "message_en"),
    type=string("URI của loại lỗi / problem type URI"),
    title=string("Tiêu đề (tiếng Anh) / short title"), status=integer(400, 599),
    code=string("Mã lỗi ổn định / stable error code"),
    detail=string("Thông báo tiếng Việt / English"),
    message_vi=string("Thông báo tiếng Việt"), message_en=string("English message"))

USER = obj(("username", "role", "units", "permissions", "via"),
           username=string(), role=string(), units=STRINGS, permissions=STRINGS,
           via=string(enum=["session", "token"]))

SIGNED_IN = obj(("user", "csrf_token"), user=ref("User"),
                csrf_token=nullable(string("Mã CSRF cho phiên trình duyệt / CSRF token")))

JOB = obj(
    ("id", "dossier_id", "status", "stage", "progress", "summary", "error", "created_at",
     "finished_at"),
    id=string(), dossier_id=string(), status=string("queued, running, retrying, done, failed"),
    stage=nullable(string()),
    progress=obj(("pages_done", "pages_total"), pages_done=nullable(integer(0)),
                 pages_total=nullable(integer(0))),
    summary=nullable(ANY_OBJECT),
    error=nullable(obj(("code", "message"), code=string(), message=nullable(string()))),
    created_at=NULLABLE_TIME, finished_at=NULLABLE_TIME)

COMPONENT_LINE = obj(
    ("component_id", "name", "state", "required", "explanation", "documents"),
    component_id=string(), name=string(),
    state=string("satisfied, shown, uncertain, missing, waived, not_required…"),
    required=BOOL, explanation=string(), documents=STRINGS)

COMPLETENESS = obj(
    ("verdict", "components"),
    verdict=string("Kết luận đầy đủ / completeness verdict"), decision=nullable(string()),
    channel=string(), components=array(COMPONENT_LINE), unexpected_documents=STRINGS,
    findings=array(obj(("field", "message", "values"), field=string(), message=string(),
                       values=array(ANY_OBJECT))))

CHECKLIST_ITEM = obj(
    ("component_id", "name", "doc_types", "form", "quantity", "required", "min_count"),
    component_id=string(), name=string(), doc_types=STRINGS, form=string(),
    quantity=integer(0), required=BOOL, min_count=integer(0),
    condition=nullable(string()), one_of=nullable(string()), shown_only=BOOL,
    waived_by=nullable(string()))

DOCUMENT = obj(
    ("id", "ordinal", "doc_type", "doc_type_name", "confidence", "needs_review", "pages",
     "pdf_sha256", "file_url"),
    id=string(), ordinal=integer(0), doc_type=string(), doc_type_name=string(),
    confidence=NUMBER, needs_review=BOOL, reason=nullable(string()),
    classifier_version=nullable(string()), pages=array({"type": "integer"}),
    mean_ocr_confidence=nullable(NUMBER), pdf_sha256=string(), pdfa=BOOL,
    page_info=array(ANY_OBJECT), fields=nullable(ANY_OBJECT), rescan=BOOL, file_url=string())

DOSSIER = obj(
    ("id", "code", "unit", "channel", "received_at", "status", "procedure", "components",
     "documents", "jobs"),
    id=string(), code=string("Mã hồ sơ / dossier code"), unit=string(), channel=string(),
    received_at=TIME, status=string("open, archived"), archived_at=NULLABLE_TIME,
    archive_override=nullable(string()),
    procedure=obj(("code", "name"), code=string(), name=string(), decision=nullable(string())),
    components=array(ref("ChecklistItem")),
    questions=array(obj(("key", "text"), key=string(), text=string())),
    answers=nullable(ANY_OBJECT), documents=array(ref("Document")),
    completeness=nullable(ref("Completeness")), jobs=array(ref("Job")))

EVENT = obj(("kind", "at", "actor", "outcome"), kind=string(), at=TIME, actor=string(),
            outcome=string(), detail=nullable(ANY_OBJECT))

ARCHIVE_OBJECT = obj(
    ("key", "role", "sha256", "size", "fixity_status"), key=string(), role=string(),
    sha256=string(), size=integer(0), fixity_status=nullable(string()),
    fixity_checked_at=NULLABLE_TIME, retained_until=NULLABLE_TIME)

AUDIT_ENTRY = obj(
    ("id", "at", "action", "outcome", "hash"), id=integer(1), at=TIME,
    username=nullable(string()), role=nullable(string()), action=string(),
    target=nullable(string()), dossier_id=nullable(string()), dossier_code=nullable(string()),
    unit=nullable(string()), address=nullable(string()), outcome=string(),
    status=nullable(integer()), detail=nullable(ANY_OBJECT), prev_hash=string(), hash=string())

SEARCH_HIT = obj(
    ("entry_id", "dossier_id", "document_id", "dossier_code", "unit", "procedure_code",
     "status", "received_at", "score", "exact", "snippet"),
    entry_id=integer(), dossier_id=string(), document_id=nullable(string()),
    dossier_code=string(), unit=string(), procedure_code=string(),
    doc_type=nullable(string()), doc_type_name=nullable(string()), status=string(),
    received_at=TIME, score=NUMBER, exact=BOOL,
    snippet=array(obj(("text", "match"), text=string("Văn bản thuần, chưa thoát HTML / plain "
                                                     "text, escape it when shown"),
                      match=BOOL)))

SEARCH_RESULT = obj(
    ("total", "total_exact", "page", "page_size", "hits", "facets"),
    total=integer(0), total_exact=BOOL, page=integer(1), page_size=integer(1, 100),
    hits=array(ref("SearchHit")),
    facets={"type": "object", "additionalProperties": array(
        obj(("value", "count"), value=string(), count=integer(0)))})

REVIEW_ITEM = obj(
    ("document_id", "dossier_id", "dossier_code", "doc_type", "confidence", "text"),
    document_id=string(), dossier_id=string(), dossier_code=string(), unit=string(),
    procedure_code=string(), ordinal=integer(0), doc_type=string(), doc_type_name=string(),
    confidence=NUMBER, reason=nullable(string()), classifier_version=nullable(string()),
    pages=array({"type": "integer"}), page_info=array(ANY_OBJECT),
    fields=nullable(ANY_OBJECT), text=string(), file_url=string(), created_at=TIME)

COUNTS: Schema = {"type": "object", "additionalProperties": nullable(NUMBER)}

METRICS = obj(
    ("as_of", "total", "rows", "by_unit", "by_procedure", "by_month", "queue"),
    as_of=string(), total=COUNTS, rows=array(ANY_OBJECT),
    by_unit={"type": "object", "additionalProperties": COUNTS},
    by_procedure={"type": "object", "additionalProperties": COUNTS},
    by_month={"type": "object", "additionalProperties": COUNTS},
    result_tracking=string(), definitions=ANY_OBJECT,
    queue={"type": "object", "additionalProperties": integer(0)})

READINESS = obj(("status", "checks"), status=string(enum=["ready", "not_ready"]),
                checks={"type": "object", "additionalProperties": string()})

SCHEMAS: dict[str, Schema] = {
    "Problem": PROBLEM, "User": USER, "SignedIn": SIGNED_IN, "Job": JOB,
    "Completeness": COMPLETENESS, "ChecklistItem": CHECKLIST_ITEM, "Document": DOCUMENT,
    "Dossier": DOSSIER, "Event": EVENT, "ArchiveObject": ARCHIVE_OBJECT,
    "AuditEntry": AUDIT_ENTRY, "SearchHit": SEARCH_HIT, "SearchResult": SEARCH_RESULT,
    "ReviewItem": REVIEW_ITEM, "Metrics": METRICS, "Readiness": READINESS,
}

SECURITY_SCHEMES: dict[str, Schema] = {
    "bearerToken": {
        "type": "http", "scheme": "bearer",
        "description": "Mã truy cập cho máy (`sohoa user token`), gửi trong "
                       "`Authorization: Bearer <token>`; không cần CSRF. / Machine token from "
                       "`sohoa user token`; no CSRF token needed."},
    "sessionCookie": {
        "type": "apiKey", "in": "cookie", "name": "sohoa_session",
        "description": "Phiên trình duyệt sau `POST /api/auth/login` (cookie ký, HttpOnly). / "
                       "Signed browser session cookie set by the login route."},
    "csrfToken": {
        "type": "apiKey", "in": "header", "name": "X-CSRF-Token",
        "description": "Bắt buộc cùng cookie phiên cho mọi yêu cầu thay đổi dữ liệu (hoặc trường "
                       "biểu mẫu `csrf_token`). / Required with the session cookie on every "
                       "state-changing request (or the `csrf_token` form field)."},
}
