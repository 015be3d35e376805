"""Where each file sits inside the package, and the package's identifiers (TT 05/2025, CSIP).

Paths are relative to the package root folder ``urn_<mã phông>_uuid_<UUID>/``::

    METS.xml                                     root METS (CSIP 2.0.4)
    metadata/descriptive/EAD.xml                 TT 05 file- and document-level description
    metadata/preservation/PREMIS.xml             PREMIS 3: objects, fixity, events, agents
    representations/rep1/data/<mã hồ sơ>.<n>.pdf the digitized documents (TT 05 file naming)
    representations/rep2/data/<mã hồ sơ>.<n>.txt recognised text, UTF-8
    representations/rep2/data/<mã hồ sơ>.<n>.ocr.json  OCR words and confidences, if any
    representations/rep0/data/<NNN>.<ext>        the originals as received at intake
    schemas/README.txt                           where the schemas are (not bundled)

rep1 is the representation TT 05 requires. The text (rep2) and the originals (rep0) are sohoa's
additions; they are separate representations because each is a complete rendering of the same
dossier in another form, which is what CSIP calls a representation.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from storage.eark.model import PackageDossier

METS_PATH = "METS.xml"
EAD_PATH = "metadata/descriptive/EAD.xml"
PREMIS_PATH = "metadata/preservation/PREMIS.xml"
SCHEMAS_README_PATH = "schemas/README.txt"

REP_DOCUMENTS = "rep1"
REP_TEXT = "rep2"
REP_ORIGINALS = "rep0"

# A fixed namespace: the same dossier always gets the same UUID, so a re-export of an unchanged
# dossier yields the same package name and OBJID (and, with fixed timestamps, the same bytes).
_UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://sohoa.local/eark/aip")
_EXTENSION = re.compile(r"\.([A-Za-z0-9]{1,8})$")


@dataclass(frozen=True)
class Member:
    """One file of the package: its path under the root, bytes, IANA media type, METS group."""

    path: str
    data: bytes
    media_type: str
    group: str


def package_uuid(dossier: PackageDossier) -> str:
    # Upper case like the TT 05 SIP identifier ``uuid-<UPPERCASE-UUID>``.
    return str(uuid.uuid5(_UUID_NAMESPACE, f"{dossier.fonds}/{dossier.code}")).upper()


def package_objid(dossier: PackageDossier) -> str:
    """TT 05 AIP OBJID: ``urn:<mã phông>:uuid:<UUID>``."""
    return f"urn:{dossier.fonds}:uuid:{package_uuid(dossier)}"


def package_root(dossier: PackageDossier) -> str:
    """TT 05 package name ``urn_<phông>_uuid_<UUID>`` (the zip is this name plus ``.zip``)."""
    return objid_to_root(package_objid(dossier))


def objid_to_root(objid: str) -> str:
    return objid.replace(":", "_")


def arc_doc_code(dossier: PackageDossier, ordinal: int) -> str:
    """TT 05 arcDocCode: arcFileCode followed by the 7-digit document ordinal.

    The separator is not known from the summary we have; a dot matches the dotted codes.
    """
    return f"{dossier.arc_file_code}.{ordinal:07d}"


def representation_group(representation: str) -> str:
    return f"Representations/{representation}"


def pdf_path(code: str, ordinal: int) -> str:
    return f"representations/{REP_DOCUMENTS}/data/{code}.{ordinal}.pdf"


def text_path(code: str, ordinal: int) -> str:
    return f"representations/{REP_TEXT}/data/{code}.{ordinal}.txt"


def ocr_path(code: str, ordinal: int) -> str:
    return f"representations/{REP_TEXT}/data/{code}.{ordinal}.ocr.json"


def original_path(index: int, name: str) -> str:
    """A safe name for an uploaded file; its real name is kept in PREMIS originalName."""
    match = _EXTENSION.search(name)
    extension = f".{match.group(1).lower()}" if match else ".bin"
    return f"representations/{REP_ORIGINALS}/data/{index:03d}{extension}"


def is_original_path(path: str) -> bool:
    return path.startswith(f"representations/{REP_ORIGINALS}/data/")
