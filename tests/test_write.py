"""Output is reproducible and written atomically: never half a file, never the old one damaged."""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, Office
from jianbao.diagnostics import JianbaoError
from jianbao.write import write_atomic

SEED = ROOT / "issues" / "2024-05-13.yaml"


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_same_input_same_bytes_across_processes_timezones_and_locales(tmp_path):
    outs = []
    for k, (tz, lang) in enumerate([("UTC", "C.UTF-8"), ("Asia/Shanghai", "zh_CN.UTF-8"), ("America/New_York", "C")]):
        out = tmp_path / f"{k}.docx"
        env = dict(os.environ, TZ=tz, LANG=lang, LC_ALL=lang)
        r = subprocess.run([sys.executable, "-m", "jianbao", "build", str(SEED), "-o", str(out)],
                           env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        outs.append(out)
    assert len({sha(o) for o in outs}) == 1


def test_core_properties_come_from_the_issue(tmp_path, cli):
    out = tmp_path / "a.docx"
    assert cli("build", SEED, "-o", out).exit_code == 0
    core = zipfile.ZipFile(out).read("docProps/core.xml").decode()
    assert "政务服务和公共资源交易工作动态 第18期（总第356期）" in core
    assert "四川省政府政务服务和公共资源交易服务中心" in core
    assert "2024-05-13T00:00:00Z" in core
    assert "python-docx" not in core
    names = zipfile.ZipFile(out).namelist()
    assert names[0] == "[Content_Types].xml" and "word/stylesWithEffects.xml" not in names
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in zipfile.ZipFile(out).infolist())


def test_failed_write_keeps_the_previous_output(tmp_path, monkeypatch):
    target = tmp_path / "out.docx"
    target.write_bytes(b"previous")

    def full_disk(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(JianbaoError) as exc:
        write_atomic(target, b"new bytes")
    d = exc.value.diagnostics[0]
    assert d.code == "JB501" and "No space left" in d.message
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.docx"]  # no temporary file left


def test_unwritable_folder(tmp_path, monkeypatch):
    import tempfile

    def denied(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(JianbaoError) as exc:
        write_atomic(tmp_path / "out.docx", b"x")
    assert exc.value.diagnostics[0].code == "JB501" and "Permission denied" in exc.value.diagnostics[0].message


def test_target_is_a_directory(tmp_path, cli):
    (tmp_path / "out.docx").mkdir()
    r = cli("build", SEED, "-o", tmp_path / "out.docx")
    assert r.exit_code == 1 and "JB501" in r.stderr and "文件夹" in r.stderr


def test_target_is_a_symlink_out_of_the_office(tmp_path, cli):
    o = Office(tmp_path / "office")
    issue = o.issue()
    outside = tmp_path / "elsewhere.docx"
    outside.write_bytes(b"precious")
    (o.root / "build").mkdir()
    (o.root / "build" / "2024-05-13.docx").symlink_to(outside)
    r = cli("build", issue)
    assert r.exit_code == 1 and "JB501" in r.stderr and "符号链接" in r.stderr
    assert outside.read_bytes() == b"precious"


def test_layout_outside_the_office_is_refused(tmp_path, cli):
    o = Office(tmp_path / "office")
    (tmp_path / "evil.yaml").write_text((ROOT / "templates/layouts/gbt9704.yaml").read_text(encoding="utf-8"),
                                        encoding="utf-8")
    issue = o.issue("number: 1\ndate: 2024-05-13\nlayout: ../evil.yaml\n")
    r = cli("build", issue)
    assert r.exit_code == 1 and "JB401" in r.stderr and "之外" in r.stderr and f"{issue}:3:9" in r.stderr


def test_missing_layout(tmp_path, cli):
    o = Office(tmp_path / "office")
    issue = o.issue("number: 1\ndate: 2024-05-13\nlayout: 没有这个版式\n")
    r = cli("build", issue)
    assert r.exit_code == 1 and "JB401" in r.stderr and "gbt9704" in r.stderr


def test_office_preset_overrides_builtin(tmp_path, cli):
    o = Office(tmp_path / "office")
    preset = (ROOT / "templates/layouts/gbt9704.yaml").read_text(encoding="utf-8").replace("rule_color: FF0000",
                                                                                            "rule_color: 0000FF")
    (o.root / "templates" / "layouts").mkdir(parents=True)
    (o.root / "templates" / "layouts" / "blue.yaml").write_text(preset, encoding="utf-8")
    issue = o.issue("number: 1\ndate: 2024-05-13\nlayout: blue\n")
    out = tmp_path / "b.docx"
    assert cli("build", issue, "-o", out).exit_code == 0
    assert 'w:color="0000FF"' in zipfile.ZipFile(out).read("word/document.xml").decode()


def test_invalid_preset_is_reported_in_the_preset_file(tmp_path, cli):
    o = Office(tmp_path / "office")
    preset = (ROOT / "templates/layouts/gbt9704.yaml").read_text(encoding="utf-8").replace("line_pitch: 579",
                                                                                            "line_pitch: 很宽")
    (o.root / "templates" / "layouts").mkdir(parents=True)
    (o.root / "templates" / "layouts" / "bad.yaml").write_text(preset, encoding="utf-8")
    r = cli("build", o.issue("number: 1\ndate: 2024-05-13\nlayout: bad\n"))
    assert r.exit_code == 1 and "版式预设有误" in r.stderr and "bad.yaml" in r.stderr and "line_pitch" in r.stderr
