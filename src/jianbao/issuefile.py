"""Write issue files and ``jianbao.yaml`` from plain data, in the style ``jianbao new`` writes them.

Used by ``jianbao import``: the field order is the scaffold's (``templates/scaffold/issue.yaml.j2``):
number, total, supplement, date, period, then the series settings this issue overrides, title,
subtitle, note, body, sections; each section and item as ``title``/``lead``, ``body``, ``items``;
one paragraph per line, a single paragraph as a scalar.  Every scalar goes through
:func:`jianbao.scaffold.yaml_scalar`, so no text can break the YAML; text that looks like a
template (``{{``, ``{%``) is escaped so that it prints as it was typed.
"""

from __future__ import annotations

import datetime as dt
import re

from .dates import cn_date, cn_range
from .scaffold import yaml_scalar

ISSUE_ORDER = ("number", "total", "supplement", "date", "period")
OVERRIDE_ORDER = ("name", "editor", "mark", "copies", "distribution", "separator", "layout")
HEADLINE_ORDER = ("title", "subtitle", "note", "body")


def escape_template(text: str) -> str:
    """*text* as it prints: ``{{``/``{%``/``{#`` become template expressions printing themselves."""
    if "{{" not in text and "{%" not in text:
        return text
    return re.sub(r"\{[{%#]", lambda m: "{{ '" + m.group() + "' }}", text)


def _s(value) -> str:
    if isinstance(value, str):
        value = escape_template(value)
    return yaml_scalar(value)


def _flow(values: list) -> str:
    return yaml_scalar([escape_template(v) if isinstance(v, str) else v for v in values])


def dump_issue(issue: dict, *, overrides: dict | None = None, comments: list[str] | None = None) -> str:
    """The text of an issue file holding *issue* (and the series values in *overrides*)."""
    out: list[str] = ["# yaml-language-server: $schema=../schemas/issue.schema.json"]
    out += [f"# {c}" if c else "#" for c in comments or []]
    out.append("")
    kind = "增刊" if issue.get("supplement") else ""
    out.append(f"number: {_s(issue['number'])}  # {kind}期号 → “{kind}第{issue['number']}期”")
    if issue.get("total") is not None:
        out.append(f"total: {_s(issue['total'])}  # 总期号 → “（总第{issue['total']}期）”")
    if issue.get("supplement"):
        out.append("supplement: true  # 增刊：期号单独编排")
    date: dt.date = issue["date"]
    out.append(f"date: {_s(date)}  # 印发日期 → “{cn_date(date)}”")
    period = issue.get("period")
    if period:
        out += ["", f"# 报告期 → “（{cn_range(period['start'], period['end'])}）”", "period:",
                f"  start: {_s(period['start'])}", f"  end: {_s(period['end'])}"]
    if overrides:
        out += ["", "# 这一期与 jianbao.yaml 不同的设置（这一期以此为准）："]
        for key in OVERRIDE_ORDER:
            if key in overrides:
                out += _field(key, overrides[key], 0)
    head = [k for k in HEADLINE_ORDER if issue.get(k)]
    if head:
        out.append("")
        for key in head:
            out += _field(key, issue[key], 0)
    out += ["", "# 正文各部分：序号（一、（一）1.（1））由程序生成。", "sections:"]
    for section in issue.get("sections") or []:
        out += _node(section, 1)
    if not issue.get("sections"):
        out[-1] = "sections: []"
    return "\n".join(out) + "\n"


def dump_settings(series: dict, *, comments: list[str] | None = None) -> str:
    """The text of a ``jianbao.yaml`` holding *series*."""
    out = ["# yaml-language-server: $schema=schemas/jianbao.schema.json"]
    out += [f"# {c}" if c else "#" for c in comments or []]
    notes = {
        "name": "简报名称：红色报头大字",
        "editor": "编印单位：印在红色分隔线上方左侧",
        "mark": "左上角标识（密级或“内部资料”）",
        "copies": "共印份数 → 文末“（共印N份）”",
        "distribution": "报尾：按此顺序印出；列表用 separator 连接、末尾加“。”，文字原样照印",
        "separator": "报尾列表中各单位之间的分隔符（不写时为“，”）",
        "layout": "版式预设",
    }
    for key in OVERRIDE_ORDER:
        if key in series and series[key] is not None:
            out += ["", f"# {notes[key]}"] + _field(key, series[key], 0)
    return "\n".join(out) + "\n"


def _field(key: str, value, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict) and "table" not in value:
        lines = [f"{pad}{key}:"]
        for k, v in value.items():
            lines += _field(str(k), v, indent + 2)
        return lines
    if isinstance(value, list):
        if len(value) == 1 and isinstance(value[0], str):
            return [f"{pad}{key}: {_s(value[0])}"]
        lines = [f"{pad}{key}:"]
        for v in value:
            lines += _block(v, indent + 2)
        return lines
    return [f"{pad}{key}: {_s(value)}"]


def _block(value, indent: int) -> list[str]:
    """One list entry: a paragraph, or a ``{table: …}`` block."""
    pad = " " * indent
    if isinstance(value, dict) and "table" in value:
        t = value["table"]
        lines = [f"{pad}- table:", f"{pad}    caption: {_s(t['caption'])}", f"{pad}    header: {_flow(t['header'])}"]
        if t.get("widths"):
            lines.append(f"{pad}    widths: {_flow(t['widths'])}")
        if t.get("align"):
            align = t["align"]
            lines.append(f"{pad}    align: {_flow(align) if isinstance(align, list) else _s(align)}")
        lines.append(f"{pad}    rows:")
        lines += [f"{pad}      - {_flow(row)}" for row in t["rows"]]
        return lines
    return [f"{pad}- {_s(value)}"]


def _node(node, level: int) -> list[str]:
    """A section (level 1) or item, as a list entry under ``sections:``/``items:``."""
    indent = 2 + 4 * (level - 1)
    pad = " " * indent
    if isinstance(node, str):
        return [f"{pad}- {_s(node)}"]
    lines: list[str] = []
    first = True
    for key in ("title", "lead", "body", "items"):
        if key not in node:
            continue
        prefix = f"{pad}- " if first else f"{pad}  "
        first = False
        if key == "items":
            lines.append(f"{prefix}items:")
            for child in node["items"]:
                lines += _node(child, level + 1)
        elif key == "body":
            body = node["body"]
            if len(body) == 1 and isinstance(body[0], str):
                lines.append(f"{prefix}body: {_s(body[0])}")
            else:
                lines.append(f"{prefix}body:")
                for b in body:
                    lines += _block(b, indent + 4)
        else:
            lines.append(f"{prefix}{key}: {_s(node[key])}")
    return lines
