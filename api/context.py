"""What a request handler reaches: the services and the job queue of this app."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Request, current_app

from api.services import Services
from api.worker import JobQueue


@dataclass(frozen=True)
class AppContext:
    services: Services
    queue: JobQueue


def actor_of(request: Request) -> str:
    """Who is acting. Until user accounts exist (issue 7) a client may name itself."""
    return (request.headers.get("X-Sohoa-User") or "anonymous")[:100]


def app_context() -> AppContext:
    context: AppContext = current_app.extensions["sohoa"]
    return context
