"""Background jobs: status and progress."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from api.auth import permission, visible_job
from api.context import app_context
from api.usecases import job_json
from storage.auth import Permission

bp = Blueprint("jobs", __name__, url_prefix="/api/jobs")


@bp.get("/<job_id>")
@permission(Permission.DOSSIER_READ, audit=None)  # polled: not a look at the dossier
def show(job_id: str) -> ResponseReturnValue:
    with app_context().services.session() as session:
        return jsonify(job_json(visible_job(session, job_id)))
