"""The generated training corpus: its cache follows the templates, and title siblings share
bodies. No OCR here: plans and drafts only, against the committed corpus and model manifest."""

from __future__ import annotations

import copy
import json

import pytest

from classify.model import DEFAULT_MODEL_DIR
from classify.model import templates as templates_module
from classify.model.artefact import MANIFEST, resolve_version_dir
from classify.model.corpus import DEFAULT_CORPUS_DIR, corpus_path, plan, read_corpus
from classify.model.templates import load_templates, make_draft, template_for


@pytest.mark.parametrize("split", ["train", "heldout"])
def test_the_committed_corpus_was_read_from_the_current_templates(split: str) -> None:
    # A template edited without `make train` leaves stale OCR text behind: the model would
    # learn pages the generator no longer makes.
    version = resolve_version_dir(DEFAULT_MODEL_DIR)
    manifest = json.loads((version / MANIFEST).read_text(encoding="utf-8"))
    per_label = manifest["data"]["generator"][f"per_label_{split}"]
    cached = {text.key for text in read_corpus(corpus_path(split, DEFAULT_CORPUS_DIR))}
    stale = [p for p in plan(split, per_label) if p.key not in cached]
    assert not stale, f"{len(stale)} {split} pages not in the corpus, e.g. {stale[0]}"


def test_a_template_change_changes_the_keys_of_its_pages_only(
        monkeypatch: pytest.MonkeyPatch) -> None:
    labels = ["giay_chung_sinh", "giay_bao_tu"]
    before = {p.key for p in plan("train", 3, labels)}
    edited = copy.deepcopy(load_templates())
    edited["giay_chung_sinh"]["lines"] = [*edited["giay_chung_sinh"]["lines"], "Ghi chú: sinh đôi"]
    monkeypatch.setattr(templates_module, "load_templates", lambda: edited)
    after = plan("train", 3, labels)
    changed = {p.label for p in after if p.key not in before}
    assert changed == {"giay_chung_sinh"}


def test_giay_and_van_ban_uy_quyen_share_their_bodies() -> None:
    # One paper under two titles: if each title had its own body, the model would learn the body
    # and overrule a title the rules read exactly (it did, on the latency bench's dossier).
    from classify.doctypes import load_document_types

    types = load_document_types()
    signs = {label: {make_draft(template_for(label, types), seed).sign[:1] for seed in range(40)}
             for label in ("van_ban_uy_quyen", "giay_uy_quyen")}
    assert signs["van_ban_uy_quyen"] == signs["giay_uy_quyen"]
    assert len(signs["giay_uy_quyen"] - {()}) == 3


def test_every_alternative_body_is_used() -> None:
    from classify.doctypes import load_document_types

    types = load_document_types()
    with_bodies = [label for label, entry in load_templates().items() if entry.get("bodies")]
    assert {"cong_van", "giay_uy_quyen", "van_ban_uy_quyen"} <= set(with_bodies)
    for label in with_bodies:
        template = template_for(label, types)
        captions = {make_draft(template, seed).sign[:1] for seed in range(60)} - {()}
        assert len(captions) == len({sign for _, sign in template.bodies}), label
