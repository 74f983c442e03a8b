"""Shared fixtures: temporary office folders and a runner for the CLI."""

from __future__ import annotations

import signal
import textwrap
from pathlib import Path

import pytest

# The suite sends SIGINT and SIGHUP to the jianbao processes it starts (Ctrl-C, a closed terminal).
# A suite started under nohup, or in the background of a non-interactive shell, has them ignored,
# and every child inherits that — jianbao then rightly ignores them too (it honours nohup), and the
# signal tests hang or see the template child die instead.  Give the children the defaults.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
if hasattr(signal, "SIGHUP") and signal.getsignal(signal.SIGHUP) is signal.SIG_IGN:
    signal.signal(signal.SIGHUP, signal.SIG_DFL)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

SERIES = """\
name: 测试工作动态
editor: 测试中心
copies: 20
distribution:
  报: [上级单位, 相关部门]
  发: 本单位各处室。
"""

#: The same series with a one-line 报 row: layout tests that count the end block's lines use it.
SHORT_END_SERIES = """\
name: 测试工作动态
editor: 测试中心
copies: 20
distribution: {报: [上级单位], 发: 本单位各处室。}
"""

ISSUE = """\
number: 3
total: 30
date: 2024-05-13
period:
  start: 2024-05-06
  end: 2024-05-10
sections:
  - title: 工作动态
    items:
      - 本周召开专题会议。
      - lead: 推进改革。
        body: 围绕重点任务推进各项工作。
"""


class Office:
    """A temporary office folder: ``jianbao.yaml`` plus ``issues/``."""

    def __init__(self, root: Path, series: str = SERIES):
        self.root = root
        (root / "issues").mkdir(parents=True, exist_ok=True)
        (root / "jianbao.yaml").write_text(textwrap.dedent(series), encoding="utf-8")

    def issue(self, text: str = ISSUE, name: str = "2024-05-13.yaml") -> Path:
        p = self.root / "issues" / name
        p.write_text(textwrap.dedent(text), encoding="utf-8")
        return p


@pytest.fixture
def office(tmp_path: Path) -> Office:
    return Office(tmp_path / "office")


@pytest.fixture
def cli():
    """Run ``jianbao ARGS`` in-process; returns the click Result (exit_code, stdout, stderr)."""
    from typer.testing import CliRunner

    from jianbao.cli import app

    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return run
