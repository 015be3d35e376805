"""The web pages for officers: counter, review queue, auditor's desk and the 766 dashboard.

Server-rendered Jinja templates (``api/templates``, autoescaped) with small vanilla scripts and
a stylesheet (``api/static``); the pages call the JSON API for every change they make.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from api.web import common, counter, dashboard, desk, media, review_pages

BLUEPRINTS: tuple[Blueprint, ...] = (common.bp, counter.bp, review_pages.bp, desk.bp,
                                     dashboard.bp, dashboard.api_bp, media.bp)


def register_web(app: Flask) -> None:
    """Add the pages to ``app`` (after the JSON API blueprints); a second call does nothing."""
    if common.bp.name in app.blueprints:
        return
    app.jinja_env.autoescape = True  # every template, whatever its file name
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
