"""The private test servers, and several Huey workers sharing one Redis queue.

Two consumer processes, built like ``sohoa worker`` with ``SOHOA_REDIS_URL``, drain one queue: every
task runs exactly once and both processes take part. (S3 and OCR are left to the pipeline tests.)
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text

from tests.huey_tasks import build_queue, create_runs_table, read_ready, read_runs
from tests.servers import (
    PrivatePostgres,
    PrivateRedis,
    ServerNotInstalled,
    server_unavailable,
)

REPO = Path(__file__).resolve().parent.parent
TASKS = 40


def refuses_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return True
    return False


def test_private_postgres_runs_from_a_temp_dir_and_leaves_nothing() -> None:
    server = PrivatePostgres()  # always a private cluster, even with SOHOA_TEST_POSTGRES_URL set
    try:
        server.start()
    except ServerNotInstalled as exc:
        server_unavailable(str(exc))
    try:
        directory = server.directory
        assert directory is not None and (directory / "data" / "PG_VERSION").exists()
        assert server.url == f"postgresql+psycopg://postgres@127.0.0.1:{server.port}/sohoa_test"
        engine = create_engine(server.url)
        with engine.connect() as connection:
            settings = {name: connection.execute(text(f"SHOW {name}")).scalar()
                        for name in ("server_encoding", "listen_addresses", "fsync")}
            assert connection.execute(text("SELECT lower('ĐƠN ĐỀ NGHỊ')")).scalar() == "đơn đề nghị"
        engine.dispose()
        assert settings == {"server_encoding": "UTF8", "listen_addresses": "127.0.0.1",
                            "fsync": "off"}
    finally:
        server.stop()
    assert not directory.exists()
    assert refuses_connections(server.port)


def test_private_redis_keeps_nothing_on_disk_and_stops() -> None:
    server = PrivateRedis()
    try:
        server.start()
    except ServerNotInstalled as exc:
        server_unavailable(str(exc))
    process, directory = server.process, server.directory
    try:
        client = redis.Redis.from_url(server.url)
        assert client.ping()
        config = {**client.config_get("save"), **client.config_get("appendonly"),
                  **client.config_get("bind")}
        client.close()
        assert config == {"save": "", "appendonly": "no", "bind": "127.0.0.1"}
    finally:
        server.stop()
    assert process is not None and process.poll() is not None
    assert directory is not None and not directory.exists()
    assert refuses_connections(server.port)


def test_missing_servers_are_reported_with_the_way_to_install_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ServerNotInstalled, match=r"PostgreSQL not installed.*make test"):
        PrivatePostgres(bin_patterns=[str(tmp_path / "postgresql/*/bin")]).start()
    with pytest.raises(ServerNotInstalled, match=r"Redis not installed.*make test"):
        PrivateRedis().start()


def test_two_workers_share_one_redis_queue_and_run_every_task_once(
        redis_url: str, tmp_path: Path) -> None:
    runs = tmp_path / "runs.db"
    create_runs_table(runs)
    var_dir = tmp_path / "var"
    queue, record = build_queue(redis_url, var_dir)
    logs = [tmp_path / f"worker-{n}.log" for n in range(2)]
    workers = [start_worker(redis_url, var_dir, runs, log) for log in logs]
    try:
        wait_until_ready(workers, runs, logs)
        results = [record(number, str(runs)) for number in range(TASKS)]
        pids = [result.get(blocking=True, timeout=60) for result in results]
    finally:
        stopped = stop_workers(workers)
    assert stopped == [0, 0], worker_output(logs)
    ran = read_runs(runs)
    assert Counter(number for number, _ in ran) == Counter(range(TASKS))  # none lost, none twice
    assert sorted(ran) == sorted(zip(range(TASKS), pids, strict=True))  # results agree
    assert {pid for _, pid in ran} == {worker.pid for worker in workers}  # both took part
    assert queue.huey.pending_count() == 0


def start_worker(redis_url: str, var_dir: Path, runs: Path, log: Path
                 ) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-c", "from tests.huey_tasks import consume; consume()", redis_url,
             str(var_dir), str(runs)],
            cwd=REPO, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT)


def wait_until_ready(workers: list[subprocess.Popen[bytes]], runs: Path,
                     logs: list[Path]) -> None:
    """Both consumers are started (their worker threads announced themselves)."""
    deadline = time.monotonic() + 60
    while read_ready(runs) != {worker.pid for worker in workers}:
        exited = [worker.args for worker in workers if worker.poll() is not None]
        assert not exited and time.monotonic() < deadline, worker_output(logs)
        time.sleep(0.05)


def stop_workers(workers: list[subprocess.Popen[bytes]]) -> list[int | None]:
    """SIGINT: Huey's graceful stop (finish the running task, then exit 0)."""
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGINT)
    codes: list[int | None] = []
    for worker in workers:
        try:
            codes.append(worker.wait(timeout=30))
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
            codes.append(None)
    return codes


def worker_output(logs: list[Path]) -> str:
    return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}"
                     for log in logs if log.exists())

