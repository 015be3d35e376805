"""Split a stack of classified pages into documents (tách hồ sơ thành giấy tờ).

Without separator sheets, content decides: a page that starts a document (a known title, a form
code, the national motto, or "Trang 1/…") opens a new one; other pages continue the document
before them. "Trang 2/3" keeps a page with its document even if it shows a title-like line.
With separator sheets, each group between them is one document: staff put them there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from classify.doctypes import OTHER, DocumentTypes
from classify.rules import PageClassification

REVIEW_THRESHOLD = 0.9


@dataclass(frozen=True)
class DocumentSpan:
    """Pages (indexes in the uploaded file) that form one document, and what it is."""

    pages: tuple[int, ...]
    doc_type: str
    doc_type_name: str
    confidence: float
    reason: str

    @property
    def needs_review(self) -> bool:
        return self.doc_type == OTHER or self.confidence < REVIEW_THRESHOLD


def split_documents(pages: Sequence[PageClassification], types: DocumentTypes,
                    indexes: Sequence[int] | None = None) -> list[DocumentSpan]:
    """Content split of ``pages``; ``indexes`` are their page numbers (default 0, 1, 2 …)."""
    numbers = list(indexes) if indexes is not None else list(range(len(pages)))
    spans: list[DocumentSpan] = []
    for number, page in zip(numbers, pages, strict=True):
        continues = spans and not _starts(page)
        if continues:
            last = spans[-1]
            spans[-1] = _span((*last.pages, number), last, types)
            if last.doc_type == OTHER and page.doc_type != OTHER:  # title found on a later page
                spans[-1] = _span(spans[-1].pages, page, types)
        else:
            spans.append(_span((number,), page, types))
    return spans


def whole_document(pages: Sequence[PageClassification], types: DocumentTypes,
                   indexes: Sequence[int]) -> DocumentSpan:
    """One document made of all ``pages`` (a separator-sheet group): its best-read page names it."""
    best = max(pages, key=lambda p: (p.doc_type != OTHER, p.confidence))
    return _span(tuple(indexes), best, types)


def _starts(page: PageClassification) -> bool:
    return page.starts_document


def _span(numbers: tuple[int, ...], page: PageClassification | DocumentSpan,
          types: DocumentTypes) -> DocumentSpan:
    return DocumentSpan(pages=numbers, doc_type=page.doc_type,
                        doc_type_name=types.name_of(page.doc_type),
                        confidence=page.confidence, reason=page.reason)
