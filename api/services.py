"""The long-lived parts one process needs, built once from settings and checked at start-up."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.settings import Settings
from classify.catalogue.loader import Catalogue, load_catalogue
from classify.classifier import PageClassifier, load_classifier
from classify.doctypes import DocumentTypes, load_document_types
from ingest.errors import SohoaError
from ocr.model import OcrEngine
from ocr.tesseract import TesseractEngine, check_tesseract
from storage.db import make_engine, make_session_factory, migrate
from storage.retention import RetentionPolicy, load_retention_policy
from storage.s3 import ObjectStore, S3Config

if TYPE_CHECKING:
    from collections.abc import Iterator

log = logging.getLogger(__name__)


class ConfigurationError(SohoaError):
    code = "configuration_error"


@dataclass
class Services:
    settings: Settings
    db: Engine
    sessions: sessionmaker[Session]
    store: ObjectStore
    catalogue: Catalogue
    doctypes: DocumentTypes
    classifier: PageClassifier
    tesseract_version: str
    retention: RetentionPolicy
    lock_supported: bool
    _ocr: OcrEngine | None = field(default=None, repr=False)

    @property
    def ocr(self) -> OcrEngine:
        if self._ocr is None:
            self._ocr = TesseractEngine(self.settings.tesseract)
        return self._ocr

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        with self.sessions() as session, session.begin():
            yield session


def s3_config_from(settings: Settings) -> S3Config:
    if not (settings.s3_endpoint and settings.s3_access_key and settings.s3_secret_key):
        raise ConfigurationError(
            "Thiếu cấu hình S3: SOHOA_S3_ENDPOINT, SOHOA_S3_ACCESS_KEY, SOHOA_S3_SECRET_KEY.",
            "Incomplete S3 settings: SOHOA_S3_ENDPOINT, SOHOA_S3_ACCESS_KEY, SOHOA_S3_SECRET_KEY.",
        )
    return S3Config(endpoint=settings.s3_endpoint, access_key=settings.s3_access_key,
                    secret_key=settings.s3_secret_key, bucket=settings.s3_bucket,
                    secure=settings.s3_secure, region=settings.s3_region)


def build_services(settings: Settings, s3: S3Config | None = None) -> Services:
    """Check every dependency in turn; the first failure raises a named, clear error."""
    tesseract_version = check_tesseract(settings.tesseract)
    catalogue = load_catalogue(settings.catalogue_dir)
    doctypes = load_document_types()
    classifier = load_classifier(doctypes, catalogue, settings.doctype_model_dir)
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    store = ObjectStore(s3 or s3_config_from(settings))
    store.ensure_bucket()
    versioned, locked = store.capabilities()
    if not (versioned and locked):
        log.warning("Kho S3 %s: versioning=%s, Object Lock=%s — hồ sơ lưu trữ sẽ KHÔNG được khóa "
                    "/ archived objects will NOT be retention-locked", store.bucket, versioned,
                    locked)
    return Services(
        settings=settings, db=engine, sessions=make_session_factory(engine), store=store,
        catalogue=catalogue, doctypes=doctypes, classifier=classifier,
        tesseract_version=tesseract_version,
        retention=load_retention_policy(), lock_supported=locked,
    )
