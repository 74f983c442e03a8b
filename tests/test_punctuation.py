"""Ambiguous-width punctuation (“ ” ‘ ’ — … · ×) in the .docx: in the role's Chinese font in
every font slot, so that no engine can set it in Times New Roman; digits and Latin stay Times.

The expected fonts are read from the document's own styles (paragraph style, character style,
basedOn chain), not from the renderer: the test is what Word would resolve for each run.
"""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, ROOT
from jianbao.pipeline import compile_issue, prepare
from jianbao.render import ooxml as x

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
PUNCT = FIXTURES / "punct" / "issues" / "2024-09-02.yaml"


# --- which characters -------------------------------------------------------------------------

def test_the_marks_of_chinese_text_are_ambiguous():
    for c in "“”‘’—…·×÷±°‰℃№§※→≤≥①⑳⑴⒈ⅠⅫ■□○●△▲◆★☆―‖•‥′″∶":
        assert x.is_ambiguous(c), c


def test_letters_digits_and_latin_are_not():
    for c in "AZaz09%-,.;:!?()[]/~@#&*+=<>" "αβΩАЯéüßÆ" "²³½¼" "，。、；：？！（）《》【】〔〕～　一":
        assert not x.is_ambiguous(c), c


def test_the_set_is_unicodes_east_asian_width_data():
    """Every character of width "A" that is punctuation or a symbol is in; nothing of another
    width is. (The list is derived, not typed: a new Unicode version extends it by itself.)"""
    for cp in range(0x10000):
        c = chr(cp)
        cat = unicodedata.category(c)
        ambiguous = unicodedata.east_asian_width(c) == "A"
        if x.is_ambiguous(c):
            assert ambiguous, f"U+{cp:04X}"
        elif ambiguous and cat[0] in "PS":
            pytest.fail(f"U+{cp:04X} {unicodedata.name(c, '')} ({cat}) is ambiguous punctuation")


# --- runs -------------------------------------------------------------------------------------

def fonts(r) -> dict[str, str | None]:
    f = r.find(f"{W}rPr/{W}rFonts")
    return {k: (f.get(f"{W}{k}") if f is not None else None) for k in (*SLOTS, "hint")}


def text(r) -> str:
    """The run's own text (not that of a text box it holds: those paragraphs are visited on their own)."""
    return "".join(t.text or "" for t in r.findall(f"{W}t"))


def test_text_runs_split_the_marks_off_into_runs_of_the_chinese_font():
    runs = x.text_runs("“一网通办”平台12“件”，ABC“系统”", east_asia="仿宋_GB2312")
    assert [text(r) for r in runs] == ["“", "一网通办", "”", "平台12", "“", "件", "”", "，ABC", "“", "系统", "”"]
    for r in runs:
        if x.is_ambiguous(text(r)[0]):
            assert fonts(r) == dict.fromkeys(SLOTS, "仿宋_GB2312") | {"hint": "eastAsia"}
            assert r.find(f"{W}rPr/{W}lang").get(f"{W}val") == "zh-CN"
        else:  # the style's Times / 仿宋 pair: no font names of its own
            assert all(fonts(r)[k] is None for k in SLOTS)


def test_text_without_marks_is_one_run_as_before():
    (r,) = x.text_runs("本周召开专题会议，共12项。", east_asia="仿宋_GB2312")
    assert etree.tostring(r) == etree.tostring(x.text_run("本周召开专题会议，共12项。"))


def test_latin_text_is_left_alone():
    """Outside Chinese text (no CJK character in it) a run stays as it is: Word's own rule."""
    (r,) = x.text_runs("A·B × C", east_asia="仿宋_GB2312")
    assert text(r) == "A·B × C" and r.find(f"{W}rPr") is None


def test_character_style_and_line_breaks_are_kept():
    runs = x.text_runs("“甲”\n乙", east_asia="黑体", rstyle="JBLead1")
    assert all(r.find(f"{W}rPr/{W}rStyle").get(f"{W}val") == "JBLead1" for r in runs)
    assert [text(r) for r in runs] == ["“", "甲", "”", "乙"] and runs[3].find(f"{W}br") is not None


def test_every_text_style_has_a_role_font():
    """The renderer asks role_font for the Chinese face of each paragraph and character style it
    writes text in: a style added without an entry would fail the build."""
    from jianbao.layout import load_layout
    from jianbao.render.styles import CHAR_STYLES, STYLES, role_font

    layout = load_layout(ROOT / "templates" / "layouts" / "gbt9704.yaml")
    for sid in (*STYLES, *CHAR_STYLES):
        assert role_font(layout, sid).east_asia, sid


# --- whole documents, fonts resolved the way Word resolves them --------------------------------

class Styles:
    def __init__(self, root):
        self.by_id = {s.get(f"{W}styleId"): s for s in root.iter(f"{W}style")}
        d = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
        self.defaults = {k: d.get(f"{W}{k}") for k in SLOTS}

    def fonts(self, sid: str | None) -> dict[str, str]:
        chain = []
        while sid:
            s = self.by_id[sid]
            chain.append(s)
            based = s.find(f"{W}basedOn")
            sid = based.get(f"{W}val") if based is not None else None
        out = dict(self.defaults)
        for s in reversed(chain):
            f = s.find(f"{W}rPr/{W}rFonts")
            for k in SLOTS:
                if f is not None and f.get(f"{W}{k}"):
                    out[k] = f.get(f"{W}{k}")
        return out


def build(path: Path, out: Path) -> dict[str, etree._Element]:
    compile_issue(prepare(path), out)
    with zipfile.ZipFile(out) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xml")}


@pytest.fixture(scope="module", params=["punct", "seed", "full"])
def doc(request, tmp_path_factory):
    path = {"punct": PUNCT, "seed": ROOT / "issues" / "2024-05-13.yaml",
            "full": next((FIXTURES / "full" / "issues").glob("*.yaml"))}[request.param]
    return build(path, tmp_path_factory.mktemp("punct") / "x.docx")


def resolved_runs(doc):
    """(paragraph style, run, the role's fonts, the run's effective fonts) for every text run."""
    styles = Styles(doc["word/styles.xml"])
    for p in doc["word/document.xml"].iter(f"{W}p"):
        ps = p.find(f"{W}pPr/{W}pStyle")
        pstyle = ps.get(f"{W}val") if ps is not None else "Normal"
        for r in p.findall(f"{W}r"):
            if not text(r):
                continue
            rs = r.find(f"{W}rPr/{W}rStyle")
            role = styles.fonts(rs.get(f"{W}val") if rs is not None else pstyle)
            own = fonts(r)
            yield pstyle, r, role, {k: own[k] or role[k] for k in SLOTS}


def test_every_mark_is_in_the_roles_chinese_font_in_all_four_slots(doc):
    seen = set()
    for pstyle, r, role, eff in resolved_runs(doc):
        t = text(r)
        marks = [c for c in t if x.is_ambiguous(c)]
        if not marks:
            continue
        seen.add(pstyle)
        assert len(marks) == len(t), f"{pstyle}: marks share a run with other text: {t!r}"
        assert eff == dict.fromkeys(SLOTS, role["eastAsia"]), f"{pstyle} {t!r}: {eff}"
    assert "Normal" in seen


def test_digits_and_latin_keep_the_roles_latin_font(doc):
    seen = 0
    for pstyle, r, role, eff in resolved_runs(doc):
        if any(c.isascii() and c.isalnum() for c in text(r)):
            seen += 1
            assert eff["ascii"] == eff["hAnsi"] == role["ascii"], f"{pstyle} {text(r)!r}"
    assert seen


def test_the_punct_fixture_has_marks_in_every_role(tmp_path):
    """What the rendered test relies on: marks in body text, titles, headings of four levels,
    leads, the note, tables and the end block; at a paragraph's start, after a digit, after
    Latin."""
    doc = build(PUNCT, tmp_path / "p.docx")
    roles = set()
    starts, after_digit, after_latin = 0, 0, 0
    for p in doc["word/document.xml"].iter(f"{W}p"):
        ps = p.find(f"{W}pPr/{W}pStyle")
        t = "".join(text(r) for r in p.iter(f"{W}r"))
        for k, c in enumerate(t):
            if x.is_ambiguous(c):
                roles.add(ps.get(f"{W}val"))
                starts += k == 0
                after_digit += k > 0 and t[k - 1].isdigit()
                after_latin += k > 0 and t[k - 1].isascii() and t[k - 1].isalpha()
        for r in p.iter(f"{W}r"):
            rs = r.find(f"{W}rPr/{W}rStyle")
            if rs is not None and any(x.is_ambiguous(c) for c in text(r)):
                roles.add(rs.get(f"{W}val"))
    assert roles >= {"Normal", "Title", "Subtitle", "JBNote", "JBMasthead", "JBEditorLine",
                     "Heading1", "Heading2", "Heading3", "JBLead1", "JBLead2", "JBLead3", "JBLead4",
                     "JBTableCaption", "JBTableHeader", "JBTableCell", "JBEndBlock"}
    assert starts and after_digit and after_latin
