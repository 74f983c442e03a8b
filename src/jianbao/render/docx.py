"""Stage 4 — render: walk a validated :class:`~jianbao.model.Bulletin` and build the .docx.

The document is built on python-docx's package (content types, relationships, parts) but its
styles, settings, font table and body are written by jianbao: every number comes from the
layout preset, every piece of raw XML from :mod:`jianbao.render.ooxml`.

Page 1 opens with the masthead (optional mark, red name, 期号 line, period line, editor ‖ date
line over the red rule); then 编者按, article title and subtitle, lead paragraphs and the
numbered sections; the 版记 (报/送/发 rows, 共印份数) is a table floating at the bottom of the
last page.  Footers carry "— N —" on the outer edge: right on odd pages, left on even pages.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from ..dates import cn_date, cn_range
from ..layout import Font, Layout
from ..metrics import fit_size, split_balanced  # noqa: F401  (fit_size is also used by jianbao.check)
from ..document import Node, walk
from ..model import Bulletin, Table
from . import ooxml as x
from .ooxml import el, put, sub, w

# Style ids (and their display names, as Word and WPS show them).
STYLES = {
    "Normal": "Normal",
    "Heading1": "heading 1", "Heading2": "heading 2", "Heading3": "heading 3", "Heading4": "heading 4",
    "Title": "Title", "Subtitle": "Subtitle", "Footer": "footer",
    "JBMark": "简报 标识", "JBMasthead": "简报 报头名称", "JBIssueLine": "简报 期号",
    "JBPeriod": "简报 报告期", "JBEditorLine": "简报 编印单位", "JBNote": "简报 编者按",
    "JBEndBlock": "简报 版记", "JBCopies": "简报 印数",
    "JBTableCaption": "简报 表格标题", "JBTableHeader": "简报 表头", "JBTableCell": "简报 表格文字",
}
TABLE_STYLES = {"JBTable": "简报 表格"}
CHAR_STYLES = {
    "JBLead1": "简报 段首标题1", "JBLead2": "简报 段首标题2", "JBLead3": "简报 段首标题3",
    "JBLead4": "简报 段首标题4", "JBNoteLabel": "简报 编者按标签",
}


@lru_cache(maxsize=1)
def _template_bytes() -> bytes:
    """python-docx's default package, trimmed once per process: without the parts a bulletin
    drops (:func:`_trim_package`) and with an empty styles part (:func:`_write_styles` writes
    every style), so that each render parses 7 KB of XML instead of 450 KB."""
    import docx
    from docx.api import _default_docx_path

    doc = docx.Document(_default_docx_path())
    _trim_package(doc)
    styles = doc.styles.element
    for child in list(styles):
        styles.remove(child)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render(bulletin: Bulletin, layout: Layout, *, end_page_alone: bool = False):
    """Build the python-docx ``Document`` for *bulletin* in *layout*.

    *end_page_alone* puts the end block on a page of its own, with no page number (for
    double-sided printing, when the text ends on an odd page: see ``end_on_even_page``).
    """
    import docx

    doc = docx.Document(io.BytesIO(_template_bytes()))
    _trim_package(doc)
    _write_styles(doc, layout)
    _write_settings(doc)
    _write_font_table(doc, layout)
    _write_section(doc, layout)
    _write_core_properties(doc, bulletin)
    _Body(doc, bulletin, layout).build()
    if end_page_alone:
        _end_block_on_its_own_page(doc)
    return doc


def _end_block_on_its_own_page(doc) -> None:
    """Close the text's section after its last paragraph and give the end block a new,
    unnumbered section: the blank page GB/T 9704 asks for before an even 版记 page."""
    from copy import deepcopy

    body = doc.element.body
    floating = [t for t in body.findall(w("tbl")) if t.find(f"{w('tblPr')}/{w('tblpPr')}") is not None]
    if not floating:  # no end block (tables in the text are not floating)
        return
    tbl = floating[-1]
    last = tbl.getprevious()
    if last.tag != w("p"):  # the text ends with a table: a section break needs a paragraph to sit in
        last.addnext(x.carrier_paragraph())
        last = last.getnext()
    final = body.find(w("sectPr"))
    sub(last, "pPr").append(deepcopy(final))  # the text's section keeps the numbered footers
    for ref in final.findall(w("footerReference")) + final.findall(w("headerReference")):
        final.remove(ref)
    put(final, el("type", val="nextPage"))
    # LibreOffice 7.4 drops a section break that is directly followed by a floating table:
    # the new section opens with an empty paragraph.
    opener = el("p")
    put(sub(opener, "pPr"), el("pStyle", val="Normal"))
    tbl.addprevious(opener)
    section = doc.sections[-1]
    for footer in (section.footer, section.even_page_footer, section.first_page_footer):
        footer.is_linked_to_previous = False  # a new, empty footer: no page number


# --- package, styles, settings ----------------------------------------------------------------

def _trim_package(doc) -> None:
    """Drop parts a bulletin does not need (the 430 KB stylesWithEffects, the thumbnail …)."""
    drop = ("stylesWithEffects", "customXml", "webSettings", "numbering")
    for rid, rel in list(doc.part.rels.items()):
        if any(rel.reltype.endswith(k) for k in drop):
            del doc.part.rels[rid]
    for rid, rel in list(doc.part.package.rels.items()):
        if rel.reltype.endswith("thumbnail"):
            del doc.part.package.rels[rid]


def _rpr_for(font: Font, *, spacing: int | None = None, hint: bool = False) -> etree._Element:
    rpr = el("rPr")
    x.set_fonts(rpr, font.east_asia, font.latin, hint="eastAsia" if hint else None)
    x.set_bold(rpr, font.bold)
    if font.color:
        x.set_color(rpr, font.color)
    if spacing is not None:
        x.set_char_spacing(rpr, spacing)
    x.set_size(rpr, font.size)
    return rpr


def _style(kind: str, sid: str, name: str, *, based_on: str | None = "Normal", next_: str | None = None,
           default: bool = False) -> etree._Element:
    s = el("style", type=kind, styleId=sid, default="1" if default else None)
    if sid.startswith("JB"):
        s.set(w("customStyle"), "1")
    s.append(el("name", val=name))
    if based_on:
        s.append(el("basedOn", val=based_on))
    if next_:
        s.append(el("next", val=next_))
    s.append(el("qFormat"))
    return s


def _para_style(sid: str, font: Font, layout: Layout, *, jc: str = "both", line: int | None = None,
                indent_chars: int | None = 0, keep_next: bool = False, outline: int | None = None,
                spacing: int | None = None, snap: bool | None = None, based_on: str = "Normal",
                before: int = 0, after: int = 0) -> etree._Element:
    s = _style("paragraph", sid, STYLES[sid], based_on=based_on,
               next_="Normal" if sid != "Normal" else None, default=sid == "Normal")
    ppr = sub(s, "pPr")
    if keep_next:
        x.set_flag(ppr, "keepNext")
    if snap is not None:
        x.set_flag(ppr, "snapToGrid", snap)
    x.set_spacing(ppr, line=line or layout.grid.line_pitch, before=before, after=after)
    if indent_chars is not None:
        first = round(font.size * 20 * indent_chars / 100)
        x.set_indent(ppr, first_line_chars=indent_chars, first_line=first, left=0, right=0, left_chars=0,
                     right_chars=0)
    x.set_jc(ppr, jc)
    if outline is not None:
        x.set_outline_level(ppr, outline)
    s.append(_rpr_for(font, spacing=spacing))
    return s


def _char_style(sid: str, font: Font) -> etree._Element:
    s = _style("character", sid, CHAR_STYLES[sid], based_on="DefaultParagraphFont")
    s.append(_rpr_for(font))
    return s


def _write_styles(doc, layout: Layout) -> None:
    """Replace the template's styles with ours: theme-free fonts in all four slots, exact lines."""
    root = doc.styles.element
    for child in list(root):
        root.remove(child)
    f = layout.fonts
    pitch = layout.grid.line_pitch

    defaults = etree.SubElement(root, w("docDefaults"))
    rpr = etree.SubElement(etree.SubElement(defaults, w("rPrDefault")), w("rPr"))
    x.set_fonts(rpr, f.body.east_asia, f.body.latin)
    x.set_kern_off(rpr)
    x.set_size(rpr, f.body.size)
    x.set_lang(rpr)
    ppr = etree.SubElement(etree.SubElement(defaults, w("pPrDefault")), w("pPr"))
    x.set_spacing(ppr, line=pitch)

    normal = _para_style("Normal", f.body, layout, indent_chars=200, spacing=layout.grid.char_spacing,
                         based_on=None)
    nppr = normal.find(w("pPr"))
    x.set_flag(nppr, "widowControl", False)
    x.set_flag(nppr, "overflowPunct", True)  # LibreOffice 7.4 otherwise drops a hanging "。"
    root.append(normal)

    dpf = _style("character", "DefaultParagraphFont", "Default Paragraph Font", based_on=None, default=True)
    dpf.remove(dpf.find(w("qFormat")))
    dpf.append(el("uiPriority", val=1))
    dpf.append(el("semiHidden"))
    root.append(dpf)
    tn = _style("table", "TableNormal", "Normal Table", based_on=None, default=True)
    tn.remove(tn.find(w("qFormat")))
    tblpr = etree.SubElement(tn, w("tblPr"))
    mar = etree.SubElement(tblpr, w("tblCellMar"))
    for side, val in (("top", 0), ("left", 108), ("bottom", 0), ("right", 108)):
        mar.append(el(side, w=val, type="dxa"))
    root.append(tn)

    keep = layout.headings.keep_with_next
    for level, font in enumerate((f.heading1, f.heading2, f.heading3, f.heading4), start=1):
        root.append(_para_style(f"Heading{level}", font, layout, indent_chars=200, keep_next=keep,
                                outline=level - 1, spacing=layout.grid.char_spacing))
        root.append(_char_style(f"JBLead{level}", font))
    m = layout.masthead
    root.append(_para_style("JBMark", f.mark, layout, jc="left", snap=False))
    root.append(_para_style("JBMasthead", f.name, layout, jc="center", snap=False, spacing=m.name_char_spacing,
                            line=round(f.name.size * m.name_line_ratio * 20)))
    root.append(_para_style("JBIssueLine", f.issue_line, layout, jc="center", snap=False))
    root.append(_para_style("JBPeriod", f.period, layout, jc="center", snap=False))
    root.append(_para_style("JBEditorLine", f.editor_line, layout, jc="left", snap=False))
    root.append(_para_style("JBNote", f.note, layout, indent_chars=200, spacing=layout.grid.char_spacing))
    root.append(_char_style("JBNoteLabel", f.note_label))
    root.append(_para_style("Title", f.title, layout, jc="center", line=layout.title.line, snap=False,
                            keep_next=True, outline=None))
    root.append(_para_style("Subtitle", f.subtitle, layout, jc="center", snap=False, keep_next=True))
    eb = layout.end_block
    root.append(_para_style("JBEndBlock", f.end_block, layout, jc="both", line=eb.line, indent_chars=None,
                            snap=False, spacing=0))
    root.append(_para_style("JBCopies", f.end_block, layout, jc="right", line=eb.line, indent_chars=None,
                            snap=False, spacing=0))
    _write_table_styles(root, layout)
    footer = _para_style("Footer", f.page_number, layout, jc="center", snap=False, based_on=None,
                         indent_chars=0, spacing=0)
    # LibreOffice trap: an exact 579 footer grows taller than its area and costs a body line.
    x.set_spacing(footer.find(w("pPr")), line=240, rule="auto")
    root.append(footer)


def _write_table_styles(root: etree._Element, layout: Layout) -> None:
    """Caption, header and cell paragraph styles and the table style: no first-line indent (the
    body's two characters must not reach into a cell), no character condensing, and their own exact
    line height off the 22-line grid, so a row is as tall as its text and never clips it."""
    t = layout.table
    root.append(_para_style("JBTableCaption", t.caption, layout, jc="center", line=t.caption_line,
                            keep_next=True, spacing=0))
    for sid, font in (("JBTableHeader", t.header), ("JBTableCell", t.cell)):
        root.append(_para_style(sid, font, layout, jc="center", line=t.line, snap=False, spacing=0))
    style = _style("table", "JBTable", TABLE_STYLES["JBTable"], based_on="TableNormal")
    tblpr = etree.SubElement(style, w("tblPr"))
    put(tblpr, x.table_borders(t.border, t.border_color))
    put(tblpr, x.cell_margins(t.cell_margin, t.cell_margin_vertical))
    root.append(style)


def _write_settings(doc) -> None:
    settings = doc.settings.element
    lang = settings.find(w("themeFontLang"))
    if lang is not None:
        lang.set(w("eastAsia"), "zh-CN")
    for tag in ("rsids", "proofState", "attachedTemplate"):
        old = settings.find(w(tag))
        if old is not None:
            settings.remove(old)
    doc.settings.odd_and_even_pages_header_footer = True


_PANOSE = {
    "仿宋_GB2312": ("02010609030101010101", "modern", "86"),
    "楷体_GB2312": ("02010609030101010101", "modern", "86"),
    "黑体": ("02010609060101010101", "modern", "86"),
    "宋体": ("02010600030101010101", "auto", "86"),
    "方正小标宋简体": ("02000000000000000000", "auto", "86"),
    "Times New Roman": ("02020603050405020304", "roman", "00"),
}


def _write_font_table(doc, layout: Layout) -> None:
    """Our fonts, with ``w:altName`` fallbacks Word tries when a face is missing."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    part = doc.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    for child in list(root):
        root.remove(child)
    names: list[str] = []
    t = layout.table
    for font in [*layout.fonts.__dict__.values(), t.caption, t.header, t.cell]:
        for n in (font.east_asia, font.latin):
            if n not in names:
                names.append(n)
    for n in names:
        f = etree.SubElement(root, w("font"))
        f.set(w("name"), n)
        alt = layout.font_alternates.get(n)
        if alt:
            f.append(el("altName", val=alt))
        panose, family, charset = _PANOSE.get(n, (None, "auto", "86" if x.has_cjk(n) else "00"))
        if panose:
            f.append(el("panose1", val=panose))
        f.append(el("charset", val=charset))
        f.append(el("family", val=family))
        f.append(el("pitch", val="variable"))
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _write_section(doc, layout: Layout) -> None:
    from docx.shared import Twips

    p = layout.page
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Twips(p.width), Twips(p.height)
    sec.top_margin, sec.bottom_margin = Twips(p.margin_top), Twips(p.margin_bottom)
    sec.left_margin, sec.right_margin = Twips(p.margin_left), Twips(p.margin_right)
    sec.header_distance, sec.footer_distance = Twips(p.header), Twips(p.footer)
    sectpr = sec._sectPr
    for attr in list(sectpr.attrib):
        del sectpr.attrib[attr]
    put(sectpr, el("docGrid", type="lines", linePitch=layout.grid.line_pitch))

    pn = layout.page_number
    _page_number_footer(sec.footer, layout, "right")
    _page_number_footer(sec.even_page_footer, layout, "left")
    if not pn.first_page:
        sec.different_first_page_header_footer = True
        sec.first_page_footer.is_linked_to_previous = False


def _page_number_footer(footer, layout: Layout, side: str) -> None:
    """"— N —" in 宋体 四号, one character in from the outer edge."""
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]._p
    for child in list(p):
        p.remove(child)
    ppr = sub(p, "pPr")
    put(ppr, el("pStyle", val="Footer"))
    x.set_indent(ppr, **{side: layout.page_number.indent, f"{side}_chars": 100}, first_line=0, first_line_chars=0)
    x.set_jc(ppr, side)
    font = layout.fonts.page_number
    dash = layout.page_number.dash

    def rpr() -> etree._Element:
        return _rpr_for(font, hint=True, spacing=0)

    def text(t: str) -> etree._Element:
        r = x.text_run(t, hint=False)
        r.insert(0, rpr())
        return r

    p.append(text(f"{dash} "))
    for r in x.field_runs("PAGE", "1", rpr):
        p.append(r)
    p.append(text(f" {dash}"))


def _write_core_properties(doc, bulletin: Bulletin) -> None:
    """Title, author and dates from the issue, never from the clock: builds are reproducible."""
    cp = doc.core_properties
    issue = bulletin.issue
    cp.title = f"{bulletin.series.name} {issue_line(bulletin)}"
    cp.author = cp.last_modified_by = bulletin.series.editor
    cp.subject = cp.keywords = cp.category = cp.comments = ""
    stamp = dt.datetime.combine(issue.date, dt.time(0, 0))
    cp.created = cp.modified = stamp
    cp.last_printed = stamp
    cp.revision = 1


# --- text of the masthead -----------------------------------------------------------------------

def issue_line(bulletin: Bulletin) -> str:
    """第18期（总第356期） · 增刊第2期."""
    i = bulletin.issue
    line = f"增刊第{i.number}期" if i.supplement else f"第{i.number}期"
    if i.total is not None:
        line += f"（总第{i.total}期）"
    return line


def period_line(bulletin: Bulletin) -> str | None:
    p = bulletin.issue.period
    return f"（{cn_range(p.start, p.end)}）" if p else None


# --- body ---------------------------------------------------------------------------------------

@dataclass
class _Para:
    style: str
    runs: list[etree._Element]


class _Body:
    """Appends the bulletin's paragraphs and the end block to the document body."""

    def __init__(self, doc, bulletin: Bulletin, layout: Layout):
        self.body = doc.element.body
        for child in list(self.body):
            if etree.QName(child).localname != "sectPr":
                self.body.remove(child)
        self.sectpr = self.body.find(w("sectPr"))
        self.b = bulletin
        self.layout = layout
        self.pending_before = 0  # space owed above the next paragraph (after the rule, the title)
        self.title_lines: list[str] = []
        self.titled = False
        self.open_lead: etree._Element | None = None

    # paragraphs ------------------------------------------------------------------------------
    def para(self, style: str, *runs: etree._Element, before: int | None = None) -> etree._Element:
        """Append a paragraph of *style*; *before* (or the space owed) goes above it."""
        p = el("p")
        ppr = sub(p, "pPr")
        put(ppr, el("pStyle", val=style))
        if before is None:
            before = self.pending_before
        self.pending_before = 0
        if before:
            x.set_spacing(ppr, line=self._style_line(style), before=before)
        for r in runs:
            p.append(r)
        self.sectpr.addprevious(p)
        return p

    def _style_line(self, style: str) -> int:
        lay = self.layout
        return {"Title": lay.title.line, "JBEndBlock": lay.end_block.line,
                "JBTableCaption": lay.table.caption_line}.get(style, lay.grid.line_pitch)

    def text(self, style: str, text: str, **kw) -> etree._Element:
        return self.para(style, x.text_run(text), **kw)

    # the parts ---------------------------------------------------------------------------------
    def build(self) -> None:
        """The masthead, then every node of the document tree in print order, then the end block."""
        self.masthead()
        for node in walk(self.b.issue):
            if node.kind != "title" and self.title_lines:
                self.title()
            getattr(self, node.kind)(node)
        if self.title_lines:
            self.title()
        self.end_block()

    def masthead(self) -> None:
        lay, s, i = self.layout, self.b.series, self.b.issue
        m, f, width = lay.masthead, lay.fonts, lay.page.text_width
        used = 0
        if s.mark:
            self.text("JBMark", s.mark)
            used = lay.grid.line_pitch
        size = fit_size(s.name, m.name_sizes, width, m.name_char_spacing)
        name = s.name
        if size is None:
            size = m.name_sizes[-1]
            name = split_balanced(name)
        line = round(size * m.name_line_ratio * 20)
        run = x.text_run(name)
        x.set_size(sub(run, "rPr"), size)
        p = self.para("JBMasthead", run, before=0)
        x.set_spacing(sub(p, "pPr"), line=line, before=max(0, m.name_top - used))

        self.text("JBIssueLine", issue_line(self.b), before=m.issue_line_before)
        period = period_line(self.b)
        if period:
            self.text("JBPeriod", period, before=m.period_before)

        date = cn_date(i.date)
        size = fit_size(s.editor + date, m.editor_line_sizes, width, lay.grid.char_spacing, extra_em=1)
        runs = [x.text_run(s.editor), x.tab_run(), x.text_run(date)]
        if size is not None and size != f.editor_line.size:
            for r in runs:
                x.set_size(sub(r, "rPr"), size)
        p = self.para("JBEditorLine", *runs, before=m.editor_line_before)
        ppr = sub(p, "pPr")
        x.bottom_border(ppr, size=m.rule_size, space=m.rule_space, color=m.rule_color)
        x.set_right_tab(ppr, width)
        self.pending_before = m.after_rule

    # one method per kind of node (jianbao.document.Kind) --------------------------------------
    def note(self, node: Node) -> None:
        if node.path[-1] == 0:
            self.para("JBNote", x.text_run("编者按：", rstyle="JBNoteLabel"), x.text_run(node.value))
        else:
            self.text("JBNote", node.value)

    def title(self, node: Node | None = None) -> None:
        """Title lines are gathered and printed as one paragraph, followed by the subtitle."""
        if node is not None:
            self.title_lines.append(node.value)
            return
        before = self.pending_before or (self.layout.title.before if self.b.issue.note else 0)
        self.text("Title", "\n".join(self.title_lines), before=before)
        self.title_lines = []
        self.titled = True
        self.pending_before = self.layout.title.after

    def subtitle(self, node: Node) -> None:
        if self.titled:  # a subtitle belongs to a title
            self.text("Subtitle", node.value, before=0)  # right under the title; the space comes after it
            self.pending_before = self.layout.title.after

    def section(self, node: Node) -> None:
        pass  # a container: its heading, lead and blocks follow as nodes of their own

    item = section

    def heading(self, node: Node) -> None:
        self.text(f"Heading{node.level}", node.marker + node.value)

    def lead(self, node: Node) -> None:
        self.open_lead = self.para("Normal", x.text_run(node.marker + node.value, rstyle=f"JBLead{node.level}"))

    def paragraph(self, node: Node) -> None:
        if node.run_in:  # the first paragraph of a lead's body runs on in the lead's paragraph
            self.open_lead.append(x.text_run(node.value))
        else:
            self.text("Normal", (node.marker or "") + node.value)

    def table(self, node: Node) -> None:
        """Caption, then the table: full borders, the header row repeated on every page, explicit
        column widths (relative ``widths`` scaled to the text area, equal by default)."""
        t, lay = node.value, self.layout.table
        widths = column_widths(t.widths or [1] * len(t.header), self.layout.page.text_width)
        aligns = column_aligns(t, widths, lay)
        self.para("JBTableCaption", x.text_run(t.caption), before=self.pending_before or lay.caption_before)
        tbl = x.grid_table(widths, border=lay.border, color=lay.border_color, margin=lay.cell_margin,
                           margin_vertical=lay.cell_margin_vertical, style="JBTable")
        x.grid_row(tbl, widths, [_cell("JBTableHeader", v, "center") for v in t.header], header=True,
                   height=lay.row_height)
        for row in t.rows:
            cells = [_cell("JBTableCell", v, a) for v, a in zip(row, aligns)]
            x.grid_row(tbl, widths, cells, height=lay.row_height)
        self.sectpr.addprevious(tbl)
        self.pending_before = lay.after

    def end_block(self) -> None:
        s, lay = self.b.series, self.layout
        eb, font = lay.end_block, lay.fonts.end_block
        rows: list[etree._Element] = []
        char = round(font.size * 20)
        for label, value in s.distribution.items():
            text = value if isinstance(value, str) else s.separator.join(value) + "。"
            head = f"{label}："
            p = el("p")
            ppr = sub(p, "pPr")
            put(ppr, el("pStyle", val="JBEndBlock"))
            hang = round(x.em_width(head) * char)
            x.set_indent(ppr, left=eb.indent + hang, hanging=hang, right=eb.indent)
            p.append(x.text_run(head + text))
            rows.append(p)
        if s.copies:
            p = el("p")
            ppr = sub(p, "pPr")
            put(ppr, el("pStyle", val="JBCopies"))
            x.set_indent(ppr, left=0, right=eb.indent)
            p.append(x.text_run(f"（共印{s.copies}份）"))
            rows.append(p)
        if not rows:
            return
        width = lay.page.text_width
        tbl = x.floating_bottom_table(width, lay.page.margin_left, outer=eb.rule_outer, inner=eb.rule_inner)
        for p in rows:
            x.table_row(tbl, width, [p])
        self.sectpr.addprevious(tbl)
        # The floating table is anchored to the paragraph that follows it.
        self.para("Normal", before=0)


# --- tables ---------------------------------------------------------------------------------------

def column_widths(weights: list[float], total: int) -> list[int]:
    """Relative *weights* scaled to *total* twips, in whole twips that add up to *total* exactly."""
    scale = total / sum(weights)
    widths, acc = [], 0.0
    for wgt in weights:  # round the running sum, not each width: no drift, exact total
        acc += wgt * scale
        widths.append(round(acc) - sum(widths))
    return widths


def column_aligns(t: Table, widths: list[int], lay) -> list[str]:
    """Alignment of each column's cells: as written, else centred, except text columns in which
    some cell needs more than one line (those read better from the left)."""
    from ..tables import cell_number, is_blank

    if isinstance(t.align, str):
        return [t.align] * len(widths)
    if t.align:
        return list(t.align)
    out = []
    room = lambda c: widths[c] - 2 * lay.cell_margin  # noqa: E731
    for c in range(len(widths)):
        cells = [row[c] for row in t.rows if c < len(row) and not is_blank(row[c])]
        numeric = cells and all(cell_number(v) is not None for v in cells)
        wraps = any(x.em_width(v) * lay.cell.size * 20 > room(c) for v in cells)
        out.append("left" if wraps and not numeric else "center")
    return out


def _cell(style: str, value, align: str) -> etree._Element:
    from ..tables import cell_text

    text = cell_text(value)  # resolve made every cell text; a bulletin built by hand may hold numbers
    p = el("p")
    ppr = sub(p, "pPr")
    put(ppr, el("pStyle", val=style))
    x.set_jc(ppr, {"left": "left", "center": "center", "right": "right"}[align])
    if text:
        p.append(x.text_run(text))
    return p
