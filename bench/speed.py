"""Pages per minute of sohoa against raw Tesseract and OCRmyPDF, same pages, same run.

    .venv/bin/python -m bench.speed [--pages 30] [--dpi 300] [--workers 2] [--rounds 2]
                                    [--systems raw,serve,inproc,ocrmypdf] [--profile] [--steps]
                                    [--handwritten]

The pages are ``bench.pages.dense_pages`` (dense legal text, tables, forms; every third one with
a scanner look) written as one JPEG-in-PDF scan; ``--handwritten`` appends the two real scans
whose số is written by hand, so the second reader loads in the worker during the measured run.
Every system reads the same pixels:

- ``raw``: the ``tesseract`` CLI on PNGs rendered from that PDF (pypdfium2, as sohoa renders),
  ``-l vie --oem 1 --psm 3``, ``OMP_THREAD_LIMIT=1``, ``--workers`` processes at a time;
- ``serve``: ``sohoa serve`` (embedded SeaweedFS, Huey worker, waitress) on a temporary var dir
  and free ports; the PDF is uploaded over HTTP and the job polled until done. Start-up and a
  one-page warm-up job are not timed. Peak RSS of the whole process tree is sampled meanwhile;
- ``inproc``: ``api.reading.read_file`` in this process plus the archive PDF/A of each document
  (no S3, no database);
- ``ocrmypdf``: ``ocrmypdf --jobs 2 -l vie --output-type pdfa`` on the PDF.

Rounds alternate the order of the systems (the machine may be shared: compare within a round).
Besides wall-clock pages/min, CPU seconds per page (the process tree's user+system time) are
printed: they move much less than wall time when other work loads the machine.

``--profile`` runs one more, untimed, ``serve`` job with py-spy sampling the worker process and
prints its top functions. ``--steps`` times each pipeline step in CPU seconds per page, in this
process, one page at a time, with the cheaper alternatives measured beside them.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image

from bench.memory import MemorySampler, ServedSohoa, run_job
from bench.pages import dense_pages, scan_pdf
from bench.steps import children_cpu, time_steps
from tests.shared_data import shared_data

VENV_BIN = Path(sys.executable).parent
SYSTEMS = ("raw", "serve", "inproc", "ocrmypdf")
EXTERNAL_SCANS = shared_data("external", "scanned_official")
HANDWRITTEN_SCANS = ("sc01_cong_van_cuc_thue_2191-CT-CS_p1.png",
                     "sc02_cong_van_ttg_464-TTg-CDS_p1.png")


@dataclass
class Run:
    system: str
    round: int
    pages: int
    seconds: float
    cpu_seconds: float
    load_before: float
    load_after: float
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pages_per_min(self) -> float:
        return 60 * self.pages / self.seconds

    @property
    def cpu_per_page(self) -> float:
        return self.cpu_seconds / self.pages


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def render_pngs(pdf_path: Path, dpi: int, out: Path) -> list[Path]:
    """The pixels sohoa's rasterizer sees, as PNG files for the raw CLI."""
    pdf = pdfium.PdfDocument(pdf_path)
    paths = []
    try:
        for index in range(len(pdf)):
            image = pdf[index].render(scale=dpi / 72).to_pil().convert("RGB")
            path = out / f"page{index:03d}.png"
            image.save(path, dpi=(dpi, dpi), compress_level=1)
            paths.append(path)
    finally:
        pdf.close()
    return paths


# ---------------------------------------------------------------- the systems
def run_raw(pngs: list[Path], dpi: int, workers: int) -> tuple[float, float]:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def one(path: Path) -> None:
        subprocess.run(["tesseract", str(path), str(path.with_suffix("")), "-l", "vie",
                        "--oem", "1", "--psm", "3", "--dpi", str(dpi), "txt"],
                       check=True, env=env, capture_output=True)

    cpu, started = children_cpu(), time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, pngs))
    return time.perf_counter() - started, children_cpu() - cpu


def run_ocrmypdf(pdf_path: Path, out: Path, workers: int) -> tuple[float, float]:
    command = [str(VENV_BIN / "ocrmypdf"), "--jobs", str(workers), "-l", "vie",
               "--output-type", "pdfa", str(pdf_path), str(out)]
    cpu, started = children_cpu(), time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"ocrmypdf failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds, children_cpu() - cpu


def run_inproc(data: bytes, dpi: int, workers: int) -> tuple[float, float, dict[str, Any]]:
    from api.reading import read_file
    from classify.doctypes import load_document_types
    from ingest.intake import IntakeLimits
    from ingest.sniff import MediaType
    from ocr.pdf import assemble_pdf
    from ocr.pdfa import ArchiveMetadata, PdfaError, to_pdfa
    from ocr.tesseract import TesseractConfig, TesseractEngine

    engine = TesseractEngine(TesseractConfig())
    types = load_document_types()
    cpu, started = _self_cpu() + children_cpu(), time.perf_counter()
    result = read_file(data, MediaType.PDF, engine=engine, doctypes=types, dpi=dpi,
                       workers=workers, limits=IntakeLimits())
    read = time.perf_counter() - started
    by_index = {p.text.index: p.text for p in result.pages}
    vietnam = dt.timezone(dt.timedelta(hours=7))
    for ordinal, span in enumerate(result.documents, start=1):
        assembled = assemble_pdf([by_index[i] for i in span.pages], data)
        meta = ArchiveMetadata(title=span.doc_type_name, dossier_code="000.00.15.H05-260101-0001",
                               document_type=span.doc_type, creator="bench",
                               digitized_at=dt.datetime.now(vietnam), ordinal=ordinal)
        with contextlib.suppress(PdfaError):  # a page that cannot be PDF/A stays plain
            to_pdfa(assembled, meta)
    seconds = time.perf_counter() - started
    return seconds, _self_cpu() + children_cpu() - cpu, {
        "read_seconds": round(read, 2), "archive_seconds": round(seconds - read, 2),
        "documents": len(result.documents),
        "deskewed_pages": sum(1 for p in result.pages if p.analysis and p.analysis.deskewed),
        "preprocessed_pages": sum(1 for p in result.pages
                                  if p.analysis and p.analysis.preprocessing != "none")}


# ---------------------------------------------------------------- profile of the worker
def profile_worker(server: ServedSohoa, data: bytes, pages: int, rate: int,
                   out: Path) -> dict[str, Any]:
    """One untimed job with py-spy sampling the Huey worker (active threads only)."""
    raw = out / "worker.pyspy.txt"
    spy = subprocess.Popen([str(VENV_BIN / "py-spy"), "record", "--pid",
                            str(server.worker_pid()), "--rate", str(rate), "--format", "raw",
                            "--output", str(raw), "--nonblocking"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(1.0)
    timing = run_job(server, data, pages)
    time.sleep(0.5)
    spy.send_signal(2)
    spy.wait(timeout=60)
    return {"job_seconds": round(timing.seconds, 1), **top_functions(raw, rate)}


def top_functions(raw: Path, rate: int, top: int = 15) -> dict[str, Any]:
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = [f for f in stack.split(";") if not f.startswith(("process ", "thread "))]
        if not frames:
            continue
        n = int(count)
        total += n
        own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    return {"sampled_cpu_seconds": round(total / rate, 1),
            "self": [(f, round(n / rate, 2)) for f, n in own.most_common(top)],
            "inclusive": [(f, round(n / rate, 2)) for f, n in inclusive.most_common(2 * top)]}


# ---------------------------------------------------------------- main
def handwritten_scans(dpi: int) -> list[Image.Image]:
    """The two real scans whose số is handwritten (their blanks load the second reader,
    ``classify.fields.fillins``), scaled from their 200 dpi to ``dpi``."""
    pages = []
    for name in HANDWRITTEN_SCANS:
        with Image.open(EXTERNAL_SCANS / name) as scan:
            grey = scan.convert("L")
        scale = dpi / 200
        pages.append(grey.resize((round(grey.width * scale), round(grey.height * scale)),
                                 Image.Resampling.LANCZOS))
    return pages


def measure(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    pdf_path = tmp / "pages.pdf"
    pages = list(dense_pages(args.pages, args.dpi))
    if args.handwritten:
        pages += handwritten_scans(args.dpi)
        args.pages = len(pages)
    data = scan_pdf(pages, args.dpi)
    pdf_path.write_bytes(data)
    pngs = render_pngs(pdf_path, args.dpi, tmp)
    systems = [s for s in args.systems.split(",") if s]
    report: dict[str, Any] = {
        "pages": args.pages, "handwritten_scans": args.handwritten, "dpi": args.dpi,
        "workers": args.workers,
        "pdf_mb": round(len(data) / 2**20, 1), "cpus": os.cpu_count(),
        "started": dt.datetime.now().isoformat(timespec="seconds"), "runs": []}
    server: ServedSohoa | None = None
    if "serve" in systems or args.profile:
        server = ServedSohoa(tmp / "var", {"SOHOA_OCR_DPI": str(args.dpi),
                                           "SOHOA_OCR_WORKERS": str(args.workers)})
        report["serve_start_seconds"] = round(server.start(), 1)
        warm = run_job(server, scan_pdf(list(dense_pages(1, args.dpi)), args.dpi), 1)
        report["serve_warmup_job_seconds"] = round(warm.seconds, 1)
    try:
        for round_ in range(args.rounds):
            order = systems if round_ % 2 == 0 else systems[::-1]
            for system in order:
                run = run_one(system, round_, args, data, pdf_path, pngs, tmp, server)
                report["runs"].append(asdict(run) | {"pages_per_min": round(run.pages_per_min, 1),
                                                     "cpu_per_page": round(run.cpu_per_page, 2)})
                print(_line(run), flush=True)
        if args.profile and server is not None:
            report["worker_profile"] = profile_worker(server, data, args.pages, args.rate, tmp)
    finally:
        if server is not None:
            server.stop()
    if args.steps:
        report["steps_cpu_per_page"] = time_steps(data, args.dpi, args.steps_pages)
    report["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    return report


def run_one(system: str, round_: int, args: argparse.Namespace, data: bytes, pdf_path: Path,
            pngs: list[Path], tmp: Path, server: ServedSohoa | None) -> Run:
    load = os.getloadavg()[0]
    extra: dict[str, Any] = {}
    if system == "raw":
        seconds, cpu = run_raw(pngs, args.dpi, args.workers)
    elif system == "ocrmypdf":
        seconds, cpu = run_ocrmypdf(pdf_path, tmp / "ocrmypdf.pdf", args.workers)
    elif system == "inproc":
        seconds, cpu, extra = run_inproc(data, args.dpi, args.workers)
    elif system == "serve":
        assert server is not None
        with MemorySampler(server.pid) as sampler:
            timing = run_job(server, data, args.pages)
        if timing.status != "done":
            raise RuntimeError(f"sohoa job {timing.status}")
        seconds, cpu = timing.seconds, timing.cpu_seconds
        extra = {"upload_seconds": round(timing.upload_seconds, 2),
                 "first_page_seconds": round(timing.first_page_seconds or 0, 1),
                 "all_pages_read_seconds": round(timing.ocr_done_seconds or 0, 1),
                 "cpu_by_role": timing.cpu_by_role,
                 "memory": sampler.peak.as_json()}
    else:
        raise ValueError(f"unknown system {system}")
    return Run(system, round_, args.pages, seconds, cpu, load, os.getloadavg()[0], extra)


def _line(run: Run) -> str:
    return (f"round {run.round} {run.system:9s} {run.seconds:7.1f} s  {run.pages_per_min:6.1f} "
            f"pages/min  {run.cpu_per_page:5.2f} CPU s/page  load {run.load_before:.1f}→"
            f"{run.load_after:.1f}  {json.dumps(run.extra, ensure_ascii=False)}")


def summarize(report: dict[str, Any]) -> None:
    rates: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for run in report["runs"]:
        rates.setdefault(run["system"], []).append(run["pages_per_min"])
        cpu.setdefault(run["system"], []).append(run["cpu_per_page"])
    print(f"\n{report['pages']} pages at {report['dpi']} dpi, {report['workers']} workers, "
          f"{report['cpus']} CPUs; load average at end {report['load_average_end']}")
    for system, values in rates.items():
        print(f"{system:9s} pages/min {statistics.mean(values):6.1f} (runs: "
              f"{', '.join(f'{v:.1f}' for v in values)})  CPU s/page "
              f"{statistics.mean(cpu[system]):.2f}")
    summary: dict[str, float] = {}
    for ours in ("serve", "inproc"):
        for base in ("raw", "ocrmypdf"):
            if ours in rates and base in rates:
                wall = statistics.mean(rates[ours]) / statistics.mean(rates[base])
                eff = statistics.mean(cpu[base]) / statistics.mean(cpu[ours])
                summary[f"{ours}/{base}"] = round(wall, 2)
                summary[f"{ours}/{base} by CPU"] = round(eff, 2)
                print(f"ratio {ours}/{base}: {wall:.2f} by pages/min, {eff:.2f} by CPU per page")
    report["ratios"] = summary
    if "worker_profile" in report:
        prof = report["worker_profile"]
        print(f"\nworker profile (py-spy, active threads, {prof['sampled_cpu_seconds']} s sampled)")
        for name, seconds in prof["self"]:
            print(f"  self {seconds:6.2f} s  {name}")
    if "steps_cpu_per_page" in report:
        print("\nCPU seconds per page, one page at a time")
        for name, seconds in report["steps_cpu_per_page"].items():
            print(f"  {seconds:7.3f}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--profile", action="store_true", help="py-spy the worker (untimed)")
    parser.add_argument("--rate", type=int, default=100, help="py-spy samples per second")
    parser.add_argument("--steps", action="store_true", help="CPU per pipeline step")
    parser.add_argument("--handwritten", action="store_true",
                        help="append the two real scans with handwritten numbers")
    parser.add_argument("--steps-pages", type=int, default=12)
    parser.add_argument("--json", type=Path, help="write the full report here")
    parser.add_argument("--keep", type=Path, help="keep the work directory here")
    args = parser.parse_args()
    if "ocrmypdf" in args.systems and shutil.which("gs") is None:
        parser.error("ocrmypdf --output-type pdfa needs Ghostscript (apt-get install ghostscript)")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        report = measure(args, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="sohoa-speed-") as tmp:
            report = measure(args, Path(tmp))
    summarize(report)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
