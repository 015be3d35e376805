"""The 766 indicators as CSV (UTF-8 with BOM, for spreadsheet programs) and XLSX (openpyxl).

Cells that a spreadsheet would read as a formula (= + - @, tab, carriage return) are written
with a leading apostrophe: a unit or procedure code is never executed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from storage.metrics import Counts, MetricsReport, score_share

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS: tuple[tuple[str, Callable[[Counts], Any]], ...] = (
    ("Hồ sơ tiếp nhận", lambda c: c.received),
    ("4.2 Đã số hóa thành phần hồ sơ", lambda c: c.digitized),
    ("Tỷ lệ 4.2 (phần thành phần)", lambda c: c.digitized_rate),
    ("Tỷ lệ điểm 4.2 / tối đa", lambda c: score_share(c.digitized_rate)),
    ("Thủ tục trả kết quả giấy (kết quả số hóa: chưa theo dõi)", lambda c: c.paper_result),
    ("4.3 Tái sử dụng dữ liệu số hóa", lambda c: c.reused),
    ("trong đó: miễn nộp nhờ tra cứu", lambda c: c.reused_lookup),
    ("trong đó: tệp trùng tệp đã số hóa", lambda c: c.reused_duplicate),
    ("Tỷ lệ 4.3", lambda c: c.reuse_rate),
    ("Tỷ lệ điểm 4.3 / tối đa", lambda c: score_share(c.reuse_rate)),
    ("Đã kết thúc (lưu trữ)", lambda c: c.finished),
    ("2.1 Đúng hạn", lambda c: c.on_time),
    ("Quá hạn", lambda c: c.late),
    ("Chưa xác định hạn", lambda c: c.no_due_date),
    ("Tỷ lệ đúng hạn", lambda c: c.on_time_rate),
    ("Chờ bổ sung", lambda c: c.waiting_supplement),
)
KEY_HEADERS = ("Đơn vị", "Mã thủ tục", "Tên thủ tục", "Tháng")
RATE_COLUMNS = frozenset(i for i, (name, _) in enumerate(COLUMNS) if name.startswith("Tỷ lệ"))


def cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def table_rows(report: MetricsReport, names: Mapping[str, str]) -> Iterator[list[Any]]:
    """Header, one row per unit × procedure × month, then the total."""
    yield [*KEY_HEADERS, *(name for name, _ in COLUMNS)]
    for row in report.rows:
        yield [cell(row.unit), cell(row.procedure_code), cell(names.get(row.procedure_code, "")),
               row.month, *(get(row.counts) for _, get in COLUMNS)]
    yield ["Tổng cộng", "", "", "", *(get(report.total) for _, get in COLUMNS)]


def to_csv(report: MetricsReport, names: Mapping[str, str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in table_rows(report, names):
        writer.writerow(["" if v is None else (f"{v:.4f}" if isinstance(v, float) else v)
                         for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(report: MetricsReport, names: Mapping[str, str]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Chỉ số 766"
    for number, row in enumerate(table_rows(report, names)):
        sheet.append(row)
        if number == 0:
            for header in sheet[1]:
                header.font = Font(bold=True)
    first_rate = len(KEY_HEADERS) + 1
    for column in RATE_COLUMNS:
        for cells in sheet.iter_rows(min_row=2, min_col=first_rate + column,
                                     max_col=first_rate + column):
            cells[0].number_format = "0.0%"
    sheet.freeze_panes = "E2"
    notes = book.create_sheet("Định nghĩa")
    notes.append(["Chỉ tiêu", "Cách tính trong sohoa"])
    for key, text in report.definitions.items():
        notes.append([key, text])
    notes.append(["as_of", report.as_of.isoformat()])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
