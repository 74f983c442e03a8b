"""Layout presets: every number of the page lives in a YAML preset, validated here.

The default preset is ``templates/layouts/gbt9704.yaml``.  An office can copy it to its own
``templates/layouts/<name>.yaml`` and select it with ``layout: <name>`` (or give a path).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .diagnostics import JianbaoError


class _Preset(BaseModel):
    model_config = ConfigDict(extra="forbid")


#: Every length is in twips, at most 22 inches (31 680): Word's largest page.  Without upper
#: bounds a preset could write values the OOXML schema refuses (``width: 1000000000000``).
MAX_TWIPS = 31_680
#: Word keeps font names to 31 characters.
MAX_FONT_NAME = 31
Length = Annotated[int, Field(ge=0, le=MAX_TWIPS)]
Positive = Annotated[int, Field(gt=0, le=MAX_TWIPS)]
Signed = Annotated[int, Field(ge=-MAX_TWIPS, le=MAX_TWIPS)]
FontName = Annotated[str, Field(min_length=1, max_length=MAX_FONT_NAME)]
Size = Annotated[float, Field(gt=0, le=200)]


class Page(_Preset):
    width: Positive
    height: Positive
    margin_top: Length
    margin_bottom: Length
    margin_left: Length
    margin_right: Length
    header: Length
    footer: Length

    @model_validator(mode="after")
    def _room_left(self):
        if self.text_width <= 0 or self.text_height <= 0:
            from pydantic_core import PydanticCustomError

            raise PydanticCustomError("jb_out_of_range", "page：左右（上下）页边距之和不能大于等于纸张的宽（高），版心要有面积")
        return self

    @property
    def text_width(self) -> int:
        return self.width - self.margin_left - self.margin_right

    @property
    def text_height(self) -> int:
        return self.height - self.margin_top - self.margin_bottom


class Grid(_Preset):
    lines_per_page: int = Field(gt=0, le=60)  # checked against the page: see honoured()
    chars_per_line: int = Field(gt=0, le=60)  # checked against the body font; used to estimate lines
    line_pitch: Positive
    char_spacing: int = Field(ge=-100, le=200)
    first_line_indent: float = Field(2, ge=0, le=10)  # characters


class Font(_Preset):
    east_asia: FontName
    latin: FontName
    size: Size
    bold: bool = False
    color: str | None = Field(None, pattern=r"^[0-9A-Fa-f]{6}$")


class Fonts(_Preset):
    body: Font
    mark: Font
    name: Font
    issue_line: Font
    period: Font
    editor_line: Font
    title: Font
    subtitle: Font
    note: Font
    note_label: Font
    heading1: Font
    heading2: Font
    heading3: Font
    heading4: Font
    end_block: Font
    page_number: Font


class Masthead(_Preset):
    name_top: Length
    name_sizes: list[Size] = Field(min_length=1, max_length=20)
    name_line_ratio: float = Field(gt=0.5, le=3)
    name_char_spacing: int = Field(0, ge=-100, le=400)
    issue_line_before: Length
    period_before: Length
    editor_line_before: Length
    editor_line_sizes: list[Size] = Field(min_length=1, max_length=20)
    rule_size: int = Field(ge=2, le=96)
    rule_space: int = Field(ge=0, le=31)
    rule_color: str = Field(pattern=r"^[0-9A-Fa-f]{6}$")
    after_rule: Length


class Title(_Preset):
    line: Positive
    before: Length
    after: Length


class Headings(_Preset):
    keep_with_next: bool = True


class PageNumber(_Preset):
    first_page: bool = True
    indent: Length
    indent_chars: float = Field(1, ge=0, le=10)
    line: Positive = 240
    dash: str = Field("—", max_length=4)


class EndBlock(_Preset):
    line: Positive
    indent: Length
    rule_outer: int = Field(ge=2, le=96)
    rule_inner: int = Field(ge=2, le=96)
    rule_color: str = Field("000000", pattern=r"^[0-9A-Fa-f]{6}$")
    end_on_even_page: bool = False


class ImageLayout(_Preset):
    """Photos in the body: width, the tallest they may be, and the caption under them."""

    width: float = Field(0.75, gt=0.1, le=1)  # default width, as a fraction of the 版心 width
    row_width: float = Field(1.0, gt=0.1, le=1)  # photos side by side (images:): the row's default width
    gap: Length = Field(160, le=720)  # between photos side by side, twips
    max_lines: int = Field(16, ge=2, le=22)  # a photo is at most this many grid lines tall (else scaled down)
    caption: Font = Font(east_asia="楷体_GB2312", latin="Times New Roman", size=14)
    # The house style of captions, which jianbao check holds them to (JB804): the words a caption
    # opens with (图为), and the most lines it may print on.  None: not asked.
    caption_lead: str | None = Field(None, min_length=1, max_length=10)
    caption_max_lines: int | None = Field(None, ge=1, le=10)


class TableLayout(_Preset):
    """Tables in the body: caption, header row, cells, rules (all lengths in twips)."""

    caption: Font = Font(east_asia="黑体", latin="Times New Roman", size=16)
    header: Font = Font(east_asia="黑体", latin="Times New Roman", size=14)
    cell: Font = Font(east_asia="仿宋_GB2312", latin="Times New Roman", size=14)
    caption_line: Positive = 579
    caption_before: Length = 0
    line: Positive = 400
    row_height: Length = 454
    cell_margin: Length = 108
    cell_margin_vertical: Length = 0
    border: int = Field(4, ge=2, le=96)
    border_color: str = Field("000000", pattern=r"^[0-9A-Fa-f]{6}$")
    after: Length = 0


class Web(_Preset):
    """The web edition (``jianbao build --html``)."""

    end_block: bool = False  # print the 报/送/发 rows and copies on the web page too
    base_url: str | None = Field(None, max_length=500, pattern=r"^https?://\S+$")  # where build/ is published (feed links)


class Draft(_Preset):
    """The mark of ``jianbao build --draft``: a line at the top of every page, outside the text."""

    text: str = Field("草稿", min_length=1, max_length=12)
    font: Font = Font(east_asia="黑体", latin="Times New Roman", size=16, color="FF0000")
    align: str = Field("right", pattern="^(left|center|right)$")


class Layout(_Preset):
    """A validated layout preset (``templates/layouts/*.yaml``)."""

    page: Page
    grid: Grid
    fonts: Fonts
    font_alternates: dict[FontName, FontName] = {}
    masthead: Masthead
    title: Title
    headings: Headings = Headings()
    page_number: PageNumber
    end_block: EndBlock
    table: TableLayout = TableLayout()
    image: ImageLayout = ImageLayout()
    web: Web = Web()
    draft: Draft = Draft()


def builtin_templates() -> Path:
    """The ``templates/`` folder shipped with jianbao (in a wheel, or in a source checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent.parent / "templates"):
        if (candidate / "layouts").is_dir():
            return candidate
    raise RuntimeError("jianbao is installed without its templates/ folder")  # pragma: no cover


def is_path(name: str) -> bool:
    return "/" in name or "\\" in name or name.endswith((".yaml", ".yml"))


def inside(path: Path, folder: Path) -> bool:
    """Whether *path* (links resolved) lies in *folder*; a symlink loop lies nowhere."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        return False


def resolve_layout(name: str, office: Path) -> Path | None:
    """Find preset *name*: a path inside the office folder, else the office's then the built-in presets.

    A path that leads out of the office folder is refused (None): an issue file must not make
    jianbao read files elsewhere on the machine.
    """
    if is_path(name):
        p = office / name
        return p.resolve() if inside(p, office) and p.is_file() else None
    if not name or name.startswith("."):
        return None
    for base in (office / "templates" / "layouts", builtin_templates() / "layouts"):
        p = base / f"{name}.yaml"
        if p.is_file() and (base != office / "templates" / "layouts" or inside(p, office)):
            return p
    return None


def not_a_file(name: str, office: Path) -> Path | None:
    """The office's file that preset *name* names when it is there but no regular file (a folder, a
    FIFO, a device, a symlink loop or one to nothing, or in templates/layouts a link out of the
    office): said as such, not as a preset not found."""
    import os

    p = office / name if is_path(name) else office / "templates" / "layouts" / f"{name}.yaml"
    try:
        there = os.path.lexists(p)
    except ValueError:
        return None
    if not there:
        return None
    return p if not p.is_file() or (not is_path(name) and not inside(p, office)) else None


def preset_names(office: Path) -> list[str]:
    """The names ``layout:`` can take: the office's presets, then the built-in ones."""
    names: list[str] = []
    for base in (office / "templates" / "layouts", builtin_templates() / "layouts"):
        if base.is_dir():
            names += [p.stem for p in sorted(base.glob("*.yaml")) if p.stem not in names and not p.stem.startswith(".")]
    return names


_CACHE: dict[tuple[Path, int], Layout] = {}


def honoured(layout: Layout, src) -> list:
    """What the preset asks for and the page cannot give, each a JB402 diagnostic at its place:
    a text area of no size, ``lines_per_page`` other than the lines ``line_pitch`` fits in the
    text area, ``chars_per_line`` other than the body characters (with ``char_spacing``) that fit
    on a line."""
    p, g, body = layout.page, layout.grid, layout.fonts.body
    out = []
    if p.text_width <= 0:
        out.append(src.diagnostic("JB402", f"左右页边距之和（{p.margin_left + p.margin_right}）不小于页宽 {p.width}，版心没有宽度",
                                  ("page", "margin_left"), hint="页边距以 twip 为单位（1 毫米 ≈ 56.7）：A4 页宽 11906，左右边距通常为 1587 和 1474。"))
    if p.text_height <= 0:
        out.append(src.diagnostic("JB402", f"上下页边距之和（{p.margin_top + p.margin_bottom}）不小于页高 {p.height}，版心没有高度",
                                  ("page", "margin_top"), hint="页边距以 twip 为单位（1 毫米 ≈ 56.7）：A4 页高 16838，上下边距通常为 2098 和 1984。"))
    if out:
        return out
    fits = p.text_height // g.line_pitch
    if g.lines_per_page != fits:
        pitch = p.text_height // g.lines_per_page
        out.append(src.diagnostic(
            "JB402", f"每页 {g.lines_per_page} 行与版心不符：版心高 {p.text_height} twip，行距 {g.line_pitch} twip 时每页排 {fits} 行",
            ("grid", "lines_per_page"),
            hint=f"写 lines_per_page: {fits}；要每页 {g.lines_per_page} 行，把 grid.line_pitch 改为 {pitch}（版心高 ÷ 行数，取整）。"))
    per = round(body.size * 20) + g.char_spacing
    if per <= 0:
        out.append(src.diagnostic("JB402", f"字距 {g.char_spacing} 使正文每字宽度不大于零", ("grid", "char_spacing"),
                                  hint="char_spacing 以 1/20 磅为单位，−5 即每字紧缩 0.25 磅。"))
        return out
    chars = p.text_width // per
    if g.chars_per_line != chars:
        spacing = p.text_width // g.chars_per_line - round(body.size * 20)
        out.append(src.diagnostic(
            "JB402", f"每行 {g.chars_per_line} 字与版心不符：版心宽 {p.text_width} twip，正文 {body.size:g} 磅、字距 {g.char_spacing} 时每行排 {chars} 字",
            ("grid", "chars_per_line"),
            hint=f"写 chars_per_line: {chars}；要每行 {g.chars_per_line} 字，把 grid.char_spacing 改为 {spacing}。"))
    return out


def load_layout(path: Path) -> Layout:
    """Load and validate a preset file (cached per process by path and mtime)."""
    from .load import load_yaml
    from .validate import validate

    key = (path, path.stat().st_mtime_ns)
    if key not in _CACHE:
        src = load_yaml(path)
        try:
            layout = validate(src, Layout)
            wrong = honoured(layout, src)
            if wrong:
                raise JianbaoError(wrong)
            _CACHE[key] = layout
        except JianbaoError as exc:
            for d in exc.diagnostics:  # one code for a preset's problems; the message says which
                if not d.code.startswith("JB0"):  # a file that cannot be read keeps its own code
                    d.code = "JB402"
                d.message = f"版式预设有误：{d.message}"
            raise
    return _CACHE[key]


