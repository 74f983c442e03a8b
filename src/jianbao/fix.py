"""``jianbao check --fix``: apply the fixes that have one right answer, and nothing else.

Rules attach :class:`~jianbao.diagnostics.Edit` s where the fix is certain (pasted spaces and
invisible characters, full-width digits, half-width punctuation beside Chinese, hand-typed
numerals at the start of an item, zero-padded dates, spaces at the end of a line).  This module
applies them to the file as it is on disk — line endings, BOM, comments and every line that no edit
touches stay byte for byte — then reads the result again: an edit that would change what YAML
reads other than the text it mends (a text that would then start with ``*``, say) is left out.
The file is replaced atomically, and only when something changed.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Edit, JianbaoError


@dataclass
class Fixed:
    """What fixing one file did (or would do): its text before and after, and the fixes applied."""

    path: Path
    before: str
    after: str
    applied: list[Diagnostic] = field(default_factory=list)
    edits: int = 0
    bom: bool = False

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        name = str(self.path)
        return "".join(difflib.unified_diff(self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
                                            fromfile=f"a/{name}", tofile=f"b/{name}"))


def _shape(value: Any) -> Any:
    """What YAML read, with every text replaced by a marker: fixes may change texts, nothing else."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    if isinstance(value, str):
        return str
    return value


def _apply(lines: list[str], edits: list[Edit]) -> list[str] | None:
    """*lines* (with their line endings) with *edits* made, or None if one of them does not fit."""
    out = list(lines)
    for e in sorted(edits, key=lambda e: (e.line, e.column), reverse=True):
        if not 0 < e.line <= len(out):
            return None
        row = out[e.line - 1]
        body = row.rstrip("\r\n")
        if body[e.column - 1: e.column - 1 + len(e.old)] != e.old:
            return None
        out[e.line - 1] = body[: e.column - 1] + e.new + body[e.column - 1 + len(e.old):] + row[len(body):]
    return out


def _overlaps(edits: list[Edit]) -> bool:
    spans = sorted((e.line, e.column, e.column + len(e.old)) for e in edits)
    return any(a[0] == b[0] and b[1] < a[2] for a, b in zip(spans, spans[1:]))


#: Fixes that change what YAML reads on purpose (a text that YAML took for a mapping or for the
#: continuation of the line above becomes the text it was meant to be; a field name's colon becomes one;
#: a text's opening half-width quote or bracket becomes a full-width pair).
STRUCTURAL = ("JB020", "JB021", "JB024", "JB026")


def fix_file(path: Path, diagnostics: list[Diagnostic]) -> Fixed:
    """The text of *path* with the fixes of *diagnostics* (those pointing into it) applied.

    Every edit is made on the file as it is (all edits of a line at once, right to left, so
    that none moves another).  The YAML traps (:data:`STRUCTURAL`) are mended first, and must
    leave a file that YAML reads without error; every other fix must leave YAML reading exactly
    the same structure, or it is left out.
    """
    from .load import load_yaml

    path = Path(path)
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    before = raw.decode("utf-8-sig")
    lines = before.splitlines(keepends=True)

    def shape(candidate: list[str] | None) -> Any:
        if candidate is None:
            return _UNREADABLE
        try:
            return _shape(load_yaml(path, text=_normal("".join(candidate))).data)
        except JianbaoError:
            return _UNREADABLE

    mine = [d for d in diagnostics if d.fixes and d.file is not None and Path(d.file) == path]
    kept: list[Diagnostic] = []
    edits: list[Edit] = []

    def try_add(d: Diagnostic, ok) -> None:
        nonlocal edits, kept
        trial = edits + [e for e in d.fixes if e not in edits]
        if not _overlaps(trial) and ok(_apply(lines, trial)):
            edits, kept = trial, kept + [d]

    traps = [d for d in mine if d.code in STRUCTURAL]
    together = [e for d in traps for e in d.fixes]
    if traps and not _overlaps(together) and shape(_apply(lines, together)) is not _UNREADABLE:
        edits, kept = together, list(traps)  # one trap may hide another: mended together they read
    else:
        for d in traps:  # else each must leave a file YAML reads
            try_add(d, lambda new: shape(new) is not _UNREADABLE)
    base = shape(_apply(lines, edits))
    if base is _UNREADABLE:  # the YAML errors that remain must be mended by hand first
        return Fixed(path, before, before, [], 0, bom)
    for d in mine:  # one diagnostic at a time, so that an edit that cannot be made spoils only its own
        if d.code not in STRUCTURAL:
            try_add(d, lambda new: shape(new) == base)
    after = "".join(_apply(lines, edits) or lines)
    return Fixed(path, before, after, kept, len(edits), bom)


_UNREADABLE = object()


def _normal(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def write_fixed(fixed: Fixed) -> None:
    """Replace the file with its fixed text, atomically, keeping its permissions and BOM."""
    from .write import write_atomic

    if not fixed.changed:
        return
    if fixed.path.is_symlink():
        raise JianbaoError(Diagnostic("JB501", f"简报文件是一个符号链接，--fix 不会透过链接改写：{fixed.path}",
                                      file=fixed.path, hint="对链接指向的文件运行 jianbao check --fix。"))
    mode = os.stat(fixed.path).st_mode & 0o7777
    data = ("\ufeff" if fixed.bom else "") + fixed.after
    write_atomic(fixed.path, data.encode("utf-8"), mode=mode)
