"""Geometry of a rendered PDF, for the layout tests (poppler-utils command-line tools).

All lengths are in millimetres from the page's top-left corner (y grows downwards), except
stroke widths and font sizes, which are in points.

- :func:`read_pages` — pages with their text lines (``pdftotext -bbox``). pdftotext gives
  "words" only: a run of CJK characters (no spaces in Chinese) is one word, and a word ends
  where the script changes (``第`` ``18`` ``期（总第`` …) or at a space. Lines are rebuilt
  here by grouping words whose boxes overlap vertically, left to right. We do not use
  ``-bbox-layout``: its blocks split a line at a wide gap (the editor ‖ date line came out
  as two "lines" in two flows).
- :func:`find_rules` — horizontal rules (paragraph borders, table borders, lines) from
  ``pdftocairo -svg``: position, extent, stroke width and colour.
- :func:`text_runs`, :func:`text_colors`, :func:`text_fonts` — colour, font and size of the
  text (``pdftohtml -xml``, whose ``fontspec`` carries the fill colour; pdftotext has none).
- :func:`find_images` — where each picture is drawn (``pdftocairo -svg``: its box on the page).
- :func:`glyphs` — every character with its face, size and advance width (pdfminer.six: the
  poppler tools give words and runs, not characters).
"""

from __future__ import annotations

import math
import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

PT = 25.4 / 72  # one point in millimetres


def mm(pt: float) -> float:
    """Points to millimetres."""
    return pt * PT


def _run(args: list[str]) -> str:
    res = subprocess.run(args, capture_output=True, text=True, errors="replace", check=False)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({res.returncode}): {res.stderr.strip()}")
    return res.stdout


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# ----------------------------------------------------------------------------------- text
def is_cjk(ch: str) -> bool:
    """True for a full-width character: ideographs, CJK and full-width punctuation."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def cjk_count(text: str) -> int:
    """Number of full-width (CJK) characters in ``text``."""
    return sum(1 for ch in text if is_cjk(ch))


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float


@dataclass(frozen=True)
class Line:
    """One text line: words that share a vertical band, left to right.

    ``text`` joins the words without a space where either side is CJK (Chinese has none;
    the gaps LibreOffice leaves between CJK and Latin are autospacing), with one space
    between two Latin words. Wide gaps (tabs, full-width spaces) are not in ``text``:
    look at ``words`` for them.
    """

    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    words: tuple[Word, ...]

    @property
    def chars(self) -> int:
        """Characters in the line, spaces not counted."""
        return sum(1 for ch in self.text if not ch.isspace())

    @property
    def cjk(self) -> int:
        """Full-width (CJK) characters in the line."""
        return cjk_count(self.text)

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def yc(self) -> float:
        """Vertical centre of the line box."""
        return (self.y0 + self.y1) / 2


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def find(self, text: str) -> list[Line]:
        """Lines containing ``text``."""
        return [line for line in self.lines if text in line.text]

    def lines_between(self, y0: float, y1: float) -> list[Line]:
        """Lines whose vertical centre lies in [y0, y1] (mm)."""
        return [line for line in self.lines if y0 <= line.yc <= y1]


def _join(words: list[Word]) -> str:
    out = ""
    for w in words:
        if out and not is_cjk(out[-1]) and not is_cjk(w.text[0]):
            out += " "
        out += w.text
    return out


def group_lines(words: list[Word], min_overlap: float = 0.5) -> list[Line]:
    """Group words into lines: a word joins a line when their vertical extents overlap by
    at least ``min_overlap`` of the smaller height. Lines are returned top to bottom."""
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.y0, w.x0)):
        for row in reversed(rows[-3:]):  # only recent rows can overlap (sorted by y0)
            r0 = min(x.y0 for x in row)
            r1 = max(x.y1 for x in row)
            overlap = min(r1, w.y1) - max(r0, w.y0)
            smaller = min(r1 - r0, w.y1 - w.y0) or 1e-9
            if overlap / smaller >= min_overlap:
                row.append(w)
                break
        else:
            rows.append([w])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w.x0)
        lines.append(
            Line(
                text=_join(row),
                x0=min(w.x0 for w in row),
                x1=max(w.x1 for w in row),
                y0=min(w.y0 for w in row),
                y1=max(w.y1 for w in row),
                words=tuple(row),
            )
        )
    lines.sort(key=lambda ln: (ln.y0, ln.x0))
    return lines


def read_pages(pdf: Path) -> list[Page]:
    """Pages of ``pdf`` with their text lines (``pdftotext -bbox``), in mm."""
    xml = _run(["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"])
    root = ET.fromstring(xml)
    pages = []
    for el in root.iter():
        if _local(el.tag) != "page":
            continue
        words = [
            Word(
                text=w.text or "",
                x0=mm(float(w.get("xMin"))),
                x1=mm(float(w.get("xMax"))),
                y0=mm(float(w.get("yMin"))),
                y1=mm(float(w.get("yMax"))),
            )
            for w in el
            if _local(w.tag) == "word" and (w.text or "").strip()
        ]
        pages.append(
            Page(
                number=len(pages) + 1,
                width=mm(float(el.get("width"))),
                height=mm(float(el.get("height"))),
                lines=group_lines(words),
            )
        )
    return pages


# ---------------------------------------------------------------------------------- rules
@dataclass(frozen=True)
class Rule:
    """A horizontal rule: a stroked horizontal segment, or a thin filled rectangle."""

    page: int  # 1-based
    y: float  # centre line, mm from the top
    x0: float
    x1: float
    width_pt: float  # stroke width (or rectangle height), in points on the page
    color: str  # "#rrggbb"
    kind: str = "stroke"  # or "fill"

    @property
    def length(self) -> float:
        return self.x1 - self.x0


_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mul(m: _Matrix, n: _Matrix) -> _Matrix:
    """m × n: apply n first, then m."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def _apply(m: _Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def _parse_transform(s: str | None) -> _Matrix:
    m = _IDENTITY
    if not s:
        return m
    for name, args in re.findall(r"(\w+)\s*\(([^)]*)\)", s):
        v = [float(x) for x in re.findall(_NUM, args)]
        if name == "matrix" and len(v) == 6:
            t = tuple(v)
        elif name == "translate":
            t = (1, 0, 0, 1, v[0], v[1] if len(v) > 1 else 0)
        elif name == "scale":
            t = (v[0], 0, 0, v[1] if len(v) > 1 else v[0], 0, 0)
        else:  # rotate/skew: not produced for rules by cairo; ignore
            continue
        m = _mul(m, t)  # type: ignore[arg-type]
    return m


def _style(el: ET.Element, inherited: dict[str, str]) -> dict[str, str]:
    st = dict(inherited)
    for key in ("fill", "stroke", "stroke-width"):
        if el.get(key) is not None:
            st[key] = el.get(key)  # type: ignore[assignment]
    for part in (el.get("style") or "").split(";"):
        if ":" in part:
            k, v = part.split(":", 1)
            st[k.strip()] = v.strip()
    return st


def parse_color(s: str | None) -> str | None:
    """'rgb(100%,0%,0%)', 'rgb(255,0,0)', '#f00', '#ff0000' -> '#ff0000'; None for none."""
    if not s or s == "none":
        return None
    s = s.strip()
    m = re.fullmatch(r"rgb\(\s*([^,]+),\s*([^,]+),\s*([^)]+)\)", s)
    if m:
        vals = []
        for v in m.groups():
            v = v.strip()
            vals.append(round(float(v[:-1]) * 2.55) if v.endswith("%") else round(float(v)))
        return "#%02x%02x%02x" % tuple(max(0, min(255, x)) for x in vals)
    if re.fullmatch(r"#[0-9a-fA-F]{3}", s):
        return "#" + "".join(ch * 2 for ch in s[1:]).lower()
    if re.fullmatch(r"#[0-9a-fA-F]{6}", s):
        return s.lower()
    return {"black": "#000000", "red": "#ff0000", "white": "#ffffff"}.get(s, s)


def _subpaths(d: str) -> list[list[tuple[float, float]]]:
    """Polylines of an SVG path (absolute and relative M/L/H/V/C/Z; curves by end point)."""
    tokens = re.findall(r"[MLHVCSQTAZmlhvcsqtaz]|" + _NUM, d)
    arity = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7, "Z": 0}
    subs: list[list[tuple[float, float]]] = []
    cur: list[tuple[float, float]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    i, cmd = 0, ""
    while i < len(tokens):
        if tokens[i].isalpha():
            cmd = tokens[i]
            i += 1
            if cmd in "Zz":
                if cur:
                    cur.append(start)
                    subs.append(cur)
                    cur = []
                x, y = start
                continue
        if not cmd:
            break
        n = arity[cmd.upper()]
        args = [float(t) for t in tokens[i : i + n]]
        i += n
        if len(args) < n:
            break
        rel = cmd.islower()
        up = cmd.upper()
        if up == "H":
            x = args[0] + (x if rel else 0)
        elif up == "V":
            y = args[0] + (y if rel else 0)
        else:
            ex, ey = args[-2], args[-1]
            x, y = (x + ex, y + ey) if rel else (ex, ey)
        if up == "M":
            if cur:
                subs.append(cur)
            cur = [(x, y)]
            start = (x, y)
            cmd = "l" if rel else "L"  # further pairs after M are line-tos
        else:
            cur.append((x, y))
    if cur:
        subs.append(cur)
    return subs


_SKIP = {"defs", "symbol", "clipPath", "mask", "pattern", "marker", "title", "desc"}


def find_rules(
    pdf: Path, page: int | None = None, min_length_mm: float = 5.0, max_width_pt: float = 6.0
) -> list[Rule]:
    """Horizontal rules in ``pdf`` (all pages, or only ``page``), top to bottom per page.

    Found in ``pdftocairo -svg`` output: stroked path segments whose ends share the same y
    (width = stroke width × the path's scale), and filled rectangles no taller than
    ``max_width_pt`` (width = their height). Segments shorter than ``min_length_mm`` are
    left out; exact duplicates (LibreOffice draws some borders twice) are merged.
    """
    args = ["pdftocairo", "-svg"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    svg = _run(args + [str(pdf), "-"])
    root = ET.fromstring(svg)
    page_els = [el for el in root.iter() if _local(el.tag) == "page"] or [root]
    first = page if page is not None else 1
    rules: list[Rule] = []
    for n, page_el in enumerate(page_els):
        found: list[Rule] = []
        _walk(page_el, _IDENTITY, {}, first + n, min_length_mm, max_width_pt, found)
        seen = set()
        for r in sorted(found, key=lambda r: (r.y, r.x0)):
            key = (round(r.y, 2), round(r.x0, 2), round(r.x1, 2), round(r.width_pt, 3), r.color)
            if key not in seen:
                seen.add(key)
                rules.append(r)
    return rules


def _walk(el, m, style, page, min_len, max_w, out) -> None:
    for child in el:
        tag = _local(child.tag)
        if tag in _SKIP:
            continue
        cm = _mul(m, _parse_transform(child.get("transform")))
        st = _style(child, style)
        if tag == "path":
            _path_rules(child.get("d") or "", cm, st, page, min_len, max_w, out)
        elif tag == "rect":
            x, y = float(child.get("x", 0)), float(child.get("y", 0))
            w, h = float(child.get("width", 0)), float(child.get("height", 0))
            d = f"M {x} {y} L {x + w} {y} L {x + w} {y + h} L {x} {y + h} Z"
            _path_rules(d, cm, st, page, min_len, max_w, out)
        elif tag == "line":
            d = f"M {child.get('x1', 0)} {child.get('y1', 0)} L {child.get('x2', 0)} {child.get('y2', 0)}"
            _path_rules(d, cm, {**st, "fill": "none"}, page, min_len, max_w, out)
        else:
            _walk(child, cm, st, page, min_len, max_w, out)


def _path_rules(d, m, st, page, min_len, max_w, out) -> None:
    scale = math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))
    stroke = parse_color(st.get("stroke"))
    fill = parse_color(st.get("fill", "black"))
    subs = [[_apply(m, x, y) for x, y in sp] for sp in _subpaths(d)]
    if stroke:
        width = float(re.findall(_NUM, st.get("stroke-width", "1"))[0]) * scale
        for sp in subs:
            for (xa, ya), (xb, yb) in zip(sp, sp[1:]):
                if abs(ya - yb) < 0.05 and mm(abs(xb - xa)) >= min_len:
                    out.append(
                        Rule(page, mm(ya), mm(min(xa, xb)), mm(max(xa, xb)), width, stroke)
                    )
    if fill and not stroke:
        for sp in subs:
            pts = set((round(x, 2), round(y, 2)) for x, y in sp)
            xs = sorted({p[0] for p in pts})
            ys = sorted({p[1] for p in pts})
            if len(pts) == 4 and len(xs) == 2 and len(ys) == 2:
                h = ys[1] - ys[0]
                if 0 < h <= max_w and mm(xs[1] - xs[0]) >= min_len:
                    out.append(
                        Rule(page, mm((ys[0] + ys[1]) / 2), mm(xs[0]), mm(xs[1]), h, fill, "fill")
                    )


# ---------------------------------------------------------------------- colours and fonts
_ZOOM = 3  # pdftohtml coordinates are whole pixels at this zoom (1/3 pt)


@dataclass
class Picture:
    """A picture drawn on a page: its box in mm from the page's top-left corner, and its pixel size."""

    page: int  # 1-based
    x0: float
    y0: float
    x1: float
    y1: float
    pixels: tuple[int, int]

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def find_images(pdf: Path, page: int | None = None) -> list[Picture]:
    """The pictures in ``pdf`` (all pages, or only ``page``), top to bottom and left to right per page."""
    args = ["pdftocairo", "-svg"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    root = ET.fromstring(_run(args + [str(pdf), "-"]))
    sizes = {el.get("id"): (round(float(el.get("width", 0))), round(float(el.get("height", 0))))
             for el in root.iter() if _local(el.tag) == "image" and el.get("id")}
    page_els = [el for el in root.iter() if _local(el.tag) == "page"] or [root]
    first = page if page is not None else 1
    out: list[Picture] = []

    def walk(el, m, n):
        for child in el:
            tag = _local(child.tag)
            if tag in _SKIP:
                continue
            cm = _mul(m, _parse_transform(child.get("transform")))
            ref = (child.get("{http://www.w3.org/1999/xlink}href") or child.get("href") or "").lstrip("#")
            if tag == "use" and ref in sizes:
                w, h = sizes[ref]
                xs, ys = zip(*(_apply(cm, x, y) for x, y in ((0, 0), (w, 0), (0, h), (w, h))))
                out.append(Picture(n, mm(min(xs)), mm(min(ys)), mm(max(xs)), mm(max(ys)), (w, h)))
            else:
                walk(child, cm, n)

    for k, page_el in enumerate(page_els):
        walk(page_el, _IDENTITY, first + k)
    return sorted(out, key=lambda p: (p.page, round(p.y0), p.x0))


@dataclass(frozen=True)
class TextRun:
    """A piece of text in one font and colour (``pdftohtml -xml``)."""

    page: int
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    font: str  # family as in the PDF, subset tag removed, e.g. "FandolFang"
    size_pt: float
    color: str  # "#rrggbb"
    bold: bool


def text_runs(pdf: Path) -> list[TextRun]:
    """All text pieces of ``pdf`` with font, size and fill colour."""
    xml = _run(["pdftohtml", "-xml", "-i", "-q", "-stdout", "-zoom", str(_ZOOM), str(pdf)])
    root = ET.fromstring(xml)
    runs: list[TextRun] = []
    specs: dict[str, ET.Element] = {}  # ids are global across pages
    for page_el in root.iter("page"):
        number = int(page_el.get("number", len(runs) + 1))
        for el in page_el:
            if el.tag == "fontspec":
                specs[el.get("id")] = el
            elif el.tag == "text":
                spec = specs.get(el.get("font"))
                family = spec.get("family", "") if spec is not None else ""
                family = re.sub(r"^[A-Z]{6}\+", "", family)
                text = "".join(el.itertext())
                if not text:
                    continue
                top, left = float(el.get("top")), float(el.get("left"))
                w, h = float(el.get("width")), float(el.get("height"))
                runs.append(
                    TextRun(
                        page=number,
                        text=text,
                        x0=mm(left / _ZOOM),
                        x1=mm((left + w) / _ZOOM),
                        y0=mm(top / _ZOOM),
                        y1=mm((top + h) / _ZOOM),
                        font=family,
                        size_pt=float(spec.get("size", 0)) / _ZOOM if spec is not None else 0.0,
                        color=parse_color(spec.get("color")) if spec is not None else "#000000",
                        bold=el.find("b") is not None or "Bold" in family,
                    )
                )
    return runs


def _runs_for(pdf_or_runs, text: str, page: int | None) -> list[TextRun]:
    """The runs that make up each occurrence of ``text`` (which may span several runs of one
    visual line, e.g. 第 / 18 / 期 in two fonts). Spaces are ignored when matching.

    Limitation: when fonts alternate character by character (e.g. rare characters that fall
    back from Fandol to Noto), pdftohtml returns one run per font with the other font's
    characters as spaces, so the line's order is lost; search such text font by font."""
    runs = text_runs(pdf_or_runs) if isinstance(pdf_or_runs, (str, Path)) else pdf_or_runs
    if page is not None:
        runs = [r for r in runs if r.page == page]
    needle = re.sub(r"\s+", "", text)
    if not needle:
        return []
    # Group runs into visual lines (same page, overlapping vertical extents).
    lines: list[list[TextRun]] = []
    for r in sorted(runs, key=lambda r: (r.page, r.y0, r.x0)):
        for ln in lines[-3:]:
            if ln[0].page == r.page:
                overlap = min(ln[0].y1, r.y1) - max(ln[0].y0, r.y0)
                if overlap >= 0.5 * min(ln[0].y1 - ln[0].y0, r.y1 - r.y0):
                    ln.append(r)
                    break
        else:
            lines.append([r])
    hits: list[TextRun] = []
    for ln in lines:
        ln.sort(key=lambda r: r.x0)
        joined, owner = "", []
        for idx, r in enumerate(ln):
            for ch in r.text:
                if not ch.isspace():
                    joined += ch
                    owner.append(idx)
        start = joined.find(needle)
        while start >= 0:
            for idx in sorted(set(owner[start : start + len(needle)])):
                if ln[idx] not in hits:
                    hits.append(ln[idx])
            start = joined.find(needle, start + 1)
    return hits


def text_colors(pdf: Path, text: str, page: int | None = None) -> set[str]:
    """Fill colours ('#rrggbb') of every occurrence of ``text``; empty if not found."""
    return {r.color for r in _runs_for(pdf, text, page)}


def text_fonts(pdf: Path, text: str, page: int | None = None) -> set[str]:
    """Font families (as embedded, e.g. 'FandolFang') of every occurrence of ``text``."""
    return {r.font for r in _runs_for(pdf, text, page)}


# --------------------------------------------------------------------------------- glyphs
@dataclass(frozen=True)
class Glyph:
    """One character as drawn: its face, size and advance (how far the pen moved)."""

    page: int  # 1-based
    text: str
    x0: float  # mm
    x1: float
    y0: float  # mm from the top
    y1: float
    font: str  # face as embedded, subset tag removed, e.g. "FandolFang-Regular"
    size_pt: float
    advance_pt: float

    @property
    def ems(self) -> float:
        """The advance in ems of the glyph's size (1.0 for a full-width character)."""
        return self.advance_pt / self.size_pt if self.size_pt else 0.0


def glyphs(pdf: Path) -> list[Glyph]:
    """Every character of ``pdf`` in reading order of the content streams."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar

    out: list[Glyph] = []

    def walk(obj, page: int, height: float) -> None:
        if isinstance(obj, LTChar):
            # size: the box height is the font size through the text matrix; the advance is in
            # text space, so it is scaled here (LibreOffice's text matrix is 1).
            out.append(Glyph(page=page, text=obj.get_text(), x0=mm(obj.x0), x1=mm(obj.x1),
                             y0=mm(height - obj.y1), y1=mm(height - obj.y0),
                             font=re.sub(r"^[A-Z]{6}\+", "", obj.fontname), size_pt=obj.size,
                             advance_pt=obj.adv * abs(obj.matrix[0])))
        elif hasattr(obj, "__iter__"):
            for child in obj:
                walk(child, page, height)

    for n, layout in enumerate(extract_pages(str(pdf), laparams=LAParams()), start=1):
        walk(layout, n, layout.height)
    return out
