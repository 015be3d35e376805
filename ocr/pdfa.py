"""PDF/A-2b archive copies of two-layer PDFs (TT 05/2025/TT-BNV Điều 8: PDF/A, image + OCR text).

Input is what :func:`ocr.pdf.assemble_pdf` makes from the page PDFs of :mod:`ocr.pagepdf`: a
page image and an invisible text layer in an embedded glyphless font (FontFile2, widths
consistent with its 2048-unit glyph). PDF/A-2b then needs XMP metadata that identifies the part
and conformance and agrees with the Info dictionary, an output intent for the device colours, a
file ID and no encryption; that is all done here with pikepdf, offline. Pages copied from a
born-digital PDF may break other PDF/A rules (fonts not embedded, scripts); they are refused
with a reason, never passed off as PDF/A.

The output is deterministic: the same PDF and metadata give the same bytes, so a retried
archive write stores the same content-addressed object.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import pikepdf
from pikepdf import Name
from PIL import ImageCms

from ingest.errors import SohoaError

SRGB_CONDITION = "sRGB IEC61966-2.1"
# Dossier codes and archive codes are dotted/dashed ASCII; anything else cannot name a file.
SAFE_CODE_RE = re.compile(r"^[0-9A-Za-z](?:[0-9A-Za-z._-]{0,98}[0-9A-Za-z])?$")
_ID_NAMESPACE = uuid.UUID("1b1d8bd4-93a6-5b0e-9a57-0e8a4f1f6c2a")
FONT_FILE_KEYS = ("/FontFile", "/FontFile2", "/FontFile3")
FORBIDDEN_FILTERS = frozenset({"/LZWDecode"})


class PdfaError(SohoaError):
    code = "pdfa_not_convertible"


@dataclass(frozen=True)
class ArchiveMetadata:
    """Descriptive metadata written into the archive copy (XMP and the Info dictionary).

    ``digitized_at`` must carry its time zone (Vietnam time, ISO 8601, as TT 05 asks);
    ``creator`` is the digitizing body (cơ quan, tổ chức số hóa); ``ordinal`` the document's
    number within the dossier (None when the whole dossier is one PDF).
    """

    title: str
    dossier_code: str
    document_type: str
    creator: str
    digitized_at: datetime
    ordinal: int | None = None
    producer: str = "sohoa"
    language: str = "vi"
    keywords: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.digitized_at.tzinfo is None:
            raise ValueError("digitized_at must be timezone-aware (Vietnam time, +07:00)")
        if not self.title.strip():
            raise ValueError("an archive copy needs a title")

    @property
    def identifier(self) -> str:
        """The archive identifier: file name without ``.pdf`` (mã hồ sơ[.số thứ tự])."""
        return archive_filename(self.dossier_code, self.ordinal).removesuffix(".pdf")


def archive_filename(dossier_code: str, ordinal: int | None) -> str:
    """TT 05/2025 file name: ``mã hồ sơ`` + ``.`` + document ordinal, e.g. ``H49.64.33.2001.160.1``
    → ``H49.64.33.2001.160.1.pdf``; a dossier digitized as one PDF is named by its code alone.
    """
    if not SAFE_CODE_RE.match(dossier_code):
        raise ValueError(f"dossier code cannot name a file: {dossier_code!r}")
    if ordinal is None:
        return f"{dossier_code}.pdf"
    if ordinal < 1:
        raise ValueError(f"document ordinals start at 1, got {ordinal}")
    return f"{dossier_code}.{ordinal}.pdf"


@cache
def srgb_icc() -> bytes:
    """An sRGB ICC profile built by LittleCMS (display class, version 4: PDF/A-2 accepts ≤ 4)."""
    return bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())


def _dictionaries(doc: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every dictionary in the file: the indirect objects and the direct ones nested in them
    (a font may be written inline in a page's /Resources, which ``doc.objects`` never lists)."""
    stack: list[pikepdf.Object] = list(doc.objects)
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Stream):
            children = list(obj.stream_dict.values())
        elif isinstance(obj, pikepdf.Dictionary):
            yield obj
            children = list(obj.values())
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            continue
        stack.extend(c for c in children if isinstance(c, pikepdf.Dictionary | pikepdf.Array)
                     and not c.is_indirect)


def _font_problems(doc: pikepdf.Pdf) -> list[str]:
    """Every font object in the file (pages, forms, annotations) must carry its program."""
    problems: set[str] = set()
    for obj in _dictionaries(doc):
        if obj.get("/Type") != Name.Font:
            continue
        if obj.get("/Subtype") in (Name.Type0, Name.Type3):
            continue  # Type0 is checked through its descendant; Type3 glyphs are content
        descriptor = obj.get("/FontDescriptor", pikepdf.Dictionary())
        if not any(key in descriptor for key in FONT_FILE_KEYS):
            problems.add(f"phông chữ {obj.get('/BaseFont')} không được nhúng / "
                         "font not embedded")
    return sorted(problems)


def _object_problems(doc: pikepdf.Pdf) -> list[str]:
    problems: set[str] = set()
    names = doc.Root.get("/Names", pikepdf.Dictionary())
    if "/JavaScript" in names or "/AA" in doc.Root:
        problems.add("có mã JavaScript/hành động tự động / JavaScript or actions present")
    if "/EmbeddedFiles" in names:
        problems.add("có tệp đính kèm / embedded files present")
    for obj in doc.objects:
        if isinstance(obj, pikepdf.Stream):
            filters = obj.get("/Filter")
            chain = filters if isinstance(filters, pikepdf.Array) else [filters]
            if any(str(f) in FORBIDDEN_FILTERS for f in chain if f is not None):
                problems.add("có luồng nén LZW / LZW-compressed stream")
    return sorted(problems)


def conformance_problems(doc: pikepdf.Pdf) -> list[str]:
    """What in ``doc`` this converter cannot make PDF/A-2b (empty: convertible)."""
    return _font_problems(doc) + _object_problems(doc)


def _set_output_intent(doc: pikepdf.Pdf) -> None:
    """One sRGB output intent: every page uses DeviceRGB/DeviceGray, which PDF/A ties to it."""
    profile = doc.make_stream(srgb_icc())
    profile.N = 3
    intent = pikepdf.Dictionary(
        Type=Name.OutputIntent, S=Name.GTS_PDFA1, DestOutputProfile=profile,
        OutputConditionIdentifier=pikepdf.String(SRGB_CONDITION),
        Info=pikepdf.String(SRGB_CONDITION), RegistryName=pikepdf.String("http://www.color.org"))
    doc.Root.OutputIntents = pikepdf.Array([doc.make_indirect(intent)])


def _description(meta: ArchiveMetadata) -> str:
    number = f", tài liệu số {meta.ordinal}" if meta.ordinal is not None else ""
    return f"{meta.document_type}. Hồ sơ {meta.dossier_code}{number}. Số hóa: {meta.creator}."


def _set_metadata(doc: pikepdf.Pdf, meta: ArchiveMetadata, source_digest: str) -> None:
    """XMP with only predefined schemas (no extension schema needed) and the Info mirror."""
    if "/Info" in doc.trailer:
        del doc.trailer.Info  # Tesseract's Producer/Title would disagree with the XMP
    when = meta.digitized_at.isoformat(timespec="seconds")
    with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as xmp:
        xmp["pdfaid:part"] = "2"
        xmp["pdfaid:conformance"] = "B"
        xmp["dc:title"] = meta.title
        xmp["dc:creator"] = [meta.creator]
        xmp["dc:description"] = _description(meta)
        xmp["dc:identifier"] = meta.identifier
        xmp["dc:source"] = meta.dossier_code
        xmp["dc:type"] = [meta.document_type]
        xmp["dc:language"] = [meta.language]
        if meta.keywords:
            xmp["pdf:Keywords"] = ", ".join(meta.keywords)
        xmp["xmp:CreateDate"] = when
        xmp["xmp:ModifyDate"] = when
        xmp["xmp:MetadataDate"] = when
        xmp["xmp:CreatorTool"] = meta.producer
        xmp["pdf:Producer"] = f"{meta.producer}; pikepdf {pikepdf.__version__}"
        # Same document → same DocumentID; each distinct rendition → its own InstanceID.
        xmp["xmpMM:DocumentID"] = f"uuid:{uuid.uuid5(_ID_NAMESPACE, meta.identifier)}"
        xmp["xmpMM:InstanceID"] = f"uuid:{uuid.uuid5(_ID_NAMESPACE, source_digest)}"


def to_pdfa(pdf: bytes, meta: ArchiveMetadata) -> bytes:
    """Return ``pdf`` as PDF/A-2b with ``meta``; raise :class:`PdfaError` if it cannot be."""
    digest = hashlib.sha256(pdf + repr(meta).encode()).hexdigest()
    try:
        doc = pikepdf.open(io.BytesIO(pdf))
    except pikepdf.PdfError as exc:
        raise PdfaError("Tệp PDF hỏng, không chuyển được sang PDF/A.",
                        f"Corrupt PDF, cannot convert to PDF/A: {exc}") from exc
    with doc:
        problems = conformance_problems(doc)
        if problems:
            raise PdfaError(
                "Không chuyển được sang PDF/A-2b: " + "; ".join(problems),
                "Cannot convert to PDF/A-2b: " + "; ".join(problems))
        _set_output_intent(doc)
        _set_metadata(doc, meta, digest)
        buffer = io.BytesIO()
        # No encryption (PDF/A forbids it); a content-derived /ID keeps the output reproducible;
        # PDF 1.7 is the base of PDF/A-2 (pikepdf.new() would leave a 1.3 header).
        doc.save(buffer, deterministic_id=True, encryption=False, min_version="1.7")
    return buffer.getvalue()


@dataclass(frozen=True)
class PageImageInfo:
    """The largest image on a page, as TT 05 judges a digitized page: colour, depth, dpi."""

    page: int
    width: int
    height: int
    colour_space: str
    bits_per_component: int
    dpi: tuple[float, float]

    @property
    def is_24_bit_colour(self) -> bool:
        return self.colour_space in ("/DeviceRGB", "/ICCBased3") and self.bits_per_component == 8


def _colour_space(image: pikepdf.Stream) -> str:
    space = image.get("/ColorSpace")
    if isinstance(space, pikepdf.Array) and len(space) and space[0] == Name.ICCBased:
        return f"/ICCBased{int(space[1].get('/N', 0))}"
    return str(space)


def _page_images(page: pikepdf.Page) -> list[pikepdf.Stream]:
    xobjects = page.Resources.get("/XObject", pikepdf.Dictionary())
    return [v for v in xobjects.values()
            if isinstance(v, pikepdf.Stream) and v.get("/Subtype") == Name.Image]


def inspect_pages(pdf: bytes) -> tuple[PageImageInfo, ...]:
    """Colour and resolution of each page's main image (pages without images are left out).

    Resolution is image pixels over the page size in inches (the scan fills the page).
    """
    found: list[PageImageInfo] = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            images = _page_images(page)
            if not images:
                continue
            image = max(images, key=lambda i: int(i.Width) * int(i.Height))
            box = [float(v) for v in page.mediabox]
            width, height = int(image.Width), int(image.Height)
            inches = ((box[2] - box[0]) / 72, (box[3] - box[1]) / 72)
            found.append(PageImageInfo(
                page=number, width=width, height=height, colour_space=_colour_space(image),
                bits_per_component=int(image.get("/BitsPerComponent", 0)),
                dpi=(round(width / inches[0], 1), round(height / inches[1], 1))))
    return tuple(found)
