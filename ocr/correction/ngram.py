"""A syllable bigram model with interpolated absolute discounting, read from ``ocr/lexicon``.

P(b | a) = max(c(a b) − D, 0) / c(a ·) + λ(a) · P(b), where λ(a) is the mass the discount and
the pruned pairs left over, and P(b) is the add-½ unigram over the inventory plus room for
syllables never seen (a valid but unseen syllable is rare, not impossible).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.text import fold
from ocr.correction.syllable import key_letters, split_tone

BOS, EOS = "<s>", "</s>"
DISCOUNT = 0.75
UNIGRAM_PRIOR = 0.5
# Vietnamese has about 7,000 toned syllables in use (6,000–8,000 by most counts).
SYLLABLES_IN_USE = 8000
LEXICON = Path(__file__).resolve().parents[1] / "lexicon"


@dataclass(frozen=True)
class NgramModel:
    """Counts keyed by syllable key (``ocr.correction.syllable.syllable_key``)."""

    unigrams: Mapping[str, int]
    history: Mapping[str, int]
    bigrams: Mapping[tuple[str, str], int]
    leftover: Mapping[str, float]
    spelling: Mapping[str, str]
    by_fold: Mapping[str, tuple[str, ...]]
    total: int

    def __contains__(self, key: object) -> bool:
        return key in self.unigrams

    def unigram_logp(self, key: str) -> float:
        slots = max(SYLLABLES_IN_USE, len(self.unigrams))
        count = self.unigrams.get(key, 0) + UNIGRAM_PRIOR
        return math.log(count / (self.total + UNIGRAM_PRIOR * slots))

    def logp(self, right: str, left: str) -> float:
        """log P(right | left)."""
        seen = self.history.get(left, 0)
        if not seen:
            return self.unigram_logp(right)
        pair = max(self.bigrams.get((left, right), 0) - DISCOUNT, 0.0) / seen
        return math.log(pair + self.leftover[left] * math.exp(self.unigram_logp(right)))

    def same_fold(self, key: str) -> tuple[str, ...]:
        """Known keys that fold like ``key`` (tone and vowel modifiers aside)."""
        return self.by_fold.get(fold(key_letters(key)), ())

    def pair_seen(self, left: str, right: str) -> bool:
        return (left, right) in self.bigrams


def _read_rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line]


def _key(word: str) -> str:
    return word if word in (BOS, EOS) else split_tone(word).key


def load_model(folder: Path = LEXICON) -> NgramModel:
    """Read ``syllables.tsv`` and ``bigrams.tsv`` from ``folder``."""
    unigrams: dict[str, int] = {}
    history: dict[str, int] = {}
    spelling: dict[str, str] = {}
    by_fold: dict[str, list[str]] = defaultdict(list)
    for word, count, as_left, _followers in _read_rows(folder / "syllables.tsv"):
        key = _key(word)
        unigrams[key], history[key], spelling[key] = int(count), int(as_left), word
        if word not in (BOS, EOS):
            by_fold[fold(word)].append(key)
    bigrams: dict[tuple[str, str], int] = {}
    kept: dict[str, float] = defaultdict(float)
    for left, right, count in _read_rows(folder / "bigrams.tsv"):
        pair = (_key(left), _key(right))
        bigrams[pair] = int(count)
        kept[pair[0]] += max(int(count) - DISCOUNT, 0.0)
    leftover = {key: 1.0 - kept[key] / seen for key, seen in history.items() if seen}
    total = sum(count for key, count in unigrams.items() if key != BOS)
    return NgramModel(unigrams=unigrams, history=history, bigrams=bigrams, leftover=leftover,
                      spelling=spelling, by_fold={k: tuple(v) for k, v in by_fold.items()},
                      total=total)


@lru_cache(maxsize=1)
def default_model() -> NgramModel:
    """The model shipped in ``ocr/lexicon`` (read once per process, about 50 ms)."""
    return load_model()
