"""Every bulletin of the example office and the fixtures builds to pinned bytes.

The pins (tests/pins/docx-sha256.json) were taken before the document-model refactor (issue
#10): a change that moves code around must not change one byte of any built .docx. A change that
alters the output on purpose updates the pins in the same commit:

    JIANBAO_UPDATE_PINS=1 .venv/bin/pytest tests/test_byte_identity.py

and says in its message why the output changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from conftest import FIXTURES, ROOT

PINS = Path(__file__).parent / "pins" / "docx-sha256.json"

BULLETINS = sorted([*ROOT.glob("issues/*.yaml"), *FIXTURES.glob("*/issues/*.yaml")])


def _key(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _sha256(path: Path, tmp: Path, end_page_alone: bool = False) -> str:
    from jianbao.pipeline import compile_issue, prepare

    out = compile_issue(prepare(path), tmp / (path.stem + ".docx"), end_page_alone=end_page_alone)
    return hashlib.sha256(out.read_bytes()).hexdigest()


def _actual(tmp: Path) -> dict[str, str]:
    found = {}
    for path in BULLETINS:
        found[_key(path)] = _sha256(path, tmp)
        found[_key(path) + " (end page alone)"] = _sha256(path, tmp, end_page_alone=True)
    return found


def test_the_corpus_is_there():
    assert len(BULLETINS) >= 6, BULLETINS  # the example, full, long, minimal, two shapes


def test_every_bulletin_builds_to_its_pinned_bytes(tmp_path):
    actual = _actual(tmp_path)
    if os.environ.get("JIANBAO_UPDATE_PINS") == "1":
        PINS.write_text(json.dumps(actual, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    pinned = json.loads(PINS.read_text(encoding="utf-8"))
    changed = sorted(k for k in actual if pinned.get(k) != actual[k])
    assert not changed, (
        f"built .docx changed for: {changed}. If the change is on purpose, update the pins: "
        "JIANBAO_UPDATE_PINS=1 pytest tests/test_byte_identity.py")
    assert sorted(pinned) == sorted(actual), "pins for bulletins that are no longer in the corpus"
