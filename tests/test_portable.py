"""Windows and the 信创 desktops (issue 19): what cannot run here is exercised by simulation.

``system.is_windows`` is patched to True and the calls that behave differently on Windows are
patched to behave as they do there (os.replace raising PermissionError for a file open in Word,
no SIGHUP/SIGALRM, taskkill instead of killpg).  And a scan of the source: POSIX-only calls live in
``src/jianbao/system.py`` and nowhere else.
"""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, Office
from jianbao import system
from jianbao.diagnostics import JianbaoError

SRC = ROOT / "src" / "jianbao"

# --- the POSIX-only calls live in system.py ------------------------------------------------------

#: module attribute -> why it is POSIX-only
POSIX_ONLY = {
    "os.killpg": "no process groups on Windows", "os.getpgid": "no process groups on Windows",
    "os.setsid": "no sessions on Windows", "os.setpgrp": "no process groups on Windows",
    "os.fork": "no fork on Windows", "os.forkpty": "no fork on Windows",
    "signal.SIGALRM": "no SIGALRM on Windows", "signal.setitimer": "no interval timers on Windows",
    "signal.ITIMER_REAL": "no interval timers on Windows", "signal.SIGKILL": "no SIGKILL on Windows",
    "signal.SIGHUP": "no SIGHUP on Windows", "signal.SIGSTOP": "no SIGSTOP on Windows",
    "signal.alarm": "no alarm() on Windows",
}
POSIX_MODULES = {"fcntl", "termios", "pwd", "grp", "resource", "pty"}
POSIX_KEYWORDS = {"start_new_session", "preexec_fn"}
#: calls that take a file name: a "/" inside a literal given to them is a hard-coded POSIX path
PATH_CALLS = {"open", "Path", "PurePath", "join", "makedirs", "mkdir", "exists", "isfile", "isdir", "glob",
              "rglob", "joinpath", "with_name", "unlink", "remove", "rmtree", "copyfile", "replace", "rename"}

PLATFORM_MODULE = "system.py"

# EXEMPTION — issue 20, item 1: the template time budget (figures/limits.py, ``budget``; it was
# resolve._budget) still uses SIGALRM and setitimer on POSIX, with a watchdog-thread fallback where
# they are missing (tested below).  It is being reworked under issue 20; when that lands, the budget
# goes through system.py or uses no signals, and this exemption is removed.
EXEMPT_UNTIL_ISSUE_20_ITEM_1 = {"figures/limits.py": {"signal.SIGALRM", "signal.setitimer", "signal.ITIMER_REAL"}}


def _has_slash(node) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return "/" in node.value
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and "/" in str(v.value) for v in node.values)
    return False


def posix_only_uses(path: Path) -> list[tuple[int, str]]:
    """(line, what) for each POSIX-only call, import, keyword or hard-coded "/" path in *path*."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            name = f"{node.value.id}.{node.attr}"
            if name in POSIX_ONLY:
                found.append((node.lineno, name))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, f"import {a.name}") for a in node.names if a.name.split(".")[0] in POSIX_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in POSIX_MODULES:
                found.append((node.lineno, f"from {node.module} import"))
            if node.module in ("os", "signal"):
                found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names
                          if f"{node.module}.{a.name}" in POSIX_ONLY]
        elif isinstance(node, ast.keyword) and node.arg in POSIX_KEYWORDS:
            found.append((node.value.lineno, f"{node.arg}="))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in PATH_CALLS and any(_has_slash(a) for a in node.args):
                found.append((node.lineno, f"hard-coded '/' path: {ast.unparse(node)[:60]}"))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and _has_slash(node.right):
            found.append((node.lineno, f"hard-coded '/' path: {ast.unparse(node)[:60]}"))
    return found


def test_posix_only_calls_live_in_the_platform_module():
    offences = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == PLATFORM_MODULE and path.parent == SRC:
            continue
        exempt = EXEMPT_UNTIL_ISSUE_20_ITEM_1.get(path.relative_to(SRC).as_posix(), set())
        for line, what in posix_only_uses(path):
            if what not in exempt:
                offences.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not offences, ("POSIX-only calls outside src/jianbao/system.py (wrap them there):\n"
                          + "\n".join(offences))


def test_the_scan_finds_what_it_looks_for(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os, signal, fcntl\nfrom os import fork\nimport subprocess\n"
                   "os.killpg(1, signal.SIGKILL)\nsignal.setitimer(signal.ITIMER_REAL, 1)\n"
                   "subprocess.Popen(['x'], start_new_session=True)\nopen(f'{d}/x.txt')\nPath(d) / 'a/b'\n")
    found = {what for _, what in posix_only_uses(bad)}
    assert {"import fcntl", "os.fork", "os.killpg", "signal.SIGKILL", "signal.setitimer", "signal.ITIMER_REAL",
            "start_new_session="} <= found
    assert sum(w.startswith("hard-coded") for w in found) == 2
    assert posix_only_uses(SRC / "system.py")  # the platform module does use them


def test_the_template_budget_works_without_sigalrm(tmp_path, monkeypatch):
    """Windows has no setitimer: the watchdog thread must stop a runaway template in the main thread."""
    from jianbao import resolve
    from jianbao.pipeline import prepare

    monkeypatch.delattr(signal, "setitimer")  # figures.limits.budget looks for it at each run
    monkeypatch.setattr(resolve, "TIME_LIMIT", 0.2)
    office = Office(tmp_path / "office")
    p = office.issue("number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    items:\n"
                     "      - '{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}'\n")
    with pytest.raises(JianbaoError) as err:
        prepare(p)
    assert [d.code for d in err.value.diagnostics] == ["JB705"]


# --- simulated Windows ---------------------------------------------------------------------------

@pytest.fixture
def windows(monkeypatch):
    monkeypatch.setattr(system, "is_windows", lambda: True)
    return monkeypatch


def _locked_replace(real):
    """os.replace as Windows does it when the target is open in Word: PermissionError."""
    def replace(src, dst, *a, **k):
        if os.path.exists(dst) and str(dst).endswith((".docx", ".pdf")):
            raise PermissionError(13, "另一个程序正在使用此文件，进程无法访问。", str(dst))
        return real(src, dst, *a, **k)
    return replace


def test_docx_open_in_word_gives_a_clear_message_and_keeps_the_old_file(tmp_path, windows, cli):
    office = Office(tmp_path / "office")
    src = office.issue()
    first = cli("build", src)
    assert first.exit_code == 0
    out = office.root / "build" / "2024-05-13.docx"
    before = out.read_bytes()
    windows.setattr(os, "replace", _locked_replace(os.replace))
    windows.setattr(system.time, "sleep", lambda s: None)
    windows.chdir(office.root)
    src.write_text(src.read_text(encoding="utf-8").replace("本周召开专题会议", "本周召开两次专题会议"), encoding="utf-8")
    result = cli("build", src)
    assert result.exit_code == 1
    assert "请先在 Word/WPS 中关闭 build" in result.stderr and "2024-05-13.docx" in result.stderr
    assert "JB501" in result.stderr and "内部错误" not in result.stderr
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["2024-05-13.d", "2024-05-13.docx"]  # no .tmp left


def test_pdf_open_in_a_viewer_keeps_the_old_pdf(tmp_path, windows):
    from jianbao.pdf import PdfError, install_pdf
    from test_processes import tiny_pdf

    windows.setattr(os, "replace", _locked_replace(os.replace))
    windows.setattr(system.time, "sleep", lambda s: None)
    new, old = tmp_path / "new.pdf", tmp_path / "x.pdf"
    new.write_bytes(tiny_pdf(2))
    old.write_bytes(tiny_pdf(1))
    with pytest.raises(PdfError, match="请先在 Word/WPS 中关闭") as err:
        install_pdf(new, old)
    assert "未改动" in err.value.message_zh
    assert old.read_bytes() == tiny_pdf(1)


def test_replace_retries_a_moment_on_windows(tmp_path, windows):
    tries = []
    real = os.replace

    def flaky(src, dst):
        tries.append(1)
        if len(tries) < 3:  # a virus scanner holds the file for a moment
            raise PermissionError(13, "denied", str(dst))
        return real(src, dst)

    windows.setattr(os, "replace", flaky)
    windows.setattr(system.time, "sleep", lambda s: None)
    (tmp_path / "a").write_text("new")
    (tmp_path / "b").write_text("old")
    system.replace(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "b").read_text() == "new" and len(tries) == 3


def test_permission_error_on_posix_is_not_called_word(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "replace", _locked_replace(os.replace))
    (tmp_path / "a.docx").write_text("new")
    (tmp_path / "b.docx").write_text("old")
    with pytest.raises(PermissionError) as err:
        system.replace(tmp_path / "a.docx", tmp_path / "b.docx")
    assert not isinstance(err.value, system.FileInUse)


def test_process_start_and_kill_tree_on_windows(windows):
    calls = []

    class FakePopen:
        pid = 4242

        def __init__(self, cmd, **kw):
            calls.append(("Popen", cmd, kw))

        def kill(self):
            calls.append(("kill",))

        def wait(self, timeout=None):
            return 1

    def no_killpg(*a):
        raise AssertionError("os.killpg does not exist on Windows")

    windows.setattr(subprocess, "Popen", FakePopen)
    windows.setattr(os, "killpg", no_killpg, raising=False)
    windows.setattr(subprocess, "run", lambda cmd, **kw: calls.append(("run", cmd)))
    proc = system.start(["soffice.exe", "--headless"], env={"A": "1"}, tag="t1")
    (_, cmd, kw), = calls
    assert kw["creationflags"] == 0x200 and "start_new_session" not in kw
    assert kw["env"][system.TAG_VAR] == "t1" and kw["env"]["A"] == "1"
    system.kill_tree(proc, "t1")
    assert ("run", ["taskkill", "/F", "/T", "/PID", "4242"]) in calls
    assert ("kill",) in calls


def test_signals_on_windows(windows):
    got = {}
    windows.setattr(signal, "signal", lambda num, handler: got.setdefault(num, handler))
    windows.setattr(signal, "SIGBREAK", 21, raising=False)
    system.catch_termination()
    assert set(got) == {21, signal.SIGTERM}  # SIGBREAK (Ctrl-Break) and SIGTERM; there is no SIGHUP


def test_a_catchable_signal_raises_terminated(monkeypatch):
    old = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        system.catch_termination()
        with pytest.raises(system.Terminated) as err:
            signal.raise_signal(signal.SIGTERM)
        assert err.value.signum == signal.SIGTERM and isinstance(err.value, KeyboardInterrupt)
        assert system.caught_signal() == signal.SIGTERM
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


def _exe(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_soffice_found_in_windows_program_files(tmp_path, windows):
    exe = _exe(tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe")
    windows.setenv("ProgramFiles", str(tmp_path / "Program Files"))
    windows.delenv("ProgramW6432", raising=False)
    windows.delenv("ProgramFiles(x86)", raising=False)
    windows.delenv("JIANBAO_SOFFICE", raising=False)
    windows.setenv("PATH", str(tmp_path / "empty"))
    assert system.find_soffice() == str(exe)


def test_soffice_found_in_opt_newest_first(tmp_path, monkeypatch):
    for version in ("libreoffice7.6", "libreoffice24.8", "libreoffice24.2"):
        _exe(tmp_path / "opt" / version / "program" / "soffice")
    monkeypatch.setattr(system, "OPT", tmp_path / "opt")
    monkeypatch.delenv("JIANBAO_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert system.find_soffice() == str(tmp_path / "opt" / "libreoffice24.8" / "program" / "soffice")


def test_jianbao_soffice_wins_and_never_falls_back(tmp_path, monkeypatch):
    exe = _exe(tmp_path / "my office" / "soffice")
    monkeypatch.setenv("JIANBAO_SOFFICE", str(exe))
    assert system.find_soffice() == str(exe)
    monkeypatch.setenv("JIANBAO_SOFFICE", str(tmp_path / "missing"))
    assert system.find_soffice() is None


def test_uno_python_is_libreoffices_own_on_windows(tmp_path, windows):
    soffice = _exe(tmp_path / "LibreOffice" / "program" / "soffice.exe")
    python = _exe(tmp_path / "LibreOffice" / "program" / "python.exe")
    windows.delenv("JIANBAO_UNO_PYTHON", raising=False)
    windows.setattr(system, "_UNO_PYTHON", {})
    windows.setattr(system, "_imports_uno", lambda exe: exe == str(python))
    assert system.find_uno_python(str(soffice)) == str(python)


# --- consoles and paths --------------------------------------------------------------------------

def _run(args, cwd, **env):
    full = dict(os.environ, **env)
    full.pop("JIANBAO_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "jianbao", *map(str, args)], cwd=cwd, env=full,
                          capture_output=True, timeout=300)


def test_gbk_console_never_crashes(tmp_path):
    office = Office(tmp_path / "office")
    # 𠀀 (CJK Extension B) and ✓ are not in GBK; the diagnostic quotes the line
    office.issue("number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态✓\n    items:\n"
                 "      - 本周召开专题会议𠀀 {{ 未定义 }}\n")
    for args in (["check", "issues"], ["build", "issues/2024-05-13.yaml"], ["doctor"], ["rules"], ["--help"]):
        p = _run(args, office.root, PYTHONIOENCODING="gbk")
        err = p.stderr.decode("gbk", errors="strict")  # what the console gets is valid GBK
        p.stdout.decode("gbk", errors="strict")
        assert "Traceback" not in err and "内部错误" not in err and "UnicodeEncodeError" not in err, err
        assert p.returncode in (0, 1), (args, err)
    check = _run(["check", "issues"], office.root, PYTHONIOENCODING="gbk")
    assert check.returncode == 1 and "JB" in check.stderr.decode("gbk")


def test_chinese_names_and_spaces_in_every_path(tmp_path):
    root = tmp_path / "省 政务服务中心" / "工作 动态"
    p = _run(["init", root], tmp_path)
    assert p.returncode == 0, p.stderr.decode()
    p = _run(["new", "--date", "2024-05-13"], root)
    assert p.returncode == 0, p.stderr.decode()
    [issue] = (root / "issues").glob("*.yaml")
    text = issue.read_text(encoding="utf-8").replace("待填", "内容")
    issue.write_text(text, encoding="utf-8")
    settings = root / "jianbao.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("待填：", ""), encoding="utf-8")
    renamed = issue.with_name("第 3 期 2024-05-13.yaml")
    issue.rename(renamed)
    tmp = tmp_path / "临时 文件夹"
    tmp.mkdir()
    p = _run(["build", renamed.relative_to(root), "--pdf"], root, TMPDIR=str(tmp))
    assert p.returncode == 0, p.stderr.decode()
    assert (root / "build" / "第 3 期 2024-05-13.docx").is_file()
    assert (root / "build" / "第 3 期 2024-05-13.pdf").read_bytes().startswith(b"%PDF-")
    assert list(tmp.iterdir()) == []
