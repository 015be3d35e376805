"""Small lxml helpers shared by the METS, EAD and PREMIS writers and readers."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from storage.eark.errors import PackageInvalid

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XLINK = "http://www.w3.org/1999/xlink"


def q(namespace: str, tag: str) -> str:
    """Clark notation ``{namespace}tag`` for lxml."""
    return f"{{{namespace}}}{tag}"


def sub(parent: etree._Element, tag: str, text: str | None = None,
        **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def serialize(root: etree._Element) -> bytes:
    # Pretty-printed for the archivist who opens the file; the output is still deterministic.
    etree.indent(root, space="  ")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def parse(data: bytes, path: str) -> etree._Element:
    """Parse untrusted XML: no DTDs, no entity expansion, no network."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise PackageInvalid([f"{path}: not well-formed XML ({error})"]) from error


def timestamp(value: dt.datetime) -> str:
    """ISO 8601 with the offset kept, as TT 05 asks for times (Vietnam time stays +07:00)."""
    return value.isoformat()


def child_text(element: etree._Element, tag: str) -> str | None:
    found = element.find(tag)
    if found is None:
        return None
    return found.text or ""
