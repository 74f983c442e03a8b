"""Dependency files: what each output was built from, for ``make`` and for ``jianbao build DIR``.

Next to every output in ``build/`` (``build/2024-05-20.docx``) ``jianbao build`` writes
``build/2024-05-20.d`` in make's syntax, the way ``gcc -MD -MP`` does::

    # jianbao-inputs: ["issues/2024-05-20.yaml", "jianbao.yaml", "issues/2024-05-13.yaml"]
    build/2024-05-20.docx build/2024-05-20.pdf: issues/2024-05-20.yaml jianbao.yaml issues/2024-05-13.yaml
    issues/2024-05-13.yaml:
    build/2024-05-20.docx build/2024-05-20.pdf: $(foreach f,…)

* the first rule: the issue, ``jianbao.yaml``, a local layout preset and every other issue whose
  figures it read (``prev``, ``ytd``) — so that the office Makefile rebuilds this week's issue
  when last week's figures are corrected;
* an empty rule for each other file read (issues, a local preset, photos): when one is deleted or
  renamed, make rebuilds (and jianbao says what is missing) instead of stopping with "No rule";
* when the issue uses ``prev``/``ytd``: any issue file that has appeared since, and whose name
  sorts before this one (or is not named by date), is a prerequisite too — a new earlier issue
  changes the running totals.

``jianbao build DIR`` reads the ``jianbao-inputs`` line back: when the files an issue reads are no
longer the ones it was built from (a neighbour deleted or renamed), the output is out of date
even though every remaining file is older than it.

Paths are relative to the office folder (where the Makefile runs).  A path make cannot spell
(whitespace, ``:``, ``#``, ``$``, ``%``, a backslash, or outside the office) means no dependency
file is written, and any old one is removed: the Makefile then falls back to comparing each issue
with its own YAML.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .diagnostics import JianbaoError

_UNSPELLABLE = re.compile(r"[\s:#$%\\=;*?\[\]]")
HEADER = "# jianbao-inputs: "


def deps_path(out: Path) -> Path:
    """``build/2024-05-20.d`` for ``build/2024-05-20.docx``."""
    return Path(out).with_suffix(".d")


def _relative(path: Path, office: Path) -> str | None:
    try:
        return Path(path).resolve().relative_to(office.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return None


def prerequisites(prepared) -> list[Path]:
    """Everything the output of *prepared* depends on that lies in the office, in a fixed order."""
    office = Path(prepared.office)
    out: list[Path] = []
    for p in (prepared.path, prepared.series_src.path, prepared.layout_path, *prepared.inputs):
        if _relative(p, office) is not None and Path(p) not in out:
            out.append(Path(p))
    return out


def names(prepared) -> list[str]:
    """:func:`prerequisites` as office-relative names."""
    office = Path(prepared.office)
    return [n for p in prerequisites(prepared) if (n := _relative(p, office)) is not None]


def recorded(out: Path) -> list[str] | None:
    """The inputs an existing output was built from (None when unknown)."""
    try:
        with open(deps_path(out), encoding="utf-8") as f:
            first = f.readline(1 << 20)
    except (OSError, UnicodeDecodeError):
        return None
    if not first.startswith(HEADER):
        return None
    try:
        value = json.loads(first[len(HEADER):])
    except ValueError:
        return None
    return value if isinstance(value, list) and all(isinstance(v, str) for v in value) else None


def rules(prepared, out: Path) -> str | None:
    """The text of the dependency file of *out*, or None when make could not read its paths."""
    office = Path(prepared.office)
    where = _relative(out, office)
    inputs = names(prepared)
    found = [_relative(p, office) for p in (prepared.seen or [])]
    seen = [p for p in found if p is not None]
    if where is None or len(seen) < len(found) or any(_UNSPELLABLE.search(p) for p in [where, *inputs, *seen]):
        return None
    docx: str = where
    targets = f"{docx} {Path(docx).with_suffix('.pdf').as_posix()}"
    me = inputs[0]
    neighbours = [p for p in inputs[1:] if p != "jianbao.yaml"]  # other issues, a local preset, photos
    lines = [
        HEADER + json.dumps(inputs, ensure_ascii=False),
        "# 由 jianbao build 写出：这一期用到的文件（简报文件夹的 Makefile 读取它，改了其中任何一个都要重编）。",
        f"{targets}: {' '.join(inputs)}",
    ]
    if neighbours:
        lines.append(f"{' '.join(neighbours)}:")
    if prepared.seen:
        folder = Path(me).parent.as_posix()
        pool = f"$(filter-out {' '.join(sorted(set(seen)))},$(wildcard {folder}/*.yaml {folder}/*.yml))"
        earlier = f"$(if $(filter {me},$(firstword $(sort $(f) {me}))),,$(f))"
        test = f"$(if $(filter {folder}/1% {folder}/2%,$(f)),{earlier},$(f))" if dated_name(me) else "$(f)"
        lines.append("# 此后新出现的、排在本期之前（或不以日期命名）的期：可能改变 prev/ytd")
        lines.append(f"{targets}: $(foreach f,{pool},{test})")
    return "\n".join(lines) + "\n"


def dated_name(name: str) -> bool:
    """Whether an issue file is named by its date (``2024-05-20.yaml``, ``2024-05-20-zk.yaml``)."""
    return re.match(r"\d{4}-\d{2}-\d{2}", Path(name).name) is not None


def write(prepared, out: Path) -> None:
    """Write (or, when make could not read it, remove) the dependency file of *out*."""
    from .write import write_atomic

    path = deps_path(out)
    text = rules(prepared, out)
    if text is None:
        try:
            path.unlink()
        except OSError:
            pass
        return
    try:
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    try:
        write_atomic(path, text.encode("utf-8"))
    except JianbaoError:
        pass  # the output itself was written; without its dependency file make only compares it with its YAML
