"""Declaring Word 2013's compatibility mode (15) instead of python-docx's Word 2010 (14) moves
nothing: LibreOffice, which emulates both modes (tdf#106742: where a top-level table starts),
sets the same lines and rules either way. Rendered: the example issue and the ``punct``
fixture (a body table), each under both modes, in one LibreOffice run."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pdfgeom as g
import pytest

from jianbao.pdf import convert_to_pdf
from jianbao.pipeline import compile_issue, prepare

ROOT = Path(__file__).resolve().parents[2]
ISSUES = {"seed": ROOT / "issues" / "2024-05-13.yaml",
          "punct": ROOT / "tests" / "fixtures" / "punct" / "issues" / "2024-09-02.yaml"}
MODE = b'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="%d"'


def with_mode(src: Path, dest: Path, mode: int) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/settings.xml":
                assert MODE % 15 in data
                data = data.replace(MODE % 15, MODE % mode)
            zout.writestr(item, data)
    return dest


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    tmp = tmp_path_factory.mktemp("compat")
    docx = []
    for name, path in ISSUES.items():
        ours = compile_issue(prepare(path), tmp / f"{name}-15.docx")
        docx += [ours, with_mode(ours, tmp / f"{name}-14.docx", 14)]
    out = convert_to_pdf(docx)
    return {name: (out[2 * k], out[2 * k + 1]) for k, name in enumerate(ISSUES)}


@pytest.mark.parametrize("name", list(ISSUES))
def test_the_same_pages_in_mode_14_and_15(pdfs, name):
    m15, m14 = pdfs[name]

    def layout(pdf):
        return [[(ln.text, round(ln.x0, 1), round(ln.y0, 1)) for ln in page.lines] for page in g.read_pages(pdf)]

    def rules(pdf):
        return [(r.page, round(r.y, 1), round(r.x0, 1), round(r.x1, 1)) for r in g.find_rules(pdf)]

    assert layout(m15) == layout(m14)
    assert rules(m15) == rules(m14) and len(rules(m15)) >= 3
