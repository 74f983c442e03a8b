"""The ``jianbao`` command line: thin commands over the library, heavy imports inside them.

Results (paths written) go to stdout; diagnostics and progress to stderr.  Exit status:
0 ok, 1 invalid input or a failed build, 2 wrong usage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__

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


def _console():
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _report(diagnostics, console=None) -> None:
    """Print diagnostics, ruff style, errors in red and warnings in yellow."""
    from rich.text import Text

    console = console or _console()
    for d in diagnostics:
        text = d.render()
        head, _, rest = text.partition("\n")
        style = "bold red" if d.is_error else "bold yellow"
        out = Text(head, style=style)
        if rest:
            out.append("\n" + rest)
        console.print(out)
        console.print()


def _issue_files(paths: list[Path]) -> list[Path]:
    """Expand folders into the issue files they hold (``DIR/issues/*.yaml`` or ``DIR/*.yaml``)."""
    from .office import SETTINGS

    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            folder = p / "issues" if (p / "issues").is_dir() else p
            files += sorted(f for f in folder.glob("*.y*ml") if f.name != SETTINGS and f.suffix in (".yaml", ".yml"))
        else:
            files.append(p)
    return files


@app.command()
def build(
    files: Annotated[list[Path], typer.Argument(help="简报文件（.yaml），或其所在文件夹（编译其中每一期）。",
                                                show_default=False)],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="输出文件名（只编译一个文件时可用）。",
                                                   show_default=False)] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="同时用 LibreOffice 生成 PDF。")] = False,
) -> None:
    """编译简报：每个 YAML 生成 build/<文件名>.docx（在 jianbao.yaml 所在的文件夹下）。

    示例：jianbao build issues/2024-05-13.yaml
          jianbao build issues/ --pdf
    """
    from .diagnostics import JianbaoError
    from .office import compile_issue, default_output, prepare

    console = _console()
    targets = _issue_files(files)
    if output is not None and len(targets) != 1:
        console.print("[red]-o/--output 只能在编译一个文件时使用。[/red]")
        raise typer.Exit(2)
    if not targets:
        console.print("[red]没有找到要编译的简报文件（.yaml）。[/red]")
        raise typer.Exit(1)
    failed = 0
    written: list[Path] = []
    for path in targets:
        try:
            prepared = prepare(path)
            _report(prepared.warnings, console)
            out = output or default_output(prepared)
            compile_issue(prepared, out)
        except JianbaoError as exc:
            _report(exc.diagnostics, console)
            failed += 1
            continue
        written.append(out)
        typer.echo(_shown(out))
    if pdf and written:
        from .pdf import PdfError, convert_to_pdf

        try:
            for p in convert_to_pdf(written):
                typer.echo(_shown(p))
        except PdfError as exc:
            console.print(f"[bold red]错误 JB502: PDF 转换失败[/bold red]\n{exc}")
            failed += 1
    if failed:
        console.print(f"[red]{failed} 个文件未能编译。[/red]" if len(targets) > 1 else "")
        raise typer.Exit(1)


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(
        help="简报文件（.yaml），或办公室文件夹 / issues 文件夹（逐期检查，并核对各期之间的期号、日期和报告期）。",
        show_default=False)],
    strict: Annotated[bool, typer.Option("--strict", help="有警告也算不通过（退出状态 1）。")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="text|json",
                                     help="输出格式：text（默认，写到标准错误）或 json（写到标准输出，供编辑器和 CI 使用）。")]
    = "text",
) -> None:
    """检查简报文件，不生成任何文件：报告每个问题的代码、位置和改法。

    退出状态：0 通过（可以有警告），1 有错误（加 --strict 时有警告也是 1）。

    示例：jianbao check issues/2024-05-13.yaml
          jianbao check issues --strict
          jianbao check . --format json
    """
    import json

    from .check_series import check_paths

    if fmt not in ("text", "json"):
        raise typer.BadParameter(f"只能是 text 或 json，不能是“{fmt}”", param_hint="'--format'")
    report = check_paths(files)
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

    各部分沿用上一期的标题，内容留作“待填”；已有的文件绝不覆盖。

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
        raise typer.Exit(2)
    warnings: list = []
    try:
        written = new_issue(path, date=when, supplement=supplement, from_file=from_file, warnings=warnings)
    except JianbaoError as exc:
        _report(exc.diagnostics, console)
        raise typer.Exit(1)
    _report(warnings, console)
    typer.echo(_shown(written))
    console.print(f"[green]已新建 {_shown(written)}：请把其中的“待填”换成本期内容，"
                  f"再运行 jianbao check {_shown(written)}。[/green]")


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="要新建的简报文件夹（不存在则创建）。", show_default=False)],
    force: Annotated[bool, typer.Option(
        "--force", help="文件夹不是空的也继续：只补建缺少的文件，已有的文件一律不动。")] = False,
) -> None:
    """新建简报文件夹：jianbao.yaml（系列设置）、issues/、Makefile、.gitignore 和使用说明 README.md。

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
        raise typer.Exit(1)
    for p in created:
        typer.echo(_shown(p))
    for p in skipped:
        console.print(f"已存在，未改动：{_shown(p)}")
    settings = folder / "jianbao.yaml"
    console.print(f"[green]已在 {_shown(folder)} 中新建 {len(created)} 个文件。[/green]"
                  f"下一步：在 {_shown(settings)} 中填写简报名称（name）和编印单位（editor），"
                  f"然后在该文件夹中运行 jianbao new --date 第一期的印发日期。")


@app.command()
def rules(
    codes: Annotated[Optional[list[str]], typer.Argument(help="只显示这些代码（如 JB201），并列出改法。",
                                                         show_default=False)] = None,
) -> None:
    """列出 jianbao 的全部诊断代码及其含义（给出代码时显示该条的改法）。

    示例：jianbao rules
          jianbao rules JB201 JB308
    """
    from .diagnostics import RULES

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


@app.command()
def schema(
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="写到这个文件夹（默认：办公室文件夹下的 schemas/）。",
                                                show_default=False)] = None,
) -> None:
    """生成 JSON Schema（schemas/jianbao.schema.json、schemas/issue.schema.json），供编辑器补全和检查。

    在 YAML 文件第一行写 `# yaml-language-server: $schema=schemas/issue.schema.json`，
    VS Code 等编辑器即可提示字段说明和示例。办公室文件夹从当前文件夹向上查找 jianbao.yaml。

    示例：jianbao schema
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
        raise typer.Exit(1)
    for p in written:
        typer.echo(_shown(p))


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def main() -> None:  # console-script entry point
    """Run the app; an unexpected failure is reported in one line, never as a traceback."""
    import os
    import sys

    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("已中断。\n")
        raise SystemExit(130) from None
    except Exception as exc:  # a bug in jianbao: say so plainly, keep the details for maintainers
        if os.environ.get("JIANBAO_DEBUG"):
            raise
        sys.stderr.write(f"jianbao 内部错误：{type(exc).__name__}: {exc}\n"
                         "这是 jianbao 的缺陷，不是您的错误。请把这条信息和简报文件发给维护人员"
                         "（设置环境变量 JIANBAO_DEBUG=1 可看到详细信息）。\n")
        raise SystemExit(1) from None


if __name__ == "__main__":  # pragma: no cover
    main()
