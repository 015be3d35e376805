"""metadata/descriptive/EAD.xml: the TT 05/2025 file- and document-level description.

The XML schema of TT 05/2025/TT-BNV (Phụ lục on EAD) was not available to us, only a summary of
its field names (DOMAIN.md §7) and the NĐ 30/2020 Phụ lục VI lengths (§8). So this is a simple,
documented XML in sohoa's own namespace, not EAD 2002/EAD3, and METS declares it as
``MDTYPE="OTHER" OTHERMDTYPE="TT05-EAD"``. Element names are the TT 05 field names, so mapping
to the official schema once it is at hand is a rename, not a remodelling::

    <ead xmlns="https://sohoa.local/xml/tt05-ead/1" schemaVersion="1">
      <file>                              TT 05 file level (hồ sơ)
        fileCode (mã hồ sơ), arcFileCode, fondsCode (mã phông), organId, organName, title,
        maintenance, mode, language, startDate, endDate, keyword*, totalDoc, numberOfPage,
        description?,
        procedureCode, procedureName, receivedAt, archivedAt, completeness?   (sohoa additions)
        <document>*                       TT 05 document level (tài liệu)
          arcDocCode, docOrdinal, typeName, codeNumber?, codeNotation?, issuedDate?,
          organName?, subject, language, numberOfPage, confidenceLevel, filePath,
          docTypeCode (sohoa catalogue code)

startDate/endDate run from the dossier's intake to its archiving (Vietnam dates): the papers a
citizen hands in may be decades older than the hồ sơ, which opens at intake. Left out because
sohoa does not know them: numberOfPaper (sheets, not pages: duplex is unknown), riskRecovery,
riskRecoveryStatus and the document's physical state ("format").
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from typing import TypeVar

from lxml import etree

from storage.eark import layout
from storage.eark.errors import PackageInvalid, PackageMetadataInvalid
from storage.eark.model import VIETNAM_TIME, PackageDocument, PackageDossier
from storage.eark.xmlutil import child_text, parse, q, serialize, sub, timestamp

NS = "https://sohoa.local/xml/tt05-ead/1"
SCHEMA_VERSION = "1"
_T = TypeVar("_T")


def write_ead(dossier: PackageDossier, documents: Sequence[PackageDocument]) -> bytes:
    root = etree.Element(q(NS, "ead"), {"schemaVersion": SCHEMA_VERSION}, nsmap={None: NS})
    file_element = sub(root, q(NS, "file"))
    _write_file_level(file_element, dossier, documents)
    for document in documents:
        _write_document(sub(file_element, q(NS, "document")), dossier, document)
    return serialize(root)


def _write_file_level(element: etree._Element, dossier: PackageDossier,
                      documents: Sequence[PackageDocument]) -> None:
    fields: list[tuple[str, str | None]] = [
        ("fileCode", dossier.code), ("arcFileCode", dossier.arc_file_code),
        ("fondsCode", dossier.fonds), ("organId", dossier.unit),
        ("organName", dossier.unit_name), ("title", dossier.title),
        ("maintenance", dossier.maintenance), ("mode", dossier.mode),
        ("language", dossier.language),
        ("startDate", _local_date(dossier.received_at)),
        ("endDate", _local_date(dossier.archived_at)),
    ]
    fields += [("keyword", keyword) for keyword in dossier.keywords]
    fields += [
        ("totalDoc", str(len(documents))),
        ("numberOfPage", str(sum(d.page_count for d in documents))),
        ("description", dossier.description or None),
        ("procedureCode", dossier.procedure_code), ("procedureName", dossier.procedure_name),
        ("receivedAt", timestamp(dossier.received_at)),
        ("archivedAt", timestamp(dossier.archived_at)),
        ("completeness", dossier.completeness or None),
    ]
    _write_fields(element, fields)


def _write_document(element: etree._Element, dossier: PackageDossier,
                    document: PackageDocument) -> None:
    issued = document.issued_date.isoformat() if document.issued_date else None
    _write_fields(element, [
        ("arcDocCode", layout.arc_doc_code(dossier, document.ordinal)),
        ("docOrdinal", str(document.ordinal)), ("typeName", document.doc_type_name),
        ("codeNumber", document.code_number), ("codeNotation", document.code_notation),
        ("issuedDate", issued), ("organName", document.organ_name),
        ("subject", document.subject), ("language", document.language),
        ("numberOfPage", str(document.page_count)),
        ("confidenceLevel", document.confidence_level),
        ("filePath", layout.pdf_path(dossier.code, document.ordinal)),
        ("docTypeCode", document.doc_type),
    ])


def _write_fields(element: etree._Element, fields: Sequence[tuple[str, str | None]]) -> None:
    # Unknown optional values are left out rather than written empty: absent means unknown.
    for name, value in fields:
        if value is not None:
            sub(element, q(NS, name), value)


def _local_date(value: dt.datetime) -> str:
    return value.astimezone(VIETNAM_TIME).date().isoformat()


class _Fields:
    """Reads typed children of one element, collecting every problem instead of stopping."""

    def __init__(self, element: etree._Element, where: str, problems: list[str]) -> None:
        self.element, self.where, self.problems = element, where, problems

    def optional(self, name: str) -> str | None:
        return child_text(self.element, q(NS, name))

    def text(self, name: str) -> str:
        value = self.optional(name)
        if value is None:
            self.problems.append(f"{layout.EAD_PATH}: {self.where} has no <{name}>")
            return ""
        return value

    def all(self, name: str) -> tuple[str, ...]:
        return tuple(e.text or "" for e in self.element.findall(q(NS, name)))

    def integer(self, name: str) -> int:
        value = self.text(name)
        try:
            return int(value) if value else 0
        except ValueError:
            return self._invalid(name, value, 0)

    def moment(self, name: str) -> dt.datetime:
        value = self.text(name)
        epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
        try:
            return dt.datetime.fromisoformat(value) if value else epoch
        except ValueError:
            return self._invalid(name, value, epoch)

    def day(self, name: str) -> dt.date | None:
        value = self.optional(name)
        try:
            return None if value is None else dt.date.fromisoformat(value)
        except ValueError:
            return self._invalid(name, value or "", None)

    def _invalid(self, name: str, value: str, fallback: _T) -> _T:
        self.problems.append(f"{layout.EAD_PATH}: {self.where} <{name}> {value!r} is invalid")
        return fallback


def parse_ead(xml: bytes, files: Mapping[str, bytes]
              ) -> tuple[PackageDossier, tuple[PackageDocument, ...]]:
    """The dossier (without events: they live in PREMIS) and its documents.

    ``files`` maps package paths to bytes already checked against METS; the documents' PDF,
    text and OCR JSON are taken from it by their TT 05 names.
    """
    root = parse(xml, layout.EAD_PATH)
    file_element = root.find(q(NS, "file"))
    if root.tag != q(NS, "ead") or file_element is None:
        raise PackageInvalid([f"{layout.EAD_PATH}: not a sohoa TT 05 description ({NS})"])
    problems: list[str] = []
    fields = _Fields(file_element, "file", problems)
    code = fields.text("fileCode")
    documents = [_read_document(_Fields(element, f"document {index}", problems), code, files)
                 for index, element in enumerate(file_element.findall(q(NS, "document")), 1)]
    if fields.integer("totalDoc") != len(documents):
        problems.append(f"{layout.EAD_PATH}: totalDoc does not match the documents listed")
    dossier = _read_dossier(fields, code)
    _raise_if(problems)
    with _as_package_problem():
        return dossier(), tuple(document() for document in documents)


def _read_dossier(fields: _Fields, code: str) -> Callable[[], PackageDossier]:
    # Construction is deferred until every field has been read, so that all problems of the
    # file are reported together rather than the first failed check of the dataclass.
    return partial(
        PackageDossier, code=code, unit=fields.text("organId"),
        unit_name=fields.text("organName"), procedure_code=fields.text("procedureCode"),
        procedure_name=fields.text("procedureName"), title=fields.text("title"),
        received_at=fields.moment("receivedAt"), archived_at=fields.moment("archivedAt"),
        maintenance=fields.text("maintenance"), mode=fields.text("mode"),
        language=fields.text("language"), fonds=fields.text("fondsCode"),
        arc_file_code=fields.text("arcFileCode"), keywords=fields.all("keyword"),
        description=fields.optional("description") or "",
        completeness=fields.optional("completeness") or "")


def _read_document(fields: _Fields, code: str, files: Mapping[str, bytes]
                   ) -> Callable[[], PackageDocument]:
    ordinal = fields.integer("docOrdinal")
    return partial(
        PackageDocument, ordinal=ordinal, doc_type=fields.text("docTypeCode"),
        doc_type_name=fields.text("typeName"), subject=fields.text("subject"),
        page_count=fields.integer("numberOfPage"),
        pdf=_content(files, layout.pdf_path(code, ordinal), fields.problems) or b"",
        text=_utf8(files, layout.text_path(code, ordinal), fields.problems),
        issued_date=fields.day("issuedDate"), code_number=fields.optional("codeNumber"),
        code_notation=fields.optional("codeNotation"), organ_name=fields.optional("organName"),
        language=fields.text("language"), confidence_level=fields.text("confidenceLevel"),
        ocr_json=files.get(layout.ocr_path(code, ordinal)))


def _content(files: Mapping[str, bytes], path: str, problems: list[str]) -> bytes | None:
    if path not in files:
        problems.append(f"{path}: described in {layout.EAD_PATH} but not in the package")
        return None
    return files[path]


def _utf8(files: Mapping[str, bytes], path: str, problems: list[str]) -> str:
    data = _content(files, path, problems)
    try:
        return "" if data is None else data.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(f"{path}: text is not UTF-8")
        return ""


def _raise_if(problems: list[str]) -> None:
    if problems:
        raise PackageInvalid(problems)


@contextlib.contextmanager
def _as_package_problem() -> Iterator[None]:
    """Metadata the model refuses makes the package invalid, reported as such."""
    try:
        yield
    except PackageMetadataInvalid as error:
        raise PackageInvalid([f"{layout.EAD_PATH}: {p}" for p in error.problems]) from error
