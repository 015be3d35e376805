"""Roles and permissions (vai trò, quyền) of sohoa's users, and the errors about who asks."""

from __future__ import annotations

import re
from enum import StrEnum

from ingest.errors import SohoaError

ALL_UNITS = "*"  # a membership in every unit: for provincial auditors and administrators
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD, MAX_PASSWORD = 10, 1024
TOKEN_PREFIX = "sohoa_"


class Role(StrEnum):
    INTAKE = "intake"  # cán bộ tiếp nhận
    REVIEWER = "reviewer"  # người rà soát
    AUDITOR = "auditor"  # kiểm tra viên, lưu trữ viên
    ADMIN = "admin"  # quản trị


class Permission(StrEnum):
    PUBLIC = "public"  # no sign-in: /healthz, /readyz, login
    SIGNED_IN = "signed_in"  # any signed-in user: who am I, log out
    CATALOGUE_READ = "catalogue.read"
    DOSSIER_CREATE = "dossier.create"
    DOSSIER_READ = "dossier.read"  # dossier, completeness, events, integrity status, jobs
    DOSSIER_UPLOAD = "dossier.upload"
    DOSSIER_ANSWER = "dossier.answer"
    FORMS_PRINT = "forms.print"  # Mẫu 01, 02, 03
    DOSSIER_ARCHIVE = "dossier.archive"  # archive a complete dossier
    ARCHIVE_OVERRIDE = "dossier.archive_override"  # archive an incomplete one, with a reason
    REVIEW = "review"  # review queue and corrections
    SEARCH = "search"
    READING_COPY = "document.reading_copy"  # watermarked reading copy (DIP)
    ORIGINAL_DOWNLOAD = "document.download"  # the archived original
    FIXITY_CHECK = "integrity.check"  # re-read objects and compare checksums now
    PACKAGE_EXPORT = "package.export"  # AIP export
    PACKAGE_IMPORT = "package.import"
    REPORTS_READ = "reports.read"  # digitization rate dashboard
    AUDIT_READ = "audit.read"
    AUDIT_EXPORT = "audit.export"
    USERS_MANAGE = "users.manage"


_EVERYONE = frozenset({Permission.SIGNED_IN, Permission.CATALOGUE_READ, Permission.DOSSIER_READ,
                       Permission.SEARCH, Permission.READING_COPY})
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.INTAKE: _EVERYONE | {
        Permission.DOSSIER_CREATE, Permission.DOSSIER_UPLOAD, Permission.DOSSIER_ANSWER,
        Permission.FORMS_PRINT, Permission.DOSSIER_ARCHIVE, Permission.ORIGINAL_DOWNLOAD},
    Role.REVIEWER: _EVERYONE | {
        Permission.DOSSIER_ANSWER, Permission.FORMS_PRINT, Permission.DOSSIER_ARCHIVE,
        Permission.ARCHIVE_OVERRIDE, Permission.REVIEW, Permission.ORIGINAL_DOWNLOAD,
        Permission.FIXITY_CHECK},
    Role.AUDITOR: _EVERYONE | {
        Permission.FIXITY_CHECK, Permission.PACKAGE_EXPORT, Permission.REPORTS_READ,
        Permission.AUDIT_READ, Permission.AUDIT_EXPORT},
    Role.ADMIN: frozenset(Permission),
}


class AuthError(SohoaError):
    """Base of the errors about who is asking (their HTTP statuses live in api/problems.py)."""


class AuthenticationRequired(AuthError):
    code = "authentication_required"


class AuthenticationFailed(AuthError):
    code = "authentication_failed"


class Forbidden(AuthError):
    code = "forbidden"


class UserExists(SohoaError):
    code = "user_exists"


class UnknownUser(SohoaError):
    code = "unknown_user"


class InvalidUser(SohoaError):
    code = "invalid_request"
