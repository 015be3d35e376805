"""Build the syllable inventory and bigram counts in ``ocr/lexicon/`` from the project's text.

    .venv/bin/python -m ocr.correction.build [--shared ../shared] [--out ocr/lexicon]

Writes ``syllables.tsv`` (syllable, count, count as left context, distinct right neighbours;
the sentence marks ``<s>`` and ``</s>`` included) and ``bigrams.tsv`` (left, right, count; pairs
seen at least ``MIN_BIGRAM_COUNT`` times). Deterministic: same sources, same bytes.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ocr.correction.corpus import training_texts, vietnamese_segments
from ocr.correction.ngram import BOS, EOS
from ocr.correction.syllable import split_tone

MIN_BIGRAM_COUNT = 1  # singletons kept: 1.0 % more repairs on the dev set, none wrong
REPO = Path(__file__).resolve().parents[2]


@dataclass
class Counts:
    """Raw counts over lower-case surface spellings."""

    unigrams: Counter[str] = field(default_factory=Counter)
    bigrams: Counter[tuple[str, str]] = field(default_factory=Counter)
    spellings: Counter[str] = field(default_factory=Counter)
    segments: int = 0

    def add(self, texts: Iterable[str]) -> None:
        for text in texts:
            for run in vietnamese_segments(text):
                self.segments += 1
                keys = [split_tone(word).key for word in run]
                self.spellings.update(run)
                self.unigrams.update(keys)
                self.unigrams[EOS] += 1
                self.bigrams.update(zip([BOS, *keys], [*keys, EOS], strict=True))


def spelling_of(counts: Counts) -> dict[str, str]:
    """The most frequent spelling of each key (ties: alphabetical), to print the files."""
    best: dict[str, tuple[int, str]] = {}
    for word, number in counts.spellings.items():
        key = split_tone(word).key
        if key not in best or (-number, word) < (-best[key][0], best[key][1]):
            best[key] = (number, word)
    return {key: word for key, (_, word) in best.items()} | {BOS: BOS, EOS: EOS}


def write_lexicon(counts: Counts, out: Path) -> tuple[int, int]:
    """Write both files; return (syllables, bigrams) written."""
    spelled = spelling_of(counts)
    history: Counter[str] = Counter()
    followers: Counter[str] = Counter()
    for (left, _), number in counts.bigrams.items():
        history[left] += number
        followers[left] += 1
    keys = sorted(set(counts.unigrams) | {BOS}, key=lambda k: (-counts.unigrams[k], spelled[k]))
    out.mkdir(parents=True, exist_ok=True)
    rows = [f"{spelled[k]}\t{counts.unigrams[k]}\t{history[k]}\t{followers[k]}" for k in keys]
    (out / "syllables.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    kept = sorted(((spelled[a], spelled[b], n) for (a, b), n in counts.bigrams.items()
                   if n >= MIN_BIGRAM_COUNT), key=lambda row: (row[0], row[1]))
    lines = [f"{a}\t{b}\t{n}" for a, b, n in kept]
    (out / "bigrams.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(rows), len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--out", type=Path, default=REPO / "ocr" / "lexicon")
    args = parser.parse_args()
    counts = Counts()
    for name, texts in training_texts(REPO, args.shared):
        before = sum(counts.unigrams.values()) - counts.unigrams[EOS]
        counts.add(texts)
        after = sum(counts.unigrams.values()) - counts.unigrams[EOS]
        print(f"{name}: {after - before} syllables")
    syllables, bigrams = write_lexicon(counts, args.out)
    print(f"{counts.segments} segments, {syllables} syllable keys, {bigrams} bigrams kept "
          f"(of {len(counts.bigrams)}, count >= {MIN_BIGRAM_COUNT})")


if __name__ == "__main__":
    main()
