"""Ambiguous-width punctuation in the PDF: every “ ” ‘ ’ — … · × of the text is one em wide and
in the same Chinese face as the characters around it — at the start of a paragraph, after a
digit and after Latin text too, where LibreOffice used to take Times (7 pt “ in a 16 pt line).

Rendered from the ``punct`` fixture (marks in every role: masthead, editor line, note, title,
subtitle, headings and leads of four levels, body, table, end block), the example issue and
the ``full`` fixture, in one LibreOffice run; characters measured with pdfminer.six.
"""

from __future__ import annotations

import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import pdfgeom as g
import pytest
from lxml import etree

from jianbao.pdf import convert_to_pdf
from jianbao.pipeline import compile_issue, prepare
from jianbao.render.ooxml import is_ambiguous

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures"
ISSUES = {
    "punct": FIX / "punct" / "issues" / "2024-09-02.yaml",
    "seed": ROOT / "issues" / "2024-05-13.yaml",
    "full": FIX / "full" / "issues" / "2024-05-20-zk.yaml",
}
FOOTER_Y = 265.0  # mm: below this is the page number
LEFT = 28.0  # mm: left edge of the text area
CJK_FACES = ("Fandol", "CJK", "UKai", "UMing")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    out = tmp_path_factory.mktemp("punct")
    docx = {n: compile_issue(prepare(p), out / f"{n}.docx") for n, p in ISSUES.items()}
    pdfs = convert_to_pdf(list(docx.values()))
    return {n: (docx[n], pdf) for n, pdf in zip(docx, pdfs)}


@pytest.fixture(scope="module")
def lines(built) -> dict[str, list[list[g.Glyph]]]:
    """Each PDF's text lines above the footer, as glyphs left to right."""
    out = {}
    for name, (_, pdf) in built.items():
        rows: list[list[g.Glyph]] = []
        for gl in sorted(g.glyphs(pdf), key=lambda gl: (gl.page, gl.y1, gl.x0)):
            if gl.y0 >= FOOTER_Y or not gl.text.strip():
                continue
            row = rows[-1] if rows else None
            if row and row[0].page == gl.page and abs(row[0].y1 - gl.y1) < 1.5:
                row.append(gl)
            else:
                rows.append([gl])
        out[name] = [sorted(r, key=lambda gl: gl.x0) for r in rows]
    return out


def ideograph(c: str) -> bool:
    return unicodedata.category(c) == "Lo" and unicodedata.east_asian_width(c) == "W"


def marks(row: list[g.Glyph]):
    """(index, glyph) of the ambiguous marks in a line."""
    return [(k, gl) for k, gl in enumerate(row) if is_ambiguous(gl.text)]


@pytest.mark.parametrize("name", list(ISSUES))
def test_every_mark_of_the_text_is_in_the_pdf(built, lines, name):
    """The marks measured below are all the marks of the document (none lost, none extra)."""
    docx, _ = built[name]
    with zipfile.ZipFile(docx) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
    want = Counter(c for t in doc.iter(f"{W}t") for c in (t.text or "") if is_ambiguous(c))
    got = Counter(gl.text for row in lines[name] for _, gl in marks(row))
    assert want and got == want


@pytest.mark.parametrize("name", list(ISSUES))
def test_marks_are_one_em_in_the_face_of_the_chinese_around_them(lines, name):
    for row in lines[name]:
        for k, gl in marks(row):
            where = f"page {gl.page}, {''.join(x.text for x in row)!r}, {gl.text!r} at {gl.x0:.1f} mm"
            assert any(f in gl.font for f in CJK_FACES), f"{where}: {gl.font}"
            assert abs(gl.ems - 1) < 0.01, f"{where}: {gl.advance_pt:.2f} pt in {gl.size_pt:.1f} pt"
            # the nearest ideograph on the line (either side when both are as near) has its face
            near = sorted((abs(j - k), gl2.font) for j, gl2 in enumerate(row) if ideograph(gl2.text))
            if near:
                nearest = {f for d, f in near if d == near[0][0]}
                assert gl.font in nearest, f"{where}: {gl.font}, the Chinese beside it {nearest}"


def test_the_hard_places_are_covered(lines):
    """The cases LibreOffice got wrong are in the sample: a mark opening a paragraph, one after a
    digit, one after a Latin letter; and marks in the title, heading, body and end-block faces."""
    start = after_digit = after_latin = 0
    faces = set()
    for row in lines["punct"]:
        for k, gl in marks(row):
            faces.add((gl.font.split("-")[0], round(gl.size_pt)))
            prev = row[k - 1].text if k else ""
            # a body paragraph's first line starts two characters in (16 pt each = 11.3 mm)
            start += k == 0 and abs(gl.x0 - (LEFT + 2 * g.mm(16))) < 1.0
            after_digit += prev.isdigit()
            after_latin += prev.isascii() and prev.isalpha()
    assert start and after_digit and after_latin
    assert {("FandolSong", 22), ("FandolHei", 16), ("FandolKai", 16), ("FandolFang", 16),
            ("FandolFang", 14)} <= faces, faces


RIGHT = 184.0  # mm: right edge of the text area
OPENING = "（《“‘〔【"
CLOSING = "，。、；：？！）》”’〕】"


def test_lines_with_marks_still_hold_28_characters(lines):
    """A body line of Chinese and marks from edge to edge holds 28 characters (27 where an opening
    mark may not end a line or a closing one start it). The marks' own runs must not cost the line
    a character: LibreOffice leaves out the character spacing at the end of every run, 0.4 pt per
    run edge, and the preset's −0.4 pt leaves room for 13 of them (−0.25 pt left room for five)."""
    seen = 0
    for name, rows in lines.items():
        body = [r for r in rows if all(abs(gl.size_pt - 16) < 0.1 and "Fang" in gl.font for gl in r)]
        for k, row in enumerate(body):
            text = "".join(gl.text for gl in row)
            wide = all(unicodedata.east_asian_width(c) in "WFA" for c in text)
            full = row[0].x0 < LEFT + 0.5 and row[-1].x1 > RIGHT - 1.0
            if not (wide and full and sum(map(is_ambiguous, text)) >= 4):
                continue
            seen += 1
            nxt = "".join(gl.text for gl in body[k + 1]) if k + 1 < len(body) else ""
            kinsoku = nxt[:1] in OPENING or nxt[1:2] in CLOSING
            assert len(text) == 28 or (len(text) == 27 and kinsoku), f"{name}: {len(text)}: {text}"
    assert seen >= 2
