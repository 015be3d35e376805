"""The one-stop forms of a dossier as printable PDFs: Mẫu 01, 02 and 03."""

from __future__ import annotations

from flask import Blueprint, Response, request
from flask.typing import ResponseReturnValue

from api.auth import permission, visible_dossier
from api.context import app_context
from api.forms import FormDossier, FormLine, render_receipt, render_refusal
from api.forms import render_supplement_request as render_supplement
from api.usecases import procedure_version_of
from classify.due_date import due_date
from ingest.errors import SohoaError
from storage.auth import Permission
from storage.tables import Dossier

bp = Blueprint("forms", __name__, url_prefix="/api/dossiers")
RECEIVED_STATES = ("satisfied", "shown", "uncertain")


class UnknownForm(SohoaError):
    code = "not_found"


@bp.get("/<dossier_id>/forms/<number>.pdf")
@permission(Permission.FORMS_PRINT)
def form(dossier_id: str, number: str) -> ResponseReturnValue:
    services = app_context().services
    with services.session() as session:
        dossier = visible_dossier(session, dossier_id)
        header = _form_dossier(dossier)
        lines = (dossier.completeness or {}).get("components", [])
        forms = {c.id: c for c in procedure_version_of(services.catalogue, dossier).components}
    if number == "01":
        received = [FormLine(name=ln["name"], form=forms[ln["component_id"]].form.value,
                             quantity=max(1, len(ln["documents"])))
                    for ln in lines if ln["state"] in RECEIVED_STATES]
        pdf = render_receipt(header, received)
    elif number == "02":
        missing = [FormLine(name=ln["name"], form=forms[ln["component_id"]].form.value,
                            quantity=forms[ln["component_id"]].min_count,
                            reason=ln["explanation"])
                   for ln in lines if ln["state"] in ("missing", "uncertain") and ln["required"]]
        pdf = render_supplement(header, missing)
    elif number == "03":
        pdf = render_refusal(header, request.args.getlist("reason"))
    else:
        raise UnknownForm(f"Không có mẫu {number!r}; chỉ có 01, 02, 03.",
                          f"No form {number!r}; forms are 01, 02 and 03.")
    name = f"{header.code}.mau-{number}.pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


def _form_dossier(dossier: Dossier) -> FormDossier:
    services = app_context().services
    procedure = services.catalogue.get(dossier.procedure_code)
    version = procedure_version_of(services.catalogue, dossier)
    time = version.processing_time
    return FormDossier(
        code=dossier.code, unit_name=services.settings.unit_name,
        parent_name=services.settings.unit_parent_name, procedure_code=procedure.code,
        procedure_name=procedure.name, received_at=dossier.received_at,
        due_at=due_date(dossier.received_at, time.value, time.unit, time.cutoff),
        place=services.settings.unit_place,
    )
