"""The document types we recognise (loại giấy tờ), loaded from ``doctypes.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ingest.text import fold, nfc

DEFAULT_PATH = Path(__file__).with_name("doctypes.yaml")
OTHER = "other"
OTHER_NAME = "Giấy tờ khác (chưa xác định)"


@dataclass(frozen=True)
class DocumentType:
    code: str
    name: str
    titles: tuple[str, ...]

    @property
    def folded_titles(self) -> tuple[str, ...]:
        return tuple(fold(t) for t in self.titles)


@dataclass(frozen=True)
class DocumentTypes:
    types: dict[str, DocumentType]

    def name_of(self, code: str) -> str:
        found = self.types.get(code)
        return found.name if found else OTHER_NAME

    def __contains__(self, code: object) -> bool:
        return code in self.types


def load_document_types(path: Path = DEFAULT_PATH) -> DocumentTypes:
    entries = yaml.safe_load(nfc(path.read_text(encoding="utf-8")))
    types = {
        e["code"]: DocumentType(code=e["code"], name=e["name"], titles=tuple(e["titles"]))
        for e in entries
    }
    return DocumentTypes(types=types)
