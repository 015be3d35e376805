"""metadata/preservation/PREMIS.xml: PREMIS 3.0 objects, events and agents of one AIP.

Objects: the dossier as an intellectual entity (identified by the package OBJID and the mã hồ
sơ), then one file object per content file with its SHA-256 fixity, size, media type and, for
originals, the name it had at intake (originalName). Events: the dossier's own events in the
order given (ingestion, OCR, classification, corrections, archiving …), then the creation of
this package. Agents: the software and people named by the events, sohoa with its version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lxml import etree

from storage.eark import layout
from storage.eark.errors import PackageInvalid, PackageMetadataInvalid
from storage.eark.model import PackageDossier, PackageEvent, Software, sha256_hex
from storage.eark.xmlutil import XSI, child_text, parse, q, serialize, sub, timestamp

NS = "http://www.loc.gov/premis/v3"
SCHEMA_LOCATION = f"{NS} http://www.loc.gov/standards/premis/v3/premis.xsd"
PACKAGE_EVENT_ID = "event-aip"
PACKAGE_EVENT_TYPE = "information package creation"


@dataclass(frozen=True)
class PremisRecord:
    """What the reader needs back from PREMIS."""

    events: tuple[PackageEvent, ...]
    original_names: Mapping[str, str]
    digests: Mapping[str, str]


def write_premis(objid: str, dossier: PackageDossier, members: Sequence[layout.Member],
                 original_names: Mapping[str, str], software: Software) -> bytes:
    root = etree.Element(q(NS, "premis"), {"version": "3.0",
                                           q(XSI, "schemaLocation"): SCHEMA_LOCATION},
                         nsmap={"premis": NS, "xsi": XSI})
    _entity(root, objid, dossier)
    for member in members:
        _file_object(root, member, original_names.get(member.path))
    agents = _agent_ids(dossier.events, software)
    for index, event in enumerate(dossier.events, 1):
        _event(root, f"event-{index:04d}", event, agents[(event.agent, event.agent_type)], objid)
    package_event = PackageEvent(
        kind=PACKAGE_EVENT_TYPE, at=dossier.archived_at, agent=software.name,
        detail=f"E-ARK CSIP 2.0.4 AIP (TT 05/2025/TT-BNV) built by {software.name} "
               f"{software.version}")
    _event(root, PACKAGE_EVENT_ID, package_event, agents[(software.name, "software")], objid)
    for (name, agent_type), agent_id in agents.items():
        version = software.version if (name, agent_type) == (software.name, "software") else None
        _agent(root, agent_id, name, agent_type, version)
    return serialize(root)


def _identifier(parent: etree._Element, kind: str, id_type: str, value: str) -> None:
    identifier = sub(parent, q(NS, f"{kind}Identifier"))
    sub(identifier, q(NS, f"{kind}IdentifierType"), id_type)
    sub(identifier, q(NS, f"{kind}IdentifierValue"), value)


def _entity(root: etree._Element, objid: str, dossier: PackageDossier) -> None:
    entity = sub(root, q(NS, "object"), **{q(XSI, "type"): "premis:intellectualEntity"})
    _identifier(entity, "object", "URN", objid)
    _identifier(entity, "object", "mã hồ sơ", dossier.code)


def _file_object(root: etree._Element, member: layout.Member, original_name: str | None) -> None:
    element = sub(root, q(NS, "object"), **{q(XSI, "type"): "premis:file"})
    _identifier(element, "object", "filepath", member.path)
    characteristics = sub(element, q(NS, "objectCharacteristics"))
    sub(characteristics, q(NS, "compositionLevel"), "0")
    fixity = sub(characteristics, q(NS, "fixity"))
    sub(fixity, q(NS, "messageDigestAlgorithm"), "SHA-256")
    sub(fixity, q(NS, "messageDigest"), sha256_hex(member.data))
    sub(fixity, q(NS, "messageDigestOriginator"), "sohoa")
    sub(characteristics, q(NS, "size"), str(len(member.data)))
    designation = sub(sub(characteristics, q(NS, "format")), q(NS, "formatDesignation"))
    sub(designation, q(NS, "formatName"), member.media_type)
    if original_name is not None:
        sub(element, q(NS, "originalName"), original_name)


def _agent_ids(events: Sequence[PackageEvent], software: Software) -> dict[tuple[str, str], str]:
    """One agent per (name, type), numbered in order of first appearance, sohoa first."""
    keys = [(software.name, "software")] + [(e.agent, e.agent_type) for e in events]
    unique = list(dict.fromkeys(keys))
    return {key: f"agent-{index:03d}" for index, key in enumerate(unique, 1)}


def _event(root: etree._Element, event_id: str, event: PackageEvent, agent_id: str,
           objid: str) -> None:
    element = sub(root, q(NS, "event"))
    _identifier(element, "event", "local", event_id)
    sub(element, q(NS, "eventType"), event.kind)
    sub(element, q(NS, "eventDateTime"), timestamp(event.at))
    if event.detail:
        sub(sub(element, q(NS, "eventDetailInformation")), q(NS, "eventDetail"), event.detail)
    sub(sub(element, q(NS, "eventOutcomeInformation")), q(NS, "eventOutcome"), event.outcome)
    _linking(element, "linkingAgentIdentifier", "local", agent_id)
    _linking(element, "linkingObjectIdentifier", "URN", objid)


def _linking(parent: etree._Element, tag: str, id_type: str, value: str) -> None:
    link = sub(parent, q(NS, tag))
    sub(link, q(NS, f"{tag}Type"), id_type)
    sub(link, q(NS, f"{tag}Value"), value)


def _agent(root: etree._Element, agent_id: str, name: str, agent_type: str,
           version: str | None) -> None:
    element = sub(root, q(NS, "agent"))
    _identifier(element, "agent", "local", agent_id)
    sub(element, q(NS, "agentName"), name)
    sub(element, q(NS, "agentType"), agent_type)
    if version is not None:
        sub(element, q(NS, "agentVersion"), version)


def parse_premis(xml: bytes) -> PremisRecord:
    root = parse(xml, layout.PREMIS_PATH)
    if root.tag != q(NS, "premis"):
        raise PackageInvalid([f"{layout.PREMIS_PATH}: not a PREMIS 3 document"])
    problems: list[str] = []
    agents = _read_agents(root)
    read = [_read_event(element, agents, problems) for element in root.findall(q(NS, "event"))
            if _value(element, "eventIdentifier") != PACKAGE_EVENT_ID]
    names: dict[str, str] = {}
    digests: dict[str, str] = {}
    for element in root.findall(q(NS, "object")):
        path = _value(element, "objectIdentifier")
        if element.get(q(XSI, "type")) != "premis:file" or path is None:
            continue
        digests[path] = (element.findtext(f".//{q(NS, 'messageDigest')}") or "").lower()
        original = child_text(element, q(NS, "originalName"))
        if original is not None:
            names[path] = original
    if problems:
        raise PackageInvalid(problems)
    events = tuple(event for event in read if event is not None)
    return PremisRecord(events=events, original_names=names, digests=digests)


def _value(element: etree._Element, kind: str) -> str | None:
    return element.findtext(f"{q(NS, kind)}/{q(NS, kind + 'Value')}")


def _read_agents(root: etree._Element) -> dict[str, tuple[str, str]]:
    return {_value(a, "agentIdentifier") or "": (a.findtext(q(NS, "agentName")) or "",
                                                 a.findtext(q(NS, "agentType")) or "")
            for a in root.findall(q(NS, "agent"))}


def _read_event(element: etree._Element, agents: Mapping[str, tuple[str, str]],
                problems: list[str]) -> PackageEvent | None:
    event_id = _value(element, "eventIdentifier") or "?"
    name, agent_type = agents.get(_value(element, "linkingAgentIdentifier") or "", ("", ""))
    when = element.findtext(q(NS, "eventDateTime")) or ""
    try:
        return PackageEvent(kind=element.findtext(q(NS, "eventType")) or "",
                            at=dt.datetime.fromisoformat(when), agent=name,
                            agent_type=agent_type,
                            outcome=element.findtext(f".//{q(NS, 'eventOutcome')}") or "",
                            detail=element.findtext(f".//{q(NS, 'eventDetail')}") or "")
    except ValueError:
        problems.append(f"{layout.PREMIS_PATH}: {event_id} has an invalid eventDateTime")
    except PackageMetadataInvalid as error:
        problems.extend(f"{layout.PREMIS_PATH}: {event_id}: {p}" for p in error.problems)
    return None
