"""From page text to the tokens the model reads.

The page is split into its title zone (the top ~35 % of the lines, national motto cut out: where
the title, form code and số ký hiệu are) and the body. Tokens are lower-cased; digits become
``0`` (a 12-digit ID is ``000000000000``: its shape matters, not its value). Every token is
given plain; tokens of the first lines of the title zone are given again with a ``t:`` prefix,
and tokens of its capitalised lines (where the printed title is) with a ``u:`` prefix, so the
bag of words can tell "TỜ KHAI ĐĂNG KÝ LẠI KHAI SINH" in the title from "Giấy khai sinh" in a
sentence.

Two tokenizations are compared when training (``tokenization`` in the manifest):
``syllable`` (Vietnamese syllables as written, split on spaces and punctuation) and ``pyvi``
(word segmentation by pyvi, the default of ``spacy.blank("vi")``: "đăng_ký", "khai_sinh").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from classify.fields.layout import is_mostly_upper, page_lines, strip_motto, title_zone

TOKENIZATIONS = ("syllable", "pyvi")
TOP_PREFIX = "t:"
UPPER_PREFIX = "u:"
TOP_LINES = 8
MAX_BODY_TOKENS = 400
_WORD = re.compile(r"[^\W_]+(?:[/.][^\W_]+)*", re.UNICODE)
_DIGIT = re.compile(r"\d")


def page_parts(text: str) -> tuple[list[str], list[str]]:
    """(title-zone lines without the motto, body lines)."""
    lines = page_lines(text)
    zone = title_zone(lines)
    top = [rest for rest, _ in (strip_motto(line) for line in zone) if rest.strip()]
    return top, lines[len(zone):]


def _syllables(line: str) -> list[str]:
    return [_DIGIT.sub("0", w.lower()) for w in _WORD.findall(line)]


@cache
def _pyvi() -> Callable[[str], str]:
    from pyvi import ViTokenizer

    return ViTokenizer.tokenize


def _pyvi_words(line: str) -> list[str]:
    words = _pyvi()(line).split()
    return [_DIGIT.sub("0", w.lower()) for w in words if any(ch.isalnum() for ch in w)]


def tokenize(text: str, tokenization: str) -> list[str]:
    """The model's tokens for one page of text."""
    if tokenization not in TOKENIZATIONS:
        raise ValueError(f"unknown tokenization {tokenization!r}")
    split = _syllables if tokenization == "syllable" else _pyvi_words
    top, body = page_parts(text)
    zone = [split(line) for line in top]
    upper = [t for line, words in zip(top, zone, strict=True) if is_mostly_upper(line)
             for t in words]
    first = [t for words in zone[:TOP_LINES] for t in words]
    body_tokens = [t for line in body for t in split(line)][:MAX_BODY_TOKENS]
    return [*(t for words in zone for t in words), *(UPPER_PREFIX + t for t in upper),
            *(TOP_PREFIX + t for t in first), *body_tokens]
