"""Page images of archived documents (thumbnails and the viewer) and the dossier's reading copy.

A page image is rendered from the archived PDF/A with pypdfium2, read through the services'
object store; a copy whose integrity check failed is refused, as its download is.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict

import pypdfium2 as pdfium
from flask import Blueprint, Response, request
from flask.typing import ResponseReturnValue

from api.context import app_context
from api.packages import export_dip
from api.routes.documents import FIXITY_VI, IntegrityFailed, key_name
from api.web.access import guard, load_document, load_dossier
from ingest.errors import SohoaError
from storage.tables import ArchiveObject

bp = Blueprint("web_media", __name__)
WIDTHS = (120, 240, 480, 900, 1400)
CACHE_SIZE = 256


class PageNotFound(SohoaError):
    code = "not_found"


class _ImageCache:
    """The last rendered page images, keyed by the PDF's SHA-256, page and width."""

    def __init__(self, size: int) -> None:
        self._items: OrderedDict[tuple[str, int, int], bytes] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[str, int, int]) -> bytes | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, int, int], image: bytes) -> None:
        with self._lock:
            self._items[key] = image
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


_cache = _ImageCache(CACHE_SIZE)


def nearest_width(asked: int | None) -> int:
    """One of a few fixed widths, so the cache stays small and nobody asks for a huge render."""
    if not asked:
        return WIDTHS[1]
    return min(WIDTHS, key=lambda w: abs(w - asked))


def render_page_jpeg(pdf: bytes, index: int, width: int) -> bytes:
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[index]
        scale = width / page.get_width()
        image = page.render(scale=scale).to_pil().convert("RGB")
        page.close()
        if image.width != width:  # pdfium rounds the scaled size up
            image = image.resize((width, max(1, round(image.height * width / image.width))))
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()


@bp.get("/api/documents/<document_id>/pages/<int:number>.jpg")
@guard("document.reading_copy", audit=None)  # part of the audited page that shows it
def page_image(document_id: str, number: int) -> ResponseReturnValue:
    services = app_context().services
    width = nearest_width(request.args.get("width", type=int))
    with services.session() as session:
        document = load_document(session, document_id)
        pages, key, digest = len(document.pages), document.pdf_key, document.pdf_sha256
        stored = session.get(ArchiveObject, key)
        if stored is not None and stored.fixity_status in ("missing", "altered"):
            raise IntegrityFailed(
                f"Bản lưu trữ {key_name(key)} không còn nguyên vẹn "
                f"({FIXITY_VI[stored.fixity_status]}); không hiển thị.",
                f"The archived copy {key_name(key)} failed its integrity check; not shown.")
    if not 1 <= number <= pages:
        raise PageNotFound(f"Giấy tờ không có trang {number}.",
                           f"The document has no page {number}.")
    cache_key = (digest, number, width)
    image = _cache.get(cache_key)
    if image is None:
        image = render_page_jpeg(services.store.get(key), number - 1, width)
        _cache.put(cache_key, image)
    return Response(image, mimetype="image/jpeg", headers={
        "Cache-Control": "private, max-age=3600", "ETag": f'"{digest[:16]}-{number}-{width}"'})


@bp.get("/tra-cuu/ho-so/<dossier_id>/ban-doc.pdf")
@guard("document.reading_copy", audit="view")
def reading_copy(dossier_id: str) -> ResponseReturnValue:
    """The watermarked reading copy (DIP) of the whole dossier, one PDF."""
    services = app_context().services
    with services.session() as session:
        code = load_dossier(session, dossier_id).code
    pdf = export_dip(services, code)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{code}.ban-doc.pdf"'})
