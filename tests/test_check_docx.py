"""jianbao check FILE.docx: the same rules on a finished Word bulletin, placed by page and paragraph (issue 14)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import FIXTURES
from handmade import MASTHEAD, handmade
from jianbao.pipeline import compile_issue, prepare

PERIOD_31 = [dict(m) for m in MASTHEAD]
PERIOD_31[2]["text"] = "（4月29日—4月31日）"
BODY = [
    {"text": "一、重点工作", "font": "黑体"},
    "（一）12345热线和省一体化政务服务平台是党和政府为民服务的重要平台,是汇民意、聚民智、解民忧的重要渠道，"
    "希望四川电信与省中心一道立足更高起点，聚焦更高水平，持续做好12345热线运营中心的现场管理。",
    "（三）4月29日-5月3日安排值班，共受理5160件，办结4879件，办结率85.25%。",
]


def run_check(cli, path: Path):
    r = cli("check", "--format", "json", path)
    return r, json.loads(r.stdout)["diagnostics"]


def test_the_rules_point_into_the_word_file(tmp_path, cli):
    doc = handmade(tmp_path / "第7期.docx", BODY, masthead=PERIOD_31)
    r, diags = run_check(cli, doc)
    assert r.exit_code == 1
    by = {d["code"]: d for d in diags}
    assert set(by) == {"JB208", "JB201", "JB204", "JB711", "JB912"}
    assert by["JB208"]["place"] == "约第1页第3段" and by["JB208"]["severity"] == "error"
    assert all(d["file"] == str(doc) for d in diags)
    comma = by["JB201"]
    assert comma["place"] == "约第1页第6段" and comma["line"] == 6
    assert by["JB912"]["line"] == 7 and by["JB204"]["line"] == 7


def test_the_caret_sits_under_the_character(tmp_path, cli):
    from jianbao.diagnostics import _display_width as width

    doc = handmade(tmp_path / "b.docx", BODY, masthead=PERIOD_31)
    r = cli("check", doc)
    block = r.stderr.split("警告 JB201")[1].split("\n\n")[0].splitlines()
    text_line = next(ln for ln in block if ln.startswith(" 6 | "))
    caret_line = next(ln for ln in block if "^" in ln)
    col = width(caret_line[:caret_line.index("^")])  # both lines open with a gutter of the same width
    acc = 0
    for ch in text_line:
        if acc >= col:
            break
        acc += width(ch)
    assert acc == col and ch == ","


def test_a_built_bulletin_checks_clean(tmp_path, cli):
    office = tmp_path / "office"
    shutil.copytree(FIXTURES / "long", office)
    out = tmp_path / "alone" / "b.docx"
    compile_issue(prepare(office / "issues" / "2024-06-03.yaml"), out)
    r = cli("check", out)
    assert r.exit_code == 0, r.stderr


def test_numbering_is_checked_against_the_folder(tmp_path, cli):
    """An office's first day: last week's issue imported, this week's Word file checked before it is sent."""
    office = tmp_path / "office"
    handmade(tmp_path / "week1.docx", ["一、工作", "（一）本周工作。"])
    assert cli("import", tmp_path / "week1.docx", "-o", office).exit_code == 0
    masthead = [dict(m) for m in MASTHEAD]
    masthead[1]["text"] = "第9期（总第122期）"  # week 1 was 第7期（总第120期）: 第8期 is missing
    masthead[2]["text"] = "（5月13日—5月17日）"
    masthead[3]["text"] = "锦城市政务服务管理局\t2024年5月20日"
    doc = handmade(office / "week2.docx", ["一、工作", "（一）本周工作。"], masthead=masthead)
    r, diags = run_check(cli, doc)
    by = {d["code"]: d for d in diags}
    assert "JB301" in by and "缺第8期" in by["JB301"]["message"] and by["JB301"]["place"].endswith("第2段")
    assert "JB303" in by


def test_an_unreadable_word_file(tmp_path, cli):
    p = tmp_path / "cut.docx"
    p.write_bytes(handmade(tmp_path / "a.docx", ["一、工作"]).read_bytes()[:1500])
    r, diags = run_check(cli, p)
    assert r.exit_code == 1 and [d["code"] for d in diags] == ["JB903"]
