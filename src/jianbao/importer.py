"""``jianbao import``: finished bulletins in, issue files (and a ``jianbao.yaml``) out.

For each file: read it (:func:`jianbao.readers.read_document`), recover its structure
(:func:`jianbao.readers.structure.recover`), write ``issues/<date>.yaml`` (``<date>-zk.yaml`` for a
增刊) as ``jianbao new`` names them.  The office folder's ``jianbao.yaml`` is written from the first
bulletin when there is none (and never replaced); where a bulletin's masthead or end block differs
from it (another editor, copies, distribution), its issue file carries those values, so that it
builds what was printed.  Nothing is overwritten without ``force``; what is written is first checked
to be a valid issue file, and written atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, JianbaoError
from .model import SERIES_KEYS

if TYPE_CHECKING:
    from .readers.structure import Recovered

ISSUES = "issues"
SETTINGS = "jianbao.yaml"
PLACEHOLDER_NAME = "待填：简报名称"
PLACEHOLDER_EDITOR = "待填：编印单位全称"


@dataclass
class Imported:
    """What became of one file."""

    source: Path
    written: Path | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.written is not None


@dataclass
class Converted:
    """One bulletin read and turned into the text of its issue file (not yet written)."""

    source: Path
    recovered: Recovered
    issue_text: str
    file_name: str
    notes: list[str]


def office_folder(out: Path | None) -> Path:
    """Where to import into: *out*, else the office folder around the working folder, else it."""
    from .office import find_settings

    if out is not None:
        return Path(out)
    found = find_settings(Path.cwd())
    return found.parent if found is not None else Path(".")


def rendered_rows(distribution: dict | None, separator: str) -> list[tuple[str, str]]:
    """The end-block rows as printed: (label, text)."""
    return [(k, v if isinstance(v, str) else separator.join(v) + "。") for k, v in (distribution or {}).items()]


def overrides_for(series: dict, settings: dict) -> tuple[dict, list[str]]:
    """The values of a bulletin's *series* that differ from the folder's *settings* (and what cannot be said)."""
    out: dict = {}
    problems: list[str] = []
    for key in ("name", "editor", "mark", "copies"):
        mine = series.get(key)
        theirs = settings.get(key)
        if mine is None:
            if theirs is not None and key in ("mark", "copies"):
                problems.append(f"这一期没有{'左上角标识' if key == 'mark' else '共印份数'}，jianbao.yaml 中有；"
                                "编译时将照 jianbao.yaml 印出")
            continue
        if mine != theirs:
            out[key] = mine
    mine_rows = rendered_rows(series.get("distribution"), series.get("separator") or "，")
    theirs_rows = rendered_rows(settings.get("distribution"), settings.get("separator") or "，")
    if mine_rows and mine_rows != theirs_rows:
        out["distribution"] = {k: v for k, v in mine_rows}
    elif not mine_rows and theirs_rows:
        problems.append("这一期没有版记（报、送、发），jianbao.yaml 中有；编译时将照 jianbao.yaml 印出")
    return out, problems


def expand(files: list[Path]) -> list[Path]:
    """*files*, a folder standing for the bulletins in it (by name; other files and subfolders skipped)."""
    from .readers import SUFFIXES

    out: list[Path] = []
    for f in files:
        f = Path(f)
        if f.is_dir():
            out += sorted(p for p in f.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
                          and not p.name.startswith(("~$", ".")))  # ~$x.docx: Word's lock file
        else:
            out.append(f)
    return out


def read_bulletin(path: Path):
    """Read and recover *path*: (the Recovered structure, the reader's notes, the legacy suffix or None)."""
    from .readers import read_document
    from .readers.structure import recover

    doc = read_document(path)
    rec = recover(doc)
    if rec.errors:
        raise JianbaoError(rec.errors)
    return rec, list(doc.notes), doc.converted_from


def convert(path: Path, rec, notes: list[str], converted_from: str | None, settings: dict | None) -> Converted:
    """The text of the issue file of the bulletin *rec* read from *path*, against the folder's *settings*."""
    from .issuefile import dump_issue
    from .scaffold import SUPPLEMENT_SUFFIX

    overrides, problems = overrides_for(rec.series, settings or rec.series)
    notes = notes + problems
    issue = rec.issue
    kind = "增刊" if issue.get("supplement") else ""
    head = f"{kind}第{issue['number']}期" + (f"（总第{issue['total']}期）" if issue.get("total") else "")
    via = f"（经 LibreOffice 由 .{converted_from} 转换）" if converted_from else ""
    comments = [f"{head}，由 jianbao import 从 {path.name}{via} 导入。",
                "手工输入的序号（一、（一）1.（1））已从文字中去掉：序号由程序生成。"]
    said = list(rec.warnings)
    if said or notes:
        comments.append("导入时的提示（核对后可删去这几行）：")
        for d in said[:30]:
            comments.append(f"  {d.code} {d.place or ''}：{d.message}")
        if len(said) > 30:
            comments.append(f"  ……另有 {len(said) - 30} 条，见 jianbao import 的输出。")
        for n in notes[:10]:
            comments.append(f"  {n}")
    text = dump_issue(issue, overrides=overrides, comments=comments)
    name = issue["date"].isoformat() + (SUPPLEMENT_SUFFIX if issue.get("supplement") else "") + ".yaml"
    return Converted(path, rec, text, name, notes)


def settings_text(series: dict, source: str) -> str:
    from .issuefile import dump_settings

    values = dict(series)
    values.setdefault("name", PLACEHOLDER_NAME)
    values.setdefault("editor", PLACEHOLDER_EDITOR)
    values["layout"] = "gbt9704"
    ordered = {k: values[k] for k in SERIES_KEYS if k in values}
    return dump_settings(ordered, comments=[
        f"简报系列设置，由 jianbao import 从 {source} 导入：报头、编印单位、报尾和印数取自这一期。",
        "任何一项都可以在某一期的文件里重写（那一期以期文件为准）。"])


def import_files(files: list[Path], *, out: Path | None = None, force: bool = False,
                 created: list[Path] | None = None) -> list[Imported]:
    """Import each of *files* into the office folder (*out*, else found from the working folder).

    ``jianbao.yaml`` is written from the first bulletin read when the folder has none (its path
    appended to *created*).  A file that cannot be read or whose issue file exists (without
    *force*) is reported in its :class:`Imported` and the others go on.
    """
    from .load import load_yaml
    from .model import IssueFile, SeriesFile
    from .office import display_path
    from .validate import validate
    from .write import write_atomic

    office = office_folder(out)
    settings_path = office / SETTINGS
    settings: dict | None = None
    if settings_path.is_file():
        src = load_yaml(settings_path)
        validate(src, SeriesFile)  # a broken jianbao.yaml: say so before importing into it
        settings = dict(src.data)
    results: list[Imported] = []
    targets: dict[Path, Path] = {}
    for path in expand(files):
        result = Imported(Path(path))
        results.append(result)
        try:
            rec, notes, converted_from = read_bulletin(Path(path))
        except JianbaoError as exc:
            result.diagnostics += exc.diagnostics
            continue
        first = settings is None
        if first:
            series_text = settings_text(rec.series, Path(path).name)
            settings = dict(load_yaml(settings_path, series_text).data)
        conv = convert(Path(path), rec, notes, converted_from, settings)
        target = office / ISSUES / conv.file_name
        shown = display_path(target)
        # (a file that is not written is reported alone: its warnings would be about nothing)
        if target in targets:
            result.diagnostics.append(Diagnostic(
                "JB909", f"{Path(path).name} 与 {targets[target].name} 是同一天（同一类）的简报，都要写入 {shown}，"
                         "没有写入", file=Path(path), hint="两个文件中有一个的日期印错了，或是同一期的两个版本：只导入其中一个。"))
            settings = None if first else settings
            continue
        if not target.parent.resolve().is_relative_to(office.resolve()):  # issues/ a link out of the office
            where = display_path(target.parent)
            result.diagnostics.append(Diagnostic(
                "JB501", f"{where} 是指向简报文件夹之外的链接，jianbao 不透过它写文件（{Path(path).name} 没有导入）",
                file=where, hint="删除这个链接，换成一个普通文件夹；或用 -o 指定另一个简报文件夹。"))
            settings = None if first else settings
            continue
        if (target.exists() or target.is_symlink()) and not force:
            result.diagnostics.append(Diagnostic(
                "JB909", f"{shown} 已经存在，没有覆盖（{Path(path).name} 没有导入）", file=shown,
                hint="确认要用导入的内容替换它时加 --force。"))
            settings = None if first else settings
            continue
        from .load import MAX_BYTES

        size = len(conv.issue_text.encode("utf-8"))
        if size > MAX_BYTES:  # jianbao check and build would refuse the file (JB006): it is not written
            result.diagnostics.append(Diagnostic(
                "JB902", f"{Path(path).name} 导入后的期文件有 {size / 1e6:.1f} MB，超过一期文件的上限 "
                         f"{MAX_BYTES / 1e6:.0f} MB，没有写入", file=Path(path),
                hint="一期简报的文字只有几万字：确认选对了文件，或先删去原件中不属于这一期的内容。"))
            settings = None if first else settings
            continue
        result.diagnostics += conv.recovered.warnings
        result.notes += conv.notes
        try:  # what we write must load back as a valid issue file
            validate(load_yaml(target, conv.issue_text), IssueFile)
            if first:
                validate(load_yaml(settings_path, series_text), SeriesFile)
        except JianbaoError as exc:
            for d in exc.diagnostics:
                d.notes.append(f"这是 jianbao import 由 {Path(path).name} 生成的内容，没有写入；请把原件发给维护人员。")
            result.diagnostics += exc.diagnostics
            if first:
                settings = None
            continue
        if first:
            write_atomic(settings_path, series_text.encode("utf-8"))
            if created is not None:
                created.append(settings_path)
        write_atomic(target, conv.issue_text.encode("utf-8"))
        targets[target] = Path(path)
        result.written = target
    return results
