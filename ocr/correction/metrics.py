"""Character and word error rates, and aligning OCR words to the truth.

Pages: the ground truth of the real pages follows ``pdftotext``'s reading order, while Tesseract
may read a two-column header line by line across both columns. :func:`line_aligned` puts each
OCR line where its best-matching truth line is, keeping the OCR's order among lines that match
the same truth line; then one edit distance over the whole page counts every error, including
text read twice or missed (a misread column interleaving costs its few characters, the same for
every engine). Whitespace is collapsed and texts are NFC before comparing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ingest.text import fold, nfc


@dataclass(frozen=True)
class Errors:
    """Edit counts against a reference; rates are errors over reference length."""

    char_errors: int
    chars: int
    word_errors: int
    words: int

    @property
    def cer(self) -> float:
        return self.char_errors / max(self.chars, 1)

    @property
    def wer(self) -> float:
        return self.word_errors / max(self.words, 1)

    def __add__(self, other: Errors) -> Errors:
        return Errors(self.char_errors + other.char_errors, self.chars + other.chars,
                      self.word_errors + other.word_errors, self.words + other.words)


NO_ERRORS = Errors(0, 0, 0, 0)


def flatten(text: str) -> str:
    return " ".join(nfc(text).split())


def errors(hypothesis: str, reference: str) -> Errors:
    """Character and word edit distances of ``hypothesis`` against ``reference``."""
    hyp, ref = flatten(hypothesis), flatten(reference)
    return Errors(Levenshtein.distance(hyp, ref), len(ref),
                  Levenshtein.distance(hyp.split(), ref.split()), len(ref.split()))


def line_aligned(hypothesis: str, reference: str) -> str:
    """``hypothesis`` with its lines put in the reference's line order (see the module doc)."""
    truth = [flatten(line) for line in reference.splitlines() if line.strip()]
    lines = [flatten(line) for line in hypothesis.splitlines() if line.strip()]
    if not truth:
        return "\n".join(lines)
    placed = []
    for order, line in enumerate(lines):
        match = process.extractOne(line, truth, scorer=Levenshtein.normalized_similarity)
        placed.append((match[2] if match else 0, order, line))
    return "\n".join(line for _, _, line in sorted(placed))


def page_errors(hypothesis: str, reference: str) -> Errors:
    return errors(line_aligned(hypothesis, reference), reference)


@dataclass(frozen=True)
class WordPair:
    """A truth word and the OCR word aligned to it, with the OCR confidence (None unknown)."""

    truth: str
    read: str
    conf: float | None


def aligned_words(read: Sequence[str], truth: Sequence[str],
                  confs: Sequence[float | None] | None = None) -> list[WordPair]:
    """Pairs of words that the word-level alignment matches or substitutes one for one.

    Only pairs that fold alike (same letters without diacritics) are kept: those are the
    diacritic errors a syllable corrector can repair.
    """
    conf_of = list(confs) if confs is not None else [None] * len(read)
    pairs = []
    for block in Levenshtein.opcodes(list(read), list(truth)):
        if block.tag not in ("equal", "replace"):
            continue
        if block.src_end - block.src_start != block.dest_end - block.dest_start:
            continue
        for i, j in zip(range(block.src_start, block.src_end),
                        range(block.dest_start, block.dest_end), strict=True):
            if fold(read[i]) == fold(truth[j]):
                pairs.append(WordPair(truth[j], read[i], conf_of[i]))
    return pairs
