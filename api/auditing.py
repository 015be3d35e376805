"""The audit entry of each request: what it touched and how it ended (nhật ký truy cập)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import g, request

from api.context import app_context
from storage import audit
from storage.auth import Principal
from storage.tables import Dossier

URL_TARGETS = ("dossier_id", "document_id", "job_id", "code")


@dataclass
class AuditNote:
    """What the audit entry of the current request will say, filled in as the view runs."""

    action: str | None
    target: str = ""
    dossier_id: str | None = None
    dossier_code: str | None = None
    unit: str | None = None
    username: str | None = None  # the name tried at login, when nobody is signed in
    detail: dict[str, Any] = field(default_factory=dict)



def audit_note(action: str | None = None, *, target: str | None = None,
               username: str | None = None, **detail: Any) -> None:
    """Refine this request's audit entry: another action (e.g. "override"), its target, the
    name tried at a failed login, more detail."""
    note: AuditNote | None = g.get("sohoa_audit")
    if note is None:
        return
    note.action = action or note.action
    note.target = target or note.target
    note.username = username or note.username
    note.detail.update(detail)


def audit_dossier(dossier: Dossier, target: str | None = None) -> None:
    note: AuditNote | None = g.get("sohoa_audit")
    if note is not None:
        note.target = target or f"dossier:{dossier.id}"
        note.dossier_id, note.dossier_code, note.unit = dossier.id, dossier.code, dossier.unit


def outcome_of(status: int) -> str:
    if status < 400:
        return "success"
    named = {401: "unauthenticated", 403: "denied", 404: "not_found", 410: "not_found"}
    return named.get(status, "rejected" if status < 500 else "error")


def write_audit(note: AuditNote, status: int, user: Principal | None) -> None:
    """Append the request's entry to the hash-chained audit log, in its own transaction."""
    assert note.action is not None
    args = request.view_args or {}
    target = note.target or next((f"{k.removesuffix('_id')}:{args[k]}" for k in URL_TARGETS
                                  if k in args), request.path)
    detail: dict[str, Any] = {"method": request.method, "path": request.path[:300]}
    if request.args:
        detail["query"] = {k: v[:200] for k, v in list(request.args.items())[:20]}
    detail.update(note.detail)
    record = audit.AuditRecord(
        username=user.username if user else (note.username or "anonymous"),
        role=user.role.value if user else "", action=note.action, outcome=outcome_of(status),
        target=target, dossier_id=note.dossier_id or args.get("dossier_id"),
        dossier_code=note.dossier_code, unit=note.unit,
        address=request.remote_addr or "", status=status, detail=detail)
    with app_context().services.session() as db:
        audit.append(db, record)


