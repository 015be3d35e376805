"""Build and read the AIP (AIP_hoso, TT 05/2025/TT-BNV) of one dossier as an E-ARK CSIP zip.

``build_aip`` is a pure function of its inputs: the same dossier gives the same bytes (UUID5
identifiers, timestamps taken from ``archived_at``, fixed member order), so an export can be
compared with an earlier one by SHA-256. ``read_aip`` trusts nothing: it refuses unsafe zips,
checks every size and SHA-256 that METS.xml lists, cross-checks PREMIS fixity, and reports every
defect at once in one :class:`~storage.eark.errors.PackageInvalid`.

METS.xml cannot carry its own checksum; keep the SHA-256 of the whole zip beside it (the S3
object checksum does) to protect it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from storage.eark import layout
from storage.eark.ead import parse_ead, write_ead
from storage.eark.errors import PackageInvalid, PackageMetadataInvalid
from storage.eark.layout import Member
from storage.eark.mets import MetsEntry, MetsIndex, parse_mets, write_mets
from storage.eark.model import (
    PackageDocument,
    PackageDossier,
    PackageFile,
    RestoredPackage,
    Software,
    ordered_documents,
    sha256_hex,
)
from storage.eark.premis import PremisRecord, parse_premis, write_premis
from storage.eark.zipio import ReadLimits, read_members, write_zip

SCHEMAS_README = """\
Schemas used by this package (not bundled: fetch them from their maintainers when validating).

METS 1.12        http://www.loc.gov/standards/mets/mets.xsd
xlink            http://www.loc.gov/standards/mets/xlink.xsd
CSIP extension   https://earkcsip.dilcis.eu/schema/DILCISExtensionMETS.xsd
CSIP profile     https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml (version 2.0.4)
PREMIS 3.0       http://www.loc.gov/standards/premis/v3/premis.xsd

metadata/descriptive/EAD.xml uses the namespace https://sohoa.local/xml/tt05-ead/1: a simple
XML whose element names are the TT 05/2025/TT-BNV metadata fields (the official TT 05 schema
was not available when this format was made). It has no XSD; its structure is documented in
sohoa's source, storage/eark/ead.py.
"""


def build_aip(dossier: PackageDossier, documents: Sequence[PackageDocument],
              originals: Sequence[PackageFile] = (), *,
              software: Software | None = None) -> bytes:
    """The zip of the AIP ``urn_<phông>_uuid_<UUID>/…`` (see :mod:`storage.eark.layout`)."""
    software = software or Software()
    ordered = ordered_documents(documents)
    objid = layout.package_objid(dossier)
    content = _content_members(dossier, ordered, originals)
    names = {layout.original_path(i, f.name): f.name for i, f in enumerate(originals, 1)}
    schemas = [Member(layout.SCHEMAS_README_PATH, SCHEMAS_README.encode("utf-8"),
                      "text/plain", "Schemas")]
    ead = write_ead(dossier, ordered)
    premis = write_premis(objid, dossier, content, names, software)
    mets = write_mets(objid, dossier, [*schemas, *content], ead, premis, software)
    files = [(layout.METS_PATH, mets), (layout.EAD_PATH, ead), (layout.PREMIS_PATH, premis)]
    files += [(member.path, member.data) for member in [*schemas, *content]]
    return write_zip(layout.package_root(dossier), files, dossier.archived_at)


def _content_members(dossier: PackageDossier, documents: Sequence[PackageDocument],
                     originals: Sequence[PackageFile]) -> list[Member]:
    pdfs = layout.representation_group(layout.REP_DOCUMENTS)
    texts = layout.representation_group(layout.REP_TEXT)
    members = [Member(layout.pdf_path(dossier.code, d.ordinal), d.pdf, "application/pdf", pdfs)
               for d in documents]
    for document in documents:
        members.append(Member(layout.text_path(dossier.code, document.ordinal),
                              document.text.encode("utf-8"), "text/plain", texts))
        if document.ocr_json is not None:
            members.append(Member(layout.ocr_path(dossier.code, document.ordinal),
                                  document.ocr_json, "application/json", texts))
    scans = layout.representation_group(layout.REP_ORIGINALS)
    members += [Member(layout.original_path(index, original.name), original.data,
                       original.media_type, scans)
                for index, original in enumerate(originals, 1)]
    return members


def read_aip(data: bytes, *, limits: ReadLimits | None = None) -> RestoredPackage:
    """The dossier, documents and originals of an AIP made by :func:`build_aip`.

    Raises PackageInvalid listing every problem: not a zip, unsafe or oversized members, METS
    entries missing or with a wrong size or SHA-256, files METS does not list, metadata that
    disagrees with itself.
    """
    root, files = read_members(data, limits or ReadLimits())
    if layout.METS_PATH not in files:
        raise PackageInvalid([f"{layout.METS_PATH}: missing"])
    index = parse_mets(files[layout.METS_PATH])
    problems = verify_files(index, files)
    if layout.objid_to_root(index.objid) != root:
        problems.append(f"root folder {root!r} does not match OBJID {index.objid!r}")
    _raise_if(problems)
    premis = parse_premis(files[layout.PREMIS_PATH])
    _raise_if(_cross_check(index, premis))
    dossier, documents = parse_ead(files[layout.EAD_PATH], files)
    dossier = replace(dossier, events=premis.events)
    if layout.package_objid(dossier) != index.objid:
        _raise_if([f"OBJID {index.objid!r} is not the one of dossier {dossier.code!r}"])
    originals = _originals(index, files, premis)
    return RestoredPackage(objid=index.objid, dossier=dossier, documents=documents,
                           originals=originals)


def verify_files(index: MetsIndex, files: Mapping[str, bytes]) -> list[str]:
    """Every METS entry present with its size and SHA-256, and nothing unlisted."""
    problems: list[str] = []
    for entry in index.entries:
        problems += _verify_entry(entry, files.get(entry.path))
    listed = {entry.path for entry in index.entries}
    problems += [f"{path}: in the zip but not listed in {layout.METS_PATH}"
                 for path in sorted(files) if path not in listed | {layout.METS_PATH}]
    problems += [f"{path}: not referenced by {layout.METS_PATH}"
                 for path in (layout.EAD_PATH, layout.PREMIS_PATH) if path not in listed]
    return problems


def _verify_entry(entry: MetsEntry, data: bytes | None) -> list[str]:
    if data is None:
        return [f"{entry.path}: listed in {layout.METS_PATH} but missing from the zip"]
    problems = []
    if len(data) != entry.size:
        problems.append(f"{entry.path}: {len(data)} bytes, {layout.METS_PATH} says {entry.size}")
    actual = sha256_hex(data)
    if actual != entry.sha256:
        problems.append(f"{entry.path}: SHA-256 {actual} does not match {entry.sha256} in "
                        f"{layout.METS_PATH} (altered or damaged)")
    return problems


def _cross_check(index: MetsIndex, premis: PremisRecord) -> list[str]:
    """PREMIS fixity must agree with METS for every content file, and describe no other."""
    content = {e.path: e.sha256 for e in index.entries if e.group.startswith("Representations")}
    problems = [f"{path}: PREMIS fixity disagrees with {layout.METS_PATH}"
                for path, digest in content.items() if premis.digests.get(path) != digest]
    problems += [f"{path}: described in {layout.PREMIS_PATH} but not in {layout.METS_PATH}"
                 for path in sorted(set(premis.digests) - set(content))]
    return problems


def _originals(index: MetsIndex, files: Mapping[str, bytes],
               premis: PremisRecord) -> tuple[PackageFile, ...]:
    # METS lists the originals in the order they were given to build_aip.
    entries = [e for e in index.entries if layout.is_original_path(e.path)]
    missing = [f"{e.path}: no originalName in {layout.PREMIS_PATH}" for e in entries
               if e.path not in premis.original_names]
    _raise_if(missing)
    try:
        return tuple(PackageFile(name=premis.original_names[e.path], media_type=e.media_type,
                                 data=files[e.path]) for e in entries)
    except PackageMetadataInvalid as error:
        raise PackageInvalid(list(error.problems)) from error


def _raise_if(problems: list[str]) -> None:
    if problems:
        raise PackageInvalid(problems)
