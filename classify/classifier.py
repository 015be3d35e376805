"""Page classifiers (bộ phân loại trang): the engine that names the type of one page.

The pipeline and ``sohoa classify`` go through a :class:`PageClassifier`, so every page is read
the same way and every classification records the ``version`` that made it.
:class:`ModelClassifier` (rules + trained model, calibrated) is the service default;
:class:`RuleClassifier` (title rules only) serves the counter's fast path.
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
    from classify.model.artefact import CheckedManifest, DocTypeModel

RULES_VERSION = "rules-title-v2"


class PageClassifier(Protocol):
    @property
    def version(self) -> str:
        """Recorded on every classification (documents.classifier_version, manifests)."""
        ...

    def classify(self, text: str) -> PageClassification:
        """The page's type, calibrated confidence, reason and layout signals."""
        ...

    def warm(self) -> None:
        """Load what the first page would otherwise wait for."""
        ...


@dataclass(frozen=True)
class RuleClassifier:
    types: DocumentTypes

    @property
    def version(self) -> str:
        return RULES_VERSION

    def classify(self, text: str) -> PageClassification:
        return classify_page(text, self.types)

    def warm(self) -> None:
        return None


@dataclass(frozen=True)
class ModelClassifier:
    """Rules + the model of a verified version; the spaCy pipeline loads on first use (or
    ``warm``), once per process, so a web process that never classifies never pays for it."""

    types: DocumentTypes
    checked: CheckedManifest

    @property
    def version(self) -> str:
        return f"{RULES_VERSION}+{self.checked.version}"

    @property
    def model(self) -> DocTypeModel:
        return _loaded_model(self.checked.path)

    def classify(self, text: str) -> PageClassification:
        from classify.model.combine import classify_text

        return classify_text(text, self.types, self.model).page

    def warm(self) -> None:
        self.model  # noqa: B018 - loads and caches the pipeline


def load_classifier(types: DocumentTypes, catalogue: Catalogue,
                    model_dir: Path | None = None) -> ModelClassifier:
    """The verified model at ``model_dir`` (default models/doctype) with the rules.

    Raises ``ModelInvalid`` (VI/EN) for a missing or corrupt model (manifest, checksums), or
    one without a label for a catalogue type no rule recognises: start-up stops rather than
    silently misfiling.
    """
    from classify.model.artefact import (
        DEFAULT_MODEL_DIR,
        catalogue_doc_types,
        check_model_labels,
        rule_types,
        verify_model,
    )

    checked = verify_model(Path(model_dir or DEFAULT_MODEL_DIR))
    check_model_labels(checked, catalogue_doc_types(catalogue), rule_types(types))
    return ModelClassifier(types, checked)


@lru_cache(maxsize=4)
def _loaded_model(version_dir: Path) -> DocTypeModel:
    # A version directory never changes once written (retraining writes a new one).
    from classify.model.artefact import load_model

    return load_model(version_dir)
