"""Flask application factory: nothing is built at import time."""

from __future__ import annotations

from flask import Flask

from api.auth import AuthConfig, auth_config_from, install_auth
from api.context import AppContext
from api.openapi import route as openapi_route
from api.problems import register_problem_handlers
from api.routes import auth_routes, documents, dossiers, forms, health, jobs, procedures, review
from api.routes import search as search_routes
from api.services import Services
from api.web import register_web
from api.worker import JobQueue


def create_app(services: Services, queue: JobQueue, auth: AuthConfig | None = None) -> Flask:
    app = Flask(__name__)
    settings = services.settings
    # Slack above the file cap for multipart framing; the exact cap is checked per file.
    app.config["MAX_CONTENT_LENGTH"] = settings.max_upload_mb * 1024 * 1024 + 1024 * 1024
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions["sohoa"] = AppContext(services=services, queue=queue)
    register_problem_handlers(app)
    install_auth(app, auth or auth_config_from(settings))
    for blueprint in (health.bp, procedures.bp, dossiers.bp, forms.bp, jobs.bp, documents.bp,
                      review.bp, auth_routes.bp, search_routes.bp):
        app.register_blueprint(blueprint)
    register_web(app)
    app.register_blueprint(openapi_route.bp)  # GET /api/openapi.json
    return app
