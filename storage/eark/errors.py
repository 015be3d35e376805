"""Errors of the E-ARK packages: a stable ``code``, a message in Vietnamese and English."""

from __future__ import annotations

from collections.abc import Sequence

from ingest.errors import SohoaError


class PackageInvalid(SohoaError):
    """An AIP that cannot be trusted: not a zip, unsafe paths, missing or altered files.

    ``problems`` lists every defect found (one line each, paths relative to the package root),
    so an archivist sees the whole damage at once rather than the first defect only.
    """

    code = "package_invalid"

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        listing = "; ".join(self.problems)
        super().__init__(f"Gói lưu trữ (AIP) không hợp lệ: {listing}",
                         f"Invalid archival information package (AIP): {listing}")


class PackageMetadataInvalid(SohoaError):
    """Metadata that the package cannot carry, e.g. longer than NĐ 30/2020 Phụ lục VI allows."""

    code = "package_metadata_invalid"

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        listing = "; ".join(self.problems)
        super().__init__(f"Siêu dữ liệu không hợp lệ để đóng gói: {listing}",
                         f"Metadata cannot be packaged: {listing}")


class FontUnavailable(SohoaError):
    """No TrueType font with Vietnamese glyphs to draw the reading-copy watermark."""

    code = "font_unavailable"

    def __init__(self, tried: Sequence[str]) -> None:
        listing = ", ".join(tried)
        super().__init__(f"Không tìm thấy phông chữ tiếng Việt cho bản sao đọc (đã thử: {listing})",
                         f"No font with Vietnamese glyphs for the reading copy (tried: {listing})")
