"""Stage 2 — validate: turn loaded YAML into models, and pydantic's errors into diagnostics.

pydantic reports each problem with a ``loc`` (the path to the value) and a ``type``.  Here
each is mapped to a stable JB code, a Chinese message, and the place in the file that
:mod:`jianbao.load` recorded for that path.
"""

from __future__ import annotations

import difflib
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic, JianbaoError
from .load import Source

M = TypeVar("M", bound=BaseModel)

#: Chinese names of fields, used in messages ("缺少必填字段 number（期号）").
FIELD_NAMES_ZH = {
    "name": "简报名称", "editor": "编印单位", "mark": "左上角标识", "copies": "共印份数",
    "distribution": "报尾发送范围", "separator": "分隔符", "layout": "版式预设",
    "number": "期号", "total": "总期号", "supplement": "增刊", "date": "印发日期",
    "period": "报告期", "start": "开始日期", "end": "结束日期", "title": "标题",
    "subtitle": "副题", "note": "编者按", "body": "正文", "sections": "正文各部分",
    "lead": "段首标题", "items": "条目",
}

TABLE_FIELD_NAMES_ZH = {
    "caption": "表题", "header": "表头", "rows": "表格各行", "widths": "列宽", "align": "对齐", "total": "合计行",
}

_TYPE_ZH = {
    "string_type": "应为文字", "int_type": "应为整数", "int_parsing": "应为整数",
    "int_from_float": "应为整数", "bool_type": "应为 true 或 false", "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每项以“- ”开头）", "dict_type": "应为“字段: 值”的映射",
    "model_type": "应为“字段: 值”的映射", "model_attributes_type": "应为“字段: 值”的映射",
    "date_type": "应为日期", "float_type": "应为数字",
}


def _model_fields_at(root: type[BaseModel], loc: tuple) -> list[str]:
    """Field names of the model that holds *loc*'s last key (for "did you mean")."""
    from . import model as m

    by_parent = {"period": m.Period, "sections": m.Section, "items": m.Item, "table": m.Table}
    for part in reversed(loc[:-1]):
        if isinstance(part, str) and part in by_parent:
            return list(by_parent[part].model_fields)  # type: ignore[attr-defined]
        if isinstance(part, str) and part in ("distribution", "data", "carry"):
            return []
    return list(root.model_fields)


def _clean_loc(loc: tuple) -> tuple:
    """Drop pydantic's union-member tags (``<item>``) from a loc, keeping keys and indexes."""
    return tuple(p for p in loc if not (isinstance(p, str) and p.startswith("<") and p.endswith(">")))


def validate(src: Source, model: type[M]) -> M:
    """Validate *src*'s data against *model*; raise JianbaoError with every problem found."""
    data = src.data
    if data is None:
        raise JianbaoError(Diagnostic("JB005", "文件是空的", file=src.path,
                                      hint="参照 issues/ 下的示例填写，至少写 number 和 date。"))
    if not isinstance(data, dict):
        kind = "列表" if isinstance(data, list) else "单个值"
        raise JianbaoError(src.diagnostic("JB005", f"文件内容是{kind}，应当是“字段: 值”的映射", ()))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        diags = _diagnostics(src, model, exc)
        raise JianbaoError(diags) from None


def _diagnostics(src: Source, model: type[BaseModel], exc: ValidationError) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: set[tuple] = set()
    for err in exc.errors(include_url=False):
        loc = _clean_loc(tuple(err["loc"]))
        etype = err["type"]
        ctx = err.get("ctx") or {}
        d = _one(src, model, loc, etype, dict(err), ctx)
        key = (d.code, d.line, d.column)
        if key in seen:
            continue
        seen.add(key)
        out.append(d)
    out.sort(key=lambda d: (d.line or 0, d.column or 0))
    return out


def _field(loc: tuple) -> str:
    """``sections[0].items[2].lead`` from a loc."""
    s = ""
    for p in loc:
        s += f"[{p}]" if isinstance(p, int) else (f".{p}" if s else p)
    return s or "（文件顶层）"


def _one(src: Source, model: type[BaseModel], loc: tuple, etype: str, err: dict, ctx: dict) -> Diagnostic:
    name = loc[-1] if loc else ""
    zh = FIELD_NAMES_ZH.get(name, "") if isinstance(name, str) else ""
    if "table" in loc[:-1]:  # a table's keys mean other things than the issue's
        zh = TABLE_FIELD_NAMES_ZH.get(name, "") if isinstance(name, str) else ""
    label = f"{name}（{zh}）" if zh else str(name)
    if etype == "missing":
        return src.diagnostic("JB101", f"缺少必填字段 {label}", loc[:-1], key=True,
                              hint=f"在 {_field(loc[:-1])} 下补上“{name}: …”。")
    if etype == "extra_forbidden":
        allowed = _model_fields_at(model, loc)
        close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
        hint = f"是不是要写 {close[0]}？" if close else (f"这里可用的字段：{', '.join(allowed)}。" if allowed else None)
        return src.diagnostic("JB103", f"未知字段“{name}”", loc, key=True, hint=hint, width=len(str(name)))
    if etype == "jb_impossible_date":
        return src.diagnostic("JB104", err["msg"], loc)
    if etype == "jb_bad_date":
        return src.diagnostic("JB105", f"{label}：{err['msg']}", loc,
                              hint="日期写作 2024-05-13（年-月-日），不加引号，例如 date: 2024-05-13。")
    if etype == "jb_period_order":
        return src.diagnostic("JB106", err["msg"], loc + ("end",))
    if etype == "jb_date_before_period":
        return src.diagnostic("JB107", err["msg"], loc + ("date",),
                              hint="印发日期应在报告期结束之后（或同一天）。")
    if etype == "jb_heading_kind":
        return src.diagnostic("JB108", err["msg"], loc,
                              hint="title: 单独成行的标题；lead: 段首标题，后接 body 的文字。")
    if etype in ("jb_out_of_range",):
        return src.diagnostic("JB111", err["msg"], loc)
    if etype in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt"))))
        rel = {"greater_than_equal": "不能小于", "greater_than": "应大于",
               "less_than_equal": "不能大于", "less_than": "应小于"}[etype]
        return src.diagnostic("JB111", f"{label} {rel} {bound}（现在是 {err.get('input')!r}）", loc)
    if etype == "string_too_short":
        return src.diagnostic("JB112", f"{label} 是空的", loc, hint="填写内容，或删除这一项。")
    if etype == "too_short":
        return src.diagnostic("JB112", f"{label} 是空列表", loc, hint="至少写一项，或删除这个字段。")
    if etype == "string_too_long":
        return src.diagnostic("JB111", f"{label} 太长（最多 {ctx.get('max_length')} 个字符）", loc)
    if etype in ("jb_union", "union_tag_invalid", "union_tag_not_found"):
        return src.diagnostic("JB102", f"{_field(loc)}：{err['msg']}，现在是{_kind_zh(err.get('input'))}", loc)
    what = _TYPE_ZH.get(etype, err["msg"])
    got = err.get("input")
    shown = _kind_zh(got)
    return src.diagnostic("JB102", f"{label or _field(loc)} {what}，现在是{shown}", loc)


def _kind_zh(value: object) -> str:
    if isinstance(value, bool):
        return f"布尔值 {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"数字 {value}"
    if isinstance(value, str):
        return f"文字“{value[:20]}”"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    if value is None:
        return "空值"
    return type(value).__name__
