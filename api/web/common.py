"""What every page shares: navigation, filters, the sign-in page and HTML error pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from api.problems import STATUS_BY_CODE
from api.web import labels
from api.web.access import allowed, auth_enabled, csrf_token, guard, public, signed_in_name
from ingest.errors import SohoaError

bp = Blueprint("web", __name__)

NAVIGATION = (
    ("counter.start", "Tiếp nhận hồ sơ", "dossier.create"),
    ("review_pages.queue", "Rà soát", "review"),
    ("desk.search", "Tra cứu", "search"),
    ("dashboard.show", "Bảng điều khiển 766", "reports.read"),
)
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
AUTH_STATUS = {"authentication_required": 401, "authentication_failed": 401, "forbidden": 403,
               "csrf_failed": 403}


@bp.app_context_processor
def _page_context() -> dict[str, Any]:
    return {"navigation": [(endpoint, text) for endpoint, text, needed in NAVIGATION
                           if allowed(needed)],
            "csrf_token": csrf_token(), "signed_in": signed_in_name(),
            "auth_enabled": auth_enabled(), "L": labels}


@bp.app_template_filter("vn_time")
def _vn_time(value: object) -> str:
    return labels.local_time(value)


@bp.app_template_filter("vn_date")
def _vn_date(value: object) -> str:
    return labels.local_time(value, with_time=False)


@bp.app_template_filter("percent")
def _percent(value: float | None) -> str:
    return labels.percent(value)


@bp.app_template_filter("number")
def _number(value: int | None) -> str:
    return labels.number(value)


@bp.get("/")
@guard("signed_in", audit=None)
def home() -> ResponseReturnValue:
    """The first screen the user's role may open (the counter without sign-in)."""
    for endpoint, _, needed in NAVIGATION:
        if allowed(needed):
            return redirect(url_for(endpoint))
    return redirect(url_for("desk.search"))


@bp.get("/dang-nhap")
@public
def login() -> ResponseReturnValue:
    return render_template("login.html", next_url=safe_next(request.args.get("next")))


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect (``//host``, ``/\\host``, ``http:``)."""
    if not target or "\\" in target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


def page_error(error: SohoaError) -> ResponseReturnValue:
    """A domain error on a page, as an HTML page with the Vietnamese message; "sign in first"
    is the sign-in form itself (401), which then comes back to the page asked for."""
    status = STATUS_BY_CODE.get(error.code) or AUTH_STATUS.get(error.code, 500)
    if error.code == "authentication_required":
        body = render_template("login.html", next_url=safe_next(request.full_path.rstrip("?")),
                               required=True)
    else:
        body = render_template("error.html", status=status, message=error.message_vi,
                               message_en=error.message_en)
    return Response(body, status=status, mimetype="text/html")


def page_headers(response: Response) -> Response:
    """Defence in depth for pages that show OCR text: only this site's scripts and styles."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def install_page_errors(blueprint: Blueprint) -> None:
    """HTML error pages and security headers for a blueprint of pages."""
    blueprint.register_error_handler(SohoaError, page_error)
    blueprint.after_request(page_headers)


install_page_errors(bp)
