"""Issue 20: what a careless or hostile colleague can commit — each case a regression test.

Nothing in an issue file, a neighbour or the folder may take down a build, leave the office
folder, or change what a number means.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from conftest import ISSUE, Office

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
