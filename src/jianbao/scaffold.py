"""Scaffolding: ``jianbao new`` writes the next issue file, ``jianbao init`` a new office folder.

Both render Jinja2 templates from ``templates/scaffold/`` (an office may override the issue
template with its own ``templates/scaffold/issue.yaml.j2``).  Every value put into YAML goes
through the ``yaml`` filter, which dumps it as one YAML scalar, so that no text can break the file.
Neither ever overwrites a file: they open with ``"x"`` and report ``JB601`` / skip what exists.

How the next issue is worked out (:func:`plan_issue`):

* the *previous* issue is the latest regular issue by date (the latest 增刊 with ``supplement``);
* ``number`` is the previous one's number + 1 within the calendar year of the new date, else 1;
  增刊 are numbered on their own;
* ``total`` continues from the highest ``total`` of all issues, if the previous issue had one;
* ``period`` (regular issues only) runs from the first working day after the previous period
  (or the previous date) to the last working day of that week, make-up days counted;
* ``date`` is the previous regular issue's date + 7 days, moved forward to a working day;
  ``--date`` overrides it.  The period never ends after the date: if it would, its end is cut
  back to the last working day on or before the date (the period still follows the previous one);
* a 增刊 gets no period (one is offered commented out) and is dated, unless ``--date`` says
  otherwise, the working day after the latest issue of either kind;
* the sections repeat the headings of the previous issue of the same kind (or of ``--from``),
  with the sentences (and tables) of it that use templates — they are meant to be repeated weekly —
  and one placeholder ``待填：……`` where its other text was (one per section when none use templates);
* ``data`` repeats the previous issue's groups and keys, every figure ``待填`` (its last value in a
  comment): ``jianbao check`` reports each until it is filled in (JB205).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, JianbaoError
from .model import IssueFile

ISSUES = "issues"
SUPPLEMENT_SUFFIX = "-zk"
PLACEHOLDER = "待填：……"
ISSUE_TEMPLATE = "issue.yaml.j2"

#: Files ``jianbao init`` writes: (template under templates/scaffold/office/, target in the office).
OFFICE_FILES: tuple[tuple[str, str], ...] = (
    ("jianbao.yaml.j2", "jianbao.yaml"),
    ("gitkeep.j2", "issues/.gitkeep"),
    ("Makefile.j2", "Makefile"),
    ("build.cmd.j2", "build.cmd"),
    ("gitignore.j2", ".gitignore"),
    ("README.md.j2", "README.md"),
    ("vscode-settings.json.j2", ".vscode/settings.json"),
    ("vscode-extensions.json.j2", ".vscode/extensions.json"),
)

#: Where the JSON Schemas for editors go in an office (``jianbao schema`` writes them there too); the
#: first line of ``jianbao.yaml`` and of every issue file points at them.
SCHEMAS_DIR = "schemas"

_WEEKDAYS_ZH = "一二三四五六日"


# --- templates -----------------------------------------------------------------------------

def yaml_scalar(value: Any) -> str:
    """*value* as one line of YAML (a plain or quoted scalar) that loads back to *value*.

    The ``yaml`` filter of the scaffold templates: ``name: {{ name|yaml }}``.
    """
    import yaml

    def dump(**style: Any) -> str:
        text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=2**31 - 1, **style)
        text = text.removesuffix("\n")
        return text.removesuffix("\n...")

    text = dump()
    if "\n" in text:  # a multi-line string: one double-quoted line with escapes instead
        text = dump(default_style='"')
    return text


def _env(*folders: Path):
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["yaml"] = yaml_scalar
    return env


def scaffold_templates() -> Path:
    """The built-in ``templates/scaffold/`` folder."""
    from .layout import builtin_templates

    return builtin_templates() / "scaffold"


# --- dates ---------------------------------------------------------------------------------

def parse_date(text: str, option: str = "--date") -> dt.date:
    """A date typed on the command line (``2024-05-20``, ``2024/5/20``, ``2024年5月20日``)."""
    from pydantic import TypeAdapter, ValidationError

    from .model import YDate

    try:
        return TypeAdapter(YDate).validate_python(text)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        code = "JB104" if err["type"] == "jb_impossible_date" else "JB105"
        raise JianbaoError(Diagnostic(code, f"{option} 的值不是日期：{err['msg']}",
                                      hint="日期写作 年-月-日，例如 2024-05-20。")) from None


def _cn(d: dt.date) -> str:
    from .dates import cn_date

    return cn_date(d)


# --- reading the office --------------------------------------------------------------------

@dataclass(frozen=True)
class Issue:
    """An issue file already in the office, as far as scaffolding needs it."""

    path: Path
    data: IssueFile

    @property
    def key(self) -> tuple[dt.date, int]:
        return self.data.date, self.data.number


def find_office(path: Path | None = None) -> Path:
    """The office folder: *path* (the office or its issues/ folder) or the one above the current folder."""
    from .office import SETTINGS, find_settings

    start = Path.cwd() if path is None else Path(path)
    if path is not None:
        if not start.exists():
            raise JianbaoError(Diagnostic("JB001", f"文件夹不存在：{start}", file=start,
                                          hint="给出简报文件夹（含 jianbao.yaml）或其中的 issues 文件夹。"))
        if not start.is_dir():
            raise JianbaoError(Diagnostic("JB001", f"这是一个文件，不是文件夹：{start}", file=start,
                                          hint="给出简报文件夹（含 jianbao.yaml）或其中的 issues 文件夹；"
                                               "要以某一期为样板，用 --from 文件。"))
    settings = find_settings(start)
    if settings is None:
        where = "当前文件夹" if path is None else str(start)
        raise JianbaoError(Diagnostic(
            "JB007", f"找不到 {SETTINGS}：从{where}向上的各级文件夹里都没有",
            hint="到简报文件夹里运行，或给出它的路径：jianbao new 文件夹；新建简报文件夹用 jianbao init 文件夹。"))
    return _relative(settings.parent)


def issue_paths(issues_dir: Path) -> list[Path]:
    """The issue files in *issues_dir* (:func:`jianbao.office.issue_files`)."""
    from .office import issue_files_in

    return issue_files_in(issues_dir)


def read_issue(path: Path) -> Issue:
    """Load and validate one issue file (contract errors only; lint is ``jianbao check``'s job)."""
    from .load import load_yaml
    from .validate import validate

    src = load_yaml(path)
    return Issue(path, validate(src, IssueFile))


def read_issues(issues_dir: Path) -> list[Issue]:
    """Every issue in *issues_dir*; raise with all their errors if any cannot be read."""
    issues: list[Issue] = []
    errors: list[Diagnostic] = []
    for p in issue_paths(issues_dir):
        try:
            issues.append(read_issue(p))
        except JianbaoError as exc:
            errors += exc.diagnostics
    if errors:
        errors[0].notes.append("jianbao new 要读取已有的各期来推算期号和日期：请先改正这些错误。")
        raise JianbaoError(errors)
    return issues


# --- planning the next issue ---------------------------------------------------------------

@dataclass
class SectionStub:
    key: str  # "title" or "lead"
    heading: str
    shape: str  # "items" or "body"
    #: the section's content as YAML lines (indented for the section's mapping), when it carries
    #: templated sentences forward; else None and the template writes one placeholder
    lines: list[str] | None = None


@dataclass
class IssuePlan:
    """Everything the issue template needs, worked out from the office's issues."""

    number: int
    date: dt.date
    supplement: bool = False
    total: int | None = None
    period: tuple[dt.date, dt.date] | None = None
    period_hint: tuple[dt.date, dt.date] | None = None  # suggested, written commented out
    sections: list[SectionStub] = field(default_factory=list)
    headline: dict[str, bool] = field(default_factory=dict)  # title/subtitle/note/body present
    based_on: Path | None = None
    first: bool = False  # no issue in the office yet
    data_lines: list[str] = field(default_factory=list)  # the model's data keys, each 待填, as YAML lines
    data_example: str = "综窗.受理"  # the first figure of the model's data (办件.受理): the comment's example
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return _file_name(self.date, self.supplement)


def _file_name(date: dt.date, supplement: bool) -> str:
    """``2024-05-20.yaml``, or ``2024-05-20-zk.yaml`` for a 增刊."""
    return date.isoformat() + (SUPPLEMENT_SUFFIX if supplement else "") + ".yaml"


def _latest(issues: list[Issue]) -> Issue | None:
    return max(issues, key=lambda i: i.key, default=None)


def _stubs(model: IssueFile | None) -> list[SectionStub]:
    stubs: list[SectionStub] = []
    for s in model.sections if model else []:
        carried = _carry_node(s)
        lines = _yaml_lines({k: v for k, v in carried.items() if k not in ("title", "lead")}, 4) if carried else None
        if s.title is not None:
            # keep a body-only section body-only (like “厅（局）长进大厅”); otherwise one item
            shape = "body" if s.body and not s.items else "items"
            stubs.append(SectionStub("title", s.title, shape, lines))
        else:
            stubs.append(SectionStub("lead", s.lead or "", "body", lines))
    return stubs or [SectionStub("title", "待填：这一部分的标题", "items")]


# --- carrying the figures forward: data keys and the sentences that use templates ---------

def _figure_lines(values: dict, indent: int) -> list[str]:
    """The keys of *values* as YAML lines, every figure 待填 with last issue's value in a comment."""
    from .model import FIGURE_PLACEHOLDER, is_unfilled

    pad = " " * indent
    out: list[str] = []
    for key, value in values.items():
        name = yaml_scalar(key)
        if isinstance(value, dict):
            if value:
                out.append(f"{pad}{name}:")
                out += _figure_lines(value, indent + 2)
            else:
                out.append(f"{pad}{name}: {{}}")
        else:
            was = "" if is_unfilled(value) else f"  # 上期 {_figure(value)}"
            out.append(f"{pad}{name}: {FIGURE_PLACEHOLDER}{was}")
    return out


def _first_figure(values: dict) -> str:
    """The dotted name of the first figure in *values* (``办件.受理``), as a template writes it."""
    names: list[str] = []
    while isinstance(values, dict) and values:
        key = next(iter(values))
        names.append(str(key))
        values = values[key]
    return ".".join(names) or "综窗.受理"


def _figure(value: Any) -> str:
    return str(value) if isinstance(value, int) else repr(value)


def _has_template(text: Any) -> bool:
    return isinstance(text, str) and ("{{" in text or "{%" in text)


def _templated_part(text: str) -> str | None:
    """The sentences of *text* that use templates, the others replaced by one 待填 each run
    (None when no sentence does): “完成2个。截至目前共{{ 完成 }}个。” → “待填：……截至目前共{{ 完成 }}个。”"""
    if not _has_template(text):
        return None
    if "{%" in text:  # a loop or a condition may span sentences: keep the paragraph whole
        return text
    sentences: list[str] = []
    start = depth = 0
    i = 0
    while i < len(text):
        if text.startswith("{{", i):
            depth += 1
            i += 2
            continue
        if text.startswith("}}", i) and depth:
            depth -= 1
            i += 2
            continue
        if not depth and text[i] in "。！？":
            sentences.append(text[start:i + 1])
            start = i + 1
        i += 1
    if start < len(text):
        sentences.append(text[start:])
    out: list[str] = []
    for sentence in sentences:
        if _has_template(sentence):
            out.append(sentence)
        elif sentence.strip() and (not out or out[-1] != PLACEHOLDER):
            out.append(PLACEHOLDER)
    return "".join(out)


def _carry_list(values: list, keep) -> tuple[list, bool]:
    """(what *keep* keeps of *values*, with one 待填 where the first dropped one was; whether any was kept)."""
    out: list = []
    kept_any = dropped = False
    for v in values:
        k = keep(v)
        if k is None:
            if not dropped:
                out.append(PLACEHOLDER)
                dropped = True
            continue
        out.append(k)
        kept_any = True
    return out, kept_any


def _carry_block(block: Any) -> Any:
    if isinstance(block, str):
        return _templated_part(block)
    table = getattr(block, "table", None)
    if table is None:  # a photo is this week's: not carried
        return None
    cells = [table.caption, *table.header, *(c for row in table.rows for c in row)]
    if any(_has_template(c) for c in cells):
        return {"table": table.model_dump(exclude_defaults=True)}
    return None


def _carry_node(node: Any) -> Any:
    """What of a section or an item goes into next week's issue: its headings and its templated
    sentences (and tables), or None when it has none."""
    if isinstance(node, str):
        return _templated_part(node)
    body, body_kept = _carry_list(node.body, _carry_block)
    items, items_kept = _carry_list(node.items, _carry_node)
    if not body_kept and not items_kept:
        return None
    out: dict[str, Any] = {}
    for key in ("title", "lead"):
        if getattr(node, key) is not None:
            out[key] = getattr(node, key)
    if body:
        out["body"] = body
    if items:
        out["items"] = items
    return out


def _yaml_lines(value: Any, indent: int) -> list[str]:
    """*value* (mappings, lists, strings, numbers) as block-style YAML lines; a scalar, or a list of
    scalars inside a list (a table row), is one line."""
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, (dict, list)) and v:
                out.append(f"{pad}{yaml_scalar(k)}:")
                out += _yaml_lines(v, indent + 2)
            else:
                out.append(f"{pad}{yaml_scalar(k)}: {yaml_scalar(v)}")
    elif isinstance(value, list):
        for x in value:
            if isinstance(x, dict) and x:
                inner = _yaml_lines(x, indent + 2)
                inner[0] = f"{pad}- {inner[0].lstrip()}"
                out += inner
            else:
                out.append(f"{pad}- {yaml_scalar(x)}")
    return out


def plan_issue(issues: list[Issue], *, date: dt.date | None = None, supplement: bool = False,
               model: Issue | None = None) -> IssuePlan:
    """Work out the next issue (see the module docstring); raise JianbaoError when it cannot."""
    from . import workdays as wd

    regular = [i for i in issues if not i.data.supplement]
    same_kind = [i for i in issues if i.data.supplement] if supplement else regular
    latest_regular = _latest(regular)
    latest_same = _latest(same_kind)
    base = latest_regular or _latest(issues)  # what date and period follow
    model = model or latest_same or latest_regular

    if date is None and base is None:
        raise JianbaoError(Diagnostic(
            "JB604", "还没有任何一期，推算不了期号和日期：第一期请用 --date 指定印发日期",
            hint="例如：jianbao new --date 2024-05-13（期号从第1期起）。"))
    if date is not None and latest_same is not None and date <= latest_same.data.date:
        kind = "增刊" if supplement else "一期"
        raise JianbaoError(Diagnostic(
            "JB605",
            f"--date {date.isoformat()} 不晚于最近的{kind}（{_relative(latest_same.path)}，"
            f"{latest_same.data.date.isoformat()}）",
            file=latest_same.path))

    cal = wd.Calendar(strict=date is None)
    plan_warnings: list[Diagnostic] = []
    period: tuple[dt.date, dt.date] | None = None
    period_hint: tuple[dt.date, dt.date] | None = None
    try:
        if supplement:
            # a 增刊 comes between regular issues: by default the working day after the latest issue,
            # so that it sorts (and its total counts) after everything already written
            if date is None:
                latest_any = _latest(issues)
                assert latest_any is not None
                date = wd.workday_after(latest_any.data.date, is_workday=cal)
        elif base is not None:
            prev_end = base.data.period.end if base.data.period else base.data.date
            start, end = wd.period_after(prev_end, is_workday=cal)
            if date is None:
                date = wd.issue_date_after(base.data.date, is_workday=cal)
            # never past the date: cut back to the last working day on or before it (with the
            # computed date this only happens after an issue that reported on its own week)
            period = wd.clamp_period(start, end, date, is_workday=cal)
            if period is None:  # only with --date: the computed date is never before `start`
                plan_warnings.append(Diagnostic(
                    "JB608", f"印发日期 {date.isoformat()} 早于上一期报告期之后的第一个工作日"
                             f"（{start.isoformat()}），没有写报告期"))
        else:
            assert date is not None
            # the first issue: suggest last week's working days, written commented out
            monday = wd.week_of(date)[0] - dt.timedelta(days=7)
            first_day = wd.next_workday(monday, is_workday=cal)
            last_day = wd.last_workday_of_week(first_day, is_workday=cal)
            if last_day is not None and first_day <= last_day < date:
                period_hint = (first_day, last_day)
        if not cal(date):
            plan_warnings.append(Diagnostic(
                "JB607", f"印发日期 {date.isoformat()}（星期{_WEEKDAYS_ZH[date.weekday()]}）不是工作日"))
    except wd.UnknownYear as exc:
        k = exc.known
        raise JianbaoError(Diagnostic(
            "JB602", f"节假日日历只有 {k.start}—{k.stop - 1} 年的数据，推算不了 {exc.year} 年的工作日",
            hint="用 --date 指定印发日期（此时按周一至周五推算报告期，不核对节假日），"
                 "或升级日历：pip install -U chinese-calendar。")) from None
    if cal.guessed:
        years = "、".join(str(y) for y in sorted(cal.guessed))
        plan_warnings.insert(0, Diagnostic(
            "JB606", f"节假日日历没有 {years} 年的数据：法定节假日和调休无法核对，报告期按周一至周五推算"))

    in_year = [i for i in same_kind if i.data.date.year == date.year]
    prev_in_year = _latest(in_year)
    number = prev_in_year.data.number + 1 if prev_in_year else 1

    totals = [i.data.total for i in issues if i.data.total is not None]
    ref = latest_same or base
    total = max(totals) + 1 if totals and ref is not None and ref.data.total is not None else None

    m = model.data if model else None
    headline = {
        "title": supplement or bool(m and m.title),
        "subtitle": bool(m and m.subtitle),
        "note": bool(m and m.note),
        "body": bool(m and m.body),
    }
    return IssuePlan(number=number, date=date, supplement=supplement, total=total, period=period,
                     period_hint=period_hint, sections=_stubs(m), headline=headline,
                     based_on=model.path if model else None, first=base is None,
                     warnings=plan_warnings, data_lines=_figure_lines(m.data, 2) if m else [],
                     data_example=_first_figure(m.data) if m and m.data else "综窗.受理")


def render_issue(plan: IssuePlan, office: Path | None = None) -> str:
    """The issue file's text (office's own ``templates/scaffold/issue.yaml.j2`` first)."""
    from .dates import cn_range

    folders = [scaffold_templates()]
    if office is not None and (office / "templates" / "scaffold" / ISSUE_TEMPLATE).is_file():
        folders.insert(0, office / "templates" / "scaffold")
    import jinja2

    try:
        template = _env(*folders).get_template(ISSUE_TEMPLATE)
    except jinja2.TemplateError as exc:
        raise _template_error(exc, folders[0] / ISSUE_TEMPLATE) from None
    based_on = None
    if plan.based_on is not None:
        based_on = plan.based_on.name if office and _inside(plan.based_on, office / ISSUES) else _relative(plan.based_on)
    context = dict(
        number=plan.number,
        total=plan.total,
        supplement=plan.supplement,
        date=plan.date,
        date_cn=_cn(plan.date),
        period=plan.period,
        period_cn=cn_range(*plan.period) if plan.period else None,
        period_hint=plan.period_hint,
        period_hint_cn=cn_range(*plan.period_hint) if plan.period_hint else None,
        headline=plan.headline,
        sections=plan.sections,
        placeholder=PLACEHOLDER,
        placeholder_title="待填：文章标题",
        placeholder_subtitle="待填：——副题",
        based_on=str(based_on) if based_on else None,
        first=plan.first,
        file_name=f"{ISSUES}/{plan.file_name}",
        data_lines=plan.data_lines,
        data_example=plan.data_example,
    )
    try:
        return template.render(**context)
    except jinja2.TemplateError as exc:
        raise _template_error(exc, Path(template.filename or ISSUE_TEMPLATE)) from None


def _template_error(exc: Exception, path: Path) -> JianbaoError:
    line = getattr(exc, "lineno", None)
    return JianbaoError(Diagnostic("JB609", f"模板有误：{exc}", file=_relative(path), line=line))


def new_issue(path: Path | None = None, *, date: dt.date | None = None, supplement: bool = False,
              from_file: Path | None = None, warnings: list[Diagnostic] | None = None,
              refreshed: list[Path] | None = None) -> Path:
    """Write the next issue file into ``<office>/issues/`` and return its path.

    *path* is the office folder or its issues/ folder (default: found from the current folder).
    *from_file* is an issue whose section headings to repeat instead of the previous issue's.
    Warnings (holidays not checked, a date on a rest day…) are appended to *warnings*.
    Never overwrites: an existing file raises ``JB601``.  Afterwards the office's ``schemas/`` is
    brought up to date (:func:`refresh_schemas`; the files written are appended to *refreshed*),
    so that the new file's ``$schema`` line points at schemas of this jianbao.
    """
    from .load import load_yaml
    from .validate import validate

    office = find_office(path)
    issues_dir = office / ISSUES
    if date is not None:  # the name is known: say so at once rather than after reading every issue
        _refuse_existing(issues_dir / _file_name(date, supplement))
    model = read_issue(Path(from_file)) if from_file is not None else None
    plan = plan_issue(read_issues(issues_dir), date=date, supplement=supplement, model=model)
    target = issues_dir / plan.file_name
    _refuse_existing(target)

    text = render_issue(plan, office)
    # What we write must be a valid issue file (a local template could break it): check first.
    try:
        validate(load_yaml(target, text), IssueFile)
    except JianbaoError as exc:
        for d in exc.diagnostics:
            d.notes.append("这是 jianbao new 按模板生成的内容，尚未写入；请检查 templates/scaffold/issue.yaml.j2。")
        raise
    try:
        issues_dir.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except FileExistsError:
        _refuse_existing(target)
        raise  # pragma: no cover - _refuse_existing raised
    except OSError as exc:
        raise JianbaoError(Diagnostic("JB501", f"无法写入 {target}（{exc.strerror}）", file=target)) from None
    schema_problems = refresh_schemas(office, refreshed=refreshed)
    if warnings is not None:
        for d in plan.warnings:
            d.file = d.file or target
        warnings += plan.warnings + schema_problems
    return target


def refresh_schemas(office: Path, *, refreshed: list[Path] | None = None, missing_only: bool = False) -> list[Diagnostic]:
    """Bring ``<office>/schemas/`` up to date with this jianbao (what ``$schema=../schemas/…`` points at).

    Files already right are left alone; the ones written are appended to *refreshed*. With
    *missing_only* (``init --force``) an existing file is never replaced.  A failure to write is
    no reason to fail the command: it comes back as a JB610 warning that says how to do it by hand.
    """
    from .schema import SCHEMAS, schema_bytes

    folder = Path(office) / SCHEMAS_DIR
    problems: list[Diagnostic] = []
    if folder.is_symlink() or (folder.exists() and not _inside(folder, Path(office))):
        return [Diagnostic("JB610", f"{folder} 是指向别处的链接，没有更新其中编辑器用的 schema", file=folder,
                           hint="jianbao 不会透过链接写文件：删除链接后运行 jianbao schema。")]
    for name, cls in SCHEMAS.items():
        path = folder / name
        data = schema_bytes(cls)
        try:
            if path.is_symlink() or path.is_dir():
                raise IsADirectoryError(21, "不是普通文件")
            if path.is_file() and (missing_only or path.read_bytes() == data):
                continue
            folder.mkdir(parents=True, exist_ok=True)
            from .write import write_atomic

            write_atomic(path, data)
        except JianbaoError:
            problems.append(Diagnostic("JB610", f"没有更新编辑器用的 {path}", file=path,
                                       hint="在简报文件夹里运行 jianbao schema。"))
            continue
        except OSError as exc:
            problems.append(Diagnostic("JB610", f"没有更新编辑器用的 {path}（{exc.strerror}）", file=path,
                                       hint="检查 schemas/ 的写入权限，然后在简报文件夹里运行 jianbao schema。"))
            continue
        if refreshed is not None:
            refreshed.append(path)
    return problems


def _refuse_existing(target: Path) -> None:
    for p in (target, target.with_suffix(".yml")):
        if p.exists() or p.is_symlink():
            raise JianbaoError(Diagnostic(
                "JB601", f"文件已经存在：{p}（jianbao new 不会覆盖已有文件）", file=p,
                hint=f"打开 {p} 接着编辑；要另起一期，用 --date 指定别的日期，或先把已有文件改名。"))


# --- a new office --------------------------------------------------------------------------

def init_office(folder: Path, *, force: bool = False, skipped: list[Path] | None = None) -> list[Path]:
    """Scaffold an office folder; return the files created.

    Besides the templates of ``templates/scaffold/office/`` it writes ``schemas/`` (the JSON Schemas
    the ``$schema`` lines point at) and ``.vscode/settings.json``, which maps ``issues/*.yaml`` and
    ``jianbao.yaml`` to them, so that an editor helps from the first file opened.

    *folder* must be missing or empty (a ``.git`` folder alone counts as empty) unless *force*;
    with *force* nothing that exists is touched: only missing files are created, and what was
    left alone is appended to *skipped*.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise JianbaoError(Diagnostic("JB603", f"{folder} 已经存在，而且是一个文件，不是文件夹", file=folder,
                                      hint="换一个文件夹名。"))
    if folder.is_dir() and not force:
        present = sorted(p.name for p in folder.iterdir() if p.name != ".git")
        if present:
            shown = "、".join(present[:5]) + (f" 等 {len(present)} 项" if len(present) > 5 else "")
            raise JianbaoError(Diagnostic(
                "JB603", f"文件夹 {folder} 不是空的（已有 {shown}），没有做任何改动", file=folder))

    env = _env(scaffold_templates() / "office")
    context = {
        "name": "待填：简报名称",
        "editor": "待填：编印单位全称",
        "placeholder_to": "待填：上级单位",
        "placeholder_cc": "待填：本单位各处（室）。",
    }
    rendered = [(target, env.get_template(name).render(**context)) for name, target in OFFICE_FILES]

    created: list[Path] = []
    left: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        before = {p.name for p in folder.iterdir()}
        for target, text in rendered:
            first = folder / Path(target).parts[0]
            path = folder / target
            if first != path and first.name in before:
                _note(left, first)  # an existing issues/ (or .vscode/) folder is left as it is
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                # build.cmd is read by cmd.exe: CRLF line ends (its text is ASCII)
                with open(path, "x", encoding="utf-8", newline="\r\n" if target.endswith(".cmd") else "\n") as f:
                    f.write(text)
            except FileExistsError:
                _note(left, path)
                continue
            created.append(path)
    except OSError as exc:
        raise JianbaoError(Diagnostic("JB501", f"无法在 {folder} 中写入文件（{exc.strerror}）", file=folder)) from None
    from .schema import SCHEMAS

    if (folder / SCHEMAS_DIR).is_symlink():  # --force on a folder whose schemas/ links elsewhere: leave it
        _note(left, folder / SCHEMAS_DIR)
        if skipped is not None:
            skipped += left
        return created
    existing = [folder / SCHEMAS_DIR / name for name in SCHEMAS if (folder / SCHEMAS_DIR / name).exists()]
    problems = refresh_schemas(folder, refreshed=created, missing_only=True)
    if problems:  # the other files could be written, so this is not expected: fail as they would
        raise JianbaoError([Diagnostic("JB501", d.message, file=d.file, hint=d.hint) for d in problems])
    for p in existing:
        _note(left, p)
    if skipped is not None:
        skipped += left
    return created


def _note(paths: list[Path], p: Path) -> None:
    if p not in paths:
        paths.append(p)


# --- helpers -------------------------------------------------------------------------------

def _inside(path: Path, folder: Path) -> bool:
    from .layout import inside

    return inside(path, folder)


def _relative(path: Path) -> Path:
    """*path* relative to the working folder when it lies below it (for messages)."""
    from .office import display_path

    return display_path(Path(path))
