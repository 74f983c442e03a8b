"""Every .docx jianbao writes is valid WordprocessingML, so Word opens it without "repair".

LibreOffice forgives elements out of schema order; Word does not. openxml-audit checks the
parts against the ECMA-376 schemas and Word's own semantic rules, without Word.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from jianbao.pipeline import compile_issue, prepare

ISSUES = [ROOT / "issues" / "2024-05-13.yaml", *sorted(FIXTURES.glob("*/issues/*.yaml"))]


def audit(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "openxml_audit", "-q", "--format", "office2016", str(path)],
                          capture_output=True, text=True)


@pytest.mark.parametrize("issue", ISSUES, ids=lambda p: p.parent.parent.name)
@pytest.mark.parametrize("end_page_alone", [0, 1, 2], ids=["plain", "end-page-alone", "end-page-after-a-blank"])
def test_output_passes_the_ooxml_validator(tmp_path, issue, end_page_alone):
    out = compile_issue(prepare(issue), tmp_path / "out.docx", end_page_alone=end_page_alone)
    r = audit(out)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("end_page_alone", [False, True], ids=["plain", "end-page-alone"])
def test_a_draft_passes_the_ooxml_validator(tmp_path, end_page_alone):
    """The draft mark adds header parts: Word must open them too."""
    out = compile_issue(prepare(FIXTURES / "full" / "issues" / "2024-05-20-zk.yaml", draft=True),
                        tmp_path / "out.docx", end_page_alone=end_page_alone)
    r = audit(out)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_validator_catches_a_misordered_style(tmp_path):
    """The check above could fail: a style whose pPr precedes its name is reported."""
    import zipfile

    from lxml import etree

    good = compile_issue(prepare(ISSUES[0]), tmp_path / "good.docx")
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "word/styles.xml":
                root = etree.fromstring(data)
                style = root.find("{*}style")
                ppr = style.find("{*}pPr")
                style.remove(ppr)
                style.insert(0, ppr)
                data = etree.tostring(root)
            zout.writestr(name, data)
    r = audit(bad)
    assert r.returncode != 0 and "name" in r.stdout


def test_photos_and_photos_side_by_side_pass_the_ooxml_validator(office, tmp_path):
    """Pictures with dist* attributes and a row's tab stops (issue #15), as Word reads them."""
    from PIL import Image

    (office.root / "照片").mkdir()
    for name, size in [("a.jpg", (1600, 1200)), ("b.jpg", (900, 1200)), ("c.png", (1200, 900))]:
        Image.new("RGB", size, (40, 120, 200)).save(office.root / "照片" / name)
    p = office.issue("number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    body:\n      - 本周召开专题会议。\n"
                     "      - image: ../照片/a.jpg\n        caption: 图为会议现场。\n"
                     "      - images: [../照片/a.jpg, ../照片/b.jpg, ../照片/c.png]\n        caption: 图为三处现场。\n"
                     "        width: 0.8\n      - 会议部署了下一阶段的重点工作。\n")
    out = compile_issue(prepare(p), tmp_path / "out.docx")
    r = audit(out)
    assert r.returncode == 0, r.stdout + r.stderr
