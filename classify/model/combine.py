"""Rules and model together: one type, one calibrated confidence, and whether a person must look.

For a page with rule result R (confidence c) and model probabilities p (temperature-scaled):

* the candidates are the model's best label M and, when the rules named one, R; when they did,
  M = ``other`` is no candidate (the model not knowing a body does not unmake a title);
* the support of a candidate x is ``1 − (1 − w·c·[x = R]) · (1 − p[x])`` (noisy-OR of the two
  sources, rule weight w = 0.9); the candidate with the most support wins;
* the raw score is that support minus the strongest competing support (the other candidate, or
  the model's second label), so agreement scores high and disagreement low;
* an isotonic map fitted on a validation split turns the raw score into a calibrated confidence;
* below the review threshold, or for ``other``, the page ``needs_review``.

A blank or unreadable page (fewer than three word-like tokens) is ``other`` with confidence 0 and
``needs_review``, whatever the model says.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from classify.doctypes import OTHER, DocumentTypes
from classify.fields.layout import page_lines
from classify.model.artefact import DocTypeModel, rule_types
from classify.rules import PageClassification, classify_page

RULE_WEIGHT = 0.9
DEFAULT_REVIEW_THRESHOLD = 0.9
MIN_WORDS = 3
TOP_K = 3


@dataclass(frozen=True)
class Classification:
    """The combined verdict on one page (loại giấy tờ và độ tin cậy).

    ``page`` is the rule result with the combined type, confidence and reason put in, ready for
    :func:`classify.split.split_documents`; ``rule`` is the untouched rule result.
    """

    doc_type: str
    doc_type_name: str
    confidence: float
    needs_review: bool
    reason: str
    model_version: str
    raw_score: float
    rule: PageClassification
    model_top: tuple[tuple[str, float], ...]
    untitled_type: bool = False  # no title, form code or cue of this type exists for the rules

    @property
    def page(self) -> PageClassification:
        # A type with no printed title (e.g. giấy tờ chứng minh chỗ ở) can only be seen starting
        # by the model: its confident word opens a new document there. A type that has a title
        # starts where the title is; without one, the page continues the document before it
        # (a Tờ khai's second page reads like a Giấy cam đoan). "Trang 2/3" still wins (rules).
        first = self.rule.is_title_page or (
            self.untitled_type and not self.needs_review and self.doc_type != OTHER)
        return replace(self.rule, doc_type=self.doc_type, confidence=self.confidence,
                       reason=self.reason, is_title_page=first)

    def as_json(self) -> dict[str, object]:
        return {"doc_type": self.doc_type, "doc_type_name": self.doc_type_name,
                "confidence": self.confidence, "needs_review": self.needs_review,
                "reason": self.reason, "model_version": self.model_version}


@dataclass(frozen=True)
class Decision:
    """The winning label and the raw (uncalibrated) score of the combination."""

    doc_type: str
    raw: float
    agree: bool


def decide(rule: PageClassification, ranked: list[tuple[str, float]]) -> Decision:
    """Apply the combination rule to a rule result and the model's ranked probabilities."""
    probs = dict(ranked)
    best_model = ranked[0][0]
    candidates = [best_model] + ([rule.doc_type] if rule.doc_type not in (OTHER, best_model)
                                 else [])
    if rule.doc_type != OTHER and best_model == OTHER:
        # The model's "other" says it does not know the body, not that the title lies: the
        # titled type stays, with the model's doubt in the score (so it goes to review).
        candidates.remove(OTHER)

    def support(label: str) -> float:
        evidence = RULE_WEIGHT * rule.confidence if label == rule.doc_type != OTHER else 0.0
        return 1 - (1 - evidence) * (1 - probs.get(label, 0.0))

    scored = sorted(((support(c), c) for c in candidates), reverse=True)
    winner_support, winner = scored[0]
    rival = scored[1][0] if len(scored) > 1 else 0.0
    runner_up = next((p for label, p in ranked if label != winner), 0.0)
    raw = max(0.0, winner_support - max(rival, runner_up))
    return Decision(winner, raw, agree=rule.doc_type == winner)


def is_unreadable(text: str) -> bool:
    words = 0
    for line in page_lines(text):
        for token in line.split():
            letters = sum(ch.isalpha() for ch in token)
            if letters >= 2 and letters >= 0.6 * len(token):
                words += 1
                if words >= MIN_WORDS:
                    return False
    return True


def classify_text(text: str, types: DocumentTypes, model: DocTypeModel,
                  rule: PageClassification | None = None) -> Classification:
    """Classify one page's text with the rules and the model (pass ``rule`` if the rules have
    already run on this text)."""
    rule = rule if rule is not None else classify_page(text, types)
    if is_unreadable(text):
        return Classification(
            OTHER, types.name_of(OTHER), 0.0, True,
            "Trang trắng hoặc không đọc được chữ: cần người xem / blank or unreadable page",
            model.version, 0.0, rule, ())
    ranked = model.predict(text)
    return combine(rule, ranked, types, model)


def combine(rule: PageClassification, ranked: list[tuple[str, float]], types: DocumentTypes,
            model: DocTypeModel) -> Classification:
    decision = decide(rule, ranked)
    confidence = round(model.isotonic(decision.raw), 3)
    needs_review = decision.doc_type == OTHER or confidence < model.review_threshold
    return Classification(
        decision.doc_type, types.name_of(decision.doc_type), confidence, needs_review,
        _reason(rule, ranked, decision, types), model.version, round(decision.raw, 4), rule,
        tuple((label, round(p, 4)) for label, p in ranked[:TOP_K]),
        untitled_type=decision.doc_type not in rule_types(types))


def _reason(rule: PageClassification, ranked: list[tuple[str, float]], decision: Decision,
            types: DocumentTypes) -> str:
    label, prob = ranked[0]
    model_part = f"mô hình: {types.name_of(label)} ({prob:.2f})"
    if rule.doc_type == OTHER:
        return f"Quy tắc không nhận ra tiêu đề; {model_part}"
    verdict = "khớp" if rule.doc_type == label else (
        f"không khớp, chọn {types.name_of(decision.doc_type)}")
    return f"{rule.reason}; {model_part}: {verdict}"
