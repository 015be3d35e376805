"""The counter (Tiếp nhận hồ sơ): choose the procedure, see its checklist, create the dossier,
then upload scans and follow the completeness report until it can be printed and archived."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from api.context import app_context
from api.usecases import VIETNAM, create_dossier
from api.web.access import actor, guard, load_dossier, visible_units
from api.web.common import install_page_errors
from api.web.dossier_view import dossier_view
from classify.catalogue.schema import Procedure, ProcedureVersion
from ingest.errors import SohoaError

bp = Blueprint("counter", __name__, url_prefix="/tiep-nhan")
install_page_errors(bp)
CHANNELS = ("truc_tiep", "truc_tuyen", "buu_chinh")


def _version_today(procedure: Procedure) -> ProcedureVersion | None:
    return procedure.version_on(dt.datetime.now(VIETNAM).date())


def _unit_choices() -> list[str]:
    units = visible_units()
    default = app_context().services.settings.default_unit
    if units is None:
        return [default]
    return sorted(u for u in units if u != "*") or [default]


@bp.get("")
@guard("dossier.create", audit=None)
def start() -> ResponseReturnValue:
    """Search the catalogue (also without JavaScript) and show the chosen procedure's checklist."""
    return _start_page(request.args.get("q", "")[:200], request.args.get("thu_tuc", "")[:40])


def _start_page(query: str, code: str, errors: dict[str, str] | None = None,
                status: int = 200) -> ResponseReturnValue:
    services = app_context().services
    found = services.catalogue.search(query) if query.strip() else []
    procedure = services.catalogue.procedures.get(code.strip()) if code else None
    version = _version_today(procedure) if procedure else None
    errors = dict(errors or {})
    if code and procedure is None:
        errors.setdefault("procedure_code", f"Không có thủ tục mã «{code}» trong danh mục.")
    body = render_template(
        "counter_start.html", query=query, found=found[:30], procedure=procedure,
        version=version, units=_unit_choices(), channels=CHANNELS, errors=errors,
        form=request.form if request.method == "POST" else {})
    return Response(body, status=status, mimetype="text/html")


@bp.get("/thu-tuc/<code>")
@guard("catalogue.read", audit=None)
def checklist(code: str) -> ResponseReturnValue:
    """The checklist of one procedure as an HTML fragment, for the page to show at once."""
    services = app_context().services
    procedure = services.catalogue.get(code)
    version = _version_today(procedure)
    return render_template("_checklist.html", procedure=procedure, version=version,
                           units=_unit_choices(), channels=CHANNELS, errors={}, form={})


@bp.post("")
@guard("dossier.create")
def create() -> ResponseReturnValue:
    """Create the dossier from the form; errors come back inline, in Vietnamese."""
    code = (request.form.get("procedure_code") or "").strip()[:40]
    unit = (request.form.get("unit") or "").strip()[:40]
    channel = request.form.get("channel") or "truc_tiep"
    errors: dict[str, str] = {}
    if not code:
        errors["procedure_code"] = "Hãy chọn thủ tục trước khi tạo hồ sơ."
    if channel not in CHANNELS:
        errors["channel"] = "Hình thức nộp không hợp lệ."
    allowed_units = visible_units()
    if allowed_units is not None and "*" not in allowed_units and unit not in allowed_units:
        errors["unit"] = "Bạn không thuộc đơn vị này."
    if errors:
        return _start_page("", code, errors, 400)
    try:
        dossier = create_dossier(app_context().services, code, unit or None, channel,
                                 actor=actor())
    except SohoaError as error:
        field = "unit" if error.code == "invalid_unit" else "procedure_code"
        return _start_page("", code, {field: error.message_vi}, 400)
    return redirect(url_for("counter.dossier", dossier_id=dossier.id), 303)


@bp.get("/ho-so/<dossier_id>")
@guard("dossier.read")
def dossier(dossier_id: str) -> ResponseReturnValue:
    services = app_context().services
    with services.session() as session:
        view = dossier_view(services, load_dossier(session, dossier_id))
    return render_template("counter_dossier.html", d=view)


@bp.get("/ho-so/<dossier_id>/khung")
@guard("dossier.read", audit=None)
def panel(dossier_id: str) -> ResponseReturnValue:
    """The dossier panel alone: the page swaps it in after every upload, answer or correction."""
    services = app_context().services
    with services.session() as session:
        view = dossier_view(services, load_dossier(session, dossier_id))
    return render_template("_dossier_panel.html", d=view)
