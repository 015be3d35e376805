"""The root METS.xml of an AIP under the E-ARK CSIP 2.0.4 METS profile.

Every file of the package except METS.xml itself is listed with its size and SHA-256: EAD and
PREMIS through ``mdRef`` in dmdSec/amdSec (CSIP17–30, 31–57), the rest in fileSec groups
(CSIP58–79), one group per representation (``Representations/rep1`` …) and one for
``Schemas``. The CSIP structMap (CSIP80–119) has the Metadata, Schemas and one division per
representation pointing (fptr) at its file group.

Deliberate simplification: the representations carry no METS.xml of their own (CSIP105 is a
SHOULD); the root METS lists their files directly, which CSIP114 allows ("pointers to the content
being transferred"), so one document holds every checksum an auditor needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from storage.eark import layout
from storage.eark.errors import PackageInvalid
from storage.eark.model import PackageDossier, Software, is_sha256, sha256_hex
from storage.eark.xmlutil import XLINK, XSI, parse, q, serialize, sub, timestamp

NS = "http://www.loc.gov/METS/"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
PROFILE = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
SCHEMA_LOCATION = (f"{NS} http://www.loc.gov/standards/mets/mets.xsd "
                   f"{XLINK} http://www.loc.gov/standards/mets/xlink.xsd "
                   f"{CSIP} https://earkcsip.dilcis.eu/schema/DILCISExtensionMETS.xsd")
CONTENT_TYPE = "Hồ sơ thủ tục hành chính số hóa"
CONTENT_INFORMATION = "TT 05/2025/TT-BNV AIP_hoso"
EAD_MDTYPE = "TT05-EAD"
DMD_ID = "dmd-ead"
PREMIS_ID = "digiprov-premis"


@dataclass(frozen=True)
class MetsEntry:
    """One file METS vouches for: where it is, how big, its SHA-256 and media type."""

    path: str
    size: int
    sha256: str
    media_type: str
    group: str


@dataclass(frozen=True)
class MetsIndex:
    objid: str
    entries: tuple[MetsEntry, ...]


def write_mets(objid: str, dossier: PackageDossier, files: Sequence[layout.Member],
               ead: bytes, premis: bytes, software: Software) -> bytes:
    root = etree.Element(q(NS, "mets"), _root_attributes(objid, dossier),
                         nsmap={"mets": NS, "csip": CSIP, "xlink": XLINK, "xsi": XSI})
    created = timestamp(dossier.archived_at)
    _header(root, dossier, software, created)
    dmd = sub(root, q(NS, "dmdSec"), ID=DMD_ID, CREATED=created, STATUS="CURRENT")
    _md_ref(dmd, layout.EAD_PATH, ead, created, MDTYPE="OTHER", OTHERMDTYPE=EAD_MDTYPE)
    digiprov = sub(sub(root, q(NS, "amdSec"), ID="amd-1"), q(NS, "digiprovMD"), ID=PREMIS_ID,
                   CREATED=created, STATUS="CURRENT")
    _md_ref(digiprov, layout.PREMIS_PATH, premis, created, MDTYPE="PREMIS")
    groups = _file_section(root, files, created)
    _struct_map(root, objid, groups)
    return serialize(root)


def _root_attributes(objid: str, dossier: PackageDossier) -> dict[str, str]:
    return {"OBJID": objid, "LABEL": dossier.title, "TYPE": "OTHER",
            q(CSIP, "OTHERTYPE"): CONTENT_TYPE, q(CSIP, "CONTENTINFORMATIONTYPE"): "OTHER",
            q(CSIP, "OTHERCONTENTINFORMATIONTYPE"): CONTENT_INFORMATION, "PROFILE": PROFILE,
            q(XSI, "schemaLocation"): SCHEMA_LOCATION}


def _header(root: etree._Element, dossier: PackageDossier, software: Software,
            created: str) -> None:
    header = sub(root, q(NS, "metsHdr"), CREATEDATE=created, RECORDSTATUS="NEW",
                 **{q(CSIP, "OAISPACKAGETYPE"): "AIP"})
    creator = sub(header, q(NS, "agent"), ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    sub(creator, q(NS, "name"), software.name)
    sub(creator, q(NS, "note"), software.version, **{q(CSIP, "NOTETYPE"): "SOFTWARE VERSION"})
    # The body whose dossier this is (the records creator of the fonds).
    body = sub(header, q(NS, "agent"), ROLE="ARCHIVIST", TYPE="ORGANIZATION")
    sub(body, q(NS, "name"), dossier.unit_name)
    sub(body, q(NS, "note"), dossier.unit, **{q(CSIP, "NOTETYPE"): "IDENTIFICATIONCODE"})
    sub(header, q(NS, "altRecordID"), dossier.code, TYPE="DOSSIERCODE")


def _md_ref(parent: etree._Element, path: str, data: bytes, created: str,
            **kind: str) -> None:
    sub(parent, q(NS, "mdRef"), LOCTYPE="URL", **{q(XLINK, "type"): "simple",
                                                  q(XLINK, "href"): path},
        MIMETYPE="text/xml", SIZE=str(len(data)), CREATED=created, CHECKSUM=sha256_hex(data),
        CHECKSUMTYPE="SHA-256", **kind)


def _file_section(root: etree._Element, files: Sequence[layout.Member],
                  created: str) -> dict[str, str]:
    """File groups in order of first appearance; returns group USE -> group ID."""
    section = sub(root, q(NS, "fileSec"), ID="filesec-1")
    groups: dict[str, etree._Element] = {}
    for index, member in enumerate(files, 1):
        if member.group not in groups:
            groups[member.group] = _file_group(section, member.group, len(groups) + 1)
        element = sub(groups[member.group], q(NS, "file"), ID=f"file-{index:04d}",
                      MIMETYPE=member.media_type, SIZE=str(len(member.data)), CREATED=created,
                      CHECKSUM=sha256_hex(member.data), CHECKSUMTYPE="SHA-256")
        sub(element, q(NS, "FLocat"), LOCTYPE="URL",
            **{q(XLINK, "type"): "simple", q(XLINK, "href"): member.path})
    return {use: element.get("ID") or "" for use, element in groups.items()}


def _file_group(section: etree._Element, use: str, number: int) -> etree._Element:
    attributes = {"ID": f"grp-{number:02d}", "USE": use}
    if use.startswith("Representations/"):
        attributes |= {q(CSIP, "CONTENTINFORMATIONTYPE"): "OTHER",
                       q(CSIP, "OTHERCONTENTINFORMATIONTYPE"): CONTENT_INFORMATION}
    return sub(section, q(NS, "fileGrp"), **attributes)


def _struct_map(root: etree._Element, objid: str, groups: dict[str, str]) -> None:
    struct_map = sub(root, q(NS, "structMap"), ID="structmap-csip", TYPE="PHYSICAL",
                     LABEL="CSIP")
    top = sub(struct_map, q(NS, "div"), ID="div-package", LABEL=objid)
    sub(top, q(NS, "div"), ID="div-metadata", LABEL="Metadata", ADMID=PREMIS_ID, DMDID=DMD_ID)
    for number, (use, group_id) in enumerate(groups.items(), 1):
        division = sub(top, q(NS, "div"), ID=f"div-{number:02d}", LABEL=use)
        sub(division, q(NS, "fptr"), FILEID=group_id)


def parse_mets(xml: bytes) -> MetsIndex:
    """Every file METS lists, with the problems of the listing itself raised at once."""
    root = parse(xml, layout.METS_PATH)
    if root.tag != q(NS, "mets") or not root.get("OBJID"):
        raise PackageInvalid([f"{layout.METS_PATH}: not a METS document with an OBJID"])
    problems: list[str] = []
    entries = [_entry(ref, ref, "Metadata", problems) for ref in root.iter(q(NS, "mdRef"))]
    for group in root.iter(q(NS, "fileGrp")):
        for file_element in group.findall(q(NS, "file")):
            locator = file_element.find(q(NS, "FLocat"))
            if locator is None:
                problems.append(f"{layout.METS_PATH}: {file_element.get('ID')} has no FLocat")
                continue
            entries.append(_entry(file_element, locator, group.get("USE") or "", problems))
    paths = [entry.path for entry in entries]
    problems += [f"{layout.METS_PATH}: {path} is listed twice"
                 for path in sorted({p for p in paths if paths.count(p) > 1})]
    if problems:
        raise PackageInvalid(problems)
    return MetsIndex(objid=root.get("OBJID") or "", entries=tuple(entries))


def _entry(described: etree._Element, locator: etree._Element, group: str,
           problems: list[str]) -> MetsEntry:
    path = locator.get(q(XLINK, "href")) or ""
    checksum = (described.get("CHECKSUM") or "").lower()
    size = described.get("SIZE") or ""
    if described.get("CHECKSUMTYPE") != "SHA-256" or not is_sha256(checksum):
        problems.append(f"{layout.METS_PATH}: {path or '?'} has no SHA-256 checksum")
    if not size.isdigit():
        problems.append(f"{layout.METS_PATH}: {path or '?'} has no valid SIZE")
    if not path:
        problems.append(f"{layout.METS_PATH}: a file reference has no xlink:href")
    return MetsEntry(path=path, size=int(size) if size.isdigit() else -1, sha256=checksum,
                     media_type=described.get("MIMETYPE") or "", group=group)
