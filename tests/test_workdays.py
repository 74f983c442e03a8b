"""Working days, reporting periods and issue dates by the official PRC holiday calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from jianbao.workdays import (
    Calendar,
    UnknownYear,
    clamp_period,
    issue_date_after,
    known_years,
    last_workday_of_week,
    next_workday,
    official_workday,
    period_after,
    previous_workday,
    week_of,
    workday_after,
)

D = dt.date


def test_seed_worked_example():
    # The seed issue reports 2024-04-29—2024-04-30 and is dated 2024-05-13 (May Day: 1–5 May off).
    assert period_after(D(2024, 4, 30)) == (D(2024, 5, 6), D(2024, 5, 11))  # Sat 11 May was a make-up day
    assert issue_date_after(D(2024, 5, 13)) == D(2024, 5, 20)


def test_make_up_days_are_working_days_and_weekday_holidays_are_not():
    assert official_workday(D(2024, 5, 11))  # Saturday, 调休上班
    assert official_workday(D(2024, 9, 29))  # Sunday, 调休上班
    assert not official_workday(D(2024, 5, 1))  # Wednesday, 劳动节
    assert not official_workday(D(2024, 5, 12))  # an ordinary Sunday
    assert official_workday(D(2024, 5, 13))  # an ordinary Monday


def test_next_and_previous_workday():
    assert next_workday(D(2024, 5, 1)) == D(2024, 5, 6)
    assert next_workday(D(2024, 5, 6)) == D(2024, 5, 6)  # on or after
    assert workday_after(D(2024, 5, 6)) == D(2024, 5, 7)  # strictly after
    assert previous_workday(D(2024, 10, 7)) == D(2024, 9, 30)
    assert previous_workday(D(2024, 10, 12)) == D(2024, 10, 12)  # make-up Saturday


def test_week_of_is_monday_to_sunday():
    assert week_of(D(2024, 5, 11)) == (D(2024, 5, 6), D(2024, 5, 12))
    assert week_of(D(2024, 5, 6)) == (D(2024, 5, 6), D(2024, 5, 12))
    assert week_of(D(2024, 5, 12)) == (D(2024, 5, 6), D(2024, 5, 12))


def test_last_workday_of_week_counts_make_up_weekends_and_can_be_none():
    assert last_workday_of_week(D(2024, 5, 7)) == D(2024, 5, 11)
    assert last_workday_of_week(D(2024, 5, 13)) == D(2024, 5, 17)
    # Spring Festival 2020 was extended: Mon 27 Jan to Sun 2 Feb 2020 had no working day at all.
    assert last_workday_of_week(D(2020, 1, 29)) is None


@pytest.mark.parametrize(
    ("previous_end", "period"),
    [
        # May Day 2024: 1–5 May off, Sat 11 May worked.
        (D(2024, 4, 30), (D(2024, 5, 6), D(2024, 5, 11))),
        (D(2024, 5, 11), (D(2024, 5, 13), D(2024, 5, 17))),
        # May Day 2025: Sun 27 April worked, 1–5 May off.
        (D(2025, 4, 25), (D(2025, 4, 27), D(2025, 4, 27))),
        (D(2025, 4, 27), (D(2025, 4, 28), D(2025, 4, 30))),
        (D(2025, 4, 30), (D(2025, 5, 6), D(2025, 5, 9))),
        # National Day 2024: Sun 29 Sep and Sat 12 Oct worked, 1–7 Oct off.
        (D(2024, 9, 29), (D(2024, 9, 30), D(2024, 9, 30))),
        (D(2024, 9, 30), (D(2024, 10, 8), D(2024, 10, 12))),
        # National Day + Mid-Autumn 2025: Sun 28 Sep and Sat 11 Oct worked, 1–8 Oct off.
        (D(2025, 9, 28), (D(2025, 9, 29), D(2025, 9, 30))),
        (D(2025, 9, 30), (D(2025, 10, 9), D(2025, 10, 11))),
        # Year ends: the period may run into January (Sun 4 Jan 2026 was worked).
        (D(2024, 12, 27), (D(2024, 12, 30), D(2025, 1, 3))),
        (D(2025, 12, 26), (D(2025, 12, 29), D(2026, 1, 4))),
    ],
)
def test_period_after_holidays(previous_end, period):
    assert period_after(previous_end) == period


@pytest.mark.parametrize(
    ("previous_date", "date"),
    [
        (D(2024, 4, 24), D(2024, 5, 6)),  # 1 May + … off: Wed 1 May → Mon 6 May
        (D(2025, 4, 24), D(2025, 5, 6)),
        (D(2024, 9, 30), D(2024, 10, 8)),
        (D(2025, 9, 29), D(2025, 10, 9)),
        (D(2024, 12, 30), D(2025, 1, 6)),
        (D(2024, 5, 4), D(2024, 5, 11)),  # a make-up Saturday is a working day
    ],
)
def test_issue_date_after_moves_to_a_working_day(previous_date, date):
    assert issue_date_after(previous_date) == date


def test_issue_date_is_never_before_the_period_end():
    assert issue_date_after(D(2024, 5, 13), not_before=D(2024, 5, 25)) == D(2024, 5, 27)
    assert issue_date_after(D(2024, 5, 13), not_before=D(2024, 5, 10)) == D(2024, 5, 20)


def test_every_period_and_date_of_two_years_is_consistent():
    day = D(2024, 1, 1)
    while day < D(2025, 12, 1):
        start, end = period_after(day)
        assert day < start <= end, day
        assert official_workday(start) and official_workday(end), day
        assert week_of(start) == week_of(end), day
        date = issue_date_after(day, not_before=end)
        assert official_workday(date) and date >= end and date >= day + dt.timedelta(days=7), day
        day += dt.timedelta(days=1)


def test_clamp_period():
    start, end = D(2024, 10, 8), D(2024, 10, 12)
    assert clamp_period(start, end, D(2024, 10, 14)) == (start, end)
    assert clamp_period(start, end, D(2024, 10, 12)) == (start, end)
    assert clamp_period(start, end, D(2024, 10, 10)) == (start, D(2024, 10, 10))
    assert clamp_period(start, end, D(2024, 10, 8)) == (start, start)
    assert clamp_period(start, end, D(2024, 10, 7)) is None


def test_unknown_years_are_refused_by_default():
    known = known_years()
    assert known.start <= 2004 and 2026 in known
    beyond = D(known.stop, 1, 4)
    with pytest.raises(UnknownYear) as info:
        official_workday(beyond)
    assert info.value.year == known.stop
    with pytest.raises(UnknownYear):
        period_after(D(known.stop - 1, 12, 31))


def test_lenient_calendar_falls_back_to_monday_to_friday_and_says_which_years():
    known = known_years()
    cal = Calendar(strict=False)
    assert cal(D(2024, 5, 11))  # still official inside the data
    year = known.stop
    monday = D(year, 1, 1) + dt.timedelta(days=(7 - D(year, 1, 1).weekday()) % 7)
    assert cal(monday)
    assert not cal(monday + dt.timedelta(days=5))  # Saturday
    assert cal.guessed == {year}
    strict = Calendar()
    with pytest.raises(UnknownYear):
        strict(monday)


def test_a_fake_calendar_can_be_passed_in():
    def mon_to_thu(d: dt.date) -> bool:
        return d.weekday() < 4

    assert period_after(D(2024, 5, 5), is_workday=mon_to_thu) == (D(2024, 5, 6), D(2024, 5, 9))
