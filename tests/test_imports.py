"""Start-up: each command imports only what it uses (issue 6).

``jianbao --help`` and ``jianbao check`` never need python-docx or lxml; rich is imported only
when there is something to print to stderr; ``--help`` needs no pydantic, and ``rules`` and
``--version`` need no PyYAML nor jianbao's models.  Each case runs the real command line in a fresh interpreter (in-process runs would
see whatever earlier tests imported) and, on failure, names the chain of imports that pulled the
module in, from ``python -X importtime``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, Office

#: Runs jianbao's main() with the given argv, then prints the modules that were imported.
PROBE = """\
import json, sys
from jianbao.cli import main
sys.argv = ["jianbao"] + json.loads(sys.argv[1])
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
sys.stdout = sys.__stdout__
print("\\nMODULES " + json.dumps(sorted(sys.modules)))
"""

HEAVY = ("docx", "lxml", "jianbao.render", "jianbao.write")


def run(args: list[str], cwd: Path) -> tuple[set[str], str, subprocess.CompletedProcess]:
    """Modules imported by ``jianbao ARGS``, the -X importtime log, and the process."""
    env = dict(os.environ)
    env.pop("JIANBAO_DEBUG", None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src")] + [p for p in [env.get("PYTHONPATH")] if p])
    p = subprocess.run([sys.executable, "-X", "importtime", "-c", PROBE, json.dumps([str(a) for a in args])],
                       cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    line = [ln for ln in p.stdout.splitlines() if ln.startswith("MODULES ")]
    assert line, f"the probe did not finish:\n{p.stdout}\n{p.stderr[-3000:]}"
    return set(json.loads(line[-1][len("MODULES "):])), p.stderr, p


def chain(importtime: str, module: str) -> str:
    """``a → b → module``: who imported *module* first (importtime lists children before parents)."""
    rows = []
    for ln in importtime.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+\d+ \|( *)(\S+)", ln)
        if m:
            rows.append((len(m.group(1)), m.group(2)))
    for i, (depth, name) in enumerate(rows):
        if name == module or name.startswith(module + "."):
            path = [name]
            for d, n in rows[i + 1:]:
                if d < depth:
                    path.append(n)
                    depth = d
            return " ← ".join(path)
    return f"{module} (not in the -X importtime log)"


def assert_not_imported(modules: set[str], importtime: str, banned: tuple[str, ...], what: str) -> None:
    found = sorted(b for b in banned if any(m == b or m.startswith(b + ".") for m in modules))
    assert not found, f"{what} imported {', '.join(found)}:\n" + "\n".join(chain(importtime, b) for b in found)


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Office:
    """An office whose issue builds with no warning at all (nothing for stderr)."""
    office = Office(tmp_path_factory.mktemp("imports") / "office")
    office.issue()
    return office


def test_help_imports_no_library(tmp_path: Path):
    modules, log, p = run(["--help"], tmp_path)
    assert p.returncode == 0 and "jianbao" in p.stdout
    assert_not_imported(modules, log, HEAVY + ("pydantic", "yaml", "rich", "jinja2", "jianbao.model"),
                        "jianbao --help")


@pytest.mark.parametrize("args", [["--version"], ["rules"], ["rules", "JB201"], ["build", "--help"], ["import", "--help"],
                                  ["check", "--help"]])
def test_small_commands_import_no_library(tmp_path: Path, args: list[str]):
    """(typer itself converts parameters with pydantic: that much is the price of typer.)"""
    modules, log, p = run(args, tmp_path)
    assert p.returncode == 0, p.stderr[-2000:]
    assert_not_imported(modules, log, HEAVY + ("yaml", "rich", "jianbao.model"), f"jianbao {' '.join(args)}")


def test_check_does_not_import_python_docx(clean: Office):
    modules, log, p = run(["check", "issues/2024-05-13.yaml"], clean.root)
    assert "检查通过" in p.stderr
    assert_not_imported(modules, log, HEAVY, "jianbao check FILE")


def test_check_folder_does_not_import_python_docx():
    modules, log, p = run(["check", "issues"], ROOT)
    assert p.returncode in (0, 1) and "个文件" in p.stderr
    assert_not_imported(modules, log, HEAVY, "jianbao check DIR")


def test_check_json_imports_no_rich(clean: Office):
    modules, log, p = run(["check", "--format", "json", "issues/2024-05-13.yaml"], clean.root)
    assert json.loads(p.stdout.split("\nMODULES ")[0])["files"] == 1
    assert_not_imported(modules, log, HEAVY + ("rich",), "jianbao check --format json")


def test_quiet_build_imports_no_rich(clean: Office):
    """A build with nothing to report prints the output's path and never loads rich."""
    modules, log, p = run(["build", "issues/2024-05-13.yaml"], clean.root)
    assert p.returncode == 0 and p.stdout.startswith("build/2024-05-13.docx"), p.stderr[-2000:]
    assert p.stderr.count("import time:") == len(p.stderr.strip().splitlines()), "something went to stderr"
    assert "docx" in modules
    assert_not_imported(modules, log, ("rich",), "a quiet jianbao build")


def test_build_with_warnings_still_prints_them(clean: Office, tmp_path: Path):
    office = Office(tmp_path / "office")
    office.issue(clean.root.joinpath("issues", "2024-05-13.yaml").read_text(encoding="utf-8")
                 .replace("本周召开专题会议。", "本周召开专题会议,研究部署工作。"))
    modules, log, p = run(["build", "issues/2024-05-13.yaml"], office.root)
    assert p.returncode == 0 and "JB201" in p.stderr
    assert "rich" in modules


def test_quiet_build_imports_no_real_click(clean: Office):
    """typer brings its own click: the real one (if installed) is neither imported nor patched."""
    modules, log, p = run(["build", "issues/2024-05-13.yaml"], clean.root)
    assert p.returncode == 0, p.stderr[-2000:]
    assert_not_imported(modules, log, ("click",), "a quiet jianbao build")


@pytest.mark.parametrize("args", [["build", "--help"], ["build", "--nope"], ["build", "--jobs", "0", "x.yaml"],
                                  ["build", "-o", "x.pdf", "x.yaml"], ["check"], ["rules", "--help"],
                                  ["import", "--help"], ["new", "--help"]])
def test_one_command_app_says_what_the_whole_app_says(args: list[str], tmp_path: Path, monkeypatch):
    """main() gives typer only the command that argv names (issue 17: the other nine are not turned
    into click commands on every run); help, usage errors and exit status are those of the whole app."""
    from typer.testing import CliRunner

    from jianbao import cli

    monkeypatch.chdir(tmp_path)
    one = cli._app_for(args)
    assert one is not cli.app and [c.callback.__name__.rstrip("_") for c in one.registered_commands] == [args[0]]
    runner = CliRunner()
    whole, alone = runner.invoke(cli.app, args), runner.invoke(one, args)
    assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output)
    assert whole.exit_code in (0, 1, 2) and whole.output


@pytest.mark.parametrize("args", [[], ["--help"], ["-V"], ["buidl"], ["--version", "build"]])
def test_anything_but_a_command_gets_the_whole_app(args: list[str]):
    from jianbao import cli

    assert cli._app_for(args) is cli.app
