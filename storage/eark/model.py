"""What goes into an archival package, independent of the database and of S3.

The caller (the CLI, the worker) reads a dossier from the database and its objects from S3, and
builds these frozen values; :func:`storage.eark.package.build_aip` turns them into a zip and
:func:`storage.eark.package.read_aip` turns the zip back into equal values.

Every value checks itself on construction against the lengths of NĐ 30/2020/NĐ-CP Phụ lục VI
(DOMAIN.md §8) and the needs of the package (aware datetimes, codes usable in file names), so a
bad value fails where it is made, with every defect listed, not half-way through a zip.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from storage.eark.errors import PackageMetadataInvalid

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

DIGITIZED = "Số hóa"
"""TT 05/2025 confidenceLevel of a document digitized from paper (vs ``BORN_DIGITAL``)."""
BORN_DIGITAL = "Gốc điện tử"

VIETNAM_TIME = dt.timezone(dt.timedelta(hours=7))
"""Vietnam has kept UTC+7 without daylight saving since 1975: a fixed offset needs no tzdata."""

# Codes become parts of file and folder names inside the zip, so they must be plain and short.
_SAFE_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,99}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Characters XML 1.0 cannot carry (OCR output sometimes holds form feeds or stray controls).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class PackageEvent:
    """One preservation event (sự kiện bảo quản) of the dossier, written to PREMIS.

    ``kind`` is the PREMIS eventType, lower case: "ingestion", "ocr", "classification",
    "correction", "archiving", … ``agent`` names who or what acted, ``agent_type`` is the PREMIS
    agentType ("software", "person" or "organization").
    """

    kind: str
    at: dt.datetime
    agent: str
    outcome: str = "success"
    detail: str = ""
    agent_type: str = "software"

    def __post_init__(self) -> None:
        problems = _aware("event.at", self.at)
        problems += _required({"event.kind": self.kind, "event.agent": self.agent,
                               "event.outcome": self.outcome, "event.agent_type": self.agent_type})
        _raise_if(problems + _not_xml(self, "event"))


@dataclass(frozen=True)
class PackageDossier:
    """A dossier (hồ sơ) as the AIP describes it: TT 05/2025 file level plus sohoa's own facts.

    ``maintenance`` is the retention code (thời hạn bảo quản: "01" vĩnh viễn, "02" 70 năm, or a
    number of years), ``mode`` the access regime (chế độ sử dụng: "01" công khai, "02" có điều
    kiện, …). ``fonds`` (mã phông) defaults to ``unit``; ``arc_file_code`` (TT 05 arcFileCode,
    ``{mã CQ lưu trữ}.{mã CQ hình thành phông}.{năm}.{số lần nộp}.{STT hồ sơ}``) defaults to
    ``code`` until the archive assigns one. ``completeness`` is the verdict of the completeness
    check ("complete", "incomplete", …) as recorded by sohoa.
    """

    code: str
    unit: str
    unit_name: str
    procedure_code: str
    procedure_name: str
    title: str
    received_at: dt.datetime
    archived_at: dt.datetime
    maintenance: str = "01"
    mode: str = "01"
    language: str = "vi"
    fonds: str = ""
    arc_file_code: str = ""
    keywords: tuple[str, ...] = ()
    description: str = ""
    completeness: str = ""
    events: tuple[PackageEvent, ...] = ()

    def __post_init__(self) -> None:
        # Normalise the defaults first, so equal dossiers compare equal after a round trip.
        if not self.fonds:
            object.__setattr__(self, "fonds", self.unit)
        if not self.arc_file_code:
            object.__setattr__(self, "arc_file_code", self.code)
        object.__setattr__(self, "keywords", tuple(self.keywords))
        object.__setattr__(self, "events", tuple(self.events))
        _raise_if(_dossier_problems(self) + _not_xml(self, "dossier"))


def _dossier_problems(d: PackageDossier) -> list[str]:
    problems = _codes({"code": d.code, "unit": d.unit, "fonds": d.fonds,
                       "arc_file_code": d.arc_file_code})
    problems += _required({"unit_name": d.unit_name, "procedure_code": d.procedure_code,
                           "title": d.title, "maintenance": d.maintenance, "mode": d.mode,
                           "language": d.language})
    # NĐ 30/2020 Phụ lục VI, file (hồ sơ) metadata lengths.
    problems += _lengths({"title": (d.title, 500), "maintenance": (d.maintenance, 30),
                          "mode": (d.mode, 30), "language": (d.language, 50),
                          "description": (d.description, 500),
                          "unit_name": (d.unit_name, 200), "unit": (d.unit, 35)})
    problems += _aware("received_at", d.received_at) + _aware("archived_at", d.archived_at)
    problems += [f"keyword {k!r} is empty or too long (max 100)"
                 for k in d.keywords if not k.strip() or len(k) > 100]
    if d.received_at.tzinfo and d.archived_at.tzinfo and d.archived_at < d.received_at:
        problems.append("archived_at is before received_at")
    return problems


@dataclass(frozen=True)
class PackageDocument:
    """One document (tài liệu, văn bản) of the dossier: its PDF, text and NĐ 30 metadata.

    ``doc_type`` is sohoa's catalogue code, ``doc_type_name`` the TypeName (tên loại văn bản),
    ``subject`` the Subject (trích yếu nội dung), ``code_number``/``code_notation`` the số and
    ký hiệu of the document, ``organ_name`` the issuing body. ``pdf_sha256`` may be given by the
    caller (from the database) and is then checked against ``pdf``; left empty it is computed.
    """

    ordinal: int
    doc_type: str
    doc_type_name: str
    subject: str
    page_count: int
    pdf: bytes
    text: str
    issued_date: dt.date | None = None
    code_number: str | None = None
    code_notation: str | None = None
    organ_name: str | None = None
    language: str = "vi"
    confidence_level: str = DIGITIZED
    ocr_json: bytes | None = None
    pdf_sha256: str = ""

    def __post_init__(self) -> None:
        # An empty optional string means "unknown", exactly like None: keep one spelling.
        for name in ("code_number", "code_notation", "organ_name"):
            if getattr(self, name) == "":
                object.__setattr__(self, name, None)
        if isinstance(self.issued_date, dt.datetime):
            object.__setattr__(self, "issued_date", self.issued_date.date())
        computed = sha256_hex(self.pdf)
        problems = _document_problems(self)
        if self.pdf_sha256 and self.pdf_sha256.lower() != computed:
            problems.append(f"document {self.ordinal}: pdf_sha256 does not match the PDF bytes")
        object.__setattr__(self, "pdf_sha256", computed)
        # ``text`` goes to a file of its own, not into XML, so it may hold any character.
        _raise_if(problems + _not_xml(self, f"document {self.ordinal}", skip={"text"}))


def _document_problems(d: PackageDocument) -> list[str]:
    where = f"document {d.ordinal}"
    problems = [] if 1 <= d.ordinal <= 999 else [f"{where}: ordinal must be 1..999"]
    if not 1 <= d.page_count <= 999:
        problems.append(f"{where}: page_count must be 1..999")
    if b"%PDF-" not in d.pdf[:1024]:  # the header may follow a little junk, per ISO 32000
        problems.append(f"{where}: pdf is empty or not a PDF")
    problems += _required({f"{where}: doc_type": d.doc_type,
                           f"{where}: doc_type_name": d.doc_type_name,
                           f"{where}: subject": d.subject,
                           f"{where}: confidence_level": d.confidence_level})
    # NĐ 30/2020 Phụ lục VI Phần II, document metadata lengths.
    problems += _lengths({f"{where}: doc_type_name": (d.doc_type_name, 100),
                          f"{where}: subject": (d.subject, 500),
                          f"{where}: code_number": (d.code_number or "", 11),
                          f"{where}: code_notation": (d.code_notation or "", 30),
                          f"{where}: organ_name": (d.organ_name or "", 200),
                          f"{where}: language": (d.language, 30)})
    return problems


@dataclass(frozen=True)
class PackageFile:
    """An original file as received at intake (the scanner's PDF, TIFF, JPEG …)."""

    name: str
    media_type: str
    data: bytes
    sha256: str = ""

    def __post_init__(self) -> None:
        computed = sha256_hex(self.data)
        problems = _required({"original file name": self.name,
                              f"original {self.name!r}: media_type": self.media_type})
        if len(self.name) > 255 or "\x00" in self.name:
            problems.append(f"original {self.name!r}: name too long or contains NUL")
        if self.sha256 and self.sha256.lower() != computed:
            problems.append(f"original {self.name!r}: sha256 does not match its bytes")
        object.__setattr__(self, "sha256", computed)
        _raise_if(problems + _not_xml(self, "original"))


def installed_version() -> str:
    try:
        return importlib.metadata.version("sohoa")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"  # running from a checkout that was never installed


@dataclass(frozen=True)
class Software:
    """The program that builds the package, named in METS (CSIP10) and PREMIS agents."""

    name: str = "sohoa"
    version: str = field(default_factory=installed_version)


@dataclass(frozen=True)
class RestoredPackage:
    """What :func:`read_aip` recovers from a zip whose every checksum matched."""

    objid: str
    dossier: PackageDossier
    documents: tuple[PackageDocument, ...]
    originals: tuple[PackageFile, ...]


def is_sha256(value: str) -> bool:
    return bool(_SHA256.match(value))


def _not_xml(value: DataclassInstance, where: str, skip: frozenset[str] | set[str] = frozenset()
             ) -> list[str]:
    """Metadata strings (and tuples of them) that XML cannot hold."""
    problems = []
    for item in fields(value):
        content = getattr(value, item.name)
        texts = content if isinstance(content, tuple) else (content,)
        if item.name not in skip and any(isinstance(t, str) and _NOT_XML.search(t)
                                         for t in texts):
            problems.append(f"{where}: {item.name} holds control characters XML cannot carry")
    return problems


def _raise_if(problems: list[str]) -> None:
    if problems:
        raise PackageMetadataInvalid(problems)


def _aware(name: str, value: dt.datetime) -> list[str]:
    if not isinstance(value, dt.datetime) or value.tzinfo is None or value.utcoffset() is None:
        return [f"{name} must be a timezone-aware datetime"]
    return []


def _required(values: dict[str, str]) -> list[str]:
    return [f"{name} is required" for name, value in values.items() if not value.strip()]


def _codes(values: dict[str, str]) -> list[str]:
    return [f"{name} {value!r} must be letters, digits, '.', '-' or '_' (max 100)"
            for name, value in values.items() if not _SAFE_CODE.match(value)]


def _lengths(values: dict[str, tuple[str, int]]) -> list[str]:
    return [f"{name} is longer than {limit} characters"
            for name, (value, limit) in values.items() if len(value) > limit]


def ordered_documents(documents: Iterable[PackageDocument]) -> tuple[PackageDocument, ...]:
    """Documents by ordinal; two documents with one ordinal would share a file name."""
    ordered = tuple(sorted(documents, key=lambda d: d.ordinal))
    seen = [d.ordinal for d in ordered]
    duplicates = sorted({o for o in seen if seen.count(o) > 1})
    if duplicates:
        raise PackageMetadataInvalid([f"duplicate document ordinal {o}" for o in duplicates])
    return ordered
