"""The page: size, margins, the line grid, the "— N —" footers on the outer edge, and the section
break that gives the end block a page of its own."""

from __future__ import annotations

from lxml import etree

from ..layout import Layout
from ..units import chars
from . import ooxml as x
from .ooxml import el, put, sub, w
from .styles import rpr_for


def write_section(doc, layout: Layout) -> None:
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


def draft_headers(doc, layout: Layout) -> None:
    """The draft mark (``layout.draft``) in every header: odd, even and, when it has its own, the
    first page's (``jianbao build --draft``)."""
    d = layout.draft
    sec = doc.sections[0]
    headers = [sec.header, sec.even_page_header]
    if sec.different_first_page_header_footer:
        headers.append(sec.first_page_header)
    for header in headers:
        header.is_linked_to_previous = False
        p = header.paragraphs[0]._p
        for child in list(p):
            p.remove(child)
        ppr = sub(p, "pPr")
        x.set_indent(ppr, first_line=0, first_line_chars=0)
        x.set_jc(ppr, d.align)
        r = x.text_run(d.text, hint=False)
        r.insert(0, rpr_for(d.font, hint=True, spacing=0))
        p.append(r)


def _page_number_footer(footer, layout: Layout, side: str) -> None:
    """"— N —" in 宋体 四号, one character in from the outer edge."""
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]._p
    for child in list(p):
        p.remove(child)
    ppr = sub(p, "pPr")
    put(ppr, el("pStyle", val="Footer"))
    pn = layout.page_number
    x.set_indent(ppr, **{side: pn.indent, f"{side}_chars": chars(pn.indent_chars)}, first_line=0, first_line_chars=0)
    x.set_jc(ppr, side)
    font = layout.fonts.page_number
    dash = layout.page_number.dash

    def rpr() -> etree._Element:
        r = rpr_for(font, hint=True, spacing=0)
        x.set_lang(r, "zh-CN")  # the dashes are Chinese punctuation: a full-width glyph in every font
        return r

    def text(t: str) -> etree._Element:
        r = x.text_run(t, hint=False)
        r.insert(0, rpr())
        return r

    p.append(text(f"{dash} "))
    for r in x.field_runs("PAGE", "1", rpr):
        p.append(r)
    p.append(text(f" {dash}"))


def end_block_on_its_own_page(doc, blank: bool = False) -> None:
    """Close the text's section after its last paragraph and give the end block a new,
    unnumbered section; *blank*: an empty page first, in that section (GB/T 9704 7.5: the blank
    page before a 版记 page and the 版记 page carry no number), so that the end block lands two
    pages after the text's last — on an even page when the text ends on an even page."""
    from copy import deepcopy

    body = doc.element.body
    anchors = [p for p in body.findall(w("p")) if p.find(f".//{w('txbxContent')}") is not None]
    if not anchors:  # no end block
        return
    anchor = anchors[-1]
    last = anchor.getprevious()
    if last is None or last.tag != w("p"):  # the text ends with a table: a section break needs a paragraph
        anchor.addprevious(x.carrier_paragraph())
        last = anchor.getprevious()
    final = body.find(w("sectPr"))
    sub(last, "pPr").append(deepcopy(final))  # the text's section keeps the numbered footers
    for ref in final.findall(w("footerReference")) + final.findall(w("headerReference")):
        final.remove(ref)
    put(final, el("type", val="nextPage"))
    section = doc.sections[-1]
    for footer in (section.footer, section.even_page_footer, section.first_page_footer):
        footer.is_linked_to_previous = False  # a new, empty footer: no page number
    if blank:
        anchor.addprevious(x.page_break_paragraph())
