"""Word bulletins made the way offices make them: direct formatting, typed numerals, no styles.

``handmade(path, lines)`` writes a .docx with python-docx where every paragraph is formatted by
hand (font, size, bold, colour, alignment on the runs and paragraphs; a bottom border for the red
rule), as in a bulletin typed in Word or WPS from last year's copy.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

CENTER, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT

MASTHEAD = [
    {"text": "政务服务工作动态", "font": "方正小标宋简体", "size": 36, "color": "FF0000", "align": CENTER},
    {"text": "第7期（总第120期）", "align": CENTER},
    {"text": "（5月6日—5月10日）", "font": "楷体_GB2312", "align": CENTER},
    {"text": "锦城市政务服务管理局\t\t2024年5月13日", "rule": True},
]
END = [
    {"text": "报：省政务服务管理办公室，市委办公室，市政府办公室。"},
    {"text": "发：局机关各处室，直属单位。"},
    {"text": "（共印60份）", "align": WD_ALIGN_PARAGRAPH.RIGHT},
]


def _font(run, face: str | None, size: float | None, bold: bool, color: str | None) -> None:
    face = face or "仿宋_GB2312"
    run.font.name = face
    rpr = run._r.get_or_add_rPr()
    rpr.rFonts.set(qn("w:eastAsia"), face)
    run.font.size = Pt(size or 16)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)


def handmade(path: Path, body: list, *, masthead: list | None = None, end: list | None = None,
             image: bool = False, textbox: str | None = None) -> Path:
    """*body*: paragraphs, each a string (body font) or a dict: text / runs [(text, {bold, font})] /
    font / size / bold / align; or ``{"table": [[cells…], …]}``."""
    doc = Document()
    for spec in (MASTHEAD if masthead is None else masthead) + list(body) + (END if end is None else end):
        if isinstance(spec, str):
            spec = {"text": spec}
        if "table" in spec:
            rows = spec["table"]
            t = doc.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    cell = t.cell(r, c)
                    cell.paragraphs[0].text = ""
                    _font(cell.paragraphs[0].add_run(str(value)), None, 14, r == 0, None)
            continue
        p = doc.add_paragraph()
        if spec.get("align") is not None:
            p.alignment = spec["align"]
        for text, fmt in spec.get("runs") or [(spec["text"], {})]:
            _font(p.add_run(text), fmt.get("font", spec.get("font")), fmt.get("size", spec.get("size")),
                  fmt.get("bold", spec.get("bold", False)), fmt.get("color", spec.get("color")))
        if spec.get("rule"):
            ppr = p._p.get_or_add_pPr()
            bdr = OxmlElement("w:pBdr")
            bottom = OxmlElement("w:bottom")
            for k, v in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", "FF0000")):
                bottom.set(qn(k), v)
            bdr.append(bottom)
            ppr.append(bdr)
    if image:
        import base64
        import io

        png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
        doc.paragraphs[6].add_run().add_picture(io.BytesIO(png))
    if textbox is not None:
        from lxml import etree

        box = etree.fromstring(
            '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:100pt;height:40pt">'
            f'<v:textbox><w:txbxContent><w:p><w:r><w:t>{textbox}</w:t></w:r></w:p></w:txbxContent></v:textbox>'
            '</v:shape></w:pict></w:r>')
        doc.paragraphs[5]._p.append(box)
    doc.save(path)
    return path
