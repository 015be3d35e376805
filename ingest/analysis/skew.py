"""Skew by projection profile, and cheap hints that a page is not upright.

The profile is computed from the coordinates of ink pixels (a weighted histogram per angle),
not by rotating images, so searching ±10° costs a few milliseconds on the working copy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ingest.analysis.measure import Mask

MAX_SKEW = 10.0
COARSE_STEP = 0.5
FINE_STEP = 0.05
# Enough points for a sharp profile; more only costs time (a dense page has ~100k at 100 dpi).
MAX_POINTS = 60_000
MIN_POINTS = 200


@dataclass(frozen=True)
class Skew:
    """``degrees``: angle of the text lines, counter-clockwise positive (as ``PIL.rotate``).

    ``line_score`` and ``column_score`` say how strongly the ink forms horizontal and vertical
    lines; a page whose text runs vertically (turned 90°) has ``column_score > line_score``.
    ``upright_score`` is positive when line bottoms are sharper than line tops (baselines are
    sharper than the tops of letters and tone marks), negative for a page upside down.
    """

    degrees: float
    line_score: float
    column_score: float
    upright_score: float

    @property
    def looks_sideways(self) -> bool:
        return self.column_score > 1.2 * self.line_score

    @property
    def looks_upside_down(self) -> bool:
        return self.upright_score < -0.05


NO_SKEW = Skew(0.0, 0.0, 0.0, 0.0)


def ink_points(ink: Mask, seed: int = 0) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    ys, xs = np.nonzero(ink)
    if ys.size > MAX_POINTS:
        pick = np.random.default_rng(seed).choice(ys.size, MAX_POINTS, replace=False)
        ys, xs = ys[pick], xs[pick]
    return ys.astype(np.float64), xs.astype(np.float64)


def profile(ys: NDArray[np.float64], xs: NDArray[np.float64], degrees: float) -> NDArray[np.intp]:
    """Rows of ink after undoing a line slope of ``degrees`` (counter-clockwise)."""
    shifted = ys + xs * np.tan(np.radians(degrees))
    rows = np.rint(shifted - shifted.min()).astype(np.intp)
    return np.bincount(rows)


def energy(ys: NDArray[np.float64], xs: NDArray[np.float64], degrees: float) -> float:
    """Sum of squared row counts: largest when text lines fall in as few rows as possible."""
    counts = profile(ys, xs, degrees).astype(np.float64)
    return float(np.dot(counts, counts))


def best_angle(ys: NDArray[np.float64], xs: NDArray[np.float64]) -> tuple[float, float]:
    """Coarse search over ±MAX_SKEW, then a fine search around the best coarse angle."""
    coarse = np.arange(-MAX_SKEW, MAX_SKEW + COARSE_STEP / 2, COARSE_STEP)
    scores = [energy(ys, xs, float(a)) for a in coarse]
    centre = float(coarse[int(np.argmax(scores))])
    fine = np.arange(centre - COARSE_STEP, centre + COARSE_STEP + FINE_STEP / 2, FINE_STEP)
    scores = [energy(ys, xs, float(a)) for a in fine]
    index = int(np.argmax(scores))
    return round(float(fine[index]), 2), scores[index]


def upright_score(counts: NDArray[np.float64]) -> float:
    """Share of profile change at falling edges minus rising edges (top to bottom).

    Scanning down a text line, ink rises gradually (tone marks, capitals, ascenders) and falls
    at once at the baseline; on an upside-down page it is the other way round.
    """
    step = np.diff(counts)
    total = float(np.dot(step, step))
    if total == 0:
        return 0.0
    falling = float(np.dot(step[step < 0], step[step < 0]))
    return (2 * falling - total) / total


def estimate_skew(ink: Mask) -> Skew:
    """Measure the skew of ``ink`` and the orientation hints; NO_SKEW when too little ink."""
    ys, xs = ink_points(ink)
    if ys.size < MIN_POINTS:
        return NO_SKEW
    degrees, line = best_angle(ys, xs)
    _, column = best_angle(xs, ys)  # the same search with the axes swapped
    # Normalise by the row count of a flat spread so pages of any size compare.
    norm = float(ys.size) ** 2
    counts = profile(ys, xs, degrees).astype(np.float64)
    return Skew(degrees=degrees, line_score=line / norm, column_score=column / norm,
                upright_score=round(upright_score(counts), 3))
