"""What the one-stop forms share: A4 page, styles, the two-column official header, the title,
signature blocks, numbered lists, and building the PDF with its metadata.

Layout follows NĐ 30/2020/NĐ-CP for administrative documents: issuing body top left in capitals,
national motto top right, the place-and-date line in italics below the motto, Times-like serif
type of 13 pt, margins 20 mm top and bottom, 30 mm left, 20 mm right.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from api.forms.fonts import FontSet, form_fonts
from api.forms.model import FormDossier, local_time, place_and_date
from ingest.text import nfc

MARGINS = {"leftMargin": 30 * mm, "rightMargin": 20 * mm,
           "topMargin": 20 * mm, "bottomMargin": 20 * mm}
FRAME_WIDTH = A4[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"]
HEADER_COLUMNS = (66 * mm, FRAME_WIDTH - 66 * mm)
LEGAL_BASIS = "Phụ lục I, Thông tư số 03/2025/TT-VPCP"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_SUB = "Độc lập - Tự do - Hạnh phúc"
DOTS = "…" * 12  # room to fill in by hand


class FormKind(Enum):
    """The three forms this package prints: (number, title in capitals)."""

    RECEIPT = ("01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
    SUPPLEMENT = ("02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")
    REFUSAL = ("03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ")

    @property
    def number(self) -> str:
        return self.value[0]

    @property
    def title(self) -> str:
        return self.value[1]


@dataclasses.dataclass(frozen=True, slots=True)
class Styles:
    """Paragraph styles of the forms, all in the embedded serif family."""

    fonts: FontSet
    body: ParagraphStyle
    issuer: ParagraphStyle
    motto: ParagraphStyle
    motto_sub: ParagraphStyle
    dateline: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_head: ParagraphStyle
    item: ParagraphStyle
    item_detail: ParagraphStyle
    sign_head: ParagraphStyle
    sign_note: ParagraphStyle


@functools.cache
def form_styles(fonts: FontSet | None = None) -> Styles:
    """Styles built on the registered font family (found and registered on first use)."""
    fonts = fonts or form_fonts()
    base = ParagraphStyle("body", fontName=fonts.regular, fontSize=13, leading=17,
                          alignment=TA_JUSTIFY, spaceAfter=3)

    def derive(name: str, **changes: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **changes)

    motto_size = min(12.5, (HEADER_COLUMNS[1] - 8) / pdfmetrics.stringWidth(MOTTO, fonts.bold, 1))
    return Styles(
        fonts=fonts, body=base,
        issuer=derive("issuer", fontSize=12, leading=15, alignment=TA_CENTER, spaceAfter=0),
        motto=derive("motto", fontName=fonts.bold, fontSize=motto_size, leading=15,
                     alignment=TA_CENTER, spaceAfter=0),
        motto_sub=derive("motto_sub", fontName=fonts.bold, fontSize=13, leading=16,
                         alignment=TA_CENTER, spaceAfter=0),
        dateline=derive("dateline", fontName=fonts.italic, alignment=TA_CENTER),
        title=derive("title", fontName=fonts.bold, fontSize=14, leading=18,
                     alignment=TA_CENTER, spaceBefore=10, spaceAfter=2),
        subtitle=derive("subtitle", fontName=fonts.bold, alignment=TA_CENTER, spaceAfter=8),
        cell=derive("cell", fontSize=12, leading=15, alignment=TA_LEFT, spaceAfter=0),
        cell_center=derive("cell_center", fontSize=12, leading=15, alignment=TA_CENTER,
                           spaceAfter=0),
        cell_head=derive("cell_head", fontName=fonts.bold, fontSize=12, leading=15,
                         alignment=TA_CENTER, spaceAfter=0),
        item=derive("item", leftIndent=8 * mm, bulletIndent=0, spaceAfter=2,
                    bulletFontName=fonts.regular, bulletFontSize=13),
        item_detail=derive("item_detail", leftIndent=8 * mm, spaceAfter=6),
        sign_head=derive("sign_head", fontName=fonts.bold, alignment=TA_CENTER, spaceAfter=0),
        sign_note=derive("sign_note", fontName=fonts.italic, fontSize=12, alignment=TA_CENTER),
    )


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: NFC, and markup characters (<, >, &) escaped."""
    return Paragraph(escape(nfc(text)), style)


def labelled(label: str, value: str | None, style: ParagraphStyle, bold: bool = False) -> Paragraph:
    """"Label: value", with dots to fill in by hand when the value is unknown."""
    shown = escape(value) if value else DOTS
    if bold and value:
        shown = f"<b>{shown}</b>"
    return Paragraph(f"{escape(nfc(label))}: {shown}", style)


def upper(text: str) -> str:
    """Capitals as the header prints them (Python upper-cases đ, ư, ơ and tone marks right)."""
    return nfc(text.upper())


def header(d: FormDossier, issued_at: dt.datetime, st: Styles) -> Table:
    """Issuing body | national motto, then the place-and-date line under the motto."""
    left: list[Flowable] = []
    if d.parent_name:
        left.append(para(upper(d.parent_name), st.issuer))
    left.append(Paragraph(f"<b>{escape(upper(d.unit_name))}</b>", st.issuer))
    left.append(HRFlowable(width=28 * mm, thickness=0.6, spaceBefore=2, hAlign="CENTER"))
    right: list[Flowable] = [
        para(MOTTO, st.motto),
        para(MOTTO_SUB, st.motto_sub),
        HRFlowable(width=44 * mm, thickness=0.6, spaceBefore=2, hAlign="CENTER"),
    ]
    date_line = para(place_and_date(d.place, issued_at), st.dateline)
    table = Table([[left, right], ["", date_line]], colWidths=HEADER_COLUMNS)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), st.fonts.regular),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 1), (-1, 1), 8),
    ]))
    return table


def title_block(kind: FormKind, d: FormDossier, st: Styles) -> list[Flowable]:
    """The form title in capitals and the dossier code (mã hồ sơ) under it."""
    return [para(kind.title, st.title),
            Paragraph(f"Mã hồ sơ: {escape(d.code)}", st.subtitle)]


def applicant_lines(d: FormDossier, st: Styles, label: str) -> list[Flowable]:
    """Who filed the dossier and how to reach them, then what they ask for."""
    lines: list[Flowable] = [labelled(label, d.applicant_name, st.body, bold=True)]
    if d.applicant_address:
        lines.append(labelled("Địa chỉ", d.applicant_address, st.body))
    contact = [f"Số điện thoại: {d.applicant_phone}" if d.applicant_phone else "",
               f"Email: {d.applicant_email}" if d.applicant_email else ""]
    if any(contact):
        lines.append(para("    ".join(part for part in contact if part), st.body))
    procedure = f"{d.procedure_name} (mã thủ tục {d.procedure_code})" if d.procedure_code \
        else d.procedure_name
    lines.append(labelled("Nội dung yêu cầu giải quyết", procedure, st.body))
    return lines


def numbered(items: Sequence[tuple[str, Sequence[Flowable]]], st: Styles) -> list[Flowable]:
    """Items numbered 1., 2., …: each a first paragraph (markup, already escaped) and what
    follows it, indented under it and kept on the same page."""
    story: list[Flowable] = []
    for number, (markup, rest) in enumerate(items, start=1):
        first = Paragraph(markup, st.item, bulletText=f"{number}.")
        story.append(KeepTogether([first, *rest]))
    return story


def signatures(left: tuple[str, str | None] | None, right: tuple[str, str | None],
               st: Styles) -> KeepTogether:
    """Signature blocks: role in capitals, "(Ký và ghi rõ họ tên)", room to sign, the name."""

    def block(role: str, name: str | None) -> list[Flowable]:
        return [para(role, st.sign_head), para("(Ký và ghi rõ họ tên)", st.sign_note),
                Spacer(1, 20 * mm), Paragraph(f"<b>{escape(name)}</b>" if name else "",
                                              st.sign_head)]

    cells = [block(*left) if left else "", block(*right)]
    table = Table([cells], colWidths=(FRAME_WIDTH / 2, FRAME_WIDTH / 2))
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), st.fonts.regular),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, -1), 6)]))
    return KeepTogether([table])


def build_pdf(kind: FormKind, d: FormDossier, story: list[Flowable],
              issued_at: dt.datetime) -> bytes:
    """The A4 PDF of one form: fonts embedded, metadata set, bytes identical for equal input."""
    st = form_styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, **MARGINS,
        title=f"{kind.title.capitalize()} – {d.code}",
        subject=f"Mẫu số {kind.number} ({LEGAL_BASIS}): {d.procedure_code} {d.procedure_name}",
        author=d.unit_name, creator="sohoa", producer="sohoa (reportlab)",
        keywords=[d.code, d.procedure_code, f"Mẫu số {kind.number}"],
        lang="vi-VN", displayDocTitle=True, invariant=True,
        initialFontName=st.fonts.regular, initialFontSize=13, initialLeading=17,
    )
    footer = _footer(kind, d, st)
    doc.build(story, onFirstPage=footer, onLaterPages=footer,
              canvasmaker=_dated_canvas(issued_at))
    return buffer.getvalue()


def _footer(kind: FormKind, d: FormDossier, st: Styles) -> Callable[[Canvas, Any], None]:
    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(st.fonts.italic, 9)
        text = f"Mẫu số {kind.number}, {LEGAL_BASIS} · Mã hồ sơ: {d.code} · Trang {doc.page}"
        canvas.drawCentredString(MARGINS["leftMargin"] + FRAME_WIDTH / 2, 10 * mm, nfc(text))
        canvas.restoreState()

    return draw


def _dated_canvas(issued_at: dt.datetime) -> Callable[..., Canvas]:
    """A canvas whose PDF creation date is the form's date, so output depends on input only."""
    local = local_time(issued_at)
    offset = local.utcoffset() or dt.timedelta(hours=7)
    hours, minutes = divmod(int(offset.total_seconds()) // 60, 60)
    stamp = f"D:{local:%Y%m%d%H%M%S}{hours:+03d}'{minutes:02d}'"

    def make(*args: Any, **kwargs: Any) -> Canvas:
        canvas = Canvas(*args, **kwargs)
        canvas.setDateFormatter(lambda *_: stamp)
        return canvas

    return make
