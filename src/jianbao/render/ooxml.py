"""OOXML helpers: every piece of WordprocessingML that python-docx has no API for.

The renderer calls these small, named functions (``set_fonts(rpr, …)``, ``bottom_border(ppr,
…)``) and never builds XML strings itself.  Children are inserted in schema order
(``CT_PPr``, ``CT_RPr`` …) so that Word, which is strict about order, opens the result.
See ``shared/research/ooxml.md`` for why each trick is needed and what was verified.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from itertools import groupby

from lxml import etree

from ..metrics import em_width, has_cjk  # noqa: F401  (re-exported: x.em_width, x.has_cjk)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_NS = "http://www.w3.org/XML/1998/namespace"


def w(tag: str) -> str:
    """Clark name of a ``w:`` tag: ``w("rFonts")`` → ``{…/main}rFonts``."""
    return f"{{{W_NS}}}{tag}"


def el(tag: str, **attrs: object) -> etree._Element:
    """A new ``w:tag`` element with ``w:``-namespaced attributes (``None`` values are skipped)."""
    e = etree.Element(w(tag))
    for k, v in attrs.items():
        if v is not None:
            e.set(w(k), str(v))
    return e


_PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
    "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()
_RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
    "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
).split()
_TBLPR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook"
).split()
_SECTPR_ORDER = (
    "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
    "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings"
).split()
_ORDERS = {"pPr": _PPR_ORDER, "rPr": _RPR_ORDER, "tblPr": _TBLPR_ORDER, "sectPr": _SECTPR_ORDER}


def put(parent: etree._Element, child: etree._Element) -> etree._Element:
    """Insert *child* into *parent* in schema order, replacing an existing child of the same tag."""
    local = etree.QName(child).localname
    order = _ORDERS[etree.QName(parent).localname]
    old = parent.find(child.tag)
    if old is not None and local not in ("headerReference", "footerReference"):
        old.addprevious(child)
        parent.remove(old)
        return child
    later = order[order.index(local) + 1 :]
    for sib in parent:
        if etree.QName(sib).localname in later:
            sib.addprevious(child)
            return child
    parent.append(child)
    return child


def sub(parent: etree._Element, tag: str) -> etree._Element:
    """The ``w:tag`` child of *parent*, created in schema order when missing.

    Properties (``pPr`` of a paragraph, ``rPr`` of a run, ``tblPr`` …) come first in their
    element; in a style they follow the style's name and flags, ``pPr`` before ``rPr``.
    """
    found = parent.find(w(tag))
    if found is not None:
        return found
    child = el(tag)
    kind = etree.QName(parent).localname
    if kind == "style":
        later = [parent.find(w(t)) for t in ("rPr", "tblPr", "trPr", "tcPr", "tblStylePr")]
        later = [e for e in later if e is not None and tag == "pPr"]
        (later[0].addprevious(child) if later else parent.append(child))
    elif kind in ("p", "r", "tbl", "tr", "tc"):
        parent.insert(0, child)
    else:
        put(parent, child)
    return child


# --- run properties -------------------------------------------------------------------------

def set_fonts(rpr: etree._Element, east_asia: str, latin: str, *, hint: str | None = None) -> None:
    """All four font slots (ascii, hAnsi, cs = *latin*; eastAsia), and no theme attribute."""
    put(rpr, el("rFonts", ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin, hint=hint))


def set_hint(rpr: etree._Element, hint: str = "eastAsia") -> None:
    """``w:hint="eastAsia"``: Word then takes ambiguous characters (“ ” — …) from the CJK font."""
    f = rpr.find(w("rFonts"))
    if f is None:
        f = put(rpr, el("rFonts"))
    f.set(w("hint"), hint)


def set_size(rpr: etree._Element, pt: float) -> None:
    half = str(round(pt * 2))
    put(rpr, el("sz", val=half))
    put(rpr, el("szCs", val=half))


def set_bold(rpr: etree._Element, on: bool) -> None:
    put(rpr, el("b", val="1" if on else "0"))
    put(rpr, el("bCs", val="1" if on else "0"))


def set_color(rpr: etree._Element, rgb: str) -> None:
    put(rpr, el("color", val=rgb.upper()))


def set_char_spacing(rpr: etree._Element, twips: int) -> None:
    """Character spacing in twips (``-5`` = condensed by 0.25 pt)."""
    put(rpr, el("spacing", val=twips))


def set_lang(rpr: etree._Element, latin: str = "en-US", east_asia: str = "zh-CN") -> None:
    put(rpr, el("lang", val=latin, eastAsia=east_asia, bidi="ar-SA"))


def set_kern_off(rpr: etree._Element) -> None:
    put(rpr, el("kern", val=0))


# --- paragraph properties -------------------------------------------------------------------

def set_spacing(ppr: etree._Element, *, line: int | None = None, rule: str = "exact",
                before: int = 0, after: int = 0) -> None:
    """Paragraph spacing in twips; ``line`` with ``rule`` exact/atLeast, or ``auto`` (240 = single)."""
    put(ppr, el("spacing", before=before, after=after, line=line, lineRule=rule if line else None))


CARRIER_LINE = 20  # twips: the height of a carrier paragraph


def carrier_paragraph() -> etree._Element:
    """An empty paragraph one point high, off the grid: it only carries a section break (after a
    table, where a ``w:sectPr`` has no paragraph of its own) without taking a line of the page."""
    p = el("p")
    ppr = sub(p, "pPr")
    put(ppr, el("pStyle", val="Normal"))
    set_flag(ppr, "snapToGrid", False)
    set_spacing(ppr, line=CARRIER_LINE)
    rpr = sub(ppr, "rPr")
    set_size(rpr, 1)
    return p


def page_break_paragraph() -> etree._Element:
    """A carrier paragraph holding nothing but a page break (``w:br w:type="page"``): what comes
    after it starts on the next page, and the page it breaks stays empty."""
    p = carrier_paragraph()
    r = el("r")
    r.append(el("br", type="page"))
    p.append(r)
    return p


def set_indent(ppr: etree._Element, *, left: int | None = None, right: int | None = None,
               first_line_chars: int | None = None, first_line: int | None = None,
               hanging: int | None = None, left_chars: int | None = None,
               right_chars: int | None = None) -> None:
    """Indents in twips; ``*_chars`` in hundredths of a character (Word's own unit: 200 = 2 字)."""
    put(ppr, el("ind", left=left, leftChars=left_chars, right=right, rightChars=right_chars,
                hanging=hanging, firstLineChars=first_line_chars, firstLine=first_line))


def set_jc(ppr: etree._Element, how: str) -> None:
    """Alignment: ``both`` (justified), ``center``, ``left``, ``right``."""
    put(ppr, el("jc", val=how))


def set_flag(ppr_or_rpr: etree._Element, tag: str, on: bool = True) -> None:
    """An on/off property (keepNext, widowControl, snapToGrid, overflowPunct …)."""
    put(ppr_or_rpr, el(tag, val="1" if on else "0"))


def set_outline_level(ppr: etree._Element, level: int) -> None:
    """Outline level 0–8 (heading N has level N − 1): Word's navigation pane shows it."""
    put(ppr, el("outlineLvl", val=level))


def set_right_tab(ppr: etree._Element, pos: int) -> None:
    tabs = el("tabs")
    tabs.append(el("tab", val="right", pos=pos))
    put(ppr, tabs)


def set_left_tabs(ppr: etree._Element, positions: list[int]) -> None:
    """Left tab stops at *positions* (twips from the text area's left edge: Word measures them so, and
    LibreOffice does for a .docx), replacing the style's."""
    tabs = el("tabs")
    for pos in positions:
        tabs.append(el("tab", val="left", pos=pos))
    put(ppr, tabs)


def bottom_border(ppr: etree._Element, *, size: int, space: int, color: str) -> None:
    """A rule under the paragraph as wide as the paragraph (the red rule under the masthead)."""
    bdr = el("pBdr")
    bdr.append(el("bottom", val="single", sz=size, space=space, color=color.upper()))
    put(ppr, bdr)


# --- runs -----------------------------------------------------------------------------------

def is_ambiguous(c: str) -> bool:
    """A punctuation mark or symbol of East Asian Width "A" (ambiguous): “ ” ‘ ’ — … · × ① ℃ ….

    Unicode's data decides (``unicodedata.east_asian_width``), not a list typed by hand:
    width "A", and a punctuation (P*), symbol (S*) or number (N*) character, less superscripts,
    subscripts and fractions (² ½ belong to Latin text). Letters of width "A" (Greek,
    Cyrillic, accented Latin) stay Latin, as digits do.
    """
    return _ambiguous(c)


@lru_cache(maxsize=2048)
def _ambiguous(c: str) -> bool:
    if unicodedata.east_asian_width(c) != "A":
        return False
    cat = unicodedata.category(c)
    if cat[0] in "PS":
        return True
    if cat[0] != "N":
        return False
    name = unicodedata.name(c, "")
    return not any(k in name for k in ("SUPERSCRIPT", "SUBSCRIPT", "FRACTION"))


def text_runs(text: str, *, east_asia: str | None = None, rstyle: str | None = None,
              hint: bool = True) -> list[etree._Element]:
    """The runs of *text*: one, except that in Chinese text each stretch of ambiguous
    punctuation (:func:`is_ambiguous`) gets a run of its own whose four font slots all name
    *east_asia*, the Chinese font of the role.

    Why: engines do not agree on the font of a character such as “ that belongs to no
    script. Word takes it from hAnsi unless ``w:hint="eastAsia"``; LibreOffice ignores the hint
    and gives it the script of the character before it, so at the start of a paragraph or
    after a digit or a Latin word “ came out as a 7 pt Times glyph instead of a 16 pt 仿宋
    one. When ascii, hAnsi, eastAsia and cs all name the Chinese font, every engine sets the
    mark in it, whichever slot it picks (Word: hAnsi or eastAsia, ECMA-376 §17.3.2.26;
    LibreOffice imports ascii as its Western font and eastAsia as its Asian one and ignores
    hAnsi, writerfilter DomainMapper.cxx). ``w:lang zh-CN`` on the mark makes a font with
    regional forms (Noto CJK's ``locl``) pick its full-width Chinese dash. Only these marks
    carry direct fonts; the text around them keeps its style's Times/仿宋 pair, so digits and
    Latin stay in Times New Roman. (A character style would do the same for Word users, but a
    run takes one ``rStyle`` and the leads already carry theirs: it would take a second style
    per role in the list they see.)
    """
    if not (east_asia and has_cjk(text)):
        return [text_run(text, rstyle=rstyle, hint=hint)]
    runs = []
    for wide, group in groupby(text, key=_ambiguous):
        part = "".join(group)
        r = text_run(part, rstyle=rstyle, hint=hint)
        if wide:
            rpr = sub(r, "rPr")
            set_fonts(rpr, east_asia, east_asia, hint="eastAsia")
            set_lang(rpr, "zh-CN")
        runs.append(r)
    return runs


def text_run(text: str, *, rstyle: str | None = None, hint: bool = True) -> etree._Element:
    """A ``w:r`` holding *text* (line breaks become ``w:br``), with an optional character style.

    Body text goes through :func:`text_runs`, which also gives ambiguous punctuation the
    Chinese font."""
    r = el("r")
    rpr = None
    if rstyle or (hint and has_cjk(text)):
        rpr = sub(r, "rPr")
        if rstyle:
            put(rpr, el("rStyle", val=rstyle))
        if hint and has_cjk(text):
            set_hint(rpr)
    for i, part in enumerate(text.split("\n")):
        if i:
            r.append(el("br"))
        if part:
            t = etree.SubElement(r, w("t"))
            t.text = part
            if part != part.strip(" ") or "  " in part:
                t.set(f"{{{XML_NS}}}space", "preserve")
    return r


def drawing_run(inline: etree._Element) -> etree._Element:
    """A run that holds a picture (python-docx's ``wp:inline``, made by ``part.new_pic_inline``).

    No space around it: python-docx writes no ``dist*``, which Word reads as 0 and LibreOffice as its
    own default of 0.32 cm on each side (photos side by side then came out 18 pt too wide for their
    tab stops, and the last one wrapped)."""
    for side in ("distT", "distB", "distL", "distR"):
        inline.set(side, "0")
    r = el("r")
    drawing = etree.SubElement(r, w("drawing"))
    drawing.append(inline)
    return r


def tab_run() -> etree._Element:
    r = el("r")
    r.append(el("tab"))
    return r


def field_runs(instr: str, placeholder: str, rpr_factory) -> list[etree._Element]:
    """A complex field (``PAGE`` …) as runs: begin, instruction, separate, cached result, end.

    *rpr_factory* makes the run properties for each run, so that the field result carries
    them too (Word re-renders the result with the properties of the result run).
    """
    runs = []
    for kind, payload in (("begin", None), ("instr", instr), ("separate", None),
                          ("text", placeholder), ("end", None)):
        r = el("r")
        r.append(rpr_factory())
        if kind == "instr":
            t = etree.SubElement(r, w("instrText"))
            t.set(f"{{{XML_NS}}}space", "preserve")
            t.text = f" {payload} "
        elif kind == "text":
            etree.SubElement(r, w("t")).text = payload
        else:
            r.append(el("fldChar", fldCharType=kind))
        runs.append(r)
    return runs


# --- tables ---------------------------------------------------------------------------------

WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
EMU_PER_TWIP = 635


def bottom_text_box(content: list[etree._Element], width: int, height: int, *, shape_id: int = 1,
                    name: str = "box", in_cell: bool = False) -> etree._Element:
    """A run holding a text box (DrawingML ``wps:wsp``) pinned to the bottom of the text area,
    *width* × *height* twips, its *content* (tables, paragraphs) at the bottom of the box.

    ``wrapNone``: the box pushes no text aside.  The paragraph that holds it is what keeps text
    off the box (the end block's reservation): unlike a floating table (``w:tblpPr``), which
    wraps text and so pushes the text before its anchor too, a text box with no wrapping lets
    the page break depend on the text flow alone — in Word and LibreOffice alike.  *in_cell*: the
    paragraph is in a table cell, and the box still goes to the bottom of the page
    (``layoutInCell="0"``).
    """
    def dml(ns: str, tag: str, parent: etree._Element | None = None, **attrs: object) -> etree._Element:
        e = etree.Element(f"{{{ns}}}{tag}") if parent is None else etree.SubElement(parent, f"{{{ns}}}{tag}")
        for k, v in attrs.items():
            e.set(k, str(v))
        return e

    cx, cy = width * EMU_PER_TWIP, height * EMU_PER_TWIP
    r = el("r")
    drawing = etree.SubElement(r, w("drawing"))
    anchor = dml(WP_NS, "anchor", drawing, distT=0, distB=0, distL=0, distR=0, simplePos=0,
                 relativeHeight=shape_id + 1, behindDoc=0, locked=0, layoutInCell=0 if in_cell else 1,
                 allowOverlap=1)
    dml(WP_NS, "simplePos", anchor, x=0, y=0)
    dml(WP_NS, "posOffset", dml(WP_NS, "positionH", anchor, relativeFrom="margin")).text = "0"
    dml(WP_NS, "align", dml(WP_NS, "positionV", anchor, relativeFrom="margin")).text = "bottom"
    dml(WP_NS, "extent", anchor, cx=cx, cy=cy)
    dml(WP_NS, "effectExtent", anchor, l=0, t=0, r=0, b=0)
    dml(WP_NS, "wrapNone", anchor)
    dml(WP_NS, "docPr", anchor, id=shape_id, name=name)
    dml(WP_NS, "cNvGraphicFramePr", anchor)
    data = dml(A_NS, "graphicData", dml(A_NS, "graphic", anchor), uri=WPS_NS)
    wsp = dml(WPS_NS, "wsp", data)
    dml(WPS_NS, "cNvSpPr", wsp, txBox=1)
    sppr = dml(WPS_NS, "spPr", wsp)
    xfrm = dml(A_NS, "xfrm", sppr)
    dml(A_NS, "off", xfrm, x=0, y=0)
    dml(A_NS, "ext", xfrm, cx=cx, cy=cy)
    dml(A_NS, "avLst", dml(A_NS, "prstGeom", sppr, prst="rect"))
    dml(A_NS, "noFill", sppr)
    dml(A_NS, "noFill", dml(A_NS, "ln", sppr))
    box = etree.SubElement(dml(WPS_NS, "txbx", wsp), w("txbxContent"))
    for e in content:
        box.append(e)
    body = dml(WPS_NS, "bodyPr", wsp, rot=0, vert="horz", wrap="square", lIns=0, tIns=0, rIns=0, bIns=0,
               anchor="b", anchorCtr=0)
    dml(A_NS, "noAutofit", body)
    return r


def bottom_table(width: int, *, outer: int, inner: int, color: str) -> etree._Element:
    """An empty one-column table as wide as the text area, rules above, between and below its
    rows and none at the sides (the 版记, in :func:`bottom_text_box`)."""
    tbl = el("tbl")
    tblpr = etree.SubElement(tbl, w("tblPr"))
    put(tblpr, el("tblW", w=width, type="dxa"))
    borders = el("tblBorders")
    for side, val, sz in (("top", "single", outer), ("left", "nil", None), ("bottom", "single", outer),
                          ("right", "nil", None), ("insideH", "single", inner), ("insideV", "nil", None)):
        borders.append(el(side, val=val, sz=sz, space=0 if sz else None, color=color.upper() if sz else None))
    put(tblpr, borders)
    put(tblpr, el("tblLayout", type="fixed"))
    mar = el("tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        mar.append(el(side, w=0, type="dxa"))
    put(tblpr, mar)
    put(tblpr, el("tblLook", val="0000", firstRow=0, lastRow=0, firstColumn=0, lastColumn=0,
                  noHBand=1, noVBand=1))
    grid = etree.SubElement(tbl, w("tblGrid"))
    grid.append(el("gridCol", w=width))
    return tbl


def closing_row(tbl: etree._Element, paragraphs: list[etree._Element]) -> etree._Element:
    """A last row across all columns of *tbl*, with no borders but the rule above it and no cell
    margins (its paragraphs sit where the body text does), never split across pages."""
    widths = [int(c.get(w("w"))) for c in tbl.find(w("tblGrid")).findall(w("gridCol"))]
    tr = etree.SubElement(tbl, w("tr"))
    trpr = etree.SubElement(tr, w("trPr"))
    trpr.append(el("cantSplit"))
    tc = etree.SubElement(tr, w("tc"))
    tcpr = etree.SubElement(tc, w("tcPr"))
    tcpr.append(el("tcW", w=sum(widths), type="dxa"))
    if len(widths) > 1:
        tcpr.append(el("gridSpan", val=len(widths)))
    borders = el("tcBorders")
    for side in ("left", "bottom", "right"):
        borders.append(el(side, val="nil"))
    tcpr.append(borders)
    mar = el("tcMar")
    for side in ("left", "right"):
        mar.append(el(side, w=0, type="dxa"))
    tcpr.append(mar)
    for p in paragraphs:
        tc.append(p)
    return tr


def table_row(tbl: etree._Element, width: int, paragraphs: list[etree._Element]) -> etree._Element:
    tr = etree.SubElement(tbl, w("tr"))
    trpr = etree.SubElement(tr, w("trPr"))
    trpr.append(el("cantSplit"))
    tc = etree.SubElement(tr, w("tc"))
    tcpr = etree.SubElement(tc, w("tcPr"))
    tcpr.append(el("tcW", w=width, type="dxa"))
    for p in paragraphs:
        tc.append(p)
    return tr


def grid_table(widths: list[int], *, border: int, color: str, margin: int, margin_vertical: int = 0,
               style: str | None = None) -> etree._Element:
    """An empty table of ``len(widths)`` columns, full borders, centred, as wide as ``sum(widths)``.

    The widths go into ``w:tblGrid`` (WPS lays a table out by its grid and ignores ``w:tblW``) and
    the layout is fixed, so Word, WPS and LibreOffice all keep the given column widths.
    """
    tbl = el("tbl")
    tblpr = etree.SubElement(tbl, w("tblPr"))
    if style:
        put(tblpr, el("tblStyle", val=style))
    put(tblpr, el("tblW", w=sum(widths), type="dxa"))
    put(tblpr, el("jc", val="center"))
    put(tblpr, table_borders(border, color))
    put(tblpr, el("tblLayout", type="fixed"))
    put(tblpr, cell_margins(margin, margin_vertical))
    put(tblpr, el("tblLook", val="0020", firstRow=1, lastRow=0, firstColumn=0, lastColumn=0,
                  noHBand=1, noVBand=1))
    grid = etree.SubElement(tbl, w("tblGrid"))
    for width in widths:
        grid.append(el("gridCol", w=width))
    return tbl


def table_borders(size: int, color: str) -> etree._Element:
    """``w:tblBorders``: single lines of *size* (1/8 pt) on every side and between all cells."""
    borders = el("tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(el(side, val="single", sz=size, space=0, color=color.upper()))
    return borders


def cell_margins(side: int, top_bottom: int = 0) -> etree._Element:
    """``w:tblCellMar``: the space between a cell's border and its text, in twips."""
    mar = el("tblCellMar")
    for name, val in (("top", top_bottom), ("left", side), ("bottom", top_bottom), ("right", side)):
        mar.append(el(name, w=val, type="dxa"))
    return mar


def grid_row(tbl: etree._Element, widths: list[int], paragraphs: list[etree._Element], *,
             header: bool = False, height: int = 0, keep_next: bool = False) -> etree._Element:
    """Append a row of one paragraph per cell: never split across pages, cells centred vertically,
    at least *height* twips tall; a *header* row is repeated at the top of every page
    (``w:tblHeader``); *keep_next* keeps the row on the page of the next row (``w:keepNext`` on
    every paragraph of the row: Word's way, which LibreOffice imports as well)."""
    if keep_next:
        for p in paragraphs:
            set_flag(sub(p, "pPr"), "keepNext")
    tr = etree.SubElement(tbl, w("tr"))
    trpr = etree.SubElement(tr, w("trPr"))
    trpr.append(el("cantSplit"))
    if height:
        trpr.append(el("trHeight", val=height, hRule="atLeast"))
    if header:
        trpr.append(el("tblHeader"))
    for width, p in zip(widths, paragraphs):
        tc = etree.SubElement(tr, w("tc"))
        tcpr = etree.SubElement(tc, w("tcPr"))
        tcpr.append(el("tcW", w=width, type="dxa"))
        tcpr.append(el("vAlign", val="center"))
        tc.append(p)
    return tr


# --- settings and theme ---------------------------------------------------------------------

WORD_URI = "http://schemas.microsoft.com/office/word"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def set_compatibility_mode(settings: etree._Element, mode: int) -> None:
    """``w:compatSetting compatibilityMode`` (14 = Word 2010, 15 = Word 2013 and later)."""
    compat = settings.find(w("compat"))
    if compat is None:
        raise ValueError("settings.xml has no w:compat")
    for cs in compat.findall(w("compatSetting")):
        if cs.get(w("name")) == "compatibilityMode":
            cs.set(w("val"), str(mode))
            return
    compat.append(el("compatSetting", name="compatibilityMode", uri=WORD_URI, val=mode))


def set_theme_fonts(theme: etree._Element, *, major: tuple[str, str], minor: tuple[str, str]) -> None:
    """The theme's heading (*major*) and body (*minor*) fonts as (latin, east Asian) names, and
    none of its per-script fonts (ＭＳ 明朝, 新細明體, Arabic and Indic faces …).

    No run or style of ours refers to the theme, but WPS reads every face a theme names and
    reports those it lacks as 缺失字体 (missing fonts); with only the document's own faces in
    the theme it reports nothing it would not report anyway."""
    a = f"{{{A_NS}}}"
    for tag, (latin, east_asia) in (("majorFont", major), ("minorFont", minor)):
        font = theme.find(f"{a}themeElements/{a}fontScheme/{a}{tag}")
        if font is None:
            raise ValueError(f"theme has no {tag}")
        for child in list(font):
            font.remove(child)
        for slot, name in (("latin", latin), ("ea", east_asia), ("cs", latin)):
            etree.SubElement(font, f"{a}{slot}").set("typeface", name)
