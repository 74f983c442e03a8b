"""The office folder: where ``jianbao.yaml`` is, and how paths in it are shown.

An office folder holds ``jianbao.yaml`` (the series settings), ``issues/`` (one YAML file per
issue) and ``build/`` (what jianbao writes).  The stages of :mod:`jianbao.pipeline` find the
settings of an issue here; messages show paths through :func:`display_path`.
"""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Diagnostic, JianbaoError

SETTINGS = "jianbao.yaml"


def find_settings(start: Path) -> Path | None:
    """``jianbao.yaml`` in *start* or the nearest folder above it."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        p = candidate / SETTINGS
        if p.is_file():
            return p
    return None


def display_path(path: Path) -> Path:
    """*path* relative to the working folder when it lies below it (for messages)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError, RuntimeError):  # elsewhere, or a symlink loop (RuntimeError before 3.13)
        return path


ISSUES = "issues"
ISSUE_SUFFIXES = (".yaml", ".yml")


def issue_files(folder: Path) -> list[Path]:
    """The issue files of an office folder (its ``issues/``) or of an issues folder itself:
    ``*.yaml`` / ``*.yml`` files (not folders) other than ``jianbao.yaml``, hidden ones (editors' backups and
    locks) skipped, sorted by name.  Every command that lists issues uses this one rule."""
    return issue_files_in(folder / ISSUES if (folder / ISSUES).is_dir() else folder)


def issue_files_in(folder: Path) -> list[Path]:
    """The issue files in *folder* itself (see :func:`issue_files`)."""
    if not folder.is_dir():
        return []
    return sorted(f for f in folder.iterdir()  # a FIFO or a device is listed, and refused when read (JB001)
                  if f.suffix in ISSUE_SUFFIXES and f.name != SETTINGS and not f.name.startswith(".")
                  and not f.is_dir())


def expand(paths: list[Path]) -> list[Path]:
    """*paths* with each folder replaced by its :func:`issue_files`; a file named twice (``issues
    issues/x.yaml``) once, where it first comes: it is not built twice at once, nor listed twice."""
    import os

    out: list[Path] = []
    seen: set[str] = set()
    for p in map(Path, paths):
        for f in issue_files(p) if p.is_dir() else [p]:
            key = os.path.normcase(os.path.abspath(f))
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def refuse_output(out: Path, office: Path, sources: list[Path]) -> None:
    """Raise JB501 unless *out* is a place a Word file may go: not one of *sources* (the issue file,
    jianbao.yaml, the preset) nor named .yaml/.yml/.pdf (``--pdf`` would replace it), not a FIFO or
    device, and — when it lies in the *office* folder as written — not through a link out of it."""
    import os
    import stat

    out = Path(out)

    def refuse(message: str, hint: str) -> None:
        raise JianbaoError(Diagnostic("JB501", message, file=out, hint=hint))

    if out.suffix.lower() in (".yaml", ".yml", ".pdf"):
        refuse(f"输出文件名以 {out.suffix} 结尾：{out}（Word 文件会覆盖{'源文件' if out.suffix != '.pdf' else ' PDF'}）",
               "输出文件用 .docx 结尾，例如 -o build/本期.docx。")
    real_office = office.resolve()
    written = Path(os.path.abspath(out))
    try:
        real = written.parent.resolve() / written.name
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        refuse(f"输出文件夹 {out.parent} 是循环的符号链接，写不进去", "删除这个链接，换成一个普通文件夹。")
    if real in {Path(s).resolve() for s in sources}:
        refuse(f"输出文件就是源文件：{out}", "输出文件用 .docx 结尾，例如 -o build/本期.docx。")
    if (written.is_relative_to(office.absolute()) or written.is_relative_to(real_office)) \
            and not real.is_relative_to(real_office):
        refuse(f"输出文件夹 {out.parent} 是指向简报文件夹之外的链接，jianbao 不透过它写文件",
               "删除这个链接，换成一个普通文件夹；或用 -o 直接写出简报文件夹外的路径。")
    try:
        st = os.stat(out)
    except OSError:
        return
    if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
        refuse(f"输出路径不是普通文件（命名管道或设备）：{out}", "用 -o 指定一个 .docx 文件名。")
