"""Stage 2½ — resolve: figures and templated text.

Runs after validation and before the checks (:mod:`jianbao.pipeline`).  Every text field of
an issue — title, subtitle, 编者按, body paragraphs, headings, items, table captions and cells — may
be a Jinja2 template over the issue's figures::

    data: {综窗: {咨询: 1142}, 手册: {完成: 1159, 总数: 1645}}
    body: 本周，共计咨询{{ 综窗.咨询 }}人次，今年以来累计{{ ytd.综窗.咨询 }}人次，占比{{ 手册.完成 | pct(手册.总数) }}。

The names a template sees are the top-level keys of ``data``; the issue's ``number``, ``total``,
``date``, ``period`` and ``supplement``; ``prev`` (the previous issue's data) and ``ytd`` (each
figure summed over the year so far, starting from the latest ``carry`` that names it).  Tables are finished
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
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from . import document
from .diagnostics import Diagnostic, JianbaoError
from .figures.archive import Archive
from .figures.limits import MAX_OUTPUT, TIME_LIMIT, Limit, Timeout, budget
from .figures.sandbox import CLOCK, environment
from .figures.values import FORMS, FigureError, Figures, Span, Unfilled, kind_zh
from .load import Source, bad_character
from .model import FIGURE_PLACEHOLDER, Bulletin, IssueFile, Table, is_unfilled
from .tables import TOTAL_LABEL, TOTAL_LABELS, cell_text, column_sums, format_sum

#: Names the issue provides to every template (data keys may not take them).
ISSUE_NAMES = ("number", "total", "date", "period", "supplement", "prev", "ytd")
_GLOBALS = ("range", "range_cn", "dict", "pct", "change", "num", "cn", "cndate", "md")
_JINJA_WORDS = {"true", "false", "none", "loop", "self", "caller", "varargs", "kwargs"}

def has_template(text: str) -> bool:
    return "{{" in text or "{%" in text


# --- the stage ------------------------------------------------------------------------------------

def resolve(bulletin: Bulletin, src: Source, *, inputs: list[Path] | None = None,
            office: Path | None = None, seen: list[Path] | None = None,
            unfilled_out: list[Diagnostic] | None = None) -> Bulletin:
    """*bulletin* with its templates rendered, its tables finished and its photos found and checked
    (their paths made absolute); raise JianbaoError listing every problem.  Paths of the other
    files read (issues for ``prev``/``ytd``, photos) go into *inputs*; when prev/ytd are used, every
    issue file of the folder (read or not, this one first) goes into *seen*: a file that appears
    later may change them.
    *unfilled_out* (a draft): the figures still 待填 go there instead of stopping the stage, and the
    templates that use them print 待填 where such a figure would be."""
    issue = bulletin.issue
    errors: list[Diagnostic] = []
    errors += _check_names(issue, src)
    photos: dict[tuple, str] = {}
    files = [f for path, block in document.images(issue) for f in document.photo_files(block, path)]
    if files:
        from . import images

        where = office or Path(src.path).parent
        checked = images.in_parallel(images.check, [(src, p, value, where) for p, value in files])
        for (p, _), (found, problem) in zip(files, checked):
            if problem is not None:
                errors.append(problem)
            else:
                photos[p] = str(found)
                if inputs is not None:
                    inputs.append(Path(str(found)))
    unfilled = unfilled_figures(issue, src)
    texts = [(p, t) for p, t in document.texts(issue) if has_template(t)]
    rendered: dict[tuple, str] = {}
    if texts and not errors:
        run = _Run(issue, src, inputs, seen)
        for (path, source), out in zip(texts, run.render_all(texts)):
            if isinstance(out, Diagnostic):
                if not (unfilled and out.code == "JB706" and out.notes == [_UNFILLED_NOTE]):
                    errors.append(out)
                elif unfilled_out is not None:
                    rendered[path] = run.render_unfilled(path, source)
            else:
                rendered[path] = out
    if unfilled_out is not None:
        unfilled_out += unfilled
    else:
        errors += unfilled
    if errors:
        raise JianbaoError(_sorted(errors))

    def text(path: tuple, value: str) -> str:
        return rendered.get(path, value)

    def table(path: tuple, t: Table) -> Table:
        done, problems = finish_table(t, path, src)
        errors.extend(problems)
        return done

    new_issue = document.map_texts(issue, text, table)
    if photos:
        new_issue = document.replace(new_issue, photos)
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


def unfilled_figures(issue: IssueFile, src: Source) -> list[Diagnostic]:
    """JB205: each figure of ``data`` and ``carry`` still ``待填`` (as ``jianbao new`` writes them)."""
    out = []
    for field in ("data", "carry"):
        for path, value in _leaf_items(getattr(issue, field) or {}, ()):
            if is_unfilled(value):
                name = ".".join(path)
                out.append(src.diagnostic(
                    "JB205", f"{field} 中的“{name}”还没有填（写的是“{value.strip()}”）", (field,) + path,
                    hint="填上本期的数（jianbao new 把上一期的数写在这一行末尾的注释里，供核对）；"
                         "本期没有这个数时，删去这一行和正文中用到它的句子。"))
    return out


def _leaf_items(values: Mapping, path: tuple) -> Iterator[tuple[tuple, Any]]:
    for k, v in values.items():
        if isinstance(v, Mapping):
            yield from _leaf_items(v, path + (k,))
        else:
            yield path + (k,), v


_UNFILLED_NOTE = "用到的数还没有填"


def name_problem(key: str) -> str | None:
    """Why *key* cannot be a template name, or None."""
    if not key.isidentifier():
        return "不能在模板中引用：名称只能由汉字、字母、数字和下划线组成，且不能以数字开头"
    if key in ISSUE_NAMES or key in _GLOBALS:
        return f"与模板中已有的名称 {key} 重名"
    if keyword.iskeyword(key) or key in _JINJA_WORDS:
        return "是模板语言的保留字"
    return None



# --- running one template ------------------------------------------------------------------------------

class _Run:
    """Renders the templated strings of one issue, building the names they see on demand."""

    def __init__(self, issue: IssueFile, src: Source, inputs: list[Path] | None, seen: list[Path] | None = None):
        self.issue, self.src, self.inputs, self.seen = issue, src, inputs, seen
        self.env = environment()
        self.ctx: dict[str, Any] | None = None
        self.archive: Archive | None = None

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
                    self.archive = Archive(self.issue, self.src, self.inputs)
                    if self.seen is not None:
                        self.seen.extend([Path(self.src.path)] + self.archive.paths())
                got = self.archive.prev() if name == "prev" else self.archive.ytd()
                if isinstance(got, Diagnostic):
                    return got
                self.ctx[name] = got
        return self.ctx

    def render_all(self, texts: list[tuple[tuple, str]]) -> list[str | Diagnostic]:
        """Each templated string rendered, or the diagnostic that explains why not: the simple ones
        here, the others in a child process (:mod:`jianbao.figures.isolation`)."""
        from .figures import isolation

        out: list[str | Diagnostic | None] = [None] * len(texts)
        away: list[tuple[int, tuple]] = []
        for k, (path, text) in enumerate(texts):
            got = self.compile(path, text)
            if isinstance(got, Diagnostic):
                out[k] = got
            elif isolation.simple(got[0]) or not isolation.ISOLATE:
                out[k] = self.execute(path, text, got[1], got[2])
            else:
                away.append((k, (path, text, got[1], got[2])))
        if away:
            def failed(job: tuple, why: str) -> Diagnostic:
                return self.runtime_error(job[0], job[1], Timeout() if why == "timeout" else MemoryError())

            done = isolation.isolated([job for _, job in away], self.execute, failed, TIME_LIMIT)
            for (k, _), result in zip(away, done):
                out[k] = result
        return out  # type: ignore[return-value]

    def render_unfilled(self, path: tuple, text: str) -> str:
        """*text* for a draft, when a figure it uses is still 待填: each ``{{ … }}`` rendered on its
        own, 待填 for those that cannot be (a ``{% … %}`` text: 待填 for every block)."""
        if "{%" in text:
            return _BLOCK.sub(FIGURE_PLACEHOLDER, text)
        out, at = [], 0
        for a, b in _blocks(text):
            got = self.render(path, text[a:b])
            out += [text[at:a], got if isinstance(got, str) else FIGURE_PLACEHOLDER]
            at = b
        return "".join(out) + text[at:]

    def render(self, path: tuple, text: str) -> str | Diagnostic:
        """One templated string, rendered here (see :meth:`render_all`)."""
        got = self.compile(path, text)
        return got if isinstance(got, Diagnostic) else self.execute(path, text, got[1], got[2])

    def compile(self, path: tuple, text: str):
        """(ast, template, context) of *text*, or the diagnostic of a syntax error or forbidden tag."""
        from jinja2 import TemplateSyntaxError, meta, nodes

        env = self.env
        try:
            ast = env.parse(text)
        except TemplateSyntaxError as exc:
            return self.syntax_error(path, text, exc)
        except RecursionError:
            return self.diag("JB705", path, text, None, "模板嵌套过深")
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
        except RecursionError:
            return self.diag("JB705", path, text, None, "模板嵌套过深")
        ctx = self.context(names)
        if isinstance(ctx, Diagnostic):
            return ctx
        try:
            template = env.from_string(ast)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a diagnostic
            return self.runtime_error(path, text, exc)
        return ast, template, ctx

    def execute(self, path: tuple, text: str, template, ctx: dict) -> str | Diagnostic:
        try:
            with budget(TIME_LIMIT):
                out = _generate(template, ctx)
        except Exception as exc:  # every failure becomes a diagnostic, never a traceback
            return self.runtime_error(path, text, exc)
        if not out.strip() and not _is_cell(path):
            return self.diag("JB706", path, text, _blocks(text)[0] if _blocks(text) else None,
                             "模板的结果是空的，这里会印出一个空段落",
                             hint="删除这一项，或让模板至少产生一些文字。")
        problem = bad_character(out)
        if problem:  # the same rule as for text typed in the file (load.py)
            return self.diag("JB008", path, text, _blocks(text)[0] if _blocks(text) else None,
                             f"模板的结果中{problem}",
                             hint="模板不要产生控制字符（如 '%c' % 1、\"\\x01\"）；要印的文字直接写出。")
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
        message = exc.message or str(exc)
        unknown = re.search(r"No filter named '(.*?)'", message)
        if unknown:
            name = unknown.group(1)
            function = _function_like(name)
            if function:
                hint = f"是不是要写 {function}？写作 {{{{ {FORMS[function][1]} }}}} 或 {{{{ {FORMS[function][0]} }}}}。"
            else:
                hint = _did_you_mean(name, sorted(self.env.filters), "可用的过滤器")
            return self.diag("JB702", path, text, _block_with(text, name), f"没有名为 {name} 的过滤器", hint=hint)
        return self.diag("JB702", path, text, block, f"模板语法错误：{_syntax_zh(message)}",
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
            hint = "模板只能引用 data 中的数、期号、日期和 prev/ytd，不能访问程序内部的属性和方法。"
            if attr in CLOCK:
                hint = ("印出的日期要来自本期文件（date、period），不能取编译的当天："
                        "否则同一个文件每天编出不同的简报。")
            return self.diag("JB703", path, text, _block_with(text, attr),
                             f"模板访问了不允许访问的内容“{attr}”", hint=hint)
        if isinstance(exc, (TemplateNotFound,)) or "no loader" in str(exc):
            return self.diag("JB704", path, text, _blocks(text)[0] if _blocks(text) else None,
                             "模板不能读取文件")
        if isinstance(exc, Timeout):
            return self.diag("JB705", path, text, _loop_block(text),
                             f"模板运行超过 {TIME_LIMIT:g} 秒，已停止",
                             hint="检查循环（{% for %}）是否嵌套过多或次数过多；简报中的数字用不着循环。")
        if isinstance(exc, Limit):
            return self.diag("JB705", path, text, _block_with(text, exc.needle), exc.message)
        if isinstance(exc, OverflowError):
            return self.diag("JB705", path, text, _block_with(text, "range") or _block_with(text, "**"),
                             f"模板中的数或范围太大（{exc}）")
        if isinstance(exc, (RecursionError, MemoryError)):
            return self.diag("JB705", path, text, _blocks(text)[0] if _blocks(text) else None,
                             "模板递归过深或占用内存过多，已停止")
        if isinstance(exc, Unfilled):
            d = self.diag("JB706", path, text, _blocks(text)[0] if _blocks(text) else None, exc.message,
                          hint="先在 data 中填上这个数。")
            d.notes.append(_UNFILLED_NOTE)
            return d
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
            function = _function_like(full)
            if function and re.search(rf"(?<![\w.]){re.escape(full)}\s*\(", text):  # called like a function
                msg = f"没有名为 {full} 的函数"
                hint = f"是不是要写 {function}？写作 {{{{ {FORMS[function][0]} }}}} 或 {{{{ {FORMS[function][1]} }}}}。"
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
            shown = {dt.date: "日期", Span: "报告期"}.get(type(obj), kind_zh(obj))
            msg = f"{shown}没有“{name}”这一项"
            hint = _did_you_mean(str(name), attrs, "可以用")
        return self.diag("JB701", path, text, _block_with(text, str(name)), msg, hint=hint)


#: Names people reach for instead of jianbao's figure functions.
_ALIASES = {
    "percent": "pct", "percentage": "pct", "ratio": "pct", "rate": "pct", "百分比": "pct", "占比": "pct",
    "比例": "pct", "growth": "change", "delta": "change", "diff": "change", "增长": "change", "增减": "change",
    "同比": "change", "环比": "change", "number": "num", "fmt": "num", "format_number": "num", "数字": "num",
    "cnnum": "cn", "chinese": "cn", "中文": "cn", "大写": "cn", "cn_date": "cndate", "date_cn": "cndate",
    "日期": "cndate", "monthday": "md", "month_day": "md", "月日": "md",
}


def _function_like(name: str) -> str | None:
    """The figure function *name* was probably meant to be (``percent`` → pct), or None."""
    lowered = name.lower()
    close = [lowered] if lowered in FORMS or lowered in _ALIASES else difflib.get_close_matches(
        lowered, list(FORMS) + list(_ALIASES), n=1, cutoff=0.6)
    if not close:
        return None
    return close[0] if close[0] in FORMS else _ALIASES[close[0]]


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
            raise Limit(f"模板的结果超过 {MAX_OUTPUT} 个字符")
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



# --- tables ---------------------------------------------------------------------------------

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
