"""Values printed after a label: "Họ và tên: …", "Nơi cư trú: …", "Ngày sinh: …".

Labels are matched on folded text at the start of a line (after an enumerator such as "1." or
"-") or after a wide gap on forms with several fields a line. The value runs to the end of the
line or to the next known label; when the label ends its line (ID cards: "Họ và tên / Full
name:" then the name), the value is the next line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from classify.fields.layout import fold_aligned

_ENUMERATOR = r"(?:^[\s\-–•*+]*(?:\d{1,2}[.)]|[a-z][.)])?\s*|\s{2,}|[;|]\s*)"
_LEADERS = re.compile(r"[.…_]{2,}")
_COLON_WINDOW = 45
NAME_LABELS = ("ho, chu dem, ten", "ho, chu dem va ten", "ho va ten", "ho ten", "full name")
STOP_LABELS = (
    "gioi tinh", "ngay sinh", "sinh ngay", "ngay, thang, nam sinh", "dan toc", "quoc tich",
    "noi sinh", "que quan", "sex", "date of birth", "nationality", "so dien thoai", "dien thoai",
    "email", "so dinh danh", "so cccd", "cccd", "cmnd", "ho chieu", "nghe nghiep",
    "ma so thue", "fax",
)


@dataclass(frozen=True)
class Labelled:
    """The raw value after a label: ``line`` is the index of the line it was read from."""

    value: str
    line: int
    same_line: bool


@lru_cache(maxsize=256)
def label_pattern(labels: tuple[str, ...], anywhere: bool = False) -> re.Pattern[str]:
    """A pattern finding any of the folded ``labels`` where a label can start (or at any word
    boundary with ``anywhere``: "CMND số … cấp ngày 01/02/2010")."""
    alternatives = "|".join(
        r"[\s,]*".join(re.escape(w) for w in re.split(r"[\s,]+", label) if w)
        for label in sorted(labels, key=len, reverse=True)
    )
    start = r"\b" if anywhere else _ENUMERATOR
    return re.compile(rf"{start}(?P<label>{alternatives})\b")


@lru_cache(maxsize=1)
def _stop_pattern() -> re.Pattern[str]:
    """Another field on the same line: a known label followed by a colon."""
    ordered = sorted(STOP_LABELS, key=len, reverse=True)
    alternatives = "|".join(re.escape(label) for label in ordered)
    return re.compile(rf"(?<![^\s;,|(])(?P<label>{alternatives})\b[^:]{{0,25}}:")


def labelled_values(lines: Sequence[str], labels: tuple[str, ...],
                    anywhere: bool = False) -> Iterator[Labelled]:
    """Every value printed after one of ``labels`` (folded), in page order."""
    pattern = label_pattern(labels, anywhere)
    for index, line in enumerate(lines):
        match = pattern.search(fold_aligned(line))
        if match is None:
            continue
        value = _value_after(line, match.end("label"))
        if value:
            yield Labelled(value, index, True)
        elif index + 1 < len(lines) and ":" not in lines[index + 1]:
            following = _cut(lines[index + 1])
            if following:
                yield Labelled(following, index + 1, False)


def line_has_label(line: str, labels: tuple[str, ...]) -> bool:
    return label_pattern(labels).search(fold_aligned(line)) is not None


def _value_after(line: str, end: int) -> str:
    colon = line.find(":", end, end + _COLON_WINDOW)
    if colon >= 0 and not any(ch.isdigit() for ch in line[end:colon]):
        end = colon + 1
    return _cut(line[end:])


def _cut(rest: str) -> str:
    """The value at the start of ``rest``: up to the next known label, without dot leaders."""
    stop = _stop_pattern().search(fold_aligned(rest), 1)
    if stop is not None:
        rest = rest[: stop.start("label")]
    rest = _LEADERS.sub(" ", rest)
    return " ".join(rest.split()).strip(" :;,.-/|")


_NAME_WORD = re.compile(r"^[^\W\d_]+$")


def clean_name(value: str) -> str | None:
    """A person's name, or ``None`` if ``value`` does not look like one (2–7 letter-only words,
    each capitalised)."""
    words = value.replace("/", " ").split()
    if not 2 <= len(words) <= 7:
        return None
    if not all(_NAME_WORD.match(w) and w[0].isupper() for w in words):
        return None
    return " ".join(words)


def person_blocks(lines: Sequence[str]) -> list[int]:
    """For each line, the number of the person it is about: a name label starts a new person.

    Lines before the first name label belong to the first person (an ID card prints the number
    above the name).
    """
    blocks: list[int] = []
    current = 0
    for line in lines:
        if line_has_label(line, NAME_LABELS):
            current += 1
        blocks.append(max(current, 1))
    return blocks
