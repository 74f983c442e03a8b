"""``prev`` and ``ytd``: the other issues of the folder, read once per process and summed per year.

``ytd`` is per figure: a ``carry`` sets the figures it names (their running total restarts at that
issue); every other figure keeps its own most recent carry plus the data since."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..diagnostics import Diagnostic, JianbaoError
from ..load import Source
from ..model import IssueFile, is_unfilled
from ..office import find_settings, issue_files_in
from .values import Figures

# --- prev and ytd: the other issues of the folder -----------------------------------------------------

@dataclass
class _Loaded:
    path: Path
    src: Source | None
    issue: IssueFile | None
    error: Diagnostic | None
    name_date: dt.date | None


_LOADED: dict[tuple, _Loaded] = {}
_NAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def _load_issue(path: Path, office: Path | None = None) -> _Loaded:
    """One issue file of the folder, loaded and validated (cached by path and content: a folder
    check or a batch build reads each neighbour once, an edited file is read again).  A file
    whose links lead out of *office* is not read."""
    from ..load import load_yaml, read_text, refuse_outside
    from ..validate import validate

    m = _NAME_DATE.match(path.name)
    try:
        name_date = dt.date(*(int(g) for g in m.groups())) if m else None
    except ValueError:
        name_date = None
    src = issue = error = None
    try:
        if office is not None:
            refuse_outside(path, office)
        text = read_text(path)
        key = (str(_real(path)), text)
        if key in _LOADED:
            return _LOADED[key]
        src = load_yaml(path, text)
        issue = validate(src, IssueFile)
    except JianbaoError as exc:
        error = exc.diagnostics[0] if exc.diagnostics else Diagnostic("JB001", f"无法读取 {path}", file=path)
        return _Loaded(path, src, issue, error, name_date)
    if len(_LOADED) > 1000:
        _LOADED.clear()
    _LOADED[key] = _Loaded(path, src, issue, error, name_date)
    return _LOADED[key]


def _real(path: Path) -> Path:
    """*path* with its links resolved; a symlink loop (refused when it is read) as it is written."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


class Archive:
    """The issues of this issue's folder, as ``prev`` and ``ytd`` need them."""

    def __init__(self, issue: IssueFile, src: Source, inputs: list[Path] | None):
        self.issue, self.src, self.inputs = issue, src, inputs
        here = Path(src.path)
        self.key = (issue.date, here.name)
        self.others: list[_Loaded] = []
        try:
            me = here.resolve()
            files = [f for f in issue_files_in(here.parent) if _real(f) != me]
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
            files = []
        settings = find_settings(here.parent)
        for f in files:
            self.others.append(_load_issue(f, settings.parent if settings else None))

    def paths(self) -> list[Path]:
        """Every other issue file of the folder, read or not."""
        return [o.path for o in self.others]

    def _broken(self, relevant: Callable[[dt.date | None], bool]) -> Diagnostic | None:
        for o in self.others:
            if o.error is not None and relevant(o.name_date):
                e = o.error
                d = Diagnostic("JB708", f"模板用到了 prev/ytd，要读取 {o.path.name}，但它有错误：{e.message}",
                               file=e.file or o.path, line=e.line, column=e.column, width=e.width,
                               source_line=e.source_line,
                               hint=f"先改正 {o.path.name}（jianbao check {o.path}），再编译 {Path(self.src.path).name}。")
                return d
        return None

    def _used(self, o: _Loaded) -> None:
        if self.inputs is not None and o.path not in self.inputs:
            self.inputs.append(o.path)

    def prev(self) -> Figures | Diagnostic:
        i = self.issue
        before = [o for o in self.others if o.issue is not None and o.issue.supplement == i.supplement
                  and (o.issue.date, o.path.name) < self.key]
        latest = max(before, key=lambda o: (o.issue.date, o.path.name), default=None)  # type: ignore[union-attr]
        floor = latest.issue.date if latest and latest.issue else None
        broken = self._broken(lambda d: d is None or (d < i.date and (floor is None or d >= floor)))
        if broken:
            return broken
        if latest is None:
            return Figures({}, "prev", origin="")
        self._used(latest)
        assert latest.issue is not None
        return Figures(latest.issue.data, "prev", origin=latest.path.name)

    def ytd(self) -> Figures | Diagnostic:
        i = self.issue
        year = i.date.year
        broken = self._broken(lambda d: d is None or (d.year == year and d <= i.date))
        if broken:
            return broken
        members = [(o.issue.date, o.path.name, o.issue, o.src) for o in self.others
                   if o.issue is not None and o.issue.date.year == year and (o.issue.date, o.path.name) <= self.key]
        members.append((i.date, Path(self.src.path).name, i, self.src))
        members.sort(key=lambda m: (m[0], m[1]))
        # per figure: a carry sets the figures it names (their running total restarts there);
        # every other figure keeps its own most recent carry plus the data since
        total: dict = {}
        sources: dict[tuple, set[int]] = {}  # figure path → members whose carry or data it holds
        for k, (_, _, issue, src) in enumerate(members):
            if issue.carry is not None:
                problem = _add(total, issue.carry, src, ("carry",), sources, k,  # type: ignore[arg-type]
                               replace=True, own=src is self.src)
                if problem:
                    return problem
            problem = _add(total, issue.data, src, ("data",), sources, k, own=src is self.src)  # type: ignore[arg-type]
            if problem:
                return problem
        needed = set().union(*sources.values()) if sources else set()
        for k in sorted(needed):
            for o in self.others:
                if o.issue is members[k][2]:
                    self._used(o)
        return Figures(_plain(total), "ytd")


def _add(total: dict, values: Mapping, src: Source, where: tuple, sources: dict[tuple, set[int]] | None = None,
         member: int = 0, *, replace: bool = False, own: bool = False) -> Diagnostic | None:
    """Add *values* into *total*, path by path (*replace*: set them, as a carry does); a number where
    another issue has a group is an error.  *sources* records which members each figure comes from."""
    for key, value in values.items():
        here = where + (key,)
        if isinstance(value, Mapping):
            if key not in total:
                total[key] = {}
            elif not isinstance(total[key], dict):
                return _shape(src, here, "是一组数，而今年其他各期中它是一个数")
            problem = _add(total[key], value, src, here, sources, member, replace=replace, own=own)
            if problem:
                return problem
        elif is_unfilled(value):
            if own:
                continue  # reported at the figure itself (JB205)
            return src.diagnostic("JB708", f"计算今年以来累计（ytd）要用到 {Path(src.path).name} 中 {here[0]} 的"
                                           f"“{'.'.join(str(p) for p in here[1:])}”，它还没有填", here,
                                  hint=f"先在 {Path(src.path).name} 中填上这个数。")
        else:
            if isinstance(total.get(key), dict):
                return _shape(src, here, "是一个数，而今年其他各期中它是一组数")
            number = Decimal(repr(value)) if isinstance(value, float) else value
            total[key] = number if replace else total.get(key, 0) + number
            if sources is not None:
                figure = sources.setdefault(here[1:], set())
                if replace:
                    figure.clear()
                figure.add(member)
    return None


def _shape(src: Source, path: tuple, what: str) -> Diagnostic:
    name = ".".join(str(p) for p in path[1:])
    return src.diagnostic("JB713", f"{path[0]} 中的“{name}”{what}，无法累计（ytd）", path, key=True,
                          hint="同一年各期的 data 要用同样的结构：同一个名称要么是数，要么是一组数。")


def _plain(total: dict) -> dict:
    out: dict = {}
    for k, v in total.items():
        if isinstance(v, dict):
            out[k] = _plain(v)
        elif isinstance(v, Decimal):
            out[k] = float(v)  # a sum with a decimal in it: 0.1 + 0.2 gives 0.3, not 0.30000000000000004
        else:
            out[k] = v
    return out
