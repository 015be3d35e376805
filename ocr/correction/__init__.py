"""Post-OCR correction of Vietnamese syllables: inventory, bigram model, corrector.

``correct_text`` and ``correct_words`` repair tone marks and vowel modifiers that Tesseract's
``vie`` model drops or confuses (hôi→hội, Giây→Giấy), only where the model is confident.
The model files live in ``ocr/lexicon`` (see its README).
"""

from ocr.correction.corrector import (
    Change,
    Correction,
    Corrector,
    WordCorrection,
    correct_text,
    correct_words,
    corrector_version,
    default_corrector,
)

__all__ = [
    "Change",
    "Correction",
    "Corrector",
    "WordCorrection",
    "correct_text",
    "correct_words",
    "corrector_version",
    "default_corrector",
]
