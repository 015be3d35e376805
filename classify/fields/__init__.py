"""Field extraction (trích xuất thông tin) from the text of one page.

``extract_fields(text, words)`` returns the fields it could read, keyed by name:

==================  ==========================================================================
so_dinh_danh        12-digit số định danh cá nhân / CCCD, validated (province code, century and
                    year digits against the birth date of the same person when printed)
cmnd                9-digit chứng minh nhân dân, on a labelled line
ho_chieu            passport number ``[A-Z]\\d{7}``
ma_so_thue          10-digit or 10-3 tax code, on a labelled line
ho_ten              "Họ và tên", "Họ, chữ đệm, tên", "Họ tên"
ngay_sinh, ngay_cap, co_gia_tri_den
                    labelled dates, ISO 8601
so_ky_hieu          "2191/CT-CS", "118/2025/NĐ-CP"; "/QĐ-UBND" (low confidence) when the number
                    is blank or unreadable
ngay_ban_hanh       the header place-date, ISO 8601 ("2026" when only the year is legible)
co_quan_ban_hanh    issuing body lines above "Số:", joined with " / "
dia_chi             "Nơi cư trú", "Nơi thường trú", "Địa chỉ"
==================  ==========================================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from classify.fields.dates import find_date, parse_date
from classify.fields.extract import extract_text_fields
from classify.fields.identifiers import PROVINCE_CODES, personal_id_problem
from classify.fields.model import ExtractedField, locate
from ingest.text import nfc
from ocr.model import Word

__all__ = [
    "PROVINCE_CODES",
    "ExtractedField",
    "extract_fields",
    "find_date",
    "parse_date",
    "personal_id_problem",
]


def extract_fields(text: str, words: Sequence[Word] | None = None) -> dict[str, ExtractedField]:
    """Read the known fields of one page; with OCR ``words``, each field gets its box."""
    fields = extract_text_fields(nfc(text))
    if not words:
        return fields
    normalized = [Word(nfc(w.text), w.conf, w.box) for w in words]
    return {name: replace(f, box=locate(f.source_text, normalized)) for name, f in fields.items()}
