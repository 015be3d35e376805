"""Cheap measurements of one page on a small working copy (≈100 dpi).

Every statistic the analysis needs (ink, paper level, contrast, noise, sharpness, dark scanner
borders) comes from one downscaled grey image: at 100 dpi an A4 page is under a megapixel, so
the whole set costs a few tens of milliseconds instead of hundreds at 300 dpi.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

WORK_DPI = 100
BACKGROUND_DPI = 25
# Gaussian 3×3 keeps 0.375 of white-noise sigma: sum of squared weights (3/8)², square-rooted.
SMOOTHED_NOISE = 0.375
MM_PER_INCH = 25.4

# 8-bit grey images. OpenCV's stubs type every result as integer-or-float, hence Any.
Grey = NDArray[Any]
Mask = NDArray[np.bool_]


@dataclass(frozen=True)
class PageStats:
    """Measured image statistics (grey levels 0–255, sizes in pixels of the source image).

    ``paper_level`` and ``ink_level`` are medians of the paper and of the ink; ``contrast`` is
    their difference; ``unevenness`` is the spread (5th–95th percentile) of the paper level
    across the page, high under shadows or stains; ``noise`` is the grey-level noise sigma of the
    source image; ``sharpness`` is the contrast-normalised variance of the Laplacian around ink
    (low means blurred); ``border_fraction`` is the share of the image taken by dark scanner
    borders; ``edge_components`` counts character-sized marks touching the page edge.
    """

    width: int
    height: int
    dpi: int
    paper_level: float
    ink_level: float
    contrast: float
    unevenness: float
    noise: float
    sharpness: float
    border_fraction: float
    edge_components: int

    def as_json(self) -> dict[str, float | int]:
        return {key: getattr(self, key) for key in self.__dataclass_fields__}


@dataclass(frozen=True, eq=False)
class Working:
    """The small working copy and what was found on it (internal to the analysis)."""

    grey: Grey
    scale: float  # working pixels per source pixel
    background: Grey
    ink: Mask  # real marks: speckles and dark borders removed
    border: Mask
    ink_ratio: float


def to_grey(image: Image.Image) -> Grey:
    """The page as 8-bit grey; PIL's own conversion is twice as fast as numpy + OpenCV."""
    grey = image if image.mode == "L" else image.convert("L")
    return np.asarray(grey)


def mm(millimetres: float, dpi: float) -> int:
    return max(1, round(millimetres * dpi / MM_PER_INCH))


def downscale(grey: Grey, dpi: int) -> tuple[Grey, float]:
    """Area-average to WORK_DPI; averaging also damps pixel noise, which helps every step."""
    if dpi <= WORK_DPI:
        return grey, 1.0
    scale = WORK_DPI / dpi
    size = (max(1, round(grey.shape[1] * scale)), max(1, round(grey.shape[0] * scale)))
    return cv2.resize(grey, size, interpolation=cv2.INTER_AREA), scale


def estimate_background(grey: Grey, dpi: float) -> Grey:
    """Paper level at every pixel of ``grey``.

    Computed at ~25 dpi, where area averaging has already removed most noise (a closing, a
    local maximum, would otherwise follow the brightest noise and see ink everywhere), then
    a closing wipes out marks smaller than ~5 mm. A closing, not a plain dilation, keeps large
    dark areas such as scanner borders where they are, so their edges do not become false ink.
    """
    factor = max(1, round(dpi / BACKGROUND_DPI))
    size = (max(1, grey.shape[1] // factor), max(1, grey.shape[0] // factor))
    tiny = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    side = mm(5.0, dpi / factor) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (side, side))
    closed = cv2.morphologyEx(tiny, cv2.MORPH_CLOSE, kernel)
    return cv2.resize(closed, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)


def noise_sigma(grey: Grey) -> float:
    """Robust noise sigma: median absolute deviation from a 3×3 median."""
    residual = cv2.absdiff(grey, cv2.medianBlur(grey, 3))
    return float(1.4826 * np.median(residual))


def find_border(grey: Grey, background: Grey, dpi: float) -> Mask:
    """Dark regions joined to the image edge: scanner lid, page smaller than the bed.

    Only blobs larger than ~5×5 mm count, so a letter cut off at the edge is not a border; the
    mask is grown by ~0.5 mm to swallow the anti-aliased rim, which would otherwise read as ink.
    """
    paper = float(np.percentile(background[::4, ::4], 90))
    dark = (grey < 0.55 * paper).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    height, width = dark.shape
    min_area = (5.0 * dpi / MM_PER_INCH) ** 2
    keep = np.zeros(count, dtype=bool)
    for label in range(1, count):
        x, y, w, h, area = stats[label]
        touches = x == 0 or y == 0 or x + w == width or y + h == height
        keep[label] = touches and area >= min_area
    border = keep[labels]
    if border.any():
        grow = 2 * mm(0.5, dpi) + 1
        border = cv2.dilate(border.astype(np.uint8), np.ones((grow, grow), np.uint8)) > 0
    return border


def find_ink(grey: Grey, background: Grey, border: Mask, dpi: float) -> tuple[Mask, int]:
    """Marks clearly darker than the local paper, without speckles; and the pixel count of
    the marks at least 1 mm long (letters, lines, stamps), which decides blank or not.

    A grainy scan is smoothed first and the threshold follows the measured noise, so a noisy
    blank page stays blank. Components under ≈0.3 mm² (dust) are dropped from the mask; specks
    up to ~0.7 mm stay in it (tone marks matter to the skew hints) but not in the count.
    """
    sigma = noise_sigma(grey)
    if sigma > 2.0:
        grey = cv2.GaussianBlur(grey, (3, 3), 0)
        sigma *= SMOOTHED_NOISE
    darkness = cv2.subtract(background, grey)
    candidate = ((darkness > max(28.0, 4.0 * sigma)) & ~border).astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(candidate, connectivity=8)
    areas = stats[:, cv2.CC_STAT_AREA]
    keep = areas >= max(2, round(0.3 * (dpi / MM_PER_INCH) ** 2))
    keep[0] = False
    longest = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT])
    marks = keep & (longest >= mm(1.0, dpi))
    return keep[labels], int(areas[marks].sum())


def measure(image: Image.Image, dpi: int, grey: Grey | None = None) -> tuple[Working, Grey]:
    """Build the working copy; also return the full-resolution grey for later steps.

    ``ink_ratio`` is the share of the paper (borders excluded) covered by marks ≥ 1 mm long.
    ``grey``: the image already converted by the caller, when it has it.
    """
    full = to_grey(image) if grey is None else grey
    grey, scale = downscale(full, dpi)
    work_dpi = dpi * scale
    background = estimate_background(grey, work_dpi)
    border = find_border(grey, background, work_dpi)
    ink, mark_pixels = find_ink(grey, background, border, work_dpi)
    paper_pixels = max(1, int(border.size - np.count_nonzero(border)))
    working = Working(grey=grey, scale=scale, background=background, ink=ink, border=border,
                      ink_ratio=mark_pixels / paper_pixels)
    return working, full


def page_stats(working: Working, full: Grey, dpi: int) -> PageStats:
    """Statistics the preprocessing choice and the quality gate are made from."""
    # Every second pixel is plenty for levels and percentiles, at a quarter of the cost.
    paper = working.background[::2, ::2][~working.border[::2, ::2]]
    if paper.size == 0:  # the whole image is "border": an unlit or black page
        paper = working.background.ravel()
    paper_level = float(np.median(paper))
    ink = working.grey[working.ink]
    ink_level = float(np.median(ink)) if ink.size else paper_level
    low, high = np.percentile(paper, (5, 95))
    return PageStats(
        width=int(full.shape[1]), height=int(full.shape[0]), dpi=dpi,
        paper_level=round(paper_level, 1), ink_level=round(ink_level, 1),
        contrast=round(paper_level - ink_level, 1), unevenness=round(float(high - low), 1),
        noise=round(full_noise(full), 2), sharpness=round(sharpness(working), 3),
        border_fraction=round(float(np.count_nonzero(working.border)) / working.border.size, 4),
        edge_components=edge_components(working, dpi * working.scale),
    )


def full_noise(full: Grey) -> float:
    """Noise of the source pixels, from a central band (a full page would cost 10× more)."""
    height = full.shape[0]
    band = full[height * 2 // 5: height * 3 // 5]
    return noise_sigma(np.ascontiguousarray(band))


def sharpness(working: Working) -> float:
    """Variance of the Laplacian next to ink, divided by contrast², so faint ≠ blurred.

    The variance white noise adds (20 σ² for the 4-neighbour kernel, whose squared weights sum
    to 20) is taken off first, or a grainy blurred scan would pass for a sharp one.
    """
    if not working.ink.any():
        return 0.0
    grey = working.grey.astype(np.float32)
    laplacian = cv2.Laplacian(grey, cv2.CV_32F, ksize=1)
    near = cv2.dilate(working.ink.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    contrast = float(np.median(working.background[working.ink]) - np.median(grey[working.ink]))
    if contrast <= 0:
        return 0.0
    signal = float(np.var(laplacian[near])) - 20.0 * noise_sigma(working.grey) ** 2
    return max(0.0, signal) / (contrast * contrast)


def edge_components(working: Working, dpi: float) -> int:
    """Character-sized marks touching the page edge (or a dark border): content cut off."""
    band = mm(1.5, dpi)
    zone: Grey = np.zeros(working.ink.shape, dtype=np.uint8)
    zone[:band, :] = zone[-band:, :] = 1
    zone[:, :band] = zone[:, -band:] = 1
    if working.border.any():
        kernel = np.ones((2 * band + 1, 2 * band + 1), np.uint8)
        zone |= cv2.dilate(working.border.astype(np.uint8), kernel)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(
        working.ink.astype(np.uint8), connectivity=8)
    # Cut letters are 1–20 mm long and thicker than a hairline; longer marks or slivers along
    # the edge are the rim of the paper against a brighter lid, not content.
    touching = np.unique(labels[(zone > 0) & working.ink])
    width, height = stats[touching, cv2.CC_STAT_WIDTH], stats[touching, cv2.CC_STAT_HEIGHT]
    longest, shortest = np.maximum(width, height), np.minimum(width, height)
    letter = ((longest >= mm(1.0, dpi)) & (longest <= mm(20.0, dpi))
              & (shortest >= mm(0.75, dpi)))
    return int(np.count_nonzero(letter))
