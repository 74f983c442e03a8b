"""Fuzz target (issue 20): the example and every fixture, mangled at random, never give an
internal error — ``build`` either writes a valid .docx or stops with located diagnostics, and
``check`` finds errors exactly when ``build`` refuses.

CI runs a fixed (derandomized) sample.  The long run, once per release or after a change to a reader::

    JIANBAO_FUZZ_EXAMPLES=20000 JIANBAO_FUZZ_RANDOM=1 .venv/bin/pytest tests/test_fuzz.py -q -p no:cacheprovider
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT
from jianbao.diagnostics import JianbaoError

EXAMPLES = int(os.environ.get("JIANBAO_FUZZ_EXAMPLES", "80"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("JIANBAO_FUZZ_RANDOM"),
                    suppress_health_check=list(HealthCheck), database=None)

#: (office folder, issue file) of the example and of every fixture.
SEEDS = [(ROOT, ROOT / "issues" / "2024-05-13.yaml")] + [
    (folder, issue) for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir())
    for issue in sorted((folder / "issues").glob("*.yaml"))]

#: What a careless or hostile colleague types: YAML punctuation, numbers YAML 1.1 misreads,
#: impossible dates, template fragments, characters XML cannot hold, huge numbers, long runs.
CHUNKS = list(":-[]{}\"'#&*!|>%@` \n\t，：一（）1.、") + [
    "2024-04-31", "0000-01-01", "9999-12-31", "items:", "- ", "012", "0356", "1:20", "yes", "no", "0x1F",
    "0o17", "1_000", ".inf", "~", "null", "\\x01", "\\ud800", "\\u0000", "\x7f", "\u2028", "\ufeff",
    "{{ ", " }}", "{{ 1 }}", "{% for i in range(3) %}x{% endfor %}", "{{ '%c' % 1 }}", "{{ '%*d' % (9, 1) }}",
    "{{ ytd.咨询 }}", "{{ prev.x }}", "9" * 5000, "4月31日，", "（一）、", "&a ", "*a", "<<: ", "!!python/name:x",
    "table:", "header: [a, b]", "rows: [[1, 2]]", "total: true", "layout: ../../x", "width: -1",
]
MUTATION = st.tuples(
    st.sampled_from(["insert", "delete", "replace", "dup-line", "drop-line", "indent", "dedent"]),
    st.integers(0, 1 << 16),
    st.lists(st.sampled_from(CHUNKS), min_size=1, max_size=4).map("".join),
)


def mutate(text: str, mutations) -> str:
    for kind, at, chunk in mutations:
        at = at % (len(text) + 1)
        if kind == "insert":
            text = text[:at] + chunk + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + len(chunk):]
        elif kind == "replace":
            text = text[:at] + chunk + text[at + len(chunk):]
        else:
            lines = text.split("\n")
            k = at % len(lines)
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


def office_copy(tmp: Path, folder: Path, issue: Path) -> Path:
    """A copy of *folder*'s settings and presets with *issue* alone in issues/."""
    (tmp / "issues").mkdir(parents=True)
    shutil.copy(folder / "jianbao.yaml", tmp / "jianbao.yaml")
    if (folder / "templates" / "layouts").is_dir():
        shutil.copytree(folder / "templates" / "layouts", tmp / "templates" / "layouts")
    return tmp / "issues" / issue.name


def build_and_check(path: Path) -> None:
    """The property, for one office folder whose files may be anything."""
    from jianbao.check_series import check_paths
    from jianbao.pipeline import compile_issue, default_output, prepare

    out = None
    try:
        prepared = prepare(path)
        out = default_output(prepared)
        compile_issue(prepared, out)
    except JianbaoError as exc:
        assert exc.diagnostics
        for d in exc.diagnostics:
            assert re.fullmatch(r"JB\d{3}", d.code) and d.file is not None and d.message
        built = False
    else:
        built = True
        with zipfile.ZipFile(out) as z:
            assert z.testzip() is None and b"<w:body>" in z.read("word/document.xml")
    report = check_paths([path])
    assert (report.errors == 0) == built, [d.render() for d in report.diagnostics if d.is_error][:3]


@SETTINGS
@given(seed=st.sampled_from(SEEDS), mutations=st.lists(MUTATION, min_size=1, max_size=5),
       settings_too=st.booleans())
def test_mangled_issue_files_never_crash(tmp_path_factory, seed, mutations, settings_too):
    folder, issue = seed
    path = office_copy(tmp_path_factory.mktemp("fuzz"), folder, issue)
    text = mutate(issue.read_text(encoding="utf-8"), mutations)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    if settings_too:
        s = path.parent.parent / "jianbao.yaml"
        s.write_text(mutate(s.read_text(encoding="utf-8"), mutations[:1]), encoding="utf-8", errors="surrogatepass")
    before = path.read_bytes()
    build_and_check(path)
    assert path.read_bytes() == before  # the source is never changed
