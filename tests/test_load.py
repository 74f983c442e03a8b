"""Loading keeps a line and column for every value and refuses what YAML would accept silently."""

import datetime as dt

import pytest

from jianbao.diagnostics import JianbaoError
from jianbao.load import KEY, load_yaml


def load(tmp_path, text, name="x.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_yaml(p)


def test_positions_of_values_and_keys(tmp_path):
    src = load(tmp_path, "number: 18\nsections:\n  - title: 动态\n    items:\n      - 第一条\n      - lead: 要点。\n")
    assert src.data["sections"][0]["items"][1]["lead"] == "要点。"
    assert (src.positions[("number",)].line, src.positions[("number",)].column) == (1, 9)
    assert src.positions[("sections", 0, "items", 0)].line == 5
    lead = src.positions[("sections", 0, "items", 1, "lead")]
    assert (lead.line, lead.column) == (6, 15)
    key = src.positions[("sections", 0, "items", 1, "lead", KEY)]
    assert (key.line, key.column) == (6, 9)


def test_nearest_ancestor_when_path_is_not_a_value(tmp_path):
    src = load(tmp_path, "body: 一段话\n")
    # a string body stands for ["一段话"]: ("body", 0) falls back to ("body",)
    assert src.pos(("body", 0)).line == 1


def test_dates_are_dates(tmp_path):
    assert load(tmp_path, "date: 2024-05-13\n").data["date"] == dt.date(2024, 5, 13)


def test_impossible_date_names_file_line_and_value(tmp_path):
    with pytest.raises(JianbaoError) as exc:
        load(tmp_path, "number: 1\nperiod:\n  end: 2024-04-31\n")
    d = exc.value.diagnostics[0]
    assert d.code == "JB104"
    assert (d.line, d.column) == (3, 8)
    assert "2024-04-31" in d.message and "30" in d.message
    assert "2024-04-30" in d.render()


def test_duplicate_keys_are_errors(tmp_path):
    with pytest.raises(JianbaoError) as exc:
        load(tmp_path, "number: 1\nnumber: 2\n")
    d = exc.value.diagnostics[0]
    assert d.code == "JB004" and d.line == 2 and "第 1 行" in d.message


def test_syntax_error_has_place_and_chinese_message(tmp_path):
    with pytest.raises(JianbaoError) as exc:
        load(tmp_path, "number: 1\ntitle: a: b\n")
    d = exc.value.diagnostics[0]
    assert d.code == "JB003" and d.line == 2 and "冒号" in d.message


def test_tab_indentation(tmp_path):
    with pytest.raises(JianbaoError) as exc:
        load(tmp_path, "sections:\n\t- title: a\n")
    assert exc.value.diagnostics[0].code == "JB023"
    assert "Tab" in exc.value.diagnostics[0].message


def test_alias_bomb_is_bounded(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 10)}]")
    with pytest.raises(JianbaoError) as exc:
        load(tmp_path, "\n".join(lines) + "\n")
    assert exc.value.diagnostics[0].code == "JB006"


def test_control_characters_are_refused(tmp_path):
    with pytest.raises(JianbaoError) as exc:
        load(tmp_path, 'body: "本周\\x07召开"\n')
    assert exc.value.diagnostics[0].code == "JB008"


def test_bom_and_crlf_are_fine(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_bytes("\ufeffnumber: 1\r\ndate: 2024-05-13\r\n".encode())
    src = load_yaml(p)
    assert src.data == {"number": 1, "date": dt.date(2024, 5, 13)}


def test_gbk_file_is_reported(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_bytes("title: 政务服务\n".encode("gbk"))
    with pytest.raises(JianbaoError) as exc:
        load_yaml(p)
    d = exc.value.diagnostics[0]
    assert d.code == "JB002" and "GBK" in d.message


def test_missing_file(tmp_path):
    with pytest.raises(JianbaoError) as exc:
        load_yaml(tmp_path / "nope.yaml")
    assert exc.value.diagnostics[0].code == "JB001"


def test_unquoted_template_gets_a_quoting_hint(tmp_path):
    for text in ("body: {{ 咨询 }}人次\n", "items: [本周咨询{{ 咨询 }}人次]\n", "items:\n  - {{ 咨询 }}人次\n"):
        with pytest.raises(JianbaoError) as exc:
            load(tmp_path, text)
        d = exc.value.diagnostics[0]
        assert d.code == "JB003" and "引号" in d.render(), text


def test_libyaml_and_python_loaders_agree_on_values_and_positions(tmp_path, monkeypatch):
    """The fast (libyaml) path must place every value where the pure-Python loader does."""
    import yaml

    from conftest import ROOT
    from jianbao import load as load_mod

    if getattr(yaml, "CSafeLoader", None) is None:  # pragma: no cover - PyYAML wheels ship libyaml
        pytest.skip("PyYAML without libyaml")
    tricky = tmp_path / "tricky.yaml"
    tricky.write_text('number: 1\ntitle: "引号里\\t的“文字”"\nbody: |\n  第一行\n  第二行\nnote: >\n  折叠的\n  文字\n'
                      "sections:\n  - {title: 流式, items: [甲, '乙：丙']}\n  - title: 块式\n    items:\n      - 丁\n",
                      encoding="utf-8")
    files = [tricky, *ROOT.glob("issues/*.yaml"), *ROOT.glob("tests/fixtures/*/issues/*.yaml"),
             ROOT / "templates" / "layouts" / "gbt9704.yaml"]
    for f in files:
        monkeypatch.setattr(load_mod, "_FAST_LOADER", yaml.CSafeLoader)
        fast = load_yaml(f)
        monkeypatch.setattr(load_mod, "_FAST_LOADER", None)
        slow = load_yaml(f)
        assert fast.data == slow.data and fast.positions == slow.positions, f


def test_a_second_body_says_how_to_write_both_paragraphs(tmp_path):
    # the clerk added a paragraph by copying the body: line — the hint says how to keep both
    with pytest.raises(JianbaoError) as exc:
        load(tmp_path, "sections:\n  - title: 窗口风采\n    body: 本周收到锦旗2面。\n    body: 本周收到表扬信1封。\n")
    d = exc.value.diagnostics[0]
    assert d.code == "JB004" and d.line == 4
    assert "body:\n" in d.hint and "- 本周收到锦旗2面。" in d.hint and "- 本周收到表扬信1封。" in d.hint, d.hint
