"""The reading copy (bản sao đọc, a DIP for users) of a dossier: one watermarked PDF.

Choice: a single PDF, not a zip, because a reading copy is for viewing in a browser, and one
file in document order (NĐ 30/2020: export a file "theo trình tự thời gian" to .pdf) with one
bookmark per document is what an auditor can open at once.

TT 05/2025 marks (DOMAIN.md §7): every page carries the name of the body centred at the bottom;
as an uncertified copy, the first page of each document carries "BẢN SAO" at the top right.
The marks are drawn by reportlab as an overlay with an embedded TrueType font that has the
Vietnamese glyphs (Liberation Serif, else DejaVu), and stamped onto each page with pikepdf, so
the scanned pages themselves are not re-encoded. On pages with /Rotate the marks still read
upright, at the bottom and top right of the page as the viewer shows it.

"Not downloadable" is a property of the viewer that serves this file, not of the file.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from pathlib import Path

import pikepdf
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from ingest.errors import CorruptFile
from storage.eark.errors import FontUnavailable, PackageMetadataInvalid
from storage.eark.model import PackageDocument, PackageDossier, ordered_documents

FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)
COPY_MARK = "BẢN SAO"
WATERMARK_SIZE = 11.0  # points; shrunk to fit narrow pages
COPY_MARK_SIZE = 13.0
MARGIN = 28.0  # points from the page edge, inside any printer's unprintable border


def build_dip(dossier: PackageDossier, documents: Sequence[PackageDocument], body_name: str,
              *, font_path: Path | None = None) -> bytes:
    """One PDF of all documents in ordinal order, every page watermarked with ``body_name``."""
    if not body_name.strip():
        raise PackageMetadataInvalid(["body_name (the body named on every page) is required"])
    font = register_font(font_path)
    ordered = ordered_documents(documents)
    with contextlib.ExitStack() as stack:
        # pikepdf copies page streams lazily: the sources stay open until the save below.
        output = stack.enter_context(pikepdf.new())
        starts: list[int] = []
        for document in ordered:
            starts.append(len(output.pages))
            output.pages.extend(_open(stack, document).pages)
        marks = _marks(output, set(starts), body_name, font)
        overlay = stack.enter_context(pikepdf.open(io.BytesIO(marks)))
        for page, stamp in zip(output.pages, overlay.pages, strict=True):
            _stamp(page, stamp)
        _bookmarks(output, ordered, starts)
        output.docinfo[pikepdf.Name.Title] = f"Bản sao đọc hồ sơ {dossier.code}"
        output.docinfo[pikepdf.Name.Author] = body_name
        buffer = io.BytesIO()
        # A fixed /ID and no dates: the same input gives the same bytes.
        output.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def register_font(font_path: Path | None = None) -> str:
    """The reportlab name of a registered TrueType font with Vietnamese glyphs."""
    candidates = (font_path,) if font_path is not None else FONT_CANDIDATES
    for path in candidates:
        if path.is_file():
            name = f"sohoa-{path.stem}"
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(path)))
            return name
    raise FontUnavailable([str(path) for path in candidates])


def _open(stack: contextlib.ExitStack, document: PackageDocument) -> pikepdf.Pdf:
    try:
        return stack.enter_context(pikepdf.open(io.BytesIO(document.pdf)))
    except pikepdf.PdfError as error:
        raise CorruptFile(f"Tệp PDF của tài liệu {document.ordinal} bị hỏng",
                          f"The PDF of document {document.ordinal} is corrupt") from error


def _marks(output: pikepdf.Pdf, first_pages: set[int], body_name: str, font: str) -> bytes:
    """A PDF with one overlay page per output page, each the visible size of that page."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)  # invariant: no dates or random IDs in the PDF
    for index, page in enumerate(output.pages):
        width, height = _visual_size(page)
        canvas.setPageSize((width, height))
        canvas.saveState()
        _watermark(canvas, body_name, font, width)
        if index in first_pages:
            canvas.setFillColorRGB(0, 0, 0)
            canvas.setFont(font, COPY_MARK_SIZE)
            canvas.drawRightString(width - MARGIN, height - MARGIN, COPY_MARK)
        canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _visual_size(page: pikepdf.Page) -> tuple[float, float]:
    """Width and height of the page as the reader sees it, after /Rotate.

    The overlay is drawn upright at this size; qpdf's placement (``invert_transformations``)
    undoes the page's rotation when stamping it.
    """
    box = pikepdf.Rectangle(page.cropbox)
    turned = int(page.obj.get(pikepdf.Name.Rotate, 0)) % 180 != 0
    return (box.height, box.width) if turned else (box.width, box.height)


def _watermark(canvas: Canvas, body_name: str, font: str, width: float) -> None:
    natural = pdfmetrics.stringWidth(body_name, font, WATERMARK_SIZE)
    size = WATERMARK_SIZE * min(1.0, (width - 2 * MARGIN) / natural) if natural else 0
    canvas.setFillColorRGB(0.35, 0.35, 0.35)  # grey: visible, yet does not pass for content
    canvas.setFont(font, size)
    canvas.drawCentredString(width / 2, MARGIN / 2, body_name)


def _stamp(page: pikepdf.Page, stamp: pikepdf.Page) -> None:
    """Draw ``stamp`` over ``page``: pikepdf's add_overlay, but with a fixed resource name.

    add_overlay names the new XObject at random, which would make every DIP differ.
    """
    form = stamp.as_form_xobject()
    name = _free_name(page, "SohoaMark")
    page.add_resource(form, pikepdf.Name.XObject, name, replace_existing=False)
    # invert_transformations undoes the page's /Rotate, so the marks read upright.
    placement = page.calc_form_xobject_placement(
        form, name, pikepdf.Rectangle(page.cropbox), invert_transformations=True,
        allow_shrink=True, allow_expand=True)
    page.contents_add(b"q\n", prepend=True)  # isolate the page's graphics state from ours
    page.contents_add(b"Q\n", prepend=False)
    page.contents_add(placement, prepend=False)
    page.contents_coalesce()


def _free_name(page: pikepdf.Page, stem: str) -> pikepdf.Name:
    taken: set[str] = set()
    for kind in page.resources.as_dict().values():
        if isinstance(kind, pikepdf.Dictionary):
            taken |= set(kind.keys())
    suffix = 0
    while f"/{stem}{suffix or ''}" in taken:
        suffix += 1
    return pikepdf.Name(f"/{stem}{suffix or ''}")


def _bookmarks(output: pikepdf.Pdf, documents: Sequence[PackageDocument],
               starts: Sequence[int]) -> None:
    with output.open_outline() as outline:
        for document, start in zip(documents, starts, strict=True):
            title = f"{document.ordinal}. {document.doc_type_name}: {document.subject}"
            outline.root.append(pikepdf.OutlineItem(title[:200], start))
