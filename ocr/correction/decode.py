"""Best syllables for a run of OCR words: a bigram HMM decoded with max-marginals.

Each word may be read as itself or as any known syllable that folds alike (differs only in tone
and vowel modifiers). A path scores log P_lm(path) + Σ log P_channel(read | meant); a run starts
with the unigram probability and ends without a sentence-end factor: where an OCR run starts or
stops (a number, a code, a column edge) says little about the words, unlike the punctuation of
the training text. For each word the max-marginal of a candidate is the score of the best path
through it; a word is changed only when the best candidate beats the word as read by a margin
(log-odds, in nats).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ocr.correction.channel import Channel, letter_changes
from ocr.correction.ngram import BOS, EOS, NgramModel
from ocr.correction.syllable import Syllable, split_tone

MAX_LETTER_CHANGES = 1  # a candidate may differ from the word read in at most one letter


@dataclass(frozen=True)
class Slot:
    """One word to decode: its syllable as read, the candidate keys, whether it is frozen."""

    read: Syllable
    conf: float | None
    frozen: bool = False


@dataclass(frozen=True)
class Choice:
    """The decoder's verdict on one word: best key, its margin over the word as read."""

    key: str
    margin: float
    left: str
    right: str


def candidates(slot: Slot, model: NgramModel) -> list[str]:
    """The word as read first, then the known keys that fold alike within the letter limit."""
    keys = [slot.read.key]
    if slot.frozen:
        return keys
    for key in model.same_fold(slot.read.key):
        letters = model.spelling[key]
        near = letter_changes(split_tone(letters).letters, slot.read.letters)
        if key not in keys and near <= MAX_LETTER_CHANGES:
            keys.append(key)
    return keys


def _emissions(slot: Slot, keys: Sequence[str], model: NgramModel,
               channel: Channel) -> list[float]:
    return [channel.logp(slot.read, split_tone(model.spelling.get(key, slot.read.letters))
                         if key != slot.read.key else slot.read, slot.conf) for key in keys]


def decode(slots: Sequence[Slot], model: NgramModel, channel: Channel) -> list[Choice]:
    """The verdict for every slot of one run (the run starts and ends a segment)."""
    lattice = [candidates(slot, model) for slot in slots]
    emit = [_emissions(s, keys, model, channel) for s, keys in zip(slots, lattice, strict=True)]
    forward = [[e + model.unigram_logp(k) for k, e in zip(lattice[0], emit[0], strict=True)]]
    for i in range(1, len(lattice)):
        pairs = list(zip(lattice[i - 1], forward[i - 1], strict=True))
        forward.append([e + max(f + model.logp(k, p) for p, f in pairs)
                        for k, e in zip(lattice[i], emit[i], strict=True)])
    backward: list[list[float]] = [[0.0] * len(keys) for keys in lattice]
    for i in range(len(lattice) - 2, -1, -1):
        after = list(zip(lattice[i + 1], emit[i + 1], backward[i + 1], strict=True))
        backward[i] = [max(model.logp(n, k) + e + b for n, e, b in after) for k in lattice[i]]
    return _choices(lattice, forward, backward)


def _choices(lattice: Sequence[Sequence[str]], forward: Sequence[Sequence[float]],
             backward: Sequence[Sequence[float]]) -> list[Choice]:
    best_keys: list[str] = []
    margins: list[float] = []
    for keys, f, b in zip(lattice, forward, backward, strict=True):
        scores = [x + y for x, y in zip(f, b, strict=True)]
        best = max(range(len(keys)), key=lambda j: (scores[j], j == 0))
        best_keys.append(keys[best])
        margins.append(scores[best] - scores[0])
    return [Choice(key, margin, best_keys[i - 1] if i else BOS,
                   best_keys[i + 1] if i + 1 < len(best_keys) else EOS)
            for i, (key, margin) in enumerate(zip(best_keys, margins, strict=True))]


__all__ = ["BOS", "EOS", "Choice", "Slot", "candidates", "decode"]
