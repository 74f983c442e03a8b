"""``jianbao check FILE.docx`` (and .doc/.wps/.odt): lint a finished Word bulletin where it is.

The bulletin is read and its structure recovered as ``jianbao import`` does, turned into an issue
file in memory (never written), and checked by the same rules as an issue file: dates that do not
exist, date ranges, punctuation, numerals (the recogniser's gaps and slips), repeated paragraphs,
rates that do not match their numbers, typed table totals, and — when the file sits in an office
folder — 期号, 总期号, dates and periods against the issues of that folder.  Each diagnostic is
then moved from the in-memory YAML back to the original: the page and paragraph (``第2页第15段``;
“约” when the file does not record its pages), the paragraph's text quoted with a caret.
"""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Diagnostic, JianbaoError

#: What the check reports of the recogniser's own findings (JB915 is about filling in an import).
_KEEP = ("JB208", "JB911", "JB912", "JB913", "JB914", "JB916")
_WINDOW = 60  # characters of a long paragraph shown around the caret


def check_document(path: Path, *, series_rules=None) -> list[Diagnostic]:
    """The diagnostics of the Word bulletin *path*, placed in it.

    *series_rules* (``(src, issue, issues folder) → diagnostics``, from :mod:`jianbao.check_series`)
    checks it against the issues of the office folder it sits in, when there is one.
    """
    from .issuefile import dump_issue, dump_settings
    from .load import load_yaml
    from .model import IssueFile
    from .office import find_settings
    from .pipeline import check_issue, resolve_issue, validate_issue
    from .readers import read_document
    from .readers.structure import recover
    from .stages import Loaded
    from .validate import validate

    path = Path(path)
    try:
        doc = read_document(path)
    except JianbaoError as exc:
        return exc.diagnostics
    rec = recover(doc, lint=True)
    out = [d for d in rec.warnings if d.code in _KEEP]
    if rec.errors:
        return rec.errors + out
    series = {k: v for k, v in rec.series.items()}
    series.setdefault("name", "（原件中没有简报名称）")
    series.setdefault("editor", "（原件中没有编印单位）")
    virtual = path.with_name(path.name + ".yaml")  # never written: only for the places in between
    settings_virtual = path.with_name(path.name + ".jianbao.yaml")
    src = load_yaml(virtual, dump_issue(rec.issue))
    series_src = load_yaml(settings_virtual, dump_settings(series))
    mapper = _Mapper(path, src, rec)
    try:  # the pipeline's stages on the issue file in memory (its office: the folder of the file)
        found = check_issue(resolve_issue(validate_issue(Loaded(virtual, path.parent, src, series_src))))
    except JianbaoError as exc:
        found = exc.diagnostics
    out += [mapper.map(d) for d in found]
    settings = find_settings(path.parent)
    if settings is not None and series_rules is not None and "number" in rec.issue:
        out += [mapper.map(d) for d in series_rules(src, validate(src, IssueFile), settings.parent / "issues")]
    out.sort(key=lambda d: (d.line or 0, d.column or 0))
    return out


class _Mapper:
    """From a place in the in-memory issue file back to the paragraph of the original."""

    def __init__(self, path: Path, src, rec) -> None:
        self.path, self.src = path, src
        self.by_line: dict[int, tuple] = {}
        for field_path, (para, offset) in rec.origins.items():
            pos = src.positions.get(field_path)
            if pos is None and field_path and field_path[-1] == 0:  # a one-paragraph body is a scalar
                pos = src.positions.get(field_path[:-1])
            if pos is not None:
                raw = src.lines[pos.line - 1][pos.column - 1:pos.column] if 0 < pos.line <= len(src.lines) else ""
                self.by_line[pos.line] = (para, offset, pos.column + (1 if raw in ("'", '"') else 0))

    def map(self, d: Diagnostic) -> Diagnostic:
        if d.file is None or Path(d.file) == self.path:
            return d
        name = Path(d.file).name
        d.file = self.path
        hit = self.by_line.get(d.line or 0) if name.endswith(".docx.yaml") or name.endswith(".yaml") else None
        if name.endswith(".jianbao.yaml"):
            hit = None
            d.place = "版记" if d.code in ("JB403", "JB404") else "报头"
        if hit is None:
            d.line = d.column = d.source_line = None
            d.place = d.place or "正文"
            return d
        para, offset, value_column = hit
        at = offset + max(0, (d.column or value_column) - value_column)
        text = para.text.replace("\n", " ").replace("\t", " ")
        start = 0
        if len(text) > _WINDOW:
            start = max(0, min(at - _WINDOW // 3, len(text) - _WINDOW))
            text = ("……" if start else "") + text[start:start + _WINDOW] + ("……" if start + _WINDOW < len(text) else "")
        d.line = para.line or para.n
        d.column = at - start + (2 if start else 0) + 1
        d.source_line = text
        d.place = para.place()
        return d
