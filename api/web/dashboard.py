"""The leader's dashboard (Bảng điều khiển 766): indicators per unit, procedure and month,
charts, CSV/XLSX export, and the state of the processing queue."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from api.context import app_context
from api.web import charts
from api.web.access import guard, visible_units
from api.web.common import install_page_errors
from api.web.export import to_csv, to_xlsx
from api.web.labels import VIETNAM
from ingest.errors import SohoaError
from storage.metrics import MetricsFilter, MetricsReport, compute_metrics, known_values, queue_state

bp = Blueprint("dashboard", __name__, url_prefix="/bang-dieu-khien")
api_bp = Blueprint("metrics_api", __name__, url_prefix="/api/metrics")
install_page_errors(bp)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PARAMS = ("unit", "procedure", "from", "to")


class InvalidFilter(SohoaError):
    code = "invalid_request"


def _month(args: MultiDict[str, str], name: str, errors: dict[str, str]) -> dt.date | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(f"{text[:7]}-01")
    except ValueError:
        errors[name] = "Tháng không hợp lệ: dùng dạng năm-tháng (YYYY-MM)."
        return None


def metrics_filter(args: MultiDict[str, str]) -> tuple[MetricsFilter, dict[str, str]]:
    """The dashboard's filter from the query string, within the units the user may see."""
    errors: dict[str, str] = {}
    start, end = _month(args, "from", errors), _month(args, "to", errors)
    if start and end and end < start:
        errors["to"] = "«Đến tháng» không được trước «Từ tháng»."
    visible = visible_units()
    units: list[str] | None = sorted(visible) if visible is not None else None
    unit = (args.get("unit") or "").strip()
    if unit:
        units = [unit] if units is None or unit in units else []
    procedure = (args.get("procedure") or "").strip()
    return MetricsFilter(units=units, procedure_codes=[procedure] if procedure else None,
                         month_from=start, month_to=end), errors


def _report(args: MultiDict[str, str]) -> tuple[MetricsReport, dict[str, int]]:
    wanted, errors = metrics_filter(args)
    if errors:
        first = next(iter(errors.values()))
        raise InvalidFilter(first, "Invalid dashboard filter: " + ", ".join(errors))
    services = app_context().services
    with services.session() as session:
        return (compute_metrics(session, services.catalogue, wanted),
                queue_state(session, wanted.units))


def _names() -> dict[str, str]:
    return {code: p.name for code, p in app_context().services.catalogue.procedures.items()}


@bp.get("")
@guard("reports.read")
def show() -> ResponseReturnValue:
    wanted, errors = metrics_filter(request.args)
    services = app_context().services
    with services.session() as session:
        visible = visible_units()
        units, codes = known_values(session, sorted(visible) if visible is not None else None)
        report = None if errors else compute_metrics(session, services.catalogue, wanted)
        queue = queue_state(session, wanted.units)
    query = urlencode({k: request.args[k] for k in PARAMS if request.args.get(k)})
    return render_template(
        "dashboard.html", report=report, queue=queue, errors=errors, args=request.args,
        units=units, codes=codes, names=_names(), charts=_charts(report) if report else {},
        export_query=query), 400 if errors else 200


def _charts(report: MetricsReport) -> dict[str, Any]:
    months = list(report.by_month)
    monthly = charts.grouped_bars(months, [
        charts.Series("Tiếp nhận", [c.received for c in report.by_month.values()], "bar-a"),
        charts.Series("4.2 Đã số hóa", [c.digitized for c in report.by_month.values()],
                      "bar-b"),
        charts.Series("4.3 Tái sử dụng", [c.reused for c in report.by_month.values()], "bar-c"),
    ], "Hồ sơ theo tháng: tiếp nhận, đã số hóa, tái sử dụng dữ liệu")
    by_unit = charts.rate_bars([(u, c.digitized_rate) for u, c in report.by_unit.items()],
                               "Tỷ lệ 4.2 (phần thành phần hồ sơ) theo đơn vị")
    by_procedure = charts.rate_bars(
        [(p, c.reuse_rate) for p, c in report.by_procedure.items()],
        "Tỷ lệ 4.3 (tái sử dụng dữ liệu số hóa) theo thủ tục")
    return {"monthly": monthly, "by_unit": by_unit, "by_procedure": by_procedure}


@api_bp.get("/766")
@guard("reports.read")
def metrics_json() -> ResponseReturnValue:
    report, queue = _report(request.args)
    return jsonify({**report.as_json(), "queue": queue})


def _stamp() -> str:
    return dt.datetime.now(VIETNAM).strftime("%Y%m%d-%H%M")


@api_bp.get("/766.csv")
@guard("reports.read", audit="export")
def metrics_csv() -> ResponseReturnValue:
    report, _ = _report(request.args)
    return Response(to_csv(report, _names()), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="sohoa-chi-so-766-{_stamp()}.csv"'})


@api_bp.get("/766.xlsx")
@guard("reports.read", audit="export")
def metrics_xlsx() -> ResponseReturnValue:
    report, _ = _report(request.args)
    return Response(to_xlsx(report, _names()), mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="sohoa-chi-so-766-{_stamp()}.xlsx"'})
