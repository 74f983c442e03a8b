"""``jianbao preview``: the pages of a built PDF as PNG images, through poppler's pdftoppm."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .diagnostics import Diagnostic, JianbaoError


def page_images(pdf: Path, *, dpi: int = 110, page: int | None = None) -> list[Path]:
    """``<stem>-<N>.png`` next to *pdf* for every page (or only *page*), in page order; the
    images of an earlier preview of the same PDF are removed first."""
    if shutil.which("pdftoppm") is None:
        raise JianbaoError(Diagnostic("JB502", "找不到 pdftoppm，无法生成预览图片",
                                      hint="安装 poppler：sudo apt-get install poppler-utils"))
    stem = pdf.with_suffix("")
    for old in _images(stem):
        old.unlink()
    args = ["pdftoppm", "-png", "-r", str(dpi)]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    subprocess.run(args + [str(pdf), str(stem)], check=True)
    return _images(stem)


def _images(stem: Path) -> list[Path]:
    """The page images of *stem* only: ``2024-05-13-3.png``, not ``2024-05-13-zk-3.png``."""
    pages = {}
    for p in stem.parent.glob(f"{stem.name}-*.png"):
        number = p.stem[len(stem.name) + 1:]
        if number.isdigit():
            pages[int(number)] = p
    return [pages[n] for n in sorted(pages)]
