"""The auditor's desk (Tra cứu): search with facets, the dossier with its report, events and
integrity, and a document viewer."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from api.archiving import integrity_json
from api.context import app_context
from api.web.access import allowed, audit_history, guard, load_document, load_dossier, visible_units
from api.web.common import install_page_errors
from api.web.dossier_view import dossier_view, page_urls, rescan_flags
from api.web.finder import DeskQuery, find, search_engine_available
from ingest.errors import SohoaError
from storage.events import event_json, events_of

bp = Blueprint("desk", __name__, url_prefix="/tra-cuu")
install_page_errors(bp)
FILTERS = ("q", "unit", "procedure", "type", "status", "from", "to")
FACET_PARAM = {"unit": "unit", "procedure_code": "procedure", "doc_type": "type",
               "status": "status"}


def _day(name: str, errors: dict[str, str]) -> dt.date | None:
    text = (request.args.get(name) or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        errors[name] = "Ngày không hợp lệ: dùng dạng năm-tháng-ngày (YYYY-MM-DD)."
        return None


def _query(errors: dict[str, str]) -> DeskQuery:
    units = visible_units()
    text = (request.args.get("q") or "").strip()
    if len(text) > 200:
        errors["q"] = "Nội dung tìm kiếm dài quá 200 ký tự."
        text = text[:200]
    start, end = _day("from", errors), _day("to", errors)
    if start and end and end < start:
        errors["to"] = "«Đến ngày» không được trước «Từ ngày»."
    return DeskQuery(
        text=text, units=sorted(units) if units is not None else None,
        unit=request.args.get("unit") or None, procedure_code=request.args.get("procedure") or None,
        doc_type=request.args.get("type") or None, status=request.args.get("status") or None,
        received_from=start, received_to=end,
        page=max(1, min(request.args.get("page", default=1, type=int) or 1, 500)))


def _link(**changes: str | None) -> str:
    """This search's URL with some parameters changed (None removes one)."""
    params = {k: request.args[k] for k in FILTERS if request.args.get(k)}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return f"?{urlencode(params)}" if params else "?"


@bp.get("")
@guard("search")
def search() -> ResponseReturnValue:
    errors: dict[str, str] = {}
    query = _query(errors)
    searched = any(request.args.get(k) for k in FILTERS)
    services = app_context().services
    result = None
    if searched and not errors:
        try:
            with services.session() as session:
                result = find(session, services.catalogue, query)
        except SohoaError as error:
            if error.code != "invalid_query":
                raise
            errors["q"] = error.message_vi
    names = {code: p.name for code, p in services.catalogue.procedures.items()}
    type_names = {code: t.name for code, t in services.doctypes.types.items()}
    return render_template("desk_search.html", result=result, query=query, errors=errors,
                           args=request.args, link=_link, facet_param=FACET_PARAM,
                           procedure_names=names, type_names=type_names,
                           full_search=search_engine_available()), 400 if errors else 200


@bp.get("/ho-so/<dossier_id>")
@guard("dossier.read")
def dossier(dossier_id: str) -> ResponseReturnValue:
    services = app_context().services
    with services.session() as session:
        row = load_dossier(session, dossier_id)
        view = dossier_view(services, row)
        events = [event_json(e) for e in events_of(session, dossier_id)]
        history = audit_history(session, dossier_id)
    objects = integrity_json(services, dossier_id)
    problems = [o for o in objects if o["fixity_status"] in ("missing", "altered", "error")]
    return render_template("desk_dossier.html", d=view, events=events, objects=objects,
                           problems=problems, history=history, can=_abilities())


def _abilities() -> dict[str, bool]:
    return {"download": allowed("document.download"),
            "reading_copy": allowed("document.reading_copy"),
            "fixity": allowed("integrity.check")}


@bp.get("/giay-to/<document_id>")
@guard("document.reading_copy")
def document(document_id: str) -> ResponseReturnValue:
    services = app_context().services
    with services.session() as session:
        row = load_document(session, document_id)
        dossier = row.dossier
        view: dict[str, Any] = {
            "id": row.id, "ordinal": row.ordinal, "doc_type_name": row.doc_type_name,
            "confidence": row.confidence, "needs_review": row.needs_review, "text": row.text,
            "fields": row.fields or {}, "pdf_sha256": row.pdf_sha256, "pdfa": row.pdfa,
            "images": page_urls(row.id, len(row.pages), 900),
            "rescan_pages": rescan_flags(row.page_info or []),
            "dossier_id": dossier.id, "dossier_code": dossier.code,
            "procedure_name": services.catalogue.get(dossier.procedure_code).name}
    return render_template("desk_document.html", doc=view, can=_abilities())
