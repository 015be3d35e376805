"""The scanner's hot folder (thư mục quét): files dropped there are ingested, then moved.

A file is taken once its size and modification time have stopped changing (a scanner writes
for a while). A file whose first page is a dossier cover sheet (the Mẫu 01 QR) goes to that
dossier; otherwise a new dossier is created for the configured procedure. Success moves the
file to ``done/``, failure to ``failed/`` beside a ``.reason.txt`` in Vietnamese and English.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from api.orchestrator import run_job
from api.services import Services
from api.usecases import VIETNAM, accept_upload, create_dossier
from ingest.errors import SohoaError
from ingest.intake import inspect_upload
from ingest.rasterize import rasterize
from ingest.separators import classify_sheet
from ingest.sniff import MediaType
from storage.tables import Dossier

log = logging.getLogger(__name__)
IGNORED_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", "~")


@dataclass(frozen=True)
class HotFolderConfig:
    directory: Path
    procedure: str | None
    unit: str | None
    settle_seconds: float = 2.0
    poll_seconds: float = 1.0


@dataclass
class _Seen:
    size: int
    mtime: float
    since: float


@dataclass
class HotFolder:
    config: HotFolderConfig
    services: Services
    seen: dict[Path, _Seen] = field(default_factory=dict)

    def ready_files(self, now: float) -> list[Path]:
        """Files whose size and mtime have not changed for ``settle_seconds``."""
        ready = []
        for path in sorted(self.config.directory.iterdir()):
            if not path.is_file() or path.name.startswith(".") or \
                    path.name.endswith(IGNORED_SUFFIXES) or path.name.endswith(".reason.txt"):
                continue
            stat = path.stat()
            last = self.seen.get(path)
            if last is None or (last.size, last.mtime) != (stat.st_size, stat.st_mtime):
                self.seen[path] = _Seen(stat.st_size, stat.st_mtime, now)
            elif now - last.since >= self.config.settle_seconds:
                ready.append(path)
        return ready

    def process(self, path: Path) -> Path:
        """Ingest one file and move it; returns where it went."""
        self.seen.pop(path, None)
        try:
            dossier_code = self._ingest(path)
        except SohoaError as error:
            log.warning("hot folder: %s failed: %s", path.name, error)
            reason = f"[{error.code}]\n{error.message_vi}\n{error.message_en}\n"
            return _move(path, "failed", reason)
        log.info("hot folder: %s → %s", path.name, dossier_code)
        return _move(path, "done", None)

    def _ingest(self, path: Path) -> str:
        data = path.read_bytes()
        intake = inspect_upload(data, path.name, self.services.settings.intake_limits)
        dossier = self._dossier_for(data, intake.media_type)
        for job in accept_upload(self.services, dossier.id, [(path.name, data)],
                                 actor="hot-folder"):
            run_job(job.id, self.services)
        return dossier.code

    def _dossier_for(self, data: bytes, media_type: MediaType) -> Dossier:
        limits = self.services.settings.intake_limits
        first = next(rasterize(data, media_type, 200, limits.max_page_pixels))
        code = classify_sheet(first.image).dossier_code
        if code is not None:
            with self.services.session() as session:
                found = session.scalars(select(Dossier).where(Dossier.code == code)).first()
            if found is not None:
                return found
        if self.config.procedure is None:
            raise SohoaError(
                "Tệp không có tờ bìa hồ sơ (mã QR) của hồ sơ đã có, và thư mục chưa được gán "
                "thủ tục (--procedure).",
                "No cover sheet of an existing dossier, and no --procedure for this folder.",
                code="no_dossier")
        return create_dossier(self.services, self.config.procedure, self.config.unit,
                              actor="hot-folder")

    def run(self, once: bool = False, clock: Callable[[], float] = time.monotonic) -> None:
        for sub in ("done", "failed"):
            (self.config.directory / sub).mkdir(exist_ok=True)
        while True:
            for path in self.ready_files(clock()):
                try:
                    self.process(path)
                except Exception:  # S3 or the database down: keep the file, try again later
                    log.exception("hot folder: %s left in place, will retry", path.name)
            if once and not self.seen:
                return
            time.sleep(self.config.poll_seconds)


def _move(path: Path, folder: str, reason: str | None) -> Path:
    target_dir = path.parent / folder
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    if target.exists():
        stamp = dt.datetime.now(VIETNAM).strftime("%Y%m%d-%H%M%S")
        target = target_dir / f"{stamp}-{path.name}"
    shutil.move(str(path), target)
    if reason is not None:
        target.with_name(target.name + ".reason.txt").write_text(reason, encoding="utf-8")
    return target
