"""The trained model on disk: versions, manifests, checksums, loading and start-up checks.

    models/doctype/manifest.json          {"current": "<version>", "versions": [...]}
    models/doctype/<version>/manifest.json labels, data fingerprint, metrics, calibration,
                                           library versions, seeds, sha256 of every file
    models/doctype/<version>/textcat/      the spaCy pipeline (nlp.to_disk)

:func:`load_model` checks all of it and raises :class:`ModelInvalid` (``model_invalid``) with a
message in Vietnamese and English when anything is missing, corrupt or inconsistent.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language

from classify.catalogue.loader import Catalogue
from classify.doctypes import DocumentTypes
from classify.model.calibrate import Isotonic, apply_temperature
from classify.model.features import TOKENIZATIONS, tokenize
from classify.model.textcat import labels_of, predict_proba
from ingest.errors import SohoaError

DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "doctype"
MANIFEST = "manifest.json"
PIPELINE_DIR = "textcat"
VERSION_FORMAT = "sohoa-doctype/1"
ROOT_FORMAT = "sohoa-doctype-root/1"
REQUIRED_KEYS = ("format", "version", "created", "labels", "tokenization", "calibration",
                 "metrics", "data", "libraries", "seeds", "files")
# Components that any paper satisfies (the original or copy to certify, the paper whose
# signature is certified): no text tells them apart, so no model label is required for them.
CONTENT_FREE_TYPES = frozenset({"ban_chinh_giay_to_bat_ky", "ban_sao_can_chung_thuc",
                                "giay_to_can_chung_thuc_chu_ky"})


class ModelInvalid(SohoaError):
    code = "model_invalid"


def _invalid(path: Path, vi: str, en: str) -> ModelInvalid:
    return ModelInvalid(f"Mô hình phân loại giấy tờ tại {path} không dùng được: {vi}.",
                        f"The document-type model at {path} is unusable: {en}.")


@dataclass(frozen=True)
class DocTypeModel:
    """A loaded, checked model version. ``predict`` gives calibrated (temperature-scaled)
    probabilities, best first."""

    path: Path
    version: str
    labels: tuple[str, ...]
    tokenization: str
    temperature: float
    isotonic: Isotonic
    review_threshold: float
    manifest: dict[str, Any]
    nlp: Language

    def predict(self, text: str) -> list[tuple[str, float]]:
        return self.predict_many([text])[0]

    def predict_many(self, texts: Iterable[str]) -> list[list[tuple[str, float]]]:
        tokens = [tokenize(text, self.tokenization) for text in texts]
        probs = apply_temperature(predict_proba(self.nlp, tokens), self.temperature)
        return [sorted(zip(self.labels, (float(p) for p in row), strict=True),
                       key=lambda item: -item[1]) for row in probs]


def file_digests(directory: Path) -> dict[str, str]:
    """sha256 of every file under ``directory/textcat``, keyed by relative path."""
    pipeline = directory / PIPELINE_DIR
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(pipeline.rglob("*")) if p.is_file()}


def read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise _invalid(path.parent, f"thiếu tệp {path.name}", f"{path.name} is missing") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _invalid(path.parent, f"tệp {path.name} hỏng ({exc})",
                       f"{path.name} is corrupt ({exc})") from exc
    if not isinstance(data, dict):
        raise _invalid(path.parent, f"{path.name} không phải đối tượng JSON",
                       f"{path.name} is not a JSON object")
    return data


def resolve_version_dir(path: Path) -> Path:
    """``path`` itself if it holds a version, else the version its root manifest calls
    ``current``."""
    manifest = read_json(path / MANIFEST)
    if manifest.get("format") != ROOT_FORMAT:
        return path
    current = manifest.get("current")
    if not isinstance(current, str) or not current or "/" in current or current.startswith("."):
        raise _invalid(path, "manifest gốc không có phiên bản hiện hành hợp lệ",
                       "the root manifest has no valid current version")
    return path / current


@dataclass(frozen=True)
class CheckedManifest:
    """A version whose manifest and file checksums are verified, its pipeline not yet loaded
    (spaCy costs ~190 MB; the web process only needs to know the model is sound)."""

    path: Path
    version: str
    labels: tuple[str, ...]
    manifest: dict[str, Any]


def verify_model(path: Path = DEFAULT_MODEL_DIR) -> CheckedManifest:
    """Check the manifest and every file's sha256 at ``path`` (root or version), without
    loading the pipeline."""
    directory = resolve_version_dir(Path(path))
    manifest = read_json(directory / MANIFEST)
    _check_manifest(directory, manifest)
    _check_files(directory, manifest["files"])
    return CheckedManifest(directory, str(manifest["version"]), tuple(manifest["labels"]),
                           manifest)


def load_model(path: Path = DEFAULT_MODEL_DIR) -> DocTypeModel:
    """Load and check the model at ``path`` (the models/doctype root, or one version)."""
    checked = verify_model(path)
    directory, manifest = checked.path, checked.manifest
    nlp = _load_pipeline(directory)
    if list(labels_of(nlp)) != list(manifest["labels"]):
        raise _invalid(directory, "nhãn của mô hình khác nhãn trong manifest",
                       "the pipeline's labels differ from the manifest's")
    calibration = manifest["calibration"]
    try:
        isotonic = Isotonic.from_json(calibration["isotonic"])
        temperature = float(calibration["temperature"])
        threshold = float(calibration["review_threshold"])
    except (KeyError, TypeError, ValueError) as exc:
        raise _invalid(directory, f"thông số hiệu chuẩn hỏng ({exc})",
                       f"the calibration block is corrupt ({exc})") from exc
    if temperature <= 0 or not 0 < threshold <= 1:
        raise _invalid(directory, "nhiệt độ hoặc ngưỡng hiệu chuẩn ngoài miền",
                       "calibration temperature or threshold out of range")
    return DocTypeModel(path=directory, version=str(manifest["version"]),
                        labels=tuple(manifest["labels"]), tokenization=manifest["tokenization"],
                        temperature=temperature, isotonic=isotonic, review_threshold=threshold,
                        manifest=manifest, nlp=nlp)


def _check_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    missing = [key for key in REQUIRED_KEYS if key not in manifest]
    if missing:
        raise _invalid(directory, f"manifest thiếu trường {', '.join(missing)}",
                       f"the manifest lacks {', '.join(missing)}")
    if manifest["format"] != VERSION_FORMAT:
        raise _invalid(directory, f"định dạng manifest {manifest['format']!r} không hỗ trợ",
                       f"unsupported manifest format {manifest['format']!r}")
    labels = manifest["labels"]
    if not isinstance(labels, list) or not labels or len(set(labels)) != len(labels) \
            or not all(isinstance(label, str) and label for label in labels):
        raise _invalid(directory, "danh sách nhãn rỗng, trùng hoặc sai kiểu",
                       "the label list is empty, duplicated or mistyped")
    if manifest["tokenization"] not in TOKENIZATIONS:
        raise _invalid(directory, f"cách tách từ {manifest['tokenization']!r} không hỗ trợ",
                       f"unsupported tokenization {manifest['tokenization']!r}")
    if not isinstance(manifest["files"], dict) or not manifest["files"]:
        raise _invalid(directory, "manifest không liệt kê tệp nào", "the manifest lists no files")


def _check_files(directory: Path, expected: dict[str, str]) -> None:
    if not (directory / PIPELINE_DIR).is_dir():
        raise _invalid(directory, f"thiếu thư mục {PIPELINE_DIR}/", f"{PIPELINE_DIR}/ is missing")
    found = file_digests(directory)
    absent = sorted(set(expected) - set(found))
    changed = sorted(name for name in expected if name in found and found[name] != expected[name])
    extra = sorted(set(found) - set(expected))
    if absent or changed or extra:
        detail = "; ".join(part for part in (
            f"thiếu/missing {', '.join(absent)}" if absent else "",
            f"sai sha256/sha256 mismatch {', '.join(changed)}" if changed else "",
            f"thừa/unexpected {', '.join(extra)}" if extra else "") if part)
        raise _invalid(directory, f"tệp mô hình không khớp manifest ({detail})",
                       f"model files do not match the manifest ({detail})")


def _load_pipeline(directory: Path) -> Language:
    import spacy

    try:
        return spacy.load(directory / PIPELINE_DIR)
    except Exception as exc:  # spaCy raises many kinds on a damaged pipeline
        raise _invalid(directory, f"không nạp được pipeline spaCy ({exc})",
                       f"the spaCy pipeline does not load ({exc})") from exc


# --------------------------------------------------------------------------- start-up check

def rule_types(types: DocumentTypes) -> set[str]:
    """Types that :func:`classify.rules.classify_page` can name: a title, form code, cue or
    số-ký-hiệu abbreviation."""
    return {code for code, t in types.types.items()
            if t.titles or t.form_codes or t.cues or t.abbreviations}


def catalogue_doc_types(catalogue: Catalogue) -> set[str]:
    """Every doc_type some component of some procedure version accepts."""
    return {doc_type for procedure in catalogue.procedures.values()
            for version in procedure.versions for component in version.components
            for doc_type in component.doc_types}


def check_model_labels(model: DocTypeModel | CheckedManifest, catalogue_types: Iterable[str],
                       rules: Iterable[str],
                       content_free: Iterable[str] = CONTENT_FREE_TYPES) -> None:
    """Refuse a model that cannot name a catalogue type no rule recognises: such a component
    could never be found in a dossier. ``content_free`` types (any paper will do) are exempt."""
    needed = set(catalogue_types) - set(rules) - set(content_free)
    missing = sorted(needed - set(model.labels))
    if missing:
        raise ModelInvalid(
            f"Mô hình {model.version} không có nhãn cho loại giấy tờ mà danh mục cần và không "
            f"quy tắc nào nhận ra: {', '.join(missing)}. Huấn luyện lại (make train).",
            f"Model {model.version} has no label for catalogue document types that no rule "
            f"recognises: {', '.join(missing)}. Retrain it (make train).")
