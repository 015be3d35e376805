"""Counter latency: from uploading a 6-page dossier to its completeness verdict, over HTTP.

    .venv/bin/python -m bench.latency [--runs 10] [--idle 0] [--dpi 300]

Starts ``sohoa serve`` on a temporary var dir and free ports (default settings: 300 dpi, two OCR
processes), runs one untimed warm-up job, then for each run creates a dossier for "Đăng ký khai
sinh" (1.001193), uploads ``bench.dossier_pages.dossier_pages`` as one scanned PDF (Tờ khai 2 pages,
Giấy chứng sinh, Văn bản ủy quyền 2 pages, Xác nhận thông tin về cư trú) and polls
``GET /api/dossiers/{id}`` until the job is done and the completeness report lists the
documents. Times are from the start of the upload POST:

- ``picked``: the job left ``queued`` (the Huey worker took it);
- ``provisional``: the completeness report is the fast path's (``"provisional": true``, from the
  title zones, uploads of up to ``SOHOA_FAST_PATH_MAX_PAGES``) and counts this upload;
- ``first page``: the job reported one page of the full reading done;
- ``final``: the job is done and the final report counts this upload's documents.

Whether the provisional report agreed with the final one (same state for every component) is
printed too: a fast verdict that the full reading overturns is not a verdict.

``--idle S`` waits S seconds before each upload, as a counter does between citizens: an idle
Huey consumer polls its queue less and less often (up to every 10 s by default), which a
back-to-back run never sees. Run both.

``--title-zone`` does, in this process and without the server, the work of the worker's fast
path (``api/fastpath.py``): render the top ``--zone-fraction`` of each page at ``--zone-dpi``,
OCR it (two Tesseract processes), classify, split and check completeness against the
catalogue; wall and CPU seconds per run. Use it to try other zone resolutions and sizes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.dossier_pages import DOSSIER_DOC_TYPES, DOSSIER_PROCEDURE, dossier_pages
from bench.memory import ServedSohoa, run_job
from bench.pages import scan_pdf


@dataclass(frozen=True)
class Verdict:
    upload: float
    picked: float | None
    provisional: float | None
    first_page: float | None
    final: float
    result: str
    provisional_result: str | None
    agreed: bool | None  # provisional component states == final ones
    changed: dict[str, str]  # component → "provisional state → final state", where they differ
    doc_types: tuple[str, ...]
    load: float


def _states(report: dict[str, Any]) -> dict[str, str]:
    return {line["component_id"]: line["state"] for line in report["components"]}


def _changes(early: dict[str, Any], final: dict[str, Any]) -> dict[str, str]:
    before, after = _states(early), _states(final)
    return {k: f"{before.get(k)} → {state}" for k, state in after.items()
            if before.get(k) != state}


def one_run(server: ServedSohoa, data: bytes, poll: float, timeout: float = 300) -> Verdict:
    dossier = server.create_dossier(DOSSIER_PROCEDURE)
    started = time.perf_counter()
    server.upload(dossier["id"], "ho-so.pdf", data)
    upload = time.perf_counter() - started
    picked = first = provisional = None
    early: dict[str, Any] | None = None
    while True:
        state = server.dossier(dossier["id"])
        now = time.perf_counter() - started
        job = state["jobs"][-1]
        report = state["completeness"]
        counted = any(line["documents"] for line in report["components"])
        if picked is None and job["status"] != "queued":
            picked = now
        if first is None and job["progress"]["pages_done"]:
            first = now
        if provisional is None and counted and report.get("provisional"):
            provisional, early = now, report
        if job["status"] == "failed":
            raise RuntimeError(f"job failed: {job}")
        if job["status"] == "done" and counted and not report.get("provisional"):
            break
        if now > timeout:
            raise RuntimeError(f"no verdict after {timeout} s: {job}")
        time.sleep(poll)
    return Verdict(upload, picked, provisional, first, now, report["verdict"],
                   early["verdict"] if early else None,
                   _states(early) == _states(report) if early else None,
                   _changes(early, report) if early else {},
                   tuple(d["doc_type"] for d in state["documents"]), os.getloadavg()[0])


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def describe(name: str, values: list[float]) -> dict[str, float]:
    stats = {"p50": percentile(values, 0.5), "p95": percentile(values, 0.95),
             "max": max(values), "mean": statistics.mean(values)}
    print(f"{name:11s} p50 {stats['p50']:5.2f} s  p95 {stats['p95']:5.2f} s  "
          f"max {stats['max']:5.2f} s  mean {stats['mean']:5.2f} s")
    return {k: round(v, 2) for k, v in stats.items()}


def _zone_text(image_path: Path, dpi: int) -> str:
    done = subprocess.run(
        ["tesseract", str(image_path), "stdout", "-l", "vie", "--oem", "1", "--psm", "3",
         "--dpi", str(dpi), "-c", "tessedit_do_invert=0"],
        check=True, capture_output=True, env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    return done.stdout.decode("utf-8")


def _cpu_seconds() -> float:
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                          resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def title_zone_verdict(data: bytes, zone_dpi: int, fraction: float, workers: int,
                       ) -> tuple[float, float, str, tuple[str, ...]]:
    """Seconds (wall, CPU) from the PDF bytes to a verdict built from title zones only."""
    import pypdfium2 as pdfium

    from classify.catalogue.loader import load_catalogue
    from classify.catalogue.schema import Channel
    from classify.completeness import DocumentEvidence, check_completeness
    from classify.doctypes import load_document_types
    from classify.rules import classify_page
    from classify.split import split_documents

    types, catalogue = load_document_types(), load_catalogue()
    version = catalogue.version_on(DOSSIER_PROCEDURE, dt.date.today())
    cpu, started = _cpu_seconds(), time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(workers) as pool:
        pdf = pdfium.PdfDocument(data)
        futures: list[Future[str]] = []
        for index in range(len(pdf)):
            page = pdf[index]
            height = page.get_size()[1]
            image = page.render(scale=zone_dpi / 72, crop=(0, height * (1 - fraction), 0, 0))
            path = Path(tmp) / f"zone{index}.tif"
            image.to_pil().convert("RGB").save(path, format="TIFF", dpi=(zone_dpi, zone_dpi))
            futures.append(pool.submit(_zone_text, path, zone_dpi))
        pdf.close()
        classified = [classify_page(f.result(), types) for f in futures]
    spans = split_documents(classified, types)
    evidence = [DocumentEvidence(id=str(i), doc_type=s.doc_type, doc_type_name=s.doc_type_name,
                                 confidence=s.confidence, needs_review=s.needs_review)
                for i, s in enumerate(spans)]
    report = check_completeness(version, evidence, {}, Channel.TRUC_TIEP)
    return (time.perf_counter() - started, _cpu_seconds() - cpu, report.verdict.value,
            tuple(s.doc_type for s in spans))


def main_title_zone(args: argparse.Namespace, data: bytes) -> None:
    seconds, cpus = [], []
    for i in range(args.runs):
        took, cpu, verdict, doc_types = title_zone_verdict(data, args.zone_dpi,
                                                           args.zone_fraction, args.workers)
        seconds.append(took)
        cpus.append(cpu)
        print(f"run {i}: title-zone verdict {took:.2f} s, {cpu:.2f} CPU s ({verdict}; "
              f"{', '.join(doc_types)}; load {os.getloadavg()[0]:.1f})", flush=True)
    print(f"\ntitle zone: top {args.zone_fraction:.0%} at {args.zone_dpi} dpi, "
          f"{args.workers} processes; load average {os.getloadavg()}")
    describe("verdict", seconds)
    describe("CPU s", cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--idle", type=float, default=0.0, help="seconds idle before uploads")
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--poll", type=float, default=0.1)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--title-zone", action="store_true", help="estimate the fast path")
    parser.add_argument("--zone-dpi", type=int, default=300)
    parser.add_argument("--zone-fraction", type=float, default=0.35)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    data = scan_pdf(dossier_pages(args.dpi), args.dpi)
    if args.title_zone:
        main_title_zone(args, data)
        return
    runs: list[Verdict] = []
    with tempfile.TemporaryDirectory(prefix="sohoa-latency-") as tmp, \
            ServedSohoa(Path(tmp) / "var", {"SOHOA_OCR_DPI": str(args.dpi)}) as server:
        run_job(server, data, 6)  # warm-up: imports, models and caches of the worker
        for i in range(args.runs):
            time.sleep(args.idle)
            run = one_run(server, data, args.poll)
            runs.append(run)
            print(f"run {i}: upload {run.upload:.2f}  picked {run.picked or 0:.2f}  provisional "
                  f"{run.provisional or 0:.2f}  first page {run.first_page or 0:.2f}  final "
                  f"{run.final:.2f} s  ({run.provisional_result} → {run.result}, agreed "
                  f"{run.agreed}; {', '.join(run.doc_types)}; load {run.load:.1f})"
                  + (f"\n    changed: {run.changed}" if run.changed else ""), flush=True)
    print(f"\n6-page dossier at {args.dpi} dpi, {args.runs} runs, idle {args.idle:.0f} s before "
          f"each upload; load average {os.getloadavg()}")
    report: dict[str, Any] = {
        "runs": [asdict(r) for r in runs], "idle_seconds": args.idle, "dpi": args.dpi,
        "picked": describe("picked", [r.picked or r.final for r in runs]),
        "first_page": describe("first page", [r.first_page or r.final for r in runs]),
        "final": describe("final", [r.final for r in runs]),
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
    }
    early = [r.provisional for r in runs if r.provisional is not None]
    if early:
        report["provisional"] = describe("provisional", early)
    print(f"provisional verdict seen in {len(early)}/{len(runs)} runs; agreed with the final "
          f"report in {sum(bool(r.agreed) for r in runs)}")
    expected = set(DOSSIER_DOC_TYPES)
    wrong = [r.doc_types for r in runs if set(r.doc_types) != expected]
    print(f"documents classified as expected in {len(runs) - len(wrong)}/{len(runs)} runs"
          + (f"; got {wrong[0]}" if wrong else ""))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
