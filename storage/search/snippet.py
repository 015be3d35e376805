"""Snippets: a short window of a document's text around the first match, matches marked.

The text is OCR output, so untrusted: segments are plain text for the caller to escape. Matches
are found with one regular expression per query in which every letter of a folded query word
also accepts its accented forms (a → [aàáảãạăằắẳẵặâầấẩẫậ], d → [dđ]), so no tokenizing is needed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ingest.text import fold, nfc
from storage.search.model import Segment
from storage.search.parse import Clause

SCAN_CHARS = 50_000  # a match further into a very long document shows the opening instead
BEFORE, AFTER = 60, 180  # characters shown around the first match
_SPACE = re.compile(r"\s+")
_LATIN = [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]


def _variants() -> dict[str, str]:
    """Each ASCII letter and the accented lower-case letters that fold to it."""
    found: dict[str, set[str]] = {}
    for code in _LATIN:
        char = chr(code).lower()
        base = fold(char)
        if len(base) == 1 and base.isascii() and base.isalpha() and base != char:
            found.setdefault(base, set()).add(char)
    return {base: "".join(sorted(chars)) for base, chars in found.items()}


VARIANTS = _variants()


def _letter(char: str) -> str:
    return f"[{char}{VARIANTS[char]}]" if char in VARIANTS else re.escape(char)


@lru_cache(maxsize=256)
def matcher(folded: tuple[str, ...]) -> re.Pattern[str]:
    """Whole words that fold to one of ``folded``, whatever their tone marks or case."""
    words = sorted(set(folded), key=len, reverse=True)
    alternatives = "|".join("".join(_letter(c) for c in word) for word in words)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)


def _window(text: str, centre: int) -> tuple[int, int]:
    start, end = max(0, centre - BEFORE), min(len(text), centre + AFTER)
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def snippet(text: str, clauses: Sequence[Clause]) -> tuple[Segment, ...]:
    """About 240 characters of ``text`` around the first match (as typed, else folded)."""
    text = nfc(text[:SCAN_CHARS])
    if not text.strip():
        return ()
    found: list[re.Match[str]] = []
    if clauses:
        found = list(matcher(tuple(t for c in clauses for t in c.folded)).finditer(text))
    typed = {t for c in clauses for t in c.tokens}
    first = next((m for m in found if m.group().lower() in typed), found[0] if found else None)
    start, end = _window(text, first.start() if first else 0)
    segments: list[Segment] = []
    cursor, plain = start, "… " if start > 0 else ""
    for match in found:
        if start <= match.start() and match.end() <= end:
            plain += _SPACE.sub(" ", text[cursor:match.start()])
            segments += [Segment(plain, False)] if plain else []
            segments.append(Segment(match.group(), True))
            cursor, plain = match.end(), ""
    plain += _SPACE.sub(" ", text[cursor:end]) + (" …" if end < len(text) else "")
    segments += [Segment(plain, False)] if plain else []
    return _trim(segments)


def _trim(segments: list[Segment]) -> tuple[Segment, ...]:
    """No white space at either end of the snippet."""
    if segments and not segments[0].match:
        segments[0] = Segment(segments[0].text.lstrip(), False)
    if segments and not segments[-1].match:
        segments[-1] = Segment(segments[-1].text.rstrip(), False)
    return tuple(s for s in segments if s.text)
