"""PDF output through the CLI: batches, the fonts that stand in, the even end page, previews."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pdfgeom as g

ROOT = Path(__file__).resolve().parents[2]
FULL = ROOT / "tests" / "fixtures" / "full"


def jianbao(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jianbao", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def copy_office(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("build"))
    return dst


def test_several_issues_in_one_call_with_page_counts(tmp_path):
    long = copy_office(ROOT / "tests" / "fixtures" / "long", tmp_path / "long")
    full = copy_office(FULL, tmp_path / "full")
    r = jianbao("build", long / "issues", full / "issues", "--pdf")
    assert r.returncode == 0, r.stderr
    pdfs = sorted(tmp_path.rglob("*.pdf"))
    assert sorted(p.name for p in pdfs) == ["2024-05-20-zk.pdf", "2024-06-03.pdf"]
    pages = {p.name: len(g.read_pages(p)) for p in pdfs}
    for name, n in pages.items():  # the summary reports the pages measured in the PDF
        assert f"│ {n} " in r.stderr, (name, r.stderr)
    assert "编译 2，跳过 0，失败 0" in r.stderr


def test_stand_in_fonts_are_used(tmp_path):
    from jianbao.pdf import pdf_fonts

    office = copy_office(FULL, tmp_path / "full")
    assert jianbao("build", next((office / "issues").glob("*.yaml")), "--pdf").returncode == 0
    fonts = {f.split("-")[0] for f in pdf_fonts(next((office / "build").glob("*.pdf")))}
    assert {"FandolFang", "FandolKai", "FandolHei", "FandolSong"} <= fonts
    assert not any(f.startswith("NotoSansCJK") for f in fonts)  # not everything in 黑体


def test_end_on_even_page_adds_an_unnumbered_page(tmp_path):
    office = copy_office(FULL, tmp_path / "full")
    preset = (ROOT / "templates" / "layouts" / "gbt9704.yaml").read_text(encoding="utf-8")
    (office / "templates" / "layouts").mkdir(parents=True)
    (office / "templates" / "layouts" / "duplex.yaml").write_text(
        preset.replace("end_on_even_page: false", "end_on_even_page: true"), encoding="utf-8")
    issue = next((office / "issues").glob("*.yaml"))
    plain = jianbao("build", issue, "--pdf", "-o", tmp_path / "plain.docx")
    assert plain.returncode == 0
    assert len(g.read_pages(tmp_path / "plain.pdf")) % 2 == 1  # the fixture ends on an odd page

    settings = office / "jianbao.yaml"
    text = re.sub(r"^layout:.*$", "", settings.read_text(encoding="utf-8"), flags=re.M)
    settings.write_text(text + "\nlayout: duplex\n", encoding="utf-8")
    r = jianbao("build", issue, "--pdf")
    assert r.returncode == 0, r.stderr
    pdf = next((office / "build").glob("*.pdf"))
    pages = g.read_pages(pdf)
    n = len(pages)
    assert n % 2 == 0
    assert "另起一页" in r.stderr and f"│ {n} " in r.stderr
    last, before = pages[-1], pages[-2]
    assert not [ln for ln in last.lines if ln.yc > 265]  # the end-block page carries no number
    assert [ln.text.replace(" ", "") for ln in before.lines if ln.yc > 265] == [f"—{n - 1}—"]
    texts = "".join(ln.text for ln in last.lines).replace(" ", "")
    assert texts.startswith("报：") and texts.endswith("份）")  # nothing but the end block
    rules = [r for r in g.find_rules(pdf, page=n, min_length_mm=100) if r.color == "#000000"]
    assert abs(rules[-1].y - 262.0) < 1.0


def test_end_on_even_page_leaves_an_even_bulletin_alone(tmp_path):
    office = copy_office(ROOT / "tests" / "fixtures" / "long", tmp_path / "long")
    preset = (ROOT / "templates" / "layouts" / "gbt9704.yaml").read_text(encoding="utf-8")
    (office / "templates" / "layouts").mkdir(parents=True)
    (office / "templates" / "layouts" / "gbt9704.yaml").write_text(
        preset.replace("end_on_even_page: false", "end_on_even_page: true"), encoding="utf-8")
    r = jianbao("build", next((office / "issues").glob("*.yaml")), "--pdf")
    assert r.returncode == 0 and "另起一页" not in r.stderr
    pages = g.read_pages(next((office / "build").glob("*.pdf")))
    assert len(pages) % 2 == 0
    assert [ln.text.replace(" ", "") for ln in pages[-1].lines if ln.yc > 265] == [f"—{len(pages)}—"]


def test_preview_writes_png_pages(tmp_path):
    office = copy_office(FULL, tmp_path / "full")
    issue = next((office / "issues").glob("*.yaml"))
    r = jianbao("preview", issue)
    assert r.returncode == 0, r.stderr
    pngs = [Path(p) for p in r.stdout.split()]
    pdf = next((office / "build").glob("*.pdf"))
    assert len(pngs) == len(g.read_pages(pdf)) and all(p.suffix == ".png" for p in pngs)
    assert all((office / "build" / p.name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    one = jianbao("preview", issue, "--page", "1")
    assert [Path(p).name for p in one.stdout.split()] == [pngs[0].name]
    assert jianbao("preview", issue, "--page", "99").returncode == 1


def test_end_on_even_page_when_the_end_block_does_not_fit_under_text_ending_on_an_even_page(tmp_path):
    """The text ends on page 2 (even) with no room for the end block under it.  The end block
    then goes on page 4, after a blank page 3 (GB/T 9704 7.5: neither carries a page number) — on
    page 3 by itself it would print on the front of a sheet, which end_on_even_page is there to
    prevent."""
    office = copy_office(FULL, tmp_path / "full")
    preset = (ROOT / "templates" / "layouts" / "gbt9704.yaml").read_text(encoding="utf-8")
    (office / "templates" / "layouts").mkdir(parents=True)
    (office / "templates" / "layouts" / "duplex.yaml").write_text(
        preset.replace("end_on_even_page: false", "end_on_even_page: true"), encoding="utf-8")
    settings = office / "jianbao.yaml"
    text = re.sub(r"^layout:.*$", "", settings.read_text(encoding="utf-8"), flags=re.M)
    settings.write_text(text + "\nlayout: duplex\n", encoding="utf-8")
    for old in (office / "issues").glob("*.yaml"):
        old.unlink()
    # one-line paragraphs: 12 under the masthead, 19 on page 2, where the end block (five lines
    # with its rules) no longer fits
    body = "".join(f"      - 第{i:02d}段，本周全市政务服务系统扎实推进各项工作。\n" for i in range(31))
    issue = office / "issues" / "2024-06-03.yaml"
    issue.write_text(f"number: 5\ndate: 2024-06-03\nsections:\n  - title: 工作动态\n    body:\n{body}",
                     encoding="utf-8")
    r = jianbao("build", issue, "--pdf")
    assert r.returncode == 0, r.stderr
    pages = g.read_pages(office / "build" / "2024-06-03.pdf")
    n = len(pages)
    where = {i: pg.number for pg in pages for i in range(31) if pg.find(f"第{i:02d}段")}
    assert sorted(where) == list(range(31))  # every paragraph printed
    assert n % 2 == 0, f"the end block is on page {n}, an odd page"
    last = "".join(ln.text for ln in pages[-1].lines).replace(" ", "")
    assert last.startswith("报：") and last.endswith("份）")  # nothing but the end block
    assert not [ln for ln in pages[-1].lines if ln.yc > 265]  # and no page number
    text_end = max(where.values())
    assert n - 1 - text_end <= 1, (text_end, n)  # one blank page at most between text and end block
    for pg in pages[text_end:n - 1]:  # the blank page: no page number either
        assert not pg.lines, pg.text
    assert f"│ {n} " in r.stderr
