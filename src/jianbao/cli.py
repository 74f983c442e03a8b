"""The ``jianbao`` command line: thin commands over the library, heavy imports inside them.

Results (paths written) go to stdout; diagnostics and progress to stderr.  Exit status:
0 ok, 1 invalid input or a failed build, 2 wrong usage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .cli_zh import install as _chinese

_chinese()  # click's usage errors and help headings in Chinese (exit status stays 2)

app = typer.Typer(
    name="jianbao",
    help="工作简报编译器：把每期简报的 YAML 文件编译成红头 Word 简报（GB/T 9704-2012 版式）。\n\n"
    "示例：jianbao build issues/2024-05-13.yaml",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jianbao {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[Optional[bool], typer.Option("--version", "-V", callback=_version, is_eager=True,
                                                    help="显示版本号并退出。")] = None,
) -> None:
    """工作简报编译器。"""


class _Console:
    """rich's Console on stderr, imported and made on first use: a run with nothing to say (a
    clean build prints only the output's path, on stdout) never loads rich."""

    def __init__(self) -> None:
        self._real = None

    def get(self):
        if self._real is None:
            from rich.console import Console

            self._real = Console(stderr=True, highlight=False, soft_wrap=True)
        return self._real

    def __getattr__(self, name: str):
        return getattr(self.get(), name)


def _console() -> _Console:
    return _Console()


def _report(diagnostics, console=None, limit: int | None = None, rest: str = "运行 jianbao check 查看全部。") -> None:
    """Print diagnostics, ruff style, errors in red and warnings in yellow (at most *limit*)."""
    if not diagnostics:
        return
    from rich.text import Text

    console = console or _console()
    shown = diagnostics if limit is None else sorted(diagnostics, key=lambda d: not d.is_error)[:limit]
    for d in shown:
        text = d.render()
        head, _, rest = text.partition("\n")
        style = "bold red" if d.is_error else "bold yellow"
        out = Text(head, style=style)
        if rest:
            out.append("\n" + rest)
        console.print(out)
        console.print()
    if len(shown) < len(diagnostics):
        console.print(f"……另有 {len(diagnostics) - len(shown)} 条未显示，{rest}\n")


@app.command()
def build(
    files: Annotated[Optional[list[Path]], typer.Argument(
        help="简报文件（.yaml），或其所在文件夹（编译其中每一期）；不写则编译本办公室文件夹的 issues/。",
        show_default=False, metavar="文件")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="输出文件名，以 .docx 结尾（只编译一个文件时可用）。",
                                                   show_default=False)] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="同时用 LibreOffice 生成 PDF（与 .docx 同名）。")] = False,
    html: Annotated[bool, typer.Option("--html", help="同时生成网页版 build/<文件名>.html；编译文件夹时还生成目录 index.html 和 Atom 订阅 feed.xml。")] = False,
    force: Annotated[bool, typer.Option("--force", "-f", help="即使输出比输入新也重新编译。")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, metavar="N", help="并行编译的进程数（默认：全部 CPU 核）。",
                                                show_default=False)] = None,
    draft: Annotated[bool, typer.Option("--draft", help="编译草稿：有占位符（待填、XXX）、手工序号、不存在的日期、对不上的合计时"
                                        "也照样生成，每一页印上草稿标记（版式预设的 draft.text），输出为 build/<文件名>-draft.docx，"
                                        "并列出还没解决的问题。")] = False,
    watch: Annotated[bool, typer.Option("--watch", "-w", help="监视文件，保存后自动重新编译，按 Ctrl-C 结束。")] = False,
    watch_seconds: Annotated[Optional[float], typer.Option("--watch-seconds", hidden=True)] = None,
) -> None:
    """编译简报：每个 YAML 生成 build/<文件名>.docx（在 jianbao.yaml 所在的文件夹下）。

    给出文件夹时编译其中每一期，跳过输出已是最新的（--force 全部重编），最后列出汇总表。

    \b
    示例：
      jianbao build
      jianbao build issues/2024-05-13.yaml
      jianbao build issues/ --pdf
      jianbao build issues/ --html
      jianbao build issues/2024-05-13.yaml --watch
      jianbao build issues/2024-05-13.yaml --draft
    """
    from .office import expand

    console = _console()
    if output is not None and output.suffix.lower() != ".docx":
        more = "；要 PDF 请加 --pdf（与 .docx 同名）" if output.suffix.lower() == ".pdf" else ""
        raise typer.BadParameter(f"jianbao 生成 Word 文件，输出文件名应以 .docx 结尾，不能是“{output.name}”{more}",
                                 param_hint="'-o/--output'")
    if draft and html:
        raise typer.BadParameter("草稿不生成网页版：网页是发布用的，定稿后再加 --html 编译", param_hint="'--draft'")
    if not files:
        files = [_office_issues(console)]
    targets = expand(files)
    if output is not None and (len(targets) != 1 or files[0].is_dir()):
        console.print("[red]-o/--output 只能在编译一个文件时使用。[/red]")
        raise typer.Exit(2)
    if not targets:
        console.print("[red]没有找到要编译的简报文件（.yaml）。[/red]")
        raise typer.Exit(1)
    if watch:
        from .converter import resident
        from .watch import watch_and_build

        with resident():  # one LibreOffice for every save that converts (started on the first), stopped at the end
            watch_and_build(files, lambda: _build(targets_fn=lambda: expand(files), output=output, pdf=pdf,
                                                  html=html, force=True, jobs=jobs, console=console,
                                                  summary=False, draft=draft), console=console,
                            seconds=watch_seconds)
        return
    # one named file is always built; skipping what is up to date is for folders and batches
    force = force or (len(targets) == 1 and not files[0].is_dir())
    summary = len(targets) > 1 or any(f.is_dir() for f in files) or pdf
    import os
    from contextlib import AbstractContextManager, nullcontext

    # one file: starting LibreOffice once costs the same either way, keep the one-shot path
    keep: AbstractContextManager = nullcontext()
    if pdf and len(targets) > 1:  # one LibreOffice per core, each kept for many files
        from .converter import resident

        keep = resident(workers=jobs or os.cpu_count() or 1)
    with keep:
        ok = _build(targets_fn=lambda: targets, output=output, pdf=pdf, html=html, force=force, jobs=jobs,
                    console=console, summary=summary, site=html and any(f.is_dir() for f in files),
                    draft=draft)
    if not ok:
        raise typer.Exit(1)


def _office_issues(console) -> Path:
    """The ``issues/`` folder of the office around the working folder (what ``jianbao build`` builds)."""
    from .diagnostics import Diagnostic
    from .office import SETTINGS, find_settings

    settings = find_settings(Path.cwd())
    if settings is None:
        _report([Diagnostic("JB007", f"没有给出简报文件，当前文件夹及其上级也都没有 {SETTINGS}",
                            hint="到简报文件夹中运行 jianbao build，或写出要编译的文件，如 jianbao build issues/2024-05-13.yaml。")],
                console)
        raise typer.Exit(1)
    return Path(_shown(settings.parent / "issues"))


REPORT_LIMIT = 30  # diagnostics printed per file by build (check prints them all)


def _build(*, targets_fn, output, pdf, force, jobs, console, summary: bool, html: bool = False,
           site: bool = False, draft: bool = False) -> bool:
    """Build, report, and say whether everything succeeded."""
    from .batch import MOVED_NOTE, SPLIT_NOTE, build_files, said_once, write_site
    from .diagnostics import JianbaoError

    targets = targets_fn()
    many = len(targets) > 1
    if many and console.is_terminal:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(TextColumn("编译"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                      console=console.get(), transient=True) as bar:
            task = bar.add_task("", total=len(targets))
            results = build_files(targets, output=output, force=force, pdf=pdf, jobs=jobs, html=html, draft=draft,
                                  on_done=lambda r: bar.update(task, advance=1, description=r.source.name))
    else:
        results = build_files(targets, output=output, force=force, pdf=pdf, jobs=jobs, html=html, draft=draft)
    for r, own in zip(results, said_once(results)):
        _report(own, console, limit=REPORT_LIMIT)
        if not r.ok and not own:
            for note in r.notes:  # failed because of another issue, reported above
                console.print(f"{_shown(r.source)}：{note}")
        if r.ok and r.status == "built":
            typer.echo(_shown(r.docx))
            if not summary:  # one file, no table: what the end block did to the text is still said
                for note in r.notes:
                    if note in (SPLIT_NOTE, MOVED_NOTE):
                        console.print(f"{_shown(r.docx)}：{note}")
        if r.ok and r.draft:
            still = f"还有 {r.open} 个问题没有解决（见上），定稿前改正后不加 --draft 再编译" if r.open else "没有未解决的问题"
            console.print(f"[yellow]草稿：{_shown(r.docx)} 每一页都印有草稿标记；{still}。[/yellow]")
        if r.pdf is not None and r.ok:
            typer.echo(_shown(r.pdf))
        if r.web is not None and r.ok:
            typer.echo(_shown(r.web))
    pages = [r.web for r in results if r.ok and r.web is not None]
    site_ok = True
    if site and pages:
        try:
            for p in write_site(results, pages[0].parent):
                typer.echo(_shown(p))
        except JianbaoError as exc:  # the office's index template (JB406): the issues' pages stand
            _report(exc.diagnostics, console, limit=REPORT_LIMIT)
            site_ok = False
    if summary:
        _summary(results, console)
    return site_ok and all(r.ok for r in results)


def _summary(results, console) -> None:
    from rich.table import Table

    status_zh = {"built": "[green]已编译[/green]", "converted": "[green]已生成 PDF[/green]", "skipped": "已是最新",
                 "failed": "[red]失败[/red]"}
    table = Table(title=None, show_edge=False, pad_edge=False)
    for col in ("文件", "页数", "版记所在页", "状态", "说明"):
        table.add_column(col)
    for r in results:
        table.add_row(_shown(r.source), str(r.pages or ""), str(r.end_page or ""), status_zh[r.status],
                      "；".join(r.notes))
    console.print(table)
    failed = sum(not r.ok for r in results)
    built = sum(r.status == "built" for r in results)
    skipped = sum(r.status == "skipped" for r in results)
    converted = sum(r.status == "converted" for r in results)
    pdf_only = f"，只生成 PDF {converted}" if converted else ""
    console.print(f"共 {len(results)} 期：编译 {built}{pdf_only}，跳过 {skipped}，失败 {failed}。",
                  style="red" if failed else None)


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(
        help="简报文件（.yaml），或办公室文件夹 / issues 文件夹（逐期检查，并核对各期之间的期号、日期和报告期）；"
             "也可以是 jianbao.yaml（只检查系列设置）或手工排好的 Word 简报（.docx/.doc/.wps/.odt）。",
        show_default=False, metavar="文件")],
    strict: Annotated[bool, typer.Option("--strict", help="有警告也算不通过（退出状态 1）。")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="text|json",
                                     help="输出格式：text（默认，写到标准错误）或 json（写到标准输出，供编辑器和 CI 使用）。")]
    = "text",
    fix: Annotated[bool, typer.Option("--fix", help="自动改正只有一种改法的问题（多余的空格、看不见的字符、全角数字、"
                                      "汉字旁的半角标点、手工输入的序号、补零的日期），改写简报文件；注释和其他各行原样保留。")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="只显示 --fix 会做的改动（不改文件）；与 --fix 同用时先显示再改写。")] = False,
    select: Annotated[list[str] | None, typer.Option(
        "--select", metavar="代码", show_default=False,
        help="只报告这些规则：代码（JB711）、代码的开头（JB2 即全部文字检查，JB21）或规则名（unpaired-quote），"
             "可用逗号分隔或写多次；文件读不成 YAML 的错误（JB0xx）照样报告。--fix 也只改这些规则的问题。")] = None,
    ignore: Annotated[list[str] | None, typer.Option(
        "--ignore", metavar="代码", show_default=False,
        help="不报告这些警告（写法同 --select）；错误不能忽略，照样报告。")] = None,
) -> None:
    """检查简报文件，不生成任何文件：报告每个问题的代码、位置和改法。

    给出文件夹（办公室文件夹或其中的 issues/）时，还核对各期之间的期号、总期号、印发日期和报告期。

    给出 Word 简报（.docx，以及经 LibreOffice 转换的 .doc/.wps/.odt）时，不导入、不改动它，按同样的规则检查
    （日期、起止、标点、序号、比率……），位置写作“第2页第15段”（文件没有记录分页时为“约第2页”），
    并引出原文；它在办公室文件夹中时，还与文件夹中的各期核对期号、总期号和报告期。

    退出状态：0 通过（可以有警告），1 有错误（加 --strict 时有警告也是 1）。

    --fix 改正能自动改正的问题（先用 --diff 看一看），然后再检查一遍，报告剩下的问题；jianbao build 从不改动简报文件。

    核对过没有问题的警告可以忽略：在那一行末尾写 # jianbao: ignore JB711，或在一期文件、jianbao.yaml 中写 ignore: [JB711]。

    \b
    示例：
      jianbao check issues/2024-05-13.yaml
      jianbao check issues --strict
      jianbao check . --format json
      jianbao check issues/2024-05-13.yaml --diff
      jianbao check issues/2024-05-13.yaml --fix
      jianbao check issues --select JB7 --strict
      jianbao check issues/2024-05-13.yaml --select JB21 --fix
      jianbao check 第18期.docx
      jianbao check jianbao.yaml
    """
    import json

    from .check_series import check_paths

    if fmt not in ("text", "json"):
        raise typer.BadParameter(f"只能是 text 或 json，不能是“{fmt}”", param_hint="'--format'")
    keep = _selection(select, ignore)
    report = keep(check_paths(files))
    if fix or diff:
        if not _fix(report, write=fix, show=diff):
            raise typer.Exit(1)
        if not fix:
            raise typer.Exit(1 if report.errors else 0)
        report = keep(check_paths(files))
    failed = report.errors > 0 or (strict and report.warnings > 0)
    if fmt == "json":
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        console = _console()
        _report(report.diagnostics, console)
        if report.errors or report.warnings:
            style = "red" if failed else "yellow"
            extra = "（--strict：警告也算不通过）" if strict and not report.errors and report.warnings else ""
            console.print(f"[{style}]检查了 {report.files} 个文件：{report.errors} 个错误，"
                          f"{report.warnings} 个警告。{extra}[/{style}]")
        else:
            console.print(f"[green]检查通过：{report.files} 个文件。[/green]")
    if failed:
        raise typer.Exit(1)


def _selection(select: list[str] | None, ignore: list[str] | None):
    """What ``--select`` and ``--ignore`` leave of a check's report (a function of the report);
    a usage error for a name that is no rule."""
    from .diagnostics import RULES, Severity, always_reported, rules_matching

    def codes(values: list[str] | None, option: str) -> set[str] | None:
        if not values:
            return None
        out: set[str] = set()
        for token in (t for v in values for t in v.split(",") if t.strip()):
            found = rules_matching(token)
            if not found:
                raise typer.BadParameter(f"“{token.strip()}”不是规则的代码或名字（jianbao rules 列出全部规则）",
                                         param_hint=f"'{option}'")
            out.update(found)
        return out

    chosen, dropped = codes(select, "--select"), codes(ignore, "--ignore")
    if chosen is None and dropped is None:
        return lambda report: report

    def shown(code: str) -> bool:
        if code not in RULES:
            return True
        if dropped and code in dropped and RULES[code].severity is Severity.WARNING:
            return False
        return chosen is None or code in chosen or always_reported(code)

    def keep(report):
        report.diagnostics = [d for d in report.diagnostics if shown(d.code)]
        return report

    return keep


def _fix(report, *, write: bool, show: bool) -> bool:
    """Apply (or show) the fixes of *report*, file by file; say what was done. False on failure."""
    from .diagnostics import JianbaoError
    from .fix import fix_file, write_fixed

    console = _console()
    files = sorted({str(d.file) for d in report.diagnostics if d.fixes and d.file is not None})
    total = 0
    for name in files:
        try:
            fixed = fix_file(Path(name), report.diagnostics)
            if show and fixed.changed:
                typer.echo(fixed.diff(), nl=False)
            if write:
                write_fixed(fixed)
        except JianbaoError as exc:
            _report(exc.diagnostics, console)
            return False
        if fixed.changed:
            total += fixed.edits
            verb = "已改正" if write else "可自动改正"
            console.print(f"{verb} {_shown(fixed.path)} 中的 {fixed.edits} 处（{len(fixed.applied)} 条提示）。")
    if not total:
        console.print("没有可以自动改正的问题。")
    elif not write:
        console.print("以上改动尚未写入；运行 jianbao check --fix 写入文件。")
    return True


@app.command()
def new(
    path: Annotated[Optional[Path], typer.Argument(
        help="简报文件夹（含 jianbao.yaml）或其中的 issues 文件夹；不写则从当前文件夹向上查找。",
        show_default=False)] = None,
    date: Annotated[Optional[str], typer.Option(
        "--date", "-d", help="印发日期，如 2024-05-20；不写则为上一期日期加 7 天，遇法定节假日顺延到工作日。",
        show_default=False)] = None,
    supplement: Annotated[bool, typer.Option(
        "--supplement", help="新建增刊：单独编号（当年上一期增刊加 1），文件名为 <日期>-zk.yaml。")] = False,
    from_file: Annotated[Optional[Path], typer.Option(
        "--from", help="以这一期为样板，沿用它的各部分标题（默认沿用上一期的）。", show_default=False)] = None,
) -> None:
    """新建下一期：按上一期推算期号、总期号、日期和报告期，写出 issues/<日期>.yaml 并显示路径。

    各部分沿用上一期的标题，用到模板（{{ }}）的句子照抄上一期，其余内容留作“待填”；
    data 沿用上一期的名称，每个数写作“待填”（行末注释是上一期的数）。已有的文件绝不覆盖。
    编辑器用的 schemas/ 缺少或过期时顺便更新（新文件第一行指向 ../schemas/issue.schema.json）。

    \b
    示例：jianbao new
          jianbao new --date 2024-05-20
          jianbao new --supplement --from issues/2024-05-13.yaml
    """
    from .diagnostics import JianbaoError
    from .scaffold import new_issue, parse_date

    console = _console()
    try:
        when = parse_date(date) if date is not None else None
    except JianbaoError as exc:
        _report(exc.diagnostics, console)
        raise typer.Exit(2) from None
    warnings: list = []
    refreshed: list[Path] = []
    try:
        written = new_issue(path, date=when, supplement=supplement, from_file=from_file, warnings=warnings,
                            refreshed=refreshed)
    except JianbaoError as exc:
        _report(exc.diagnostics, console)
        raise typer.Exit(1) from None
    _report(warnings, console)
    typer.echo(_shown(written))
    for p in refreshed:
        console.print(f"已写入编辑器用的 {_shown(p)}（与这一版 jianbao 一致）")
    console.print(f"[green]已新建 {_shown(written)}：请把其中的“待填”换成本期内容，"
                  f"再运行 jianbao check {_shown(written)}。[/green]")


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="要新建的简报文件夹（不存在则创建）。", show_default=False)],
    force: Annotated[bool, typer.Option(
        "--force", help="文件夹不是空的也继续：只补建缺少的文件，已有的文件一律不动。")] = False,
) -> None:
    """新建简报文件夹：jianbao.yaml（系列设置）、issues/、Makefile、build.cmd（Windows 上代替 make）、.gitignore、
    使用说明 README.md，以及编辑器用的 schemas/ 和 .vscode/（VS Code 打开文件夹即有中文补全和检查）。

    \b
    示例：jianbao init 工作动态
          jianbao init . --force
    """
    from .diagnostics import JianbaoError
    from .scaffold import init_office

    console = _console()
    skipped: list[Path] = []
    try:
        created = init_office(folder, force=force, skipped=skipped)
    except JianbaoError as exc:
        _report(exc.diagnostics, console)
        raise typer.Exit(1) from None
    for p in created:
        typer.echo(_shown(p))
    for p in skipped:
        console.print(f"已存在，未改动：{_shown(p)}")
    settings = folder / "jianbao.yaml"
    console.print(f"[green]已在 {_shown(folder)} 中新建 {len(created)} 个文件。[/green]"
                  f"下一步：在 {_shown(settings)} 中填写简报名称（name）和编印单位（editor），"
                  f"然后在该文件夹中运行 jianbao new --date 第一期的印发日期。")


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(
        help="已有的简报：.docx、.doc、.wps、.odt（旧格式经 LibreOffice 转换）、.txt、.pdf（只取文字）；"
             "给文件夹则导入其中的每一份。",
        show_default=False, metavar="文件")],
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="导入到这个简报文件夹（默认：当前所在的简报文件夹，没有则为当前文件夹）。",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="issues/ 中已有同名的期文件时覆盖它（jianbao.yaml 从不覆盖）。")] = False,
) -> None:
    """导入已有的简报：每个文件写成 issues/<日期>.yaml（增刊 <日期>-zk.yaml），文件夹中没有 jianbao.yaml 时按第一期写出。

    从报头读出简报名称、期号、总期号、报告期、编印单位和日期；从版记读出报、送、发各行和印数。

    按正文中手工输入的序号（一、（一）1.（1），也认 1、 (1) 一. 等不规范写法）还原各级标题和条目，序号本身去掉。

    序号跳号或重复、认不出的段落、图片和文本框都给出段号提示，不会悄悄丢掉。

    \b
    示例：
      jianbao import 去年/*.docx
      jianbao import 去年/
      jianbao import 第18期.doc -o 工作动态
      jianbao import 2024-05-13.docx --force
    """
    from .diagnostics import JianbaoError
    from .importer import import_files

    console = _console()
    created: list[Path] = []
    try:
        results = import_files(files, out=output, force=force, created=created)
    except JianbaoError as exc:
        _report(exc.diagnostics, console)
        raise typer.Exit(1) from None
    for p in created:
        typer.echo(_shown(p))
    for r in results:  # a text of thousands of typed numerals: the first few, and how many more
        _report(r.diagnostics, console, limit=REPORT_LIMIT, rest="先核对列出的这些（多半同一原因）。")
        for n in r.notes:
            console.print(f"{r.source.name}：{n}")
        if r.written is not None:
            typer.echo(_shown(r.written))
    done = sum(r.ok for r in results)
    warned = sum(not d.is_error for r in results for d in r.diagnostics)
    failed = len(results) - done
    style = "red" if failed else ("yellow" if warned else "green")
    console.print(f"[{style}]导入了 {done} 期（共 {len(results)} 个文件）"
                  + (f"，{failed} 个没有导入" if failed else "") + (f"，{warned} 条提示请核对" if warned else "")
                  + "。[/" + style + "]"
                  + ("下一步：jianbao check issues/，再 jianbao build。" if done else ""))
    if failed:
        raise typer.Exit(1)


@app.command()
def rules(
    codes: Annotated[Optional[list[str]], typer.Argument(help="只显示这些代码（如 JB201），并列出改法。",
                                                         show_default=False)] = None,
) -> None:
    """列出 jianbao 的全部诊断代码及其含义（给出代码时显示该条的改法）。

    \b
    示例：
      jianbao rules
      jianbao rules JB201 JB308
    """
    from .diagnostics import RULES
    from .rule_examples import EXAMPLES, fix_lines

    if not codes:
        for r in RULES.values():
            typer.echo(f"{r.code}  {r.severity.label}  {r.name:<22} {r.summary}")
        return
    unknown = [c for c in codes if c.upper() not in RULES]
    if unknown:
        typer.echo(f"没有这个诊断代码：{'、'.join(unknown)}（运行 jianbao rules 查看全部）", err=True)
        raise typer.Exit(1)
    for c in codes:
        r = RULES[c.upper()]
        typer.echo(f"{r.code}  {r.name}（{r.severity.label}）\n  {r.summary}")
        if r.hint:
            typer.echo(f"  改法：{r.hint}")
        if r.code in EXAMPLES:
            typer.echo("  例：")
            for line in fix_lines(r.code):
                typer.echo(f"    {line}")


@app.command()
def schema(
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="写到这个文件夹（默认：办公室文件夹下的 schemas/）。",
                                                show_default=False)] = None,
) -> None:
    """生成供编辑器补全和检查的 JSON Schema（写到 schemas/）。

    写出 schemas/jianbao.schema.json 和 schemas/issue.schema.json；办公室文件夹从当前文件夹向上查找 jianbao.yaml。

    jianbao init 和 jianbao new 已经写好 schemas/，升级 jianbao 后也可以手动运行本命令。各文件第一行的
    “# yaml-language-server: $schema=…”写相对于该文件的路径：jianbao.yaml 写 schemas/jianbao.schema.json，
    issues/ 下的各期写 ../schemas/issue.schema.json。

    \b
    示例：
      jianbao schema
      jianbao schema --out /tmp/schemas
    """
    from .diagnostics import Diagnostic, JianbaoError
    from .office import SETTINGS, find_settings
    from .schema import write_schemas

    if out is None:
        settings = find_settings(Path.cwd())
        if settings is None:
            _report([Diagnostic("JB007", f"找不到 {SETTINGS}：当前文件夹及其上级都不是办公室文件夹",
                                hint="到办公室文件夹中运行，或用 --out 指定输出文件夹。")])
            raise typer.Exit(1)
        out = settings.parent / "schemas"
    try:
        written = write_schemas(out)
    except JianbaoError as exc:
        _report(exc.diagnostics)
        raise typer.Exit(1) from None
    for p in written:
        typer.echo(_shown(p))


@app.command()
def lsp() -> None:
    """语言服务器（LSP，经标准输入输出）：编辑器里随输入显示 jianbao check 的诊断（代码、中文说明、改法）。

    与 yaml-language-server（按 schemas/ 补全和检查字段）并用：Neovim、Helix，或 VS Code 的通用 LSP 客户端。
    命令 jianbao.build 编译当前文件，jianbao.preview 还生成 PDF 和页面图片。需要 pygls：pip install 'jianbao[lsp]'。

    \b
    Neovim：vim.lsp.start({ name = "jianbao", cmd = { "jianbao", "lsp" } })
    Helix（languages.toml）：[language-server.jianbao] command = "jianbao", args = ["lsp"]
    """
    try:
        import pygls  # noqa: F401

        from .lsp import serve
    except ImportError:
        from .diagnostics import Diagnostic

        _report([Diagnostic("JB504", "jianbao lsp 需要 pygls，但没有安装",
                            hint="pip install 'jianbao[lsp]'（或 pip install pygls）。")])
        raise typer.Exit(1) from None
    serve()


@app.command()
def doctor() -> None:
    """检查本机环境：LibreOffice、公文字体及其替代字体、节假日日历，以及 --pdf 会怎样。

    \b
    示例：
      jianbao doctor
    """
    from rich.table import Table

    from .doctor import checks, font_status
    from .system import can_show

    console = _console()
    yes, no = ("✓", "✗") if can_show("✓✗") else ("√", "×")  # GBK has √ and ×
    for c in checks():
        mark = f"[green]{yes}[/green]" if c.ok else f"[red]{no}[/red]"
        console.print(f"{mark} {c.label}：{c.detail}")
    table = Table(show_edge=False, pad_edge=False)
    for col in ("字体", "用途", "本机已安装", "PDF 中实际使用"):
        table.add_column(col)
    rows = font_status()
    for name, role, installed, used in rows:
        table.add_row(name, role, "是" if installed else "否", used)
    console.print(table)
    missing = [name for name, _, installed, _ in rows if not installed]
    if missing:
        console.print(f"缺少的字体在 Word/WPS 中按字体表里的替代名显示；--pdf 时由上表右列的字体代替（{'、'.join(missing)}）。"
                      "装上正式字体后 PDF 与印刷件一致。")


@app.command()
def preview(
    file: Annotated[Path, typer.Argument(help="简报文件（.yaml）。", show_default=False, metavar="文件")],
    page: Annotated[Optional[int], typer.Option("--page", "-p", min=1, metavar="N", help="只生成第 N 页。", show_default=False)] = None,
    dpi: Annotated[int, typer.Option("--dpi", min=30, max=600, metavar="N", help="图片分辨率（每英寸点数）。")] = 110,
    watch: Annotated[bool, typer.Option("--watch", "-w", help="监视文件，保存后自动重新生成图片，按 Ctrl-C 结束。")] = False,
    watch_seconds: Annotated[Optional[float], typer.Option("--watch-seconds", hidden=True)] = None,
) -> None:
    """生成 PDF 并把页面转成 PNG 图片（build/<文件名>-<页码>.png），打印前快速看一眼。

    \b
    示例：
      jianbao preview issues/2024-05-13.yaml
      jianbao preview issues/2024-05-13.yaml --page 1
      jianbao preview issues/2024-05-13.yaml --watch
    """
    import shutil

    console = _console()
    if shutil.which("pdftoppm") is None:
        console.print("[bold red]错误：[/bold red]找不到 pdftoppm。安装：sudo apt-get install poppler-utils")
        raise typer.Exit(1)
    if watch:
        from .converter import resident
        from .watch import watch_and_build

        with resident():  # one LibreOffice for every save, stopped when the watch ends
            watch_and_build([file], lambda: _preview(file, page, dpi, console), console=console,
                            seconds=watch_seconds)
        return
    if not _preview(file, page, dpi, console):
        raise typer.Exit(1)


def _preview(file: Path, page: Optional[int], dpi: int, console) -> bool:
    """Build the PDF of *file*, turn its pages into PNGs, print their paths; False on failure."""
    from .batch import build_files
    from .diagnostics import JianbaoError
    from .preview import page_images

    [r] = build_files([file], force=True, pdf=True)
    _report(r.diagnostics, console)
    if not r.ok or r.pdf is None:
        return False
    if page is not None and r.pages is not None and page > r.pages:
        console.print(f"[red]只有 {r.pages} 页，没有第 {page} 页。[/red]")
        return False
    try:
        images = page_images(r.pdf, dpi=dpi, page=page)
    except JianbaoError as exc:
        _report(exc.diagnostics, console)
        return False
    for png in images:
        typer.echo(_shown(png))
    return True


def _shown(path: Path) -> str:
    from .office import display_path

    return str(display_path(path))


def _app_for(args: list[str]) -> typer.Typer:
    """The app, with only the command that *args* name when they start with one: typer turns every
    registered command into a click command (signatures, annotations, help) before it parses
    anything, and ``jianbao build FILE`` needs one of ten (issue 17).  The group, its options and
    the command are the same objects either way, so usage, help and errors read the same; anything
    else (``--help``, ``-V``, an unknown command, shell completion) gets the whole app."""
    import copy
    import os

    if not args or any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        return app
    named = [c for c in app.registered_commands if c.callback is not None
             and (c.name or typer.main.get_command_name(c.callback.__name__)) == args[0]]
    if len(named) != 1:
        return app
    one = copy.copy(app)
    one.registered_commands = named
    return one


def main() -> None:  # console-script entry point
    """Run the app; an unexpected failure is reported in one line, never as a traceback."""
    import os
    import sys

    from . import system

    system.catch_termination()  # SIGTERM/SIGHUP unwind like Ctrl-C: LibreOffice stopped, scratch removed
    system.safe_console()  # a GBK console shows "?" for what it cannot encode, never a traceback
    try:
        try:
            _app_for(sys.argv[1:])()
        except SystemExit as exc:
            if exc.code == 130:  # typer's answer to KeyboardInterrupt (Ctrl-C, or a signal above)
                raise KeyboardInterrupt from None
            raise
    except KeyboardInterrupt:
        sys.stderr.write("已中断。\n")
        raise SystemExit(128 + (system.caught_signal() or 2)) from None
    except Exception as exc:  # a bug in jianbao: say so plainly, keep the details for maintainers
        if os.environ.get("JIANBAO_DEBUG"):
            raise
        sys.stderr.write(f"jianbao 内部错误：{type(exc).__name__}: {exc}\n"
                         "这是 jianbao 的缺陷，不是您的错误。请把这条信息和简报文件发给维护人员"
                         "（设置环境变量 JIANBAO_DEBUG=1 可看到详细信息）。\n")
        raise SystemExit(1) from None


if __name__ == "__main__":  # pragma: no cover
    main()
