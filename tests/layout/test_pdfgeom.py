"""The layout-test helpers (pdfgeom) and jianbao.pdf, proven on real LibreOffice output.

A tiny .docx is built here with python-docx — GB/T 9704 page, a red masthead, a line with a
red 2.25 pt bottom border, 28-character lines, and a floating end-block table at the bottom
of the 版心 — converted once through convert_to_pdf, and measured.
"""

from __future__ import annotations

from pathlib import Path

import pdfgeom
import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from jianbao.pdf import PdfError, convert_to_pdf, find_soffice, pdf_fonts

BODY28 = "全省规上工业增加值同比增长百分之六点八，主要指标好于预期"
BODY56 = "围绕年度目标任务统筹推进稳增长调结构惠民生防风险各项工作" + "经济运行总体平稳质量效益稳步提升发展后劲持续增强民生保障"
assert len(BODY28) == 28 and len(BODY56) == 56
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _fonts(run, east_asia: str, size: float = 16, color: str | None = None) -> None:
    run.font.size = Pt(size)
    rpr = run._r.get_or_add_rPr()
    rfonts = OxmlElement("w:rFonts")
    for key, val in (
        ("ascii", "Times New Roman"),
        ("hAnsi", "Times New Roman"),
        ("eastAsia", east_asia),
        ("cs", "Times New Roman"),
        ("hint", "eastAsia"),
    ):
        rfonts.set(qn(f"w:{key}"), val)
    rpr.insert(0, rfonts)
    spacing = OxmlElement("w:spacing")  # condense by 0.25 pt: 28 characters fit 156 mm
    spacing.set(qn("w:val"), "-5")
    rpr.append(spacing)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)


def _para(doc, text, east_asia="仿宋_GB2312", size=16, color=None, align=None, border=None):
    p = doc.add_paragraph()
    pf = p.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(28.95)
    pf.space_before = pf.space_after = Pt(0)
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if align is None else align
    _fonts(p.add_run(text), east_asia, size, color)
    if border:
        pbdr = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, val in border.items():
            bottom.set(qn(f"w:{key}"), val)
        pbdr.append(bottom)
        p._p.get_or_add_pPr().append(pbdr)
    return p


def _end_block(doc, rows: list[str]) -> None:
    """One-column floating table pinned to the bottom of the 版心 (spec: End block)."""

    def cell(text):
        return (
            '<w:tc><w:tcPr><w:tcW w:w="8845" w:type="dxa"/></w:tcPr><w:p><w:pPr>'
            '<w:spacing w:line="579" w:lineRule="exact"/><w:ind w:left="320" w:right="320"/>'
            '</w:pPr><w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"'
            ' w:eastAsia="仿宋_GB2312" w:hint="eastAsia"/><w:sz w:val="28"/></w:rPr>'
            f"<w:t>{text}</w:t></w:r></w:p></w:tc>"
        )

    tbl = parse_xml(
        f"<w:tbl {W}><w:tblPr>"
        '<w:tblpPr w:vertAnchor="margin" w:tblpYSpec="bottom" w:horzAnchor="page" w:tblpX="1587"/>'
        '<w:tblOverlap w:val="never"/><w:tblW w:w="8845" w:type="dxa"/>'
        '<w:tblLayout w:type="fixed"/><w:tblBorders>'
        '<w:top w:val="single" w:sz="8" w:color="000000"/>'
        '<w:bottom w:val="single" w:sz="8" w:color="000000"/>'
        '<w:insideH w:val="single" w:sz="6" w:color="000000"/></w:tblBorders>'
        '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/>'
        '</w:tblCellMar></w:tblPr><w:tblGrid><w:gridCol w:w="8845"/></w:tblGrid>'
        + "".join(f"<w:tr>{cell(t)}</w:tr>" for t in rows)
        + "</w:tbl>"
    )
    body = doc.element.body
    body.insert(len(body) - 1, tbl)  # before sectPr
    doc.add_paragraph()


def build_sample(path: Path) -> Path:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, "测试工作简报", "方正小标宋简体", size=42, color="FF0000", align=center)
    _para(doc, "第18期（总第356期）", align=center)
    red = {"val": "single", "sz": "18", "space": "4", "color": "FF0000"}
    _para(doc, "测试中心编", align=WD_ALIGN_PARAGRAPH.LEFT, border=red)
    _para(doc, "一、总体情况", "黑体")
    _para(doc, "（一）工业生产", "楷体_GB2312")
    _para(doc, BODY28)
    _para(doc, BODY56)
    _end_block(doc, ["报：上级单位", "发：本单位各处室"])
    doc.save(path)
    return path


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("sample")
    docx = build_sample(d / "sample.docx")
    (pdf,) = convert_to_pdf([docx])
    return pdf


@pytest.fixture(scope="module")
def page1(sample):
    pages = pdfgeom.read_pages(sample)
    assert len(pages) == 1
    return pages[0]


# ------------------------------------------------------------------------- convert_to_pdf
def test_pdf_written_next_to_docx_atomically(sample):
    assert sample.name == "sample.pdf" and sample.stat().st_size > 1000
    assert sorted(p.name for p in sample.parent.iterdir()) == ["sample.docx", "sample.pdf"]


def test_two_files_in_one_call(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = build_sample(tmp_path / "a" / "one.docx")
    second = build_sample(tmp_path / "b" / "two.docx")
    pdfs = convert_to_pdf([first, second])
    assert pdfs == [tmp_path / "a" / "one.pdf", tmp_path / "b" / "two.pdf"]
    assert all(p.is_file() and p.read_bytes().startswith(b"%PDF") for p in pdfs)

    out = convert_to_pdf([first, second], out_dir=tmp_path / "out")
    assert out == [tmp_path / "out" / "one.pdf", tmp_path / "out" / "two.pdf"]
    assert all(p.is_file() for p in out)


def test_same_stem_in_two_folders(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = build_sample(tmp_path / "a" / "x.docx")
    b = build_sample(tmp_path / "b" / "x.docx")
    assert convert_to_pdf([a, b]) == [tmp_path / "a" / "x.pdf", tmp_path / "b" / "x.pdf"]
    with pytest.raises(PdfError, match="同名"):
        convert_to_pdf([a, b], out_dir=tmp_path / "out")


def test_missing_soffice_raises_chinese_error(tmp_path, monkeypatch):
    docx = build_sample(tmp_path / "s.docx")
    monkeypatch.setenv("JIANBAO_SOFFICE", str(tmp_path / "no-such" / "soffice"))
    assert find_soffice() is None
    with pytest.raises(PdfError) as err:
        convert_to_pdf([docx])
    msg = err.value.message_zh
    assert "JIANBAO_SOFFICE" in msg and "LibreOffice" in msg
    assert "sudo apt-get install libreoffice-writer-nogui" in msg
    assert "scripts/install-system-deps.sh" in msg
    assert any("\u4e00" <= ch <= "\u9fff" for ch in msg)
    assert not (tmp_path / "s.pdf").exists()


def test_find_soffice_honours_env(monkeypatch):
    real = find_soffice()
    assert real
    monkeypatch.setenv("JIANBAO_SOFFICE", real)
    assert find_soffice() == real


def test_missing_input_raises(tmp_path):
    with pytest.raises(PdfError, match="找不到"):
        convert_to_pdf([tmp_path / "nope.docx"])


# ------------------------------------------------------------------------------ text lines
def test_page_size_is_a4(page1):
    assert page1.width == pytest.approx(210, abs=0.1)
    assert page1.height == pytest.approx(297, abs=0.1)


def test_line_of_28_cjk_characters(page1):
    (line,) = page1.find(BODY28)
    assert line.text == BODY28
    assert line.cjk == 28 and line.chars == 28
    assert line.x0 == pytest.approx(28, abs=0.5)  # left margin
    assert line.x1 <= 184 + 0.5  # right edge of the 版心


def test_56_characters_wrap_into_two_full_lines(page1):
    first = page1.find(BODY56[:28])
    second = page1.find(BODY56[28:])
    assert len(first) == 1 and len(second) == 1
    assert first[0].text == BODY56[:28] and second[0].text == BODY56[28:]
    assert first[0].cjk == second[0].cjk == 28
    pitch = second[0].y0 - first[0].y0
    assert pitch == pytest.approx(pdfgeom.mm(28.95), abs=0.4)  # exact line spacing


def test_mixed_cjk_and_digits_are_one_line(page1):
    (line,) = page1.find("第18期")
    assert line.text == "第18期（总第356期）"
    assert line.cjk == 7 and line.chars == 12
    assert len(line.words) > 1  # pdftotext splits at each script change
    centre = (line.x0 + line.x1) / 2
    assert centre == pytest.approx(28 + 156 / 2, abs=1.0)


def test_lines_are_top_to_bottom(page1):
    ys = [ln.y0 for ln in page1.lines]
    assert ys == sorted(ys)
    texts = [ln.text for ln in page1.lines]
    assert texts.index("测试工作简报") < texts.index("一、总体情况") < texts.index(BODY28)


# ----------------------------------------------------------------------------------- rules
def test_red_rule(sample, page1):
    red = [r for r in pdfgeom.find_rules(sample) if r.color == "#ff0000"]
    assert len(red) == 1
    rule = red[0]
    assert rule.width_pt == pytest.approx(2.25, abs=0.05)
    assert rule.x0 == pytest.approx(28, abs=0.5)
    assert rule.x1 == pytest.approx(184, abs=0.5)
    (editor,) = page1.find("测试中心编")
    assert 0 < rule.y - editor.y1 < 8  # just under the editor line


def test_end_block_rules_sit_on_the_bottom_of_the_body(sample):
    black = [r for r in pdfgeom.find_rules(sample, page=1) if r.color == "#000000"]
    assert len(black) == 3  # top, between the two rows, bottom
    top, middle, last = black
    assert last.y == pytest.approx(297 - 35, abs=1.0)
    assert top.width_pt == pytest.approx(1.0, abs=0.05)  # sz 8 = 1 pt
    assert middle.width_pt == pytest.approx(0.75, abs=0.05)  # sz 6
    assert last.width_pt == pytest.approx(1.0, abs=0.05)
    for r in black:
        assert r.x0 == pytest.approx(28, abs=0.5) and r.x1 == pytest.approx(184, abs=0.5)


# --------------------------------------------------------------------------- colour, fonts
def test_text_colours(sample):
    assert pdfgeom.text_colors(sample, "测试工作简报") == {"#ff0000"}
    assert pdfgeom.text_colors(sample, "第18期（总第356期）") == {"#000000"}
    assert pdfgeom.text_colors(sample, BODY28) == {"#000000"}
    assert pdfgeom.text_colors(sample, "不存在的文字") == set()


def test_faces_follow_fonts_conf(sample):
    assert pdfgeom.text_fonts(sample, BODY28) == {"FandolFang"}
    assert pdfgeom.text_fonts(sample, "工业生产") == {"FandolKai"}
    assert pdfgeom.text_fonts(sample, "总体情况") == {"FandolHei"}
    assert pdfgeom.text_fonts(sample, "第18期") == {"FandolFang", "LiberationSerif"}
    (masthead,) = [r for r in pdfgeom.text_runs(sample) if r.text == "测试工作简报"]
    assert masthead.font == "FandolSong" and masthead.bold and masthead.size_pt == 42
    fonts = pdf_fonts(sample)
    assert {"FandolFang-Regular", "FandolKai-Regular", "FandolHei-Regular"} <= set(fonts)
    assert "FandolSong-Bold" in fonts and "FandolHei-Bold" not in fonts


# ------------------------------------------------------------------------ pure helpers
def test_group_lines_joins_words_by_vertical_overlap():
    w = pdfgeom.Word
    words = [
        w("2024", 60, 70, 10.0, 17.3),
        w("编", 10, 16, 10.0, 17.3),
        w("年", 71, 76, 10.0, 17.3),
        w("下一行", 10, 30, 20.2, 27.5),
        w("Times", 10, 20, 30, 37),
        w("Roman", 22, 35, 30, 37),
    ]
    lines = pdfgeom.group_lines(words)
    assert [ln.text for ln in lines] == ["编2024年", "下一行", "Times Roman"]
    assert lines[0].x0 == 10 and lines[0].x1 == 76


def test_parse_color():
    assert pdfgeom.parse_color("rgb(100%,0%,0%)") == "#ff0000"
    assert pdfgeom.parse_color("rgb(0,128,255)") == "#0080ff"
    assert pdfgeom.parse_color("#F00") == "#ff0000"
    assert pdfgeom.parse_color("none") is None


def test_cjk_count():
    assert pdfgeom.cjk_count("第18期（总第356期）") == 7
    assert pdfgeom.cjk_count("— 1 —") == 0

