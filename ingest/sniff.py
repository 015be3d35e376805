"""Tell a file's type from its bytes, never from its name or declared content type."""

from __future__ import annotations

from enum import StrEnum

import filetype

from ingest.errors import EmptyFile, UnsupportedMediaType


class MediaType(StrEnum):
    PDF = "application/pdf"
    PNG = "image/png"
    JPEG = "image/jpeg"
    TIFF = "image/tiff"
    WEBP = "image/webp"
    HEIC = "image/heic"  # HEIC/HEIF phone photos

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg",
                "image/tiff": "tif", "image/webp": "webp", "image/heic": "heic"}[self.value]


SUPPORTED = tuple(MediaType)
# Names ``filetype`` gives to the same container family.
ALIASES = {"image/heif": MediaType.HEIC}


def sniff_media_type(data: bytes) -> MediaType:
    """Return the media type of ``data`` or raise for empty and unsupported content."""
    if not data:
        raise EmptyFile("Tệp rỗng, không có nội dung.", "The file is empty.")
    # PDFs may carry junk before the header; readers accept it within the first KiB.
    if b"%PDF-" in data[:1024]:
        return MediaType.PDF
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind is not None else None
    for media_type in MediaType:
        if media_type.value == mime:
            return media_type
    if mime in ALIASES:
        return ALIASES[mime]
    shown = mime or "không xác định / unknown"
    raise UnsupportedMediaType(
        f"Định dạng tệp không được hỗ trợ ({shown}). Chỉ nhận PDF, PNG, JPEG, TIFF, "
        "WebP, HEIC.",
        f"Unsupported file type ({shown}). Accepted: PDF, PNG, JPEG, TIFF, WebP, HEIC.",
    )
