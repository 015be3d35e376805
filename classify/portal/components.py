"""Split ``thanh_phan_ho_so`` into groups of component rows (thành phần hồ sơ).

The portal renders a table *Tên giấy tờ | Mẫu đơn, tờ khai | Số lượng* per group and the scrape
glued the cells together: ``* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Giấy chứng
sinh; …1 bản chính- …``. A row ends at its quantity; the text left after a group's last quantity
is the name of the next group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from classify.portal.text import LOWER, strip_invisible
from ingest.text import fold, nfc

HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
QUANTITY = re.compile(r"(\d+)\s*bản\s*chính(?:\s*[,;]?\s*(\d+)\s*bản\s*sao)?|(\d+)\s*bản\s*sao")
# "01 bản chính; - Nếu…", "02 bản chính tờ khai…": a quantity inside a sentence, not a cell
# (a real cell is glued to the next row: "…1 bản chính- Giấy…", "…1 bản chínhTờ khai…").
_IN_TEXT = re.compile(rf"[;.]\s|[;.,]?\s+[{LOWER}]")
# Form templates glued to the end of a name: "…TT-BCA).1.MuCT01banhnhkmtheoThngts53.doc".
_FORM_FILE = re.compile(r"\.(?:docx?|xlsx?|pdf|rtf|odt)$", re.IGNORECASE)
_BULLET = re.compile(r"^(?:[-+*•.]+\)?|\+\))\s*")  # "- ", "+) ", "- .02 bộ bản vẽ"
MAX_PLAUSIBLE_QUANTITY = 10


class GroupKind(StrEnum):
    SUBMIT = "submit"  # Giấy tờ phải nộp: handed in and archived
    SHOWN = "shown"  # Giấy tờ phải xuất trình: checked and returned
    NOTE = "note"  # Lưu ý: rules, not documents
    CASE = "case"  # "a) Đối với trường hợp …", "(1.7) Đối với công trình nhà ở riêng lẻ:"
    UNNAMED = "unnamed"  # the portal printed "--" instead of a group name


@dataclass(frozen=True)
class ComponentRow:
    """One table row; ``originals``/``copies`` are None when the row had no quantity cell."""

    name: str
    form_file: str | None
    originals: int | None
    copies: int | None
    suspect: str | None = None  # why a reviewer must look at this row


@dataclass(frozen=True)
class ComponentGroup:
    name: str
    kind: GroupKind
    rows: tuple[ComponentRow, ...]


def parse_components(text: str) -> tuple[ComponentGroup, ...]:
    """All groups of ``thanh_phan_ho_so``; empty when the field is empty or has no rows."""
    text = nfc(text or "").strip()
    if not text or fold(text) == "khong co thong tin":
        return ()
    parts = text.split(HEADER) if HEADER in text else ["", text]
    groups: list[ComponentGroup] = []
    name = parts[0]
    for index, part in enumerate(parts[1:], start=1):
        rows, trailing = _split_rows(part)
        last = index == len(parts) - 1
        if last and _clean(trailing):
            # Nothing follows the last table, so leftover text is a row that lost its quantity.
            rows.append(_row(trailing, None, None, "không có cột số lượng (văn bản bị cắt?)"))
        group_name = _clean_group(name)
        groups.append(ComponentGroup(group_name, group_kind(group_name), tuple(rows)))
        name = trailing
    return tuple(g for g in groups if g.rows)


def group_kind(name: str) -> GroupKind:
    folded = fold(name)
    if not folded:
        return GroupKind.UNNAMED
    if folded.startswith("luu y"):
        return GroupKind.NOTE
    # Only the portal's own headings: "…nhân viên bưu chính phải nộp:" is a case, not the group.
    if "giay to phai nop" in folded:
        return GroupKind.SUBMIT
    if "phai xuat trinh" in folded:
        return GroupKind.SHOWN
    return GroupKind.CASE


def _split_rows(part: str) -> tuple[list[ComponentRow], str]:
    """Rows ending at a real quantity cell, and the text after the last one."""
    rows: list[ComponentRow] = []
    cursor = 0
    for match in QUANTITY.finditer(part):
        if _IN_TEXT.match(part, match.end()):
            continue
        head = match.group(1) if match.group(1) is not None else match.group(3)
        spill, originals, reason = split_merged_digits(head)
        copies = int(match.group(2)) if match.group(2) is not None else 0
        if match.group(1) is None:
            originals, copies = 0, originals
        body = part[cursor:match.start()] + spill
        cursor = match.end()
        if _clean(body):
            rows.append(_row(body, originals, copies, reason))
    return rows, part[cursor:]


def split_merged_digits(digits: str) -> tuple[str, int, str | None]:
    """Undo a digit of the name glued to the quantity: ``Mẫu số 18`` + ``1`` read as ``181``.

    The portal's quantity is a small integer printed without leading zeros, so a value above
    ``MAX_PLAUSIBLE_QUANTITY`` or with a leading zero is taken as name digits plus the last digit.
    Returns (digits given back to the name, quantity, reason or None).
    """
    value = int(digits)
    if len(digits) > 1 and (value > MAX_PLAUSIBLE_QUANTITY or digits.startswith("0")):
        reason = (f"số lượng {digits!r} không hợp lý (> {MAX_PLAUSIBLE_QUANTITY} hoặc có số 0 "
                  f"đứng đầu): đọc là {digits[:-1]!r} thuộc tên giấy tờ + số lượng {digits[-1]}")
        return digits[:-1], int(digits[-1]), reason
    return "", value, None


def _row(body: str, originals: int | None, copies: int | None,
         reason: str | None) -> ComponentRow:
    name, form_file = split_form_file(_clean(body))
    return ComponentRow(name, form_file, originals, copies, reason)


def split_form_file(text: str) -> tuple[str, str | None]:
    """Cut the attached form template's file name off the end of a row, when there is one."""
    if not _FORM_FILE.search(text):
        return text, None
    start = _form_file_start(text)
    if start <= 0:
        return text, None
    return text[:start].rstrip(" ;:,"), text[start:].strip()


def _form_file_start(text: str) -> int:
    """Where the file name begins: after the name's last ``)``/``.``/``;`` or at a glued capital.

    File names are either ASCII-folded ("1.MuCT01banhnhkmtheoThngts53.doc", "Mau13.docx") or
    start with "Mẫu"/"Mau"/"Đơn"; the name before them ends in punctuation or is glued to them.
    """
    stem = _FORM_FILE.sub("", text)
    for pattern in _FILE_STARTS:  # most specific first
        match = pattern.search(stem)
        if match:
            return match.start("file")
    return -1


_FILE_STARTS = (
    # "…)Mẫu DC02 Phiếu đề nghị….doc", "…khai thácĐơn_TT1.013061.docx", "…(mẫu NA17)101-Mau A17…"
    re.compile(r"(?<=[^\s(])(?P<file>(?:\d[\d.\-_]*)?(?:Mẫu|Mau|Đơn|Don|Biểu|Bieu)\S*(?: .*)?)$"),
    # "…TT-BCA).1.MuCT01…doc", "…;1.nxinnhnconnui.doc", "…).Nidungthamvn.docx": no spaces.
    re.compile(r"[).;](?P<file>\w[\w.\-()]*)$"),
    # "…theo mẫu;Mẫu Đơn đề nghị … bến thủy nội đị1.docx"
    re.compile(r"[;:](?P<file>\S.*)$"),
)


def _clean(text: str) -> str:
    text = " ".join(strip_invisible(text).split())
    text = _BULLET.sub("", text)
    return text.strip(" ;,")


def _clean_group(text: str) -> str:
    text = " ".join(strip_invisible(text).split()).strip("-* ")
    return text.rstrip(" :").strip()
