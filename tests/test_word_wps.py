"""What Word and WPS do with our .docx, asserted on the XML because neither runs here.

Each test names its source. None of this was checked in Word or WPS: the expectations come from
ECMA-376 / MS-OI29500, LibreOffice's import code (which emulates Word), and the reports of
other projects collected in shared/research/peers.md and ooxml.md.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, ROOT
from jianbao.pipeline import compile_issue, prepare

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
ISSUES = [ROOT / "issues" / "2024-05-13.yaml", *sorted(FIXTURES.glob("*/issues/*.yaml"))]


def parts(path: Path, out: Path) -> dict[str, etree._Element]:
    compile_issue(prepare(path), out)
    with zipfile.ZipFile(out) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith((".xml", ".rels"))}


@pytest.fixture(scope="module", params=ISSUES, ids=lambda p: p.parent.parent.name)
def doc(request, tmp_path_factory):
    return parts(request.param, tmp_path_factory.mktemp("docx") / "x.docx")


# --- compatibility mode ----------------------------------------------------------------------

def test_compatibility_mode_is_word_2013_and_later(doc):
    """compatibilityMode 15 (MS-DOCX: 14 = Word 2010, 15 = Word 2013 and later; Word 365 still
    writes 15). With 14, python-docx's value, Word 2013–365 open the file in 兼容模式 (shown in
    the title bar) and offer a conversion that re-lays it out. The one difference of the two
    modes that touches what we write is where a top-level table starts (mode ≤ 14: its text at
    the indent, the border a cell margin further out; 15: the border at the indent — LibreOffice
    emulates both, tdf#106742); our body tables are centred and the end block has no cell
    margin, so they sit the same in both (tests/layout/test_compat_mode.py renders it)."""
    settings = doc["word/settings.xml"]
    modes = [c.get(f"{W}val") for c in settings.iter(f"{W}compatSetting")
             if c.get(f"{W}name") == "compatibilityMode"]
    assert modes == ["15"]
    compat = settings.find(f"{W}compat")
    assert compat.find(f"{W}useFELayout") is not None  # East Asian line layout rules on


def test_punctuation_is_not_compressed(doc):
    """characterSpacingControl doNotCompress (字符间距控制：不压缩): Word and WPS would otherwise
    squeeze full-width punctuation and fit more characters on a line than LibreOffice does."""
    assert doc["word/settings.xml"].find(f"{W}characterSpacingControl").get(f"{W}val") == "doNotCompress"


# --- gridCol widths (WPS lays out tables by their grid) ----------------------------------------

def test_every_table_has_a_grid_that_matches_its_cells(doc):
    """WPS takes column widths from w:tblGrid/w:gridCol and ignores w:tblW (dolanmiu/docx #272,
    #2456; vace/markdown-docx #7): every table's grid adds up to its width, and each row's cells
    are exactly the grid's columns, in twips, with a fixed layout."""
    tables = list(doc["word/document.xml"].iter(f"{W}tbl"))
    for tbl in tables:
        grid = [int(c.get(f"{W}w")) for c in tbl.findall(f"{W}tblGrid/{W}gridCol")]
        assert grid and all(g > 0 for g in grid)
        tblw = tbl.find(f"{W}tblPr/{W}tblW")
        assert tblw.get(f"{W}type") == "dxa" and int(tblw.get(f"{W}w")) == sum(grid)
        assert tbl.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
        for tr in tbl.findall(f"{W}tr"):
            widths, col = [], 0
            for tc in tr.findall(f"{W}tc"):
                tcw = tc.find(f"{W}tcPr/{W}tcW")
                assert tcw.get(f"{W}type") == "dxa"
                span = tc.find(f"{W}tcPr/{W}gridSpan")  # a cell over several columns (the closing row, #13)
                n = int(span.get(f"{W}val")) if span is not None else 1
                widths.append(int(tcw.get(f"{W}w")))
                assert widths[-1] == sum(grid[col: col + n]), "a cell's width is not its grid columns'"
                col += n
            assert col == len(grid)


# --- theme fonts (WPS reports the theme's faces it lacks as 缺失字体) ----------------------------

def test_the_theme_names_only_the_documents_own_faces(doc):
    """WPS reads the faces of word/theme/theme1.xml and reports the ones it lacks as 缺失字体
    (Fokkyp/SoftwareCopyright-Skill #28, fixed there by rewriting major/minor fonts and dropping
    the per-script list). python-docx's theme names Calibri, Cambria, ＭＳ 明朝, 新細明體 and some
    forty script fonts. Ours names heading and body faces that the styles use anyway."""
    theme = doc["word/theme/theme1.xml"]
    scheme = theme.find(f"{A}themeElements/{A}fontScheme")
    faces = {e.get("typeface") for e in scheme.iter() if e.get("typeface") is not None}
    table = {f.get(f"{W}name") for f in doc["word/fontTable.xml"].findall(f"{W}font")}
    assert faces and faces <= table, faces - table
    assert not list(scheme.iter(f"{A}font"))  # no script-specific faces
    major, minor = scheme.find(f"{A}majorFont"), scheme.find(f"{A}minorFont")
    assert major.find(f"{A}ea").get("typeface") == "黑体"
    assert minor.find(f"{A}ea").get("typeface") == "仿宋_GB2312"
    assert minor.find(f"{A}latin").get("typeface") == "Times New Roman"


def test_no_style_or_run_takes_a_theme_font(doc):
    """Theme attributes (asciiTheme, eastAsiaTheme …) win over explicit names in Word and WPS
    (DevExpress: "FontNameEastAsia is ignored when ThemeFontEastAsia is specified";
    lindkkk/gongwen-paiban strips them): none anywhere, so the theme only matters to WPS's list."""
    for name, root in doc.items():
        for f in root.iter(f"{W}rFonts"):
            assert not [a for a in f.attrib if "heme" in a], name


# --- headings in the navigation pane -----------------------------------------------------------

def test_headings_use_the_built_in_heading_styles(doc):
    """Word and WPS put a paragraph in the navigation pane (导航窗格) and the table of contents by
    its outline level, and WPS only recognises the built-in names "heading 1" … (sinnohzeng lessons
    doc; lindkkk/gongwen-paiban): the heading styles keep the built-in ids and names, carry outline
    levels 0–3, and every numbered heading paragraph of the body uses one of them."""
    styles = {s.get(f"{W}styleId"): s for s in doc["word/styles.xml"].iter(f"{W}style")}
    for level in (1, 2, 3, 4):
        s = styles[f"Heading{level}"]
        assert s.find(f"{W}name").get(f"{W}val") == f"heading {level}"
        assert s.get(f"{W}customStyle") is None and s.find(f"{W}qFormat") is not None
        assert s.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == str(level - 1)
    for sid, s in styles.items():  # no style of ours takes a built-in name or an outline level
        if sid.startswith("JB"):
            assert s.get(f"{W}customStyle") == "1"
            assert not s.find(f"{W}name").get(f"{W}val").lower().startswith(("heading", "title"))
            assert s.find(f"{W}pPr/{W}outlineLvl") is None
    body = doc["word/document.xml"]
    for p in body.iter(f"{W}p"):
        assert p.find(f"{W}pPr/{W}numPr") is None  # numbers are text: no list numbering to lose
        assert p.find(f"{W}pPr/{W}outlineLvl") is None  # outline levels come from the styles only
    used = {p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") for p in body.iter(f"{W}p")
            if p.find(f"{W}pPr/{W}pStyle") is not None}
    assert "Heading1" in used
