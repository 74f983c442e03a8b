"""The rule registry (jianbao.diagnostics.RULES) against what jianbao really emits (issue #10).

Every rule an issue file can break has an example in jianbao.rule_examples: the example must be
reported with its code by ``jianbao check``, and the example put right must not. The other rules
(files that cannot be read, output, PDF, scaffolding) are exercised by the tests named in
:data:`ELSEWHERE`, which must mention the code. A code in neither place fails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT
from jianbao.diagnostics import RULES
from jianbao.rule_examples import EXAMPLES, Example

#: Codes whose trigger is not an issue file, and the test module that triggers them.
ELSEWHERE = {
    "JB019": "tests/test_text.py", "JB001": "tests/test_load.py", "JB002": "tests/test_load.py", "JB007": "tests/test_errors.py",
    "JB009": "tests/test_hostile.py",
    "JB501": "tests/test_write.py", "JB502": "tests/test_batch.py", "JB503": "tests/test_hostile.py",
    "JB601": "tests/test_new.py", "JB602": "tests/test_new.py", "JB603": "tests/test_init.py",
    "JB604": "tests/test_new.py", "JB605": "tests/test_new.py", "JB606": "tests/test_new.py",
    "JB607": "tests/test_new.py", "JB608": "tests/test_new.py", "JB609": "tests/test_new.py",
    "JB801": "tests/test_images.py", "JB802": "tests/test_images.py", "JB803": "tests/test_images.py",
    # import: the trigger is a .docx/.doc/.txt/.pdf, not an issue file
    **{f"JB90{n}": "tests/test_import_hostile.py" for n in range(1, 9)},
    **{f"JB9{n:02d}": "tests/test_import.py" for n in (9, 11, 12, 13, 14, 15, 16)},
    "JB504": "tests/test_lsp.py", "JB610": "tests/test_editor_setup.py", "JB406": "tests/test_html.py",
    "JB917": "tests/test_import_hostile.py",
}


def _office(root: Path, ex: Example, *, good: bool) -> Path:
    root.mkdir(parents=True)
    (root / "issues").mkdir()
    (root / "jianbao.yaml").write_text(ex.good_series if good and ex.good_series else ex.series, encoding="utf-8")
    before = ex.good_before if good and ex.good_before else ex.before
    if before:
        (root / "issues" / "2024-05-06.yaml").write_text(before, encoding="utf-8")
    for name, text in ex.files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            (root / name).write_bytes(text)
        else:
            (root / name).write_text(text, encoding="utf-8")
    path = root / "issues" / "2024-05-13.yaml"
    path.write_text(ex.good if good else ex.bad, encoding="utf-8")
    return path


def _codes(path: Path) -> dict[str, list]:
    from jianbao.check_series import check_paths

    found: dict[str, list] = {}
    for d in check_paths([path.parent]).diagnostics:
        found.setdefault(d.code, []).append(d)
    return found


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_the_example_is_reported_and_its_fix_is_not(code, tmp_path):
    ex = EXAMPLES[code]
    bad = _codes(_office(tmp_path / "bad", ex, good=False))
    assert code in bad, f"{code} not reported for its example; got {sorted(bad)}"
    assert all(d.file for d in bad[code]), "reported without a place"
    good = _codes(_office(tmp_path / "good", ex, good=True))
    assert code not in good, f"{code} still reported after the fix: {[d.message for d in good[code]]}"


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_registered_code_is_exercised(code):
    if code in EXAMPLES:
        return
    assert code in ELSEWHERE, f"{code} has neither an example in jianbao.rule_examples nor a test in ELSEWHERE"
    text = (ROOT / ELSEWHERE[code]).read_text(encoding="utf-8")
    assert re.search(rf"\b{code}\b", text), f"{ELSEWHERE[code]} does not mention {code}"


def test_every_example_and_test_names_a_registered_code():
    assert sorted(set(EXAMPLES) - set(RULES)) == []
    assert sorted(set(ELSEWHERE) - set(RULES)) == []
    assert sorted(set(EXAMPLES) & set(ELSEWHERE)) == []


def test_rules_shows_the_example_and_its_fix(cli):
    r = cli("rules", "JB201")
    assert r.exit_code == 0
    lines = [ln.strip() for ln in r.stdout.splitlines()]
    assert any(ln.startswith("-") and ln.endswith("本周召开专题会议,部署重点工作。") for ln in lines)
    assert any(ln.startswith("+") and ln.endswith("本周召开专题会议，部署重点工作。") for ln in lines)
