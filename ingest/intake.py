"""Validate an uploaded file before anything is stored: type, size, pages, geometry, readability.

Everything here reads headers and page sizes only: a decompression bomb or an absurd page is
refused before a single pixel is decoded.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import pikepdf
import pypdfium2 as pdfium
from PIL import Image, UnidentifiedImageError

from ingest.errors import CorruptFile, FileTooLarge, SohoaError, TooManyPages
from ingest.images import open_image
from ingest.sniff import MediaType, sniff_media_type
from ingest.text import nfc


class EncryptedPdf(SohoaError):
    code = "encrypted_pdf"


class PageTooSmall(SohoaError):
    code = "page_too_small"


@dataclass(frozen=True)
class IntakeLimits:
    """Caps on what one upload may contain (configurable through settings)."""

    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 500
    max_page_pixels: int = 150_000_000
    min_page_side: int = 200  # pixels; smaller images cannot be read
    render_dpi: int = 300  # PDF pages are checked at the resolution they will be rendered


@dataclass(frozen=True)
class IntakeFile:
    """A file that passed intake: known type, size, hash and page count."""

    filename: str
    media_type: MediaType
    size: int
    sha256: str
    page_count: int


def inspect_upload(data: bytes, filename: str, limits: IntakeLimits) -> IntakeFile:
    """Check ``data`` against ``limits`` and return what we know about it; raise on bad input."""
    if len(data) > limits.max_bytes:
        raise FileTooLarge(
            f"Tệp quá lớn ({len(data) // (1024 * 1024)} MB); tối đa "
            f"{limits.max_bytes // (1024 * 1024)} MB.",
            f"File too large ({len(data)} bytes); the limit is {limits.max_bytes} bytes.",
        )
    media_type = sniff_media_type(data)
    sizes = page_sizes(data, media_type, limits.render_dpi)
    if not sizes:
        raise CorruptFile("Tệp không có trang nào.", "The file has no pages.", code="no_pages")
    if len(sizes) > limits.max_pages:
        raise TooManyPages(
            f"Tệp có {len(sizes)} trang, vượt giới hạn {limits.max_pages} trang.",
            f"The file has {len(sizes)} pages; the limit is {limits.max_pages}.",
        )
    for index, (width, height) in enumerate(sizes):
        check_geometry(width, height, index, limits)
    if media_type is not MediaType.PDF:
        _decode_last_frame(data)
    return IntakeFile(
        filename=nfc(filename or f"upload.{media_type.extension}"),
        media_type=media_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=len(sizes),
    )


def count_pages(data: bytes, media_type: MediaType) -> int:
    return len(page_sizes(data, media_type, 72))


def page_sizes(data: bytes, media_type: MediaType, dpi: int) -> list[tuple[int, int]]:
    """Pixel size of every page (PDF pages at ``dpi``), read without decoding any image."""
    if media_type is MediaType.PDF:
        return _pdf_sizes(data, dpi)
    try:
        with open_image(data) as image:
            sizes = []
            for frame in range(getattr(image, "n_frames", 1)):
                image.seek(frame)
                sizes.append(image.size)
            return sizes
    except Image.DecompressionBombError as exc:
        raise CorruptFile(
            "Ảnh có số điểm ảnh quá lớn (nghi là tệp nén bất thường), không xử lý.",
            f"The image has far too many pixels (a decompression bomb?) ({exc}).",
            code="page_too_large",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _corrupt_image(exc) from exc


def _pdf_sizes(data: bytes, dpi: int) -> list[tuple[int, int]]:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise _why_pdf_fails(data, exc) from exc
    try:
        scale = dpi / 72
        return [(round(w * scale), round(h * scale))
                for w, h in (pdf[i].get_size() for i in range(len(pdf)))]
    finally:
        pdf.close()


def _why_pdf_fails(data: bytes, error: Exception) -> SohoaError:
    """PDFium's error codes are terse (a 0-page file reports "Success"): ask qpdf why."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) == 0:
                return CorruptFile("Tệp không có trang nào.", "The file has no pages.",
                                   code="no_pages")
    except pikepdf.PasswordError:
        return EncryptedPdf("Tệp PDF được bảo vệ bằng mật khẩu; hãy gửi bản không khóa.",
                            "The PDF is password-protected; please send an unlocked copy.")
    except pikepdf.PdfError:
        pass
    return CorruptFile("Tệp PDF bị hỏng hoặc không đầy đủ, không đọc được.",
                       f"The PDF is corrupt or truncated and cannot be read ({error}).")


def check_geometry(width: int, height: int, index: int, limits: IntakeLimits) -> None:
    if width * height > limits.max_page_pixels:
        raise CorruptFile(
            f"Trang {index + 1} quá lớn ({width}×{height} điểm ảnh), vượt giới hạn "
            f"{limits.max_page_pixels:,} điểm ảnh.",
            f"Page {index + 1} is too large ({width}×{height} pixels); the limit is "
            f"{limits.max_page_pixels:,} pixels.",
            code="page_too_large",
        )
    if min(width, height) < limits.min_page_side:
        raise PageTooSmall(
            f"Trang {index + 1} quá nhỏ ({width}×{height} điểm ảnh) để đọc được; cần quét lại "
            "ở độ phân giải cao hơn.",
            f"Page {index + 1} is too small to read ({width}×{height} pixels); rescan it at a "
            "higher resolution.",
        )


def _decode_last_frame(data: bytes) -> None:
    """Decoding the last frame proves the image is not truncated (geometry already checked)."""
    try:
        with open_image(data) as image:
            image.seek(getattr(image, "n_frames", 1) - 1)
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _corrupt_image(exc) from exc


def _corrupt_image(exc: Exception) -> CorruptFile:
    return CorruptFile(
        "Tệp ảnh bị hỏng hoặc không đầy đủ, không đọc được.",
        f"The image is corrupt or truncated and cannot be read ({exc}).",
    )
