"""Errors as ``application/problem+json`` (RFC 9457), with messages in Vietnamese and English.

The HTTP status of every domain error code is decided here and nowhere else.
"""

from __future__ import annotations

import urllib3
from flask import Flask, Response, json
from werkzeug.exceptions import HTTPException

from ingest.errors import SohoaError

STATUS_BY_CODE = {
    "unknown_procedure": 404,
    "not_found": 404,
    "unsupported_media_type": 415,
    "empty_file": 422,
    "corrupt_file": 422,
    "page_too_large": 422,
    "page_too_small": 422,
    "encrypted_pdf": 422,
    "no_pages": 422,
    "file_too_large": 413,
    "too_many_pages": 413,
    "invalid_unit": 400,
    "invalid_request": 400,
    "invalid_answer": 400,
    "invalid_query": 400,
    "unknown_doc_type": 400,
    "no_version_in_force": 422,
    "storage_unavailable": 503,
    "dossier_incomplete": 409,
    "dossier_archived": 409,
    "jobs_pending": 409,
    "integrity_failed": 409,
    "object_missing": 410,
    "retention_refused": 409,
    "package_invalid": 422,
    "package_metadata_invalid": 422,
    "database_unavailable": 503,
    "authentication_required": 401,
    "authentication_failed": 401,
    "forbidden": 403,
    "csrf_failed": 403,
    "audit_unavailable": 503,
    "user_exists": 409,
    "unknown_user": 404,
}

HTTP_MESSAGES_VI = {
    400: "Yêu cầu không hợp lệ.",
    401: "Cần đăng nhập.",
    403: "Không có quyền truy cập.",
    404: "Không tìm thấy.",
    405: "Phương thức không được hỗ trợ.",
    413: "Tệp tải lên quá lớn.",
    415: "Định dạng không được hỗ trợ.",
}


def problem(status: int, code: str, message_vi: str, message_en: str) -> Response:
    body = {"type": f"https://sohoa.local/problems/{code}", "title": message_en,
            "status": status, "code": code, "detail": f"{message_vi} / {message_en}",
            "message_vi": message_vi, "message_en": message_en}
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    mimetype="application/problem+json")


def register_problem_handlers(app: Flask) -> None:
    @app.errorhandler(SohoaError)
    def _domain(error: SohoaError) -> Response:
        status = STATUS_BY_CODE.get(error.code, 500)
        return problem(status, error.code, error.message_vi, error.message_en)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        status = error.code or 500
        name = (error.name or "error").lower().replace(" ", "_")
        code = "file_too_large" if status == 413 else name
        vi = HTTP_MESSAGES_VI.get(status, "Lỗi khi xử lý yêu cầu.")
        return problem(status, code, vi, error.description or error.name)

    @app.errorhandler(urllib3.exceptions.HTTPError)
    def _storage(error: urllib3.exceptions.HTTPError) -> Response:
        # Only the S3 client speaks urllib3 here: a read that failed after its retries.
        app.logger.warning("object storage unreachable: %s", error)
        return problem(503, "storage_unavailable",
                       "Kho lưu trữ tạm thời không đọc được. Vui lòng thử lại sau ít phút.",
                       "Object storage is temporarily unreadable. Please try again shortly.")
