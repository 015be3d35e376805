"""Search for auditors and archivists: GET /api/search."""

from __future__ import annotations

import dataclasses
import datetime as dt

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from api.auth import dossier_units, permission
from api.context import app_context
from storage.auth import Permission
from storage.search import DEFAULT_PAGE_SIZE, InvalidQuery, SearchQuery, search

bp = Blueprint("search", __name__, url_prefix="/api")
MAX_PARAM = 500


@bp.get("/search")
@permission(Permission.SEARCH)
def find() -> ResponseReturnValue:
    """Full text (with or without diacritics, "phrases"), look-ups and facets, own units only."""
    args = request.args
    if any(len(v) > MAX_PARAM for values in args.listvalues() for v in values):
        raise InvalidQuery("Tham số tìm kiếm quá dài.", "A search parameter is too long.")
    units = dossier_units()
    wanted = args.getlist("unit") or None
    if units is not None and wanted is not None:
        wanted = [u for u in wanted if u in units]
    query = SearchQuery(
        text=args.get("q", ""), dossier_code=args.get("code") or None,
        person_id=args.get("id") or None, person_name=args.get("name") or None,
        units=wanted if wanted is not None else (sorted(units) if units is not None else None),
        procedure_codes=args.getlist("procedure") or None,
        doc_types=args.getlist("doc_type") or None, statuses=args.getlist("status") or None,
        received_from=_day(args.get("from")), received_to=_day(args.get("to")),
        page=_whole("page", 1), page_size=_whole("page_size", DEFAULT_PAGE_SIZE),
    )
    with app_context().services.session() as session:
        result = search(session, query)
    return jsonify(
        total=result.total, total_exact=result.total_exact, page=result.page,
        page_size=result.page_size,
        hits=[{**{k: v for k, v in dataclasses.asdict(h).items() if k != "snippet"},
               "received_at": h.received_at.isoformat(),
               "snippet": [{"text": s.text, "match": s.match} for s in h.snippet]}
              for h in result.hits],
        facets={name: [dataclasses.asdict(c) for c in counts]
                for name, counts in result.facets.items()})


def _whole(name: str, default: int) -> int:
    """A positive whole number; a page size above the maximum is capped by the search."""
    text = request.args.get(name)
    if text is None or text == "":
        return default
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise InvalidQuery(f"Tham số {name} phải là số nguyên dương: {text[:20]!r}.",
                           f"Parameter {name} must be a positive whole number: {text[:20]!r}.")
    return int(text)


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidQuery(f"Ngày không hợp lệ: {text[:20]!r} (YYYY-MM-DD).",
                           f"Invalid date {text[:20]!r} (YYYY-MM-DD).") from None
