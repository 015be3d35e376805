"""E-ARK CSIP 2.0.4 packages of a dossier under TT 05/2025/TT-BNV: AIP (build, read) and DIP.

Inputs are frozen values independent of the database (:mod:`storage.eark.model`); the caller
reads them from the database and S3. See :mod:`storage.eark.layout` for what the zip holds.
"""

from storage.eark.errors import FontUnavailable, PackageInvalid, PackageMetadataInvalid
from storage.eark.layout import arc_doc_code, package_objid, package_root, package_uuid
from storage.eark.model import (
    BORN_DIGITAL,
    DIGITIZED,
    PackageDocument,
    PackageDossier,
    PackageEvent,
    PackageFile,
    RestoredPackage,
    Software,
)
from storage.eark.package import build_aip, read_aip
from storage.eark.reading_copy import build_dip
from storage.eark.zipio import ReadLimits

__all__ = [
    "BORN_DIGITAL",
    "DIGITIZED",
    "FontUnavailable",
    "PackageDocument",
    "PackageDossier",
    "PackageEvent",
    "PackageFile",
    "PackageInvalid",
    "PackageMetadataInvalid",
    "ReadLimits",
    "RestoredPackage",
    "Software",
    "arc_doc_code",
    "build_aip",
    "build_dip",
    "package_objid",
    "package_root",
    "package_uuid",
    "read_aip",
]
