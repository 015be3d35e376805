"""Split OCR text into words, and tell which words the corrector may touch.

A word is a whitespace-separated token; its core is the run of letters after any leading
punctuation, the rest is its suffix ("(số," → "(", "số", ","; "thuật;1" → "thuật", ";1").
Only cores that are one well-formed Vietnamese syllable in lower, Title or UPPER case are
candidates; digits, codes ("45/2026/NĐ-CP", "QH13", "UBND"), mixed case, single letters
("a)", "b)") and words Tesseract is sure of are left as read. Punctuation between two words ends
the context, as it ends a segment of the training text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ocr.correction.syllable import case_pattern, is_syllable
from ocr.model import Word

# Leading punctuation, then letters, then the rest ("thuật;1" → "", "thuật", ";1").
_PARTS = re.compile(r"^(\W*)([^\W\d_]*)(.*)$", re.DOTALL)
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Token:
    """One word of the text: where it is, its parts, and the OCR confidence if known."""

    index: int  # position among all words of the text (the index into ``words``)
    line: int
    start: int  # character offset of the word in the text
    prefix: str
    core: str
    suffix: str
    conf: float | None

    @property
    def text(self) -> str:
        return self.prefix + self.core + self.suffix

    @property
    def is_syllable(self) -> bool:
        return is_syllable(self.core) and case_pattern(self.core) != "mixed"

    @property
    def case(self) -> str:
        return case_pattern(self.core)


def tokenize(text: str, confs: Sequence[float | None] | None = None) -> list[Token]:
    """The words of ``text`` in order; ``confs`` gives one confidence per word."""
    tokens: list[Token] = []
    offset = 0
    for number, line in enumerate(text.split("\n")):
        for match in _WORD.finditer(line):
            parts = _PARTS.match(match.group())
            prefix, core, suffix = parts.groups() if parts else ("", match.group(), "")
            conf = confs[len(tokens)] if confs is not None else None
            tokens.append(Token(len(tokens), number, offset + match.start(), prefix, core,
                                suffix, conf))
        offset += len(line) + 1
    return tokens


def confidences(text: str, words: Sequence[Word] | None) -> list[float | None] | None:
    """One confidence per word of ``text`` when ``words`` are exactly its words, else None.

    ``ocr.tesseract.parse_tsv`` joins the TSV words with spaces and newlines, so the words of
    the page text and the page's ``words`` correspond one to one.
    """
    if words is None:
        return None
    read = text.split()
    if len(read) != len(words) or any(w.text != r for w, r in zip(words, read, strict=True)):
        return None
    return [w.conf if w.conf >= 0 else None for w in words]


def chains(tokens: Sequence[Token]) -> list[list[Token]]:
    """Runs of syllable words with no punctuation between them (the decoder's contexts)."""
    runs: list[list[Token]] = []
    run: list[Token] = []
    for token in tokens:
        if not token.is_syllable:
            if run:
                runs.append(run)
            run = []
            continue
        if run and (run[-1].suffix or token.prefix):
            runs.append(run)
            run = []
        run.append(token)
    if run:
        runs.append(run)
    return runs


def lines_of(words: Sequence[Word]) -> list[int]:
    """A line number per word from the boxes: a new line when a word starts left of the last
    one or does not overlap it vertically by half the smaller height."""
    numbers: list[int] = []
    line = 0
    for i, word in enumerate(words):
        if i:
            left, top, _, height = word.box
            p_left, p_top, _, p_height = words[i - 1].box
            overlap = min(top + height, p_top + p_height) - max(top, p_top)
            if left < p_left or overlap < 0.5 * min(height, p_height):
                line += 1
        numbers.append(line)
    return numbers
