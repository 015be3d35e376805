"""Completeness at the counter, exercised on the real catalogue (DOMAIN.md §4).

Every rule kind is checked on a real procedure: required, conditional, one-of, minimum count,
shown only (xuất trình), waived by a database lookup, information only, channel-dependent. Property
tests then throw random documents and answers at every procedure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classify.catalogue.loader import Catalogue, load_catalogue
from classify.catalogue.schema import Channel, Component, ProcedureVersion
from classify.completeness import (
    CompletenessReport,
    DocumentEvidence,
    State,
    Verdict,
    check_completeness,
    shown_answer_key,
)

CATALOGUE: Catalogue = load_catalogue()
DAY = dt.date(2025, 7, 1)


def version_of(code: str) -> ProcedureVersion:
    return CATALOGUE.version_on(code, DAY)


def doc(doc_type: str, id: str | None = None, *, confidence: float = 0.95,
        needs_review: bool = False) -> DocumentEvidence:
    return DocumentEvidence(id=id or doc_type, doc_type=doc_type, doc_type_name=doc_type,
                            confidence=confidence, needs_review=needs_review)


def check(code: str, documents: Sequence[DocumentEvidence] = (),
          answers: Mapping[str, bool] | None = None,
          channel: Channel = Channel.TRUC_TIEP) -> CompletenessReport:
    report = check_completeness(version_of(code), documents, answers or {}, channel)
    assert all(ln.explanation.strip() for ln in report.lines)
    return report


def states(report: CompletenessReport) -> dict[str, State]:
    return {ln.component_id: ln.state for ln in report.lines}


# A birth registration that is complete at the counter: form, birth certificate, ID shown,
# residence looked up.
BIRTH = [doc("to_khai_dang_ky_khai_sinh"), doc("giay_chung_sinh")]
BIRTH_ANSWERS = {shown_answer_key("giay_to_tuy_than"): True, "tra_cuu_cu_tru": True}


def test_a_complete_birth_registration() -> None:
    report = check("1.001193", BIRTH, BIRTH_ANSWERS)
    assert report.verdict is Verdict.COMPLETE
    assert report.decision == "163/QĐ-BTP"
    got = states(report)
    assert got["to_khai"] is State.SATISFIED and got["giay_chung_sinh"] is State.SATISFIED
    assert got["giay_to_tuy_than"] is State.SHOWN and got["giay_to_cu_tru"] is State.WAIVED
    assert report.line("to_khai").documents == ("to_khai_dang_ky_khai_sinh",)
    assert report.unexpected == ()


# --- required -----------------------------------------------------------------------------------

def test_required_component_missing_makes_the_dossier_incomplete() -> None:
    report = check("1.001193", [doc("giay_chung_sinh")], BIRTH_ANSWERS)
    assert report.verdict is Verdict.INCOMPLETE
    line = report.line("to_khai")
    assert line.state is State.MISSING and line.required
    assert "Thiếu" in line.explanation


def test_an_empty_dossier_lists_every_required_component_as_missing() -> None:
    report = check("2.001583")
    missing = {ln.component_id for ln in report.lines if ln.state is State.MISSING and ln.required}
    assert missing == {"giay_de_nghi", "dieu_le", "giay_to_phap_ly_ca_nhan"}
    assert report.verdict is Verdict.INCOMPLETE


# --- conditional --------------------------------------------------------------------------------

def test_condition_answered_yes_requires_the_component() -> None:
    report = check("1.001193", BIRTH, {**BIRTH_ANSWERS, "uy_quyen": True})
    line = report.line("van_ban_uy_quyen")
    assert (line.state, line.required, report.verdict) == (State.MISSING, True, Verdict.INCOMPLETE)
    with_letter = check("1.001193", [*BIRTH, doc("van_ban_uy_quyen")],
                        {**BIRTH_ANSWERS, "uy_quyen": True})
    assert with_letter.line("van_ban_uy_quyen").state is State.SATISFIED
    assert with_letter.verdict is Verdict.COMPLETE


def test_condition_answered_no_makes_the_component_not_applicable() -> None:
    report = check("1.001193", [*BIRTH, doc("giay_uy_quyen")], {**BIRTH_ANSWERS, "uy_quyen": False})
    line = report.line("van_ban_uy_quyen")
    assert line.state is State.NOT_APPLICABLE and not line.required
    assert "«không»" in line.explanation
    assert report.unexpected == ("giay_uy_quyen",)  # the officer said no, yet a letter is here
    assert report.verdict is Verdict.COMPLETE


def test_unanswered_condition_defaults_to_no() -> None:
    report = check("1.001193", BIRTH, BIRTH_ANSWERS)
    line = report.line("bien_ban_tre_bi_bo_roi")
    assert line.state is State.NOT_APPLICABLE and "chưa trả lời" in line.explanation
    assert report.verdict is Verdict.COMPLETE


def test_unanswered_condition_still_takes_a_matching_document() -> None:
    report = check("1.001193", [*BIRTH, doc("van_ban_uy_quyen")], BIRTH_ANSWERS)
    line = report.line("van_ban_uy_quyen")
    assert line.state is State.SATISFIED and not line.required
    assert "chưa được trả lời" in line.explanation
    assert report.unexpected == () and report.verdict is Verdict.COMPLETE


def test_case_questions_of_permanent_residence() -> None:
    form = [doc("to_khai_thay_doi_thong_tin_cu_tru_ct01")]
    renting = check("1.004222", form, {"thue_muon_o_nho": True})
    assert renting.line("hop_dong_thue_muon_o_nho").state is State.MISSING
    assert renting.line("giay_to_cho_o_hop_phap").state is State.NOT_APPLICABLE
    rented = check("1.004222", [*form, doc("hop_dong_thue_muon_o_nho")],
                   {"thue_muon_o_nho": True, "tra_cuu_dien_tich": True})
    assert rented.verdict is Verdict.COMPLETE
    assert rented.line("thong_tin_dien_tich_nha_o").state is State.WAIVED


def test_a_needed_component_gets_a_shared_document_before_an_unneeded_one() -> None:
    # giay_to_cho_o_hop_phap (own home, not asked) comes first in the file and accepts the same
    # doc type as the floor-area proof the renter needs; the renter's need wins.
    documents = [doc("to_khai_thay_doi_thong_tin_cu_tru_ct01"), doc("hop_dong_thue_muon_o_nho"),
                 doc("giay_to_cho_o_hop_phap")]
    report = check("1.004222", documents, {"thue_muon_o_nho": True})
    assert report.line("thong_tin_dien_tich_nha_o").documents == ("giay_to_cho_o_hop_phap",)
    assert report.line("giay_to_cho_o_hop_phap").state is State.NOT_APPLICABLE
    assert report.verdict is Verdict.COMPLETE


# --- one of -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("doc_type", "member"), [
    ("giay_chung_sinh", "giay_chung_sinh"),
    ("van_ban_lam_chung_viec_sinh", "van_ban_lam_chung"),
    ("giay_cam_doan", "giay_cam_doan"),
])
def test_one_of_group_is_satisfied_by_each_alternative(doc_type: str, member: str) -> None:
    report = check("1.001193", [doc("to_khai_dang_ky_khai_sinh"), doc(doc_type)], BIRTH_ANSWERS)
    assert report.verdict is Verdict.COMPLETE
    group = {"giay_chung_sinh", "van_ban_lam_chung", "giay_cam_doan"}
    for other in group - {member}:
        line = report.line(other)
        assert line.state is State.NOT_APPLICABLE and not line.required
        assert "thay thế" in line.explanation
    assert report.line(member).state is State.SATISFIED


def test_one_of_group_missing_names_every_alternative() -> None:
    report = check("1.001193", [doc("to_khai_dang_ky_khai_sinh")], BIRTH_ANSWERS)
    assert report.verdict is Verdict.INCOMPLETE
    for member in ("giay_chung_sinh", "van_ban_lam_chung", "giay_cam_doan"):
        line = report.line(member)
        assert line.state is State.MISSING and line.required
        assert "cần một trong" in line.explanation and "Giấy cam đoan" in line.explanation


def test_one_of_group_waived_by_the_electronic_birth_certificate() -> None:
    report = check("1.001193", [doc("to_khai_dang_ky_khai_sinh")],
                   {**BIRTH_ANSWERS, "tra_cuu_giay_chung_sinh": True})
    assert report.line("giay_chung_sinh").state is State.WAIVED
    assert report.line("giay_cam_doan").state is State.NOT_APPLICABLE
    assert report.verdict is Verdict.COMPLETE


def test_one_of_group_with_an_uncertain_member_needs_review() -> None:
    unsure = doc("giay_cam_doan", confidence=0.41, needs_review=True)
    report = check("1.000656", [doc("to_khai_dang_ky_khai_tu"), unsure],
                   {shown_answer_key("giay_to_tuy_than"): True, "tra_cuu_cu_tru": True})
    assert report.unexpected == ("giay_cam_doan",)  # not a death paper at all
    assert report.verdict is Verdict.INCOMPLETE
    unsure_death = doc("giay_to_chung_minh_su_kien_chet", confidence=0.5, needs_review=True)
    report = check("1.000656", [doc("to_khai_dang_ky_khai_tu"), unsure_death],
                   {shown_answer_key("giay_to_tuy_than"): True, "tra_cuu_cu_tru": True})
    assert report.line("chung_cu_su_kien_chet").state is State.UNCERTAIN
    assert report.line("giay_bao_tu").state is State.NOT_APPLICABLE
    assert report.verdict is Verdict.NEEDS_REVIEW


# --- minimum count ------------------------------------------------------------------------------

PERMIT = [doc("don_de_nghi_cap_gpxd"), doc("giay_chung_nhan_qsdd")]


def drawings(n: int, *, unsure: int = 0) -> list[DocumentEvidence]:
    return [doc("ban_ve_thiet_ke_xay_dung", f"ban_ve_{i}", needs_review=i < unsure)
            for i in range(n)]


@pytest.mark.parametrize(("count", "unsure", "state", "verdict"), [
    (1, 0, State.MISSING, Verdict.INCOMPLETE),
    (2, 0, State.SATISFIED, Verdict.COMPLETE),
    (2, 1, State.UNCERTAIN, Verdict.NEEDS_REVIEW),
    (3, 0, State.SATISFIED, Verdict.COMPLETE),
])
def test_two_sets_of_drawings(count: int, unsure: int, state: State, verdict: Verdict) -> None:
    report = check("1.013225", [*PERMIT, *drawings(count, unsure=unsure)])
    line = report.line("ban_ve_thiet_ke")
    assert (line.state, line.required, report.verdict) == (state, True, verdict)
    # a lone drawing stays on its line; a third one is an extra copy, not an unexpected document
    assert sorted(line.documents) == [f"ban_ve_{i}" for i in range(count)]
    assert report.unexpected == ()
    if state is State.MISSING:
        assert "cần 02" in line.explanation and "mới có 01" in line.explanation


def test_both_spouses_show_their_ids() -> None:
    form = doc("to_khai_dang_ky_ket_hon")
    one = check("1.000894", [form, doc("cccd", "cccd_chong")], {"tra_cuu_cu_tru": True})
    assert one.line("giay_to_tuy_than").state is State.MISSING
    both = check("1.000894", [form, doc("cccd", "cccd_chong"), doc("ho_chieu", "ho_chieu_vo")],
                 {"tra_cuu_cu_tru": True})
    assert both.line("giay_to_tuy_than").state is State.SHOWN
    assert both.verdict is Verdict.COMPLETE


# --- shown only, waived -------------------------------------------------------------------------

@pytest.mark.parametrize(("documents", "answers", "state"), [
    ([], BIRTH_ANSWERS, State.SHOWN),  # the officer saw the card and handed it back
    ([doc("the_can_cuoc")], {"tra_cuu_cu_tru": True}, State.SHOWN),  # a captured image
    ([], {"tra_cuu_cu_tru": True}, State.MISSING),
])
def test_shown_only_id(documents: list[DocumentEvidence], answers: dict[str, bool],
                       state: State) -> None:
    report = check("1.001193", [*BIRTH, *documents], answers)
    line = report.line("giay_to_tuy_than")
    assert line.state is state and line.documents == tuple(d.id for d in documents)
    assert "xuất trình" in line.explanation or documents
    assert (report.verdict is Verdict.COMPLETE) == (state is State.SHOWN)


def test_waived_by_a_lookup_answer() -> None:
    report = check("1.013225", [doc("don_de_nghi_cap_gpxd"), *drawings(2)],
                   {"tra_cuu_dat_dai": True})
    line = report.line("giay_to_dat_dai")
    assert line.state is State.WAIVED and "tra_cuu_dat_dai" in line.explanation
    assert report.verdict is Verdict.COMPLETE
    not_looked_up = check("1.013225", [doc("don_de_nghi_cap_gpxd"), *drawings(2)],
                          {"tra_cuu_dat_dai": False})
    assert not_looked_up.line("giay_to_dat_dai").state is State.MISSING


def test_information_only_component_is_looked_up_or_documented() -> None:
    form = [doc("to_khai_xac_nhan_tinh_trang_hon_nhan")]
    base = {shown_answer_key("giay_to_tuy_than"): True, "tra_cuu_cu_tru": True}
    assert check("1.004873", form, base).line("thong_tin_ly_hon_khai_tu").state \
        is State.NOT_APPLICABLE
    divorced = {**base, "da_ly_hon_hoac_goa": True}
    assert check("1.004873", form, divorced).verdict is Verdict.INCOMPLETE
    looked_up = check("1.004873", form, {**divorced, "tra_cuu_ly_hon_khai_tu": True})
    assert looked_up.line("thong_tin_ly_hon_khai_tu").state is State.WAIVED
    assert looked_up.verdict is Verdict.COMPLETE
    papers = check("1.004873", [*form, doc("ban_an_quyet_dinh_ly_hon")], divorced)
    assert papers.verdict is Verdict.COMPLETE


# --- uncertain, unexpected, optional ------------------------------------------------------------

def test_only_unsure_documents_make_the_verdict_needs_review() -> None:
    documents = [doc("giay_de_nghi_dang_ky_doanh_nghiep"),
                 doc("dieu_le_cong_ty", confidence=0.52, needs_review=True)]
    report = check("2.001583", documents, {"tra_cuu_dinh_danh": True})
    line = report.line("dieu_le")
    assert line.state is State.UNCERTAIN and line.documents == ("dieu_le_cong_ty",)
    assert "52%" in line.explanation and "xác nhận" in line.explanation
    assert report.verdict is Verdict.NEEDS_REVIEW
    # missing outranks uncertain
    assert check("2.001583", documents[1:], {"tra_cuu_dinh_danh": True}).verdict \
        is Verdict.INCOMPLETE


def test_unexpected_documents_are_listed() -> None:
    report = check("1.001193", [*BIRTH, doc("hoa_don_tien_dien"), doc("other", "trang_trang")],
                   BIRTH_ANSWERS)
    assert report.unexpected == ("hoa_don_tien_dien", "trang_trang")
    assert report.verdict is Verdict.COMPLETE


def test_optional_components_never_block() -> None:
    report = check("1.013978", [doc("don_dang_ky_dat_dai")])
    line = report.line("chung_tu_nghia_vu_tai_chinh")
    assert line.state is State.MISSING and not line.required
    assert "Không bắt buộc" in line.explanation
    assert report.verdict is Verdict.COMPLETE


# --- channels -----------------------------------------------------------------------------------

def test_by_post_a_certified_copy_replaces_the_shown_id() -> None:
    answers = {"tra_cuu_cu_tru": True, shown_answer_key("giay_to_tuy_than"): True}
    report = check("1.001193", BIRTH, answers, Channel.BUU_CHINH)
    assert report.line("giay_to_tuy_than").state is State.NOT_APPLICABLE
    assert report.line("ban_sao_giay_to_tuy_than").state is State.MISSING
    assert report.verdict is Verdict.INCOMPLETE
    copied = check("1.001193", [*BIRTH, doc("cccd")], answers, Channel.BUU_CHINH)
    assert copied.line("ban_sao_giay_to_tuy_than").state is State.SATISFIED
    assert copied.verdict is Verdict.COMPLETE
    assert copied.channel is Channel.BUU_CHINH


def test_online_a_shown_answer_does_not_count_an_upload_does() -> None:
    answers = {"tra_cuu_cu_tru": True, shown_answer_key("giay_to_tuy_than"): True}
    report = check("1.001193", BIRTH, answers, Channel.TRUC_TUYEN)
    assert report.line("giay_to_tuy_than").state is State.MISSING
    assert report.line("ban_sao_giay_to_tuy_than").state is State.NOT_APPLICABLE
    uploaded = check("1.001193", [*BIRTH, doc("cccd")], answers, Channel.TRUC_TUYEN)
    assert uploaded.verdict is Verdict.COMPLETE
    looked_up = check("1.001193", BIRTH, {**answers, "tra_cuu_dinh_danh": True},
                      Channel.TRUC_TUYEN)
    assert looked_up.verdict is Verdict.COMPLETE


def test_report_json_shape() -> None:
    body = check("1.001193", [*BIRTH, doc("la")], BIRTH_ANSWERS).as_json()
    assert set(body) == {"verdict", "decision", "channel", "components", "unexpected_documents"}
    components = body["components"]
    assert isinstance(components, list)
    assert set(components[0]) == {"component_id", "name", "state", "required", "explanation",
                                  "documents"}
    assert body["unexpected_documents"] == ["la"]


# --- properties over the whole catalogue --------------------------------------------------------

Dossier = tuple[ProcedureVersion, list[DocumentEvidence], dict[str, bool], Channel]
CODES = sorted(CATALOGUE.procedures)
ALL_TYPES = sorted({t for p in CATALOGUE.procedures.values() for v in p.versions
                    for c in v.components for t in c.doc_types})
RANDOM_TYPE = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)


@st.composite
def dossiers(draw: st.DrawFn) -> Dossier:
    """A random dossier for a random procedure, often close to complete so the edges are hit."""
    version = version_of(draw(st.sampled_from(CODES)))
    kinds: list[tuple[str, float, bool]] = []
    for component in version.components:  # 0 … min_count + 1 papers for each component
        for _ in range(draw(st.integers(0, component.min_count + 1))):
            kinds.append((draw(st.sampled_from(component.doc_types)), draw(st.floats(0, 1)),
                          draw(st.sampled_from([False, False, True]))))
    noise = st.tuples(st.one_of(st.sampled_from(ALL_TYPES), RANDOM_TYPE), st.floats(0, 1),
                      st.booleans())
    kinds = draw(st.permutations([*kinds, *draw(st.lists(noise, max_size=4))]))
    documents = [doc(t, f"d{i}", confidence=c, needs_review=r)
                 for i, (t, c, r) in enumerate(kinds)]
    keys = [q.key for q in version.questions]
    keys += [shown_answer_key(c.id) for c in version.components if c.shown_only]
    answers = {k: v for k in keys
               if (v := draw(st.sampled_from([None, True, False]))) is not None}
    return version, documents, answers, draw(st.sampled_from(list(Channel)))


def met(component: Component, documents: Sequence[DocumentEvidence],
        answers: Mapping[str, bool], channel: Channel) -> bool:
    """The law's view, independent of the engine: a confident paper, a waiver, or a showing."""
    confident = [d for d in documents if d.doc_type in component.doc_types and not d.needs_review]
    return (len(confident) >= component.min_count
            or (component.waived_by is not None and answers.get(component.waived_by) is True)
            or (component.shown_only and channel is Channel.TRUC_TIEP
                and answers.get(shown_answer_key(component.id)) is True))


def unmet_needs(version: ProcedureVersion, documents: Sequence[DocumentEvidence],
                answers: Mapping[str, bool], channel: Channel) -> list[str]:
    """Applicable required components, or required one-of groups, that nothing satisfies."""
    needs: dict[str, list[Component]] = {}
    for c in version.components:
        applicable = channel in c.channels and (
            c.required or (c.condition is not None and answers.get(c.condition) is True))
        if applicable:
            needs.setdefault(c.one_of or c.id, []).append(c)
    return [name for name, members in needs.items()
            if not any(met(c, documents, answers, channel) for c in members)]


@settings(max_examples=800, deadline=None)
@given(dossiers())
def test_never_complete_while_a_required_need_is_unmet(case: Dossier) -> None:
    version, documents, answers, channel = case
    report = check_completeness(version, documents, answers, channel)
    unmet = unmet_needs(version, documents, answers, channel)
    if unmet:
        assert report.verdict is not Verdict.COMPLETE, unmet
    assert all(ln.explanation.strip() for ln in report.lines)


@settings(max_examples=300, deadline=None)
@given(dossiers())
def test_every_document_is_placed_exactly_once(case: Dossier) -> None:
    version, documents, answers, channel = case
    report = check_completeness(version, documents, answers, channel)
    placed = [i for ln in report.lines for i in ln.documents] + list(report.unexpected)
    assert sorted(placed) == sorted(d.id for d in documents)
    assert [ln.component_id for ln in report.lines] == [c.id for c in version.components]
    if report.verdict is Verdict.COMPLETE:
        assert not any(ln.required and ln.state in (State.MISSING, State.UNCERTAIN)
                       for ln in report.lines)


@settings(max_examples=300, deadline=None)
@given(dossiers(), st.sampled_from(ALL_TYPES))
def test_adding_a_confident_document_never_breaks_a_complete_dossier(
        case: Dossier, extra_type: str) -> None:
    version, documents, answers, channel = case
    before = check_completeness(version, documents, answers, channel)
    after = check_completeness(version, [*documents, doc(extra_type, "extra")], answers, channel)
    if before.verdict is Verdict.COMPLETE:
        assert after.verdict is Verdict.COMPLETE
