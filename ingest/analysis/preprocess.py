"""Image clean-up before OCR, chosen per page from measured statistics.

Measured on this platform (DESIGN.md): clean pages read best untouched (binarizing costs a
little), while heavily degraded pages collapse without help (CER ≈50 %) and read at ≈0.7 % after
dividing by the estimated background and a 3×3 median, kept in grey. Otsu after division is
available on request but is never chosen automatically.
"""

from __future__ import annotations

from enum import StrEnum

import cv2
import numpy as np

from ingest.analysis.measure import Grey, PageStats, estimate_background

# A page is "degraded" past any of these (grey levels 0–255, noise sigma in source pixels).
MAX_UNEVENNESS = 40.0
MIN_CONTRAST = 70.0
MAX_NOISE_NORMALIZE = 12.0
MAX_NOISE_CLEAN = 6.0


class Preprocessing(StrEnum):
    """What was done to the OCR image (recorded as provenance on every page)."""

    NONE = "none"
    DENOISE = "denoise"  # 3×3 median in grey
    NORMALIZE = "normalize"  # background division + 3×3 median, in grey
    BINARIZE = "binarize"  # NORMALIZE then Otsu


def choose(stats: PageStats) -> Preprocessing:
    """Pick the lightest treatment the measured page needs."""
    if (stats.unevenness > MAX_UNEVENNESS or stats.contrast < MIN_CONTRAST
            or stats.noise > MAX_NOISE_NORMALIZE):
        return Preprocessing.NORMALIZE
    if stats.noise > MAX_NOISE_CLEAN:
        return Preprocessing.DENOISE
    return Preprocessing.NONE


def normalize(grey: Grey, dpi: int) -> Grey:
    """Divide by the paper level so shadows and stains vanish, then stretch the ink to black.

    After division the paper is ~255 everywhere; stretching puts the median ink near 0, so
    faint text regains the contrast Tesseract's own thresholding expects.
    """
    background = estimate_background(grey, dpi)
    divided = cv2.divide(grey, np.maximum(background, 1), scale=255)
    cleaned = cv2.medianBlur(divided, 3)
    sample = cleaned[::4, ::4]
    dark = sample[sample < 200]
    low = float(np.percentile(dark, 10)) if dark.size else 0.0
    if low >= 200:
        return cleaned
    table = np.clip((np.arange(256) - low) * 255.0 / (255.0 - low), 0, 255).astype(np.uint8)
    return cv2.LUT(cleaned, table)


def apply(grey: Grey, method: Preprocessing, dpi: int) -> Grey:
    """Return the treated grey image (``grey`` itself for NONE)."""
    if method is Preprocessing.NONE:
        return grey
    if method is Preprocessing.DENOISE:
        return cv2.medianBlur(grey, 3)
    normalized = normalize(grey, dpi)
    if method is Preprocessing.NORMALIZE:
        return normalized
    _, binary = cv2.threshold(normalized, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return binary
