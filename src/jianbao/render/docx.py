"""Stage 5 — render: walk the document tree of a resolved bulletin and build the .docx.

The document is built on python-docx's package (content types, relationships, parts) but its
styles (:mod:`.styles`), settings, font table and core properties (:mod:`.package`), page and
footers (:mod:`.page`) and body (here: one method per kind of :class:`~jianbao.document.Node`) are
written by jianbao: every number comes from the layout preset, every piece of raw XML from
:mod:`jianbao.render.ooxml`, every generated line of text from :mod:`jianbao.text`.

Page 1 opens with the masthead (optional mark, red name, 期号 line, period line, editor ‖ date
line over the red rule); then 编者按, article title and subtitle, lead paragraphs and the
numbered sections; the 版记 (报/送/发 rows, 共印份数) is a table in a text box pinned to the
bottom of the last page, held by a paragraph as tall as the block (see :meth:`_Body.end_block`).  Footers carry "— N —" on the outer edge: right on odd pages, left on even pages.
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
from ..metrics import LATIN_GAP_EM, fit_size, line_starts, split_balanced
from ..model import Bulletin, Table
from ..text import copies_line, end_block_rows, issue_line, period_line
from ..units import pt_to_twips, twips_to_emu
from . import ooxml as x
from .ooxml import el, put, sub, w
from .package import template_bytes, trim_package, write_core_properties, write_font_table, write_settings, write_theme
from .page import draft_headers, end_block_on_its_own_page, write_section
from .styles import role_font, write_styles


def render(bulletin: Bulletin, layout: Layout, *, end_page_alone: int = 0, draft: bool = False,
           carry: str | None = None, split: list[str] | None = None, nudge: int = 0):
    """Build the python-docx ``Document`` for *bulletin* in *layout*.

    *end_page_alone* puts the end block on a page of its own, with no page number (for
    double-sided printing, when the text ends on an odd page: see ``end_on_even_page``); 2 puts
    an unnumbered blank page before it as well (the text ends on an even page with no room for
    the end block under it).
    *draft* prints the preset's draft mark in the header of every page.

    *carry* is the printed text of the last lines of the text, as measured in a PDF where the end
    block stood alone on a page: the last paragraph is split before them, so that they go to the
    end block's page (see :meth:`_Body.carry`).

    *nudge* (twips) goes above every table caption, on top of the preset's space: the batch PDF
    stage builds again with it when LibreOffice lost text of a table that ends a page (see
    :meth:`_Body.table`); it moves the table out of the half-point window that triggers the loss.
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
    body = _Body(doc, bulletin, layout, carry=carry, end_page_alone=end_page_alone, nudge=nudge)
    body.build()
    if split is not None and body.split_tail:
        split.append(body.split_tail)
    if end_page_alone:
        end_block_on_its_own_page(doc, blank=end_page_alone > 1)
    return doc


# --- body ---------------------------------------------------------------------------------------

@dataclass
class _Para:
    style: str
    runs: list[etree._Element]


class _Body:
    """Appends the bulletin's paragraphs and the end block to the document body."""

    def __init__(self, doc, bulletin: Bulletin, layout: Layout, carry: str | None = None,
                 end_page_alone: int = 0, nudge: int = 0):
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
        # The text after the masthead, in order, for the keep rules (:meth:`keeps`): (kind, element,
        # estimated lines); kind is "heading", "lead" (a paragraph opening with a run-in lead),
        # "standalone" (a lead on a line of its own), "text", "table" or "image" (a photo and its
        # caption; the element is the caption).
        self.flow: list[tuple[str, etree._Element, int]] = []
        self.carry_text = carry
        self.end_page_alone = end_page_alone
        self.split_tail = ""  # the last lines split off the last paragraph (split_last)
        self.owed_at: int | None = None  # the flow index of a paragraph too long to keep (keeps)
        self.nudge = nudge

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

    def lines(self, text: str) -> int:
        """Estimated lines of a body paragraph holding *text* (two characters of first-line indent)."""
        per = self.layout.grid.chars_per_line
        return max(1, -(-round(2 * (x.em_width(text) + 2)) // (2 * per)))

    def flowed(self, kind: str, p: etree._Element, text: str = "") -> etree._Element:
        self.flow.append((kind, p, self.lines(text) if kind != "table" else 0))
        return p

    # the parts ---------------------------------------------------------------------------------
    def build(self) -> None:
        """The masthead, then every node of the document tree in print order, then the end block."""
        self.masthead()
        self.photos_ahead()
        for node in walk(self.b.issue):
            if node.kind != "title" and self.title_lines:
                self.title()
            getattr(self, node.kind)(node)
        if self.title_lines:
            self.title()
        self.keeps()
        if self.carry_text:
            self.carry(self.carry_text)
        elif not self.end_page_alone:
            self.split_last()
        self.end_block()

    def split_last(self) -> None:
        """The last two lines of a long last paragraph (four lines or more: shorter ones are kept
        whole, see :meth:`keeps`), or of the long paragraph before a last one-line paragraph,
        become a paragraph of their own kept with the end block (and the short ones after it), split
        where the line breaks are predicted (:func:`jianbao.metrics.line_starts`), so that a .docx
        opened in Word or converted by LibreOffice never leaves the end block alone on a page —
        neither engine can be asked for it otherwise: LibreOffice moves a kept paragraph whole.
        Where the text fits above the end block nothing shows: the head ends at a line end, spread
        full width, and the tail starts the next line.  The cut is the earlier of the breaks with
        LibreOffice's measured space between Chinese and Latin text and with a wider one, so the
        head's last line is never longer than either engine sets it."""
        at = self.owed_at
        if at is None or self.flow[at][0] not in ("text", "lead"):
            return
        p = self.flow[at][1]
        style = p.find(f"{w('pPr')}/{w('pStyle')}")
        if style is None or style.get(w("val")) != "Normal":
            return
        printed = "".join(t.text or "" for t in p.iter(w("t")))
        lay = self.layout
        size, spacing = round(pt_to_twips(lay.fonts.body.size)), lay.grid.char_spacing
        cuts = [line_starts(printed, lay.page.text_width, size, spacing, lay.grid.first_line_indent, gap)
                for gap in (LATIN_GAP_EM, 1 / 4)]
        if min(len(c) for c in cuts) < 4:  # three lines after all (the estimate of keeps() is rough)
            x.set_flag(sub(p, "pPr"), "keepNext")
            return
        cut = min(c[-2] for c in cuts)
        self.carry(printed[cut:], at)
        self.split_tail = printed[cut:]

    def carry(self, text: str, at: int = -1) -> None:
        """Split the last paragraph (or the paragraph *at* that index of the flow) before its printed tail *text* (its last lines in a PDF where
        the end block stood alone): the tail becomes a paragraph of its own, without first-line
        indent, kept whole and with the end block.  The head keeps its lines as they were (the
        split is at a line end, and its last line is spread full width like the lines before it).

        This is the LibreOffice remedy: its keep-with-next moves a whole paragraph or none of
        it, where Word moves the last lines (widow control) — so Word needs no split.  Nothing
        happens when the text does not end with *text* (a table, or a changed issue); when the head
        would be a single line (an orphan), the whole paragraph is kept together with the end block.
        """
        if not self.flow or self.flow[at][0] in ("table", "image"):
            return
        p = self.flow[at][1]
        runs = p.findall(w("r"))
        printed = "".join(t.text or "" for t in p.iter(w("t")))
        tail = "".join(text.split())
        where = [k for k, ch in enumerate(printed) if not ch.isspace()]  # spaces do not print
        squashed = "".join(printed[k] for k in where)
        if not tail or not squashed.endswith(tail) or len(tail) >= len(squashed):
            return
        cut = where[len(squashed) - len(tail)]
        if self.lines(printed[:cut]) < 2:  # the head would be a lone first line: keep it all together
            ppr = sub(p, "pPr")
            x.set_flag(ppr, "keepNext")
            x.set_flag(ppr, "keepLines")
            return
        from copy import deepcopy

        second = el("p")
        ppr2 = sub(second, "pPr")
        put(ppr2, el("pStyle", val="Normal"))
        x.set_flag(ppr2, "keepNext")
        x.set_flag(ppr2, "keepLines")
        x.set_indent(ppr2, first_line_chars=0, first_line=0)
        seen = 0
        for r in runs:
            ts = r.findall(w("t"))
            t_text = "".join(t.text or "" for t in ts)
            start, end = seen, seen + len(t_text)
            seen = end
            if end <= cut:
                continue
            keep_here = max(0, cut - start)
            moved = deepcopy(r)
            for t in moved.findall(w("t"))[1:]:
                moved.remove(t)
            mt = moved.find(w("t"))
            mt.text = t_text[keep_here:]
            mt.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            second.append(moved)
            if keep_here:
                for t in ts[1:]:
                    r.remove(t)
                ts[0].text = t_text[:keep_here]
            else:
                p.remove(r)
        ppr = sub(p, "pPr")
        ppr.remove(ppr.find(w("keepNext"))) if ppr.find(w("keepNext")) is not None else None
        x.set_jc(ppr, "distribute")  # the head's last line was a full line: it stays one
        p.addnext(second)
        at %= len(self.flow)
        self.flow[at] = ("text", p, 3)
        self.flow.insert(at + 1, ("text", second, 2))

    def keeps(self) -> None:
        """Keep rules a typesetter applies, as ``w:keepNext`` (Word and LibreOffice both honour it):

        - a heading (or a lead standing on its own line) stays with at least two lines of what
          follows it: orphan control keeps the first two lines of a longer paragraph together, so
          only a one-line paragraph after it needs its own keepNext; a table or a photo after it
          keeps itself (its caption and top rows; the photo and its caption, style JBImage);
        - a paragraph opening with a run-in lead that fits on one line stays with the next one;
        - the last two lines of the text stay with the end block (see :meth:`end_block`), or the
          photo that ends it — one line when the paragraph before a one-line last one follows a
          heading: kept too, it would take the heading along, and the heading the title above it
          (a short 专题简报 then left page 1 with the masthead and nothing else).
        """
        flow = self.flow
        for k, (kind, p, lines) in enumerate(flow):
            if kind == "standalone":  # a lead on its own line (a table follows) is a heading
                if k + 1 == len(flow):
                    continue
                x.set_flag(sub(p, "pPr"), "keepNext")
                kind = "heading"
            if kind == "lead" and lines < 2 and k + 1 < len(flow):
                x.set_flag(sub(p, "pPr"), "keepNext")
                kind = "heading_line"
            if kind not in ("heading", "heading_line"):
                continue
            owed = 2 if kind == "heading" else 1  # a run-in lead's own line counts as one
            for kind2, p2, lines2 in flow[k + 1:]:
                if kind2 in ("heading", "table", "image"):  # each keeps itself (its top rows, its caption)
                    break
                if lines2 >= owed:
                    break
                x.set_flag(sub(p2, "pPr"), "keepNext")  # a one-line paragraph: keep it with the next
                owed -= lines2
        # the end of the text: at least two lines come with the end block.  Only short paragraphs
        # are kept: LibreOffice moves a kept paragraph whole (a 20-line one left a page of 8 lines
        # behind); a long last paragraph is split before its predicted last two lines instead
        # (split_last), or, in the batch PDF stage, before the two lines the PDF shows (carry).
        owed = 2
        for k in range(len(flow) - 1, -1, -1):
            kind, p, lines = flow[k]
            if kind == "image":  # a photo ends the text: it comes along, with its caption
                x.set_flag(sub(p, "pPr"), "keepNext")
                break
            if kind == "table":  # no keepNext in data rows (see table())
                break
            if lines > 3:  # too long to keep whole: split before its last two lines (split_last)
                self.owed_at = k
                break
            if owed < 2 and k > 0 and flow[k - 1][0] in ("heading", "standalone"):
                break  # kept, it would take its heading (and the title above it) along: one line will do
            x.set_flag(sub(p, "pPr"), "keepNext")
            owed -= lines
            if owed <= 0:
                break

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
            p = self.para("JBNote", *self.runs("JBNote", "编者按：", rstyle="JBNoteLabel"),
                          *self.runs("JBNote", node.value))
            self.flowed("text", p, "编者按：" + node.value)
        else:
            self.flowed("text", self.text("JBNote", node.value), node.value)

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
        self.flowed("heading", self.text(f"Heading{node.level}", node.marker + node.value), node.marker + node.value)

    def lead(self, node: Node) -> None:
        self.open_lead = self.para("Normal", *self.runs("Normal", node.marker + node.value,
                                                        rstyle=f"JBLead{node.level}"))
        self.flowed("standalone", self.open_lead, node.marker + node.value)  # until its text runs in

    def paragraph(self, node: Node) -> None:
        if node.run_in:  # the first paragraph of a lead's body runs on in the lead's paragraph
            assert self.open_lead is not None  # the walk yields a run-in paragraph right after its lead
            self.open_lead.extend(self.runs("Normal", node.value))
            _, p, lines = self.flow[-1]
            self.flow[-1] = ("lead", p, self.lines("".join(t.text or "" for t in p.iter(w("t")))))
        else:
            text = (node.marker or "") + node.value
            self.flowed("text", self.text("Normal", text), text)

    def image(self, node: Node) -> None:
        """A photo centred in a paragraph whose exact height is a whole number of grid lines (the
        text after it stays on the grid), kept on the page of its caption; never split, and never
        taller than the preset's max_lines (scaled down to fit)."""
        from io import BytesIO

        lay, block = self.layout, node.value
        pitch = lay.grid.line_pitch
        width = self.photo_width(block)
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
        self.caption(block)

    def images(self, node: Node) -> None:
        """Two or three photos side by side, one caption under them: as tall as each other, together
        (with the preset's image.gap between them) as wide as the row — the block's width or
        image.row_width of the 版心, narrower and centred when the row would be taller than
        image.max_lines.  One left-aligned paragraph: a tab stop before each photo places it, the
        paragraph's height is rounded up to whole grid lines as a single photo's is (the text after
        it stays on the grid), and it is kept with its caption; the figure moves to the next page whole."""
        from io import BytesIO

        lay, block = self.layout, node.value
        pitch = lay.grid.line_pitch
        sizes = self.row_sizes(block)
        height = sizes[0][2]
        lines = -(-(height + pitch // 4) // pitch)  # rounded up, with the same room as a single photo
        photos = [images.prepared(path, w_) for path, w_, _ in sizes]  # made ready by photos_ahead()
        gap = self.row_gap(block)
        row = sum(w_ for _, w_, _ in sizes) + gap * (len(sizes) - 1)
        left = (lay.page.text_width - row) // 2
        runs, stops, at = [], [], left
        for (_, width, h), photo in zip(sizes, photos):
            if at > 0:
                runs.append(x.tab_run())
                stops.append(at)
            inline = self.part.new_pic_inline(BytesIO(photo.data), twips_to_emu(width), twips_to_emu(h))
            runs.append(x.drawing_run(inline))
            at += width + gap
        before = self.pending_before
        p = self.para("JBImage", *runs, before=0)
        ppr = sub(p, "pPr")
        x.set_left_tabs(ppr, stops)
        x.set_jc(ppr, "left")
        x.set_spacing(ppr, line=lines * pitch, rule="atLeast", before=before)
        self.caption(block)

    def caption(self, block) -> None:
        """The caption under a photo or a row of them: the photo block's place in the keep rules (the
        photo paragraph, style JBImage, keeps with it; :meth:`keeps` sees the block by it)."""
        self.flow.append(("image", self.text("JBImageCaption", block.caption), 0))

    def photos_ahead(self) -> None:
        """Prepare every photo's print copy at once, a thread per core (image() and images() then find
        them ready): the same widths those methods ask for."""
        calls = []
        for _, block in document.images(self.b.issue):
            if hasattr(block, "images"):
                calls += [(path, w_) for path, w_, _ in self.row_sizes(block)]
            else:
                calls.append((Path(block.image), self.photo_width(block)))
        if len(calls) > 1:
            images.in_parallel(images.prepared, calls)

    def photo_width(self, block) -> int:
        """A single photo's printed width in twips: its own fraction of the 版心, or the preset's."""
        return round((block.width or self.layout.image.width) * self.layout.page.text_width)

    def row_gap(self, block) -> int:
        """The space between photos side by side: the preset's, at most a quarter of a photo's share."""
        n = len(block.images)
        row = round((block.width or self.layout.image.row_width) * self.layout.page.text_width)
        return min(self.layout.image.gap, row // (4 * n))

    def row_sizes(self, block) -> list[tuple[Path, int, int]]:
        """(file, width, height) in twips of each photo of a row, left to right: one height for all."""
        lay = self.layout
        pitch = lay.grid.line_pitch
        paths = [Path(p) for p in block.images]
        row = round((block.width or lay.image.row_width) * lay.page.text_width)
        room = row - self.row_gap(block) * (len(paths) - 1)
        ratios = [images.ratio(p) for p in paths]
        height = min(room / sum(1 / r for r in ratios), lay.image.max_lines * pitch - pitch // 4)
        # widths rounded down: the row never comes out wider than the text area (its last photo would wrap)
        return [(p, max(1, int(height / r)), max(1, round(height))) for p, r in zip(paths, ratios)]

    def table(self, node: Node) -> None:
        """Caption, then the table: full borders, the header row repeated on every page, explicit
        column widths (relative ``widths`` scaled to the text area, equal by default)."""
        t, lay = node.value, self.layout.table
        widths = column_widths(t.widths or [1] * len(t.header), self.layout.page.text_width)
        aligns = column_aligns(t, widths, lay)
        self.para("JBTableCaption", *self.runs("JBTableCaption", t.caption),
                  before=(self.pending_before or lay.caption_before) + self.nudge)
        tbl = x.grid_table(widths, border=lay.border, color=lay.border_color, margin=lay.cell_margin,
                           margin_vertical=lay.cell_margin_vertical, style="JBTable")
        # Keeps (w:keepNext in every cell of the row: Word keeps the row with the next one, and
        # LibreOffice imports it as its table-row keep): the header with the first row and the first
        # row with the second (a page holds at least two rows of a table that goes on, or none of it:
        # the table moves whole), the last two rows together (no page holds the repeated header and
        # a lone last row; the 合计 row always has a data row above it).
        # A LibreOffice 7.4 trap, with or without these keeps: when the rows it must keep together
        # and the next one fit at the page foot but for that row's bottom rule (a window of 0.5 pt),
        # SwTabFrame::MakeAll decides to split (it measures rows without the rule) and Split refuses
        # (it measures with it); the layout loop then gives up and rows vanish from the PDF.  The
        # window is as wide without the keeps (then at the first row): measured in issue 13.  No
        # row height, border or keep setting closes it (tried: borders on the rows' tops or bottoms
        # only, keeps on one cell, no keep on the header); the batch PDF stage finds the lost text
        # and builds again with the caption a point lower (*nudge*), out of the window.
        n = len(t.rows)
        head, cell = lay.header.east_asia, lay.cell.east_asia
        x.grid_row(tbl, widths, [_cell("JBTableHeader", v, "center", head) for v in t.header], header=True,
                   height=lay.row_height, keep_next=True)
        for k, row in enumerate(t.rows):
            cells = [_cell("JBTableCell", v, a, cell) for v, a in zip(row, aligns)]
            x.grid_row(tbl, widths, cells, height=lay.row_height, keep_next=(k == 0 and n > 1) or (n > 2 and k == n - 2))
        self.sectpr.addprevious(tbl)
        self.flow.append(("table", tbl, 0))
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
        tbl = x.bottom_table(width, outer=eb.rule_outer, inner=eb.rule_inner, color=eb.rule_color)
        for p in rows:
            x.table_row(tbl, width, [p])
        height = self.end_block_height(rows)
        closing = x.carrier_paragraph()  # a text box cannot end with a table
        # The end block is a text box pinned to the bottom of the text area, with no text wrapping,
        # held by a paragraph after the text that is as tall as the block (its reservation): that
        # paragraph fits on a page only if the text ends above the block, so the block never
        # overlaps the text, and whether the block comes on the last page of text or on the next
        # one is decided by the text flow alone (keepNext brings the last lines along).  A floating
        # table (w:tblpPr) instead wraps the text before its anchor: LibreOffice floats it over the
        # last rows of a table, pushes them to the next page, moves the anchor after them, and gives
        # up half-way — a page with the repeated header and one row, then the rest of the table
        # without its header on the next page.
        last_table, tail = self.tail_after_table()
        in_table = last_table is not None and not self.end_page_alone
        anchor = el("p")
        ppr = sub(anchor, "pPr")
        put(ppr, el("pStyle", val="Normal"))
        x.set_flag(ppr, "snapToGrid", False)
        anchor.append(x.bottom_text_box([tbl, closing], width, height, name="版记", in_cell=in_table))
        if not in_table:
            x.set_spacing(ppr, line=height)
            self.sectpr.addprevious(anchor)
            return
        # The text ends with a table (and less than two lines after it): LibreOffice keeps no table
        # row with a paragraph, so the holder, and the line after the table, go into a last row of
        # the table without borders, kept with the last data row (and that with the one before it).
        x.set_spacing(ppr, line=height - x.CARRIER_LINE)  # the carrier below takes the rest
        for p in tail:
            ppr_t = sub(p, "pPr")
            if ppr_t.find(w("keepNext")) is not None:
                ppr_t.remove(ppr_t.find(w("keepNext")))
        assert last_table is not None
        rows_ = last_table.findall(w("tr"))
        for cell_p in rows_[-1].iter(w("p")):
            x.set_flag(sub(cell_p, "pPr"), "keepNext")
        x.closing_row(last_table, [*tail, anchor])
        self.sectpr.addprevious(x.carrier_paragraph())  # a document does not end with a table

    def tail_after_table(self) -> tuple[etree._Element | None, list[etree._Element]]:
        """The last table of the text when less than two lines of text follow it (and those
        paragraphs), else (None, [])."""
        tail: list[etree._Element] = []
        lines = 0
        for kind, p, n in reversed(self.flow):
            if kind == "table":
                return p, list(reversed(tail))
            if kind == "image":  # a photo after the table: the text does not end with the table
                break
            tail.append(p)
            lines += n
            if lines >= 2:
                break
        return None, []

    def end_block_height(self, rows: list[etree._Element]) -> int:
        """The end block's height in twips, from its rows' estimated lines and its rules (a little
        over rather than under: the reservation must not be shorter than the block)."""
        lay = self.layout
        eb, char = lay.end_block, round(lay.fonts.end_block.size * 20)
        width = lay.page.text_width
        lines = 0
        for p in rows:
            ind = p.find(f"{w('pPr')}/{w('ind')}")
            left, right = int(ind.get(w("left"), 0)), int(ind.get(w("right"), 0))
            hang = int(ind.get(w("hanging"), 0))
            need = x.em_width("".join(t.text or "" for t in p.iter(w("t")))) * char
            first, rest = width - left + hang - right, width - left - right
            lines += 1 + max(0, -(-(round(need) - first) // rest))
        rules = 2 * eb.rule_outer + (len(rows) - 1) * eb.rule_inner  # in 1/8 pt: 2.5 twips each
        return lines * eb.line + round(rules * 2.5) + x.CARRIER_LINE


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
