"""Structure recovery: a read :class:`~.document.Document` → the fields of an issue file and its series.

The recogniser walks the paragraphs of a finished bulletin once, front to back:

1. **masthead** (up to the ruled editor ‖ date line): mark, name, 第N期 / 增刊第N期, 总第M期, the
   period line in its usual forms, editor and date;
2. **end block** (from the back): 报/送/发/抄送… rows and （共印N份）;
3. **headline**: 编者按, title lines, subtitle, unnumbered lead paragraphs;
4. **sections and items** at four levels from the typed numerals (一、（一）1.（1）, with the usual
   slips: 1、 1． (1) 一. 一， half-width brackets, a missing 、), which are removed because jianbao
   generates them.  A numbered paragraph is a standalone heading (``title``) when it is a heading
   by style or formatting (all of it bold / 黑体 / 楷体) or by shape (short, no full stop, body text
   follows); a run-in heading (``lead`` + body) when it opens with such a run and goes on in body
   text; else a numbered paragraph of text.  Unnumbered paragraphs are body text of the node they
   follow; tables are table blocks (the centred line above one is its caption).

Whatever cannot be mapped is reported (a warning with the paragraph's place), never dropped
silently: numerals that skip or repeat (JB912), levels that skip (JB914), paragraphs that fit no
field (JB911), images and text boxes (JB913), fields that had to be guessed (JB915).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic
from .document import Document, Para, Run, Table

#: What an issue file may not hold (jianbao.load refuses it as JB008): C0 controls other than tab,
#: newline and carriage return, lone surrogates, and the non-characters U+FFFE/U+FFFF.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_CN = "一二三四五六七八九十百零〇"
_DIGITS_CN = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}


def cn_value(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; 二〇二四 → 2024 (digit by digit); else None."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if all(c in _DIGITS_CN for c in text) and len(text) > 2:  # 二〇二四
        return int("".join(str(_DIGITS_CN[c]) for c in text))
    total, current = 0, 0
    for c in text:
        if c in _DIGITS_CN:
            current = _DIGITS_CN[c]
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        elif c == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def _fw(text: str) -> str:
    """Full-width digits and letters as ASCII (“１８” → “18”)."""
    return text.translate({c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)})


# --- typed numerals -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Numeral:
    level: int
    n: int
    length: int  # characters of the text it takes, trailing spaces included
    typed: str  # as typed, e.g. "1、"
    slip: str | None = None  # what is not the standard form, e.g. "阿拉伯数字序号后用了顿号"


_SP = r"[ \t\u3000]*"
_L1 = re.compile(rf"^{_SP}([{_CN}]{{1,4}}){_SP}([、.．，,:：]){_SP}")
_L2 = re.compile(rf"^{_SP}([（(]){_SP}([{_CN}]{{1,4}}){_SP}([）)]){_SP}([、.．，,]?){_SP}")
_L4 = re.compile(rf"^{_SP}([（(]){_SP}(\d{{1,3}}){_SP}([）)]){_SP}([、.．，,]?){_SP}")
_L4_HALF = re.compile(rf"^{_SP}(\d{{1,3}})([)）]){_SP}")
_L3 = re.compile(rf"^{_SP}(\d{{1,3}}){_SP}([.．、，,])(?!\d){_SP}")
_CIRCLED = re.compile(rf"^{_SP}([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]){_SP}")
_L1_BARE = re.compile(rf"^{_SP}([{_CN}]{{1,3}})(?=[“\"《（(【])")


_L3_EXPECTED = re.compile(rf"^{_SP}(\d{{1,3}})([.．])(?=\d)")
_DECIMAL = re.compile(r"\d+(?:[万亿千百%‰个件人元倍次项家户条名台套所]|\.\d|$)")  # 1.5万: a number, not 1.


def parse_numeral(text: str, expected_l1: int | None = None, expected_l3: int | None = None) -> Numeral | None:
    """The typed numeral that opens *text*, its level and value, and what is wrong with its form."""
    m = _L2.match(text)
    if m:
        n = cn_value(m.group(2))
        if n:
            slips = []
            if m.group(1) == "(" or m.group(3) == ")":
                slips.append("用了半角括号")
            if m.group(4):
                slips.append(f"括号后又加了“{m.group(4)}”")
            return Numeral(2, n, m.end(), m.group().strip(), "、".join(slips) or None)
    m = _L4.match(text)
    if m:
        slips = []
        if m.group(1) == "(" or m.group(3) == ")":
            slips.append("用了半角括号")
        if m.group(4):
            slips.append(f"括号后又加了“{m.group(4)}”")
        return Numeral(4, int(m.group(2)), m.end(), m.group().strip(), "、".join(slips) or None)
    m = _L1.match(text)
    if m:
        n = cn_value(m.group(1))
        if n and not (m.group(2) in "，,:：" and n == 1 and len(m.group(1)) == 1 and expected_l1 != 1):
            slip = None if m.group(2) == "、" else f"汉字序号后用了“{m.group(2)}”，应为“、”"
            return Numeral(1, n, m.end(), m.group().strip(), slip)
    m = _L4_HALF.match(text)
    if m:
        return Numeral(4, int(m.group(1)), m.end(), m.group().strip(), "只有右括号，应为“（N）”")
    m = _L3_EXPECTED.match(text)
    if m and expected_l3 is not None and int(m.group(1)) == expected_l3 and m.group(2) == "." \
            and not _DECIMAL.match(text, m.end()):
        return Numeral(3, expected_l3, m.end(), m.group().strip())  # “1.12345热线”: 1. then the text
    m = _L3.match(text)
    if m and not text[m.end():m.end() + 1].isdigit():
        sep = m.group(2)
        slip = None if sep == "." else f"阿拉伯数字序号后用了“{sep}”，应为“.”"
        return Numeral(3, int(m.group(1)), m.end(), m.group().strip(), slip)
    m = _CIRCLED.match(text)
    if m:
        return Numeral(4, ord(m.group(1)) - 0x2460 + 1, m.end(), m.group(1), "用了带圈数字，应为“（N）”")
    m = _L1_BARE.match(text)
    if m and expected_l1 is not None:
        n = cn_value(m.group(1))
        if n == expected_l1 and n > 1:
            return Numeral(1, n, m.end(), m.group(1), "汉字序号后漏了“、”")
    return None


# --- the masthead ----------------------------------------------------------------------------------

_ISSUE = re.compile(rf"(增刊)?{_SP}第{_SP}([0-9０-９]{{1,5}}|[{_CN}]{{1,6}}){_SP}期")
_TOTAL = re.compile(rf"总{_SP}第{_SP}([0-9０-９]{{1,6}}){_SP}期")
_YEAR_ISSUE = re.compile(rf"(\d{{4}}){_SP}年{_SP}第")
_DATE = (rf"(\d{{4}}|[〇零一二三四五六七八九]{{4}}){_SP}年{_SP}(\d{{1,2}}|[{_CN}]{{1,3}}){_SP}月{_SP}"
         rf"(\d{{1,2}}|[{_CN}]{{1,3}}){_SP}日")
_EDITOR_DATE = re.compile(rf"^(.*?)[\s\u3000]*{_DATE}[\s\u3000]*(?:印发|编印|编)?[\s\u3000]*$")
_MD = rf"(?:(\d{{4}}){_SP}年{_SP})?(?:(\d{{1,2}}){_SP}月{_SP})?(\d{{1,2}}){_SP}日"
_PERIOD = re.compile(rf"^[（(]?{_SP}{_MD}{_SP}(?:——|—|－|-|–|―|~|～|至|到){_SP}{_MD}{_SP}[）)]?$")
_PERIOD_DAY = re.compile(rf"^[（(]{_SP}{_MD}{_SP}[）)]$")  # a period of one day: “（3月13日）”
_MARK = re.compile(r"内部资料|内部刊物|注意保存|秘密|机密|绝密|★|内部$|^内部")
_PAGE_NUMBER = re.compile(r"^[—–\-－]\s*\d{1,3}\s*[—–\-－]$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$|^\d{1,3}$")

_PAGE_DASHES = re.compile(r"^[—–\-－]\s*\d{1,3}\s*[—–\-－]$")
_END_ROW = re.compile(rf"^(报|送|发|抄送|抄报|报送|分送|主送|印送|发送){_SP}[：:]{_SP}(.+)$", re.S)
_COPIES = re.compile(rf"^[（(]{_SP}共印{_SP}([0-9０-９]+){_SP}份{_SP}[）)]$")


@dataclass
class Recovered:
    """What one bulletin gives: the issue's fields, the series settings it shows, and what was said."""

    issue: dict
    series: dict
    warnings: list[Diagnostic] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    #: (field path in the issue, as the YAML will hold it) → (paragraph, offset of the value in its text)
    origins: dict[tuple, tuple[Para, int]] = field(default_factory=dict)


class _Node:
    """A section (level 1) or item being built."""

    def __init__(self, level: int, kind: str, text: str, para: Para, offset: int, numeral: Numeral | None):
        self.level, self.kind, self.text = level, kind, text  # kind: title / lead / text
        self.para, self.offset, self.numeral = para, offset, numeral
        self.body: list = []  # str or {"table": …}
        self.body_origins: list[tuple[Para, int] | None] = []
        self.items: list[_Node] = []


def recover(doc: Document, *, lint: bool = False) -> Recovered:
    """The issue and series fields of *doc*.  With *lint* (``jianbao check FILE.docx``) a period
    line printed with a date that does not exist is an error (JB208), not a guess (JB915)."""
    return _Recogniser(doc, lint=lint).run()


class _Recogniser:
    def __init__(self, doc: Document, lint: bool = False):
        self.doc = doc
        self.lint = lint
        self.plain = doc.kind in ("txt", "pdf")
        self.issue: dict = {}
        self.series: dict = {}
        self.warnings: list[Diagnostic] = []
        self.errors: list[Diagnostic] = []
        self.origins: dict[tuple, tuple[Para, int]] = {}
        #: a bulletin jianbao wrote: its styles say what each paragraph is, no guessing from shapes
        self.jianbao = any(p.style and p.style.startswith("JB") for p in doc.paragraphs()[:12])

    # diagnostics ---------------------------------------------------------------------------------
    def warn(self, code: str, message: str, para: Para | Table | None = None, hint: str | None = None) -> None:
        self.warnings.append(self._diag(code, message, para, hint))

    def fail(self, code: str, message: str, para: Para | None = None, hint: str | None = None) -> None:
        self.errors.append(self._diag(code, message, para, hint))

    def _diag(self, code: str, message: str, para, hint) -> Diagnostic:
        d = Diagnostic(code, message, file=self.doc.path, hint=hint)
        if para is not None:
            d.place = para.place()
            if isinstance(para, Para):
                d.line, d.column, d.source_line = para.line or para.n, 1, _quote(para.text)
                d.width = max(1, min(len(d.source_line), 10))
        return d

    # the whole --------------------------------------------------------------------------------------
    def run(self) -> Recovered:
        blocks = self._flatten(self.doc.blocks)
        self._drop_unwritable(blocks)
        if self.plain:
            blocks = [self._clean_plain(b) for b in blocks]
        blocks = self._drop_page_numbers(blocks)
        start = self.masthead(blocks)
        end = self.end_block(blocks, start)
        self.body(blocks[start:end])
        for o in self.doc.objects:
            if o.kind == "image":
                self.warn("JB913", f"第{o.n}段处有一张图片，没有导入（照片要用原图，在期文件中写 image:）",
                          next((p for p in self.doc.paragraphs() if p.n == o.n), None))
            else:
                self.warn("JB913", f"第{o.n}段处有一个文本框，其中的文字没有导入：“{_clip(o.text, 30)}”",
                          next((p for p in self.doc.paragraphs() if p.n == o.n), None),
                          hint="文本框中的文字如属正文，请手工写进这一期的文件。")
        self.warnings.sort(key=lambda d: d.line or 0)
        return Recovered(self.issue, self.series, self.warnings, self.errors, self.origins)

    def _drop_unwritable(self, blocks: list[Para | Table]) -> None:
        """Characters a Word document cannot hold (control characters, U+FFFE/FFFF, lone surrogates —
        what an issue file refuses as JB008) taken out of every paragraph, each paragraph said once."""
        for b in blocks:
            for para in b.paragraphs() if isinstance(b, Table) else [b]:
                found = next((m.group() for r in para.runs for m in [UNWRITABLE.search(r.text)] if m), None)
                if found is None:
                    continue
                count = sum(len(UNWRITABLE.findall(r.text)) for r in para.runs)
                for r in para.runs:
                    r.text = UNWRITABLE.sub("", r.text)
                self.warn("JB917", f"这一段有 {count} 个 Word 文档不能存放的控制字符（U+{ord(found):04X}），已删去", para)

    def _flatten(self, blocks: list[Para | Table]) -> list[Para | Table]:
        """Layout tables (a masthead typed in a table, the end block) as their paragraphs."""
        out: list[Para | Table] = []
        seen_body = False
        for b in blocks:
            if isinstance(b, Table):
                paras = b.paragraphs()
                texts = [p.text.strip() for p in paras]
                end_like = any(_END_ROW.match(t) or _COPIES.match(t) for t in texts)
                head_like = not seen_body and any(_ISSUE.search(t) or _EDITOR_DATE.match(t) for t in texts)
                if b.floating or end_like or head_like:
                    out += paras
                    continue
            elif parse_numeral(b.text) is not None:
                seen_body = True
            out.append(b)
        return out

    def _clean_plain(self, b):
        """Text from .txt/.pdf: the spaces extraction puts between Chinese and digits go."""
        if isinstance(b, Para):
            text = _drop_extraction_spaces(b.text.strip())
            b.runs = [Run(text)]
        return b

    def _drop_page_numbers(self, blocks):
        out = []
        for b in blocks:
            if isinstance(b, Para) and len(b.text.strip()) <= 12 and (
                    _PAGE_NUMBER.match(b.text.strip()) if self.plain else _PAGE_DASHES.match(b.text.strip())):
                self.doc.notes.append(f"{b.place()}的“{b.text.strip()}”是页码，不属于正文，没有导入")
                continue
            out.append(b)
        return out

    # masthead ---------------------------------------------------------------------------------------
    def masthead(self, blocks: list) -> int:
        """Read the masthead; return the index of the first block after it."""
        head = []
        editor_at = None
        for k, b in enumerate(blocks[:20]):
            if not isinstance(b, Para):
                break
            text = b.text.strip()
            if b.style == "JBEditorLine" or (_EDITOR_DATE.match(text) and len(text) <= 60):
                editor_at = k
                break
            if parse_numeral(text) is not None and k > 0:
                break
            head.append(b)
        if editor_at is None:
            self.fail("JB907", "找不到报头中的编印单位和印发日期（如“××中心　2024年5月13日”），无法确定这一期的日期",
                      blocks[0] if blocks and isinstance(blocks[0], Para) else None,
                      hint="jianbao 按印发日期给每一期命名；请确认这是一期简报，报头的编印单位和日期写在同一行。")
            return 0
        line = blocks[editor_at]
        m = _EDITOR_DATE.match(line.text.strip())
        assert m is not None  # the loop above stopped at it
        editor = re.sub(r"[\s\u3000]+$", "", m.group(1)).strip()
        if not editor and head and not _ISSUE.search(_fw(head[-1].text)) and not _PERIOD.match(head[-1].text.strip()):
            editor = head.pop().text.strip()  # text extraction put the date on a line of its own
        date = self._date(m.group(2), m.group(3), m.group(4), line)
        if date is not None:
            self.issue["date"] = date
            self.origins[("date",)] = (line, max(0, line.text.find(m.group(2))))
        if editor:
            self.series["editor"] = editor
        name_lines: list[str] = []
        for p in head:
            text = p.text.strip()
            mi = _ISSUE.search(_fw(text))
            if p.style == "JBMark" or (not name_lines and mi is None and _MARK.search(text) and len(text) <= 20
                                       and p.style != "JBMasthead"):
                self.series["mark"] = text
            elif p.style == "JBPeriod" or _PERIOD.match(text) or _PERIOD_DAY.match(text):
                self._period(text, p)
            elif mi is not None and len(text) <= 40 and "number" not in self.issue:
                ft = _fw(text)
                number = cn_value(mi.group(2))
                self.issue["number"] = number
                self.origins[("number",)] = (p, max(0, p.text.find(mi.group(2))))
                if mi.group(1):
                    self.issue["supplement"] = True
                mt = _TOTAL.search(ft)
                if mt:
                    self.issue["total"] = int(mt.group(1))
                    self.origins[("total",)] = (p, max(0, p.text.find(mt.group(1))))
            elif (mt := _TOTAL.search(_fw(text))) and "total" not in self.issue and len(text) <= 20:
                self.issue["total"] = int(mt.group(1))
            elif "number" not in self.issue:
                name_lines.append(text.replace("\n", ""))
            else:
                self.warn("JB911", f"报头中的“{_clip(text)}”不是简报名称、期号或报告期，没有导入", p)
        if name_lines:
            name = "".join(name_lines)
            spread = re.sub(r"(?<=[\u4e00-\u9fff])[ \u3000\u00a0]+(?=[\u4e00-\u9fff])", "", name)
            if spread != name:  # “工 作 简 报”: spaces typed to spread the name; jianbao spaces it itself
                self.doc.notes.append(f"简报名称“{name}”中字与字之间的空格已去掉（报头的字距由版式决定）")
            self.series["name"] = spread
        else:
            self.warn("JB915", "原件中找不到简报名称（红色报头），jianbao.yaml 中的 name 要手工填写", line)
        if "number" not in self.issue:
            self.issue["number"] = 1
            self.warn("JB915", "原件中找不到期号（“第N期”），期号暂写为 1，请改为实际期号", line,
                      hint="在导入的文件中改 number（还有 total，如有总期号）。")
        if date and "period" in self.issue:
            self._fix_period_years(date)
        elif "period" in self.issue:
            del self.issue["period"]
        return editor_at + 1

    def _date(self, y: str, mo: str, d: str, para: Para) -> dt.date | None:
        try:
            return dt.date(cn_value(y) or 0, cn_value(mo) or 0, cn_value(d) or 0)
        except ValueError:
            self.fail("JB907", f"印发日期“{y}年{mo}月{d}日”不存在", para)
            return None

    def _period(self, text: str, p: Para) -> None:
        m = _PERIOD.match(_fw(text).strip())
        day = _PERIOD_DAY.match(_fw(text).strip()) if not m else None
        if not m and not day:
            self.warn("JB911", f"报告期“{text}”的写法认不出，没有导入", p)
            return
        found = m.groups() if m else day.groups() * 2 if day else ()
        y1, m1, d1, y2, m2, d2 = found
        self.issue["period"] = {"_raw": (y1, m1, d1, y2, m2, d2), "_para": p}
        self.origins[("period",)] = (p, 0)

    def _fix_period_years(self, date: dt.date) -> None:
        raw = self.issue["period"]
        y1, m1, d1, y2, m2, d2 = raw["_raw"]
        p = raw["_para"]
        m1 = m1 or (m2 if m2 else str(date.month))
        m2 = m2 or m1
        year2 = int(y2) if y2 else (int(y1) if y1 else date.year)
        if not y2 and int(m2) > date.month:
            year2 -= 1  # a December period printed in January
        year1 = int(y1) if y1 else (year2 - 1 if int(m1) > int(m2) else year2)
        try:
            start, end = dt.date(year1, int(m1), int(d1)), dt.date(year2, int(m2), int(d2))
        except ValueError:
            del self.issue["period"]
            if self.lint:
                self.warnings.append(self._diag("JB208", f"报告期“{p.text.strip()}”中的日期不存在", p, None))
                return
            self.warn("JB915", f"报告期“{p.text.strip()}”中的日期不存在，没有写 period，请按实际日期补写", p,
                      hint="原件印错的日期（如“4月31日”）请核实后写入 period。")
            return
        if end < start or date < end:
            del self.issue["period"]
            self.warn("JB915", f"报告期“{p.text.strip()}”与印发日期对不上（起止颠倒或晚于印发日期），没有写 period", p)
            return
        self.issue["period"] = {"start": start, "end": end}

    # end block -----------------------------------------------------------------------------------------
    def end_block(self, blocks: list, start: int) -> int:
        """Read the end block from the back; return the index where it begins."""
        k = len(blocks)
        rows: list[tuple[str, str, Para]] = []
        copies = None
        while k > start:
            b = blocks[k - 1]
            if not isinstance(b, Para):
                break
            text = b.text.strip()
            mc = _COPIES.match(_fw(text))
            mr = _END_ROW.match(text)
            if mc and copies is None and not rows:
                copies = int(_fw(mc.group(1)))
            elif mr:
                rows.insert(0, (mr.group(1), re.sub(r"\s*\n\s*", "", mr.group(2).strip()), b))
            elif _EDITOR_DATE.match(text) and (rows or copies):
                self.warn("JB911", f"版记中的“{_clip(text)}”（印发机关和印发日期）jianbao 不单独印出，没有导入", b)
            else:
                break
            k -= 1
        if copies is not None:
            self.series["copies"] = copies
        if rows:
            self._distribution(rows)
        return k

    def _distribution(self, rows: list[tuple[str, str, Para]]) -> None:
        seps: Counter[str] = Counter()
        for _, text, _ in rows:
            body = text[:-1] if text.endswith("。") else None
            if body is None or "。" in body:
                continue
            kinds = {s for s in ("，", "、") if s in body}
            if len(kinds) == 1:
                seps[kinds.pop()] += 1
        sep = seps.most_common(1)[0][0] if seps else "，"
        out: dict = {}
        for label, text, p in rows:
            if label in out:
                self.warn("JB911", f"版记中“{label}：”出现了两次，只导入了第一行", p)
                continue
            body = text[:-1] if text.endswith("。") else None
            other = "、" if sep == "，" else "，"
            if body is not None and "。" not in body and other not in body and body:
                out[label] = [s for s in body.split(sep)] if all(body.split(sep)) else text
            else:
                out[label] = text
        self.series["distribution"] = out
        if sep != "，":
            self.series["separator"] = sep

    # body ---------------------------------------------------------------------------------------------
    def body(self, blocks: list) -> None:
        self.body_font = _body_font([b for b in blocks if isinstance(b, Para)])
        sections: list[_Node] = []
        stack: list[_Node] = []  # open nodes, level 1 first
        last_n = [0, 0, 0, 0, 0]  # last number seen per level (index = level)
        # typed level → the level it went in at, for numerals that skip a level (一、 then 1. 2.): the
        # siblings of a demoted numeral go in beside it, until a numeral of a higher level comes
        demoted: dict[int, int] = {}
        note_font = None
        note_at = -2  # index of the last 编者按 paragraph
        title_lines: list[tuple[str, Para]] = []
        lead_body: list = []
        lead_origins: list = []
        note: list[tuple[str, Para, int]] = []
        subtitle = None
        pending_caption: tuple[str, Para] | None = None

        for k, b in enumerate(blocks):
            if isinstance(b, Table):
                table = self._table(b, pending_caption)
                pending_caption = None
                target = stack[-1] if stack else None
                if target is None:
                    lead_body.append(table)
                    lead_origins.append(None)
                else:
                    target.body.append(table)
                    target.body_origins.append(None)
                continue
            if pending_caption is not None:  # a centred line not followed by a table: body text after all
                self._add_text(pending_caption[0], pending_caption[1], 0, stack, lead_body, lead_origins)
                pending_caption = None
            text = b.text
            label = b.auto_number or ""
            full = (label + text) if label else text
            num = parse_numeral(full.strip(), expected_l1=last_n[1] + 1,
                                expected_l3=last_n[3] + 1 if len(stack) >= 2 else None)
            stripped = full.strip()
            if num is None and not stack:
                # the headline: 编者按, title, subtitle, lead paragraphs
                after_note = k - 1 == note_at
                if re.match(r"^编者按[：:]", stripped) or b.style == "JBNote":
                    body_text = re.sub(r"^编者按[：:]\s*", "", stripped)
                    offset = text.find(body_text) if body_text else 0
                    note.append((body_text, b, max(0, offset)))
                    note_font, note_at = _main_font(b), k
                    continue
                # a 编者按 of several paragraphs typed by hand: those right after it in its font
                if after_note and not self.jianbao and note_font and _main_font(b) == note_font \
                        and b.align != "center":
                    note.append((stripped, b, _lead_space(text)))
                    note_at = k
                    continue
                if not lead_body and self._is_title(b) and subtitle is None:
                    for line in stripped.split("\n"):
                        if line.strip():
                            title_lines.append((line.strip(), b))
                    continue
                if title_lines and subtitle is None and not lead_body and (
                        b.style == "Subtitle" or (stripped.startswith("——") and (b.align == "center" or self.plain))):
                    subtitle = (stripped, b)
                    continue
                if k + 1 < len(blocks) and isinstance(blocks[k + 1], Table) and (b.style == "JBTableCaption" or (
                        b.align == "center" and not self.plain and b.style not in ("Normal",) and _short(stripped))):
                    pending_caption = (stripped, b)
                    continue
                lead_body.append(stripped)
                lead_origins.append((b, _lead_space(text)))
                continue
            if num is None:
                if b.style == "JBTableCaption" or (b.align == "center" and not self.plain and _short(stripped)
                                                   and k + 1 < len(blocks) and isinstance(blocks[k + 1], Table)):
                    pending_caption = (stripped, b)
                    continue
                if b.align == "center" and not self.plain and b.style not in ("Normal", None) or (
                        b.align == "center" and not self.plain and _short(stripped)):
                    self.warn("JB911", f"正文中居中的一段“{_clip(stripped)}”不是标题或表格标题，作为正文导入（在“{_clip(stack[-1].text, 10)}”之下）", b)
                self._add_text(stripped, b, _lead_space(text), stack, lead_body, lead_origins)
                continue
            # a numbered paragraph
            level = num.level
            depth = len(stack)
            for typed in [t for t in demoted if t > level]:  # 二、 or a real （一）: the skip is over
                del demoted[typed]
            if level in demoted and demoted[level] <= depth:  # a sibling of a numeral that went in higher
                level = demoted[level]
            elif level > depth + 1:
                from ..numbering import marker

                k_next = len(stack[-1].items) + 1 if stack else len(sections) + 1
                self.warn("JB914", f"“{num.typed}”是第 {level} 级序号，但前面没有第 {depth + 1} 级的序号，"
                                   f"按第 {depth + 1} 级导入，印出的序号将是“{marker(depth + 1, k_next)}”", b)
                level = demoted[num.level] = depth + 1
            expected = last_n[level] + 1
            if level == num.level:
                if num.n != expected:
                    what = "跳号" if num.n > expected else "重复或倒退"
                    before = f"上一个同级序号是“{_typed_form(level, last_n[level])}”" if last_n[level] else "这是这一级的第一个序号"
                    self.warn("JB912", f"手工输入的序号{what}：“{num.typed}”，{before}，应为“{_typed_form(level, expected)}”；"
                                       f"jianbao 重新编号，印出“{_typed_form(level, expected)}”", b)
            if num.slip:
                self.warn("JB916", f"序号“{num.typed}”写法不规范（{num.slip}）；jianbao 自动生成的序号是“{_typed_form(level, expected)}”", b)
            last_n[level] = expected if level != num.level else num.n
            for deeper in range(level + 1, 5):
                last_n[deeper] = 0
            node = self._node(b, level, num, label)
            del stack[level - 1:]
            if level == 1:
                sections.append(node)
            else:
                stack[-1].items.append(node)
            stack.append(node)
        if pending_caption is not None:
            self._add_text(pending_caption[0], pending_caption[1], 0, stack, lead_body, lead_origins)

        if note:
            note = [n for n in note if n[0]]
            self.issue["note"] = [t for t, _, _ in note]
            for i, (_, p, off) in enumerate(note):
                self.origins[("note", i)] = (p, off)
        if title_lines:
            self.issue["title"] = [t for t, _ in title_lines]
            for i, (t, p) in enumerate(title_lines):
                self.origins[("title", i)] = (p, max(0, p.text.find(t)))
        if subtitle:
            self.issue["subtitle"] = subtitle[0]
            self.origins[("subtitle",)] = (subtitle[1], _lead_space(subtitle[1].text))
        if lead_body:
            self.issue["body"] = lead_body
            for i, o in enumerate(lead_origins):
                if o:
                    self.origins[("body", i)] = o
        self.issue["sections"] = [self._emit(s, ("sections", i)) for i, s in enumerate(sections)]
        if not sections:
            self.warn("JB911", "正文中没有找到“一、”这样的一级序号，全文作为导语（body）导入；请在导入的文件中分成 sections")

    def _add_text(self, text: str, para: Para, offset: int, stack, lead_body, lead_origins) -> None:
        if stack:
            stack[-1].body.append(text)
            stack[-1].body_origins.append((para, offset))
        else:
            lead_body.append(text)
            lead_origins.append((para, offset))

    def _is_title(self, p: Para) -> bool:
        if p.style == "Title":
            return True
        if p.align != "center" or self.plain:
            return False
        size = max((r.size or 0) for r in p.runs) if p.runs else 0
        font = _main_font(p) or ""
        return size >= 18 or "标宋" in font or "小标宋" in font

    def _node(self, p: Para, level: int, num: Numeral, label: str) -> _Node:
        """The numbered paragraph *p* as a title, lead + body, or text node."""
        text = p.text
        # where the text after the numeral starts in p.text (an automatic number is not in the text)
        start = max(0, num.length - len(label)) if label else _lead_space(text) + num.length
        rest = text[start:]
        rest_stripped = rest.strip()
        base = start + (len(rest) - len(rest.lstrip()))
        if p.style and re.fullmatch(r"Heading[1-4]", p.style):
            return _Node(level, "title", rest_stripped, p, base, num)
        emph, body = self._split_emphasis(p, start)
        if emph and body:
            e, bt = emph.strip(), body.strip()
            node = _Node(level, "lead", e, p, base, num)
            node.body.append(bt)
            node.body_origins.append((p, start + len(emph) + (len(body) - len(body.lstrip()))))
            return node
        if emph and not body:
            if any(r.style and r.style.startswith("JBLead") for r in p.runs):
                return _Node(level, "lead", rest_stripped, p, base, num)  # jianbao's lead before a table
            return _Node(level, "title", rest_stripped, p, base, num)
        if level == 1:
            return _Node(level, "title", rest_stripped, p, base, num)
        if not self.jianbao and self._heading_shape(rest_stripped, p):
            return _Node(level, "title", rest_stripped, p, base, num)
        return _Node(level, "text", rest_stripped, p, base, num)

    def _heading_shape(self, text: str, p: Para) -> bool:
        """A standalone heading by its shape: short, no sentence punctuation at the end."""
        return len(text) <= 40 and not re.search(r"[。；！？…:：，、]$", text) and "。" not in text

    def _split_emphasis(self, p: Para, start: int) -> tuple[str, str]:
        """The emphasised run-in heading after offset *start* of *p*, and the body text after it."""
        pos = 0
        emph: list[str] = []
        body: list[str] = []
        in_emph = True
        for r in p.runs:
            a = pos
            pos = end = a + len(r.text)
            if end <= start:
                continue
            piece = r.text[max(0, start - a):]
            if in_emph and self._emphasised(r):
                emph.append(piece)
            elif in_emph and not piece.strip():
                emph.append(piece)
            else:
                in_emph = False
                body.append(piece)
        e, rest = "".join(emph), "".join(body)
        if not e.strip():
            return "", e + rest
        return e, rest

    def _emphasised(self, r: Run) -> bool:
        if r.style and r.style.startswith("JBLead"):
            return True
        if self.plain:
            return False
        if r.bold:
            return True
        font = r.font or ""
        return bool(font) and font != self.body_font and any(k in font for k in ("黑", "楷", "Hei", "Kai", "hei", "kai"))

    def _table(self, t: Table, caption: tuple[str, Para] | None) -> dict:
        rows = [[c.strip() for c in row] for row in t.cell_texts()]
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        if caption is None:
            self.warn("JB915", "表格上方没有居中的表格标题，caption 暂写为“表格”，请改为实际标题", t)
            cap = "表格"
        else:
            cap = caption[0]
        header, body = rows[0], rows[1:]
        if not body:
            self.warn("JB915", "表格只有一行，作为表头导入，请核对", t)
            body = [[""] * width]
        table = {"caption": cap, "header": [_cell(h) for h in header], "rows": [[_cell(c) for c in r] for r in body]}
        weights = _weights(t.widths) if len(t.widths) == width else None
        if weights:
            table["widths"] = weights
        aligns = _aligns(t, width)
        if aligns:
            table["align"] = aligns[0] if len(set(aligns)) == 1 else aligns
        return {"table": table}

    def _emit(self, node: _Node, path: tuple):
        """The YAML value of *node* (a section or an item), recording where each text came from."""
        body = list(node.body)
        origins = list(node.body_origins)
        if node.level > 1 and node.kind == "text":
            if not body and not node.items:
                self.origins[path] = (node.para, node.offset)
                return node.text
            out: dict = {"body": [node.text] + body}
            origins = [(node.para, node.offset), *origins]
        elif node.kind == "lead":
            out = {"lead": node.text, "body": body}
            self.origins[path + ("lead",)] = (node.para, node.offset)
        else:
            out = {"title": node.text}
            self.origins[path + ("title",)] = (node.para, node.offset)
            if body:
                out["body"] = body
        for j, o in enumerate(origins):
            if o is not None:
                self.origins[path + ("body", j)] = o
        if node.items:
            out["items"] = [self._emit(c, path + ("items", k)) for k, c in enumerate(node.items)]
        if "body" in out and not out["body"]:
            del out["body"]
        return out


def _typed_form(level: int, n: int) -> str:
    from ..numbering import marker

    return marker(level, max(1, n))


def _drop_extraction_spaces(text: str) -> str:
    """Spaces next to a Chinese character or full-width punctuation: text extraction puts them
    between glyphs set apart on the page (“4月 29日”, “方案 >”); between Latin words they stay."""
    from ..metrics import is_wide

    def keep(m: re.Match) -> str:
        a = text[m.start() - 1] if m.start() else ""
        z = text[m.end()] if m.end() < len(text) else ""
        return "" if (a and is_wide(a)) or (z and is_wide(z)) else m.group()

    return re.sub(r"[ \u00a0]+", keep, text)


def _aligns(t: Table, width: int) -> list[str] | None:
    """Each column's alignment, from the first row below the header, when every cell says it."""
    if len(t.aligns) < 2:
        return None
    out = [a for a in t.aligns[1][:width] if a in ("left", "center", "right")]
    return out if len(out) == width else None


def _weights(twips: list[int]) -> list | None:
    """Relative column widths that give back *twips* (None when the columns are equal)."""
    if not twips or min(twips) <= 0 or max(twips) - min(twips) <= 2:
        return None
    total = sum(twips)

    def scaled(weights):  # as jianbao.render.docx.column_widths scales them
        out, acc = [], 0.0
        for wgt in weights:
            acc += wgt * total / sum(weights)
            out.append(round(acc) - sum(out))
        return out

    for digits in (0, 1, 2):
        weights = [round(t / min(twips), digits) for t in twips]
        weights = [int(w) if float(w).is_integer() else w for w in weights]
        if scaled(weights) == twips:
            return weights
    return twips


def _cell(text: str):
    if re.fullmatch(r"(?:0|[1-9]\d{0,14})", text):
        return int(text)
    return text or None


def _short(text: str) -> bool:
    return len(text) <= 40 and not text.endswith("。")


def _lead_space(text: str) -> int:
    return len(text) - len(text.lstrip())


def _main_font(p: Para) -> str | None:
    c: Counter[str | None] = Counter()
    for r in p.runs:
        c[r.font] += len(r.text)
    return c.most_common(1)[0][0] if c else None


def _body_font(paras: list[Para]) -> str | None:
    c: Counter[str | None] = Counter()
    for p in paras:
        for r in p.runs:
            if not r.bold:
                c[r.font] += len(r.text)
    return c.most_common(1)[0][0] if c else None


def _clip(text: str, n: int = 16) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "……"


def _quote(text: str) -> str:
    text = text.replace("\n", " ").replace("\t", " ")
    return text if len(text) <= 80 else text[:80] + "……"


__all__ = ["Numeral", "Recovered", "cn_value", "parse_numeral", "recover"]
