"""Split a stack of classified pages into documents.

Foundation rule: a page whose title matches a known type starts a new document; any other page
continues the document before it. A stack that starts without a title becomes an ``other``
document that needs review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from classify.doctypes import OTHER, DocumentTypes
from classify.rules import PageClassification

REVIEW_THRESHOLD = 0.9


@dataclass(frozen=True)
class DocumentSpan:
    """Consecutive pages that form one document (giấy tờ) and what it is."""

    pages: tuple[int, ...]
    doc_type: str
    doc_type_name: str
    confidence: float
    reason: str

    @property
    def needs_review(self) -> bool:
        return self.doc_type == OTHER or self.confidence < REVIEW_THRESHOLD


def split_documents(
    pages: Sequence[PageClassification], types: DocumentTypes
) -> list[DocumentSpan]:
    spans: list[DocumentSpan] = []
    for index, page in enumerate(pages):
        if spans and not page.is_title_page:
            last = spans[-1]
            spans[-1] = DocumentSpan(
                pages=(*last.pages, index), doc_type=last.doc_type,
                doc_type_name=last.doc_type_name, confidence=last.confidence, reason=last.reason,
            )
            continue
        spans.append(DocumentSpan(
            pages=(index,), doc_type=page.doc_type, doc_type_name=types.name_of(page.doc_type),
            confidence=page.confidence, reason=page.reason,
        ))
    return spans
