"""Page analysis before OCR: blank pages, orientation, skew, preprocessing, quality gate.

Public entry points: :func:`analyse_page` (the image to OCR and a :class:`PageAnalysis`),
:func:`archive_image` (the colour image with the same turn and deskew, for the archive PDF)
and :func:`detect_orientation` (Tesseract OSD, 0.6–1.8 s: use sparingly).
"""

from ingest.analysis.measure import PageStats
from ingest.analysis.orientation import detect_orientation
from ingest.analysis.page import BLANK_INK_RATIO, PageAnalysis, analyse_page, archive_image
from ingest.analysis.preprocess import Preprocessing
from ingest.analysis.quality import QualityFlag

__all__ = [
    "BLANK_INK_RATIO",
    "PageAnalysis",
    "PageStats",
    "Preprocessing",
    "QualityFlag",
    "analyse_page",
    "archive_image",
    "detect_orientation",
]
