"""Interrupted and odd PDF runs (issue 20, item 9), with stand-in converters (shell scripts).

Each stand-in is given as JIANBAO_SOFFICE; it records its pid (and its children's) in files so that
the test can look them up in the process table afterwards.  The temp folder is the test's own
(TMPDIR / tempfile.tempdir), so "no /tmp/jianbao-soffice-* left" is checked without looking at
other runs on the machine.
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
from jianbao.pdf import PdfError, convert_to_pdf

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the stand-in converters are shell scripts")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "issues" / "2024-05-13.yaml"


def tiny_pdf(pages: int = 1) -> bytes:
    """A small valid PDF with *pages* empty A4 pages (xref offsets computed)."""
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def stand_in(tmp: Path, body: str) -> Path:
    """A fake soffice: finds --outdir and the input, then runs *body* (sh)."""
    script = tmp / "fake-soffice"
    (tmp / "good.pdf").write_bytes(tiny_pdf())
    script.write_text(f"""#!/bin/sh
echo $$ >> {tmp}/pids
outdir=""; prev=""; src=""
for a in "$@"; do
  [ "$prev" = "--outdir" ] && outdir="$a"
  prev="$a"; src="$a"
done
name=$(basename "$src" .docx)
{body}
""")
    script.chmod(0o755)
    return script


def pids(tmp: Path) -> list[int]:
    f = tmp / "pids"
    return [int(x) for x in f.read_text().split()] if f.exists() else []


def wait_gone(pid_list: list[int], seconds: float = 10) -> list[int]:
    end = time.monotonic() + seconds
    while True:
        alive = [p for p in pid_list if system.pid_alive(p)]
        if not alive or time.monotonic() > end:
            return alive
        time.sleep(0.05)


def scratch_left(tmp: Path) -> list[Path]:
    return sorted(tmp.glob(system.SCRATCH_PREFIX + "*"))


@pytest.fixture
def own_tmp(tmp_path, monkeypatch):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setenv("JIANBAO_RESIDENT", "0")
    return tmp


@pytest.fixture
def docx(tmp_path):
    p = tmp_path / "x.docx"
    p.write_bytes(b"PK not really a docx; the stand-ins do not read it")
    return p


def test_detached_child_is_not_waited_for_and_is_ended(tmp_path, own_tmp, docx, monkeypatch):
    # the converter finishes, but leaves a child in a session of its own that holds stdout/stderr open
    fake = stand_in(tmp_path, f"""
setsid sh -c 'echo $$ >> {tmp_path}/pids; exec sleep 300' &
while [ "$(wc -l < {tmp_path}/pids)" -lt 2 ]; do sleep 0.05; done
cp {tmp_path}/good.pdf "$outdir/$name.pdf"
exit 0
""")
    monkeypatch.setenv("JIANBAO_SOFFICE", str(fake))
    t0 = time.monotonic()
    [pdf] = convert_to_pdf([docx], timeout=60)
    assert time.monotonic() - t0 < 30  # not the 60 s timeout, nor the child's 300 s
    assert pdf.read_bytes() == tiny_pdf()
    started = pids(tmp_path)
    assert len(started) == 2
    assert wait_gone(started) == []
    assert scratch_left(own_tmp) == []


def test_timeout_kills_the_whole_tree(tmp_path, own_tmp, docx, monkeypatch):
    fake = stand_in(tmp_path, f"""
sh -c 'echo $$ >> {tmp_path}/pids; exec sleep 300' &
setsid sh -c 'echo $$ >> {tmp_path}/pids; exec sleep 300' &
while [ "$(wc -l < {tmp_path}/pids)" -lt 3 ]; do sleep 0.05; done
exec sleep 300
""")
    monkeypatch.setenv("JIANBAO_SOFFICE", str(fake))
    t0 = time.monotonic()
    with pytest.raises(PdfError, match="超时"):
        convert_to_pdf([docx], timeout=2)
    assert time.monotonic() - t0 < 60
    started = pids(tmp_path)
    assert len(started) == 3  # the converter, a child in its group, a detached child
    assert wait_gone(started) == []
    assert scratch_left(own_tmp) == []


@pytest.mark.parametrize("content", [b"%PDF-1.4 broken!\n", b"", b"<html>error</html>\n" * 3],
                         ids=["18-bytes", "empty", "not-a-pdf"])
def test_broken_pdf_never_replaces_a_good_one(tmp_path, own_tmp, docx, monkeypatch, content):
    (tmp_path / "bad.pdf").write_bytes(content)
    fake = stand_in(tmp_path, f'cp {tmp_path}/bad.pdf "$outdir/$name.pdf"; exit 0')
    monkeypatch.setenv("JIANBAO_SOFFICE", str(fake))
    good = docx.with_suffix(".pdf")
    good.write_bytes(tiny_pdf(3))
    with pytest.raises(PdfError) as err:
        convert_to_pdf([docx])
    assert "未改动" in err.value.message_zh
    assert good.read_bytes() == tiny_pdf(3)
    assert scratch_left(own_tmp) == []


def test_pdf_without_pages_or_end_is_refused(tmp_path):
    from jianbao.pdf import pdf_problem

    (tmp_path / "a.pdf").write_bytes(tiny_pdf(2)[:-20])
    assert "%%EOF" in pdf_problem(tmp_path / "a.pdf")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert "页面" in pdf_problem(tmp_path / "b.pdf")
    (tmp_path / "c.pdf").write_bytes(tiny_pdf(2))
    assert pdf_problem(tmp_path / "c.pdf") is None


def test_pdf_target_that_is_a_folder(tmp_path, own_tmp, docx, monkeypatch):
    fake = stand_in(tmp_path, f'cp {tmp_path}/good.pdf "$outdir/$name.pdf"; exit 0')
    monkeypatch.setenv("JIANBAO_SOFFICE", str(fake))
    docx.with_suffix(".pdf").mkdir()
    with pytest.raises(PdfError, match="文件夹"):
        convert_to_pdf([docx])


def _jianbao_pdf_run(tmp_path: Path, own_tmp: Path, fake: Path) -> subprocess.Popen:
    env = dict(os.environ, JIANBAO_SOFFICE=str(fake), TMPDIR=str(own_tmp), JIANBAO_RESIDENT="0")
    return subprocess.Popen([sys.executable, "-m", "jianbao", "build", str(EXAMPLE), "-o",
                             str(tmp_path / "out" / "x.docx"), "--pdf"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(cond, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while not cond():
        assert time.monotonic() < end, "timed out waiting"
        time.sleep(0.05)


HANGING = """
sh -c 'echo $$ >> {tmp}/pids; exec sleep 300' &
setsid sh -c 'echo $$ >> {tmp}/pids; exec sleep 300' &
exec sleep 300
"""


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_signal_during_conversion_cleans_up(tmp_path, own_tmp, signame):
    fake = stand_in(tmp_path, HANGING.format(tmp=tmp_path))
    proc = _jianbao_pdf_run(tmp_path, own_tmp, fake)
    _wait_for(lambda: len(pids(tmp_path)) == 3)
    assert len(scratch_left(own_tmp)) == 1
    signum = getattr(signal, signame)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, err
    assert "已中断" in err and "内部错误" not in err
    assert wait_gone(pids(tmp_path)) == []
    assert scratch_left(own_tmp) == []


def test_after_sigkill_the_next_run_sweeps(tmp_path, own_tmp, monkeypatch):
    fake = stand_in(tmp_path, HANGING.format(tmp=tmp_path))
    proc = _jianbao_pdf_run(tmp_path, own_tmp, fake)
    _wait_for(lambda: len(pids(tmp_path)) == 3)
    proc.kill()
    proc.communicate(timeout=60)
    orphans = pids(tmp_path)
    assert [p for p in orphans if system.pid_alive(p)] == orphans  # SIGKILL cannot be caught
    [stale] = scratch_left(own_tmp)
    # a folder of a jianbao that is still running is left alone
    mine = own_tmp / (system.SCRATCH_PREFIX + "mine")
    mine.mkdir()
    (mine / "owner").write_text(f"{os.getpid()} some-tag\n")
    removed = system.sweep_stale()
    assert removed == [stale]
    assert wait_gone(orphans) == []
    assert mine.is_dir()


def test_ownerless_scratch_folders_are_swept_only_when_old(own_tmp):
    old = own_tmp / (system.SCRATCH_PREFIX + "old")
    new = own_tmp / (system.SCRATCH_PREFIX + "new")
    old.mkdir()
    new.mkdir()
    past = time.time() - system.OWNERLESS_STALE - 60
    os.utime(old, (past, past))
    assert system.sweep_stale() == [old]
    assert new.is_dir()
