"""Working days by the official PRC holiday calendar: when the next issue is printed, what it covers.

A weekly bulletin is printed on a working day and reports on a run of working days.  Both follow
the State Council's holiday notice (法定节假日和调休), which the ``chinese-calendar`` package carries
for the years it knows (2004 to 2026 in 1.11).  Make-up working days (调休上班) fall on weekends and
count as working days; holidays that fall on weekdays do not.

Every function here is pure.  Each takes an optional ``is_workday`` callable so that callers can
choose what happens outside the known years: :func:`official_workday` refuses them
(:class:`UnknownYear`), a :class:`Calendar` with ``strict=False`` falls back to Monday–Friday and
remembers which years it had to guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

WorkdayFn = Callable[[dt.date], bool]

#: How far the searches below look before giving up: the longest run of rest days in the
#: calendar is about ten days (Spring Festival), so two months means something is wrong.
_SEARCH_LIMIT = 62


class UnknownYear(LookupError):
    """The holiday calendar has no data for *year*."""

    def __init__(self, year: int, known: range):
        self.year = year
        self.known = known
        super().__init__(f"no holiday data for {year}; known years {known.start}-{known.stop - 1}")


def known_years() -> range:
    """The years the installed ``chinese-calendar`` knows (``range(2004, 2027)`` for 1.11)."""
    from chinese_calendar.constants import holidays

    years = [d.year for d in holidays]
    return range(min(years), max(years) + 1)


def official_workday(day: dt.date) -> bool:
    """True on a working day (a make-up Saturday included); raise :class:`UnknownYear` outside the data."""
    import chinese_calendar

    known = known_years()
    if day.year not in known:
        raise UnknownYear(day.year, known)
    return bool(chinese_calendar.is_workday(day))


@dataclass
class Calendar:
    """A working-day test that is strict, or falls back to Monday–Friday outside the known years.

    With ``strict=False`` the years that had to be guessed are collected in :attr:`guessed`, so
    that the caller can warn that holidays and make-up days were not checked for them.
    """

    strict: bool = True
    guessed: set[int] = field(default_factory=set)

    def __call__(self, day: dt.date) -> bool:
        try:
            return official_workday(day)
        except UnknownYear:
            if self.strict:
                raise
            self.guessed.add(day.year)
            return day.weekday() < 5


def next_workday(day: dt.date, *, is_workday: WorkdayFn = official_workday) -> dt.date:
    """The first working day on or after *day*."""
    for k in range(_SEARCH_LIMIT):
        candidate = day + dt.timedelta(days=k)
        if is_workday(candidate):
            return candidate
    raise ValueError(f"no working day within {_SEARCH_LIMIT} days of {day}")


def workday_after(day: dt.date, *, is_workday: WorkdayFn = official_workday) -> dt.date:
    """The first working day strictly after *day*."""
    return next_workday(day + dt.timedelta(days=1), is_workday=is_workday)


def previous_workday(day: dt.date, *, is_workday: WorkdayFn = official_workday) -> dt.date:
    """The last working day on or before *day*."""
    for k in range(_SEARCH_LIMIT):
        candidate = day - dt.timedelta(days=k)
        if is_workday(candidate):
            return candidate
    raise ValueError(f"no working day within {_SEARCH_LIMIT} days before {day}")


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week holding *day*."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def last_workday_of_week(day: dt.date, *, is_workday: WorkdayFn = official_workday) -> dt.date | None:
    """The last working day of *day*'s week (Mon–Sun), a make-up Saturday or Sunday included.

    None when the whole week is rest days (it happens in Spring Festival weeks).
    """
    monday, sunday = week_of(day)
    d = sunday
    while d >= monday:
        if is_workday(d):
            return d
        d -= dt.timedelta(days=1)
    return None


def period_after(previous_end: dt.date, *, is_workday: WorkdayFn = official_workday) -> tuple[dt.date, dt.date]:
    """The reporting period that follows one ending on *previous_end*.

    It starts on the first working day after *previous_end* and ends on the last working day of
    the week (Mon–Sun) holding that start: after 2024-04-30 (May Day 1–5 May) comes
    2024-05-06—2024-05-11, since Saturday 11 May 2024 was a make-up working day.
    """
    start = workday_after(previous_end, is_workday=is_workday)
    end = last_workday_of_week(start, is_workday=is_workday)
    assert end is not None and end >= start  # start itself is a working day of that week
    return start, end


def issue_date_after(previous_date: dt.date, *, not_before: dt.date | None = None,
                     is_workday: WorkdayFn = official_workday) -> dt.date:
    """The next weekly issue's date: *previous_date* + 7 days, moved forward to a working day.

    *not_before* (the end of the new reporting period) pushes it later still, so that an issue is
    never dated before the end of the period it reports on.
    """
    day = previous_date + dt.timedelta(days=7)
    if not_before is not None and not_before > day:
        day = not_before
    return next_workday(day, is_workday=is_workday)


def clamp_period(start: dt.date, end: dt.date, date: dt.date, *,
                 is_workday: WorkdayFn = official_workday) -> tuple[dt.date, dt.date] | None:
    """Cut the period (*start*, *end*) so that it ends on or before *date*.

    The end moves back to the last working day on or before *date*; None when no working day of
    the period is left (*date* falls before the period would start).
    """
    if end <= date:
        return start, end
    if start > date:
        return None
    new_end = previous_workday(date, is_workday=is_workday)
    if new_end < start:
        return None
    return start, new_end
