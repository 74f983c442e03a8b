"""Hostile and broken input (issue 7): each case gives a located, coded error or a correct build —
never a traceback, a hang, a partial file, or a misread value."""

from __future__ import annotations

import zipfile

import pytest

from conftest import Office


def run(cli, path):
    r = cli("build", path)
    assert "Traceback" not in r.stderr and "内部错误" not in r.stderr
    return r


@pytest.mark.parametrize(("raw", "code"), [
    ("number: 1\ndate: 2024-05-13\n".encode("utf-16"), "JB002"),
    ("number: 1\ndate: 2024-05-13\ntitle: 政务\n".encode("gb18030"), "JB002"),
    (b"", "JB005"),
    (b"- number: 1\n- date: 2024-05-13\n", "JB005"),
    (b"just a sentence\n", "JB005"),
    (b"number: 1\ndate: 2024-05-13\nbody: \"a\\u0000b\"\n", "JB008"),
    (b"number: 1\ndate: 2024-05-13\nbody: \"\\ud800\"\n", "JB008"),
    ("number: 1\ndate: 2024-05-13\nbody: a\ufffeb\n".encode(), "JB008"),
    (b"number: 1\ndate: 2024-05-13\nbody: \"\\x0b\"\n", "JB008"),
])
def test_undecodable_or_unusable_files(office: Office, cli, raw, code):
    path = office.root / "issues" / "x.yaml"
    path.write_bytes(raw)
    r = run(cli, path)
    assert r.exit_code == 1 and f"错误 {code}" in r.stderr and str(path) in r.stderr
    assert not (office.root / "build").exists()
    assert path.read_bytes() == raw


@pytest.mark.parametrize("raw", [
    b"\xef\xbb\xbfnumber: 1\r\ndate: 2024-05-13\r\nsections:\r\n  - title: \xe5\x8a\xa8\xe6\x80\x81\r\n",
    b"number: 1\rdate: 2024-05-13\r",
    b"number: 1\ndate: 2024-05-13\nbody: \"\xe4\xb8\x80\t\xe4\xba\x8c\"\n",
])
def test_bom_crlf_cr_and_tabs_in_text_build(office: Office, cli, raw):
    path = office.root / "issues" / "x.yaml"
    path.write_bytes(raw)
    assert run(cli, path).exit_code == 0


@pytest.mark.parametrize(("date", "ok"), [
    ("20240513", False), ("2024/5/13", True), ("2024年5月13日", True), ('"2024-05-13"', True),
    ("2024-5-13", True), ("13/05/2024", False), ("2024-05-13 09:30:00", False), ("2024-13-01", False),
])
def test_dates_in_other_forms_are_accepted_exactly_or_refused_with_a_hint(office: Office, cli, tmp_path, date, ok):
    path = office.issue(f"number: 1\ndate: {date}\n")
    out = tmp_path / "o.docx"
    r = cli("build", path, "-o", out)
    if ok:
        assert r.exit_code == 0
        core = zipfile.ZipFile(out).read("docProps/core.xml").decode()
        assert "2024-05-13T00:00:00Z" in core  # read as 13 May 2024, nothing else
        assert "2024年5月13日" in zipfile.ZipFile(out).read("word/document.xml").decode()
    else:
        assert r.exit_code == 1 and f"{path}:2:7" in r.stderr and "提示" in r.stderr


def test_a_huge_file_is_refused_before_parsing(office: Office, cli):
    path = office.root / "issues" / "x.yaml"
    path.write_text("number: 1\ndate: 2024-05-13\nbody: " + "政" * 4_000_000 + "\n", encoding="utf-8")
    r = run(cli, path)
    assert r.exit_code == 1 and "JB006" in r.stderr


def test_ten_thousand_sections_build(office: Office, cli, tmp_path):
    sections = "".join(f"  - title: 第{i}部分\n" for i in range(1, 10_001))
    path = office.issue(f"number: 1\ndate: 2024-05-13\nsections:\n{sections}")
    out = tmp_path / "o.docx"
    r = cli("build", path, "-o", out)
    assert r.exit_code == 0 and "Traceback" not in r.stderr
    assert "另有" in r.stderr  # 10 000 "empty section" warnings are not all printed by build
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert "一万、第10000部分" in xml and "九千九百九十九、第9999部分" in xml


def test_nesting_deeper_than_four_and_deeper_than_yaml_allows(office: Office, cli):
    deep = "number: 1\ndate: 2024-05-13\nsections:\n  - title: a\n    items:\n" + "".join(
        "  " * (3 + 2 * k) + "- title: b\n" + "  " * (4 + 2 * k) + "items:\n" for k in range(30)) + "  " * 63 + "- c\n"
    path = office.issue(deep)
    r = run(cli, path)
    assert r.exit_code == 1 and ("JB109" in r.stderr or "JB006" in r.stderr)
    flow = "number: 1\ndate: 2024-05-13\nbody: " + "[" * 5000 + "]" * 5000 + "\n"
    path.write_text(flow, encoding="utf-8")
    r = run(cli, path)
    assert r.exit_code == 1 and ("JB006" in r.stderr or "JB102" in r.stderr)


def test_billion_laughs(office: Office, cli):
    lines = ["number: 1", "date: 2024-05-13", "a0: &a0 [哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("body: *a9")
    path = office.issue("\n".join(lines) + "\n")
    r = run(cli, path)
    assert r.exit_code == 1 and "JB006" in r.stderr
