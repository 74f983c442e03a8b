"""jianbao build --draft through LibreOffice: the mark is on every page, above the text, at the right."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pdfgeom as g

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_of_a_draft_is_marked_above_the_text(tmp_path):
    office = tmp_path / "long"
    shutil.copytree(ROOT / "tests" / "fixtures" / "long", office, ignore=shutil.ignore_patterns("build"))
    issue = next((office / "issues").glob("*.yaml"))
    text = issue.read_text(encoding="utf-8")
    issue.write_text(text.replace("body:\n", "body:\n  - 本周共受理XXX件。\n", 1), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "jianbao", "build", issue, "--draft", "--pdf"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "JB205" in r.stderr and "还有 1 个问题没有解决" in r.stderr
    pages = g.read_pages(office / "build" / f"{issue.stem}-draft.pdf")
    assert len(pages) >= 5
    for page in pages:
        marks = page.find("草稿")
        assert len(marks) == 1, (page.number, page.text[:80])
        mark = marks[0]
        assert mark.y1 < 37, (page.number, mark)  # in the top margin (天头 37 mm), not in the text
        assert abs(mark.x1 - (210 - 26)) < 2, (page.number, mark)  # flush with the right edge of the text
    assert "本周共受理XXX件。" in pages[0].text
