"""Issue 20: what a careless or hostile colleague can commit — each case a regression test.

Nothing in an issue file, a neighbour or the folder may take down a build, leave the office
folder, or change what a number means.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from conftest import ISSUE, ROOT, Office

# --- 7. one issue never takes down the others ---------------------------------------------------


def weekly(office: Office, n: int, *, ytd: bool = True) -> list[Path]:
    """*n* weekly issues from 2024-01-08, each printing its figure and the year's total."""
    import datetime as dt

    paths = []
    day = dt.date(2024, 1, 8)
    for k in range(1, n + 1):
        body = "本周{{ 办件 }}件" + ("，今年以来{{ ytd.办件 }}件" if ytd else "") + "。"
        text = (f"number: {k}\ndate: {day.isoformat()}\ndata: {{办件: {k}}}\n"
                f"sections:\n  - title: 动态\n    items: [\"{body}\"]\n")
        paths.append(office.issue(text, f"{day.isoformat()}.yaml"))
        day += dt.timedelta(days=7)
    return paths


def test_a_killed_worker_fails_its_issue_only_and_is_replaced(office: Office, monkeypatch):
    from jianbao import batch

    paths = weekly(office, 6, ytd=False)
    real = batch.build_one

    def dies_on_the_third(path, *args, **kwargs):
        if Path(path).name == paths[2].name:
            os.kill(os.getpid(), signal.SIGKILL)  # what the kernel's OOM killer does
        return real(path, *args, **kwargs)

    monkeypatch.setattr(batch, "build_one", dies_on_the_third)
    results = batch.build_files(paths, jobs=2, force=True)
    assert [r.source.name for r in results] == [p.name for p in paths]
    assert [r.status for r in results] == ["built", "built", "failed", "built", "built", "built"]
    (d,) = results[2].diagnostics
    assert d.code == "JB503" and "意外退出" in d.message and Path(d.file).name == paths[2].name
    assert sorted(p.name for p in (office.root / "build").glob("*.docx")) == sorted(
        p.with_suffix(".docx").name for p in paths if p != paths[2])


def test_a_crashing_worker_is_in_the_summary(office: Office, cli, monkeypatch):
    from jianbao import batch

    paths = weekly(office, 3, ytd=False)
    real = batch.build_one

    def crashes(path, *args, **kwargs):
        if Path(path).name == paths[1].name:
            os._exit(3)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(batch, "build_one", crashes)
    r = cli("build", office.root, "-j", "2")
    assert r.exit_code == 1
    assert "JB503" in r.stderr and "编译 2，跳过 0，失败 1" in r.stderr
    assert "BrokenProcessPool" not in r.stderr


def test_a_broken_neighbour_is_named_once_not_for_every_later_issue(office: Office, cli):
    paths = weekly(office, 6)
    paths[1].write_text(paths[1].read_text(encoding="utf-8").replace("{办件: 2}", "{办件: 二}"), encoding="utf-8")
    r = cli("build", office.root, "-j", "1")
    assert r.exit_code == 1
    assert (office.root / "build" / paths[0].with_suffix(".docx").name).is_file()
    # the broken issue's own error is printed once; the four later issues are not built, and say why
    assert r.stderr.count("办件: 二") == 1 and r.stderr.count("JB708") == 0
    assert r.stderr.count(f"：{paths[1].name} 有错误") == 4
    assert "编译 1，跳过 0，失败 5" in r.stderr


# --- 1. template limits that hold ---------------------------------------------------------------

def templated(office: Office, template: str, name: str = "2024-05-13.yaml") -> Path:
    body = template.replace("\\", "\\\\").replace('"', '\\"')
    return office.issue("number: 3\ndate: 2024-05-13\nsections:\n  - title: 动态\n"
                        f"    items:\n      - \"{body}\"\n", name)


def template_errors(path: Path):
    from jianbao.diagnostics import JianbaoError
    from jianbao.pipeline import prepare

    with pytest.raises(JianbaoError) as exc:
        prepare(path)
    return exc.value.diagnostics


@pytest.mark.parametrize(("template", "says"), [
    ("{{ '%*d' % (6000000000, 1) }}", "宽度"),
    ("{{ '%.*f' % (6000000000, 1) }}", "宽度"),
    ("{{ '%-*s|%*s' % (3, 'a', 10**9, 'b') }}", "宽度"),
    ("{{ ([[0]*20000]*600) | sum(start=[]) }}", "重复"),
    ("{{ [range(10000)|list, range(10000)|list, range(10000)|list] | sum(start=[]) }}", "sum"),
    ("{{ [[0]*20000]*20000 }}", "重复"),
    ("{% set a = [0]*20000 %}{% set b = [a,a,a,a,a,a,a,a] %}{{ [b,b,b,b,b,b,b,b] }}", "太长"),
])
def test_sizes_are_bounded_before_anything_is_allocated(office: Office, template, says):
    (d,) = template_errors(templated(office, template))
    assert d.code == "JB705" and says in d.message, d.message


def test_a_runaway_inside_one_c_call_is_stopped_by_the_wall_clock(office: Office, monkeypatch):
    """List comparison of two big distinct structures runs entirely in C: no timer signal is ever
    handled, only a process boundary holds."""
    from jianbao import resolve

    monkeypatch.setattr(resolve, "TIME_LIMIT", 0.3)
    levels = "{% set a1 = [0]*20000 %}{% set a2 = [0]*20000 %}"
    for x, y in zip("bcdefg", "abcdef"):
        levels += f"{{% set {x}1 = [{y}1,{y}1,{y}1,{y}1,{y}1,{y}1,{y}1,{y}1] %}}"
        levels += f"{{% set {x}2 = [{y}2,{y}2,{y}2,{y}2,{y}2,{y}2,{y}2,{y}2] %}}"
    path = templated(office, levels + "{{ g1 == g2 }}")
    (d,) = template_errors(path)
    assert d.code == "JB705" and "0.3 秒" in d.message


def test_a_template_that_eats_memory_is_stopped(office: Office):
    # a macro that doubles a 20 000-character string at every call: terabytes after 30 calls
    path = templated(office, "{% macro f(s) %}{{ f(s ~ s) }}{% endmacro %}{{ f('y' * 20000) }}")
    (d,) = template_errors(path)
    assert d.code == "JB705" and ("内存" in d.message or "秒" in d.message), d.message


def test_ctrl_c_ends_a_build_stuck_in_a_template(office: Office):
    import subprocess
    import sys
    import time

    levels = "{% set a1 = [0]*20000 %}{% set a2 = [0]*20000 %}"
    for x, y in zip("bcdefgh", "abcdefg"):
        levels += f"{{% set {x}1 = [{y}1,{y}1,{y}1,{y}1,{y}1,{y}1,{y}1,{y}1] %}}"
        levels += f"{{% set {x}2 = [{y}2,{y}2,{y}2,{y}2,{y}2,{y}2,{y}2,{y}2] %}}"
    path = templated(office, levels + "{{ h1 == h2 }}")
    proc = subprocess.Popen([sys.executable, "-m", "jianbao", "build", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 30
    while not children.read_text().split() and time.monotonic() < deadline:  # the template's process
        time.sleep(0.02)
    assert proc.poll() is None
    (child,) = children.read_text().split()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    # ended by Ctrl-C (status 130), not by the wall clock later (JB705); the template's process is gone
    assert proc.returncode == 130 and "JB705" not in err and "Traceback" not in err
    time.sleep(0.5)
    assert not Path(f"/proc/{child}").exists() or "zombie" in Path(f"/proc/{child}/status").read_text()


# --- 2. text that cannot go into XML never crashes the build ------------------------------------

@pytest.mark.parametrize(("body", "char"), [
    ('"{{ \\"\\\\x01\\" }}"', "U+0001"),
    ("\"{{ '%c' % 1 }}\"", "U+0001"),
    ('"{{ \\"\\\\ud800\\" }}"', "U+D800"),
    ('"前文{{ \\"\\\\x0b\\" }}"', "U+000B"),
])
def test_unwritable_characters_from_templates_are_jb008_in_check_and_build(office: Office, cli, tmp_path, body, char):
    path = office.issue(f"number: 3\ndate: 2024-05-13\nsections:\n  - title: 动态\n    items:\n      - {body}\n")
    out = tmp_path / "o.docx"
    for args in (("build", path, "-o", out), ("check", path)):
        r = cli(*args)
        assert r.exit_code == 1 and "内部错误" not in r.stderr
        assert "错误 JB008" in r.stderr and char in r.stderr and f"{path}:6:" in r.stderr, r.stderr
    assert not out.exists()


def test_unwritable_characters_in_mapping_keys_are_jb008(office: Office, cli, tmp_path):
    path = office.issue('number: 3\ndate: 2024-05-13\ndistribution: {"报\\x01": [上级单位]}\n')
    out = tmp_path / "o.docx"
    for args in (("build", path, "-o", out), ("check", path)):
        r = cli(*args)
        assert r.exit_code == 1 and "内部错误" not in r.stderr
        assert "错误 JB008" in r.stderr and "U+0001" in r.stderr and f"{path}:3:16" in r.stderr, r.stderr
    assert not out.exists()


# --- 3. no internal error for input -------------------------------------------------------------

def test_year_zero_is_an_impossible_date(office: Office, cli, tmp_path):
    path = office.issue("number: 3\ndate: 0000-01-01\n")
    r = cli("build", path, "-o", tmp_path / "o.docx")
    assert r.exit_code == 1 and "内部错误" not in r.stderr
    assert "错误 JB104" in r.stderr and f"{path}:2:7" in r.stderr and "1—9999" in r.stderr


@pytest.mark.parametrize("where", ["total", "body", "percent", "data", "template"])
def test_a_5000_digit_number_is_a_located_error_or_plain_text(office: Office, cli, tmp_path, where):
    big = "9" * 5000
    text = {
        "total": f"number: 3\ndate: 2024-05-13\ntotal: {big}\n",
        "body": f"number: 3\ndate: 2024-05-13\nbody: 共{big}件。\n",
        "percent": f"number: 3\ndate: 2024-05-13\nbody: 共有{big}件，办结1件，办结率50%。\n",
        "data": f"number: 3\ndate: 2024-05-13\ndata: {{件: {big}}}\nbody: \"{{{{ 件 }}}}\"\n",
        "template": "number: 3\ndate: 2024-05-13\nbody: \"{{ 10 ** 4000 * 10 ** 900 }}\"\n",
    }[where]
    path = office.issue(text)
    for args in (("build", path, "-o", tmp_path / "o.docx"), ("check", path)):
        r = cli(*args)
        assert "内部错误" not in r.stderr and "Traceback" not in r.stderr
        if where in ("body", "percent"):  # plain text: printed as written
            assert r.exit_code == 0
        else:
            assert r.exit_code == 1 and f"{path}:3:" in r.stderr, r.stderr[:500]
            assert "9" * 100 not in r.stderr.split("-->")[0]  # the message does not echo the number


def test_pdf_onto_a_folder_is_refused_before_converting(office: Office, cli):
    path = office.issue()
    (office.root / "build" / "2024-05-13.pdf").mkdir(parents=True)
    r = cli("build", path, "--pdf")
    assert r.exit_code == 1 and "内部错误" not in r.stderr
    assert "错误 JB501" in r.stderr and "2024-05-13.pdf" in r.stderr and "文件夹" in r.stderr
    assert (office.root / "build" / "2024-05-13.pdf").is_dir()


def test_a_full_disk_while_the_pdf_is_moved_into_place(office: Office, cli, monkeypatch):
    import errno

    from jianbao import pdf

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pdf, "convert_to_pdf", full)
    path = office.issue()
    r = cli("build", path, "--pdf")
    assert r.exit_code == 1 and "内部错误" not in r.stderr
    assert "错误 JB502" in r.stderr and os.strerror(errno.ENOSPC) in r.stderr
    assert not (office.root / "build" / "2024-05-13.pdf").exists()


# --- 4. numbers mean what they look like ---------------------------------------------------------

@pytest.mark.parametrize(("field", "written", "says"), [
    ("number", "012", "八进制数 10"),
    ("total", "0356", "八进制数 238"),
    ("copies", "1:20", "六十进制数 80"),
    ("number", "0x1F", "十六进制"),
    ("number", "0b101", "二进制"),
    ("data", "{办件: 012}", "八进制数 10"),
    ("data", "{办件: {咨询: 1:20}}", "六十进制数 80"),
    ("data", "{办件: 1:20.5}", "六十进制数 80.5"),
    ("table", "[[咨询, 012]]", "八进制数 10"),
    ("title", "012", "八进制数 10"),
])
def test_yaml_1_1_numbers_are_refused_where_they_would_change_meaning(office: Office, cli, tmp_path, field, written, says):
    text = "number: 3\ndate: 2024-05-13\n"
    if field == "table":
        text += f"body:\n  - table:\n      caption: 表\n      header: [类别, 本周]\n      rows: {written}\n"
    elif field == "data":
        text += f"data: {written}\nbody: 本周。\n"
    else:
        text = text.replace("number: 3\n", "") if field == "number" else text
        text += f"{field}: {written}\n" + ("" if field == "title" else "body: 本周。\n")
    path = office.issue(text)
    for args in (("build", path, "-o", tmp_path / "o.docx"), ("check", path)):
        r = cli(*args)
        assert r.exit_code == 1 and "错误 JB113" in r.stderr and says in r.stderr, r.stderr
        assert f"{path}:" in r.stderr and "加引号" in r.stderr
    assert not (tmp_path / "o.docx").exists()


@pytest.mark.parametrize("field", ["number", "total", "copies"])
@pytest.mark.parametrize("word", ["yes", "on", "true"])
def test_yes_is_not_a_number(office: Office, cli, tmp_path, field, word):
    text = f"{'number: 3' if field != 'number' else ''}\ndate: 2024-05-13\n{field}: {word}\nbody: 本周。\n"
    path = office.issue(text)
    r = cli("check", path)
    assert r.exit_code == 1 and "错误 JB102" in r.stderr and "应为整数" in r.stderr and "true" in r.stderr, r.stderr


def test_plain_decimal_numbers_still_read_as_written(office: Office, cli, tmp_path):
    import zipfile

    path = office.issue("number: 10\ntotal: 238\ndate: 2024-05-13\ncopies: 1_000\ndata: {办件: 0, 率: 0.5}\n"
                        "body: \"办件{{ 办件 }}件，{{ 率 }}。\"\n")
    out = tmp_path / "o.docx"
    assert cli("build", path, "-o", out).exit_code == 0
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert "第10期" in xml and "总第238期" in xml and "共印1000份" in xml and "办件0件，0.5。" in xml


# --- 5. reading is bounded before it starts -----------------------------------------------------

def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "sparse"])
def test_what_is_not_a_small_regular_file_is_refused_before_reading(office: Office, cli, tmp_path, kind):
    path = office.root / "issues" / "2024-05-13.yaml"
    if kind == "fifo":
        _fifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        with open(path, "wb") as f:
            f.truncate(2 << 30)  # 2 GB of nothing, no disk used
    expected = "JB006" if kind == "sparse" else "JB001"
    for args in (("build", path, "-o", tmp_path / "o.docx"), ("check", path), ("build", office.root),
                 ("check", office.root)):
        r = cli(*args)  # a FIFO would hang here, /dev/zero would eat the memory
        assert r.exit_code == 1 and f"错误 {expected}" in r.stderr and "内部错误" not in r.stderr, (args, r.stderr)
        assert "2024-05-13.yaml" in r.stderr


def test_a_neighbour_that_is_a_fifo_or_huge_does_not_hang_prev_or_ytd(office: Office, cli, tmp_path):
    _fifo(office.root / "issues" / "2024-05-06.yaml")
    with open(office.root / "issues" / "2024-04-29.yaml", "wb") as f:
        f.truncate(2 << 30)
    path = office.issue("number: 3\ndate: 2024-05-13\ndata: {办件: 1}\nbody: \"今年{{ ytd.办件 }}件\"\n")
    r = cli("build", path, "-o", tmp_path / "o.docx")
    assert r.exit_code == 1 and "JB708" in r.stderr and "内部错误" not in r.stderr
    assert "2024-04-29.yaml" in r.stderr or "2024-05-06.yaml" in r.stderr


def test_an_issue_file_linked_from_outside_the_office_is_refused_unread(office: Office, cli, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    path = office.root / "issues" / "2024-05-13.yaml"
    path.symlink_to(secret)
    for args in (("build", path, "-o", tmp_path / "o.docx"), ("check", path), ("check", office.root)):
        r = cli(*args)
        assert r.exit_code == 1 and "错误 JB001" in r.stderr and "简报文件夹之外" in r.stderr, r.stderr
        assert "root:x" not in r.stderr and "/bin/bash" not in r.stderr


def test_a_neighbour_linked_from_outside_is_not_read_for_ytd(office: Office, cli, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("number: 1\ndate: 2024-05-06\ndata: {办件: 1000000}\n", encoding="utf-8")
    (office.root / "issues" / "2024-05-06.yaml").symlink_to(secret)
    path = office.issue("number: 3\ndate: 2024-05-13\ndata: {办件: 1}\nbody: \"今年{{ ytd.办件 }}件\"\n")
    r = cli("build", path, "-o", tmp_path / "o.docx")
    assert r.exit_code == 1 and "JB708" in r.stderr and "简报文件夹之外" in r.stderr
    assert "1000000" not in r.stderr


# --- 6. writes stay where they belong and never replace a source ----------------------------------

def test_an_issue_that_is_a_symlink_loop_fails_alone_in_build_check_and_new(office: Office, cli, tmp_path):
    good = office.issue()
    loop = office.root / "issues" / "2024-05-20.yaml"
    loop.symlink_to(loop.name)
    for args in (["build", loop], ["build", office.root / "issues", "--html"], ["check", office.root / "issues"]):
        r = cli(*args)
        assert r.exit_code == 1 and "JB001" in r.stdout + r.stderr and "内部错误" not in r.stdout + r.stderr, args
    assert (office.root / "build" / f"{good.stem}.docx").exists()  # the good issue beside it was built
    ytd = ISSUE.replace("      - 本周召开专题会议。", "      - 本周召开专题会议{{ ytd.n }}次。") + "data: {n: 1}\n"
    r = cli("build", office.issue(ytd), "-o", tmp_path / "o.docx")  # the loop is a neighbour read for ytd
    assert "内部错误" not in r.stdout + r.stderr, r.stderr
    (office.root / "环").symlink_to("环")
    r = cli("build", good, "-o", office.root / "环" / "o.docx")  # output into a folder that is a loop
    assert r.exit_code == 1 and "JB501" in r.stderr and "内部错误" not in r.stdout + r.stderr, r.stderr


def test_a_build_folder_linked_outside_the_office_is_refused(office: Office, cli, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (office.root / "build").symlink_to(elsewhere)
    path = office.issue()
    for args in (("build", path), ("build", path, "-o", office.root / "build" / "x.docx"), ("build", office.root)):
        r = cli(*args)
        assert r.exit_code == 1 and "错误 JB501" in r.stderr and "简报文件夹之外" in r.stderr, r.stderr
    assert list(elsewhere.iterdir()) == []


def test_output_through_a_linked_folder_inside_the_office_is_refused(office: Office, cli, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (office.root / "out").symlink_to(elsewhere)
    r = cli("build", office.issue(), "-o", office.root / "out" / "x.docx")
    assert r.exit_code == 1 and "错误 JB501" in r.stderr
    assert list(elsewhere.iterdir()) == []


def test_output_named_outside_the_office_on_purpose_is_written(office: Office, cli, tmp_path):
    out = tmp_path / "anywhere" / "x.docx"
    assert cli("build", office.issue(), "-o", out).exit_code == 0 and out.is_file()


@pytest.mark.parametrize("target", ["issues/2024-05-13.yaml", "issues/2024-05-06.yaml", "jianbao.yaml",
                                    "templates/layouts/本单位.yaml", "report.pdf"])
def test_output_never_replaces_a_source_or_a_pdf(office: Office, cli, target):
    path = office.issue()
    office.issue(name="2024-05-06.yaml")
    (office.root / "templates" / "layouts").mkdir(parents=True)
    (office.root / "templates" / "layouts" / "本单位.yaml").write_text("base: gbt9704\n", encoding="utf-8")
    out = office.root / target
    before = out.read_bytes() if out.exists() else None
    args = ("build", path, "-o", out) + (("--pdf",) if target.endswith(".pdf") else ())
    r = cli(*args)
    # the command line refuses a name that is not .docx (usage, status 2); the library refuses it too
    assert (r.exit_code, "应以 .docx 结尾" in r.stderr) == (2, True) or (r.exit_code == 1 and "错误 JB501" in r.stderr), r.stderr
    from jianbao.diagnostics import JianbaoError
    from jianbao.pipeline import compile_issue, prepare

    with pytest.raises(JianbaoError) as exc:
        compile_issue(prepare(path), out)
    assert exc.value.diagnostics[0].code == "JB501"
    assert (out.read_bytes() if out.exists() else None) == before


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_output_onto_a_fifo_or_a_device_is_refused(office: Office, cli, tmp_path, kind):
    out = tmp_path / "o.docx"
    if kind == "fifo":
        os.mkfifo(out)
    else:
        out.symlink_to("/dev/null")
    r = cli("build", office.issue(), "-o", out)
    assert r.exit_code == 1 and "错误 JB501" in r.stderr
    assert out.is_fifo() if kind == "fifo" else out.is_symlink()
    assert Path("/dev/null").is_char_device()


# --- 8. linear cost on long paragraphs (the timings are in `make bench`, workload F) -------------

def test_ten_thousand_impossible_dates_in_one_paragraph(office: Office, cli):
    path = office.issue("number: 3\ndate: 2024-05-13\nbody: " + "4月31日，" * 10_000 + "\n")
    r = cli("check", path)
    assert r.exit_code == 1
    assert r.stderr.count("错误 JB208") == 5 and "这一段还有 9995 处同样的问题" in r.stderr
    # each diagnostic shows the source around its place, not the whole 60 000-character line
    shown = [ln for ln in r.stderr.splitlines() if ln.startswith(" 3 | ")]
    assert len(shown) == 5 and all(len(ln) < 200 for ln in shown)


def test_two_hundred_thousand_numerals_in_one_paragraph(office: Office, cli):
    path = office.issue("number: 3\ndate: 2024-05-13\nbody: 前言" + "（一）、" * 200_000 + "\n")
    r = cli("check", path)
    assert r.exit_code == 0 and r.stderr.count("警告 JB202") == 1 and "这一段还有 199999 处" in r.stderr


def test_a_few_problems_in_a_paragraph_are_each_reported(office: Office, cli):
    path = office.issue("number: 3\ndate: 2024-05-13\nbody: 4月31日，6月31日，9月31日开会。\n")
    r = cli("check", path)
    assert r.stderr.count("错误 JB208") == 3 and "同样的问题" not in r.stderr


# --- 10. the smaller cases ------------------------------------------------------------------------

def _preset(office: Office, change) -> None:
    import yaml

    from conftest import ROOT

    data = yaml.safe_load((ROOT / "templates" / "layouts" / "gbt9704.yaml").read_text(encoding="utf-8"))
    change(data)
    folder = office.root / "templates" / "layouts"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "x.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    text = (office.root / "jianbao.yaml").read_text(encoding="utf-8")
    (office.root / "jianbao.yaml").write_text(text + "layout: x\n", encoding="utf-8")


@pytest.mark.parametrize(("where", "value"), [
    (("page", "width"), 1_000_000_000_000), (("page", "header"), 99_999_999_999), (("page", "margin_top"), -5),
    (("fonts", "body", "size"), -16), (("masthead", "name_sizes"), [42, -1]), (("fonts", "body", "east_asia"), "宋" * 100_000),
    (("grid", "char_spacing"), 10**9), (("page", "margin_left"), 11_000),
])
def test_preset_values_out_of_bounds_are_refused(office: Office, cli, tmp_path, where, value):
    def change(data):
        d = data
        for k in where[:-1]:
            d = d[k]
        d[where[-1]] = value

    _preset(office, change)
    r = cli("build", office.issue(), "-o", tmp_path / "o.docx")
    assert r.exit_code == 1 and "版式预设有误" in r.stderr and "x.yaml:" in r.stderr, r.stderr[-800:]
    assert "错误 JB402" in r.stderr
    assert "宋" * 200 not in r.stderr and not (tmp_path / "o.docx").exists()


def test_preset_values_at_their_bounds_give_a_valid_docx(office: Office, cli, tmp_path):
    import subprocess
    import sys

    def change(data):
        data["page"].update(width=31_680, height=31_680, header=31_680, footer=31_680)
        data["grid"].update(char_spacing=-31_680, line_pitch=31_680)
        for font in data["fonts"].values():
            font.update(east_asia="宋" * 31, latin="L" * 31, size=200)
        data["masthead"]["name_sizes"] = [200]

    _preset(office, change)
    out = tmp_path / "o.docx"
    r = cli("build", office.issue(), "-o", out)
    if r.exit_code == 1:  # the preset's own checks (#13: a grid that does not fit the page) refuse it
        assert "错误 JB402" in r.stderr and not out.exists(), r.stderr
        return
    assert r.exit_code == 0, r.stderr
    audit = subprocess.run([sys.executable, "-m", "openxml_audit", "-q", "--format", "office2016", str(out)],
                           capture_output=True, text=True)
    assert audit.returncode == 0, audit.stdout + audit.stderr


@pytest.mark.parametrize("named", ["x", "templates/layouts/x.yaml"])
@pytest.mark.parametrize("kind", ["loop", "fifo", "folder", "outside"])
def test_a_preset_that_is_a_link_loop_a_fifo_or_a_folder_is_jb401_saying_so(office: Office, cli, tmp_path, named, kind):
    import os

    folder = office.root / "templates" / "layouts"
    folder.mkdir(parents=True)
    (tmp_path / "preset.yaml").write_text((ROOT / "templates" / "layouts" / "gbt9704.yaml").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    {"loop": lambda p: p.symlink_to(p.name), "fifo": os.mkfifo, "folder": Path.mkdir,
     "outside": lambda p: p.symlink_to(tmp_path / "preset.yaml")}[kind](folder / "x.yaml")
    text = (office.root / "jianbao.yaml").read_text(encoding="utf-8")
    (office.root / "jianbao.yaml").write_text(text + f"layout: {named}\n", encoding="utf-8")
    r = cli("build", office.issue(), "-o", tmp_path / "o.docx")
    assert r.exit_code == 1 and "错误 JB401" in r.stderr and "内部错误" not in r.stderr, r.stderr
    assert ("不是一个普通文件" if (kind, named) != ("outside", "templates/layouts/x.yaml") else "在简报文件夹之外") in r.stderr
    assert "是不是要写 x" not in r.stderr and "jianbao.yaml:7:9" in r.stderr
    assert not (tmp_path / "o.docx").exists()


def test_a_template_cannot_make_the_build_depend_on_the_day(office: Office, cli, tmp_path):
    for expr in ("date.today()", "date.today().year", "period.start.today()"):
        path = office.issue("number: 3\ndate: 2024-05-13\nperiod: {start: 2024-05-06, end: 2024-05-10}\n"
                            f"body: \"今天是{{{{ {expr} }}}}\"\n")
        r = cli("build", path, "-o", tmp_path / "o.docx")
        assert r.exit_code == 1 and "错误 JB703" in r.stderr and "today" in r.stderr, r.stderr
        assert "当天" in r.stderr


@pytest.mark.parametrize("other", [".yml", ".yaml"])
def test_x_yaml_and_x_yml_side_by_side_are_an_error(office: Office, cli, other):
    a = office.issue(name="2024-05-13.yaml" if other == ".yml" else "2024-05-13.yml")
    office.issue(name="2024-05-13" + other)
    for args in (("build", office.root), ("check", office.root), ("build", a), ("check", a)):
        r = cli(*args)
        assert r.exit_code == 1 and "错误 JB009" in r.stderr and "2024-05-13.yml" in r.stderr, (args, r.stderr)
    assert not (office.root / "build" / "2024-05-13.docx").exists()


def test_a_temporary_file_left_by_a_killed_write_is_swept(tmp_path):
    from jianbao.write import write_atomic

    out = tmp_path / "o.docx"
    dead = tmp_path / f".o.docx.{_dead_pid()}.abcdef.tmp"
    dead.write_bytes(b"half")
    other = tmp_path / ".p.docx.1.abcdef.tmp"  # another output's
    other.write_bytes(b"x")
    mine_alive = tmp_path / f".o.docx.{os.getpid()}.zzz.tmp"  # a write still running in a live process
    mine_alive.write_bytes(b"x")
    write_atomic(out, b"new")
    assert out.read_bytes() == b"new"
    assert not dead.exists() and other.exists() and mine_alive.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, other.name, mine_alive.name])


def _dead_pid() -> int:
    import subprocess
    import sys

    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_watch_sees_files_under_a_path_with_a_folder_named_build(tmp_path):
    from jianbao.watch import _snapshot

    office = Office(tmp_path / "build" / "office")
    path = office.issue()
    seen = _snapshot([office.root / "issues"])
    assert path in seen
    (office.root / "build").mkdir()
    (office.root / "build" / "junk.yaml").write_text("x: 1\n", encoding="utf-8")  # the office's own build/ is not watched
    assert office.root / "build" / "junk.yaml" not in _snapshot([office.root])


def test_watch_of_one_issue_sees_its_neighbours_for_prev_and_ytd(office: Office):
    from jianbao.watch import _snapshot

    path = office.issue()
    before = office.issue(name="2024-05-06.yaml")
    assert before in _snapshot([path])


def test_watch_notices_a_save_that_keeps_the_mtime(office: Office):
    from jianbao.watch import _snapshot

    path = office.issue()
    st = path.stat()
    first = _snapshot([path])
    path.write_text(ISSUE.replace("本周召开专题会议。", "本周召开研讨会议。"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime
    assert path.stat().st_mtime_ns == st.st_mtime_ns
    assert _snapshot([path]) != first


def test_watch_never_opens_a_fifo(office: Office):
    from jianbao.watch import _snapshot

    path = office.issue()
    os.mkfifo(office.root / "issues" / "2024-05-06.yaml")
    assert path in _snapshot([office.root])  # returns: the FIFO is stat'ed, never read


def test_ctrl_c_ends_a_folder_build_with_its_workers_and_their_templates(office: Office):
    import subprocess
    import sys
    import time

    levels = "{% set a1 = [0]*20000 %}{% set a2 = [0]*20000 %}"
    for x, y in zip("bcdefgh", "abcdefg"):
        levels += f"{{% set {x}1 = [{y}1,{y}1,{y}1,{y}1,{y}1,{y}1,{y}1,{y}1] %}}"
        levels += f"{{% set {x}2 = [{y}2,{y}2,{y}2,{y}2,{y}2,{y}2,{y}2,{y}2] %}}"
    for k in range(4):
        templated(office, levels + "{{ h1 == h2 }}", name=f"2024-05-{13 + k:02d}.yaml")
    proc = subprocess.Popen([sys.executable, "-m", "jianbao", "build", str(office.root), "-j", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def tree(pid: int) -> list[int]:
        try:
            kids = [int(k) for k in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []
        return kids + [g for k in kids for g in tree(k)]

    deadline = time.monotonic() + 30
    while len(tree(proc.pid)) < 4 and time.monotonic() < deadline:  # 2 workers, each rendering a template
        time.sleep(0.02)
    family = tree(proc.pid)
    assert len(family) >= 4 and proc.poll() is None
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=30)
    assert proc.returncode == 130
    time.sleep(0.5)
    assert [p for p in family if Path(f"/proc/{p}").exists()
            and "zombie" not in Path(f"/proc/{p}/status").read_text()] == []
