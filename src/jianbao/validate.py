"""Stage 2 — validate: turn loaded YAML into models, and pydantic's errors into diagnostics.

pydantic reports each problem with a ``loc`` (the path to the value) and a ``type``.  Here
each is mapped to a stable JB code, a Chinese message, and the place in the file that
:mod:`jianbao.load` recorded for that path.
"""

from __future__ import annotations

import difflib
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic, Edit, JianbaoError
from .load import KEY, Source, colon_fix, key_colon_in_text, key_colon_words
from .metrics import is_wide

M = TypeVar("M", bound=BaseModel)

#: Chinese names of fields, used in messages ("缺少必填字段 number（期号）").
FIELD_NAMES_ZH = {
    "name": "简报名称", "editor": "编印单位", "mark": "左上角标识", "copies": "共印份数",
    "distribution": "报尾发送范围", "separator": "分隔符", "layout": "版式预设",
    "number": "期号", "total": "总期号", "supplement": "增刊", "date": "印发日期",
    "period": "报告期", "start": "开始日期", "end": "结束日期", "title": "标题",
    "subtitle": "副题", "note": "编者按", "body": "正文", "sections": "正文各部分",
    "lead": "段首标题", "items": "条目", "images": "并排的照片",
}

TABLE_FIELD_NAMES_ZH = {
    "caption": "表题", "header": "表头", "rows": "表格各行", "widths": "列宽", "align": "对齐", "total": "合计行",
}

PHOTO_FIELD_NAMES_ZH = {"image": "照片", "images": "并排的照片", "caption": "图注", "width": "宽度"}

_TYPE_ZH = {
    "string_type": "应为文字", "int_type": "应为整数", "int_parsing": "应为整数",
    "int_from_float": "应为整数", "bool_type": "应为 true 或 false", "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每项以“- ”开头）", "dict_type": "应为“字段: 值”的映射",
    "model_type": "应为“字段: 值”的映射", "model_attributes_type": "应为“字段: 值”的映射",
    "date_type": "应为日期", "float_type": "应为数字", "float_parsing": "应为数字",
    "finite_number": "应为有限的数字", "int_parsing_size": "数字太大", "string_pattern_mismatch": "的写法不对",
    "literal_error": "不是可选的值", "too_long": "项数太多", "string_sub_type": "应为文字",
}


def _nested_model(root: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model that holds *loc*'s last key, following field annotations from *root* (plain
    nested models, lists and dicts of them, optional ones) — for the layout preset's groups."""
    import types
    import typing

    current: object = root
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        ann = field.annotation
        while typing.get_origin(ann) in (list, dict, typing.Union, types.UnionType):
            args = [a for a in typing.get_args(ann) if a is not type(None)]
            ann = args[-1] if args else None
        current = ann
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _model_fields_at(root: type[BaseModel], loc: tuple) -> list[str]:
    """Field names of the model that holds *loc*'s last key (for "did you mean")."""
    from . import model as m

    if root.__module__ != m.__name__:  # the layout preset: its groups are plain nested models
        nested = _nested_model(root, loc)
        return list(nested.model_fields) if nested else []

    by_parent = {"period": m.Period, "sections": m.Section, "items": m.Item, "table": m.Table}
    if len(loc) >= 3 and loc[-3] in ("body", "note") and isinstance(loc[-2], int):
        return ["table", "image", "images"]  # a block of a body: a paragraph, {table: …}, {image: …} or {images: …}
    for part in reversed(loc[:-1]):
        if isinstance(part, str) and part in by_parent:
            return list(by_parent[part].model_fields)  # type: ignore[attr-defined]
        if isinstance(part, str) and part in ("distribution", "data", "carry"):
            return []
    return list(root.model_fields)


def _photo_fields(src: Source, loc: tuple) -> list[str]:
    """The fields of the photo block that holds *loc*'s last key ({image: …} or {images: …}), if it is one."""
    from . import model as m

    node = src.data
    for key in loc[:-1]:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return []
    if isinstance(node, dict) and "images" in node:
        return list(m.ImagesBlock.model_fields)
    if isinstance(node, dict) and "image" in node:
        return list(m.ImageBlock.model_fields)
    return []


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


def _is_prose(key: object) -> bool:
    """Whether a mapping key is a piece of Chinese text (YAML made it a key at a half-width colon)."""
    return isinstance(key, str) and any(is_wide(c) for c in key)


def _prose_colon(src: Source, loc: tuple) -> Diagnostic:
    key = loc[-1]
    d = src.diagnostic("JB020", f"文字中的半角冒号“:”让 YAML 把“{_clip(key)}”当成了字段名、把后面的文字当成了它的值",
                       loc, key=True, hint="文字中的半角冒号，改为全角“：”或给整段加引号。")
    p = src.positions.get(loc + (KEY,))
    if p is not None and p.end_line == p.line:
        line = src.lines[p.line - 1] if p.line <= len(src.lines) else ""
        colon = line.find(":", p.end_column - 1)
        if colon != -1:
            d.column, d.width = colon + 1, 1
            fix = colon_fix(line, p.line, colon)
            if fix is not None:
                d.fixes.append(fix)
    return d


def key_colon_diagnostic(src: Source, loc: tuple, value: object) -> Diagnostic | None:
    """JB026 when the plain (unquoted) text at *loc* is a field written with a full-width colon or
    no space after its colon (``- lead：推进工作。``), else None: YAML read it as text."""
    if not isinstance(value, str):
        return None
    found = key_colon_in_text(value)
    p = src.positions.get(loc)
    if found is None or p is None or not 0 < p.line <= len(src.lines):
        return None
    row = src.lines[p.line - 1]
    key, offset, colon = found
    c = p.column - 1 + offset
    if row[p.column - 1: p.column - 1 + len(key)] != key or row[c: c + 1] != colon:  # quoted, or a block text
        return None
    message, hint = key_colon_words(key, colon, value[offset + 1:].strip())
    d = Diagnostic("JB026", message, file=src.path, line=p.line, column=c + 1, hint=hint, width=1, source_line=row)
    d.fixes.append(Edit(p.line, c + 1, colon, ": "))
    return d


def _clip(text: str, n: int = 12) -> str:
    return text if len(text) <= n else text[:n] + "……"


def _not_text(src: Source, loc: tuple, value: object) -> Diagnostic | None:
    """``- no`` or ``title: 2024`` where text is meant: YAML read a boolean or a number."""
    if not isinstance(value, (bool, int, float)) or "data" in loc or "carry" in loc:
        return None
    p = src.positions.get(loc)
    if p is None or p.end_line != p.line:
        return None
    raw = src.lines[p.line - 1][p.column - 1: p.end_column - 1] if p.line <= len(src.lines) else ""
    if not raw or raw[0] in "\"'":
        return None
    if isinstance(value, bool):
        what = f"布尔值（{'是' if value else '否'}）"
    else:
        what = "数字"
    return src.diagnostic("JB025", f"YAML 把“{raw}”读成了{what}，不是文字", loc,
                          hint=f"要印出“{raw}”这几个字，请加引号：\"{raw}\"。")


#: How often :func:`validate_partly` mends the data and tries again before it gives up.
MEND_ROUNDS = 8


def validate_partly(src: Source, model: type[M]) -> tuple[M | None, list[Diagnostic], list[tuple[int, int]]]:
    """Validate *src*; when that fails, also a model of what is valid, so that later stages can run.

    Returns (model or None, the validation diagnostics, the line spans that were left out).  Each
    invalid value is dropped (an optional field) or stood in for by a neutral one (a list element:
    a paragraph “…”, a section with a title only; ``number`` and ``date``) — the indexes of lists
    never shift, so what later stages say still points at the right place.  What they say inside
    the spans left out is not about the file, and is for the caller to drop.
    """
    try:
        return validate(src, model), [], []
    except JianbaoError as exc:
        first = exc.diagnostics
    if not isinstance(src.data, dict):
        return None, first, []
    import copy

    data = copy.deepcopy(src.data)
    spans: list[tuple[int, int]] = []
    stood_in: set[tuple] = set()
    for _ in range(MEND_ROUNDS):
        try:
            return model.model_validate(data), first, spans
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        for err in errors:
            if not _mend(data, _clean_loc(tuple(err["loc"])), err["type"], src, spans, stood_in):
                return None, first, spans
    return None, first, spans


def _mend(data: dict, loc: tuple, etype: str, src: Source, spans: list, stood_in: set) -> bool:
    """Make the value at *loc* valid by dropping or standing in for it; False if that cannot be done."""
    import datetime as dt

    def span(path: tuple) -> None:
        p = src.pos(path)
        if p is not None:
            spans.append((p.line, p.end_line if p.end_column > 1 or p.end_line == p.line else p.end_line - 1))

    if not loc:  # the issue as a whole (印发日期早于报告期): the period goes
        if "period" in data:
            span(("period",))
            del data["period"]
            return True
        return False
    # the deepest element of a list on the way, unless it was stood in for already
    for i in range(len(loc) - 1, 0, -1):
        if isinstance(loc[i], int) and loc[:i + 1] not in stood_in:
            parent = _get(data, loc[:i])
            if isinstance(parent, list) and loc[i] < len(parent):
                stood_in.add(loc[:i + 1])
                span(loc[:i + 1])
                parent[loc[i]] = {"title": "…"} if loc[i - 1] == "sections" else "…"
                return True
    container = _get(data, loc[:-1])
    key = loc[-1]
    if loc[0] in ("data", "carry") and len(loc) > 1 and isinstance(container, dict) and key in container \
            and not isinstance(container[key], dict) and loc not in stood_in:
        # a figure written wrong (“1,620”) stands in as unfilled: the templates that use it say nothing
        # more (no “办件 下没有 受理”), and what is said of it is said at its line, which is left out
        stood_in.add(loc)
        span(loc)
        container[key] = "待填"
        return True
    if etype == "missing" and len(loc) > 1:  # the mapping that lacks it goes (``period`` without ``end``)
        return _mend(data, loc[:-1], "invalid", src, spans, stood_in)
    if isinstance(container, dict) and key in container and not (len(loc) == 1 and key in ("number", "date")):
        span(loc)
        del container[key]
        return True
    if len(loc) == 1 and key in ("number", "date"):
        if (key, "stand-in") in stood_in:
            return False
        stood_in.add((key, "stand-in"))
        if key in data:
            span(loc)
        data[key] = 1 if key == "number" else dt.date(2000, 1, 1)
        data.pop("period", None) if key == "date" else None
        return True
    return False


def _get(data, path: tuple):
    for p in path:
        try:
            data = data[p]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _diagnostics(src: Source, model: type[BaseModel], exc: ValidationError) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: set[tuple] = set()
    errors = exc.errors(include_url=False)
    # A block or item that YAML made a mapping at a half-width colon is one mistake, said once:
    # not also "缺少 table" or "条目至少要有 title…" for the mapping it became.
    prose = {_clean_loc(tuple(e["loc"]))[:-1] for e in errors
             if e["type"] == "extra_forbidden" and _is_prose(_clean_loc(tuple(e["loc"]))[-1:][0])}
    for err in errors:
        loc = _clean_loc(tuple(err["loc"]))
        etype = err["type"]
        ctx = err.get("ctx") or {}
        d: Diagnostic | None
        if etype == "extra_forbidden" and loc and _is_prose(loc[-1]):
            d = _prose_colon(src, loc)
        elif etype != "extra_forbidden" and (loc in prose or loc[:-1] in prose):
            continue
        else:
            d = None
            if etype in ("string_type", "jb_union", "union_tag_invalid") or (
                    etype == "list_type" and loc and loc[-1] in ("body", "note", "items", "title")):
                d = _not_text(src, loc, err.get("input"))  # body/note take one text too: 12345 is text
            if d is None and etype in ("model_type", "model_attributes_type", "dict_type", "jb_union",
                                       "union_tag_invalid", "union_tag_not_found"):
                d = key_colon_diagnostic(src, loc, err.get("input"))
            if d is None:
                d = _one(src, model, loc, etype, dict(err), ctx)
        key = (d.code, d.line, d.column)
        if key in seen:
            continue
        seen.add(key)
        out.append(d)
    out.sort(key=lambda d: (d.line or 0, d.column or 0))
    return out


#: How the numbered parts of an issue are named: ``sections[1]`` is “第2部分”.
_COUNTED_ZH = {"sections": "第{}部分", "items": "第{}条", "body": "正文第{}段", "note": "编者按第{}段",
               "title": "标题第{}行", "rows": "第{}行", "header": "表头第{}格"}


def where_zh(loc: tuple) -> str:
    """Where *loc* is, in words: ``("sections", 1, "body", 0)`` is “第2部分的正文第1段”.

    Messages never show the model's paths (``sections[1].body[0]``): staff do not know them.
    """
    out: list[str] = []
    i = 0
    while i < len(loc):
        p = loc[i]
        nxt = loc[i + 1] if i + 1 < len(loc) else None
        if isinstance(p, str) and isinstance(nxt, int) and p in _COUNTED_ZH:
            out.append(_COUNTED_ZH[p].format(nxt + 1))
            i += 2
            continue
        if isinstance(p, int):  # a cell of a row, an element of some other list
            out.append(f"第{p + 1}格" if out and out[-1].endswith("行") else f"第{p + 1}项")
        elif p in ("data", "carry"):
            rest = [str(x) for x in loc[i + 1:]]
            out.append(("数据" if p == "data" else "此前累计") + (f"“{'.'.join(rest)}”" if rest else ""))
            break
        elif p == "table":
            out.append("表格")
        elif p == "distribution":
            out.append("报尾" + (f"“{loc[i + 1]}”一行" if nxt is not None else ""))
            break
        else:
            zh = (TABLE_FIELD_NAMES_ZH if "table" in loc[:i] else FIELD_NAMES_ZH).get(p, "") if isinstance(p, str) else ""
            out.append(f"{zh}（{p}）" if zh else str(p))
        i += 1
    if not out:
        return "文件顶层"
    text = out[0]
    for part in out[1:]:
        text += part if part.startswith("第") else "的" + part
    return text


_field = where_zh


def _one(src: Source, model: type[BaseModel], loc: tuple, etype: str, err: dict, ctx: dict) -> Diagnostic:
    name = loc[-1] if loc else ""
    zh = FIELD_NAMES_ZH.get(name, "") if isinstance(name, str) else ""
    if "table" in loc[:-1]:  # a table's keys mean other things than the issue's
        zh = TABLE_FIELD_NAMES_ZH.get(name, "") if isinstance(name, str) else ""
    elif name in PHOTO_FIELD_NAMES_ZH and _photo_fields(src, loc):
        zh = PHOTO_FIELD_NAMES_ZH[name]
    label = f"{name}（{zh}）" if zh else str(name)
    if etype == "missing" and name == "table" and len(loc) >= 3 and loc[-3] == "body":
        return src.diagnostic("JB102", f"{where_zh(loc[:-1])}既不是一段文字，也不是表格或照片", loc[:-1],
                              hint="一段文字直接写在“- ”后面；表格写作“- table:”，下面写 caption、header 和 rows；"
                                   "照片写作“- image:”，并排的两三张照片写作“- images:”。")
    if etype == "missing":
        return src.diagnostic("JB101", f"缺少必填字段 {label}", loc[:-1], key=True,
                              hint=f"在 {_field(loc[:-1])} 下补上“{name}: …”。")
    if etype == "extra_forbidden":
        photo = _photo_fields(src, loc)
        allowed = photo or _model_fields_at(model, loc)
        close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
        hint = f"是不是要写 {close[0]}？" if close else (f"这里可用的字段：{', '.join(allowed)}。" if allowed else None)
        if name in photo:  # a photo's own field: a photo where none may stand (an item of items:)
            hint = ("照片只能写在正文 body 的列表里：要在条目中放照片，这一条写作 title:（或 lead:）加 body:，"
                    "照片“- image: …”写在 body 下。")
        return src.diagnostic("JB103", f"未知字段“{name}”", loc, key=True, hint=hint, width=len(str(name)))
    if etype == "jb_impossible_date":
        return src.diagnostic("JB104", err["msg"], loc)
    if etype == "jb_bad_date":
        raw = _typed(src, loc)
        msg = err["msg"]
        if raw and isinstance(err.get("input"), float):  # “5.20” as typed, not YAML's 5.2
            msg = msg.replace(str(err["input"]), raw)
        meant = _meant_date(raw, src.data.get("date") if isinstance(src.data, dict) else None)
        hint = f"写作 {name}: {meant}（年-月-日，不加引号）。" if meant else \
            f"日期写作 2024-05-13（年-月-日），不加引号，例如 {name}: 2024-05-13。"
        return src.diagnostic("JB105", f"{label}：{msg}", loc, hint=hint)
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
    if etype == "too_short" and (ctx.get("min_length") or 0) > 1:  # photos side by side: two or three
        return src.diagnostic("JB111", f"{label} 至少要有 {ctx['min_length']} 项（现在是 {ctx.get('actual_length')} 项）", loc,
                              hint="只有一张照片时写作“- image: 照片”。" if name == "images" else None)
    if etype == "too_short":
        return src.diagnostic("JB112", f"{label} 是空列表", loc, hint="至少写一项，或删除这个字段。")
    if etype == "too_long" and ctx.get("max_length") is not None:
        return src.diagnostic("JB111", f"{label} 最多 {ctx['max_length']} 项（现在是 {ctx.get('actual_length')} 项）", loc,
                              hint="更多的照片分成几排（几个 images:），或分开写。" if name == "images" else None)
    if etype == "string_too_long":
        return src.diagnostic("JB111", f"{label} 太长（最多 {ctx.get('max_length')} 个字符）", loc)
    if etype in ("jb_union", "union_tag_invalid", "union_tag_not_found"):
        return src.diagnostic("JB102", f"{_field(loc)}：{err['msg']}，现在是{_kind_zh(err.get('input'))}", loc,
                              hint=_figure_hint(err.get("input")) if loc and loc[0] in ("data", "carry") else None)
    what = _TYPE_ZH.get(etype) or (err["msg"] if _is_chinese(err["msg"]) else "的值不对")  # never pydantic's English
    got = err.get("input")
    shown = _kind_zh(got)
    hint = None
    if name == "width" and isinstance(got, str) and _photo_fields(src, loc):
        import re

        m = re.fullmatch(r"\s*(\d{1,3}(?:\.\d+)?)\s*[%％]\s*", got)
        if m and 0 < float(m.group(1)) <= 100:  # “60%”: a share of the 版心's width
            hint = f"写作 {float(m.group(1)) / 100:g}：照片宽度写成占版心宽度的比例（0—1 之间的小数）。"
    return src.diagnostic("JB102", f"{where_zh(loc) if len(loc) > 1 or isinstance(name, int) else label} {what}，现在是{shown}",
                          loc, hint=hint)


def _typed(src: Source, loc: tuple) -> str:
    """The value at *loc* as typed in the file (one line), or ""."""
    p = src.positions.get(loc)
    if p is None or p.end_line != p.line or not 0 < p.line <= len(src.lines):
        return ""
    return src.lines[p.line - 1][p.column - 1: p.end_column - 1].strip().strip("\"'")


def _meant_date(raw: str, issued: object) -> str | None:
    """The date *raw* (“5月6日”, “5.6”, “20240513”, “2024/5/6”) was meant to be, as 2024-05-06; a
    date without its year takes the year of *issued* (the issue's date); None when it is not sure."""
    import datetime as dt
    import re

    raw = raw.translate(_FULLWIDTH_DIGITS)
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", raw) or \
        re.fullmatch(r"(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*[日号]?", raw)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*[日号]?", raw)
        if m is None or not isinstance(issued, dt.date):
            return None
        y, mo, d = issued.year, int(m.group(1)), int(m.group(2))
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")


def _figure_hint(value: object) -> str | None:
    """How to write the figure that *value* (a text) was meant to be: ``1,620`` → 1620."""
    if not isinstance(value, str):
        return None
    import re

    text = value.strip().translate(_FULLWIDTH_DIGITS)
    m = re.fullmatch(r"([-+]?\d{1,3}(?:[,，]\d{3})+|[-+]?\d+)(\.\d+)?\s*(%|％|[^\d\s.,，]{1,3})?", text)
    if m is None:
        return "data 里只写数字（半角，不加千位分隔符、单位和“%”），单位和文字写在正文里。"
    figure = re.sub("[,，]", "", m.group(1)) + (m.group(2) or "")
    return f"写作 {figure}：data 里只写数字（半角，不加千位分隔符、单位和“%”），单位和文字写在正文里。"


def _is_chinese(text: str) -> bool:
    return any(is_wide(c) for c in text)


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
