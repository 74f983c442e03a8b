"""The bulletin's generated text, the same for every writer: the 期号 line, the period line and the
rows of the end block (numerals of sections and items are :mod:`jianbao.numbering`)."""

from __future__ import annotations

from .dates import cn_range
from .model import Bulletin, Series


def issue_line(bulletin: Bulletin) -> str:
    """第18期（总第356期） · 增刊第2期."""
    i = bulletin.issue
    line = f"增刊第{i.number}期" if i.supplement else f"第{i.number}期"
    if i.total is not None:
        line += f"（总第{i.total}期）"
    return line


def period_line(bulletin: Bulletin) -> str | None:
    p = bulletin.issue.period
    return f"（{cn_range(p.start, p.end)}）" if p else None


def end_block_rows(series: Series) -> list[tuple[str, str]]:
    """(label, text) of each 报/送/发 … row, in the order written: a list joined with the series'
    separator and closed with “。”, a string as it is."""
    return [(label, value if isinstance(value, str) else series.separator.join(value) + "。")
            for label, value in series.distribution.items()]


def copies_line(series: Series) -> str | None:
    """“（共印N份）”, when the series says how many."""
    return f"（共印{series.copies}份）" if series.copies else None
