"""What a request handler reaches: the services and the job queue of this app."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Request, current_app, g

from api.services import Services
from api.worker import JobQueue


@dataclass(frozen=True)
class AppContext:
    services: Services
    queue: JobQueue


def actor_of(request: Request) -> str:
    """Who is acting: the signed-in user (api.auth), never a name the client sends."""
    user = g.get("sohoa_user")
    return str(user.username) if user is not None else "anonymous"


def app_context() -> AppContext:
    context: AppContext = current_app.extensions["sohoa"]
    return context
