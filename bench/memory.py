"""``sohoa serve`` as a subprocess, and what its process tree costs in memory and CPU.

Used by ``bench.speed`` and ``bench.latency``; run alone it uploads generated dense pages to a
fresh server and prints the peak resident memory of the whole tree (web, Huey worker, the
SeaweedFS ``weed`` gateway and the Tesseract children) sampled from ``/proc`` every 100 ms.

    .venv/bin/python -m bench.memory [--pages 30] [--dpi 300]

RSS is summed over processes, so pages shared between them (libraries mapped by several
processes) count more than once: an upper bound. PSS (``smaps_rollup``, sampled every 0.5 s)
splits shared pages and is the fair sum; both are printed.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import requests

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
MB = 1024 * 1024


# ---------------------------------------------------------------- /proc
@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    comm: str
    rss: int  # bytes
    cpu: float  # seconds: own user+system plus that of waited-for children
    children_cpu: float = 0.0  # of which the waited-for children (the worker's Tesseracts)


def _read_proc(pid: int) -> Proc | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = stat[stat.index("(") + 1: stat.rindex(")")]
    fields = stat[stat.rindex(")") + 2:].split()
    # fields[0] is field 3 (state): ppid 4, utime 14, stime 15, cutime 16, cstime 17, rss 24
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))
    children = int(fields[13]) + int(fields[14])
    return Proc(pid, int(fields[1]), comm, int(fields[21]) * PAGE_SIZE, ticks / CLOCK_TICKS,
                children / CLOCK_TICKS)


def process_tree(root: int) -> list[Proc]:
    """``root`` and all its descendants, from one pass over ``/proc``."""
    by_parent: dict[int, list[Proc]] = defaultdict(list)
    own: Proc | None = None
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            proc = _read_proc(int(entry.name))
            if proc is None:
                continue
            by_parent[proc.ppid].append(proc)
            if proc.pid == root:
                own = proc
    if own is None:
        return []
    tree, todo = [own], [own.pid]
    while todo:
        for child in by_parent.get(todo.pop(), []):
            tree.append(child)
            todo.append(child.pid)
    return tree


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def role_of(proc: Proc, root: int) -> str:
    if proc.pid == root:
        return "web"
    if proc.comm == "weed":
        return "s3 (weed)"
    if proc.comm.startswith("tesseract"):
        return "tesseract"
    if "api.cli worker" in cmdline(proc.pid):
        return "worker"
    return proc.comm


def pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds used so far by the tree (children that were waited for included)."""
    return sum(p.cpu for p in process_tree(root))


def cpu_by_role(root: int) -> dict[str, float]:
    """CPU seconds so far per role; the worker's finished Tesseract runs count as tesseract."""
    roles: dict[str, float] = defaultdict(float)
    for proc in process_tree(root):
        role = role_of(proc, root)
        roles[role] += proc.cpu - proc.children_cpu
        roles["tesseract" if role == "worker" else role] += proc.children_cpu
    return roles


@dataclass
class MemoryPeak:
    total_rss: int = 0
    at_peak: dict[str, int] = field(default_factory=dict)
    role_peaks: dict[str, int] = field(default_factory=dict)
    total_pss: int = 0
    samples: int = 0
    max_tesseract: int = 0
    peak_after: float = 0.0  # seconds from the start of sampling to the RSS peak

    def as_json(self) -> dict[str, Any]:
        return {"peak_rss_mb": round(self.total_rss / MB),
                "peak_pss_mb": round(self.total_pss / MB),
                "at_peak_mb": {k: round(v / MB) for k, v in sorted(self.at_peak.items())},
                "role_peaks_mb": {k: round(v / MB) for k, v in sorted(self.role_peaks.items())},
                "peak_after_seconds": round(self.peak_after, 1),
                "max_tesseract_processes": self.max_tesseract, "samples": self.samples}


class MemorySampler:
    """Sum the RSS of a process tree every ``interval`` seconds in a thread; keep the peak."""

    def __init__(self, root: int, interval: float = 0.1, pss_every: int = 5) -> None:
        self.root = root
        self.interval = interval
        self.pss_every = pss_every
        self.peak = MemoryPeak()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        started = time.perf_counter()
        while not self._stop.is_set():
            tree = process_tree(self.root)
            by_role: dict[str, int] = defaultdict(int)
            for proc in tree:
                by_role[role_of(proc, self.root)] += proc.rss
            peak = self.peak
            total = sum(by_role.values())
            if total > peak.total_rss:
                peak.total_rss, peak.at_peak = total, dict(by_role)
                peak.peak_after = time.perf_counter() - started
            for role, rss in by_role.items():
                peak.role_peaks[role] = max(peak.role_peaks.get(role, 0), rss)
            peak.max_tesseract = max(peak.max_tesseract,
                                     sum(p.comm.startswith("tesseract") for p in tree))
            if peak.samples % self.pss_every == 0:
                peak.total_pss = max(peak.total_pss, sum(pss(p.pid) for p in tree))
            peak.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# ---------------------------------------------------------------- the server
def free_port_block(size: int = 5) -> int:
    """A base port such that base..base+size and their +10000 gRPC twins look free."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = int(probe.getsockname()[1])
        if base + size + 10000 >= 55000:
            continue
        if all(_is_free(base + i) and _is_free(base + i + 10000) for i in range(size)):
            return base
    raise RuntimeError("no free port block")


def _is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class ServedSohoa:
    """``sohoa serve`` in its own session with a private var dir and free ports."""

    def __init__(self, var_dir: Path, env: dict[str, str] | None = None) -> None:
        self.var_dir = var_dir
        self.port = free_port_block(1)
        self.env = dict(os.environ, SOHOA_VAR_DIR=str(var_dir), SOHOA_PORT=str(self.port),
                        SOHOA_EMBEDDED_S3_PORT=str(free_port_block()), **(env or {}))
        for key in ("SOHOA_S3_ENDPOINT", "SOHOA_S3_ACCESS_KEY", "SOHOA_S3_SECRET_KEY",
                    "SOHOA_REDIS_URL", "SOHOA_DATABASE_URL"):
            self.env.pop(key, None)
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.http = requests.Session()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def sign_in(self) -> None:
        """An intake officer and a bearer token for every request (``sohoa user …``)."""
        user = [sys.executable, "-m", "api.cli", "user"]
        subprocess.run([*user, "add", "bench", "--role", "intake", "--unit", "000.00.15.H05",
                        "--password-stdin"], input=b"a long bench password\n", env=self.env,
                       check=True, capture_output=True)
        token = subprocess.run([*user, "token", "bench", "--label", "bench"], env=self.env,
                               check=True, capture_output=True, text=True).stdout.strip()
        self.http.headers["Authorization"] = f"Bearer {token}"

    def start(self, timeout: float = 120) -> float:
        """Sign in (first start only), start and wait for ``/readyz``; return the seconds."""
        var = self.var_dir
        var.mkdir(parents=True, exist_ok=True)
        if "Authorization" not in self.http.headers:
            self.sign_in()
        log = (var / "serve.log").open("ab")
        started = time.perf_counter()
        self.process = subprocess.Popen([sys.executable, "-m", "api.cli", "serve"], env=self.env,
                                        stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"sohoa serve exited at start-up; see {var / 'serve.log'}")
            try:
                if self.http.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return time.perf_counter() - started
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        raise RuntimeError("sohoa serve did not become ready")

    def worker_pid(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for proc in process_tree(self.pid):
                if "api.cli worker" in cmdline(proc.pid):
                    return proc.pid
            time.sleep(0.2)
        raise RuntimeError("no Huey worker process under sohoa serve")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self) -> ServedSohoa:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    # -- the API, as a client uses it
    def create_dossier(self, procedure: str = "1.001193") -> dict[str, Any]:
        reply = self.http.post(f"{self.url}/api/dossiers",
                               json={"procedure_code": procedure, "unit": "000.00.15.H05"})
        reply.raise_for_status()
        result: dict[str, Any] = reply.json()
        return result

    def upload(self, dossier_id: str, name: str, data: bytes) -> str:
        reply = self.http.post(f"{self.url}/api/dossiers/{dossier_id}/files",
                               files={"file": (name, data, "application/pdf")})
        reply.raise_for_status()
        return str(reply.json()["job_id"])

    def job(self, job_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self.http.get(f"{self.url}/api/jobs/{job_id}").json()
        return result

    def dossier(self, dossier_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self.http.get(f"{self.url}/api/dossiers/{dossier_id}").json()
        return result


@dataclass(frozen=True)
class JobTiming:
    seconds: float  # upload started → job done
    upload_seconds: float  # the POST itself (202 received)
    first_page_seconds: float | None
    ocr_done_seconds: float | None  # every page read (stage moved on from "ocr")
    status: str
    cpu_seconds: float
    cpu_by_role: dict[str, float] = field(default_factory=dict)


def run_job(server: ServedSohoa, data: bytes, pages: int, poll: float = 0.1,
            timeout: float = 900) -> JobTiming:
    """Upload ``data`` to a new dossier and wait for its job; times from the start of the POST."""
    dossier = server.create_dossier()
    cpu_before = tree_cpu_seconds(server.pid)
    roles_before = cpu_by_role(server.pid)
    started = time.perf_counter()
    job_id = server.upload(dossier["id"], "scan.pdf", data)
    uploaded = time.perf_counter() - started
    first = ocr_done = None
    while True:
        job = server.job(job_id)
        now = time.perf_counter() - started
        if first is None and job["progress"]["pages_done"]:
            first = now
        if ocr_done is None and (job["stage"] not in (None, "ocr", "queued")
                                 or job["progress"]["pages_done"] >= pages):
            ocr_done = now
        if job["status"] in ("done", "failed"):
            break
        if now > timeout:
            raise RuntimeError(f"job {job_id} not done after {timeout} s: {job}")
        time.sleep(poll)
    roles = cpu_by_role(server.pid)
    used = {role: round(seconds - roles_before.get(role, 0.0), 1)
            for role, seconds in sorted(roles.items(), key=lambda item: -item[1])}
    return JobTiming(now, uploaded, first, ocr_done, job["status"],
                     tree_cpu_seconds(server.pid) - cpu_before, used)


def main() -> None:
    from bench.pages import dense_pages, scan_pdf

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--dpi", type=int, default=300)
    args = parser.parse_args()
    data = scan_pdf(list(dense_pages(args.pages, args.dpi)), args.dpi)
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as tmp, \
            ServedSohoa(Path(tmp) / "var", {"SOHOA_OCR_DPI": str(args.dpi)}) as server:
        idle = process_tree(server.pid)
        print(f"idle tree: {sum(p.rss for p in idle) / MB:.0f} MB RSS in {len(idle)} processes")
        with MemorySampler(server.pid) as sampler:
            timing = run_job(server, data, args.pages)
        print(f"job {timing.status} in {timing.seconds:.1f} s; load average "
              f"{os.getloadavg()[0]:.2f}")
        for key, value in sampler.peak.as_json().items():
            print(f"{key:24s} {value}")


if __name__ == "__main__":
    main()
