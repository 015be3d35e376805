"""Classification metrics: per-label precision/recall/F1, macro-F1, confusions, calibration."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

RELIABILITY_BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0001)


@dataclass(frozen=True)
class LabelScore:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Report:
    accuracy: float
    macro_f1: float
    per_label: dict[str, LabelScore]
    confusions: tuple[tuple[str, str, int], ...]  # (true, predicted, count), most frequent first

    def as_json(self) -> dict[str, object]:
        return {
            "accuracy": round(self.accuracy, 4), "macro_f1": round(self.macro_f1, 4),
            "per_label": {k: {"precision": round(v.precision, 4), "recall": round(v.recall, 4),
                              "f1": round(v.f1, 4), "support": v.support}
                          for k, v in sorted(self.per_label.items())},
            "top_confusions": [list(c) for c in self.confusions[:15]],
        }


def report(truth: Sequence[str], predicted: Sequence[str],
           labels: Sequence[str] | None = None) -> Report:
    """Scores over ``labels`` (default: every label in ``truth``); macro-F1 averages the labels
    that have support."""
    if len(truth) != len(predicted):
        raise ValueError("truth and predictions differ in length")
    names = sorted(set(labels) if labels is not None else set(truth))
    pairs = Counter(zip(truth, predicted, strict=True))
    per_label = {name: _score(name, pairs) for name in names}
    supported = [s.f1 for s in per_label.values() if s.support > 0]
    confusions = tuple(sorted(((t, p, n) for (t, p), n in pairs.items() if t != p),
                              key=lambda c: (-c[2], c[0], c[1])))
    accuracy = sum(n for (t, p), n in pairs.items() if t == p) / max(1, len(truth))
    return Report(accuracy, sum(supported) / max(1, len(supported)), per_label, confusions)


def _score(name: str, pairs: Counter[tuple[str, str]]) -> LabelScore:
    tp = pairs[(name, name)]
    predicted = sum(n for (_, p), n in pairs.items() if p == name)
    support = sum(n for (t, _), n in pairs.items() if t == name)
    precision = tp / predicted if predicted else 0.0
    recall = tp / support if support else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LabelScore(precision, recall, f1, support)


@dataclass(frozen=True)
class ReliabilityBin:
    low: float
    high: float
    count: int
    mean_confidence: float
    accuracy: float


def reliability(confidences: Sequence[float], correct: Sequence[bool],
                bins: Sequence[float] = RELIABILITY_BINS) -> tuple[list[ReliabilityBin], float]:
    """Reliability table and expected calibration error (ECE, weighted |accuracy − confidence|)."""
    table: list[ReliabilityBin] = []
    ece, total = 0.0, len(confidences)
    for low, high in pairwise(bins):
        members = [i for i, c in enumerate(confidences) if low <= c < high]
        if not members:
            continue
        mean = sum(confidences[i] for i in members) / len(members)
        accuracy = sum(correct[i] for i in members) / len(members)
        table.append(ReliabilityBin(low, min(high, 1.0), len(members), mean, accuracy))
        ece += len(members) / max(1, total) * abs(accuracy - mean)
    return table, ece
