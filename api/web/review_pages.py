"""The review queue (Rà soát): page image beside its OCR text, type and fields; keyboard-fast."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from api.context import app_context
from api.review import review_queue
from api.usecases import procedure_version_of
from api.web.access import guard, load_document, visible_units
from api.web.common import install_page_errors
from api.web.dossier_view import handwriting_notes, page_urls, rescan_flags, type_choices
from storage.tables import Document

bp = Blueprint("review_pages", __name__, url_prefix="/ra-soat")
install_page_errors(bp)
QUEUE_PAGE = 50
ALWAYS_SHOWN_FIELDS = ("ho_ten", "so_dinh_danh", "ngay_sinh")
SHORTCUTS = (("A", "Chấp nhận loại và các trường như hiện tại"),
             ("T", "Đổi loại giấy tờ (chọn trong danh sách)"),
             ("F", "Sửa trường thông tin đầu tiên"),
             ("N", "Sang giấy tờ tiếp theo"),
             ("Ctrl+Enter", "Lưu sửa đổi và sang giấy tờ tiếp theo"))


def _queue(offset: int = 0, limit: int = QUEUE_PAGE) -> list[dict[str, Any]]:
    units = visible_units()
    items: list[dict[str, Any]] = review_queue(
        app_context().services, sorted(units) if units is not None else None, limit,
        offset)["items"]
    return items


@bp.get("")
@guard("review", audit=None)
def queue() -> ResponseReturnValue:
    offset = max(0, min(request.args.get("tu", default=0, type=int) or 0, 1_000_000))
    items = _queue(offset)
    return render_template("review_queue.html", items=items, offset=offset, page=QUEUE_PAGE)


def next_in_queue(document_id: str) -> str | None:
    """The document after this one in the queue (or the first other one), None when done."""
    items = _queue(0, 200)
    ids = [item["document_id"] for item in items]
    if document_id in ids:
        following = ids[ids.index(document_id) + 1:]
        if following:
            return following[0]
    others = [i for i in ids if i != document_id]
    return others[0] if others else None


@bp.get("/<document_id>")
@guard("review", audit="view")
def item(document_id: str) -> ResponseReturnValue:
    services = app_context().services
    with services.session() as session:
        document = load_document(session, document_id)
        dossier = document.dossier
        version = procedure_version_of(services.catalogue, dossier)
        view = _item_view(document)
        view.update(dossier_id=dossier.id, dossier_code=dossier.code,
                    dossier_open=dossier.status == "open", procedure_code=dossier.procedure_code,
                    procedure_name=services.catalogue.get(dossier.procedure_code).name)
    return render_template("review_item.html", doc=view, shortcuts=SHORTCUTS,
                           choices=type_choices(services, version),
                           next_id=next_in_queue(document_id))


def _item_view(document: Document) -> dict[str, Any]:
    fields = dict(document.fields or {})
    for name in ALWAYS_SHOWN_FIELDS:
        fields.setdefault(name, {"value": "", "confidence": None})
    return {"id": document.id, "ordinal": document.ordinal, "doc_type": document.doc_type,
            "doc_type_name": document.doc_type_name, "confidence": document.confidence,
            "needs_review": document.needs_review, "reason": document.reason,
            "text": document.text, "fields": fields,
            "images": page_urls(document.id, len(document.pages), 900),
            "rescan_pages": rescan_flags(document.page_info or []),
            "handwriting": handwriting_notes(document.page_info or []),
            "file_url": f"/api/documents/{document.id}/file"}
