"""Silencing a warning where a person decided it is fine, the way ruff's ``# noqa: CODE`` works.

Three places, narrowest first::

    - 接通率{{ … }}，12345热线……   # jianbao: ignore JB711      (this line, or the string starting on it)
    ignore: [JB711]                                             (in an issue: that issue)
    ignore: [JB711]                                             (in jianbao.yaml: every issue)

Only warnings can be silenced: an error means the bulletin would print wrong, and an ignore that
names one is reported (JB031), as is a code that does not exist.  An ignore that silences
nothing is reported too (JB030, like ruff's RUF100): the problem was fixed, or the code or the
line is wrong.  For ignores in ``jianbao.yaml``, which serve every issue, that is decided over all
the issues checked together (:func:`shared_unused`).

Used by ``jianbao check`` (:mod:`jianbao.check_series`) and ``jianbao build`` (:mod:`jianbao.batch`)
on the warnings that :func:`jianbao.office.prepare` returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import RULES, Diagnostic
from .load import KEY, Source

#: ``# jianbao: ignore JB711`` (several codes: ``JB711, JB712`` or ``JB711 JB712``).
DIRECTIVE = re.compile(r"(?:^|(?<=\s))#\s*jianbao\s*[:：]\s*ignore\b(?P<codes>[^#\n]*)")
_CODE = re.compile(r"JB\d{3}")
#: Codes that are about ignores themselves: never silenced.
OWN = ("JB030", "JB031")


def _same(a: Path | str | None, b: Path | str | None) -> bool:
    if a is None or b is None:
        return False
    try:
        return Path(a).resolve() == Path(b).resolve()
    except (OSError, RuntimeError):
        return str(a) == str(b)


@dataclass
class _Rule:
    codes: list[str]
    file: Path
    lines: tuple[int, int] | None  # None: the whole issue
    shared: bool  # written in jianbao.yaml: serves every issue
    place: Diagnostic  # where it is written (for JB030)
    used: set[str] = field(default_factory=set)


class Ignores:
    """The ignores that apply to one issue: its own (field and comments) and jianbao.yaml's."""

    def __init__(self, issue_src: Source | None, series_src: Source | None = None):
        self.rules: list[_Rule] = []
        self.problems: list[Diagnostic] = []  # JB031
        for src, shared in ((issue_src, False), (series_src, True)):
            if src is not None:
                self._field(src, shared)
                self._comments(src, shared)

    # --- reading ---------------------------------------------------------------------------------
    def _field(self, src: Source, shared: bool) -> None:
        data = src.data if isinstance(src.data, dict) else {}
        values = data.get("ignore")
        if values is None:
            return
        items = [values] if isinstance(values, str) else values if isinstance(values, list) else []
        for i, code in enumerate(items):
            path = ("ignore",) if isinstance(values, str) else ("ignore", i)
            if not isinstance(code, str):
                continue  # validation reports it
            place = src.diagnostic("JB030", "", path)
            if self._valid(code.strip(), place):
                self.rules.append(_Rule([code.strip()], Path(src.path), None, shared, place))

    def _comments(self, src: Source, shared: bool) -> None:
        if "jianbao" not in src.text:
            return
        for n, line in enumerate(src.lines, 1):
            m = DIRECTIVE.search(line)
            if not m:
                continue
            place = Diagnostic("JB030", "", file=src.path, line=n, column=m.start() + 1,
                               width=len(m.group().rstrip()), source_line=line)
            codes = _CODE.findall(m.group("codes"))
            if not codes:
                self.problems.append(_moved(place, "JB031", "“# jianbao: ignore”后面没有写警告的代码",
                                            "写明要忽略哪一条，如“# jianbao: ignore JB711”。"))
                continue
            codes = [c for c in codes if self._valid(c, place)]
            if codes:
                self.rules.append(_Rule(codes, Path(src.path), (n, _last_line(src, n)), shared, place))

    def _valid(self, code: str, place: Diagnostic) -> bool:
        rule = RULES.get(code)
        if rule is None:
            self.problems.append(_moved(place, "JB031", f"没有代码为 {code} 的规则，这条忽略不起作用"))
            return False
        if code in OWN:
            self.problems.append(_moved(place, "JB031", f"{code} 是关于忽略本身的提示，不能忽略"))
            return False
        if rule.severity.value == "error":
            self.problems.append(_moved(place, "JB031", f"{code}（{rule.summary}）是错误，不能忽略",
                                        "错误会让简报印错或印不出来：请改正它。只有警告可以忽略。"))
            return False
        return True

    # --- applying --------------------------------------------------------------------------------
    def keep(self, d: Diagnostic) -> bool:
        """Whether *d* is still reported (and note which ignore silenced it)."""
        if d.is_error or d.code in OWN:
            return True
        for rule in self.rules:
            if d.code not in rule.codes:
                continue
            if rule.lines is not None:
                if not (_same(d.file, rule.file) and d.line is not None and rule.lines[0] <= d.line <= rule.lines[1]):
                    continue
            rule.used.add(d.code)
            return False
        return True

    def filter(self, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """*diagnostics* without the silenced warnings, with the ignores' own problems (JB031) added."""
        kept = [d for d in diagnostics if self.keep(d)]
        return kept + [p for p in self.problems if not _listed(p, kept)]

    def unused(self, *, shared: bool) -> list[Diagnostic]:
        """JB030 for each code of an ignore that silenced nothing (those of jianbao.yaml when *shared*)."""
        out = []
        for rule in self.rules:
            if rule.shared != shared:
                continue
            for code in rule.codes:
                if code not in rule.used:
                    where = "这一行" if rule.lines is not None else ("各期" if rule.shared else "这一期")
                    out.append(_moved(rule.place, "JB030", f"忽略 {code} 没有用到：{where}没有 {code} 警告"
                                                           f"（{RULES[code].summary}）"))
        return out


def _moved(place: Diagnostic, code: str, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, message, file=place.file, line=place.line, column=place.column, hint=hint,
                      width=place.width, source_line=place.source_line)


def _listed(d: Diagnostic, ds: list[Diagnostic]) -> bool:
    return any((o.code, str(o.file), o.line, o.column, o.message) == (d.code, str(d.file), d.line, d.column, d.message)
               for o in ds)


def _last_line(src: Source, line: int) -> int:
    """The last line of the string that starts on *line* (a block or folded scalar spans several)."""
    end = line
    for path, pos in src.positions.items():
        if pos.line == line and path and path[-1] != KEY and pos.end_line > end and _scalar(src.data, path):
            end = pos.end_line
    return end


def _scalar(data, path: tuple) -> bool:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    return not isinstance(node, (dict, list))


def apply(diagnostics: list[Diagnostic], issue_src: Source | None, series_src: Source | None
          ) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(*diagnostics* with ignores applied and the issue's unused ignores reported, the unused
    ignores of jianbao.yaml as this issue sees them — see :func:`shared_unused`)."""
    ignores = Ignores(issue_src, series_src)
    if not ignores.rules and not ignores.problems:
        return diagnostics, []
    kept = ignores.filter(diagnostics)
    return kept + ignores.unused(shared=False), ignores.unused(shared=True)


def shared_unused(per_issue: list[list[Diagnostic] | None]) -> list[Diagnostic]:
    """The jianbao.yaml ignores that silenced nothing in any of the issues (None: not known for that
    issue, because it has errors)."""
    known = [ds for ds in per_issue if ds is not None]
    if not known:
        return []
    keys = [{(d.code, str(d.file), d.line, d.column, d.message) for d in ds} for ds in known]
    common = set.intersection(*keys)
    return [d for d in known[0] if (d.code, str(d.file), d.line, d.column, d.message) in common]
