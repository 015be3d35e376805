"""A QR code (segno) drawn as vector rectangles: sharp at any print or scan resolution.

Mẫu 01 carries the dossier code in a QR so that, printed and put on top of the paper dossier, it
works as the cover sheet in batch scanning. Sized so one module is about 1 mm: 8 pixels at a
200 dpi scan, far above what zxing-cpp needs.
"""

from __future__ import annotations

import segno
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import FILL_NON_ZERO
from reportlab.platypus import Flowable

QUIET_ZONE = 4  # modules of white around the symbol, as ISO/IEC 18004 requires


class QrCode(Flowable):
    """A square QR symbol of ``size`` points including its quiet zone."""

    def __init__(self, data: str, size: float = 34 * mm, error: str = "q") -> None:
        super().__init__()
        self.data = data
        self.size = size
        self.symbol = segno.make(data, error=error, micro=False, boost_error=True)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        matrix = self.symbol.matrix
        modules = len(matrix) + 2 * QUIET_ZONE
        unit = self.size / modules
        canvas = self.canv
        path = canvas.beginPath()  # one path: adjacent modules fill as one area, without seams
        for row_index, row in enumerate(matrix):
            y = self.size - (row_index + QUIET_ZONE + 1) * unit
            for start, length in _dark_runs(row):
                path.rect((start + QUIET_ZONE) * unit, y, length * unit, unit)
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        canvas.drawPath(path, stroke=0, fill=1, fillMode=FILL_NON_ZERO)
        canvas.restoreState()


def _dark_runs(row: bytearray) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules in one row of the matrix."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for index, dark in enumerate([*row, 0]):
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            runs.append((start, index - start))
            start = None
    return runs
