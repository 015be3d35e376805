"""Vietnamese syllables (âm tiết): tone marks, well-formedness, and the key the model counts.

A syllable is its letters (with the vowel modifiers ˆ ˘ ʼ and đ) and one of six tones. The
key of a syllable is its lower-case letters and the tone number, so the two tone placements
in use ("hòa" and "hoà", "thủy" and "thuỷ") are one key. ``ingest.text.fold`` removes both
letters' modifiers and tones: every candidate correction keeps the folded form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.text import fold

# Tone numbers: 0 ngang (none), 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng.
TONE_MARKS = {"\u0301": 1, "\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
MARK_OF_TONE = {tone: mark for mark, tone in TONE_MARKS.items()}
TONE_NAMES = ("ngang", "sắc", "huyền", "hỏi", "ngã", "nặng")
VOWELS = "aăâeêioôơuưy"

_ONSET = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?"
_CODA = "(?:ng|nh|ch|c|m|n|p|t)?"
_NUCLEUS = "[aăâeêioôơuưy]{1,3}"
_SYLLABLE = re.compile(f"^{_ONSET}{_NUCLEUS}{_CODA}$")


@dataclass(frozen=True)
class Syllable:
    """A syllable split into tone-less letters (NFC) and its tone, with where the mark sat."""

    letters: str
    tone: int
    mark_at: int  # index in ``letters`` of the vowel carrying the tone mark, -1 for ngang

    @property
    def key(self) -> str:
        return syllable_key(self.letters, self.tone)

    def spelled(self, tone: int, mark_at: int | None = None) -> str:
        """These letters with ``tone``, the mark on ``mark_at`` (default: the usual vowel)."""
        return with_tone(self.letters, tone, mark_at)


def syllable_key(letters: str, tone: int) -> str:
    """The model's key: lower-case letters and the tone digit ("hội" → "hôi5")."""
    return f"{letters.lower()}{tone}"


def key_letters(key: str) -> str:
    return key[:-1]


def key_tone(key: str) -> int:
    return int(key[-1])


def split_tone(word: str) -> Syllable:
    """Split ``word`` into letters and tone; a word with two tone marks keeps the first."""
    letters: list[str] = []
    tone, mark_at = 0, -1
    for char in unicodedata.normalize("NFD", word):
        number = TONE_MARKS.get(char)
        if number is None:
            letters.append(char)
        elif tone == 0:
            tone = number
            mark_at = len(unicodedata.normalize("NFC", "".join(letters))) - 1
    return Syllable(unicodedata.normalize("NFC", "".join(letters)), tone, mark_at)


def usual_mark_position(letters: str) -> int:
    """Index of the vowel that carries the tone mark, by the common ("old style") rule.

    A modified vowel (ă â ê ô ơ ư) takes it; otherwise in a final two-vowel cluster without a
    coda the first vowel ("hòa", "túi"), else the last vowel of the cluster ("hoàn", "thuyền").
    "gi" and "qu" count as onsets.
    """
    lower = letters.lower()
    start = 2 if lower.startswith(("gi", "qu")) and len(lower) > 2 and lower[2] in VOWELS else 0
    spots = [i for i in range(start, len(lower)) if lower[i] in VOWELS]
    if not spots:
        return -1
    modified = [i for i in spots if lower[i] in "ăâêôơư"]
    if modified:
        return modified[-1]
    if len(spots) >= 2 and spots[-1] == len(lower) - 1:
        return spots[-2]
    return spots[-1]


def with_tone(letters: str, tone: int, mark_at: int | None = None) -> str:
    """Put ``tone`` on ``letters`` (NFC), on ``mark_at`` or on the usual vowel."""
    if tone == 0:
        return letters
    position = usual_mark_position(letters) if mark_at is None or mark_at < 0 else mark_at
    if position < 0 or position >= len(letters):
        return letters
    marked = unicodedata.normalize("NFD", letters[position]) + MARK_OF_TONE[tone]
    return letters[:position] + unicodedata.normalize("NFC", marked) + letters[position + 1:]


def is_syllable(word: str) -> bool:
    """Whether ``word`` is spelled like one Vietnamese syllable (at most one tone mark)."""
    if not word or not word.isalpha():
        return False
    marks = sum(1 for c in unicodedata.normalize("NFD", word) if c in TONE_MARKS)
    return marks <= 1 and bool(_SYLLABLE.match(split_tone(word).letters.lower()))


def has_diacritics(word: str) -> bool:
    return fold(word) != word.lower()


def case_pattern(word: str) -> str:
    """``lower``, ``title``, ``upper`` or ``mixed`` (one-letter capitals count as title)."""
    if word.islower():
        return "lower"
    if word.isupper():
        return "title" if len(word) == 1 else "upper"
    if word[0].isupper() and word[1:].islower():
        return "title"
    return "mixed"


def apply_case(word: str, pattern: str) -> str:
    if pattern == "upper":
        return word.upper()
    if pattern == "title":
        return word[:1].upper() + word[1:]
    return word
