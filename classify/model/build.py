"""``make train``: rebuild the document-type model from scratch, reproducibly.

    python -m classify.model.build [--per-label 12] [--heldout-per-label 6] [--workers 2]

1. Generate and OCR the corpus (cached in ``models/corpus``: only new pages are OCR'd).
2. For each tokenization (pyvi words, plain syllables): five-fold cross-validation on the
   training split (out-of-fold predictions fit the temperature and the isotonic map), then a
   model trained on every training page. Keep the tokenization with the better out-of-fold
   combined macro-F1 (both are reported, with their held-out scores).
3. Write the version under ``models/doctype/<version>/``, make it ``current`` and write
   ``models/doctype/MODEL_CARD.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path
from typing import Any

from classify.doctypes import load_document_types
from classify.model.artefact import DEFAULT_MODEL_DIR
from classify.model.combine import DEFAULT_REVIEW_THRESHOLD
from classify.model.corpus import (
    DEFAULT_CORPUS_DIR,
    HELDOUT_FONTS,
    PIPELINE,
    TRAIN_FONTS,
    CorpusText,
    build_split,
    fingerprint,
)
from classify.model.features import TOKENIZATIONS
from classify.model.modelcard import write_model_card
from classify.model.templates import model_labels
from classify.model.textcat import TrainConfig
from classify.model.training import FOLDS, Fitted, RuleCache, evaluate, examples_of, fit
from classify.model.versions import library_versions, record_version, write_version


def _log(message: str) -> None:
    print(message, flush=True)


def compare_tokenizations(train: list[CorpusText], heldout: list[CorpusText],
                          rules: RuleCache, base: TrainConfig) -> tuple[Fitted, dict[str, Any]]:
    """Train one model per tokenization; return the best (by cross-validation) and the
    comparison."""
    examples, held = examples_of(train), examples_of(heldout)
    labels = model_labels()
    comparison: dict[str, Any] = {}
    candidates: dict[str, Fitted] = {}
    for tokenization in TOKENIZATIONS:
        config = TrainConfig(**{**base.as_json(), "tokenization": tokenization})
        started = time.perf_counter()
        fitted = fit(examples, labels, config, rules, DEFAULT_REVIEW_THRESHOLD)
        seconds = time.perf_counter() - started
        fitted.metrics["heldout"] = evaluate(fitted, held, rules)
        comparison[tokenization] = _summary(fitted.metrics, seconds)
        candidates[tokenization] = fitted
        _log(f"  {tokenization}: {comparison[tokenization]}")
    best = max(TOKENIZATIONS, key=lambda t: (
        comparison[t]["cv_combined_macro_f1"], comparison[t]["cv_model_macro_f1"],
        t == "syllable"))
    return candidates[best], comparison


def _summary(metrics: dict[str, Any], seconds: float) -> dict[str, Any]:
    val, held = metrics["cross_validation"], metrics["heldout"]
    return {"train_and_calibrate_seconds": round(seconds, 1),
            "cv_model_macro_f1": val["model_only"]["macro_f1"],
            "cv_combined_macro_f1": val["combined"]["macro_f1"],
            "heldout_model_macro_f1": held["model_only"]["macro_f1"],
            "heldout_combined_macro_f1": held["combined"]["macro_f1"],
            "heldout_abstain_rate": held["abstain_rate"]}


def manifest_extra(train: list[CorpusText], heldout: list[CorpusText], config: TrainConfig,
                   per_label: tuple[int, int], comparison: dict[str, Any]) -> dict[str, Any]:
    return {
        "data": {
            "fingerprint": fingerprint(train), "heldout_fingerprint": fingerprint(heldout),
            "train_pages": len(train), "heldout_pages": len(heldout),
            "corrections": 0, "corpus_files": ["models/corpus/train.jsonl.gz",
                                               "models/corpus/heldout.jsonl.gz"],
            "generator": {"per_label_train": per_label[0], "per_label_heldout": per_label[1],
                          "fonts_train": sorted(set(TRAIN_FONTS)),
                          "fonts_heldout": sorted(set(HELDOUT_FONTS)), "ocr": PIPELINE},
        },
        "seeds": {"train": config.seed, "corpus": "int(sha256(repr((split, label, index))))",
                  "cross_validation_folds": f"int(sha256('fold:'+key)[:8], 16) % {FOLDS}"},
        "libraries": library_versions(_tesseract_version()),
        "tokenization_comparison": comparison,
    }


def _tesseract_version() -> str:
    try:
        from ocr.tesseract import TesseractConfig, check_tesseract
        return check_tesseract(TesseractConfig())
    except Exception:  # the version is provenance only
        return "unknown"


def version_name(train: list[CorpusText], config: TrainConfig) -> str:
    raw = f"{fingerprint(train)}\0{sorted(config.as_json().items())}"
    return f"doctype-{hashlib.sha256(raw.encode()).hexdigest()[:10]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--per-label", type=int, default=12)
    parser.add_argument("--heldout-per-label", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--root", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS_DIR)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    _log("1/3 corpus (cached OCR in models/corpus)")
    train = build_split("train", args.per_label, directory=args.corpus, workers=args.workers)
    heldout = build_split("heldout", args.heldout_per_label, directory=args.corpus,
                          workers=args.workers)
    _log(f"    {len(train)} training pages, {len(heldout)} held-out pages "
         f"({time.perf_counter() - started:.0f} s)")
    _log("2/3 training (pyvi words vs syllables)")
    rules = RuleCache(load_document_types())
    fitted, comparison = compare_tokenizations(train, heldout, rules, TrainConfig())
    _log(f"3/3 writing the model ({fitted.config.tokenization} chosen)")
    version = version_name(train, fitted.config)
    extra = manifest_extra(train, heldout, fitted.config,
                           (args.per_label, args.heldout_per_label), comparison)
    directory = write_version(args.root, version, fitted, extra)
    held = fitted.metrics["heldout"]
    record_version(args.root, version, {"parent": None, "heldout_macro_f1":
                                        held["combined"]["macro_f1"], "corrections": 0},
                   promote=True)
    write_model_card(args.root, directory)
    _log(f"done: {directory} macro-F1 {held['combined']['macro_f1']} abstain "
         f"{held['abstain_rate']} in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
