"""Who may see a page, and which dossiers: the pages' side of sign-in, roles and units.

With sign-in installed (``api.auth.install_auth``, as ``create_app`` does) every page declares
and enforces its permission through ``api.auth.permission``, reads dossiers through the unit
check (another unit's dossier is "not found") and posts with the session's CSRF token. An app
built without it (a bare Flask app in a test) serves the pages to anybody.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import current_app, g, request
from sqlalchemy.orm import Session

from api import auth as _auth
from api.context import actor_of
from storage import audit as _audit
from storage import repository as repo
from storage.auth import Permission as _Permission
from storage.tables import Document, Dossier

View = TypeVar("View", bound=Callable[..., Any])
DEFAULT_AUDIT = "<default>"


def auth_enabled() -> bool:
    return "sohoa_auth" in current_app.extensions


def guard(permission: str, audit: str | None = DEFAULT_AUDIT) -> Callable[[View], View]:
    """Declare the permission a page needs (e.g. ``"dossier.read"``) and its audit action."""
    def decorate(view: View) -> View:
        needed = _Permission(permission)
        guarded = _auth.permission(needed, audit=_auth.DEFAULT if audit == DEFAULT_AUDIT
                                   else audit)(view)

        @functools.wraps(view)
        def call(*args: Any, **kwargs: Any) -> Any:
            return guarded(*args, **kwargs) if auth_enabled() else view(*args, **kwargs)
        for attribute in (_auth.PERMISSION_ATTR, _auth.AUDIT_ATTR):
            setattr(call, attribute, getattr(guarded, attribute))
        return cast(View, call)
    return decorate


def public(view: View) -> View:
    return guard("public", audit=None)(view)


def allowed(permission: str) -> bool:
    """May the current user do this? (Always, without sign-in installed.)"""
    if not auth_enabled():
        return True
    user = _auth.optional_user()
    return user is not None and user.can(_Permission(permission))


def visible_units() -> frozenset[str] | None:
    """The units whose dossiers the user may see; None: every unit."""
    return _auth.dossier_units() if auth_enabled() else None


def load_dossier(session: Session, dossier_id: str) -> Dossier:
    if auth_enabled():
        return _auth.visible_dossier(session, dossier_id)
    return repo.get_dossier(session, dossier_id)


def load_document(session: Session, document_id: str) -> Document:
    if auth_enabled():
        return _auth.visible_document(session, document_id)
    return repo.get_document(session, document_id)


def actor() -> str:
    if auth_enabled():
        return str(_auth.current_user().username)
    return actor_of(request)


def csrf_token() -> str | None:
    return _auth.csrf_token() if auth_enabled() else None


def signed_in_name() -> str | None:
    if not auth_enabled():
        return None
    user = g.get("sohoa_user")
    return str(user.username) if user is not None else None


def audit_history(session: Session, dossier_id: str, limit: int = 100
                  ) -> list[dict[str, Any]] | None:
    """Who looked at or changed the dossier (the audit log), for users who may read it."""
    if not auth_enabled() or not allowed("audit.read"):
        return None
    query = _audit.AuditQuery(dossier=dossier_id, units=visible_units(), limit=limit)
    return [_audit.entry_json(entry) for entry in _audit.search(session, query)]
