"""Query parameters shared by the routes: checked, bounded, with VI/EN messages on 400."""

from __future__ import annotations

from flask import request

from ingest.errors import SohoaError


class InvalidParameter(SohoaError):
    code = "invalid_request"


def bounded_int(name: str, default: int, low: int, high: int) -> int:
    """``name`` as a whole number in [low, high]; absent gives ``default``, anything else 400.

    The bound also keeps values inside the database's 64-bit integers (an unbounded offset
    was a 500 on SQLite).
    """
    text = request.args.get(name)
    if text is None:
        return default
    if not text.isdigit() or len(text) > 12 or not low <= int(text) <= high:
        raise InvalidParameter(f"Tham số {name} phải là số nguyên từ {low} đến {high}.",
                               f"Parameter {name} must be an integer from {low} to {high}.")
    return int(text)
