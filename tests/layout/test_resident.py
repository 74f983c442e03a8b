"""The resident LibreOffice (issue 17): restarted when killed, killed and restarted when hung,
never left behind (error, Ctrl-C), and the same PDF as the one-shot path.

Needs LibreOffice with its Python bridge (Debian: python3-uno, installed by
scripts/install-system-deps.sh); like the other layout tests these FAIL when it is missing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from jianbao import system
from jianbao.converter import current, resident
from jianbao.pdf import PdfError, convert_to_pdf, find_soffice

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "issues" / "2024-05-13.yaml"


@pytest.fixture(scope="module")
def example_docx(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("resident") / "example.docx"
    subprocess.run([sys.executable, "-m", "jianbao", "build", str(EXAMPLE), "-o", str(out)], check=True,
                   capture_output=True)
    return out


@pytest.fixture
def own_tmp(tmp_path, monkeypatch):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.delenv("JIANBAO_RESIDENT", raising=False)
    return tmp


def test_a_python_with_uno_is_there():
    assert system.find_uno_python(find_soffice()), (
        "no Python that can `import uno`: run `bash scripts/install-system-deps.sh` (python3-uno)")


def office_bin(tag: str) -> list[int]:
    out = []
    for pid in system.tagged_pids(tag):
        try:
            if b"soffice.bin" in Path(f"/proc/{pid}/cmdline").read_bytes():
                out.append(pid)
        except OSError:
            pass
    return out


def gone(pids: list[int], seconds: float = 15) -> bool:
    end = time.monotonic() + seconds
    while any(system.pid_alive(p) for p in pids):
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


def test_same_pdf_as_one_shot_and_reused(example_docx, tmp_path, own_tmp, monkeypatch):
    one = tmp_path / "one"
    monkeypatch.setenv("JIANBAO_RESIDENT", "0")
    with resident() as conv:
        assert conv is None and current() is None
        convert_to_pdf([example_docx], out_dir=one)
    monkeypatch.delenv("JIANBAO_RESIDENT")
    with resident() as conv:
        assert current() is conv
        for n in range(3):
            convert_to_pdf([example_docx], out_dir=tmp_path / f"res{n}")
        assert conv.starts == 1 and conv.broken is None
        tag = conv.tag
    assert system.tagged_pids(tag) == []

    def text(pdf: Path) -> str:
        return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout

    assert text(tmp_path / "res2" / "example.pdf") == text(one / "example.pdf")
    assert "2024" in text(one / "example.pdf")
    assert list(own_tmp.iterdir()) == []


def test_killed_office_is_restarted(example_docx, tmp_path, own_tmp):
    with resident() as conv:
        convert_to_pdf([example_docx], out_dir=tmp_path / "a")
        victims = office_bin(conv.tag)
        assert victims
        for pid in victims:
            os.kill(pid, signal.SIGKILL)
        assert gone(victims)
        [pdf] = convert_to_pdf([example_docx], out_dir=tmp_path / "b")
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert conv.starts == 2
        assert office_bin(conv.tag) and not set(office_bin(conv.tag)) & set(victims)
    assert system.tagged_pids(conv.tag) == []


def test_hung_office_times_out_and_is_replaced(example_docx, tmp_path, own_tmp):
    with resident() as conv:
        convert_to_pdf([example_docx], out_dir=tmp_path / "a")
        hung = office_bin(conv.tag)
        for pid in hung:
            os.kill(pid, signal.SIGSTOP)
        t0 = time.monotonic()
        with pytest.raises(PdfError, match="超时"):
            convert_to_pdf([example_docx], out_dir=tmp_path / "b", timeout=3)
        assert time.monotonic() - t0 < 60
        assert gone(hung)  # killed, stopped or not
        assert not (tmp_path / "b" / "example.pdf").exists()
        [pdf] = convert_to_pdf([example_docx], out_dir=tmp_path / "c")
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert conv.starts == 2
    assert system.tagged_pids(conv.tag) == []


def test_nothing_left_after_an_error(example_docx, tmp_path, own_tmp):
    with pytest.raises(RuntimeError, match="boom"):
        with resident() as conv:
            convert_to_pdf([example_docx], out_dir=tmp_path / "a")
            assert office_bin(conv.tag)
            raise RuntimeError("boom")
    assert system.tagged_pids(conv.tag) == []
    assert list(own_tmp.iterdir()) == []


def _ours(marker: bytes) -> list[int]:
    """Processes (other than us) whose environment holds *marker*."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def test_ctrl_c_in_watch_leaves_no_process(tmp_path, own_tmp):
    env = dict(os.environ, TMPDIR=str(own_tmp), JIANBAO_TEST_MARK=str(tmp_path))
    env.pop("JIANBAO_RESIDENT", None)
    out = tmp_path / "w" / "x.docx"
    proc = subprocess.Popen([sys.executable, "-m", "jianbao", "build", str(EXAMPLE), "-o", str(out), "--pdf",
                             "--watch"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    end = time.monotonic() + 120
    while not out.with_suffix(".pdf").exists():
        assert time.monotonic() < end and proc.poll() is None, proc.stderr.read() if proc.poll() is not None else ""
        time.sleep(0.1)
    marker = f"JIANBAO_TEST_MARK={tmp_path}".encode()
    running = [p for p in _ours(marker) if p != proc.pid]
    assert any(b"soffice.bin" in Path(f"/proc/{p}/cmdline").read_bytes() for p in running if system.pid_alive(p))
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert "已停止监视" in err and proc.returncode == 0, err
    assert gone(running)
    assert _ours(marker) == []
    assert list(own_tmp.iterdir()) == []


def test_sigkill_of_jianbao_stops_the_resident_office(tmp_path, own_tmp):
    # SIGKILL cannot be caught: the bridge sees its stdin close and asks LibreOffice to quit,
    # and the next run sweeps the scratch folder.
    env = dict(os.environ, TMPDIR=str(own_tmp), JIANBAO_TEST_MARK=str(tmp_path))
    env.pop("JIANBAO_RESIDENT", None)
    out = tmp_path / "w" / "x.docx"
    proc = subprocess.Popen([sys.executable, "-m", "jianbao", "build", str(EXAMPLE), "-o", str(out), "--pdf",
                             "--watch"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    end = time.monotonic() + 120
    while not out.with_suffix(".pdf").exists():
        assert time.monotonic() < end and proc.poll() is None
        time.sleep(0.1)
    marker = f"JIANBAO_TEST_MARK={tmp_path}".encode()
    running = [p for p in _ours(marker) if p != proc.pid]
    assert running
    proc.kill()
    proc.wait(timeout=30)
    assert gone(running, 60)
    [stale] = list(own_tmp.iterdir())
    assert system.sweep_stale() == [stale]


def test_a_batch_uses_two_offices_side_by_side(example_docx, tmp_path, own_tmp):
    import shutil

    files = []
    for n in range(9):  # 9 files: one extra LibreOffice (one per 8 files, up to `workers`)
        f = tmp_path / "in" / f"第{n}期 x.docx"
        f.parent.mkdir(exist_ok=True)
        shutil.copy(example_docx, f)
        files.append(f)
    with resident(workers=2) as conv:
        pdfs = convert_to_pdf(files, out_dir=tmp_path / "out")
        assert len(conv.helpers) == 1 and conv.helpers[0].conversions > 0 and conv.conversions > 0
        assert conv.conversions + conv.helpers[0].conversions == 9
        tags = [conv.tag, conv.helpers[0].tag]
    assert [p.name for p in pdfs] == [f"第{n}期 x.pdf" for n in range(9)]
    assert all(p.read_bytes().startswith(b"%PDF-") for p in pdfs)
    assert all(system.tagged_pids(t) == [] for t in tags)
    assert list(own_tmp.iterdir()) == []


def test_sigterm_during_a_parallel_batch_stops_at_once(tmp_path, own_tmp):
    import datetime as dt
    import textwrap

    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import ISSUE, Office

    office = Office(tmp_path / "office")
    for n in range(12):
        day = dt.date(2024, 1, 8) + dt.timedelta(days=7 * n)
        text = textwrap.dedent(ISSUE).replace("number: 3", f"number: {n + 1}").replace("total: 30", f"total: {n + 1}")
        text = text.replace("date: 2024-05-13", f"date: {day}")
        text = text.replace("start: 2024-05-06", f"start: {day - dt.timedelta(days=7)}")
        text = text.replace("end: 2024-05-10", f"end: {day - dt.timedelta(days=3)}")
        office.issue(text, f"{day}.yaml")
    env = dict(os.environ, TMPDIR=str(own_tmp), JIANBAO_TEST_MARK=str(tmp_path))
    env.pop("JIANBAO_RESIDENT", None)
    proc = subprocess.Popen([sys.executable, "-m", "jianbao", "build", "issues", "--pdf", "-j", "2"],
                            cwd=office.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    marker = f"JIANBAO_TEST_MARK={tmp_path}".encode()
    end = time.monotonic() + 120

    def offices() -> int:
        n = 0
        for p in _ours(marker):
            try:
                n += b"soffice.bin" in Path(f"/proc/{p}/cmdline").read_bytes()
            except OSError:
                pass
        return n

    while offices() < 2:  # both LibreOffices are up: the conversions are under way
        assert time.monotonic() < end and proc.poll() is None, proc.communicate()[1]
        time.sleep(0.05)
    running = [p for p in _ours(marker) if p != proc.pid]
    t0 = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert time.monotonic() - t0 < 30  # not after the conversions under way (180 s timeout each)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert gone(running)
    assert _ours(marker) == []
    assert list(own_tmp.iterdir()) == []
