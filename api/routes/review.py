"""The review queue and corrections."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from api.auth import dossier_units, permission, visible_document
from api.context import actor_of, app_context
from api.review import MAX_PAGE, correct_document, review_queue
from api.routes.params import bounded_int
from ingest.errors import SohoaError
from storage.auth import Permission

bp = Blueprint("review", __name__, url_prefix="/api")
MAX_OFFSET = 1_000_000  # far beyond any queue; keeps the SQL offset a small integer


class InvalidCorrection(SohoaError):
    code = "invalid_request"


@bp.get("/review")
@permission(Permission.REVIEW, audit="view")
def queue() -> ResponseReturnValue:
    visible = dossier_units()  # None: every unit
    asked = request.args.getlist("unit") or None
    units = asked if visible is None else [u for u in (asked or sorted(visible)) if u in visible]
    limit = min(bounded_int("limit", 50, 1, MAX_OFFSET), MAX_PAGE)  # a big page is capped
    offset = bounded_int("offset", 0, 0, MAX_OFFSET)
    return jsonify(review_queue(app_context().services, units, limit, offset))


@bp.post("/documents/<document_id>/correction")
@permission(Permission.REVIEW)
def correction(document_id: str) -> ResponseReturnValue:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not (isinstance(body.get("doc_type"), str | None)
                                          and isinstance(body.get("fields", {}), dict)):
        raise InvalidCorrection("Cần JSON có doc_type (chuỗi) và fields (đối tượng).",
                                "Expected JSON with doc_type (a string) and fields (an object).")
    with app_context().services.session() as session:
        visible_document(session, document_id)  # another unit's document: 404
    result = correct_document(app_context().services, document_id, body.get("doc_type"),
                              body.get("fields"), actor_of(request))
    return jsonify(result)
