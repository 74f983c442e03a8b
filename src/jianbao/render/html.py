"""The web edition: one self-contained, accessible HTML page per issue, an index and an Atom feed.

Same source, same document tree, same numerals as print: the body is one method per kind of
:class:`~jianbao.document.Node`, like the .docx writer, and the generated lines (期号, period,
end block) come from :mod:`jianbao.text`.  The page itself is a Jinja2 template,
``templates/html/issue.html.j2``, which an office can override with its own
``templates/html/issue.html.j2``: semantic HTML (``lang="zh-CN"``, the masthead as a ``header``,
the article title as ``h1``, sections as ``section`` with ``h2``, items as ``h3``–``h5`` or numbered
paragraphs, tables with ``caption`` and ``th scope``), its CSS inline, no script and no external
resource.  The end block is left out unless the preset's ``web.end_block`` asks for it.

Strings are escaped here (``html.escape``) and the template runs with autoescape on: a bulletin's
text can never become markup.  An office's template is hostile like any other input: it runs
sandboxed (no Python reached through it, bounded repetition, :data:`PAGE_TIME`), reads only regular
UTF-8 files in its own ``templates/html`` (no link out of it, none over :data:`MAX_TEMPLATE_BYTES`)
and the built-in ones, and any fault of it is JB406 at its file and line.
"""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..dates import cn_date
from ..document import Node, walk
from ..layout import Layout
from ..model import Bulletin, Table
from ..tables import cell_number, cell_text
from ..text import copies_line, end_block_rows, issue_line, period_line

TEMPLATE = "issue.html.j2"
INDEX_TEMPLATE = "index.html.j2"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


class _Body:
    """The body of the page: one method per node kind, sections nested as ``<section>``."""

    def __init__(self, image_width: float = 0.75, row_width: float = 1.0) -> None:
        self.image_width = image_width
        self.row_width = row_width
        self.out: list[str] = []
        self.notes: list[str] = []  # 编者按 comes before the title, as in print
        self.open: list[list] = []  # [level, has a heading] of each open <section>
        self.lead_open = False

    def add(self, node: Node) -> None:
        if self.lead_open and not node.run_in:
            self.out[-1] += "</p>"  # on the same line: a line break in the source would print as a space
            self.lead_open = False
        getattr(self, node.kind)(node)

    def finish(self) -> str:
        if self.lead_open:
            self.out[-1] += "</p>"
        self._close_to(0)
        return "\n".join(self.out)

    def _close_to(self, level: int) -> None:
        while self.open and self.open[-1][0] >= level:
            self.open.pop()
            self.out.append("</section>")

    # front matter: the header and title are the template's; these are the text nodes
    def note(self, node: Node) -> None:
        label = '<strong class="note-label">编者按：</strong>' if node.path[-1] == 0 else ""
        self.notes.append(f'<p class="note">{label}{_e(node.value)}</p>')

    def title(self, node: Node) -> None:
        pass  # the template prints the title lines as the page's h1

    def subtitle(self, node: Node) -> None:
        pass  # printed under the h1 by the template

    def section(self, node: Node) -> None:
        self._close_to(1)
        self.open.append([1, False])
        self.out.append('<section class="level-1">')

    def item(self, node: Node) -> None:
        self._close_to(node.level)  # the previous sibling's section ends here
        if isinstance(node.value, str) or node.value.title is None:
            return  # a numbered paragraph, not a heading: no section of its own
        self.open.append([node.level, False])
        self.out.append(f'<section class="level-{node.level}">')

    def heading(self, node: Node) -> None:
        """h2 for the first heading level the page has, and one more for each heading above it: a
        section opened by a run-in lead has no heading, so its titled items are h2, not h3."""
        above = sum(1 for level, headed in self.open if headed and level < node.level)
        tag = f"h{min(6, 2 + above)}"
        self.open[-1][1] = True
        self.out.append(f'<{tag}><span class="num">{_e(node.marker or "")}</span>{_e(node.value)}</{tag}>')

    def lead(self, node: Node) -> None:
        self.out.append(f'<p class="lead-{node.level}"><strong class="lead">'
                        f'<span class="num">{_e(node.marker or "")}</span>{_e(node.value)}</strong>')
        self.lead_open = True

    def paragraph(self, node: Node) -> None:
        if node.run_in:
            self.out[-1] += _e(node.value) + "</p>"
            self.lead_open = False
            return
        num = f'<span class="num">{_e(node.marker)}</span>' if node.marker else ""
        self.out.append(f"<p>{num}{_e(node.value)}</p>")

    def image(self, node: Node) -> None:
        """A figure with its caption, which is also the image's alt text; the photo is embedded
        (a data: URI, scaled to the web width), so the page stays one self-contained file."""
        import base64

        from .. import images

        block = node.value
        photo = images.for_web(Path(block.image))
        data = base64.b64encode(photo.data).decode("ascii")
        pct = round((block.width or self.image_width) * 100)
        self.out.append(f'<figure class="photo" style="--width:{pct}%">'
                        f'<img src="data:{photo.mime};base64,{data}" alt="{_e(block.caption)}" '
                        f'width="{photo.width}" height="{photo.height}">'
                        f"<figcaption>{_e(block.caption)}</figcaption></figure>")

    def images(self, node: Node) -> None:
        """Photos side by side: one figure, one figcaption, an img for each photo whose alt text is the
        caption with the photo's place in front (左图：…, 中图：…, 右图：…).  Each photo's flex-grow is its
        width over its height, so the row's photos are equally tall; on a narrow screen the style sheet
        stacks them."""
        from .. import images

        block = node.value
        places = ("左图", "右图") if len(block.images) == 2 else ("左图", "中图", "右图")
        pct = round((block.width or self.row_width) * 100)
        imgs = []
        for name, place in zip(block.images, places):
            photo = images.for_web(Path(name))
            imgs.append(f'<img src="data:{photo.mime};base64,{_b64(photo.data)}" alt="{_e(place + "：" + block.caption)}" '
                        f'width="{photo.width}" height="{photo.height}" style="flex-grow:{photo.width / photo.height:.4f}">')
        self.out.append(f'<figure class="photo photos" style="--width:{pct}%"><div class="row">{"".join(imgs)}</div>'
                        f"<figcaption>{_e(block.caption)}</figcaption></figure>")

    def table(self, node: Node) -> None:
        t: Table = node.value
        rows = []
        head = "".join(f'<th scope="col">{_e(cell_text(v))}</th>' for v in t.header)
        for row in t.rows:
            cells = []
            for c, v in enumerate(row):
                text = cell_text(v)
                cls = ' class="n"' if cell_number(text) is not None else ""
                cells.append(f'<th scope="row">{_e(text)}</th>' if c == 0 else f"<td{cls}>{_e(text)}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        self.out.append(f'<div class="table"><table><caption>{_e(t.caption)}</caption>'
                        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


@dataclass(frozen=True)
class Entry:
    """What the index and the feed say of one issue."""

    stem: str
    label: str  # 第18期（总第356期）
    date: str  # ISO
    date_cn: str
    title: str  # the article title, or the first heading
    summary: str
    name: str
    base_url: str | None = None  # the preset's web.base_url

    @property
    def href(self) -> str:
        """The page's address relative to the index (an IRI: Chinese as it is; a space, quote, ``#``,
        ``?`` … of the file name percent-encoded, so that the link finds the file)."""
        return iri(self.stem) + ".html"


def iri(text: str) -> str:
    """*text* as one path segment of an IRI: ASCII outside the unreserved set percent-encoded."""
    from urllib.parse import quote

    return "".join(c if ord(c) > 127 else quote(c, safe="") for c in text)


def entry(bulletin: Bulletin, stem: str, *, base_url: str | None = None) -> Entry:
    issue = bulletin.issue
    heading = " ".join(issue.title) or next((n.value for n in walk(issue) if n.kind in ("heading", "lead")), "")
    summary = next((n.value for n in walk(issue) if n.kind == "paragraph"), "")
    return Entry(stem, issue_line(bulletin), issue.date.isoformat(), cn_date(issue.date), heading,
                 summary[:120], bulletin.series.name, base_url)


#: An office's page template: the largest file read, and how long one page may take to render.
MAX_TEMPLATE_BYTES = 1_000_000
PAGE_TIME = 10.0
#: The longest string or list ``*`` may make in a page template.
MAX_REPEAT = 1_000_000


def own_templates(office: Path | None) -> Path | None:
    """The office's own page templates (``templates/html``), when it has them."""
    folder = office / "templates" / "html" if office is not None else None
    return folder if folder is not None and folder.is_dir() else None


class _PageError(Exception):
    """What is wrong with a page template, in Chinese, and the file it is in."""

    def __init__(self, why: str, file: str | None = None):
        super().__init__(why)
        self.why, self.file = why, file


def _environment(office: Path | None):
    """The page templates' environment: sandboxed (an office's template calls no Python and reads
    no file but those in its own templates/html and the built-in ones), autoescape on."""
    import os
    import stat

    from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, select_autoescape
    from jinja2.loaders import split_template_path
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from ..figures.sandbox import check_binop
    from ..figures.values import UNSAFE_STR_METHODS
    from ..layout import builtin_templates

    own = own_templates(office)
    folders = [(own, True)] if own is not None else []
    folders.append((builtin_templates() / "html", False))

    class Loader(BaseLoader):
        def get_source(self, environment, template):
            pieces = split_template_path(template)  # refuses “..”
            for folder, theirs in folders:
                path = folder.joinpath(*pieces)
                if not os.path.lexists(path):
                    continue
                if theirs:
                    try:
                        path.resolve(strict=True).relative_to(folder.resolve())
                        st = os.stat(path)
                    except (OSError, RuntimeError, ValueError):
                        raise _PageError(f"引用的“{template}”在 templates/html 之外，或是找不到目标的链接",
                                         str(path)) from None
                    if not stat.S_ISREG(st.st_mode):
                        raise _PageError(f"引用的“{template}”不是一个文件", str(path))
                    if st.st_size > MAX_TEMPLATE_BYTES:
                        raise _PageError(f"“{template}”太大（超过 {MAX_TEMPLATE_BYTES // 1_000_000} MB）", str(path))
                try:
                    with open(path, "rb") as f:
                        raw = f.read(MAX_TEMPLATE_BYTES + 1)
                    text = raw.decode("utf-8")
                except OSError as exc:
                    raise _PageError(f"无法读取“{template}”（{exc.strerror}）", str(path)) from None
                except UnicodeDecodeError:
                    raise _PageError(f"“{template}”不是 UTF-8 编码", str(path)) from None
                return text, str(path), lambda: False
            raise TemplateNotFound(template)

    class Env(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%"})

        def is_safe_attribute(self, obj, attr, value):
            if isinstance(obj, str) and attr in UNSAFE_STR_METHODS:
                return False
            return super().is_safe_attribute(obj, attr, value)

        def call_binop(self, context, operator, left, right):
            check_binop(operator, left, right, MAX_REPEAT)  # the figure templates' bounds (Limit)
            return super().call_binop(context, operator, left, right)

    return Env(loader=Loader(), autoescape=select_autoescape(default=True),
               undefined=StrictUndefined, keep_trailing_newline=True, auto_reload=False)


def _render(office: Path | None, name: str, /, **context) -> str:
    """Template *name* rendered; a fault of the template (the office's own, or one it includes) is
    JB406 at its file and line, never a traceback."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError
    from jinja2.exceptions import SecurityError, UndefinedError

    from ..diagnostics import Diagnostic, JianbaoError
    from ..figures.limits import Limit, Timeout, budget

    env = _environment(office)
    try:
        with budget(PAGE_TIME):
            return env.get_template(name).render(**context)
    except (Exception, Timeout) as exc:  # whatever the template's own expressions raise (1 / 0 …) too
        failed = exc
    file, line = getattr(failed, "file", None), None
    if isinstance(failed, TemplateSyntaxError):
        why, file, line = f"语法错误（{failed.message}）", failed.filename, failed.lineno
    elif isinstance(failed, _PageError):
        why = failed.why
    elif isinstance(failed, Limit):  # arithmetic past the bounds (a power, a repetition, a format width)
        why = failed.message
    elif isinstance(failed, TemplateNotFound):
        why = f"找不到要引用的模板“{failed.name}”"
    elif isinstance(failed, UndefinedError):
        why = f"用到了没有定义的名称（{failed.message}）"
    elif isinstance(failed, SecurityError):
        why = f"访问了不允许访问的内容（{failed}）"
    elif isinstance(failed, Timeout):
        why = f"运行超过 {PAGE_TIME:g} 秒，已停止"
    elif isinstance(failed, (RecursionError, MemoryError)):
        why = "嵌套过深或用了太多内存，已停止"
    else:
        why = f"计算出错（{type(failed).__name__}: {str(failed)[:120]}）"
    if line is None:  # where in the template: the last frame of the traceback that is a template's
        import traceback

        frames = [f for f in traceback.extract_tb(failed.__traceback__) if f.filename.endswith((".j2", ".html", ".css"))]
        if frames and (file is None or file == frames[-1].filename or isinstance(failed, _PageError)):
            file, line = frames[-1].filename, frames[-1].lineno
    own = own_templates(office)
    if file is None:
        file = str((own or Path("templates", "html")) / name)
    source = None
    if line is not None:
        try:
            source = Path(file).read_text(encoding="utf-8").splitlines()[line - 1]
        except (OSError, UnicodeDecodeError, IndexError):
            pass
    raise JianbaoError(Diagnostic(
        "JB406", f"网页模板 {Path(file).name} {why}", file=Path(file), line=line, column=1 if line else None,
        source_line=source,
        hint="对照内置的 templates/html/issue.html.j2 修改；模板只能用传给它的名称，只能引用本简报文件夹 templates/html/ 中的文件。"))


def render_html(bulletin: Bulletin, layout: Layout, *, office: Path | None = None) -> str:
    """The web page of *bulletin*."""
    from markupsafe import Markup

    body = _Body(layout.image.width, layout.image.row_width)
    nodes = list(walk(bulletin.issue))
    files = [f for n in nodes if n.kind == "image" for f in [n.value.image]]
    files += [f for n in nodes if n.kind == "images" for f in n.value.images]
    if len(files) > 1:  # prepared side by side (threads), then placed in order from the cache
        from .. import images

        images.in_parallel(images.for_web, [(Path(f),) for f in files])
    for node in nodes:
        body.add(node)
    s, issue = bulletin.series, bulletin.issue
    end = None
    if layout.web.end_block:
        end = {"rows": [f"{label}：{text}" for label, text in end_block_rows(s)], "copies": copies_line(s)}
    return _render(
        office, TEMPLATE, lang="zh-CN", name=s.name, mark=s.mark, issue_line=issue_line(bulletin), period=period_line(bulletin),
        editor=s.editor, date=issue.date.isoformat(), date_cn=cn_date(issue.date), title=list(issue.title),
        subtitle=issue.subtitle, body=Markup(body.finish()), note=Markup("\n".join(body.notes)), end=end,
        page_title=f"{s.name} {issue_line(bulletin)}" + (f" {' '.join(issue.title)}" if issue.title else ""))


def render_index(entries: list[Entry], *, office: Path | None = None) -> str:
    """``index.html``: every issue, newest first, with its 期号 and date."""
    ordered = sorted(entries, key=lambda e: (e.date, e.stem), reverse=True)
    name = ordered[0].name if ordered else "简报"
    return _render(office, INDEX_TEMPLATE, lang="zh-CN", name=name, entries=ordered)


def render_feed(entries: list[Entry], *, base_url: str | None = None) -> str:
    """``feed.xml``: an Atom feed (RFC 4287) of the issues, newest first; ids are stable URNs."""
    from xml.sax.saxutils import escape

    def attr(value: str) -> str:  # inside href="…": its quote escaped too
        return escape(value, {'"': "&quot;"})

    ordered = sorted(entries, key=lambda e: (e.date, e.stem), reverse=True)
    name = ordered[0].name if ordered else "简报"
    base = (base_url.rstrip("/") + "/") if base_url else ""

    def urn(*parts: str) -> str:
        return uuid.uuid5(uuid.NAMESPACE_URL, "jianbao:" + "/".join(parts)).urn

    updated = (ordered[0].date if ordered else "1970-01-01") + "T00:00:00Z"
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
             f"  <title>{escape(name)}</title>", f"  <id>{urn(name)}</id>", f"  <updated>{updated}</updated>",
             f'  <link rel="alternate" type="text/html" href="{attr(base)}index.html"/>']
    for e in ordered:
        lines += ["  <entry>", f"    <title>{escape(e.label + ('：' + e.title if e.title else ''))}</title>",
                  f"    <id>{urn(name, e.stem)}</id>", f"    <updated>{e.date}T00:00:00Z</updated>",
                  f"    <author><name>{escape(name)}</name></author>",
                  f'    <link rel="alternate" type="text/html" href="{attr(base + e.href)}"/>',
                  f"    <summary>{escape(e.summary)}</summary>", "  </entry>"]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"
