"""The office folder: find ``jianbao.yaml``, load and validate an issue with its series.

This module ties the stages together for one issue file: load (both YAML files) → validate
(both models, merged) → resolve (figures and templated text, :mod:`jianbao.resolve`) → check
(the rules that make an issue unprintable) and resolve the layout preset.  :func:`compile_issue`
then renders and writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, JianbaoError
from .load import Source, load_yaml
from .model import Bulletin, IssueFile, SeriesFile
from .validate import validate

SETTINGS = "jianbao.yaml"


def find_settings(start: Path) -> Path | None:
    """``jianbao.yaml`` in *start* or the nearest folder above it."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        p = candidate / SETTINGS
        if p.is_file():
            return p
    return None


@dataclass
class Prepared:
    """An issue that passed validation and checks, ready to render."""

    path: Path
    office: Path
    bulletin: Bulletin
    layout: object  # jianbao.layout.Layout
    layout_path: Path
    issue_src: Source
    series_src: Source
    warnings: list[Diagnostic] = field(default_factory=list)
    inputs: list[Path] = field(default_factory=list)  # other issue files read for prev/ytd


def prepare(issue_path: Path) -> Prepared:
    """Load, validate and check one issue file; raise JianbaoError listing every error."""
    from . import check
    from .layout import inside, is_path, load_layout, resolve_layout
    from .resolve import resolve

    issue_path = Path(issue_path)
    if issue_path.is_dir():
        raise JianbaoError(Diagnostic("JB001", f"这是一个文件夹，不是简报文件：{issue_path}", file=issue_path))
    issue_src = load_yaml(issue_path)
    settings = find_settings(issue_path.parent)
    if settings is None:
        raise JianbaoError(Diagnostic(
            "JB007", f"找不到 {SETTINGS}：从 {issue_path.parent} 向上的各级文件夹里都没有", file=issue_path,
            hint=f"在简报文件夹根目录放一个 {SETTINGS}（至少写 name 和 editor），或运行 `jianbao init 文件夹` 新建。"))
    series_src = load_yaml(_display(settings))
    errors: list[Diagnostic] = []
    series = issue = None
    try:
        series = validate(series_src, SeriesFile)
    except JianbaoError as exc:
        errors += exc.diagnostics
    try:
        issue = validate(issue_src, IssueFile)
    except JianbaoError as exc:
        errors += exc.diagnostics
    if errors:
        raise JianbaoError(errors)
    bulletin = Bulletin.merge(series, issue)
    office = settings.parent

    layout_name = bulletin.series.layout
    where = issue_src if "layout" in (issue_src.data or {}) else series_src
    layout_path = resolve_layout(layout_name, office)
    if layout_path is None and is_path(layout_name) and not inside(office / layout_name, office):
        raise JianbaoError(where.diagnostic(
            "JB401", f"版式预设“{layout_name}”在简报文件夹之外", ("layout",),
            hint="版式预设文件要放在简报文件夹内（例如 templates/layouts/本单位.yaml）。"))
    if layout_path is None:
        raise JianbaoError(where.diagnostic(
            "JB401", f"找不到版式预设“{layout_name}”", ("layout",),
            hint=f"可用内置预设 gbt9704；自定义预设放在 {office / 'templates' / 'layouts'} 下。"))
    layout = load_layout(layout_path)

    inputs: list[Path] = []
    bulletin = resolve(bulletin, issue_src, inputs=inputs)  # figures and templated text: strings final
    diags = check.check_issue(bulletin, issue_src, layout, series_src)
    errs = [d for d in diags if d.is_error]
    if errs:
        raise JianbaoError(errs)
    return Prepared(issue_path, office, bulletin, layout, layout_path, issue_src, series_src,
                    warnings=[d for d in diags if not d.is_error], inputs=inputs)


def default_output(prepared: Prepared, suffix: str = ".docx") -> Path:
    """``build/<stem>.docx`` under the office folder."""
    return prepared.office / "build" / (prepared.path.stem + suffix)


def compile_issue(prepared: Prepared, out: Path, *, end_page_alone: bool = False) -> Path:
    """Render *prepared* and write it atomically to *out*."""
    from .render.docx import render
    from .write import docx_bytes, write_atomic

    doc = render(prepared.bulletin, prepared.layout, end_page_alone=end_page_alone)
    write_atomic(out, docx_bytes(doc))
    return out


def _display(path: Path) -> Path:
    """*path* relative to the working folder when it lies below it (for messages)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path
