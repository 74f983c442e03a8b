"""Bulletins of random shape, and the page invariants their PDFs must keep (issue 13).

:func:`generate` makes office folders from a seed: sections, levels, run-in and standalone leads,
tables of random size and header height at random places, photos (small generated PNG and JPEG
files, wide, square or tall) at random places, 编者按, title, mark, short and long bodies — and *families* of one shape whose last paragraph grows one line at a time over a whole
page, so that the end of the text crosses a page boundary in one-line steps.  :func:`check`
reads a PDF (pdftotext, pdftocairo through :mod:`pdfgeom`) and lists every broken invariant:

- page numbers "— N —" on every page, odd pages right, even pages left;
- body lines of at most 28 characters inside the 版心, at most 22 on a page, on the line grid; a
  page of text only that is not the last holds at least 19 lines (widow control and keeps may
  move a line or two, never more);
- tables: the header on every page the table reaches, first on the continuation pages; never a
  page with the header and fewer than two rows; every row whole on one page; the caption on the
  page where the table starts; the 合计 row with a data row of its table;
- no heading at the foot of a page without two lines after it; no run-in lead as a page's last
  line; no first line of a paragraph alone at the foot of a page, no last line alone at the top;
- photos: each on the page of its caption; a heading before a photo is not left at a page foot
  (a photo and its caption count as two lines after it);
- the end block on the last page only, its last rule on the 版心 bottom, with at least two lines
  of text above it (one when the paragraph before a one-line last one follows a heading);
- every paragraph of the input printed, in order.

Markers make the text traceable: headings carry 题N, leads 要N, paragraphs 段N, table rows
TtRr (first cell) and EtRr (end of the last cell), header cells 栏t, photo captions 图N.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import pdfgeom as g

TOP, BOTTOM, LEFT, RIGHT = 37.0, 262.0, 28.0, 184.0
PITCH = 579 / 20 * g.PT
FOOTER_Y = 265.0
BODY_H = 6.9  # pdftotext line boxes: 三号 (16 pt) ≈ 7.3 mm, 四号 (14 pt) ≈ 6.4 mm
INDENT_X = LEFT + 2 * 16 * g.PT - 1.0  # a first line starts two characters in

PROSE = ("围绕重点任务推进各项工作", "召开专题会议研究部署", "进一步压实工作责任", "优化办事流程提升服务效能",
         "组织业务培训", "完成年度目标任务", "推动政务服务提质增效", "加强窗口作风建设")
NAMES = ("测试工作动态", "政务服务和公共资源交易工作动态", "某某省人民政府办公厅政务服务管理局数字政府建设工作简报")


@dataclass
class Para:
    kind: str  # text · heading · lead (run-in) · standalone (a lead on its own line)
    text: str  # as printed (with its number)
    marker: str


@dataclass
class TableSpec:
    t: int
    caption: str
    rows: int
    total: bool


@dataclass
class PhotoSpec:
    k: int
    caption: str
    size: tuple[int, int]  # pixels
    fmt: str  # PNG or JPEG

    @property
    def file(self) -> str:
        return f"p{self.k}.{'png' if self.fmt == 'PNG' else 'jpg'}"


@dataclass
class Shape:
    name: str
    series: dict
    issue: dict
    paras: list[Para] = field(default_factory=list)
    tables: list[TableSpec] = field(default_factory=list)
    photos: list[PhotoSpec] = field(default_factory=list)


class _Gen:
    def __init__(self, rnd: random.Random, photos: random.Random | None = None):
        self.r = rnd
        # photos come from a stream of their own: the shapes without them stay as they were
        self.p = photos
        self.photos: list[PhotoSpec] = []
        self.n = 0  # paragraph counter
        self.h = 0  # heading / lead counter
        self.t = 0  # table counter
        self.paras: list[Para] = []
        self.tables: list[TableSpec] = []

    def prose(self, chars: int) -> str:
        """About *chars* characters of office prose ending in "。"."""
        out = ""
        while len(out) < chars - 1:
            out += self.r.choice(PROSE) + ("，" if self.r.random() < 0.7 else "；")
        return out[: max(1, chars - 1)].rstrip("，；") + "。"

    def para(self, lines: int) -> str:
        self.n += 1
        head = f"段{self.n}"
        return head + self.prose(max(2, lines * 28 - 2 - len(head) - self.r.randint(0, 12)))

    def table(self, rows: int | None = None, header_lines: int | None = None) -> dict:
        r = self.r
        self.t += 1
        t = self.t
        cols = r.randint(3, 5) if header_lines else r.randint(2, 5)
        rows = rows or r.choice([1, 2, 3, 4, 6, 9, 14, 20, 30, 45])
        header_lines = header_lines or r.choice([1, 1, 2, 3])
        widths = [2] + [1] * (cols - 1)
        per = int(8845 / sum(widths) / 280) - 1  # header characters per line in a one-part column
        header = [f"栏{t}" + "项目名称"[: r.randint(1, 4)]]
        for c in range(1, cols):
            n = max(1, per * header_lines - r.randint(0, 1)) if c == 1 else r.randint(1, per * header_lines)
            header.append(("本周办件数量合计及说明" * 3)[:n])
        body = []
        for k in range(1, rows + 1):
            row = [f"T{t}R{k}行"] + [str(r.randint(0, 9999)) for _ in range(cols - 2)]
            tail = "情况说明" * r.choice([0, 0, 1, 2, 4]) if cols > 2 else ""
            row.append(f"{tail}E{t}R{k}")
            body.append(row)
        total = rows > 1 and r.random() < 0.5
        caption = f"表{t}各地办件情况"
        self.tables.append(TableSpec(t, caption, rows, total))
        spec = {"caption": caption, "header": header, "widths": widths, "rows": body}
        if total:
            spec["total"] = True
        return {"table": spec}

    def photo(self) -> dict:
        assert self.p is not None
        k = len(self.photos) + 1
        size = self.p.choice([(400, 300), (300, 300), (300, 400), (800, 200), (240, 420)])
        spec = PhotoSpec(k, f"图{k}为工作现场", size, self.p.choice(["PNG", "JPEG"]))
        self.photos.append(spec)
        block: dict = {"image": f"../照片/{spec.file}", "caption": spec.caption}
        if self.p.random() < 0.6:
            block["width"] = self.p.choice([0.4, 0.5, 0.75, 1])
        return block

    def blocks(self, max_paras: int, tables: bool, mk: str = "") -> list:
        """Body blocks (paragraphs, tables, photos), recorded in :attr:`paras` as printed; *mk* (a
        number) goes before the first paragraph."""
        out = []
        for _ in range(self.r.randint(1, max_paras)):
            if self.p is not None and self.p.random() < 0.2:
                out.append(self.photo())
            if tables and self.r.random() < 0.18:
                out.append(self.table())
            else:
                text = self.para(self.r.choice([1, 1, 2, 3, 4, 6]))
                self.paras.append(Para("text", (mk if not out else "") + text, text[:5]))
                out.append(text)
        return out

    def node(self, level: int, mk: str, tables: bool) -> dict | str:
        r = self.r
        roll = r.random()
        if level >= 4 or roll < 0.3:  # a plain numbered paragraph
            text = self.para(r.choice([1, 2, 3]))
            self.paras.append(Para("text", mk + text, text[:5]))
            return text
        self.h += 1
        if roll < 0.55:  # a lead, run in with its first paragraph (or on its own before a table)
            lead = f"要{self.h}" + self.prose(r.randint(6, 20))
            first = len(self.paras)
            body = self.blocks(3, tables)
            if isinstance(body[0], str):
                self.paras[first] = Para("lead", mk + lead + body[0], lead[:4])
            else:
                self.paras.insert(first, Para("standalone", mk + lead, lead[:4]))
            return {"lead": lead, "body": body}
        title = f"题{self.h}" + self.prose(r.randint(5, 16)).rstrip("。")
        self.paras.append(Para("heading", mk + title, title[:4]))
        node: dict = {"title": title}
        if r.random() < 0.5:
            node["body"] = self.blocks(2, tables)
        node["items"] = [self.node(level + 1, _mk(level + 1, k), tables) for k in range(1, r.randint(1, 3) + 1)]
        return node


def _mk(level: int, n: int) -> str:
    from jianbao.numbering import marker

    return marker(level, n)


def shape(seed: int, grow: int = 0, regression: bool = False, photos: bool | None = None) -> Shape:
    """One random bulletin; *grow* adds that many lines to its last paragraph.  A *regression*
    shape opens with the table of issue 13: 30 rows under a two-line header, inside an item.
    Half the seeds (by a stream of their own, so the others stay as they were) have photos, unless
    *photos* says."""
    r = random.Random(seed)
    pr = random.Random(seed * 31 + 7)
    with_photos = pr.random() < 0.5 if photos is None else photos
    gen = _Gen(r, pr if with_photos else None)
    series = {
        "name": r.choice(NAMES),
        "editor": "测试中心",
        "copies": r.choice([20, 103]),
        "distribution": {"报": ["上级单位", "相关部门"][: r.randint(1, 2)],
                         "发": r.choice(["本单位各处室。", "各市（州）政务服务中心，省直各部门（单位）办事大厅，"
                                                        "各县（市、区）政务服务中心。"])},
    }
    if r.random() < 0.3:
        series["mark"] = "内部资料"
    issue: dict = {"number": r.randint(1, 50), "date": "2024-05-13"}
    if r.random() < 0.5:
        issue["period"] = {"start": "2024-05-06", "end": "2024-05-10"}
    if r.random() < 0.3:
        note = gen.para(r.choice([1, 2, 3]))
        issue["note"] = note
        gen.paras.append(Para("text", "编者按：" + note, note[:5]))
    if r.random() < 0.4:
        issue["title"] = gen.prose(r.choice([10, 18, 30])).rstrip("。")
    tables = r.random() < 0.7
    if r.random() < 0.4:
        issue["body"] = gen.blocks(2, tables)
    sections = []
    for s in range(1, r.randint(1, 4) + 1):
        gen.h += 1
        title = f"题{gen.h}" + gen.prose(r.randint(4, 12)).rstrip("。")
        gen.paras.append(Para("heading", _mk(1, s) + title, title[:4]))
        sec: dict = {"title": title}
        if r.random() < 0.3:
            sec["body"] = gen.blocks(2, tables)
        items = []
        if regression and s == 1:
            gen.h += 1
            lead = f"要{gen.h}各市办件情况。"
            first = len(gen.paras)
            body = gen.blocks(1, False) + [gen.table(rows=30, header_lines=2)]
            gen.paras[first] = Para("lead", _mk(2, 1) + lead + body[0], lead[:4])
            items.append({"lead": lead, "body": body})
        items += [gen.node(2, _mk(2, k), tables) for k in range(len(items) + 1, r.randint(1, 4) + 1 + len(items))]
        sec["items"] = items
        sections.append(sec)
    issue["sections"] = sections
    if grow:  # the text's last paragraph, in the last section, grows by *grow* lines
        extra = gen.para(grow)
        sections[-1]["items"].append(extra)
        gen.paras.append(Para("text", _mk(2, len(sections[-1]["items"])) + extra, extra[:5]))
    return Shape(f"s{seed}-{grow:02d}", series, issue, gen.paras, gen.tables, gen.photos)


def shapes(count: int, seed: int = 13) -> list[Shape]:
    """*count* bulletins: families of one shape grown line by line over a page (22 steps), and
    single random shapes, about half and half."""
    out: list[Shape] = []
    r = random.Random(seed)
    while len(out) < count:
        base = r.randrange(10**6)
        if not out and count >= 22:  # first: the regression shape, its text ending on every line of a page
            out += [shape(base, grow, regression=True) for grow in range(1, 23)]
        elif r.random() < 0.5 and count - len(out) >= 22:
            out += [shape(base, grow) for grow in range(1, 23)]
        else:
            out.append(shape(base))
    return out[:count]


def ending(seed: int, step: int, last: int, base_lines: int = 20) -> Shape:
    """A text-only bulletin (a heading, paragraphs) whose text ends *step* lines after a fixed
    point and whose last paragraph has *last* lines: a padding paragraph of *base_lines* + *step*
    − *last* lines comes before it.  With the default *base_lines*, steps 2–5 end the text on the
    last lines of page 2, where the end block no longer fits under it — with any *last* of 4–12,
    the case a .docx built without a PDF must handle by itself (issue 13)."""
    r = random.Random(seed)
    gen = _Gen(r)
    series = {"name": NAMES[1], "editor": "测试中心", "copies": 103,
              "distribution": {"报": ["上级单位", "相关部门"], "发": "本单位各处室。"}}
    issue: dict = {"number": 18, "date": "2024-05-13"}
    gen.h += 1
    title = f"题{gen.h}" + gen.prose(10).rstrip("。")
    gen.paras.append(Para("heading", _mk(1, 1) + title, title[:4]))
    body = []
    for lines in (6, 4, max(1, base_lines + step - last)):
        text = gen.para(lines)
        gen.paras.append(Para("text", text, text[:5]))
        body.append(text)
    text = gen.para(last)
    gen.paras.append(Para("text", text, text[:5]))
    body.append(text)
    issue["sections"] = [{"title": title, "body": body}]
    return Shape(f"e{seed}-{step:02d}-{last:02d}", series, issue, gen.paras, gen.tables)


def write_office(sh: Shape, root: Path) -> Path:
    """The office folder of *sh* under *root*; returns the issue file."""
    import yaml

    office = root / sh.name
    (office / "issues").mkdir(parents=True, exist_ok=True)
    dump = lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False, width=1000)  # noqa: E731
    (office / "jianbao.yaml").write_text(dump(sh.series), encoding="utf-8")
    path = office / "issues" / f"{sh.name}.yaml"  # stems unique: one LibreOffice run converts them all
    path.write_text(dump(sh.issue), encoding="utf-8")
    if sh.photos:
        from PIL import Image, ImageDraw

        (office / "照片").mkdir(exist_ok=True)
        for ph in sh.photos:
            img = Image.new("RGB", ph.size, (60 + 40 * (ph.k % 4), 120, 200 - 30 * (ph.k % 5)))
            ImageDraw.Draw(img).rectangle([ph.size[0] // 4, ph.size[1] // 4, ph.size[0] // 2, ph.size[1] // 2],
                                          fill=(230, 200, 40))
            img.save(office / "照片" / ph.file, ph.fmt)
    return path


# ----------------------------------------------------------------------------------- checks
def _content(page: g.Page) -> list[g.Line]:
    return [ln for ln in page.lines if ln.yc < FOOTER_Y]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def image_pages(pdf: Path) -> list[int]:
    """The page of every image in *pdf*, in order (poppler's pdfimages)."""
    import subprocess

    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [int(line.split()[0]) for line in out.splitlines()[2:] if line.strip() and line.split()[2] == "image"]


def check(sh: Shape, pdf: Path) -> list[str]:
    """Every broken page invariant of *sh* rendered as *pdf*, as one line of text each."""
    pages = g.read_pages(pdf)
    rules = g.find_rules(pdf, min_length_mm=100)
    bad: list[str] = []

    def f(page: int, msg: str) -> None:
        bad.append(f"{sh.name} p{page}: {msg}")

    captions = {ph.caption for ph in sh.photos}

    def weight(lines: list[g.Line]) -> int:  # lines of text, a photo's caption for two (photo + caption)
        return sum(2 if any(c in _squash(ln.text) for c in captions) else 1 for ln in lines)

    end_rules = {p.number: [r for r in rules if r.page == p.number and r.color == "#000000" and r.width_pt > 0.6]
                 for p in pages}
    end_top = {n: min((r.y for r in rs), default=BOTTOM + 10) for n, rs in end_rules.items()}

    # page numbers
    for page in pages:
        foot = [ln for ln in page.lines if ln.yc >= FOOTER_Y]
        if [_squash(ln.text) for ln in foot] != [f"—{page.number}—"]:
            f(page.number, f"page number: {[ln.text for ln in foot]}")
            continue
        ln = foot[0]
        if page.number % 2 and abs(ln.x1 - (RIGHT - 14 * g.PT)) > 1.5:
            f(page.number, "odd page number not on the right")
        if not page.number % 2 and abs(ln.x0 - (LEFT + 14 * g.PT)) > 1.5:
            f(page.number, "even page number not on the left")

    # the end block
    last = len(pages)
    for n, rs in end_rules.items():
        if n != last and rs:
            f(n, "end-block rules on a page that is not the last")
    if not end_rules[last]:
        f(last, "no end block on the last page")
    else:
        if abs(end_rules[last][-1].y - BOTTOM) > 1.0:
            f(last, f"end block's last rule at {end_rules[last][-1].y:.1f} mm, not on the 版心 bottom")
        above = [ln for ln in _content(pages[-1]) if ln.y1 < end_top[last]]
        # one line will do when two would take a heading along: the paragraph before a one-line
        # last one opens its section (render/docx.py keeps)
        opens = len(sh.paras) >= 3 and sh.paras[-3].kind in ("heading", "standalone")
        if weight(above) < (1 if opens else 2):
            f(last, f"the end block stands with {len(above)} line(s) of text")

    # body lines: 28 characters, 22 lines, the grid, short pages
    for page in pages:
        body = [ln for ln in _content(page) if ln.y1 < end_top[page.number] and BODY_H < ln.height < 8.0]
        for ln in body:
            if ln.cjk > 28 or ln.x0 < LEFT - 0.3 or ln.x1 > RIGHT + 0.3:
                f(page.number, f"line of {ln.cjk} characters or outside the 版心: {ln.text[:20]}")
        if len(body) > 22:
            f(page.number, f"{len(body)} body lines")
        small = [ln for ln in _content(page) if ln.height <= BODY_H and ln.y1 < end_top[page.number]]
        text_only = page.number > 1 and not small and all(ln.height < 8.0 for ln in _content(page))
        if text_only and body:
            first = body[0].y0
            for k, ln in enumerate(body):
                if abs(ln.y0 - (first + k * PITCH)) > 0.8:
                    f(page.number, f"line {k + 1} off the grid")
                    break
            nxt = pages[page.number] if page.number < last else None
            # a table or a photo moved whole to the next page takes its caption and the headings or
            # a lead standing before it along (at most three lines above its header; a photo's
            # caption is the first text under it)
            starts_table = nxt is not None and any(c in _squash(ln.text) for c in [t.caption for t in sh.tables]
                                                   + sorted(captions) for ln in _content(nxt)[:3])
            # the page before the end block's may keep room for the block and the two lines it
            # takes along (GB/T 9704: the 版记 is not squeezed in; layout.md allows the short page)
            eb_lines = -(-(BOTTOM - end_top[last]) // PITCH) if end_rules[last] else 0
            # ... and when the end block's page opens with a heading, the heading's two lines and
            # the end block's two come along as one chain (heading, short items, the last lines)
            heads = [p.marker for p in sh.paras if p.kind in ("heading", "standalone")]
            opens = next((ln for ln in _content(pages[-1]) if BODY_H < ln.height < 8.0), None)
            chain = 6 if opens is not None and any(m in _squash(opens.text)[:12] for m in heads) else 3
            least = 19 if page.number < last - 1 else 22 - eb_lines - chain
            if page.number < last and len(body) < least and not starts_table:
                f(page.number, f"a page of text with only {len(body)} lines")

    # widows and orphans, headings and leads at a page foot
    markers = {p.marker: p for p in sh.paras}
    for page in pages:
        lines = [ln for ln in _content(page) if ln.y1 < end_top[page.number]]
        body = [ln for ln in lines if BODY_H < ln.height < 8.0]
        if not body:
            continue
        for k, ln in enumerate(lines):
            para = next((p for m, p in markers.items() if _squash(ln.text).find(m) >= 0
                         and _squash(ln.text).startswith(_squash(p.text)[:len(m) + 8])), None)
            if para is None or para.kind == "text":
                continue
            after = weight(lines[k + 1:])
            need = 2 if para.kind in ("heading", "standalone") else 1
            if after < need and page.number < last:
                f(page.number, f"{para.kind} {para.marker} at the foot of the page with {after} line(s) after it")
        if page.number < last:
            nxt = [ln for ln in _content(pages[page.number]) if ln.y1 < end_top[page.number + 1]]
            foot = body[-1]
            if foot is lines[-1] and foot.x0 > INDENT_X and nxt and BODY_H < nxt[0].height < 8.0 \
                    and nxt[0].x0 < INDENT_X - 5:
                f(page.number, f"the first line of a paragraph alone at the foot: {foot.text[:16]}")
        if page.number > 1:
            head = lines[0]
            if BODY_H < head.height < 8.0 and head.x0 < INDENT_X - 5:
                following = lines[1] if len(lines) > 1 else None
                if following is None or following.height <= BODY_H or following.x0 > INDENT_X:
                    f(page.number, f"the last line of a paragraph alone at the top: {head.text[:16]}")

    # tables
    at: dict[str, list[int]] = {}
    for page in pages:
        for ln in _content(page):
            for m in re.findall(r"[TE]\d+R\d+(?!\d)", _squash(ln.text)):
                at.setdefault(m, []).append(page.number)
    for t in sh.tables:
        row_pages = []
        for k in range(1, t.rows + 1):
            tp, ep = at.get(f"T{t.t}R{k}", []), at.get(f"E{t.t}R{k}", [])
            if len(tp) != 1 or len(ep) != 1:
                f(tp[0] if tp else 0, f"table {t.t} row {k} printed {len(tp)}/{len(ep)} times")
                continue
            if tp != ep:
                f(tp[0], f"table {t.t} row {k} split across pages {tp[0]}–{ep[0]}")
            row_pages.append(tp[0])
        if not row_pages:
            continue
        span = range(min(row_pages), max(row_pages) + 1)
        cap = [p.number for p in pages if any(t.caption in _squash(ln.text) for ln in _content(p))]
        if cap != [span[0]]:
            f(span[0], f"table {t.t}: caption on page(s) {cap}, the table starts on {span[0]}")
        totals = 0
        for n in span:
            page = pages[n - 1]
            lines = _content(page)
            head = [k for k, ln in enumerate(lines) if f"栏{t.t}" in _squash(ln.text)]
            rows_here = row_pages.count(n)
            has_total = t.total and n == span[-1]
            if not head:
                f(n, f"table {t.t} without its header")
            elif n != span[0] and any(ln.height > BODY_H or ln.y0 > lines[head[0]].y0 + 12 for ln in lines[:head[0]]):
                f(n, f"table {t.t}: the repeated header is not at the top of the page")
            # a page holds two rows of a table that goes on, or none of it (a table of fewer
            # rows is kept whole); the last page may hold one data row and the 合计 row
            least = min(2, t.rows + t.total)
            if rows_here + has_total < least:
                f(n, f"table {t.t}: the header and {rows_here + has_total} row(s) on the page")
            if has_total:
                totals = rows_here
        if t.total and totals < 1:
            f(span[-1], f"table {t.t}: the 合计 row without a data row")

    # photos: each on the page of its caption
    if sh.photos:
        printed_at = image_pages(pdf)
        if len(printed_at) != len(sh.photos):
            f(0, f"{len(printed_at)} image(s) printed for {len(sh.photos)} photo(s)")
        else:
            for ph, n in zip(sh.photos, printed_at):
                cap = [p.number for p in pages if any(ph.caption in _squash(ln.text) for ln in _content(p))]
                if cap != [n]:
                    f(n, f"photo {ph.k} on page {n}, its caption on page(s) {cap}")

    # every paragraph, in order
    printed = _squash("".join(ln.text for p in pages for ln in _content(p) if BODY_H < ln.height < 8.0))
    pos = 0
    for p in sh.paras:
        needle = _squash(p.text)
        found = printed.find(needle, pos)
        if found < 0:
            f(0, f"missing or out of order: {p.text[:24]}")
            break
        pos = found + len(needle)
    return bad
