"""Property-based tests: any issue file, generated or mangled, either builds a valid .docx that
holds every input paragraph, or fails with located diagnostics — never a crash, never a
partial file.

CI runs a bounded number of examples.  For a long run::

    JIANBAO_PROPERTY_EXAMPLES=20000 .venv/bin/pytest tests/test_properties.py -q -p no:cacheprovider
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, SERIES
from jianbao.diagnostics import JianbaoError
from jianbao.pipeline import compile_issue, prepare

EXAMPLES = int(os.environ.get("JIANBAO_PROPERTY_EXAMPLES", "60"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("JIANBAO_PROPERTY_RANDOM"),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])

# Text: mostly Chinese office prose, with digits, punctuation, Latin, spaces and the odd hostile character.
_CHARS = st.sampled_from(list("政务服务中心本周推进改革工作会议群众企业办理事项平台数据一二三十（）《》“”，。、；：")
                         + list("0123456789.%-~ ABCxyz,;:()!?") + ["\t", "\n", "\u3000", "\x07", "\ufeff", "—"])
# Template fragments: figures from data, filters, and things the sandbox must refuse.
_TEMPLATE = st.sampled_from([
    "{{ 咨询 }}", "{{ 手册.完成 | pct(手册.总数) }}", "{{ ytd.咨询 }}", "{{ prev.咨询 }}", "{{ 咨询 | cn }}",
    "{{ 未定义 }}", "{{ ''.__class__.__mro__ }}", "{% include 'x' %}", "{{ range(10**9) | list }}", "{{",
    "{% for i in range(3) %}{{ i }}{% endfor %}", "{{ date | cndate }}", "}}", "{#",
])
TEXT = st.lists(st.one_of(st.text(_CHARS, min_size=0, max_size=30), _TEMPLATE), max_size=3).map("".join)
DATA = st.fixed_dictionaries({}, optional={
    "咨询": st.one_of(st.integers(-5, 10**7), st.floats(allow_nan=False, allow_infinity=False), TEXT),
    "手册": st.fixed_dictionaries({}, optional={"完成": st.integers(0, 2000), "总数": st.integers(-1, 2000)}),
})
DATES = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))


def _items(depth: int):
    leaf = TEXT
    if depth >= 5:
        return st.lists(leaf, max_size=2)
    node = st.fixed_dictionaries(
        {},
        optional={
            "title": TEXT, "lead": TEXT, "body": st.one_of(TEXT, st.lists(TEXT, max_size=2)),
            "items": st.deferred(lambda: _items(depth + 1)),
        },
    )
    return st.lists(st.one_of(leaf, node), max_size=3)


SECTION = st.fixed_dictionaries(
    {},
    optional={"title": TEXT, "lead": TEXT, "body": st.one_of(TEXT, st.lists(TEXT, max_size=2)), "items": _items(2)},
)

ISSUE = st.fixed_dictionaries(
    {"number": st.one_of(st.integers(-2, 60), TEXT), "date": st.one_of(DATES, TEXT, st.integers(0, 30000000))},
    optional={
        "total": st.integers(-1, 2000),
        "supplement": st.booleans(),
        "period": st.fixed_dictionaries({"start": DATES, "end": DATES}),
        "title": st.one_of(TEXT, st.lists(TEXT, max_size=3)),
        "subtitle": TEXT,
        "note": st.one_of(TEXT, st.lists(TEXT, max_size=2)),
        "body": st.one_of(TEXT, st.lists(TEXT, max_size=3)),
        "sections": st.lists(SECTION, max_size=4),
        "copies": st.integers(-1, 500),
        "mark": TEXT,
        "distribution": st.dictionaries(st.sampled_from(["报", "送", "发", "抄送", ""]),
                                        st.one_of(TEXT, st.lists(TEXT, max_size=3)), max_size=3),
        "nubmer": st.integers(),
        "data": DATA,
        "carry": DATA,
    },
)


def _office(tmp: Path) -> Path:
    (tmp / "issues").mkdir(parents=True, exist_ok=True)
    (tmp / "jianbao.yaml").write_text(SERIES, encoding="utf-8")
    return tmp / "issues"


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for k in ("title", "lead", "body", "items") if k in value for s in _strings(value[k])]
    return []


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def _check(path: Path, out: Path, data) -> None:
    """The property: a valid .docx with every paragraph, or located diagnostics and no output."""
    try:
        compile_issue(prepare(path), out)
    except JianbaoError as exc:
        assert exc.diagnostics
        for d in exc.diagnostics:
            assert re.fullmatch(r"JB\d{3}", d.code)
            assert d.file is not None and d.message
            assert d.line is not None or d.code in ("JB005", "JB101"), d.render()
        assert not out.exists()
        return
    assert out.is_file()
    text = _docx_text(out).replace("\n", "")
    if isinstance(data, dict):
        from xml.sax.saxutils import escape

        flat = re.sub(r"\s", "", text)
        for s in _strings(data.get("sections", [])) + _strings(data.get("body", [])):
            if "{" not in s:  # templated text prints its value, not its source
                assert re.sub(r"\s", "", escape(s)) in flat, s
    out.unlink()


@SETTINGS
@given(data=ISSUE)
def test_generated_issues_build_or_fail_cleanly(tmp_path_factory, data):
    folder = _office(tmp_path_factory.mktemp("gen"))
    path = folder / "x.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _check(path, folder.parent / "build" / "x.docx", data)


SEED_TEXT = (ROOT / "issues" / "2024-05-13.yaml").read_text(encoding="utf-8")
_MUTATION = st.tuples(
    st.sampled_from(["insert", "delete", "replace", "dup-line", "drop-line", "indent", "dedent"]),
    st.integers(0, len(SEED_TEXT)),
    st.lists(st.sampled_from(list(":-[]{}\"'#&*!|>%@` \n\t，：一（）1.、") + ["2024-04-31", "items:", "- "]),
             min_size=1, max_size=4).map("".join),
)


def _mutate(text: str, mutations) -> str:
    for kind, at, chunk in mutations:
        at = min(at, len(text))
        if kind == "insert":
            text = text[:at] + chunk + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + len(chunk):]
        elif kind == "replace":
            text = text[:at] + chunk + text[at + len(chunk):]
        else:
            lines = text.split("\n")
            k = min(at * len(lines) // (len(text) + 1), len(lines) - 1)
            if kind == "dup-line":
                lines.insert(k, lines[k])
            elif kind == "drop-line":
                del lines[k]
            elif kind == "indent":
                lines[k] = "  " + lines[k]
            else:
                lines[k] = lines[k][2:]
            text = "\n".join(lines)
    return text


@SETTINGS
@given(mutations=st.lists(_MUTATION, min_size=1, max_size=4))
def test_mangled_example_builds_or_fails_cleanly(tmp_path_factory, mutations):
    folder = _office(tmp_path_factory.mktemp("mut"))
    path = folder / "x.yaml"
    text = _mutate(SEED_TEXT, mutations)
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    _check(path, folder.parent / "build" / "x.docx", None)
    assert path.read_bytes() == before  # the source is never changed
