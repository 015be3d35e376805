"""Read an uploaded file: pages in parallel through analysis and OCR, then documents.

Separator sheets (SOHOA-SEP) delimit documents; cover sheets (the Mẫu 01 receipt QR) start the
documents of another dossier in a batch; blank backs are counted, not archived.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from api.page_pipeline import PageResult, process_page
from classify.classifier import PageClassifier, RuleClassifier
from classify.doctypes import DocumentTypes
from classify.rules import PageClassification
from classify.split import DocumentSpan, split_documents, whole_document
from ingest.intake import IntakeLimits
from ingest.rasterize import rasterize
from ingest.separators import SheetKind, split_batch
from ingest.sniff import MediaType
from ocr.model import OcrEngine, PageText
from ocr.parallel import map_pages


@dataclass(frozen=True)
class PlannedDossier:
    """Documents found for one dossier of the batch; ``code`` None means the uploading one."""

    code: str | None
    documents: tuple[DocumentSpan, ...]


@dataclass(frozen=True)
class ReadResult:
    pages: tuple[PageResult, ...]
    dossiers: tuple[PlannedDossier, ...]

    @property
    def documents(self) -> tuple[DocumentSpan, ...]:
        return tuple(span for d in self.dossiers for span in d.documents)

    @property
    def texts(self) -> tuple[PageText, ...]:
        return tuple(p.text for p in self.pages)

    def summary(self) -> dict[str, object]:
        def where(test: Callable[[PageResult], bool]) -> list[int]:
            return [p.text.index for p in self.pages if test(p)]

        return {
            "pages": len(self.pages),
            "blank_pages": where(lambda p: p.text.status == "blank"),
            "separator_pages": where(lambda p: p.text.status == "separator"),
            "cover_pages": where(lambda p: p.text.status == "cover"),
            "failed_pages": where(lambda p: p.text.status == "failed"),
            "rescan_pages": where(lambda p: p.analysis is not None and p.analysis.rescan),
            "text_layer_pages": where(lambda p: p.text.source == "text_layer"),
            "dossier_codes": [d.code for d in self.dossiers if d.code],
            "corrected_words": sum(len(p.text.correction.fixes) for p in self.pages
                                   if p.text.correction is not None),
        }


def read_file(
    data: bytes, media_type: MediaType, *, engine: OcrEngine, doctypes: DocumentTypes,
    dpi: int, workers: int, limits: IntakeLimits,
    on_page: Callable[[PageResult], None] | None = None,
    classifier: PageClassifier | None = None,
) -> ReadResult:
    """OCR every page, then classify and split; ``classifier`` defaults to the rules alone."""
    source_pdf = data if media_type is MediaType.PDF else None
    pages = map_pages(rasterize(data, media_type, dpi, limits.max_page_pixels),
                      lambda page: process_page(page, engine, source_pdf),
                      workers=workers, on_done=on_page)
    reader = classifier or RuleClassifier(doctypes)
    classified = [reader.classify(p.text.text) for p in pages]
    return ReadResult(pages=tuple(pages), dossiers=tuple(plan_documents(pages, classified,
                                                                        doctypes)))


def plan_documents(pages: Sequence[PageResult], classified: Sequence[PageClassification],
                   types: DocumentTypes) -> list[PlannedDossier]:
    sheets: list[SheetKind] = [p.sheet for p in pages]
    skip = [p.text.index for p in pages if p.text.status == "blank"]
    batches = split_batch(sheets, skip=skip)
    separated = any(b.separator_pages for b in batches)
    planned = []
    for batch in batches:
        spans: list[DocumentSpan] = []
        for group in batch.documents:
            own = [classified[i] for i in group]
            if separated:
                spans.append(whole_document(own, types, group))
            else:
                spans += split_documents(own, types, group)
        if spans:
            planned.append(PlannedDossier(code=batch.code, documents=tuple(spans)))
    return planned
