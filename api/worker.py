"""The background queue (Huey): SQLite file by default, Redis for several worker hosts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from huey import Huey, RedisHuey, SqliteHuey
from huey.api import TaskWrapper

from api.services import Services
from api.settings import Settings


@dataclass(frozen=True)
class JobQueue:
    huey: Huey
    process_job: TaskWrapper

    def enqueue(self, job_id: str) -> None:
        self.process_job(job_id)


def make_queue(settings: Settings, services: Callable[[], Services]) -> JobQueue:
    """Build the queue and register its tasks; ``services`` is called in the worker only."""
    if settings.redis_url:
        huey: Huey = RedisHuey("sohoa", url=settings.redis_url)
    else:
        path = settings.resolved_queue_path
        path.parent.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey("sohoa", filename=str(path))

    @huey.task(retries=3, retry_delay=10, name="process_job")
    def process_job(job_id: str) -> None:
        from api.orchestrator import run_job  # the web process never needs the OCR stack

        run_job(job_id, services())

    return JobQueue(huey=huey, process_job=process_job)
