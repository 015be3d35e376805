"""Dossiers (hồ sơ): create, upload scans, read back."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from api.archiving import archive_dossier, check_integrity, integrity_json
from api.auditing import audit_dossier, audit_note
from api.auth import (
    permission,
    require,
    unit_for_new_dossier,
    visible_dossier,
)
from api.context import actor_of, app_context
from api.usecases import accept_upload, create_dossier, dossier_json, job_json, set_answers
from ingest.errors import SohoaError
from storage import repository as repo
from storage.auth import Permission
from storage.events import event_json, events_of

bp = Blueprint("dossiers", __name__, url_prefix="/api/dossiers")


class InvalidRequest(SohoaError):
    code = "invalid_request"


@bp.post("")
@permission(Permission.DOSSIER_CREATE)
def create() -> ResponseReturnValue:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("procedure_code"), str):
        raise InvalidRequest("Cần JSON có trường procedure_code (mã thủ tục).",
                             "Expected a JSON body with a procedure_code string.")
    context = app_context()
    unit = unit_for_new_dossier(body.get("unit") if isinstance(body.get("unit"), str) else None,
                                context.services.settings.default_unit)
    dossier = create_dossier(context.services, body["procedure_code"], unit,
                             body.get("channel") or "truc_tiep", actor=actor_of(request))
    audit_dossier(dossier)
    with context.services.session() as session:
        payload = dossier_json(repo.get_dossier(session, dossier.id), context.services.catalogue)
    return jsonify(payload), 201, {"Location": f"/api/dossiers/{dossier.id}"}


@bp.get("/<dossier_id>")
@permission(Permission.DOSSIER_READ)
def show(dossier_id: str) -> ResponseReturnValue:
    services = app_context().services
    with services.session() as session:
        return jsonify(dossier_json(visible_dossier(session, dossier_id), services.catalogue))


@bp.post("/<dossier_id>/files")
@permission(Permission.DOSSIER_UPLOAD)
def upload(dossier_id: str) -> ResponseReturnValue:
    context = app_context()
    with context.services.session() as session:
        visible_dossier(session, dossier_id)
    uploads = request.files.getlist("file") or list(request.files.values())
    files = [(f.filename or "", f.read()) for f in uploads]
    jobs = accept_upload(context.services, dossier_id, files, actor=actor_of(request))
    for job in jobs:
        context.queue.enqueue(job.id)
    payload = {"job_id": jobs[0].id, "jobs": [job_json(j) for j in jobs]}
    return jsonify(payload), 202, {"Location": f"/api/jobs/{jobs[0].id}"}


@bp.put("/<dossier_id>/answers")
@permission(Permission.DOSSIER_ANSWER)
def answers(dossier_id: str) -> ResponseReturnValue:
    """Answer condition, lookup and xuất trình questions; returns the recomputed report."""
    body = request.get_json(silent=True)
    given = body.get("answers", body) if isinstance(body, dict) else None
    if not isinstance(given, dict):
        raise InvalidRequest("Cần JSON dạng {\"câu hỏi\": true/false}.",
                             "Expected a JSON object of question keys to true/false.")
    services = app_context().services
    with services.session() as session:
        visible_dossier(session, dossier_id)
    dossier = set_answers(services, dossier_id, given, actor_of(request))
    return jsonify(answers=dossier.answers, completeness=dossier.completeness)


@bp.get("/<dossier_id>/completeness")
@permission(Permission.DOSSIER_READ)
def completeness(dossier_id: str) -> ResponseReturnValue:
    services = app_context().services
    with services.session() as session:
        dossier = visible_dossier(session, dossier_id)
        return jsonify(dossier.completeness)


@bp.post("/<dossier_id>/archive")
@permission(Permission.DOSSIER_ARCHIVE)
def archive(dossier_id: str) -> ResponseReturnValue:
    """Freeze and lock the dossier; an incomplete one needs ``override_reason``."""
    body = request.get_json(silent=True) or {}
    reason = body.get("override_reason") if isinstance(body, dict) else None
    services = app_context().services
    with services.session() as session:
        visible_dossier(session, dossier_id)
    if isinstance(reason, str) and reason.strip():
        require(Permission.ARCHIVE_OVERRIDE)  # reviewers and admins only
        audit_note("override", reason=reason[:500])
    archive_dossier(services, dossier_id, actor_of(request),
                    reason if isinstance(reason, str) else None)
    with services.session() as session:
        return jsonify(dossier_json(repo.get_dossier(session, dossier_id), services.catalogue))


@bp.get("/<dossier_id>/integrity")
@permission(Permission.DOSSIER_READ)
def integrity(dossier_id: str) -> ResponseReturnValue:
    with app_context().services.session() as session:
        visible_dossier(session, dossier_id)
    return jsonify(objects=integrity_json(app_context().services, dossier_id))


@bp.post("/<dossier_id>/fixity")
@permission(Permission.FIXITY_CHECK)
def fixity(dossier_id: str) -> ResponseReturnValue:
    """Re-read every object of the dossier now and compare checksums."""
    services = app_context().services
    with services.session() as session:
        visible_dossier(session, dossier_id)
    results = check_integrity(services, dossier_id)
    return jsonify(checked=len(results), problems=[
        {"key": r.key, "status": r.status, "expected": r.expected, "actual": r.actual}
        for r in results if r.status != "ok"])


@bp.get("/<dossier_id>/events")
@permission(Permission.DOSSIER_READ)
def events(dossier_id: str) -> ResponseReturnValue:
    with app_context().services.session() as session:
        visible_dossier(session, dossier_id)
        return jsonify(events=[event_json(e) for e in events_of(session, dossier_id)])
