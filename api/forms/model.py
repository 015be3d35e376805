"""Inputs of the one-stop forms (Mẫu 01–03, Phụ lục I of TT 03/2025/TT-VPCP), and their wording.

The forms are filled from these frozen dataclasses only; the caller (a route or the CLI) builds them
from the dossier, its completeness report and the catalogue. Every text is normalised to NFC here,
at the boundary, so the renderers never see decomposed tone marks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from ingest.errors import SohoaError
from ingest.text import nfc

VIETNAM_TIME = dt.timezone(dt.timedelta(hours=7), "ICT")  # no daylight saving in Việt Nam

FORM_LABELS = {
    "ban_chinh": "Bản chính",
    "ban_sao": "Bản sao",
    "ban_sao_chung_thuc": "Bản sao chứng thực",
    "ban_chinh_hoac_ban_sao": "Bản chính hoặc bản sao",
    "thong_tin": "Thông tin",
}


class InvalidFormInput(SohoaError):
    """The data given cannot make a lawful form (no reason for a refusal, a negative count …)."""

    code = "invalid_request"


@dataclasses.dataclass(frozen=True, slots=True)
class FormDossier:
    """The dossier (hồ sơ) a form is about, as printed in the form's header and first lines.

    ``unit_name`` is the issuing body (e.g. "Bộ phận Tiếp nhận và Trả kết quả"), ``parent_name``
    its governing body printed above it (e.g. "UBND phường Ba Đình"). Naive datetimes are taken
    as Việt Nam local time; aware ones are converted to it. ``due_at`` is the ngày hẹn trả kết
    quả, already computed from working days by the caller: a ``date`` prints the day only.
    """

    code: str
    unit_name: str
    procedure_code: str
    procedure_name: str
    received_at: dt.datetime
    due_at: dt.datetime | dt.date | None = None
    applicant_name: str | None = None
    officer_name: str | None = None
    place: str | None = None
    parent_name: str | None = None
    applicant_address: str | None = None
    applicant_phone: str | None = None
    applicant_email: str | None = None

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, str):
                object.__setattr__(self, field.name, _clean(value))
        for name in ("code", "unit_name", "procedure_name"):
            if not getattr(self, name):
                raise InvalidFormInput(f"Thiếu thông tin bắt buộc của biểu mẫu: {name}.",
                                       f"A form needs a non-empty {name}.")
        if not isinstance(self.received_at, dt.datetime):
            raise InvalidFormInput("Thời gian tiếp nhận phải gồm ngày và giờ.",
                                   "received_at must be a datetime.")


@dataclasses.dataclass(frozen=True, slots=True)
class FormLine:
    """One thành phần hồ sơ on a form: its legal name, paper form, count and, if any, a reason.

    ``form`` is a catalogue code (``ban_chinh``, ``ban_sao`` … as in ``classify.catalogue``) or
    free text, printed as given when it is not a known code.
    """

    name: str
    form: str = "ban_chinh"
    quantity: int = 1
    reason: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _clean(self.name))
        object.__setattr__(self, "form", _clean(str(self.form)))
        if self.reason is not None:
            object.__setattr__(self, "reason", _clean(self.reason) or None)
        if not self.name:
            raise InvalidFormInput("Thành phần hồ sơ phải có tên.",
                                   "A dossier component needs a name.")
        if self.quantity < 0:
            raise InvalidFormInput(f"Số lượng không hợp lệ: {self.quantity}.",
                                   f"Invalid quantity: {self.quantity}.")

    @property
    def form_label(self) -> str:
        """The paper form as printed: "Bản chính", "Bản sao" …"""
        return FORM_LABELS.get(self.form, self.form)


def clean_texts(texts: Sequence[str]) -> list[str]:
    """NFC, whitespace-collapsed, non-empty texts, in order."""
    return [text for text in (_clean(t) for t in texts) if text]


def _clean(text: str) -> str:
    """NFC, control characters dropped, runs of white space collapsed to one space."""
    printable = "".join(ch if ch.isprintable() else " " for ch in nfc(text))
    return " ".join(printable.split())


def local_time(moment: dt.datetime) -> dt.datetime:
    """``moment`` in Việt Nam local time (naive datetimes are taken as local already)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(VIETNAM_TIME)


def day_month_year(day: dt.date) -> str:
    """"ngày 05 tháng 02 năm 2025", "ngày 03 tháng 7 năm 2025" (NĐ 30/2020: a leading zero on
    days below 10 and on months 1 and 2)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(place: str | None, moment: dt.datetime) -> str:
    """The place-and-date line of an administrative document: "Hà Nội, ngày 03 tháng 7 năm 2025"."""
    date_text = day_month_year(local_time(moment).date())
    return f"{place}, {date_text}" if place else date_text[0].upper() + date_text[1:]


def time_and_date(moment: dt.datetime | dt.date | None) -> str | None:
    """"09 giờ 30 phút, ngày 03 tháng 7 năm 2025"; a bare date prints the day only."""
    if moment is None:
        return None
    if isinstance(moment, dt.datetime):
        local = local_time(moment)
        return f"{local.hour:02d} giờ {local.minute:02d} phút, {day_month_year(local.date())}"
    return day_month_year(moment)
