"""What the dossier pages show, built from the API's own ``dossier_json`` (one shape for both)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from api.usecases import dossier_json, procedure_version_of
from classify.catalogue.schema import ProcedureVersion
from classify.due_date import due_date
from storage.tables import Dossier

if TYPE_CHECKING:
    from api.services import Services

OTHER = ("other", "Khác / chưa xác định")
LOW_CONFIDENCE = 0.8


@dataclass(frozen=True)
class TypeOption:
    code: str
    name: str


@dataclass(frozen=True)
class TypeChoices:
    """The document types an officer can pick: the procedure's own first, then all the others."""

    expected: tuple[TypeOption, ...]
    others: tuple[TypeOption, ...]

    def name_of(self, code: str) -> str:
        for option in (*self.expected, *self.others):
            if option.code == code:
                return option.name
        return code


def type_choices(services: Services, version: ProcedureVersion | None) -> TypeChoices:
    names = {code: t.name for code, t in services.doctypes.types.items()}
    wanted: list[str] = []
    for component in version.components if version else ():
        wanted += [code for code in component.doc_types if code not in wanted]
    expected = tuple(TypeOption(c, names.get(c, c)) for c in wanted)
    others = [TypeOption(c, n) for c, n in names.items() if c not in wanted]
    others.sort(key=lambda o: o.name)
    return TypeChoices(expected, (*others, TypeOption(*OTHER)))


def due_of(dossier: Dossier, version: ProcedureVersion) -> dt.date | dt.datetime:
    time = version.processing_time
    return due_date(dossier.received_at, time.value, time.unit, time.cutoff)


def page_urls(document_id: str, pages: int, width: int) -> list[str]:
    return [f"/api/documents/{document_id}/pages/{n}.jpg?width={width}"
            for n in range(1, pages + 1)]


def rescan_flags(page_info: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per page that should be scanned again: its number and the Vietnamese reasons."""
    flagged = []
    for number, info in enumerate(page_info, start=1):
        if info.get("rescan"):
            reasons = [f.get("message_vi", "") for f in info.get("flags") or []]
            flagged.append({"page": number, "reasons": [r for r in reasons if r]
                            or ["Trang chất lượng thấp, nên quét lại."]})
    return flagged


FILL_IN_NAMES = {"so": "số", "ngay": "ngày", "thang": "tháng"}


def handwriting_notes(page_info: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per page whose hand-filled blanks were read again by the second engine: its number and
    what was read ("số 2191"), for the officer to check against the image."""
    notes = []
    for number, info in enumerate(page_info, start=1):
        fills = info.get("fill_ins") or []
        if fills:
            notes.append({"page": number, "readings": [
                f"{FILL_IN_NAMES.get(f['field'], f['field'])} {f['value']}" for f in fills]})
    return notes


def dossier_view(services: Services, dossier: Dossier) -> dict[str, Any]:
    """``dossier_json`` plus what a page needs: due date, component of each document, pages."""
    body = dossier_json(dossier, services.catalogue)
    version = procedure_version_of(services.catalogue, dossier)
    report = body.get("completeness") or {}
    lines = report.get("components") or []
    ordinals = {d["id"]: d["ordinal"] for d in body["documents"]}
    component_of: dict[str, str] = {}
    for line in lines:
        line["document_ordinals"] = [ordinals[i] for i in line.get("documents", [])
                                     if i in ordinals]
        for document_id in line.get("documents", []):
            component_of.setdefault(document_id, line["name"])
    forms = {c["component_id"]: c for c in body["components"]}
    for line in lines:
        line["form"] = forms.get(line["component_id"], {}).get("form")
    for document in body["documents"]:
        document["component"] = component_of.get(document["id"])
        document["thumbnails"] = page_urls(document["id"], len(document["pages"]), 240)
        document["rescan_pages"] = rescan_flags(document["page_info"] or [])
        document["handwriting"] = handwriting_notes(document["page_info"] or [])
        document["uncertain"] = (document["needs_review"]
                                 or document["confidence"] < LOW_CONFIDENCE)
    body["due"] = due_of(dossier, version)
    body["verdict"] = report.get("verdict")
    body["findings"] = report.get("findings") or []
    body["unexpected"] = [ordinals[i] for i in report.get("unexpected_documents", [])
                          if i in ordinals]
    body["missing"] = [ln for ln in lines if ln["state"] in ("missing", "uncertain")
                       and ln["required"]]
    body["busy"] = any(j["status"] not in ("done", "failed") for j in body["jobs"])
    body["choices"] = type_choices(services, version)
    names = {f.id: f.filename for f in dossier.files}
    for job_body, job in zip(body["jobs"], dossier.jobs, strict=True):
        job_body["filename"] = names.get(job.file_id, "")
    return body
