"""JSON Schemas: the committed ones match the models; they describe every field; they accept the example
office and the fixtures and refuse what jianbao refuses."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, Office
from jianbao.schema import SCHEMAS, schema_for, write_schemas

jsonschema = pytest.importorskip("jsonschema")

COMMITTED = ROOT / "schemas"
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_committed_schemas_are_up_to_date(tmp_path):
    written = write_schemas(tmp_path)
    assert sorted(p.name for p in written) == sorted(SCHEMAS)
    for p in written:
        committed = COMMITTED / p.name
        assert committed.is_file(), f"{committed} missing: run `jianbao schema` at the repo root and commit it"
        assert committed.read_bytes() == p.read_bytes(), (
            f"{committed} is stale: run `jianbao schema` at the repo root and commit the result")


def _yaml_as_json(path: Path):
    """What an editor's YAML server sees: dates are strings."""
    def plain(v):
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        if isinstance(v, dt.date):
            return v.isoformat()
        return v
    return plain(yaml.safe_load(path.read_text(encoding="utf-8")))


def _validator(name: str):
    schema = json.loads((COMMITTED / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


ISSUES = [ROOT / "issues" / "2024-05-13.yaml", *sorted(FIXTURES.glob("*/issues/*.yaml"))]
SETTINGS = [ROOT / "jianbao.yaml", *sorted(FIXTURES.glob("*/jianbao.yaml"))]


@pytest.mark.parametrize("path", ISSUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_issue_schema_accepts_the_example_and_the_fixtures(path):
    errors = list(_validator("issue.schema.json").iter_errors(_yaml_as_json(path)))
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize("path", SETTINGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_settings_schema_accepts_the_example_and_the_fixtures(path):
    errors = list(_validator("jianbao.schema.json").iter_errors(_yaml_as_json(path)))
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize("bad", [
    {"nubmer": 3, "number": 3, "date": "2024-05-13"},  # unknown key
    {"date": "2024-05-13"},  # number missing
    {"number": 0, "date": "2024-05-13"},
    {"number": 3, "date": "2024-05-13", "body": 5},
    {"number": 3, "date": "2024-05-13", "sections": [{"title": "动态", "itmes": []}]},
    {"number": 3, "date": "2024-05-13", "period": {"start": "2024-05-06"}},
    {"number": 3, "date": "13/05/2024"},
])
def test_issue_schema_refuses_what_jianbao_refuses(bad):
    assert list(_validator("issue.schema.json").iter_errors(bad))


def test_a_body_may_be_one_string_or_a_list():
    v = _validator("issue.schema.json")
    for body in ("一段话。", ["一段话。", "又一段。"]):
        assert not list(v.iter_errors({"number": 1, "date": "2024-05-13", "body": body, "note": body}))


#: Subschemas that only constrain (if/then rules, "one of these is required"): their properties are not fields.
RULES = ("if", "then", "else", "allOf", "not")


def _properties(node, where=""):
    if isinstance(node, dict):
        if "required" in node and "type" not in node:  # {"required": ["title"], …}: a rule, not a field
            return
        for key, prop in (node.get("properties") or {}).items():
            yield f"{where}/{key}", prop
        for key, value in node.items():
            if key not in RULES:
                yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _properties(value, f"{where}[{i}]")


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_every_field_has_a_chinese_description_title_and_a_valid_example(name):
    schema = schema_for(SCHEMAS[name])
    props = list(_properties(schema))
    assert len(props) > 5
    for where, prop in props:
        assert CJK.search(prop.get("description", "")), f"{where}: no Chinese description"
        assert CJK.search(prop.get("title", "")), f"{where}: no Chinese title"
        assert prop.get("examples"), f"{where}: no example"
        check = {"$defs": schema.get("$defs", {}), **{k: v for k, v in prop.items() if k != "examples"}}
        for example in prop["examples"]:
            errors = list(jsonschema.Draft202012Validator(check).iter_errors(example))
            assert errors == [], f"{where}: example {example!r} does not fit: {errors[0].message}"


def test_the_example_files_point_at_the_committed_schemas():
    for path in (ROOT / "jianbao.yaml", ROOT / "issues" / "2024-05-13.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        m = re.match(r"# yaml-language-server: \$schema=(\S+)", first)
        assert m, path
        assert (path.parent / m.group(1)).resolve().is_file()


def test_schema_command_writes_into_the_office(tmp_path, cli, monkeypatch):
    office = Office(tmp_path / "o")
    (office.root / "issues" / "deep").mkdir()
    monkeypatch.chdir(office.root / "issues" / "deep")  # found by walking up to jianbao.yaml
    result = cli("schema")
    assert result.exit_code == 0, result.stderr
    for name in SCHEMAS:
        p = office.root / "schemas" / name
        assert p.is_file() and json.loads(p.read_text(encoding="utf-8"))["$schema"].startswith("https://json-schema.org/")
        assert name in result.stdout


def test_schema_command_out(tmp_path, cli):
    result = cli("schema", "--out", tmp_path / "x")
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == sorted(SCHEMAS)


def test_schema_command_outside_an_office(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("schema")
    assert result.exit_code == 1 and "jianbao.yaml" in result.stderr and "--out" in result.stderr
    assert not (tmp_path / "schemas").exists()


def test_unchanged_schemas_are_not_rewritten(tmp_path):
    first = write_schemas(tmp_path)
    stamps = [p.stat().st_mtime_ns for p in first]
    write_schemas(tmp_path)
    assert [p.stat().st_mtime_ns for p in first] == stamps


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_every_definition_has_a_chinese_title_and_no_null_branch_makes_noise(name):
    schema = schema_for(SCHEMAS[name])
    for key, sub in schema.get("$defs", {}).items():
        assert CJK.search(sub.get("title", "")), f"$defs/{key}: no Chinese title"
    nulls = []

    def walk(node, where):
        if isinstance(node, dict):
            for branch in node.get("anyOf", []) + node.get("oneOf", []):
                if branch == {"type": "null"}:
                    nulls.append(where)
            if node.get("default", 0) is None:
                nulls.append(where + " (default null)")
            for k, v in node.items():
                walk(v, f"{where}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}[{i}]")
    walk(schema, "")
    assert nulls == []


def test_examples_keep_the_order_in_which_they_print():
    schema = schema_for(SCHEMAS["issue.schema.json"])
    assert list(schema["properties"]["period"]["examples"][0]) == ["start", "end"]
    settings = schema_for(SCHEMAS["jianbao.schema.json"])
    assert list(settings["properties"]["distribution"]["examples"][0]) == ["报", "发"]
    assert list(settings["properties"]) == ["name", "editor", "mark", "copies", "distribution", "separator", "layout",
                                          "ignore"]


def test_four_levels_are_four_definitions():
    defs = schema_for(SCHEMAS["issue.schema.json"])["$defs"]
    chain = [defs["Section"]["properties"]["items"]["items"]["allOf"][0]["$ref"]]
    for name in ("Item2", "Item3"):
        chain.append(defs[name]["properties"]["items"]["items"]["allOf"][0]["$ref"])
    assert chain == ["#/$defs/Item2", "#/$defs/Item3", "#/$defs/Item4"]
    assert "items" not in defs["Item4"]["properties"]["items"]  # nothing below the fourth level
    assert [defs[n]["title"][:4] for n in ("Section", "Item2", "Item3", "Item4")] == ["一级部分", "二级条目", "三级条目", "四级条目"]
