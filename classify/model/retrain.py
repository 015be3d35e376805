"""Retraining from reviewers' corrections, promoted only if it does not do worse.

``retrain`` trains on the generated corpus plus the corrections (each counted three times), with
the current version's configuration and seeds, calibrates by the same cross-validation and
scores both the new and the current version on the fixed held-out set. The new version is
always written (``models/doctype/<version>/``) and recorded in the root manifest; it becomes
``current`` only if its combined macro-F1 on the held-out set is not lower.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classify.doctypes import DocumentTypes, load_document_types
from classify.model.artefact import DEFAULT_MODEL_DIR, DocTypeModel, ModelInvalid, load_model
from classify.model.corpus import DEFAULT_CORPUS_DIR, CorpusText, corpus_path, fingerprint
from classify.model.corpus import read_corpus as read_texts
from classify.model.textcat import TrainConfig
from classify.model.training import Example, Fitted, RuleCache, evaluate, examples_of, fit
from classify.model.versions import read_root, record_version, write_version
from ingest.text import nfc

PROMOTION_TOLERANCE = 1e-9


@dataclass(frozen=True)
class RetrainResult:
    version: str
    promoted: bool
    macro_f1: float  # new version, combined, on the held-out set
    baseline_version: str
    baseline_macro_f1: float
    heldout_pages: int


@dataclass(frozen=True)
class Data:
    """What a retraining run learns from and is judged on."""

    base: Sequence[CorpusText]
    heldout: Sequence[CorpusText]


def load_data(corpus_dir: Path = DEFAULT_CORPUS_DIR) -> Data:
    base, heldout = read_texts(corpus_path("train", corpus_dir)), \
        read_texts(corpus_path("heldout", corpus_dir))
    if not base or not heldout:
        raise ModelInvalid(
            f"Thiếu kho văn bản huấn luyện trong {corpus_dir} (chạy make train).",
            f"The generated corpus is missing from {corpus_dir} (run make train).")
    return Data(base, heldout)


def retrain(corrections: Sequence[tuple[str, str]], *, root: Path = DEFAULT_MODEL_DIR,
            data: Data | None = None, types: DocumentTypes | None = None) -> RetrainResult:
    """Train a new version on the corpus plus ``corrections`` ((page text, doc_type) pairs)."""
    types = types or load_document_types()
    data = data or load_data()
    current = load_model(root)
    fixes = [Example(nfc(text), label) for text, label in corrections]
    labels = _labels(current, fixes)
    config = TrainConfig(**current.manifest["train_config"])
    rules = RuleCache(types)
    heldout = examples_of(data.heldout)
    fitted = fit(examples_of(data.base), labels, config, rules, current.review_threshold, fixes)
    fitted.metrics["heldout"] = evaluate(fitted, heldout, rules)
    baseline = evaluate(_as_fitted(current, config), heldout, rules)
    new_f1 = fitted.metrics["heldout"]["combined"]["macro_f1"]
    old_f1 = baseline["combined"]["macro_f1"]
    promoted = new_f1 + PROMOTION_TOLERANCE >= old_f1
    version = _version_name(current.version, data, fixes, config)
    write_version(root, version, fitted, _extra(current, data, fixes, baseline))
    record_version(root, version, {"parent": current.version, "heldout_macro_f1": new_f1,
                                   "baseline_heldout_macro_f1": old_f1,
                                   "corrections": len(fixes)}, promote=promoted)
    return RetrainResult(version, promoted, new_f1, current.version, old_f1, len(heldout))


def _labels(current: DocTypeModel, fixes: Sequence[Example]) -> list[str]:
    known = list(current.labels)
    return known + sorted({f.label for f in fixes} - set(known))


def _as_fitted(model: DocTypeModel, config: TrainConfig) -> Fitted:
    return Fitted(model.nlp, config, model.temperature, model.isotonic, model.review_threshold)


def _version_name(parent: str, data: Data, fixes: Sequence[Example],
                  config: TrainConfig) -> str:
    digest = hashlib.sha256()
    digest.update(f"{parent}\0{fingerprint(data.base)}\0{fingerprint(data.heldout)}\0"
                  f"{sorted(config.as_json().items())}".encode())
    for fix in fixes:
        digest.update(f"{fix.label}\0{fix.text}\0".encode())
    return f"doctype-{digest.hexdigest()[:10]}"


def _extra(current: DocTypeModel, data: Data, fixes: Sequence[Example],
           baseline: dict[str, Any]) -> dict[str, Any]:
    corrections = hashlib.sha256("".join(f"{f.label}\0{f.text}\0" for f in fixes).encode())
    return {
        "parent": current.version,
        "data": {**current.manifest.get("data", {}), "fingerprint": fingerprint(data.base),
                 "heldout_fingerprint": fingerprint(data.heldout), "train_pages": len(data.base),
                 "heldout_pages": len(data.heldout), "corrections": len(fixes),
                 "corrections_fingerprint": corrections.hexdigest()},
        "libraries": current.manifest.get("libraries", {}),
        "seeds": current.manifest.get("seeds", {}),
        "baseline": {"version": current.version, "heldout_macro_f1":
                     baseline["combined"]["macro_f1"]},
    }


def history(root: Path = DEFAULT_MODEL_DIR) -> list[dict[str, Any]]:
    """The versions recorded in the root manifest, oldest first."""
    return list(read_root(root).get("versions", []))
