"""The two-layer page PDF: the archive image with the OCR words as invisible text over it.

Written here from the words Tesseract gave (after correction) instead of by Tesseract's own PDF
renderer: the renderer cost about 0.11 CPU s a page, and its output then had to be rewritten
twice (corrected words relabelled, the colour archive image swapped in). The text uses a
glyphless TrueType font in the same structure Tesseract and OCRmyPDF use (Type0, Identity-H,
every CID drawn with glyph 1, a ToUnicode identity map), so text extraction, search and copy
give the words back while nothing is drawn. The font program is built with fontTools, embedded
as PDF/A asks, and identical on every run.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from dataclasses import replace
from functools import cache

import pikepdf
from fontTools.fontBuilder import FontBuilder
from fontTools.misc.timeTools import timestampFromString
from fontTools.pens.ttGlyphPen import TTGlyphPen
from pikepdf import Array, Dictionary, Name
from PIL import Image

from ocr.model import PageText, Word

FONT_NAME = "GlyphLessFont"
UNITS_PER_EM = 2048
GLYPH_ADVANCE = 1024  # half an em: the 500 of /DW
FONT_DATE = "Mon Dec  7 00:00:00 2026"
# 24-bit colour or 8-bit grey JPEG; 90 keeps small print and stamps sharp at ~1 MB a 300 dpi page.
ARCHIVE_JPEG_QUALITY = 90
_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


@cache
def glyphless_font() -> bytes:
    """A TrueType font with one empty glyph half an em wide (and ``.notdef``)."""
    builder = FontBuilder(UNITS_PER_EM, isTTF=True)
    builder.setupGlyphOrder([".notdef", "space"])
    builder.setupCharacterMap({0x20: "space"})
    empty = TTGlyphPen(None).glyph()
    builder.setupGlyf({".notdef": empty, "space": empty})
    builder.setupHorizontalMetrics({".notdef": (GLYPH_ADVANCE, 0), "space": (GLYPH_ADVANCE, 0)})
    builder.setupHorizontalHeader(ascent=UNITS_PER_EM, descent=0)
    builder.setupNameTable({"familyName": FONT_NAME, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=UNITS_PER_EM, sTypoDescender=0, usWinAscent=UNITS_PER_EM,
                     usWinDescent=0)
    builder.setupPost()
    head = builder.font["head"]  # fixed dates: the same bytes on every run
    head.created = head.modified = timestampFromString(FONT_DATE)
    builder.font.recalcTimestamp = False
    buffer = io.BytesIO()
    builder.save(buffer)
    return buffer.getvalue()


@cache
def _cid_to_gid_map() -> bytes:
    return zlib.compress(b"\x00\x01" * 65536, 9)


def _font(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    program = glyphless_font()
    font_file = pdf.make_stream(program)
    font_file.Length1 = len(program)
    # Indirect objects, as Tesseract writes them: the PDF/A check walks the file's objects.
    descriptor = pdf.make_indirect(Dictionary(
        Type=Name.FontDescriptor, FontName=Name("/" + FONT_NAME), Flags=5,
        FontBBox=Array([0, 0, 500, 1000]), ItalicAngle=0, Ascent=1000, Descent=-1,
        CapHeight=1000, StemV=80, FontFile2=font_file))
    cid_map = pdf.make_stream(_cid_to_gid_map())
    cid_map.Filter = Name.FlateDecode
    descendant = pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=Name("/" + FONT_NAME),
        CIDSystemInfo=Dictionary(Registry=pikepdf.String("Adobe"),
                                 Ordering=pikepdf.String("Identity"), Supplement=0),
        FontDescriptor=descriptor, DW=500, CIDToGIDMap=cid_map))
    return pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.Type0, BaseFont=Name("/" + FONT_NAME),
        Encoding=Name("/Identity-H"), DescendantFonts=Array([descendant]),
        ToUnicode=pdf.make_stream(_TO_UNICODE)))


def _image(pdf: pikepdf.Pdf, image: Image.Image, quality: int) -> pikepdf.Stream:
    """The page picture as JPEG: DeviceRGB for colour scans, DeviceGray for grey and bilevel."""
    picture = image if image.mode in ("RGB", "L") else image.convert(
        "L" if image.mode in ("1", "I", "I;16") else "RGB")
    encoded = io.BytesIO()
    picture.save(encoded, format="JPEG", quality=quality)
    stream = pdf.make_stream(encoded.getvalue())
    stream.Type, stream.Subtype = Name.XObject, Name.Image
    stream.Width, stream.Height = picture.width, picture.height
    stream.ColorSpace = Name.DeviceRGB if picture.mode == "RGB" else Name.DeviceGray
    stream.BitsPerComponent = 8
    stream.Filter = Name.DCTDecode
    return stream


def text_lines(words: Sequence[Word]) -> list[list[Word]]:
    """Words in reading order grouped into lines: a word joins the line before it when it
    lies to the right of the last word and overlaps it vertically by half its height."""
    lines: list[list[Word]] = []
    for word in words:
        if lines:
            last = lines[-1][-1]
            top, bottom = max(word.box[1], last.box[1]), min(word.box[1] + word.box[3],
                                                             last.box[1] + last.box[3])
            if (word.box[0] >= last.box[0]
                    and bottom - top >= 0.5 * min(word.box[3], last.box[3])):
                lines[-1].append(word)
                continue
        lines.append([word])
    return lines


def _text_operators(words: Sequence[Word], page_height_px: int, scale: float) -> list[str]:
    """Invisible text (render mode 3): one font size and baseline a line, each word stretched
    horizontally (Tz) over its box, with a trailing space so extractors see word breaks."""
    ops = ["BT", "3 Tr"]
    for line in text_lines(words):
        top = min(w.box[1] for w in line)
        bottom = max(w.box[1] + w.box[3] for w in line)
        size = max((bottom - top) * scale, 1.0)
        baseline = (page_height_px - bottom) * scale
        ops.append(f"/F0 {size:.2f} Tf")
        for word in line:
            hex_text = (word.text + " ").encode("utf-16-be").hex().upper()
            units = max(len(word.text.encode("utf-16-be")) // 2, 1)
            stretch = 100 * word.box[2] * scale / (units * 0.5 * size)
            ops.append(f"1 0 0 1 {word.box[0] * scale:.2f} {baseline:.2f} Tm "
                       f"{stretch:.2f} Tz [<{hex_text}>] TJ")
    ops.append("ET")
    return ops


def two_layer_page(image: Image.Image, dpi: int, words: Sequence[Word], *,
                   jpeg_quality: int = ARCHIVE_JPEG_QUALITY) -> bytes:
    """A one-page PDF: ``image`` filling a page of its size at ``dpi``, ``words`` (boxes in
    the image's pixels) as invisible text over it. With no words it is the image alone."""
    scale = 72 / dpi
    width, height = image.width * scale, image.height * scale
    with pikepdf.new() as pdf:
        ops = [f"q {width:.2f} 0 0 {height:.2f} 0 0 cm /Im0 Do Q"]
        resources = Dictionary(XObject=Dictionary(Im0=_image(pdf, image, jpeg_quality)))
        if words:
            ops += _text_operators(words, image.height, scale)
            resources.Font = Dictionary(F0=_font(pdf))
        contents = pdf.make_stream(zlib.compress("\n".join(ops).encode("ascii"), 6))
        contents.Filter = Name.FlateDecode
        pdf.pages.append(pikepdf.Page(Dictionary(
            Type=Name.Page, MediaBox=Array([0, 0, round(width, 2), round(height, 2)]),
            Resources=resources, Contents=contents)))
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def with_page_pdf(text: PageText, image: Image.Image) -> PageText:
    """``text`` with its two-layer page PDF over ``image`` (same geometry as the OCR image).

    A page whose OCR failed or found nothing is still archived, as its image alone.
    """
    if (image.width, image.height) != (text.width, text.height):
        raise ValueError("the archive image has a different size from the OCR image")
    return replace(text, pdf=two_layer_page(image, text.dpi, text.words))
