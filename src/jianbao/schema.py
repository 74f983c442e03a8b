"""JSON Schemas of ``jianbao.yaml`` and of issue files, generated from the pydantic models.

Editors that speak the YAML language server complete and check the files against these, given a
first line that points at them relative to the file: ``# yaml-language-server:
$schema=../schemas/issue.schema.json`` in ``issues/*.yaml`` and ``$schema=schemas/jianbao.schema.json``
in ``jianbao.yaml`` (``.vscode/settings.json`` maps the same files for VS Code).  ``jianbao init``
writes them to ``schemas/`` of a new office, ``jianbao new`` refreshes them when they are missing or
stale, and ``jianbao schema`` writes them on demand; the repository commits them, and a test fails
when they no longer match the models.

The schema says what a person may type, which is a little more than the model's own field types:
a ``body`` (``note``, ``title``) may be one string as well as a list of strings; a date is a
``2024-05-13`` string.  Titles are the Chinese field names, so editor tooltips read naturally.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema

from . import model
from .validate import FIELD_NAMES_ZH

#: file name in schemas/ → model
SCHEMAS: dict[str, type[BaseModel]] = {
    "jianbao.schema.json": model.SeriesFile,
    "issue.schema.json": model.IssueFile,
}

DIALECT = "https://json-schema.org/draft/2020-12/schema"

_MODEL_TITLES = {"Item": "条目（二至四级）", "Period": "报告期", "Section": "一级部分"}


class _Generator(GenerateJsonSchema):
    def function_before_schema(self, schema):
        inner = super().function_before_schema(schema)
        if schema.get("function", {}).get("function") is model.one_or_many and inner.get("type") == "array":
            one = dict(inner["items"])
            return {"anyOf": [one, {k: v for k, v in inner.items()}]}
        return inner


def schema_for(cls: type[BaseModel]) -> dict:
    """The JSON Schema of *cls* as jianbao publishes it."""
    raw = cls.model_json_schema(schema_generator=_Generator)
    _retitle(raw)
    for name, sub in raw.get("$defs", {}).items():
        if name in _MODEL_TITLES:
            sub["title"] = _MODEL_TITLES[name]
    return {"$schema": DIALECT, **raw}


def _retitle(node) -> None:
    """Replace pydantic's English property titles ("Number") with the Chinese field names."""
    if isinstance(node, dict):
        for key, prop in (node.get("properties") or {}).items():
            auto = key.replace("_", " ").title()  # pydantic's own title; an explicit one is kept
            if isinstance(prop, dict) and key in FIELD_NAMES_ZH and prop.get("title", auto) == auto:
                prop["title"] = FIELD_NAMES_ZH[key]
        for value in node.values():
            _retitle(value)
    elif isinstance(node, list):
        for value in node:
            _retitle(value)


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
        data = schema_text(cls).encode("utf-8")
        if not (path.is_file() and path.read_bytes() == data):
            write_atomic(path, data)
        written.append(path)
    return written
