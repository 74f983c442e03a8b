"""``jianbao new``: the next issue file, worked out from the latest one and the holiday calendar."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, Office
from jianbao.diagnostics import JianbaoError
from jianbao.scaffold import PLACEHOLDER, yaml_scalar

D = dt.date


def put(office: Office, date: str, number: int, *, total: int | None = None, period: tuple[str, str] | None = None,
        supplement: bool = False, sections: list | None = None, **extra) -> Path:
    """Write one valid issue file into the office."""
    data: dict = {"number": number}
    if total is not None:
        data["total"] = total
    if supplement:
        data["supplement"] = True
    data["date"] = D.fromisoformat(date)
    if period:
        data["period"] = {"start": D.fromisoformat(period[0]), "end": D.fromisoformat(period[1])}
    data.update(extra)
    data["sections"] = sections if sections is not None else [{"title": "工作动态", "items": ["本周召开专题会议。"]}]
    name = f"{date}-zk.yaml" if supplement else f"{date}.yaml"
    return office.issue(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), name)


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def written(result, office: Office) -> Path:
    """The path `new` printed on stdout, checked to be a file in the office's issues/."""
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout
    path = Path(lines[0])
    if not path.is_absolute():
        path = Path.cwd() / path
    assert path.is_file()
    assert path.resolve().parent == (office.root / "issues").resolve()
    return path


def assert_only_placeholders_left(path: Path) -> None:
    """The file passes every check of `prepare` except the reminders of what is still to fill in."""
    from jianbao.pipeline import prepare

    try:
        prepare(path)
    except JianbaoError as exc:
        assert {d.code for d in exc.diagnostics} == {"JB205"}, exc
    assert "待填" in path.read_text(encoding="utf-8")


@pytest.fixture
def seed(tmp_path: Path) -> Office:
    """A copy of the example office: the seed issue of 2024-05-13 (period 2024-04-29—2024-04-30)."""
    root = tmp_path / "seed"
    root.mkdir()
    shutil.copy(ROOT / "jianbao.yaml", root / "jianbao.yaml")
    (root / "issues").mkdir()
    shutil.copy(ROOT / "issues" / "2024-05-13.yaml", root / "issues" / "2024-05-13.yaml")
    return _existing(root)


def _existing(root: Path) -> Office:
    office = Office.__new__(Office)
    office.root = root
    return office


# --- the worked example ------------------------------------------------------------------

def test_seed_worked_example(seed: Office, cli):
    result = cli("new", seed.root)
    path = written(result, seed)
    assert path.name == "2024-05-20.yaml"
    data = load(path)
    assert data["number"] == 19 and data["total"] == 357
    assert data["date"] == D(2024, 5, 20)
    assert data["period"] == {"start": D(2024, 5, 6), "end": D(2024, 5, 11)}  # Sat 11 May was worked
    assert "supplement" not in data
    prev = load(seed.root / "issues" / "2024-05-13.yaml")
    assert [s["title"] for s in data["sections"]] == [s["title"] for s in prev["sections"]]
    for s in data["sections"][:4]:  # no templates: one placeholder each
        texts = s.get("items") or [s["body"]]
        assert texts == [PLACEHOLDER]
    # section 五 uses templates: its templated sentences come along, the other text is 待填 (issue 11)
    five = data["sections"][4]["items"]
    assert [i["title"] for i in five] == ["省本级综窗办件情况", "事项授权及受理手册编制推进情况"]
    assert five[0]["body"] == [prev["sections"][4]["items"][0]["body"]]
    assert five[1]["body"] == [PLACEHOLDER + "截至目前，共完成{{ 手册.完成 }}个办理项的受理工作手册编制，"
                                             "占比{{ 手册.完成 | pct(手册.总数) }}。"]
    # data: last week's groups and keys, each 待填, last week's value in a comment; no carry
    assert data["data"] == {"综窗": {"咨询": "待填", "受理": "待填", "颁发": "待填", "流转": "待填"},
                            "手册": {"完成": "待填", "总数": "待填"}}
    assert "    咨询: 待填  # 上期 1142\n" in path.read_text(encoding="utf-8")
    assert "carry" not in data
    body_only = [s for s in data["sections"] if s["title"] == "厅（局）长进大厅"]
    assert body_only and "items" not in body_only[0]  # a body-only section stays body-only
    # series keys stay in jianbao.yaml
    assert not {"name", "editor", "copies", "distribution", "separator", "layout"} & set(data)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/issue.schema.json\n")
    assert_only_placeholders_left(path)
    assert "待填" in result.stderr or "已新建" in result.stderr


def test_new_twice_continues_the_series(seed: Office, cli):
    first = written(cli("new", seed.root), seed)
    second = written(cli("new", seed.root), seed)
    assert first.name == "2024-05-20.yaml" and second.name == "2024-05-27.yaml"
    data = load(second)
    assert (data["number"], data["total"]) == (20, 358)
    assert data["period"] == {"start": D(2024, 5, 13), "end": D(2024, 5, 17)}


# --- holidays and year ends --------------------------------------------------------------

@pytest.mark.parametrize(
    ("prev_date", "prev_period", "date", "period"),
    [
        # May Day 2024: Sun 28 Apr worked, 1–5 May off, Sat 11 May worked.
        ("2024-04-29", ("2024-04-22", "2024-04-28"), "2024-05-06", ("2024-04-29", "2024-04-30")),
        ("2024-05-06", ("2024-04-29", "2024-04-30"), "2024-05-13", ("2024-05-06", "2024-05-11")),
        # May Day 2025: Sun 27 Apr worked, 1–5 May off.
        ("2025-04-28", ("2025-04-21", "2025-04-27"), "2025-05-06", ("2025-04-28", "2025-04-30")),
        ("2025-05-06", ("2025-04-28", "2025-04-30"), "2025-05-13", ("2025-05-06", "2025-05-09")),
        # National Day 2024: Sun 29 Sep and Sat 12 Oct worked, 1–7 Oct off.
        ("2024-09-30", ("2024-09-23", "2024-09-29"), "2024-10-08", ("2024-09-30", "2024-09-30")),
        ("2024-10-08", ("2024-09-30", "2024-09-30"), "2024-10-15", ("2024-10-08", "2024-10-12")),
        # National Day + Mid-Autumn 2025: Sun 28 Sep and Sat 11 Oct worked, 1–8 Oct off.
        ("2025-09-29", ("2025-09-22", "2025-09-28"), "2025-10-09", ("2025-09-29", "2025-09-30")),
        ("2025-10-09", ("2025-09-29", "2025-09-30"), "2025-10-16", ("2025-10-09", "2025-10-11")),
    ],
)
def test_new_over_national_holidays(office: Office, cli, prev_date, prev_period, date, period):
    put(office, prev_date, 30, total=300, period=prev_period)
    path = written(cli("new", office.root), office)
    data = load(path)
    assert path.name == f"{date}.yaml"
    assert data["date"] == D.fromisoformat(date)
    assert data["period"] == {"start": D.fromisoformat(period[0]), "end": D.fromisoformat(period[1])}
    assert (data["number"], data["total"]) == (31, 301)
    assert data["period"]["end"] <= data["date"]
    assert_only_placeholders_left(path)


@pytest.mark.parametrize(
    ("prev_date", "prev_period", "date", "period"),
    [
        ("2024-12-30", ("2024-12-23", "2024-12-27"), "2025-01-06", ("2024-12-30", "2025-01-03")),
        # Sun 4 Jan 2026 was a make-up working day
        ("2025-12-29", ("2025-12-22", "2025-12-26"), "2026-01-05", ("2025-12-29", "2026-01-04")),
    ],
)
def test_new_across_a_year_end_restarts_number_and_continues_total(office: Office, cli, prev_date, prev_period,
                                                                    date, period):
    put(office, "2024-01-08", 1, total=349)  # an older issue: the latest one counts
    put(office, prev_date, 52, total=400, period=prev_period)
    path = written(cli("new", office.root), office)
    data = load(path)
    assert path.name == f"{date}.yaml"
    assert data["number"] == 1
    assert data["total"] == 401
    assert data["period"] == {"start": D.fromisoformat(period[0]), "end": D.fromisoformat(period[1])}


def test_after_an_issue_that_reported_on_its_own_week_the_period_is_cut_at_the_date(office: Office, cli):
    put(office, "2024-09-30", 1)  # no period: the next one starts after 30 Sep, i.e. on 8 Oct
    path = written(cli("new", office.root), office)
    data = load(path)
    assert path.name == "2024-10-08.yaml"  # + 7 days = 7 Oct, a holiday
    # the week of 8 Oct runs to the make-up Saturday 12 Oct, after the date: cut back to the date
    assert data["period"] == {"start": D(2024, 10, 8), "end": D(2024, 10, 8)}
    nxt = load(written(cli("new", office.root), office))
    assert nxt["date"] == D(2024, 10, 15)
    assert nxt["period"] == {"start": D(2024, 10, 9), "end": D(2024, 10, 12)}  # no working day lost


def test_an_issue_without_period_is_followed_from_its_date(office: Office, cli):
    put(office, "2024-05-13", 18)  # no period, no total
    data = load(written(cli("new", office.root), office))
    assert data["period"] == {"start": D(2024, 5, 14), "end": D(2024, 5, 17)}
    assert data["date"] == D(2024, 5, 20)
    assert "total" not in data


# --- --date ------------------------------------------------------------------------------

def test_date_overrides_and_the_period_is_clamped_to_it(office: Office, cli):
    put(office, "2024-05-07", 18, period=("2024-04-29", "2024-04-30"))
    path = written(cli("new", office.root, "--date", "2024-05-09"), office)
    data = load(path)
    assert path.name == "2024-05-09.yaml"
    assert data["date"] == D(2024, 5, 9)
    # the period still follows the previous one (6 May on) but may not end after the date
    assert data["period"] == {"start": D(2024, 5, 6), "end": D(2024, 5, 9)}
    assert data["number"] == 19


def test_date_later_than_usual_keeps_the_period(seed: Office, cli):
    data = load(written(cli("new", seed.root, "--date", "2024-05-22"), seed))
    assert data["period"] == {"start": D(2024, 5, 6), "end": D(2024, 5, 11)}


def test_date_before_the_next_period_writes_no_period_and_warns(office: Office, cli):
    put(office, "2024-04-30", 17, period=("2024-04-22", "2024-04-30"))
    result = cli("new", office.root, "--date", "2024-05-04")  # a Saturday in the May Day holiday
    data = load(written(result, office))
    assert "period" not in data
    assert "警告 JB608" in result.stderr and "警告 JB607" in result.stderr
    assert "星期六" in result.stderr


def test_date_not_after_the_latest_issue_is_refused(seed: Office, cli):
    result = cli("new", seed.root, "--date", "2024-05-10")
    assert result.exit_code == 1
    assert "错误 JB605" in result.stderr and "2024-05-13.yaml" in result.stderr
    assert sorted(p.name for p in (seed.root / "issues").iterdir()) == ["2024-05-13.yaml"]


@pytest.mark.parametrize(("value", "code"), [("2024-02-30", "JB104"), ("下周一", "JB105")])
def test_bad_date_is_a_usage_error(seed: Office, cli, value, code):
    result = cli("new", seed.root, "--date", value)
    assert result.exit_code == 2
    assert f"错误 {code}" in result.stderr and "--date" in result.stderr
    assert "Traceback" not in result.stderr


def test_date_accepts_chinese_form(seed: Office, cli):
    path = written(cli("new", seed.root, "--date", "2024年5月21日"), seed)
    assert path.name == "2024-05-21.yaml"


# --- never overwrite ---------------------------------------------------------------------

def test_never_overwrites_an_existing_issue(seed: Office, cli):
    target = seed.root / "issues" / "2024-05-20.yaml"
    target.write_text("# 已经写了一半的下一期\n", encoding="utf-8")
    before = target.read_bytes()
    result = cli("new", seed.root, "--date", "2024-05-20")
    assert result.exit_code == 1
    assert "错误 JB601" in result.stderr
    assert str(target) in result.stderr or "issues/2024-05-20.yaml" in result.stderr
    assert "不会覆盖" in result.stderr
    assert result.stdout == ""
    assert target.read_bytes() == before


def test_never_overwrites_a_yml_twin(seed: Office, cli):
    twin = seed.root / "issues" / "2024-05-20.yml"
    twin.write_text("number: 19\ndate: 2024-05-20\n", encoding="utf-8")
    result = cli("new", seed.root, "--date", "2024-05-20")
    assert result.exit_code == 1 and "JB601" in result.stderr and "2024-05-20.yml" in result.stderr
    assert not (seed.root / "issues" / "2024-05-20.yaml").exists()


def test_computed_name_taken_is_refused_too(seed: Office, cli):
    # staff copied last week's file to next week's name and have not changed it yet
    taken = seed.root / "issues" / "2024-05-20.yaml"
    shutil.copy(seed.root / "issues" / "2024-05-13.yaml", taken)
    before = taken.read_bytes()
    result = cli("new", seed.root)
    assert result.exit_code == 1 and "错误 JB601" in result.stderr and "2024-05-20.yaml" in result.stderr
    assert taken.read_bytes() == before


# --- 增刊 ----------------------------------------------------------------------------------

def test_supplements_are_numbered_on_their_own(office: Office, cli):
    put(office, "2024-05-13", 18, total=356, period=("2024-05-06", "2024-05-10"))
    put(office, "2024-03-01", 1, total=340, supplement=True)
    put(office, "2024-04-10", 2, total=350, supplement=True, title="关于……的经验做法",
        sections=[{"title": "主要做法", "items": ["整合表单。"]}, {"lead": "成效明显。", "body": "满意率提升。"}])
    result = cli("new", office.root, "--supplement", "--date", "2024-05-15")
    path = written(result, office)
    assert path.name == "2024-05-15-zk.yaml"
    data = load(path)
    assert data["supplement"] is True
    assert data["number"] == 3  # after 增刊第2期, whatever the regular numbers are
    assert data["total"] == 357
    assert "period" not in data
    assert "待填" in str(data["title"])
    assert data["sections"] == [{"title": "主要做法", "items": [PLACEHOLDER]}, {"lead": "成效明显。", "body": PLACEHOLDER}]
    assert_only_placeholders_left(path)
    # the regular numbering is not disturbed by the 增刊
    regular = load(written(cli("new", office.root), office))
    assert regular["number"] == 19 and regular["total"] == 358 and "supplement" not in regular


def test_first_supplement_of_a_year_is_number_one(office: Office, cli):
    put(office, "2023-12-25", 52, period=("2023-12-18", "2023-12-22"))
    put(office, "2023-11-02", 5, supplement=True)
    put(office, "2024-01-02", 1, period=("2023-12-25", "2023-12-29"))
    data = load(written(cli("new", office.root, "--supplement", "--date", "2024-01-10"), office))
    assert data["number"] == 1 and data["supplement"] is True


def test_supplement_without_date_takes_the_working_day_after_the_latest_issue(seed: Office, cli):
    path = written(cli("new", seed.root, "--supplement"), seed)
    assert path.name == "2024-05-14-zk.yaml"
    data = load(path)
    assert data["number"] == 1 and data["total"] == 357
    assert "period" not in data
    assert "# period:" in path.read_text(encoding="utf-8")  # offered, commented out
    # the next regular issue follows the regular one, and its total comes after the 增刊's
    regular = load(written(cli("new", seed.root), seed))
    assert (regular["number"], regular["total"], regular["date"]) == (19, 358, D(2024, 5, 20))
    assert regular["period"] == {"start": D(2024, 5, 6), "end": D(2024, 5, 11)}
    # a second 增刊 goes after the latest issue of either kind (Tue 21 May)
    again = written(cli("new", seed.root, "--supplement"), seed)
    assert again.name == "2024-05-21-zk.yaml" and load(again)["number"] == 2


def test_supplement_over_a_holiday(office: Office, cli):
    put(office, "2024-09-30", 40, period=("2024-09-23", "2024-09-29"))
    path = written(cli("new", office.root, "--supplement"), office)
    assert path.name == "2024-10-08-zk.yaml"  # 1–7 October off


# --- --from ------------------------------------------------------------------------------

def test_from_file_gives_the_sections_and_the_office_gives_the_numbers(seed: Office, cli, tmp_path):
    model = tmp_path / "样板.yaml"
    model.write_text(
        "number: 7\ndate: 2023-03-01\nnote: 编者按。\nsections:\n"
        "  - lead: 推进事项管理突破。\n    body: 坚持市级统筹。\n"
        "  - title: 典型经验\n    items: [甲, 乙]\n",
        encoding="utf-8")
    path = written(cli("new", seed.root, "--from", model), seed)
    data = load(path)
    assert (data["number"], data["total"], data["date"]) == (19, 357, D(2024, 5, 20))
    assert data["sections"] == [{"lead": "推进事项管理突破。", "body": PLACEHOLDER},
                                {"title": "典型经验", "items": [PLACEHOLDER]}]
    assert data["note"] == PLACEHOLDER
    assert "样板.yaml" in path.read_text(encoding="utf-8")
    assert_only_placeholders_left(path)


def test_from_an_invalid_file_is_reported(seed: Office, cli, tmp_path):
    model = tmp_path / "bad.yaml"
    model.write_text("number: 7\ndate: 2023-02-30\n", encoding="utf-8")
    result = cli("new", seed.root, "--from", model)
    assert result.exit_code == 1 and "JB104" in result.stderr and "bad.yaml" in result.stderr
    assert sorted(p.name for p in (seed.root / "issues").iterdir()) == ["2024-05-13.yaml"]


def test_tricky_headings_are_written_as_safe_yaml(seed: Office, cli, tmp_path):
    titles = ["a: b", "#不是注释", "yes", "- 横线开头", "“引号”和 'single' \"double\"", "null", "2024-05-13", "[方括号]",
              "{花括号}", "&锚点", "*别名", "!标签", "%百分号", "@at", "`反引号`", "行尾冒号:", " 前后空格 "]
    model = tmp_path / "tricky.yaml"
    model.write_text(yaml.safe_dump({"number": 1, "date": D(2024, 1, 2),
                                     "sections": [{"title": t, "items": ["x"]} for t in titles]},
                                    allow_unicode=True), encoding="utf-8")
    path = written(cli("new", seed.root, "--from", model), seed)
    assert [s["title"] for s in load(path)["sections"]] == titles


# --- no previous issue -------------------------------------------------------------------

def test_no_previous_issue_needs_a_date(office: Office, cli):
    result = cli("new", office.root)
    assert result.exit_code == 1
    assert "错误 JB604" in result.stderr and "--date" in result.stderr
    assert list((office.root / "issues").iterdir()) == []


def test_first_issue_with_a_date(office: Office, cli):
    path = written(cli("new", office.root, "--date", "2024-05-13"), office)
    assert path.name == "2024-05-13.yaml"
    data = load(path)
    assert data["number"] == 1 and data["date"] == D(2024, 5, 13)
    assert "total" not in data and "period" not in data
    assert len(data["sections"]) == 1 and "待填" in data["sections"][0]["title"]
    assert data["sections"][0]["items"] == [PLACEHOLDER]
    text = path.read_text(encoding="utf-8")
    assert "# period:" in text and "2024-05-06" in text  # last week's working days, offered commented out
    assert_only_placeholders_left(path)


def test_first_issue_creates_a_missing_issues_folder(tmp_path, cli):
    root = tmp_path / "o"
    root.mkdir()
    (root / "jianbao.yaml").write_text("name: 测试\neditor: 测试中心\n", encoding="utf-8")
    office = _existing(root)
    path = written(cli("new", root, "--date", "2024-05-13"), office)
    assert path.resolve() == (root / "issues" / "2024-05-13.yaml").resolve()


# --- where the office is -----------------------------------------------------------------

def test_path_may_be_the_issues_folder(seed: Office, cli):
    path = written(cli("new", seed.root / "issues"), seed)
    assert path.name == "2024-05-20.yaml"


def test_default_office_is_found_from_the_current_folder(seed: Office, cli, monkeypatch):
    monkeypatch.chdir(seed.root / "issues")
    result = cli("new")
    path = written(result, seed)
    assert result.stdout.strip() == "2024-05-20.yaml"  # shown relative to where the user is
    assert path.name == "2024-05-20.yaml"


def test_no_office_found(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("new")
    assert result.exit_code == 1 and "错误 JB007" in result.stderr and "jianbao init" in result.stderr


def test_missing_folder(tmp_path, cli):
    result = cli("new", tmp_path / "没有这个文件夹")
    assert result.exit_code == 1 and "错误 JB001" in result.stderr and "没有这个文件夹" in result.stderr


def test_an_invalid_issue_in_the_office_stops_new(seed: Office, cli):
    bad = seed.issue("number: 17\ndate: 2024-04-31\n", "2024-04-31.yaml")
    result = cli("new", seed.root)
    assert result.exit_code == 1
    assert "错误 JB104" in result.stderr and str(bad.name) in result.stderr
    assert "先改正" in result.stderr
    assert not (seed.root / "issues" / "2024-05-20.yaml").exists()


# --- beyond the calendar -----------------------------------------------------------------

def test_beyond_the_calendar_without_date_is_refused(office: Office, cli):
    from jianbao.workdays import known_years

    last = known_years().stop - 1
    put(office, f"{last}-12-28", 50, period=(f"{last}-12-21", f"{last}-12-25"))
    result = cli("new", office.root)
    assert result.exit_code == 1
    assert "错误 JB602" in result.stderr and str(last + 1) in result.stderr and "--date" in result.stderr
    assert len(list((office.root / "issues").iterdir())) == 1


def test_beyond_the_calendar_with_date_warns_and_writes(office: Office, cli):
    from jianbao.workdays import known_years

    last = known_years().stop - 1
    put(office, f"{last}-12-21", 50, total=500, period=(f"{last}-12-14", f"{last}-12-18"))
    date = D(last + 1, 1, 8)
    result = cli("new", office.root, "--date", date.isoformat())
    data = load(written(result, office))
    assert "警告 JB606" in result.stderr and str(last + 1) in result.stderr
    assert data["date"] == date and data["number"] == 1 and data["total"] == 501
    assert data["period"]["end"] <= date


# --- templates ---------------------------------------------------------------------------

def test_an_office_template_is_used_and_checked(seed: Office, cli):
    own = seed.root / "templates" / "scaffold"
    own.mkdir(parents=True)
    (own / "issue.yaml.j2").write_text(
        "# 本单位模板\nnumber: {{ number|yaml }}\ndate: {{ date|yaml }}\nsections:\n"
        "  - title: 本周要闻\n    items: [{{ placeholder|yaml }}]\n", encoding="utf-8")
    path = written(cli("new", seed.root), seed)
    assert path.read_text(encoding="utf-8").startswith("# 本单位模板\n")
    assert load(path)["sections"] == [{"title": "本周要闻", "items": [PLACEHOLDER]}]

    (own / "issue.yaml.j2").write_text("number: {{ number|yaml }}\nnubmer: 1\ndate: {{ date|yaml }}\n", encoding="utf-8")
    result = cli("new", seed.root)
    assert result.exit_code == 1 and "JB103" in result.stderr and "尚未写入" in result.stderr
    assert not (seed.root / "issues" / "2024-05-27.yaml").exists()

    (own / "issue.yaml.j2").write_text("number: {{ numbr }}\n", encoding="utf-8")
    result = cli("new", seed.root)
    assert result.exit_code == 1 and "错误 JB609" in result.stderr and "numbr" in result.stderr


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
       | st.sampled_from(["", " ", "~", "yes", "No", "0x1F", "1e3", ".inf", "a #b", "'", '"', "\\", "a\nb"])
       | st.integers() | st.dates() | st.booleans())
def test_yaml_scalar_round_trips(value):
    text = yaml_scalar(value)
    assert "\n" not in text
    assert yaml.safe_load(f"k: {text}  # 注释\n")["k"] == value


# --- a long run --------------------------------------------------------------------------

def test_a_run_of_issues_over_national_day_and_new_year_is_seamless(office: Office, cli):
    """Thirty `new` in a row: periods tile the working days, numbers restart in January, totals run on."""
    from jianbao.workdays import official_workday, workday_after

    put(office, "2024-09-02", 30, total=300, period=("2024-08-26", "2024-08-30"))
    for _ in range(30):
        path = written(cli("new", office.root), office)
        path.write_text(path.read_text(encoding="utf-8").replace(PLACEHOLDER, f"{path.stem}的工作情况。"),
                        encoding="utf-8")
    issues = sorted((load(p) for p in (office.root / "issues").glob("*.yaml")), key=lambda d: d["date"])
    assert len(issues) == 31 and issues[-1]["date"].year == 2025
    for prev, cur in zip(issues, issues[1:]):
        assert cur["period"]["start"] == workday_after(prev["period"]["end"])
        assert cur["period"]["end"] <= cur["date"] and official_workday(cur["date"])
        assert cur["date"] >= prev["date"] + dt.timedelta(days=7)
        assert cur["total"] == prev["total"] + 1
        same_year = cur["date"].year == prev["date"].year
        assert cur["number"] == (prev["number"] + 1 if same_year else 1)
    result = cli("check", office.root / "issues")
    assert result.exit_code == 0, result.stderr


# --- the figures skeleton carried forward (issue 11) -----------------------------------------

def test_check_reports_each_figure_until_it_is_filled_and_then_the_totals_are_right(seed: Office, cli):
    from jianbao.pipeline import prepare

    path = written(cli("new", seed.root), seed)
    r = cli("check", path)
    assert r.exit_code == 1
    unfilled = [ln for ln in r.stderr.splitlines() if "还没有填" in ln]
    assert len(unfilled) == 6 and "data 中的“综窗.咨询”还没有填" in unfilled[0]
    assert "JB706" not in r.stderr and "JB712" not in r.stderr  # the templates that use them say nothing more
    text = path.read_text(encoding="utf-8")
    for name, value in [("咨询", 1000), ("受理", 400), ("颁发", 3000), ("流转", 4000), ("完成", 1200), ("总数", 1645)]:
        text = text.replace(f"    {name}: 待填", f"    {name}: {value}", 1)
    text = text.replace(PLACEHOLDER + "截至目前", "完成省卫生健康委3个办理项的受理工作手册编制。截至目前")
    text = text.replace(PLACEHOLDER, "本周召开专题会议。")
    path.write_text(text, encoding="utf-8")
    prepared = prepare(path)
    five = prepared.bulletin.issue.sections[4].items
    assert five[0].body[0] == ("本周，共计咨询1000人次、受理400件、颁发3000件、流转4000件次。今年以来，"
                               "累计咨询25276人次、受理10390件、颁发64746件、流转105848次。")  # seed + this week
    assert five[1].body[0].endswith("共完成1200个办理项的受理工作手册编制，占比72.95%。")


def test_a_templated_sentence_comes_along_and_a_table_too(office: Office, cli):
    put(office, "2024-05-13", 3, period=("2024-05-06", "2024-05-10"), data={"办件": {"网办": 9, "总数": 10}},
        sections=[
            {"title": "工作动态", "items": ["本周召开会议。", "网办{{ 办件.网办 }}件。其中市级5件。"]},
            {"lead": "数据。", "body": ["本周网办率{{ 办件.网办 | pct(办件.总数) }}。",
                                       {"table": {"caption": "办件", "header": ["类别", "件数"],
                                                  "rows": [["网办", "{{ 办件.网办 }}"], ["其他", 1]], "total": True}}]},
            {"title": "没有模板", "body": "本周无事。"},
        ])
    path = written(cli("new", office.root), office)
    data = load(path)
    assert data["data"] == {"办件": {"网办": "待填", "总数": "待填"}}
    one, two, three = data["sections"]
    assert one["items"] == [PLACEHOLDER, "网办{{ 办件.网办 }}件。" + PLACEHOLDER]
    assert two["lead"] == "数据。" and two["body"][0] == "本周网办率{{ 办件.网办 | pct(办件.总数) }}。"
    assert two["body"][1] == {"table": {"caption": "办件", "header": ["类别", "件数"],
                                        "rows": [["网办", "{{ 办件.网办 }}"], ["其他", 1]], "total": True}}
    assert three == {"title": "没有模板", "body": PLACEHOLDER}
    assert_only_placeholders_left(path)


def test_new_after_an_issue_still_unfilled_keeps_the_keys(seed: Office, cli):
    first = written(cli("new", seed.root), seed)
    second = written(cli("new", seed.root), seed)
    assert load(second)["data"] == load(first)["data"]
    assert "上期 待填" not in second.read_text(encoding="utf-8")
    # this week's running totals cannot be worked out while last week's figures are 待填
    from jianbao.pipeline import prepare

    with pytest.raises(JianbaoError) as exc:
        prepare(second)
    assert any(d.code == "JB708" and "2024-05-20.yaml" in d.message and "还没有填" in d.message
               for d in exc.value.diagnostics)


def test_a_photo_is_not_carried_but_the_templated_sentence_beside_it_is(office: Office, cli):
    put(office, "2024-05-13", 3, period=("2024-05-06", "2024-05-10"), data={"办件": 9},
        sections=[{"title": "工作动态", "body": ["办件{{ 办件 }}件。", {"image": "照片.jpg", "caption": "图为窗口。"}]}])
    path = written(cli("new", office.root), office)
    assert load(path)["sections"][0]["body"] == ["办件{{ 办件 }}件。", PLACEHOLDER]


def test_the_data_comment_names_a_figure_of_this_office(office: Office, cli):
    # the example in the comment was the sample office's {{ 综窗.受理 }}, a name this office never had
    put(office, "2024-05-13", 3, period=("2024-05-06", "2024-05-10"), data={"办件": {"网办": 9, "总数": 10}},
        sections=[{"title": "工作动态", "items": ["网办{{ 办件.网办 }}件。"]}])
    text = written(cli("new", office.root), office).read_text(encoding="utf-8")
    assert "综窗" not in text
    assert "# 正文里的 {{ 办件.网办 }} 印出这里的数，{{ ytd.办件.网办 }} 是今年以来累计" in text
