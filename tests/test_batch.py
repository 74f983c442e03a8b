"""Whole-folder builds: one broken issue does not stop the others, up-to-date outputs are
skipped, parallel builds give the same bytes, and --watch rebuilds on save."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import ISSUE, Office


def three_issues(office: Office) -> list[Path]:
    a = office.issue(ISSUE, "2024-05-13.yaml")
    b = office.issue(ISSUE.replace("number: 3", "number: 4").replace("2024-05-13", "2024-05-20"), "2024-05-20.yaml")
    c = office.issue("number: 5\ndate: 2024-05-27\nsections:\n  - title: 一、重复序号\n", "2024-05-27.yaml")
    return [a, b, c]


def test_a_broken_issue_does_not_stop_the_others(office: Office, cli):
    three_issues(office)
    r = cli("build", office.root / "issues", "-j", "1")
    assert r.exit_code == 1
    assert (office.root / "build" / "2024-05-13.docx").is_file()
    assert (office.root / "build" / "2024-05-20.docx").is_file()
    assert not (office.root / "build" / "2024-05-27.docx").exists()
    assert "JB110" in r.stderr and "2024-05-27.yaml" in r.stderr
    assert "编译 2，跳过 0，失败 1" in r.stderr
    assert [Path(p).name for p in r.stdout.split()] == ["2024-05-13.docx", "2024-05-20.docx"]


def test_unchanged_outputs_are_skipped_unless_forced(office: Office, cli):
    a, b, _ = three_issues(office)
    _.unlink()
    assert cli("build", office.root).exit_code == 0
    first = (office.root / "build" / "2024-05-13.docx").stat().st_mtime_ns
    r = cli("build", office.root)
    assert r.exit_code == 0 and "跳过 2" in r.stderr and r.stdout == ""
    assert (office.root / "build" / "2024-05-13.docx").stat().st_mtime_ns == first
    time.sleep(0.01)
    os.utime(office.root / "jianbao.yaml")  # settings changed: everything is stale
    assert "编译 2" in cli("build", office.root).stderr
    assert "编译 2" in cli("build", office.root, "--force").stderr


def test_parallel_build_gives_the_same_bytes(office: Office, cli, tmp_path):
    a, b, c = three_issues(office)
    c.unlink()
    assert cli("build", office.root, "-j", "1", "-f").exit_code == 0
    one = {p.name: p.read_bytes() for p in (office.root / "build").glob("*.docx")}
    assert cli("build", office.root, "-j", "2", "-f").exit_code == 0
    two = {p.name: p.read_bytes() for p in (office.root / "build").glob("*.docx")}
    assert one == two and len(one) == 2


def test_output_option_with_a_folder_is_a_usage_error(office: Office, cli):
    three_issues(office)
    assert cli("build", office.root / "issues", "-o", "x.docx").exit_code == 2


def test_missing_libreoffice_is_a_clear_error(office: Office, monkeypatch):
    path = office.issue()
    env = dict(os.environ, JIANBAO_SOFFICE="/nonexistent/soffice")
    r = subprocess.run([sys.executable, "-m", "jianbao", "build", str(path), "--pdf"], env=env,
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert "LibreOffice" in r.stderr and "apt-get install" in r.stderr and "JB502" in r.stderr
    assert "Traceback" not in r.stderr
    assert (office.root / "build" / "2024-05-13.docx").is_file()  # the .docx is still written
    assert not (office.root / "build" / "2024-05-13.pdf").exists()


def test_watch_rebuilds_after_a_save(office: Office):
    path = office.issue()
    out = office.root / "build" / "2024-05-13.docx"
    proc = subprocess.Popen([sys.executable, "-m", "jianbao", "build", str(path), "--watch", "--watch-seconds", "6"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 5
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert out.exists()
        before = out.read_bytes()
        path.write_text(ISSUE.replace("本周召开专题会议。", "本周召开了两次专题会议。"), encoding="utf-8")
        stdout, stderr = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0
    assert stdout.count("2024-05-13.docx") == 2  # built at start, and again after the save
    assert out.read_bytes() != before
    assert "重新编译" in stderr


def test_watch_reports_errors_in_place_and_keeps_going(office: Office):
    path = office.issue()
    proc = subprocess.Popen([sys.executable, "-m", "jianbao", "build", str(path), "--watch", "--watch-seconds", "6"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = office.root / "build" / "2024-05-13.docx"
    deadline = time.monotonic() + 20
    while not out.exists() and time.monotonic() < deadline:  # the first build is done (slow under load)
        time.sleep(0.1)
    time.sleep(0.5)
    path.write_text("number: 3\ndate: 2024-02-30\n", encoding="utf-8")
    stdout, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert "JB104" in stderr and "Traceback" not in stderr


def test_a_change_in_last_weeks_figures_makes_this_week_stale(office: Office, cli):
    office.issue("number: 3\ndate: 2024-05-06\ndata: {咨询: 10}\nsections:\n  - title: 动态\n    items: [\"本周咨询{{ 咨询 }}人次。\"]\n",
                 "2024-05-06.yaml")
    office.issue("number: 4\ndate: 2024-05-13\ndata: {咨询: 12}\nsections:\n  - title: 动态\n"
                 "    items: [\"本周咨询{{ 咨询 }}人次，上周{{ prev.咨询 }}人次。\"]\n", "2024-05-13.yaml")
    assert cli("build", office.root).exit_code == 0
    time.sleep(0.01)
    last_week = office.root / "issues" / "2024-05-06.yaml"
    last_week.write_text(last_week.read_text(encoding="utf-8").replace("咨询: 10", "咨询: 11"), encoding="utf-8")
    r = cli("build", office.root)
    assert "编译 2，跳过 0" in r.stderr  # this week read last week's figure: rebuilt too


def test_a_settings_warning_is_said_once_per_batch(tmp_path, cli):
    o = Office(tmp_path / "o", series="name: 动态\neditor: 中心\n")  # no distribution, no copies
    o.issue(ISSUE, "2024-05-13.yaml")
    o.issue(ISSUE.replace("number: 3", "number: 4").replace("2024-05-13", "2024-05-20"), "2024-05-20.yaml")
    r = cli("build", o.root, "-j", "1")
    assert r.exit_code == 0
    assert r.stderr.count("JB403") == 1 and r.stderr.count("JB404") == 1
