"""Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (request to supplement or complete a dossier).

Lists every missing or incomplete component by its legal name (as in the catalogue), numbered,
each with the reason. Issuing it stops the processing clock until the citizen comes back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable

from api.forms.model import FormDossier, FormLine, InvalidFormInput, time_and_date
from api.forms.render import (
    FormKind,
    Styles,
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


def render_supplement_request(d: FormDossier, missing: Sequence[FormLine], *,
                              issued_at: dt.datetime | None = None) -> bytes:
    """Mẫu 02 for dossier ``d`` asking for the ``missing`` components, as A4 PDF bytes.

    ``issued_at`` (default: the intake time) dates the form; a request made while the dossier
    is processed carries the day it is made.
    """
    if not missing:
        raise InvalidFormInput("Phiếu yêu cầu bổ sung phải nêu ít nhất một thành phần hồ sơ.",
                               "A supplement request must list at least one component.")
    st = form_styles()
    when = issued_at or d.received_at
    story: list[Flowable] = [header(d, when, st), *title_block(FormKind.SUPPLEMENT, d, st)]
    story.extend(applicant_lines(d, st, "Hồ sơ của"))
    story.append(labelled("Ngày tiếp nhận hồ sơ", time_and_date(d.received_at), st.body))
    story.append(para("Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", st.body))
    story.extend(numbered([_item(line, st) for line in missing], st))
    contact = f"{d.officer_name} ({d.unit_name})" if d.officer_name else d.unit_name
    story.append(para("Trong quá trình bổ sung, hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên "
                      f"hệ với {contact} để được hướng dẫn.", st.body))
    story.append(signatures(None, ("NGƯỜI HƯỚNG DẪN", d.officer_name), st))
    return build_pdf(FormKind.SUPPLEMENT, d, story, when)


def _item(line: FormLine, st: Styles) -> tuple[str, list[Flowable]]:
    """"<b>name</b> (Bản sao, số lượng: 01)" and the reason under it."""
    markup = (f"<b>{escape(line.name)}</b> ({escape(line.form_label.lower())}, "
              f"số lượng: {line.quantity:02d})")
    reason = line.reason or "Chưa nộp thành phần hồ sơ này."
    return markup, [labelled("Lý do", reason, st.item_detail)]
