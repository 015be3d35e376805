"""Who is asking, and may they? And a line in the audit log for every look.

- Web browsers sign in (``POST /api/auth/login``) and get a signed session cookie; every
  state-changing request made with that cookie must echo the session's CSRF token in the
  ``X-CSRF-Token`` header or the ``csrf_token`` form field.
- Machines send ``Authorization: Bearer <token>`` (``sohoa user token``); no cookie, no CSRF.
- Every view declares its permission with :func:`permission` (or :func:`public`); a view that
  declares none is refused, and :func:`undeclared_routes` lists such routes for a test.
- The permission's audit action (or the one the decorator names) makes the request write one
  audit entry after it is answered: who, when, what, from which address, with which outcome.
  A read whose entry cannot be written is refused (503): no unaccounted look.
"""

from __future__ import annotations

import datetime as dt
import functools
import hmac
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request, session
from sqlalchemy.orm import Session

from api.auditing import AuditNote, audit_dossier, write_audit
from api.context import app_context
from api.problems import STATUS_BY_CODE, problem
from api.settings import Settings
from storage import auth as accounts
from storage import repository as repo
from storage.auth import (
    AuthenticationFailed,
    AuthenticationRequired,
    AuthError,
    Forbidden,
    LockoutPolicy,
    PasswordHashing,
    Permission,
    Principal,
)
from storage.tables import Document, Dossier, Job

log = logging.getLogger(__name__)
View = TypeVar("View", bound=Callable[..., Any])

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
CSRF_HEADER, CSRF_FIELD = "X-CSRF-Token", "csrf_token"
PERMISSION_ATTR, AUDIT_ATTR = "sohoa_permission", "sohoa_audit_action"
DEFAULT = "<default>"
AUDIT_ACTIONS: dict[Permission, str | None] = {
    Permission.PUBLIC: None, Permission.SIGNED_IN: None, Permission.CATALOGUE_READ: None,
    Permission.DOSSIER_CREATE: "create", Permission.DOSSIER_READ: "view",
    Permission.DOSSIER_UPLOAD: "upload", Permission.DOSSIER_ANSWER: "answer",
    Permission.FORMS_PRINT: "print", Permission.DOSSIER_ARCHIVE: "archive",
    Permission.ARCHIVE_OVERRIDE: "override", Permission.REVIEW: "correction",
    Permission.SEARCH: "search", Permission.READING_COPY: "view",
    Permission.ORIGINAL_DOWNLOAD: "download", Permission.FIXITY_CHECK: "integrity_check",
    Permission.PACKAGE_EXPORT: "export", Permission.PACKAGE_IMPORT: "import",
    Permission.REPORTS_READ: "view", Permission.AUDIT_READ: "view",
    Permission.AUDIT_EXPORT: "export", Permission.USERS_MANAGE: "user_admin",
}


class CsrfFailed(AuthError):
    code = "csrf_failed"


@dataclass(frozen=True)
class AuthConfig:
    secret_key: str
    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)
    session_hours: int = 8
    cookie_secure: bool = False
    hashing: PasswordHashing = field(default_factory=PasswordHashing)


@dataclass(frozen=True)
class RouteRule:
    rule: str
    endpoint: str
    methods: tuple[str, ...]
    permission: Permission | None
    audit_action: str | None


def load_or_create_secret(var_dir: Path) -> str:
    """The session signing key: generated once under ``var/``, readable by this user only."""
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        draft = var_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)  # complete or absent, never half-written; first start wins
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def auth_config_from(settings: Settings) -> AuthConfig:
    configured = getattr(settings, "secret_key", None)  # str or pydantic SecretStr
    if configured is not None and hasattr(configured, "get_secret_value"):
        configured = configured.get_secret_value()
    secret = configured or load_or_create_secret(settings.var_dir)
    lockout = LockoutPolicy(threshold=getattr(settings, "auth_lockout_threshold", 5),
                            minutes=getattr(settings, "auth_lockout_minutes", 15))
    return AuthConfig(secret_key=secret, lockout=lockout,
                      session_hours=getattr(settings, "session_hours", 8),
                      cookie_secure=getattr(settings, "cookie_secure", False))


def install_auth(app: Flask, config: AuthConfig) -> None:
    """Sessions, authentication, permission checks and auditing for every route of ``app``."""
    if "sohoa_auth" in app.extensions:
        return
    app.extensions["sohoa_auth"] = config
    app.secret_key = config.secret_key
    app.config.update(SESSION_COOKIE_NAME="sohoa_session", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=config.cookie_secure,
                      PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=config.session_hours))
    app.register_error_handler(AuthError, _auth_problem)
    config.hashing.waste_time("")  # build the dummy hash now, not during someone's login
    app.before_request(_before)
    app.after_request(_after)
    app.teardown_request(_teardown)


def auth_config() -> AuthConfig:
    config: AuthConfig = current_app.extensions["sohoa_auth"]
    return config


# Declaring permissions ------------------------------------------------------------------------

def permission(needed: Permission, *, audit: str | None = DEFAULT) -> Callable[[View], View]:
    """Declare (and enforce) what a view needs; ``audit`` names its audit action (None: none)."""
    def decorate(view: View) -> View:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            require(needed)
            return view(*args, **kwargs)
        setattr(guarded, PERMISSION_ATTR, needed)
        setattr(guarded, AUDIT_ATTR, AUDIT_ACTIONS[needed] if audit == DEFAULT else audit)
        return cast(View, guarded)
    return decorate


def public(view: View) -> View:
    """A route anybody may call: health checks, the login form."""
    return permission(Permission.PUBLIC, audit=None)(view)


def declared_permission(view: Callable[..., Any] | None) -> Permission | None:
    found = getattr(view, PERMISSION_ATTR, None)
    return found if isinstance(found, Permission) else None


def _is_static(endpoint: str) -> bool:
    return endpoint == "static" or endpoint.endswith(".static")


def route_permissions(app: Flask) -> list[RouteRule]:
    """Every route of ``app`` (static files aside) with the permission its view declares."""
    rules = []
    for rule in app.url_map.iter_rules():
        if _is_static(rule.endpoint):
            continue
        view = app.view_functions.get(rule.endpoint)
        methods = tuple(sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}))
        rules.append(RouteRule(rule.rule, rule.endpoint, methods, declared_permission(view),
                               getattr(view, AUDIT_ATTR, None)))
    return sorted(rules, key=lambda r: (r.rule, r.methods))


def undeclared_routes(app: Flask) -> list[str]:
    return [f"{','.join(r.methods)} {r.rule} ({r.endpoint})"
            for r in route_permissions(app) if r.permission is None]


# Who is asking -------------------------------------------------------------------------------

def optional_user() -> Principal | None:
    user: Principal | None = g.get("sohoa_user")
    return user


def current_user() -> Principal:
    user = optional_user()
    if user is None:
        raise AuthenticationRequired("Cần đăng nhập.", "Sign-in required.")
    return user


def require(needed: Permission) -> Principal | None:
    if needed is Permission.PUBLIC:
        return optional_user()
    user = current_user()
    if not user.can(needed):
        raise Forbidden(f"Vai trò {user.role.value} không được phép làm việc này ({needed.value}).",
                        f"Role {user.role.value} may not do this ({needed.value}).")
    return user


def _authenticate() -> Principal:
    header = request.headers.get("Authorization")
    with app_context().services.session() as db:
        if header is not None:
            scheme, _, token = header.partition(" ")
            found = accounts.authenticate_token(db, token.strip()) \
                if scheme.lower() == "bearer" else None
            if found is None:
                raise AuthenticationFailed("Mã truy cập không hợp lệ hoặc đã hết hạn.",
                                           "Invalid or expired access token.")
            return found
        user_id, epoch = session.get("uid"), session.get("epoch")
        found = accounts.load_principal(db, user_id, epoch) \
            if isinstance(user_id, str) and isinstance(epoch, int) else None
    if found is None:
        session.clear()
        raise AuthenticationRequired("Cần đăng nhập.", "Sign-in required.")
    return found


def check_same_origin() -> None:
    """A browser's cross-site POST (e.g. to sign the victim in as someone else) is refused."""
    origin = request.headers.get("Origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.host:
        raise CsrfFailed("Yêu cầu đến từ trang khác bị từ chối.",
                         "A request from another site was refused.")


def _check_csrf() -> None:
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.mimetype in ("application/x-www-form-urlencoded",
                                             "multipart/form-data"):
        sent = request.form.get(CSRF_FIELD)
    expected = session.get("csrf")
    if not (isinstance(expected, str) and sent and hmac.compare_digest(sent, expected)):
        raise CsrfFailed("Thiếu hoặc sai mã chống giả mạo yêu cầu (CSRF); hãy tải lại trang.",
                         "Missing or wrong CSRF token; reload the page.")


def start_session(user: Principal) -> str:
    """Sign ``user`` in on this browser; returns the new CSRF token."""
    session.clear()
    token = secrets.token_urlsafe(32)
    session.update(uid=user.user_id, epoch=user.epoch, csrf=token)
    session.permanent = True
    g.sohoa_user = user
    return token


def end_session() -> None:
    session.clear()


def csrf_token() -> str | None:
    user = optional_user()
    token = session.get("csrf") if user is not None and user.via == "session" else None
    return token if isinstance(token, str) else None


# What the request touches (for unit isolation and the audit entry) ---------------------------

def visible_dossier(db: Session, dossier_id: str) -> Dossier:
    """The dossier, if the current user's units include its unit; else "not found" (404)."""
    dossier = accounts.visible_dossier(db, current_user(), dossier_id)
    audit_dossier(dossier)
    return dossier


def visible_document(db: Session, document_id: str) -> Document:
    document = accounts.visible_document(db, current_user(), document_id)
    audit_dossier(document.dossier, f"document:{document.id}")
    return document


def visible_job(db: Session, job_id: str) -> Job:
    job = accounts.visible_job(db, current_user(), job_id)
    audit_dossier(job.dossier, f"job:{job.id}")
    return job


def dossier_units() -> frozenset[str] | None:
    """Units the current user may see, for filtering lists and searches (None: all)."""
    return accounts.visible_units(current_user())


def unit_for_new_dossier(requested: str | None, default: str) -> str:
    """The unit a new dossier goes to: the one asked for, else the user's only unit, else
    ``default``; a unit that is not the user's is refused (403)."""
    user = current_user()
    own = sorted(user.units - {accounts.ALL_UNITS})
    unit = repo.validate_unit(requested or (own[0] if len(own) == 1 else default))
    if not user.sees_unit(unit):
        raise Forbidden(f"Không được tiếp nhận hồ sơ cho đơn vị {unit}.",
                        f"You may not receive dossiers for unit {unit}.")
    return unit


# Request hooks ---------------------------------------------------------------------------------

def _before() -> None:
    endpoint = request.endpoint
    if endpoint is None or _is_static(endpoint) or request.method == "OPTIONS":
        return  # 404/405 from routing, a static file, Flask's automatic OPTIONS answer
    view = current_app.view_functions.get(endpoint)
    needed = declared_permission(view)
    g.sohoa_audit = AuditNote(action=getattr(view, AUDIT_ATTR, None))
    if needed is None:
        log.error("route %s declares no permission: refused", endpoint)
        raise Forbidden("Đường dẫn này chưa khai báo quyền truy cập.",
                        "This route declares no permission.")
    if needed is Permission.PUBLIC:
        return
    g.sohoa_user = _authenticate()
    if g.sohoa_user.via == "session":
        _check_csrf()
    require(needed)


def _after(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    note: AuditNote | None = g.pop("sohoa_audit", None)
    if note is None or note.action is None:
        return response
    try:
        write_audit(note, response.status_code, optional_user())
    except Exception:  # the log must not silently lose a look: refuse reads
        log.exception("audit entry could not be written")
        if request.method in SAFE_METHODS:
            response.close()
            return problem(503, "audit_unavailable",
                           "Không ghi được nhật ký truy cập; yêu cầu bị từ chối.",
                           "The audit log could not be written; request refused.")
    return response


def _teardown(error: BaseException | None) -> None:
    note: AuditNote | None = g.pop("sohoa_audit", None)
    if error is None or note is None or note.action is None:
        return
    try:
        write_audit(note, 500, optional_user())
    except Exception:
        log.exception("audit entry of a failed request could not be written")


def _auth_problem(error: AuthError) -> Response:
    status = STATUS_BY_CODE.get(error.code, 500)
    response = problem(status, error.code, error.message_vi, error.message_en)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="sohoa"'
    return response
