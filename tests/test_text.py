"""Text as staff really write it: pasted paragraphs, YAML traps, pasted-text hygiene (issue 12)."""

from __future__ import annotations

import re
import zipfile

import pytest
from lxml import etree

from jianbao.load import load_yaml
from jianbao.pipeline import compile_issue, prepare

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

HEAD = "number: 3\ndate: 2024-05-13\n"
ISSUE_NEXT = "number: 4\ndate: 2024-05-20\nsections:\n  - title: 工作动态\n    items: [本周召开推进会。]\n"


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


def test_a_title_block_is_its_lines_without_a_trailing_empty_one(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("title: |\n  关于推进“高效办成一件事”\n  的情况报告\n", encoding="utf-8")
    src = load_yaml(p)
    assert src.data["title"] == ["关于推进“高效办成一件事”", "的情况报告"]
    assert src.positions[("title", 1)].line == 3


def test_folded_lines_of_chinese_join_without_a_space(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("body: >\n  本周，省中心召开\n  专题会议。\n\n  second\n  paragraph\n", encoding="utf-8")
    assert load_yaml(p).data["body"] == ["本周，省中心召开专题会议。", "second paragraph"]


# --- 3. YAML traps, in words staff understand -----------------------------------------------

SEC = HEAD + "sections:\n  - title: 工作动态\n    items:\n"

TRAPS = {
    # name: (issue text, code, line, column, words the message or hint must contain)
    "colon-in-item": (SEC + "      - 王建国强调: 要加强管理。\n", "JB020", 6, 14, ["全角“：”", "加引号", "王建国强调"]),
    "colon-in-value": (HEAD + "sections:\n  - title: 工作动态\n    body: 王建国强调: 要加强管理。\n",
                       "JB020", 5, 16, ["全角“：”", "加引号"]),
    "colon-in-body-list": (HEAD + "body:\n  - 会议指出: 要加强管理。\n", "JB020", 4, 9, ["全角“：”"]),
    "dash-between-items": (SEC + "      - 第一条。\n      -4月18日，召开会议。\n      - 第三条。\n",
                           "JB021", 7, 7, ["缺少空格", "- 4月18日"]),
    "dash-first-item": (SEC + "      -4月18日，召开会议。\n      - 第三条。\n", "JB021", 6, 7, ["缺少空格"]),
    "dash-only-item": (HEAD + "body:\n  -4月18日，召开会议。\n", "JB021", 4, 3, ["缺少空格"]),
    "tab": (SEC + "\t- 第一条。\n", "JB023", 6, 1, ["制表符", "空格", "6 个空格"]),
    # how many spaces the tab should be: as many as the line it belongs with
    "tab-key": (HEAD + "sections:\n  - title: 窗口风采\n\tbody: 本周召开会议。\n", "JB023", 5, 1, ["4 个空格", "title"]),
    "tab-sibling-item": (SEC + "      - 第一条。\n\t- 第二条。\n", "JB023", 7, 1, ["6 个空格"]),
    "indent-item": (SEC + "      - 第一条。\n     - 第二条。\n", "JB022", 7, 1, ["6 格", "第 6 行"]),
    "indent-key": (HEAD + "sections:\n  - title: 工作动态\n   body: 本周召开会议。\n", "JB022", 5, 1, ["4 格", "title"]),
    "indent-key-deeper": (HEAD + "sections:\n  - title: 工作动态\n     body: 本周召开会议。\n", "JB022", 5, 1, ["4 格"]),
    "indent-top": ("number: 3\n date: 2024-05-13\n", "JB022", 2, 1, ["0 格"]),
    "template": (SEC + "      - {{ 咨询 }}人次。\n", "JB003", 6, None, ["引号"]),
    "star": (SEC + "      - *重点*工作。\n", "JB024", 6, 9, ["“*”", "加引号"]),
    "ampersand": (SEC + "      - &符号\n", "JB024", 6, 9, ["“&”", "加引号"]),
    "no-as-boolean": (SEC + "      - no\n", "JB025", 6, 9, ["布尔值", "\"no\""]),
    "yes-title": (HEAD + "sections:\n  - title: Yes\n    body: 本周召开会议。\n", "JB025", 4, 12, ["布尔值", "\"Yes\""]),
    "number-as-text": (HEAD + "sections:\n  - title: 2024\n    body: 本周召开会议。\n", "JB025", 4, 12, ["数字", "\"2024\""]),
    # a text that opens with a half-width quote or bracket and goes on after it: YAML reads the quote or
    # the list and stumbles on the rest (it was “缩进不对齐”, on a line that was indented right)
    "quote-start": (SEC + '      - "高效办成一件事"推进会在中心召开。\n', "JB024", 6, 9, ["半角引号", "“高效办成一件事”推进会"]),
    "quote-start-value": (HEAD + 'sections:\n  - title: 动态\n    body: "高效"推进会召开。\n', "JB024", 5, 11,
                          ["半角引号", "“高效”推进会"]),
    "bracket-start": (SEC + "      - [重要]本周中心召开推进会。\n", "JB024", 6, 9, ["“[”", "【重要】本周"]),
    # body/note take one text or a list: a number there is text YAML read as a number, not “应为列表”
    "number-body": (HEAD + "sections:\n  - title: 工作动态\n    body: 12345\n", "JB025", 5, 11, ["数字", "\"12345\""]),
    "number-note": (HEAD + "note: 2024\nsections:\n  - title: 工作动态\n    body: 本周召开会议。\n", "JB025", 3, 7,
                    ["数字", "\"2024\""]),
    "unclosed-quote": (SEC + "      - \"本周召开会议。\n      - 第二条。\n", "JB003", 6, 9, ["引号", "没有闭合"]),
    "unknown-block": (HEAD + "body:\n  - tabel: {caption: 表}\n", "JB103", 4, 5, ["tabel", "table"]),
    # a field name with a full-width colon, or no space after its colon: YAML reads the line as text and
    # stumbles on the next one (it was reported there, as indentation or an unquoted template)
    "key-fullwidth-colon": (HEAD + "sections:\n  - title：工作动态\n    items:\n      - 第一条。\n",
                            "JB026", 4, 10, ["title", "全角“：”", "title: 工作动态"]),
    "lead-fullwidth-colon": (SEC + "      - lead：推进“高效办成一件事”。\n        body: 本周受理{{ 受理 }}件。\n",
                             "JB026", 6, 13, ["lead", "lead: 推进"]),
    "top-fullwidth-colon": ("number：3\ndate: 2024-05-13\n", "JB026", 1, 7, ["number: 3"]),
    "key-no-colon": (HEAD + "sections:\n  - title: 动态\n    body:\n      - image ../照片/座谈会.jpg\n"
                     "        caption: 图为座谈会现场。\n", "JB026", 6, 14, ["缺少冒号", "image: ../照片/座谈会.jpg"]),
    "key-no-space": (HEAD + "sections:\n  - title:2026年工作\n    items:\n      - 第一条。\n",
                     "JB026", 4, 10, ["冒号后", "空格", "title: 2026年工作"]),
}


@pytest.mark.parametrize("name", TRAPS)
def test_yaml_traps_are_explained(office, cli, name):
    text, code, line, col, words = TRAPS[name]
    p = office.issue(text)
    before = p.read_bytes()
    r = cli("check", p)
    assert r.exit_code == 1
    err = r.stderr
    assert f"错误 {code}" in err, err
    assert f"{p}:{line}" + (f":{col}" if col else "") in err, err
    for w in words:
        assert w in err, (w, err)
    # never a model path, never the English of YAML or pydantic
    for bad in ("sections[", "body[", "items[", "mapping", "scalar", "expected", "Input should"):
        assert bad not in err, (bad, err)
    assert p.read_bytes() == before


def test_a_prose_colon_is_said_once(office, cli):
    p = office.issue(HEAD + "body:\n  - 会议指出: 要加强管理。\n")
    err = cli("check", p).stderr
    assert err.count("错误 ") == 1 and "table" not in err


def test_a_table_without_its_table_key(office, cli):
    """The complaint of issue 12: an unknown block inside body said "缺少必填字段 table" at sections[1].body[0]."""
    p = office.issue(HEAD + "sections:\n  - title: 一\n    body: 一段。\n  - title: 二\n    body:\n"
                     "      - caption: 表\n        rows: [[甲, 1]]\n")
    err = cli("check", p).stderr
    assert "第2部分的正文第1段既不是一段文字，也不是表格或照片" in err and ":8:9" in err
    assert "缺少必填字段" not in err and "sections[" not in err and "可用的字段：table, image" in err


def test_unknown_block_names_the_place_in_chinese(office, cli):
    p = office.issue(HEAD + "sections:\n  - title: 一\n    body: 一段。\n  - title: 二\n    body:\n      - [甲, 乙]\n")
    err = cli("check", p).stderr
    assert "第2部分的正文第1段" in err and "sections[" not in err


# --- 2. pasted-text hygiene and check --fix ------------------------------------------------------

SLIPS = """\
# 本期由办公室编写：注释原样保留\x20\x20\x20
number: 3
date: 2024-05-13
body: |
  　　本周，省中心召开专题会议。\x20\x20
  平 均 减 少 申 请 材 料62%。
sections:
  - title: 工作动态   # 行尾注释
    body: 共办理１２６件,同比增长。
    items:
      - 1. 05月06日，召开会议​。
      - （二）4月18日，召开推进会(第二次)。
      - "本周\u00a0召开会议，Windows\u00a011 系统上线。"
      - 会议指出: 要加强管理。
      -4月19日，召开总结会。
  - title: 下周安排
    items: [召开推进会。]
"""

FIXED_LINES = {  # line number → what --fix leaves there; every other line stays byte for byte
    1: "# 本期由办公室编写：注释原样保留",
    5: "  本周，省中心召开专题会议。",
    6: "  平均减少申请材料62%。",
    8: "  - title: 工作动态   # 行尾注释",
    9: "    body: 共办理126件，同比增长。",
    11: "      - 5月6日，召开会议。",
    12: "      - 4月18日，召开推进会（第二次）。",
    13: "      - \"本周召开会议，Windows 11 系统上线。\"",
    14: "      - 会议指出：要加强管理。",
    15: "      - 4月19日，召开总结会。",
}


def test_check_fix_mends_every_fixable_slip_and_nothing_else(office, cli):
    p = office.issue(SLIPS)
    p.write_bytes(SLIPS.replace("\n", "\r\n").encode("utf-8"))  # a file saved on Windows
    before = p.read_bytes().split(b"\r\n")
    shown = cli("check", p, "--diff")
    assert p.read_bytes().split(b"\r\n") == before  # --diff shows, never writes
    assert "+    body: 共办理126件，同比增长。" in shown.stdout
    r = cli("check", p, "--fix")
    assert "已改正" in r.stderr, r.stderr
    after = p.read_bytes().split(b"\r\n")
    assert len(after) == len(before)
    for n, (old, new) in enumerate(zip(before, after), start=1):
        want = FIXED_LINES.get(n)
        assert new == (want.encode() if want is not None else old), (n, new.decode())
    again = cli("check", p, "--strict")
    assert again.exit_code == 0, again.stderr
    assert "检查通过" in again.stderr


def test_fix_leaves_out_an_edit_that_would_change_what_yaml_reads(office, cli):
    p = office.issue(HEAD + "body:\n  - 　　*重点*工作，平 均 减少。\n")
    cli("check", p, "--fix")
    text = p.read_text(encoding="utf-8")
    assert "  - 　　*重点*工作，平均减少。\n" in text  # the space went; the indent that shields * stayed
    assert load_yaml(p).data["body"] == ["　　*重点*工作，平均减少。"]


def test_fix_with_nothing_to_fix_leaves_the_file_alone(office, cli):
    p = office.issue()
    stamp = p.stat().st_mtime_ns
    r = cli("check", p, "--fix")
    assert "没有可以自动改正的问题" in r.stderr and p.stat().st_mtime_ns == stamp


def test_build_never_changes_the_source(office, cli):
    p = office.issue(SLIPS)
    before = p.read_bytes()
    cli("build", p)
    assert p.read_bytes() == before


# --- 5. Chinese everywhere; build with no argument; the output's extension ---------------------

USAGE = {
    # args: words the message must contain
    ("build", "--nope"): ["没有这个选项：--nope"],
    ("check",): ["缺少参数 文件"],
    ("frobnicate",): ["没有这个命令：frobnicate"],
    ("preview", "x.yaml", "--page", "abc"): ["--page", "应为整数"],
    ("build", "x.yaml", "-j", "0"): ["--jobs", "不能小于 1"],
    ("build", "-o"): ["选项 -o 后面要写一个值"],
    ("preview", "a.yaml", "b.yaml"): ["多余的参数：b.yaml"],
    ("check", "x.yaml", "--format", "xml"): ["只能是 text 或 json"],
    ("build", "x.yaml", "-o", "x.html"): [".docx", "x.html"],
    ("build", "x.yaml", "-o", "x.pdf"): [".docx", "--pdf"],
    ("build", "x.yaml", "--draft", "--html"): ["草稿不生成网页版"],
}


@pytest.mark.parametrize("args", USAGE, ids=" ".join)
def test_usage_errors_are_chinese_and_exit_2(cli, args):
    r = cli(*args)
    assert r.exit_code == 2
    err = r.stderr
    assert err.startswith("用法：jianbao") or err.startswith("错误："), err
    for w in USAGE[args]:
        assert w in err, err
    for english in ("Usage:", "Error:", "Try '", "No such", "Missing", "Invalid value", "Input should", "Got unexpected"):
        assert english not in err, err


def test_help_is_chinese(cli):
    out = cli("--help").stdout + cli("build", "--help").stdout
    for w in ("用法：jianbao", "选项：", "命令：", "显示这段帮助并退出", "安装命令补全"):
        assert w in out, out
    for english in ("Usage:", "Options:", "Commands:", "Show this message", "Install completion"):
        assert english not in out, out


@pytest.mark.parametrize("command", ["build", "preview"])
def test_option_values_in_help_are_not_named_in_english(cli, command):
    out = cli(command, "--help").stdout
    assert "int range" not in out and ("--jobs N" in out or "--page N" in out), out  # “-j, --jobs <int range>” said nothing to staff


def test_build_with_no_argument_builds_the_office_issues(office, cli, monkeypatch):
    office.issue()
    office.issue(name="2024-05-20.yaml", text=ISSUE_NEXT)
    monkeypatch.chdir(office.root / "issues")  # anywhere inside the office
    r = cli("build")
    assert r.exit_code == 0, r.stderr
    assert (office.root / "build" / "2024-05-13.docx").is_file() and (office.root / "build" / "2024-05-20.docx").is_file()


def test_build_with_no_argument_outside_an_office(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli("build")
    assert r.exit_code == 1 and "JB007" in r.stderr and "jianbao.yaml" in r.stderr


def test_an_output_that_is_not_docx_writes_nothing(office, cli):
    p = office.issue()
    r = cli("build", p, "-o", office.root / "x.html")
    assert r.exit_code == 2 and not (office.root / "x.html").exists()


# --- 4. every error of a file at once, in the order of the file ----------------------------------

MANY = """\
number: 3
date: 2024-05-13
period:
  start: 2024-05-06
  end: 2024-04-31
subtitle: [不是, 文字]
sections:
  - title: 工作动态
    items:
      - 本周共受理XXX件。
      - （一）召开会议。
  - title: 第二部分
    items: 这里应当是列表
  - title: 第三部分
    body: 统计时段为4月29日—4月31日。
    items:
      - 会议指出: 要加强管理。
"""


def test_one_run_says_every_error_in_the_order_of_the_file(office, cli):
    p = office.issue(MANY)
    r = cli("check", p)
    assert r.exit_code == 1
    found = [(line, code) for code, line in re.findall(r"(JB\d{3}): .*\n  --> [^\n]*?:(\d+)", r.stderr)]
    found = [(int(line), code) for line, code in found]
    assert found == sorted(found), found  # source order
    assert [code for _, code in found] == ["JB104", "JB102", "JB205", "JB110", "JB102", "JB208", "JB020"], r.stderr


def test_build_says_them_all_too_and_writes_nothing(office, cli):
    p = office.issue(MANY)
    r = cli("build", p)
    assert r.exit_code == 1 and r.stderr.count("错误 JB") == 7
    assert not (office.root / "build").exists()


def test_rules_do_not_speak_about_the_stand_ins(office, cli):
    """A section left out by validation is stood in for by a bare title: no JB207 'empty section'."""
    p = office.issue(HEAD + "sections:\n  - title: 一\n    items: 这里应当是列表\n  - title: 二\n    body: 本周共受理XXX件。\n")
    err = cli("check", p).stderr
    assert "JB207" not in err and "JB102" in err and "JB205" in err


def test_a_cap_on_what_one_file_says(office, cli):
    p = office.issue(HEAD + "body:\n" + "".join(f"  - 第{i}段留有占位符XXX。\n" for i in range(150)))
    r = cli("check", p)
    assert r.stderr.count("错误 JB205") == 99 and "JB019" in r.stderr and "共 150 个" in r.stderr


# --- 6. jianbao build --draft ---------------------------------------------------------------------

UNFINISHED = SEC + "      - 本周共受理XXX件。\n      - （一）召开会议，时段为4月29日—4月31日。\n"


def header_texts(docx_path) -> list[str]:
    with zipfile.ZipFile(docx_path) as z:
        return ["".join(etree.fromstring(z.read(n)).itertext()) for n in z.namelist() if n.startswith("word/header")]


def test_draft_builds_despite_placeholders_and_marks_every_header(office, cli):
    p = office.issue(UNFINISHED)
    assert cli("build", p).exit_code == 1  # without --draft the rules stay strict
    assert not (office.root / "build").exists()
    r = cli("build", p, "--draft")
    assert r.exit_code == 0, r.stderr
    out = office.root / "build" / "2024-05-13-draft.docx"
    assert out.is_file() and not (office.root / "build" / "2024-05-13.docx").exists()
    assert sorted(header_texts(out)) == ["草稿", "草稿"]  # odd and even pages
    err = r.stderr
    for code in ("JB205", "JB110", "JB208"):  # what is still open, each at its place
        assert f"错误 {code}" in err, err
    assert "还有 3 个问题没有解决" in err


def test_draft_builds_an_issue_whose_figures_are_not_filled_in_yet(office, cli):
    # what jianbao new writes: every figure 待填 — the week's draft before the figures come in
    p = office.issue("number: 3\ndate: 2024-05-13\ndata:\n  办件: {受理: 待填, 办结: 1498}\nsections:\n"
                     "  - title: 工作动态\n    items:\n"
                     "      - 本周共受理{{ 办件.受理 }}件，办结{{ 办件.办结 }}件，办结率{{ 办件.办结 | pct(办件.受理) }}。\n")
    assert cli("build", p).exit_code == 1
    r = cli("build", p, "--draft")
    assert r.exit_code == 0, r.stderr
    out = office.root / "build" / "2024-05-13-draft.docx"
    with zipfile.ZipFile(out) as z:
        body = "".join(etree.fromstring(z.read("word/document.xml")).itertext())
    assert "本周共受理待填件，办结1498件，办结率待填。" in body
    assert "错误 JB205" in r.stderr and "办件.受理" in r.stderr
    assert r.stderr.count("错误 JB205") == 1, r.stderr  # at the figure, not again at the sentence


def test_draft_mark_comes_from_the_preset(office, cli):
    import shutil

    from jianbao.layout import builtin_templates

    presets = office.root / "templates" / "layouts"
    presets.mkdir(parents=True)
    text = (builtin_templates() / "layouts" / "gbt9704.yaml").read_text(encoding="utf-8")
    (presets / "本单位.yaml").write_text(text.replace("  text: 草稿", "  text: 征求意见稿"), encoding="utf-8")
    (office.root / "jianbao.yaml").write_text((office.root / "jianbao.yaml").read_text(encoding="utf-8")
                                              + "layout: 本单位\n", encoding="utf-8")
    p = office.issue(UNFINISHED)
    assert cli("build", p, "--draft").exit_code == 0
    assert set(header_texts(office.root / "build" / "2024-05-13-draft.docx")) == {"征求意见稿"}
    shutil.rmtree(presets)


def test_draft_does_not_build_an_impossible_document(office, cli):
    p = office.issue(SEC + "      - 王建国强调: 要加强管理。\n")
    r = cli("build", p, "--draft")
    assert r.exit_code == 1 and "JB020" in r.stderr and not (office.root / "build").exists()


def test_a_final_build_has_no_header(office, cli):
    p = office.issue()
    assert cli("build", p).exit_code == 0
    assert header_texts(office.root / "build" / "2024-05-13.docx") == []


def test_reading_goes_on_past_a_mended_trap(office, cli):
    """A glued dash is a YAML syntax error; reading goes on past it and finds what follows."""
    p = office.issue(SEC + "      - 会议指出: 要加强管理。\n      -4月19日，召开总结会。\n      - 本周共受理XXX件。\n")
    err = cli("check", p).stderr
    assert [c for c in re.findall(r"错误 (JB\d+)", err)] == ["JB020", "JB021", "JB205"], err


# --- as a new user: paragraphs pasted from a Word document and from a web page ------------------

PASTED_WORD_AND_WEB = (
    "number: 12\n"
    "date: 2024-05-13\n"
    "period: {start: 2024-05-06, end: 2024-05-10}\n"
    "sections:\n"
    "  - title: 工作动态\n"
    "    body: |\n"  # from Word: full-width indents, a no-break space, full-width digits, a blank line
    "      \u3000\u3000本周，区政务服务中心召开“高效办成一件事”推进会，部署下阶段重点工作。\n"
    "      \u3000\u3000会议要求，平均减少申请材料６２%，办理时限压缩５０%。\u00a0\n"
    "\n"
    "      \u3000\u3000下一步，中心将继续深化“一网通办”改革。\n"
    "    items:\n"
    "      - 5月8日，区委副书记王建国到中心调研。王建国强调: 要坚持以人民为中心。\n"
    "      -5月9日，中心组织开展窗口业务培训。\n"
    "  - title: 网上办事\n"  # from a web page: a zero-width space, justified spacing, a half-width comma
    "    body: 本\u200b周 网 上 办 件 量 达 到１２６件，同比增长１５.２%,群众满意率达99%。\n"
    "    items:\n"
    "      - （一）05月10日，上线“跨省通办”专区。\n"
)


def test_a_new_user_pastes_from_word_and_a_web_page(office, cli, tmp_path):
    p = office.issue(PASTED_WORD_AND_WEB)
    first = cli("check", p)
    assert first.exit_code == 1
    blocks = [b for b in first.stderr.split("\n\n") if b.startswith(("错误", "警告"))]
    assert len(blocks) >= 10
    for b in blocks:  # every mistake has a place and says what to type instead
        assert "-->" in b and "提示：" in b, b
    assert cli("check", p, "--fix").exit_code == 0
    assert cli("check", p, "--strict").exit_code == 0
    rows = body_paragraphs(p, tmp_path / "x.docx")
    printed = [t for s, t, _ in rows if s == "Normal" and t]
    assert "会议要求，平均减少申请材料62%，办理时限压缩50%。" in printed
    assert "本周网上办件量达到126件，同比增长15.2%，群众满意率达99%。" in printed
    assert "（二）5月9日，中心组织开展窗口业务培训。" in printed
    assert "（一）5月10日，上线“跨省通办”专区。" in printed
    for t in printed:  # no stray spaces of any kind reach the page
        assert not re.search("[\u00a0\u3000\u200b]|(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", t), t


def test_key_colons_of_several_lines_are_all_said_and_fixed(office, cli):
    p = office.issue("number：3\ndate: 2024-05-13\nsections:\n  - title：工作动态\n    items:\n"
                     "      - lead:推进。\n        body: 本周召开会议。\n")
    r = cli("check", p)
    assert r.exit_code == 1
    assert re.findall(r"错误 (JB\d+)", r.stderr) == ["JB026", "JB026", "JB026"], r.stderr
    r = cli("check", p, "--fix")
    assert p.read_text(encoding="utf-8") == ("number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n"
                                             "    items:\n      - lead: 推进。\n        body: 本周召开会议。\n")
    assert "JB026" not in cli("check", p).stderr


def test_a_fullwidth_colon_in_jianbao_yaml_is_said_where_it_is(tmp_path, cli):
    (tmp_path / "jianbao.yaml").write_text("# 说明\n\nname：县政务服务工作动态\n\n# 编印单位\neditor: 县中心\n",
                                           encoding="utf-8")
    (tmp_path / "issues").mkdir()
    issue = tmp_path / "issues" / "2024-05-13.yaml"
    issue.write_text("number: 3\ndate: 2024-05-13\nsections:\n  - title: 动态\n    body: 本周召开会议。\n",
                     encoding="utf-8")
    r = cli("check", issue)
    assert r.exit_code == 1
    assert "错误 JB026" in r.stderr and "jianbao.yaml:3:5" in r.stderr, r.stderr


@pytest.mark.parametrize("text,line,col,words", [
    # no YAML error at all: the field name would have been printed as text (“（二）lead：推进工作。”)
    (SEC + "      - 本周召开会议。\n      - lead：推进工作。\n", 7, 13, ["lead", "lead: 推进工作。"]),
    (HEAD + "sections:\n  - title: 动态\n    body:\n      - image：../照片/座谈会.jpg\n", 6, 14, ["image", "image: ../照片"]),
    # a section that is only “title：…”: not “第2部分 应为映射”
    (HEAD + "sections:\n  - title: 动态\n    body: 本周召开会议。\n  - title：窗口风采\n", 6, 10, ["title: 窗口风采"]),
], ids=["lead-item", "image-block", "title-section"])
def test_a_field_name_read_as_text_is_said(office, cli, text, line, col, words):
    p = office.issue(text)
    r = cli("check", p)
    assert r.exit_code == 1, r.stderr
    assert "错误 JB026" in r.stderr and f"{p}:{line}:{col}" in r.stderr, r.stderr
    for w in words:
        assert w in r.stderr, (w, r.stderr)
    assert "JB102" not in r.stderr


def test_a_quoted_field_name_in_text_is_what_was_meant(office, cli):
    p = office.issue(SEC + "      - \"lead：推进工作。\"\n")
    assert "JB026" not in cli("check", p).stderr


def test_a_text_opening_with_a_half_width_quote_or_bracket_is_fixed(office, cli):
    p = office.issue(SEC + '      - "高效办成一件事"推进会在中心召开。\n      - [重要]本周召开会议。\n')
    cli("check", p, "--fix")
    assert p.read_text(encoding="utf-8").endswith(
        "      - “高效办成一件事”推进会在中心召开。\n      - 【重要】本周召开会议。\n")
    assert cli("check", p).exit_code == 0


@pytest.mark.parametrize("line,col", [
    ("      - 本周开展 #我为群众办实事# 主题活动，共服务群众200人次。\n", 14),
    ("    body: 本周开展 #我为群众办实事# 主题活动。\n", None),
])
def test_a_hashtag_after_a_space_is_not_cut_off_as_a_comment(office, cli, line, col):
    # YAML takes “ #…” for a comment: the bulletin printed “本周开展” and nothing said so
    text = SEC + line if line.startswith("      -") else HEAD + "sections:\n  - title: 动态\n" + line
    p = office.issue(text)
    r = cli("check", p)
    assert r.exit_code == 1 and "错误 JB027" in r.stderr, r.stderr
    assert "#我为群众办实事#" in r.stderr and "加引号" in r.stderr
    if col:
        assert f"{p}:6:{col}" in r.stderr


def test_a_comment_after_a_text_is_still_a_comment(office, cli):
    p = office.issue(SEC + "      - 本周召开会议。  # 领导讲话稿待补\n      - 本周召开会议，研究部署。 # jianbao: ignore JB711\n")
    assert "JB027" not in cli("check", p).stderr
