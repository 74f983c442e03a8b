"""The office folder: where ``jianbao.yaml`` is, and how paths in it are shown.

An office folder holds ``jianbao.yaml`` (the series settings), ``issues/`` (one YAML file per
issue) and ``build/`` (what jianbao writes).  The stages of :mod:`jianbao.pipeline` find the
settings of an issue here; messages show paths through :func:`display_path`.
"""

from __future__ import annotations

from pathlib import Path

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
    except ValueError:
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
    """*paths* with each folder replaced by its :func:`issue_files`."""
    out: list[Path] = []
    for p in map(Path, paths):
        out += issue_files(p) if p.is_dir() else [p]
    return out
