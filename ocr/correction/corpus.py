"""Vietnamese text the project owns, as syllable segments for the n-gram model.

Sources (never the evaluation pages in ``data/external``): the procedure catalogue YAML, the
document-type names, the curated catalogue and the national-portal records (public government
text; only counts derived from them are shipped), DOMAIN.md, and the synthetic form texts of
``tests/synthetic.py``. A segment is a run of syllables between punctuation, digits, line
breaks and non-Vietnamese words; segments that are mostly English (DOMAIN.md) are dropped.
"""

from __future__ import annotations

import ast
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from ingest.text import nfc
from ocr.correction.syllable import has_diacritics, is_syllable

# Portal fields with running text; ``raw_text`` repeats them and is skipped.
PORTAL_FIELDS = (
    "ten_thu_tuc", "linh_vuc", "doi_tuong_thuc_hien", "co_quan_co_tham_quyen",
    "dia_chi_tiep_nhan", "co_quan_duoc_uy_quyen", "co_quan_phoi_hop", "trinh_tu_thuc_hien",
    "cach_thuc_thuc_hien", "thanh_phan_ho_so", "can_cu_phap_ly", "co_quan_thuc_hien",
    "yeu_cau_dieu_kien", "ket_qua_xu_ly",
)
# One portal record in HOLDOUT_MODULUS is kept out of the model: the dev set for tuning.
HOLDOUT_MODULUS = 8
_BREAK = re.compile(r"[\n\r\t.,;:!?()\[\]{}<>\"“”‘’'…–—=+*/\\|#@&%$0-9_]+")
MIN_VIETNAMESE_SHARE = 0.25


def segments(text: str) -> Iterator[list[str]]:
    """Runs of lower-case syllables in ``text``; anything else ends a run."""
    for chunk in _BREAK.split(nfc(text)):
        run: list[str] = []
        for word in re.split(r"[\s\-]+", split_camel(chunk)):
            if is_syllable(word):
                run.append(word.lower())
                continue
            if run:
                yield run
            run = []
        if run:
            yield run


def split_camel(text: str) -> str:
    """Put a space where a lower-case letter meets a capital ("tờMẫu" → "tờ Mẫu").

    The portal records lost the breaks between table cells this way.
    """
    out = []
    for previous, char in zip(" " + text, text, strict=False):
        if previous.islower() and char.isupper():
            out.append(" ")
        out.append(char)
    return "".join(out)


def vietnamese_segments(text: str) -> Iterator[list[str]]:
    """Segments with at least a quarter of syllables carrying diacritics (drops English)."""
    for run in segments(text):
        marked = sum(1 for word in run if has_diacritics(word))
        if marked and marked >= MIN_VIETNAMESE_SHARE * len(run):
            yield run


def strings_in(value: Any) -> Iterator[str]:
    """Every string inside a YAML or JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def is_held_out(code: str) -> bool:
    """Whether a portal record (by mã TTHC) belongs to the dev set, not to the model."""
    return zlib.crc32(code.encode()) % HOLDOUT_MODULUS == 0


def portal_texts(folder: Path, held_out: bool = False) -> Iterator[str]:
    """Running text of the national-portal records (the dev share when ``held_out``)."""
    for path in sorted(folder.glob("*/*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if is_held_out(str(record.get("ma_thu_tuc", path.stem))) != held_out:
            continue
        for field in PORTAL_FIELDS:
            text = record.get(field)
            if isinstance(text, str) and text:
                yield text


def catalogue_texts(procedures: Path) -> Iterator[str]:
    for path in sorted(procedures.glob("*.yaml")):
        yield from strings_in(yaml.safe_load(path.read_text(encoding="utf-8")))


def doctype_names(doctypes: Path) -> Iterator[str]:
    """Names only: the ``titles`` lists keep OCR misspellings on purpose (HỢP ĐỎNG)."""
    for entry in yaml.safe_load(doctypes.read_text(encoding="utf-8")) or []:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            yield entry["name"]


def curated_texts(procedures_json: Path) -> Iterator[str]:
    yield from strings_in(json.loads(procedures_json.read_text(encoding="utf-8")))


def python_strings(source: Path) -> Iterator[str]:
    """String literals of a Python module (the synthetic form texts)."""
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def training_texts(repo: Path, shared: Path) -> Iterator[tuple[str, Iterable[str]]]:
    """(source name, its texts) for every source of the model, in a fixed order."""
    catalogue = shared / "data" / "catalogue"
    yield "classify/catalogue/procedures/*.yaml", catalogue_texts(
        repo / "classify" / "catalogue" / "procedures")
    yield "classify/doctypes.yaml (names)", doctype_names(repo / "classify" / "doctypes.yaml")
    yield "catalogue/procedures.json", curated_texts(catalogue / "procedures.json")
    yield "catalogue/national-portal-sample (records not held out)", portal_texts(
        catalogue / "national-portal-sample")
    yield "DOMAIN.md", [(shared / "DOMAIN.md").read_text(encoding="utf-8")]
    yield "tests/synthetic.py", python_strings(repo / "tests" / "synthetic.py")
