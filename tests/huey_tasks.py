"""A tiny Huey task for the several-workers test: records which process ran which task.

The queue is the application's own (``api.worker.make_queue`` with ``redis_url``); one extra task,
``record_run``, is registered on it. The producer (the test) and each consumer process build it the
same way, so Huey's task registry (``tests.huey_tasks.record_run``) matches on both sides.

Run one consumer:
``python -c 'from tests.huey_tasks import consume; consume()' REDIS_URL VAR_DIR RUNS_DB``
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import NoReturn

from huey.api import TaskWrapper

from api.settings import Settings
from api.worker import JobQueue, make_queue

TABLES = ("CREATE TABLE IF NOT EXISTS runs (number INTEGER NOT NULL, pid INTEGER NOT NULL)",
          "CREATE TABLE IF NOT EXISTS ready (pid INTEGER NOT NULL)")


def record_run(number: int, database: str) -> int:
    """Append (number, pid) to the ``runs`` table: one row per execution, duplicates kept."""
    time.sleep(0.02)  # long enough that the consumers take turns
    connection = sqlite3.connect(database, timeout=30, isolation_level=None)
    try:
        connection.execute("INSERT INTO runs (number, pid) VALUES (?, ?)", (number, os.getpid()))
    finally:
        connection.close()
    return os.getpid()


def _no_services() -> NoReturn:
    raise AssertionError("the record_run test never processes a real job")


def build_queue(redis_url: str, var_dir: Path) -> tuple[JobQueue, TaskWrapper]:
    queue = make_queue(Settings(redis_url=redis_url, var_dir=var_dir), _no_services)
    record: TaskWrapper = queue.huey.task(name="record_run")(record_run)
    return queue, record


def create_runs_table(database: Path) -> None:
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        for statement in TABLES:
            connection.execute(statement)
    finally:
        connection.close()


def read_runs(database: Path) -> list[tuple[int, int]]:
    connection = sqlite3.connect(database, timeout=30)
    try:
        return [(n, pid) for n, pid in connection.execute("SELECT number, pid FROM runs")]
    finally:
        connection.close()


def read_ready(database: Path) -> set[int]:
    connection = sqlite3.connect(database, timeout=30)
    try:
        return {pid for (pid,) in connection.execute("SELECT pid FROM ready")}
    finally:
        connection.close()


def consume(argv: list[str] | None = None) -> None:
    """A consumer process like ``sohoa worker``: one thread, SIGINT stops it gracefully.

    Arguments: REDIS_URL VAR_DIR RUNS_DB; the worker writes its pid to ``ready`` once it starts.
    """
    redis_url, var_dir, database = argv or sys.argv[1:4]
    queue, _ = build_queue(redis_url, Path(var_dir))

    @queue.huey.on_startup()
    def announce() -> None:
        connection = sqlite3.connect(database, timeout=30, isolation_level=None)
        try:
            connection.execute("INSERT INTO ready (pid) VALUES (?)", (os.getpid(),))
        finally:
            connection.close()

    # no scheduler: a periodic task (nightly fixity) must not fire into this test's queue
    queue.huey.create_consumer(workers=1, worker_type="thread", periodic=False).run()
