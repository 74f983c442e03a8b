"""Rules across the issues of a folder (JB3xx): numbers, totals, dates and periods, 增刊 numbering.

Each test writes a few small issue files into a temporary office and checks the folder.  The
dates are real 2024 dates, so the working-day rule meets the 劳动节 holiday (5月1日—5日) and the
Saturday made a working day before it (4月28日) and after it (5月11日).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Office
from jianbao.check_series import check_paths, uncovered_workdays


def write(office: Office, date: str, number: int, *, total: int | None = None, period: tuple | None = None,
          supplement: bool = False, text: str = "本周召开专题会议。", name: str | None = None) -> Path:
    lines = [f"number: {number}"]
    if total is not None:
        lines.append(f"total: {total}")
    if supplement:
        lines.append("supplement: true")
    lines.append(f"date: {date}")
    if period:
        lines += ["period:", f"  start: {period[0]}", f"  end: {period[1]}"]
    lines += ["sections:", "  - title: 工作动态", "    items:", f"      - {text}"]
    return office.issue("\n".join(lines) + "\n", name=name or f"{date}{'-zk' if supplement else ''}.yaml")


def codes(office: Office, target: Path | None = None) -> list[tuple[str, str, int]]:
    """(code, file name, line) of every diagnostic of checking the folder."""
    report = check_paths([target or office.root])
    return [(d.code, Path(d.file).name, d.line) for d in report.diagnostics]


@pytest.fixture
def weekly(office: Office) -> Office:
    """Four consecutive regular issues around the 2024 劳动节 holiday: clean."""
    write(office, "2024-04-29", 17, total=355, period=("2024-04-22", "2024-04-28"))
    write(office, "2024-05-06", 18, total=356, period=("2024-04-29", "2024-04-30"))
    write(office, "2024-05-13", 19, total=357, period=("2024-05-06", "2024-05-11"))
    write(office, "2024-05-20", 20, total=358, period=("2024-05-13", "2024-05-17"))
    return office


def test_a_clean_series_over_a_holiday_has_no_diagnostics(weekly: Office):
    assert codes(weekly) == []


def test_the_issues_folder_is_checked_the_same_way(weekly: Office):
    report = check_paths([weekly.root / "issues"])
    assert report.files == 4 and report.diagnostics == []


def test_number_gap(office: Office):
    write(office, "2024-05-06", 18)
    write(office, "2024-05-20", 20)
    assert codes(office) == [("JB301", "2024-05-20.yaml", 1)]
    d = check_paths([office.root]).diagnostics[0]
    assert "缺第19期" in d.message and d.column == 9


def test_number_duplicate_is_an_error(office: Office):
    write(office, "2024-05-06", 18)
    write(office, "2024-05-13", 18)
    report = check_paths([office.root])
    assert [(d.code, Path(d.file).name) for d in report.diagnostics] == [("JB302", "2024-05-13.yaml")]
    assert report.errors == 1 and "2024-05-06.yaml" in report.diagnostics[0].message


def test_numbers_restart_each_year(office: Office):
    write(office, "2023-12-25", 50)
    write(office, "2024-01-08", 1)
    write(office, "2024-01-15", 2)
    assert codes(office) == []


def test_a_year_the_folder_covers_from_its_start_must_begin_at_1(office: Office):
    write(office, "2023-12-25", 50)
    write(office, "2024-01-08", 2)
    result = codes(office)
    assert result == [("JB301", "2024-01-08.yaml", 1)]


def test_the_first_year_of_the_folder_may_start_anywhere(office: Office):
    write(office, "2024-05-13", 18)
    assert codes(office) == []


def test_total_gap_and_repeat(office: Office):
    write(office, "2024-05-06", 18, total=356)
    write(office, "2024-05-13", 19, total=358)
    write(office, "2024-05-20", 20, total=358)
    assert codes(office) == [("JB303", "2024-05-13.yaml", 2), ("JB304", "2024-05-20.yaml", 2)]


def test_total_going_back_is_an_error(office: Office):
    write(office, "2024-05-06", 18, total=356)
    write(office, "2024-05-13", 19, total=300)
    report = check_paths([office.root])
    assert [d.code for d in report.diagnostics] == ["JB304"] and report.errors == 1
    assert "倒退" in report.diagnostics[0].message


def test_issues_without_total_may_sit_between(office: Office):
    write(office, "2024-05-06", 18, total=356)
    write(office, "2024-05-13", 19)
    write(office, "2024-05-20", 20, total=358)
    assert codes(office) == []


def test_supplements_with_totals_count_in_date_order(office: Office):
    write(office, "2024-05-06", 18, total=356)
    write(office, "2024-05-08", 1, total=357, supplement=True)
    write(office, "2024-05-13", 19, total=358)
    assert codes(office) == []


def test_date_earlier_than_the_previous_number(office: Office):
    write(office, "2024-05-13", 18, name="a.yaml")
    write(office, "2024-05-06", 19, name="b.yaml")
    report = check_paths([office.root])
    assert [(d.code, Path(d.file).name, d.line) for d in report.diagnostics] == [("JB305", "b.yaml", 2)]
    assert report.errors == 1


def test_same_date_as_the_previous_issue(office: Office):
    write(office, "2024-05-13", 18, name="a.yaml")
    write(office, "2024-05-13", 19, name="b.yaml")
    assert codes(office) == [("JB306", "b.yaml", 2)]


def test_overlapping_periods(office: Office):
    write(office, "2024-05-13", 19, period=("2024-05-06", "2024-05-10"))
    write(office, "2024-05-20", 20, period=("2024-05-10", "2024-05-17"))
    result = check_paths([office.root])
    d = result.diagnostics[0]
    assert [x.code for x in result.diagnostics] == ["JB307"] and result.errors == 1
    assert Path(d.file).name == "2024-05-20.yaml" and (d.line, d.column) == (4, 10)  # period.start


def test_working_days_left_uncovered(office: Office):
    write(office, "2024-05-13", 19, period=("2024-05-06", "2024-05-10"))
    write(office, "2024-05-27", 20, period=("2024-05-20", "2024-05-24"))
    report = check_paths([office.root])
    assert [d.code for d in report.diagnostics] == ["JB308"]
    d = report.diagnostics[0]
    # 5月11日 was a Saturday made a working day: it counts
    assert "6 个工作日" in d.message and "5月11日—5月17日" in d.message and d.line == 4
    assert "2024-05-11" in d.render()  # the hint names the day to start from


def test_a_weekend_between_periods_is_fine(office: Office):
    write(office, "2024-05-20", 20, period=("2024-05-13", "2024-05-17"))
    write(office, "2024-05-27", 21, period=("2024-05-20", "2024-05-24"))
    assert codes(office) == []


def test_the_official_calendar_decides_working_days():
    import datetime as dt

    # 2024-05-11 was a Saturday made a working day for the 劳动节 holiday; 5月1日—5日 were holidays.
    assert uncovered_workdays(dt.date(2024, 4, 30), dt.date(2024, 5, 13)) == [
        dt.date(2024, 5, d) for d in (6, 7, 8, 9, 10, 11)]
    assert uncovered_workdays(dt.date(2024, 4, 30), dt.date(2024, 5, 6)) == []


def test_days_outside_the_calendar_are_not_judged(office: Office):
    write(office, "2099-05-13", 19, period=("2099-05-04", "2099-05-08"))
    write(office, "2099-05-27", 20, period=("2099-05-20", "2099-05-24"))
    assert codes(office) == []


def test_periods_across_the_new_year(office: Office):
    write(office, "2023-12-29", 50, period=("2023-12-18", "2023-12-22"))
    write(office, "2024-01-05", 1, period=("2024-01-02", "2024-01-05"))
    result = codes(office)
    # 12月25日—29日 uncovered (1月1日 was a holiday)
    assert result == [("JB308", "2024-01-05.yaml", 4)]


def test_supplements_are_numbered_on_their_own(office: Office):
    write(office, "2024-05-06", 18, period=("2024-04-29", "2024-04-30"))
    write(office, "2024-05-08", 1, supplement=True, period=("2024-01-01", "2024-05-07"))
    write(office, "2024-05-13", 19, period=("2024-05-06", "2024-05-11"))
    write(office, "2024-05-20", 2, supplement=True)
    assert codes(office) == []  # no number gap, no period overlap with a 增刊


def test_supplement_gap_and_duplicate(office: Office):
    write(office, "2024-05-08", 1, supplement=True)
    write(office, "2024-05-15", 3, supplement=True)
    write(office, "2024-05-22", 3, supplement=True)
    report = check_paths([office.root])
    found = [(d.code, Path(d.file).name) for d in report.diagnostics]
    assert found == [("JB301", "2024-05-15-zk.yaml"), ("JB302", "2024-05-22-zk.yaml")]
    assert "增刊第2期" in report.diagnostics[0].message


def test_a_year_covered_from_its_start_numbers_supplements_from_1(office: Office):
    write(office, "2023-12-25", 50)
    write(office, "2024-05-08", 2, supplement=True)
    assert codes(office) == [("JB301", "2024-05-08-zk.yaml", 1)]


def test_an_issue_with_lint_errors_still_counts_in_the_series(office: Office):
    write(office, "2024-05-06", 18)
    write(office, "2024-05-13", 19, text="本周共受理XXX件。")
    write(office, "2024-05-20", 20)
    assert [c for c, *_ in codes(office)] == ["JB205"]  # no spurious gap at 第19期


def test_an_invalid_issue_is_reported_and_left_out(office: Office):
    write(office, "2024-05-06", 18)
    office.issue("number: 十九\ndate: 2024-05-13\n", name="2024-05-13.yaml")
    report = check_paths([office.root])
    assert [d.code for d in report.diagnostics] == ["JB102"] and report.files == 2


def test_files_named_one_by_one_get_no_series_rules(office: Office):
    a = write(office, "2024-05-06", 18)
    b = write(office, "2024-05-20", 20)
    assert check_paths([a, b]).diagnostics == []
