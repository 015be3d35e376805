"""Bộ chỉ số 766 (QĐ 766/QĐ-TTg) computed from the dossiers sohoa holds.

Per unit (mã định danh đơn vị), procedure and month of receipt (Vietnam time):

- ``received``: dossiers received.
- **4.2** ``digitized``: dossiers with at least one archived document attached to one of their
  components (thành phần hồ sơ) in the completeness report. The indicator's second condition, a
  digitized *result* for procedures that return a paper document, is not tracked by sohoa yet:
  ``paper_result`` counts the dossiers it would apply to and the rate is labelled
  "phần thành phần hồ sơ" — never presented as the full indicator.
- **4.3** ``reused``: dossiers with at least one component waived by a database look-up answer
  (state ``waived``) or an uploaded file linked as a duplicate of an earlier one
  (``files.duplicate_of``).
- **2.1** ``on_time``: dossiers finished by their due date (ngày hẹn trả from the procedure's
  processing time, in working days with Vietnamese holidays) or still in process and not yet past
  it. The end is ``archived_at``; an unfinished dossier is judged at the end of the period (or
  now). Supplement time is not subtracted: sohoa does not record supplement requests yet.
- ``waiting_supplement``: open dossiers whose completeness verdict is ``incomplete``.

Score rule (4.2, 4.3): a rate of 80 % or more earns the full points, below that
``rate × max / 80 %``; :func:`score_share` gives that share of the maximum.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from classify.catalogue.loader import Catalogue
from classify.catalogue.schema import ProcedureVersion
from classify.due_date import due_date
from storage.tables import Dossier, Job, UploadedFile

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
FULL_POINTS_RATE = 0.8
JOB_STATES = ("queued", "running", "retrying", "done", "failed")
DEFINITIONS_VI = {
    "received": "Hồ sơ tiếp nhận trong kỳ (theo ngày tiếp nhận, giờ Việt Nam).",
    "digitized": "Chỉ số 4.2, phần thành phần hồ sơ: hồ sơ có ít nhất một giấy tờ đã số hóa "
                 "gắn với thành phần hồ sơ. Phần kết quả giải quyết (thủ tục trả kết quả bản "
                 "giấy): chưa theo dõi.",
    "paper_result": "Hồ sơ của thủ tục trả kết quả bản giấy: cần thêm tệp kết quả số hóa để đạt "
                    "4.2 — sohoa chưa theo dõi kết quả.",
    "reused": "Chỉ số 4.3: hồ sơ có ít nhất một thành phần được miễn nộp nhờ tra cứu dữ liệu "
              "(CSDL quốc gia, CSDL chuyên ngành) hoặc có tệp trùng với tệp đã số hóa trước đó.",
    "on_time": "Chỉ số 2.1: hồ sơ kết thúc (lưu trữ) không muộn hơn ngày hẹn trả tính theo "
               "thời hạn giải quyết của thủ tục (ngày làm việc, trừ ngày nghỉ lễ); hồ sơ chưa "
               "kết thúc được xét tại cuối kỳ (hoặc hôm nay). Chưa trừ thời gian chờ bổ sung "
               "vì sohoa chưa ghi nhận yêu cầu bổ sung.",
    "waiting_supplement": "Hồ sơ đang mở có kết luận «chưa đầy đủ» (chờ bổ sung).",
    "score": "Điểm 4.2 và 4.3: tỷ lệ từ 80 % trở lên đạt điểm tối đa; dưới 80 % đạt "
             "tỷ lệ × điểm tối đa / 80 %.",
}


@dataclass(frozen=True)
class MetricsFilter:
    """Which dossiers count. ``None`` means no filter; an empty tuple matches nothing.

    ``month_from`` and ``month_to`` are any day of the first and last month (both included).
    ``as_of`` is when unfinished dossiers are judged (default: now).
    """

    units: Sequence[str] | None = None
    procedure_codes: Sequence[str] | None = None
    month_from: dt.date | None = None
    month_to: dt.date | None = None
    as_of: dt.datetime | None = None


@dataclass
class Counts:
    received: int = 0
    digitized: int = 0
    paper_result: int = 0
    reused: int = 0
    reused_lookup: int = 0
    reused_duplicate: int = 0
    finished: int = 0
    on_time: int = 0
    late: int = 0
    no_due_date: int = 0
    waiting_supplement: int = 0

    def add(self, other: Counts) -> None:
        for name in COUNT_NAMES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def digitized_rate(self) -> float | None:
        return rate(self.digitized, self.received)

    @property
    def reuse_rate(self) -> float | None:
        return rate(self.reused, self.received)

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.on_time + self.late)

    @property
    def digitized_score_share(self) -> float | None:
        return score_share(self.digitized_rate)

    @property
    def reuse_score_share(self) -> float | None:
        return score_share(self.reuse_rate)

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {name: getattr(self, name) for name in COUNT_NAMES}
        body.update(digitized_rate=self.digitized_rate, reuse_rate=self.reuse_rate,
                    on_time_rate=self.on_time_rate,
                    digitized_score_share=self.digitized_score_share,
                    reuse_score_share=self.reuse_score_share)
        return body


COUNT_NAMES = tuple(f.name for f in fields(Counts))


@dataclass(frozen=True)
class MetricsRow:
    unit: str
    procedure_code: str
    month: str  # YYYY-MM
    counts: Counts


@dataclass(frozen=True)
class MetricsReport:
    rows: tuple[MetricsRow, ...]
    total: Counts
    by_unit: Mapping[str, Counts]
    by_procedure: Mapping[str, Counts]
    by_month: Mapping[str, Counts]
    as_of: dt.datetime
    definitions: Mapping[str, str] = field(default_factory=lambda: DEFINITIONS_VI)

    def as_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "total": self.total.as_json(),
            "rows": [{"unit": r.unit, "procedure_code": r.procedure_code, "month": r.month,
                      **r.counts.as_json()} for r in self.rows],
            "by_unit": {k: v.as_json() for k, v in self.by_unit.items()},
            "by_procedure": {k: v.as_json() for k, v in self.by_procedure.items()},
            "by_month": {k: v.as_json() for k, v in self.by_month.items()},
            "result_tracking": "not_tracked",
            "definitions": dict(self.definitions),
        }


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def score_share(value: float | None, full_at: float = FULL_POINTS_RATE) -> float | None:
    """Share of the indicator's maximum points: 1 from ``full_at`` up, else value / full_at."""
    if value is None:
        return None
    return min(1.0, value / full_at)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def period_bounds(metrics_filter: MetricsFilter) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The filter's months as aware datetimes: [start of first month, start of the month after)."""
    start = end = None
    if metrics_filter.month_from:
        start = dt.datetime.combine(month_start(metrics_filter.month_from), dt.time(), VIETNAM)
    if metrics_filter.month_to:
        end = dt.datetime.combine(next_month(metrics_filter.month_to), dt.time(), VIETNAM)
    return start, end


def compute_metrics(session: Session, catalogue: Catalogue,
                    metrics_filter: MetricsFilter | None = None) -> MetricsReport:
    """Every indicator per (unit, procedure, month), with totals along each axis."""
    wanted = metrics_filter or MetricsFilter()
    as_of = wanted.as_of or dt.datetime.now(VIETNAM)
    start, end = period_bounds(wanted)
    judged_at = min(as_of, end) if end else as_of
    dossiers = _dossiers(session, wanted, start, end)
    duplicated = _dossiers_with_duplicates(session, [d.id for d in dossiers])
    due = _due_dates(catalogue)
    cells: dict[tuple[str, str, str], Counts] = defaultdict(Counts)
    for dossier in dossiers:
        month = dossier.received_at.astimezone(VIETNAM).strftime("%Y-%m")
        cell = cells[(dossier.unit, dossier.procedure_code, month)]
        cell.add(_count_one(dossier, dossier.id in duplicated, due, judged_at,
                            _has_paper_result(catalogue, dossier.procedure_code)))
    rows = tuple(MetricsRow(u, p, m, c) for (u, p, m), c in sorted(cells.items()))
    return MetricsReport(
        rows=rows, total=_sum(r.counts for r in rows),
        by_unit=_group(rows, lambda r: r.unit),
        by_procedure=_group(rows, lambda r: r.procedure_code),
        by_month=_group(rows, lambda r: r.month), as_of=as_of,
    )


@dataclass(frozen=True)
class DossierFacts:
    """The columns of a dossier the indicators read (no ORM objects for a year of dossiers)."""

    id: str
    unit: str
    procedure_code: str
    procedure_decision: str
    received_at: dt.datetime
    status: str
    archived_at: dt.datetime | None
    completeness: dict[str, Any] | None


def _dossiers(session: Session, wanted: MetricsFilter, start: dt.datetime | None,
              end: dt.datetime | None) -> list[DossierFacts]:
    query = select(Dossier.id, Dossier.unit, Dossier.procedure_code, Dossier.procedure_decision,
                   Dossier.received_at, Dossier.status, Dossier.archived_at,
                   Dossier.completeness)
    if wanted.units is not None:
        query = query.where(Dossier.unit.in_(list(wanted.units)))
    if wanted.procedure_codes is not None:
        query = query.where(Dossier.procedure_code.in_(list(wanted.procedure_codes)))
    if start is not None:
        query = query.where(Dossier.received_at >= start)
    if end is not None:
        query = query.where(Dossier.received_at < end)
    return [DossierFacts(*row) for row in session.execute(query.order_by(Dossier.received_at))]


def _dossiers_with_duplicates(session: Session, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in range(0, len(ids), 500):
        query = (select(UploadedFile.dossier_id).distinct()
                 .where(UploadedFile.dossier_id.in_(ids[chunk:chunk + 500]),
                        UploadedFile.duplicate_of.is_not(None)))
        found.update(session.scalars(query))
    return found


DueOf = Callable[[DossierFacts], "dt.date | dt.datetime | None"]


def _due_dates(catalogue: Catalogue) -> DueOf:
    def due_of(dossier: DossierFacts) -> dt.date | dt.datetime | None:
        version = _version_of(catalogue, dossier)
        if version is None:
            return None
        time = version.processing_time
        return due_date(dossier.received_at, time.value, time.unit, time.cutoff)
    return due_of


def _version_of(catalogue: Catalogue, dossier: DossierFacts) -> ProcedureVersion | None:
    procedure = catalogue.procedures.get(dossier.procedure_code)
    if procedure is None:
        return None
    for version in procedure.versions:
        if version.decision == dossier.procedure_decision:
            return version
    return procedure.version_on(dossier.received_at.astimezone(VIETNAM).date())


def _has_paper_result(catalogue: Catalogue, procedure_code: str) -> bool:
    procedure = catalogue.procedures.get(procedure_code)
    return bool(procedure and procedure.result_documents)


def _count_one(dossier: DossierFacts, duplicated: bool, due_of: DueOf, judged_at: dt.datetime,
               paper_result: bool) -> Counts:
    report = dossier.completeness or {}
    lines = report.get("components") or []
    waived = any(line.get("state") == "waived" for line in lines)
    counts = Counts(received=1, paper_result=int(paper_result),
                    digitized=int(any(line.get("documents") for line in lines)),
                    reused=int(waived or duplicated), reused_lookup=int(waived),
                    reused_duplicate=int(duplicated),
                    finished=int(dossier.archived_at is not None),
                    waiting_supplement=int(dossier.status == "open"
                                           and report.get("verdict") == "incomplete"))
    due = due_of(dossier)
    if due is None:
        counts.no_due_date = 1
    elif is_on_time(dossier.archived_at or judged_at, due):
        counts.on_time = 1
    else:
        counts.late = 1
    return counts


def is_on_time(end: dt.datetime, due: dt.date | dt.datetime) -> bool:
    """``end ≤ due``: a due date covers its whole day (Vietnam time); a due time is exact."""
    if isinstance(due, dt.datetime):
        return end <= due
    return end.astimezone(VIETNAM).date() <= due


def _sum(counts: Iterable[Counts]) -> Counts:
    total = Counts()
    for one in counts:
        total.add(one)
    return total


def _group(rows: Sequence[MetricsRow], key: Callable[[MetricsRow], str]) -> dict[str, Counts]:
    grouped: dict[str, Counts] = defaultdict(Counts)
    for row in rows:
        grouped[key(row)].add(row.counts)
    return dict(sorted(grouped.items()))


def queue_state(session: Session, units: Sequence[str] | None = None) -> dict[str, int]:
    """Processing jobs by status: queued, running, retrying, done, failed (zeros included)."""
    query = select(Job.status, func.count()).group_by(Job.status)
    if units is not None:
        query = query.join(Dossier, Job.dossier_id == Dossier.id).where(
            Dossier.unit.in_(list(units)))
    found = Counter({status: count for status, count in session.execute(query)})
    return {state: found.get(state, 0) for state in (*JOB_STATES, *sorted(
        set(found) - set(JOB_STATES)))}


def known_values(session: Session, units: Sequence[str] | None = None
                 ) -> tuple[list[str], list[str]]:
    """The units and procedure codes that have dossiers (for the dashboard's filters)."""
    unit_query = select(Dossier.unit).distinct()
    code_query = select(Dossier.procedure_code).distinct()
    if units is not None:
        unit_query = unit_query.where(Dossier.unit.in_(list(units)))
        code_query = code_query.where(Dossier.unit.in_(list(units)))
    return (sorted(session.scalars(unit_query)), sorted(session.scalars(code_query)))
