"""Stage 1 — load: read a YAML file into plain Python data, remembering where every value was.

PyYAML composes a node tree that carries start and end marks; we build the Python values
ourselves from that tree so that each value's place survives as ``positions[path]``, where
*path* is the tuple of keys and indexes that leads to it (``("sections", 0, "items", 2)``).
Keys have their own place under ``path + (KEY,)`` so that an unknown key can be pointed at.

The loader also refuses what PyYAML would accept silently: duplicate keys, impossible dates
(``2024-04-31`` makes PyYAML raise a bare ``ValueError``), alias bombs, absurd nesting, and
characters that cannot be written into a Word document.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, Edit, JianbaoError
from .metrics import is_wide

KEY = "<key>"  # path suffix under which a mapping key's own position is stored

MAX_NODES = 200_000  # values built from one file, aliases counted each time they are used
MAX_DEPTH = 40  # nesting of mappings and lists
MAX_BYTES = 5_000_000  # an issue file is a few kilobytes; refuse anything absurd early

# Characters XML 1.0 cannot hold (tab, LF, CR are fine), plus lone surrogates and U+FFFE/FFFF.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Pos:
    line: int  # 1-based
    column: int  # 1-based
    end_line: int
    end_column: int


@dataclass
class Source:
    """A loaded YAML file: its data and where each value came from."""

    path: Path
    text: str
    data: Any
    positions: dict[tuple, Pos] = field(default_factory=dict)

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def pos(self, path: tuple, *, key: bool = False) -> Pos | None:
        """Position of the value at *path* (or of its key), else of the nearest ancestor."""
        path = tuple(path)
        if key and path + (KEY,) in self.positions:
            return self.positions[path + (KEY,)]
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), None)

    def diagnostic(self, code: str, message: str, path: tuple = (), *, key: bool = False,
                   hint: str | None = None, width: int | None = None) -> Diagnostic:
        """A diagnostic pointing at the value (or key) at *path* in this file."""
        p = self.pos(path, key=key)
        if p is None:
            return Diagnostic(code, message, file=self.path, hint=hint)
        lines = self.lines
        src = lines[p.line - 1] if 0 < p.line <= len(lines) else None
        if width is None:
            width = p.end_column - p.column if p.end_line == p.line else len(src or "") - p.column + 1
            width = max(1, width)
        return Diagnostic(code, message, file=self.path, line=p.line, column=p.column,
                          hint=hint, width=width, source_line=src)

    def at(self, path: tuple, text: str, offset: int, length: int, code: str, message: str,
           *, hint: str | None = None) -> Diagnostic:
        """A diagnostic at *text*[offset:offset+length], the string at *path*, else at the value's start."""
        d = self.diagnostic(code, message, path, hint=hint)
        found = self.locate(path, text, offset, length)
        if found is not None:
            line, column = found
            lines = self.lines
            d.line, d.column, d.width = line, column, max(1, length)
            d.source_line = lines[line - 1] if 0 < line <= len(lines) else None
        return d

    def locate(self, path: tuple, text: str, offset: int, length: int) -> tuple[int, int] | None:
        """(line, column) of the character at *offset* of the string value at *path*, if it can be found.

        Plain and simply quoted one-line scalars exactly; block, folded and escaped ones by finding
        the text around the character on one line of the value (when it is there once).
        """
        pos = self.positions.get(tuple(path))
        if pos is None and path and path[-1] == 0:  # ``body: 一段话`` was validated as ``[一段话]``
            pos = self.positions.get(tuple(path[:-1]))
        if pos is None:
            return None
        lines = self.lines
        if not 0 < pos.line <= len(lines):
            return None
        if pos.end_line == pos.line:
            raw = lines[pos.line - 1][pos.column - 1: pos.end_column - 1]
            if raw == text:  # plain scalar: the value is the source
                return pos.line, pos.column + offset
            if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"" and raw[1:-1] == text:
                return pos.line, pos.column + 1 + offset  # quoted, no escapes
        last = min(len(lines), max(pos.end_line, pos.line))
        needle = text[offset: offset + length]
        left, right = text[max(0, offset - 6): offset], text[offset + length: offset + length + 6]
        for before, after in ((left, right), ("", right), (left, ""), ("", "")):
            if "\n" in before + needle + after:
                continue
            hits = []
            for n in range(pos.line, last + 1):
                line = lines[n - 1]
                start = pos.column - 1 if n == pos.line else 0
                k = line.find(before + needle + after, start)
                while k != -1:
                    hits.append((n, k + len(before) + 1))
                    k = line.find(before + needle + after, k + 1)
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                return None
        return None


def read_text(path: Path) -> str:
    """Read *path* as UTF-8 text (a BOM is allowed), or raise a diagnostic."""
    try:
        raw = read_bounded(path, MAX_BYTES)
    except FileNotFoundError:
        raise JianbaoError(Diagnostic("JB001", f"文件不存在：{path}", file=path)) from None
    except IsADirectoryError:
        raise JianbaoError(Diagnostic("JB001", f"这是一个文件夹，不是文件：{path}", file=path)) from None
    except _NotRegular as exc:
        raise JianbaoError(Diagnostic("JB001", f"这不是普通文件（{exc}），jianbao 不读取它：{path}", file=path,
                                      hint="简报文件要是普通的文本文件；删除这个管道、设备或链接。")) from None
    except _TooBig as exc:
        raise JianbaoError(Diagnostic("JB006", f"文件过大（{exc.size} 字节），不像是一期简报", file=path,
                                      hint=f"一期简报的 YAML 通常只有几十 KB；上限 {MAX_BYTES} 字节。")) from None
    except OSError as exc:
        raise JianbaoError(Diagnostic("JB001", f"无法读取文件：{path}（{exc.strerror}）", file=path)) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise JianbaoError(Diagnostic("JB002", "文件是 UTF-16 编码，不是 UTF-8", file=path))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        guess = ""
        try:
            raw.decode("gb18030")
            guess = "（看起来是 GBK/GB18030 编码）"
        except UnicodeDecodeError:
            pass
        raise JianbaoError(Diagnostic("JB002", f"文件不是 UTF-8 编码{guess}", file=path, line=line)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def refuse_outside(path: Path, office: Path) -> None:
    """Refuse *path* (JB001, unread) when its links lead out of the *office* folder: a file
    linked from elsewhere (``issues/x.yaml`` → ``/etc/passwd``) must not be read, nor echoed in errors."""
    try:
        ok = Path(path).resolve().is_relative_to(Path(office).resolve())
    except (OSError, RuntimeError):  # a loop of links
        ok = False
    if not ok:
        raise JianbaoError(Diagnostic(
            "JB001", f"简报文件是指向简报文件夹之外的链接，jianbao 不读取它：{path}", file=path,
            hint=f"把文件本身放进 {office}（不要用符号链接指向别处）。"))


class _NotRegular(OSError):
    pass


class _TooBig(OSError):
    def __init__(self, size: int):
        super().__init__(f"{size} bytes")
        self.size = size


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file *path*, refused before reading when it is anything else (a
    FIFO would block for ever, /dev/zero never ends) or larger than *limit*; never more than
    *limit* + 1 bytes are read, even from a file that grows meanwhile."""
    import os
    import stat

    st = os.stat(path)  # follows links: a link to /dev/zero is a device
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(path)
    kinds = [(stat.S_ISFIFO, "命名管道"), (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"),
             (stat.S_ISSOCK, "套接字")]
    if not stat.S_ISREG(st.st_mode):
        raise _NotRegular(next((zh for test, zh in kinds if test(st.st_mode)), "特殊文件"))
    if st.st_size > limit:
        raise _TooBig(st.st_size)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)  # what was opened, in case the name changed hands since the stat
        if not stat.S_ISREG(st.st_mode):
            raise _NotRegular("特殊文件")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise _TooBig(max(size, st.st_size))
    return b"".join(chunks)


def load_yaml(path: Path, text: str | None = None, *, errors: list[Diagnostic] | None = None) -> Source:
    """Load one YAML file into a :class:`Source` (data + positions), or raise JianbaoError.

    With *errors*, problems that leave the data readable (an impossible date, a control character,
    a duplicate key …) are appended there and the source is returned, so that the later stages can
    say what else is wrong; a YAML syntax error still raises.
    """
    path = Path(path)
    if text is None:
        text = read_text(path)
    src = Source(path=path, text=text, data=None)
    said: list[Diagnostic] = []  # syntax errors read past by mending the text in memory
    readable = text
    while True:
        try:
            node = _compose(readable)
            break
        except yaml.MarkedYAMLError as exc:
            d = _syntax_diagnostic(exc, readable, path)
            d.source_line = _line(text, d.line) if d.line else d.source_line
            said.append(d)
            mended = _mend_syntax(d, readable) if len(said) < MAX_MENDS else None
            if mended is None or errors is None:
                raise JianbaoError(said) from None
            readable = mended
        except yaml.reader.ReaderError as exc:  # a character YAML (and Word) cannot hold
            line = text.count("\n", 0, exc.position) + 1
            column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
            lines = text.splitlines()
            raise JianbaoError(said + [Diagnostic(
                "JB008", f"第 {line} 行第 {column} 列有不可见的特殊字符 U+{exc.character:04X}", file=path,
                line=line, column=column, source_line=lines[line - 1] if line <= len(lines) else None)]) from None
        except yaml.YAMLError as exc:  # pragma: no cover - defensive: every other YAML error is marked
            raise JianbaoError(said + [Diagnostic("JB003", f"YAML 语法错误：{exc}", file=path)]) from None
        except RecursionError:
            raise JianbaoError(said + [Diagnostic("JB006", "YAML 嵌套过深", file=path)]) from None
    if said and errors is not None:
        errors += said
    builder = _Builder(src)
    src.data = None if node is None else builder.build(node, (), 0)
    if builder.errors:
        if errors is None:
            raise JianbaoError(builder.errors)
        errors += builder.errors
    return src


#: Syntax errors one load reads past (each mended in memory) before it gives up.
MAX_MENDS = 20


def _line(text: str, n: int) -> str:
    lines = text.splitlines()
    return lines[n - 1] if 0 < n <= len(lines) else ""


def _syntax_diagnostic(exc: yaml.MarkedYAMLError, text: str, path: Path) -> Diagnostic:
    """The diagnostic of a YAML syntax error: a trap explained, else PyYAML's problem translated."""
    mark = exc.problem_mark or exc.context_mark
    msg = _yaml_problem_zh(exc)
    d = Diagnostic("JB003", f"YAML 语法错误：{msg}", file=path)
    if mark is not None:
        lines = text.splitlines()
        d.line, d.column = mark.line + 1, mark.column + 1
        d.source_line = lines[mark.line] if mark.line < len(lines) else ""
        keyed = key_colon(lines, mark.line)
        if keyed is not None:
            keyed.file = path
            return keyed
        if _UNQUOTED_TEMPLATE.search(d.source_line):
            d.message = "YAML 语法错误：含模板 {{ }} 的文字没有加引号，YAML 把其中的“{”当成了映射的开始"
            d.hint = "含模板 {{ }} 或 {% %} 的文字要整体加引号，例如 body: \"本周咨询{{ 咨询 }}人次\""
        else:
            trap = yaml_trap(exc, lines)
            if trap is not None:
                d = trap
                d.file = path
    return d


def colon_fix(row: str, line: int, c: int) -> Edit | None:
    """Turn the half-width colon at 0-based column *c* of *row* (and the spaces after it) into “：”."""
    if c >= len(row) or row[c] != ":":
        return None
    end = c + 1
    while end < len(row) and row[end] == " ":
        end += 1
    if end < len(row) and row[end] == "#":  # "文字: # 注释": the comment must stay a comment
        return None
    return Edit(line, c + 1, row[c:end], "：")


def _mend_syntax(d: Diagnostic, text: str) -> str | None:
    """*text* with the trap *d* mended as its hint says (so that reading can go on and find the
    next problem, as a compiler does), or None when the right mend is not certain."""
    if d.line is None or d.column is None:
        return None
    lines = text.split("\n")
    n, c = d.line - 1, d.column - 1
    if not 0 <= n < len(lines) or not 0 <= c < len(lines[n]):
        return None
    row = lines[n]
    if d.code == "JB021" and row[c] == "-":
        lines[n] = row[: c + 1] + " " + row[c + 1:]
        d.fixes.append(Edit(d.line, d.column, "-", "- "))
    elif d.code == "JB020" and row[c] == ":":
        lines[n] = row[:c] + "：" + row[c + 1:]
        fix = colon_fix(row, d.line, c)
        if fix is not None:
            d.fixes.append(fix)
    elif d.code == "JB026" and row[c] in ":：":
        lines[n] = row[:c] + ": " + row[c + 1:]
        d.fixes.append(Edit(d.line, d.column, row[c], ": "))
    elif d.code == "JB026" and row[c] == " ":  # the missing colon
        lines[n] = row[:c] + ":" + row[c:]
        d.fixes.append(Edit(d.line, d.column, "", ":"))
    elif d.code == "JB024" and row[c] in "\"'[" and (opened := _opened_text(row)) is not None:
        close = opened[1]
        left, right = ("【", "】") if row[c] == "[" else ("“", "”")
        lines[n] = row[:c] + left + row[c + 1: close] + right + row[close + 1:]
        d.fixes += [Edit(d.line, c + 1, row[c], left), Edit(d.line, close + 1, row[close], right)]
    elif d.code == "JB024" and row[c] in "*&":
        lines[n] = row[:c] + ("＊" if row[c] == "*" else "＆") + row[c + 1:]
    else:
        return None
    return "\n".join(lines)


# "key: {{ x }}…" or "- {{ x }}…" or "[…{{ x }}…]" outside quotes: YAML reads the braces as a mapping
_UNQUOTED_TEMPLATE = re.compile(r"""(?:^|[:\-\[,]\s*)[^"'\s][^"']*\{[{%]|(?:^|[:\-\[,]\s*)\{[{%]""")

# --- parsing: libyaml where it reads the text exactly as PyYAML does -------------------------------

#: What libyaml and PyYAML's pure-Python parser read differently (found by fuzzing both with the
#: issue-file mutations of tests/test_properties.py and YAML token soup): the last node of a text
#: without a final line break (libyaml ends it on the next line), BOMs and the line breaks
#: other than LF, tabs, tags ("!"), and a comment glued to a block scalar's indicator ("|#").
#: Where an empty value sits ("{a: }") is checked on the nodes (:func:`_has_empty`).
_LIBYAML_DIFFERS = re.compile(r"[\t\r\x85\u2028\u2029\ufeff!]|[|>][-+0-9]*#")


def _libyaml_loader():
    """libyaml's parser under PyYAML's own composer, or None without PyYAML's C extension.

    The composer stays in Python so that deep nesting raises RecursionError as before, never
    overflows the C stack (libyaml's own composer is recursive C).
    """
    try:
        from yaml._yaml import CParser
    except ImportError:  # pragma: no cover - PyYAML built without libyaml
        return None
    from yaml.composer import Composer
    from yaml.resolver import Resolver

    class Loader(CParser, Composer, Resolver):
        def __init__(self, stream):
            CParser.__init__(self, stream)
            Composer.__init__(self)
            Resolver.__init__(self)

        get_single_node = Composer.get_single_node
        get_node = Composer.get_node
        check_node = Composer.check_node

    return Loader


_FAST_LOADER = _libyaml_loader()


def _compose(text: str) -> yaml.Node | None:
    """The node tree of *text*, as PyYAML's pure-Python parser would compose it.

    libyaml parses about ten times faster, so it reads the texts on which the two agree; if it
    fails for any reason the pure-Python parser reads the text again and raises its own error,
    which is what the messages below translate.
    """
    if _FAST_LOADER is not None and text.endswith("\n") and not _LIBYAML_DIFFERS.search(text):
        try:
            node = yaml.compose(text, Loader=_FAST_LOADER)
        except Exception:  # noqa: BLE001 - RecursionError, MemoryError … too: the slow path decides
            pass
        else:
            if node is None or not _has_empty(node):
                return node
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _has_empty(root: yaml.Node) -> bool:
    """Whether a scalar is empty where it stands (``key:`` with no value, ``{? }``): libyaml places
    such a node differently inside flow collections."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:  # anchors: a node may be reached twice, or hold itself
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            s, e = node.start_mark, node.end_mark
            if s.line == e.line and s.column == e.column:
                return True
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                todo += (k, v)
        else:
            todo += node.value
    return False


_PROBLEMS_ZH = [
    ("expected ',' or ']', but got '{'", "方括号列表里的一项含有“{”：含模板 {{ }} 的文字要加引号，例如 \"本周咨询{{ 咨询 }}人次\""),
    ("expected ',' or ']'", "方括号列表里缺少逗号，或某一项含有特殊字符（: { } [ ] ,）需要加引号"),
    ("expected ',' or '}'", "花括号映射里缺少逗号，或某个值含有特殊字符需要加引号"),
    ("mapping values are not allowed here", "这里不能出现“键: 值”（常见原因：冒号后缺空格、缩进不对，或文字中含英文冒号需要加引号）"),
    ("found character '\\t' that cannot start any token", "缩进里有制表符（Tab），YAML 只能用空格缩进"),
    ("found character '\\t'", "有制表符（Tab），YAML 只能用空格缩进"),
    ("could not find expected ':'", "缺少冒号“:”（或上一行的引号没有闭合）"),
    ("found unexpected end of stream", "文件意外结束（引号或括号没有闭合）"),
    ("did not find expected key", "缩进不对齐，或列表项“- ”与字段混在同一层"),
    ("did not find expected '-' indicator", "列表项缩进不一致"),
    ("expected <block end>, but found", "缩进不对齐"),
    ("found undefined alias", "使用了未定义的别名（*）"),
    ("while scanning a quoted scalar", "引号没有闭合"),
    ("found unknown escape character", "双引号内有无效的转义字符“\\”"),
]


def _yaml_problem_zh(exc: yaml.MarkedYAMLError) -> str:
    problem = f"{exc.context or ''} {exc.problem or ''}"
    for en, zh in _PROBLEMS_ZH:
        if en in problem:
            return zh
    return (exc.problem or str(exc)).strip()


# --- YAML traps, explained in the words of the people who fall into them ------------------------

#: ``-4月18日`` at the start of a line: a list item without the space after its dash.
_DASH_NO_SPACE = re.compile(r"^( *)-(?=[^\s\-])")
#: A key as YAML reads one: ASCII, no spaces (``title:``, ``body:``).
_ASCII_KEY = re.compile(r"^( *)(?:- +)*([A-Za-z_][A-Za-z0-9_]*) *:(?: |$)")


def _at_line(code: str, message: str, lines: list[str], line: int, column: int, *, hint: str,
             width: int = 1) -> Diagnostic:
    """A diagnostic at 0-based *line*/*column* of *lines* (the file is filled in by the caller)."""
    src = lines[line] if 0 <= line < len(lines) else ""
    return Diagnostic(code, message, line=line + 1, column=column + 1, hint=hint, width=width, source_line=src)


def dash_without_space(lines: list[str], upto: int) -> int | None:
    """The last line (0-based, at most *upto*) that starts with a dash glued to its text."""
    for n in range(min(upto, len(lines) - 1), -1, -1):
        m = _DASH_NO_SPACE.match(lines[n])
        if m and not lines[n].startswith("---"):
            return n
    return None


def dash_diagnostic(lines: list[str], n: int) -> Diagnostic:
    text = lines[n].strip()
    col = lines[n].index("-")
    return _at_line("JB021", f"列表项的“-”后面缺少空格：YAML 没有把“{text[:12]}”当成新的一项", lines, n, col,
                    hint=f"在“-”后加一个空格，写作“- {text[1:13]}{'……' if len(text) > 13 else ''}”。")


def _opened_text(line: str) -> tuple[int, int] | None:
    """(where it opens, where it closes) when *line* holds a text that opens with a half-width quote
    or “[” (after ``- `` or ``key: ``) and goes on after the closing one: ``- "高效办成一件事"推进会召开。``,
    ``- [重要]本周……`` (0-based columns), else None."""
    m = re.match(r"^ *(?:- +)*(?:[a-z_][a-z0-9_]*: +)?([\"'\[])", line)
    if m is None:
        return None
    c = m.start(1)
    close = line.find({"[": "]"}.get(line[c], line[c]), c + 1)
    rest = line[close + 1:].strip() if close != -1 else ""
    if not rest or rest[0] in "#:,":
        return None
    if line[c] == "[" and ("[" in line[c + 1: close] or "," in line[c + 1: close]):  # a real list, or not sure
        return None
    return c, close


#: A field name and then a full-width colon, or a colon with no space after it (``title：工作动态``,
#: ``title:2026年工作``): YAML reads the whole line as text and stumbles only on the line after.
_KEY_COLON = re.compile(r"^( *(?:- +)*)([a-z_][a-z0-9_]*) *(：|:(?=[^\s/#:]))")


#: The same at the start of a text that YAML read (``- lead：推进工作。`` is a paragraph, no error).
_TEXT_KEY_COLON = re.compile(r"([a-z_][a-z0-9_]*) *(：|:(?=[^\s/#:]))")
#: The fields a paragraph, an item or a section may hold: a text that starts with one of them and a
#: colon is a field written wrong, not prose.
BLOCK_FIELDS = frozenset({"title", "lead", "body", "items", "note", "subtitle", "image", "images", "caption",
                          "width", "table"})


#: A block field's name, a space and its value, without the colon: ``- image ../照片/a.jpg``.
_KEY_NO_COLON = re.compile(r"^( *(?:- +)*)(image|images|caption|title|lead|body|note|subtitle|width) +(?=[^\s:#])")


def key_colon_in_text(text: str) -> tuple[str, int, str] | None:
    """(field, offset of its colon, the colon) when *text* starts with a block field's name and a
    full-width colon or a colon with no space: ``lead：推进工作。``."""
    m = _TEXT_KEY_COLON.match(text)
    if m is None or m.group(1) not in BLOCK_FIELDS:
        return None
    return m.group(1), m.start(2), m.group(2)


def _content_above(lines: list[str], n: int) -> int | None:
    """The 0-based number of the last line before *n* that holds more than a comment, else None."""
    return next((k for k in range(n - 1, -1, -1) if lines[k].strip() and not lines[k].lstrip().startswith("#")), None)


def _field_shown(key: str, value: str) -> str:
    """``key: value`` as the hint of JB026 writes it, the value cut at 16 characters."""
    return f"{key}: {value[:16]}{'……' if len(value) > 16 else ''}"


def key_colon_words(key: str, colon: str, value: str) -> tuple[str, str]:
    """The message and hint of JB026 for field *key*, its *colon* and the *value* after it."""
    shown = _field_shown(key, value)
    if colon == "：":
        return (f"字段名“{key}”后面的冒号是全角“：”，YAML 没有把这一行读成字段“{key}”",
                f"字段名后用半角冒号加一个空格，写作“{shown}”（文字中的冒号仍用全角“：”）。")
    return (f"字段名“{key}”的冒号后面缺少空格，YAML 没有把这一行读成字段“{key}”",
            f"在冒号后加一个空格，写作“{shown}”。")


def key_colon(lines: list[str], n: int) -> Diagnostic | None:
    """The field whose colon is full-width or has no space after it, on 0-based line *n* where YAML
    failed or the line of content just above it (the earlier of the two), else None."""
    for k in (_content_above(lines, min(n, len(lines))), n):
        if k is None or k >= len(lines):
            continue
        m = _KEY_COLON.match(lines[k])
        if m is None:
            m = _KEY_NO_COLON.match(lines[k])
            if m is not None:  # “- image ../照片/a.jpg”: the colon is missing
                key, c = m.group(2), m.end(2)
                return _at_line("JB026", f"字段名“{key}”后面缺少冒号，YAML 没有把这一行读成字段“{key}”", lines, k, c,
                                hint=f"在字段名后加半角冒号，写作“{_field_shown(key, lines[k][c:].strip())}”。")
            continue
        key, colon, c = m.group(2), m.group(3), m.start(3)
        message, hint = key_colon_words(key, colon, lines[k][c + 1:].strip())
        return _at_line("JB026", message, lines, k, c, hint=hint)
    return None


def _tab_indent(lines: list[str], n: int) -> tuple[int, str] | None:
    """(spaces, why) for line *n* indented with tabs: as far in as the line above it says — under a
    “key:” two more, a list item where the item above has its dash, a field where the field above
    starts."""
    row = lines[n] if n < len(lines) else ""
    lead = len(row) - len(row.lstrip(" \t"))
    if "\t" not in row[:lead]:
        return None
    k = _content_above(lines, n)
    if k is None:
        return None
    above = lines[k].split(" #")[0].rstrip()
    levels = _indent_levels(above)
    what = above[levels[-1]:].split(":")[0].strip()[:12]
    if above.endswith(":"):
        return levels[-1] + 2, f"在第 {k + 1} 行的“{what}”之下，比它多缩进两格"
    if row.lstrip(" \t").startswith("- ") and len(levels) > 1:
        return levels[-2], f"与第 {k + 1} 行的“- ”对齐"
    return levels[-1], f"与第 {k + 1} 行的“{what}”对齐"


def _indent_levels(line: str) -> list[int]:
    """Columns where content can start on *line*: its indentation and after each ``- ``."""
    levels = [len(line) - len(line.lstrip(" "))]
    rest = line[levels[0]:]
    while rest.startswith("- "):
        k = 2 + len(rest[2:]) - len(rest[2:].lstrip(" "))
        levels.append(levels[-1] + k)
        rest = rest[k:]
    return levels


def _indent_diagnostic(lines: list[str], n: int) -> Diagnostic | None:
    """Line *n* is indented unlike every line above it: say how far, and which line it should match."""
    here = len(lines[n]) - len(lines[n].lstrip(" "))
    best = None
    for k in range(n - 1, -1, -1):
        if not lines[k].strip() or lines[k].lstrip().startswith("#"):
            continue
        for level in _indent_levels(lines[k]):
            if level != here and (best is None or abs(level - here) < abs(best[0] - here)
                                  or (abs(level - here) == abs(best[0] - here) and level > best[0] and k == best[1])):
                best = (level, k)
        if _indent_levels(lines[k])[0] < here:
            break
    if best is None:
        return None
    level, k = best
    what = lines[k][level:].strip()[:12]
    return _at_line("JB022", f"缩进不对齐：这一行缩进 {here} 格，应与第 {k + 1} 行的“{what}”对齐（{level} 格）",
                    lines, n, 0, width=max(1, here),
                    hint=f"同一层的字段和列表项“- ”要从同一列开始：把这一行改为缩进 {level} 格（只用空格）。")


def yaml_trap(exc: yaml.MarkedYAMLError, lines: list[str]) -> Diagnostic | None:
    """A plain explanation of the YAML error *exc* when it is one of the usual traps, else None."""
    mark = exc.problem_mark or exc.context_mark
    n = mark.line
    problem = f"{exc.context or ''} {exc.problem or ''}"
    line = lines[n] if n < len(lines) else ""
    dash = dash_without_space(lines, n)
    if dash is not None and dash >= n - 2:  # the error shows on the line of the glued dash or just below
        return dash_diagnostic(lines, dash)
    if "while scanning a quoted scalar" in problem and exc.context_mark is not None:
        at = exc.context_mark  # where the quote opened, not the end of the file where YAML noticed
        q = lines[at.line][at.column] if at.line < len(lines) and at.column < len(lines[at.line]) else "\""
        return _at_line("JB003", f"YAML 语法错误：从这里开始的引号“{q}”没有闭合", lines, at.line, at.column,
                        hint=f"在这段文字末尾补上“{q}”；文字中要用引号时，用全角的“”。")
    if "while scanning an alias" in problem or "while scanning an anchor" in problem:
        at = exc.context_mark or mark
        c = lines[at.line][at.column] if at.line < len(lines) and at.column < len(lines[at.line]) else "*"
        name = "别名" if c == "*" else "锚点"
        return _at_line("JB024", f"文字以“{c}”开头，YAML 把它当成了{name}的记号", lines, at.line, at.column,
                        hint=f"以“{c}”开头的文字要整段加引号，例如 - \"{lines[at.line][at.column:].strip()[:12]}\"。")
    if "found undefined alias" in problem:
        return _at_line("JB024", "文字以“*”开头，YAML 把它当成了别名的记号", lines, n, mark.column,
                        hint="以“*”开头的文字要整段加引号，例如 - \"*重点工作\"。")
    opened = _opened_text(line) if "expected <block end>, but found '<scalar>'" in problem else None
    if opened is not None and opened[1] < mark.column:
        c, close = opened
        inner, rest = line[c + 1: close], line[close + 1:].strip()
        lead = line[:c].strip()
        rest = rest[:16] + ("……" if len(rest) > 16 else "")
        if line[c] == "[":
            return _at_line("JB024", "文字以“[”开头，YAML 把方括号里的当成了列表，后面的文字接不上", lines, n, c,
                            hint=f"文中的方括号用全角，写作 {lead} 【{inner}】{rest}；或给整段加引号。")
        return _at_line("JB024", "文字以半角引号开头，YAML 只把引号里的当成了这一段，后面的文字接不上", lines, n, c,
                        hint=f"文中的引号用全角，写作 {lead} “{inner}”{rest}；或给整段加单引号。")
    if "found character '\\t'" in problem:
        want = _tab_indent(lines, n)
        hint = "把制表符换成空格（每一层缩进两个空格）；编辑器里可设置“按 Tab 键插入空格”。"
        if want is not None:
            hint = f"把行首的制表符换成 {want[0]} 个空格（{want[1]}，只用空格）；编辑器里可设置“按 Tab 键插入空格”。"
        return _at_line("JB023", "这里有制表符（Tab）：YAML 只能用空格缩进", lines, n, mark.column, hint=hint)
    if "mapping values are not allowed here" in problem:
        before = line[: mark.column]
        if any(is_wide(c) for c in before):
            return _at_line("JB020", "文字中的半角冒号“:”让 YAML 以为这里是“字段: 值”", lines, n, mark.column,
                            hint="文字中的半角冒号，改为全角“：”或给整段加引号。")
        m = _ASCII_KEY.match(line)
        if m and n > 0:
            return _indent_diagnostic(lines, n)
    if "expected <block end>" in problem or "did not find expected key" in problem \
            or "did not find expected '-' indicator" in problem:
        if n < len(lines) and line.strip():
            return _indent_diagnostic(lines, n)
    return None


_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
#: Numbers YAML 1.1 reads in another base: a leading zero (octal), ``:`` (base 60), ``0x``, ``0b``.
_YAML11_NUMBER = re.compile(r"^[-+]?(?:0[0-9_]+|0[xXbB]|[0-9][0-9_]*(?::[0-5]?[0-9])+)")
_STR = "tag:yaml.org,2002:str"
_DATEISH = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class _Builder:
    """Turns composed nodes into Python values and records their positions."""

    def __init__(self, src: Source):
        self.src = src
        self.constructor = yaml.constructor.SafeConstructor()
        self.count = 0
        self.errors: list[Diagnostic] = []

    def _record(self, path: tuple, node: yaml.Node) -> None:
        s, e = node.start_mark, node.end_mark
        self.src.positions.setdefault(path, Pos(s.line + 1, s.column + 1, e.line + 1, e.column + 1))

    def _fail(self, code: str, message: str, path: tuple, key: bool = False, hint: str | None = None):
        self.errors.append(self.src.diagnostic(code, message, path, key=key, hint=hint))

    def build(self, node: yaml.Node, path: tuple, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise JianbaoError(self.src.diagnostic("JB006", f"YAML 内容过大（超过 {MAX_NODES} 个值），可能是别名（*）展开造成的", path))
        if depth > MAX_DEPTH:
            raise JianbaoError(self.src.diagnostic("JB006", f"YAML 嵌套超过 {MAX_DEPTH} 层", path))
        self._record(path, node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if _holds_paragraphs(path):
                return self._paragraph_list(node, path, depth)
            return [self.build(child, path + (i,), depth + 1) for i, child in enumerate(node.value)]
        value = self._scalar(node, path)
        if isinstance(value, str) and "\n" in value and path and path[-1] != "items" and _holds_paragraphs(path):
            return self._split(value, node, path)  # ``body: |`` → one paragraph per line
        return value

    # --- paragraphs: a text of several lines is several paragraphs ------------------------------
    # ``body: |`` with three lines is three paragraphs, each indented like every other; so is a
    # ``- |`` element of a body list, and a ``- |`` item is one item of several paragraphs. Each
    # paragraph is given the place of its own line, so that what is said about it points there.

    def _split(self, value: str, node: yaml.ScalarNode, path: tuple) -> list[str]:
        paras = split_paragraphs(value)
        for k, pos in enumerate(_paragraph_places(self.src, node, paras)):
            self.src.positions[path + (k,)] = pos
        return paras

    def _paragraph_list(self, node: yaml.SequenceNode, path: tuple, depth: int) -> list:
        out: list = []
        items = path[-1] == "items"
        for child in node.value:
            if (isinstance(child, yaml.ScalarNode) and child.tag == _STR and "\n" in child.value
                    and split_paragraphs(child.value)):
                at = path + (len(out),)
                value = self._scalar(child, at)
                self._record(at, child)
                self.count += 1
                if items and len(split_paragraphs(value)) > 1:  # one item of several paragraphs
                    self.src.positions[at + ("body",)] = _pos(child)
                    out.append({"body": self._split(value, child, at + ("body",))})
                    continue
                paras = split_paragraphs(value)
                for k, pos in enumerate(_paragraph_places(self.src, child, paras)):
                    self.src.positions[path + (len(out) + k,)] = pos
                out += paras
                continue
            out.append(self.build(child, path + (len(out),), depth + 1))
        return out

    def _glued_dash(self, node: yaml.ScalarNode, path: tuple) -> None:
        """``-4月18日`` on a line of its own: YAML read it as text (joined to the lines around it),
        not as a list item."""
        lines = self.src.lines
        s, e = node.start_mark, node.end_mark
        for n in range(s.line, min(e.line, len(lines) - 1) + 1):
            m = _DASH_NO_SPACE.match(lines[n])
            if m and (n > s.line or s.column == len(m.group(1))) and not lines[n].startswith("---"):
                self.errors.append(dash_diagnostic(lines, n))
                self.errors[-1].file = self.src.path
                self.errors[-1].fixes.append(Edit(n + 1, len(m.group(1)) + 1, "-", "- "))
                return

    def _mapping(self, node: yaml.MappingNode, path: tuple, depth: int) -> dict:
        out: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._fail("JB003", "不支持 YAML 合并键“<<”", path + (str(key_node.value),), hint="直接写出各个字段。")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.src.positions[path + ("?", KEY)] = _pos(key_node)
                self._fail("JB003", "字段名必须是文字（以“{”开头的值被 YAML 当成了映射）", path + ("?",), key=True,
                           hint="含模板 {{ }} 的文字要整体加引号，例如 body: \"本周咨询{{ 咨询 }}人次\"")
                continue
            key = key_node.value  # keys are names: keep them as written (``1: x`` gives "1")
            kpath = path + (key,)
            if key in out:
                self.src.positions[kpath + ("dup", KEY)] = _pos(key_node)
                first = self.src.positions.get(kpath + (KEY,))
                where = f"（第一次出现在第 {first.line} 行）" if first else ""
                hint = None
                if key in ("body", "items", "note") and isinstance(value_node, yaml.ScalarNode):
                    earlier = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
                    if isinstance(earlier, yaml.ScalarNode) and earlier.value and value_node.value:
                        pad = " " * key_node.start_mark.column
                        def cut(text: str) -> str:
                            return text[:20] + ("……" if len(text) > 20 else "")

                        hint = (f"两段都要印出时，写在同一个 {key} 下，每段一行“- ”：\n{pad}{key}:\n"
                                f"{pad}  - {cut(earlier.value)}\n{pad}  - {cut(value_node.value)}")
                self._fail("JB004", f"字段“{key}”重复出现{where}", kpath + ("dup",), key=True, hint=hint)
                continue
            self.src.positions[kpath + (KEY,)] = _pos(key_node)
            problem = bad_character(key)
            if problem:  # keys are printed too (报尾 “报：”), and must go into XML like values
                self._fail("JB008", f"字段名中{problem}", kpath, key=True)
            out[key] = self.build(value_node, kpath, depth + 1)
        return out

    def _yaml11_number(self, node: yaml.ScalarNode, path: tuple) -> Any:
        """JB113: a number YAML 1.1 reads as something other than it looks (octal, base 60, hex)."""
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError):
            value = node.value
        message, hint = _yaml11_number_message(node.value, value)
        self._fail("JB113", message, path, hint=hint)
        return node.value

    def _scalar(self, node: yaml.ScalarNode, path: tuple) -> Any:
        if node.tag == _TIMESTAMP:
            m = _DATEISH.match(node.value)
            try:
                value = self.constructor.construct_object(node, deep=True)
            except ValueError:
                y, mo, d = (int(g) for g in m.groups()) if m else (0, 0, 0)
                self._fail("JB104", _impossible_date_message(node.value, y, mo, d), path,
                           hint=_impossible_date_hint(y, mo, d))
                return node.value
            return value
        if node.tag == _STR:  # most values: what SafeConstructor.construct_yaml_str returns
            value = node.value
            if node.style != "|" and node.start_mark.line != node.end_mark.line:
                value = _unfold_cjk(value, node, self.src.lines)
        elif (node.tag == _INT and _YAML11_NUMBER.match(node.value)) or (node.tag == _FLOAT and ":" in node.value):
            return self._yaml11_number(node, path)
        else:
            try:
                value = self.constructor.construct_object(node, deep=True)
            except (ValueError, yaml.constructor.ConstructorError) as exc:
                if node.tag == "tag:yaml.org,2002:int" and "digits" in str(exc):
                    self._fail("JB102", f"数字位数太多（{len(node.value)} 位），不像是简报中的数", path)
                else:
                    shown = node.value if len(node.value) <= 40 else node.value[:39] + "…"
                    self._fail("JB102", f"无法识别的值：{shown}（{str(exc)[:200]}）", path)
                return node.value
        if isinstance(value, str) and not node.style:  # plain (libyaml says "", PyYAML None)
            self._glued_dash(node, path)
        if isinstance(value, str):
            bad = _BAD_CHARS.search(value)
            if bad:
                self._fail("JB008", f"第 {bad.start() + 1} 个字符是控制字符 U+{ord(bad.group()):04X}", path)
        return value


def _unfold_cjk(value: str, node: yaml.ScalarNode, lines: list[str]) -> str:
    """*value* without the spaces YAML put where it joined two lines of Chinese.

    YAML folds the lines of a ``>`` block (and of a plain or quoted text over several lines) with
    a space, as for English; between two Chinese characters that space would be printed. Each
    line break of the source whose two sides are wide characters loses its space.
    """

    out, cursor = value, 0
    first, last = node.start_mark.line, min(node.end_mark.line, len(lines) - 1)
    for n in range(first, last):
        a, b = lines[n].rstrip(), lines[n + 1].strip()
        if not a or not b or not is_wide(a[-1]) or not is_wide(b[0]):
            continue
        k = out.find(f"{a[-1]} {b[0]}", cursor)
        if k != -1:
            out = out[: k + 1] + out[k + 2:]
            cursor = k + 1
    return out


def _holds_paragraphs(path: tuple) -> bool:
    """Whether the value at *path* is a list of paragraphs (or of items): the issue's ``note`` and
    ``body`` (and its ``title``, a list of lines), and the ``body`` and ``items`` of a section or item."""
    if path == ("title",):
        return True
    if not path or path[-1] not in ("body", "note", "items"):
        return False
    if len(path) == 1:
        return path[0] != "items"
    return path[-1] != "note" and len(path) >= 3 and path[-3] in ("sections", "items")


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of a text of several lines: each non-empty line, without spaces at its ends.

    A ``|`` block keeps the lines as they were typed (or pasted from Word, where each paragraph is
    one line), so each line is a paragraph; a ``>`` block has already joined the lines of a
    paragraph, leaving one line per blank-line-separated block.
    """
    return [line.strip(" \t") for line in text.split("\n") if line.strip(" \t")]


def _paragraph_places(src: Source, node: yaml.ScalarNode, paras: list[str]) -> list[Pos]:
    """Where each of *paras* (split from the multi-line scalar *node*) starts in the source."""
    lines = src.lines
    start, end = node.start_mark.line, min(node.end_mark.line, len(lines) - 1)
    places: list[Pos] = []
    n = start + (1 if node.style in ("|", ">") else 0)  # block text begins below its indicator
    for para in paras:
        probe = para[:4]
        while n <= end and probe not in lines[n]:
            n += 1
        if n > end:
            places.append(_pos(node))
            n = start
            continue
        col = lines[n].find(probe)
        one_line = lines[n].find(para, col) == col
        places.append(Pos(n + 1, col + 1, n + 1, col + 1 + len(para)) if one_line
                      else Pos(n + 1, col + 1, n + 1, len(lines[n]) + 1))
        n += 1
    return places


def _yaml11_number_message(text: str, value) -> tuple[str, str]:
    """What YAML 1.1 makes of *text* (``012`` → 10, ``1:20`` → 80, ``0x1F`` → 31), and what to write."""
    digits = text.lstrip("+-").replace("_", "")
    if ":" in digits:
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        return (f"“{text}”会被 YAML 读成六十进制数 {shown}（1:20 = 1×60+20），不是“{text}”",
                f"要印出“{text}”这样的文字（比分、时刻），加引号：\"{text}\"；要写数，直接写 {shown}。")
    if digits[:2] in ("0x", "0b"):
        base = "十六进制" if digits[:2] == "0x" else "二进制"
        return (f"“{text}”是{base}写法，YAML 读成 {value}",
                f"数字写成十进制：{value}；要印出“{text}”这样的文字，加引号：\"{text}\"。")
    decimal = digits.lstrip("0") or "0"
    return (f"“{text}”以 0 开头，会被 YAML 读成八进制数 {value}，不是 {decimal}",
            f"数字前不加 0，写作 {decimal}；要印出“{text}”这样的文字（编号），加引号：\"{text}\"。")


def _pos(node: yaml.Node) -> Pos:
    s, e = node.start_mark, node.end_mark
    return Pos(s.line + 1, s.column + 1, e.line + 1, e.column + 1)


def bad_character(text: str) -> str | None:
    """Why *text* cannot be written into a Word document (XML 1.0), or None."""
    bad = _BAD_CHARS.search(text)
    if bad is None:
        return None
    return f"第 {bad.start() + 1} 个字符是控制字符 U+{ord(bad.group()):04X}"


def _impossible_date_message(text: str, y: int, m: int, d: int) -> str:
    if not 1 <= y <= 9999:
        return f"日期不存在：{text}（年份应为 1—9999）"
    if 1 <= m <= 12:
        import calendar

        last = calendar.monthrange(y, m)[1]
        return f"日期不存在：{text}（{y}年{m}月只有{last}天）"
    return f"日期不存在：{text}（月份应为 1—12）"


def _impossible_date_hint(y: int, m: int, d: int) -> str:
    if 1 <= m <= 12 and 1 <= y <= 9999:
        import calendar

        last = calendar.monthrange(y, m)[1]
        return f"改为该月实际存在的日期，例如 {dt.date(y, m, last).isoformat()}。"
    return "日期写作 年-月-日，例如 2024-05-13。"
