"""Figure rules (JB710–JB712): the checks that catch figures typed wrong by hand.

Run from :func:`jianbao.check.check_issue` (one hook) on the resolved text, so they see what will
be printed:

* JB710 (error): a table whose last row is a typed 合计/总计 that disagrees with the sum of the
  rows above it (rows labelled 小计 or starting with 其中 are breakdowns, not added in);
* JB711 (warning, best effort): a typed rate that claims to be the ratio of two counts in its
  sentence — tied to them by the words around them (办结…办结率, 其中…占比, 占…的) — and is not
  (the seed bulletins once printed 85.25% for 4879/5160 = 94.55%).  Names (12345热线), dates and
  figures printed by templates are not counts; growth rates (增长、同比) are not ratios;
* JB712 (warning): a figure in ``data`` that no template refers to (directly, or through ``ytd``
  or ``prev``): typed into the text by hand, or left over from last week.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
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
    return [*typed_totals(issue, src), *typed_percentages(issue, src, resolved.templates.issue),
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
# A rate is tied to the counts it is a rate of by the words around them: “办结4879件，办结率…” (the
# count labelled with the rate's own word), “其中综合窗口90个，占比…”, “占全部办件10000件的…”.  Only
# counts are figures: a number followed by a measure word (件、个、人次……).  Names (12345热线, 110),
# dates (5月13日), ordinals (第18期) and whatever a template printed (it is computed) are not.
# Growth rates (增长、下降、同比、较上周……) are not ratios of two counts in the sentence.

_SENTENCE = re.compile(r"[^。；！？!?;\n]+")
_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
_PCT_SIGN = re.compile(r"\s*[%％]")
UNITS = ("人次", "件次", "户次", "个工作日", "工作日", "平方米", "公里", "小时", "分钟", "单位", "件", "个", "次",
         "项", "人", "户", "家", "条", "份", "台", "元", "天", "所", "名", "套", "场", "批", "宗", "起", "座", "辆",
         "亩", "吨", "本", "部", "类", "种", "笔", "单", "张", "间", "处", "栋", "例", "位", "只", "万元", "亿元")
_UNIT = re.compile(r"\s*(?P<approx>余|多)?\s*(?P<scale>万|亿)?(?P<unit>" + "|".join(UNITS) + ")")
_DATE_AFTER = re.compile(r"\s*(?:年|月|日|号|时|点|周岁|岁)")
_BREAKS = "，,、：:（）()“”\"「」《》　 \t"
#: Words a label starts with that say nothing about what is counted.
_FILLERS = ("其中", "今年以来", "年初以来", "截至目前", "目前", "本周", "本月", "本季度", "本年", "全年", "全市",
            "全省", "全县", "全区", "累计", "共计", "合计", "总计", "一共", "共", "总", "已经", "已", "均", "全部",
            "中", "当日", "当天", "并", "且", "和", "及", "同时", "实际", "另")
#: Between a rate word and its number: 办结率为、达到、是……
_CONNECTORS = ("提升至", "提高到", "提高至", "保持在", "稳定在", "达到了", "达到", "高达", "约为", "升至", "超过",
               "为", "达", "是", "约", "了", "的", "在")
_GROWTH = re.compile(r"增长|下降|增加|减少|上升|提高|提升|降低|同比|环比|较|比上|回落|上涨|下跌|增幅|降幅|增速")
_APPROX_BEFORE = ("约", "近", "超", "逾", "超过", "将近", "大约", "约为")
#: After a percentage: it is a bound or a round figure, not a ratio (20%以上).
_ROUGHLY = ("以上", "以下", "左右", "上下", "多", "余", "强", "弱", "以内")


@dataclass
class _Count:
    value: Decimal
    unit: str
    start: int
    end: int
    label: str
    part_of: bool  # introduced by 其中: part of the count before it
    approx: bool


def _label(raw: str) -> tuple[str, bool]:
    """What a count counts: the words before its number, without fillers (“其中网上受理” → 网上受理)."""
    text = raw.strip(_BREAKS)
    part_of = text.startswith("其中")
    changed = True
    while changed:
        changed = False
        for f in _FILLERS:
            if text.startswith(f) and len(text) > len(f):
                text, changed = text[len(f):], True
    return text, part_of


def _tokens(sentence: str) -> tuple[list[_Count], list[tuple[int, int, Decimal]]]:
    """The counts and the typed percentages (start, end, value) of a sentence."""
    counts: list[_Count] = []
    percents: list[tuple[int, int, Decimal]] = []
    last = 0  # where the previous number (with its unit or sign) ended
    for m in _NUMBER.finditer(sentence):
        digits = m.group(1).replace(",", "") + (m.group(2) or "")
        after = sentence[m.end():]
        sign = _PCT_SIGN.match(after)
        if sign:
            if not after[sign.end():].lstrip().startswith(_ROUGHLY) and not sentence[:m.start()].endswith(_APPROX_BEFORE):
                percents.append((m.start(), m.end() + sign.end(), Decimal(digits)))
            last = m.end() + sign.end()
            continue
        unit = _UNIT.match(after)
        before = sentence[last:m.start()]
        date = _DATE_AFTER.match(after)
        if date:
            last = m.end() + date.end()
            continue
        if unit and not sentence[:m.start()].endswith("第"):
            cut = max((before.rfind(c) for c in _BREAKS), default=-1)
            label, part_of = _label(before[cut + 1:])
            approx = bool(unit.group("approx")) or before.rstrip().endswith(_APPROX_BEFORE) or (
                m.group(2) is not None and unit.group("scale") is not None)
            counts.append(_Count(Decimal(digits), (unit.group("scale") or "") + unit.group("unit"), m.start(),
                                 m.end(), label, part_of, approx))
            last = m.end() + unit.end()
        else:
            last = m.end()
    return counts, percents


def _clause_before(sentence: str, at: int) -> str:
    """The words of *sentence* from the last break before *at* up to it."""
    head = sentence[:at]
    cut = max((head.rfind(c) for c in "，,；;：:"), default=-1)
    return head[cut + 1:]


def _strip_connectors(text: str) -> str:
    changed = True
    while changed:
        changed = False
        for c in _CONNECTORS:
            if text.endswith(c) and len(text) > len(c):
                text, changed = text[: -len(c)], True
    return text


def _ties(stem: str, label: str) -> bool:
    """Whether a rate word (办结 of 办结率) names the count labelled *label* (办结, 已办)."""
    if not stem or not label:
        return False
    if stem == label or stem.startswith(label):
        return True
    return stem.endswith(label) and stem[: -len(label)].endswith("的")


def _whole(part: _Count, counts: list[_Count], before: int) -> _Count | None:
    """The count *part* is a part of: the largest other count of the same unit before *before*."""
    same = [c for c in counts if c is not part and c.start < before and c.unit == part.unit and c.value >= part.value]
    if part.part_of:  # 其中……: of the count just before it
        earlier = [c for c in same if c.start < part.start]
        if earlier:
            return earlier[-1]
    return max(same, key=lambda c: c.value, default=None)


def rate_claims(sentence: str) -> list[tuple[int, int, Decimal, _Count, _Count]]:
    """(start, end, typed value, part, whole) of each percentage of *sentence* that claims to be
    part ÷ whole of two counts in it."""
    counts, percents = _tokens(sentence)
    if len(counts) < 2:
        return []
    out = []
    for start, end, typed in percents:
        pre = _strip_connectors(_clause_before(sentence, start).strip(_BREAKS))
        if not pre or _GROWTH.search(pre):
            continue
        part = whole = None
        if pre.endswith("率"):
            stem, _ = _label(pre[:-1])
            tied = [c for c in counts if c.start < start and _ties(stem, c.label)]
            if len(tied) != 1:
                continue
            part = tied[0]
            whole = _whole(part, counts, start)
        elif pre.endswith(("占比", "比例", "比重", "占")) or "占" in pre:
            at = start - len(_clause_before(sentence, start)) + _clause_before(sentence, start).rfind("占")
            inner = [c for c in counts if at < c.start < start]
            earlier = [c for c in counts if c.start < at]
            if not earlier:
                continue
            part = earlier[-1]
            whole = inner[-1] if inner else _whole(part, counts, start)
            if whole is not None and whole.unit != part.unit:
                continue
        if part is None or whole is None or whole is part or part.approx or whole.approx or whole.value == 0:
            continue
        out.append((start, end, typed, part, whole))
    return out


def typed_percentages(issue: IssueFile, src: Source, templates: IssueFile | None = None) -> list[Diagnostic]:
    """JB711 over the printed text of *issue*; *templates* (the issue as written) says which parts
    a template printed: those are computed and left out."""
    written = dict(document.texts(templates)) if templates is not None else {}
    out = []
    for path, text in document.texts(issue):
        original = written.get(path)
        shown = text
        if original is not None and r.has_template(original):
            text, shown = _blank_templates(original), original  # offsets stay those of the YAML
        if "%" not in text and "％" not in text:
            continue
        for s in _SENTENCE.finditer(text):
            for start, end, message, right in wrong_rates(s.group()):
                out.append(src.at(path, shown, s.start() + start, end - start, "JB711", message,
                                  hint=f"核对这三个数；用模板计算就不会错，例如 {{{{ 完成 | pct(总数) }}}} → {right}%。"))
    return out


def wrong_rates(sentence: str) -> list[tuple[int, int, str, Decimal]]:
    """(start, end, message, right value) of each rate in *sentence* that is not the ratio it claims."""
    out = []
    for start, end, typed, part, whole in rate_claims(sentence):
        digits = max(0, -int(typed.as_tuple().exponent))
        exact = Fraction(part.value) / Fraction(whole.value) * 100
        right = values.round_half_up(exact, digits)
        cut = Decimal(int(exact * 10**digits)) / Decimal(10**digits)  # some offices truncate
        if typed in (right, cut):
            continue
        a, b = _shown(part.value), _shown(whole.value)
        out.append((start, end, f"“{sentence[start:end]}”与同一句中的 {a} 和 {b} 不符：{a} ÷ {b} = {right}%", right))
    return out


def _shown(value: Decimal) -> str:
    return f"{value:f}"


def _blank_templates(text: str) -> str:
    """*text* with each ``{{ … }}`` / ``{% … %}`` replaced by as many □ (offsets stay those of the YAML)."""
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}", lambda m: "□" * len(m.group()), text, flags=re.S)


# --- JB712: data never used ----------------------------------------------------------------------------

def unused_data(issue: IssueFile, src: Source) -> list[Diagnostic]:
    leaves = list(_leaves(issue.data, ()))
    if not leaves:
        return []
    used = {_through_methods(u, issue.data) for u in used_paths(issue)}
    out = []
    for path, value in leaves:
        if any(u == path[: len(u)] or path == u[: len(path)] for u in used) or isinstance(value, str):
            continue  # used; or still 待填 (JB205)
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
