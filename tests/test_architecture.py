"""The package's shape (issue #10): no import cycle, no private helper used across modules, the
pipeline's stages in one direction, and the layers where the README's Development section says.

Imports are read from the source with ``ast`` — those inside functions too, which is where a cycle
hides when it is made to "work" by importing late."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PKG = ROOT / "src" / "jianbao"


def _module(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module(p): p for p in sorted(PKG.rglob("*.py"))}


def _absolute(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if MODULES[module].name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str) -> dict[str, set[str]]:
    """{imported module: names taken from it} for every import in *module*, at any depth."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("jianbao"):
                    found.setdefault(a.name, set())
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(module, node)
            if not target.startswith("jianbao"):
                continue
            for a in node.names:
                sub = f"{target}.{a.name}"
                if sub in MODULES:  # from . import resolve
                    found.setdefault(sub, set())
                else:
                    found.setdefault(target, set()).add(a.name)
    return {k: v for k, v in found.items() if k != module}


IMPORTS = {m: _imports(m) for m in MODULES}
GRAPH = {m: {k: v for k, v in deps.items() if k in MODULES} for m, deps in IMPORTS.items()}


def _cycles() -> list[list[str]]:
    out, state, stack = [], {}, []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(GRAPH[m]):
            if n == "jianbao":  # the package's __init__ (version only)
                continue
            if state.get(n) == 1:
                out.append(stack[stack.index(n):] + [n])
            elif n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(GRAPH):
        if m not in state:
            visit(m)
    return out


def test_the_graph_is_read():
    # a sanity check of the reader itself: known edges are seen, function-level ones included
    assert "jianbao.document" in GRAPH["jianbao.check"]
    assert "jianbao.render.docx" in GRAPH["jianbao.pipeline"]  # imported inside compile_issue


def test_every_import_of_ours_names_a_module_that_exists():
    # a function-level import left behind by a move fails only when that function runs
    missing = sorted((m, k) for m, deps in IMPORTS.items() for k in deps if k not in MODULES)
    assert missing == []


def test_no_import_cycle():
    assert _cycles() == []


def _private_attributes(module: str) -> set[tuple[str, str]]:
    """(module, name) for every ``alias._name`` where *alias* is one of our modules imported whole."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and _absolute(module, node).startswith("jianbao"):
            for a in node.names:
                sub = f"{_absolute(module, node)}.{a.name}"
                if sub in MODULES:
                    aliases[a.asname or a.name] = sub
    return {(aliases[n.value.id], n.attr) for n in ast.walk(tree)
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id in aliases
            and n.attr.startswith("_") and not n.attr.startswith("__")}


def test_no_private_name_is_used_from_another_module():
    taken = sorted((m, t, name) for m, deps in GRAPH.items() for t, names in deps.items()
                   for name in names if name.startswith("_") and not name.startswith("__"))
    taken += sorted((m, t, name) for m in MODULES for t, name in _private_attributes(m))
    assert taken == []


#: The stages in pipeline order; a module may import an earlier one, never a later one.
STAGES = [
    ["jianbao.load"],
    ["jianbao.model", "jianbao.validate", "jianbao.layout"],
    ["jianbao.document", "jianbao.text", "jianbao.stages"],
    ["jianbao.figures.limits", "jianbao.figures.values", "jianbao.figures.sandbox", "jianbao.figures.archive",
     "jianbao.tables", "jianbao.images", "jianbao.resolve"],
    ["jianbao.check", "jianbao.check_figures"],
    ["jianbao.render.ooxml", "jianbao.render.styles", "jianbao.render.package", "jianbao.render.page",
     "jianbao.render.docx", "jianbao.render.html"],
    ["jianbao.write"],
]


def test_no_stage_imports_a_later_one():
    rank = {m: i for i, group in enumerate(STAGES) for m in group}
    wrong = sorted((m, n) for m, deps in GRAPH.items() if m in rank for n in deps
                   if n in rank and rank[n] > rank[m])
    assert wrong == []


def test_every_writer_has_a_method_for_every_kind_of_node():
    from typing import get_args

    from jianbao.document import Kind
    from jianbao.render import docx, html

    for writer in (docx._Body, html._Body):
        missing = [k for k in get_args(Kind) if not callable(getattr(writer, k, None))]
        assert missing == [], f"{writer.__module__} has no method for {missing}"
