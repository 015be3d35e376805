"""Completeness of a dossier against its procedure version (kiểm tra thành phần hồ sơ).

A pure function: procedure version + classified documents + the officer's answers + channel →
report. A dossier is never ``complete`` while an applicable required component (or required
one-of group) has no confident matching document and is neither waived nor shown.

Answers are keyed by question key (``uy_quyen``: a condition; ``tra_cuu_cu_tru``: a lookup that
waives a component) and by ``xuat_trinh_<component id>`` for a paper the officer saw and handed
back. A shown paper counts only at the counter (``truc_tiep``): online and by post the paper
itself, an upload or a certified copy, must be in the dossier.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
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


DONE = frozenset({State.SATISFIED, State.SHOWN, State.WAIVED})


def shown_answer_key(component_id: str) -> str:
    """The answer that records a paper shown at the counter (xuất trình) for a component."""
    return f"xuat_trinh_{component_id}"


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
    """One component's state; ``required`` says whether it blocks the verdict in this dossier."""

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

    def line(self, component_id: str) -> ComponentLine:
        return next(ln for ln in self.lines if ln.component_id == component_id)


@dataclass(frozen=True)
class _Case:
    """How the answers and the channel bear on one component."""

    channel_ok: bool
    condition: bool | None  # None: no condition, or not answered
    blocking: bool  # required in this dossier unless waived or shown
    waived: bool
    shown: bool


def check_completeness(
    version: ProcedureVersion,
    documents: Sequence[DocumentEvidence],
    answers: Mapping[str, bool],
    channel: Channel = Channel.TRUC_TIEP,
) -> CompletenessReport:
    components = version.components
    cases = [_case(c, answers, channel) for c in components]
    # Blocking components pick their documents first, so an optional one never takes them.
    order = sorted(range(len(components)), key=lambda i: not cases[i].blocking)
    unused = list(documents)
    judged: dict[int, ComponentLine] = {}
    for i in order:
        judged[i] = _judge(version, components[i], cases[i], unused)
    lines = _resolve_one_of_groups(components, [judged[i] for i in range(len(components))])
    lines = _attach_extra_copies(components, lines, unused)
    return CompletenessReport(
        verdict=_verdict(lines), lines=tuple(lines), unexpected=tuple(d.id for d in unused),
        decision=version.decision, channel=channel,
    )


def _case(component: Component, answers: Mapping[str, bool], channel: Channel) -> _Case:
    condition = answers.get(component.condition) if component.condition else None
    channel_ok = channel in component.channels
    return _Case(
        channel_ok=channel_ok,
        condition=condition,
        blocking=channel_ok and (component.required or condition is True),
        waived=component.waived_by is not None and answers.get(component.waived_by) is True,
        shown=(component.shown_only and channel is Channel.TRUC_TIEP
               and answers.get(shown_answer_key(component.id)) is True),
    )


def _judge(version: ProcedureVersion, component: Component, case: _Case,
           unused: list[DocumentEvidence]) -> ComponentLine:
    """Decide one component's state, taking the documents it uses out of ``unused``."""
    def line(state: State, why: str, docs: Sequence[DocumentEvidence] = ()) -> ComponentLine:
        return ComponentLine(component.id, component.name, state, why,
                             tuple(d.id for d in docs), case.blocking)

    if not case.channel_ok:
        return line(State.NOT_APPLICABLE, "Không áp dụng cho hình thức nộp này.")
    matches = [d for d in unused if d.doc_type in component.doc_types]
    if component.condition and case.condition is not True:
        asked = _question_text(version, component.condition)
        if case.condition is False or not matches:
            answer = ("Trả lời: «không»." if case.condition is False
                      else "Câu hỏi chưa trả lời (mặc định: không).")
            return line(State.NOT_APPLICABLE, f"Chỉ cần khi: {asked} {answer}")
    result = _weigh(version, component, case, matches)
    used = result.documents_used(matches)
    for doc in used:
        unused.remove(doc)
    why = result.why
    if component.condition and case.condition is None:
        asked = _question_text(version, component.condition)
        why += f" Lưu ý: có giấy tờ khớp nhưng câu hỏi «{asked}» chưa được trả lời."
    elif not case.blocking and result.state is State.MISSING:
        why = "Không bắt buộc (nộp nếu có); chưa có trong hồ sơ."
    return line(result.state, why, used)


@dataclass(frozen=True)
class _Weighed:
    state: State
    why: str
    count: int  # how many of the matches (confident ones first) the component takes

    def documents_used(self, matches: Sequence[DocumentEvidence]) -> list[DocumentEvidence]:
        return _confident_first(matches)[: self.count]


def _weigh(version: ProcedureVersion, component: Component, case: _Case,
           matches: Sequence[DocumentEvidence]) -> _Weighed:
    need = component.min_count
    sure = [d for d in matches if not d.needs_review]
    if len(sure) >= need:
        state = State.SHOWN if component.shown_only else State.SATISFIED
        return _Weighed(state, _found(_confident_first(matches)[:need]), need)
    if case.waived and component.waived_by:
        asked = _question_text(version, component.waived_by)
        return _Weighed(State.WAIVED, f"Miễn nộp: đã tra cứu được dữ liệu ({component.waived_by}: "
                        f"{asked} - có).", len(matches))
    if case.shown:
        return _Weighed(State.SHOWN, "Cán bộ đã kiểm tra bản chính xuất trình, ghi nhận và trả "
                        "lại cho người nộp.", len(matches))
    if len(matches) >= need:
        picked = _confident_first(matches)[:need]
        return _Weighed(State.UNCERTAIN, "Có giấy tờ có thể khớp nhưng máy chưa chắc chắn: "
                        f"{_found(picked)} Cần cán bộ xác nhận.", need)
    return _Weighed(State.MISSING, _missing_reason(component, len(matches)), len(matches))


def _confident_first(docs: Sequence[DocumentEvidence]) -> list[DocumentEvidence]:
    return sorted(docs, key=lambda d: (d.needs_review, -d.confidence))


def _question_text(version: ProcedureVersion, key: str) -> str:
    question = version.question(key)
    return question.text if question else key


def _found(docs: Sequence[DocumentEvidence]) -> str:
    described = ", ".join(f"{d.doc_type_name} (độ tin cậy {d.confidence:.0%})" for d in docs)
    return f"Đã có: {described}."


def _missing_reason(component: Component, have: int) -> str:
    if component.min_count > 1:
        return (f"Thiếu: cần {component.min_count:02d} bộ/bản, mới có {have:02d}.")
    if component.shown_only:
        return ("Chưa xuất trình: cán bộ cần kiểm tra bản chính (ghi nhận đã xuất trình) hoặc "
                "chụp lại; nộp trực tuyến thì tải lên bản chụp.")
    return "Thiếu: chưa có giấy tờ nào trong hồ sơ khớp thành phần này."


def _resolve_one_of_groups(
    components: Sequence[Component], lines: list[ComponentLine]
) -> list[ComponentLine]:
    """Members of a satisfied one-of group stop being needed; a missing group says so on each."""
    resolved = list(lines)
    groups: dict[str, list[int]] = {}
    for i, component in enumerate(components):
        if component.one_of:
            groups.setdefault(component.one_of, []).append(i)
    for members in groups.values():
        states = {lines[i].state for i in members}
        names = "; ".join(components[i].name for i in members)
        for i in members:
            ln = lines[i]
            if states & DONE and ln.state not in DONE | {State.NOT_APPLICABLE}:
                resolved[i] = replace(ln, state=State.NOT_APPLICABLE, required=False,
                                      explanation="Không cần: đã có giấy tờ thay thế cùng nhóm.")
            elif ln.state is State.MISSING and State.UNCERTAIN in states:
                resolved[i] = replace(ln, state=State.NOT_APPLICABLE, required=False,
                                      explanation="Chưa cần: một giấy tờ khác cùng nhóm đang "
                                      "chờ cán bộ xác nhận.")
            elif ln.state is State.MISSING and ln.required:
                resolved[i] = replace(ln, explanation=f"Thiếu: cần một trong các giấy tờ: {names}.")
    return resolved


def _attach_extra_copies(components: Sequence[Component], lines: list[ComponentLine],
                         unused: list[DocumentEvidence]) -> list[ComponentLine]:
    """A leftover document joins the first line already holding a document it could stand for."""
    attached = list(lines)
    for doc in list(unused):
        for i, component in enumerate(components):
            if attached[i].documents and doc.doc_type in component.doc_types:
                attached[i] = replace(attached[i], documents=(*attached[i].documents, doc.id))
                unused.remove(doc)
                break
    return attached


def _verdict(lines: Sequence[ComponentLine]) -> Verdict:
    required = [ln for ln in lines if ln.required]
    if any(ln.state is State.MISSING for ln in required):
        return Verdict.INCOMPLETE
    if any(ln.state is State.UNCERTAIN for ln in required):
        return Verdict.NEEDS_REVIEW
    return Verdict.COMPLETE
