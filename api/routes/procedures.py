"""The procedure catalogue (danh mục thủ tục)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from api.auth import permission
from api.context import app_context
from api.usecases import VIETNAM, checklist_json
from storage.auth import Permission

bp = Blueprint("procedures", __name__, url_prefix="/api/procedures")


@bp.get("")
@permission(Permission.CATALOGUE_READ)
def search() -> ResponseReturnValue:
    catalogue = app_context().services.catalogue
    found = catalogue.search(request.args.get("q", ""))
    return jsonify(procedures=[{"code": p.code, "name": p.name, "level": p.level.value,
                                "field": p.field} for p in found])


@bp.get("/<code>")
@permission(Permission.CATALOGUE_READ)
def show(code: str) -> ResponseReturnValue:
    catalogue = app_context().services.catalogue
    procedure = catalogue.get(code)
    version = catalogue.version_on(code, dt.datetime.now(VIETNAM).date())
    body = procedure.model_dump(mode="json", exclude={"versions"})
    body["version"] = version.model_dump(mode="json", exclude={"components"})
    body["components"] = checklist_json(version)
    return jsonify(body)
