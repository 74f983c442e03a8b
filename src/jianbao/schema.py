"""JSON Schemas of ``jianbao.yaml`` and of issue files, generated from the pydantic models.

Editors that speak the YAML language server complete and check the files against these, given a
first line that points at them relative to the file: ``# yaml-language-server:
$schema=../schemas/issue.schema.json`` in ``issues/*.yaml`` and ``$schema=schemas/jianbao.schema.json``
in ``jianbao.yaml`` (``.vscode/settings.json`` maps the same files for VS Code).  ``jianbao init``
writes them to ``schemas/`` of a new office, ``jianbao new`` refreshes them when they are missing or
stale, and ``jianbao schema`` writes them on demand; the repository commits them, and a test fails
when they no longer match the models.

The schema says what ``jianbao check`` says, as far as JSON Schema can (``tests/test_schema_agreement.py``
feeds the same files to both and compares).  Field descriptions, titles and examples come from the
models; the shape rules that pydantic expresses in Python (validators) are restated here:

* the four levels are four definitions (一级部分, 二级条目, 三级条目, 四级条目); a fourth-level item
  with ``items`` is refused at that key, as check's JB109 is;
* a section has ``title`` or ``lead``, not both and not neither; an item not both, and with neither
  its ``body`` begins with a paragraph (JB108);
* a date is a string of the forms check reads (``2024-05-13``, ``2024/5/13``, ``2024.5.13``,
  ``2024年5月13日``) that exists: the pattern knows the length of each month and the leap years (JB104/105);
* distribution labels are one to six characters (JB111), and 报/送/发/抄送 are named, with descriptions;
* a table row has as many cells as the header, and ``widths``/``align`` one per column, for headers of up
  to :data:`MAX_TABLE_COLUMNS` columns (JB709; wider tables only check sees).

Where the two sides disagreed they were settled one way (issue 16):

* impossible dates, five levels, a section with both or neither of title/lead, an item with both, labels
  over six characters, short table rows: refused by both;
* ``date: 2024/5/13`` and ``2024年5月13日``: accepted by both (check always read them);
* ``number: "1"`` (a quoted number, in number, total and copies): refused by both — the models take
  these integers strictly, as they print what the file says;
* ``supplement: yes`` (and ``total: yes`` of a table): accepted by both. jianbao reads YAML 1.1, where
  yes/no/on/off are booleans; editors read YAML 1.2, where they are text, so the schema accepts those
  words beside true/false.  The models take booleans strictly otherwise (``supplement: 1`` is refused).

What a schema cannot see stays check's alone: placeholders, punctuation, numbering typed by hand, the
order of dates across issues, templates and figures.  Where the two still differ, knowingly
(``tests/test_schema_agreement.py`` lists these too), the schema is the stricter: a key written with
no value (``total:``) is flagged by the editor — a field left unfinished — while check reads it as not
written (the schema has no ``null`` branches, which made completion and hovers noisy); a date with a
time of midnight (``2024-05-13 00:00``) and a date in full-width digits, which check reads.  One the
other way round: a quoted ``"yes"`` for a boolean is refused by check but not by the editor, which
cannot tell it from a plain ``yes``.

Every leaf carries an ``errorMessage`` in Chinese (yaml-language-server shows it for a wrong type, a
pattern or an enum), and every definition a Chinese title.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema

from . import model
from .validate import FIELD_NAMES_ZH, TABLE_FIELD_NAMES_ZH

#: file name in schemas/ → model
SCHEMAS: dict[str, type[BaseModel]] = {
    "jianbao.schema.json": model.SeriesFile,
    "issue.schema.json": model.IssueFile,
}

DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: Table headers up to this many columns get the row-length rule (one if/then each).
MAX_TABLE_COLUMNS = 12

# --- dates -----------------------------------------------------------------------------------
# What model._strict_date reads — (\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日? — restricted to dates
# that exist: each month's length, 29 February in leap years only, no year 0.
_YEAR = r"(?!0000)[0-9]{4}"
_LEAP = r"(?!0000)(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
_SY, _SM = "[-/.年]", "[-/.月]"
_M31, _M30 = "(?:0?[13578]|1[02])", "(?:0?[469]|11)"
_D31, _D30, _D28 = "(?:0?[1-9]|[12][0-9]|3[01])", "(?:0?[1-9]|[12][0-9]|30)", "(?:0?[1-9]|1[0-9]|2[0-8])"
DATE_PATTERN = (rf"^(?:{_YEAR}{_SY}(?:{_M31}{_SM}{_D31}|{_M30}{_SM}{_D30}|0?2{_SM}{_D28})"
                rf"|{_LEAP}{_SY}0?2{_SM}29)日?$")

#: YAML 1.1 booleans that YAML 1.2 (the editors') reads as text.
YAML11_BOOL_WORDS = "^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$"

#: Labels of the end block, as completion offers them under ``distribution:``.
DISTRIBUTION_LABELS = {
    "报": "报：报送的上级机关和领导，如“省政务服务管理办公室”",
    "送": "送：送阅的同级机关和有关领导，如“市委、市政府有关领导”",
    "发": "发：印发的下级单位和本系统各单位，如“各市（州）政务服务中心”",
    "抄送": "抄送：需要知悉的其他机关",
}

_DEF_TITLES = {
    "Figures": "数据（名称: 数，可分组）",
    "Table": "表格",
    "TableBlock": "表格块（table:）",
    "ImageBlock": "照片（image:）",
    "ImagesBlock": "并排的照片（images:）",
    "Period": "报告期",
    "Section": "一级部分（“一、”）",
    "Date": "日期",
    "Recipients": "发送范围",
}
_LEVELS = {2: ("Item2", "二级条目（“（一）”）"), 3: ("Item3", "三级条目（“1.”）"), 4: ("Item4", "四级条目（“（1）”）")}


class _Generator(GenerateJsonSchema):
    """pydantic's generator, with what a person types instead of what the model stores."""

    def sort(self, value, parent_key=None):
        return value  # keep the models' order: fields, and the keys of examples, as they print

    def nullable_schema(self, schema):
        return self.generate_inner(schema["schema"])  # no null branches: "not written" is leaving the key out

    def default_schema(self, schema):
        out = super().default_schema(schema)
        if out.get("default", 0) is None:
            del out["default"]
        return out

    def date_schema(self, schema):
        return {"type": "string", "format": "date"}  # → {"$ref": "#/$defs/Date"} in _dates

    def function_before_schema(self, schema):
        inner = super().function_before_schema(schema)
        if schema.get("function", {}).get("function") is model.one_or_many and inner.get("type") == "array":
            return {"anyOf": [dict(inner["items"]), inner]}  # body: 一段话 = body: [一段话]
        return inner


def schema_for(cls: type[BaseModel]) -> dict:
    """The JSON Schema of *cls* as jianbao publishes it."""
    raw = cls.model_json_schema(schema_generator=_Generator)
    defs = raw.setdefault("$defs", {})
    _retitle(raw)
    _leaves(raw)
    if "sections" in raw["properties"]:
        _levels(defs)
    if "Table" in defs:
        _table(defs["Table"])
    _distribution(raw, defs)
    _booleans(raw)
    _dates(raw)
    _unions(raw)
    if "Figures" in defs:  # a figure: a number, or a group of them
        defs["Figures"]["additionalProperties"] = {"$ref": "#/$defs/Figures"}  # → number | object, below
    _wrap_objects(raw, defs)
    _required(raw)
    defs["Date"] = {
        "type": "string", "pattern": DATE_PATTERN, "title": _DEF_TITLES["Date"],
        "description": "日期写作 2024-05-13（也可以写 2024/5/13、2024年5月13日），要是日历上存在的日期",
        "errorMessage": "日期写作 2024-05-13（年-月-日），而且要是存在的日期（注意每月的天数和闰年）",
    }
    if not _uses(raw, "#/$defs/Date"):
        del defs["Date"]
    for name, sub in defs.items():
        if name in _DEF_TITLES:
            sub["title"] = _DEF_TITLES[name]
    raw["$defs"] = dict(sorted(defs.items()))
    return {"$schema": DIALECT, **raw}


# --- titles, descriptions and messages of the leaves -------------------------------------------

def _walk(node, fn, path=()):
    if isinstance(node, dict):
        fn(node, path)
        for key, value in node.items():
            _walk(value, fn, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _walk(value, fn, path + (i,))


def _uses(node, ref: str) -> bool:
    found = []
    _walk(node, lambda n, p: found.append(1) if n.get("$ref") == ref else None)
    return bool(found)


def _retitle(root: dict) -> None:
    """Replace pydantic's English property titles ("Number") with the Chinese field names."""
    def fix(node, path):
        in_table = "Table" in path
        names = {**FIELD_NAMES_ZH, **TABLE_FIELD_NAMES_ZH} if in_table else FIELD_NAMES_ZH
        for key, prop in (node.get("properties") or {}).items():
            auto = key.replace("_", " ").title()  # pydantic's own title; an explicit one is kept
            if isinstance(prop, dict) and key in names and prop.get("title", auto) == auto:
                prop["title"] = names[key]
    _walk(root, fix)


_TYPE_MESSAGES = {
    "integer": "应为整数（直接写数字，不加引号）",
    "number": "应为数字",
    "string": "应为文字",
    "array": "应为列表（每项以“- ”开头）",
    "object": "应为“字段: 值”的映射",
}


def _leaves(root: dict) -> None:
    """Chinese errorMessage on every leaf a property holds (yaml-language-server shows it for a wrong
    type, a pattern or an enum; pydantic's schema has none)."""
    def fix(node, path):
        for key, prop in (node.get("properties") or {}).items():
            if not isinstance(prop, dict):
                continue
            label = f"{key}（{prop['title']}）" if prop.get("title") else key
            _message(prop, label)
    _walk(root, fix)


def _is_align(prop: dict) -> bool:
    branches = prop.get("oneOf") or []
    return len(branches) == 2 and branches[0].get("enum") == ["left", "center", "right"]


def _message(prop: dict, label: str) -> None:
    kind = prop.get("type")
    if isinstance(kind, str) and kind in _TYPE_MESSAGES and "errorMessage" not in prop:
        what = _TYPE_MESSAGES[kind]
        if "enum" in prop:
            what = "应为 " + "、".join(str(v) for v in prop["enum"]) + " 之一"
        example = (prop.get("examples") or [None])[0] if kind in ("integer", "number", "string") else None
        prop["errorMessage"] = f"{label}{what}" + (f"，例如 {example}" if isinstance(example, (int, str)) else "")
    if _is_align(prop):
        for branch in prop["oneOf"]:
            branch["errorMessage"] = f"{label}应为 left（居左）、center（居中）、right（居右）之一，或每列一项的列表"


# --- the four levels ---------------------------------------------------------------------------

def _string_or(ref: str) -> dict:
    """An item: a paragraph, or a mapping (one schema, not a oneOf: yaml-language-server then shows our
    message for a wrong type instead of merging the branches' into 'Incorrect type. Expected …')."""
    return {"type": ["string", "object"], "minLength": 1,
            "errorMessage": "条目应为一段文字，或含 title、lead、body 的映射", "allOf": [{"$ref": ref}]}


def _heading_rules(sub: dict, *, section: bool) -> None:
    both = "title（单独成行的标题）和 lead（段首标题）只能二选一"
    sub["if"] = {"type": "object", "required": ["title", "lead"]}
    # reported at the lead key, the one to delete (check's JB108 points at the start of the section)
    sub["then"] = {"properties": {"lead": False}, "errorMessage": both}
    if section:
        need = "每一部分要有 title（单独成行的标题）或 lead（段首标题）之一"
        sub["anyOf"] = [{"required": ["title"], "errorMessage": need}, {"required": ["lead"], "errorMessage": need}]
    else:
        need = "条目至少要有 title、lead 或 body 之一；没有 title 和 lead 时，body 要以一段文字开头"
        sub["anyOf"] = [
            {"required": ["title"], "errorMessage": need},
            {"required": ["lead"], "errorMessage": need},
            {"required": ["body"], "errorMessage": need,
             "properties": {"body": {"type": ["string", "array"], "minLength": 1, "minItems": 1, "errorMessage": need,
                                    "prefixItems": [{"type": "string", "errorMessage": need}]}}},
        ]


def _levels(defs: dict) -> None:
    """Item (any depth in the model; check's JB109 stops at four) → 二级、三级、四级条目."""
    item = defs.pop("Item")
    section = defs["Section"]
    section["properties"]["items"]["items"] = _string_or("#/$defs/Item2")
    _heading_rules(section, section=True)
    for level, (name, title) in _LEVELS.items():
        sub = copy.deepcopy(item)
        sub["title"] = title
        sub["description"] = f"第{'二三四'[level - 2]}级条目：" + item["description"].split("：", 1)[-1]
        items = sub["properties"]["items"]
        if level < 4:
            nxt, nxt_title = _LEVELS[level + 1]
            items["items"] = _string_or(f"#/$defs/{nxt}")
            items["description"] = f"下一级条目（{nxt_title}），每项是一段文字或一个映射"
        else:
            sub["properties"]["items"] = {"title": "条目", "type": "array", "doNotSuggest": True,
                                          "description": "简报最多四级（一、（一）1.（1））：第四级条目下不能再有 items",
                                          "examples": [[]]}
            sub["if"] = {"type": "object", "required": ["items"], "properties": {"items": {"minItems": 1}}}
            sub["then"] = {"properties": {"items": False},
                           "errorMessage": "第 4 级条目下还有 items：简报最多四级（一、（一）1.（1））"}
            sub["allOf"] = [{}]  # the title/lead rules below go in here, beside the level rule
            _heading_rules(sub["allOf"][0], section=False)
            defs[name] = sub
            continue
        _heading_rules(sub, section=False)
        defs[name] = sub


# --- tables ------------------------------------------------------------------------------------

def _table(table: dict) -> None:
    props = table["properties"]
    cell = {"type": ["string", "number", "null"], "errorMessage": "表格的格应为文字或数字（空格写 \"\" 或 ~）"}
    props["header"]["items"] = dict(cell)
    props["rows"]["items"] = {"type": "array", "items": dict(cell), "errorMessage": "表格的每一行应为列表，如 [咨询, 1142]"}
    rules = []
    for n in range(1, MAX_TABLE_COLUMNS + 1):
        rules.append({
            "if": {"required": ["header"], "properties": {"header": {"minItems": n, "maxItems": n}}},
            "then": {"properties": {
                "rows": {"items": {"minItems": n, "maxItems": n}},
                "widths": {"minItems": n, "maxItems": n},
                "align": {"minItems": n, "maxItems": n},
            }},
        })
    table["allOf"] = rules


# --- distribution ------------------------------------------------------------------------------

def _distribution(root: dict, defs: dict) -> None:
    prop = root["properties"].get("distribution")
    if prop is None:
        return
    recipients = prop.pop("additionalProperties")
    one, many = recipients["oneOf"]
    defs["Recipients"] = {
        "type": ["string", "array"], "minLength": one.get("minLength", 1), "minItems": many.get("minItems", 1),
        "items": {**many["items"], "errorMessage": "单位名称应为文字"},
        "description": "一段文字（原样照印，自己写标点），或单位名称的列表（用分隔符连接，末尾加“。”）",
        "errorMessage": "发送范围应为一段文字（原样照印），或单位名称的列表",
    }
    named = {label: {"$ref": "#/$defs/Recipients", "title": label, "description": text,
                     "examples": [["省政务服务管理办公室", "省中心领导"]]}
             for label, text in DISTRIBUTION_LABELS.items()}
    prop["properties"] = named
    prop["additionalProperties"] = {"$ref": "#/$defs/Recipients"}
    prop["propertyNames"] = {"pattern": r"^(?!\s*$).{1,6}$", "doNotSuggest": True,  # the four above are offered
                             "errorMessage": "报尾标签应为一到六个字，如“报”“送”“发”“抄送”"}


#: Definitions of mappings, and what to say when something else stands where one is wanted.
_OBJECTS = {
    "Section": ("每一部分", "应为含 title 或 lead 的映射（“title: 标题”）"),
    "Period": ("报告期", "应为映射：start 开始日期、end 结束日期"),
    "Table": ("table", "应为映射：caption 标题、header 表头、rows 各行"),
    "TableBlock": ("表格", "应写成 table: 下的映射"),
    "ImageBlock": ("照片", "应写成映射：image 照片文件、caption 图注"),
    "ImagesBlock": ("并排的照片", "应写成映射：images 两三张照片的列表、caption 图注"),
    "Figures": ("数据", "应为“名称: 数字”的映射，可以分组"),
}


def _unions(root: dict) -> None:
    """One schema with a list of types instead of anyOf/oneOf branches, where the branches differ by type
    only: yaml-language-server shows the errorMessage of a list of types, but merges the branches' own
    type errors into an English 'Incorrect type. Expected "string | array"'."""
    def fix(node, path):
        for key, prop in list((node.get("properties") or {}).items()):
            if not isinstance(prop, dict) or "anyOf" not in prop:
                continue
            branches = prop["anyOf"]
            label = f"{key}（{prop['title']}）" if prop.get("title") else key
            kinds = [b.get("type") for b in branches]
            if kinds == ["string", "array"] and branches[1].get("items", {}).get("type") == "string":
                # one paragraph or a list of them (title, note)
                prop.pop("anyOf")
                prop.update(type=["string", "array"], minLength=1,
                            items={**branches[1]["items"], "errorMessage": "每一项应为一段文字"},
                            errorMessage=f"{label}应为一段文字，或多段文字的列表（每段以“- ”开头）")
            elif kinds == [None, "array"] and "oneOf" in branches[0]:
                # a block or a list of blocks (body): a paragraph or {table: …}
                block = _block(branches[0]["oneOf"])
                prop.pop("anyOf")
                combo = {k: block[k] for k in ("allOf", "anyOf") if k in block}
                prop.update(type=["string", "object", "array"], minLength=1, **combo,
                            items=block, errorMessage=f"{label}应为一段文字、多段文字的列表，或 table: 表格、image: 照片、images: 并排的照片")
            elif kinds == ["boolean", "string"]:
                prop.pop("anyOf")
                prop.update(type=["boolean", "string"], pattern=branches[1]["pattern"],
                            errorMessage=branches[0]["errorMessage"])
    _walk(root, fix)


def _block(choices: list) -> dict:
    """A paragraph or one of the block mappings ({table: …}, {image: …}): their definitions have no type
    (see _wrap_objects), so a string passes each of them and a mapping is told apart by its keys."""
    mappings = [c for c in choices if c.get("type") != "string"]
    return {"type": ["string", "object"], "minLength": 1, "errorMessage": _BLOCK_MESSAGE,
            **({"allOf": mappings} if len(mappings) == 1 else {"anyOf": mappings})}


_BLOCK_MESSAGE = "正文块应为一段文字，或 table: 表格、image: 照片、images: 并排的照片"


def _wrap_objects(root: dict, defs: dict) -> None:
    """``{"$ref": Section}`` → ``{"type": "object", "errorMessage": …, "allOf": [{"$ref": Section}]}``, the
    definition itself without a type: the message then belongs to the wrong type alone, not to the
    mapping's own checks (an unknown key keeps its 'Property itmes is not allowed')."""
    for name in [*_OBJECTS, *(n for n, _ in _LEVELS.values())]:  # items are wrapped by _string_or
        if name in defs:
            defs[name].pop("type", None)

    def fix(node, path):
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                node[key] = _wrapped(node[key], key)
        for key, prop in list((node.get("properties") or {}).items()):
            if isinstance(prop, dict):
                node["properties"][key] = _wrapped(prop, key)
    _walk(root, fix)


def _wrapped(node: dict, key: str) -> dict:
    ref = node.get("$ref", "")
    name = ref.rsplit("/", 1)[-1]
    if not ref.startswith("#/$defs/") or name not in _OBJECTS:
        return node
    subject, what = _OBJECTS[name]
    label = f"{key}（{node['title']}）" if node.get("title") else subject
    out = {k: v for k, v in node.items() if k != "$ref"}
    out.update({"type": "object", "errorMessage": label + what, "allOf": [{"$ref": ref}]})
    if name == "Figures" and key == "additionalProperties":  # a figure: a number, or a group of them
        out["type"] = ["number", "object"]
        out["errorMessage"] = "数据应为数字，或“名称: 数字”的映射（分组）"
    return out


def _required(root: dict) -> None:
    """Each required field as its own rule with a Chinese message, as check's JB101 says it (the
    server's own 'Missing property' is not translated, and a message on the mapping would replace
    every other message about it)."""
    def fix(node, path):
        if node.get("additionalProperties") is not False or not node.get("required"):
            return  # only the mappings of the models; a rule's {"required": […]} is left as it is
        props = node["properties"]
        rules = []
        for name in node.pop("required"):
            title = props.get(name, {}).get("title")
            label = f"{name}（{title}）" if title else name
            rules.append({"required": [name], "errorMessage": f"缺少必填字段 {label}"})
        node["allOf"] = rules + node.get("allOf", [])
    _walk(root, fix)


def _dates(root: dict) -> None:
    def fix(node, path):
        if node.get("format") == "date" and node.get("type") == "string":
            for key in ("format", "type", "errorMessage"):
                node.pop(key, None)
            node["$ref"] = "#/$defs/Date"
    _walk(root, fix)


def _booleans(root: dict) -> None:
    """``true``/``false``, and the YAML 1.1 words jianbao reads as booleans (editors read them as text)."""
    def fix(node, path):
        for key, prop in (node.get("properties") or {}).items():
            if isinstance(prop, dict) and prop.get("type") == "boolean":
                label = f"{key}（{prop['title']}）" if prop.get("title") else key
                msg = f"{label}应为 true（是）或 false（否）"
                del prop["type"]
                prop["anyOf"] = [{"type": "boolean", "errorMessage": msg},
                                 {"type": "string", "pattern": YAML11_BOOL_WORDS, "errorMessage": msg}]
    _walk(root, fix)


# --- files -------------------------------------------------------------------------------------

def schema_text(cls: type[BaseModel]) -> str:
    """The schema as the committed file holds it: UTF-8 JSON, two-space indent, final newline."""
    return json.dumps(schema_for(cls), ensure_ascii=False, indent=2) + "\n"


def schema_bytes(cls: type[BaseModel]) -> bytes:
    """:func:`schema_text` as the bytes written to disk."""
    return schema_text(cls).encode("utf-8")


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into *folder* (created if needed); files already up to date are left alone."""
    from .write import write_atomic

    written = []
    for name, cls in SCHEMAS.items():
        path = Path(folder) / name
        data = schema_bytes(cls)
        if not (path.is_file() and path.read_bytes() == data):
            write_atomic(path, data)
        written.append(path)
    return written
