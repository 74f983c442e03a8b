"""``jianbao doctor``: what this machine has for jianbao, and what ``--pdf`` will do with it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

#: The faces a bulletin names, and the roles they play.
OFFICIAL_FONTS = {
    "方正小标宋简体": "报头名称、标题",
    "仿宋_GB2312": "正文、期号、编印单位、版记",
    "楷体_GB2312": "报告期、二级标题、编者按",
    "黑体": "一级标题、左上角标识",
    "宋体": "页码",
    "Times New Roman": "数字和西文",
}


@dataclass
class Check:
    label: str
    ok: bool
    detail: str


def _run(args: list[str], env: dict | None = None, timeout: float = 60) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, env=env, timeout=timeout).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def soffice_version() -> str | None:
    from .pdf import find_soffice

    exe = find_soffice()
    if exe is None:
        return None
    return _run([exe, "--version"]) or exe


def resident_check(have_soffice: bool) -> Check:
    """Whether --watch --pdf, preview --watch and batch --pdf can keep one LibreOffice running."""
    from .pdf import find_soffice
    from .system import find_uno_python

    label = "常驻 LibreOffice"
    soffice = find_soffice() if have_soffice else None
    if soffice is None:
        return Check(label, False, "需要 LibreOffice")
    python = find_uno_python(soffice)
    if python:
        return Check(label, True, f"可用（UNO：{python}）：--watch --pdf、preview --watch 和批量 --pdf 只启动一次 LibreOffice")
    return Check(label, False, "不可用（没有能 import uno 的 Python）：每次转换都重新启动 LibreOffice，较慢。"
                 "安装：sudo apt-get install python3-uno（Windows 版 LibreOffice 自带）")


def font_status() -> list[tuple[str, str, bool, str]]:
    """(name, role, installed, what renders it in PDFs) for each official face."""
    from .pdf import FONTS_CONF

    rows = []
    have_fc = shutil.which("fc-list") is not None
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    for name, role in OFFICIAL_FONTS.items():
        installed = bool(have_fc and _run(["fc-list", f":family={name}", "family"]))
        stand_in = _run(["fc-match", "-f", "%{family[0]}", f"{name}:lang=zh-cn"], env=env) if have_fc else ""
        rows.append((name, role, installed, name if installed else (stand_in or "？")))
    return rows


def calendar_years() -> tuple[int, int] | None:
    try:
        from chinese_calendar.constants import holidays, workdays
    except ImportError:  # pragma: no cover - a dependency
        return None
    years = [d.year for d in (*holidays, *workdays)]
    return min(years), max(years)


def checks() -> list[Check]:
    from . import __version__

    out = [Check("jianbao", True, f"{__version__}（Python {sys.version.split()[0]}）")]
    version = soffice_version()
    out.append(Check("LibreOffice", version is not None,
                     version or "未找到：--pdf 和 preview 不可用。安装：sudo apt-get install libreoffice-writer-nogui"))
    out.append(resident_check(version is not None))
    for tool in ("pdftoppm", "pdftotext"):
        where = shutil.which(tool)
        out.append(Check(tool, where is not None, where or "未找到：preview 不可用。安装：sudo apt-get install poppler-utils"))
    years = calendar_years()
    out.append(Check("法定节假日日历", years is not None,
                     f"chinese-calendar 覆盖 {years[0]}—{years[1]} 年；之后的年份 jianbao new 无法判断调休"
                     if years else "未安装 chinese-calendar"))
    return out
