"""``jianbao init``: a new office folder; and the whole weekly cycle in one: init → new → fill → build → make."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from jianbao.load import load_yaml
from jianbao.model import SERIES_KEYS, SeriesFile
from jianbao.validate import validate

EXPECTED = ["jianbao.yaml", "issues/.gitkeep", "Makefile", "build.cmd", ".gitignore", "README.md", ".vscode/settings.json",
            ".vscode/extensions.json", "schemas/jianbao.schema.json", "schemas/issue.schema.json"]


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_init_creates_the_office(tmp_path, cli):
    folder = tmp_path / "单位" / "工作动态"  # missing parents are created
    result = cli("init", folder)
    assert result.exit_code == 0, result.stderr
    assert [Path(line) for line in result.stdout.splitlines()] == [folder / f for f in EXPECTED]
    assert files_under(folder) == sorted(EXPECTED)
    assert (folder / "issues" / ".gitkeep").read_bytes() == b""
    assert "jianbao.yaml" in result.stderr and "jianbao new" in result.stderr  # what to do next


def test_settings_file_is_valid_commented_and_has_obvious_placeholders(tmp_path, cli):
    folder = tmp_path / "o"
    assert cli("init", folder).exit_code == 0
    path = folder / "jianbao.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schemas/jianbao.schema.json\n")
    series = validate(load_yaml(path), SeriesFile)
    assert "待填" in series.name and "待填" in series.editor
    assert series.layout == "gbt9704"
    assert series.distribution and "报" in series.distribution
    lines = text.splitlines()
    for key in SERIES_KEYS:  # every field is there (some commented out), with a Chinese comment above it
        at = [i for i, line in enumerate(lines) if re.match(rf"^(# )?{key}:", line)]
        assert at, key
        above = lines[at[0] - 1]
        assert above.startswith("#") and re.search(r"[\u4e00-\u9fff]", above), key


def test_makefile_gitignore_and_readme(tmp_path, cli):
    folder = tmp_path / "o"
    assert cli("init", folder).exit_code == 0
    make = (folder / "Makefile").read_text(encoding="utf-8")
    assert "JIANBAO ?= jianbao" in make
    assert re.search(r"^build/%\.docx: issues/%\.yaml jianbao\.yaml \$\(PRESET\)$", make, re.M)
    for target in ("pdf", "html", "check", "new", "clean"):
        assert re.search(rf"^{target}:", make, re.M), target
    assert re.search(r"^\t\$\(JIANBAO\) build \$<$", make, re.M)  # recipes start with a tab
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "build/"
    cmd = (folder / "build.cmd").read_bytes()
    assert cmd.isascii() and cmd.count(b"\r\n") == cmd.count(b"\n")  # cmd.exe: ASCII, CRLF
    assert b'"%JIANBAO%" check issues\r\n' in cmd and b'"%JIANBAO%" build issues --pdf\r\n' in cmd
    readme = (folder / "README.md").read_text(encoding="utf-8")
    steps = re.findall(r"^(\d)\. \*\*", readme, re.M)
    assert steps == ["1", "2", "3", "4", "5", "6"]
    assert "jianbao new" in readme and "jianbao check" in readme and "jianbao build" in readme


def test_init_refuses_a_non_empty_folder(tmp_path, cli):
    folder = tmp_path / "o"
    folder.mkdir()
    note = folder / "笔记.txt"
    note.write_text("别动我", encoding="utf-8")
    result = cli("init", folder)
    assert result.exit_code == 1
    assert "错误 JB603" in result.stderr and "笔记.txt" in result.stderr and str(folder) in result.stderr
    assert "--force" in result.stderr
    assert result.stdout == ""
    assert files_under(folder) == ["笔记.txt"] and note.read_text(encoding="utf-8") == "别动我"


def test_init_refuses_a_file(tmp_path, cli):
    target = tmp_path / "o"
    target.write_text("x", encoding="utf-8")
    result = cli("init", target)
    assert result.exit_code == 1 and "错误 JB603" in result.stderr
    assert target.read_text(encoding="utf-8") == "x"


def test_a_folder_holding_only_git_counts_as_empty(tmp_path, cli):
    folder = tmp_path / "o"
    (folder / ".git").mkdir(parents=True)
    result = cli("init", folder)
    assert result.exit_code == 0, result.stderr
    assert (folder / "jianbao.yaml").is_file()


def test_force_creates_only_what_is_missing_and_touches_nothing_else(tmp_path, cli):
    folder = tmp_path / "o"
    (folder / "issues").mkdir(parents=True)
    keep = {
        folder / "jianbao.yaml": "name: 已有的简报\neditor: 已有的单位\n",
        folder / "README.md": "# 我们自己的说明\n",
        folder / "issues" / "2024-05-13.yaml": "number: 1\ndate: 2024-05-13\n",
    }
    for p, text in keep.items():
        p.write_text(text, encoding="utf-8")
        os.utime(p, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    result = cli("init", folder, "--force")
    assert result.exit_code == 0, result.stderr
    assert sorted(Path(line).name for line in result.stdout.splitlines()) == [
        ".gitignore", "Makefile", "build.cmd", "extensions.json", "issue.schema.json", "jianbao.schema.json",
        "settings.json"]
    for p, text in keep.items():
        assert p.read_text(encoding="utf-8") == text
        assert p.stat().st_mtime_ns == 1_000_000_000_000_000_000
    assert not (folder / "issues" / ".gitkeep").exists()  # an existing issues/ is left as it is
    assert "已存在，未改动" in result.stderr
    for name in ("jianbao.yaml", "README.md", "issues"):
        assert name in result.stderr
    # and a second run creates nothing at all
    again = cli("init", folder, "--force")
    assert again.exit_code == 0 and again.stdout == ""


# --- the whole weekly cycle --------------------------------------------------------------

def fill_settings(folder: Path) -> None:
    path = folder / "jianbao.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in [("待填：简报名称", "政务服务工作动态"), ("待填：编印单位全称", "青山县政务服务中心"),
                     ("待填：上级单位", "县政府办公室"), ("待填：本单位各处（室）。", "中心各股室。")]:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def fill_issue(path: Path) -> None:
    """Replace every placeholder by real text, as staff would in an editor."""
    text = path.read_text(encoding="utf-8")
    text = text.replace("待填：这一部分的标题", "政务工作动态")
    n = 0

    def item(_m):
        nonlocal n
        n += 1
        return f"本周召开第{n}次专题会议，研究部署政务服务重点工作。"

    text = re.sub(r"待填：……", item, text)
    assert n >= 1 and "待填" not in str(yaml.safe_load(text))  # comments may still say 待填
    path.write_text(text, encoding="utf-8")


HOUR = 3600 * 10**9


def age(folder: Path) -> None:
    """Date every file an hour back, outputs a little after their sources (no clock skew for make)."""
    base = time.time_ns() - HOUR
    for p in folder.rglob("*"):
        if p.is_file():
            t = base + (10**10 if "build" in p.relative_to(folder).parts else 0)
            os.utime(p, ns=(t, t))


def touch(path: Path) -> None:
    """Mark *path* as edited after the last build (still in the past)."""
    t = time.time_ns() - HOUR // 2
    os.utime(path, ns=(t, t))


def jianbao_command() -> str | None:
    """The jianbao command: on PATH, or next to this Python (a .venv that is not activated)."""
    beside = Path(sys.executable).parent / "jianbao"
    return shutil.which("jianbao") or (str(beside) if beside.is_file() else None)


def make(folder: Path, *args: str) -> subprocess.CompletedProcess:
    command = jianbao_command()
    extra = [f"JIANBAO={command}"] if command and not any(a.startswith("JIANBAO=") for a in args) else []
    return subprocess.run(["make", *args, *extra], cwd=folder, capture_output=True, text=True, timeout=300)


def test_whole_cycle_init_new_fill_build_make(tmp_path, cli, monkeypatch):
    if shutil.which("make") is None or jianbao_command() is None:
        pytest.skip("needs make and the jianbao command")
    folder = tmp_path / "工作动态"
    assert cli("init", folder).exit_code == 0
    fill_settings(folder)
    monkeypatch.chdir(folder)

    # the first issue
    result = cli("new", "--date", "2024-05-13")
    assert result.exit_code == 0, result.stderr
    first = folder / result.stdout.strip()
    assert first == folder / "issues" / "2024-05-13.yaml"
    fill_issue(first)
    result = cli("build", first)
    assert result.exit_code == 0, result.stderr
    first_docx = folder / "build" / "2024-05-13.docx"
    assert first_docx.is_file() and first_docx.stat().st_size > 5000
    assert make(folder, "-q").returncode == 0  # already up to date

    # the second issue, worked out from the first: make builds it and only it
    result = cli("new")
    assert result.exit_code == 0, result.stderr
    second = folder / result.stdout.strip()
    assert second.name == "2024-05-20.yaml"
    data = yaml.safe_load(second.read_text(encoding="utf-8"))
    assert data["number"] == 2 and data["sections"][0]["title"] == "政务工作动态"
    fill_issue(second)
    assert make(folder, "-q").returncode != 0
    before = first_docx.stat().st_mtime_ns
    run = make(folder)
    assert run.returncode == 0, run.stdout + run.stderr
    second_docx = folder / "build" / "2024-05-20.docx"
    assert second_docx.is_file()
    assert "2024-05-20.yaml" in run.stdout and "2024-05-13.yaml" not in run.stdout
    assert first_docx.stat().st_mtime_ns == before

    # running make again rebuilds nothing
    stamps = {p: p.stat().st_mtime_ns for p in (first_docx, second_docx)}
    assert make(folder, "-q").returncode == 0
    again = make(folder)
    assert again.returncode == 0 and "jianbao build" not in again.stdout
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps

    # a change to jianbao.yaml rebuilds every issue
    age(folder)
    touch(folder / "jianbao.yaml")
    assert make(folder, "-q").returncode != 0
    run = make(folder)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2024-05-13.yaml" in run.stdout and "2024-05-20.yaml" in run.stdout
    assert make(folder, "-q").returncode == 0

    # a local layout preset is a prerequisite too
    from jianbao.layout import builtin_templates

    (folder / "templates" / "layouts").mkdir(parents=True)
    preset = folder / "templates" / "layouts" / "本单位.yaml"
    shutil.copy(builtin_templates() / "layouts" / "gbt9704.yaml", preset)
    settings = folder / "jianbao.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("layout: gbt9704", "layout: 本单位"),
                        encoding="utf-8")
    assert make(folder).returncode == 0
    assert make(folder, "-q").returncode == 0
    age(folder)
    touch(preset)
    assert make(folder, "-q").returncode != 0
    assert make(folder).returncode == 0 and make(folder, "-q").returncode == 0

    # make check passes on filled issues; make new writes the next one; make clean removes build/
    run = make(folder, "check")
    assert run.returncode == 0, run.stdout + run.stderr
    run = make(folder, "new")
    assert run.returncode == 0, run.stdout + run.stderr
    assert (folder / "issues" / "2024-05-27.yaml").is_file()
    run = make(folder, "check")
    assert run.returncode != 0 or "待填" in run.stderr  # placeholders left behind are reported
    assert make(folder, "clean").returncode == 0
    assert not (folder / "build").exists()


def test_make_html_writes_the_web_edition_with_its_index_and_feed(tmp_path, cli):
    if shutil.which("make") is None or jianbao_command() is None:
        pytest.skip("needs make and the jianbao command")
    folder = tmp_path / "o"
    assert cli("init", folder).exit_code == 0
    assert make(folder, "new", "DATE=2024-05-13").returncode == 0
    fill_settings(folder)
    fill_issue(folder / "issues" / "2024-05-13.yaml")
    run = make(folder, "html")
    assert run.returncode == 0, run.stdout + run.stderr
    assert {"2024-05-13.html", "index.html", "feed.xml"} <= {p.name for p in (folder / "build").iterdir()}
    assert "本周召开第1次专题会议" in (folder / "build" / "2024-05-13.html").read_text(encoding="utf-8")


def test_make_new_passes_a_date(tmp_path, cli):
    if shutil.which("make") is None or jianbao_command() is None:
        pytest.skip("needs make and the jianbao command")
    folder = tmp_path / "o"
    assert cli("init", folder).exit_code == 0
    run = make(folder, "new", "DATE=2024-05-13")
    assert run.returncode == 0, run.stdout + run.stderr
    assert (folder / "issues" / "2024-05-13.yaml").is_file()
    assert "issues/2024-05-13.yaml" in run.stdout


def test_makefile_jianbao_is_overridable(tmp_path, cli):
    if shutil.which("make") is None:
        pytest.skip("needs make")
    folder = tmp_path / "o"
    assert cli("init", folder).exit_code == 0
    run = make(folder, "check", "JIANBAO=echo 假的jianbao")
    assert run.returncode == 0 and "假的jianbao check issues" in run.stdout


# --- make follows the figures an issue reads (issue 11) ----------------------------------------------------

WEEK = """\
number: {number}
date: {date}
data: {data}
{carry}sections:
  - title: 政务工作动态
    items:
      - 本周受理{{{{ 综窗.受理 }}}}件，今年以来累计受理{{{{ ytd.综窗.受理 }}}}件{tail}。
"""
WINDOW = "，窗口累计办件{{ ytd.窗口.办件 }}件"


def totals(docx: Path) -> list[str]:
    import zipfile

    with zipfile.ZipFile(docx) as z:
        xml = z.read("word/document.xml").decode()
    return re.findall(r"累计(?:受理|办件)(\d+)件", xml)


def test_make_rebuilds_the_weeks_whose_running_totals_a_correction_changes(tmp_path, cli):
    if shutil.which("make") is None or jianbao_command() is None:
        pytest.skip("needs make and the jianbao command")
    folder = tmp_path / "o"
    assert cli("init", folder).exit_code == 0
    fill_settings(folder)
    issues = folder / "issues"

    def write(date: str, number: int, data: str, carry: str = "", tail: str = "") -> Path:
        p = issues / f"{date}.yaml"
        p.write_text(WEEK.format(number=number, date=date, data=data, carry=f"carry: {carry}\n" if carry else "",
                                 tail=tail), encoding="utf-8")
        return p

    first = write("2024-05-06", 17, "{综窗: {受理: 100}}", "{综窗: {受理: 118000}}")
    write("2024-05-13", 18, "{综窗: {受理: 200}, 窗口: {办件: 30}}", "{窗口: {办件: 9000}}", WINDOW)
    write("2024-05-20", 19, "{综窗: {受理: 300}, 窗口: {办件: 40}}", tail=WINDOW)
    build = folder / "build"
    run = make(folder)
    assert run.returncode == 0, run.stdout + run.stderr
    assert [totals(build / f"2024-05-{d}.docx") for d in ("06", "13", "20")] == [
        ["118100"], ["118300", "9030"], ["118600", "9070"]]
    assert make(folder, "-q").returncode == 0 and "jianbao" not in make(folder).stdout  # nothing to do

    # a correction to the first week reaches the running totals of the two after it
    age(folder)
    first.write_text(first.read_text(encoding="utf-8").replace("受理: 100}", "受理: 150}"), encoding="utf-8")
    assert make(folder, "-q").returncode != 0
    run = make(folder)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count(" build ") == 3
    assert [totals(build / f"2024-05-{d}.docx") for d in ("06", "13", "20")] == [
        ["118150"], ["118350", "9030"], ["118650", "9070"]]
    assert make(folder, "-q").returncode == 0

    # next week's issue is built alone: it changes no earlier total
    age(folder)
    write("2024-05-27", 20, "{综窗: {受理: 1}, 窗口: {办件: 2}}", tail=WINDOW)
    run = make(folder)
    assert run.returncode == 0 and run.stdout.count(" build ") == 1 and "2024-05-27" in run.stdout
    assert totals(build / "2024-05-27.docx") == ["118651", "9072"]

    # an issue added before the others changes every later total; one deleted, too
    age(folder)
    early = write("2024-04-29", 16, "{综窗: {受理: 7}}")
    run = make(folder)
    assert run.returncode == 0 and run.stdout.count(" build ") == 5, run.stdout
    assert totals(build / "2024-05-06.docx") == ["118150"]  # its own carry comes after 04-29
    age(folder)
    early.unlink()
    (build / "2024-04-29.docx").unlink()
    first.unlink()
    run = make(folder)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count(" build ") == 3  # 05-13, 05-20, 05-27 read the deleted 05-06
    assert [totals(build / f"2024-05-{d}.docx") for d in ("13", "20", "27")] == [
        ["200", "9030"], ["500", "9070"], ["501", "9072"]]
    assert make(folder, "-q").returncode == 0
