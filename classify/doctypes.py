"""The document types we recognise (loại giấy tờ), loaded from ``doctypes.yaml``.

Besides the types themselves, :class:`DocumentTypes` precomputes, once per instance, the folded
title phrases, form codes, cue patterns and số-ký-hiệu abbreviations the page classifier
(``classify.rules``) matches against every page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from ingest.text import fold, nfc

DEFAULT_PATH = Path(__file__).with_name("doctypes.yaml")
OTHER = "other"
OTHER_NAME = "Giấy tờ khác (chưa xác định)"
GROUPS = ("component", "one_stop_form", "administrative", "legal_normative")

_NOT_WORD = re.compile(r"[^a-z0-9/ ]+")
_FORM_PREFIX = re.compile(r"^\(?\s*(?:theo\s+)?mau\s*(?:so)?\s*[:.]?\s*")


def normalize_phrase(text: str) -> str:
    """Folded text with punctuation as spaces: "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN" →
    "phieu yeu cau bo sung hoan thien". "/" is kept (V/v, Mẫu số 01/2025/LLTP)."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


def normalize_form_code(text: str) -> str:
    """The code part of a printed form code, folded and without spaces: "Mẫu số 01/2025/LLTP"
    → "1/2025/lltp", "Mẫu CT01" → "ct01", "Mẫu số 18/ĐK" → "18/dk" (leading zeros dropped)."""
    code = _FORM_PREFIX.sub("", fold(text)).replace(" ", "").rstrip(".,;:)")
    return re.sub(r"^0+(?=\d)", "", code)


@dataclass(frozen=True)
class DocumentType:
    """One kind of paper: its stable code, Vietnamese name and the printed cues that identify it."""

    code: str
    name: str
    titles: tuple[str, ...]
    group: str = "component"
    form_codes: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    must_contain: tuple[str, ...] = ()

    @property
    def folded_titles(self) -> tuple[str, ...]:
        return tuple(fold(t) for t in self.titles)


@dataclass(frozen=True)
class TitlePhrase:
    """A title phrase ready for matching: ``normalized`` is :func:`normalize_phrase` of ``text``."""

    code: str
    text: str
    normalized: str
    n_words: int
    must_contain: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class PhraseGroup:
    """Title phrases and, in the same order, their normalized texts (for batch matching)."""

    phrases: tuple[TitlePhrase, ...]
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Cue:
    """A regular expression on normalized title-zone lines that marks a type without a title."""

    code: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class DocumentTypes:
    types: dict[str, DocumentType]

    def name_of(self, code: str) -> str:
        found = self.types.get(code)
        return found.name if found else OTHER_NAME

    def __contains__(self, code: object) -> bool:
        return code in self.types

    def in_group(self, group: str) -> list[DocumentType]:
        return [t for t in self.types.values() if t.group == group]

    @cached_property
    def title_phrases(self) -> tuple[TitlePhrase, ...]:
        """Every distinct (type, folded title) pair, computed once per instance."""
        seen: set[tuple[str, str]] = set()
        phrases: list[TitlePhrase] = []
        for doc_type in self.types.values():
            required = tuple(tuple(normalize_phrase(w).split()) for w in doc_type.must_contain)
            for title in doc_type.titles:
                normalized = normalize_phrase(title)
                if not normalized or (doc_type.code, normalized) in seen:
                    continue
                seen.add((doc_type.code, normalized))
                phrases.append(TitlePhrase(doc_type.code, title, normalized,
                                           len(normalized.split()), required))
        return tuple(phrases)

    def phrases_near(self, n_words: int) -> PhraseGroup:
        """Title phrases of ``n_words`` words, give or take one (the OCR splits and merges
        words)."""
        return self._phrases_by_window.get(n_words, PhraseGroup((), ()))

    @cached_property
    def _phrases_by_window(self) -> dict[int, PhraseGroup]:
        longest = max((p.n_words for p in self.title_phrases), default=0)
        groups = {}
        for n in range(1, longest + 2):
            near = tuple(p for p in self.title_phrases if abs(p.n_words - n) <= 1)
            groups[n] = PhraseGroup(near, tuple(p.normalized for p in near))
        return groups

    @cached_property
    def form_code_index(self) -> dict[str, str]:
        """Normalized form code → type code."""
        return {normalize_form_code(fc): t.code for t in self.types.values() for fc in t.form_codes}

    @cached_property
    def abbreviation_index(self) -> dict[str, str]:
        """Folded type abbreviation of the số ký hiệu ("qd") → type code."""
        return {fold(a): t.code for t in self.types.values() for a in t.abbreviations}

    @cached_property
    def cue_patterns(self) -> tuple[Cue, ...]:
        return tuple(Cue(t.code, re.compile(c)) for t in self.types.values() for c in t.cues)


def load_document_types(path: Path = DEFAULT_PATH) -> DocumentTypes:
    entries = yaml.safe_load(nfc(path.read_text(encoding="utf-8")))
    types: dict[str, DocumentType] = {}
    for entry in entries:
        doc_type = _document_type(entry)
        if doc_type.code in types:
            raise ValueError(f"duplicate document type code {doc_type.code!r} in {path}")
        types[doc_type.code] = doc_type
    return DocumentTypes(types=types)


def _document_type(entry: dict[str, Any]) -> DocumentType:
    group = entry.get("group", "component")
    if group not in GROUPS:
        raise ValueError(f"document type {entry['code']!r}: unknown group {group!r}")
    return DocumentType(
        code=entry["code"], name=entry["name"], titles=tuple(entry.get("titles") or ()),
        group=group, form_codes=tuple(entry.get("form_codes") or ()),
        cues=tuple(entry.get("cues") or ()), abbreviations=tuple(entry.get("abbreviations") or ()),
        must_contain=tuple(entry.get("must_contain") or ()),
    )
