"""Search over documents and dossiers (tìm kiếm): OCR text and metadata, Vietnamese folding.

SQLite uses FTS5, PostgreSQL tsvector + GIN (tables made by migration 0004); the same query gives
the same answer on both. Public API::

    search(session, SearchQuery(text='"khai sinh" lúa', units=("000.00.15.H05",))) -> SearchResult
    index_document(session, document_id)   # after a document is added or changed
    index_dossier(session, dossier_id)     # after a dossier is created or its status changes
    remove_document(session, document_id) / remove_dossier(session, dossier_id)
    reindex_all(session) -> int            # rebuild everything (after migrating old data)

Index functions write in the caller's transaction and never commit. Errors: InvalidQuery
(code "invalid_query", HTTP 400). Snippets are plain segments: escape them (``render``).
"""

from storage.search.engine import search
from storage.search.index import (
    index_document,
    index_dossier,
    reindex_all,
    remove_document,
    remove_dossier,
)
from storage.search.model import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    MAX_QUERY_CHARS,
    RESULT_WINDOW,
    FacetCount,
    Hit,
    InvalidQuery,
    SearchQuery,
    SearchResult,
    Segment,
    render,
)

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "MAX_QUERY_CHARS",
    "RESULT_WINDOW",
    "FacetCount",
    "Hit",
    "InvalidQuery",
    "SearchQuery",
    "SearchResult",
    "Segment",
    "index_document",
    "index_dossier",
    "reindex_all",
    "remove_document",
    "remove_dossier",
    "render",
    "search",
]
