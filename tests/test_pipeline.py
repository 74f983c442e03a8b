"""The pipeline (jianbao.pipeline): stages in one direction, every diagnostic of every stage."""

from __future__ import annotations

import json

from jianbao.pipeline import compile, prepare
from jianbao.stages import Checked, Resolved

# A typed 合计 that is wrong (JB710, an error of the check stage) and a figure never used (JB712,
# a warning): `check` used to drop the warning because the run stopped at the first error.
TABLE_AND_UNUSED = """\
number: 3
date: 2024-05-13
data:
  窗口: {受理: 5}
sections:
  - title: 办件情况
    body:
      - table:
          caption: 本周办件
          header: [类别, 件数]
          rows: [[窗口, 3], [网上, 4], [合计, 8]]
"""


def test_an_error_of_the_rules_keeps_the_warnings(office, cli):
    path = office.issue(TABLE_AND_UNUSED)
    result = compile(path, write=False)
    assert sorted(d.code for d in result.diagnostics) == ["JB710", "JB712"]
    assert [d.code for d in result.errors] == ["JB710"] and result.output is None
    r = cli("check", path, "--format", "json")
    assert r.exit_code == 1
    codes = sorted(d["code"] for d in json.loads(r.stdout)["diagnostics"])
    assert codes == ["JB710", "JB712"]


def test_compile_returns_errors_instead_of_raising(office, tmp_path):
    path = office.issue("number: 3\ndate: 2024-02-30\nsections: 7\n")
    out = tmp_path / "x.docx"
    result = compile(path, out)
    assert not result.ok and result.checked is None and result.output is None
    assert {d.code for d in result.errors} >= {"JB104"}
    assert not out.exists()


def test_compile_writes_and_hands_on_the_stages(office, tmp_path):
    out = tmp_path / "x.docx"
    result = compile(office.issue(), out)
    assert result.ok and result.output == out and out.read_bytes()[:2] == b"PK"
    assert isinstance(result.checked, Checked) and isinstance(result.checked.resolved, Resolved)
    # the resolved issue keeps the bulletin as written (what the figure rules read for JB712)
    assert result.checked.resolved.templates.issue.number == 3


def test_prepare_raises_with_the_errors_only(office):
    import pytest

    from jianbao.diagnostics import JianbaoError

    with pytest.raises(JianbaoError) as exc:
        prepare(office.issue(TABLE_AND_UNUSED))
    assert [d.code for d in exc.value.diagnostics] == ["JB710"]
