"""Archived documents: stream the PDF from S3."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, Response, stream_with_context
from flask.typing import ResponseReturnValue

from api.auth import permission, visible_document
from api.context import app_context
from ingest.errors import SohoaError
from storage.auth import Permission
from storage.tables import ArchiveObject

FIXITY_VI = {"missing": "mất đối tượng", "altered": "mã băm SHA-256 không khớp"}


class IntegrityFailed(SohoaError):
    code = "integrity_failed"


bp = Blueprint("documents", __name__, url_prefix="/api/documents")


@bp.get("/<document_id>/file")
@permission(Permission.ORIGINAL_DOWNLOAD)
def file(document_id: str) -> ResponseReturnValue:
    services = app_context().services
    with services.session() as session:
        document = visible_document(session, document_id)
        key, digest, name = document.pdf_key, document.pdf_sha256, key_name(document.pdf_key)
        stored = session.get(ArchiveObject, key)
        if stored is not None and stored.fixity_status in ("missing", "altered"):
            raise IntegrityFailed(
                f"Bản lưu trữ {name} không còn nguyên vẹn (kiểm tra ngày "
                f"{stored.fixity_checked_at:%d/%m/%Y}: {FIXITY_VI[stored.fixity_status]}); "
                "không cho tải xuống. Báo quản trị viên để khôi phục từ bản sao.",
                f"The archived copy {name} failed its integrity check ({stored.fixity_status}); "
                "download refused. Ask an administrator to restore it from a copy.",
            )
    chunks = services.store.stream(key)
    first = next(chunks, b"")  # fail before the headers go out if the object is gone

    def body() -> Iterator[bytes]:
        yield first
        yield from chunks
    return Response(stream_with_context(body()), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{name}"',
        "X-Checksum-SHA256": digest,
    })


def key_name(key: str) -> str:
    return key.rsplit("/", 1)[-1]
