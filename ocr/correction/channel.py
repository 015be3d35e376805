"""How Tesseract misreads a syllable's diacritics: P(read | meant, word confidence).

The error rate depends on the word confidence (fitted per confidence band, made non-increasing
with confidence); given an error, the
tone read depends on the tone meant and on whether the vowel is a modified one (ă â ê ô ơ ư:
``vie`` drops the hook or tilde on â ê ô), and each letter whose modifier or stroke changed
(ô→o, đ→d) costs a further factor. Fitted by ``bench.quality fit`` on generated pages of
held-out text, never on the evaluation pages, and stored in ``ocr/lexicon/channel.json``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ocr.correction.metrics import WordPair
from ocr.correction.syllable import Syllable, is_syllable, split_tone

BAND_EDGES = (0.0, 40.0, 60.0, 70.0, 80.0, 85.0, 90.0, 93.0, 96.0)
MODIFIED = set("ăâêôơư")
PRIOR_ERRORS, PRIOR_WORDS = 1.0, 20.0  # Beta prior on each band's error rate
TONE_PRIOR = 0.5
CHANNEL_FILE = Path(__file__).resolve().parents[1] / "lexicon" / "channel.json"


def vowel_class(letters: str) -> str:
    return "modified" if any(c in MODIFIED for c in letters.lower()) else "plain"


def letter_changes(a: str, b: str) -> int:
    return sum(1 for x, y in zip(a.lower(), b.lower(), strict=False) if x != y)


def band_of(conf: float | None) -> int | None:
    if conf is None or conf < 0:
        return None
    return max(i for i, edge in enumerate(BAND_EDGES) if conf >= edge)


@dataclass(frozen=True)
class Channel:
    """Fitted parameters; see the module docstring."""

    band_error: tuple[float, ...]
    overall_error: float
    tone: dict[str, tuple[tuple[float, ...], ...]]  # class → [meant][read]
    letter: float
    pairs: int = 0
    errors: int = 0

    def error_rate(self, conf: float | None) -> float:
        band = band_of(conf)
        return self.overall_error if band is None else self.band_error[band]

    def logp(self, read: Syllable, meant: Syllable, conf: float | None) -> float:
        """log P(``read`` | ``meant``) for syllables that fold alike."""
        rate = self.error_rate(conf)
        if read.key == meant.key:
            return math.log(1.0 - rate)
        changed = letter_changes(read.letters, meant.letters)
        tone = self.tone[vowel_class(meant.letters)][meant.tone][read.tone]
        letters = self.letter ** changed if changed else 1.0 - self.letter
        return math.log(rate) + math.log(tone) + math.log(letters)

    def as_json(self) -> dict[str, object]:
        return {"band_edges": list(BAND_EDGES), "band_error": list(self.band_error),
                "overall_error": self.overall_error, "letter": self.letter,
                "tone": {k: [list(row) for row in v] for k, v in self.tone.items()},
                "pairs": self.pairs, "errors": self.errors}


def _syllable_pairs(pairs: Iterable[WordPair]) -> list[tuple[Syllable, Syllable, float | None]]:
    out = []
    for pair in pairs:
        if is_syllable(pair.truth) and is_syllable(pair.read):
            out.append((split_tone(pair.truth), split_tone(pair.read), pair.conf))
    return out


def _tone_table(wrong: Sequence[tuple[Syllable, Syllable]], cls: str
                ) -> tuple[tuple[float, ...], ...]:
    counts = [[TONE_PRIOR] * 6 for _ in range(6)]
    for meant, read in wrong:
        if vowel_class(meant.letters) == cls:
            counts[meant.tone][read.tone] += 1
    return tuple(tuple(c / sum(row) for c in row) for row in counts)


def non_increasing(rates: Sequence[float], weights: Sequence[float]) -> tuple[float, ...]:
    """Weighted isotonic fit (pool adjacent violators): a less confident band never gets a
    lower error rate than a more confident one."""
    blocks: list[list[float]] = []  # [rate, weight, bands]
    for rate, weight in zip(rates, weights, strict=True):
        blocks.append([rate, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] < blocks[-1][0]:
            (r1, w1, n1), (r2, w2, n2) = blocks[-2], blocks.pop()
            blocks[-1] = [(r1 * w1 + r2 * w2) / (w1 + w2), w1 + w2, n1 + n2]
    return tuple(rate for rate, _, count in blocks for _ in range(int(count)))


def fit(pairs: Iterable[WordPair]) -> Channel:
    """Estimate the channel from aligned (truth, read, confidence) word pairs."""
    syllables = _syllable_pairs(pairs)
    wrong = [(meant, read) for meant, read, _ in syllables if meant.key != read.key]
    band_words = [PRIOR_WORDS] * len(BAND_EDGES)
    band_wrong = [PRIOR_ERRORS] * len(BAND_EDGES)
    for meant, read, conf in syllables:
        band = band_of(conf)
        if band is not None:
            band_words[band] += 1
            band_wrong[band] += meant.key != read.key
    changed = sum(letter_changes(m.letters, r.letters) > 0 for m, r in wrong)
    return Channel(
        band_error=non_increasing([w / n for w, n in zip(band_wrong, band_words, strict=True)],
                                  band_words),
        overall_error=(len(wrong) + PRIOR_ERRORS) / (len(syllables) + PRIOR_WORDS),
        tone={cls: _tone_table(wrong, cls) for cls in ("plain", "modified")},
        letter=(changed + 0.5) / (len(wrong) + 1.0), pairs=len(syllables), errors=len(wrong))


def save(channel: Channel, path: Path = CHANNEL_FILE) -> None:
    path.write_text(json.dumps(channel.as_json(), indent=1) + "\n", encoding="utf-8")


def load(path: Path = CHANNEL_FILE) -> Channel:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Channel(
        band_error=tuple(data["band_error"]), overall_error=data["overall_error"],
        tone={k: tuple(tuple(row) for row in v) for k, v in data["tone"].items()},
        letter=data["letter"], pairs=data["pairs"], errors=data["errors"])


@lru_cache(maxsize=1)
def default_channel() -> Channel:
    return load()
