"""One portal record → a draft catalogue entry (bản nháp) for a person to review.

A draft is deliberately not a :class:`classify.catalogue.schema.Procedure`: the portal text cannot
say which components are conditional, one-of or waived by a lookup, so a reviewer curates the
draft into a catalogue file by hand. The draft keeps the raw facts close to the schema's names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from classify.catalogue.schema import PROCEDURE_CODE, Form, Level
from classify.portal.channels import ChannelRow, parse_channels
from classify.portal.components import ComponentGroup, ComponentRow, parse_components
from classify.portal.fields import (
    LegalBasis,
    ResultDocument,
    clean_title,
    field_slug,
    parse_legal_bases,
    parse_levels,
    parse_results,
)
from ingest.text import nfc

REQUIRED_KEYS = ("ma_thu_tuc", "ten_thu_tuc")
EXPECTED_KEYS = ("so_quyet_dinh", "cap_thuc_hien", "linh_vuc", "cach_thuc_thuc_hien",
                 "thanh_phan_ho_so", "ket_qua_xu_ly", "can_cu_phap_ly")
NO_INFO = "Không có thông tin"


class RecordError(ValueError):
    """The record cannot become a draft at all (not an object, no valid code, no name)."""


@dataclass(frozen=True)
class Suspect:
    """A value the parser repaired or doubts, with the reason, for the reviewer and the report."""

    file: str
    code: str
    field: str
    text: str
    reason: str


@dataclass(frozen=True)
class DraftProcedure:
    source_file: str  # relative to the import's source folder, e.g. "bo-tu-phap/1.001193.json"
    source_url: str | None
    code: str
    name: str
    levels: tuple[Level, ...]
    other_levels: tuple[str, ...]  # "Cơ quan khác": not a level of the catalogue
    field: str
    field_name: str
    decision: str | None
    channels: tuple[ChannelRow, ...]
    component_groups: tuple[ComponentGroup, ...]
    result_documents: tuple[ResultDocument, ...]
    legal_bases: tuple[LegalBasis, ...]
    warnings: tuple[str, ...]

    @property
    def components(self) -> tuple[ComponentRow, ...]:
        return tuple(row for group in self.component_groups for row in group.rows)

    def suspects(self) -> tuple[Suspect, ...]:
        found = [Suspect(self.source_file, self.code, "thanh_phan_ho_so", row.name, row.suspect)
                 for row in self.components if row.suspect]
        found += [Suspect(self.source_file, self.code, "cach_thuc_thuc_hien",
                          f"{row.channel.value}: {row.time} / {row.fee}", row.suspect)
                  for row in self.channels if row.suspect]
        found += [Suspect(self.source_file, self.code, "ket_qua_xu_ly", doc.name, doc.suspect)
                  for doc in self.result_documents if doc.suspect]
        return tuple(found)


def parse_record(data: object, source_file: str) -> DraftProcedure:
    """Parse one decoded JSON record; raises :class:`RecordError` when it cannot be a draft."""
    if not isinstance(data, Mapping):
        raise RecordError(f"bản ghi không phải đối tượng JSON mà là {type(data).__name__}")
    code = _required(data, "ma_thu_tuc")
    if not PROCEDURE_CODE.match(code):
        raise RecordError(f"mã thủ tục không hợp lệ: {code!r}")
    name = clean_title(_required(data, "ten_thu_tuc"), code)
    levels, other_levels = parse_levels(_text(data, "cap_thuc_hien"))
    field_name = " ".join(_text(data, "linh_vuc").split())
    channels = parse_channels(_text(data, "cach_thuc_thuc_hien"))
    groups = parse_components(_text(data, "thanh_phan_ho_so"))
    decision = _optional(_text(data, "so_quyet_dinh"))
    return DraftProcedure(
        source_file=source_file, source_url=_optional(_text(data, "detail_url")), code=code,
        name=name, levels=levels, other_levels=other_levels, field=field_slug(field_name),
        field_name=field_name, decision=decision, channels=channels, component_groups=groups,
        result_documents=parse_results(_text(data, "ket_qua_xu_ly")),
        legal_bases=parse_legal_bases(_text(data, "can_cu_phap_ly")),
        warnings=_warnings(data, source_file, code, decision, channels, groups),
    )


def component_form(row: ComponentRow) -> Form | None:
    """The schema's Form from the portal's counts; None when the row had no quantity."""
    if row.originals is None or row.copies is None:
        return None
    if row.originals and row.copies:
        return Form.BAN_CHINH_HOAC_BAN_SAO  # "1 bản chính,1 bản sao": reviewer decides which
    if row.copies:
        return Form.BAN_SAO
    if row.originals:
        return Form.BAN_CHINH
    return Form.THONG_TIN  # "0 bản chính": a rule or explanation, not a paper


def _required(data: Mapping[str, object], key: str) -> str:
    if key not in data:
        raise RecordError(f"thiếu trường bắt buộc {key!r}")
    value = _text(data, key).strip()
    if not value or value == NO_INFO:
        raise RecordError(f"trường bắt buộc {key!r} rỗng")
    return value


def _text(data: Mapping[str, object], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordError(f"trường {key!r} không phải chuỗi mà là {type(value).__name__}")
    return nfc(value)


def _optional(value: str) -> str | None:
    value = " ".join(value.split())
    return value if value and value != NO_INFO else None


def _warnings(data: Mapping[str, object], source_file: str, code: str, decision: str | None,
              channels: tuple[ChannelRow, ...], groups: tuple[ComponentGroup, ...]
              ) -> tuple[str, ...]:
    found = [f"thiếu trường {key!r}" for key in EXPECTED_KEYS if key not in data]
    stem = re.sub(r"\.json$", "", source_file.rsplit("/", 1)[-1])
    if stem != code:
        found.append(f"tên tệp {stem!r} khác mã thủ tục {code!r}")
    if decision and "UBND" in decision:
        # e.g. a "Người có công" record filed under bo-cong-an: a province published it.
        found.append(f"quyết định công bố {decision!r} là của UBND (thủ tục địa phương?)")
    if not groups:
        found.append("không tách được thành phần hồ sơ nào")
    if not channels:
        found.append("không đọc được cách thức thực hiện (kênh, thời hạn, phí)")
    times = {row.time for row in channels}
    if len(times) > 1:
        listed = ", ".join(f"{row.channel.value} {row.time}" for row in channels)
        found.append(f"thời hạn khác nhau theo kênh: {listed}")
    return tuple(found)
