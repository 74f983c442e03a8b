"""Bad input: a Chinese message with a code, file:line:column, the line with a caret and a hint;
exit status 1; no traceback; no output file; the source file unchanged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ISSUE, Office

CASES = {
    # name: (issue text, code, line, column, words the message or hint must contain)
    "yaml-syntax": ("number: 3\ndate: 2024-05-13\ntitle: \"关于问题\n", "JB003", 3, None, ["YAML"]),
    "prose-colon": ("number: 3\ndate: 2024-05-13\ntitle: 关于: 问题\n", "JB020", 3, 10, ["全角“：”", "加引号"]),
    "missing-field": ("number: 3\nsections: []\n", "JB101", None, None, ["date", "印发日期"]),
    "wrong-type": ("number: 第三期\ndate: 2024-05-13\n", "JB102", 1, 9, ["整数"]),
    "unknown-key": ("nubmer: 3\nnumber: 3\ndate: 2024-05-13\n", "JB103", 1, 1, ["nubmer", "number"]),
    "impossible-date": ("number: 3\ndate: 2024-05-13\nperiod:\n  start: 2024-04-29\n  end: 2024-04-31\n",
                        "JB104", 5, 8, ["2024-04-31", "2024-04-30"]),
    "number-as-date": ("number: 3\ndate: 20240513\n", "JB105", 2, 7, ["2024-05-13"]),
    "period-order": ("number: 3\ndate: 2024-05-13\nperiod:\n  start: 2024-05-10\n  end: 2024-05-06\n",
                     "JB106", 5, 8, ["早于"]),
    "date-before-period-end": ("number: 3\ndate: 2024-05-08\nperiod:\n  start: 2024-05-06\n  end: 2024-05-10\n",
                               "JB107", 2, 7, ["早于"]),
    "typed-numeral": ("number: 3\ndate: 2024-05-13\nsections:\n  - title: 动态\n    items:\n      - （一）本周召开会议。\n",
                      "JB110", 6, 9, ["（一）", "删除"]),
    "typed-numeral-section": ("number: 3\ndate: 2024-05-13\nsections:\n  - title: 一、动态\n", "JB110", 4, 12, ["一、"]),
    "five-levels": ("number: 3\ndate: 2024-05-13\nsections:\n  - title: 一级\n    items:\n      - title: 二级\n"
                    "        items:\n          - title: 三级\n            items:\n              - title: 四级\n"
                    "                items: [五级]\n", "JB109", 11, 17, ["四级"]),
    "title-and-lead": ("number: 3\ndate: 2024-05-13\nsections:\n  - title: a\n    lead: b\n", "JB108", 4, 5, ["title"]),
    "zero-number": ("number: 0\ndate: 2024-05-13\n", "JB111", 1, 9, ["1"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_issue_gives_a_located_chinese_diagnostic(office: Office, cli, name):
    text, code, line, col, words = CASES[name]
    path = office.issue(text)
    before = path.read_bytes()
    result = cli("build", path)
    assert result.exit_code == 1
    err = result.stderr
    assert f"错误 {code}" in err
    where = f"{path}:{line}" + (f":{col}" if col else "") if line else str(path)
    assert where in err
    for word in words:
        assert word in err
    if line:
        assert f" {line} | " in err and "^" in err  # the source line with a caret
    assert "提示" in err
    assert "Traceback" not in err
    assert not (office.root / "build").exists()
    assert path.read_bytes() == before


def test_missing_settings_file(tmp_path, cli):
    p = tmp_path / "2024-05-13.yaml"
    p.write_text(ISSUE, encoding="utf-8")
    result = cli("build", p)
    assert result.exit_code == 1
    assert "JB007" in result.stderr and "jianbao.yaml" in result.stderr and "jianbao init" in result.stderr


def test_unreadable_file(office: Office, cli, monkeypatch):
    import os

    path = office.issue()
    real = os.open

    def denied(name, *args, **kwargs):  # (tests run as root, where chmod 000 denies nothing)
        if Path(name).name == path.name:
            raise PermissionError(13, "Permission denied")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    result = cli("build", path)
    assert result.exit_code == 1
    assert "JB001" in result.stderr and "无法读取" in result.stderr and "Traceback" not in result.stderr


def test_nonexistent_file(office: Office, cli):
    result = cli("build", office.root / "issues" / "2099-01-01.yaml")
    assert result.exit_code == 1 and "JB001" in result.stderr and "不存在" in result.stderr


def test_all_errors_of_a_file_are_reported_at_once(office: Office, cli):
    path = office.issue("number: x\ndate: 2024-05-13\nsubtitel: 副题\n")
    err = cli("build", path).stderr
    assert "JB102" in err and "JB103" in err and "subtitle" in err


def test_error_in_settings_points_into_jianbao_yaml(tmp_path, cli):
    o = Office(tmp_path / "o", series="name: 动态\neditr: 中心\n")
    err = cli("build", o.issue()).stderr
    assert "jianbao.yaml:2:1" in err and "JB103" in err and "editor" in err


def test_usage_error_exit_status_is_2(cli):
    assert cli("build", "--no-such-option").exit_code == 2


def test_no_traceback_from_the_real_command(office: Office):
    """The installed entry point, in a real process: the message and status, never a traceback."""
    path = office.issue("number: 3\ndate: 2024-02-30\n")
    r = subprocess.run([sys.executable, "-m", "jianbao", "build", str(path)], capture_output=True, text=True)
    assert r.returncode == 1
    assert "JB104" in r.stderr and "2024年2月只有29天" in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_unknown_key_in_a_table_suggests_table_fields(office: Office, cli):
    path = office.issue("number: 3\ndate: 2024-05-13\nbody:\n  - table:\n      caption: 表\n      header: [a, b]\n"
                        "      rows: [[1, 2]]\n      totl: true\n")
    err = cli("check", path).stderr
    assert "JB103" in err and "totl" in err and "total" in err and f"{path}:8:7" in err


@pytest.mark.parametrize("typed,field,right", [
    ("5月6日", "start", "start: 2024-05-06"),  # the year of the issue's date
    ("5.6", "start", "start: 2024-05-06"),
    ("20240513", "date", "date: 2024-05-13"),
    ("5.20", "date", None),  # no year to go by: the general hint, and what was typed, not YAML's 5.13 float
])
def test_a_date_written_the_office_way_says_how_to_write_it(office: Office, cli, typed, field, right):
    text = ("number: 3\ndate: 2024-05-13\nperiod:\n  start: {s}\n  end: 2024-05-10\n" if field == "start"
            else "number: 3\ndate: {s}\n").format(s=typed)
    r = cli("check", office.issue(text))
    assert r.exit_code == 1 and "错误 JB105" in r.stderr
    assert f"：{typed}" in r.stderr, r.stderr  # the date as typed
    if right:
        assert f"写作 {right}" in r.stderr, r.stderr
