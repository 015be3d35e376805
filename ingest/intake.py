"""Validate an uploaded file before anything is stored: type, size, page count, readability."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image, UnidentifiedImageError

from ingest.errors import CorruptFile, FileTooLarge, TooManyPages
from ingest.sniff import MediaType, sniff_media_type
from ingest.text import nfc


@dataclass(frozen=True)
class IntakeLimits:
    """Caps on what one upload may contain (configurable through settings)."""

    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 500
    max_page_pixels: int = 150_000_000


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
    pages = count_pages(data, media_type)
    if pages == 0:
        raise CorruptFile("Tệp không có trang nào.", "The file has no pages.")
    if pages > limits.max_pages:
        raise TooManyPages(
            f"Tệp có {pages} trang, vượt giới hạn {limits.max_pages} trang.",
            f"The file has {pages} pages; the limit is {limits.max_pages}.",
        )
    return IntakeFile(
        filename=nfc(filename or f"upload.{media_type.extension}"),
        media_type=media_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=pages,
    )


def count_pages(data: bytes, media_type: MediaType) -> int:
    """Open the file just enough to count its pages; a file that cannot be opened is corrupt."""
    if media_type is MediaType.PDF:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise CorruptFile(
                "Tệp PDF bị hỏng hoặc được bảo vệ bằng mật khẩu, không đọc được.",
                f"The PDF is corrupt or password-protected and cannot be read ({exc}).",
            ) from exc
        try:
            return len(pdf)
        finally:
            pdf.close()
    try:
        with Image.open(io.BytesIO(data)) as image:
            frames = getattr(image, "n_frames", 1)
            image.seek(frames - 1)
            image.load()  # decoding the last frame proves the file is not truncated
            return int(frames)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise CorruptFile(
            "Tệp ảnh bị hỏng hoặc không đầy đủ, không đọc được.",
            f"The image is corrupt or truncated and cannot be read ({exc}).",
        ) from exc
