"""Tables as body blocks: the model and its errors, the computed 合计 row, the typed-total rule (JB710),
and the .docx a table becomes (grid widths, borders, repeated header, its own paragraph styles)."""

from __future__ import annotations

import textwrap
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import Office
from jianbao.diagnostics import JianbaoError
from jianbao.pipeline import compile_issue, prepare

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_WIDTH = 11906 - 1587 - 1474  # 版心 of the gbt9704 preset: 8845 twips

ISSUE = """\
number: 3
date: 2024-05-13
data: {{综窗: {{咨询: 1142, 受理: 391}}}}
sections:
  - title: 综窗改革攻坚行动
    items:
      - lead: 省本级综窗办件情况。
        body:
          - 本周办件情况见下表。
          - table:
{table}
          - 表后的一段正文。
"""


def table_issue(office: Office, table: str) -> Path:
    return office.issue(ISSUE.format(table=textwrap.indent(textwrap.dedent(table), " " * 14)))


SIMPLE = """\
caption: 省本级综窗办件情况
header: [类别, 本周, 今年以来]
widths: [2, 1, 1]
rows:
  - [咨询, '{{ 综窗.咨询 }}', 24276]
  - [受理, '{{ 综窗.受理 }}', 9990]
  - [颁发, 3096, 61746]
total: true
"""


def resolved_table(path: Path):
    return prepare(path).bulletin.issue.sections[0].items[0].body[1].table


def errors(path: Path):
    with pytest.raises(JianbaoError) as exc:
        prepare(path)
    return exc.value.diagnostics


def document(path: Path, out: Path) -> etree._Element:
    compile_issue(prepare(path), out)
    with zipfile.ZipFile(out) as z:
        return {n: etree.fromstring(z.read(n)) for n in ("word/document.xml", "word/styles.xml")}


# --- the computed total and the typed one ---------------------------------------------------------------

def test_total_row_is_computed_from_the_rows_and_templated_cells(office):
    t = resolved_table(table_issue(office, SIMPLE))
    assert t.header == ["类别", "本周", "今年以来"]
    assert t.rows == [["咨询", "1142", "24276"], ["受理", "391", "9990"], ["颁发", "3096", "61746"],
                      ["合计", "4629", "96012"]]


def test_total_sums_only_numeric_columns_and_keeps_their_form(office):
    t = resolved_table(table_issue(office, """\
        caption: 各市情况
        header: [地区, 金额（万元）, 办件, 占比, 备注]
        rows:
          - [甲市, 1.5, '1,200', 50%, 试点]
          - [其中：高新区, 0.5, 300, 10%, ~]
          - [乙市, 2.25, '2,000', 50%, '']
        total: true
        """))
    assert t.rows[-1] == ["合计", "3.75", "3,200", "", ""]  # 其中 rows are a breakdown: not added in


def test_a_typed_total_that_disagrees_is_an_error_at_the_cell(office):
    p = table_issue(office, """\
        caption: 办件情况
        header: [类别, 本周]
        rows:
          - [咨询, 1142]
          - [受理, 391]
          - [合计, 1543]
        """)
    (d,) = errors(p)
    assert d.code == "JB710" and "1533" in d.message and "1543" in d.message and "本周" in d.message
    assert (d.line, d.column) == (16, 24)  # the typed 1543
    assert "total: true" in d.hint


def test_a_typed_total_that_agrees_is_fine(office):
    p = table_issue(office, """\
        caption: 办件情况
        header: [类别, 本周, 说明]
        rows:
          - [咨询, '1,142', 窗口]
          - [受理, 391, 网上]
          - [总计, '1,533', —]
        """)
    assert resolved_table(p).rows[-1] == ["总计", "1,533", "—"]


def test_a_typed_total_and_total_true_together_are_refused(office):
    p = table_issue(office, """\
        caption: 办件情况
        header: [类别, 本周]
        rows: [[咨询, 1], [合计, 1]]
        total: true
        """)
    (d,) = errors(p)
    assert d.code == "JB709" and "合计" in d.message


# --- the model: errors with places ----------------------------------------------------------------------

def test_an_unknown_key_in_a_table_is_pointed_at(office):
    p = table_issue(office, SIMPLE.replace("caption:", "captoin:"))
    ds = errors(p)
    assert [(d.code, d.line, d.column) for d in ds] == [("JB101", 10, 13), ("JB103", 11, 15)]
    assert "captoin" in ds[1].message and "caption" in ds[0].message


def test_a_cell_of_the_wrong_kind_is_pointed_at(office):
    p = table_issue(office, SIMPLE.replace("[颁发, 3096, 61746]", "[颁发, {a: 1}, true]"))
    ds = errors(p)
    assert [(d.code, d.line) for d in ds] == [("JB102", 17), ("JB025", 17)]  # true: YAML's boolean, not text
    assert ds[0].column == 24 and "表格的格应为文字或数字" in ds[0].message


def test_rows_and_widths_must_match_the_header(office):
    p = table_issue(office, SIMPLE.replace("[受理, '{{ 综窗.受理 }}', 9990]", "[受理, 391]").replace("[2, 1, 1]", "[2, 1]"))
    ds = errors(p)
    assert [(d.code, d.line) for d in ds] == [("JB709", 13), ("JB709", 16)]
    assert "第 2 行有 2 格，表头有 3 列" in ds[1].message and "widths" in ds[0].message


def test_a_block_that_is_neither_text_nor_table(office):
    p = table_issue(office, SIMPLE).read_text(encoding="utf-8").replace("          - table:", "          - tabel:")
    path = office.issue(p)
    ds = errors(path)
    assert ("JB103", 10) in [(d.code, d.line) for d in ds]


def test_an_item_cannot_open_with_a_table(office):
    text = """\
        number: 3
        date: 2024-05-13
        sections:
          - title: 工作动态
            items:
              - body:
                  - table: {caption: 表, header: [a], rows: [[1]]}
        """
    (d,) = errors(office.issue(text))
    assert d.code == "JB108" and "以一段文字开头" in d.message


def test_tables_in_the_lead_body_and_section_body_render_and_lint(office, tmp_path):
    text = """\
        number: 3
        date: 2024-05-13
        body:
          - 导语。
          - table: {caption: 导语表, header: [a, b], rows: [[x, 1]]}
        sections:
          - title: 工作动态
            body:
              - table: {caption: 部分表, header: [a, b], rows: [[y, 2]], align: right}
        """
    p = office.issue(text)
    prepared = prepare(p)
    docs = document(p, tmp_path / "o.docx")
    captions = [p for p in docs["word/document.xml"].iter(f"{W}p")
                if p.find(f"{W}pPr/{W}pStyle[@{W}val='JBTableCaption']") is not None]
    assert ["".join(t.text for t in c.iter(f"{W}t")) for c in captions] == ["导语表", "部分表"]
    assert not [d for d in prepared.warnings if d.code == "JB207"]  # a section with a table is not empty


# --- the .docx --------------------------------------------------------------------------------------------

@pytest.fixture
def docx(office, tmp_path):
    return document(table_issue(office, SIMPLE), tmp_path / "t.docx")


def body_tables(doc) -> list[etree._Element]:
    body = doc if doc.tag == f"{W}body" else doc.find(f"{W}body")
    return body.findall(f"{W}tbl")  # not the 版记 (its table is in a text box)


def data_rows(tbl) -> list[etree._Element]:
    """The header and data rows: not the borderless closing row that holds the end block when the
    text ends with the table (issue 13)."""
    rows = tbl.findall(f"{W}tr")
    return rows[:-1] if rows and rows[-1].find(f"{W}tc/{W}tcPr/{W}tcBorders") is not None else rows


def grid(tbl) -> list[int]:
    return [int(g.get(f"{W}w")) for g in tbl.find(f"{W}tblGrid").findall(f"{W}gridCol")]


def test_grid_widths_fill_the_text_area(docx):
    (tbl,) = body_tables(docx["word/document.xml"])
    cols = grid(tbl)
    assert sum(cols) == TEXT_WIDTH and len(cols) == 3
    assert abs(cols[0] - 2 * cols[1]) <= 2 and abs(cols[1] - cols[2]) <= 1
    assert tbl.find(f"{W}tblPr/{W}tblW").get(f"{W}w") == str(TEXT_WIDTH)
    assert tbl.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
    first = tbl.find(f"{W}tr")
    assert [int(c.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) for c in first.iter(f"{W}tc")] == cols


def test_equal_widths_by_default(office, tmp_path):
    p = table_issue(office, SIMPLE.replace("widths: [2, 1, 1]\n", ""))
    (tbl,) = body_tables(document(p, tmp_path / "e.docx")["word/document.xml"])
    cols = grid(tbl)
    assert sum(cols) == TEXT_WIDTH and max(cols) - min(cols) <= 1


def test_full_borders_and_a_repeated_header_row(docx):
    (tbl,) = body_tables(docx["word/document.xml"])
    borders = tbl.find(f"{W}tblPr/{W}tblBorders")
    assert {etree.QName(b).localname: b.get(f"{W}val") for b in borders} == {
        s: "single" for s in ("top", "left", "bottom", "right", "insideH", "insideV")}
    rows = data_rows(tbl)
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    texts = [["".join(t.text for t in c.iter(f"{W}t")) for c in r.iter(f"{W}tc")] for r in rows]
    assert texts[0] == ["类别", "本周", "今年以来"] and texts[-1] == ["合计", "4629", "96012"]


def test_cells_have_their_own_styles_without_the_first_line_indent(docx):
    styles = docx["word/styles.xml"]
    (tbl,) = body_tables(docx["word/document.xml"])
    used = {p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") for r in data_rows(tbl) for p in r.iter(f"{W}p")}
    assert used == {"JBTableHeader", "JBTableCell"}

    def style(sid):
        return styles.find(f"{W}style[@{W}styleId='{sid}']")

    for sid, face, size in (("JBTableHeader", "黑体", "28"), ("JBTableCell", "仿宋_GB2312", "28"),
                            ("JBTableCaption", "黑体", "32")):
        s = style(sid)
        ind = s.find(f"{W}pPr/{W}ind")
        assert ind.get(f"{W}firstLine") == "0" and ind.get(f"{W}firstLineChars") == "0", sid
        assert s.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == face
        assert s.find(f"{W}rPr/{W}sz").get(f"{W}val") == size
    for sid in ("JBTableHeader", "JBTableCell"):
        spacing = style(sid).find(f"{W}pPr/{W}spacing")
        assert spacing.get(f"{W}lineRule") == "exact" and spacing.get(f"{W}line") == "400"
        assert style(sid).find(f"{W}pPr/{W}snapToGrid").get(f"{W}val") == "0"
        assert int(spacing.get(f"{W}line")) > 14 * 20  # taller than the 四号 text: no clipped glyphs
    assert style("JBTableCaption").find(f"{W}pPr/{W}jc").get(f"{W}val") == "center"
    assert style("JBTableCaption").find(f"{W}pPr/{W}keepNext") is not None
    assert style("JBTable").get(f"{W}type") == "table"


def test_lead_stands_alone_before_a_table_and_text_follows(docx):
    paras = [("".join(t.text or "" for t in p.iter(f"{W}t")),
              (p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") if p.find(f"{W}pPr/{W}pStyle") is not None else ""))
             for p in docx["word/document.xml"].find(f"{W}body").iter(f"{W}p")]
    at = [t for t, _ in paras].index("（一）省本级综窗办件情况。本周办件情况见下表。")
    assert paras[at + 1] == ("省本级综窗办件情况", "JBTableCaption")
    assert ("表后的一段正文。", "Normal") in paras[at + 2:]


def test_numbers_are_centred_and_long_text_columns_start_left(office, tmp_path):
    p = table_issue(office, """\
        caption: 说明
        header: [地区, 数, 情况]
        rows:
          - [甲市, 12, 这一格的文字很长很长很长很长，一行放不下，要换行]
          - [乙市, 3, 短]
        """)
    (tbl,) = body_tables(document(p, tmp_path / "a.docx")["word/document.xml"])
    body = tbl.findall(f"{W}tr")[1]
    assert [c.find(f"{W}p/{W}pPr/{W}jc").get(f"{W}val") for c in body.iter(f"{W}tc")] == ["center", "center", "left"]


def test_the_end_block_still_gets_its_own_page_when_asked(office, tmp_path):
    from jianbao.render.docx import render

    prepared = prepare(table_issue(office, SIMPLE))
    doc = render(prepared.bulletin, prepared.layout, end_page_alone=True).element.body
    breaks = [p for p in doc.iter(f"{W}p") if p.find(f"{W}pPr/{W}sectPr") is not None]
    assert len(breaks) == 1
    ours = body_tables(doc)[0]
    assert list(doc).index(breaks[0]) > list(doc).index(ours)  # the break comes after our table


@pytest.mark.parametrize("end_page_alone", [False, True], ids=["plain", "end-page-alone"])
def test_a_document_with_tables_passes_the_ooxml_validator(office, tmp_path, end_page_alone):
    """Word opens it without repairs: tblPr, trPr and tcPr children in schema order, a valid table style."""
    import subprocess
    import sys

    out = compile_issue(prepare(table_issue(office, SIMPLE)), tmp_path / "v.docx", end_page_alone=end_page_alone)
    r = subprocess.run([sys.executable, "-m", "openxml_audit", "-q", "--format", "office2016", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_text_ending_with_a_table_keeps_its_last_rows_with_the_end_block(docx):
    """Issue 13: the text ends with the table and one short paragraph; LibreOffice keeps no table
    row with a paragraph, so that paragraph and the end block's holder go into a last row without
    side or bottom borders, kept with the last data row, which is kept with the one before it."""
    (tbl,) = body_tables(docx["word/document.xml"])
    rows = tbl.findall(f"{W}tr")
    closing = rows[-1]
    tcpr = closing.find(f"{W}tc/{W}tcPr")
    assert tcpr.find(f"{W}gridSpan").get(f"{W}val") == "3"
    assert {etree.QName(b).localname: b.get(f"{W}val") for b in tcpr.find(f"{W}tcBorders")} == {
        "left": "nil", "bottom": "nil", "right": "nil"}
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in closing.find(f"{W}tc").findall(f"{W}p")]
    assert texts[0] == "表后的一段正文。"
    holder = closing.find(f"{W}tc").findall(f"{W}p")[-1]
    anchor = holder.find(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}anchor")
    assert anchor.get("layoutInCell") == "0"  # the box goes to the bottom of the page, not of the cell
    for row in rows[-3:-1]:  # the last two data rows (合计 and the one before) keep with the next
        assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in row.iter(f"{W}p"))
    assert tbl.getnext().tag == f"{W}p"  # a document does not end with a table
