"""Editors from the first minute (issue 16, item 1): ``jianbao init`` writes ``schemas/`` and the VS Code
settings that map the office's files to them, the ``$schema`` line of every file it and ``jianbao new``
write resolves to a schema of this jianbao, and ``jianbao new`` refreshes missing or stale schemas."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from conftest import ROOT
from jianbao.schema import SCHEMAS, schema_bytes

MODELINE = re.compile(r"# yaml-language-server: \$schema=(\S+)")


def jsonc(text: str):
    """VS Code settings are JSON with ``//`` comment lines."""
    return json.loads("\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//")))


def schema_of(path: Path) -> Path:
    m = MODELINE.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert m, f"{path}: no $schema line"
    return (path.parent / m.group(1)).resolve()


def test_init_writes_the_schemas_and_the_settings_that_map_them(tmp_path, cli):
    folder = tmp_path / "o"
    assert cli("init", folder).exit_code == 0
    for name, model in SCHEMAS.items():
        assert (folder / "schemas" / name).read_bytes() == schema_bytes(model)
    settings = jsonc((folder / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapped = {(folder / k).resolve(): v for k, v in settings["yaml.schemas"].items()}
    assert mapped == {(folder / "schemas" / "issue.schema.json").resolve(): ["issues/*.yaml", "issues/*.yml"],
                      (folder / "schemas" / "jianbao.schema.json").resolve(): ["jianbao.yaml"]}
    assert jsonc((folder / ".vscode" / "extensions.json").read_text(encoding="utf-8")) == {
        "recommendations": ["redhat.vscode-yaml"]}
    assert schema_of(folder / "jianbao.yaml") == (folder / "schemas" / "jianbao.schema.json").resolve()
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for editor in ("VS Code", "Neovim", "Helix"):
        assert editor in readme


def test_the_issue_written_by_new_points_at_the_schema_from_issues(tmp_path, cli, monkeypatch):
    folder = tmp_path / "o"
    assert cli("init", folder).exit_code == 0
    monkeypatch.chdir(folder)
    result = cli("new", "--date", "2024-05-13")
    assert result.exit_code == 0, result.stderr
    path = folder / result.stdout.strip()
    assert schema_of(path) == (folder / "schemas" / "issue.schema.json").resolve()
    assert "schemas" not in result.stderr  # they were up to date: nothing to say


def test_new_refreshes_stale_and_missing_schemas(office, cli, monkeypatch):
    office.issue()
    stale = office.root / "schemas" / "issue.schema.json"
    stale.parent.mkdir()
    stale.write_text("{}\n", encoding="utf-8")
    monkeypatch.chdir(office.root)
    result = cli("new")
    assert result.exit_code == 0, result.stderr
    for name, model in SCHEMAS.items():
        assert (office.root / "schemas" / name).read_bytes() == schema_bytes(model)
        assert f"已写入编辑器用的 schemas/{name}" in result.stderr
    current = (office.root / "schemas" / "jianbao.schema.json").stat().st_mtime_ns
    again = cli("new", "--date", "2024-06-03")
    assert again.exit_code == 0 and "已写入" not in again.stderr
    assert (office.root / "schemas" / "jianbao.schema.json").stat().st_mtime_ns == current


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_new_says_how_when_it_cannot_refresh(office, cli, monkeypatch):  # pragma: no cover - root in CI
    office.issue()
    schemas = office.root / "schemas"
    schemas.mkdir()
    (schemas / "issue.schema.json").write_text("{}\n", encoding="utf-8")
    schemas.chmod(0o555)
    try:
        monkeypatch.chdir(office.root)
        result = cli("new")
    finally:
        schemas.chmod(0o755)
    assert result.exit_code == 0 and "警告 JB610" in result.stderr and "jianbao schema" in result.stderr


def test_new_says_how_when_schemas_is_not_a_folder(office, cli, monkeypatch):
    office.issue()
    (office.root / "schemas").write_text("不是文件夹\n", encoding="utf-8")
    monkeypatch.chdir(office.root)
    result = cli("new")
    assert result.exit_code == 0, result.stderr  # the issue is written all the same
    assert (office.root / "issues" / "2024-05-20.yaml").is_file()
    assert "警告 JB610" in result.stderr and "jianbao schema" in result.stderr
    assert (office.root / "schemas").read_text(encoding="utf-8") == "不是文件夹\n"


def test_new_never_writes_through_a_linked_schemas_folder(office, cli, monkeypatch, tmp_path):
    office.issue()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (office.root / "schemas").symlink_to(elsewhere, target_is_directory=True)
    monkeypatch.chdir(office.root)
    result = cli("new")
    assert result.exit_code == 0, result.stderr
    assert "警告 JB610" in result.stderr and "链接" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_init_force_keeps_existing_schemas_and_settings(tmp_path, cli):
    folder = tmp_path / "o"
    (folder / "schemas").mkdir(parents=True)
    (folder / ".vscode").mkdir()
    ours = {folder / "schemas" / "issue.schema.json": "{}\n", folder / ".vscode" / "settings.json": "{}\n"}
    for p, text in ours.items():
        p.write_text(text, encoding="utf-8")
    result = cli("init", folder, "--force")
    assert result.exit_code == 0, result.stderr
    for p, text in ours.items():
        assert p.read_text(encoding="utf-8") == text
    assert (folder / "schemas" / "jianbao.schema.json").read_bytes() == schema_bytes(SCHEMAS["jianbao.schema.json"])
    assert not (folder / ".vscode" / "extensions.json").exists()  # an existing .vscode/ is left as it is
    assert "schemas/issue.schema.json" in result.stderr and ".vscode" in result.stderr


def test_help_and_docstrings_give_paths_relative_to_each_file(cli):
    help_text = cli("schema", "--help").stdout
    assert "../schemas/issue.schema.json" in help_text and "schemas/jianbao.schema.json" in help_text
    assert "$schema=schemas/issue.schema.json" not in help_text
    import jianbao.schema

    assert "$schema=../schemas/issue.schema.json" in " ".join(jianbao.schema.__doc__.split())
    # the example office of the repository follows the same rule
    assert schema_of(ROOT / "issues" / "2024-05-13.yaml") == (ROOT / "schemas" / "issue.schema.json").resolve()
    assert schema_of(ROOT / "jianbao.yaml") == (ROOT / "schemas" / "jianbao.schema.json").resolve()
