"""The resolution of an uploaded image: its metadata, or its paper size when that is a placeholder.

Scanner drivers and converters often write 72 or 96 dpi (or nothing) into PNG and TIFF files
whatever the real resolution was: the real scans in ``../shared/data/external`` are 200 dpi A4
pages that say 72 dpi, and every one of them was flagged "below 200 dpi, rescan". A page whose
pixel size matches a standard paper format at a plausible scanning resolution is taken at that
resolution instead, and the record says so (``dpi_source``), so the officer can see the guess.
"""

from __future__ import annotations

from dataclasses import dataclass

# Values written by software that does not know the resolution (Photoshop/GIMP/PIL default,
# Windows screen resolution); a real scan at exactly these is rare and reads badly anyway.
PLACEHOLDER_DPI = (72, 96)
MIN_DECLARED_DPI = 50
# Portrait width × height in inches. The ISO A sizes share one aspect ratio, so an A-series
# page is taken as A4, the paper of administrative documents (NĐ 30/2020, Phụ lục I).
PAPER_INCHES: dict[str, tuple[float, float]] = {
    "A4": (8.27, 11.69), "Letter": (8.5, 11.0), "Legal": (8.5, 14.0),
}
# Both sides must give the same resolution within this share (crop and feeder slack is ~1%).
SIDE_AGREEMENT = 0.02
SCAN_DPI_RANGE = (100, 1200)
# Scanners offer these; an estimate within SNAP_TOLERANCE of one is that setting.
SCANNER_DPI = (100, 150, 200, 240, 300, 400, 600, 1200)
SNAP_TOLERANCE = 0.03


class DpiSource:
    METADATA = "metadata"      # the file's own resolution (or the render resolution of a PDF)
    PAPER_SIZE = "paper_size"  # metadata missing or a placeholder; inferred from the paper size
    ASSUMED = "assumed"        # nothing to go on: the default resolution


@dataclass(frozen=True)
class Resolution:
    dpi: int
    source: str
    paper: str | None = None


def image_resolution(width: int, height: int, declared: float | None,
                     default: int) -> Resolution:
    """Decide the resolution of a ``width`` × ``height`` image whose file says ``declared``."""
    if declared is not None and declared >= MIN_DECLARED_DPI \
            and round(declared) not in PLACEHOLDER_DPI:
        return Resolution(round(declared), DpiSource.METADATA)
    inferred = paper_resolution(width, height)
    if inferred is not None:
        return inferred
    if declared is not None and declared >= MIN_DECLARED_DPI:
        return Resolution(round(declared), DpiSource.METADATA)
    return Resolution(default, DpiSource.ASSUMED)


def paper_resolution(width: int, height: int) -> Resolution | None:
    """The scanning resolution at which ``width`` × ``height`` is a standard paper, if any."""
    short, long = sorted((width, height))
    for paper, (paper_short, paper_long) in PAPER_INCHES.items():
        across, down = short / paper_short, long / paper_long
        if abs(across - down) > SIDE_AGREEMENT * max(across, down):
            continue
        dpi = (across + down) / 2
        if SCAN_DPI_RANGE[0] <= dpi <= SCAN_DPI_RANGE[1]:
            return Resolution(_snap(dpi), DpiSource.PAPER_SIZE, paper)
    return None


def _snap(dpi: float) -> int:
    nearest = min(SCANNER_DPI, key=lambda setting: abs(setting - dpi))
    return nearest if abs(nearest - dpi) <= SNAP_TOLERANCE * nearest else round(dpi)
