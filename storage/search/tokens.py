"""How text becomes search tokens, identically for SQLite FTS5 and PostgreSQL.

Python tokenizes (NFC, lower case, runs of letters and digits) and folds (tone marks removed,
đ→d, via :func:`ingest.text.fold`). SQLite receives the tokens joined by spaces; PostgreSQL
receives the same tokens as a tsvector literal, equal to ``to_tsvector('simple', tokens)``. So the
two databases index exactly the same words at the same positions.

Entry keys order the index: a smaller key is a more recently received dossier, so "newest first"
is the natural (ascending) order of both FTS5 rowids and the PostgreSQL primary key.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache

from ingest.text import fold, nfc

_OTHER_NUMBERS = frozenset(chr(c) for c in range(0x80, 0x30000)
                           if unicodedata.category(chr(c)) == "No")
ALNUM = re.compile(r"[^\W_]+")
"""Runs of letters and digits; "other numbers" (½, ², ①) also separate words, as in PostgreSQL."""
MAX_TOKEN_CHARS = 64  # longer runs (hashes, garbage) are not words anyone types
MAX_INDEXED_TOKENS = 16_000  # per entry: PostgreSQL keeps positions below 16,384
MAX_POSITIONS = 255  # PostgreSQL keeps at most 256 positions of one word per tsvector
VIETNAM_TIME = dt.timezone(dt.timedelta(hours=7))  # no daylight saving time in Việt Nam
SECONDS_BASE = 1 << 33  # keys stay positive for dates up to the year 2242
_TAG_KINDS = {"unit": "u", "procedure_code": "p", "doc_type": "d", "status": "s"}


def _pieces(run: str) -> list[str]:
    """Split a run of letters and digits at "other numbers" (rare: ½, ², ①)."""
    if run.isascii() or _OTHER_NUMBERS.isdisjoint(run):
        return [run]
    return "".join(" " if c in _OTHER_NUMBERS else c for c in run).split()


_BEYOND_LATIN = re.compile("[^\x00-\u024f\u1e00-\u1eff]")
_LATIN_OTHER_NUMBERS = "".join(sorted(c for c in _OTHER_NUMBERS if c < "\u0250"))


def _may_hold_other_numbers(text: str) -> bool:
    """Cheap test first: Vietnamese text is Latin, where only ¹²³¼½¾ are "other numbers"."""
    return bool(_BEYOND_LATIN.search(text)) or any(c in text for c in _LATIN_OTHER_NUMBERS)


def tokenize(text: str) -> list[str]:
    """Lower-case NFC words of ``text``: "Tờ khai ĐKKS-01" → ["tờ", "khai", "đkks", "01"]."""
    text = nfc(text).lower()
    runs = ALNUM.findall(text)
    if _may_hold_other_numbers(text):
        runs = [piece for run in runs for piece in _pieces(run)]
    return [t for t in runs if len(t) <= MAX_TOKEN_CHARS]


@lru_cache(maxsize=200_000)
def fold_token(token: str) -> tuple[str, ...]:
    """The folded form of one token (usually one token: "lừa" → ("lua",))."""
    return tuple(t for run in ALNUM.findall(fold(token)) for t in _pieces(run))


def fold_tokens(tokens: Iterable[str]) -> list[str]:
    return [part for token in tokens for part in fold_token(token)]


def has_marks(tokens: Iterable[str]) -> bool:
    """True when folding changes any token: the user typed diacritics (or đ)."""
    return any(fold_token(t) != (t,) for t in tokens)


def tsvector_literal(tokens: Sequence[str]) -> str:
    """``'lúa':1,4 'khai':2``: what ``to_tsvector('simple', ' '.join(tokens))`` returns."""
    positions: dict[str, list[int]] = {}
    for index, token in enumerate(tokens[:MAX_INDEXED_TOKENS], start=1):
        seen = positions.setdefault(token, [])
        if len(seen) < MAX_POSITIONS:
            seen.append(index)
    return " ".join(f"'{t}':{','.join(map(str, p))}" for t, p in positions.items())


def tag(kind: str, value: str) -> str:
    """An FTS5 token standing for one filter value (injective: the value in hex)."""
    return _TAG_KINDS[kind] + value.encode("utf-8").hex()


def entry_tags(unit: str, procedure_code: str, doc_type: str | None, status: str) -> str:
    values = {"unit": unit, "procedure_code": procedure_code, "doc_type": doc_type,
              "status": status}
    return " ".join(tag(kind, value) for kind, value in values.items() if value)


def entry_key(received_at: dt.datetime, dossier_id: str, ordinal: int, slot: int = 0) -> int:
    """Primary key of an index entry: newest dossier first, then a dossier hash, then ordinal.

    ``slot`` moves to the next hash bucket when two dossiers received in the same second collide.
    """
    seconds = math.floor(received_at.timestamp())
    bucket = (zlib.crc32(dossier_id.encode("utf-8")) + slot) & 0xFFFF
    return ((SECONDS_BASE - seconds) << 24) | (bucket << 8) | max(0, min(ordinal, 255))


def second_range(received_at: dt.datetime) -> tuple[int, int]:
    """All keys an entry received in the same second can have."""
    base = entry_key(received_at, "", 0) & ~0xFFFFFF
    return base, base | 0xFFFFFF


def received_day(key: int) -> dt.date:
    seconds = SECONDS_BASE - (key >> 24)
    return dt.datetime.fromtimestamp(seconds, VIETNAM_TIME).date()


def key_range(received_from: dt.date | None, received_to: dt.date | None
              ) -> tuple[int, int] | None:
    """Keys of entries received from the start of one day to the end of another (Vietnam time)."""
    if received_from is None and received_to is None:
        return None
    low, high = -(1 << 62), 1 << 62
    if received_to is not None:
        end = dt.datetime.combine(received_to + dt.timedelta(days=1), dt.time(), VIETNAM_TIME)
        low = (SECONDS_BASE - math.floor(end.timestamp()) + 1) << 24
    if received_from is not None:
        start = dt.datetime.combine(received_from, dt.time(), VIETNAM_TIME)
        high = ((SECONDS_BASE - math.floor(start.timestamp())) << 24) | 0xFFFFFF
    return low, high
