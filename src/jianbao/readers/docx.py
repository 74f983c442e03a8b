"""Read a .docx into a :class:`~jianbao.readers.document.Document`: text, formatting, tables, objects.

The package is checked by :mod:`.guard` before anything is decompressed, then opened with
python-docx (its XML parser resolves no entities).  The body is walked in document order:
paragraphs (also inside content controls, hyperlinks, insertions and smart tags; deleted text and
field codes are skipped), tables (cells' paragraphs, nested tables flattened), images and text boxes
(listed, their text not taken into the body).  Two layouts jianbao itself writes are read as the
text they hold, where they sit: a text box holding a table (the 版记 pinned to the bottom of the
page) as the blocks in it, after the paragraph that anchors it; a table's last row that is one
cell without side and bottom borders (the lines kept with the table's end) as paragraphs after
the table.  Each run gets its *effective* formatting: direct
formatting over its character style over the paragraph style chain over the document defaults —
bulletins made by hand use direct formatting, jianbao's own use styles.

Pages are counted where the file records them (Word writes ``w:lastRenderedPageBreak`` when it
saves; hard page breaks always count); otherwise they are estimated from the text length.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .document import Document, Object, Para, Run, Table
from .guard import error, open_zip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_BODY_CONTAINERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "smartTag", W + "hyperlink",
                    W + "fldSimple", W + "moveTo", W + "dir", W + "bdo"}
_SKIP = {W + "del", W + "moveFrom", W + "instrText", W + "delText", W + "rPr", W + "pPr"}


def read_docx(path: Path, raw: bytes) -> Document:
    zf = open_zip(raw, path, ".docx")
    names = set(zf.namelist())
    if "[Content_Types].xml" not in names or not any(n.startswith("word/") for n in names):
        if "mimetype" in names or "content.xml" in names:
            raise error("JB903", f"{path.name} 是 OpenDocument（.odt）文件，不是 .docx", path,
                        hint="把扩展名改为 .odt 再导入。")
        raise error("JB903", f"{path.name} 不是 Word 文档（压缩包中没有 word/ 部件）", path)
    import io

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        d = docx.Document(io.BytesIO(raw))
        body = d.element.body
        styles = _Styles(d.styles.element)
        numbering = _Numbering(d.part)
    except (PackageNotFoundError, KeyError, ValueError, AttributeError, TypeError) as exc:
        raise error("JB903", f"{path.name} 不是完整的 Word 文档（{exc}）", path,
                    hint="在 Word/WPS 中打开后另存为 .docx 再导入。") from None
    except Exception as exc:  # lxml.etree.XMLSyntaxError and whatever a broken part raises
        raise error("JB903", f"{path.name} 中的 XML 已损坏（{type(exc).__name__}: {str(exc)[:120]}）", path,
                    hint="文件可能没有保存完整：在 Word/WPS 中打开后另存一份再导入。") from None
    walker = _Walker(path, styles, numbering)
    try:
        walker.walk_body(body)
    except RecursionError:  # tables in tables in tables …: no bulletin is made like that
        raise error("JB903", f"{path.name} 中的表格或内容控件嵌套过深，不像是一份简报", path) from None
    doc = walker.doc
    if not walker.rendered_breaks:
        _estimate_pages(doc)
    else:
        doc.pages_known = True
    return doc


class _Styles:
    """Paragraph and character styles: basedOn chains of run and paragraph properties."""

    def __init__(self, root) -> None:
        self.by_id: dict[str, Any] = {}
        self.default_para: str | None = None
        self.default_rpr = None
        for s in root.findall(W + "style"):
            sid = s.get(W + "styleId")
            if sid:
                self.by_id[sid] = s
                if s.get(W + "default") in ("1", "true") and s.get(W + "type") == "paragraph":
                    self.default_para = sid
        dd = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        self.default_rpr = dd
        self._cache: dict[tuple, dict] = {}

    def chain(self, sid: str | None) -> list:
        out: list = []
        seen: set[str] = set()
        while sid and sid in self.by_id and sid not in seen and len(out) < 20:
            seen.add(sid)
            s = self.by_id[sid]
            out.append(s)
            b = s.find(W + "basedOn")
            sid = b.get(W + "val") if b is not None else None
        return out[::-1]  # base first

    def name(self, sid: str | None) -> str | None:
        s = self.by_id.get(sid or "")
        n = s.find(W + "name") if s is not None else None
        return n.get(W + "val") if n is not None else None

    def run_props(self, pstyle: str | None, rstyle: str | None) -> dict:
        key = (pstyle, rstyle)
        if key not in self._cache:
            props: dict = {}
            _apply_rpr(props, self.default_rpr)
            for s in self.chain(pstyle or self.default_para):
                _apply_rpr(props, s.find(W + "rPr"))
            for s in self.chain(rstyle):
                _apply_rpr(props, s.find(W + "rPr"))
            self._cache[key] = props
        return dict(self._cache[key])

    def para_props(self, pstyle: str | None) -> dict:
        props: dict = {}
        for s in self.chain(pstyle or self.default_para):
            _apply_ppr(props, s.find(W + "pPr"))
        return props


def _on(el) -> bool:
    return el.get(W + "val") not in ("0", "false", "off")


def _apply_rpr(props: dict, rpr) -> None:
    if rpr is None:
        return
    b = rpr.find(W + "b")
    if b is not None:
        props["bold"] = _on(b)
    f = rpr.find(W + "rFonts")
    if f is not None:
        face = f.get(W + "eastAsia") or f.get(W + "ascii") or f.get(W + "hAnsi")
        if face:
            props["font"] = face
    sz = rpr.find(W + "sz")
    if sz is not None and (sz.get(W + "val") or "").isdigit():
        props["size"] = int(sz.get(W + "val")) / 2
    c = rpr.find(W + "color")
    if c is not None and c.get(W + "val") and c.get(W + "val") != "auto":
        props["color"] = c.get(W + "val").upper()
    v = rpr.find(W + "vanish")
    if v is not None:
        props["hidden"] = _on(v)


def _apply_ppr(props: dict, ppr) -> None:
    if ppr is None:
        return
    jc = ppr.find(W + "jc")
    if jc is not None and jc.get(W + "val"):
        props["align"] = {"start": "left", "end": "right", "distribute": "both"}.get(jc.get(W + "val"), jc.get(W + "val"))
    bdr = ppr.find(f"{W}pBdr/{W}bottom")
    if bdr is not None:
        props["border_bottom"] = bdr.get(W + "val") not in (None, "nil", "none")
    ol = ppr.find(W + "outlineLvl")
    if ol is not None and (ol.get(W + "val") or "").isdigit():
        props["outline"] = int(ol.get(W + "val"))
    num = ppr.find(W + "numPr")
    if num is not None:
        nid, lvl = num.find(W + "numId"), num.find(W + "ilvl")
        props["num"] = (nid.get(W + "val") if nid is not None else None,
                        int(lvl.get(W + "val")) if lvl is not None and (lvl.get(W + "val") or "").isdigit() else 0)
    if ppr.find(W + "pageBreakBefore") is not None:
        props["page_break_before"] = _on(ppr.find(W + "pageBreakBefore"))


class _Numbering:
    """Word's automatic numbering (numbering.xml): the number each numbered paragraph prints."""

    _FORMATS = {"decimal", "chineseCounting", "chineseCountingThousand", "ideographTraditional",
                "japaneseCounting", "decimalEnclosedCircle", "decimalEnclosedCircleChinese",
                "decimalEnclosedParen", "decimalFullWidth", "lowerLetter", "upperLetter"}

    def __init__(self, part) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract = {}
        for a in root.findall(W + "abstractNum"):
            lv = {}
            for lvl in a.findall(W + "lvl"):
                ilvl = int(lvl.get(W + "ilvl") or 0)
                fmt = lvl.find(W + "numFmt")
                txt = lvl.find(W + "lvlText")
                start = lvl.find(W + "start")
                lv[ilvl] = (fmt.get(W + "val") if fmt is not None else "decimal",
                            txt.get(W + "val") if txt is not None else "",
                            int(start.get(W + "val")) if start is not None and (start.get(W + "val") or "").isdigit() else 1)
            abstract[a.get(W + "abstractNumId")] = lv
        for n in root.findall(W + "num"):
            ref = n.find(W + "abstractNumId")
            lv = abstract.get(ref.get(W + "val") if ref is not None else None, {})
            for ilvl, spec in lv.items():
                self.levels[(n.get(W + "numId"), ilvl)] = spec

    def label(self, num_id: str | None, ilvl: int) -> str | None:
        spec = self.levels.get((num_id or "", ilvl))
        if spec is None or num_id in (None, "0"):
            return None
        fmt, text, start = spec
        count = self.counters.setdefault(num_id, [0] * 9)
        ilvl = min(ilvl, 8)
        count[ilvl] = count[ilvl] + 1 if count[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            count[deeper] = 0
        if fmt == "bullet" or fmt == "none":
            return None

        def value(level: int) -> str:
            n = count[level] or self.levels.get((num_id, level), ("decimal", "", 1))[2]
            f = self.levels.get((num_id, level), (fmt, "", 1))[0]
            if f in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting"):
                from ..numbering import cn_numeral

                return cn_numeral(n)
            if f in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
                return chr(0x2460 + n - 1)
            return str(n)

        return re.sub(r"%([1-9])", lambda m: value(int(m.group(1)) - 1), text)


class _Walker:
    def __init__(self, path: Path, styles: _Styles, numbering: _Numbering) -> None:
        self.doc = Document(path=path, kind="docx")
        self.styles = styles
        self.numbering = numbering
        self.n = 0
        self.page = 1
        self.rendered_breaks = False

    # block level ---------------------------------------------------------------------------------
    def walk_body(self, body) -> None:
        before = None
        for child in self._blocks(body):
            if child.tag == W + "p":
                p = self.para(child)
                last = self.doc.blocks[-1] if self.doc.blocks else None
                if p is not None and isinstance(last, Para) and _split_tail(before, child):
                    last.runs = _merge(last.runs + p.runs)  # one paragraph of the source, split for the end block
                    self.n -= 1
                elif p is not None:
                    self.doc.blocks.append(p)
                before = child
                for box in _block_boxes(child):  # a text box holding a table (jianbao's 版记)
                    self.walk_body(box)
            elif child.tag == W + "tbl":
                t = self.table(child)
                if t is not None:
                    self.doc.blocks.append(t)
                closing = _closing_row(child)
                if closing is not None:  # body text in a last borderless row: paragraphs after the table
                    for tc in self._blocks_any(closing, W + "tc"):
                        self.walk_body(tc)

    def _blocks(self, parent):
        for child in parent:
            if child.tag in (W + "p", W + "tbl"):
                yield child
            elif child.tag in _BODY_CONTAINERS:
                yield from self._blocks(child)
            elif child.tag == MC + "AlternateContent":
                choice = child.find(MC + "Choice")
                if choice is None:
                    choice = child.find(MC + "Fallback")
                if choice is not None:
                    yield from self._blocks(choice)

    def table(self, tbl) -> Table | None:
        first = self.n + 1
        page = self.page
        rows: list[list[list[Para]]] = []
        aligns: list[list[str | None]] = []
        floating = tbl.find(f"{W}tblPr/{W}tblpPr") is not None
        closing = _closing_row(tbl)
        for tr in (c for c in self._blocks_any(tbl, W + "tr") if c is not closing):
            row: list[list[Para]] = []
            row_aligns: list[str | None] = []
            aligns.append(row_aligns)
            for tc in self._blocks_any(tr, W + "tc"):
                head = tc.find(W + "p")  # the cell's first paragraph (not *first*, the table's place)
                if head is not None:
                    ps = head.find(f"{W}pPr/{W}pStyle")
                    props = self.styles.para_props(ps.get(W + "val") if ps is not None else None)
                    _apply_ppr(props, head.find(W + "pPr"))
                    row_aligns.append(props.get("align"))
                else:
                    row_aligns.append(None)
                cell: list[Para] = []
                for el in self._blocks(tc):
                    if el.tag == W + "p":
                        p = self.para(el)
                        if p is not None:
                            cell.append(p)
                        cell += self._box_paragraphs(_block_boxes(el))
                    else:  # a nested table: its paragraphs, flattened into the cell
                        inner = self.table(el)
                        if inner is not None:
                            cell += inner.paragraphs()
                        last = _closing_row(el)
                        cell += self._box_paragraphs([] if last is None else list(self._blocks_any(last, W + "tc")))
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                row.append(cell)
                if span is not None and (span.get(W + "val") or "").isdigit():
                    row += [[] for _ in range(min(50, int(span.get(W + "val"))) - 1)]
            rows.append(row)
        if not any(cell for row in rows for cell in row):
            return None
        widths = [int(g.get(W + "w")) for g in tbl.findall(f"{W}tblGrid/{W}gridCol")
                  if (g.get(W + "w") or "").isdigit()]
        return Table(n=first, rows=rows, floating=floating, page=page, widths=widths, aligns=aligns)

    def _box_paragraphs(self, parents: list) -> list[Para]:
        """The paragraphs (tables flattened) of the block containers *parents*, for a table cell."""
        out: list[Para] = []
        for parent in parents:
            for el in self._blocks(parent):
                if el.tag == W + "p":
                    p = self.para(el)
                    if p is not None:
                        out.append(p)
                    out += self._box_paragraphs(_block_boxes(el))
                else:
                    inner = self.table(el)
                    if inner is not None:
                        out += inner.paragraphs()
                    last = _closing_row(el)
                    out += self._box_paragraphs([] if last is None else list(self._blocks_any(last, W + "tc")))
        return out

    def _blocks_any(self, parent, tag):
        for child in parent:
            if child.tag == tag:
                yield child
            elif child.tag in _BODY_CONTAINERS:
                yield from self._blocks_any(child, tag)

    # paragraphs ---------------------------------------------------------------------------------
    def para(self, p) -> Para | None:
        ppr = p.find(W + "pPr")
        ps = ppr.find(W + "pStyle") if ppr is not None else None
        pstyle = ps.get(W + "val") if ps is not None else None
        props = self.styles.para_props(pstyle)
        _apply_ppr(props, ppr)
        if props.get("page_break_before") and self.n:
            self.page += 1
        runs: list[Run] = []
        objects: list[Object] = []
        self._runs(p, pstyle, runs, objects)
        text = "".join(r.text for r in runs)
        label = None
        if props.get("num") is not None:
            label = self.numbering.label(*props["num"])
        if not text.strip():
            for o in objects:  # an image on a paragraph of its own: anchored to the next paragraph
                o.n = self.n + 1
                o.page = self.page
                self.doc.objects.append(o)
            return None
        self.n += 1
        for o in objects:
            o.n, o.page = self.n, self.page
            self.doc.objects.append(o)
        style = pstyle
        name = self.styles.name(pstyle)
        if name and pstyle and not pstyle.startswith("JB") and re.fullmatch(r"(?i)heading \d|title|subtitle", name):
            style = name.title().replace(" ", "")  # Word's localized ids (标题1 → "heading 1") → Heading1
        return Para(n=self.n, runs=_merge(runs), style=style, align=props.get("align"),
                    border_bottom=bool(props.get("border_bottom")), page=self.page,
                    outline=props.get("outline"), auto_number=label)

    def _runs(self, parent, pstyle: str | None, runs: list[Run], objects: list[Object]) -> None:
        for child in parent:
            tag = child.tag
            if tag == W + "r":
                self._run(child, pstyle, runs, objects)
            elif tag in _SKIP:
                continue
            elif tag == MC + "AlternateContent":
                choice = child.find(MC + "Choice")
                if choice is None:
                    choice = child.find(MC + "Fallback")
                if choice is not None:
                    self._runs(choice, pstyle, runs, objects)
            elif tag in _BODY_CONTAINERS or tag in (W + "customXml",):
                self._runs(child, pstyle, runs, objects)

    def _run(self, r, pstyle: str | None, runs: list[Run], objects: list[Object]) -> None:
        rpr = r.find(W + "rPr")
        rs = rpr.find(W + "rStyle") if rpr is not None else None
        rstyle = rs.get(W + "val") if rs is not None else None
        props = self.styles.run_props(pstyle, rstyle)
        _apply_rpr(props, rpr)
        if props.get("hidden"):
            return
        buf: list[str] = []
        for child in r:
            tag = child.tag
            if tag == W + "t":
                buf.append(child.text or "")
            elif tag == W + "tab":
                buf.append("\t")
            elif tag in (W + "br", W + "cr"):
                if child.get(W + "type") == "page":
                    self.page += 1
                elif child.get(W + "type") != "column":
                    buf.append("\n")
            elif tag == W + "lastRenderedPageBreak":
                self.rendered_breaks = True
                if self.n or runs:
                    self.page += 1
            elif tag == W + "noBreakHyphen":
                buf.append("-")
            elif tag in (W + "drawing", W + "pict", W + "object") or tag == MC + "AlternateContent":
                if not _box_tables(child):  # a text box holding a table is read as blocks (walk_body)
                    objects += _objects(child)
        if buf:
            runs.append(Run("".join(buf), bold=bool(props.get("bold")), font=props.get("font"),
                            size=props.get("size"), color=props.get("color"), style=rstyle))


def _split_tail(head, p) -> bool:
    """Whether *p* is the last lines of the paragraph *head*, split off by jianbao to go with the
    end block (render/docx.py carry): the head spread full width, the tail unindented and kept
    whole with the next."""
    if head is None:
        return False
    jc = head.find(f"{W}pPr/{W}jc")
    ind = p.find(f"{W}pPr/{W}ind")
    return (jc is not None and jc.get(W + "val") == "distribute" and ind is not None
            and ind.get(W + "firstLineChars") == "0" and p.find(f"{W}pPr/{W}keepLines") is not None
            and p.find(f"{W}pPr/{W}keepNext") is not None)


def _chosen(el):
    """The content of an ``mc:AlternateContent`` read: its first Choice, else its Fallback."""
    choice = el.find(MC + "Choice")
    if choice is None:
        choice = el.find(MC + "Fallback")
    return choice if choice is not None else el


def _box_tables(el) -> list:
    """The text boxes (``w:txbxContent``) in a run's drawing *el* that hold a table: a block laid
    out in a box (jianbao's 版记, pinned to the bottom of the page), not a note beside the text."""
    if el.tag == MC + "AlternateContent":
        el = _chosen(el)
    return [b for b in el.iter(W + "txbxContent") if b.find(W + "tbl") is not None]


def _block_boxes(p) -> list:
    """The text boxes holding a table in paragraph *p*'s runs, in document order (one per drawing:
    a Word ``mc:AlternateContent`` holds the same box twice, as DrawingML and as VML)."""
    out: list = []
    for r in p.iter(W + "r"):
        for child in r:
            if child.tag in (W + "drawing", W + "pict") or child.tag == MC + "AlternateContent":
                out += _box_tables(child)
    return out


def _closing_row(tbl):
    """The last row of *tbl* when it is one cell across the table with no borders at its sides and
    bottom: body text that follows the table, put in it so that it stays with the table's last
    rows (as jianbao writes the lines before the 版记), not a row of the table."""
    rows = [c for c in tbl if c.tag == W + "tr"]
    if len(rows) < 2:
        return None
    cells = [c for c in rows[-1] if c.tag == W + "tc"]
    if len(cells) != 1:
        return None
    cols = len(tbl.findall(f"{W}tblGrid/{W}gridCol"))
    span = cells[0].find(f"{W}tcPr/{W}gridSpan")
    spans = int(span.get(W + "val")) if span is not None and (span.get(W + "val") or "").isdigit() else 1
    if spans != cols:
        return None
    borders = cells[0].find(f"{W}tcPr/{W}tcBorders")
    if borders is None:
        return None
    for side in ("left", "bottom", "right"):
        b = borders.find(W + side)
        if b is None or b.get(W + "val") not in ("nil", "none"):
            return None
    return rows[-1]


def _objects(el) -> list[Object]:
    """Images and text boxes inside a run's drawing (a text box's own paragraphs are its text)."""
    if el.tag == MC + "AlternateContent":
        choice = el.find(MC + "Choice")
        if choice is None:
            choice = el.find(MC + "Fallback")
        el = choice if choice is not None else el
    boxes = [b for b in el.iter(W + "txbxContent")]
    if boxes:
        out = []
        for b in boxes:
            text = "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in b.iter(W + "p")).strip()
            out.append(Object("textbox", 0, text))
        return out
    for node in el.iter():
        local = node.tag.rsplit("}", 1)[-1] if isinstance(node.tag, str) else ""
        if local in ("blip", "imagedata"):
            return [Object("image", 0)]
    return [Object("image", 0)] if el.tag in (W + "drawing", W + "pict") else []


def _merge(runs: list[Run]) -> list[Run]:
    """Adjacent runs of the same formatting as one (Word splits runs at every edit)."""
    out: list[Run] = []
    for r in runs:
        if out and (out[-1].bold, out[-1].font, out[-1].size, out[-1].color, out[-1].style) == \
                (r.bold, r.font, r.size, r.color, r.style):
            out[-1] = Run(out[-1].text + r.text, r.bold, r.font, r.size, r.color, r.style)
        else:
            out.append(r)
    return out


#: Page estimate for files that do not record their pages: lines of 28 characters, 22 to a page
#: (GB/T 9704); the masthead takes about two lines more than its paragraphs.
_CHARS_PER_LINE, _LINES_PER_PAGE, _MASTHEAD_LINES = 28, 22, 2


def _estimate_pages(doc: Document) -> None:
    from ..metrics import em_width

    used, page, hard = _MASTHEAD_LINES, 1, 1
    for b in doc.blocks:
        paras = b.paragraphs() if isinstance(b, Table) else [b]
        for p in paras:
            if p.page and p.page > hard:  # a hard page break: a new page whatever the estimate
                page, hard, used = page + p.page - hard, p.page, 0
            if used >= _LINES_PER_PAGE:
                page, used = page + 1, used - _LINES_PER_PAGE
            p.page, p.page_estimated = page, True
            used += max(1, -(-int(em_width(p.text) + 2) // _CHARS_PER_LINE))
            while used > _LINES_PER_PAGE:
                page, used = page + 1, used - _LINES_PER_PAGE
        if isinstance(b, Table) and paras:
            b.page, b.page_estimated = paras[0].page, True
    pages = {p.n: p.page for p in doc.paragraphs()}
    for o in doc.objects:
        o.page = pages.get(o.n, o.page)
