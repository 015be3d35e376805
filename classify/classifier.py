"""Page classifiers (bộ phân loại trang): the engine that names the type of one page.

The pipeline, the counter's fast path and ``sohoa classify`` all go through a
:class:`PageClassifier`, so every page is read the same way and every classification records
the ``version`` that made it. :class:`ModelClassifier` (rules + trained model, calibrated) is the
service default; :class:`RuleClassifier` (title rules only) is for tools that must not load the
model.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from classify.doctypes import DocumentTypes
from classify.rules import PageClassification, classify_page

if TYPE_CHECKING:
    from classify.catalogue.loader import Catalogue
    from classify.model.artefact import DocTypeModel

RULES_VERSION = "rules-title-v2"


class PageClassifier(Protocol):
    @property
    def version(self) -> str:
        """Recorded on every classification (documents.classifier_version, manifests)."""
        ...

    def classify(self, text: str) -> PageClassification:
        """The page's type, calibrated confidence, reason and layout signals."""
        ...


@dataclass(frozen=True)
class RuleClassifier:
    types: DocumentTypes

    @property
    def version(self) -> str:
        return RULES_VERSION

    def classify(self, text: str) -> PageClassification:
        return classify_page(text, self.types)


@dataclass(frozen=True)
class ModelClassifier:
    types: DocumentTypes
    model: DocTypeModel

    @property
    def version(self) -> str:
        return f"{RULES_VERSION}+{self.model.version}"

    def classify(self, text: str) -> PageClassification:
        from classify.model.combine import classify_text

        return classify_text(text, self.types, self.model).page


def load_classifier(types: DocumentTypes, catalogue: Catalogue,
                    model_dir: Path | None = None) -> ModelClassifier:
    """The checked model at ``model_dir`` (default models/doctype) with the rules.

    Raises ``ModelInvalid`` (VI/EN) for a missing or corrupt model, or one that lacks a label
    for a catalogue type no rule recognises: start-up stops rather than silently misfiling.
    """
    from classify.model.artefact import (
        DEFAULT_MODEL_DIR,
        catalogue_doc_types,
        check_model_labels,
        rule_types,
    )

    model = _cached_model(Path(model_dir or DEFAULT_MODEL_DIR).resolve(),
                          _root_stamp(Path(model_dir or DEFAULT_MODEL_DIR)))
    check_model_labels(model, catalogue_doc_types(catalogue), rule_types(types))
    return ModelClassifier(types, model)


def _root_stamp(root: Path) -> float:
    """Changes when ``sohoa model retrain`` promotes a version, so the cache reloads it."""
    try:
        return (root / "manifest.json").stat().st_mtime
    except OSError:
        return 0.0


@lru_cache(maxsize=4)
def _cached_model(root: Path, _stamp: float) -> DocTypeModel:
    # One load (and sha256 check) per process: tests and CLI commands build services often.
    from classify.model.artefact import load_model

    return load_model(root)
