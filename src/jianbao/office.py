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
