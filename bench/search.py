"""Search latency on N generated documents: SQLite (FTS5) and PostgreSQL (tsvector + GIN).

    .venv/bin/python -m bench.search [--rows 1000000] [--repeat 10] [--only sqlite|postgresql]

Loads N documents of ``bench.search_corpus`` (generated from the catalogue, Faker ``vi_VN``
names, ID numbers and OCR-like tone errors, through the real index code), then a fixed set of
queries runs ``storage.search.search`` (ranking, counts, facets, snippets). PostgreSQL
is ``SOHOA_BENCH_POSTGRES_URL`` or a private throw-away cluster (tests.servers.PrivatePostgres).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from sqlalchemy import Engine, text

from bench.search_corpus import Probe, load_one
from storage.db import make_engine, make_session_factory
from storage.search import SearchQuery, search
from storage.search.tokens import fold_tokens

TARGET_MS = {"sqlite": 100.0, "postgresql": 50.0}


def queries(probe: Probe) -> list[tuple[str, SearchQuery]]:
    """The fixed query set: words, diacritics, phrases, look-ups, filters, deep pages."""
    year = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    return [
        ("khai sinh", SearchQuery(text="khai sinh")),
        ("đăng ký khai sinh", SearchQuery(text="đăng ký khai sinh")),
        ("lúa (diacritics first)", SearchQuery(text="lúa")),
        ("lua (folded)", SearchQuery(text="lua")),
        ("giấy chứng nhận", SearchQuery(text="giấy chứng nhận")),
        ('"quyền sử dụng đất"', SearchQuery(text='"quyền sử dụng đất"')),
        ('"quyen su dung dat"', SearchQuery(text='"quyen su dung dat"')),
        ('"độc lập tự do hạnh phúc" (every row)', SearchQuery(text='"độc lập tự do hạnh phúc"')),
        ("thừa kế tranh chấp", SearchQuery(text="thừa kế tranh chấp")),
        ("full name as text", SearchQuery(text=probe.name)),
        ("one given name", SearchQuery(text=probe.name.split()[-1])),
        ("one middle name", SearchQuery(text=probe.name.split()[1])),
        ("name look-up", SearchQuery(person_name=probe.name)),
        ("name look-up, no diacritics", SearchQuery(person_name=" ".join(
            fold_tokens(probe.name.lower().split())))),
        ("ID number look-up", SearchQuery(person_id=probe.person_id)),
        ("ID number as text", SearchQuery(text=probe.person_id)),
        ("dossier code", SearchQuery(text=probe.code)),
        ("hợp đồng chuyển nhượng + unit", SearchQuery(text="hợp đồng chuyển nhượng",
                                                      units=[probe.unit])),
        ("tạm trú + procedure + 2024", SearchQuery(text="tạm trú", procedure_codes=["1.004194"],
                                                  received_from=year[0], received_to=year[1])),
        ("unit + status, no text", SearchQuery(units=[probe.unit], statuses=["open"])),
        ("one month, no text", SearchQuery(received_from=dt.date(2025, 3, 1),
                                           received_to=dt.date(2025, 3, 31))),
        ("ủy quyền, page 50", SearchQuery(text="ủy quyền", page=50)),
        ("phường + doc type", SearchQuery(text="phường", doc_types=["to_khai_dang_ky_khai_sinh"])),
        ("no match", SearchQuery(text="xyzzy")),
    ]


@dataclass(frozen=True)
class Timing:
    label: str
    samples: tuple[float, ...]  # milliseconds
    total: int
    total_exact: bool


def percentile(samples: Sequence[float], q: int) -> float:
    if len(samples) < 2:  # --repeat 1: quantiles need two points
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def measure(engine: Engine, probe: Probe, repeat: int) -> list[Timing]:
    """Each query once to warm up, then ``repeat`` rounds; one session per query, as a request."""
    sessions = make_session_factory(engine)
    wanted = queries(probe)
    samples: dict[str, list[float]] = {label: [] for label, _ in wanted}
    totals: dict[str, tuple[int, bool]] = {}
    for round_ in range(repeat + 1):
        for label, query in wanted:
            with sessions() as session:
                started = time.perf_counter()
                result = search(session, query)
                elapsed = (time.perf_counter() - started) * 1000
            totals[label] = (result.total, result.total_exact)
            if round_:
                samples[label].append(elapsed)
    return [Timing(label, tuple(samples[label]), *totals[label]) for label, _ in wanted]


def report(name: str, timings: Sequence[Timing], engine: Engine, load: tuple[float, float]
           ) -> str:
    every = [s for t in timings for s in t.samples]
    p50, p95, target = percentile(every, 50), percentile(every, 95), TARGET_MS[name]
    verdict = "met" if p95 <= target else f"MISSED by {p95 - target:.1f} ms ({p95 / target:.1f}×)"
    lines = [f"### {name}: {_server(engine)}; load average {load[0]:.1f} before, {load[1]:.1f} "
             f"after", "", f"All queries: p50 {p50:.1f} ms, p95 {p95:.1f} ms; target p95 ≤ "
             f"{target:.0f} ms: {verdict}", "", "| query | matches | p50 ms | p95 ms | max ms |",
             "|---|---:|---:|---:|---:|"]
    lines += [f"| {t.label} | {t.total:,}{'' if t.total_exact else '+'} | "
              f"{percentile(t.samples, 50):.1f} | {percentile(t.samples, 95):.1f} | "
              f"{max(t.samples):.1f} |" for t in timings]
    return "\n".join(lines)


def _server(engine: Engine) -> str:
    """Size on disk, and the settings that decide PostgreSQL's speed."""
    if engine.dialect.name == "sqlite":
        path = Path(engine.url.database or "")
        size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
        return f"{size / 2**30:.2f} GiB, SQLite {sqlite3.sqlite_version}"
    with engine.connect() as connection:
        size, buffers, work_mem = connection.execute(text(
            "SELECT pg_database_size(current_database()), current_setting('shared_buffers'), "
            "current_setting('work_mem')")).one()
    return f"{size / 2**30:.2f} GiB, shared_buffers {buffers}, work_mem {work_mem}"


def _urls(stack: contextlib.ExitStack, only: str | None, workdir: Path | None) -> dict[str, str]:
    urls = {}
    if only in (None, "sqlite"):
        directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="sohoa-bench-",
                                                                    dir=workdir))
        urls["sqlite"] = f"sqlite:///{Path(directory) / 'bench.db'}"
    if only in (None, "postgresql"):
        external = os.environ.get("SOHOA_BENCH_POSTGRES_URL")
        if not external:
            from tests.servers import PrivatePostgres

            external = stack.enter_context(PrivatePostgres(database="sohoa_bench")).url
        urls["postgresql"] = external
    return urls


def run(rows: int, repeat: int, only: str | None, workdir: Path | None) -> list[str]:
    with contextlib.ExitStack() as stack:
        urls = _urls(stack, only, workdir)
        with ProcessPoolExecutor(len(urls), mp_context=get_context("spawn")) as pool:
            jobs = {name: pool.submit(load_one, name, url, rows) for name, url in urls.items()}
            loaded = {name: job.result() for name, job in jobs.items()}
        sections = [f"{rows:,} documents loaded (one process per database, at once): " + "; ".join(
            f"{name} " + ", ".join(f"{k} {v:.0f} s" for k, v in spent.items())
            for name, (spent, _probe) in loaded.items())]
        print(sections[0], flush=True)
        for name, url in urls.items():
            engine = make_engine(url)
            stack.callback(engine.dispose)
            before = os.getloadavg()[0]
            timings = measure(engine, loaded[name][1], repeat)
            sections.append(report(name, timings, engine, (before, os.getloadavg()[0])))
            print(sections[-1], flush=True)
        return sections


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="documents to generate")
    parser.add_argument("--repeat", type=int, default=10, help="timed rounds of the query set")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--workdir", type=Path, default=None, help="where the SQLite file goes")
    args = parser.parse_args(argv)
    run(args.rows, args.repeat, args.only, args.workdir)


if __name__ == "__main__":
    main()
