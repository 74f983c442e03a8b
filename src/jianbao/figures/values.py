"""Figures as templates see them, and the filters that print them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Any

from ..model import is_unfilled
from .limits import MAX_OUTPUT, MAX_RANGE, Limit

# --- figures as templates see them ---------------------------------------------------------------

class Figures(Mapping):
    """A read-only mapping of figures that knows its dotted name (for messages)."""

    __slots__ = ("_values", "path", "origin")

    def __init__(self, values: Mapping, path: str, origin: str | None = None):
        self._values = values
        self.path = path
        self.origin = origin  # for prev: which file the figures come from ("" when there is none)

    def __getitem__(self, key):
        value = self._values[key]
        if isinstance(value, Mapping):
            return Figures(value, f"{self.path}.{key}", self.origin)
        return value

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"<{self.path}>"


@dataclass(frozen=True)
class Span:
    """The reporting period as templates see it: ``period.start``, ``period.end``."""

    start: dt.date
    end: dt.date


class FigureError(Exception):
    """A filter or a figure used wrongly: the message is for the user (Chinese)."""

    def __init__(self, message: str, needle: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message, self.needle, self.hint = message, needle, hint


# --- numbers and the filters ----------------------------------------------------------------------

class Unfilled(FigureError):
    """A template used a figure that is still ``待填`` (reported once, at the figure, as JB205)."""


def undefined_guard(value: Any) -> None:
    from jinja2 import Undefined

    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    if is_unfilled(value):
        raise Unfilled("这个数还没有填（data 中写的是“待填”）")


def _number(value: Any, what: str) -> Fraction:
    undefined_guard(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, Fraction)):
        raise FigureError(f"{what}应为数字，现在是{kind_zh(value)}", needle=what.split("的")[0])
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    return Fraction(value)


def kind_zh(value: Any) -> str:
    if isinstance(value, str):
        return f"文字“{value[:12]}”"
    if isinstance(value, Figures):
        return f"一组数（{value.path}）"
    if value is None:
        return "空值"
    if isinstance(value, dt.date):
        return "日期"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"数 {value}"
    return type(value).__name__


def _digits(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise FigureError(f"{what}的小数位数应为 0—10 的整数，现在是 {value!r}", needle=what)
    return value


def round_half_up(value: Fraction, digits: int) -> Decimal:
    """*value* rounded half up (四舍五入) to *digits* decimals."""
    with localcontext() as ctx:
        ctx.prec = 80
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def pct(a: Any, b: Any, digits: int = 2) -> str:
    """``a / b`` as a percentage: ``1159 | pct(1645)`` → 70.46%."""
    fa, fb = _number(a, "pct 的分子"), _number(b, "pct 的分母")
    digits = _digits(digits, "pct")
    if fb == 0:
        raise FigureError("pct 的分母是 0，算不出百分比", needle="pct")
    return f"{round_half_up(fa * 100 / fb, digits)}%"


def change(a: Any, b: Any, digits: int = 1) -> str:
    """*a* against the reference *b*: 增长12.5% / 下降3.2% / 持平."""
    fa, fb = _number(a, "change 的本期数"), _number(b, "change 的比较基数")
    digits = _digits(digits, "change")
    if fb == 0:
        raise FigureError("change 的比较基数是 0，算不出增减幅度", needle="change",
                          hint="基数为 0 时直接写出增加了多少，例如“增加{{ a - b }}件”。")
    r = round_half_up((fa - fb) * 100 / abs(fb), digits)
    if r == 0:
        return "持平"
    return f"增长{r}%" if r > 0 else f"下降{-r}%"


def num(value: Any, digits: int | None = None, grouping: bool = False) -> str:
    """A number as printed: ``num(2)`` fixes decimals, ``num(grouping=True)`` → 101,848."""
    f = _number(value, "num 的参数")
    if digits is not None:
        d = round_half_up(f, _digits(digits, "num"))
    elif f.denominator == 1:
        d = Decimal(f.numerator)
    else:
        d = Decimal(repr(value)) if isinstance(value, float) else round_half_up(f, 6).normalize()
    return f"{d:,f}" if grouping else f"{d:f}"


def cn(value: Any) -> str:
    """12 → 十二 (heading numerals, jianbao.numbering)."""
    from ..numbering import cn_numeral

    undefined_guard(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 100_000_000:
        raise FigureError(f"cn 只能写 0 到 99999999 的整数，现在是{kind_zh(value) if not isinstance(value, int) else value}",
                          needle="cn")
    return cn_numeral(value)


def _date(value: Any, what: str) -> dt.date:
    undefined_guard(value)
    if not isinstance(value, dt.date):
        raise FigureError(f"{what}应为日期，现在是{kind_zh(value)}", needle=what.split(" ")[0])
    return value


def cndate(value: Any) -> str:
    """2024年5月13日."""
    from ..dates import cn_date

    return cn_date(_date(value, "cndate 的参数"))


def md(value: Any) -> str:
    """5月13日."""
    from ..dates import cn_date

    return cn_date(_date(value, "md 的参数"), year=False)


def range_cn(start: Any, end: Any) -> str:
    """4月29日—5月3日 (the year on both sides across years)."""
    from ..dates import cn_range

    a, b = _date(start, "range_cn 的起始日期"), _date(end, "range_cn 的结束日期")
    if b < a:
        raise FigureError(f"range_cn 的结束日期 {b.isoformat()} 早于起始日期 {a.isoformat()}", needle="range_cn")
    return cn_range(a, b)


def range_filter(value: Any) -> str:
    """``{{ period | range }}`` → 4月29日—4月30日."""
    undefined_guard(value)
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return range_cn(*value)
    start, end = getattr(value, "start", None), getattr(value, "end", None)
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        return range_cn(start, end)
    raise FigureError(f"range 过滤器要用在 period 上（或两个日期的列表），现在是{kind_zh(value)}", needle="range")


def safe_range(*args: Any) -> range:
    for a in args:
        if isinstance(a, bool) or not isinstance(a, int):
            raise FigureError(f"range 的参数应为整数，现在是{kind_zh(a)}", needle="range")
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise Limit(f"range 最多 {MAX_RANGE} 项，这里是 {len(r)} 项", needle="range")
    return r


#: The two ways to write each figure function: called, and as a filter on its first argument.
FORMS: dict[str, tuple[str, str]] = {
    "pct": ("pct(部分, 总数)", "部分 | pct(总数)"),
    "change": ("change(本期, 上期)", "本期 | change(上期)"),
    "num": ("num(数)", "数 | num"),
    "cn": ("cn(数)", "数 | cn"),
    "cndate": ("cndate(date)", "date | cndate"),
    "md": ("md(date)", "date | md"),
    "range_cn": ("range_cn(起, 止)", "起 | range_cn(止)"),
}


def _both_forms(name: str, fn: Callable) -> Callable:
    """*fn* with its arguments checked: a wrong count says how to write it, in both forms."""
    import inspect

    signature = inspect.signature(fn)

    def call(*args: Any, **kwargs: Any) -> str:
        try:
            signature.bind(*args, **kwargs)
        except TypeError:
            raise FigureError(f"{name} 的参数不对", needle=name,
                              hint=f"写作 {{{{ {FORMS[name][0]} }}}} 或 {{{{ {FORMS[name][1]} }}}}。") from None
        return fn(*args, **kwargs)

    call.__name__ = name
    return call


_FUNCTIONS: dict[str, Callable[..., str]] = {"pct": pct, "change": change, "num": num, "cn": cn, "cndate": cndate,
                                              "md": md, "range_cn": range_cn}
#: Filters (``a | pct(b)``); the same functions are globals too (``pct(a, b)``, :data:`FUNCTIONS`).
FILTERS: dict[str, Callable] = {name: _both_forms(name, fn) for name, fn in _FUNCTIONS.items()}
FUNCTIONS: dict[str, Callable] = dict(FILTERS)
FILTERS["range"] = range_filter
#: Jinja2's own filters that stay available: none of them can build a long string or read state.
SAFE_BUILTIN_FILTERS = (
    "abs", "capitalize", "count", "d", "default", "dictsort", "first", "float", "int", "items", "last",
    "length", "list", "lower", "map", "max", "min", "reject", "rejectattr", "reverse", "round", "select",
    "selectattr", "sort", "string", "sum", "title", "trim", "unique", "upper", "wordcount",
)
#: String methods that pad, repeat or rebuild text (``'x'.ljust(10**9)``): refused in templates.
UNSAFE_STR_METHODS = frozenset(
    "center ljust rjust zfill expandtabs format format_map join replace translate encode".split())


def join(value, d: str = "") -> str:
    items = [str(v) for v in value]
    if len(d) * len(items) + sum(map(len, items)) > MAX_OUTPUT:
        raise Limit(f"join 的结果超过 {MAX_OUTPUT} 个字符", needle="join")
    return d.join(items)
