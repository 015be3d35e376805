"""The result of reading one field, and where on the page its words are."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from classify.fields.layout import fold_aligned
from ocr.model import Word

Box = tuple[int, int, int, int]
_EDGE_PUNCT = re.compile(r"^[^\w/]+|[^\w/]+$")


@dataclass(frozen=True)
class ExtractedField:
    """One value read from a page.

    ``value`` is normalized (NFC; dates ISO 8601, "2026-04-30", or reduced precision "2026" when
    only the year is legible); ``source_text`` is the text it was read from; ``box`` is the union
    (left, top, width, height) of the OCR words of ``source_text`` when word boxes were given.
    """

    value: str
    confidence: float
    box: Box | None
    source_text: str


def union_box(boxes: Sequence[Box]) -> Box | None:
    if not boxes:
        return None
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    return (left, top, right - left, bottom - top)


def locate(source_text: str, words: Sequence[Word]) -> Box | None:
    """Union box of the first run of ``words`` that spells ``source_text``.

    Parts separated by " / " (a value joined from several lines) are located one by one.
    Words are compared folded and without edge punctuation; the first and last words of the
    run may carry extra characters ("Số:2191/CT-CS", "Lan,").
    """
    boxes: list[Box] = []
    for part in source_text.split(" / "):
        found = _locate_part(part, words)
        if found is not None:
            boxes.append(found)
    return union_box(boxes)


def _key(text: str) -> str:
    return _EDGE_PUNCT.sub("", fold_aligned(text))


def _locate_part(part: str, words: Sequence[Word]) -> Box | None:
    targets = [k for k in (_key(t) for t in part.split()) if k]
    if not targets:
        return None
    keyed = [(k, w) for k, w in ((_key(w.text), w) for w in words) if k]
    last = len(targets) - 1
    for start in range(len(keyed) - last):
        if all(_token_matches(targets[j], keyed[start + j][0], j == 0, j == last)
               for j in range(len(targets))):
            return union_box([w.box for _, w in keyed[start:start + len(targets)]])
    return None


def _token_matches(target: str, key: str, first: bool, last: bool) -> bool:
    if target == key:
        return True
    if first and key.endswith(target):
        return True
    return last and key.startswith(target)
