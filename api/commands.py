"""Command-line work that runs the same pipeline as the web service, in this process."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from api.orchestrator import run_job
from api.serve import object_storage
from api.services import build_services
from api.settings import Settings
from api.usecases import accept_upload, create_dossier, dossier_json
from ingest.errors import SohoaError
from ingest.intake import inspect_upload
from ingest.rasterize import rasterize
from ingest.sniff import MediaType
from ocr.model import PageText
from ocr.parallel import read_pages
from ocr.tesseract import TesseractEngine
from storage import repository as repo


def read_input(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SohoaError(f"Không đọc được tệp {path}: {exc.strerror}.",
                         f"Cannot read {path}: {exc.strerror}.", code="invalid_request") from exc


def ocr_file(settings: Settings, path: Path) -> dict[str, Any]:
    data = read_input(path)
    intake = inspect_upload(data, path.name, settings.intake_limits)
    engine = TesseractEngine(settings.tesseract)
    pages = read_pages(
        rasterize(data, intake.media_type, settings.ocr_dpi,
                  settings.intake_limits.max_page_pixels),
        engine, pdf_bytes=data if intake.media_type is MediaType.PDF else None,
        workers=settings.ocr_workers, on_page=_progress(intake.page_count),
    )
    return {"file": intake.filename, "sha256": intake.sha256,
            "pages": [page.as_json() for page in pages]}


def ingest_files(settings: Settings, paths: Sequence[Path], procedure: str,
                 unit: str | None) -> dict[str, Any]:
    files = [(p.name, read_input(p)) for p in paths]
    with object_storage(settings) as s3:
        services = build_services(settings, s3)
        dossier = create_dossier(services, procedure, unit)
        for job in accept_upload(services, dossier.id, files):
            run_job(job.id, services)
        with services.session() as session:
            return dossier_json(repo.get_dossier(session, dossier.id), services.catalogue)


def _progress(total: int) -> Any:
    done = 0

    def report(_page: PageText) -> None:
        nonlocal done
        done += 1
        if sys.stderr.isatty():
            print(f"\rĐang nhận dạng: {done}/{total} trang", end="", file=sys.stderr, flush=True)
            if done == total:
                print(file=sys.stderr)

    return report
