"""Writing model versions and the root manifest that names the ``current`` one."""

from __future__ import annotations

import datetime as dt
import json
import platform
import shutil
from importlib import metadata
from pathlib import Path
from typing import Any

from classify.model.artefact import (
    MANIFEST,
    PIPELINE_DIR,
    ROOT_FORMAT,
    VERSION_FORMAT,
    file_digests,
    read_json,
)
from classify.model.training import Fitted

LIBRARIES = ("spacy", "thinc", "pyvi", "numpy", "Faker", "opencv-python-headless", "pytesseract")


def library_versions(tesseract: str | None = None) -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    if tesseract:
        found["tesseract"] = tesseract
    return found


def new_version_name(fingerprint: str, now: dt.datetime | None = None) -> str:
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S")
    return f"doctype-{stamp}-{fingerprint[:8]}"


def write_version(root: Path, version: str, fitted: Fitted, extra: dict[str, Any]) -> Path:
    """Save ``fitted`` as ``root/version`` with its full manifest; return the directory."""
    directory = root / version
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    fitted.nlp.to_disk(directory / PIPELINE_DIR)
    manifest: dict[str, Any] = {
        "format": VERSION_FORMAT,
        "version": version,
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "labels": list(fitted.labels),
        "tokenization": fitted.config.tokenization,
        "train_config": fitted.config.as_json(),
        "calibration": {"temperature": fitted.temperature,
                        "isotonic": fitted.isotonic.as_json(),
                        "review_threshold": fitted.review_threshold},
        "metrics": fitted.metrics,
        **extra,
        "files": file_digests(directory),
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                      encoding="utf-8")
    return directory


def read_root(root: Path) -> dict[str, Any]:
    if not (root / MANIFEST).exists():
        return {"format": ROOT_FORMAT, "current": None, "versions": []}
    return read_json(root / MANIFEST)


def record_version(root: Path, version: str, summary: dict[str, Any], promote: bool) -> None:
    """Add ``version`` to the root manifest's history; make it ``current`` if ``promote``."""
    manifest = read_root(root)
    history = [v for v in manifest.get("versions", []) if v.get("version") != version]
    history.append({"version": version, "promoted": promote, **summary})
    manifest["versions"] = history
    if promote:
        manifest["current"] = version
    manifest["format"] = ROOT_FORMAT
    (root / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                 encoding="utf-8")
