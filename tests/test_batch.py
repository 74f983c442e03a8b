"""Whole-folder builds: one broken issue does not stop the others, up-to-date outputs are
skipped, parallel builds give the same bytes, and --watch rebuilds on save."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


def test_a_libreoffice_that_stops_part_way_gets_the_rest_in_a_new_run(tmp_path, monkeypatch):
    """Issue 13's long run: one soffice process stopped after some hundred files of a 300-file
    batch, exit status 0.  The files it did not reach are converted by a fresh run."""
    from jianbao.pdf import PdfError, convert_to_pdf
    from test_processes import tiny_pdf

    fake = tmp_path / "soffice"
    log = tmp_path / "runs.log"
    (tmp_path / "good.pdf").write_bytes(tiny_pdf())  # a PDF that passes the checks before a PDF is replaced
    # converts only the first file it is given, like a LibreOffice that gives up after one
    fake.write_text(
        "#!/bin/sh\n"
        f'echo run >> "{log}"\n'
        'while [ "$1" != "--outdir" ]; do shift; done; out="$2"; shift 2\n'
        f'name=$(basename "$1" .docx); cp "{tmp_path}/good.pdf" "$out/$name.pdf"\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("JIANBAO_SOFFICE", str(fake))
    docs = []
    for n in range(3):
        d = tmp_path / f"d{n}.docx"
        d.write_bytes(b"PK")
        docs.append(d)
    pdfs = convert_to_pdf(docs)
    assert [p.read_bytes() for p in pdfs] == [tiny_pdf()] * 3
    assert log.read_text().count("run") == 3
    # a run that makes no progress at all is an error, not a loop
    fake.write_text(f'#!/bin/sh\necho run >> "{log}"\n', encoding="utf-8")
    with pytest.raises(PdfError):
        convert_to_pdf([tmp_path / "d0.docx"], out_dir=tmp_path / "again")


# --- builds follow their neighbours (issue 11) ------------------------------------------------------------

def weekly(office: Office, date: str, number: int, accepted: int) -> Path:
    return office.issue(f"number: {number}\ndate: {date}\ndata: {{综窗: {{受理: {accepted}}}}}\nsections:\n"
                        "  - title: 动态\n    items: [\"本周受理{{ 综窗.受理 }}件，累计受理{{ ytd.综窗.受理 }}件。\"]\n",
                        f"{date}.yaml")


def printed_total(docx: Path) -> str:
    import re
    import zipfile

    with zipfile.ZipFile(docx) as z:
        return re.search(r"累计受理(\d+)件", z.read("word/document.xml").decode()).group(1)


def test_a_deleted_neighbour_makes_the_issues_that_read_it_stale(office: Office, cli, tmp_path):
    weekly(office, "2024-05-06", 1, 100)
    middle = weekly(office, "2024-05-13", 2, 200)
    weekly(office, "2024-05-20", 3, 300)
    assert cli("build", office.root).exit_code == 0
    build = office.root / "build"
    assert printed_total(build / "2024-05-20.docx") == "600"
    middle.rename(tmp_path / "moved-away.yaml")  # every file left is older than the outputs
    r = cli("build", office.root)
    assert "编译 1，跳过 1" in r.stderr  # 05-20 read 05-13, which is gone; 05-06 read nothing
    assert printed_total(build / "2024-05-20.docx") == "400"


def test_a_build_writes_a_dependency_file_make_can_read(office: Office, cli):
    weekly(office, "2024-05-06", 1, 100)
    weekly(office, "2024-05-13", 2, 200)
    office.issue("number: 9\ndate: 2024-05-15\nsections:\n  - title: 动态\n    items: [没有模板。]\n", "2024-05-15.yaml")
    assert cli("build", office.root).exit_code == 0
    d = (office.root / "build" / "2024-05-13.d").read_text(encoding="utf-8")
    lines = d.splitlines()
    assert lines[0] == '# jianbao-inputs: ["issues/2024-05-13.yaml", "jianbao.yaml", "issues/2024-05-06.yaml"]'
    assert "build/2024-05-13.docx build/2024-05-13.pdf: issues/2024-05-13.yaml jianbao.yaml issues/2024-05-06.yaml" in lines
    assert "issues/2024-05-06.yaml:" in lines  # a deleted neighbour makes the output stale
    assert any("$(filter-out issues/2024-05-06.yaml issues/2024-05-13.yaml issues/2024-05-15.yaml," in ln for ln in lines)
    # an issue without prev/ytd depends on itself and the settings only
    plain = (office.root / "build" / "2024-05-15.d").read_text(encoding="utf-8").splitlines()
    assert plain[2] == "build/2024-05-15.docx build/2024-05-15.pdf: issues/2024-05-15.yaml jianbao.yaml"
    assert len(plain) == 3


def test_a_docx_up_to_date_whose_pdf_is_made_again_is_not_called_up_to_date(office: Office, cli):
    weekly(office, "2024-05-06", 1, 100)
    settings = office.root / "jianbao.yaml"
    assert cli("build", office.root).exit_code == 0  # .docx only
    r = cli("build", office.root, "--pdf")
    assert r.exit_code == 0, r.stderr
    assert "已是最新" not in r.stderr and "已生成 PDF" in r.stderr and "只生成 PDF 1" in r.stderr
    pdf = office.root / "build" / "2024-05-06.pdf"
    assert "（共印20份）" in pdftext(pdf)
    # a changed copies reaches the PDF
    time.sleep(0.01)
    settings.write_text(settings.read_text(encoding="utf-8").replace("copies: 20", "copies: 77"), encoding="utf-8")
    r = cli("build", office.root, "--pdf")
    assert "编译 1，跳过 0" in r.stderr and "已是最新" not in r.stderr
    assert "（共印77份）" in pdftext(pdf)
    r = cli("build", office.root, "--pdf")
    assert "跳过 1" in r.stderr and "已是最新" in r.stderr


def pdftext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.replace(" ", "")


def test_the_web_page_follows_a_deleted_neighbour_too(office: Office, cli, tmp_path):
    weekly(office, "2024-05-06", 1, 100)
    middle = weekly(office, "2024-05-13", 2, 200)
    weekly(office, "2024-05-20", 3, 300)
    assert cli("build", office.root, "--html").exit_code == 0
    page = office.root / "build" / "2024-05-20.html"
    assert "累计受理600件" in page.read_text(encoding="utf-8")
    middle.rename(tmp_path / "moved-away.yaml")
    assert cli("build", office.root, "--html").exit_code == 0
    assert "累计受理400件" in page.read_text(encoding="utf-8")


def test_a_single_build_says_when_the_last_paragraph_was_split(office: Office, cli):
    """Issue 13: without --pdf and without a summary table, the build still says that the last two
    lines of a long last paragraph became a paragraph of their own (to merge before editing it in
    Word); a short last paragraph says nothing."""
    from jianbao.batch import SPLIT_NOTE

    long_end = "本周" + "推进工作" * 27 + "。"
    path = office.issue(f"number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    items:\n      - {long_end}\n")
    r = cli("build", path)
    assert r.exit_code == 0 and SPLIT_NOTE in r.stderr, r.stderr
    path.write_text(path.read_text(encoding="utf-8").replace(long_end, "本周推进工作。"), encoding="utf-8")
    r = cli("build", path)
    assert r.exit_code == 0 and SPLIT_NOTE not in r.stderr + r.stdout


def test_watch_builds_a_save_as_soon_as_it_has_settled(monkeypatch):
    """Issue 17: once a change is seen, the next look comes SETTLE later (not a whole POLL plus
    SETTLE); a save in two writes seen one after the other is built once, after the second."""
    import itertools

    from jianbao import watch

    clock = [0.0]
    sleeps: list[float] = []

    def sleep(s: float) -> None:
        sleeps.append(round(s, 6))
        clock[0] += s

    monkeypatch.setattr(watch.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(watch.time, "sleep", sleep)
    looks = itertools.chain([0, 0, 0, 1, 2], itertools.repeat(2))  # two writes, seen at consecutive looks
    monkeypatch.setattr(watch, "_snapshot", lambda paths: next(looks))
    monkeypatch.setattr(watch, "timed", lambda build, console: build())
    builds: list[float] = []

    class Quiet:
        def print(self, *a, **k) -> None: ...
        def rule(self, *a, **k) -> None: ...

    watch.watch_and_build([], lambda: builds.append(round(clock[0], 6)) is None, console=Quiet(), seconds=1.0)
    P, S = watch.POLL, watch.SETTLE
    assert sleeps[:5] == [P, P, P, S, S]  # looks 2–4 a POLL apart; after a change, SETTLE
    assert builds == [0.0, round(3 * P + 2 * S, 6)]  # at the start, then once the second write has stood SETTLE


def _one_page_pdf(path: Path, text: str) -> None:
    """A minimal one-page PDF that prints *text* (ASCII) in Helvetica."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils")
def test_end_block_check_reads_a_pdf_page_once_until_the_pdf_changes(tmp_path, monkeypatch):
    """Issue 17: the PDF stage asks end_block_alone twice per PDF; pdftotext runs once per version."""
    import jianbao.batch as batch

    runs = []
    real = batch.subprocess.run
    monkeypatch.setattr(batch.subprocess, "run", lambda cmd, **kw: runs.append(cmd) or real(cmd, **kw))
    pdf = tmp_path / "x.pdf"
    _one_page_pdf(pdf, "ENDBLOCK")
    assert batch.end_block_alone(pdf, 1, "ENDBLOCK") and batch.end_block_alone(pdf, 1, "END BLOCK")
    assert not batch.end_block_alone(pdf, 1, "OTHER")
    assert len(runs) == 1
    _one_page_pdf(tmp_path / "new.pdf", "TEXT AND ENDBLOCK")
    os.replace(tmp_path / "new.pdf", pdf)  # LibreOffice's new PDF is renamed into place
    assert not batch.end_block_alone(pdf, 1, "ENDBLOCK")
    assert len(runs) == 2


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils")
def test_text_lines_of_a_pdf_page_are_read_once_until_the_pdf_changes(tmp_path, monkeypatch):
    """_carry and _moved_tail ask for the same pages: one pdftotext -bbox run per version of the PDF."""
    import jianbao.batch as batch

    runs = []
    real = batch.subprocess.run
    monkeypatch.setattr(batch.subprocess, "run", lambda cmd, **kw: runs.append(cmd) or real(cmd, **kw))
    pdf = tmp_path / "lines.pdf"
    _one_page_pdf(pdf, "FIRST")
    first = batch._text_lines(pdf, 1)
    assert [t for t, _ in first] == ["FIRST"] and batch._text_lines(pdf, 1) == first and len(runs) == 1
    batch._text_lines(pdf, 1).clear()  # a caller's list is its own
    assert batch._text_lines(pdf, 1) == first
    _one_page_pdf(tmp_path / "new.pdf", "SECOND")
    os.replace(tmp_path / "new.pdf", pdf)
    assert [t for t, _ in batch._text_lines(pdf, 1)] == ["SECOND"] and len(runs) == 2


def test_a_folder_built_with_its_pdfs_is_up_to_date_the_next_time(office: Office, cli):
    # the end-block pass rebuilt the .docx (same bytes: the last paragraph could not be split) after
    # its PDF was made, so every later build --pdf made the PDF again (“已生成 PDF”), never “已是最新”
    from PIL import Image

    (office.root / "照片").mkdir()
    Image.new("RGB", (3000, 4000), (40, 120, 200)).save(office.root / "照片" / "竖.jpg")
    office.issue("number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    items:\n"
                 "      - 本周召开专题会议，研究部署下一阶段重点工作。\n      - 本周组织窗口业务培训。\n"
                 "  - title: 窗口风采\n    body:\n      - image: ../照片/竖.jpg\n        caption: 图为窗口工作人员。\n"
                 "  - title: 下周安排\n    body:\n      - 做好总结。\n      - 做好准备。\n")
    assert cli("build", office.root, "--pdf").exit_code == 0
    docx, pdf = office.root / "build" / "2024-05-13.docx", office.root / "build" / "2024-05-13.pdf"
    assert docx.stat().st_mtime_ns <= pdf.stat().st_mtime_ns
    r = cli("build", office.root, "--pdf")
    assert r.exit_code == 0 and "已是最新" in r.stderr and "已生成 PDF" not in r.stderr, r.stderr
