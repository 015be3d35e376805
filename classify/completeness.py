"""Completeness of a dossier against its procedure version (kiểm tra thành phần hồ sơ).

A pure function: procedure version + classified documents + the officer's answers + channel →
report. A dossier is never ``complete`` while an applicable required component is missing or
matched only by documents the machine is unsure of.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from classify.catalogue.schema import Channel, Component, ProcedureVersion


class State(StrEnum):
    SATISFIED = "satisfied"
    MISSING = "missing"
    UNCERTAIN = "uncertain"
    NOT_APPLICABLE = "not_applicable"
    WAIVED = "waived"
    SHOWN = "shown"


class Verdict(StrEnum):
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"
    NEEDS_REVIEW = "needs_review"


@dataclass(frozen=True)
class DocumentEvidence:
    """A classified document as completeness sees it."""

    id: str
    doc_type: str
    doc_type_name: str
    confidence: float
    needs_review: bool


@dataclass(frozen=True)
class ComponentLine:
    component_id: str
    name: str
    state: State
    explanation: str
    documents: tuple[str, ...]
    required: bool


@dataclass(frozen=True)
class CompletenessReport:
    verdict: Verdict
    lines: tuple[ComponentLine, ...]
    unexpected: tuple[str, ...]  # ids of documents that match no component
    decision: str  # the procedure version checked against
    channel: Channel

    def as_json(self) -> dict[str, object]:
        return {
            "verdict": self.verdict.value,
            "decision": self.decision,
            "channel": self.channel.value,
            "components": [
                {"component_id": ln.component_id, "name": ln.name, "state": ln.state.value,
                 "required": ln.required, "explanation": ln.explanation,
                 "documents": list(ln.documents)}
                for ln in self.lines
            ],
            "unexpected_documents": list(self.unexpected),
        }


def check_completeness(
    version: ProcedureVersion,
    documents: Sequence[DocumentEvidence],
    answers: Mapping[str, bool],
    channel: Channel = Channel.TRUC_TIEP,
) -> CompletenessReport:
    used: set[str] = set()
    raw = [_judge(c, documents, answers, channel, used) for c in version.components]
    lines = _resolve_one_of_groups(version.components, raw)
    unexpected = tuple(d.id for d in documents if d.id not in used)
    return CompletenessReport(
        verdict=_verdict(lines), lines=tuple(lines), unexpected=unexpected,
        decision=version.decision, channel=channel,
    )


def _judge(
    component: Component,
    documents: Sequence[DocumentEvidence],
    answers: Mapping[str, bool],
    channel: Channel,
    used: set[str],
) -> ComponentLine:
    def line(state: State, why: str, docs: tuple[str, ...] = (), required: bool = True
             ) -> ComponentLine:
        return ComponentLine(component.id, component.name, state, why, docs, required)

    if channel not in component.channels:
        return line(State.NOT_APPLICABLE, "Không áp dụng cho hình thức nộp này.", required=False)
    if component.condition is not None and not answers.get(component.condition, False):
        asked = ("trả lời «không»" if component.condition in answers
                 else "chưa trả lời (mặc định: không)")
        return line(State.NOT_APPLICABLE, f"Chỉ cần khi điều kiện áp dụng; câu hỏi {asked}.",
                    required=False)
    matches = [d for d in documents if d.doc_type in component.doc_types and d.id not in used]
    sure = [d for d in matches if not d.needs_review][: component.min_count]
    if len(sure) >= component.min_count:
        used.update(d.id for d in sure)
        state = State.SHOWN if component.shown_only else State.SATISFIED
        return line(state, _found(sure), tuple(d.id for d in sure))
    if component.waived_by is not None and answers.get(component.waived_by, False):
        return line(State.WAIVED, "Miễn nộp: đã khai thác được dữ liệu từ cơ sở dữ liệu "
                    f"({component.waived_by}).", required=False)
    if component.shown_only and answers.get(f"xuat_trinh_{component.id}", False):
        return line(State.SHOWN, "Cán bộ đã kiểm tra bản xuất trình và trả lại.")
    if matches:
        picked = matches[: component.min_count]
        used.update(d.id for d in picked)
        return line(State.UNCERTAIN, "Có giấy tờ có thể khớp nhưng máy chưa chắc chắn: "
                    f"{_found(picked)} Cần cán bộ xác nhận.", tuple(d.id for d in picked))
    return line(State.MISSING, _missing_reason(component), required=component.required or
                component.condition is not None)


def _found(docs: Sequence[DocumentEvidence]) -> str:
    described = ", ".join(f"{d.doc_type_name} (độ tin cậy {d.confidence:.0%})" for d in docs)
    return f"Đã có: {described}."


def _missing_reason(component: Component) -> str:
    if component.min_count > 1:
        return f"Thiếu: cần {component.min_count:02d} bộ/bản, chưa đủ."
    if component.shown_only:
        return "Chưa xuất trình: cán bộ cần kiểm tra bản chính hoặc chụp lại."
    return "Thiếu: chưa có giấy tờ nào trong hồ sơ khớp thành phần này."


def _resolve_one_of_groups(
    components: Sequence[Component], lines: list[ComponentLine]
) -> list[ComponentLine]:
    """Members of a satisfied one-of group stop being missing; a missing group says so once."""
    resolved = list(lines)
    groups: dict[str, list[int]] = {}
    for i, component in enumerate(components):
        if component.one_of:
            groups.setdefault(component.one_of, []).append(i)
    for members in groups.values():
        states = [lines[i].state for i in members]
        names = "; ".join(components[i].name for i in members)
        done = {State.SATISFIED, State.SHOWN, State.WAIVED}
        for i in members:
            ln = lines[i]
            if any(s in done for s in states) and ln.state not in done:
                resolved[i] = _replace(ln, State.NOT_APPLICABLE,
                                       "Không cần: đã có giấy tờ thay thế trong cùng nhóm.", False)
            elif ln.state is State.MISSING and State.UNCERTAIN in states:
                resolved[i] = _replace(ln, State.NOT_APPLICABLE, "Chưa cần: một giấy tờ khác "
                                       "trong cùng nhóm đang chờ xác nhận.", False)
            elif ln.state is State.MISSING:
                resolved[i] = _replace(ln, State.MISSING, f"Thiếu: cần một trong: {names}.",
                                       ln.required)
    return resolved


def _replace(line: ComponentLine, state: State, why: str, required: bool) -> ComponentLine:
    return ComponentLine(line.component_id, line.name, state, why, line.documents, required)


def _verdict(lines: Sequence[ComponentLine]) -> Verdict:
    required = [ln for ln in lines if ln.required]
    if any(ln.state is State.MISSING for ln in required):
        return Verdict.INCOMPLETE
    if any(ln.state is State.UNCERTAIN for ln in required):
        return Verdict.NEEDS_REVIEW
    return Verdict.COMPLETE
