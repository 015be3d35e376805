"""Fit one model version: train the textcat, calibrate it by cross-validation, evaluate.

The generated training split is cut into five folds by a hash of each page's key. Five models,
each trained without one fold, predict that fold: these out-of-fold predictions choose the
tokenization and fit the softmax temperature and the isotonic map of the combined score. The
model that ships is then trained on every training page. The held-out split is only ever
evaluated.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from spacy.language import Language

from classify.doctypes import OTHER, DocumentTypes
from classify.model.calibrate import Isotonic, apply_temperature, fit_isotonic, fit_temperature
from classify.model.combine import decide, is_unreadable
from classify.model.corpus import CorpusText
from classify.model.features import tokenize
from classify.model.metrics import reliability, report
from classify.model.textcat import TrainConfig, labels_of, predict_proba, train
from classify.rules import PageClassification, classify_page

FOLDS = 5
CORRECTION_WEIGHT = 3  # a reviewed correction counts as this many generated pages


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    key: str = ""

    @property
    def fold(self) -> int:
        key = self.key or hashlib.sha256(self.text.encode()).hexdigest()
        return int(hashlib.sha256(f"fold:{key}".encode()).hexdigest()[:8], 16) % FOLDS


@dataclass
class Fitted:
    """A trained pipeline with its calibration and measurements."""

    nlp: Language
    config: TrainConfig
    temperature: float
    isotonic: Isotonic
    review_threshold: float
    metrics: dict[str, Any] = field(default_factory=dict)

    @property
    def labels(self) -> tuple[str, ...]:
        return labels_of(self.nlp)


def examples_of(texts: Sequence[CorpusText]) -> list[Example]:
    return [Example(t.text, t.label, t.key) for t in texts]


def train_examples(examples: Sequence[Example], labels: Sequence[str], config: TrainConfig,
                   corrections: Sequence[Example] = ()) -> Language:
    data = [(tokenize(e.text, config.tokenization), e.label) for e in examples]
    data += [(tokenize(e.text, config.tokenization), e.label)
             for e in corrections for _ in range(CORRECTION_WEIGHT)]
    return train(data, labels, config)


def model_probs(nlp: Language, examples: Sequence[Example], tokenization: str) -> np.ndarray:
    return predict_proba(nlp, [tokenize(e.text, tokenization) for e in examples])


class RuleCache:
    """Rule results per text: the rules do not change between model versions."""

    def __init__(self, types: DocumentTypes) -> None:
        self.types = types
        self._cache: dict[str, PageClassification] = {}

    def __call__(self, text: str) -> PageClassification:
        if text not in self._cache:
            self._cache[text] = classify_page(text, self.types)
        return self._cache[text]


@dataclass(frozen=True)
class Scored:
    """Per page: model-only label, rule label, combined label, raw combined score."""

    model_labels: list[str]
    rule_labels: list[str]
    combined: list[str]
    raw: list[float]


def score(probs: np.ndarray, labels: Sequence[str], examples: Sequence[Example],
          rules: RuleCache) -> Scored:
    """Combine temperature-scaled ``probs`` with the rules, page by page."""
    scored = Scored([], [], [], [])
    for example, row in zip(examples, probs, strict=True):
        ranked = sorted(zip(labels, (float(p) for p in row), strict=True), key=lambda x: -x[1])
        rule = rules(example.text)
        scored.model_labels.append(ranked[0][0])
        scored.rule_labels.append(rule.doc_type)
        decision = None if is_unreadable(example.text) else decide(rule, ranked)
        scored.combined.append(decision.doc_type if decision else OTHER)
        scored.raw.append(decision.raw if decision else 0.0)
    return scored


def summarize(scored: Scored, truth: Sequence[str], labels: Sequence[str], isotonic: Isotonic,
              review_threshold: float) -> dict[str, Any]:
    """Model-only, rules-only and combined scores, abstain rate and calibration."""
    confidence = [isotonic(r) for r in scored.raw]
    review = [c < review_threshold or label == OTHER
              for c, label in zip(confidence, scored.combined, strict=True)]
    correct = [p == t for p, t in zip(scored.combined, truth, strict=True)]
    table, ece = reliability(confidence, correct)
    kept = [ok for ok, r in zip(correct, review, strict=True) if not r]
    return {
        "pages": len(truth),
        "model_only": report(truth, scored.model_labels, labels).as_json(),
        "rules_only": report(truth, scored.rule_labels, labels).as_json(),
        "combined": report(truth, scored.combined, labels).as_json(),
        "abstain_rate": round(sum(review) / max(1, len(review)), 4),
        "accuracy_when_not_abstaining": round(sum(kept) / max(1, len(kept)), 4),
        "ece": round(ece, 4),
        "reliability": [{"bin": [round(b.low, 2), round(b.high, 2)], "count": b.count,
                         "mean_confidence": round(b.mean_confidence, 4),
                         "accuracy": round(b.accuracy, 4)} for b in table],
    }


def evaluate(fitted: Fitted, examples: Sequence[Example], rules: RuleCache) -> dict[str, Any]:
    probs = apply_temperature(model_probs(fitted.nlp, examples, fitted.config.tokenization),
                              fitted.temperature)
    scored = score(probs, fitted.labels, examples, rules)
    return summarize(scored, [e.label for e in examples], fitted.labels, fitted.isotonic,
                     fitted.review_threshold)


def out_of_fold(examples: Sequence[Example], labels: Sequence[str], config: TrainConfig,
                corrections: Sequence[Example] = ()) -> np.ndarray:
    """Each page predicted by a model trained without its fold."""
    probs = np.zeros((len(examples), len(labels)))
    for fold in range(FOLDS):
        inside = [i for i, e in enumerate(examples) if e.fold == fold]
        outside = [e for e in examples if e.fold != fold]
        if not inside or not outside:
            continue
        nlp = train_examples(outside, labels, config, corrections)
        probs[inside] = model_probs(nlp, [examples[i] for i in inside], config.tokenization)
    return probs


def fit(examples: Sequence[Example], labels: Sequence[str], config: TrainConfig,
        rules: RuleCache, review_threshold: float,
        corrections: Sequence[Example] = ()) -> Fitted:
    """Calibrate on out-of-fold predictions, then train on every page."""
    probs = out_of_fold(examples, labels, config, corrections)
    truth = [e.label for e in examples]
    temperature = fit_temperature(probs, [list(labels).index(t) for t in truth])
    scored = score(apply_temperature(probs, temperature), labels, examples, rules)
    correct = [p == t for p, t in zip(scored.combined, truth, strict=True)]
    isotonic = fit_isotonic(scored.raw, correct)
    nlp = train_examples(examples, labels, config, corrections)
    fitted = Fitted(nlp, config, temperature, isotonic, review_threshold)
    fitted.metrics["cross_validation"] = summarize(scored, truth, labels, isotonic,
                                                   review_threshold)
    return fitted
