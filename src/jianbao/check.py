"""Stage 3 — check: rules on a validated issue, each with a code, a place and a hint.

Two kinds of rule run here, on one issue:

* structure (errors: the issue cannot be printed right): more than four levels (JB109), numbering
  typed by hand at the start of a heading or item, which would print twice (JB110);
* text lint (JB2xx) on every text field — title, subtitle, note, body, and the title, lead, body
  and string items of every section and item: half-width punctuation beside Chinese (JB201),
  wrong numeral forms inside text (JB202), zero-padded dates (JB203), date ranges without the
  一字线 (JB204), placeholders left behind (JB205, an error), a paragraph repeated verbatim
  (JB206), a section with nothing under its heading (JB207), a date that does not exist such as
  the seed bulletin's “4月31日” (JB208, an error); and what pasting from Word, web pages and WeChat
  leaves behind: stray and no-break spaces (JB210), full-width spaces (JB211), invisible characters
  (JB212), full-width digits and letters (JB213), quotation marks that do not pair (JB214), spaces
  at the end of a line (JB215); and a line of the article title the 版心 cannot hold (JB216);
* settings (JB4xx) as the issue sees them (series merged with the issue's overrides): no
  distribution (JB403), no copies (JB404), a masthead name that does not fit on one line even at
  the smallest size of the layout (JB405); and placeholders (JB205) in the name, editor, mark and
  distribution, which ``jianbao init`` writes as 待填.

``jianbao check`` and ``jianbao build`` share these (build refuses errors and prints warnings).
A rule whose fix is certain attaches :class:`~jianbao.diagnostics.Edit` s to its diagnostic
(:func:`fix_at`), which ``jianbao check --fix`` applies (:mod:`jianbao.fix`).
Rules across the issues of a folder live in :mod:`jianbao.check_series`.

Diagnostics for a problem inside a string point at the offending character where the YAML
allows it (plain and simply quoted one-line scalars exactly; block and folded scalars by finding
the text on its line), else at the start of the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .check_figures import check_figures
from .diagnostics import Diagnostic, Edit
from .document import PHOTO_KINDS, walk
from .load import Source
from .metrics import fit_size, is_wide
from .model import Bulletin, IssueFile
from .numbering import MAX_LEVEL, typed_numeral
from .stages import Resolved
from .units import pt_to_twips, twips_to_mm
from .validate import FIELD_NAMES_ZH, key_colon_diagnostic


def check_issue(resolved: Resolved) -> list[Diagnostic]:
    """All diagnostics for one resolved issue: those in the issue file in file order, then those in
    jianbao.yaml."""
    src, bulletin = resolved.issue_src, resolved.bulletin
    out: list[Diagnostic] = check_figures(resolved)  # JB7xx figures, on the printed text
    starts = check_structure(bulletin.issue, src, out)
    out += check_text(bulletin.issue, src, skip_start=starts)
    out += check_lines(src)
    out += check_settings(bulletin, src, resolved.layout, resolved.series_src)
    if resolved.layout is not None:
        out += check_captions(bulletin.issue, src, resolved.layout)
        out += check_title(bulletin.issue, src, resolved.layout)
    out.sort(key=lambda d: (d.file != src.path, str(d.file), d.line or 0, d.column or 0))
    return out


# --- structure: levels and typed numbering ----------------------------------------------------

def check_structure(issue: IssueFile, src: Source, out: list[Diagnostic]) -> set[tuple]:
    """JB109 (items past the fourth level) and JB110 (a numeral typed before the generated one).

    Returns the paths of the texts whose start JB110 looked at (the text lint does not report a
    typed numeral there again)."""
    starts: set[tuple] = set()
    for node in walk(issue):
        if node.level > MAX_LEVEL:
            continue  # reported once, as JB109 on the items of the fourth level
        if node.is_text and node.marker is not None:
            starts.add(node.path)
            typed = typed_numeral(node.value)
            if typed:
                d = src.diagnostic(
                    "JB110", f"“{node.value[:16]}…”开头手工输入了序号“{typed}”，会与自动生成的“{node.marker}”重复",
                    node.path, hint=f"删除开头的“{typed}”：第 {node.level} 级序号由 jianbao 自动生成。")
                _typed_fix(src, node.path, node.value, typed, d)
                out.append(d)
        elif node.kind in ("section", "item") and node.level == MAX_LEVEL and not isinstance(node.value, str) \
                and node.value.items:
            out.append(src.diagnostic(
                "JB109", f"第 {node.level} 级条目下还有 items：简报最多四级（一、（一）1.（1））",
                node.path + ("items",), key=True))
    return starts


def _typed_fix(src: Source, path: tuple, text: str, typed: str, d: Diagnostic) -> None:
    """The fix of JB110: the typed numeral and the spaces after it go (when text remains)."""
    k = text.find(typed)
    if k == -1:
        return
    end = k + len(typed)
    end += len(text[end:]) - len(text[end:].lstrip(" \u3000"))
    edit = fix_at(src, path, text, k, text[k:end], "")
    if edit is not None and text[end:]:
        d.fixes.append(edit)


# --- the text of an issue ---------------------------------------------------------------------

@dataclass(frozen=True)
class Text:
    """One string of an issue, where it sits, and whether it is a paragraph (not a heading)."""

    path: tuple
    text: str
    paragraph: bool


def iter_texts(issue: IssueFile) -> Iterator[Text]:
    """Every text field of *issue* (not the tables, which carry their own text), in print order."""
    for node in walk(issue):
        if node.is_text:
            yield Text(node.path, node.value, not node.is_heading)
        elif node.kind in PHOTO_KINDS:  # a caption prints: it is linted like a heading
            yield Text(node.path + ("caption",), node.value.caption, False)


_HALF = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"}
_HALF_CHARS = re.compile("[" + re.escape("".join(_HALF)) + "]")
_HALF_NAMES = {",": "逗号", ";": "分号", ":": "冒号", "(": "左括号", ")": "右括号", "?": "问号", "!": "叹号"}

_CN_DIGIT = "一二三四五六七八九十"
#: Where an enumeration can begin inside running text: the start, or after a stop or a colon.
_BOUNDARY = r"(?:^|(?<=[。；：，;:,！？!?\s]))"
_NUMERAL_FORMS = [
    # (pattern, what is wrong, the right form given the match)
    (re.compile(rf"[（(]\s*([{_CN_DIGIT}]{{1,3}}|\d{{1,2}})\s*[）)]\s*([、.．，,])"),
     "括号序号后又加了标点", lambda m: m.group()[: m.start(2) - m.start()].rstrip()),
    (re.compile(rf"{_BOUNDARY}([{_CN_DIGIT}]{{1,3}})\s*[.．](?!\d)"),
     "汉字序号后用了点号", lambda m: f"{m.group(1)}、"),
    (re.compile(rf"{_BOUNDARY}(\d{{1,2}})\s*、(?!\d)"),
     "阿拉伯数字序号后用了顿号", lambda m: f"{m.group(1)}."),
    (re.compile(rf"{_BOUNDARY}(\d{{1,2}})\s*[)）](?!\d)"),
     "阿拉伯数字序号只有右括号", lambda m: f"（{m.group(1)}）"),
]

_ZERO_PADDED = re.compile(r"(?<![\d.])0([1-9])(?=[月日])")

_MONTH_DAY = re.compile(r"(?<!\d)(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")

_DATE = r"(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日"
_MONTH = r"(?:\d{4}年)?\d{1,2}月"
_RANGE_SEP = r"\s*(?P<sep>——+|[-~～－–―])\s*"
_DATE_RANGE = re.compile(
    rf"(?<![\d.])(?:{_DATE}|{_MONTH}|\d{{1,2}}月\d{{1,2}}|\d{{4}}年?|\d{{1,2}})"
    rf"{_RANGE_SEP}"
    rf"(?:{_DATE}|{_MONTH}|\d{{4}}年)"
)

_RANGE_SEPS = re.compile(r"[—\-~～－–―]")  # a date range cannot match without one of its separators

_PLACEHOLDER = re.compile(
    r"(?i:(?<![a-z])(?:todo|fixme|tbd)(?![a-z]))"
    r"|待填|待补|待完善|待核实|待确认"
    r"|(?i:(?<![a-z])x{2,}(?![a-z]))|[Ｘｘ]{2,}|×{2,}|□{2,}|＊{2,}|[?？]{3,}"
)
_PLACEHOLDER_CHARS = re.compile(r"(?i:[tfx])|[待Ｘｘ×□＊?？]")  # a placeholder holds one of these

#: Shorter paragraphs ("略。") may repeat on purpose; longer ones repeated are a paste error.
MIN_DUPLICATE = 10


#: What follows a text on its line when YAML took a hashtag (“ #我为群众办实事# 主题活动”) for a comment.
_HASHTAG_COMMENT = re.compile(r"(\s+)(#[^\s#][^#]*#.*)$")


def _cut_off(src: Source, path: tuple) -> Diagnostic | None:
    """JB027 when the one-line text at *path* is followed on its line by a “comment” that is a
    hashtag, ``#…#``: the rest of the sentence, which YAML dropped."""
    p = src.positions.get(path)
    if p is None and path and path[-1] == 0:  # ``body: 一段话`` was validated as ``[一段话]``
        p = src.positions.get(path[:-1])
    if p is None or p.line != p.end_line or not 0 < p.line <= len(src.lines):
        return None
    row = src.lines[p.line - 1]
    m = _HASHTAG_COMMENT.match(row, p.end_column - 1)
    if m is None:
        return None
    dropped = m.group(2).rstrip()
    column = m.start(2) + 1
    return Diagnostic("JB027", f"“ #”之后的“{_clip(dropped)}”被 YAML 当成了注释，不会印出", file=src.path,
                      line=p.line, column=column, width=len(dropped), source_line=row,
                      hint="要印出“#……#”，给整段加引号（\"……\"），或把“#”改为全角“＃”。")


def check_text(issue: IssueFile, src: Source, *, skip_start: set[tuple] | frozenset[tuple] = frozenset()) -> list[Diagnostic]:
    """The JB2xx rules on every text field of *issue*.

    *skip_start*: paths whose first characters JB110 already checks (a typed numeral there is
    reported once, as JB110, not again as JB202).
    """
    out: list[Diagnostic] = []
    seen: dict[str, tuple] = {}
    for t in iter_texts(issue):
        text = t.text
        covered = bytearray(len(text) + 1)  # 1 where a numeral was found: one pass, not a scan per match
        keyed = key_colon_diagnostic(src, t.path, text) if t.paragraph else None
        if keyed is not None:  # “- lead：推进工作。” would print the field name as text
            out.append(keyed)
        cut = _cut_off(src, t.path) if t.paragraph else None
        if cut is not None:  # “本周开展 #我为群众办实事# 主题活动” would print “本周开展”
            out.append(cut)

        numerals = []
        for pattern, what, right in _NUMERAL_FORMS:
            for m in pattern.finditer(text):
                if t.path in skip_start and m.start() <= _lead_space(text):
                    continue
                if not covered[m.start()]:
                    covered[m.start():m.end()] = b"\1" * (m.end() - m.start())
                    numerals.append((m, what, right(m)))
        if numerals:
            m, what, right = min(numerals, key=lambda n: n[0].start())
            found = m.group().strip()
            more = f"（这一段还有 {len(numerals) - 1} 处）" if len(numerals) > 1 else ""
            out.append(src.at(t.path, text, m.start() + _lead_space(m.group()), len(found),
                           "JB202", f"{what}：“{found}”应写作“{right}”{_context(text, m.start(), m.end())}{more}",
                           hint=f"改为“{right}”。公文序号依次为：一、（一）1.（1）。"))

        halves = [i for i in (m.start() for m in _HALF_CHARS.finditer(text)) if _beside_chinese(text, i)
                  and not covered[i]]
        if halves:
            i = halves[0]
            c = text[i]
            more = f"（这一段还有 {len(halves) - 1} 处）" if len(halves) > 1 else ""
            diag = src.at(t.path, text, i, 1, "JB201",
                       f"汉字旁用了半角{_HALF_NAMES[c]}“{c}”{_context(text, i, i + 1)}{more}",
                       hint=f"改为全角“{_HALF[c]}”。")
            for j in halves:
                if text[j] not in "()" or _paired_bracket(text, j):
                    _add_fix(diag, fix_at(src, t.path, text, j, text[j], _HALF[text[j]]))
            out.append(diag)

        for m in _ZERO_PADDED.finditer(text):
            unit = text[m.end()]
            diag = src.at(t.path, text, m.start(), 1, "JB203",
                       f"“{m.group()}{unit}”前面补了零{_context(text, m.start(), m.end() + 1)}",
                       hint=f"写作“{m.group(1)}{unit}”：公文日期的月、日不补零。")
            _add_fix(diag, fix_at(src, t.path, text, m.start(), m.group() + unit, m.group(1) + unit))
            out.append(diag)

        out += _hygiene(src, t, text)

        each = _Each(out)  # at most PER_PARAGRAPH diagnostics of one rule per text, the last one counts the rest
        for m in _MONTH_DAY.finditer(text):
            y, mo, d = (int(g) if g else None for g in m.groups())
            problem = _impossible(y, int(mo or 0), int(d or 0))
            if problem and each.room("JB208"):
                each.add(src.at(t.path, text, m.start(), len(m.group()), "JB208",
                                f"日期“{m.group()}”不存在：{problem}{_context(text, m.start(), m.end())}"))

        for m in _DATE_RANGE.finditer(text) if _RANGE_SEPS.search(text) else ():
            sep = m.group("sep")
            fix = text[m.start(): m.start("sep")].rstrip() + "—" + text[m.end("sep"): m.end()].lstrip()
            if each.room("JB204"):
                each.add(src.at(t.path, text, m.start("sep"), len(sep), "JB204",
                                f"日期起止“{m.group()}”用了“{sep}”", hint=f"写作“{fix}”：起止日期之间用一字线“—”。"))

        for m in _PLACEHOLDER.finditer(text) if _PLACEHOLDER_CHARS.search(text) else ():
            if each.room("JB205"):
                each.add(src.at(t.path, text, m.start(), len(m.group()), "JB205",
                                f"文字中留有占位符“{m.group()}”{_context(text, m.start(), m.end())}",
                                hint="换成实际内容；内容未定的段落先删去，定稿后再补。"))
        each.close()

        if t.paragraph:
            key = "".join(text.split())
            if len(key) >= MIN_DUPLICATE:
                if key in seen:
                    first = src.pos(seen[key])
                    where = f"第 {first.line} 行" if first else "前文"
                    out.append(src.diagnostic("JB206", f"这一段与{where}的段落完全相同：“{_clip(text)}”", t.path))
                else:
                    seen[key] = t.path

    for i, section in enumerate(issue.sections):
        if not section.body and not section.items:
            key = "title" if section.title is not None else "lead"
            heading = getattr(section, key)
            out.append(src.diagnostic("JB207", f"“{_clip(heading)}”下面既没有 body 也没有 items",
                                      ("sections", i, key)))
    return out


# --- pasted-text hygiene: what Word, web pages and WeChat leave in copied text -----------------

#: Characters that take no room on the page: zero-width spaces and joiners, the soft hyphen, the
#: word joiner, a BOM inside text, and the marks that change the direction of text.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_INVISIBLE_NAMES = {"\u00ad": "软连字符", "\u200b": "零宽空格", "\u200c": "零宽非连接符", "\u200d": "零宽连接符",
                    "\u2060": "字连接符", "\ufeff": "零宽不换行空格（BOM）"}
#: Spaces other than the ordinary one that Word and web pages paste: no-break and fixed-width spaces.
_ODD_SPACE = "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
#: A run of spaces (ordinary or odd) with a Chinese character on each side.
_SPACE_BETWEEN = re.compile(f"(?<=[\u3400-\u9fff\uf900-\ufaff\u3001-\u303f\uff01-\uff0f\uff1a-\uff20])"
                            f"[ {_ODD_SPACE}]+"
                            f"(?=[\u3400-\u9fff\uf900-\ufaff\u3001-\u303f\uff01-\uff0f\uff1a-\uff20])")
_ODD_SPACES = re.compile(f"[{_ODD_SPACE}]+")
_IDEO_RUN = re.compile("\u3000{2,}")
_LEAD_IDEO = re.compile("^[\u3000 ]+")
_TRAIL_IDEO = re.compile("[\u3000 ]+$")
_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
_QUOTES = {"“": "”", "‘": "’"}
_QUOTE_MARKS = re.compile("[“”‘’]")


def _hygiene(src: Source, t: Text, text: str) -> list[Diagnostic]:
    """JB210–JB214 on one text: stray spaces, full-width spaces, invisible characters, full-width
    digits and letters, quotation marks that do not pair. One diagnostic per rule and text, with a
    fix for every occurrence where the fix is certain."""
    out: list[Diagnostic] = []

    def report(code: str, found: list[tuple[int, str, str]], message, hint: str) -> None:
        if not found:
            return
        i, old, _ = found[0]
        more = f"（这一段还有 {len(found) - 1} 处）" if len(found) > 1 else ""
        d = src.at(t.path, text, i, len(old), code, message(i, old) + more, hint=hint)
        for j, o, n in found:
            _add_fix(d, fix_at(src, t.path, text, j, o, n))
        out.append(d)

    # JB210: spaces between Chinese characters (justified text copied from a PDF or a web page:
    # "平 均 减 少"), and no-break spaces anywhere
    found = [(m.start(), m.group(), "") for m in _SPACE_BETWEEN.finditer(text)]
    for m in _ODD_SPACES.finditer(text):
        if not any(a <= m.start() < a + len(o) for a, o, _ in found):
            found.append((m.start(), m.group(), " " if _ascii_both_sides(text, m.start(), m.end()) else ""))
    found.sort()
    report("JB210", found,
           lambda i, old: (f"汉字之间有{len(old)}个多余的空格{_context(text, i, i + len(old))}"
                           if _between_chinese(text, i, i + len(old))
                           else f"文字中有不换行空格（U+{ord(old[0]):04X}）{_context(text, i, i + len(old))}"),
           "删除这些空格（从 Word、PDF 或网页复制的文字常带着它们）；`jianbao check --fix` 可自动删除。")

    # JB211: U+3000 typed as an indent at the start, left at the end, or in runs inside
    found = []
    for rx in (_LEAD_IDEO, _TRAIL_IDEO):
        edge = rx.search(text)
        if edge and "\u3000" in edge.group():
            found.append((edge.start(), edge.group(), ""))
    for m in _IDEO_RUN.finditer(text):
        if not any(a <= m.start() < a + len(o) for a, o, _ in found):
            found.append((m.start(), m.group(), ""))
    found.sort()
    report("JB211", found,
           lambda i, old: (f"段首有{len(old)}个全角空格" if i == 0 else
                           f"文字中有{len(old)}个连续的全角空格{_context(text, i, i + len(old))}"),
           "段首缩进两字由 jianbao 自动排出，删除这些全角空格；`jianbao check --fix` 可自动删除。")

    # JB212: invisible characters
    found = [(m.start(), m.group(), "") for m in _INVISIBLE.finditer(text)]
    report("JB212", found,
           lambda i, old: (f"文字中有看不见的字符 U+{ord(old):04X}"
                           f"{'（' + _INVISIBLE_NAMES[old] + '）' if old in _INVISIBLE_NAMES else ''}"
                           f"，在第 {i + 1} 个字处"),
           "删除它（常见于从网页、微信复制的文字）；`jianbao check --fix` 可自动删除。")

    # JB213: full-width digits and letters
    found = [(m.start(), m.group(), _halfwidth(m.group())) for m in _FULLWIDTH_ALNUM.finditer(text)]
    report("JB213", found,
           lambda i, old: f"“{old}”用了全角字符{_context(text, i, i + len(old))}，应写作“{_halfwidth(old)}”",
           "数字和外文字母用半角；`jianbao check --fix` 可自动改正。")

    # JB214: quotation marks that do not pair (no single right fix: said, not changed)
    bad = _unpaired_quote(text)
    if bad is not None:
        i, why = bad
        out.append(src.at(t.path, text, i, 1, "JB214", f"{why}{_context(text, i, i + 1)}",
                       hint="中文引号成对使用：前引号“和后引号”，引号里再用引号时用‘’。"))
    return out


def _between_chinese(text: str, a: int, b: int) -> bool:
    return a > 0 and b < len(text) and is_wide(text[a - 1]) and is_wide(text[b])


def _ascii_both_sides(text: str, a: int, b: int) -> bool:
    return a > 0 and b < len(text) and text[a - 1].isascii() and text[b].isascii() \
        and text[a - 1].isalnum() and text[b].isalnum()


def _halfwidth(s: str) -> str:
    return "".join(chr(ord(c) - 0xFEE0) for c in s)


def _unpaired_quote(text: str) -> tuple[int, str] | None:
    """The first quotation mark that has no partner, and what is wrong with it."""
    stack: list[tuple[str, int]] = []
    closing = {v: k for k, v in _QUOTES.items()}
    for m in _QUOTE_MARKS.finditer(text):  # only the marks: most of a text has none
        i, c = m.start(), m.group()
        if c in _QUOTES:
            if stack and stack[-1][0] == c:  # “…“ : the second should have been a closing mark
                return i, f"前引号“{c}”后面又是前引号“{c}”，少了后引号“{_QUOTES[c]}”"
            stack.append((c, i))
        elif c in closing:
            if stack and stack[-1][0] == closing[c]:
                stack.pop()
            else:
                return i, f"后引号“{c}”前面没有与它成对的前引号“{closing[c]}”"
    if stack:
        c, i = stack[0]
        return i, f"前引号“{c}”没有与它成对的后引号“{_QUOTES[c]}”"
    return None


def _paired_bracket(text: str, i: int) -> bool:
    """Whether the half-width bracket at *i* has its partner in *text* (both become full-width)."""
    if text[i] == "(":
        return text.find(")", i) != -1
    return text.rfind("(", 0, i) != -1


def _add_fix(d: Diagnostic, edit: Edit | None) -> None:
    if edit is not None:
        d.fixes.append(edit)


def check_lines(src: Source) -> list[Diagnostic]:
    """JB215: spaces at the end of a line of the file (YAML drops most of them, a ``|`` block keeps
    them; either way they are noise), each with its fix."""
    out: list[Diagnostic] = []
    for n, line in enumerate(src.lines, start=1):
        stripped = line.rstrip(" \t")  # a no-break or full-width space there is JB210 / JB211's
        if stripped != line:
            d = Diagnostic("JB215", f"第 {n} 行行尾有 {len(line) - len(stripped)} 个多余的空格", file=src.path,
                           line=n, column=len(stripped) + 1, width=len(line) - len(stripped), source_line=line)
            d.fixes.append(Edit(n, len(stripped) + 1, line[len(stripped):], ""))
            out.append(d)
    return out


#: Diagnostics of one rule reported per text; the last says how many more there are.  Each one
#: costs a look at the source line, so a paragraph of 10 000 bad dates stays linear.
PER_PARAGRAPH = 5


class _Each:
    """Collects the per-match diagnostics of one text, at most PER_PARAGRAPH of each code."""

    def __init__(self, out: list[Diagnostic]):
        self.out = out
        self.counts: dict[str, int] = {}
        self.last: dict[str, Diagnostic] = {}

    def room(self, code: str) -> bool:
        """Count one more *code*; whether it is still to be reported."""
        self.counts[code] = self.counts.get(code, 0) + 1
        return self.counts[code] <= PER_PARAGRAPH

    def add(self, d: Diagnostic) -> None:
        self.last[d.code] = d
        self.out.append(d)

    def close(self) -> None:
        for code, n in self.counts.items():
            if n > PER_PARAGRAPH:
                self.last[code].message += f"（这一段还有 {n - PER_PARAGRAPH} 处同样的问题）"


def _impossible(year: int | None, month: int, day: int) -> str | None:
    """Why year-month-day cannot be a date (the year, when not written, may be a leap year)."""
    import calendar

    if not 1 <= month <= 12:
        return "月份应为 1—12"
    last = calendar.monthrange(year or 2000, month)[1]
    if not 1 <= day <= last:
        return f"{f'{year}年' if year else ''}{month}月只有{last}天"
    return None


def _beside_chinese(text: str, i: int) -> bool:
    """Whether the character at *i* has Chinese text (ignoring spaces) right before or after it."""
    before = text[:i].rstrip(" ")
    after = text[i + 1:].lstrip(" ")
    return bool(before and is_wide(before[-1])) or bool(after and is_wide(after[0]))


def _lead_space(text: str) -> int:
    return len(text) - len(text.lstrip())


def _clip(text: str, n: int = 16) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "……"


def _context(text: str, start: int, end: int, n: int = 4) -> str:
    """The match with a few characters either side: "（……平台,是汇……）"."""
    a, b = max(0, start - n), min(len(text), end + n)
    snippet = " ".join(text[a:b].split())
    return f"（{'……' if a else ''}{snippet}{'……' if b < len(text) else ''}）"


# --- the fixes of jianbao check --fix ---------------------------------------------------------

def fix_at(src: Source, path: tuple, text: str, offset: int, old: str, new: str) -> Edit | None:
    """An edit that turns *old*, at *text*[offset:], into *new* in the source, when that place can be
    found for certain: the file holds *old* exactly there, outside any template ``{{ … }}``."""
    found = src.locate(path, text, offset, len(old))
    if found is None or "\n" in old:
        return None
    line, column = found
    lines = src.lines
    if not 0 < line <= len(lines):
        return None
    row = lines[line - 1]
    if row[column - 1: column - 1 + len(old)] != old:
        return None
    before = row[: column - 1]
    if before.count("{{") > before.count("}}") or before.count("{%") > before.count("%}"):
        return None
    return Edit(line, column, old, new)


# --- settings as the issue sees them ------------------------------------------------------------

def check_settings(bulletin: Bulletin, src: Source, layout=None, series_src: Source | None = None) -> list[Diagnostic]:
    """JB205 placeholders in the settings, JB403 no distribution, JB404 no copies, JB405 masthead too long."""
    out: list[Diagnostic] = []
    series = bulletin.series
    issue_data = src.data if isinstance(src.data, dict) else {}
    found: list[Source | None] = []

    def where(key: str) -> Source | None:
        """The file that sets *key*: the issue when it overrides it, else jianbao.yaml."""
        if key in issue_data:
            return src
        if series_src is not None:
            return series_src
        if not found:
            found.append(_find_series_source(src))
        return found[0]

    # A fresh office (``jianbao init``) has 待填 in its settings: they must not reach the masthead.
    texts: list[tuple[str, tuple, str]] = [(k, (k,), getattr(series, k)) for k in ("name", "editor", "mark")]
    for label, recipients in series.distribution.items():
        if isinstance(recipients, str):
            texts.append(("distribution", ("distribution", label), recipients))
        else:
            texts += [("distribution", ("distribution", label, i), r) for i, r in enumerate(recipients)]
    for key, path, text in texts:
        m = _PLACEHOLDER.search(text or "")
        s = where(key) if m else None
        if m and s is not None:
            out.append(s.at(path, text, m.start(), len(m.group()), "JB205",
                           f"{FIELD_NAMES_ZH.get(key, key)}中留有占位符“{m.group()}”{_context(text, m.start(), m.end())}",
                           hint=f"在 {Path(s.path).name} 中把它换成本单位的实际内容。"))

    if not series.distribution:
        s = where("distribution")
        out.append(_settings_diag(s, src, "JB403", "没有设置报尾发送范围（distribution），版记中将没有“报”“送”“发”各行",
                                  "distribution"))
    if series.copies is None:
        s = where("copies")
        out.append(_settings_diag(s, src, "JB404", "没有设置共印份数（copies），文末将不印“（共印×份）”", "copies"))
    if layout is not None:
        m = layout.masthead
        smallest = m.name_sizes[-1]
        if fit_size(series.name, [smallest], layout.page.text_width, m.name_char_spacing) is None:
            s = where("name")
            width_mm = round(twips_to_mm(layout.page.text_width))
            out.append(_settings_diag(
                s, src, "JB405",
                f"简报名称“{series.name}”共 {len(series.name)} 个字，用最小字号 {smallest:g} 磅一行也排不下"
                f"（版心宽 {width_mm} 毫米），报头将分两行印出", "name",
                hint=f"缩短名称（{smallest:g} 磅时一行约能排 {int(layout.page.text_width / pt_to_twips(smallest))} 个汉字），"
                     "或在版式预设的 masthead.name_sizes 中加入更小的字号。"))
    return out


def check_captions(issue: IssueFile, src: Source, layout) -> list[Diagnostic]:
    """JB804: a photo's caption that does not open with the preset's ``image.caption_lead`` (图为), or
    runs over ``image.caption_max_lines`` lines at the caption's size across the 版心 (the estimate of
    :func:`~jianbao.metrics.line_count`, the renderer's line breaking; the caption style has no
    character spacing)."""
    from .metrics import line_count

    lay = layout.image
    if lay.caption_lead is None and lay.caption_max_lines is None:
        return []
    out: list[Diagnostic] = []
    for node in walk(issue):
        if node.kind not in PHOTO_KINDS:
            continue
        caption, path = node.value.caption, node.path + ("caption",)
        if lay.caption_lead is not None and not caption.lstrip().startswith(lay.caption_lead):
            out.append(src.diagnostic(
                "JB804", f"图注没有以“{lay.caption_lead}”开头：“{_clip(caption)}”", path,
                hint=f"写作“{lay.caption_lead}……”，如“{lay.caption_lead}调研组在综合窗口了解办件情况。”"
                     "（本单位的版式预设 image.caption_lead 要求这样写）。"))
        most = lay.caption_max_lines
        if most is not None:
            n = line_count(caption, lay.caption.size, layout.page.text_width)
            if n > most:
                per = int(layout.page.text_width // pt_to_twips(lay.caption.size))
                out.append(src.diagnostic(
                    "JB804", f"图注约有 {n} 行，超过版式预设的 {most} 行：“{_clip(caption)}”", path,
                    hint=f"图注只说是谁、在哪里、做什么（{lay.caption.size:g} 磅时一行约 {per} 个字，"
                         f"{most} 行约 {per * most} 个字），其余的写进正文。"))
    return out


def check_title(issue: IssueFile, src: Source, layout) -> list[Diagnostic]:
    """JB216: a line of the article title that the 版心 cannot hold at the title's size (the
    renderer's line breaking, :func:`~jianbao.metrics.line_starts`; the Title style has the body's
    character spacing).  Lines written one by one are the shape the writer chose, so any wrap of one
    is reported; a title written as one line is reported when it wraps to a last line of one or two
    characters (“……便利化建 / 设”)."""
    from .metrics import line_starts

    out: list[Diagnostic] = []
    size = round(pt_to_twips(layout.fonts.title.size))
    per = int(layout.page.text_width // size)
    given = len(issue.title)
    for i, line in enumerate(issue.title):
        starts = line_starts(line, layout.page.text_width, size, layout.grid.char_spacing, 0)
        last = line[starts[-1]:]
        if len(starts) < 2 or (given == 1 and len(last.strip()) > 2):
            continue
        path = ("title", i) if isinstance(src.data, dict) and isinstance(src.data.get("title"), list) else ("title",)
        what = f"标题第 {i + 1} 行" if given > 1 else "标题"
        out.append(src.diagnostic(
            "JB216", f"{what}“{_clip(line)}”共 {len(line)} 个字，一行排不下，将折成 {len(starts)} 行，末行是“{last}”",
            path, hint=f"二号字一行约 {per} 个字：在意思完整处分行，把标题写成几行（title 下每行一项“- ……”）。"))
    return out


def _settings_diag(s: Source | None, issue_src: Source, code: str, message: str, key: str,
                   hint: str | None = None) -> Diagnostic:
    if s is None:  # jianbao.yaml could not be found or read: name the issue file instead
        return Diagnostic(code, message, file=issue_src.path, hint=hint)
    if isinstance(s.data, dict) and key in s.data:
        return s.diagnostic(code, message, (key,), hint=hint)
    return Diagnostic(code, message, file=s.path, hint=hint)


def _find_series_source(src: Source) -> Source | None:
    """The ``jianbao.yaml`` that governs the issue file *src* (loaded again; it is small)."""
    from .diagnostics import JianbaoError
    from .load import load_yaml
    from .office import display_path, find_settings

    settings = find_settings(Path(src.path).parent)
    if settings is None:
        return None
    try:
        return load_yaml(display_path(settings))
    except JianbaoError:
        return None
