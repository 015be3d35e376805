"""Schema of a catalogue file: one procedure (thủ tục hành chính) with its versions.

Validated with pydantic at load time; every model is frozen so stages cannot alter it.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

PROCEDURE_CODE = re.compile(r"^[1-6]\.\d{6}(?:\.H\d{2})?$")
RESULT_CODE = re.compile(r"^KQ\.[A-Z]\d{2}\.\d{6}$")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Level(StrEnum):
    XA = "xa"
    TINH = "tinh"
    BO = "bo"
    HUYEN = "huyen"  # legacy data only: the district level ended on 01/7/2025


class Channel(StrEnum):
    TRUC_TIEP = "truc_tiep"
    TRUC_TUYEN = "truc_tuyen"
    BUU_CHINH = "buu_chinh"


class TimeUnit(StrEnum):
    WORKING_DAYS = "working_days"
    DAYS = "days"
    HOURS = "hours"
    SAME_DAY = "same_day"


class Form(StrEnum):
    """Which paper is handed in: bản chính, bản sao, bản sao chứng thực, either, information."""

    BAN_CHINH = "ban_chinh"
    BAN_SAO = "ban_sao"
    BAN_SAO_CHUNG_THUC = "ban_sao_chung_thuc"
    BAN_CHINH_HOAC_BAN_SAO = "ban_chinh_hoac_ban_sao"
    THONG_TIN = "thong_tin"


class QuestionKind(StrEnum):
    CONDITION = "condition"  # does a case apply (ủy quyền, thuê nhà …)?
    LOOKUP = "lookup"  # could the data be looked up in a national database?


class Question(Frozen):
    key: str = Field(pattern=r"^[a-z0-9_]+$")
    text: str = Field(min_length=3)
    kind: QuestionKind = QuestionKind.CONDITION


class ProcessingTime(Frozen):
    value: float = Field(ge=0)
    unit: TimeUnit
    cutoff: dt.time | None = None  # received after this time counts from the next working day
    note: str | None = None


class ChannelInfo(Frozen):
    channel: Channel
    fee: str
    time: str | None = None


class ResultDocument(Frozen):
    name: str
    code: str | None = None

    @field_validator("code")
    @classmethod
    def _result_code(cls, value: str | None) -> str | None:
        if value is not None and not RESULT_CODE.match(value):
            raise ValueError(f"mã kết quả không hợp lệ: {value!r} (dạng KQ.G15.000031)")
        return value


class Component(Frozen):
    """One thành phần hồ sơ and the rule that decides whether it is needed."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=3)
    doc_types: tuple[str, ...] = Field(min_length=1)
    form: Form = Form.BAN_CHINH
    quantity: int = Field(default=1, ge=0, le=10)
    required: bool = True
    condition: str | None = None  # key of a CONDITION question; needed only when answered yes
    one_of: str | None = None  # components sharing a group: any one satisfies the group
    min_count: int = Field(default=1, ge=1, le=10)  # documents needed, e.g. 02 bộ bản vẽ
    shown_only: bool = False  # xuất trình: checked and returned, recorded as seen
    waived_by: str | None = None  # key of a LOOKUP question; yes waives the component
    channels: tuple[Channel, ...] = tuple(Channel)
    note: str | None = None


class ProcedureVersion(Frozen):
    decision: str = Field(min_length=3)  # quyết định công bố, e.g. 163/QĐ-BTP
    effective_from: dt.date
    effective_to: dt.date | None = None
    processing_time: ProcessingTime
    channels: tuple[ChannelInfo, ...] = ()
    questions: tuple[Question, ...] = ()
    components: tuple[Component, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> Self:
        keys = {q.key: q.kind for q in self.questions}
        ids: set[str] = set()
        for component in self.components:
            if component.id in ids:
                raise ValueError(f"thành phần trùng mã: {component.id}")
            ids.add(component.id)
            if component.condition and keys.get(component.condition) != QuestionKind.CONDITION:
                raise ValueError(f"{component.id}: condition {component.condition!r} không có "
                                 "trong questions (kind condition)")
            if component.waived_by and keys.get(component.waived_by) != QuestionKind.LOOKUP:
                raise ValueError(f"{component.id}: waived_by {component.waived_by!r} không có "
                                 "trong questions (kind lookup)")
            if component.condition and component.required:
                raise ValueError(f"{component.id}: thành phần có condition phải required: false")
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValueError("effective_to trước effective_from")
        return self

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)


class Procedure(Frozen):
    code: str
    name: str = Field(min_length=3)
    level: Level
    field: str = Field(pattern=r"^[a-z_]+$")
    result_documents: tuple[ResultDocument, ...] = ()
    sources: tuple[str, ...] = ()
    versions: tuple[ProcedureVersion, ...] = Field(min_length=1)

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not PROCEDURE_CODE.match(value):
            raise ValueError(f"mã TTHC không hợp lệ: {value!r} (dạng 1.001193 hoặc 1.012753.H19)")
        return value

    def version_on(self, day: dt.date) -> ProcedureVersion | None:
        """The version in force on ``day`` (the latest that started on or before it)."""
        candidates = [
            v for v in self.versions
            if v.effective_from <= day and (v.effective_to is None or day <= v.effective_to)
        ]
        return max(candidates, key=lambda v: v.effective_from, default=None)
