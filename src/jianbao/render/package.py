"""The package parts around the document body: python-docx's template trimmed, settings, the font
table and the core properties (from the issue, never from the clock: builds are reproducible)."""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ..layout import Layout
from ..model import Bulletin
from ..text import issue_line
from . import ooxml as x
from .ooxml import el, w


@lru_cache(maxsize=1)
def template_bytes() -> bytes:
    """python-docx's default package, trimmed once per process: without the parts a bulletin
    drops (:func:`_trim_package`) and with an empty styles part (:func:`_write_styles` writes
    every style), so that each render parses 7 KB of XML instead of 450 KB."""
    import docx
    from docx.api import _default_docx_path

    doc = docx.Document(io.BytesIO(_without_styles(_default_docx_path())))
    trim_package(doc)
    del doc.styles.element[:]
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _without_styles(path: str) -> bytes:
    """The package at *path* with its styles part already emptied (the root element and its
    namespaces kept, the children dropped unparsed): python-docx
    then parses 1 KB of styles instead of 438 KB, the first render of a process ~20 ms sooner (issue 17).
    The package as it is when its styles part does not look as expected (the result is the same)."""
    import re
    import zipfile

    raw = Path(path).read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as src:
        names = [i.filename for i in src.infolist()]
        if "word/styles.xml" not in names:
            return raw
        styles = src.read("word/styles.xml")
        m = re.match(rb"(<\?xml[^>]*\?>\s*<w:styles\b[^>]*[^/]>)\s*<", styles)
        if m is None:
            return raw
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
            for name in names:
                dst.writestr(name, m.group(1) + b"</w:styles>" if name == "word/styles.xml" else src.read(name))
    return out.getvalue()


def trim_package(doc) -> None:
    """Drop parts a bulletin does not need (the 430 KB stylesWithEffects, the thumbnail …)."""
    drop = ("stylesWithEffects", "customXml", "webSettings", "numbering")
    for rid, rel in list(doc.part.rels.items()):
        if any(rel.reltype.endswith(k) for k in drop):
            del doc.part.rels[rid]
    for rid, rel in list(doc.part.package.rels.items()):
        if rel.reltype.endswith("thumbnail"):
            del doc.part.package.rels[rid]


def write_settings(doc) -> None:
    settings = doc.settings.element
    lang = settings.find(w("themeFontLang"))
    if lang is not None:
        lang.set(w("eastAsia"), "zh-CN")
    for tag in ("rsids", "proofState", "attachedTemplate"):
        old = settings.find(w(tag))
        if old is not None:
            settings.remove(old)
    doc.settings.odd_and_even_pages_header_footer = True
    # Word 2013 and later (python-docx's template says 14, Word 2010): Word 2013–365 then open the
    # file as their own, without 兼容模式 and its offer to convert (re-lay out) the document. Our
    # centred tables and margin-less end block sit the same in both modes (tdf#106742).
    x.set_compatibility_mode(settings, 15)


def write_theme(doc, layout: Layout) -> None:
    """Theme fonts = the document's own heading and body faces (WPS reports theme faces it
    lacks as 缺失字体, and python-docx's theme names dozens)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    part = doc.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    f = layout.fonts
    x.set_theme_fonts(root, major=(f.heading1.latin, f.heading1.east_asia), minor=(f.body.latin, f.body.east_asia))
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_PANOSE = {
    "仿宋_GB2312": ("02010609030101010101", "modern", "86"),
    "楷体_GB2312": ("02010609030101010101", "modern", "86"),
    "黑体": ("02010609060101010101", "modern", "86"),
    "宋体": ("02010600030101010101", "auto", "86"),
    "方正小标宋简体": ("02000000000000000000", "auto", "86"),
    "Times New Roman": ("02020603050405020304", "roman", "00"),
}


def write_font_table(doc, layout: Layout) -> None:
    """Our fonts, with ``w:altName`` fallbacks Word tries when a face is missing."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    part = doc.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    for child in list(root):
        root.remove(child)
    names: list[str] = []
    t = layout.table
    for font in [*layout.fonts.__dict__.values(), t.caption, t.header, t.cell]:
        for n in (font.east_asia, font.latin):
            if n not in names:
                names.append(n)
    for n in names:
        f = etree.SubElement(root, w("font"))
        f.set(w("name"), n)
        alt = layout.font_alternates.get(n)
        if alt:
            f.append(el("altName", val=alt))
        panose, family, charset = _PANOSE.get(n, (None, "auto", "86" if x.has_cjk(n) else "00"))
        if panose:
            f.append(el("panose1", val=panose))
        f.append(el("charset", val=charset))
        f.append(el("family", val=family))
        f.append(el("pitch", val="variable"))
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def write_core_properties(doc, bulletin: Bulletin) -> None:
    """Title, author and dates from the issue, never from the clock: builds are reproducible."""
    cp = doc.core_properties
    issue = bulletin.issue
    cp.title = f"{bulletin.series.name} {issue_line(bulletin)}"
    cp.author = cp.last_modified_by = bulletin.series.editor
    cp.subject = cp.keywords = cp.category = cp.comments = ""
    stamp = dt.datetime.combine(issue.date, dt.time(0, 0))
    cp.created = cp.modified = stamp
    cp.last_printed = stamp
    cp.revision = 1
