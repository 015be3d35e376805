"""Calibration fitted on a validation split (never on the held-out set).

Two steps: a temperature for the model's softmax (minimum negative log-likelihood on a grid),
then an isotonic map (pool-adjacent-violators) from the combined raw score of rules and model
to the observed accuracy, so a confidence of 0.9 means right about 9 times in 10.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

TEMPERATURES = tuple(round(t, 2) for t in np.arange(0.3, 3.01, 0.05))
EPSILON = 1e-9


def apply_temperature(probs: np.ndarray, temperature: float) -> np.ndarray:
    logits = np.log(np.clip(probs, EPSILON, 1.0)) / temperature
    logits -= logits.max(axis=-1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=-1, keepdims=True)


def fit_temperature(probs: np.ndarray, truth: Sequence[int]) -> float:
    """The temperature with the lowest negative log-likelihood of the true labels."""
    if len(truth) == 0:
        return 1.0
    rows = np.arange(len(truth))
    best, best_nll = 1.0, float("inf")
    for temperature in TEMPERATURES:
        scaled = apply_temperature(probs, temperature)
        nll = float(-np.log(np.clip(scaled[rows, list(truth)], EPSILON, 1.0)).mean())
        if nll < best_nll - 1e-12:
            best, best_nll = temperature, nll
    return best


@dataclass(frozen=True)
class Isotonic:
    """A non-decreasing step map: a score ≥ ``thresholds[i]`` (and below the next) maps to
    ``values[i]``; below the first threshold, to ``values[0]``."""

    thresholds: tuple[float, ...]
    values: tuple[float, ...]

    def __call__(self, score: float) -> float:
        if not self.thresholds:
            return score
        index = int(np.searchsorted(self.thresholds, score, side="right")) - 1
        return self.values[max(0, index)]

    def as_json(self) -> dict[str, list[float]]:
        return {"thresholds": [round(t, 6) for t in self.thresholds],
                "values": [round(v, 6) for v in self.values]}

    @classmethod
    def from_json(cls, data: dict[str, list[float]]) -> Isotonic:
        thresholds, values = tuple(data["thresholds"]), tuple(data["values"])
        if len(thresholds) != len(values) or list(thresholds) != sorted(thresholds) \
                or list(values) != sorted(values):
            raise ValueError("isotonic map is not sorted or its lists differ in length")
        return cls(thresholds, values)


def fit_isotonic(scores: Sequence[float], correct: Sequence[bool],
                 prior: tuple[float, float] = (0.5, 0.5)) -> Isotonic:
    """Pool adjacent violators on (score, correct); each block's value is smoothed with a
    Jeffreys ``prior`` (successes, failures) so a block of 3 right answers does not claim
    1.0."""
    order = np.argsort(np.asarray(scores, dtype=float), kind="stable")
    blocks: list[list[float]] = []  # [start score, successes, count]
    for i in order:
        blocks.append([float(scores[i]), float(correct[i]), 1.0])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            last = blocks.pop()
            blocks[-1][1] += last[1]
            blocks[-1][2] += last[2]
    thresholds = tuple(b[0] for b in blocks)
    values = [(b[1] + prior[0]) / (b[2] + prior[0] + prior[1]) for b in blocks]
    for j in range(1, len(values)):  # smoothing can break monotonicity slightly
        values[j] = max(values[j], values[j - 1])
    return Isotonic(thresholds, tuple(values))
