"""Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (receipt and appointment to collect the result).

Besides the printed dossier code it carries the code in a QR next to it: put on top of the paper
dossier, the receipt is the cover sheet that batch scanning splits dossiers on.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from api.forms.model import FormDossier, FormLine, time_and_date
from api.forms.qr import QrCode
from api.forms.render import (
    FRAME_WIDTH,
    FormKind,
    Styles,
    applicant_lines,
    build_pdf,
    form_styles,
    header,
    labelled,
    para,
    signatures,
    title_block,
)

QR_SIZE = 36 * mm
COMPONENT_COLUMNS = (14 * mm, FRAME_WIDTH - 66 * mm, 32 * mm, 20 * mm)


def render_receipt(d: FormDossier, received: Sequence[FormLine]) -> bytes:
    """Mẫu 01 for dossier ``d``, listing the components received, as A4 PDF bytes."""
    st = form_styles()
    story: list[Flowable] = [header(d, d.received_at, st), *title_block(FormKind.RECEIPT, d, st)]
    story.append(_applicant_with_qr(d, st))
    story.append(para("1. Thành phần hồ sơ nộp gồm:", st.body))
    story.extend([component_table(received, st), Spacer(1, 3 * mm)])
    story.append(labelled("2. Thời gian nhận hồ sơ", time_and_date(d.received_at), st.body,
                          bold=True))
    story.append(labelled("3. Thời gian trả kết quả giải quyết hồ sơ", time_and_date(d.due_at),
                          st.body, bold=True))
    story.append(signatures(("NGƯỜI NỘP HỒ SƠ", d.applicant_name),
                            ("NGƯỜI TIẾP NHẬN HỒ SƠ", d.officer_name), st))
    return build_pdf(FormKind.RECEIPT, d, story, d.received_at)


def _applicant_with_qr(d: FormDossier, st: Styles) -> Table:
    """The applicant's lines on the left, the QR of the dossier code on the right."""
    table = Table([[applicant_lines(d, st, "Tiếp nhận hồ sơ của"), QrCode(d.code, QR_SIZE)]],
                  colWidths=(FRAME_WIDTH - QR_SIZE - 4 * mm, QR_SIZE + 4 * mm))
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), st.fonts.regular),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 0), (1, 0), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def component_table(lines: Sequence[FormLine], st: Styles) -> Table:
    """STT | Tên thành phần hồ sơ | Bản chính/bản sao | Số lượng; long names wrap in their cell."""
    rows: list[list[Flowable | str]] = [[
        para("STT", st.cell_head), para("Tên thành phần hồ sơ", st.cell_head),
        para("Bản chính/ Bản sao", st.cell_head), para("Số lượng", st.cell_head),
    ]]
    for number, line in enumerate(lines, start=1):
        rows.append([para(str(number), st.cell_center), para(line.name, st.cell),
                     para(line.form_label, st.cell_center),
                     para(f"{line.quantity:02d}", st.cell_center)])
    commands: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), st.fonts.regular),
        ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
    ]
    if not lines:
        rows.append(["", Paragraph("<i>Không có thành phần hồ sơ nào.</i>", st.cell), "", ""])
    table = Table(rows, colWidths=COMPONENT_COLUMNS, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table

