"""Write a dossier's archive to S3: one PDF, text and OCR JSON per document, then a manifest.

Keys are derived from the dossier and content, so a retried job rewrites the same objects
instead of adding new ones. The manifest is written last and lists every object with its
SHA-256: its presence means the archive is whole.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from classify.split import DocumentSpan
from ocr.model import PageText
from storage.s3 import ObjectStore, StoredObject

MANIFEST_VERSION = 1


@dataclass(frozen=True)
class DossierRef:
    id: str
    code: str
    unit: str
    procedure_code: str
    received_at: dt.datetime

    @property
    def prefix(self) -> str:
        return f"{self.unit}/{self.received_at:%Y}/{self.code}"


@dataclass(frozen=True)
class DocumentToArchive:
    ordinal: int
    span: DocumentSpan
    pages: tuple[PageText, ...]
    pdf: bytes


@dataclass(frozen=True)
class ArchivedDocument:
    ordinal: int
    pdf: StoredObject
    text: StoredObject
    ocr: StoredObject


@dataclass(frozen=True)
class ArchiveResult:
    documents: tuple[ArchivedDocument, ...]
    manifest: StoredObject


def original_key(ref: DossierRef, sha256: str, extension: str) -> str:
    return f"{ref.prefix}/originals/{sha256}.{extension}"


def archive_documents(
    store: ObjectStore,
    ref: DossierRef,
    documents: Sequence[DocumentToArchive],
    earlier: Sequence[tuple[str, StoredObject]],
    provenance: Mapping[str, object],
) -> ArchiveResult:
    """Store each document, then the manifest of everything the dossier holds.

    ``earlier`` lists (role, object) already archived for the dossier (originals, documents of
    previous uploads), so the manifest always describes the whole dossier.
    """
    archived = tuple(_store_document(store, ref, doc) for doc in documents)
    entries = list(earlier)
    for doc in archived:
        entries += [("document_pdf", doc.pdf), ("document_text", doc.text),
                    ("document_ocr", doc.ocr)]
    stored = write_manifest(store, ref, entries, provenance)
    return ArchiveResult(documents=archived, manifest=stored)


def write_manifest(store: ObjectStore, ref: DossierRef,
                   entries: Sequence[tuple[str, StoredObject]],
                   provenance: Mapping[str, object],
                   archival: Mapping[str, object] | None = None) -> StoredObject:
    """(Re)write the dossier's manifest; each write is a new version in a versioned bucket."""
    body = _manifest(ref, [e for e in entries if e[0] != "manifest"], provenance, archival)
    return store.put(f"{ref.prefix}/manifest.json", body, "application/json")


def _store_document(store: ObjectStore, ref: DossierRef, doc: DocumentToArchive
                    ) -> ArchivedDocument:
    # TT 05/2025: file name = mã hồ sơ + "." + document ordinal.
    base = f"{ref.prefix}/documents/{ref.code}.{doc.ordinal}"
    meta = {"dossier-code": ref.code, "doc-type": doc.span.doc_type,
            "title": doc.span.doc_type_name}
    pdf = store.put(f"{base}.pdf", doc.pdf, "application/pdf", meta)
    text = "\n\f\n".join(p.text for p in doc.pages).encode("utf-8")
    txt = store.put(f"{base}.txt", text, "text/plain; charset=utf-8", meta)
    ocr_json = json.dumps({"pages": [p.as_json() for p in doc.pages]}, ensure_ascii=False)
    ocr = store.put(f"{base}.ocr.json", ocr_json.encode("utf-8"), "application/json", meta)
    return ArchivedDocument(ordinal=doc.ordinal, pdf=pdf, text=txt, ocr=ocr)


def _manifest(ref: DossierRef, entries: Sequence[tuple[str, StoredObject]],
              provenance: Mapping[str, object],
              archival: Mapping[str, object] | None = None) -> bytes:
    body = {
        "manifest_version": MANIFEST_VERSION,
        "dossier_code": ref.code,
        "dossier_id": ref.id,
        "unit": ref.unit,
        "procedure_code": ref.procedure_code,
        "received_at": ref.received_at.isoformat(),
        "written_at": dt.datetime.now(dt.UTC).isoformat(),
        "provenance": dict(provenance),
        "archival": dict(archival) if archival else None,
        "objects": [
            {"key": obj.key, "role": role, "sha256": obj.sha256, "size": obj.size,
             "media_type": obj.media_type}
            for role, obj in entries
        ],
    }
    return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")
