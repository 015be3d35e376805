"""Configuration from ``SOHOA_*`` environment variables, validated at start-up.

The defaults are the embedded setup: SQLite, SeaweedFS and the Huey queue under ``var/``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from classify.catalogue.loader import DEFAULT_DIR as DEFAULT_CATALOGUE_DIR
from ingest.intake import IntakeLimits
from ocr.tesseract import TesseractConfig


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOHOA_", frozen=True, extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    var_dir: Path = Path("var")
    database_url: str | None = None  # default: sqlite:///{var_dir}/sohoa.db
    # S3: leave the endpoint empty to run the embedded SeaweedFS gateway.
    s3_endpoint: str | None = None
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_bucket: str = "sohoa"
    s3_secure: bool = False
    s3_region: str | None = None
    embedded_s3_port: int = Field(default=8333, ge=1024, le=55000)
    queue_path: Path | None = None  # default: {var_dir}/queue.db
    redis_url: str | None = None  # Huey on Redis for several worker hosts
    worker_threads: int = Field(default=1, ge=1, le=16)
    ocr_lang: str = "vie"
    ocr_dpi: int = Field(default=300, ge=100, le=600)
    ocr_workers: int = Field(default=2, ge=1, le=64)
    ocr_page_timeout: int = Field(default=180, ge=5)
    # Counter uploads up to this many pages get a provisional verdict from the title zones first.
    fast_path_max_pages: int = Field(default=10, ge=0)
    tesseract_cmd: str = "tesseract"
    max_upload_mb: int = Field(default=200, ge=1)
    max_pages: int = Field(default=500, ge=1)
    max_page_megapixels: int = Field(default=150, ge=1)
    default_unit: str = "000.00.15.H05"
    # Printed on the one-stop forms (Mẫu 01–03).
    unit_name: str = "Bộ phận Tiếp nhận và Trả kết quả"
    unit_parent_name: str | None = None
    unit_place: str | None = None
    fixity_sample: int = Field(default=500, ge=1)  # objects re-read by the nightly audit
    orphan_grace_hours: int = Field(default=24, ge=1)
    catalogue_dir: Path = DEFAULT_CATALOGUE_DIR
    # The document-type model root (models/doctype, its manifest names the current version).
    doctype_model_dir: Path | None = None
    # Sign-in (issue 7). Without SOHOA_SECRET_KEY the session key is generated once in
    # {var_dir}/secret_key; several web hosts behind one load balancer need the same key.
    secret_key: SecretStr | None = None
    session_hours: int = Field(default=8, ge=1, le=720)  # idle time before signing in again
    cookie_secure: bool = False  # True when served over HTTPS
    auth_lockout_threshold: int = Field(default=5, ge=1, le=100)  # consecutive failures …
    auth_lockout_minutes: int = Field(default=15, ge=1, le=1440)  # … lock the account this long

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir.resolve()}/sohoa.db"

    @property
    def resolved_queue_path(self) -> Path:
        return (self.queue_path or self.var_dir / "queue.db").resolve()

    @property
    def uses_embedded_s3(self) -> bool:
        return not self.s3_endpoint

    @property
    def intake_limits(self) -> IntakeLimits:
        return IntakeLimits(max_bytes=self.max_upload_mb * 1024 * 1024,
                            max_pages=self.max_pages,
                            max_page_pixels=self.max_page_megapixels * 1_000_000,
                            render_dpi=self.ocr_dpi)

    @property
    def tesseract(self) -> TesseractConfig:
        return TesseractConfig(lang=self.ocr_lang, timeout_seconds=self.ocr_page_timeout,
                               command=self.tesseract_cmd)
