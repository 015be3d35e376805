"""Separator and cover sheets in batch scans (tờ phân cách, bìa hồ sơ), read with zxing-cpp.

Back-scanning staff put a separator sheet (QR or Code 128 ``SOHOA-SEP``) before each new
document, and the dossier's receipt (Mẫu 01, whose QR holds the dossier code, mã hồ sơ) before
each new dossier. zxing-cpp decoded QR and Code 128 on degraded pages where OpenCV's QR detector
did not (DESIGN.md), so it is the only reader used.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import segno
import zxingcpp
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

SEPARATOR_TEXT = "SOHOA-SEP"
# Mã hồ sơ, DOMAIN.md §6: {mã định danh đơn vị}-{yyMMdd}-{NNNN}, e.g. 000.00.15.H05-250703-0001.
DOSSIER_CODE = r"(?P<unit>[0-9A-Z]+(?:\.[0-9A-Z]+)*)-(?P<date>\d{6})-(?P<seq>\d{4,})"
DOSSIER_CODE_RE = re.compile(f"^{DOSSIER_CODE}$")
# The same code inside a longer text (a portal URL, "Mã hồ sơ: …"), not glued to other code.
_EMBEDDED_CODE_RE = re.compile(f"(?<![0-9A-Za-z.-]){DOSSIER_CODE}(?![0-9A-Za-z.-])")
READ_FORMATS = zxingcpp.barcode_formats_from_str("QRCode,Code128")
# The full-size second look is for small QR codes only (receipts): Code 128 bars read better
# on the smaller copy, and QR alone is about 3× cheaper to look for on a page with none.
FULL_SIZE_FORMATS = zxingcpp.barcode_formats_from_str("QRCode")
# ≈120 dpi for A4: measured as the most robust size for noisy Code 128 at 150–300 dpi scans.
READ_LONG_SIDE = 1400
FONT_FILES = (
    Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
A4_INCHES = (8.27, 11.69)


@dataclass(frozen=True)
class Code:
    """One decoded barcode: ``format`` (``QRCode``, ``Code128``), text, corner points."""

    format: str
    text: str
    corners: tuple[tuple[int, int], ...]


class SheetRole(StrEnum):
    PAGE = "page"  # an ordinary page of a document
    SEPARATOR = "separator"  # starts a new document
    COVER = "cover"  # starts a new dossier; ``dossier_code`` is set


@dataclass(frozen=True)
class SheetKind:
    role: SheetRole
    dossier_code: str | None = None
    codes: tuple[Code, ...] = ()


@dataclass(frozen=True)
class BatchDossier:
    """One dossier found in a batch; ``code`` is None for pages before any cover sheet.

    ``documents`` holds page indices per document, in order; separator, cover and skipped
    pages (e.g. blank backs of separator sheets) are listed apart and belong to no document.
    """

    code: str | None
    documents: tuple[tuple[int, ...], ...]
    separator_pages: tuple[int, ...] = ()
    cover_pages: tuple[int, ...] = ()
    skipped_pages: tuple[int, ...] = ()

    @property
    def unassigned(self) -> bool:
        return self.code is None


def _corners(barcode: zxingcpp.Barcode) -> tuple[tuple[int, int], ...]:
    p = barcode.position
    return tuple((int(q.x), int(q.y))
                 for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))


def _read(grey: NDArray[Any], *, full_size: bool = False) -> list[Code]:
    # A QR reads in any direction without try_rotate; the full-size look follows one on a
    # downscaled copy, so it need not downscale again.
    found = zxingcpp.read_barcodes(grey, formats=FULL_SIZE_FORMATS if full_size else READ_FORMATS,
                                   try_rotate=not full_size, try_downscale=not full_size,
                                   try_invert=False)
    return [Code(format=b.format.name, text=b.text, corners=_corners(b)) for b in found if b.valid]


def find_codes(image: Image.Image | NDArray[Any], *, thorough: bool = True) -> tuple[Code, ...]:
    """All QR and Code 128 symbols on the page, in any direction.

    Read first on a copy whose long side is READ_LONG_SIDE pixels: area averaging removes scan
    noise that broke Code 128 bars at full size, and it is 2× faster. Only when that finds
    nothing and ``thorough`` is set, look for QR codes on the full image too (small QR codes on
    receipts). ``image`` may be the page's grey pixels already (no second conversion).
    Corners are in the coordinates of ``image``.
    """
    if isinstance(image, Image.Image):
        image = np.asarray(image if image.mode == "L" else image.convert("L"))
    grey = image
    factor = READ_LONG_SIDE / max(grey.shape)
    if factor >= 1 / 1.2:  # already about that small
        return tuple(_read(grey))
    size = (round(grey.shape[1] * factor), round(grey.shape[0] * factor))
    codes = _read(cv2.resize(grey, size, interpolation=cv2.INTER_AREA))
    if codes:
        return tuple(Code(c.format, c.text, tuple((round(x / factor), round(y / factor))
                                                  for x, y in c.corners)) for c in codes)
    return tuple(_read(grey, full_size=True)) if thorough else ()


def dossier_code_in(text: str) -> str | None:
    """The dossier code a QR carries: the whole text, or exactly one code inside it."""
    text = text.strip()
    if DOSSIER_CODE_RE.match(text):
        return text
    found = {m.group(0) for m in _EMBEDDED_CODE_RE.finditer(text)}
    return found.pop() if len(found) == 1 else None


def classify_codes(codes: Sequence[Code]) -> SheetKind:
    """A dossier cover wins over a separator (a new dossier starts a new document anyway)."""
    for code in codes:
        dossier = dossier_code_in(code.text) if code.format == "QRCode" else None
        if dossier is not None:
            return SheetKind(SheetRole.COVER, dossier, tuple(codes))
    if any(code.text.strip().upper() == SEPARATOR_TEXT for code in codes):
        return SheetKind(SheetRole.SEPARATOR, None, tuple(codes))
    return SheetKind(SheetRole.PAGE, None, tuple(codes))


def classify_sheet(image: Image.Image | NDArray[Any]) -> SheetKind:
    return classify_codes(find_codes(image))


@dataclass
class _Builder:
    code: str | None
    documents: list[list[int]] = field(default_factory=list)
    separators: list[int] = field(default_factory=list)
    covers: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    open_document: bool = False

    def add_page(self, index: int) -> None:
        if not self.open_document:
            self.documents.append([])
            self.open_document = True
        self.documents[-1].append(index)

    def is_empty(self) -> bool:
        return not (self.documents or self.separators or self.covers or self.skipped)

    def build(self) -> BatchDossier:
        return BatchDossier(self.code, tuple(tuple(d) for d in self.documents),
                            tuple(self.separators), tuple(self.covers), tuple(self.skipped))


def split_batch(sheets: Sequence[SheetKind | Sequence[Code]],
                skip: Sequence[int] = ()) -> list[BatchDossier]:
    """Split a scanned batch into dossiers and documents by its separator and cover sheets.

    ``sheets`` has one entry per page: its :class:`SheetKind` or the codes found on it.
    ``skip`` lists pages to leave out of documents (e.g. blank backs in duplex scans). A cover
    with the same code as the dossier in progress (a second receipt copy) only starts a new
    document; pages before the first cover form an unassigned group (``code`` None).
    """
    skipped = set(skip)
    result: list[BatchDossier] = []
    current = _Builder(code=None)
    for index, entry in enumerate(sheets):
        sheet = entry if isinstance(entry, SheetKind) else classify_codes(entry)
        if sheet.role is SheetRole.COVER and not (current.covers
                                                  and current.code == sheet.dossier_code):
            if not current.is_empty():
                result.append(current.build())
            current = _Builder(code=sheet.dossier_code)
        if sheet.role is SheetRole.PAGE:
            if index in skipped:
                current.skipped.append(index)
            else:
                current.add_page(index)
            continue
        (current.covers if sheet.role is SheetRole.COVER else current.separators).append(index)
        current.open_document = False
    if not current.is_empty():
        result.append(current.build())
    return result


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_FILES:
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _qr_image(text: str, module_px: int) -> Image.Image:
    buffer = io.BytesIO()
    segno.make(text, error="h", micro=False).save(buffer, kind="png", scale=module_px, border=4)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


def _code128_image(text: str, module_px: int, height_px: int) -> Image.Image:
    symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.Code128)
    bars = Image.fromarray(np.asarray(symbol.to_image(scale=module_px))).convert("L")
    return bars.resize((bars.width, height_px), Image.Resampling.NEAREST)


def render_code_sheet(code_text: str, title: str, lines: Sequence[str], dpi: int = 200,
                      *, code128: bool = True) -> Image.Image:
    """A printable A4 sheet: title, a large QR of ``code_text``, optionally a Code 128, text.

    Modules of ~1.3 mm (QR) and ~0.5 mm (Code 128) survive photocopies and 150 dpi scans.
    """
    width, height = round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi)
    sheet = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(sheet)
    draw.text((width // 2, round(1.0 * dpi)), title, font=_font(round(28 * dpi / 72)),
              fill="black", anchor="ma")
    qr = _qr_image(code_text, max(3, round(1.3 * dpi / 25.4)))
    top = round(2.0 * dpi)
    sheet.paste(qr, ((width - qr.width) // 2, top))
    top += qr.height + round(0.4 * dpi)
    if code128:
        bars = _code128_image(code_text, max(2, round(0.5 * dpi / 25.4)), round(0.8 * dpi))
        sheet.paste(bars, ((width - bars.width) // 2, top))
        top += bars.height + round(0.4 * dpi)
    body = _font(round(14 * dpi / 72))
    for line in (code_text, *lines):
        draw.text((width // 2, top), line, font=body, fill="black", anchor="ma")
        top += round(14 * dpi / 72 * 1.6)
    return sheet


def render_separator_sheet(dpi: int = 200) -> Image.Image:
    """The separator sheet staff print and put before every new document in a batch."""
    return render_code_sheet(SEPARATOR_TEXT, "TỜ PHÂN CÁCH TÀI LIỆU", (
        "Đặt tờ này trước mỗi tài liệu mới khi quét hàng loạt.",
        "Trang này không được lưu vào hồ sơ số.",
    ), dpi)


def render_cover_sheet(dossier_code: str, dpi: int = 200) -> Image.Image:
    """A dossier cover whose QR holds the dossier code (as on the Mẫu 01 receipt)."""
    if not DOSSIER_CODE_RE.match(dossier_code):
        raise ValueError(f"not a dossier code: {dossier_code!r}")
    return render_code_sheet(dossier_code, "BÌA HỒ SƠ", (
        "Đặt tờ này trước hồ sơ khi quét hàng loạt.",
    ), dpi, code128=False)
