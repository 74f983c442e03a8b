"""Read plain text (.txt, and what pdftotext gives for a .pdf) into paragraphs.

Two shapes of text come in: one paragraph per line (a bulletin saved from Word as text), and the
printed lines of a page (text extracted from a PDF: every line of the page its own line, often
with blank lines between).  The second is recognised by its many lines of nearly the same width;
its lines are joined back into paragraphs: a paragraph ends at a line clearly shorter than a full
one, and a new one starts at a typed numeral (一、（一）1.（1）) or an end-block row (报：发：).
Page-number lines (“— 4 —”) are dropped, and said so.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from .document import Document, Para, Run
from .guard import error

_PAGE_NUMBER = re.compile(r"^[—–\-－]\s*\d{1,3}\s*[—–\-－]$")
_STARTS = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.．、](?!\d)"
                     r"|(?:报|送|发|抄送|抄报|分送)[：:]|[（(]共印|编者按)")


def decode(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030 (GBK): what offices save."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise error("JB908", f"{path.name} 既不是 UTF-8 也不是 GBK 编码的文本（或者根本不是文本文件）", path)


def read_text_document(path: Path, text: str, kind: str = "txt") -> Document:
    from ..metrics import em_width

    doc = Document(path=path, kind=kind)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\x00-\x08\x0b\x0e-\x1f]", "", text)
    raw_lines: list[tuple[str, int, int]] = []  # (line, page, line number)
    page, number = 1, 0
    for chunk in text.split("\f"):
        for line in chunk.split("\n"):
            number += 1
            raw_lines.append((line.strip(" \t\u3000\u00a0"), page, number))
        page += 1
        number -= 1
    pages_known = kind == "pdf" and page > 2
    lines = []
    for line, pg, ln in raw_lines:
        if _PAGE_NUMBER.match(line):
            where = f"第{ln}行" if kind == "txt" else f"第{pg}页"
            doc.notes.append(f"{where}的页码“{line}”不属于正文，没有导入")
            continue
        lines.append((line, pg, ln))
    widths = [em_width(_squeeze(ln)) for ln, _, _ in lines if ln]
    full = _full_width(widths)
    if full is None and kind == "pdf":  # a PDF is always printed lines: the widest ones that recur
        recurring = [w for w, c in Counter(round(w) for w in widths).items() if c >= 2]
        full = float(max(recurring or [round(max(widths, default=28))]))
    n = 0
    current: list[str] = []
    current_page = current_line = 1

    def flush() -> None:
        nonlocal n, current
        if current:
            n += 1
            doc.blocks.append(Para(n=n, runs=[Run("".join(current))], page=current_page if pages_known else None,
                                   line=current_line if kind == "txt" else None))
            current = []

    for k, (line, pg, ln) in enumerate(lines):
        if not line:
            if full is None:
                flush()
            continue
        if full is None:  # one paragraph per line
            flush()
            current_page, current_line = pg, ln
            current = [line]
            flush()
            continue
        if current and _STARTS.match(line):
            flush()
        if not current:
            current_page, current_line = pg, ln
        current.append(line)
        following = next((nl for nl, _, _ in lines[k + 1:] if nl), "")
        if _ends_paragraph(line, full, first=len(current) == 1, following=following):
            flush()
    flush()
    doc.pages_known = pages_known
    return doc


def _ends_paragraph(line: str, full: float, *, first: bool, following: str) -> bool:
    """Whether a printed *line* is the last of its paragraph: clearly shorter than a full line
    (a first line is two characters shorter anyway: its indent) and ending like a paragraph, or
    very short, or followed by a numbered paragraph."""
    from ..metrics import em_width

    width = em_width(_squeeze(line))
    if width >= full - (3.5 if first else 1.5):
        return False
    return bool(re.search(r"[。！？；：”’）)…]$", line)) or width < 0.7 * full or bool(_STARTS.match(following))


def _squeeze(line: str) -> str:
    """The line without the spaces extraction adds between Chinese and digits."""
    return re.sub(r"(?<=\S) (?=\S)", "", line)


def _full_width(widths: list[float]) -> float | None:
    """The width of a full printed line, when the text is made of printed lines; else None."""
    if len(widths) < 6:
        return None
    rounded = Counter(round(w) for w in widths if w >= 10)
    if not rounded:
        return None
    mode = rounded.most_common(1)[0][0]
    near = sum(c for w, c in rounded.items() if abs(w - mode) <= 1)
    if 16 <= mode <= 45 and near >= 0.3 * len(widths):
        return float(mode)
    return None
