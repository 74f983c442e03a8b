"""The layout does not depend on the font: the same bulletins rendered with two different sets of
stand-in faces break into the same lines and the same pages.

Set A is what jianbao uses (``data/fonts.conf``: Fandol for 仿宋/楷体/黑体/宋体/小标宋). Set B is
the same configuration with the Fandol faces taken away (``<rejectfont>``), so that the aliases
fall through to their second choices: Noto Serif CJK SC (仿宋, 宋体, 小标宋 bold), AR PL UKai
CN (楷体) and Noto Sans CJK SC (黑体). Their ascents, descents and glyph shapes differ from
Fandol's; what must not differ is where a line or a page ends. Word and WPS, with the real
方正/中易 faces, are a third set: a layout that holds here holds there for the same reasons
(exact line heights, full-width glyphs of the role's Chinese font, Times metrics for Latin).

Bulletins: the example issue, every fixture, and generated shapes (marks at every position of
a line, a masthead name in two lines, long end-block rows, a table across a page break, many
short sections).
"""

from __future__ import annotations

import os
import random
import subprocess
import textwrap
from pathlib import Path

import pdfgeom as g
import pytest

import jianbao.pdf as jpdf
from jianbao.pipeline import compile_issue, prepare

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures"
FIXED = {
    "seed": ROOT / "issues" / "2024-05-13.yaml",
    **{p.parent.parent.name: p for p in sorted(FIX.glob("*/issues/*.yaml"))},
}
FANDOL = ("FandolFang", "FandolKai", "FandolHei", "FandolSong")
# what set B must give for each name a document uses (its second choice in fonts.conf)
SET_B = {"仿宋_GB2312": "Noto Serif CJK SC", "楷体_GB2312": "AR PL UKai CN", "黑体": "Noto Sans CJK SC",
         "宋体": "Noto Serif CJK SC", "方正小标宋简体": "Noto Serif CJK SC"}

CHINESE = "推进政务服务标准化规范化便利化持续优化营商环境提升企业群众办事体验的重要举措"
# The marks of the generated text: “ ” ‘ ’ — … ×, all one em in both sets. Not the middle dot
# "·": Noto Serif CJK SC draws U+00B7 5.2 pt wide (a proportional glyph; Fandol's and the GB
# fonts' are full-width), a width of the face that nothing in the .docx can override in
# LibreOffice — lines holding one break differently in set B. Likewise ° ‰ ℃ № § ※ ↑ ↓ ‖ ′ ″ € ™
# differ between the two sets (and some are not one em in Fandol either).


def _shapes() -> dict[str, tuple[str, str]]:
    """Generated offices: name → (jianbao.yaml, issue). Deterministic (a fixed seed)."""
    rnd = random.Random(18)

    def sentence(n: int) -> str:
        out = []
        for _ in range(n):
            k = rnd.randrange(len(CHINESE) - 6)
            piece = CHINESE[k : k + rnd.randint(2, 6)]
            kind = rnd.random()
            if kind < 0.3:
                piece = f"“{piece}”"
            elif kind < 0.4:
                piece = f"‘{piece}’"
            elif kind < 0.5:
                piece += rnd.choice(["——", "……", "×"])
            elif kind < 0.6:
                piece += str(rnd.randint(1, 99999))
            elif kind < 0.7:
                piece += rnd.choice(["App", "OA", "CA", "12345", "5G", "Windows"])
            out.append(piece)
        return "，".join(out) + "。"

    def q(s: str) -> str:  # a YAML double-quoted string
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    marks = "\n".join(f"      - {q(sentence(rnd.randint(8, 30)))}" for _ in range(14))
    many = "\n".join(f"  - title: {q(sentence(1)[:-1])}\n    items:\n      - {q(sentence(rnd.randint(2, 9)))}"
                     for _ in range(16))
    rows = "\n".join(f"            - [{q(sentence(2))}, \"{rnd.randint(1, 9999)}\", {q(sentence(1))}]"
                     for _ in range(14))
    series = """\
        name: 测试工作动态
        editor: 测试中心
        copies: 30
        distribution:
          报: [上级单位, 相关部门]
        """
    long_series = """\
        name: 四川省“数字政府”和政务服务标准化建设工作领导小组办公室工作动态
        editor: 四川省政府政务服务和公共资源交易服务中心“一网通办”专班（政务服务标准化处）
        copies: 120
        distribution:
          报: [省政府办公厅, 省政务管理办公室, 省级相关部门（单位）, 各市（州）人民政府, 省中心领导, “12345”热线]
          送: 各市（州）政务服务管理部门，省直各部门政务服务大厅，“一网通办”平台运营中心……
          发: 省中心各处（室）、直属单位。
        """
    head = "number: 5\ntotal: 50\ndate: 2024-06-03\nperiod: {start: 2024-05-27, end: 2024-05-31}\n"
    return {
        "marks": (series, f"{head}sections:\n  - title: “标点”在行内各处\n    items:\n{marks}\n"),
        "many": (series, f"{head}sections:\n{many}\n"),
        "table": (series, f"{head}sections:\n  - title: 表格\n    body:\n      - {q(sentence(20))}\n"
                          f"      - table:\n          caption: “一件事”办件情况\n"
                          f"          header: [名称, 件数, 说明]\n          widths: [3, 1, 3]\n"
                          f"          rows:\n{rows}\n"),
        "masthead": (long_series, f"{head}title: [{q(sentence(3)[:-1])}, {q(sentence(2)[:-1])}]\n"
                                  f"subtitle: {q('——' + sentence(2)[:-1])}\n"
                                  f"sections:\n  - title: 工作动态\n    items:\n      - {q(sentence(12))}\n"),
    }


def set_b_conf(path: Path) -> Path:
    reject = "".join(f'<pattern><patelt name="family"><string>{f}</string></patelt></pattern>' for f in FANDOL)
    path.write_text(textwrap.dedent(f"""\
        <?xml version="1.0"?>
        <!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
        <!-- jianbao's fonts.conf without the Fandol faces: every alias takes its second choice -->
        <fontconfig>
          <selectfont><rejectfont>{reject}</rejectfont></selectfont>
          <include>{jpdf.FONTS_CONF}</include>
        </fontconfig>
        """), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """name → {"A": pdf, "B": pdf}, each set in one LibreOffice run."""
    tmp = tmp_path_factory.mktemp("fontsets")
    issues = dict(FIXED)
    for name, (series, issue) in _shapes().items():
        office = tmp / "offices" / name
        (office / "issues").mkdir(parents=True)
        (office / "jianbao.yaml").write_text(textwrap.dedent(series), encoding="utf-8")
        issues[name] = office / "issues" / "2024-06-03.yaml"
        issues[name].write_text(issue, encoding="utf-8")
    out: dict[str, dict[str, Path]] = {n: {} for n in issues}
    conf_b = set_b_conf(tmp / "fonts-b.conf")
    for fontset, conf in (("A", jpdf.FONTS_CONF), ("B", conf_b)):
        folder = tmp / fontset
        folder.mkdir()
        docx = [compile_issue(prepare(p), folder / f"{n}.docx") for n, p in issues.items()]
        with pytest.MonkeyPatch.context() as mp:  # convert_to_pdf runs soffice with FONTCONFIG_FILE=FONTS_CONF
            mp.setattr(jpdf, "FONTS_CONF", conf)
            for n, pdf in zip(issues, jpdf.convert_to_pdf(docx)):
                out[n][fontset] = pdf
    return out


def test_set_b_is_another_set_of_faces(rendered, tmp_path):
    conf = set_b_conf(tmp_path / "b.conf")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf))
    for alias, want in SET_B.items():
        got = subprocess.run(["fc-match", "-f", "%{family[0]}", f"{alias}:lang=zh-cn"], env=env,
                             capture_output=True, text=True, check=True).stdout
        assert got == want, alias
    faces_a = set(jpdf.pdf_fonts(rendered["punct"]["A"]))
    faces_b = set(jpdf.pdf_fonts(rendered["punct"]["B"]))
    assert any(f.startswith("Fandol") for f in faces_a)
    assert not any("Fandol" in f for f in faces_b) and any("CJK" in f for f in faces_b)
    assert any("UKai" in f for f in faces_b)


def lines_per_page(pdf: Path) -> list[list[str]]:
    return [[ln.text.replace(" ", "") for ln in page.lines] for page in g.read_pages(pdf)]


@pytest.mark.parametrize("name", [*FIXED, *_shapes()])
def test_same_lines_and_pages_in_both_font_sets(rendered, name):
    a, b = (lines_per_page(rendered[name][s]) for s in ("A", "B"))
    assert len(a) == len(b), f"{len(a)} pages with Fandol, {len(b)} with Noto/UKai"
    for n, (pa, pb) in enumerate(zip(a, b), start=1):
        assert pa == pb, f"page {n} breaks differently"
    assert sum(map(len, a)) >= 6  # (the minimal fixture has 7 lines)


def test_the_shapes_fill_pages(rendered):
    """The generated bulletins exercise what they are meant to: several full pages, a masthead
    name in two lines, a table running over a page."""
    assert len(g.read_pages(rendered["many"]["A"])) >= 3
    assert len(g.read_pages(rendered["marks"]["A"])) >= 2
    pages = g.read_pages(rendered["table"]["A"])
    assert len(pages) >= 2 and pages[1].find("名称")  # the header row repeated on page 2
    first = g.read_pages(rendered["masthead"]["A"])[0]
    assert first.find("四川省") and first.find("工作动态") and not first.find("四川省“数字政府”和政务服务标准化建设工作领导小组办公室工作动态")
