"""Figure rules (JB710–JB712): the checks that catch figures typed wrong by hand.

Run from :func:`jianbao.check.check_issue` (one hook) on the resolved text, so they see what will
be printed:

* JB710 (error): a table whose last row is a typed 合计/总计 that disagrees with the sum of the
  rows above it (rows labelled 小计 or starting with 其中 are breakdowns, not added in);
* JB711 (warning, best effort): a sentence with exactly two integers a < b and one typed
  percentage p, where a/b rounded to p's decimals is not p (the seed bulletins once printed
  85.25% for 4879/5160 = 94.55%);
* JB712 (warning): a figure in ``data`` that no template refers to (directly, or through ``ytd``
  or ``prev``): typed into the text by hand, or left over from last week.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

from . import document, tables
from . import resolve as r
from .diagnostics import Diagnostic
from .figures import sandbox, values
from .load import Source
from .model import IssueFile
from .stages import Resolved


def check_figures(resolved: Resolved) -> list[Diagnostic]:
    """The figure diagnostics of a resolved issue (JB710, JB711 on the printed text; JB712 on the
    templates as written)."""
    issue, src = resolved.bulletin.issue, resolved.issue_src
    return [*typed_totals(issue, src), *typed_percentages(issue, src),
            *unused_data(resolved.templates.issue, src)]


# --- JB710: a typed total row ---------------------------------------------------------------------

def typed_totals(issue: IssueFile, src: Source) -> list[Diagnostic]:
    out = []
    for path, t in document.tables(issue):
        rows = [[tables.cell_text(v) for v in row] for row in t.rows]
        if len(rows) < 2 or not rows[-1] or rows[-1][0].strip() not in tables.TOTAL_LABELS:
            continue
        columns = len(t.header)
        sums = tables.column_sums(rows[:-1], columns)
        label = rows[-1][0].strip()
        for c in range(1, min(columns, len(rows[-1]))):
            typed = rows[-1][c]
            if sums[c] is None or tables.is_blank(typed):
                continue
            n, total = tables.cell_number(typed), sums[c]
            if n is None or total is None or n == total[0]:
                continue
            right = tables.format_sum(*total)
            name = tables.cell_text(t.header[c]).strip() or f"第 {c + 1} 列"
            out.append(src.diagnostic(
                "JB710", f"表格“{t.caption}”的{label}行“{name}”写的是 {typed.strip()}，上面各行相加是 {right}",
                path + ("rows", len(rows) - 1, c),
                hint=f"改为 {right}；或删去手写的{label}行，在表格中写 total: true 让 jianbao 计算。"))
    return out


# --- JB711: a typed percentage ----------------------------------------------------------------------

_SENTENCE = re.compile(r"[^。；！？!?;\n]+")
_PERCENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*[%％]")
#: Integers of running text: not decimals, not percentages, not parts of a date (2024年5月13日).
_INTEGER = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?![\d.,]|\s*[%％年月日号时])")


def typed_percentages(issue: IssueFile, src: Source) -> list[Diagnostic]:

    out = []
    for path, text in document.texts(issue):
        for s in _SENTENCE.finditer(text):
            sentence = s.group()
            percents = list(_PERCENT.finditer(sentence))
            found = [m.group(1).replace(",", "") for m in _INTEGER.finditer(sentence)]
            if len(percents) != 1 or len(found) != 2 or any(len(f) > 30 for f in found):
                continue  # (a 5000-digit "count" is no count: int() would refuse it)
            ints = [int(f) for f in found]
            if len(ints) != 2:
                continue
            a, b = sorted(ints)
            if not 0 < a < b:
                continue
            p = percents[0]
            typed = Decimal(p.group(1))
            digits = max(0, -int(typed.as_tuple().exponent))
            right = values.round_half_up(Fraction(a * 100, b), digits)
            if right == typed:
                continue
            start = s.start() + p.start()
            out.append(src.at(path, text, start, p.end() - p.start(), "JB711",
                           f"“{p.group()}”与同一句中的 {a} 和 {b} 不符：{a} ÷ {b} = {right}%",
                           hint=f"核对这三个数；用模板计算就不会错，例如 {{{{ 完成 | pct(总数) }}}} → {right}%。"))
    return out


# --- JB712: data never used ----------------------------------------------------------------------------

def unused_data(issue: IssueFile, src: Source) -> list[Diagnostic]:
    leaves = list(_leaves(issue.data, ()))
    if not leaves:
        return []
    used = {_through_methods(u, issue.data) for u in used_paths(issue)}
    out = []
    for path, value in leaves:
        if any(u == path[: len(u)] or path == u[: len(path)] for u in used):
            continue
        name = ".".join(path)
        out.append(src.diagnostic(
            "JB712", f"data 中的“{name}”（{values.num(value)}）没有在正文中用到", ("data",) + path, key=True,
            width=len(path[-1]),
            hint=f"在正文中写 {{{{ {name} }}}} 引用它（而不是手工输入数字），或从 data 中删去；"
                 "只为以后各期累计（ytd）而记的数可以不理会这条提示。"))
    return out


def _through_methods(chain: tuple, data: dict) -> tuple:
    """``综窗.items`` reads all of 综窗: a chain ends at a mapping method that is not a data key."""
    node: Any = data
    for k, key in enumerate(chain):
        if isinstance(node, dict) and key not in node and key in ("items", "keys", "values", "get"):
            return chain[:k]
        node = node.get(key) if isinstance(node, dict) else None
    return chain


def _leaves(values: dict, path: tuple) -> Iterator[tuple[tuple, object]]:
    for k, v in values.items():
        if isinstance(v, dict):
            yield from _leaves(v, path + (k,))
        else:
            yield path + (k,), v


def used_paths(issue: IssueFile) -> set[tuple]:
    """The data paths the templates of *issue* (as written) refer to (``ytd.x.y`` and ``prev.x.y``
    count as ``x.y``); a path stands for everything under it."""
    strings = [s for _, s in document.texts(issue) if r.has_template(s)]
    if not strings:
        return set()
    from jinja2 import TemplateSyntaxError

    env = sandbox.environment()
    used: set[tuple] = set()
    for s in strings:
        try:
            ast = env.parse(s)
        except TemplateSyntaxError:
            continue
        chains: set[tuple] = set()
        _chains(ast, chains)
        for chain in chains:
            if chain[0] in ("ytd", "prev"):
                used.add(chain[1:])
            else:
                used.add(chain)
    return used


def _chains(node, out: set[tuple]) -> None:
    """Name.attr.attr / Name['key'] chains read by a template (a dynamic key ends the chain)."""
    from jinja2 import nodes

    if isinstance(node, (nodes.Getattr, nodes.Getitem)) or (isinstance(node, nodes.Name) and node.ctx == "load"):
        keys: list[str] = []
        dynamic = []
        n: Any = node
        while isinstance(n, (nodes.Getattr, nodes.Getitem)):
            if isinstance(n, nodes.Getattr):
                keys.append(n.attr)
            elif isinstance(n.arg, nodes.Const) and isinstance(n.arg.value, str):
                keys.append(n.arg.value)
            else:
                keys.clear()  # x[k].y: everything under x may be read
                dynamic.append(n.arg)
            n = n.node
        if isinstance(n, nodes.Name):
            out.add((n.name, *reversed(keys)))
        else:
            _chains(n, out)
        for d in dynamic:
            _chains(d, out)
        return
    for child in node.iter_child_nodes():
        _chains(child, out)
