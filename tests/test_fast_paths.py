"""The fast paths of issue 6 give exactly what the slow paths gave.

* load: libyaml parses what it reads like PyYAML's pure-Python parser; anything else, and every
  error, goes through the pure-Python parser: data, positions and diagnostics are the same (a
  longer run of these comparisons, 64 000 texts, found no difference);
* render: the trimmed base template gives the same document as python-docx's full default.docx;
* write: the zip is made from the package parts, not from python-docx's saved zip: same members;
* check: a big folder is checked on every core, and reported exactly as by one process.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jianbao.load as load
from conftest import ROOT, Office
from jianbao.diagnostics import JianbaoError
from test_properties import SEED_TEXT, _mutate

YAML_FILES = sorted({*ROOT.glob("issues/*.yaml"), ROOT / "jianbao.yaml", *ROOT.glob("templates/layouts/*.yaml"),
                     *ROOT.glob("tests/fixtures/*/jianbao.yaml"), *ROOT.glob("tests/fixtures/*/issues/*.yaml")})


def outcome(text: str, *, fast: bool, monkeypatch) -> tuple:
    """What load_yaml makes of *text*: data and positions, or the rendered diagnostics."""
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(load, "_FAST_LOADER", None)
        try:
            src = load.load_yaml(Path("x.yaml"), text)
        except JianbaoError as exc:
            return ("error", [d.render() for d in exc.diagnostics])
    return ("ok", src.data, src.positions)


def test_libyaml_is_used():
    assert load._FAST_LOADER is not None, "PyYAML without libyaml: loading is five to ten times slower"


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_of_the_repository_loads_the_same(path: Path, monkeypatch):
    text = load.read_text(path)
    assert outcome(text, fast=True, monkeypatch=monkeypatch) == outcome(text, fast=False, monkeypatch=monkeypatch)


SAME = settings(max_examples=300, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


#: What the mutations insert: YAML's indicators, and what libyaml and PyYAML were found to read differently.
CHUNKS = list(":-[]{}\"'#&*!|>%@`? \n\t，：一（）1.、\\") + ["2024-04-31", "items:", "- ", "|#", "\ufeff", "\u2028",
                                                           "\x85", "&a ", "*a"]
MUTATION = st.tuples(st.sampled_from(["insert", "delete", "replace", "dup-line", "drop-line", "indent", "dedent"]),
                     st.integers(0, 6000), st.lists(st.sampled_from(CHUNKS), min_size=1, max_size=4).map("".join))


@SAME
@given(mutations=st.lists(MUTATION, min_size=1, max_size=5))
def test_mangled_issue_files_load_the_same(mutations, monkeypatch):
    text = _mutate(SEED_TEXT, mutations)
    assert outcome(text, fast=True, monkeypatch=monkeypatch) == outcome(text, fast=False, monkeypatch=monkeypatch)


TOKENS = ["key: ", "- ", "? ", ": ", "  ", "\n", "\n  ", "|", ">-", "|2", "'", '"', "\\x41", "\\", "&a ", "*a", "{",
          "}", "[", "]", ", ", "#", " #c", "%YAML 1.1\n", "---\n", "...\n", "a", "一", "2024-04-31", "1e3", "0x1F",
          "~", "null", "yes", "12:30:00", "<<: ", "@", "`", "%", "!", "\t", "|-\n  x\n", ">\n  a\n  b\n",
          "{a: }", "[? ]", "{a, b}", ": [", "- {", "&x ["]


@SAME
@given(parts=st.lists(st.sampled_from(TOKENS), max_size=30), newline=st.booleans())
def test_yaml_token_soup_loads_the_same(parts, newline, monkeypatch):
    text = "".join(parts) + ("\n" if newline else "")
    assert outcome(text, fast=True, monkeypatch=monkeypatch) == outcome(text, fast=False, monkeypatch=monkeypatch)


def test_deep_nesting_is_refused_not_a_crash(tmp_path: Path):
    """libyaml's own composer recurses in C: 100 000 open brackets would overflow the stack."""
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 100_000 + "\n", encoding="utf-8")
    probe = ("import sys; from pathlib import Path; from jianbao.load import load_yaml\n"
             "from jianbao.diagnostics import JianbaoError\n"
             "try:\n    load_yaml(Path(sys.argv[1]))\nexcept JianbaoError as e:\n"
             "    print(e.diagnostics[0].code)\n")
    p = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and p.stdout.strip() == "JB006", (p.returncode, p.stderr[-1000:])


@pytest.mark.parametrize("alone", [False, True])
def test_trimmed_template_renders_the_same_document(office: Office, monkeypatch, alone: bool):
    from docx.api import _default_docx_path

    import jianbao.render.docx as r
    from jianbao.pipeline import prepare
    from jianbao.write import docx_bytes

    assert len(r.template_bytes()) < 20_000  # not the 450 KB of python-docx's styles
    p = prepare(office.issue())
    trimmed = docx_bytes(r.render(p.bulletin, p.layout, end_page_alone=alone))
    monkeypatch.setattr(r, "template_bytes", lambda: Path(_default_docx_path()).read_bytes())
    full = docx_bytes(r.render(p.bulletin, p.layout, end_page_alone=alone))
    assert trimmed == full


def _document(office: Office):
    from jianbao.pipeline import prepare
    from jianbao.render.docx import render

    p = prepare(office.issue())
    return render(p.bulletin, p.layout)


def test_zip_members_are_those_python_docx_saves(office: Office):
    from jianbao.write import package_members, saved_members

    doc = _document(office)
    assert package_members(doc) == saved_members(doc)


def test_docx_bytes_are_deterministic_and_valid(office: Office):
    from jianbao.write import docx_bytes

    first, second = docx_bytes(_document(office)), docx_bytes(_document(office))
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert z.namelist()[0] == "[Content_Types].xml" and z.testzip() is None
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())


def test_a_big_folder_is_checked_in_parallel_with_the_same_report(tmp_path: Path, monkeypatch):
    """jianbao check DIR on every core reports exactly what one process reports, in the same order."""
    import datetime as dt

    import jianbao.check_series as cs
    from conftest import ISSUE

    office = Office(tmp_path / "office")
    day = dt.date(2024, 1, 8)
    for n in range(1, cs.PARALLEL_FROM + 6):
        text = ISSUE.replace("number: 3", f"number: {n}").replace("total: 30", f"total: {100 + n}")
        text = text.replace("date: 2024-05-13", f"date: {day.isoformat()}")
        text = text.replace("start: 2024-05-06", f"start: {(day - dt.timedelta(days=7)).isoformat()}")
        text = text.replace("end: 2024-05-10", f"end: {(day - dt.timedelta(days=3)).isoformat()}")
        if n % 7 == 0:
            text = text.replace("本周召开专题会议。", "本周召开专题会议,研究部署工作（待填）。")  # JB201, JB205
        if n % 11 == 0:
            text = text.replace(f"number: {n}", f"number: {n + 1}")  # JB301/JB302 across the folder
        if n % 13 == 0:
            text += "sections: [\n"  # not YAML
        office.issue(text, name=f"{day.isoformat()}.yaml")
        day += dt.timedelta(days=7)
    import concurrent.futures

    pools = []

    class Pool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    files = cs.PARALLEL_FROM + 5
    parallel = cs.check_paths([office.root])
    assert len(pools) == 1
    monkeypatch.setattr(cs, "PARALLEL_FROM", 10**6)
    serial = cs.check_paths([office.root])
    assert len(pools) == 1
    assert parallel.to_json() == serial.to_json()
    assert serial.errors and serial.warnings and serial.files == files


def test_template_is_python_docx_default_trimmed():
    """template_bytes() skips parsing the 438 KB styles part (issue 17): its parts are still exactly
    those of python-docx's default package, trimmed, with every style removed."""
    import docx
    from docx.api import _default_docx_path

    from jianbao.render.package import template_bytes, trim_package

    doc = docx.Document(_default_docx_path())
    trim_package(doc)
    for child in list(doc.styles.element):
        doc.styles.element.remove(child)
    slow = io.BytesIO()
    doc.save(slow)
    fast, slow_zip = zipfile.ZipFile(io.BytesIO(template_bytes())), zipfile.ZipFile(slow)
    assert fast.namelist() == slow_zip.namelist()
    assert {n: fast.read(n) for n in fast.namelist()} == {n: slow_zip.read(n) for n in slow_zip.namelist()}
