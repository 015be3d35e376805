"""Cross-document consistency (đối chiếu): the applicant's name, ID number and date of birth
should agree between the application form and the identity documents of a dossier."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ingest.text import fold

FIELDS = {"ho_ten": "họ và tên", "so_dinh_danh": "số định danh cá nhân",
          "ngay_sinh": "ngày sinh"}
IDENTITY_TYPES = frozenset({"cccd", "the_can_cuoc", "giay_to_tuy_than", "ho_chieu", "cmnd"})
FORM_PREFIXES = ("to_khai", "don_", "giay_de_nghi")


@dataclass(frozen=True)
class DocumentFacts:
    id: str
    doc_type: str
    doc_type_name: str
    fields: Mapping[str, str]


@dataclass(frozen=True)
class Finding:
    field: str
    values: tuple[tuple[str, str], ...]  # (document id, value as read)
    message: str

    def as_json(self) -> dict[str, object]:
        return {"field": self.field, "message": self.message,
                "values": [{"document_id": d, "value": v} for d, v in self.values]}


def _comparable(field: str, value: str) -> str:
    if field == "so_dinh_danh":
        return re.sub(r"\D", "", value)
    return fold(value)


def find_inconsistencies(documents: Sequence[DocumentFacts]) -> tuple[Finding, ...]:
    """One finding per field whose values disagree between a form and an identity document."""
    relevant = [d for d in documents
                if d.doc_type in IDENTITY_TYPES or d.doc_type.startswith(FORM_PREFIXES)]
    if not any(d.doc_type in IDENTITY_TYPES for d in relevant):
        return ()
    findings = []
    for field, label in FIELDS.items():
        read = [(d, d.fields[field]) for d in relevant if d.fields.get(field)]
        if len({_comparable(field, value) for _, value in read}) > 1:
            described = "; ".join(f"{d.doc_type_name}: «{value}»" for d, value in read)
            findings.append(Finding(field, tuple((d.id, value) for d, value in read),
                                    f"Không khớp {label} giữa các giấy tờ ({described})."))
    return tuple(findings)
