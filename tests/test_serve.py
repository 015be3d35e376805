"""``sohoa serve`` as a newcomer runs it: embedded S3, worker and web server as processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import free_port_block
from tests.synthetic import BIRTH_CERTIFICATE, render_page, to_png


class Server:
    def __init__(self, var_dir: Path) -> None:
        self.port = free_port_block(1)
        self.env = dict(os.environ, SOHOA_VAR_DIR=str(var_dir), SOHOA_PORT=str(self.port),
                        SOHOA_EMBEDDED_S3_PORT=str(free_port_block()), SOHOA_OCR_DPI="150")
        for key in ("SOHOA_S3_ENDPOINT", "SOHOA_S3_ACCESS_KEY", "SOHOA_S3_SECRET_KEY"):
            self.env.pop(key, None)
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "api.cli", "serve"], env=self.env,
                                        start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "sohoa serve exited during start-up"
            try:
                if requests.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.3)
        raise AssertionError("sohoa serve did not become ready")

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        return self.process.wait(timeout=60)


def descendants(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "var")
    yield running
    if running.process and running.process.poll() is None:
        os.killpg(running.process.pid, signal.SIGKILL)


def signed_in(server: Server) -> requests.Session:
    """An intake officer's bearer token, made with ``sohoa user add`` and ``sohoa user token``."""
    user = [sys.executable, "-m", "api.cli", "user"]
    subprocess.run([*user, "add", "tester", "--role", "intake", "--unit", "000.00.15.H05",
                    "--password-stdin"], input=b"a long test password\n", env=server.env,
                   check=True)
    token = subprocess.run([*user, "token", "tester"], env=server.env, check=True,
                           capture_output=True, text=True).stdout.strip()
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    return http


def test_serve_runs_the_readme_flow_and_stops_every_child(server: Server) -> None:
    http = signed_in(server)
    server.start()
    assert server.process is not None
    children = descendants(server.process.pid)
    assert len(children) >= 2  # the S3 gateway and the Huey worker
    created = http.post(f"{server.url}/api/dossiers",
                        json={"procedure_code": "1.001193", "unit": "000.00.15.H05"}).json()
    scan = to_png(render_page(BIRTH_CERTIFICATE, dpi=150), dpi=150)
    upload = http.post(f"{server.url}/api/dossiers/{created['id']}/files",
                       files={"file": ("chung-sinh.png", scan, "image/png")})
    assert upload.status_code == 202
    job_url = f"{server.url}/api/jobs/{upload.json()['job_id']}"
    deadline = time.monotonic() + 120
    while (job := http.get(job_url).json())["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.5)
    assert job["status"] == "done", job
    dossier = http.get(f"{server.url}/api/dossiers/{created['id']}").json()
    assert dossier["documents"][0]["doc_type"] == "giay_chung_sinh"
    pdf = http.get(server.url + dossier["documents"][0]["file_url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    assert server.stop() == 0
    time.sleep(0.5)
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()
                and "zombie" not in Path(f"/proc/{pid}/status").read_text()]

    server.start()  # a second start reuses the data under var/
    again = http.get(f"{server.url}/api/dossiers/{created['id']}").json()
    assert again["code"] == created["code"] and len(again["documents"]) == 1
    after_restart = http.get(server.url + dossier["documents"][0]["file_url"])
    assert after_restart.status_code == 200, after_restart.text[:500]
    assert after_restart.content == pdf.content
    assert server.stop() == 0


def test_an_idle_worker_sees_a_new_job_within_a_second() -> None:
    """Huey's default idle back-off (10 s) kept an upload after a quiet spell waiting."""
    from huey import MemoryHuey

    from api.serve import worker_consumer

    consumer = worker_consumer(MemoryHuey("idle-poll"), threads=2)
    assert consumer.max_delay <= 1.0
    assert len(consumer.worker_threads) == 2
