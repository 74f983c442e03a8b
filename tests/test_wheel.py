"""Installation as an office's IT colleague does it (issue 19): build the wheel, install it into a
fresh virtual environment, and run the weekly cycle from a folder outside the repository.

The wheel must carry everything the program reads at run time — the layout preset, the scaffold
templates, fonts.conf, the UNO bridge — and its dependencies must install from its metadata alone.
About 40 s (most of it pip installing the dependencies into the new environment).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE_DATA = ["jianbao/templates/layouts/gbt9704.yaml", "jianbao/templates/scaffold/issue.yaml.j2",
                "jianbao/templates/scaffold/office/jianbao.yaml.j2", "jianbao/data/fonts.conf",
                "jianbao/templates/scaffold/office/build.cmd.j2", "jianbao/uno_bridge.py"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "JIANBAO_DEBUG")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _run(cmd, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    p = subprocess.run([str(c) for c in cmd], cwd=cwd, env=_env(), capture_output=True, text=True,
                       timeout=timeout)
    assert p.returncode == 0, f"{cmd} failed ({p.returncode}):\n{p.stdout[-2000:]}\n{p.stderr[-4000:]}"
    return p


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the wheel, the bin folder of a fresh venv with it installed)."""
    tmp = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp / "dist", ROOT], tmp)
    [wheel] = (tmp / "dist").glob("jianbao-*.whl")
    base = getattr(sys, "_base_executable", sys.executable)
    _run([base, "-m", "venv", tmp / "venv"], tmp)
    bindir = tmp / "venv" / ("Scripts" if os.name == "nt" else "bin")
    _run([bindir / "python", "-m", "pip", "install", "-q", wheel], tmp)
    return wheel, bindir


def test_the_wheel_carries_its_data(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [n for n in PACKAGE_DATA if n not in names]
    assert not missing, f"not in {wheel.name}: {missing}"
    assert not [n for n in names if n.startswith(("tests/", "jianbao/tests/", "issues/"))]


def test_init_new_build_outside_the_repository(installed, tmp_path):
    _, bindir = installed
    jianbao = bindir / "jianbao"
    where = _run([bindir / "python", "-c", "import jianbao, sys; print(jianbao.__file__)"], tmp_path).stdout
    assert ROOT not in Path(where.strip()).parents and str(bindir.parent) in where

    _run([jianbao, "init", "工作动态"], tmp_path)
    office = tmp_path / "工作动态"
    assert (office / "build.cmd").read_bytes().startswith(b"@echo off\r\n")
    settings = office / "jianbao.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("待填：", ""), encoding="utf-8")
    out = _run([jianbao, "new", "--date", "2024-05-13"], office).stdout.strip()
    issue = office / out
    issue.write_text(issue.read_text(encoding="utf-8").replace("待填", "本周工作"), encoding="utf-8")
    _run([jianbao, "check", "issues"], office)
    _run([jianbao, "build", "issues", "--pdf"], office)
    docx = office / "build" / "2024-05-13.docx"
    pdf = docx.with_suffix(".pdf")
    assert zipfile.ZipFile(docx).read("word/document.xml").count(b"<w:p") > 5
    assert pdf.read_bytes().startswith(b"%PDF-")
    # fonts.conf came from the installed package: 仿宋_GB2312 is set in Fandol, not Noto Sans
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "Fandol" in fonts, fonts
    doctor = _run([jianbao, "doctor"], office)
    assert "LibreOffice" in doctor.stderr
