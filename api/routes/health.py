"""Liveness and readiness."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from api.auth import public
from api.context import app_context
from ocr.tesseract import check_tesseract

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz() -> ResponseReturnValue:
    return jsonify(status="ok")


@bp.get("/readyz")
@public
def readyz() -> ResponseReturnValue:
    services = app_context().services
    checks: dict[str, str] = {}

    def check(name: str, probe: object) -> None:
        try:
            result = probe() if callable(probe) else probe
            checks[name] = f"ok{f' ({result})' if isinstance(result, str) else ''}"
        except Exception as exc:  # readiness reports every failure instead of raising
            checks[name] = f"error: {exc}"

    def database() -> None:
        with services.db.connect() as connection:
            connection.execute(text("SELECT 1"))

    check("database", database)
    check("s3", services.store.ensure_bucket)
    check("tesseract", lambda: check_tesseract(services.settings.tesseract))
    check("catalogue", lambda: f"{len(services.catalogue.procedures)} thủ tục, "
                               f"phiên bản {services.catalogue.version}")
    ready = all(v.startswith("ok") for v in checks.values())
    return jsonify(status="ready" if ready else "not_ready", checks=checks), 200 if ready else 503
