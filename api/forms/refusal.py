"""Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ (refusal to accept a dossier for processing).

A refusal must say why: every reason is printed, numbered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable

from api.forms.model import FormDossier, InvalidFormInput, clean_texts, time_and_date
from api.forms.render import (
    FormKind,
    applicant_lines,
    build_pdf,
    form_styles,
    header,
    labelled,
    numbered,
    para,
    signatures,
    title_block,
)


def render_refusal(d: FormDossier, reasons: Sequence[str], *,
                   issued_at: dt.datetime | None = None) -> bytes:
    """Mẫu 03 for dossier ``d`` with the ``reasons`` for refusal, as A4 PDF bytes.

    ``issued_at`` (default: the intake time) dates the form.
    """
    if isinstance(reasons, str):
        reasons = [reasons]
    texts = clean_texts(reasons)
    if not texts:
        raise InvalidFormInput("Phiếu từ chối phải nêu rõ lý do.",
                               "A refusal must state at least one reason.")
    st = form_styles()
    when = issued_at or d.received_at
    story: list[Flowable] = [header(d, when, st), *title_block(FormKind.REFUSAL, d, st)]
    story.extend(applicant_lines(d, st, "Tiếp nhận hồ sơ của"))
    story.append(labelled("Ngày nộp hồ sơ", time_and_date(d.received_at), st.body))
    story.append(para(f"Qua xem xét, {d.unit_name} từ chối tiếp nhận, giải quyết hồ sơ này "
                      "với lý do cụ thể như sau:", st.body))
    story.extend(numbered([(escape(text), []) for text in texts], st))
    story.append(para("Xin thông báo cho Ông/Bà được biết và thực hiện./.", st.body))
    story.append(signatures(None, ("NGƯỜI TIẾP NHẬN HỒ SƠ", d.officer_name), st))
    return build_pdf(FormKind.REFUSAL, d, story, when)
