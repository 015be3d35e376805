"""Quality gate for digitized pages (TT 05/2025/TT-BNV, Điều 8: ≥200 dpi, 24-bit colour, clear
and complete). Every failed check becomes a flag with its reason; nothing passes silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.analysis.measure import PageStats

MIN_DPI = 200
# Contrast-normalised Laplacian variance (measure.sharpness). Measured with real OCR on
# 200 dpi pages: Gaussian blur of 0.32 mm → 0.14 (CER 0.4 %); 0.44 mm → 0.04 (CER 14 %).
MIN_SHARPNESS = 0.08
MIN_PAPER_LEVEL = 110.0  # paper darker than this grey level: underexposed
MIN_CONTRAST = 45.0  # ink this close to the paper: washed out or faded beyond repair
MIN_EDGE_COMPONENTS = 3  # letters touching the edge: content cut off
COLOUR_MODES = frozenset({"RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "LAB", "HSV"})


@dataclass(frozen=True)
class QualityFlag:
    """One problem found on a page: stable ``code``, reasons for staff, and whether the page
    has to be scanned again (``rescan``) or only looked at by a reviewer."""

    code: str
    reason_vi: str
    reason_en: str
    rescan: bool = True

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "reason_vi": self.reason_vi, "reason_en": self.reason_en,
                "rescan": self.rescan}


def check_resolution(stats: PageStats) -> list[QualityFlag]:
    if stats.dpi >= MIN_DPI:
        return []
    return [QualityFlag(
        "low_dpi",
        f"Độ phân giải {stats.dpi} dpi thấp hơn mức tối thiểu {MIN_DPI} dpi "
        "(Thông tư 05/2025/TT-BNV); cần quét lại.",
        f"Resolution {stats.dpi} dpi is below the {MIN_DPI} dpi minimum of TT 05/2025; rescan.")]


def check_colour(mode: str) -> list[QualityFlag]:
    if mode in COLOUR_MODES:
        return []
    return [QualityFlag(
        "not_colour",
        f"Ảnh không phải ảnh màu 24 bit (chế độ {mode}); Thông tư 05/2025/TT-BNV yêu cầu "
        "màu như bản gốc, độ sâu màu tối thiểu 24 bit; cần quét lại ở chế độ màu.",
        f"Image is not 24-bit colour (mode {mode}); TT 05/2025 requires colour; rescan.")]


def check_exposure(stats: PageStats) -> list[QualityFlag]:
    if stats.paper_level < MIN_PAPER_LEVEL:
        return [QualityFlag(
            "too_dark",
            f"Ảnh quá tối (mức sáng nền giấy {stats.paper_level:.0f}/255); cần tăng độ sáng "
            "và quét lại.",
            f"Image too dark (paper level {stats.paper_level:.0f}/255); rescan brighter.")]
    if stats.contrast < MIN_CONTRAST:
        return [QualityFlag(
            "too_light",
            f"Chữ quá nhạt so với nền (độ tương phản {stats.contrast:.0f}/255); cần chỉnh độ "
            "sáng, độ tương phản và quét lại.",
            f"Text too faint against the paper (contrast {stats.contrast:.0f}/255); rescan.")]
    return []


def check_content(stats: PageStats) -> list[QualityFlag]:
    flags: list[QualityFlag] = []
    if stats.sharpness < MIN_SHARPNESS:
        flags.append(QualityFlag(
            "blurred",
            f"Ảnh bị mờ, không rõ nét (độ nét {stats.sharpness:.3f} < {MIN_SHARPNESS}); "
            "cần quét lại.",
            f"Image blurred (sharpness {stats.sharpness:.3f} < {MIN_SHARPNESS}); rescan."))
    if stats.edge_components >= MIN_EDGE_COMPONENTS:
        flags.append(QualityFlag(
            "cut_off",
            f"Nội dung bị cắt ở mép trang ({stats.edge_components} ký tự chạm mép ảnh); cần đặt "
            "lại tài liệu và quét lại cho đủ trang.",
            f"Content cut off at the page edge ({stats.edge_components} marks touch it); "
            "rescan."))
    return flags


def too_skewed(degrees: float) -> QualityFlag:
    return QualityFlag(
        "too_skewed",
        f"Trang bị nghiêng khoảng {degrees:.1f}°, vượt quá mức tự chỉnh được; cần đặt thẳng "
        "tài liệu và quét lại.",
        f"Page skewed by about {degrees:.1f}°, beyond automatic correction; rescan.")


def orientation_uncertain(confidence: float) -> QualityFlag:
    return QualityFlag(
        "orientation_uncertain",
        f"Không xác định chắc chắn chiều của trang (độ tin cậy {confidence:.1f}); cần kiểm tra.",
        f"Page orientation uncertain (confidence {confidence:.1f}); review it.", rescan=False)


def assess(stats: PageStats, mode: str, *, blank: bool) -> tuple[QualityFlag, ...]:
    """All flags for a page; blank pages are only checked for resolution, colour, exposure."""
    flags = check_resolution(stats) + check_colour(mode)
    if stats.paper_level < MIN_PAPER_LEVEL or not blank:
        flags += check_exposure(stats)
    if not blank:
        flags += check_content(stats)
    return tuple(flags)
