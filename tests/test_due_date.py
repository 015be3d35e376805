"""Ngày hẹn trả across weekends, Tết, 30/4–1/5, 2/9, Giỗ Tổ, the 15:00 cut-off and Saturdays."""

from __future__ import annotations

import datetime as dt

import pytest

from classify.catalogue.schema import TimeUnit
from classify.due_date import (
    WorkCalendar,
    add_working_days,
    due_date,
    intake_day,
    vietnam_days_off,
    vietnam_make_up_days,
    working_days_between,
)

D = dt.date
CUTOFF = dt.time(15, 0)
WD = TimeUnit.WORKING_DAYS


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute)


def test_holiday_calendar_covers_lunar_and_observed_days() -> None:
    off_2026 = vietnam_days_off(2026)
    # Tết Nguyên Đán 17/02/2026: giao thừa 16/02 to mùng 4 20/02
    assert {D(2026, 2, d) for d in range(16, 21)} <= off_2026
    assert D(2026, 4, 26) in off_2026 and D(2026, 4, 27) in off_2026  # Giỗ Tổ on Sunday, nghỉ bù
    assert {D(2026, 4, 30), D(2026, 5, 1), D(2026, 9, 1), D(2026, 9, 2)} <= off_2026
    assert D(2026, 8, 31) in off_2026  # swapped for Saturday 22/08/2026
    assert vietnam_make_up_days(2026) == frozenset({D(2026, 8, 22)})
    off_2027 = vietnam_days_off(2027)
    # Tết 06/02/2027 is a Saturday: 29 Tết moves to Thursday 04/02, the Sunday to Wednesday 10/02
    assert {D(2027, 2, 4), D(2027, 2, 5), D(2027, 2, 8), D(2027, 2, 9), D(2027, 2, 10)} <= off_2027
    assert D(2027, 4, 16) in off_2027 and D(2027, 5, 3) in off_2027  # Giỗ Tổ; 1/5 on Saturday


def test_working_days_skip_the_weekend() -> None:
    assert due_date(at(2026, 3, 6), 3, WD, CUTOFF) == D(2026, 3, 11)  # Fri → Wed
    assert working_days_between(D(2026, 3, 6), D(2026, 3, 11)) == 3


def test_tet_2026() -> None:
    # Friday 13/02 before Tết: next working days are 23, 24, 25 February
    assert due_date(at(2026, 2, 13), 3, WD, CUTOFF) == D(2026, 2, 25)
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 25)) == 3
    # filed online during Tết: deemed received Monday 23/02
    assert intake_day(at(2026, 2, 17), CUTOFF) == D(2026, 2, 23)
    assert due_date(at(2026, 2, 17), 0, TimeUnit.SAME_DAY, CUTOFF) == D(2026, 2, 23)


def test_tet_2027() -> None:
    assert due_date(at(2027, 2, 3), 2, WD, CUTOFF) == D(2027, 2, 12)  # Wed → Thu 11, Fri 12
    assert due_date(at(2027, 2, 3, 16), 1, WD, CUTOFF) == D(2027, 2, 12)  # late: from Thu 11


def test_reunification_labour_and_national_days() -> None:
    assert due_date(at(2026, 4, 29), 1, WD, CUTOFF) == D(2026, 5, 4)  # 30/4 Thu, 1/5 Fri
    assert due_date(at(2027, 4, 29), 1, WD, CUTOFF) == D(2027, 5, 4)  # 30/4 Fri, 1/5 observed 3/5
    # 31/8 (swapped), 1/9 and 2/9/2026 off; Saturday 22/8/2026 is worked in exchange
    assert due_date(at(2026, 8, 28), 1, WD, CUTOFF) == D(2026, 9, 3)
    assert due_date(at(2026, 8, 21), 1, WD, CUTOFF) == D(2026, 8, 22)


def test_hung_kings_commemoration() -> None:
    assert due_date(at(2026, 4, 24), 1, WD, CUTOFF) == D(2026, 4, 28)  # observed Monday 27/04
    assert due_date(at(2027, 4, 15), 1, WD, CUTOFF) == D(2027, 4, 19)  # Friday 16/04


def test_afternoon_cutoff() -> None:
    monday = (2026, 3, 9)
    assert due_date(at(*monday, 14, 59), 0, TimeUnit.SAME_DAY, CUTOFF) == D(*monday)
    assert due_date(at(*monday, 15, 0), 0, TimeUnit.SAME_DAY, CUTOFF) == D(*monday)
    assert due_date(at(*monday, 15, 1), 0, TimeUnit.SAME_DAY, CUTOFF) == D(2026, 3, 10)
    assert due_date(at(*monday, 15, 30), 3, WD, CUTOFF) == D(2026, 3, 13)  # counted from Tue
    assert due_date(at(*monday, 15, 30), 3, WD, None) == D(2026, 3, 12)  # no cut-off
    # stored timestamps are UTC: 08:30Z is 15:30 in Hà Nội, after the cut-off
    utc = dt.datetime(2026, 3, 9, 8, 30, tzinfo=dt.UTC)
    assert due_date(utc, 0, TimeUnit.SAME_DAY, CUTOFF) == D(2026, 3, 10)


def test_received_on_saturday() -> None:
    saturday = at(2026, 3, 7, 9)
    assert intake_day(saturday, CUTOFF) == D(2026, 3, 9)
    assert due_date(saturday, 0, TimeUnit.SAME_DAY, CUTOFF) == D(2026, 3, 9)
    assert due_date(saturday, 3, WD, CUTOFF) == D(2026, 3, 12)


def test_calendar_days_end_on_a_working_day() -> None:
    # 10 days from Thursday 05/02/2026 is Sunday 15/02, inside Tết: due Monday 23/02
    assert due_date(at(2026, 2, 5), 10, TimeUnit.DAYS, CUTOFF) == D(2026, 2, 23)
    assert due_date(at(2026, 3, 2), 3, TimeUnit.DAYS, CUTOFF) == D(2026, 3, 5)


def test_hours_and_fractions() -> None:
    assert due_date(at(2026, 3, 6, 16), 1, TimeUnit.HOURS, None) == at(2026, 3, 6, 17)
    assert due_date(at(2026, 3, 7, 10), 1, TimeUnit.HOURS, None) == at(2026, 3, 9, 9)
    assert due_date(at(2026, 3, 9), 0.5, WD, CUTOFF) == D(2026, 3, 10)  # half a day rounds up
    with pytest.raises(ValueError):
        due_date(at(2026, 3, 9), -1, WD, CUTOFF)


def test_calendar_is_a_parameter() -> None:
    local_day_off = D(2026, 3, 10)  # e.g. a province's own day off
    calendar = WorkCalendar(days_off=lambda year: vietnam_days_off(year) | {local_day_off})
    assert due_date(at(2026, 3, 9), 1, WD, CUTOFF, calendar) == D(2026, 3, 11)
    assert add_working_days(D(2026, 3, 9), 0, calendar) == D(2026, 3, 9)
    assert working_days_between(D(2026, 3, 11), D(2026, 3, 9), calendar) == -1
