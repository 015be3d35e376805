"""Command-line work that runs the same pipeline as the web service, in this process."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from api.orchestrator import run_job
from api.page_pipeline import process_page
from api.reading import read_file
from api.serve import object_storage
from api.services import Services, build_services
from api.settings import Settings
from api.usecases import VIETNAM, accept_upload, create_dossier, dossier_json
from classify.answers import validate_answers
from classify.catalogue.loader import load_catalogue
from classify.catalogue.schema import Channel
from classify.classifier import load_classifier
from classify.completeness import DocumentEvidence, check_completeness
from classify.doctypes import load_document_types
from classify.fields import extract_fields
from ingest.errors import SohoaError
from ingest.intake import inspect_upload
from ingest.rasterize import rasterize
from ingest.sniff import MediaType
from ocr.parallel import map_pages
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
    source_pdf = data if intake.media_type is MediaType.PDF else None
    pages = map_pages(
        rasterize(data, intake.media_type, settings.ocr_dpi,
                  settings.intake_limits.max_page_pixels),
        lambda page: process_page(page, engine, source_pdf),
        workers=settings.ocr_workers, on_done=_progress(intake.page_count),
    )
    return {"file": intake.filename, "sha256": intake.sha256,
            "pages": [{**page.text.as_json(), "analysis": page.summary()} for page in pages]}


def classify_files(settings: Settings, paths: Sequence[Path]) -> dict[str, Any]:
    """Split and classify files without storing anything: documents, types, fields."""
    engine = TesseractEngine(settings.tesseract)
    types = load_document_types()
    classifier = load_classifier(types, load_catalogue(settings.catalogue_dir),
                                 settings.doctype_model_dir)
    documents = []
    for path in paths:
        data = read_input(path)
        intake = inspect_upload(data, path.name, settings.intake_limits)
        result = read_file(data, intake.media_type, engine=engine, doctypes=types,
                           dpi=settings.ocr_dpi, workers=settings.ocr_workers,
                           limits=settings.intake_limits, on_page=_progress(intake.page_count),
                           classifier=classifier)
        by_index = {p.text.index: p for p in result.pages}
        for span in result.documents:
            fields: dict[str, str] = {}
            for index in span.pages:
                page = by_index[index].text
                for name, field in extract_fields(page.text, page.words).items():
                    fields.setdefault(name, field.value)
            documents.append({"file": intake.filename, "pages": list(span.pages),
                              "doc_type": span.doc_type, "doc_type_name": span.doc_type_name,
                              "confidence": span.confidence, "needs_review": span.needs_review,
                              "reason": span.reason, "fields": fields})
    return {"classifier_version": classifier.version, "documents": documents}


@contextmanager
def with_services() -> Iterator[Services]:
    """Services from the environment, on the running S3 or an embedded one for this command."""
    settings = Settings()
    with object_storage(settings) as s3:
        yield build_services(settings, s3)


def ingest_files(settings: Settings, paths: Sequence[Path], procedure: str,
                 unit: str | None) -> dict[str, Any]:
    files = [(p.name, read_input(p)) for p in paths]
    with object_storage(settings) as s3:
        services = build_services(settings, s3)
        dossier = create_dossier(services, procedure, unit)
        for job in accept_upload(services, dossier.id, files, actor="cli"):
            run_job(job.id, services, progress_bar(sys.stderr))
        with services.session() as session:
            return dossier_json(repo.get_dossier(session, dossier.id), services.catalogue)


def check_types(settings: Settings, procedure: str, types: Sequence[str],
                answers: Sequence[str], channel: str, day: dt.date | None) -> dict[str, Any]:
    """Completeness of a hypothetical dossier holding documents of ``types``."""
    catalogue = load_catalogue(settings.catalogue_dir)
    doctypes = load_document_types()
    version = catalogue.version_on(procedure, day or dt.datetime.now(VIETNAM).date())
    unknown = [t for t in types if t not in doctypes]
    if unknown:
        raise SohoaError(f"Loại giấy tờ không có trong danh mục: {', '.join(unknown)}.",
                         f"Unknown document types: {', '.join(unknown)}.",
                         code="unknown_doc_type")
    documents = [DocumentEvidence(id=f"{i + 1}", doc_type=t, doc_type_name=doctypes.name_of(t),
                                  confidence=1.0, needs_review=False)
                 for i, t in enumerate(types)]
    pairs = dict(_split_answer(a) for a in answers)
    report = check_completeness(version, documents, validate_answers(version, pairs),
                                _channel(channel))
    return {"procedure": procedure, **report.as_json()}


def _split_answer(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep:
        raise SohoaError(f"Câu trả lời phải có dạng KEY=yes|no: {text!r}.",
                         f"An answer must look like KEY=yes|no: {text!r}.", code="invalid_answer")
    return key.strip(), value


def _channel(value: str) -> Channel:
    try:
        return Channel(value)
    except ValueError:
        raise SohoaError(f"Hình thức nộp không hợp lệ: {value!r}.", f"Invalid channel {value!r}.",
                         code="invalid_request") from None


def _progress(total: int) -> Callable[[object], None]:
    done = 0
    bar = progress_bar(sys.stderr)

    def report(_page: object) -> None:
        nonlocal done
        done += 1
        bar(done, total)

    return report


def progress_bar(stream: TextIO, width: int = 30) -> Callable[[int, int], None]:
    """A one-line progress bar on a terminal; silent when output is redirected."""

    def draw(done: int, total: int) -> None:
        if not stream.isatty() or total <= 0:
            return
        filled = round(width * done / total)
        stream.write(f"\rĐang nhận dạng [{'#' * filled}{'-' * (width - filled)}] "
                     f"{done}/{total} trang")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return draw
