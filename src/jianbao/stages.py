"""What each stage of the pipeline hands to the next (:mod:`jianbao.pipeline` runs them).

Distinct types, so that a stage takes only what the stage before it made: the rules take a
:class:`Resolved` issue and cannot be handed one whose templates have not run, and nothing resolves
an issue twice.  Plain data: no stage logic lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic
from .layout import Layout
from .load import Source
from .model import Bulletin


@dataclass(frozen=True)
class Loaded:
    """Stage 1 — read: the issue file and its office's ``jianbao.yaml``, with source positions."""

    path: Path
    office: Path
    issue_src: Source
    series_src: Source
    problems: tuple[Diagnostic, ...] = ()  # errors the loader read past (an impossible date …)


@dataclass(frozen=True)
class Validated:
    """Stage 2 — validate: the models merged (templates not yet rendered) and the layout preset."""

    loaded: Loaded
    bulletin: Bulletin
    layout: Layout
    layout_path: Path
    #: Errors found so far (load and validation): the bulletin is then a model of the valid part
    #: only — invalid values dropped or stood in for — that later stages check but never print.
    problems: tuple[Diagnostic, ...] = ()
    left_out: tuple[tuple[int, int], ...] = ()  # the line spans stood in for


@dataclass(frozen=True)
class Resolved:
    """Stage 3 — resolve: every string final (figures and templates rendered, tables finished)."""

    validated: Validated
    bulletin: Bulletin
    inputs: tuple[Path, ...] = ()  # the other issue files read for prev/ytd
    seen: tuple[Path, ...] | None = None  # when prev/ytd are used: every issue file of the folder
    unfilled: tuple[Diagnostic, ...] = ()  # a draft's figures still 待填 (JB205), printed as 待填

    @property
    def issue_src(self) -> Source:
        return self.validated.loaded.issue_src

    @property
    def series_src(self) -> Source:
        return self.validated.loaded.series_src

    @property
    def layout(self) -> Layout:
        return self.validated.layout

    @property
    def templates(self) -> Bulletin:
        """The bulletin as written, before its templates ran (what the figure rules read)."""
        return self.validated.bulletin


@dataclass
class Checked:
    """Stage 4 — check: a resolved issue without errors, and its warnings; ready to render."""

    resolved: Resolved
    warnings: list[Diagnostic] = field(default_factory=list)
    open: list[Diagnostic] = field(default_factory=list)  # errors a draft is built despite
    draft: bool = False  # jianbao build --draft: every page is marked

    @property
    def path(self) -> Path:
        return self.resolved.validated.loaded.path

    @property
    def office(self) -> Path:
        return self.resolved.validated.loaded.office

    @property
    def bulletin(self) -> Bulletin:
        return self.resolved.bulletin

    @property
    def layout(self) -> Layout:
        return self.resolved.layout

    @property
    def layout_path(self) -> Path:
        return self.resolved.validated.layout_path

    @property
    def issue_src(self) -> Source:
        return self.resolved.issue_src

    @property
    def series_src(self) -> Source:
        return self.resolved.series_src

    @property
    def inputs(self) -> list[Path]:
        return list(self.resolved.inputs)

    @property
    def seen(self) -> list[Path] | None:
        return None if self.resolved.seen is None else list(self.resolved.seen)
