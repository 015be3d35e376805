"""Ngày hẹn trả: when a dossier's result is due, counted in working days.

Rules (Bộ luật Dân sự 2015 Điều 147–148, 151, and the one-stop practice of the hộ tịch records:
"nếu tiếp nhận hồ sơ sau 15 giờ thì … trả kết quả … trong ngày làm việc tiếp theo"):

- A dossier received on a non-working day, or after the afternoon cut-off, is deemed received on
  the next working day (the *intake day*).
- A period of N working days ends on the N-th working day after the intake day; the intake day
  itself is not counted (a period "starts the day after the event", Điều 147).
- A period of N calendar days ends N days after the intake day; when that day is a weekend or a
  holiday it moves to the next working day (Điều 151).
- A same-day procedure is due on the intake day.
- Hours are elapsed hours from the moment counting starts (the customs "1 Giờ" procedures).

Working days are Monday to Friday minus Vietnamese public holidays as the ``holidays`` package
(0.109) lists them: Tết Dương lịch, Tết Nguyên Đán with its observed days, Giỗ Tổ Hùng Vương,
30/4, 1/5, Quốc khánh 2/9 plus its adjacent day, Ngày Văn hóa Việt Nam 24/11 (from 2026), and the
days off the government swapped; the Saturdays worked in exchange count as working days.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import holidays
from holidays.countries import vietnam

from classify.catalogue.schema import TimeUnit

VIETNAM_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")  # no daylight saving time in Vietnam
WORKDAY_START = dt.time(8, 0)  # when counting in hours restarts on the next working day
_MAX_SCAN_DAYS = 3700  # ten years: a calendar without working days must fail, not loop


@lru_cache(maxsize=64)
def vietnam_days_off(year: int) -> frozenset[dt.date]:
    """Public holidays and observed (nghỉ bù) days of ``year``, weekends not included."""
    return frozenset(holidays.country_holidays("VN", years=year).keys())


@lru_cache(maxsize=1)
def _all_make_up_days() -> frozenset[dt.date]:
    """Saturdays worked in exchange for a bridge day off ("làm bù"), e.g. 22/8/2026 for 31/8/2026.

    The ``holidays`` package lists only the day off ("Day off (substituted from 08/22/2026)");
    the worked day is in its table of special holidays: (month, day, from_month, from_day[, year]).
    """
    table: dict[int, Any] = getattr(vietnam.VietnamStaticHolidays, "special_public_holidays", {})
    days = set()
    for year, entries in table.items():
        for entry in entries if isinstance(entries[0], tuple) else (entries,):
            if len(entry) in (4, 5):
                from_year = entry[4] if len(entry) == 5 else year
                days.add(dt.date(from_year, entry[2], entry[3]))
    return frozenset(day for day in days if day.weekday() >= 5)


def vietnam_make_up_days(year: int) -> frozenset[dt.date]:
    return frozenset(day for day in _all_make_up_days() if day.year == year)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days a one-stop office works; a parameter so tests and provinces can supply theirs."""

    days_off: Callable[[int], frozenset[dt.date]] = vietnam_days_off
    make_up_days: Callable[[int], frozenset[dt.date]] = vietnam_make_up_days

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.make_up_days(day.year):
            return True
        return day.weekday() < 5 and day not in self.days_off(day.year)


VIETNAM = WorkCalendar()


def next_working_day(day: dt.date, calendar: WorkCalendar = VIETNAM) -> dt.date:
    """The first working day strictly after ``day``."""
    return _first_working_day_from(day + dt.timedelta(days=1), calendar)


def add_working_days(day: dt.date, count: int, calendar: WorkCalendar = VIETNAM) -> dt.date:
    """The ``count``-th working day after ``day`` (``day`` itself not counted); 0 gives ``day``."""
    if count < 0:
        raise ValueError(f"count must not be negative: {count}")
    for _ in range(count):
        day = next_working_day(day, calendar)
    return day


def working_days_between(start: dt.date, end: dt.date, calendar: WorkCalendar = VIETNAM) -> int:
    """Working days in (start, end]: ``add_working_days(a, n) == b`` gives ``n``; negative if
    ``end`` is before ``start``."""
    if end < start:
        return -working_days_between(end, start, calendar)
    days = (start + dt.timedelta(days=offset) for offset in range(1, (end - start).days + 1))
    return sum(1 for day in days if calendar.is_working_day(day))


def intake_day(received_at: dt.datetime, cutoff: dt.time | None,
               calendar: WorkCalendar = VIETNAM) -> dt.date:
    """The day a dossier counts as received: the next working day when it came in on a day off
    or after ``cutoff`` (strictly after: 15:00:00 is still in time)."""
    local = _local(received_at)
    day = local.date()
    late = cutoff is not None and local.time() > cutoff
    if calendar.is_working_day(day) and not late:
        return day
    return next_working_day(day, calendar)


def due_date(received_at: dt.datetime, value: float, unit: TimeUnit, cutoff: dt.time | None,
             calendar: WorkCalendar = VIETNAM) -> dt.date | dt.datetime:
    """Ngày hẹn trả for a dossier received at ``received_at`` (local time, or aware in any zone).

    Returns a date, or a datetime for ``TimeUnit.HOURS``. Fractions of a day round up: half a
    working day still ends on a working day.
    """
    if value < 0 or math.isnan(value):
        raise ValueError(f"processing time must be a non-negative number: {value}")
    start = intake_day(received_at, cutoff, calendar)
    if unit is TimeUnit.HOURS:
        return _due_in_hours(received_at, start, value)
    if unit is TimeUnit.SAME_DAY or value == 0:
        return start
    if unit is TimeUnit.WORKING_DAYS:
        return add_working_days(start, math.ceil(value), calendar)
    if unit is TimeUnit.DAYS:
        return _first_working_day_from(start + dt.timedelta(days=math.ceil(value)), calendar)
    raise ValueError(f"unknown time unit: {unit!r}")


def _due_in_hours(received_at: dt.datetime, start: dt.date, hours: float) -> dt.datetime:
    local = _local(received_at)
    if start != local.date():  # received on a day off or after the cut-off
        local = dt.datetime.combine(start, WORKDAY_START, tzinfo=local.tzinfo)
    return local + dt.timedelta(hours=hours)


def _first_working_day_from(day: dt.date, calendar: WorkCalendar) -> dt.date:
    for offset in range(_MAX_SCAN_DAYS):
        candidate = day + dt.timedelta(days=offset)
        if calendar.is_working_day(candidate):
            return candidate
    raise ValueError(f"no working day within {_MAX_SCAN_DAYS} days after {day.isoformat()}")


def _local(moment: dt.datetime) -> dt.datetime:
    """Aware datetimes (the database stores UTC) are read in Vietnam time; naive ones as given."""
    return moment.astimezone(VIETNAM_TZ) if moment.tzinfo is not None else moment
