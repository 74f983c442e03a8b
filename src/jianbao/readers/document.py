"""What every reader produces: the paragraphs and tables of a finished bulletin, with formatting.

A reader (:mod:`.docx`, :mod:`.text`, :mod:`.pdf`) turns a file into a :class:`Document`: a flat
list of blocks in reading order, each :class:`Para` carrying its runs with the formatting the
structure recogniser (:mod:`.structure`) looks at (bold, font, size, colour, alignment, style,
a bottom border) and where it sat in the original (paragraph number, page when known).  Images
and text boxes are listed, never silently dropped.  Nothing here imports python-docx or lxml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Run:
    """A stretch of text with one effective formatting (styles already resolved)."""

    text: str
    bold: bool = False
    font: str | None = None  # East Asian face, e.g. 黑体 / 楷体_GB2312 / 仿宋_GB2312
    size: float | None = None  # points
    color: str | None = None  # RRGGBB
    style: str | None = None  # character style id (jianbao's JBLead2 …)


@dataclass
class Para:
    """One paragraph of the original."""

    n: int  # paragraph number: 1-based, counting the non-empty paragraphs of the body and its tables
    runs: list[Run] = field(default_factory=list)
    style: str | None = None  # paragraph style id (Heading1, Title, JBMasthead …) or a Word name
    align: str | None = None  # left / center / right / both
    border_bottom: bool = False
    page: int | None = None  # 1-based, when the file records where pages break
    page_estimated: bool = False
    outline: int | None = None  # 0-based outline level from the paragraph or its style
    auto_number: str | None = None  # the number Word's automatic numbering prints before the text
    line: int | None = None  # first line in a text file (.txt): places are given by line there

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    def place(self) -> str:
        """“第2页第15段” (or “约第2页” when the page is estimated); “第12行” in a text file."""
        if self.line is not None:
            return f"第{self.line}行"
        if self.page is None:
            return f"第{self.n}段"
        return f"{'约' if self.page_estimated else ''}第{self.page}页第{self.n}段"


@dataclass
class Table:
    """A table of the original: rows of cells, each cell its paragraphs."""

    n: int  # number of the first paragraph in it
    rows: list[list[list[Para]]]
    floating: bool = False
    page: int | None = None
    page_estimated: bool = False
    widths: list[int] = field(default_factory=list)  # column widths in twips (w:tblGrid), when given
    aligns: list[list[str | None]] = field(default_factory=list)  # per row, each cell's first paragraph's

    def cell_texts(self) -> list[list[str]]:
        return [["\n".join(p.text for p in cell).strip() for cell in row] for row in self.rows]

    def paragraphs(self) -> list[Para]:
        return [p for row in self.rows for cell in row for p in cell]

    def place(self) -> str:
        if self.page is None:
            return f"第{self.n}段起的表格"
        return f"{'约' if self.page_estimated else ''}第{self.page}页第{self.n}段起的表格"


@dataclass
class Object:
    """An image or a text box: listed in the warnings, not imported."""

    kind: str  # "image" / "textbox"
    n: int  # paragraph it is anchored in (the paragraph number of the nearest one)
    text: str = ""  # a text box's text
    page: int | None = None


@dataclass
class Document:
    """A whole file, read."""

    path: Path
    kind: str  # docx / txt / pdf (after conversion: the original suffix is in ``converted_from``)
    blocks: list[Para | Table] = field(default_factory=list)
    objects: list[Object] = field(default_factory=list)
    pages_known: bool = False  # page numbers come from the file (Word's rendered page breaks)
    converted_from: str | None = None  # doc / wps / odt when LibreOffice converted it
    notes: list[str] = field(default_factory=list)  # what the reader dropped on purpose (page-number lines …)

    def paragraphs(self) -> list[Para]:
        out: list[Para] = []
        for b in self.blocks:
            out += b.paragraphs() if isinstance(b, Table) else [b]
        return out
