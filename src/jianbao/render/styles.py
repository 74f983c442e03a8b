"""The styles part: every paragraph, character and table style a bulletin uses, from the preset.

Named styles (Normal, heading 1–4 with outline levels for the navigation pane, Title, Subtitle,
footer, and the 简报 … styles) so that an office can restyle a bulletin in Word or WPS; fonts in
all four rFonts slots, never a theme font; exact line heights on the 22-line grid.
"""

from __future__ import annotations

from lxml import etree

from ..layout import Font, Layout
from ..units import CHAR_HUNDREDTHS, chars, pt_to_twips
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
    "JBImage": "简报 照片", "JBImageCaption": "简报 图注",
}
TABLE_STYLES = {"JBTable": "简报 表格"}
CHAR_STYLES = {
    "JBLead1": "简报 段首标题1", "JBLead2": "简报 段首标题2", "JBLead3": "简报 段首标题3",
    "JBLead4": "简报 段首标题4", "JBNoteLabel": "简报 编者按标签",
}


def role_font(layout: Layout, style: str) -> Font:
    """The font of a paragraph or character style (its Chinese face sets ambiguous punctuation)."""
    f, t = layout.fonts, layout.table
    return {
        "Normal": f.body, "Heading1": f.heading1, "Heading2": f.heading2, "Heading3": f.heading3,
        "Heading4": f.heading4, "JBLead1": f.heading1, "JBLead2": f.heading2, "JBLead3": f.heading3,
        "JBLead4": f.heading4, "Title": f.title, "Subtitle": f.subtitle, "Footer": f.page_number,
        "JBMark": f.mark, "JBMasthead": f.name, "JBIssueLine": f.issue_line, "JBPeriod": f.period,
        "JBEditorLine": f.editor_line, "JBNote": f.note, "JBNoteLabel": f.note_label,
        "JBEndBlock": f.end_block, "JBCopies": f.end_block, "JBTableCaption": t.caption,
        "JBTableHeader": t.header, "JBTableCell": t.cell, "JBImage": f.body, "JBImageCaption": layout.image.caption,
    }[style]


def rpr_for(font: Font, *, spacing: int | None = None, hint: bool = False) -> etree._Element:
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
                spacing: int | None = None, snap: bool | None = None, based_on: str | None = "Normal",
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
        first = round(pt_to_twips(font.size) * indent_chars / CHAR_HUNDREDTHS)
        x.set_indent(ppr, first_line_chars=indent_chars, first_line=first, left=0, right=0, left_chars=0,
                     right_chars=0)
    x.set_jc(ppr, jc)
    if outline is not None:
        x.set_outline_level(ppr, outline)
    s.append(rpr_for(font, spacing=spacing))
    return s


def _char_style(sid: str, font: Font) -> etree._Element:
    s = _style("character", sid, CHAR_STYLES[sid], based_on="DefaultParagraphFont")
    s.append(rpr_for(font))
    return s


def write_styles(doc, layout: Layout, *, images: bool = False) -> None:
    """Replace the template's styles with ours: theme-free fonts in all four slots, exact lines.
    The photo styles are written only for a bulletin that has photos."""
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

    indent = chars(layout.grid.first_line_indent)
    normal = _para_style("Normal", f.body, layout, indent_chars=indent, spacing=layout.grid.char_spacing,
                         based_on=None)
    nppr = normal.find(w("pPr"))
    # Widow and orphan control (Word's w:widowControl, LibreOffice's 2-line widows and orphans): no
    # single line of a paragraph alone at the top or the foot of a page.
    x.set_flag(nppr, "widowControl", True)
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
    for side, val in (("top", 0), ("left", layout.table.cell_margin), ("bottom", 0), ("right", layout.table.cell_margin)):
        mar.append(el(side, w=val, type="dxa"))
    root.append(tn)

    keep = layout.headings.keep_with_next
    for level, font in enumerate((f.heading1, f.heading2, f.heading3, f.heading4), start=1):
        root.append(_para_style(f"Heading{level}", font, layout, indent_chars=indent, keep_next=keep,
                                outline=level - 1, spacing=layout.grid.char_spacing))
        root.append(_char_style(f"JBLead{level}", font))
    m = layout.masthead
    root.append(_para_style("JBMark", f.mark, layout, jc="left", snap=False))
    root.append(_para_style("JBMasthead", f.name, layout, jc="center", snap=False, spacing=m.name_char_spacing,
                            line=round(pt_to_twips(f.name.size * m.name_line_ratio))))
    root.append(_para_style("JBIssueLine", f.issue_line, layout, jc="center", snap=False))
    root.append(_para_style("JBPeriod", f.period, layout, jc="center", snap=False))
    root.append(_para_style("JBEditorLine", f.editor_line, layout, jc="left", snap=False))
    root.append(_para_style("JBNote", f.note, layout, indent_chars=indent, spacing=layout.grid.char_spacing))
    root.append(_char_style("JBNoteLabel", f.note_label))
    root.append(_para_style("Title", f.title, layout, jc="center", line=layout.title.line, snap=False,
                            keep_next=True, outline=None))
    root.append(_para_style("Subtitle", f.subtitle, layout, jc="center", snap=False, keep_next=True))
    eb = layout.end_block
    root.append(_para_style("JBEndBlock", f.end_block, layout, jc="both", line=eb.line, indent_chars=None,
                            snap=False, spacing=0))
    root.append(_para_style("JBCopies", f.end_block, layout, jc="right", line=eb.line, indent_chars=None,
                            snap=False, spacing=0))
    write_table_styles(root, layout)
    if images:
        root.append(_para_style("JBImage", f.body, layout, jc="center", indent_chars=0, keep_next=True,
                                snap=False, spacing=0))
        root.append(_para_style("JBImageCaption", layout.image.caption, layout, jc="center", indent_chars=0,
                                spacing=0))
    footer = _para_style("Footer", f.page_number, layout, jc="center", snap=False, based_on=None,
                         indent_chars=0, spacing=0)
    # LibreOffice trap: an exact 579 footer grows taller than its area and costs a body line.
    x.set_spacing(footer.find(w("pPr")), line=layout.page_number.line, rule="auto")
    root.append(footer)


def write_table_styles(root: etree._Element, layout: Layout) -> None:
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
