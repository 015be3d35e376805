"""Signing in and out, who am I, and the audit log for auditors (query and CSV export)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue

from api.auditing import audit_note
from api.auth import (
    auth_config,
    check_same_origin,
    csrf_token,
    current_user,
    dossier_units,
    end_session,
    permission,
    start_session,
)
from api.context import app_context
from api.routes.params import bounded_int
from ingest.errors import SohoaError
from storage import audit
from storage import auth as accounts
from storage.auth import AuthenticationFailed, Permission, Principal

bp = Blueprint("auth", __name__)
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_PAGE, MAX_OFFSET, MAX_FIELD = 500, 1_000_000, 64
LOGIN_FAILED = ("Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang tạm khóa.",
                "Wrong username or password, or the account is temporarily locked.")


class InvalidRequest(SohoaError):
    code = "invalid_request"


def user_json(user: Principal) -> dict[str, Any]:
    return {"username": user.username, "role": user.role.value, "units": sorted(user.units),
            "permissions": sorted(p.value for p in Permission if p is not Permission.PUBLIC
                                  and user.can(p)),
            "via": user.via}


def _credentials() -> tuple[str, str]:
    body = request.get_json(silent=True) if request.is_json else request.form
    if not isinstance(body, Mapping):  # a JSON array, string or number
        body = {}
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise InvalidRequest("Cần tên đăng nhập (username) và mật khẩu (password).",
                             "Expected a username and a password.")
    return username[:200], password


@bp.post("/api/auth/login")
@permission(Permission.PUBLIC, audit="login")
def login() -> ResponseReturnValue:
    """The same answer, after the same work, for every failure: no user enumeration."""
    check_same_origin()
    username, password = _credentials()
    config = auth_config()
    with app_context().services.session() as db:
        user = accounts.authenticate_password(db, username, password, hashing=config.hashing,
                                              policy=config.lockout)
    if user is None:
        name = accounts.normalize_username(username)[:64]
        audit_note(target=f"user:{name}", username=name)
        raise AuthenticationFailed(*LOGIN_FAILED)
    token = start_session(user)
    audit_note(target=f"user:{user.username}")
    return jsonify(user=user_json(user), csrf_token=token)


@bp.post("/api/auth/logout")
@permission(Permission.SIGNED_IN, audit="logout")
def logout() -> ResponseReturnValue:
    end_session()
    return "", 204


@bp.get("/api/auth/me")
@permission(Permission.SIGNED_IN)
def me() -> ResponseReturnValue:
    return jsonify(user=user_json(current_user()), csrf_token=csrf_token())


@bp.get("/api/audit")
@permission(Permission.AUDIT_READ)
def audit_log() -> ResponseReturnValue:
    """Entries newest first: ``user``, ``dossier`` (id or code), ``from``, ``to``, ``action``."""
    query = audit_query()
    with app_context().services.session() as db:
        entries = [audit.entry_json(e) for e in audit.search(db, query)]
    audit_note(target="audit_log")
    following = query.offset + len(entries) if len(entries) == query.limit else None
    return jsonify(entries=entries, limit=query.limit, offset=query.offset,
                   next_offset=following)


@bp.get("/api/audit/export")
@permission(Permission.AUDIT_EXPORT)
def audit_export() -> ResponseReturnValue:
    """The matching entries as CSV, in chain order; cells that look like formulas are quoted."""
    query = audit_query()
    services = app_context().services

    def body() -> Iterator[str]:  # needs no request context: it may outlive the request
        with services.session() as db:
            yield from audit.csv_lines(audit.iter_entries(db, query))
    stamp = dt.datetime.now(VIETNAM).strftime("%Y%m%d-%H%M%S")
    return Response(body(), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="sohoa-audit-{stamp}.csv"'})


def audit_query() -> audit.AuditQuery:
    args = request.args
    return audit.AuditQuery(
        user=_short("user"), dossier=_short("dossier"), action=_short("action"),
        start=_moment(args.get("from"), "from", end=False),
        end=_moment(args.get("to"), "to", end=True),
        units=dossier_units(), limit=bounded_int("limit", 100, 1, MAX_PAGE),
        offset=bounded_int("offset", 0, 0, MAX_OFFSET))


def _short(name: str) -> str | None:
    value = request.args.get(name, "").strip()
    if len(value) > MAX_FIELD:
        raise InvalidRequest(f"Tham số {name} quá dài (tối đa {MAX_FIELD} ký tự).",
                             f"Parameter {name} is too long (at most {MAX_FIELD} characters).")
    return value or None


def _moment(text: str | None, name: str, *, end: bool) -> dt.datetime | None:
    """A date (a whole day in Vietnam time; ``to`` includes it) or an ISO date-time."""
    if not text:
        return None
    try:
        if len(text) == 10:
            day = dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), VIETNAM)
            return day + dt.timedelta(days=1) if end else day
        moment = dt.datetime.fromisoformat(text[:40])
    except ValueError:
        raise InvalidRequest(f"Tham số {name} không phải ngày hợp lệ: dùng YYYY-MM-DD.",
                             f"Parameter {name} is not a valid date: use YYYY-MM-DD.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)
