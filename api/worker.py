"""The background queue (Huey): SQLite file by default, Redis for several worker hosts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.api import TaskWrapper
from huey.exceptions import RetryTask

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

    @huey.task(name="process_job")
    def process_job(job_id: str) -> None:
        from api.orchestrator import Retry, run_job  # the web process never needs OCR

        try:
            run_job(job_id, services())
        except Retry as retry:
            raise RetryTask(delay=retry.delay) from retry

    @huey.periodic_task(crontab(hour="2", minute="15"), name="nightly_fixity")
    def nightly_fixity() -> None:
        from api.archiving import check_integrity

        check_integrity(services(), sample=settings.fixity_sample)

    @huey.periodic_task(crontab(hour="3", minute="15"), name="orphan_cleanup")
    def orphan_cleanup() -> None:
        from api.archiving import cleanup

        cleanup(services(), dt.timedelta(hours=settings.orphan_grace_hours))

    return JobQueue(huey=huey, process_job=process_job)
