"""The pipeline: one issue file to a written bulletin, in one direction.

    read       jianbao.load        the issue file and the office's jianbao.yaml → Source
    validate   jianbao.validate    the models (jianbao.model), merged; the layout preset → Validated
    resolve    jianbao.resolve     figures, templated text, finished tables → Resolved
    check      jianbao.check       the rules (jianbao.diagnostics.RULES) → diagnostics
    render     jianbao.render      the document tree (jianbao.document) → .docx
    write      jianbao.write       atomically

Each stage takes the type the one before it returns (:mod:`jianbao.stages`), so no stage can be
run twice or skipped by accident, and no stage module imports a later one: only this module knows
them all.  :func:`compile` runs them and returns a :class:`Result` with the output and every
diagnostic of every stage that could run; bad input never raises out of it.  :func:`prepare` is the
same run without the writing, raising :class:`~jianbao.diagnostics.JianbaoError` with the errors
(what ``build`` needs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, JianbaoError
from .load import Source, load_yaml, refuse_outside
from .model import Bulletin, IssueFile, SeriesFile
from .office import SETTINGS, display_path, find_settings, refuse_output
from .stages import Checked, Loaded, Resolved, Validated
from .validate import validate

__all__ = ["Checked", "Result", "compile", "compile_issue", "default_output", "find_layout", "prepare", "read",
           "validate_issue", "resolve_issue", "check_issue"]


# --- the stages -----------------------------------------------------------------------------------

def read(issue_path: Path, text: str | None = None) -> Loaded:
    """Stage 1: the issue file and the ``jianbao.yaml`` that governs it, loaded.

    *text* stands for the issue file's content when that is not (yet) what the file holds: an
    editor's unsaved buffer (``jianbao lsp``); jianbao.yaml and the neighbours still come from disk.
    """
    issue_path = Path(issue_path)
    if issue_path.is_dir():
        raise JianbaoError(Diagnostic("JB001", f"这是一个文件夹，不是简报文件：{issue_path}", file=issue_path))
    settings = find_settings(issue_path.parent)
    if settings is not None:
        refuse_outside(issue_path, settings.parent)
    twin = issue_path.with_suffix(".yml" if issue_path.suffix == ".yaml" else ".yaml")
    if issue_path.suffix in (".yaml", ".yml") and twin.exists():
        raise JianbaoError(Diagnostic(
            "JB009", f"{issue_path.name} 和 {twin.name} 并存：两期都会写到 build/{issue_path.stem}.docx，"
            "总有一期编不出来", file=issue_path, hint=f"删去或改名其中一个（{issue_path.name} 或 {twin.name}）。"))
    problems: list[Diagnostic] = []
    issue_src = load_yaml(issue_path, text, errors=problems)  # reads past what it can, as a compiler does
    if settings is None:
        raise JianbaoError(Diagnostic(
            "JB007", f"找不到 {SETTINGS}：从 {issue_path.parent} 向上的各级文件夹里都没有", file=issue_path,
            hint=f"在简报文件夹根目录放一个 {SETTINGS}（至少写 name 和 editor），或运行 `jianbao init 文件夹` 新建。"))
    return Loaded(issue_path, settings.parent, issue_src, load_yaml(display_path(settings)), tuple(problems))


def validate_issue(loaded: Loaded) -> Validated:
    """Stage 2: both models (all their errors at once), merged; the layout preset found and loaded.

    When the issue has errors, the bulletin is a model of its valid part (:func:`validate_partly`)
    and the errors travel in ``Validated.problems``: the later stages check what is valid, and the
    run reports everything at once.  Only when even that cannot be made does this raise.
    """
    from .layout import load_layout
    from .validate import validate_partly

    errors: list[Diagnostic] = list(loaded.problems)
    series = None
    try:
        series = validate(loaded.series_src, SeriesFile)
    except JianbaoError as exc:
        errors += exc.diagnostics
    issue, found, left_out = validate_partly(loaded.issue_src, IssueFile)
    said = {(d.code, d.line, d.column) for d in errors} | {("JB104", d.line, d.column) for d in errors}
    errors += [d for d in found if (d.code, d.line, d.column) not in said]
    if series is None or issue is None:
        raise JianbaoError(in_order(errors, loaded.issue_src))
    bulletin = Bulletin.merge(series, issue)
    office = loaded.office

    where = loaded.issue_src if "layout" in (loaded.issue_src.data or {}) else loaded.series_src
    try:
        layout_path = find_layout(bulletin.series.layout, office, where)
    except JianbaoError as exc:
        raise JianbaoError(in_order(errors + exc.diagnostics, loaded.issue_src)) from None
    try:
        layout = load_layout(layout_path)
    except JianbaoError as exc:
        raise JianbaoError(in_order(errors + exc.diagnostics, loaded.issue_src)) from None
    return Validated(loaded, bulletin, layout, layout_path, tuple(errors), tuple(left_out))


def find_layout(layout_name: str, office: Path, where: Source) -> Path:
    """The preset file *layout_name* (``layout:`` of jianbao.yaml or the issue, *where*) names for
    *office*; raise JianbaoError JB401 when it is not a regular file, lies outside the office or is
    not found (with the nearest preset name)."""
    from .layout import inside, is_path, not_a_file, resolve_layout

    layout_path = resolve_layout(layout_name, office)
    if layout_path is not None:
        return layout_path
    odd = not_a_file(layout_name, office) if layout_name else None
    if odd is not None:
        raise JianbaoError(where.diagnostic(
            "JB401", f"版式预设“{layout_name}”（{display_path(odd)}）不是一个普通文件", ("layout",),
            hint="它是文件夹、命名管道、设备，或是循环的、指向不存在的文件或简报文件夹之外的链接：换成预设文件本身"
                 "（对照内置的 templates/layouts/gbt9704.yaml）。"))
    if is_path(layout_name) and not inside(office / layout_name, office):
        raise JianbaoError(where.diagnostic(
            "JB401", f"版式预设“{layout_name}”在简报文件夹之外", ("layout",),
            hint="版式预设文件要放在简报文件夹内（例如 templates/layouts/本单位.yaml）。"))
    import difflib

    from .layout import preset_names

    close = difflib.get_close_matches(layout_name, preset_names(office), n=1, cutoff=0.6)
    hint = f"是不是要写 {close[0]}？" if close and not is_path(layout_name) else \
        f"可用内置预设 gbt9704；自定义预设放在 {office / 'templates' / 'layouts'} 下。"
    raise JianbaoError(where.diagnostic("JB401", f"找不到版式预设“{layout_name}”", ("layout",), hint=hint))


def resolve_issue(validated: Validated, *, draft: bool = False) -> Resolved:
    """Stage 3: figures and templated text rendered, tables finished: every string final.  A *draft*
    resolves with figures still 待填 (they print 待填; their JB205 travel in ``Resolved.unfilled``)."""
    from .resolve import resolve

    inputs: list[Path] = []
    seen: list[Path] = []
    unfilled: list[Diagnostic] | None = [] if draft else None
    bulletin = resolve(validated.bulletin, validated.loaded.issue_src, inputs=inputs, office=validated.loaded.office,
                       seen=seen, unfilled_out=unfilled)
    return Resolved(validated, bulletin, tuple(inputs), tuple(seen) if seen else None, tuple(unfilled or ()))


def check_issue(resolved: Resolved) -> list[Diagnostic]:
    """Stage 4: the rules on the resolved issue (errors and warnings, in file order)."""
    from . import check

    return check.check_issue(resolved)


# --- running them ----------------------------------------------------------------------------------

@dataclass
class Result:
    """What :func:`compile` did with one issue file."""

    path: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    checked: Checked | None = None  # the issue, when every stage up to check ran
    output: Path | None = None  # the written file, when there was no error

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


#: Errors that leave a printable document: ``jianbao build --draft`` prints despite them (and says
#: so on every page) — a placeholder, a numeral typed by hand, a date in the text that does not
#: exist, a hand-written table total that does not add up.
DRAFT_TOLERATES = ("JB110", "JB205", "JB208", "JB710")


def compile(issue_path: Path, output: Path | None = None, *, write: bool = True,
            end_page_alone: bool = False, draft: bool = False, text: str | None = None) -> Result:
    """Run every stage on *issue_path* and write the bulletin (to *output*, default
    ``build/<stem>.docx``) unless a stage found an error or *write* is false.  Never raises for bad
    input: every diagnostic of every stage that ran is in the result.  *text*: see :func:`read`."""
    result = Result(Path(issue_path))
    try:
        validated = validate_issue(read(issue_path, text))
    except JianbaoError as exc:
        result.diagnostics = list(exc.diagnostics)
        return result
    problems = list(validated.problems)
    src = validated.loaded.issue_src
    try:
        resolved = resolve_issue(validated, draft=draft and not problems)
    except JianbaoError as exc:
        result.diagnostics = in_order(problems + _outside(exc.diagnostics, src, validated.left_out), src)
        return result
    diags = check_issue(resolved)
    if resolved.unfilled:  # the 待填 a draft printed for a figure is said once, at the figure
        diags = list(resolved.unfilled) + [d for d in diags if not (
            d.code == "JB205" and d.file == src.path and "{{" in (d.source_line or ""))]
    if problems:  # the valid part was checked too; nothing of it is printed
        result.diagnostics = in_order(problems + _outside(diags, src, validated.left_out), src)
        return result
    result.diagnostics = in_order(diags, src)
    errors = [d for d in diags if d.is_error]
    if errors and not (draft and all(d.code in DRAFT_TOLERATES for d in errors)):
        return result
    result.checked = Checked(resolved, [d for d in diags if not d.is_error], open=errors, draft=draft)
    if write and (result.ok or draft):
        try:
            result.output = compile_issue(result.checked, output or default_output(result.checked),
                                          end_page_alone=end_page_alone)
        except JianbaoError as exc:
            result.diagnostics += exc.diagnostics
    return result


#: Diagnostics reported for one file at most (a file pasted in the wrong encoding can make hundreds).
MAX_DIAGNOSTICS = 100


def in_order(diagnostics: list[Diagnostic], src: Source) -> list[Diagnostic]:
    """*diagnostics* in the order of the issue file (those of other files after), at most
    :data:`MAX_DIAGNOSTICS`, errors kept first when some must go (JB019 says how many)."""
    ordered = sorted(diagnostics, key=lambda d: (d.file is not None and Path(d.file) != Path(src.path),
                                                 str(d.file), d.line or 0, d.column or 0))
    if len(ordered) <= MAX_DIAGNOSTICS:
        return ordered
    keep = {id(d) for d in sorted(ordered, key=lambda d: not d.is_error)[:MAX_DIAGNOSTICS - 1]}
    kept = [d for d in ordered if id(d) in keep]
    kept.append(Diagnostic("JB019", f"这个文件的问题太多，只列出了前 {MAX_DIAGNOSTICS - 1} 个"
                                    f"（共 {len(ordered)} 个）", file=src.path,
                           hint="先改正上面这些，再运行 jianbao check；问题成片出现时，多半是同一个原因（编码、缩进）。"))
    return kept


def _outside(diagnostics: list[Diagnostic], src: Source, spans: tuple[tuple[int, int], ...]) -> list[Diagnostic]:
    """*diagnostics* without those about the stand-ins of :func:`validate_partly` (not the file's)."""
    def inside(d: Diagnostic) -> bool:
        if d.line is None or d.file is None or Path(d.file) != Path(src.path):
            return False
        return any(a <= d.line <= b for a, b in spans)

    return [d for d in diagnostics if not inside(d)]


def prepare(issue_path: Path, *, draft: bool = False) -> Checked:
    """Every stage up to check; raise JianbaoError with the errors when there are any (with
    *draft*, unless each is one that :data:`DRAFT_TOLERATES`: they are then ``Checked.open``)."""
    result = compile(issue_path, write=False, draft=draft)
    if result.checked is None:
        raise JianbaoError(result.errors)
    return result.checked


def default_output(checked: Checked, suffix: str = ".docx") -> Path:
    """``build/<stem>.docx`` under the office folder (a draft: ``build/<stem>-draft.docx``)."""
    return checked.office / "build" / (checked.path.stem + ("-draft" if checked.draft else "") + suffix)


def compile_issue(checked: Checked, out: Path, *, end_page_alone: int = 0, carry: str | None = None,
                  split: list[str] | None = None, nudge: int = 0) -> Path:
    """Stages 5 and 6: render *checked* and write it atomically to *out* (*end_page_alone*,
    *carry*, *split*, *nudge*: see :func:`jianbao.render.docx.render`)."""
    from .render.docx import render
    from .write import docx_bytes, write_atomic

    refuse_output(out, checked.office, [checked.path, checked.series_src.path, checked.layout_path])
    doc = render(checked.bulletin, checked.layout, end_page_alone=end_page_alone, draft=checked.draft, carry=carry,
                 split=split, nudge=nudge)
    write_atomic(out, docx_bytes(doc))
    return out
