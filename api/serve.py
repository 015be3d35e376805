"""``sohoa serve``: embedded S3 (if no external one), start-up checks, worker, web server.

Every child is stopped on Ctrl-C or SIGTERM; a second start reuses ``var/``.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import waitress
from huey import Huey
from huey.consumer import Consumer

from api.app import create_app
from api.seaweed import EmbeddedS3
from api.services import build_services, s3_config_from
from api.settings import Settings
from api.worker import make_queue
from storage.s3 import ObjectStore, S3Config, StorageUnavailable

log = logging.getLogger("sohoa")
IDLE_POLL_SECONDS = 0.5  # longest wait of an idle worker before it sees a new job


@contextmanager
def object_storage(settings: Settings) -> Iterator[S3Config]:
    """The configured S3, or the embedded SeaweedFS for as long as the block runs.

    If an embedded store of ours already answers on its port (``make run`` in another
    terminal), it is reused rather than started twice on the same data.
    """
    if not settings.uses_embedded_s3:
        yield s3_config_from(settings)
        return
    embedded = EmbeddedS3(settings.var_dir / "s3", settings.embedded_s3_port, settings.s3_bucket)
    try:
        ObjectStore(embedded.config, retries=0).ensure_bucket()
        yield embedded.config
        return
    except StorageUnavailable:
        pass
    log.info("Khởi động SeaweedFS S3 tại 127.0.0.1:%s …", settings.embedded_s3_port)
    config = embedded.start()
    try:
        yield config
    finally:
        embedded.stop()


def child_environment(s3: S3Config) -> dict[str, str]:
    env = dict(os.environ)
    env.update(SOHOA_S3_ENDPOINT=s3.endpoint, SOHOA_S3_ACCESS_KEY=s3.access_key,
               SOHOA_S3_SECRET_KEY=s3.secret_key, SOHOA_S3_BUCKET=s3.bucket,
               SOHOA_S3_SECURE=str(s3.secure).lower())
    return env


def _raise_keyboard_interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(settings: Settings) -> None:
    for signum in (signal.SIGINT, signal.SIGTERM):  # SIGINT may arrive ignored from a shell
        signal.signal(signum, _raise_keyboard_interrupt)
    with object_storage(settings) as s3:
        services = build_services(settings, s3)
        worker = subprocess.Popen([sys.executable, "-m", "api.cli", "worker"],
                                  env=child_environment(s3))
        try:
            app = create_app(services, make_queue(settings, lambda: services))
            log.info("sohoa sẵn sàng tại http://%s:%s", settings.host, settings.port)
            print(f"sohoa: http://{settings.host}:{settings.port}  (Ctrl-C để dừng)", flush=True)
            waitress.serve(app, host=settings.host, port=settings.port, threads=8,
                           _quiet=True)
        except KeyboardInterrupt:
            pass
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()


def run_worker(settings: Settings) -> None:
    services = build_services(settings)
    services.classifier.warm()  # the first job should not wait for the model to load
    consumer = worker_consumer(make_queue(settings, lambda: services).huey,
                               settings.worker_threads)
    log.info("Huey worker started (%s threads)", settings.worker_threads)
    consumer.run()


def worker_consumer(huey: Huey, threads: int) -> Consumer:
    """The job consumer, polling an idle queue at least every ``IDLE_POLL_SECONDS``.

    Huey's default backs off to 10 s between polls, so the first upload after a quiet spell
    waited up to 10 s before any page was read (bench.speed: first page 4.6 s one run, 8.0 s
    the next). Polling the SQLite queue twice a second costs nothing measurable.
    """
    return huey.create_consumer(workers=threads, worker_type="thread",
                                max_delay=IDLE_POLL_SECONDS)
