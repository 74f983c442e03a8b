"""The document tree of a bulletin, and the one walk over it.

An issue file, once validated, is a tree (:class:`~jianbao.model.IssueFile`): front matter
(编者按, title lines, subtitle), unnumbered body blocks, and sections whose items nest to four
levels, each holding a heading or a run-in lead, body blocks (paragraphs, tables) and items.  Every
stage that reads that tree — the figures (templates, tables), the rules, ``jianbao new``, the
writers — reads it through :func:`walk`, which yields one :class:`Node` per thing in print order
with its *path* (the keys and indexes that lead to it in the YAML, which is what
:class:`~jianbao.load.Source` maps to line and column), its level and its generated numeral.
Transformations of the text (templates rendered, tables finished) go through :func:`map_texts`.

This module is the only one that knows the shape of the tree: adding a block kind (a photo, say)
is a change here, in the model, and one function per writer.

Like pandoc's ``Text.Pandoc.Walk`` over its AST, the walk is generic and the stages are not: a
stage picks the kinds it cares about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from .model import ImageBlock, ImagesBlock, IssueFile, Item, Section, Table, TableBlock
from .numbering import MAX_LEVEL, marker

Path_ = tuple  # keys and list indexes from the issue file's root, as in Source.positions

#: What a node is.  Containers: ``section`` (level 1), ``item`` (levels 2–4).  Text: ``note`` (a
#: paragraph of 编者按), ``title`` (one line of the article title), ``subtitle``, ``heading`` (a
#: standalone section or item title), ``lead`` (a run-in heading), ``paragraph``.  Blocks:
#: ``table``, ``image`` (a photo and its caption), ``images`` (two or three photos side by side, one caption).
Kind = Literal["section", "item", "note", "title", "subtitle", "heading", "lead", "paragraph", "table", "image",
               "images"]

TEXT_KINDS = frozenset({"note", "title", "subtitle", "heading", "lead", "paragraph"})
#: Blocks of photos, each with one caption.
PHOTO_KINDS = frozenset({"image", "images"})
#: Text kinds that print as headings, not as paragraphs of running text.
HEADING_KINDS = frozenset({"title", "subtitle", "heading", "lead"})


@dataclass(frozen=True, slots=True)
class Node:
    """One thing of the tree, where it sits and how it is numbered.

    *value* is the text (``str``) of a text node, the :class:`~jianbao.model.Table` of a table
    node, and the :class:`~jianbao.model.Section` / :class:`~jianbao.model.Item` (or the string of
    a string item) of a container.  *level* is 1–4 inside the sections and 0 outside them;
    *number* the container's position among its siblings (1-based; 0 outside). *marker* is the
    generated numeral ("一、", "（一）", "1.", "（1）") on the container and on the one text that
    prints it (its heading, its lead or its first paragraph); *run_in* marks the paragraph that
    continues a lead in the same printed paragraph.
    """

    kind: Kind
    path: Path_
    value: Any
    level: int = 0
    number: int = 0
    marker: str | None = None
    run_in: bool = False

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def is_heading(self) -> bool:
        return self.kind in HEADING_KINDS


def walk(issue: IssueFile) -> Iterator[Node]:
    """Every node of *issue* in print order: 编者按, title lines, subtitle, the body blocks before
    the first section, then each section and its content depth first."""
    for i, text in enumerate(issue.note):
        yield Node("note", ("note", i), text)
    for i, text in enumerate(issue.title):
        yield Node("title", ("title", i), text)
    if issue.subtitle is not None:
        yield Node("subtitle", ("subtitle",), issue.subtitle)
    yield from _blocks(issue.body, ("body",), 0)
    for i, section in enumerate(issue.sections):
        yield from _container("section", section, ("sections", i), 1, i + 1)


def _container(kind: Kind, node: Section | Item | str, path: Path_, level: int, number: int) -> Iterator[Node]:
    mk = marker(level, number) if level <= MAX_LEVEL else None  # past four levels: JB109
    yield Node(kind, path, node, level, number, mk)
    if isinstance(node, str):  # a string item: one numbered paragraph
        yield Node("paragraph", path, node, level, number, mk)
        return
    body = list(enumerate(node.body))
    if node.title is not None:
        yield Node("heading", path + ("title",), node.title, level, number, mk)
    elif node.lead is not None:
        yield Node("lead", path + ("lead",), node.lead, level, number, mk)
        if body and isinstance(body[0][1], str):  # a table cannot run in: the lead stands alone
            j, text = body.pop(0)
            yield Node("paragraph", path + ("body", j), text, level, number, run_in=True)
    else:  # only body paragraphs: the first one prints the numeral
        j, text = body.pop(0)
        yield Node("paragraph", path + ("body", j), text, level, number, mk)
    for j, block in body:
        yield from _block(block, path + ("body", j), level, number)
    for k, child in enumerate(node.items):
        yield from _container("item", child, path + ("items", k), level + 1, k + 1)


def _blocks(blocks: list, path: Path_, level: int, number: int = 0) -> Iterator[Node]:
    for j, block in enumerate(blocks):
        yield from _block(block, path + (j,), level, number)


def _block(block: str | TableBlock | ImageBlock | ImagesBlock, path: Path_, level: int,
           number: int) -> Iterator[Node]:
    if isinstance(block, str):
        yield Node("paragraph", path, block, level, number)
    elif isinstance(block, ImageBlock):
        yield Node("image", path, block, level, number)
    elif isinstance(block, ImagesBlock):
        yield Node("images", path, block, level, number)
    else:
        yield Node("table", path + ("table",), block.table, level, number)


# --- the strings of the tree --------------------------------------------------------------------

def texts(issue: IssueFile, *, cells: bool = True) -> Iterator[tuple[Path_, str]]:
    """(path, text) of every string that prints: the text nodes, and table captions and text cells
    (unless *cells* is false)."""
    for node in walk(issue):
        if node.is_text:
            yield node.path, node.value
        elif node.kind == "table" and cells:
            yield from table_texts(node.value, node.path)
        elif node.kind in PHOTO_KINDS:
            yield node.path + ("caption",), node.value.caption


def table_texts(t: Table, path: Path_) -> Iterator[tuple[Path_, str]]:
    """(path, text) of a table's caption and of its text cells (numbers are not text)."""
    yield path + ("caption",), t.caption
    for j, v in enumerate(t.header):
        if isinstance(v, str):
            yield path + ("header", j), v
    for r, row in enumerate(t.rows):
        for c, v in enumerate(row):
            if isinstance(v, str):
                yield path + ("rows", r, c), v


def images(issue: IssueFile) -> Iterator[tuple[Path_, ImageBlock | ImagesBlock]]:
    """(path, block) of every photo block: a photo, or a row of them."""
    for node in walk(issue):
        if node.kind in PHOTO_KINDS:
            yield node.path, node.value


def photo_files(block: ImageBlock | ImagesBlock, path: Path_) -> list[tuple[Path_, str]]:
    """(path, file) of each photo of a photo block, left to right: the path leads to the string that
    names the file (``image``, or ``images`` and its index)."""
    if isinstance(block, ImageBlock):
        return [(path + ("image",), block.image)]
    return [(path + ("images", k), name) for k, name in enumerate(block.images)]


def tables(issue: IssueFile) -> Iterator[tuple[Path_, Table]]:
    """(path, table) of every table, the path leading to its ``table`` mapping."""
    for node in walk(issue):
        if node.kind == "table":
            yield node.path, node.value


TextFn = Callable[[Path_, str], str]
TableFn = Callable[[Path_, Table], Table]


def map_texts(issue: IssueFile, fn: TextFn, table_fn: TableFn | None = None) -> IssueFile:
    """A copy of *issue* with every string replaced by ``fn(path, text)`` (table captions and text
    cells included); then every table by ``table_fn(path, table)``.  Only what changes is copied."""
    changes: dict[Path_, Any] = {}
    for path, text in texts(issue):
        new = fn(path, text)
        if new is not text:
            changes[path] = new
    if table_fn is not None:
        for node in walk(issue):
            if node.kind == "table":
                t = replace(node.value, {p[len(node.path):]: v for p, v in changes.items()
                                         if p[: len(node.path)] == node.path})
                done = table_fn(node.path, t)
                changes = {p: v for p, v in changes.items() if p[: len(node.path)] != node.path}
                if done is not node.value:
                    changes[node.path] = done
    return replace(issue, changes)


def replace(root: Any, changes: dict[Path_, Any]) -> Any:
    """*root* with the value at each path of *changes* replaced: models and lists along the way are
    copied, the rest shared.  A path may end inside another one's replacement only if it was not
    replaced itself."""
    if not changes:
        return root
    tree: dict = {}
    for path, value in changes.items():
        t = tree
        for key in path[:-1]:
            t = t.setdefault(key, {})
        t[path[-1]] = _Leaf(value)
    return _rebuild(root, tree)


class _Leaf:
    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value


def _rebuild(obj: Any, tree: dict) -> Any:
    def new(old: Any, sub: Any) -> Any:
        return sub.value if isinstance(sub, _Leaf) else _rebuild(old, sub)

    if isinstance(obj, list):
        out = list(obj)
        for index, sub in tree.items():
            out[index] = new(obj[index], sub)
        return out
    return obj.model_copy(update={key: new(getattr(obj, key), sub) for key, sub in tree.items()})
