"""Text as staff really write it: pasted paragraphs, YAML traps, pasted-text hygiene (issue 12)."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from jianbao.diagnostics import JianbaoError
from jianbao.load import load_yaml
from jianbao.office import compile_issue, prepare

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

HEAD = "number: 3\ndate: 2024-05-13\n"


def body_paragraphs(path, out):
    """(style, text, has a line break) of each paragraph after the masthead."""
    compile_issue(prepare(path), out)
    with zipfile.ZipFile(out) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
    rows = []
    for p in doc.iter(f"{W}p"):
        s = p.find(f"{W}pPr/{W}pStyle")
        rows.append((s.get(f"{W}val") if s is not None else "", "".join(t.text or "" for t in p.iter(f"{W}t")),
                     p.find(f".//{W}br") is not None))
    return rows


# --- 1. block scalars: one paragraph per line -------------------------------------------------

PASTED = HEAD + """\
body: |
  本周，召开专题会议。
  平均减少申请材料62%。

  第三段。
sections:
  - title: 工作动态
    body: >
      本周，省中心召开
      专题会议。

      第二段。
    items:
      - |
        第一条第一段。
        第一条第二段。
      - 第二条。
"""


def test_block_scalar_lines_are_paragraphs_styled_like_any_other(office, tmp_path):
    rows = body_paragraphs(office.issue(PASTED), tmp_path / "x.docx")
    texts = [t for _, t, _ in rows]
    for para in ("本周，召开专题会议。", "平均减少申请材料62%。", "第三段。", "本周，省中心召开专题会议。", "第二段。",
                 "（一）第一条第一段。", "第一条第二段。", "（二）第二条。"):
        assert para in texts, para
    assert not any(br for _, _, br in rows)  # no soft line breaks inside a paragraph
    assert "" not in texts[texts.index("本周，召开专题会议。"): texts.index("（二）第二条。")]  # no empty paragraph
    style = {t: s for s, t, _ in rows}
    # the second pasted paragraph is indented like the first: the same paragraph style
    assert style["平均减少申请材料62%。"] == style["本周，召开专题会议。"] == style["第二段。"]
    assert style["第一条第二段。"] == style["第二段。"]


def test_each_pasted_paragraph_has_its_own_line(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text(PASTED, encoding="utf-8")
    src = load_yaml(p)
    assert src.data["body"] == ["本周，召开专题会议。", "平均减少申请材料62%。", "第三段。"]
    assert [src.positions[("body", k)].line for k in range(3)] == [4, 5, 7]
    assert src.data["sections"][0]["items"][0] == {"body": ["第一条第一段。", "第一条第二段。"]}
    assert src.positions[("sections", 0, "items", 0, "body", 1)].line == 18
    assert src.positions[("sections", 0, "items", 1)].line == 19  # later items keep their places


def test_a_diagnostic_in_the_second_pasted_paragraph_points_at_its_line(office, cli):
    p = office.issue(HEAD + "sections:\n  - title: 动态\n    body: |\n      第一段。\n      第二段,写错了标点。\n")
    r = cli("check", p)
    assert "JB201" in r.stderr and ":7:10" in r.stderr


def test_folded_lines_of_chinese_join_without_a_space(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("body: >\n  本周，省中心召开\n  专题会议。\n\n  second\n  paragraph\n", encoding="utf-8")
    assert load_yaml(p).data["body"] == ["本周，省中心召开专题会议。", "second paragraph"]
