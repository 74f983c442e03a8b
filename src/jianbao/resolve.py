"""Stage 2½ — resolve: figures and templated text.

Runs after validation and before the checks (:mod:`jianbao.pipeline`).  Every text field of
an issue — title, subtitle, 编者按, body paragraphs, headings, items, table captions and cells — may
be a Jinja2 template over the issue's figures::

    data: {综窗: {咨询: 1142}, 手册: {完成: 1159, 总数: 1645}}
    body: 本周，共计咨询{{ 综窗.咨询 }}人次，今年以来累计{{ ytd.综窗.咨询 }}人次，占比{{ 手册.完成 | pct(手册.总数) }}。

The names a template sees are the top-level keys of ``data``; the issue's ``number``, ``total``,
``date``, ``period`` and ``supplement``; ``prev`` (the previous issue's data) and ``ytd`` (each
figure summed over the year so far, starting from the latest ``carry``).  Tables are finished
here too: cells become final strings and ``total: true`` appends a computed 合计 row.  What comes
out is a :class:`~jianbao.model.Bulletin` whose strings are final: the renderer never sees a
template.

Templates run in Jinja2's immutable sandbox with no loader (no file can be read), a small set of
filters, and limits on ranges, arithmetic, output length and run time (a SIGALRM timer in the main
thread, a watchdog thread elsewhere).  Every failure becomes a :class:`Diagnostic` (JB7xx) that
points at the string in the YAML; jinja2 is imported only when some string holds ``{{`` or ``{%``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import keyword
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

from . import document
from .diagnostics import Diagnostic, JianbaoError
from .load import Source
from .office import issue_files_in
from .model import Bulletin, IssueFile, Table

#: Seconds one templated string may run (a paragraph takes well under a millisecond).
TIME_LIMIT = 1.0
#: Characters one templated string may produce.
MAX_OUTPUT = 20_000
#: Longest ``range()`` a template may build.
MAX_RANGE = 10_000
#: Largest integer (in bits) that ``*`` and ``**`` may produce.
MAX_BITS = 4_096

#: Names the issue provides to every template (data keys may not take them).
ISSUE_NAMES = ("number", "total", "date", "period", "supplement", "prev", "ytd")
_GLOBALS = ("range", "range_cn", "dict")
_JINJA_WORDS = {"true", "false", "none", "loop", "self", "caller", "varargs", "kwargs"}

#: Words that label a total row of a table.
TOTAL_LABELS = ("合计", "总计")
TOTAL_LABEL = "合计"

def has_template(text: str) -> bool:
    return "{{" in text or "{%" in text


# --- the stage ------------------------------------------------------------------------------------

def resolve(bulletin: Bulletin, src: Source, *, inputs: list[Path] | None = None) -> Bulletin:
    """*bulletin* with its templates rendered and its tables finished; raise JianbaoError listing
    every problem.  Paths of the other issue files read (for ``prev``/``ytd``) go into *inputs*."""
    issue = bulletin.issue
    errors: list[Diagnostic] = []
    errors += _check_names(issue, src)
    texts = [(p, t) for p, t in document.texts(issue) if has_template(t)]
    rendered: dict[tuple, str] = {}
    if texts and not errors:
        run = _Run(issue, src, inputs)
        for path, text in texts:
            out = run.render(path, text)
            if isinstance(out, Diagnostic):
                errors.append(out)
            else:
                rendered[path] = out
    if errors:
        raise JianbaoError(_sorted(errors))

    def text(path: tuple, value: str) -> str:
        return rendered.get(path, value)

    def table(path: tuple, t: Table) -> Table:
        done, problems = finish_table(t, path, src)
        errors.extend(problems)
        return done

    new_issue = document.map_texts(issue, text, table)
    if errors:
        raise JianbaoError(_sorted(errors))
    return Bulletin(series=bulletin.series, issue=new_issue)


def _sorted(diags: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diags, key=lambda d: (str(d.file) != str(diags[0].file), d.line or 0, d.column or 0))


def _check_names(issue: IssueFile, src: Source) -> list[Diagnostic]:
    """JB707: the top-level keys of ``data`` and ``carry`` become template names."""
    out = []
    for field in ("data", "carry"):
        for key in (getattr(issue, field) or {}):
            problem = name_problem(key)
            if problem:
                out.append(src.diagnostic("JB707", f"{field} 的名称“{key}”{problem}", (field, key), key=True,
                                          width=len(key)))
    return out


def name_problem(key: str) -> str | None:
    """Why *key* cannot be a template name, or None."""
    if not key.isidentifier():
        return "不能在模板中引用：名称只能由汉字、字母、数字和下划线组成，且不能以数字开头"
    if key in ISSUE_NAMES or key in _GLOBALS:
        return f"与模板中已有的名称 {key} 重名"
    if keyword.iskeyword(key) or key in _JINJA_WORDS:
        return "是模板语言的保留字"
    return None


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


class _Limit(Exception):
    """A template went past a limit (time, output, range, size)."""

    def __init__(self, message: str, needle: str | None = None):
        super().__init__(message)
        self.message, self.needle = message, needle


class _Timeout(Exception):
    pass


# --- numbers and the filters ----------------------------------------------------------------------

def _undefined_guard(value: Any) -> None:
    from jinja2 import Undefined

    if isinstance(value, Undefined):
        value._fail_with_undefined_error()


def _number(value: Any, what: str) -> Fraction:
    _undefined_guard(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, Fraction)):
        raise FigureError(f"{what}应为数字，现在是{_kind(value)}", needle=what.split("的")[0])
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    return Fraction(value)


def _kind(value: Any) -> str:
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
    from .numbering import cn_numeral

    _undefined_guard(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 100_000_000:
        raise FigureError(f"cn 只能写 0 到 99999999 的整数，现在是{_kind(value) if not isinstance(value, int) else value}",
                          needle="cn")
    return cn_numeral(value)


def _date(value: Any, what: str) -> dt.date:
    _undefined_guard(value)
    if not isinstance(value, dt.date):
        raise FigureError(f"{what}应为日期，现在是{_kind(value)}", needle=what.split(" ")[0])
    return value


def cndate(value: Any) -> str:
    """2024年5月13日."""
    from .dates import cn_date

    return cn_date(_date(value, "cndate 的参数"))


def md(value: Any) -> str:
    """5月13日."""
    from .dates import cn_date

    return cn_date(_date(value, "md 的参数"), year=False)


def range_cn(start: Any, end: Any) -> str:
    """4月29日—5月3日 (the year on both sides across years)."""
    from .dates import cn_range

    a, b = _date(start, "range_cn 的起始日期"), _date(end, "range_cn 的结束日期")
    if b < a:
        raise FigureError(f"range_cn 的结束日期 {b.isoformat()} 早于起始日期 {a.isoformat()}", needle="range_cn")
    return cn_range(a, b)


def range_filter(value: Any) -> str:
    """``{{ period | range }}`` → 4月29日—4月30日."""
    _undefined_guard(value)
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return range_cn(*value)
    start, end = getattr(value, "start", None), getattr(value, "end", None)
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        return range_cn(start, end)
    raise FigureError(f"range 过滤器要用在 period 上（或两个日期的列表），现在是{_kind(value)}", needle="range")


def _safe_range(*args: Any) -> range:
    for a in args:
        if isinstance(a, bool) or not isinstance(a, int):
            raise FigureError(f"range 的参数应为整数，现在是{_kind(a)}", needle="range")
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise _Limit(f"range 最多 {MAX_RANGE} 项，这里是 {len(r)} 项", needle="range")
    return r


FILTERS: dict[str, Callable] = {
    "pct": pct, "change": change, "num": num, "cn": cn, "cndate": cndate, "md": md,
    "range": range_filter, "range_cn": range_cn,
}
#: Jinja2's own filters that stay available: none of them can build a long string or read state.
SAFE_BUILTIN_FILTERS = (
    "abs", "capitalize", "count", "d", "default", "dictsort", "first", "float", "int", "items", "last",
    "length", "list", "lower", "map", "max", "min", "reject", "rejectattr", "reverse", "round", "select",
    "selectattr", "sort", "string", "sum", "title", "trim", "unique", "upper", "wordcount",
)
#: String methods that pad, repeat or rebuild text (``'x'.ljust(10**9)``): refused in templates.
_UNSAFE_STR_METHODS = frozenset(
    "center ljust rjust zfill expandtabs format format_map join replace translate encode".split())


def _join(value, d: str = "") -> str:
    items = [str(v) for v in value]
    if len(d) * len(items) + sum(map(len, items)) > MAX_OUTPUT:
        raise _Limit(f"join 的结果超过 {MAX_OUTPUT} 个字符", needle="join")
    return d.join(items)


# --- the environment --------------------------------------------------------------------------------

_ENV = None


def environment():
    """The sandboxed Jinja2 environment templates run in (built once per process)."""
    global _ENV
    if _ENV is not None:
        return _ENV
    from jinja2 import StrictUndefined
    from jinja2.runtime import missing
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Why(str):
        """The message of an undefined value, remembering what was looked up where."""

        obj: Any
        name: Any

    class Undefined(StrictUndefined):
        __slots__ = ()

        @property
        def _undefined_message(self) -> str:
            why = Why(StrictUndefined._undefined_message.fget(self))
            why.obj, why.name = self._undefined_obj, self._undefined_name
            why.hint = self._undefined_hint
            return why

    class Env(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%"})

        def getattr(self, obj, attribute):
            if isinstance(obj, Figures):  # a key wins over a Mapping method of the same name
                if attribute in obj:
                    return obj[attribute]
                if attribute not in ("items", "keys", "values", "get"):
                    return self.undefined(obj=obj, name=attribute)
            return super().getattr(obj, attribute)

        def getitem(self, obj, argument):
            if isinstance(obj, Figures):
                if isinstance(argument, str) and argument in obj:
                    return obj[argument]
                return self.undefined(obj=obj, name=argument)
            return super().getitem(obj, argument)

        def is_safe_attribute(self, obj, attr, value):
            if isinstance(obj, str) and attr in _UNSAFE_STR_METHODS:
                return False
            return super().is_safe_attribute(obj, attr, value)

        def call_binop(self, context, operator, left, right):
            _check_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

    env = Env(undefined=Undefined, autoescape=False, keep_trailing_newline=True, finalize=_finalize)
    env.filters = {k: env.filters[k] for k in SAFE_BUILTIN_FILTERS}
    env.filters.update(FILTERS)
    env.filters["join"] = _join
    env.globals = {"range": _safe_range, "range_cn": range_cn, "dict": dict}
    env.missing = missing
    env.Why = Why
    _ENV = env
    return env


def _finalize(value: Any) -> Any:
    if value is None:
        raise FigureError("要印出的值是空的（None）")
    if isinstance(value, Figures):
        example = f"{value.path}.{next(iter(value), '…')}"
        raise FigureError(f"{value.path} 是一组数，不是一个数", needle=value.path.split(".")[-1],
                          hint=f"写到具体的名称，如 {{{{ {example} }}}}。")
    return value


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse arithmetic whose result alone would be huge (``10**10**10``, ``'x' * 10**9``)."""
    ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right))
    if operator == "**" and ints and right > 0 and abs(left) > 1:
        if right * abs(left).bit_length() > MAX_BITS:
            raise _Limit("乘方的结果太大", needle="**")
    elif operator == "*":
        if ints and left.bit_length() + right.bit_length() > MAX_BITS:
            raise _Limit("乘积太大", needle="*")
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_OUTPUT:
                raise _Limit(f"重复后的结果超过 {MAX_OUTPUT} 个字符", needle="*")
    elif operator == "%" and isinstance(left, str):
        for m in re.finditer(r"%[-+ #0]*(\d*)(?:\.(\d+))?", left):
            if any(g and int(g) > 100 for g in m.groups()):
                raise _Limit(f"格式“{m.group()}”的宽度或位数太大", needle="%")


# --- running one template ------------------------------------------------------------------------------

class _Run:
    """Renders the templated strings of one issue, building the names they see on demand."""

    def __init__(self, issue: IssueFile, src: Source, inputs: list[Path] | None):
        self.issue, self.src, self.inputs = issue, src, inputs
        self.env = environment()
        self.ctx: dict[str, Any] | None = None
        self.archive: _Archive | None = None

    def context(self, names: set[str]) -> dict[str, Any] | Diagnostic:
        if self.ctx is None:
            i = self.issue
            ctx: dict[str, Any] = {k: Figures(v, k) if isinstance(v, dict) else v for k, v in i.data.items()}
            ctx.update(number=i.number, date=i.date, supplement=i.supplement)
            ctx["total"] = i.total if i.total is not None else self.env.undefined(
                name="total", hint="本期没有写 total（总期号）")
            ctx["period"] = Span(i.period.start, i.period.end) if i.period else self.env.undefined(
                name="period", hint="本期没有写 period（报告期）")
            self.ctx = ctx
        for name in ("prev", "ytd"):
            if name in names and name not in self.ctx:
                if self.archive is None:
                    self.archive = _Archive(self.issue, self.src, self.inputs)
                got = self.archive.prev() if name == "prev" else self.archive.ytd()
                if isinstance(got, Diagnostic):
                    return got
                self.ctx[name] = got
        return self.ctx

    def render(self, path: tuple, text: str) -> str | Diagnostic:
        from jinja2 import TemplateSyntaxError, meta, nodes

        env = self.env
        try:
            ast = env.parse(text)
        except TemplateSyntaxError as exc:
            return self.syntax_error(path, text, exc)
        for node in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            kind = {"Include": "include", "Import": "import", "FromImport": "from … import",
                    "Extends": "extends"}[type(node).__name__]
            word = kind.split()[-1]
            return self.diag("JB704", path, text, _block_with(text, word),
                             f"模板不能读取文件：不支持 {{% {kind} %}}",
                             hint="模板只能引用本期的 data、期号、日期和 prev/ytd；要用的文字请直接写在这里。")
        try:
            names = meta.find_undeclared_variables(ast)  # compiles: an unknown filter fails here
        except TemplateSyntaxError as exc:
            return self.syntax_error(path, text, exc)
        ctx = self.context(names)
        if isinstance(ctx, Diagnostic):
            return ctx
        try:
            template = env.from_string(ast)
            with _budget(TIME_LIMIT):
                out = _generate(template, ctx)
        except Exception as exc:  # every failure becomes a diagnostic, never a traceback
            return self.runtime_error(path, text, exc)
        if not out.strip() and not _is_cell(path):
            return self.diag("JB706", path, text, _blocks(text)[0] if _blocks(text) else None,
                             "模板的结果是空的，这里会印出一个空段落",
                             hint="删除这一项，或让模板至少产生一些文字。")
        return out

    # --- diagnostics ---------------------------------------------------------------------------------
    def diag(self, code: str, path: tuple, text: str, block: tuple[int, int] | None, message: str,
             hint: str | None = None) -> Diagnostic:

        if block is None:
            return self.src.at(path, text, 0, len(text), code, message, hint=hint)
        start, end = block
        expr = text[start:end]
        return self.src.at(path, text, start, end - start, code, f"{message}（{_clip(expr)}）", hint=hint)

    def syntax_error(self, path: tuple, text: str, exc) -> Diagnostic:
        block = None
        lines = text.split("\n")
        if exc.lineno and 0 < exc.lineno <= len(lines):
            offset = sum(len(ln) + 1 for ln in lines[: exc.lineno - 1])
            blocks = [b for b in _blocks(text) if b[0] >= offset] or _blocks(text)
            block = blocks[0] if blocks else None
        unclosed = _unclosed(text)
        if unclosed is not None:
            block = unclosed
        return self.diag("JB702", path, text, block, f"模板语法错误：{_syntax_zh(exc.message or str(exc))}",
                         hint="模板写作 {{ 名称 }} 或 {{ 名称 | 过滤器(参数) }}，花括号要成对；"
                              "要印出花括号本身，写 {{ '{{' }}。")

    def runtime_error(self, path: tuple, text: str, exc: Exception) -> Diagnostic:
        from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
        from jinja2.sandbox import SecurityError

        if isinstance(exc, UndefinedError):
            return self.undefined(path, text, exc)
        if isinstance(exc, SecurityError):
            m = re.search(r"attribute '([^']+)'", str(exc))
            attr = m.group(1) if m else "__"
            return self.diag("JB703", path, text, _block_with(text, attr),
                             f"模板访问了不允许访问的内容“{attr}”",
                             hint="模板只能引用 data 中的数、期号、日期和 prev/ytd，不能访问程序内部的属性和方法。")
        if isinstance(exc, (TemplateNotFound,)) or "no loader" in str(exc):
            return self.diag("JB704", path, text, _blocks(text)[0] if _blocks(text) else None,
                             "模板不能读取文件")
        if isinstance(exc, _Timeout):
            return self.diag("JB705", path, text, _loop_block(text),
                             f"模板运行超过 {TIME_LIMIT:g} 秒，已停止",
                             hint="检查循环（{% for %}）是否嵌套过多或次数过多；简报中的数字用不着循环。")
        if isinstance(exc, _Limit):
            return self.diag("JB705", path, text, _block_with(text, exc.needle), exc.message)
        if isinstance(exc, OverflowError):
            return self.diag("JB705", path, text, _block_with(text, "range") or _block_with(text, "**"),
                             f"模板中的数或范围太大（{exc}）")
        if isinstance(exc, (RecursionError, MemoryError)):
            return self.diag("JB705", path, text, _blocks(text)[0] if _blocks(text) else None,
                             "模板递归过深或占用内存过多，已停止")
        if isinstance(exc, FigureError):
            return self.diag("JB706", path, text, _block_with(text, exc.needle), exc.message, hint=exc.hint)
        if isinstance(exc, TemplateSyntaxError):
            return self.syntax_error(path, text, exc)
        what = {ZeroDivisionError: "除数是 0", TypeError: "类型不对", ValueError: "数值不对"}.get(type(exc), "计算出错")
        detail = str(exc).replace("\n", " ")[:80]
        return self.diag("JB706", path, text, _blocks(text)[0] if _blocks(text) else None,
                         f"模板计算出错：{what}（{type(exc).__name__}: {detail}）" if detail else f"模板计算出错：{what}",
                         hint="检查参与计算的名称是否都是数字，除数是否可能为 0。")

    def undefined(self, path: tuple, text: str, exc) -> Diagnostic:
        env = self.env
        why = exc.message if isinstance(exc.message, env.Why) else None
        if why is None:  # pragma: no cover - every Undefined here is ours
            return self.diag("JB701", path, text, None, f"模板中用到了没有定义的名称：{exc}")
        obj, name = why.obj, why.name
        if obj is env.missing:
            names = list(self.issue.data) + list(ISSUE_NAMES)
            full = str(name)
            if why.hint:
                return self.diag("JB701", path, text, _block_with(text, full), why.hint,
                                 hint=f"在本期文件中写上 {name}，或不在模板中使用它。")
            msg = f"模板中的名称“{full}”没有定义"
            hint = _did_you_mean(full, names, "可用的名称")
            if self.issue.data == {} and full not in ISSUE_NAMES:
                hint = f"本期没有 data：在文件中写 data: {{{full}: …}}，模板才能引用 {full}。"
        elif isinstance(obj, Figures):
            full = f"{obj.path}.{name}" if isinstance(name, str) else f"{obj.path}[{name!r}]"
            keys = list(obj)
            root = obj.path.split(".")[0]
            if root == "prev" and obj.origin == "":
                msg = (f"没有上一期：同一文件夹中没有早于本期（{self.issue.date.isoformat()}）的"
                       f"{'增刊' if self.issue.supplement else '简报'}，{full} 无从取值")
                hint = "第一期不要用 prev；或者把上一期的文件放进本期所在的文件夹。"
            elif root == "prev":
                msg = f"上一期（{obj.origin}）的 data 中没有“{full[5:]}”"
                hint = _did_you_mean(str(name), keys, f"{obj.path} 下有")
            elif root == "ytd":
                msg = f"今年以来累计（ytd）中没有“{full[4:]}”：今年各期的 data 和 carry 中都没有这个数"
                hint = _did_you_mean(str(name), keys, f"{obj.path} 下有")
            else:
                msg = f"data 中的“{obj.path}”下没有“{name}”"
                hint = _did_you_mean(str(name), keys, f"{obj.path} 下有")
        else:
            full = str(name)
            attrs = [a for a in dir(obj) if not a.startswith("_")]
            shown = {dt.date: "日期", Span: "报告期"}.get(type(obj), _kind(obj))
            msg = f"{shown}没有“{name}”这一项"
            hint = _did_you_mean(str(name), attrs, "可以用")
        return self.diag("JB701", path, text, _block_with(text, str(name)), msg, hint=hint)


def _is_cell(path: tuple) -> bool:
    """Whether *path* leads to a table cell (header or body), which may be empty."""
    return len(path) >= 2 and (path[-2] == "header" or (len(path) >= 3 and path[-3] == "rows"))


def _did_you_mean(name: str, candidates: list[str], label: str) -> str:
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.5)
    listing = "、".join(candidates[:12]) + ("……" if len(candidates) > 12 else "")
    head = f"是不是要写 {close[0]}？" if close else ""
    return f"{head}{label}：{listing}。" if candidates else (head or "检查名称的拼写。")


def _generate(template, ctx: dict) -> str:
    out: list[str] = []
    n = 0
    for chunk in template.generate(ctx):
        n += len(chunk)
        if n > MAX_OUTPUT:
            raise _Limit(f"模板的结果超过 {MAX_OUTPUT} 个字符")
        out.append(chunk)
    return "".join(out)


_BLOCK = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def _blocks(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _BLOCK.finditer(text)]


def _block_with(text: str, needle: str | None) -> tuple[int, int] | None:
    """The first ``{{ … }}`` / ``{% … %}`` holding *needle* (else the first block)."""
    blocks = _blocks(text)
    if needle:
        for a, b in blocks:
            if needle in text[a:b]:
                return a, b
    return blocks[0] if blocks else None


def _loop_block(text: str) -> tuple[int, int] | None:
    return _block_with(text, "for ")


def _unclosed(text: str) -> tuple[int, int] | None:
    """A ``{{`` or ``{%`` that is never closed: from it to the end of its line."""
    for m in re.finditer(r"\{\{|\{%", text):
        close = "}}" if m.group() == "{{" else "%}"
        if text.find(close, m.end()) == -1:
            end = text.find("\n", m.start())
            return m.start(), len(text) if end == -1 else end
    return None


def _clip(expr: str, n: int = 40) -> str:
    expr = " ".join(expr.split())
    return expr if len(expr) <= n else expr[: n - 1] + "…"


_SYNTAX_ZH = [
    (r"unexpected 'end of (?:print statement|statement block)'", "表达式没有写完（运算符或逗号后缺少名称或数字）"),
    (r"unexpected end of template", "模板在结束前没有闭合（缺少 }} 或 %}，或缺少 {% endfor %}/{% endif %}）"),
    (r"unexpected '}'", "多了一个“}”，或“}}”前缺少内容"),
    (r"unexpected char '(.*)'", "出现了模板中不能用的字符 \\1（模板内的标点要用半角，如逗号“,”和括号“()”）"),
    (r"Encountered unknown tag '(\w+)'", "不认识的模板标签 {% \\1 %}"),
    (r"expected token 'end of print statement', got '(.*)'", "{{ }} 中在“\\1”处写法不对（多个名称之间要用运算符或过滤器连接）"),
    (r"expected token '(.*)', got '(.*)'", "这里应当是“\\1”，却是“\\2”"),
    (r"Expected an expression, got '(.*)'", "缺少名称或数字（在“\\1”之前）"),
    (r"unexpected '(.*)'", "多了“\\1”"),
    (r"No filter named '(.*)'", "没有名为 \\1 的过滤器（可用：pct、change、num、cn、cndate、md、range 等）"),
    (r"No test named '(.*)'", "没有名为 \\1 的判断"),
]


def _syntax_zh(message: str) -> str:
    for pattern, zh in _SYNTAX_ZH:
        m = re.search(pattern, message)
        if m:
            return m.expand(zh)
    return message


# --- the time budget ---------------------------------------------------------------------------------

class _budget:
    """Stop a template after *seconds*: SIGALRM in the main thread (the CLI, a process-pool worker),
    else a watchdog thread that raises in this one (``PyThreadState_SetAsyncExc``)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.active = False

    def __enter__(self):
        import signal

        self.active = True
        self.signal = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        if self.signal:
            self.old_handler = signal.signal(signal.SIGALRM, self._fire)
            self.old_timer = signal.setitimer(signal.ITIMER_REAL, self.seconds)
            import time

            self.started = time.monotonic()
        else:
            self.lock = threading.Lock()
            self.tid = threading.get_ident()
            self.timer = threading.Timer(self.seconds, self._inject)
            self.timer.daemon = True
            self.timer.start()
        return self

    def _fire(self, signum, frame):
        if self.active:
            self.active = False
            raise _Timeout()

    def _inject(self):
        import ctypes

        with self.lock:
            if self.active:
                self.active = False
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.tid), ctypes.py_object(_Timeout))

    def __exit__(self, *exc):
        import signal

        if self.signal:
            self.active = False
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
            finally:
                signal.signal(signal.SIGALRM, self.old_handler if self.old_handler is not None else signal.SIG_DFL)
                delay, interval = self.old_timer
                if delay > 0:  # someone else's timer was running: give it back what is left
                    import time

                    left = max(0.001, delay - (time.monotonic() - self.started))
                    signal.setitimer(signal.ITIMER_REAL, left, interval)
        else:
            import ctypes

            with self.lock:
                fired = not self.active
                self.active = False
                self.timer.cancel()
                if fired:  # the exception may still be pending: clear it
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.tid), ctypes.py_object())
        return False


# --- prev and ytd: the other issues of the folder -----------------------------------------------------

@dataclass
class _Loaded:
    path: Path
    src: Source | None
    issue: IssueFile | None
    error: Diagnostic | None
    name_date: dt.date | None


_LOADED: dict[tuple, _Loaded] = {}
_NAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def _load_issue(path: Path) -> _Loaded:
    """One issue file of the folder, loaded and validated (cached by path and content: a folder
    check or a batch build reads each neighbour once, an edited file is read again)."""
    from .load import load_yaml, read_text
    from .validate import validate

    m = _NAME_DATE.match(path.name)
    try:
        name_date = dt.date(*(int(g) for g in m.groups())) if m else None
    except ValueError:
        name_date = None
    src = issue = error = None
    try:
        text = read_text(path)
        key = (str(path.resolve()), text)
        if key in _LOADED:
            return _LOADED[key]
        src = load_yaml(path, text)
        issue = validate(src, IssueFile)
    except JianbaoError as exc:
        error = exc.diagnostics[0] if exc.diagnostics else Diagnostic("JB001", f"无法读取 {path}", file=path)
        return _Loaded(path, src, issue, error, name_date)
    if len(_LOADED) > 1000:
        _LOADED.clear()
    _LOADED[key] = _Loaded(path, src, issue, error, name_date)
    return _LOADED[key]


class _Archive:
    """The issues of this issue's folder, as ``prev`` and ``ytd`` need them."""

    def __init__(self, issue: IssueFile, src: Source, inputs: list[Path] | None):
        self.issue, self.src, self.inputs = issue, src, inputs
        here = Path(src.path)
        self.key = (issue.date, here.name)
        self.others: list[_Loaded] = []
        try:
            me = here.resolve()
            files = [f for f in issue_files_in(here.parent) if f.resolve() != me]
        except OSError:
            files = []
        for f in files:
            self.others.append(_load_issue(f))

    def _broken(self, relevant: Callable[[dt.date | None], bool]) -> Diagnostic | None:
        for o in self.others:
            if o.error is not None and relevant(o.name_date):
                e = o.error
                d = Diagnostic("JB708", f"模板用到了 prev/ytd，要读取 {o.path.name}，但它有错误：{e.message}",
                               file=e.file or o.path, line=e.line, column=e.column, width=e.width,
                               source_line=e.source_line,
                               hint=f"先改正 {o.path.name}（jianbao check {o.path}），再编译 {Path(self.src.path).name}。")
                return d
        return None

    def _used(self, o: _Loaded) -> None:
        if self.inputs is not None and o.path not in self.inputs:
            self.inputs.append(o.path)

    def prev(self) -> Figures | Diagnostic:
        i = self.issue
        before = [o for o in self.others if o.issue is not None and o.issue.supplement == i.supplement
                  and (o.issue.date, o.path.name) < self.key]
        latest = max(before, key=lambda o: (o.issue.date, o.path.name), default=None)
        floor = latest.issue.date if latest else None
        broken = self._broken(lambda d: d is None or (d < i.date and (floor is None or d >= floor)))
        if broken:
            return broken
        if latest is None:
            return Figures({}, "prev", origin="")
        self._used(latest)
        return Figures(latest.issue.data, "prev", origin=latest.path.name)

    def ytd(self) -> Figures | Diagnostic:
        i = self.issue
        year = i.date.year
        broken = self._broken(lambda d: d is None or (d.year == year and d <= i.date))
        if broken:
            return broken
        members = [(o.issue.date, o.path.name, o.issue, o.src) for o in self.others
                   if o.issue is not None and o.issue.date.year == year and (o.issue.date, o.path.name) <= self.key]
        members.append((i.date, Path(self.src.path).name, i, self.src))
        members.sort(key=lambda m: (m[0], m[1]))
        start = max((k for k, m in enumerate(members) if m[2].carry is not None), default=0)
        total: dict = {}
        first = members[start]
        adds = [(first[2].carry or {}, first[3], ("carry",))] if first[2].carry is not None else []
        adds += [(m[2].data, m[3], ("data",)) for m in members[start:]]
        for values, src, where in adds:
            problem = _add(total, values, src, where)
            if problem:
                return problem
        for o in self.others:
            if o.issue is not None and any(o.issue is m[2] for m in members[start:]):
                self._used(o)
        return Figures(_plain(total), "ytd")


def _add(total: dict, values: Mapping, src: Source, where: tuple) -> Diagnostic | None:
    """Add *values* into *total*, path by path; a number where another issue has a group is an error."""
    for key, value in values.items():
        here = where + (key,)
        if isinstance(value, Mapping):
            if key not in total:
                total[key] = {}
            elif not isinstance(total[key], dict):
                return _shape(src, here, "是一组数，而今年其他各期中它是一个数")
            problem = _add(total[key], value, src, here)
            if problem:
                return problem
        else:
            if isinstance(total.get(key), dict):
                return _shape(src, here, "是一个数，而今年其他各期中它是一组数")
            total[key] = total.get(key, 0) + (Decimal(repr(value)) if isinstance(value, float) else value)
    return None


def _shape(src: Source, path: tuple, what: str) -> Diagnostic:
    name = ".".join(str(p) for p in path[1:])
    return src.diagnostic("JB713", f"{path[0]} 中的“{name}”{what}，无法累计（ytd）", path, key=True,
                          hint="同一年各期的 data 要用同样的结构：同一个名称要么是数，要么是一组数。")


def _plain(total: dict) -> dict:
    out = {}
    for k, v in total.items():
        if isinstance(v, dict):
            out[k] = _plain(v)
        elif isinstance(v, Decimal):
            out[k] = float(v)  # a sum with a decimal in it: 0.1 + 0.2 gives 0.3, not 0.30000000000000004
        else:
            out[k] = v
    return out


# --- tables ------------------------------------------------------------------------------------------

_NUMERIC = re.compile(r"^[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_BLANK = ("", "—", "-", "－", "/", "／")


def cell_text(value: Any) -> str:
    """A table cell as printed."""
    if value is None:
        return ""
    if isinstance(value, bool):  # pragma: no cover - the model refuses booleans
        return str(value)
    if isinstance(value, (int, float)):
        return num(value)
    return value


def cell_number(text: str) -> Decimal | None:
    """The number a printed cell holds (“1,234”, “12.5”), else None."""
    t = text.strip()
    if not _NUMERIC.match(t):
        return None
    return Decimal(t.replace(",", "").replace("−", "-"))


def is_blank(text: str) -> bool:
    return text.strip() in _BLANK


def is_breakdown(row: list[str]) -> bool:
    """A row that repeats part of the rows around it (“小计”, “其中：网上受理”): not summed."""
    first = row[0].strip() if row else ""
    return "小计" in first or first.startswith("其中")


def column_sums(rows: list[list[str]], columns: int) -> list[tuple[Decimal, int, bool] | None]:
    """For each column after the first: (sum, decimals, grouped) when every non-blank cell is a
    number, else None.  Breakdown rows (小计, 其中……) are left out of the sum."""
    out: list[tuple[Decimal, int, bool] | None] = [None]
    rows = [r for r in rows if not is_breakdown(r)]
    for c in range(1, columns):
        cells = [r[c] for r in rows if c < len(r) and not is_blank(r[c])]
        numbers = [cell_number(t) for t in cells]
        if not cells or any(n is None for n in numbers):
            out.append(None)
            continue
        decimals = max(max(0, -n.as_tuple().exponent) for n in numbers)
        out.append((sum(numbers, Decimal(0)), decimals, any("," in t for t in cells)))
    return out


def format_sum(total: Decimal, decimals: int, grouped: bool) -> str:
    q = total.quantize(Decimal(1).scaleb(-decimals))
    return f"{q:,f}" if grouped else f"{q:f}"


def finish_table(t: Table, path: tuple, src: Source) -> tuple[Table, list[Diagnostic]]:
    """The table with its cells as printed text and, for ``total: true``, a computed 合计 row."""
    problems: list[Diagnostic] = []
    columns = len(t.header)
    for r, row in enumerate(t.rows):
        if len(row) != columns:
            problems.append(src.diagnostic(
                "JB709", f"表格第 {r + 1} 行有 {len(row)} 格，表头有 {columns} 列", path + ("rows", r),
                hint="每一行的格数要与表头相同；空着的格写 \"\" 或 ~。"))
    for key in ("widths", "align"):
        values = getattr(t, key)
        if isinstance(values, list) and len(values) != columns:
            problems.append(src.diagnostic(
                "JB709", f"{key} 写了 {len(values)} 项，表头有 {columns} 列", path + (key,),
                hint="每列写一项（align 也可以只写一个值，如 align: center，各列相同）。"))
    header = [cell_text(v) for v in t.header]
    rows = [[cell_text(v) for v in row] for row in t.rows]
    if t.total:
        last = rows[-1][0].strip() if rows and rows[-1] else ""
        if last in TOTAL_LABELS:
            problems.append(src.diagnostic(
                "JB709", f"表格最后一行已经是手写的“{last}”行，又写了 total: true", path + ("total",),
                hint="删去手写的合计行，让 jianbao 计算；或删去 total: true。"))
        elif not problems:
            sums = column_sums(rows, columns)
            rows.append([TOTAL_LABEL] + ["" if s is None else format_sum(*s) for s in sums[1:]])
    done = t.model_copy(update={"header": header, "rows": rows, "total": False})
    return done, problems
