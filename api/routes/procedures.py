"""The procedure catalogue (danh mục thủ tục)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from api.auth import permission
from api.context import app_context
from api.usecases import VIETNAM, checklist_json
from storage.auth import Permission
from storage.search import MAX_QUERY_CHARS, InvalidQuery

bp = Blueprint("procedures", __name__, url_prefix="/api/procedures")


@bp.get("")
@permission(Permission.CATALOGUE_READ)
def search() -> ResponseReturnValue:
    catalogue = app_context().services.catalogue
    query = request.args.get("q", "")
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidQuery(f"Nội dung tìm thủ tục dài quá {MAX_QUERY_CHARS} ký tự.",
                           f"The procedure search is longer than {MAX_QUERY_CHARS} characters.")
    found = catalogue.search(query)
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
