"""The layout preset is validated like the issue file (issue 13): every field does something or is
refused; values the page cannot honour are errors at their place, with a hint for their group."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, Office

PRESET = (ROOT / "templates" / "layouts" / "gbt9704.yaml").read_text(encoding="utf-8")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def office_with(tmp_path: Path, preset: str, name: str = "mine") -> Office:
    o = Office(tmp_path / "office", series="name: 测试工作动态\neditor: 测试中心\ncopies: 20\n"
                                            f"distribution:\n  发: 本单位各处室。\nlayout: {name}\n")
    layouts = o.root / "templates" / "layouts"
    layouts.mkdir(parents=True)
    (layouts / "mine.yaml").write_text(preset, encoding="utf-8")
    o.issue()
    return o


def check(cli, o: Office):
    return cli("check", o.root / "issues" / "2024-05-13.yaml")


def changed(old: str, new: str) -> str:
    assert PRESET.count(old) == 1, old
    return PRESET.replace(old, new)


def place(text: str, key: str) -> str:
    """``mine.yaml:LINE:COL`` of *key*'s value in *text*."""
    for n, line in enumerate(text.splitlines(), start=1):
        m = re.match(rf"(\s*{key}:\s*)\S", line)
        if m:
            return f"mine.yaml:{n}:{len(m.group(1)) + 1}"
    raise AssertionError(key)


def test_the_builtin_preset_is_honoured(tmp_path, cli):
    r = check(cli, office_with(tmp_path, PRESET))
    assert r.exit_code == 0, r.stderr


def test_lines_per_page_that_the_page_does_not_give_is_an_error_at_its_place(tmp_path, cli):
    text = changed("lines_per_page: 22", "lines_per_page: 23")
    r = check(cli, office_with(tmp_path, text))
    assert r.exit_code == 1
    assert "JB402" in r.stderr and "每页 23 行与版心不符" in r.stderr and "每页排 22 行" in r.stderr
    assert place(text, "lines_per_page") in r.stderr
    assert "line_pitch 改为 554" in r.stderr  # 12756 // 23


def test_lines_per_page_follows_the_line_pitch(tmp_path, cli):
    """23 lines a page is reachable the way the hint says, and the built document has that grid."""
    text = changed("lines_per_page: 22", "lines_per_page: 23").replace("line_pitch: 579", "line_pitch: 554")
    o = office_with(tmp_path, text)
    r = cli("build", o.root / "issues" / "2024-05-13.yaml")
    assert r.exit_code == 0, r.stderr
    with zipfile.ZipFile(o.root / "build" / "2024-05-13.docx") as z:
        xml = z.read("word/document.xml").decode()
    assert 'w:linePitch="554"' in xml


def test_chars_per_line_is_checked_against_the_body_font(tmp_path, cli):
    text = changed("chars_per_line: 28", "chars_per_line: 30")
    r = check(cli, office_with(tmp_path, text))
    assert r.exit_code == 1 and "JB402" in r.stderr and "每行 30 字与版心不符" in r.stderr
    assert place(text, "chars_per_line") in r.stderr and "char_spacing 改为 -26" in r.stderr  # 8845 // 30 - 320


def test_margins_that_leave_no_text_area(tmp_path, cli):
    text = changed("margin_left: 1587", "margin_left: 11000")
    r = check(cli, office_with(tmp_path, text))
    assert r.exit_code == 1 and "JB402" in r.stderr and ("版心没有宽度" in r.stderr or "版心要有面积" in r.stderr)
    # at the margin (#13's check) or at the page group (#20's bound, which runs first)
    assert place(text, "margin_left") in r.stderr or "mine.yaml:" in r.stderr


@pytest.mark.parametrize("old, new, expect", [
    ("name_top: 1134", "nmae_top: 1134", "是不是要写 name_top？"),
    ("name_top: 1134", "zzz: 1134", "这里可用的字段：name_top, name_sizes"),
    ("  rule_inner: 6", "  rule_iner: 6", "是不是要写 rule_inner？"),
])
def test_a_typo_gets_a_hint_from_its_own_group(tmp_path, cli, old, new, expect):
    r = check(cli, office_with(tmp_path, changed(old, new)))
    assert r.exit_code == 1 and "版式预设有误" in r.stderr and expect in r.stderr
    assert "page, grid, fonts" not in r.stderr  # not the top-level fields


@pytest.mark.parametrize("old, new", [
    ("body:        {east_asia: 仿宋_GB2312,", "body:        {east_asia: 12,"),  # a font that is not a name
    ("before: 579             # 标题上方", "before: -579             # 标题上方"),  # negative spacing
    ("char_spacing: -8", "char_spacing: -500"),
])
def test_values_that_cannot_be_honoured_are_refused(tmp_path, cli, old, new):
    text = changed(old, new)
    r = check(cli, office_with(tmp_path, text))
    assert r.exit_code == 1 and "版式预设有误" in r.stderr
    assert "mine.yaml:" in r.stderr


def test_did_you_mean_for_layout_names(tmp_path, cli):
    o = office_with(tmp_path, PRESET, name="gbt9074")
    r = check(cli, o)
    assert r.exit_code == 1 and "JB401" in r.stderr and "是不是要写 gbt9704？" in r.stderr
    o = office_with(tmp_path / "b", PRESET, name="mien")
    r = check(cli, o)
    assert "是不是要写 mine？" in r.stderr
