"""``GET /api/openapi.json``: the document, built from the running app on first request."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from api.auth import public
from api.openapi.builder import build_document

bp = Blueprint("openapi", __name__)
CACHE_KEY = "sohoa_openapi"


@bp.get("/api/openapi.json")
@public
def document() -> ResponseReturnValue:
    """Tài liệu OpenAPI 3.1 của API / the API's OpenAPI 3.1 document.

    Every route of the app with its methods, parameters, request and response schemas and the
    permission it needs; errors are ``application/problem+json``.
    """
    built = current_app.extensions.get(CACHE_KEY)
    if built is None:  # the url_map is complete once the app serves requests
        built = current_app.extensions[CACHE_KEY] = build_document(current_app)
    return jsonify(built)
