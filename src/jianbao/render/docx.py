"""Stage 5 — render: walk the document tree of a resolved bulletin and build the .docx.

The document is built on python-docx's package (content types, relationships, parts) but its
styles (:mod:`.styles`), settings, font table and core properties (:mod:`.package`), page and
footers (:mod:`.page`) and body (here: one method per kind of :class:`~jianbao.document.Node`) are
written by jianbao: every number comes from the layout preset, every piece of raw XML from
:mod:`jianbao.render.ooxml`, every generated line of text from :mod:`jianbao.text`.

Page 1 opens with the masthead (optional mark, red name, 期号 line, period line, editor ‖ date
line over the red rule); then 编者按, article title and subtitle, lead paragraphs and the
numbered sections; the 版记 (报/送/发 rows, 共印份数) is a table floating at the bottom of the
last page.  Footers carry "— N —" on the outer edge: right on odd pages, left on even pages.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .. import document, images
from ..dates import cn_date
from ..document import Node, walk
from ..layout import Layout
from ..metrics import fit_size, split_balanced
from ..model import Bulletin, Table
from ..text import copies_line, end_block_rows, issue_line, period_line
from ..units import pt_to_twips, twips_to_emu
from . import ooxml as x
from .ooxml import el, put, sub, w
from .package import template_bytes, trim_package, write_core_properties, write_font_table, write_settings, write_theme
from .page import draft_headers, end_block_on_its_own_page, write_section
from .styles import role_font, write_styles


def render(bulletin: Bulletin, layout: Layout, *, end_page_alone: bool = False, draft: bool = False):
    """Build the python-docx ``Document`` for *bulletin* in *layout*.

    *end_page_alone* puts the end block on a page of its own, with no page number (for
    double-sided printing, when the text ends on an odd page: see ``end_on_even_page``).
    *draft* prints the preset's draft mark in the header of every page.
    """
    import docx

    doc = docx.Document(io.BytesIO(template_bytes()))
    trim_package(doc)
    write_styles(doc, layout, images=any(True for _ in document.images(bulletin.issue)))
    write_settings(doc)
    write_font_table(doc, layout)
    write_theme(doc, layout)
    write_section(doc, layout)
    if draft:
        draft_headers(doc, layout)
    write_core_properties(doc, bulletin)
    _Body(doc, bulletin, layout).build()
    if end_page_alone:
        end_block_on_its_own_page(doc)
    return doc


# --- body ---------------------------------------------------------------------------------------

@dataclass
class _Para:
    style: str
    runs: list[etree._Element]


class _Body:
    """Appends the bulletin's paragraphs and the end block to the document body."""

    def __init__(self, doc, bulletin: Bulletin, layout: Layout):
        self.part = doc.part
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

    def runs(self, style: str, text: str, rstyle: str | None = None) -> list[etree._Element]:
        """The runs of *text* in a paragraph of *style* (and character style *rstyle*)."""
        font = role_font(self.layout, rstyle or style)
        return x.text_runs(text, east_asia=font.east_asia, rstyle=rstyle)

    def text(self, style: str, text: str, **kw) -> etree._Element:
        return self.para(style, *self.runs(style, text), **kw)

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
        line = round(pt_to_twips(size * m.name_line_ratio))
        runs = self.runs("JBMasthead", name)
        for run in runs:
            x.set_size(sub(run, "rPr"), size)
        p = self.para("JBMasthead", *runs, before=0)
        x.set_spacing(sub(p, "pPr"), line=line, before=max(0, m.name_top - used))

        self.text("JBIssueLine", issue_line(self.b), before=m.issue_line_before)
        period = period_line(self.b)
        if period:
            self.text("JBPeriod", period, before=m.period_before)

        date = cn_date(i.date)
        size = fit_size(s.editor + date, m.editor_line_sizes, width, lay.grid.char_spacing, extra_em=1)
        runs = [*self.runs("JBEditorLine", s.editor), x.tab_run(), *self.runs("JBEditorLine", date)]
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
            self.para("JBNote", *self.runs("JBNote", "编者按：", rstyle="JBNoteLabel"),
                      *self.runs("JBNote", node.value))
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
        self.open_lead = self.para("Normal", *self.runs("Normal", node.marker + node.value,
                                                        rstyle=f"JBLead{node.level}"))

    def paragraph(self, node: Node) -> None:
        if node.run_in:  # the first paragraph of a lead's body runs on in the lead's paragraph
            assert self.open_lead is not None  # the walk yields a run-in paragraph right after its lead
            self.open_lead.extend(self.runs("Normal", node.value))
        else:
            self.text("Normal", (node.marker or "") + node.value)

    def image(self, node: Node) -> None:
        """A photo centred in a paragraph whose exact height is a whole number of grid lines (the
        text after it stays on the grid), kept on the page of its caption; never split, and never
        taller than the preset's max_lines (scaled down to fit)."""
        from io import BytesIO

        lay, block = self.layout, node.value
        pitch = lay.grid.line_pitch
        width = round((block.width or lay.image.width) * lay.page.text_width)
        photo = images.prepared(Path(block.image), width)
        height = round(width * photo.ratio)
        most = lay.image.max_lines * pitch - pitch // 4  # a little room inside the exact line
        if height > most:
            width, height = round(width * most / height), most
        lines = -(-(height + pitch // 4) // pitch)  # rounded up, with the same room
        inline = self.part.new_pic_inline(BytesIO(photo.data), twips_to_emu(width), twips_to_emu(height))
        before = self.pending_before
        p = self.para("JBImage", x.drawing_run(inline), before=0)
        # at least N lines: exactly N when the photo fits (it does, with room for the descent), and
        # never clipped — LibreOffice crops an inline picture taller than an exact line's ascent
        x.set_spacing(sub(p, "pPr"), line=lines * pitch, rule="atLeast", before=before)
        self.text("JBImageCaption", block.caption)

    def table(self, node: Node) -> None:
        """Caption, then the table: full borders, the header row repeated on every page, explicit
        column widths (relative ``widths`` scaled to the text area, equal by default)."""
        t, lay = node.value, self.layout.table
        widths = column_widths(t.widths or [1] * len(t.header), self.layout.page.text_width)
        aligns = column_aligns(t, widths, lay)
        self.para("JBTableCaption", *self.runs("JBTableCaption", t.caption), before=self.pending_before or lay.caption_before)
        tbl = x.grid_table(widths, border=lay.border, color=lay.border_color, margin=lay.cell_margin,
                           margin_vertical=lay.cell_margin_vertical, style="JBTable")
        head, cell = lay.header.east_asia, lay.cell.east_asia
        x.grid_row(tbl, widths, [_cell("JBTableHeader", v, "center", head) for v in t.header], header=True,
                   height=lay.row_height)
        for row in t.rows:
            cells = [_cell("JBTableCell", v, a, cell) for v, a in zip(row, aligns)]
            x.grid_row(tbl, widths, cells, height=lay.row_height)
        self.sectpr.addprevious(tbl)
        self.pending_before = lay.after

    def end_block(self) -> None:
        s, lay = self.b.series, self.layout
        eb, font = lay.end_block, lay.fonts.end_block
        rows: list[etree._Element] = []
        char = round(pt_to_twips(font.size))
        for label, text in end_block_rows(s):
            head = f"{label}："
            p = el("p")
            ppr = sub(p, "pPr")
            put(ppr, el("pStyle", val="JBEndBlock"))
            hang = round(x.em_width(head) * char)
            x.set_indent(ppr, left=eb.indent + hang, hanging=hang, right=eb.indent)
            p.extend(self.runs("JBEndBlock", head + text))
            rows.append(p)
        copies = copies_line(s)
        if copies:
            p = el("p")
            ppr = sub(p, "pPr")
            put(ppr, el("pStyle", val="JBCopies"))
            x.set_indent(ppr, left=0, right=eb.indent)
            p.extend(self.runs("JBCopies", copies))
            rows.append(p)
        if not rows:
            return
        width = lay.page.text_width
        tbl = x.floating_bottom_table(width, lay.page.margin_left, outer=eb.rule_outer, inner=eb.rule_inner,
                                      color=eb.rule_color)
        for p in rows:
            x.table_row(tbl, width, [p])
        self.sectpr.addprevious(tbl)
        # The floating table is anchored to the paragraph that follows it.
        self.para("Normal", before=0)


# --- tables ---------------------------------------------------------------------------------------

def column_widths(weights: list[float], total: int) -> list[int]:
    """Relative *weights* scaled to *total* twips, in whole twips that add up to *total* exactly."""
    scale = total / sum(weights)
    widths: list[int] = []
    acc = 0.0
    for wgt in weights:  # round the running sum, not each width: no drift, exact total
        acc += wgt * scale
        widths.append(round(acc) - sum(widths))
    return widths


def column_aligns(t: Table, widths: list[int], lay) -> list[str]:
    """Alignment of each column's cells: as written, else centred, except text columns in which
    some cell needs more than one line (those read better from the left)."""
    from ..tables import cell_number, cell_text, is_blank

    if isinstance(t.align, str):
        return [t.align] * len(widths)
    if t.align:
        return list(t.align)
    out = []
    room = lambda c: widths[c] - 2 * lay.cell_margin  # noqa: E731
    for c in range(len(widths)):
        cells = [text for row in t.rows if c < len(row) and not is_blank(text := cell_text(row[c]))]
        numeric = cells and all(cell_number(v) is not None for v in cells)
        wraps = any(pt_to_twips(x.em_width(v) * lay.cell.size) > room(c) for v in cells)
        out.append("left" if wraps and not numeric else "center")
    return out


def _cell(style: str, value, align: str, east_asia: str) -> etree._Element:
    from ..tables import cell_text

    text = cell_text(value)  # resolve made every cell text; a bulletin built by hand may hold numbers
    p = el("p")
    ppr = sub(p, "pPr")
    put(ppr, el("pStyle", val=style))
    x.set_jc(ppr, {"left": "left", "center": "center", "right": "right"}[align])
    if text:
        p.extend(x.text_runs(text, east_asia=east_asia))
    return p
