"""Turn an accepted file into page images, keeping any usable PDF text layer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image, ImageOps

from ingest.errors import CorruptFile
from ingest.images import open_image
from ingest.resolution import DpiSource, image_resolution
from ingest.sniff import MediaType

# Fewer characters than this on a PDF page means a scan (maybe with a stray header), not text.
MIN_TEXT_LAYER_CHARS = 30
DEFAULT_IMAGE_DPI = 300


@dataclass(frozen=True)
class PageImage:
    """One page ready for OCR: a colour or grey image and its resolution.

    ``has_text_layer`` is true when the PDF page carries enough real text to skip OCR;
    ``dpi_source`` says where ``dpi`` came from (:class:`ingest.resolution.DpiSource`).
    """

    index: int
    image: Image.Image
    dpi: int
    has_text_layer: bool = False
    dpi_source: str = DpiSource.METADATA


def rasterize(data: bytes, media_type: MediaType, dpi: int, max_pixels: int) -> Iterator[PageImage]:
    """Yield the pages of ``data`` one at a time, so a 500-page file never sits in memory."""
    if media_type is MediaType.PDF:
        yield from _pdf_pages(data, dpi, max_pixels)
    else:
        yield from _image_pages(data, max_pixels)


def _pdf_pages(data: bytes, dpi: int, max_pixels: int) -> Iterator[PageImage]:
    pdf = pdfium.PdfDocument(data)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            width_pt, height_pt = page.get_size()
            scale = dpi / 72
            _check_pixels(int(width_pt * scale) * int(height_pt * scale), max_pixels, index)
            textpage = page.get_textpage()
            has_text = textpage.count_chars() >= MIN_TEXT_LAYER_CHARS
            image = page.render(scale=scale).to_pil()
            if image.mode != "RGB":  # converting an RGB image would only copy it
                image = image.convert("RGB")
            yield PageImage(index=index, image=image, dpi=dpi, has_text_layer=has_text)
    finally:
        pdf.close()


def _image_pages(data: bytes, max_pixels: int) -> Iterator[PageImage]:
    with open_image(data) as source:
        for index in range(getattr(source, "n_frames", 1)):
            source.seek(index)
            _check_pixels(source.width * source.height, max_pixels, index)
            frame = ImageOps.exif_transpose(source)  # phone photos carry rotation in EXIF
            mode = "L" if frame.mode in ("1", "L", "I;16", "I") else "RGB"
            resolution = image_resolution(frame.width, frame.height, _declared_dpi(source),
                                          DEFAULT_IMAGE_DPI)
            yield PageImage(index=index, image=frame.convert(mode), dpi=resolution.dpi,
                            dpi_source=resolution.source)


def _declared_dpi(image: Image.Image) -> float | None:
    dpi = image.info.get("dpi")
    return float(dpi[0]) if isinstance(dpi, tuple) and dpi else None


def _check_pixels(pixels: int, max_pixels: int, index: int) -> None:
    if pixels > max_pixels:
        raise CorruptFile(
            f"Trang {index + 1} quá lớn ({pixels} điểm ảnh), vượt giới hạn {max_pixels}.",
            f"Page {index + 1} is too large ({pixels} pixels); the limit is {max_pixels}.",
            code="page_too_large",
        )
