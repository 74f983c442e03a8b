"""Rules across the issues of a folder (JB3xx), and the ``jianbao check`` run over files and folders.

A series is numbered per calendar year of the issue date: regular issues 第1期, 第2期 … and,
on their own, supplements 增刊第1期 … .  ``jianbao check DIR`` loads every issue file of the
folder and reports, pointing at the issue file and its ``number``/``total``/``date``/``period``:

* JB301 a gap in the numbers of a year (JB302 a number used twice is an error); when the folder
  also holds an earlier year, a year's numbering must start at 1;
* JB303 a total number (总期号) that skips ahead, JB304 one that repeats or goes back;
* JB305 a later number with an earlier date (error), JB306 the same date as the previous issue;
* JB307 a reporting period that overlaps the previous issue's (error), JB308 working days between
  two consecutive periods that no issue covers (by ``chinese_calendar``, which knows 2004–2026;
  days outside its range are not judged).

Supplements take part in the number and total rules but not in the period rules: a 增刊 reports
on a topic over whatever span it needs.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .dates import cn_date, cn_range
from .diagnostics import Diagnostic, JianbaoError
from .load import Source
from .model import IssueFile
from .office import SETTINGS, issue_files

#: Files ``jianbao check`` reads as finished bulletins (jianbao.check_docx) rather than issue files.
WORD_SUFFIXES = (".docx", ".doc", ".wps", ".odt")


@dataclass(frozen=True)
class Entry:
    """One validated issue file of a folder."""

    src: Source
    issue: IssueFile

    @property
    def label(self) -> str:
        kind = "增刊" if self.issue.supplement else ""
        return f"{self.issue.date.year}年{kind}第{self.issue.number}期"

    @property
    def name(self) -> str:
        return Path(self.src.path).name


def check_series(entries: list[Entry]) -> list[Diagnostic]:
    """The JB3xx rules over the issues of one folder."""
    out: list[Diagnostic] = []
    years_present = {e.issue.date.year for e in entries}
    for supplement in (False, True):
        by_year: dict[int, list[Entry]] = defaultdict(list)
        for e in entries:
            if e.issue.supplement == supplement:
                by_year[e.issue.date.year].append(e)
        for year, group in sorted(by_year.items()):
            group.sort(key=lambda e: (e.issue.number, e.issue.date, str(e.src.path)))
            out += _numbers(year, group, supplement, covers_start=any(y < year for y in years_present))
            out += _dates(group)
        if not supplement:
            regular = [e for _, g in sorted(by_year.items()) for e in g]
            out += _periods(regular)
    out += _totals(entries)
    out.sort(key=lambda d: (str(d.file), d.line or 0, d.column or 0))
    return out


def _numbers(year: int, group: list[Entry], supplement: bool, covers_start: bool) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    kind = "增刊" if supplement else ""
    first = group[0]
    if covers_start and first.issue.number > 1:
        missing = _span(1, first.issue.number - 1, kind)
        out.append(first.src.diagnostic(
            "JB301", f"{year}年{kind}的第一期应为{kind}第1期，这里是{kind}第{first.issue.number}期（缺{missing}）",
            ("number",), hint=f"每年的{kind}期号从第1期起编；补上缺的期，或改正期号。"))
    for prev, cur in zip(group, group[1:]):
        a, b = prev.issue.number, cur.issue.number
        if b == a:
            out.append(cur.src.diagnostic(
                "JB302", f"{year}年{kind}第{b}期重复：{prev.name} 也是{kind}第{b}期", ("number",),
                hint=f"改为正确的期号（{year}年{kind}期号已用到第{group[-1].issue.number}期）。"))
        elif b > a + 1:
            out.append(cur.src.diagnostic(
                "JB301", f"{kind}期号不连续：上一期是 {prev.name} 的{kind}第{a}期，这里是{kind}第{b}期（缺{_span(a + 1, b - 1, kind)}）",
                ("number",), hint=f"检查是否漏了一期，或这一期应为{kind}第{a + 1}期。"))
    return out


def _span(a: int, b: int, kind: str) -> str:
    return f"{kind}第{a}期" if a == b else f"{kind}第{a}—{b}期"


def _dates(group: list[Entry]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for prev, cur in zip(group, group[1:]):
        if cur.issue.number == prev.issue.number:
            continue  # JB302 says it
        if cur.issue.date < prev.issue.date:
            out.append(cur.src.diagnostic(
                "JB305", f"{cur.label}的印发日期 {cn_date(cur.issue.date)} 早于上一期（{prev.name}，"
                f"{prev.label}）的 {cn_date(prev.issue.date)}", ("date",)))
        elif cur.issue.date == prev.issue.date:
            out.append(cur.src.diagnostic(
                "JB306", f"{cur.label}与上一期（{prev.name}，{prev.label}）的印发日期同为 {cn_date(cur.issue.date)}",
                ("date",)))
    return out


def _totals(entries: list[Entry]) -> list[Diagnostic]:
    """Where totals are given they count every issue in date order; issues without one may sit between."""
    out: list[Diagnostic] = []
    ordered = sorted(entries, key=lambda e: (e.issue.date, e.issue.supplement, e.issue.number, str(e.src.path)))
    last: Entry | None = None
    untotalled = 0
    for e in ordered:
        if e.issue.total is None:
            untotalled += last is not None
            continue
        if last is not None:
            a, b = last.issue.total, e.issue.total
            assert a is not None  # last is the latest issue with a total
            if b <= a:
                what = "重复" if b == a else "倒退"
                out.append(e.src.diagnostic(
                    "JB304", f"总期号{what}：上一期（{last.name}）是总第{a}期，这里是总第{b}期", ("total",),
                    hint=f"这一期应为总第{a + 1 + untotalled}期。" if not untotalled else f"总期号应大于{a}。"))
            elif b > a + 1 + untotalled:
                between = f"，中间另有 {untotalled} 期未写总期号" if untotalled else ""
                out.append(e.src.diagnostic(
                    "JB303", f"总期号不连续：上一期（{last.name}）是总第{a}期{between}，这里是总第{b}期", ("total",),
                    hint=f"这一期应为总第{a + 1 + untotalled}期，或检查是否漏了一期。"))
        last, untotalled = e, 0
    return out


def _periods(regular: list[Entry]) -> list[Diagnostic]:
    """Consecutive regular issues (number n, n+1, or a year's last and the next year's 第1期)."""
    out: list[Diagnostic] = []
    for prev, cur in zip(regular, regular[1:]):
        a, b = prev.issue, cur.issue
        follows = (b.date.year == a.date.year and b.number == a.number + 1) or (
            b.date.year == a.date.year + 1 and b.number == 1)
        if not follows or a.period is None or b.period is None:
            continue
        if b.period.start <= a.period.end:
            out.append(cur.src.diagnostic(
                "JB307", f"报告期（{cn_range(b.period.start, b.period.end)}）与上一期（{prev.name}）的报告期"
                f"（{cn_range(a.period.start, a.period.end)}）重叠", ("period", "start"),
                hint=f"这一期的报告期应从 {(a.period.end + dt.timedelta(days=1)).isoformat()} 或之后开始。"))
            continue
        gap = uncovered_workdays(a.period.end, b.period.start)
        if gap:
            days = cn_date(gap[0], year=False) if len(gap) == 1 else f"{cn_range(gap[0], gap[-1])}中的 {len(gap)} 个工作日"
            out.append(cur.src.diagnostic(
                "JB308", f"上一期（{prev.name}）的报告期到{cn_date(a.period.end, year=False)}为止，这一期从"
                f"{cn_date(b.period.start, year=False)}开始：{days}没有覆盖", ("period", "start"),
                hint=f"这一期的报告期应从 {gap[0].isoformat()} 开始（或在中间补一期）。"))
    return out


def uncovered_workdays(end: dt.date, start: dt.date) -> list[dt.date]:
    """Working days strictly between *end* and *start*, by the official calendar (2004–2026 known).

    Days the calendar does not know are left out: outside its range we cannot tell.
    """
    import chinese_calendar

    out = []
    day = end + dt.timedelta(days=1)
    while day < start:
        try:
            if chinese_calendar.is_workday(day):
                out.append(day)
        except NotImplementedError:
            pass
        day += dt.timedelta(days=1)
    return out


# --- running the whole check -----------------------------------------------------------------------

@dataclass
class Report:
    """What ``jianbao check`` found: every diagnostic (no duplicates) and the number of issue files."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> int:
        return sum(d.is_error for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors

    def add(self, diagnostics: list[Diagnostic]) -> None:
        seen = {_key(d) for d in self.diagnostics}
        for d in diagnostics:
            if _key(d) not in seen:  # a problem in jianbao.yaml is reported once, not once per issue
                seen.add(_key(d))
                self.diagnostics.append(d)

    def to_json(self) -> dict:
        return {"diagnostics": [d.to_json() for d in self.diagnostics], "files": self.files,
                "errors": self.errors, "warnings": self.warnings}


def _key(d: Diagnostic) -> tuple:
    return (d.code, str(d.file), d.line, d.column, d.message)


def folder_rules(src: Source, issue: IssueFile, folder: Path) -> list[Diagnostic]:
    """The JB3xx rules over the issues of *folder* with one more issue among them (a Word bulletin
    being checked, :mod:`jianbao.check_docx`); only what is said about that issue."""
    if not folder.is_dir():
        return []
    entries = [e for e in (_entry(f) for f in issue_files(folder)) if e is not None]
    # the bulletin's own issue file, when it was imported already, is the same issue: leave it out
    entries = [e for e in entries if (e.issue.date, e.issue.supplement) != (issue.date, issue.supplement)]
    return [d for d in check_series(entries + [Entry(src, issue)]) if d.file == src.path]


def check_paths(paths: list[Path]) -> Report:
    """Validate and lint every issue file named or held by a folder in *paths*.

    A folder is also checked as a series (the JB3xx rules over its issue files); files named one
    by one are checked on their own.
    """
    from .ignore import shared_unused

    report = Report()
    shared: list[list[Diagnostic] | None] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files = issue_files(p)
            if not files:
                report.add([Diagnostic("JB001", f"文件夹中没有简报文件（.yaml）：{p}", file=p,
                                       hint="简报文件放在办公室文件夹的 issues/ 下，如 issues/2024-05-13.yaml。")])
            entries = []
            for diagnostics, entry, unused in _check_files(files):
                report.files += 1
                report.add(diagnostics)
                shared.append(unused)
                if entry is not None:
                    entries.append(entry)
            report.add(check_series(entries))
        elif p.name == SETTINGS and p.is_file():  # the series settings, just filled in: not an issue
            report.files += 1
            report.add(check_settings_file(p))
        elif p.suffix.lower() in WORD_SUFFIXES:  # a finished Word bulletin, linted where it is
            from .check_docx import check_document

            report.files += 1
            report.add(check_document(p, series_rules=folder_rules))
        else:
            _check_file(p, report, shared)
    report.add(shared_unused(shared))  # an ignore in jianbao.yaml that silenced nothing in any issue
    return report


def check_settings_file(path: Path) -> list[Diagnostic]:
    """What is wrong with an office's ``jianbao.yaml`` on its own: its fields (JB1xx), the layout it
    names (JB401/JB402), and the settings rules of every issue (待填 left in it, no distribution …)."""
    from .check import check_settings
    from .layout import load_layout
    from .load import load_yaml
    from .model import Bulletin, SeriesFile
    from .pipeline import find_layout
    from .validate import validate

    try:
        src = load_yaml(path)
        series = validate(src, SeriesFile)
    except JianbaoError as exc:
        return exc.diagnostics
    bulletin = Bulletin.merge(series, IssueFile.model_validate({"number": 1, "date": dt.date(2000, 1, 1)}))
    try:
        layout = load_layout(find_layout(bulletin.series.layout, path.parent, src))
    except JianbaoError as exc:
        return exc.diagnostics
    stub = Source(path=path, text="", data={})  # no issue: every setting is jianbao.yaml's
    return check_settings(bulletin, stub, layout, series_src=src)


def _check_file(path: Path, report: Report, shared: list | None = None) -> Entry | None:
    """Check one issue file into *report*; its Entry for the series rules when its issue is valid."""
    report.files += 1
    diagnostics, entry, unused = _check_one(path)
    report.add(diagnostics)
    if shared is not None:
        shared.append(unused)
    return entry


def _check_one(path: Path) -> tuple[list[Diagnostic], Entry | None, list[Diagnostic] | None]:
    """Every diagnostic of one issue file (errors and warnings of every stage that could run, the
    ignores applied), its Entry for the series rules when its issue is valid, and the ignores of
    jianbao.yaml it left unused (None when not known: the rules could not run)."""
    from .ignore import apply
    from .pipeline import compile

    result = compile(path, write=False)
    if result.checked is not None:
        kept, unused = apply(result.diagnostics, result.checked.issue_src, result.checked.series_src)
        return kept, Entry(result.checked.issue_src, result.checked.bulletin.issue), unused
    kept, _ = apply(result.diagnostics, *_sources(path))
    return kept, _entry(path), None


def _sources(path: Path) -> tuple[Source | None, Source | None]:
    """The loaded issue file and its jianbao.yaml, as far as they load."""
    from .load import load_yaml
    from .office import display_path, find_settings

    try:
        src = load_yaml(path)
    except JianbaoError:
        return None, None
    settings = find_settings(Path(path).parent)
    try:
        return src, (load_yaml(display_path(settings)) if settings else None)
    except JianbaoError:
        return src, None


def check_text(path: Path, text: str) -> list[Diagnostic]:
    """What ``jianbao check PATH`` reports when the file holds *text* (an editor's buffer, not yet saved)."""
    from .pipeline import compile

    return compile(path, write=False, text=text).diagnostics


#: Folders with this many issue files or more are checked on every core (below, starting the
#: worker processes costs more than it saves).
PARALLEL_FROM = 40


def _check_files(files: list[Path]) -> list[tuple[list[Diagnostic], Entry | None, list[Diagnostic] | None]]:
    """:func:`_check_one` of each file, in order; in worker processes for a big folder."""
    jobs = os.cpu_count() or 1
    if jobs < 2 or len(files) < PARALLEL_FROM:
        return [_check_one(f) for f in files]
    from concurrent.futures import ProcessPoolExecutor

    from . import check, layout, pipeline, resolve  # noqa: F401  (imported once, before the workers fork)

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_check_one, files, chunksize=16))


def _entry(path: Path) -> Entry | None:
    """The issue alone (without its series), when the file itself is valid; else None."""
    from .load import load_yaml
    from .validate import validate

    try:
        src = load_yaml(path)
        return Entry(src, validate(src, IssueFile))
    except JianbaoError:
        return None


