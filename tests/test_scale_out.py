"""Scale-out as the README describes it: two ``sohoa worker`` processes, one Redis queue, one
PostgreSQL database and one S3 store. Every job is done, none twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from api.services import build_services
from api.usecases import accept_upload, create_dossier
from api.worker import make_queue
from storage import repository as repo
from storage.s3 import S3Config
from tests.conftest import make_settings
from tests.synthetic import BIRTH_CERTIFICATE, DEATH_FORM, render_page, to_png

JOBS = 6


def test_two_workers_share_the_queue_without_losing_or_repeating_jobs(
    tmp_path: Path, s3_server: S3Config, fresh_postgres_url: str, redis_url: str
) -> None:
    settings = make_settings(tmp_path, s3_server, database_url=fresh_postgres_url,
                             redis_url=redis_url, ocr_dpi=100, ocr_workers=1)
    services = build_services(settings)
    queue = make_queue(settings, lambda: services)
    env = dict(os.environ, SOHOA_DATABASE_URL=fresh_postgres_url, SOHOA_REDIS_URL=redis_url,
               SOHOA_S3_ENDPOINT=s3_server.endpoint, SOHOA_S3_ACCESS_KEY=s3_server.access_key,
               SOHOA_S3_SECRET_KEY=s3_server.secret_key, SOHOA_S3_BUCKET=settings.s3_bucket,
               SOHOA_VAR_DIR=str(tmp_path / "worker-var"), SOHOA_OCR_DPI="100",
               SOHOA_OCR_WORKERS="1")
    workers = [subprocess.Popen([sys.executable, "-m", "api.cli", "worker"], env=env)
               for _ in range(2)]
    try:
        pages = [to_png(render_page(spec, dpi=100), dpi=100)
                 for spec in (BIRTH_CERTIFICATE, DEATH_FORM)]
        job_ids = []
        for n in range(JOBS):
            dossier = create_dossier(services, "1.001193", "000.00.15.H05")
            [job] = accept_upload(services, dossier.id, [(f"scan-{n}.png", pages[n % 2])])
            queue.enqueue(job.id)
            job_ids.append(job.id)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            with services.session() as session:
                states = [repo.get_job(session, j).status for j in job_ids]
            if all(s in ("done", "failed") for s in states):
                break
            time.sleep(0.5)
        with services.session() as session:
            jobs = [repo.get_job(session, j) for j in job_ids]
            assert [(j.status, j.attempts) for j in jobs] == [("done", 1)] * JOBS
            assert [len(j.dossier.documents) for j in jobs] == [1] * JOBS
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGINT)
        for worker in workers:
            worker.wait(timeout=60)
        services.db.dispose()
