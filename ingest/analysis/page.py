"""Page analysis (phân tích trang): blank, orientation, skew, preprocessing and quality gate.

``analyse_page`` returns the analysis and the image to give the OCR engine. The page's own
colour image stays the archive image; ``archive_image`` turns it with the same geometry (turn and
deskew, never a photometric change) so the OCR text layer lines up with what is archived.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import cv2
import numpy as np
from PIL import Image

from ingest.analysis import orientation, preprocess, quality
from ingest.analysis.measure import Grey, PageStats, Working, measure, page_stats
from ingest.analysis.preprocess import Preprocessing
from ingest.analysis.quality import QualityFlag
from ingest.analysis.skew import COARSE_STEP, MAX_SKEW, NO_SKEW, Skew, estimate_skew
from ingest.rasterize import PageImage

# Ink ratio of real marks (speckles, borders removed). A one-line page measured 0.0014, a dense
# page 0.05, 3,000 specks of dust 0.0003: a page with only a page number counts as blank.
BLANK_INK_RATIO = 0.0006
# Tesseract copes with less than this; rotating costs time and softens the image.
MIN_DESKEW_DEGREES = 0.3

T = TypeVar("T")


@dataclass(frozen=True)
class PageAnalysis:
    """What the analysis measured and did to one page.

    ``skew_degrees``: slope of the text lines (counter-clockwise positive) after any turn;
    ``deskewed``: whether the OCR and archive images were rotated by ``-skew_degrees``;
    ``rotation``: clockwise degrees (0/90/180/270) turned to make the page upright;
    ``orientation_confidence``: Tesseract OSD confidence, None when OSD did not run;
    ``preprocessing``: a :class:`Preprocessing` value; ``rescan``: a flag demands a new scan;
    ``timings``: (step, seconds) in the order run; ``dpi_source``: where ``stats.dpi`` came
    from (file metadata, or inferred from the paper size when that was a placeholder).
    """

    index: int
    ink_ratio: float
    is_blank: bool
    skew_degrees: float
    deskewed: bool
    rotation: int
    orientation_confidence: float | None
    preprocessing: str
    quality_flags: tuple[QualityFlag, ...]
    rescan: bool
    stats: PageStats
    timings: tuple[tuple[str, float], ...]
    dpi_source: str = "metadata"

    @property
    def flag_codes(self) -> tuple[str, ...]:
        return tuple(flag.code for flag in self.quality_flags)

    @property
    def seconds(self) -> float:
        return sum(seconds for _, seconds in self.timings)

    def as_json(self) -> dict[str, object]:
        return {
            "index": self.index, "ink_ratio": self.ink_ratio, "is_blank": self.is_blank,
            "skew_degrees": self.skew_degrees, "deskewed": self.deskewed,
            "rotation": self.rotation, "orientation_confidence": self.orientation_confidence,
            "preprocessing": self.preprocessing, "rescan": self.rescan,
            "quality_flags": [flag.as_json() for flag in self.quality_flags],
            "stats": self.stats.as_json(), "dpi_source": self.dpi_source,
            "timings": dict(self.timings),
        }


class _Clock:
    """Times each step; the analysis records where its milliseconds go."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, float]] = []

    def run(self, step: str, work: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = work()
        self.steps.append((step, round(time.perf_counter() - started, 4)))
        return result


@dataclass(frozen=True)
class _Orientation:
    rotation: int = 0
    confidence: float | None = None
    skew: Skew = NO_SKEW
    uncertain: bool = False  # OSD suggested a turn but was not sure enough to make it


def _orient(page: PageImage, working: Working, skew: Skew, always: bool) -> _Orientation:
    """Run OSD when asked or hinted; after a quarter turn, measure the skew again."""
    if not (always or skew.looks_sideways or skew.looks_upside_down):
        return _Orientation(skew=skew)
    rotation, confidence = orientation.detect_orientation(page.image, page.dpi)
    if confidence < orientation.MIN_CONFIDENCE:
        # Too few letters to tell, or a guess: leave the page as scanned.
        return _Orientation(confidence=confidence, skew=skew, uncertain=rotation != 0)
    if rotation in (90, 270):
        # np.rot90 turns counter-clockwise; k=3 is one clockwise quarter turn.
        skew = estimate_skew(np.rot90(working.ink, k=(4 - rotation // 90) % 4))
    return _Orientation(rotation=rotation, confidence=confidence, skew=skew)


def rotate_image(image: Image.Image, degrees: float, fill: int | tuple[int, ...]) -> Image.Image:
    """Rotate by ``degrees`` counter-clockwise about the centre, keeping the size.

    Same size so the page keeps its paper format; the corners that turn out are margin.
    """
    pixels = np.asarray(image)  # callers pass L, RGB or RGBA
    height, width = pixels.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    turned = cv2.warpAffine(pixels, matrix, (width, height), flags=cv2.INTER_LINEAR,
                            borderMode=cv2.BORDER_CONSTANT, borderValue=fill)
    return Image.fromarray(turned)


def _geometry(image: Image.Image, rotation: int, skew: float | None) -> Image.Image:
    if image.mode not in ("L", "RGB", "RGBA"):
        image = image.convert("RGB")
    turned = orientation.rotate_upright(image, rotation)
    if skew is None:
        return turned
    fill = 255 if turned.mode == "L" else (255,) * len(turned.getbands())
    return rotate_image(turned, -skew, fill)


def archive_image(page: PageImage, analysis: PageAnalysis) -> Image.Image:
    """The page's colour image with the analysis' turn and deskew applied (no other change)."""
    skew = analysis.skew_degrees if analysis.deskewed else None
    if analysis.rotation == 0 and skew is None:
        return page.image
    return _geometry(page.image, analysis.rotation, skew)


def _ocr_image(page: PageImage, full: Grey, method: Preprocessing, rotation: int,
               skew: float | None) -> Image.Image:
    """Every page goes to OCR as grey; treated pages are treated before turning.

    Why grey: Tesseract reads a grey page in about 1.7 CPU s where the same page in RGB costs
    2.26 (6 dense 300 dpi pages, bench note in docs/benchmarks.md); it thresholds grey anyway.
    The colour image is put back into the archive PDF (``api.page_pipeline``).
    """
    if method is Preprocessing.NONE:
        grey = page.image if page.image.mode == "L" else Image.fromarray(full)
        if rotation == 0 and skew is None:
            return grey
        return _geometry(grey, rotation, skew)
    treated = Image.fromarray(preprocess.apply(full, method, page.dpi))
    return _geometry(treated, rotation, skew)


def _skew_flags(skew: float) -> list[QualityFlag]:
    return [quality.too_skewed(skew)] if abs(skew) >= MAX_SKEW - COARSE_STEP else []


def _orientation_flags(found: _Orientation) -> list[QualityFlag]:
    if not found.uncertain or found.confidence is None:
        return []
    return [quality.orientation_uncertain(found.confidence)]


def analyse_page(page: PageImage, *, detect_orientation: bool = False,
                 force_preprocessing: Preprocessing | None = None,
                 grey: Grey | None = None) -> tuple[PageAnalysis, Image.Image]:
    """Analyse one page; return the analysis and the image to OCR.

    OSD runs when ``detect_orientation`` is true, or when the cheap profile hints say the page
    may be sideways or upside down. ``force_preprocessing`` overrides the measured choice.
    The returned image is ``page.image`` itself when nothing needed doing. ``grey``: the
    page's grey pixels (``measure.to_grey``), when the caller has converted it already.
    """
    clock = _Clock()
    working, full = clock.run("measure", lambda: measure(page.image, page.dpi, grey))
    stats = clock.run("stats", lambda: page_stats(working, full, page.dpi))
    blank = working.ink_ratio < BLANK_INK_RATIO
    skew = NO_SKEW if blank else clock.run("skew", lambda: estimate_skew(working.ink))
    found = _Orientation(skew=skew) if blank else clock.run(
        "orientation", lambda: _orient(page, working, skew, detect_orientation))
    method = force_preprocessing or (Preprocessing.NONE if blank else preprocess.choose(stats))
    degrees = found.skew.degrees
    deskew = degrees if abs(degrees) >= MIN_DESKEW_DEGREES else None
    image = clock.run("prepare", lambda: _ocr_image(page, full, method, found.rotation, deskew))
    flags = clock.run("quality", lambda: quality.assess(stats, page.image.mode, blank=blank))
    flags += tuple(_skew_flags(degrees) + _orientation_flags(found))
    analysis = PageAnalysis(
        index=page.index, ink_ratio=round(working.ink_ratio, 5), is_blank=blank,
        skew_degrees=degrees, deskewed=deskew is not None, rotation=found.rotation,
        orientation_confidence=found.confidence, preprocessing=str(method),
        quality_flags=flags, rescan=any(flag.rescan for flag in flags), stats=stats,
        timings=tuple(clock.steps), dpi_source=page.dpi_source)
    return analysis, image
