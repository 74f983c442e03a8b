"""The .docx as Word reads it: page geometry, grid, fonts per role, footers, numbering, end block."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, ROOT, Office
from jianbao.pipeline import compile_issue, prepare

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}


def build(path: Path, out: Path) -> dict[str, etree._Element]:
    compile_issue(prepare(path), out)
    with zipfile.ZipFile(out) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xml")}


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    return build(ROOT / "issues" / "2024-05-13.yaml", tmp_path_factory.mktemp("seed") / "seed.docx")


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    path = next((FIXTURES / "full" / "issues").glob("*.yaml"))
    return build(path, tmp_path_factory.mktemp("full") / "full.docx")


def paragraphs(doc) -> list[tuple[str, str]]:
    """(style id, text) of every body paragraph, tables included, in order."""
    out = []
    for p in doc.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        out.append((style.get(f"{W}val") if style is not None else "", text))
    return out


def style(styles, sid):
    s = styles.find(f"{W}style[@{W}styleId='{sid}']")
    assert s is not None, sid
    return s


def test_page_size_margins_and_grid(seed):
    sect = seed["word/document.xml"].find(f"{W}body/{W}sectPr")
    size, mar, grid = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar"), sect.find(f"{W}docGrid")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
    assert [mar.get(f"{W}{k}") for k in ("top", "bottom", "left", "right")] == ["2098", "1984", "1587", "1474"]
    assert grid.get(f"{W}type") == "lines" and grid.get(f"{W}linePitch") == "579"
    assert grid.get(f"{W}charSpace") is None


def test_normal_style_gives_22_by_28(seed):
    normal = style(seed["word/styles.xml"], "Normal")
    sp = normal.find(f"{W}pPr/{W}spacing")
    assert (sp.get(f"{W}line"), sp.get(f"{W}lineRule")) == ("579", "exact")
    assert normal.find(f"{W}rPr/{W}spacing").get(f"{W}val") == "-8"
    assert normal.find(f"{W}pPr/{W}widowControl").get(f"{W}val") == "1"  # issue 13: no widows, no orphans
    ind = normal.find(f"{W}pPr/{W}ind")
    assert ind.get(f"{W}firstLineChars") == "200" and ind.get(f"{W}firstLine") == "640"
    assert normal.find(f"{W}pPr/{W}jc").get(f"{W}val") == "both"


@pytest.mark.parametrize(("sid", "east_asia", "latin", "size"), [
    ("Normal", "仿宋_GB2312", "Times New Roman", "32"),
    ("Heading1", "黑体", "Times New Roman", "32"),
    ("Heading2", "楷体_GB2312", "Times New Roman", "32"),
    ("Heading3", "仿宋_GB2312", "Times New Roman", "32"),
    ("Heading4", "仿宋_GB2312", "Times New Roman", "32"),
    ("JBMasthead", "方正小标宋简体", "方正小标宋简体", "84"),
    ("JBIssueLine", "仿宋_GB2312", "Times New Roman", "32"),
    ("JBPeriod", "楷体_GB2312", "Times New Roman", "32"),
    ("Title", "方正小标宋简体", "方正小标宋简体", "44"),
    ("JBNote", "楷体_GB2312", "Times New Roman", "32"),
    ("JBEndBlock", "仿宋_GB2312", "Times New Roman", "28"),
    ("Footer", "宋体", "宋体", "28"),
])
def test_fonts_per_role_in_all_four_slots(seed, sid, east_asia, latin, size):
    s = style(seed["word/styles.xml"], sid)
    f = s.find(f"{W}rPr/{W}rFonts")
    assert f.get(f"{W}eastAsia") == east_asia
    assert f.get(f"{W}ascii") == f.get(f"{W}hAnsi") == f.get(f"{W}cs") == latin
    assert s.find(f"{W}rPr/{W}sz").get(f"{W}val") == size


def test_heading_styles_are_real_headings(seed):
    styles = seed["word/styles.xml"]
    for level in (1, 2, 3, 4):
        s = style(styles, f"Heading{level}")
        assert s.find(f"{W}name").get(f"{W}val") == f"heading {level}"
        assert s.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == str(level - 1)
        assert s.find(f"{W}pPr/{W}keepNext") is not None
        assert s.find(f"{W}rPr/{W}b").get(f"{W}val") == "0"


def test_no_theme_fonts_anywhere(seed):
    for name, root in seed.items():
        for f in root.iter(f"{W}rFonts"):
            assert not [a for a in f.attrib if "Theme" in a or "theme" in a], name
    assert seed["word/settings.xml"].find(f"{W}themeFontLang").get(f"{W}eastAsia") == "zh-CN"
    lang = seed["word/styles.xml"].find(f"{W}docDefaults//{W}lang")
    assert lang.get(f"{W}eastAsia") == "zh-CN"


def test_font_table_has_alternates(seed):
    fonts = {f.get(f"{W}name"): f for f in seed["word/fontTable.xml"]}
    assert fonts["仿宋_GB2312"].find(f"{W}altName").get(f"{W}val").startswith("仿宋")
    assert "方正小标宋_GBK" in fonts["方正小标宋简体"].find(f"{W}altName").get(f"{W}val")


def test_odd_and_even_footers(seed):
    assert seed["word/settings.xml"].find(f"{W}evenAndOddHeaders") is not None
    sect = seed["word/document.xml"].find(f"{W}body/{W}sectPr")
    kinds = {r.get(f"{W}type") for r in sect.findall(f"{W}footerReference")}
    assert kinds == {"default", "even"}
    footers = [root for name, root in seed.items() if name.startswith("word/footer")]
    assert len(footers) == 2
    sides = set()
    for ft in footers:
        p = ft.find(f"{W}p")
        jc = p.find(f"{W}pPr/{W}jc").get(f"{W}val")
        sides.add(jc)
        ind = p.find(f"{W}pPr/{W}ind")
        assert ind.get(f"{W}{jc}") == "280"
        text = "".join(t.text for t in p.iter(f"{W}t"))
        assert text == "— 1 —"
        assert "PAGE" in "".join(t.text for t in p.iter(f"{W}instrText"))
        for r in p.iter(f"{W}r"):  # run properties on every run, the field result too
            assert r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "宋体"
    assert sides == {"left", "right"}


def test_masthead_order_and_text(seed):
    paras = paragraphs(seed["word/document.xml"])
    assert paras[0] == ("JBMasthead", "政务服务和公共资源交易工作动态")
    assert paras[1] == ("JBIssueLine", "第18期（总第356期）")
    assert paras[2] == ("JBPeriod", "（4月29日—4月30日）")
    assert paras[3] == ("JBEditorLine", "四川省政府政务服务和公共资源交易服务中心2024年5月13日")
    border = seed["word/document.xml"].findall(f".//{W}p")[3].find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert (border.get(f"{W}sz"), border.get(f"{W}color")) == ("18", "FF0000")


def test_masthead_name_shrinks_to_fit_one_line(seed):
    name_run = seed["word/document.xml"].find(f".//{W}r")
    # 15 characters: 42 pt and 36 pt are too wide for 156 mm, 26 pt fits
    assert name_run.find(f"{W}rPr/{W}sz").get(f"{W}val") == "52"


def test_long_name_takes_two_lines(tmp_path):
    o = Office(tmp_path, series="name: 某某省某某市人民政府政务服务和公共资源交易工作动态简报\neditor: 中心\n")
    doc = build(o.issue(), tmp_path / "o.docx")["word/document.xml"]
    first = doc.find(f".//{W}p")
    assert first.find(f".//{W}br") is not None
    assert first.find(f".//{W}sz").get(f"{W}val") == "52"


def test_supplement_title_note_and_four_levels(full):
    paras = paragraphs(full["word/document.xml"])
    texts = [t for _, t in paras]
    styles = [s for s, _ in paras]
    assert paras[0] == ("JBMark", "内部资料　注意保存")
    assert paras[2] == ("JBIssueLine", "增刊第2期（总第360期）")
    assert texts[5].startswith("编者按：")
    assert "Title" in styles and "Subtitle" in styles
    assert styles.index("JBNote") < styles.index("Title") < styles.index("Subtitle")
    assert any(s == "Heading3" and re.match(r"\d\.", t) for s, t in paras)
    assert any(re.match(r"（\d）", t) for t in texts)


def test_numbering_past_ten(tmp_path):
    sections = "".join(f"  - title: 第{i}部分\n    items: [甲, 乙]\n" for i in range(1, 13))
    o = Office(tmp_path)
    doc = build(o.issue(f"number: 1\ndate: 2024-05-13\nsections:\n{sections}"), tmp_path / "n.docx")
    texts = [t for _, t in paragraphs(doc["word/document.xml"])]
    assert "十一、第11部分" in texts and "十二、第12部分" in texts
    assert texts.count("（一）甲") == 12 and texts.count("（二）乙") == 12


def test_run_in_lead_uses_heading_font_then_body(full):
    doc = full["word/document.xml"]
    leads = []  # (character style, the text in it, whether body text follows in the paragraph)
    for p in doc.iter(f"{W}p"):
        runs = p.findall(f"{W}r")
        styles = [r.find(f"{W}rPr/{W}rStyle") for r in runs]
        styles = [s.get(f"{W}val") if s is not None else None for s in styles]
        if runs and styles[0]:
            n = next((k for k, s in enumerate(styles) if s != styles[0]), len(runs))
            text = "".join(r.findtext(f"{W}t") or "" for r in runs[:n])
            leads.append((styles[0], text, n < len(runs)))
    assert ("JBLead1", "二、改革成效初步显现。", True) in leads
    assert {lvl for lvl, _, _ in leads} >= {"JBLead1", "JBLead2", "JBLead4"}


def test_end_block_is_a_table_in_a_text_box_at_the_bottom_held_by_a_paragraph_as_tall(seed):
    """Issue 13: not a floating table (which wraps, so LibreOffice pushed the last rows of a table
    away from it and broke the table); a text box that wraps nothing, and a paragraph after the
    text that is as tall as the block and holds it."""
    doc = seed["word/document.xml"]
    WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    body = doc.find(f"{W}body")
    assert not [t for t in body.iter(f"{W}tbl") if t.find(f"{W}tblPr/{W}tblpPr") is not None]
    holder = body.findall(f"{W}p")[-1]
    anchor = holder.find(f".//{WP}anchor")
    assert anchor.find(f"{WP}wrapNone") is not None
    assert anchor.find(f"{WP}positionV").get("relativeFrom") == "margin"
    assert anchor.find(f"{WP}positionV/{WP}align").text == "bottom"
    assert anchor.find(f"{WP}positionH").get("relativeFrom") == "margin"
    tbl = holder.find(f".//{W}txbxContent/{W}tbl")
    assert tbl.find(f"{W}tblGrid/{W}gridCol").get(f"{W}w") == "8845"
    b = tbl.find(f"{W}tblPr/{W}tblBorders")
    assert b.find(f"{W}top").get(f"{W}sz") == "8" and b.find(f"{W}bottom").get(f"{W}sz") == "8"
    assert b.find(f"{W}insideH").get(f"{W}sz") == "6"
    rows = ["".join(t.text for t in tr.iter(f"{W}t")) for tr in tbl.findall(f"{W}tr")]
    assert rows == ["报：省政务管理办公室、省级相关部门（单位）、省中心领导。",
                    "发：省级相关部门（单位）窗口，省直部门办事大厅，省中心各处（室）、直属单位。",
                    "（共印103份）"]
    # the holder reserves the block's height: three rows (the 发 row wraps to two lines) of 579
    # and the rules, never less than the box
    sp = holder.find(f"{W}pPr/{W}spacing")
    height = int(anchor.find(f"{WP}extent").get("cy")) // 635
    assert sp.get(f"{W}lineRule") == "exact" and int(sp.get(f"{W}line")) == height >= 4 * 579


def test_the_last_lines_of_the_text_are_kept_with_the_end_block(seed):
    paras = seed["word/document.xml"].find(f"{W}body").findall(f"{W}p")
    last_text = paras[-2]
    assert last_text.find(f"{W}pPr/{W}keepNext") is not None


def test_no_end_block_without_distribution_or_copies(tmp_path):
    o = Office(tmp_path, series="name: 动态\neditor: 中心\n")
    doc = build(o.issue(), tmp_path / "m.docx")["word/document.xml"]
    assert doc.find(f".//{W}tbl") is None


def test_issue_overrides_series_keys(tmp_path):
    o = Office(tmp_path)
    text = "number: 1\ndate: 2024-05-13\ncopies: 7\ndistribution:\n  送: [甲单位]\n"
    doc = build(o.issue(text), tmp_path / "o.docx")["word/document.xml"]
    rows = ["".join(t.text for t in tr.iter(f"{W}t")) for tr in doc.iter(f"{W}tr")]
    assert rows == ["送：甲单位。", "（共印7份）"]


def test_every_seed_paragraph_is_present_in_order(seed):
    """Every string of the example issue appears in the document, in the order written (its
    templated figures as resolved: ``{{ 综窗.咨询 }}`` → 1142)."""
    data = prepare(ROOT / "issues" / "2024-05-13.yaml").bulletin.issue.model_dump()
    strings: list[str] = []

    def walk(v):
        if isinstance(v, str):
            strings.append(v)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for k in ("title", "lead", "body", "items"):
                if k in v:
                    walk(v[k])

    walk(data["sections"])
    text = "".join(t for _, t in paragraphs(seed["word/document.xml"]))
    at = 0
    for s in strings:
        found = text.find(s, at)
        assert found >= 0, s[:30]
        at = found + len(s)


def _office_with_preset(tmp_path, **edits) -> Office:
    o = Office(tmp_path / "office")
    preset = (ROOT / "templates/layouts/gbt9704.yaml").read_text(encoding="utf-8")
    for old, new in edits.items():
        assert old in preset
        preset = preset.replace(old, new)
    (o.root / "templates" / "layouts").mkdir(parents=True)
    (o.root / "templates" / "layouts" / "gbt9704.yaml").write_text(preset, encoding="utf-8")
    return o


def test_preset_can_leave_page_one_unnumbered(tmp_path):
    o = _office_with_preset(tmp_path, **{"first_page: true": "first_page: false"})
    parts = build(o.issue(), tmp_path / "o.docx")
    sect = parts["word/document.xml"].find(f"{W}body/{W}sectPr")
    assert sect.find(f"{W}titlePg") is not None
    kinds = {r.get(f"{W}type") for r in sect.findall(f"{W}footerReference")}
    assert kinds == {"default", "even", "first"}
    footers = [root for name, root in parts.items() if name.startswith("word/footer")]
    texts = sorted("".join(t.text or "" for t in f.iter(f"{W}t")) for f in footers)
    assert texts == ["", "— 1 —", "— 1 —"]  # the first-page footer is empty


def test_preset_bold_switch_for_level_two(tmp_path):
    o = _office_with_preset(tmp_path, **{
        "heading2:    {east_asia: 楷体_GB2312, latin: Times New Roman, size: 16, bold: false}":
        "heading2:    {east_asia: 楷体_GB2312, latin: Times New Roman, size: 16, bold: true}"})
    styles = build(o.issue(), tmp_path / "o.docx")["word/styles.xml"]
    assert style(styles, "Heading2").find(f"{W}rPr/{W}b").get(f"{W}val") == "1"
    assert style(styles, "JBLead2").find(f"{W}rPr/{W}b").get(f"{W}val") == "1"
    assert style(styles, "Heading3").find(f"{W}rPr/{W}b").get(f"{W}val") == "0"


def test_carry_splits_the_last_paragraph_before_the_lines_it_names(tmp_path):
    """The batch's LibreOffice remedy (issue 13): the printed text of the last two lines goes to a
    paragraph of its own, unindented, kept whole and with the end block; the head keeps its text
    and spreads its last line full width like the lines before it."""
    from jianbao.pipeline import prepare
    from jianbao.render.docx import render

    o = Office(tmp_path)
    last = "本周" + "围绕重点任务推进各项工作，" * 8 + "完成。"
    path = o.issue(f"number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    items:\n      - {last}\n")
    checked = prepare(path)
    tail = last[-40:]
    body = render(checked.bulletin, checked.layout, carry=" ".join([tail[:20], tail[20:]])).element.body
    paras = [p for p in body.findall(f"{W}p") if p.find(f".//{W}txbxContent") is None]
    head, second = paras[-2], paras[-1]
    text = lambda p: "".join(t.text for t in p.iter(f"{W}t"))  # noqa: E731
    assert text(head) + text(second) == "（一）" + last and text(second) == tail
    assert second.find(f"{W}pPr/{W}keepNext") is not None and second.find(f"{W}pPr/{W}keepLines") is not None
    assert second.find(f"{W}pPr/{W}ind").get(f"{W}firstLineChars") == "0"
    assert head.find(f"{W}pPr/{W}jc").get(f"{W}val") == "distribute"
    assert head.find(f"{W}pPr/{W}keepNext") is None
    # a tail the text does not end with changes nothing
    plain = render(checked.bulletin, checked.layout, carry="不是这一段的结尾").element.body
    assert len(plain.findall(f"{W}p")) == len(body.findall(f"{W}p")) - 1


def test_carry_never_leaves_a_lone_first_line(tmp_path):
    """When the lines to carry are all of the paragraph but its first line, splitting would leave
    that line alone at the foot of the page: the paragraph is kept whole with the end block."""
    from jianbao.pipeline import prepare
    from jianbao.render.docx import render

    o = Office(tmp_path)
    last = "本周" + "围绕重点任务推进各项工作，" * 5 + "完成。"  # three lines
    path = o.issue(f"number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    items:\n      - {last}\n")
    checked = prepare(path)
    body = render(checked.bulletin, checked.layout, carry=last[-50:]).element.body
    paras = [p for p in body.findall(f"{W}p") if p.find(f".//{W}txbxContent") is None]
    whole = paras[-1]
    assert "".join(t.text for t in whole.iter(f"{W}t")) == "（一）" + last
    assert whole.find(f"{W}pPr/{W}keepNext") is not None and whole.find(f"{W}pPr/{W}keepLines") is not None


def test_line_starts_break_as_libreoffice_does():
    """The body grid: 28 characters a line, the first indented two (issue 13: these rules predicted
    all 640 paragraph breaks of the layout test's sample in LibreOffice 7.4)."""
    from jianbao.metrics import line_starts

    starts = lambda text, gap=1 / 6: line_starts(text, 8845, 320, -8, 2, gap)  # noqa: E731
    assert starts("字" * 60) == [0, 26, 54]
    # "，" may not start a line: it takes the character before it down
    assert starts("字" * 26 + "，" + "字" * 10) == [0, 25]
    # an opening bracket does not end a line
    assert starts("字" * 25 + "（字）" + "字" * 10) == [0, 25]
    # digits are not broken, and take room beside Chinese text: "段12" holds the first line to 26
    # characters (24 wide), one fewer than without the space
    assert starts("段12" + "字" * 40) == [0, 26]
    assert starts("段12" + "字" * 40, gap=0) == [0, 27]


def _last_paragraphs(tmp_path, last: str, **kw):
    from jianbao.pipeline import prepare
    from jianbao.render.docx import render

    o = Office(tmp_path)
    path = o.issue(f"number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    items:\n      - {last}\n")
    checked = prepare(path)
    split: list[str] = []
    body = render(checked.bulletin, checked.layout, split=split, **kw).element.body
    paras = [p for p in body.findall(f"{W}p") if p.find(f".//{W}txbxContent") is None]
    return ["".join(t.text for t in p.iter(f"{W}t")) for p in paras], paras, split


def test_a_long_last_paragraph_is_split_before_its_predicted_last_two_lines(tmp_path):
    """Without a PDF to measure (issue 13): a last paragraph of four lines or more is split where
    its last two lines are predicted to start, the tail kept whole with the end block, the split
    reported to the build."""
    last = "本周" + "推进工作" * 27 + "。"  # 5 lines with "（一）": 26 + 28 + 28 + 28 + 4 characters
    texts, paras, split = _last_paragraphs(tmp_path, last)
    printed = "（一）" + last
    assert texts[-2] + texts[-1] == printed
    assert texts[-1] == printed[26 + 28 * 2:] and split == [texts[-1]]  # lines 4 and 5
    head, tail = paras[-2], paras[-1]
    assert tail.find(f"{W}pPr/{W}keepNext") is not None and tail.find(f"{W}pPr/{W}keepLines") is not None
    assert tail.find(f"{W}pPr/{W}ind").get(f"{W}firstLineChars") == "0"
    assert head.find(f"{W}pPr/{W}jc").get(f"{W}val") == "distribute" and head.find(f"{W}pPr/{W}keepNext") is None


def test_a_short_last_paragraph_or_an_end_page_of_its_own_is_not_split(tmp_path):
    three = "本周" + "围绕重点任务推进各项工作，" * 5 + "完成。"
    texts, _, split = _last_paragraphs(tmp_path / "a", three)
    assert texts[-1] == "（一）" + three and split == []
    five = "本周" + "围绕重点任务推进各项工作，" * 9 + "完成。"
    texts, _, split = _last_paragraphs(tmp_path / "b", five, end_page_alone=True)
    assert texts[-1] == "（一）" + five and split == []


def test_a_one_line_last_paragraph_takes_a_line_of_the_long_one_before_it(tmp_path):
    """Two lines come with the end block: after a one-line last paragraph, the long paragraph before
    it is split before its last two lines (the 80-bulletin run found an end block with one line)."""
    from jianbao.pipeline import prepare
    from jianbao.render.docx import render

    o = Office(tmp_path)
    long_one = "本周" + "推进工作" * 27 + "。"
    path = o.issue("number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    items:\n"
                   f"      - {long_one}\n      - 本周推进工作。\n")
    checked = prepare(path)
    split: list[str] = []
    body = render(checked.bulletin, checked.layout, split=split).element.body
    paras = [p for p in body.findall(f"{W}p") if p.find(f".//{W}txbxContent") is None]
    texts = ["".join(t.text for t in p.iter(f"{W}t")) for p in paras]
    assert texts[-1] == "（二）本周推进工作。" and texts[-3] + texts[-2] == "（一）" + long_one
    assert split == [texts[-2]] and texts[-2] == ("（一）" + long_one)[26 + 28 * 2:]
    for p in paras[-2:]:
        assert p.find(f"{W}pPr/{W}keepNext") is not None
