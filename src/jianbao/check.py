"""Stage 3 — check: rules on a validated issue, each with a code, a place and a hint.

The rules here make an issue unprintable (errors): more than four levels, and numbering typed
by hand (it would print twice).  ``jianbao check`` and ``jianbao build`` share them.
"""

from __future__ import annotations

from .diagnostics import Diagnostic
from .load import Source
from .model import Bulletin, Item, Section
from .numbering import MAX_LEVEL, marker, typed_numeral


def check_issue(bulletin: Bulletin, src: Source, layout=None) -> list[Diagnostic]:
    """All diagnostics for one issue, in file order."""
    out: list[Diagnostic] = []
    for i, section in enumerate(bulletin.issue.sections):
        _walk(section, 1, i + 1, ("sections", i), src, out)
    out.sort(key=lambda d: (d.line or 0, d.column or 0))
    return out


def _typed(text: str, path: tuple, level: int, n: int, src: Source, out: list[Diagnostic]) -> None:
    typed = typed_numeral(text)
    if typed:
        out.append(src.diagnostic(
            "JB110", f"“{text[:16]}…”开头手工输入了序号“{typed}”，会与自动生成的“{marker(level, n)}”重复",
            path, hint=f"删除开头的“{typed}”：第 {level} 级序号由 jianbao 自动生成。"))


def _walk(node: Section | Item | str, level: int, n: int, path: tuple, src: Source,
          out: list[Diagnostic]) -> None:
    if isinstance(node, str):
        _typed(node, path, level, n, src, out)
        return
    if node.title is not None:
        _typed(node.title, path + ("title",), level, n, src, out)
    elif node.lead is not None:
        _typed(node.lead, path + ("lead",), level, n, src, out)
    elif node.body:
        _typed(node.body[0], path + ("body", 0), level, n, src, out)
    if node.items and level >= MAX_LEVEL:
        out.append(src.diagnostic(
            "JB109", f"第 {level} 级条目下还有 items：简报最多四级（一、（一）1.（1））", path + ("items",), key=True))
        return
    for k, child in enumerate(node.items):
        _walk(child, level + 1, k + 1, path + ("items", k), src, out)
