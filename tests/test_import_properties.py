"""Round trip, property-based: any issue jianbao builds imports back to files that build the same .docx.

Generated shapes: every heading kind at all four levels (title, run-in lead, plain and body-only
items, a lead before a table), 编者按, title lines, subtitle, lead paragraphs, tables with widths and
alignment, marks, period or none, 增刊, every end-block form.  Only issues that ``prepare`` accepts
are round-tripped (an issue with a lint error never becomes a .docx).  For a long run::

    JIANBAO_PROPERTY_EXAMPLES=2000 .venv/bin/pytest tests/test_import_properties.py -q
"""

from __future__ import annotations

import datetime as dt
import os

import yaml
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from jianbao.diagnostics import JianbaoError
from jianbao.importer import import_files
from jianbao.pipeline import compile_issue, prepare

EXAMPLES = int(os.environ.get("JIANBAO_PROPERTY_EXAMPLES", "40"))
# Each example builds twice (about a second): shrinking a failure would take minutes, so it is off
# unless JIANBAO_PROPERTY_SHRINK is set; the failing example is printed as generated.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate] + ([Phase.shrink] if os.environ.get("JIANBAO_PROPERTY_SHRINK") else [])
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("JIANBAO_PROPERTY_RANDOM"),
                    phases=PHASES,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])

_HAN = "政务服务中心本周推进改革工作会议群众企业办理事项平台数据省市县窗口热线受理办结"
_REST = _HAN + "0123456789，。、；：（）《》“”%—"
# prose: a Chinese character first (a paragraph typed as "1.5万……" is ambiguous in print, too)
TEXT = st.builds(lambda a, b: a + b, st.sampled_from(list(_HAN)), st.text(st.sampled_from(list(_REST)), max_size=40))
SHORT = st.builds(lambda a, b: a + b, st.sampled_from(list(_HAN)), st.text(st.sampled_from(list(_HAN)), max_size=12))
CELL = st.one_of(st.integers(0, 99999), SHORT, st.none())


@st.composite
def tables(draw):
    cols = draw(st.integers(1, 4))
    t = {"caption": draw(SHORT), "header": draw(st.lists(SHORT, min_size=cols, max_size=cols)),
         "rows": draw(st.lists(st.lists(CELL, min_size=cols, max_size=cols), min_size=1, max_size=3))}
    if draw(st.booleans()):
        t["widths"] = draw(st.lists(st.integers(1, 4), min_size=cols, max_size=cols))
    if draw(st.booleans()):
        t["align"] = draw(st.sampled_from(["left", "center", "right"]))
    if draw(st.booleans()):
        t["total"] = True
    return {"table": t}


def blocks(draw, *, table_first: bool = True):
    out = draw(st.lists(st.one_of(TEXT, TEXT, tables()), max_size=3))
    if out and not table_first and not isinstance(out[0], str):
        out = out[1:]
    return out


@st.composite
def nodes(draw, level: int):
    kind = draw(st.sampled_from(["title", "lead", "text", "body"] if level > 1 else ["title", "lead"]))
    if kind == "text":
        return draw(TEXT)
    node: dict = {}
    if kind in ("title", "lead"):
        node[kind] = draw(SHORT if kind == "title" else TEXT)
    body = blocks(draw, table_first=kind != "body")
    if kind == "body":
        body = [draw(TEXT)] + body
    if body:
        node["body"] = body
    if level < 4 and draw(st.integers(0, 2)) == 0:
        node["items"] = draw(st.lists(nodes(level + 1), min_size=1, max_size=3))
    return node


@st.composite
def issues(draw):
    date = draw(st.dates(dt.date(2021, 1, 4), dt.date(2026, 12, 28)))
    issue: dict = {"number": draw(st.integers(1, 60)), "date": date}
    if draw(st.booleans()):
        issue["total"] = draw(st.integers(1, 3000))
    if draw(st.integers(0, 3)) == 0:
        issue["supplement"] = True
    if draw(st.booleans()):
        end = date - dt.timedelta(days=draw(st.integers(0, 6)))
        issue["period"] = {"start": end - dt.timedelta(days=draw(st.integers(0, 20))), "end": end}
    if draw(st.integers(0, 2)) == 0:
        issue["title"] = draw(st.lists(SHORT, min_size=1, max_size=2))
        if draw(st.booleans()):
            issue["subtitle"] = "——" + draw(SHORT)
    if draw(st.integers(0, 2)) == 0:
        issue["note"] = draw(st.lists(TEXT, min_size=1, max_size=2))
    body = [b for b in blocks(draw) if isinstance(b, str)]
    if body:
        issue["body"] = body
    issue["sections"] = draw(st.lists(nodes(1), min_size=1, max_size=4))
    if draw(st.booleans()):
        issue["mark"] = draw(st.sampled_from(["内部资料　注意保存", "内部资料"]))
    return issue


@st.composite
def series(draw):
    s = {"name": draw(st.sampled_from(["工作动态", "政务服务和公共资源交易工作动态", "锦城市政务服务管理局政务服务工作情况通报简报"])),
         "editor": draw(st.sampled_from(["测试中心", "四川省政府政务服务和公共资源交易服务中心"]))}
    if draw(st.booleans()):
        s["copies"] = draw(st.integers(1, 500))
    if draw(st.booleans()):
        rows = {}
        for label in draw(st.lists(st.sampled_from(["报", "送", "发", "抄送"]), unique=True, min_size=1, max_size=3)):
            rows[label] = draw(st.one_of(st.lists(SHORT, min_size=1, max_size=3), SHORT.map(lambda t: t + "。")))
        s["distribution"] = rows
    if draw(st.booleans()):
        s["separator"] = "、"
    return s


@SETTINGS
@given(issue=issues(), settings_=series())
def test_any_built_issue_imports_to_the_same_docx(tmp_path_factory, issue, settings_):
    tmp = tmp_path_factory.mktemp("rt")
    office = tmp / "theirs"
    (office / "issues").mkdir(parents=True)
    (office / "jianbao.yaml").write_text(yaml.safe_dump(settings_, allow_unicode=True), encoding="utf-8")
    name = issue["date"].isoformat() + ("-zk" if issue.get("supplement") else "") + ".yaml"
    path = office / "issues" / name
    path.write_text(yaml.safe_dump(issue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        prepared = prepare(path)
    except JianbaoError:
        assume(False)
    original = tmp / "b.docx"
    compile_issue(prepared, original)
    [r] = import_files([original], out=tmp / "mine")
    assert r.ok, "\n".join(d.render() for d in r.diagnostics) + "\n" + path.read_text(encoding="utf-8")
    again = tmp / "again.docx"
    compile_issue(prepare(r.written), again)
    assert again.read_bytes() == original.read_bytes(), (
        path.read_text(encoding="utf-8") + "\n----\n" + r.written.read_text(encoding="utf-8"))
