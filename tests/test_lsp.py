"""``jianbao lsp`` over stdio (issue 16, item 5): it publishes exactly ``jianbao check``'s diagnostics —
codes, Chinese messages, places — for the buffer as it is typed, never touching the file, and builds on
command."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import ISSUE, Office
from lsp import Client

pytest.importorskip("pygls")


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Office:
    office = Office(tmp_path_factory.mktemp("lsp") / "office")
    office.issue()
    return office


@pytest.fixture(scope="module")
def server(office):
    client = Client([sys.executable, "-m", "jianbao", "lsp"], office.root, timeout=120)
    yield client
    client.close()
    assert client.proc.returncode == 0, client.err()


def check_json(cli, path: Path) -> list[dict]:
    return json.loads(cli("check", "--format", "json", path).stdout)["diagnostics"]


def as_check(d: dict) -> tuple:
    """An LSP diagnostic as (code, line, column, message) in check's terms (1-based)."""
    start = d["range"]["start"]
    return d["code"], start["line"] + 1, start["character"] + 1, d["message"].split("\n提示：")[0]


def test_a_clean_issue_has_no_diagnostics(server, office):
    path = office.root / "issues" / "2024-05-13.yaml"
    assert server.open(path) == []


# the buffer's text: what check says about it, and the LSP the same, at the same places
BUFFERS = {
    "placeholder-and-punctuation": ISSUE.replace("本周召开专题会议。", "待填：本周召开专题会议,共3场。"),
    "typed-numeral": ISSUE.replace("本周召开专题会议。", "（一）本周召开专题会议。"),
    "misspelled-key": ISSUE.replace("total: 30", "totl: 30"),
    "five-levels": ISSUE.replace("      - 本周召开专题会议。\n", (
        "      - title: 二级\n        items:\n          - title: 三级\n            items:\n"
        "              - title: 四级\n                items:\n                  - 五级。\n")),
    "yaml-syntax": ISSUE.replace("number: 3", "number: [3"),
    "impossible-date-in-text": ISSUE.replace("本周召开专题会议。", "4月31日召开专题会议。"),
}


@pytest.mark.parametrize("case", list(BUFFERS))
def test_the_buffer_gets_exactly_checks_diagnostics(case, server, office, cli, tmp_path):
    text = BUFFERS[case]
    path = office.root / "issues" / "2024-05-13.yaml"
    on_disk = path.read_bytes()
    got = sorted(as_check(d) for d in server.open(path, text))
    assert path.read_bytes() == on_disk  # the server never writes the file
    # what jianbao check says of the same text saved as a file of the same office
    twin = office.root / "issues" / "2024-05-13.yaml"
    try:
        twin.write_text(text, encoding="utf-8")
        expected = sorted((d["code"], d["line"], d["column"], d["message"]) for d in check_json(cli, twin)
                          if Path(d["file"]).name == twin.name)
    finally:
        twin.write_bytes(on_disk)
    assert expected, f"check found nothing in {case}"
    assert got == expected
    for d in server.diagnostics[path.resolve().as_uri()]:
        assert d["source"] == "jianbao" and d["severity"] in (1, 2)


def test_a_misspelled_key_has_a_quick_fix(server, office):
    path = office.root / "issues" / "2024-05-13.yaml"
    text = ISSUE.replace("total: 30", "totl: 30")
    diags = server.open(path, text)
    typo = [d for d in diags if d["code"] == "JB103"]
    assert len(typo) == 1
    actions = server.request("textDocument/codeAction", {
        "textDocument": {"uri": path.resolve().as_uri()}, "range": typo[0]["range"],
        "context": {"diagnostics": typo}})
    assert [a["title"] for a in actions] == ["改为 total"]
    (edit,) = actions[0]["edit"]["changes"][path.resolve().as_uri()]
    lines = text.splitlines()
    r = edit["range"]
    assert r["start"]["line"] == r["end"]["line"]
    line = lines[r["start"]["line"]]
    fixed = line[: r["start"]["character"]] + edit["newText"] + line[r["end"]["character"]:]
    assert fixed == "total: 30"
    others = [d for d in diags if d["code"] != "JB103"]
    if others:  # nothing to offer for the rest
        assert server.request("textDocument/codeAction", {
            "textDocument": {"uri": path.resolve().as_uri()}, "range": others[0]["range"],
            "context": {"diagnostics": others}}) in ([], None)


def test_settings_problems_are_published_for_jianbao_yaml(server, office):
    settings = office.root / "jianbao.yaml"
    bad = settings.read_text(encoding="utf-8").replace("copies: 20", "copies: 二十")
    diags = server.open(settings, bad)
    assert [(d["code"], d["range"]["start"]["line"] + 1) for d in diags] == [("JB102", 3)]
    assert "copies" in diags[0]["message"]
    assert server.open(settings, settings.read_text(encoding="utf-8")) == []


def test_build_command_builds_the_saved_file(server, office):
    path = office.root / "issues" / "2024-05-13.yaml"
    server.open(path)
    result = server.request("workspace/executeCommand", {"command": "jianbao.build",
                                                         "arguments": [path.resolve().as_uri()]})
    assert "output" in result, result
    out = Path(result["output"])
    assert out == office.root / "build" / "2024-05-13.docx" and out.is_file() and out.stat().st_size > 5000
    missing = server.request("workspace/executeCommand", {"command": "jianbao.build",
                                                          "arguments": [(office.root / "nope.yaml").as_uri()]})
    assert "URI" in missing["diagnostics"][0]


@pytest.mark.layout
def test_preview_command_makes_the_pdf_and_the_page_images(server, office):
    path = office.root / "issues" / "2024-05-13.yaml"
    server.open(path)
    result = server.request("workspace/executeCommand", {"command": "jianbao.preview",
                                                         "arguments": [path.resolve().as_uri()]})
    assert "pdf" in result, result
    assert Path(result["pdf"]).read_bytes().startswith(b"%PDF")
    assert result["images"] and all(Path(p).read_bytes().startswith(b"\x89PNG") for p in result["images"])


def test_lsp_without_pygls_says_how_to_install_it(cli, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_pygls(name, *args, **kwargs):
        if name == "pygls" or name.startswith("pygls."):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pygls)
    result = cli("lsp")
    assert result.exit_code == 1 and "JB504" in result.stderr and "jianbao[lsp]" in result.stderr
