"""``jianbao check`` on the command line: exit status, --strict, --format json, and lazy imports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, Office

WARN = "number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    items:\n      - 本周召开会议,研究部署工作。\n"
ERROR = "number: 4\ndate: 2024-05-20\nsections:\n  - title: 工作动态\n    items:\n      - 本周共受理XXX件。\n"
CLEAN = "number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    items: [本周召开会议，研究部署工作。]\n"


def test_clean_file_exits_0(office: Office, cli):
    result = cli("check", office.issue(CLEAN))
    assert result.exit_code == 0
    assert "检查通过：1 个文件" in result.stderr and result.stdout == ""


def test_warnings_do_not_fail_without_strict(office: Office, cli):
    result = cli("check", office.issue(WARN))
    assert result.exit_code == 0
    assert "警告 JB201" in result.stderr
    assert "检查了 1 个文件：0 个错误，1 个警告。" in result.stderr


def test_strict_fails_on_warnings(office: Office, cli):
    result = cli("check", "--strict", office.issue(WARN))
    assert result.exit_code == 1
    assert "--strict" in result.stderr


def test_strict_passes_a_clean_file(office: Office, cli):
    assert cli("check", "--strict", office.issue(CLEAN)).exit_code == 0


def test_errors_exit_1_and_warnings_of_the_same_file_are_shown(office: Office, cli):
    path = office.issue(ERROR.replace("XXX件。", "XXX件,另有半角逗号。"))
    result = cli("check", path)
    assert result.exit_code == 1
    assert "错误 JB205" in result.stderr and "警告 JB201" in result.stderr
    assert f"{path}:6:" in result.stderr


def test_json_output(office: Office, cli):
    office.issue(WARN)
    office.issue(ERROR, name="2024-05-20.yaml")
    result = cli("check", office.root, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"diagnostics", "files", "errors", "warnings"}
    assert (data["files"], data["errors"], data["warnings"]) == (2, 1, 1)
    assert [d["code"] for d in data["diagnostics"]] == ["JB201", "JB205"]
    first = data["diagnostics"][0]
    assert set(first) == {"code", "name", "severity", "message", "file", "line", "column", "hint"}
    assert first["name"] == "halfwidth-punctuation" and first["severity"] == "warning"
    assert first["file"].endswith("2024-05-13.yaml") and (first["line"], first["column"]) == (6, 15)
    assert first["hint"] and "，" in first["hint"]
    assert result.stderr == ""  # json goes to stdout, nothing else is printed


def test_json_of_a_clean_folder(office: Office, cli):
    office.issue(CLEAN)
    result = cli("check", office.root, "-f", "json", "--strict")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"diagnostics": [], "files": 1, "errors": 0, "warnings": 0}


def test_json_reports_invalid_files_too(office: Office, cli):
    office.issue("nubmer: 3\ndate: 2024-05-13\n")
    data = json.loads(cli("check", office.root, "--format", "json").stdout)
    assert data["errors"] >= 1 and {"JB103", "JB101"} <= {d["code"] for d in data["diagnostics"]}


def test_unknown_format_is_a_usage_error(office: Office, cli):
    assert cli("check", office.issue(CLEAN), "--format", "xml").exit_code == 2


def test_settings_warning_is_reported_once_for_a_folder(tmp_path, cli):
    o = Office(tmp_path / "o", series="name: 测试工作动态\neditor: 测试中心\ncopies: 5\n")
    o.issue(CLEAN)
    o.issue(CLEAN.replace("number: 3", "number: 4").replace("05-13", "05-20"), name="2024-05-20.yaml")
    data = json.loads(cli("check", o.root, "--format", "json").stdout)
    assert [d["code"] for d in data["diagnostics"]] == ["JB403"]
    assert data["diagnostics"][0]["file"].endswith("jianbao.yaml")


def test_series_rules_run_on_a_folder(office: Office, cli):
    office.issue(CLEAN)
    office.issue(CLEAN.replace("number: 3", "number: 3").replace("05-13", "05-20"), name="2024-05-20.yaml")
    result = cli("check", office.root)
    assert result.exit_code == 1 and "错误 JB302" in result.stderr


def test_empty_folder(tmp_path, cli):
    (tmp_path / "issues").mkdir()
    result = cli("check", tmp_path)
    assert result.exit_code == 1 and "没有简报文件" in result.stderr


def test_rules_lists_every_code_and_explains_one(cli):
    from jianbao.diagnostics import RULES

    listing = cli("rules").stdout
    assert all(code in listing for code in RULES)
    one = cli("rules", "JB308")
    assert one.exit_code == 0 and "period-gap" in one.stdout and "改法" in one.stdout
    assert cli("rules", "JB999").exit_code == 1


def _imported(*args: str) -> set[str]:
    """Top-level modules imported by ``python -m jianbao ARGS`` run in the example office."""
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "jianbao", *args], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    mods = set()
    for line in r.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            mods.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "jianbao" in mods  # the trace is really there
    return mods


def test_check_does_not_import_python_docx():
    mods = _imported("check", "issues/2024-05-13.yaml")
    assert "docx" not in mods and "lxml" not in mods
    assert "chinese_calendar" not in mods  # only a folder check needs the calendar


def test_help_does_not_import_python_docx():
    mods = _imported("--help")
    assert "docx" not in mods and "pydantic" not in mods


# --- --select / --ignore: one rule or one family at a time, as ruff does -------------------------

MIXED = ("number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    items:\n"
         "      - 本周召开会议,研究部署工作。\n      - 接通率“98.5%。\n")


def codes_of(result) -> list[str]:
    return [d["code"] for d in json.loads(result.stdout)["diagnostics"]]


def test_select_reports_only_the_rules_named_by_code_prefix_or_name(office: Office, cli):
    path = office.issue(MIXED)
    assert codes_of(cli("check", path, "-f", "json")) == ["JB201", "JB214"]
    assert codes_of(cli("check", path, "-f", "json", "--select", "JB214")) == ["JB214"]
    assert codes_of(cli("check", path, "-f", "json", "--select", "JB20")) == ["JB201"]
    assert codes_of(cli("check", path, "-f", "json", "--select", "unmatched-quotes,JB201")) == ["JB201", "JB214"]
    assert codes_of(cli("check", path, "-f", "json", "--select", "JB7")) == []
    assert cli("check", path, "--select", "JB7", "--strict").exit_code == 0  # nothing selected is wrong
    assert cli("check", path, "--select", "JB2", "--strict").exit_code == 1


def test_ignore_drops_warnings_but_never_errors(office: Office, cli):
    path = office.issue(ERROR.replace("XXX件。", "XXX件,另有半角逗号。"))
    result = cli("check", path, "-f", "json", "--ignore", "JB201", "--ignore", "JB205")
    assert codes_of(result) == ["JB205"] and result.exit_code == 1  # JB205 is an error: still said
    assert cli("check", office.issue(MIXED), "--ignore", "JB2", "--strict").exit_code == 0


def test_select_still_reports_a_file_that_is_not_yaml(office: Office, cli):
    path = office.issue("number: 3\ndate: 2024-05-13\nsections:\n  - title: [工作动态\n")
    result = cli("check", path, "-f", "json", "--select", "JB711")
    assert result.exit_code == 1 and codes_of(result) and all(c.startswith("JB0") for c in codes_of(result))


def test_an_unknown_rule_is_a_usage_error_in_chinese(office: Office, cli):
    result = cli("check", office.issue(CLEAN), "--select", "JB9999")
    assert result.exit_code == 2
    assert "“JB9999”不是规则的代码或名字" in result.stderr and "jianbao rules" in result.stderr


def test_fix_with_select_changes_only_what_the_selected_rules_fix(office: Office, cli):
    path = office.issue(WARN.replace("研究部署工作。", "研究部署\u200b工作。"))
    assert cli("check", path, "--select", "JB212", "--fix").exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "\u200b" not in text and "会议,研究" in text  # JB212 fixed, JB201 left as it was


def test_check_of_jianbao_yaml_checks_the_settings(tmp_path, cli):
    # staff who have just filled in jianbao.yaml check it; it is not an issue (“缺少必填字段 number”)
    office = Office(tmp_path / "office", series="name: 县政务服务工作动态\neditor: 待填：编印单位全称\n"
                                                 "copies: 60\ndistribution:\n  报: [县委办公室]\n")
    settings = office.root / "jianbao.yaml"
    r = cli("check", settings)
    assert r.exit_code == 1
    assert "JB101" not in r.stderr and "number" not in r.stderr, r.stderr
    assert "错误 JB205" in r.stderr and f"{settings}:2:9" in r.stderr, r.stderr
    settings.write_text("name: 县政务服务工作动态\neditor: 县中心\ncopies: 60\ndistribution:\n  报: [县委办公室]\n"
                        "layout: gbt9740\n", encoding="utf-8")
    r = cli("check", settings)
    assert r.exit_code == 1 and "错误 JB401" in r.stderr and "gbt9704" in r.stderr, r.stderr
    settings.write_text("name: 县政务服务工作动态\neditor: 县中心\ncopies: 60\ndistribution:\n  报: [县委办公室]\n",
                        encoding="utf-8")
    r = cli("check", settings)
    assert r.exit_code == 0 and "检查通过：1 个文件" in r.stderr, r.stderr
    settings.write_text("name: 县政务服务工作动态\neditor: 县中心\ncopis: 60\n", encoding="utf-8")
    r = cli("check", settings)
    assert r.exit_code == 1 and "错误 JB103" in r.stderr and "copies" in r.stderr, r.stderr


@pytest.mark.parametrize("layout, said", [("../外面.yaml", "在简报文件夹之外"), ("./templates", "不是一个普通文件")])
def test_check_of_jianbao_yaml_finds_its_preset_as_build_does(tmp_path, cli, layout, said):
    office = Office(tmp_path / "office", series="name: 县政务服务工作动态\neditor: 县中心\ncopies: 60\n"
                                                 f"distribution:\n  报: [县委办公室]\nlayout: {layout}\n")
    (office.root / "templates").mkdir(exist_ok=True)
    (tmp_path / "外面.yaml").write_text("page: {}\n", encoding="utf-8")
    r = cli("check", office.root / "jianbao.yaml")
    assert r.exit_code == 1 and "错误 JB401" in r.stderr and said in r.stderr, r.stderr
