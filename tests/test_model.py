"""The trained document-type model: loading and its checks, predictions, the combination with the
rules, and the retraining promotion rule. Uses the committed model under models/doctype; the only
training here is a retrain on a few dozen texts."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from classify.catalogue.loader import load_catalogue
from classify.doctypes import OTHER, DocumentTypes, load_document_types
from classify.model import (
    DEFAULT_MODEL_DIR,
    DocTypeModel,
    ModelInvalid,
    catalogue_doc_types,
    check_model_labels,
    classify_text,
    load_model,
    retrain,
    rule_types,
)
from classify.model.artefact import MANIFEST, resolve_version_dir
from classify.model.combine import combine
from classify.model.corpus import DEFAULT_CORPUS_DIR, CorpusText, corpus_path, read_corpus
from classify.model.retrain import Data, history
from classify.rules import PageClassification

BIRTH_FORM = "\n".join((
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "",
    "TỜ KHAI ĐĂNG KÝ KHAI SINH", "", "Kính gửi: Ủy ban nhân dân xã Hòa Bình",
    "Họ, chữ đệm, tên người yêu cầu: Nguyễn Thị Lan",
    "Nơi cư trú: thôn Đông, xã Hòa Bình, tỉnh Phú Thọ", "Quan hệ với người được khai sinh: mẹ",
    "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:", "Họ, chữ đệm, tên: Trần Minh Khôi",
    "Ngày, tháng, năm sinh: 12/03/2026",
    "Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật"))


@pytest.fixture(scope="module")
def types() -> DocumentTypes:
    return load_document_types()


@pytest.fixture(scope="module")
def model() -> DocTypeModel:
    return load_model()


@pytest.fixture(scope="module")
def heldout() -> list[CorpusText]:
    return read_corpus(corpus_path("heldout", DEFAULT_CORPUS_DIR))


@pytest.fixture()
def model_copy(tmp_path: Path) -> Path:
    """The committed root manifest and current version, copied to a scratch models/doctype."""
    root = tmp_path / "doctype"
    root.mkdir()
    current = resolve_version_dir(DEFAULT_MODEL_DIR)
    shutil.copytree(current, root / current.name)
    shutil.copy(DEFAULT_MODEL_DIR / MANIFEST, root / MANIFEST)
    return root


def test_committed_model_loads_with_its_manifest(model: DocTypeModel) -> None:
    assert model.version.startswith("doctype-")
    assert OTHER in model.labels and "to_khai_dang_ky_khai_sinh" in model.labels
    assert model.manifest["data"]["fingerprint"]
    assert model.manifest["metrics"]["heldout"]["combined"]["macro_f1"] > 0
    assert {"spacy", "pyvi", "python"} <= set(model.manifest["libraries"])
    assert 0 < model.review_threshold <= 1


def _assert_invalid(root: Path) -> None:
    with pytest.raises(ModelInvalid) as caught:
        load_model(root)
    assert caught.value.code == "model_invalid"
    assert "Mô hình" in caught.value.message_vi and "model" in caught.value.message_en


def test_corrupt_manifest_is_model_invalid(model_copy: Path) -> None:
    version = resolve_version_dir(model_copy)
    (version / MANIFEST).write_text("{not json", encoding="utf-8")
    _assert_invalid(model_copy)


def test_manifest_without_labels_is_model_invalid(model_copy: Path) -> None:
    version = resolve_version_dir(model_copy)
    manifest = json.loads((version / MANIFEST).read_text(encoding="utf-8"))
    del manifest["labels"]
    (version / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    _assert_invalid(model_copy)


def test_missing_or_tampered_model_files_are_model_invalid(model_copy: Path) -> None:
    version = resolve_version_dir(model_copy)
    weights = next(p for p in sorted((version / "textcat").rglob("model")) if p.is_file())
    weights.write_bytes(weights.read_bytes()[:-7] + b"garbage")
    _assert_invalid(model_copy)
    weights.unlink()
    _assert_invalid(model_copy)


def test_root_pointing_at_a_missing_version_is_model_invalid(model_copy: Path) -> None:
    manifest = json.loads((model_copy / MANIFEST).read_text(encoding="utf-8"))
    manifest["current"] = "doctype-does-not-exist"
    (model_copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    _assert_invalid(model_copy)
    _assert_invalid(model_copy.parent / "no-model-here")


def test_start_up_refuses_a_corrupt_model(model_copy: Path, tmp_path: Path) -> None:
    """build_services stops before touching the database or S3: a clear error, nothing made."""
    from api.services import build_services
    from api.settings import Settings

    version = resolve_version_dir(model_copy)
    (version / MANIFEST).write_text("{not json", encoding="utf-8")
    settings = Settings(var_dir=tmp_path / "var", doctype_model_dir=model_copy,
                        s3_endpoint="127.0.0.1:1", s3_access_key="x", s3_secret_key="y")
    with pytest.raises(ModelInvalid, match="Mô hình phân loại giấy tờ"):
        build_services(settings)
    assert not (tmp_path / "var" / "sohoa.db").exists()


def test_label_check_accepts_the_catalogue_and_refuses_a_missing_type(
        model: DocTypeModel, types: DocumentTypes) -> None:
    catalogue_types, rules = catalogue_doc_types(load_catalogue()), rule_types(types)
    check_model_labels(model, catalogue_types, rules)  # the committed model covers them
    assert "giay_to_cho_o_hop_phap" in catalogue_types - rules
    lacking = replace(model, labels=tuple(x for x in model.labels
                                          if x != "giay_to_cho_o_hop_phap"))
    with pytest.raises(ModelInvalid, match="giay_to_cho_o_hop_phap"):
        check_model_labels(lacking, catalogue_types, rules)
    # A type the rules recognise needs no label; a content-free type is exempt.
    check_model_labels(replace(model, labels=(OTHER,)), {"quyet_dinh", "ban_sao_can_chung_thuc"},
                       rules)


@pytest.mark.parametrize("label", ["to_khai_dang_ky_khai_sinh", "giay_to_cho_o_hop_phap",
                                   "cong_van", "cccd", "quyet_dinh", "hop_dong_uy_quyen"])
def test_model_predicts_held_out_pages(model: DocTypeModel, heldout: list[CorpusText],
                                       label: str) -> None:
    pages = [t for t in heldout if t.label == label][:3]
    assert pages
    top = [model.predict(page.text)[0][0] for page in pages]
    assert top.count(label) >= 2, top
    ranked = model.predict(pages[0].text)
    assert abs(sum(p for _, p in ranked) - 1.0) < 1e-6
    assert ranked == sorted(ranked, key=lambda item: -item[1])


def test_rules_and_model_agreeing_give_a_confident_type(
        model: DocTypeModel, types: DocumentTypes) -> None:
    found = classify_text(BIRTH_FORM, types, model)
    assert found.doc_type == "to_khai_dang_ky_khai_sinh"
    assert found.confidence >= model.review_threshold and not found.needs_review
    assert found.model_version == model.version
    assert found.page.doc_type == found.doc_type and found.page.is_title_page


@pytest.mark.parametrize("text", ["", "   \n\n", "| . ,\n— ~ ·\n1"])
def test_blank_or_unreadable_page_is_other_for_review(
        model: DocTypeModel, types: DocumentTypes, text: str) -> None:
    found = classify_text(text, types, model)
    assert found.doc_type == OTHER and found.needs_review and found.confidence == 0.0


def test_disagreement_costs_confidence(model: DocTypeModel, types: DocumentTypes) -> None:
    rule = PageClassification("quyet_dinh", 0.95, "Dòng «QUYẾT ĐỊNH»", True)
    agree = combine(rule, [("quyet_dinh", 0.9), ("thong_bao", 0.05), (OTHER, 0.05)], types,
                    model)
    disagree = combine(rule, [("thong_bao", 0.9), ("quyet_dinh", 0.05), (OTHER, 0.05)], types,
                       model)
    assert agree.doc_type == "quyet_dinh" and not agree.needs_review
    assert disagree.confidence < agree.confidence and disagree.needs_review


def test_the_models_other_does_not_unmake_a_title(model: DocTypeModel,
                                                  types: DocumentTypes) -> None:
    """A page titled «VĂN BẢN ỦY QUYỀN» whose body the model does not know: the type stays
    (the dossier keeps its component), and the doubt sends the page to review."""
    rule = PageClassification("van_ban_uy_quyen", 1.0, "Dòng «VĂN BẢN ỦY QUYỀN»", True)
    found = combine(rule, [(OTHER, 0.98), ("giay_to_tuy_than", 0.01),
                           ("van_ban_uy_quyen", 0.005)], types, model)
    assert found.doc_type == "van_ban_uy_quyen" and found.needs_review
    assert found.confidence < model.review_threshold


def test_only_an_untitled_type_starts_a_document_on_the_models_word(
        model: DocTypeModel, types: DocumentTypes) -> None:
    """A Tờ khai's second page ("Tôi cam đoan …", no title, no motto) that the model reads as a
    Giấy cam đoan continues the Tờ khai: Giấy cam đoan has a title, and it is not there. A type
    with no printed title (chỗ ở hợp pháp) can only be seen starting by the model."""
    rule = PageClassification(OTHER, 0.0, "Không có tiêu đề", False)
    titled = combine(rule, [("giay_cam_doan", 0.99), (OTHER, 0.005)], types, model)
    untitled = combine(rule, [("giay_to_cho_o_hop_phap", 0.99), (OTHER, 0.005)], types, model)
    assert "giay_cam_doan" in rule_types(types)
    assert "giay_to_cho_o_hop_phap" not in rule_types(types)
    assert not titled.needs_review and not untitled.needs_review
    assert (titled.page.starts_document, untitled.page.starts_document) == (False, True)


def test_retrain_does_not_promote_a_worse_model(model_copy: Path,
                                                heldout: list[CorpusText]) -> None:
    train = read_corpus(corpus_path("train", DEFAULT_CORPUS_DIR))
    chosen = ["to_khai_dang_ky_khai_sinh", "cccd", "quyet_dinh", "cong_van", OTHER]
    wrong = dict(zip(chosen, chosen[1:] + chosen[:1], strict=True))
    # 50 pages of 5 types, every one mislabelled: a deliberately worse model.
    base = [replace(t, label=wrong[t.label]) for t in train if t.label in chosen][:50]
    held = [t for t in heldout if t.label in chosen][:20]
    before = load_model(model_copy).version
    result = retrain([(BIRTH_FORM, "to_khai_dang_ky_khai_sinh")], root=model_copy,
                     data=Data(base, held))
    assert not result.promoted and result.macro_f1 < result.baseline_macro_f1
    assert load_model(model_copy).version == before
    assert (model_copy / result.version / MANIFEST).exists()
    assert history(model_copy)[-1] == {**history(model_copy)[-1], "version": result.version,
                                       "promoted": False}


def test_retrain_promotes_a_model_that_is_not_worse(model_copy: Path,
                                                    heldout: list[CorpusText]) -> None:
    train = read_corpus(corpus_path("train", DEFAULT_CORPUS_DIR))
    chosen = ["to_khai_dang_ky_khai_sinh", "cccd", "quyet_dinh", "cong_van", OTHER]
    wrong = dict(zip(chosen, chosen[1:] + chosen[:1], strict=True))
    right = [t for t in train if t.label in chosen][:50]
    held = [t for t in heldout if t.label in chosen][:20]
    weak = retrain([], root=model_copy,
                   data=Data([replace(t, label=wrong[t.label]) for t in right], held))
    manifest = json.loads((model_copy / MANIFEST).read_text(encoding="utf-8"))
    manifest["current"] = weak.version  # as if a weak version were in service
    (model_copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    better = retrain([(BIRTH_FORM, "to_khai_dang_ky_khai_sinh")], root=model_copy,
                     data=Data(right, held))
    assert better.promoted and better.baseline_version == weak.version
    assert better.macro_f1 > better.baseline_macro_f1
    assert load_model(model_copy).version == better.version
    assert load_model(model_copy).manifest["data"]["corrections"] == 1


def test_a_page_only_the_model_can_name_starts_a_new_document(
        model: DocTypeModel, types: DocumentTypes, heldout: list[CorpusText]) -> None:
    from classify.split import split_documents

    model_only = set(model.labels) - rule_types(types) - {OTHER}
    found = [(t.label, classify_text(t.text, types, model)) for t in heldout
             if t.label in model_only]
    # Pages with no title, motto or form code the rules could see: alone they would continue
    # the document before them.
    untitled = [c for label, c in found if not c.rule.starts_document and not c.needs_review
                and c.doc_type == label]
    assert untitled, "no untitled held-out page of a model-only type named confidently"
    residence = untitled[0]
    form = classify_text(BIRTH_FORM, types, model)
    spans = split_documents([form.page, residence.page], types)
    assert [(s.doc_type, s.pages) for s in spans] == [
        ("to_khai_dang_ky_khai_sinh", (0,)), (residence.doc_type, (1,))]
