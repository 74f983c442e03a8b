"""The JSON Schema says what ``jianbao check`` says (issue 16): the same files go to jsonschema, read as an
editor reads YAML (1.2: dates and yes/no are text), and to ``jianbao check``; both must accept or both
refuse, and each case says which it is.  The disagreements the issue listed are settled in
``jianbao.schema``'s docstring; what a schema cannot see (placeholders, punctuation…) is not tried here."""

from __future__ import annotations

import json
import re
import textwrap

import pytest
import yaml

from conftest import ISSUE, ROOT, SERIES, Office

jsonschema = pytest.importorskip("jsonschema")


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML with the YAML 1.2 core schema, as yaml-language-server reads a file: no timestamps (a date
    is text), booleans only true/false, no octal or sexagesimal numbers."""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+.0123456789"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]:
    Yaml12Loader.add_implicit_resolver(tag, re.compile(pattern), list(first))


def _int12(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _int12)


def editor_view(text: str):
    return yaml.load(text, Loader=Yaml12Loader)


def _validator(name: str):
    schema = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def test_the_editor_view_reads_yaml_as_1_2():
    data = editor_view("date: 2024-05-13\nsupplement: yes\nnumber: 012\nx: true\n")
    assert data == {"date": "2024-05-13", "supplement": "yes", "number": 12, "x": True}


def issue_with(old: str, new: str, text: str = ISSUE) -> str:
    text = textwrap.dedent(text)
    assert old in text, old
    return text.replace(old, new, 1)


SECTION = "  - title: 工作动态\n"
ITEM = "      - 本周召开专题会议。\n"


def nested(depth: int) -> str:
    """The first item of the first section as a chain of *depth* levels below it (section = level 1)."""
    lines, indent = [], "      "
    for level in range(2, depth + 1):
        lines.append(f"{indent}- title: 第{level}级标题\n")
        if level < depth:
            lines.append(f"{indent}  items:\n")
            indent += "    "
    return "".join(lines)


TABLE = """\
body:
  - table:
      caption: 办件情况
      header: [类别, 本周, 今年以来]
      rows:
ROWS
"""

# id → (issue text, accepted?)
ISSUE_CASES = {
    "clean": (textwrap.dedent(ISSUE), True),
    # dates: the forms check reads, and dates that do not exist
    "date-slashes": (issue_with("date: 2024-05-13", "date: 2024/5/13"), True),
    "date-chinese": (issue_with("date: 2024-05-13", "date: 2024年5月13日"), True),
    "date-dots": (issue_with("date: 2024-05-13", "date: 2024.5.13"), True),
    "date-single-digits": (issue_with("date: 2024-05-13", "date: 2024-5-13"), True),
    "date-april-31": (issue_with("date: 2024-05-13", "date: 2024-04-31"), False),
    "date-chinese-april-31": (issue_with("date: 2024-05-13", "date: 2024年4月31日"), False),
    "date-month-13": (issue_with("date: 2024-05-13", "date: 2024-13-01"), False),
    "date-leap-day": (issue_with("date: 2024-05-13", "date: 2024-02-29").replace(
        "period:\n  start: 2024-05-06\n  end: 2024-05-10\n", ""), True),
    "date-not-leap": (issue_with("date: 2024-05-13", "date: 2023-02-29"), False),
    "date-1900-not-leap": (issue_with("date: 2024-05-13", "date: 1900-02-29").replace(
        "period:\n  start: 2024-05-06\n  end: 2024-05-10\n", ""), False),
    "date-2000-leap": (issue_with("date: 2024-05-13", "date: 2000-02-29").replace(
        "period:\n  start: 2024-05-06\n  end: 2024-05-10\n", ""), True),
    "date-backwards": (issue_with("date: 2024-05-13", "date: 13/05/2024"), False),
    "date-a-number": (issue_with("date: 2024-05-13", "date: 20240513"), False),
    "period-start-impossible": (issue_with("start: 2024-05-06", "start: 2024-04-31"), False),
    # numbers and booleans
    "number-quoted": (issue_with("number: 3", 'number: "3"'), False),
    "total-quoted": (issue_with("total: 30", 'total: "30"'), False),
    "number-zero": (issue_with("number: 3", "number: 0"), False),
    "number-float": (issue_with("number: 3", "number: 3.5"), False),
    "supplement-yes": (issue_with("number: 3\n", "number: 3\nsupplement: yes\n"), True),
    "supplement-no": (issue_with("number: 3\n", "number: 3\nsupplement: no\n"), True),
    "supplement-true": (issue_with("number: 3\n", "number: 3\nsupplement: true\n"), True),
    "supplement-one": (issue_with("number: 3\n", "number: 3\nsupplement: 1\n"), False),
    "supplement-text": (issue_with("number: 3\n", "number: 3\nsupplement: 是\n"), False),
    # keys
    "misspelled-top-key": (issue_with("number: 3", "nubmer: 3\nnumber: 3"), False),
    "unknown-section-key": (issue_with("    items:", "    itmes:"), False),
    "unknown-item-key": (issue_with("        body: 围绕", "        bdy: 围绕"), False),
    "body-a-number": (issue_with("number: 3\n", "number: 3\nbody: 5\n"), False),
    # sections: title xor lead
    "section-title-and-lead": (issue_with(SECTION, SECTION + "    lead: 又一个段首标题。\n"), False),
    "section-neither": (issue_with(SECTION, "  - body: 只有正文。\n"), False),
    "section-lead": (issue_with(SECTION, "  - lead: 推进改革。\n    body: 本周召开专题会议。\n"), True),
    # items: shapes
    "item-title-and-lead": (issue_with("      - lead: 推进改革。\n", "      - lead: 推进改革。\n        title: 标题\n"), False),
    "item-title-only": (issue_with(ITEM, "      - title: 省本级综窗办件情况\n"), True),
    "item-body-only": (issue_with(ITEM, "      - body: 本周召开专题会议。\n"), True),
    "item-empty-mapping": (issue_with(ITEM, "      - {}\n"), False),
    "item-body-starts-with-table": (issue_with(ITEM, (
        "      - body:\n          - table: {caption: 表, header: [甲], rows: [[1]]}\n")), False),
    "item-a-number": (issue_with(ITEM, "      - 5\n"), False),
    # levels
    "four-levels": (issue_with(ITEM, nested(4)), True),
    "five-levels": (issue_with(ITEM, nested(5)), False),
    "fourth-level-with-empty-items": (issue_with(ITEM, nested(4) + " " * 16 + "items: []\n"), True),
    # tables
    "table-rows-match": (issue_with("number: 3\n", "number: 3\n" + TABLE.replace(
        "ROWS", "        - [咨询, 1142, 24276]\n        - [受理, 391, 9990]")), True),
    "table-short-row": (issue_with("number: 3\n", "number: 3\n" + TABLE.replace(
        "ROWS", "        - [咨询, 1142, 24276]\n        - [受理, 391]")), False),
    "table-long-row": (issue_with("number: 3\n", "number: 3\n" + TABLE.replace(
        "ROWS", "        - [咨询, 1142, 24276, 1]")), False),
    "table-widths-short": (issue_with("number: 3\n", "number: 3\n" + TABLE.replace(
        "ROWS", "        - [咨询, 1142, 24276]\n      widths: [2, 1]")), False),
    "table-align-one": (issue_with("number: 3\n", "number: 3\n" + TABLE.replace(
        "ROWS", "        - [咨询, 1142, 24276]\n      align: center")), True),
    "table-align-short": (issue_with("number: 3\n", "number: 3\n" + TABLE.replace(
        "ROWS", "        - [咨询, 1142, 24276]\n      align: [left, center]")), False),
    "table-total-yes": (issue_with("number: 3\n", "number: 3\n" + TABLE.replace(
        "ROWS", "        - [咨询, 1142, 24276]\n        - [受理, 391, 9990]\n      total: yes")), True),
    # photos: the shape (a photo that exists is tried in tests/test_images.py)
    "image-without-caption": (issue_with("number: 3\n", "number: 3\nbody:\n  - image: 照片/调研.jpg\n"), False),
    "image-misspelled-key": (issue_with("number: 3\n", (
        "number: 3\nbody:\n  - {image: 照片/调研.jpg, caption: 图为调研。, widht: 0.5}\n")), False),
    # distribution labels in an issue
    "label-seven-characters": (issue_with("number: 3\n", "number: 3\ndistribution:\n  报送的各位领导同志: [省中心领导]\n"), False),
    "label-six-characters": (issue_with("number: 3\n", "number: 3\ndistribution:\n  报送各位领导: [省中心领导]\n"), True),
    "label-blank": (issue_with("number: 3\n", "number: 3\ndistribution:\n  \"　\": [省中心领导]\n"), False),
}

SETTINGS_CASES = {
    "clean": (SERIES, True),
    "copies-quoted": (SERIES.replace("copies: 20", 'copies: "20"'), False),
    "copies-zero": (SERIES.replace("copies: 20", "copies: 0"), False),
    "label-seven": (SERIES.replace("  发:", "  报送的各位领导同志: [甲]\n  发:"), False),
    "label-chaosong": (SERIES.replace("  发:", "  抄送: [甲]\n  发:"), True),
    "recipients-empty-list": (SERIES.replace("  发: 本单位各处室。", "  发: []"), False),
    "no-editor": (SERIES.replace("editor: 测试中心\n", ""), False),
    "misspelled": (SERIES.replace("copies:", "copise:"), False),
}


def _check(cli, office: Office, path) -> tuple[bool, str]:
    result = cli("check", path)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code == 0, result.stderr


@pytest.mark.parametrize("case", list(ISSUE_CASES))
def test_issue_schema_and_check_agree(case, tmp_path, cli):
    text, accepted = ISSUE_CASES[case]
    office = Office(tmp_path / "o")
    path = office.issue(text)
    errors = [e.message for e in _validator("issue.schema.json").iter_errors(editor_view(text))]
    ok, said = _check(cli, office, path)
    assert ok == accepted, f"check {'refused' if not ok else 'accepted'} it:\n{said}"
    assert (not errors) == accepted, f"the schema {'refused' if errors else 'accepted'} it: {errors}"


@pytest.mark.parametrize("case", list(SETTINGS_CASES))
def test_settings_schema_and_check_agree(case, tmp_path, cli):
    text, accepted = SETTINGS_CASES[case]
    office = Office(tmp_path / "o", series=text)
    path = office.issue()
    errors = [e.message for e in _validator("jianbao.schema.json").iter_errors(editor_view(text))]
    ok, said = _check(cli, office, path)
    assert ok == accepted, f"check {'refused' if not ok else 'accepted'} it:\n{said}"
    assert (not errors) == accepted, f"the schema {'refused' if errors else 'accepted'} it: {errors}"


def test_every_example_and_fixture_reads_the_same_for_the_editor():
    """The committed example office and the fixtures are clean for the schema as an editor reads them."""
    v = _validator("issue.schema.json")
    for path in [ROOT / "issues" / "2024-05-13.yaml", *sorted((ROOT / "tests" / "fixtures").glob("*/issues/*.yaml"))]:
        errors = [e.message for e in v.iter_errors(editor_view(path.read_text(encoding="utf-8")))]
        assert errors == [], f"{path}: {errors}"


# Where the two still differ, knowingly (see jianbao.schema): check accepts and the editor flags — or, for
# a quoted "yes", the other way round.
KNOWN_DIFFERENCES = {
    "empty-total": issue_with("total: 30", "total:"),
    "date-with-midnight": issue_with("date: 2024-05-13", "date: 2024-05-13 00:00:00"),
    "date-full-width-digits": issue_with("date: 2024-05-13", "date: ２０２４年５月１３日"),
    "supplement-quoted-yes": issue_with("number: 3\n", "number: 3\nsupplement: \"yes\"\n"),
}


@pytest.mark.parametrize("case", list(KNOWN_DIFFERENCES))
def test_the_known_differences_are_what_the_docstring_says(case, tmp_path, cli):
    text = KNOWN_DIFFERENCES[case]
    office = Office(tmp_path / "o")
    path = office.issue(text)
    ok, said = _check(cli, office, path)
    errors = [e.message for e in _validator("issue.schema.json").iter_errors(editor_view(text))]
    if case == "supplement-quoted-yes":  # check refuses the quoted word, the editor cannot see the quotes
        assert not ok and not errors, (said, errors)
    else:
        assert ok, said
        assert errors, "the schema accepts it now: move the case to ISSUE_CASES"
