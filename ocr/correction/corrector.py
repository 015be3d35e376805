"""Post-OCR correction of Vietnamese syllables (sửa dấu thanh sau OCR).

Repairs a word only where the syllable bigram model and the OCR confidence agree it was
misread: the replacement always folds alike (``fold(new) == fold(old)``: only tone marks, vowel
modifiers and đ may change), keeps the word's case and punctuation, and must beat the word as
read by ``margin`` nats. Capitalised words (names, headers) also need the replacement to form a
pair seen in the training text with a neighbour, and a larger margin. The raw text is kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from ingest.text import nfc
from ocr.correction.channel import Channel, default_channel
from ocr.correction.decode import Choice, Slot, decode
from ocr.correction.ngram import LEXICON, NgramModel, default_model
from ocr.correction.syllable import Syllable, apply_case, split_tone
from ocr.correction.tokens import Token, chains, confidences, lines_of, tokenize
from ocr.model import Word

# Nats: the repaired reading must be e³ ≈ 20 times likelier than the word as read. On the dev set
# (bench.quality fit) margins 1–3 repaired 1,309–1,251 words and spoiled 4; 3 is the cautious end.
MARGIN = 3.0
CAPITAL_MARGIN = 2.0  # added for Title and UPPER case words
# A known syllable read at or above this confidence is left alone. None: no hard limit, the
# fitted channel alone weighs the confidence (on the dev set ``vie`` read ể as ế at 96–97, and a
# limit at 96 lost a quarter of the repairs without avoiding a single wrong change).
SURE_CONFIDENCE: float | None = None


@dataclass(frozen=True)
class Change:
    """One repaired word: as read, as corrected, where, and why."""

    original: str
    corrected: str
    line: int  # 0-based line of the text
    word: int  # 0-based index among the text's words (the index into ``PageText.words``)
    start: int  # character offset in the text (the same in the raw and corrected text)
    reason: str


@dataclass(frozen=True)
class Correction:
    """The corrected text, the raw text it came from, and every change made."""

    text: str
    changes: tuple[Change, ...]
    raw: str

    def apply(self, words: Sequence[Word]) -> tuple[Word, ...]:
        """The OCR ``words`` of the raw text with the changes made (boxes, confidences kept).

        Words that do not match the raw text one for one are returned unchanged.
        """
        fixed = list(words)
        if len(fixed) != len(self.raw.split()):
            return tuple(fixed)
        for change in self.changes:
            word = fixed[change.word]
            fixed[change.word] = replace(word, text=nfc(word.text).replace(
                change.original, change.corrected, 1))
        return tuple(fixed)


@dataclass(frozen=True)
class WordCorrection:
    """Words with repaired text and unchanged boxes and confidences."""

    words: tuple[Word, ...]
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Corrector:
    """A model, a channel and the thresholds; see the module docstring."""

    model: NgramModel
    channel: Channel
    margin: float = MARGIN
    capital_margin: float = CAPITAL_MARGIN
    sure_confidence: float | None = SURE_CONFIDENCE

    def correct_text(self, text: str, words: Sequence[Word] | None = None) -> Correction:
        raw = nfc(text)
        return self._correct(raw, confidences(raw, words))

    def correct_words(self, words: Sequence[Word]) -> WordCorrection:
        """Correct words in reading order, lines taken from the boxes; boxes are kept."""
        lines: dict[int, list[str]] = {}
        for word, number in zip(words, lines_of(words), strict=True):
            lines.setdefault(number, []).append(nfc(word.text))
        text = "\n".join(" ".join(lines[n]) for n in sorted(lines))
        correction = self._correct(text, [w.conf if w.conf >= 0 else None for w in words])
        return WordCorrection(correction.apply(words), correction.changes)

    def _correct(self, raw: str, confs: Sequence[float | None] | None) -> Correction:
        changes = self._changes(tokenize(raw, confs))
        corrected = list(raw)
        for change in changes:
            corrected[change.start:change.start + len(change.corrected)] = change.corrected
        return Correction("".join(corrected), tuple(changes), raw)

    def _changes(self, tokens: Sequence[Token]) -> list[Change]:
        changes: list[Change] = []
        for run in chains(tokens):
            slots = [self._slot(token) for token in run]
            for token, slot, choice in zip(run, slots, decode(slots, self.model, self.channel),
                                           strict=True):
                change = self._change(token, slot, choice)
                if change is not None:
                    changes.append(change)
        return changes

    def _slot(self, token: Token) -> Slot:
        read = split_tone(token.core)
        sure = (token.conf is not None and self.sure_confidence is not None
                and token.conf >= self.sure_confidence)
        frozen = len(token.core) == 1 or (sure and read.key in self.model)
        return Slot(read=read, conf=token.conf, frozen=frozen)

    def _change(self, token: Token, slot: Slot, choice: Choice) -> Change | None:
        if choice.key == slot.read.key:
            return None
        capital = token.case != "lower"
        needed = self.margin + (self.capital_margin if capital else 0.0)
        attested = (self.model.pair_seen(choice.left, choice.key)
                    or self.model.pair_seen(choice.key, choice.right))
        if choice.margin < needed or (capital and not attested):
            return None
        corrected = apply_case(_spell(slot.read, choice.key, self.model), token.case)
        return Change(original=token.core, corrected=corrected, line=token.line,
                      word=token.index, start=token.start + len(token.prefix),
                      reason=self._reason(token, slot, choice))

    def _reason(self, token: Token, slot: Slot, choice: Choice) -> str:
        left, right = (self.model.spelling.get(k, k) for k in (choice.left, choice.right))
        known = "known" if slot.read.key in self.model else "unknown"
        conf = "?" if token.conf is None else f"{token.conf:g}"
        return (f"{known} syllable read with conf {conf}; '{left} _ {right}' prefers "
                f"'{self.model.spelling[choice.key]}' by {choice.margin:.1f} nats")


def _spell(read: Syllable, key: str, model: NgramModel) -> str:
    """The new syllable in the word's own letters where they agree (keeping its tone style)."""
    usual = split_tone(model.spelling[key])
    if usual.letters == read.letters.lower() and read.tone:
        return read.spelled(usual.tone, read.mark_at)
    if usual.letters == read.letters.lower():
        return read.spelled(usual.tone)
    return usual.spelled(usual.tone, usual.mark_at)


@lru_cache(maxsize=1)
def corrector_version() -> str:
    """Provenance for a corrected page: the method and a digest of the lexicon files."""
    digest = hashlib.sha256()
    for name in ("syllables.tsv", "bigrams.tsv", "channel.json"):
        digest.update((LEXICON / name).read_bytes())
    return f"sohoa syllable-bigram 1 (lexicon {digest.hexdigest()[:12]})"


def default_corrector() -> Corrector:
    return Corrector(default_model(), default_channel())


def correct_text(text: str, words: Sequence[Word] | None = None) -> Correction:
    """Correct ``text`` (one OCR page); ``words`` are its OCR words, for their confidences."""
    return default_corrector().correct_text(text, words)


def correct_words(words: Sequence[Word]) -> WordCorrection:
    """Correct OCR words in place, keeping boxes and confidences."""
    return default_corrector().correct_words(words)
