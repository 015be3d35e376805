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
    """One filing channel as published: fee and time as printed on the portal (free text)."""

    channel: Channel
    fee: str
    time: str | None = None  # None where the portal says "Không có thông tin"
    note: str | None = None


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
    """One thành phần hồ sơ and the rule that decides whether it is needed.

    ``quantity`` is the number of copies (bản) the published list asks for, printed on the
    checklist; ``min_count`` is how many distinct documents the checker needs (02 bộ bản vẽ, the
    IDs of both spouses). ``doc_types`` lists every document type that satisfies the component.
    """

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=3)
    doc_types: tuple[str, ...] = Field(min_length=1)
    form: Form = Form.BAN_CHINH
    quantity: int = Field(default=1, ge=0, le=10)
    required: bool = True
    condition: str | None = None  # key of a CONDITION question; needed only when answered yes
    one_of: str | None = Field(default=None, pattern=r"^[a-z0-9_]+$")  # any member satisfies
    min_count: int = Field(default=1, ge=1, le=10)  # documents needed, e.g. 02 bộ bản vẽ
    shown_only: bool = False  # xuất trình: checked and returned, recorded as seen
    waived_by: str | None = None  # key of a LOOKUP question; yes waives the component
    channels: tuple[Channel, ...] = Field(default=tuple(Channel), min_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if len(set(self.doc_types)) != len(self.doc_types):
            raise ValueError(f"{self.id}.doc_types: loại giấy tờ bị lặp")
        if len(set(self.channels)) != len(self.channels):
            raise ValueError(f"{self.id}.channels: hình thức nộp bị lặp")
        if self.condition and self.required:
            raise ValueError(f"{self.id}.required: thành phần có condition phải required: false")
        if (self.form is Form.THONG_TIN) != (self.quantity == 0):
            raise ValueError(f"{self.id}.quantity: form thong_tin (chỉ cung cấp thông tin) đi với "
                             "quantity 0, và chỉ nó")
        if self.form is Form.THONG_TIN and self.required and not self.waived_by:
            raise ValueError(f"{self.id}.form: thành phần thong_tin không được bắt buộc vô điều "
                             "kiện; đặt required: false, condition hoặc waived_by")
        return self


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
        _check_unique("channels", [c.channel.value for c in self.channels])
        _check_unique("questions", [q.key for q in self.questions])
        _check_unique("components", [c.id for c in self.components])
        kinds = {q.key: q.kind for q in self.questions}
        used: set[str] = set()
        for i, component in enumerate(self.components):
            where = f"components.{i} ({component.id})"
            for attr, kind in (("condition", QuestionKind.CONDITION),
                               ("waived_by", QuestionKind.LOOKUP)):
                key = getattr(component, attr)
                if key is None:
                    continue
                used.add(key)
                if kinds.get(key) != kind:
                    raise ValueError(f"{where}.{attr}: câu hỏi {key!r} không có trong questions "
                                     f"(kind {kind.value})")
        unused = [q.key for q in self.questions if q.key not in used]
        if unused:
            raise ValueError(f"questions: câu hỏi không được thành phần nào dùng: {unused}")
        _check_one_of_groups(self.components)
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValueError("effective_to: trước effective_from")
        return self

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)


class Procedure(Frozen):
    code: str
    name: str = Field(min_length=3)
    level: Level
    field: str = Field(pattern=r"^[a-z_]+$")
    result_documents: tuple[ResultDocument, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)  # provenance: portal record, legal texts
    versions: tuple[ProcedureVersion, ...] = Field(min_length=1)

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not PROCEDURE_CODE.match(value):
            raise ValueError(f"mã TTHC không hợp lệ: {value!r} (dạng 1.001193 hoặc 1.012753.H19)")
        return value

    @model_validator(mode="after")
    def _distinct_versions(self) -> Self:
        _check_unique("versions.decision", [v.decision for v in self.versions])
        _check_unique("versions.effective_from", [v.effective_from.isoformat()
                                                  for v in self.versions])
        return self

    def version_on(self, day: dt.date) -> ProcedureVersion | None:
        """The version in force on ``day`` (the latest that started on or before it)."""
        candidates = [
            v for v in self.versions
            if v.effective_from <= day and (v.effective_to is None or day <= v.effective_to)
        ]
        return max(candidates, key=lambda v: v.effective_from, default=None)


def _check_unique(field: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{field}: giá trị bị trùng: {value!r}")
        seen.add(value)


def _check_one_of_groups(components: tuple[Component, ...]) -> None:
    """Members of a one_of group are alternatives for one need, so they must apply alike."""
    groups: dict[str, list[Component]] = {}
    for component in components:
        if component.one_of:
            groups.setdefault(component.one_of, []).append(component)
    for name, members in groups.items():
        ids = [m.id for m in members]
        if len(members) < 2:
            raise ValueError(f"one_of {name!r}: nhóm chỉ có một thành phần ({ids[0]}); "
                             "cần ít nhất hai lựa chọn")
        for attr in ("required", "condition", "channels"):
            values = {m.id: _comparable(getattr(m, attr)) for m in members}
            if len(set(values.values())) > 1:
                raise ValueError(f"one_of {name!r}: các thành phần {ids} phải cùng {attr} "
                                 f"(đang là {values})")


def _comparable(value: object) -> object:
    if isinstance(value, tuple):
        return ",".join(sorted(str(v) for v in value))
    return value
