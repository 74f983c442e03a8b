"""One fixture per lint rule of one issue (JB2xx text, JB4xx settings): a triggering and a clean case.

Each case is a small office in tmp_path (conftest's SERIES has copies and distribution, so settings
rules stay quiet unless a case changes the series).  The triggering case must report the rule at the
expected line and column (for a problem inside a string: the offending character); the clean case,
close to it, must not report the rule at all.
"""

from __future__ import annotations

import pytest

from conftest import ROOT, SERIES, Office
from jianbao.check_series import check_paths
from jianbao.diagnostics import RULES, Severity


def issue(body: str = "", sections: str = "  - title: 工作动态\n    items: [本周召开专题会议。]\n") -> str:
    return f"number: 3\ndate: 2024-05-13\n{body}sections:\n{sections}"


# code: (triggering issue, clean issue, line, column, words in the message, series or None)
CASES = {
    "JB201": (issue("body: 本周召开会议,研究部署工作。\n"),
              issue("body: 本周召开会议，研究部署工作，比例为1:1000，网址 http://a.cn/x?y=1。\n"),
              3, 13, ["逗号", "，"], None),
    "JB201-paren": (issue("body: 省级相关部门(单位)参加。\n"),
                    issue("body: 省级相关部门（单位）参加，下载 PDF 版（A4），文件名 report(A4).pdf。\n"),
                    3, 13, ["左括号", "（", "还有 1 处"], None),
    "JB202": (issue("body: 主要措施有：1、加强领导；2、压实责任。\n"),
              issue("body: 主要措施有：1.加强领导；2.压实责任。今年2、3月份办件明显增加。\n"),
              3, 13, ["1、", "1."], None),
    "JB202-cn": (issue("body: 一.要加强领导，二.要压实责任。\n"),
                 issue("body: 一是要加强领导，二是要压实责任，统一思想。\n"),
                 3, 7, ["一.", "一、"], None),
    "JB202-paren": (issue("body:\n  - 导语。\n  - （一）、做好工作。\n"),
                    issue("body:\n  - 导语。\n  - （一）做好工作。\n"),
                    5, 5, ["（一）、", "（一）"], None),
    "JB203": (issue("body: 2024年05月13日召开会议。\n"),
              issue("body: 2024年5月13日召开会议，10月20日再议，1.05%。\n"),
              3, 12, ["05月", "5月"], None),
    "JB204": (issue("body: 4月29日-5月3日安排值班。\n"),
              issue("body: 4月29日—5月3日安排值班，每天3～5人，电话028-12345678。\n"),
              3, 12, ["4月29日-5月3日", "4月29日—5月3日"], None),
    "JB204-tilde": (issue("body: 4月29~30日安排值班。\n"),
                    issue("body: 4月29—30日安排值班。\n"),
                    3, 11, ["~", "4月29—30日"], None),
    "JB205": (issue("body: 本周共受理XXX件。\n"),
              issue("body: 本周共受理120件，发放XXL码工作服，二○○八年建成。\n"),
              3, 12, ["XXX"], None),
    "JB205-cn": (issue(sections="  - title: 工作动态\n    items:\n      - 待填：本周工作情况\n"),
                 issue(sections="  - title: 工作动态\n    items:\n      - 本周工作情况良好。\n"),
                 6, 9, ["待填"], None),
    "JB205-title": (issue("title: 关于××市的经验\n"),
                    issue("title: 关于锦城市的经验\n"),
                    3, 10, ["××"], None),
    "JB206": (issue("body:\n  - 本周召开专题会议研究部署重点工作。\n  - 本周召开专题会议研究部署重点工作。\n"),
              issue("body:\n  - 本周召开专题会议研究部署重点工作。\n  - 下周召开专题会议研究部署重点工作。\n  - 略。\n  - 略。\n"),
              5, 5, ["第 4 行"], None),
    "JB207": (issue(sections="  - title: 工作动态\n  - title: 下周安排\n    items: [召开推进会。]\n"),
              issue(sections="  - title: 工作动态\n    body: 本周召开会议。\n  - title: 下周安排\n    items: [召开推进会。]\n"),
              4, 12, ["工作动态"], None),
    "JB208": (issue("body: 统计时段为4月29日—4月31日。\n"),
              issue("body: 统计时段为4月29日—4月30日，2月29日、12月31日各一次，1—4月31个项目。\n"),
              3, 18, ["4月31日", "30天"], None),
    "JB208-leap": (issue("body: 2023年2月29日召开会议。\n"),
                   issue("body: 2024年2月29日召开会议。\n"),
                   3, 7, ["2023年2月只有28天"], None),
    "JB210": (issue("body: 平 均 减 少申请材料。\n"),
              issue("body: 平均减少申请材料，共 3 项，Windows 11 系统，内部资料　注意保存。\n"),
              3, 8, ["多余的空格", "还有 2 处"], None),
    "JB210-nbsp": (issue("body: 本周\u00a0召开会议，Windows\u00a011。\n"),
                   issue("body: 本周召开会议，Windows 11。\n"),
                   3, 9, ["空格", "还有 1 处"], None),
    "JB211": (issue("body: 　　本周召开会议。\n"),
              issue("body: 本周召开会议，内部资料　注意保存。\n"),
              3, 7, ["段首", "全角空格"], None),
    "JB212": (issue("body: 本周\u200b召开会议。\n"),
              issue("body: 本周召开会议。\n"),
              3, 9, ["U+200B", "零宽空格"], None),
    "JB213": (issue("body: 共办理１２６件，ＡＢ类。\n"),
              issue("body: 共办理126件，AB类，“好”。\n"),
              3, 10, ["１２６", "126", "还有 1 处"], None),
    "JB214": (issue("body: 他说“要加强管理。\n"),
              issue("body: 他说“要加强‘窗口’管理”。\n"),
              3, 9, ["后引号"], None),
    "JB215": (issue("body: 本周召开会议。   \n"),
              issue("body: 本周召开会议。\n"),
              3, 14, ["行尾", "3 个"], None),
    "JB216": (issue("title:\n  - 关于全面推进政务服务标准化规范化便利化建设\n  - 的工作情况报告\n"),
              issue("title:\n  - 关于全面推进政务服务标准化\n  - 规范化便利化建设的工作情况报告\n"),
              4, 5, ["第 1 行", "21 个字", "末行是“设”", "20 个字"], None),
    "JB216-one-line": (issue("title: 关于全面推进政务服务标准化规范化建设的报告\n"),
                       issue("title: 关于推进政务服务标准化规范化便利化建设\n"),
                       3, 8, ["末行是“告”", "21 个字"], None),
    "JB403": (issue(), issue(), None, None, ["distribution"], "name: 测试工作动态\neditor: 测试中心\ncopies: 20\n"),
    "JB404": (issue(), issue(), None, None, ["copies"],
              "name: 测试工作动态\neditor: 测试中心\ndistribution:\n  发: 本单位各处室。\n"),
    "JB405": (issue(), issue(), 1, 7, ["两行", "26"],
              "name: 某某省某某市人民政府政务服务和公共资源交易工作动态简报\neditor: 测试中心\ncopies: 20\n"
              "distribution:\n  发: 本单位各处室。\n"),
}


def run(tmp_path, text: str, series: str | None, name: str = "o"):
    office = Office(tmp_path / name, series=series or SERIES)
    path = office.issue(text)
    return path, check_paths([path]).diagnostics


@pytest.mark.parametrize("case", list(CASES))
def test_rule_triggers_and_points_at_the_value(tmp_path, case):
    code = case.split("-")[0]
    bad, _, line, col, words, series = CASES[case]
    path, diags = run(tmp_path, bad, series)
    hits = [d for d in diags if d.code == code]
    assert len(hits) == 1, [d.render() for d in diags]
    d = hits[0]
    if code.startswith("JB4"):
        assert d.file.name == "jianbao.yaml"  # settings problems point into jianbao.yaml
    else:
        assert d.file == path
    assert (d.line, d.column) == (line, col), d.render()
    text = d.render()
    for w in words:
        assert w in text, text
    assert "提示" in text and d.severity is RULES[code].severity


@pytest.mark.parametrize("case", list(CASES))
def test_rule_is_quiet_on_the_clean_case(tmp_path, case):
    code = case.split("-")[0]
    _, good, *_, series = CASES[case]
    if code.startswith("JB4"):
        series = None  # the clean case of a settings rule is the complete series
    _, diags = run(tmp_path, good, series)
    assert [d.render() for d in diags] == []


def test_every_new_rule_has_a_test():
    tested = {c.split("-")[0] for c in CASES}
    lint = {c for c in RULES if c.startswith(("JB2", "JB403", "JB404", "JB405"))}
    assert lint <= tested


def test_placeholder_is_an_error_and_other_text_rules_are_warnings():
    assert RULES["JB205"].severity is Severity.ERROR and RULES["JB208"].severity is Severity.ERROR
    for code in ("JB201", "JB202", "JB203", "JB204", "JB206", "JB207", "JB403", "JB404", "JB405"):
        assert RULES[code].severity is Severity.WARNING, code


# --- where the caret goes inside strings ---------------------------------------------------------

@pytest.mark.parametrize("yaml_body, line, col", [
    ("body: 本周召开会议,研究工作。\n", 3, 13),  # plain scalar, one line
    ('body: "双引号里,的文字"\n', 3, 12),  # quoted: one more for the quote
    ('body: "制表\\t符后,的文字"\n', 3, 14),  # escapes: found by the text around it
    ("body: |\n  块文本第一行\n  块文本,第二行\n", 5, 6),  # block scalar: on its own line
    ("body:\n  - 一段很长的文字\n    折到下一行,继续。\n", 5, 10),  # plain scalar folded over lines
])
def test_caret_points_at_the_offending_character(tmp_path, yaml_body, line, col):
    _, diags = run(tmp_path, issue(yaml_body), None)
    d = next(d for d in diags if d.code == "JB201")
    assert (d.line, d.column) == (line, col)
    assert d.source_line[d.column - 1] == ","


def test_a_text_field_may_carry_several_rules(tmp_path):
    _, diags = run(tmp_path, issue("body: 待补,2024年05月6日-8日。\n"), None)
    assert {d.code for d in diags} == {"JB201", "JB203", "JB204", "JB205"}


def test_typed_numeral_at_an_item_start_is_reported_once_as_jb110(tmp_path):
    _, diags = run(tmp_path, issue(sections="  - title: 动态\n    items:\n      - 1、本周开会。\n"), None)
    assert [d.code for d in diags] == ["JB110"]


def test_issue_override_is_where_settings_rules_point(tmp_path):
    text = "number: 3\ndate: 2024-05-13\ndistribution: {}\nsections:\n  - title: 动态\n    items: [开会。]\n"
    path, diags = run(tmp_path, text, None)
    d = next(d for d in diags if d.code == "JB403")
    assert d.file == path and d.line == 3


def test_the_example_office_is_clean(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = cli("check", "issues", "--strict")
    assert result.exit_code == 0, result.stderr
    assert f"检查通过：{len(list((ROOT / 'issues').glob('*.yaml')))} 个文件" in result.stderr


# --- build: errors refuse, warnings are printed and the build goes on ---------------------------

def test_build_prints_warnings_and_writes(tmp_path, cli):
    office = Office(tmp_path / "o")
    path = office.issue(issue("body: 本周召开会议,研究部署工作。\n"))
    result = cli("build", path)
    assert result.exit_code == 0, result.stderr
    assert "警告 JB201" in result.stderr
    assert (office.root / "build" / "2024-05-13.docx").is_file()


def test_build_refuses_a_placeholder(tmp_path, cli):
    office = Office(tmp_path / "o")
    path = office.issue(issue("body: 本周共受理XXX件，此处,有半角逗号。\n"))
    result = cli("build", path)
    assert result.exit_code == 1
    assert "错误 JB205" in result.stderr
    assert not (office.root / "build").exists()


def test_placeholders_in_the_settings_point_into_jianbao_yaml(tmp_path):
    series = "name: 待填：简报名称\neditor: 测试中心\ncopies: 20\ndistribution:\n  报: [上级单位, XX局]\n"
    _, diags = run(tmp_path, issue(), series)
    found = [(d.code, d.file.name, d.line, d.column) for d in diags]
    assert found == [("JB205", "jianbao.yaml", 1, 7), ("JB205", "jianbao.yaml", 5, 13)]
    assert "简报名称" in diags[0].message


def test_placeholder_in_an_overriding_issue_points_into_the_issue(tmp_path):
    path, diags = run(tmp_path, issue("mark: ××××\n"), None)
    assert [(d.code, d.file, d.line, d.column) for d in diags] == [("JB205", path, 3, 7)]


def test_build_refuses_placeholders_left_in_the_settings(tmp_path, cli):
    office = Office(tmp_path / "o", series="name: 待填：简报名称\neditor: 测试中心\n")
    result = cli("build", office.issue(issue()))
    assert result.exit_code == 1 and "jianbao.yaml:1:7" in result.stderr
    assert not (office.root / "build").exists()
