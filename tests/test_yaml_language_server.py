"""The schemas as editors use them (issue 16, items 3 and 4): the real yaml-language-server — the server
behind VS Code's YAML extension, Neovim's yamlls and Helix — run over stdio against an office made by
``jianbao init`` + ``jianbao new``.

A file as written opens clean; each slip the schema can see is reported at the line ``jianbao check``
reports it, in Chinese; completion offers the fields with their Chinese descriptions at the top level, in a
section, in an item and under ``distribution:``.  The server is the npm package pinned in package.json
(``npm ci`` in tests/editor; ``make editor-deps``, and so ``make test`` and CI, do it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from lsp import Client

EDITOR = ROOT / "tests" / "editor"  # package.json and package-lock.json: the pinned server
SERVER = EDITOR / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _server_argv() -> list[str]:
    node = shutil.which("node")
    if node is None or not SERVER.is_file():
        why = "yaml-language-server is not installed: run `npm ci` in tests/editor (make editor-deps does)"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    pinned = json.loads((EDITOR / "package.json").read_text(encoding="utf-8"))["devDependencies"]["yaml-language-server"]
    installed = json.loads((SERVER.parent.parent / "package.json").read_text(encoding="utf-8"))["version"]
    assert installed == pinned, f"tests/editor has yaml-language-server {installed}, package.json pins {pinned}: npm ci"
    return [node, str(SERVER), "--stdio"]


FILLED = {"待填：这一部分的标题": "政务工作动态", "待填：……": "本周召开专题会议。", "待填：简报名称": "政务服务工作动态",
          "待填：编印单位全称": "青山县政务服务中心", "待填：上级单位": "县政府办公室", "待填：本单位各处（室）。": "中心各股室。"}


def fill(text: str) -> str:
    for old, new in FILLED.items():
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    from jianbao.cli import app

    folder = tmp_path_factory.mktemp("editor") / "office"
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(folder)]).exit_code == 0
    result = runner.invoke(app, ["new", str(folder), "--date", "2024-05-13"])
    assert result.exit_code == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def server(office):
    argv = _server_argv()
    settings = jsonc((office / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    client = Client(argv, office, {"yaml": {
        "validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False},
        "yamlVersion": settings["yaml.yamlVersion"],
        "schemas": settings["yaml.schemas"],  # as VS Code passes them: relative to the workspace folder
    }})
    yield client
    client.close()


def jsonc(text: str):
    return json.loads("\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//")))


def issue_path(office: Path) -> Path:
    return office / "issues" / "2024-05-13.yaml"


def check_lines(office: Path, path: Path, text: str, cli) -> dict[int, list[str]]:
    """``jianbao check --format json`` on *text* written at *path*: line → codes of the errors there."""
    original = path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    try:
        result = cli("check", "--format", "json", path)
    finally:
        path.write_text(original, encoding="utf-8")
    out: dict[int, list[str]] = {}
    for d in json.loads(result.stdout)["diagnostics"]:
        if d["severity"] == "error" and Path(d["file"]).name == path.name:
            out.setdefault(d["line"], []).append(d["code"])
    return out


def lines_of(diagnostics: list[dict]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for d in diagnostics:
        out.setdefault(d["range"]["start"]["line"] + 1, []).append(d["message"])
    return out


def test_the_files_init_and_new_write_open_clean(server, office):
    for path in (office / "jianbao.yaml", issue_path(office)):
        assert server.open(path) == [], path
        assert server.open(path, fill(path.read_text(encoding="utf-8"))) == [], f"{path}, filled in"


def test_the_vscode_settings_map_the_files_without_their_schema_line(server, office):
    """.vscode/settings.json alone is enough: a file whose first line was deleted is still checked."""
    for path, old, new in [(issue_path(office), "number: 1 ", "nubmer: 1 "), (office / "jianbao.yaml", "name:", "nmae:")]:
        lines = fill(path.read_text(encoding="utf-8")).splitlines(keepends=True)
        assert lines[0].startswith("# yaml-language-server:")
        text = "".join(lines[1:]).replace(old, new, 1)
        messages = [d["message"] for d in server.open(path, text)]
        assert any(new.split(":")[0] in m for m in messages), (path, messages)
        server.open(path, path.read_text(encoding="utf-8"))  # back to the file as written


def nested(depth: int) -> str:
    lines, indent = [], "      "
    for level in range(2, depth + 1):
        lines.append(f"{indent}- title: 第{level}级标题\n")
        if level < depth:
            lines.append(f"{indent}  items:\n")
            indent += "    "
    return "".join(lines)


# id → (old, new, what the message must say)
SLIPS = {
    "misspelled-key": ("number: 1 ", "nubmer: 1 ", "nubmer"),
    "wrong-type": ("number: 1 ", "number: 第1期 ", "应为整数"),
    "impossible-date": ("date: 2024-05-13", "date: 2024-04-31", "存在的日期"),
    "five-levels": ("      - 本周召开专题会议。\n", nested(5), "最多四级"),
    "unknown-section-key": ("    items:", "    itmes:", "itmes"),
}


@pytest.mark.parametrize("slip", list(SLIPS))
def test_each_slip_is_shown_at_the_line_check_reports_in_chinese(slip, server, office, cli):
    old, new, says = SLIPS[slip]
    path = issue_path(office)
    clean = fill(path.read_text(encoding="utf-8"))
    assert check_lines(office, path, clean, cli) == {}, "the filled-in file should pass jianbao check"
    assert old in clean, old
    text = clean.replace(old, new, 1)
    expected = check_lines(office, path, text, cli)
    assert expected, f"jianbao check found nothing wrong with {slip}"
    got = lines_of(server.open(path, text))
    assert sorted(got) == sorted(expected), f"editor: {got}\ncheck: {expected}"
    messages = [m for ms in got.values() for m in ms]
    assert any(says in m for m in messages), messages
    assert all(CJK.search(m) for m in messages if "Missing property" not in m), messages


def test_title_and_lead_together_are_shown_at_the_lead_to_delete(server, office, cli):
    path = issue_path(office)
    clean = fill(path.read_text(encoding="utf-8"))
    text = clean.replace("  - title: 政务工作动态\n", "  - title: 政务工作动态\n    lead: 推进改革。\n", 1)
    section = text.splitlines().index("  - title: 政务工作动态") + 1
    assert check_lines(office, path, text, cli) == {section: ["JB108"]}  # check: the section
    got = server.open(path, text)
    assert [(d["range"]["start"]["line"] + 1, d["range"]["end"]["line"] + 1) for d in got] == [(section + 1,) * 2]
    assert "二选一" in got[0]["message"]


def completion_at(server, path: Path, text: str, marker: str) -> dict[str, str]:
    """Completion items (label → documentation) where *marker* (alone on its line) stands in *text*."""
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines) if line.strip() == marker)
    column = lines[row].index(marker)
    lines[row] = lines[row][:column]
    server.open(path, "\n".join(lines) + "\n")
    out = {}
    for item in server.completion(path, row, column):
        doc = item.get("documentation") or ""
        out[item["label"]] = doc.get("value", "") if isinstance(doc, dict) else doc
    return out


def assert_offers(items: dict[str, str], labels: set[str]) -> None:
    assert labels <= set(items), f"offered {sorted(items)}, not all of {sorted(labels)}"
    for label in labels:
        assert CJK.search(items[label]), f"{label}: no Chinese description ({items[label]!r})"


def test_completion_at_the_top_level(server, office):
    path = issue_path(office)
    text = fill(path.read_text(encoding="utf-8")) + "@@\n"
    items = completion_at(server, path, text, "@@")
    assert_offers(items, {"total", "supplement", "period", "title", "subtitle", "note", "body", "data", "carry",
                          "distribution", "copies"})
    assert "number" not in items and "date" not in items  # already there


def test_completion_in_a_section(server, office):
    path = issue_path(office)
    text = fill(path.read_text(encoding="utf-8")) + "  - title: 厅（局）长进大厅\n    @@\n"
    assert_offers(completion_at(server, path, text, "@@"), {"body", "items"})


def test_completion_in_an_item(server, office):
    path = issue_path(office)
    text = fill(path.read_text(encoding="utf-8")).replace(
        "      - 本周召开专题会议。\n", "      - title: 省本级综窗办件情况\n        @@\n")
    items = completion_at(server, path, text, "@@")
    assert_offers(items, {"body", "items"})
    assert "三级条目" in items["items"]  # the item knows its level


def test_completion_under_distribution(server, office):
    path = issue_path(office)
    text = fill(path.read_text(encoding="utf-8")) + "distribution:\n  @@\n"
    items = completion_at(server, path, text, "@@")
    assert_offers(items, {"报", "送", "发", "抄送"})
    settings = office / "jianbao.yaml"
    text = fill(settings.read_text(encoding="utf-8")).replace("distribution:\n", "distribution:\n  @@\n")
    assert_offers(completion_at(server, settings, text, "@@"), {"送", "抄送"})  # 报 and 发 are written


def test_hovers_say_each_thing_once_with_examples_in_the_order_they_print(server, office):
    path = issue_path(office)
    text = fill(path.read_text(encoding="utf-8")).replace(
        "date: 2024-05-13", "date: 2024-05-13\nperiod:\n  start: 2024-05-06\n  end: 2024-05-10")
    server.open(path, text)
    lines = text.splitlines()
    period = server.hover(path, lines.index("period:"), 1)
    assert "报告期" in period and period.index("start: 2024-04-29") < period.index("end: 2024-04-30")
    title_row = next(i for i, line in enumerate(lines) if line.startswith("  - title:"))
    title = server.hover(path, title_row, 5)
    assert "一级标题" in title and "||" not in title


TABLE = "body:\n  - table:\n      caption: 办件情况\n      header: [类别, 本周]\n      rows:\n        - [咨询, 1142]\n"

# id → (old, new): wrong values of every kind; the server must say each in Chinese
WRONG_VALUES = {
    "body-a-number": ("number: 1 ", "body: 5\nnumber: 1 "),
    "title-a-number": ("number: 1 ", "title: 5\nnumber: 1 "),
    "note-a-mapping": ("number: 1 ", "note: {甲: 1}\nnumber: 1 "),
    "recipients-a-number": ("number: 1 ", "distribution:\n  报: 5\nnumber: 1 "),
    "label-too-long": ("number: 1 ", "distribution:\n  报送的各位领导同志: [甲]\nnumber: 1 "),
    "figure-as-text": ("number: 1 ", "data:\n  咨询: 很多\nnumber: 1 "),
    "copies-as-text": ("number: 1 ", "copies: 一百\nnumber: 1 "),
    "supplement-as-text": ("number: 1 ", "supplement: 是\nnumber: 1 "),
    "supplement-a-number": ("number: 1 ", "supplement: 1\nnumber: 1 "),
    "period-as-text": ("number: 1 ", "period: 上周\nnumber: 1 "),
    "period-without-end": ("number: 1 ", "period:\n  start: 2024-05-06\nnumber: 1 "),
    "number-missing": ("number: 1 ", "# number: 1 "),
    "table-without-caption": ("number: 1 ", TABLE.replace("      caption: 办件情况\n", "") + "number: 1 "),
    "table-cell-a-mapping": ("number: 1 ", TABLE.replace("[咨询, 1142]", "[咨询, {甲: 1}]") + "number: 1 "),
    "table-short-row": ("number: 1 ", TABLE.replace("[咨询, 1142]", "[咨询]") + "number: 1 "),
    "table-align": ("number: 1 ", TABLE + "      align: middle\nnumber: 1 "),
    "sections-as-text": ("sections:\n", "sections: 正文\nx:\n"),
    "section-as-text": ("  - title: 政务工作动态\n    items:\n      - 本周召开专题会议。\n", "  - 政务工作动态\n"),
    "item-a-number": ("      - 本周召开专题会议。", "      - 5"),
    "item-a-list": ("      - 本周召开专题会议。", "      - [甲, 乙]"),
    "item-empty": ("      - 本周召开专题会议。", "      - {}"),
    "item-body-a-table-first": ("      - 本周召开专题会议。", "      - body:\n          - table: {caption: 表, header: [甲], rows: [[1]]}"),
}


@pytest.mark.parametrize("case", list(WRONG_VALUES))
def test_every_message_the_editor_shows_is_chinese(case, server, office):
    old, new = WRONG_VALUES[case]
    path = issue_path(office)
    clean = fill(path.read_text(encoding="utf-8"))
    assert old in clean, old
    messages = [d["message"] for d in server.open(path, clean.replace(old, new, 1))]
    assert messages, "the schema saw nothing wrong"
    english = [m for m in messages if not CJK.search(m)]
    assert not english, messages
