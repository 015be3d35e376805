"""Domain errors with a stable code, a user-facing message in Vietnamese and English.

Every package raises subclasses of :class:`SohoaError`; the HTTP status and the CLI exit code
for each code are mapped in one place (``api/problems.py``).
"""

from __future__ import annotations


class SohoaError(Exception):
    """Base of every error a user can cause or an operator must fix."""

    code: str = "internal_error"

    def __init__(self, message_vi: str, message_en: str, *, code: str | None = None) -> None:
        super().__init__(message_en)
        self.message_vi = message_vi
        self.message_en = message_en
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return f"{self.message_vi} / {self.message_en}"


class UnsupportedMediaType(SohoaError):
    code = "unsupported_media_type"


class EmptyFile(SohoaError):
    code = "empty_file"


class CorruptFile(SohoaError):
    code = "corrupt_file"


class FileTooLarge(SohoaError):
    code = "file_too_large"


class TooManyPages(SohoaError):
    code = "too_many_pages"
