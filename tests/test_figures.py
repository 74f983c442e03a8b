"""Figures that are never typed twice: ``data``, templated text, ``prev``/``ytd``/``carry``, the filters,
the sandbox and its limits, and the figure lint (JB711 percentages, JB712 unused data)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, Office
from jianbao import resolve as r
from jianbao.diagnostics import JianbaoError
from jianbao.pipeline import compile_issue, prepare

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

HEAD = """\
number: {number}
date: {date}
"""


def issue(office: Office, date: str, body: str = "", *, number: int = 3, data: str = "", carry: str = "",
          extra: str = "", name: str | None = None) -> Path:
    """Write an issue dated *date* whose only item is *body* (a YAML scalar, quoted when needed)."""
    text = HEAD.format(number=number, date=date)
    if data:
        text += f"data: {data}\n"
    if carry:
        text += f"carry: {carry}\n"
    text += extra
    if body:
        text += f"sections:\n  - title: 工作动态\n    items:\n      - {body}\n"
    return office.issue(text, name or f"{date}.yaml")


def printed(path: Path) -> str:
    """The first item of the first section as resolved."""
    return prepare(path).bulletin.issue.sections[0].items[0]


def errors(path: Path):
    with pytest.raises(JianbaoError) as exc:
        prepare(path)
    return exc.value.diagnostics


# --- the seed: section 五 from data + carry -----------------------------------------------------------

SEED_FIVE = [
    "本周，共计咨询1142人次、受理391件、颁发3096件、流转4047件次。"
    "今年以来，累计咨询24276人次、受理9990件、颁发61746件、流转101848次。",
    "完成省卫生健康委2个办理项的受理工作手册编制。截至目前，共完成1159个办理项的受理工作手册编制，占比70.46%。",
]


def test_the_seed_prints_its_section_five_from_data_and_carry(tmp_path):
    seed = ROOT / "issues" / "2024-05-13.yaml"
    source = seed.read_text(encoding="utf-8")
    assert "{{ ytd.综窗.咨询 }}" in source and "24276" not in source.split("sections:")[1]  # not typed
    prepared = prepare(seed)
    five = prepared.bulletin.issue.sections[4]
    assert [item.body[0] for item in five.items] == SEED_FIVE
    assert not [d for d in prepared.warnings if d.code.startswith("JB7")]  # every figure used, 70.46% right
    out = compile_issue(prepared, tmp_path / "seed.docx")
    with zipfile.ZipFile(out) as z:
        from lxml import etree

        doc = etree.fromstring(z.read("word/document.xml"))
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in doc.iter(f"{W}p")]
    for sentence in SEED_FIVE:
        assert sentence in paragraphs
    assert not any("{{" in p for p in paragraphs)


# --- ytd, prev, carry ----------------------------------------------------------------------------------

YTD = "本周咨询{{ 综窗.咨询 }}人次，今年以来{{ ytd.综窗.咨询 }}人次，受理{{ ytd.综窗.受理 }}件。"


def test_ytd_adds_up_three_consecutive_issues(office):
    issue(office, "2024-05-06", YTD, number=1, data="{综窗: {咨询: 100, 受理: 10}}")
    issue(office, "2024-05-13", YTD, number=2, data="{综窗: {咨询: 200, 受理: 20}}")
    third = issue(office, "2024-05-20", YTD, number=3, data="{综窗: {咨询: 300, 受理: 5}}")
    assert printed(third) == "本周咨询300人次，今年以来600人次，受理35件。"
    assert printed(office.root / "issues" / "2024-05-13.yaml") == "本周咨询200人次，今年以来300人次，受理30件。"
    assert sorted(p.name for p in prepare(third).inputs) == ["2024-05-06.yaml", "2024-05-13.yaml"]


def test_a_new_year_starts_ytd_again_but_prev_looks_back_across_it(office):
    issue(office, "2023-12-25", YTD, number=52, data="{综窗: {咨询: 500, 受理: 50}}")
    jan = issue(office, "2024-01-08",
                YTD.replace("。", "，上周{{ prev.综窗.咨询 }}人次。"), number=1, data="{综窗: {咨询: 70, 受理: 7}}")
    assert printed(jan) == "本周咨询70人次，今年以来70人次，受理7件，上周500人次。"


def test_carry_starts_a_mid_year_archive_and_later_issues_add_on(office):
    issue(office, "2024-03-04", YTD, number=9, data="{综窗: {咨询: 999, 受理: 99}}")  # before the carry: left out
    issue(office, "2024-05-13", YTD, number=18, data="{综窗: {咨询: 1142, 受理: 391}}",
          carry="{综窗: {咨询: 23134, 受理: 9599}}")
    later = issue(office, "2024-05-20", YTD, number=19, data="{综窗: {咨询: 1000, 受理: 1}}")
    assert printed(office.root / "issues" / "2024-05-13.yaml") == "本周咨询1142人次，今年以来24276人次，受理9990件。"
    assert printed(later) == "本周咨询1000人次，今年以来25276人次，受理9991件。"


TWO = "累计受理{{ ytd.综窗.受理 }}件，窗口累计{{ ytd.窗口.办件 }}件。"


def test_a_carry_sets_only_the_figures_it_names(office):
    """Issue 11: a carry for a second group in May must not reset the other running totals."""
    first = issue(office, "2024-05-06", "累计受理{{ ytd.综窗.受理 }}件。", number=17,
                  data="{综窗: {受理: 100}}", carry="{综窗: {受理: 118000}}")
    second = issue(office, "2024-05-13", TWO, number=18, data="{综窗: {受理: 200}, 窗口: {办件: 30}}",
                   carry="{窗口: {办件: 9000}}")
    third = issue(office, "2024-05-20", TWO, number=19, data="{综窗: {受理: 300}, 窗口: {办件: 40}}")
    assert printed(first) == "累计受理118100件。"
    assert printed(second) == "累计受理118300件，窗口累计9030件。"  # 综窗 keeps its own carry of 05-06
    assert printed(third) == "累计受理118600件，窗口累计9070件。"
    assert sorted(p.name for p in prepare(third).inputs) == ["2024-05-06.yaml", "2024-05-13.yaml"]


def test_a_later_carry_of_a_figure_restarts_only_that_figure(office):
    issue(office, "2024-05-06", number=1, data="{综窗: {受理: 100, 咨询: 10}}")
    issue(office, "2024-05-13", number=2, data="{综窗: {受理: 200, 咨询: 20}}", carry="{综窗: {受理: 5000}}")
    third = issue(office, "2024-05-20", "受理{{ ytd.综窗.受理 }}，咨询{{ ytd.综窗.咨询 }}。", number=3,
                  data="{综窗: {受理: 300, 咨询: 30}}")
    # 受理: the carry of 05-13 (replacing 05-06's 100) + 200 + 300; 咨询: never carried, 10 + 20 + 30
    assert printed(third) == "受理5500，咨询60。"


def test_a_carry_of_a_group_where_the_data_has_a_number_is_a_shape_error(office):
    issue(office, "2024-05-06", number=1, data="{窗口: 5}")
    now = issue(office, "2024-05-13", "共{{ ytd.窗口.办件 }}", number=2, data="{其他: 1}", carry="{窗口: {办件: 9}}")
    (d,) = errors(now)
    assert d.code == "JB713" and "carry" in d.message and d.line == 4


def test_ytd_sums_decimals_exactly_and_keeps_paths_only_some_issues_have(office):
    issue(office, "2024-05-06", number=1, data="{金额: 0.1, 只在第一期: 4}")
    last = issue(office, "2024-05-13", "合计{{ ytd.金额 }}亿元，{{ ytd.只在第一期 }}个，{{ 金额 }}。", number=2,
                 data="{金额: 0.2}")
    assert printed(last) == "合计0.3亿元，4个，0.2。"


def test_prev_is_the_latest_earlier_issue_of_the_same_kind(office):
    issue(office, "2024-05-06", number=1, data="{办件: 80}")
    issue(office, "2024-05-08", number=1, data="{专题: 1}", extra="supplement: true\n", name="2024-05-08-zk.yaml")
    now = issue(office, "2024-05-13", "办件{{ 办件 }}件，比上周{{ 办件 | change(prev.办件) }}。", number=2,
                data="{办件: 90}")
    assert printed(now) == "办件90件，比上周增长12.5%。"


def test_without_an_earlier_issue_prev_is_empty_and_says_so(office):
    first = issue(office, "2024-05-13", "比上周{{ 办件 | change(prev.办件) }}。", data="{办件: 90}")
    (d,) = errors(first)
    assert d.code == "JB701" and "没有上一期" in d.message and d.line == 7
    assert "prev" in d.hint


def test_a_broken_neighbour_is_reported_at_its_own_file(office):
    office.issue("number: 2\ndate: 2024-05-06\ndata: {办件: 八十}\n", "2024-05-06.yaml")
    now = issue(office, "2024-05-13", "今年以来{{ ytd.办件 }}件。", data="{办件: 90}")
    (d,) = errors(now)
    assert d.code == "JB708" and Path(d.file).name == "2024-05-06.yaml" and d.line == 3
    assert "2024-05-13.yaml" in d.hint
    # an issue that does not use prev/ytd never reads its neighbours
    alone = issue(office, "2024-05-20", "本周{{ 办件 }}件。", data="{办件: 90}")
    assert printed(alone) == "本周90件。"


def test_a_number_in_one_issue_and_a_group_in_another_cannot_be_added(office):
    issue(office, "2024-05-06", number=1, data="{综窗: 5}")
    now = issue(office, "2024-05-13", "'{{ ytd.综窗.咨询 }}'", number=2, data="{综窗: {咨询: 1}}")
    (d,) = errors(now)
    assert d.code == "JB713" and "综窗" in d.message


# --- the filters -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("template, expected", [
    ("{{ 手册.完成 | pct(手册.总数) }}", "70.46%"),
    ("{{ 4879 | pct(5160) }}", "94.55%"),
    ("{{ 1 | pct(8, 1) }}", "12.5%"),
    ("{{ 1 | pct(3, digits=0) }}", "33%"),
    ("{{ 12 | cn }}", "十二"),
    ("{{ number | cn }}", "三"),
    ("{{ 105 | cn }}", "一百零五"),
    ("{{ date | cndate }}", "2024年5月13日"),
    ("{{ date | md }}", "5月13日"),
    ("{{ period | range }}", "4月29日—5月3日"),
    ("{{ range_cn(period.start, date) }}", "4月29日—5月13日"),
    ("{{ period.start | md }}", "4月29日"),
    ("{{ 112.5 | change(100) }}", "增长12.5%"),
    ("{{ 96.8 | change(100) }}", "下降3.2%"),
    ("{{ 100 | change(100) }}", "持平"),
    ("{{ 1000 | change(999, 1) }}", "增长0.1%"),
    ("{{ 101848 | num }}", "101848"),
    ("共{{ 101848 | num(grouping=True) }}", "共101,848"),
    ("共{{ 1234.5 | num(2, grouping=True) }}", "共1,234.50"),
    ("{{ 2.675 | num(2) }}", "2.68"),
    ("{{ 手册.完成 + 手册.总数 }}", "2804"),
])
def test_filters(office, template, expected):
    extra = "period: {start: 2024-04-29, end: 2024-05-03}\n"
    p = issue(office, "2024-05-13", f"'{template}'", data="{手册: {完成: 1159, 总数: 1645}}", extra=extra)
    assert printed(p) == expected


def test_range_repeats_the_year_across_years(office):
    p = issue(office, "2024-01-03", "'（{{ period | range }}）'", extra="period: {start: 2023-12-25, end: 2024-01-02}\n")
    assert printed(p) == "（2023年12月25日—2024年1月2日）"


@pytest.mark.parametrize("template, words", [
    ("{{ 5 | pct(0) }}", ["分母是 0"]),
    ("{{ 5 | change(0) }}", ["基数是 0"]),
    ("{{ '五' | pct(10) }}", ["pct 的分子应为数字", "文字"]),
    ("{{ 1.5 | cn }}", ["cn 只能写"]),
    ("{{ 5 | cndate }}", ["应为日期"]),
    ("{{ 综窗 }}", ["是一组数"]),
    ("{{ 1 / 0 }}", ["除数是 0"]),
])
def test_filter_misuse_is_a_located_error(office, template, words):
    p = issue(office, "2024-05-13", f"\"前文{template}后文\"", data="{综窗: {咨询: 1}}")
    (d,) = errors(p)
    assert d.code == "JB706" and (d.line, d.column) == (7, 12)  # at the expression, inside the quotes
    assert all(w in d.message for w in words), d.message


# --- errors: every one a diagnostic with a place --------------------------------------------------------

def test_undefined_name_did_you_mean(office):
    p = issue(office, "2024-05-13", "本周咨询{{ 综窗.咨讯 }}人次。", data="{综窗: {咨询: 1142, 受理: 391}}")
    (d,) = errors(p)
    assert d.code == "JB701" and (d.line, d.column) == (7, 13) and d.width == len("{{ 综窗.咨讯 }}")
    assert "综窗" in d.message and "咨讯" in d.message and "{{ 综窗.咨讯 }}" in d.message
    assert "是不是要写 咨询" in d.hint


def test_undefined_top_level_name_lists_the_names(office):
    p = issue(office, "2024-05-13", "'{{ 综床.咨询 }}'", data="{综窗: {咨询: 1142}}")
    (d,) = errors(p)
    assert d.code == "JB701" and "综床" in d.message and "是不是要写 综窗" in d.hint and "number" in d.hint


def test_undefined_in_ytd_and_missing_total(office):
    p = issue(office, "2024-05-13", "'{{ ytd.综窗.受理 }}，{{ total }}'", data="{综窗: {咨询: 1}}")
    (d,) = errors(p)
    assert d.code == "JB701" and "ytd" in d.message and "受理" in d.message
    p = issue(office, "2024-05-13", "第{{ total }}期", data="{综窗: {咨询: 1}}")
    (d,) = errors(p)
    assert d.code == "JB701" and "total" in d.message


def test_syntax_error_in_a_template(office):
    p = issue(office, "2024-05-13", "合计{{ 综窗.咨询 + }}人次", data="{综窗: {咨询: 1}}")
    (d,) = errors(p)
    assert d.code == "JB702" and (d.line, d.column) == (7, 11) and "没有写完" in d.message
    p = issue(office, "2024-05-13", "合计{{ 综窗.咨询 人次", data="{综窗: {咨询: 1}}")
    (d,) = errors(p)
    assert d.code == "JB702" and d.line == 7


def test_python_internals_are_a_security_error(office):
    p = issue(office, "2024-05-13", "\"{{ ''.__class__.__mro__ }}\"")
    (d,) = errors(p)
    assert d.code == "JB703" and "__class__" in d.message and d.line == 6


@pytest.mark.parametrize("tag", ["{% include 'jianbao.yaml' %}", "{% import 'x.j2' as x %}",
                                 "{% extends '/etc/passwd' %}", "{% from 'x' import y %}"])
def test_templates_cannot_read_files(office, tag):
    p = issue(office, "2024-05-13", f"\"正文{tag}\"")
    (d,) = errors(p)
    assert d.code == "JB704" and "不能读取文件" in d.message and d.line == 6


def test_a_huge_range_fails_fast(office):
    p = issue(office, "2024-05-13", "'{{ range(10**9) | list | length }}'")
    start = time.monotonic()
    (d,) = errors(p)
    assert time.monotonic() - start < 1.0
    assert d.code == "JB705" and "range" in d.message


@pytest.mark.parametrize("template", ["{{ 10**100**100 }}", "{{ 'x' * 10**9 }}", "{{ '%999999999d' % 1 }}",
                                      "{{ 'x'.ljust(10**9) }}", "{{ range(5000) | join('x' * 5000) }}",
                                      "{% for i in range(10000) %}{{ i }}{% endfor %}"])
def test_huge_results_are_refused(office, template):
    p = issue(office, "2024-05-13", f"\"{template}\"")
    start = time.monotonic()
    (d,) = errors(p)
    assert time.monotonic() - start < 1.0
    assert d.code in ("JB705", "JB703")


def test_slow_nested_loops_are_stopped_by_the_timer(office, monkeypatch):
    monkeypatch.setattr(r, "TIME_LIMIT", 0.2)
    loops = "'{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}'"
    p = issue(office, "2024-05-13", loops)
    start = time.monotonic()
    (d,) = errors(p)
    assert time.monotonic() - start < 2.0
    assert d.code == "JB705" and "0.2 秒" in d.message and "{% for i in range(10000) %}" in d.message


def test_the_timer_also_works_off_the_main_thread(office, monkeypatch):
    """Outside the main thread there is no SIGALRM: a watchdog thread stops the template."""
    monkeypatch.setattr(r, "TIME_LIMIT", 0.2)
    p = issue(office, "2024-05-13", "'{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}'")
    got: list = []

    def work():
        try:
            prepare(p)
        except JianbaoError as exc:
            got.extend(exc.diagnostics)

    t = threading.Thread(target=work)
    start = time.monotonic()
    t.start()
    t.join(10)
    assert not t.is_alive() and time.monotonic() - start < 3.0
    assert [d.code for d in got] == ["JB705"]
    time.sleep(0.3)  # no stray exception arrives later in this thread


def test_a_timer_set_by_someone_else_survives(office):
    import signal

    fired = []
    old = signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        assert printed(issue(office, "2024-05-13", "'{{ 1 + 1 }}'")) == "2"
        time.sleep(0.7)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert fired == [1]


def test_no_traceback_ever_reaches_the_user(office, cli):
    body = "'{{ 综窗.咨询 | pct(0) }}{{ range(10**9) }}{{ ().__class__ }}'"
    issue(office, "2024-05-13", body, data="{综窗: {咨询: 1}}")
    result = cli("check", office.root / "issues" / "2024-05-13.yaml")
    assert result.exit_code == 1
    assert "JB706" in result.stderr and "Traceback" not in result.stderr and "内部错误" not in result.stderr


def test_data_names_must_work_as_template_names(office):
    p = issue(office, "2024-05-13", "x", data="{综窗-省本级: 1, ytd: 2, 合计: {2023: 5}}")
    ds = errors(p)
    assert [(d.code, d.line, d.column) for d in ds] == [("JB707", 3, 8), ("JB707", 3, 19)]
    assert "不能在模板中引用" in ds[0].message and "重名" in ds[1].message


@pytest.mark.parametrize("bad, words", [("{综窗: {咨询: 一千}}", "数据应为数字"), ("{综窗: [1, 2]}", "数据应为数字"),
                                        ("{办件: true}", "数据应为数字"), ("[1, 2]", "映射")])
def test_data_holds_numbers_only(office, bad, words):
    p = issue(office, "2024-05-13", "x", data=bad)
    (d,) = errors(p)
    assert d.code == "JB102" and d.line == 3 and words in d.message


def test_an_empty_result_is_refused(office):
    p = issue(office, "2024-05-13", "'{{ \"\" }}'")
    (d,) = errors(p)
    assert d.code == "JB706" and "空" in d.message


def test_printing_a_brace_and_text_without_templates_is_untouched(office):
    p = issue(office, "2024-05-13", "'{{ \"{{\" }}原样}}'")
    assert printed(p) == "{{原样}}"
    p = issue(office, "2024-05-13", "办件{数量}件，{不是模板}")
    assert printed(p) == "办件{数量}件，{不是模板}"


# --- the figure lint ----------------------------------------------------------------------------------

def lint(office: Office, body: str, data: str = ""):
    p = issue(office, "2024-05-13", body, data=data)
    return [d for d in prepare(p).warnings if d.code.startswith("JB7")]


def test_a_typed_percentage_that_does_not_match_its_figures(office):
    (d,) = lint(office, "全年应办5160件，已办4879件，办结率85.25%。")
    assert d.code == "JB711" and "94.55%" in d.message and (d.line, d.column) == (6, 30)
    assert not lint(office, "全年应办5160件，已办4879件，办结率94.55%。")
    assert not lint(office, "已办4,879件，应办5,160件，办结率94.6%。")  # rounded to the digits typed
    assert lint(office, "5月13日已办4879件，应办5160件，办结率85.25%。")  # a date is not a figure
    assert lint(office, "已办4879件，应办5160件，涉及13个部门，办结率85.25%。")  # an unrelated count does not hide it
    assert not lint(office, "已办4879件，办结率85.25%；应办5160件。")  # not in the same sentence


# JB711 on sentences as real bulletins write them (issue 11): a rate is judged only against the counts
# it is a rate of; names (12345热线, 12366, 110), dates and template output are not counts.
JB711_ALARMS = [  # each rate is wrong
    "本周共受理5160件，办结4879件，办结率85.25%",
    "12345热线共接听来电3200个，接通3000个，接通率92.5%",
    "全市共有政务服务窗口120个，其中综合窗口90个，占比70%",
    "收到满意评价1980条，占评价总数2000条的98.5%",
    "全年目标任务500项，已完成430项，完成率90%",
    "5月13日，共受理1200件，办结1100件，办结率90.5%",
    "网上办件8000件，占全部办件10000件的85%",
    "12366纳税服务热线接听咨询2500个，解答2400个，解答率95%",
    "抽查事项200项，合格190项，合格率96%",
    "共受理投诉20件，已办结18件，办结率80%",
    "可网办事项1,500项，其中全程网办1,200项，全程网办率75%",
    "2024年以来累计受理9990件，办结9800件，办结率为97.1%",
    "拨打110报警电话的群众反映问题300起，已处置270起，处置率达95%",
    "受理5160件（其中网上受理3000件），办结4879件，办结率85.25%",
]

JB711_QUIET = [  # each must stay quiet
    "今年以来累计受理9990件、办结9800件，受理量较上周增长12.5%",
    "本周受理1142件、办结1100件，群众满意率99.8%",
    "12345热线共接听来电3200个，接通3000个，接通率93.75%",
    "本周受理1200件，同比增长12%",
    "接到110报警20起，全部处置，处置率100%",
    "4月29日—5月3日，办件量12000件，其中网办9000件，网办率75%",
    "窗口工作人员40人，平均年龄35岁，本科以上学历占85%",
    "共受理办件86352件，办结84917件，按时办结率99.8%",
    "共完成1159个办理项的受理工作手册编制，占比70.46%",
    "受理5160件，办结4879件，办结率94.55%",
    "受理5160件，办结4879件，办结率94.5%",  # 94.5426…: cut, not rounded — the ratio is right
    "受理1.2万件，办结1.1万件，办结率90%",
    "受理5000余件，办结4879件，办结率97%",
    "全市12345热线、12366热线和110报警平台共转办事项86件，办结率100%",
    "第18期共收录案例12个，其中典型案例3个，占比20%以上",
]


@pytest.mark.parametrize("sentence", JB711_ALARMS)
def test_jb711_flags_a_rate_that_is_not_the_ratio_it_claims(sentence):
    from jianbao.check_figures import wrong_rates

    (hit,) = wrong_rates(sentence)
    assert sentence[hit[0]:hit[1]].endswith("%")


@pytest.mark.parametrize("sentence", JB711_QUIET)
def test_jb711_stays_quiet(sentence):
    from jianbao.check_figures import wrong_rates

    assert wrong_rates(sentence) == []


def test_jb711_ignores_what_templates_printed_and_points_into_the_yaml(office):
    # the rate is computed: the two year-to-date counts beside it are not its counts
    assert not lint(office, "'今年以来累计受理9990件、办结9000件，受理量较上周{{ 受理 | change(上周) }}。'",
                    data="{受理: 90, 上周: 80}")
    # a count printed by a template is not judged (it is right by construction)
    assert not lint(office, "'受理{{ 受理 }}件，办结4879件，办结率85.25%。'", data="{受理: 9999}")
    # a wrong typed rate beside typed counts is still found in a templated string, at its place in the YAML
    (d,) = lint(office, "'本周{{ 受理 }}件。受理5160件，办结4879件，办结率85.25%。'", data="{受理: 9999}")
    assert d.code == "JB711" and "94.55%" in d.message and d.line == 7
    assert d.source_line[d.column - 1: d.column - 1 + d.width] == "85.25%"


def test_data_never_used_is_reported_where_it_is_defined(office):
    ds = lint(office, "本周咨询{{ 综窗.咨询 }}人次，累计{{ ytd.手册.完成 }}个。",
              data="{综窗: {咨询: 1142, 受理: 391}, 手册: {完成: 2, 总数: 9}}")
    assert [(d.code, d.line) for d in ds] == [("JB712", 3), ("JB712", 3)]
    assert "综窗.受理" in ds[0].message and "391" in ds[0].message and ds[0].column == 23
    assert "手册.总数" in ds[1].message
    assert not lint(office, "'{% for k, v in 综窗.items() %}{{ k }}{{ v }}{% endfor %}'",
                    data="{综窗: {咨询: 1142, 受理: 391}}")
    ds = lint(office, "本周咨询1142人次。", data="{综窗: {咨询: 1142}}")  # typed by hand
    assert [d.code for d in ds] == ["JB712"]


def test_check_on_an_issue_without_templates_does_not_import_jinja(office):
    office.issue()
    res = subprocess.run([sys.executable, "-X", "importtime", "-m", "jianbao", "check", "issues/2024-05-13.yaml"],
                         cwd=office.root, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-2000:]
    mods = {ln.rsplit("|", 1)[1].strip().split(".")[0] for ln in res.stderr.splitlines()
            if ln.startswith("import time:") and "|" in ln}
    assert "jianbao" in mods and "jinja2" not in mods


def test_check_folder_reports_template_errors_with_their_place(office, cli):
    issue(office, "2024-05-13", "本周{{ 办件 }}件，{{ 办结 }}。", data="{办件: 1}")
    result = cli("check", office.root, "--format", "json")
    import json

    report = json.loads(result.stdout)
    codes = [(d["code"], d["line"]) for d in report["diagnostics"]]
    assert ("JB701", 7) in codes and result.exit_code == 1


def test_textwrap_block_scalars_keep_their_lines(office):
    text = textwrap.dedent("""\
        number: 3
        date: 2024-05-13
        data: {a: 1}
        body: |-
          第一行{{ a }}
          第二行
        """)
    p = office.issue(text)
    # each line of a block is its own paragraph (issue 12), and the template in the first still resolves
    assert prepare(p).bulletin.issue.body == ["第一行1", "第二行"]


def test_the_readme_example_a_weekly_figure_and_its_running_total(office):
    """README: add 好差评 to this week's data; next week types only its own figure."""
    sentence = "本周收到差评{{ 好差评.差评 }}条，今年以来累计{{ ytd.好差评.差评 }}条。"
    first = issue(office, "2024-05-13", sentence, number=18, data="{好差评: {差评: 3}}", carry="{好差评: {差评: 40}}")
    nxt = issue(office, "2024-05-20", sentence, number=19, data="{好差评: {差评: 5}}")
    assert printed(first) == "本周收到差评3条，今年以来累计43条。"
    assert printed(nxt) == "本周收到差评5条，今年以来累计48条。"
    issue(office, "2024-05-13", sentence, number=18, data="{好差评: {差评: 4}}", carry="{好差评: {差评: 40}}")
    assert printed(nxt) == "本周收到差评5条，今年以来累计49条。"  # a corrected week flows into the next


def test_the_text_lint_reads_the_printed_text_even_when_another_rule_fails(office, cli):
    """jianbao check lints a file again after a lint error: templates must not be linted as typed
    (the half-width "(" and "," of pct(a, 2) would be JB201)."""
    issue(office, "2024-05-13", "占比{{ 手册.完成 | pct(手册.总数, 2) }}。\n      - 待填",
          data="{手册: {完成: 1159, 总数: 1645}}")
    result = cli("check", office.root / "issues" / "2024-05-13.yaml", "--format", "json")
    import json

    codes = [d["code"] for d in json.loads(result.stdout)["diagnostics"]]
    assert codes == ["JB205"] and result.exit_code == 1


# --- both forms of every figure function (issue 11) ------------------------------------------------------

BOTH_FORMS = [
    ("{{ pct(完成, 总数) }}", "{{ 完成 | pct(总数) }}", "70.46%"),
    ("{{ pct(完成, 总数, 1) }}", "{{ 完成 | pct(总数, 1) }}", "70.5%"),
    ("{{ change(办件, prev.办件) }}", "{{ 办件 | change(prev.办件) }}", "增长12.5%"),
    ("{{ num(完成, 2) }}", "{{ 完成 | num(2) }}", "1159.00"),
    ("{{ num(完成, grouping=True) }}", "{{ 完成 | num(grouping=True) }}", "1,159"),
    ("{{ cn(number) }}", "{{ number | cn }}", "十二"),
    ("{{ cndate(date) }}", "{{ date | cndate }}", "2024年5月13日"),
    ("{{ md(date) }}", "{{ date | md }}", "5月13日"),
    ("{{ range_cn(period.start, date) }}", "{{ period.start | range_cn(date) }}", "5月6日—5月13日"),
]


@pytest.mark.parametrize("called, filtered, expected", BOTH_FORMS)
def test_every_figure_function_works_called_and_as_a_filter(office, called, filtered, expected):
    issue(office, "2024-05-06", number=11, data="{办件: 80}")
    now = issue(office, "2024-05-13", f"'甲{called}，乙{filtered}。'", number=12,
                data="{完成: 1159, 总数: 1645, 办件: 90}",
                extra="period: {start: 2024-05-06, end: 2024-05-10}\n")
    assert printed(now) == f"甲{expected}，乙{expected}。"


@pytest.mark.parametrize("text, message, hint", [
    ("{{ percent(完成, 总数) }}", "没有名为 percent 的函数", "是不是要写 pct？写作 {{ pct(部分, 总数) }} 或 {{ 部分 | pct(总数) }}"),
    ("{{ 完成 | percent(总数) }}", "没有名为 percent 的过滤器", "是不是要写 pct？写作 {{ 部分 | pct(总数) }}"),
    ("{{ 完成 | pcr(总数) }}", "没有名为 pcr 的过滤器", "是不是要写 pct？"),
    ("{{ 增长(完成, 总数) }}", "没有名为 增长 的函数", "是不是要写 change？写作 {{ change(本期, 上期) }}"),
    ("{{ date | cn_date }}", "没有名为 cn_date 的过滤器", "是不是要写 cndate？写作 {{ date | cndate }}"),
    ("{{ 完成 | pct }}", "pct 的参数不对", "写作 {{ pct(部分, 总数) }} 或 {{ 部分 | pct(总数) }}"),
    ("{{ md() }}", "md 的参数不对", "{{ date | md }}"),
    ("{{ 完成 | upperr }}", "没有名为 upperr 的过滤器", "是不是要写 upper？可用的过滤器："),
])
def test_an_unknown_or_misused_function_suggests_the_right_form(office, text, message, hint):
    now = issue(office, "2024-05-13", f"'共{text}。'", data="{完成: 1159, 总数: 1645}")
    (d,) = errors(now)
    assert d.code in ("JB701", "JB702", "JB706") and message in d.message and hint in d.hint
    assert d.line == 7 and d.column == 11  # at the {{ … }}


def test_a_data_name_may_not_take_a_function_name(office):
    now = issue(office, "2024-05-13", "共{{ 完成 }}。", data="{pct: 1, 完成: 2}")
    (d,) = errors(now)
    assert d.code == "JB707" and "pct" in d.message


@pytest.mark.parametrize("typed, right", [("1,620", "1620"), ("１５９８", "1598"), ("1520件", "1520"),
                                          ("1，620", "1620"), ("98.5%", "98.5")])
def test_a_figure_typed_as_text_says_how_to_write_it_and_only_there(office, typed, right):
    # not also “data 中的“办件”下没有“受理”” at the template that uses it (JB701): the figure is there
    p = issue(office, "2024-05-13", "本周共受理{{ 办件.受理 }}件，办结{{ 办件.办结 }}件。",
              extra=f"data:\n  办件:\n    受理: {typed}\n    办结: 1498\n")
    (d,) = errors(p)
    assert d.code == "JB102" and d.line == 5
    assert f"写作 {right}" in d.hint, d.hint
