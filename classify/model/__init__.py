"""The trained document-type model (mô hình phân loại giấy tờ) and its combination with the rules.

Public API::

    model = load_model()                        # models/doctype, checked; ModelInvalid otherwise
    check_model_labels(model, catalogue_doc_types(catalogue), rule_types(types))
    model.predict(text)                          # [(label, probability), ...], best first
    classify_text(text, types, model)            # Classification: rules + model, calibrated
    retrain(corrections)                         # new version, promoted only if not worse

Corpus generation and training (``make train``) live in ``corpus``, ``training`` and ``build``;
they need Faker and Tesseract, which serving does not.
"""

from classify.model.artefact import (
    CONTENT_FREE_TYPES,
    DEFAULT_MODEL_DIR,
    DocTypeModel,
    ModelInvalid,
    catalogue_doc_types,
    check_model_labels,
    load_model,
    rule_types,
)
from classify.model.combine import Classification, classify_text
from classify.model.retrain import RetrainResult, retrain

__all__ = [
    "CONTENT_FREE_TYPES",
    "DEFAULT_MODEL_DIR",
    "Classification",
    "DocTypeModel",
    "ModelInvalid",
    "RetrainResult",
    "catalogue_doc_types",
    "check_model_labels",
    "classify_text",
    "load_model",
    "retrain",
    "rule_types",
]
