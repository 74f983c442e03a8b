"""jianbao import: .docx bulletins back into issue files (issue 14).

Round trip: every bulletin jianbao builds — the example, the fixtures, a table issue — imports
to an issue file (and a jianbao.yaml) that builds the very same .docx, byte for byte.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, Office
from jianbao.importer import import_files
from jianbao.office import compile_issue, prepare

OFFICES = [
    (ROOT, "issues/2024-05-13.yaml"),
    (FIXTURES / "full", "issues/2024-05-20-zk.yaml"),
    (FIXTURES / "long", "issues/2024-06-03.yaml"),
    (FIXTURES / "minimal", "issues/2024-07-01.yaml"),
]

TABLE_ISSUE = """\
number: 3
date: 2024-05-13
sections:
  - title: 综窗改革攻坚行动
    items:
      - lead: 省本级综窗办件情况。
        body:
          - 本周办件情况见下表。
          - table:
              caption: 省本级综窗办件情况
              header: [类别, 本周, 今年以来]
              widths: [2, 1, 1]
              rows:
                - [咨询, 1142, 24276]
                - [受理, 391, 9990]
                - [颁发, 3096, 61746]
              total: true
          - 表后的一段正文。
"""


def build(issue: Path, out: Path) -> bytes:
    compile_issue(prepare(issue), out)
    return out.read_bytes()


def round_trip(issue: Path, tmp: Path) -> tuple[bytes, bytes, Path]:
    """Build *issue*, import the .docx into an empty folder, build the imported file."""
    original = build(issue, tmp / "original" / (issue.stem + ".docx"))
    office = tmp / "imported"
    created: list[Path] = []
    [result] = import_files([tmp / "original" / (issue.stem + ".docx")], out=office, created=created)
    assert result.ok, "\n".join(d.render() for d in result.diagnostics)
    assert created == [office / "jianbao.yaml"]
    assert result.written == office / "issues" / (issue.stem + ".yaml")
    again = build(result.written, tmp / "again.docx")
    return original, again, result.written


@pytest.mark.parametrize("root,issue", OFFICES, ids=[p.name for p, _ in OFFICES])
def test_import_of_a_built_bulletin_builds_the_same_docx(tmp_path, root, issue):
    original, again, written = round_trip(root / issue, tmp_path)
    assert again == original
    from jianbao.check import iter_texts
    from jianbao.load import load_yaml
    from jianbao.model import IssueFile
    from jianbao.numbering import typed_numeral
    from jianbao.validate import validate

    issue = validate(load_yaml(written), IssueFile)
    starts = [t.text for t in iter_texts(issue) if typed_numeral(t.text)]
    assert not starts, starts  # the numerals are generated, not imported


def test_import_recovers_the_example_fields(tmp_path):
    _, _, written = round_trip(ROOT / "issues/2024-05-13.yaml", tmp_path)
    import yaml

    data = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert (data["number"], data["total"], str(data["date"])) == (18, 356, "2024-05-13")
    assert [s["title"] for s in data["sections"]][:2] == ["政务工作动态", "“高效办成一件事”专项行动"]
    assert data["sections"][2] == {"title": "厅（局）长进大厅", "body": data["sections"][2]["body"]}
    series = yaml.safe_load((tmp_path / "imported" / "jianbao.yaml").read_text(encoding="utf-8"))
    example = yaml.safe_load((ROOT / "jianbao.yaml").read_text(encoding="utf-8"))
    assert series == example  # name, editor, copies, distribution rows in order, separator, layout


def test_a_table_comes_back_as_a_table(tmp_path):
    office = Office(tmp_path / "office")
    original, again, written = round_trip(office.issue(TABLE_ISSUE), tmp_path)
    assert again == original
    text = written.read_text(encoding="utf-8")
    assert "caption: 省本级综窗办件情况" in text and "- [合计, 4629, 96012]" in text
