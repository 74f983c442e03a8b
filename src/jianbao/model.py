"""The document model: pydantic models of ``jianbao.yaml`` and of an issue file.

These models are the single source of truth for the input contract
(``shared/spec/issue-file.md``): validation, the JSON Schemas for editors and the renderer all
read them.  The renderer only walks a validated :class:`Bulletin`; it never sees YAML.

Descriptions are in Chinese because they end up in editor tooltips (JSON Schema).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    Tag,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from typing_extensions import TypeAliasType

SERIES_KEYS = ("name", "editor", "mark", "copies", "distribution", "separator", "layout")


def _strict_date(value: Any) -> Any:
    """Accept YAML dates and ISO strings; reject anything that could be misread."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0) or value.tzinfo is not None:
            raise PydanticCustomError("jb_bad_date", "这里只要日期，不要时间：{value}", {"value": value})
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or isinstance(value, (int, float)):
        raise PydanticCustomError("jb_bad_date", "日期不能写成数字：{value}", {"value": value})
    if isinstance(value, str):
        s = value.strip()
        m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", s)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                return dt.date(y, mo, d)
            except ValueError:
                raise PydanticCustomError("jb_impossible_date", "日期不存在：{value}", {"value": s}) from None
        raise PydanticCustomError("jb_bad_date", "无法识别的日期：{value}", {"value": value})
    raise PydanticCustomError("jb_bad_date", "日期格式不对：{value}", {"value": value})


YDate = Annotated[dt.date, BeforeValidator(_strict_date)]

#: Numbers and booleans as written, not coerced from text: ``number: "1"`` and ``supplement: 1`` are refused
#: (the JSON Schema for editors says the same; issue 16).  YAML's own ``yes``/``no`` are booleans already.
StrictInt = Annotated[int, Strict()]
StrictBool = Annotated[bool, Strict()]


def _not_bool(value: Any) -> Any:
    """``number: yes`` is YAML 1.1's true, which pydantic would count as 1."""
    if isinstance(value, bool):
        raise PydanticCustomError("jb_bool_number", "应为整数（yes、no、on、off、true、false 在 YAML 中是真假值，不是数）")
    return value


#: An integer field: a true/false is refused, not read as 1 or 0.
Count = Annotated[int, BeforeValidator(_not_bool), Strict()]  # "1" in quotes is text, not a count (#16)


def one_or_many(value: Any) -> Any:
    """A string stands for a one-element list (``body: 一段话`` = ``body: [一段话]``)."""
    if isinstance(value, str):
        return [value]
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False, validate_default=False)


# --- figures: ``data`` and ``carry`` -------------------------------------------------------
# Named numbers, nested in mappings (``综窗: {咨询: 1142}``); templated text prints them and
# jianbao.resolve sums them into running totals.  Keys are checked there (they become names).

#: What ``jianbao new`` writes for a figure still to be filled in (``受理: 待填``); check reports it.
FIGURE_PLACEHOLDER = "待填"


def is_unfilled(value: Any) -> bool:
    """Whether a figure is still the placeholder ``jianbao new`` wrote."""
    return isinstance(value, str) and value.strip().startswith(FIGURE_PLACEHOLDER)


def _figure_kind(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return "<number>"
    if isinstance(value, dict):
        return "<group>"
    if is_unfilled(value):
        return "<unfilled>"
    return None


Number = Union[Annotated[int, Strict()], Annotated[float, Strict(), Field(allow_inf_nan=False)]]

Figures = TypeAliasType(  # type: ignore[misc]  # mypy cannot follow a recursive TypeAliasType
    "Figures",
    dict[
        Annotated[str, Field(min_length=1)],
        Annotated[
            Union[
                Annotated[Number, Tag("<number>")],
                Annotated["Figures", Tag("<group>")],  # type: ignore[misc]
                Annotated[str, Field(pattern=r"^\s*待填"), Tag("<unfilled>")],
            ],
            Discriminator(_figure_kind, custom_error_type="jb_union",
                          custom_error_message="数据应为数字，或“名称: 数字”的映射"),
        ],
    ],
)


# --- body blocks -------------------------------------------------------------------------
# A block is a paragraph (a string) or a mapping with one distinguishing key: ``{table: …}``.
# Later block kinds join the union the same way.
Paragraph = Annotated[str, Field(min_length=1)]
Paragraphs = Annotated[list[Paragraph], BeforeValidator(one_or_many)]


def _cell_kind(value: Any) -> str | None:
    if value is None:
        return "<blank>"
    if isinstance(value, str):
        return "<text>"
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return "<number>"
    return None


#: A table cell: text (templates allowed), a number, or nothing.
Cell = Annotated[
    Union[
        Annotated[str, Tag("<text>")],
        Annotated[Number, Tag("<number>")],
        Annotated[None, Tag("<blank>")],
    ],
    Discriminator(_cell_kind, custom_error_type="jb_union", custom_error_message="表格的格应为文字或数字"),
]

def _align_value(value: Any) -> Any:
    if isinstance(value, str):
        if value not in ("left", "center", "right"):
            raise PydanticCustomError("jb_union", "对齐方式应为 left（居左）、center（居中）或 right（居右）", {})
    return value


Align = Annotated[Literal["left", "center", "right"], BeforeValidator(_align_value)]


def _align_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "<one>"
    if isinstance(value, list):
        return "<list>"
    return None


#: ``align: center`` for every column, or one value per column.
Aligns = Annotated[
    Union[Annotated[Align, Tag("<one>")], Annotated[list[Align], Tag("<list>")]],
    Discriminator(_align_kind, custom_error_type="jb_union",
                  custom_error_message="对齐方式应为 left、center、right 之一，或每列一项的列表"),
]


class Table(_Model):
    """表格：标题、表头、各行；可自动加“合计”行。"""

    caption: str = Field(..., min_length=1, title="表格标题", description="表格标题，居中印在表格上方（黑体）",
                         examples=["省本级综窗办件情况"])
    header: list[Cell] = Field(..., min_length=1, title="表头", description="表头各列的文字；跨页时表头在新页重复",
                               examples=[["类别", "本周", "今年以来"]])
    rows: list[list[Cell]] = Field(..., min_length=1, title="各行", description="表格各行，每行的格数与表头相同；格可以是数字或文字（可用模板）",
                                   examples=[[["咨询", 1142, 24276], ["受理", 391, 9990]]])
    widths: list[Annotated[float, Field(gt=0)]] | None = Field(
        None, title="列宽", description="各列的相对宽度（按比例排满版心），不写则等宽", examples=[[2, 1, 1]])
    align: Aligns | None = Field(
        None, title="对齐", description="各列的对齐方式 left/center/right（一个值则各列相同），不写则居中（文字较长的列居左）",
        examples=[["left", "center", "center"], "center"])
    total: StrictBool = Field(False, title="合计行", description="为 true 时在末尾自动加一行“合计”，对各数字列求和",
                        examples=[True])


class TableBlock(_Model):
    """正文中的表格块：``{table: {caption, header, rows, …}}``。"""

    table: Table = Field(..., title="表格", description="一张表格：caption 标题、header 表头、rows 各行",
                         examples=[{"caption": "省本级综窗办件情况", "header": ["类别", "本周"],
                                    "rows": [["咨询", 1142]], "total": True}])


class ImageBlock(_Model):
    """正文中的照片：``{image: 照片/2024-05-13-调研.jpg, caption: 图为……}``。"""

    image: str = Field(..., min_length=1, max_length=500, title="照片",
                       description="照片文件（JPEG 或 PNG）的路径，相对于本期文件，须在简报文件夹内",
                       examples=["../照片/2024-05-13-调研.jpg"])
    caption: str = Field(..., min_length=1, max_length=200, title="图注",
                         description="照片下方居中的说明，如“图为……”；也是网页版的替代文字",
                         examples=["图为省中心党委书记到政务服务大厅窗口调研。"])
    width: float | None = Field(None, gt=0.1, le=1, title="宽度",
                                description="照片宽度占版心宽度的比例（0.1—1），不写则用版式预设的默认值",
                                examples=[0.8])


class ImagesBlock(_Model):
    """正文中并排的两三张照片，共用一个图注：``{images: [左.jpg, 右.jpg], caption: 图为……}``。"""

    images: list[Annotated[str, Field(min_length=1, max_length=500)]] = Field(
        ..., min_length=2, max_length=3, title="并排的照片",
        description="两张或三张照片（JPEG 或 PNG）的路径，从左到右；相对于本期文件，须在简报文件夹内",
        examples=[["../照片/2024-05-13-窗口.jpg", "../照片/2024-05-13-座谈.jpg"]])
    caption: str = Field(..., min_length=1, max_length=200, title="图注",
                         description="印在这一排照片下方居中的一个说明，如“图为……”；网页版的替代文字由它加上“（左）”“（右）”等",
                         examples=["图为调研组察看综合窗口（左）和召开座谈会（右）。"])
    width: float | None = Field(None, gt=0.1, le=1, title="宽度",
                                description="这一排照片（连同其间的空隙）占版心宽度的比例（0.1—1），不写则用版式预设 image.row_width",
                                examples=[1])


def _block_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "<paragraph>"
    if isinstance(value, ImageBlock) or (isinstance(value, dict) and "image" in value):
        return "<image>"
    if isinstance(value, ImagesBlock) or (isinstance(value, dict) and "images" in value):
        return "<images>"
    if isinstance(value, (dict, TableBlock)):
        return "<table>"
    return None


Block = Annotated[
    Union[Annotated[Paragraph, Tag("<paragraph>")], Annotated[TableBlock, Tag("<table>")],
          Annotated[ImageBlock, Tag("<image>")], Annotated[ImagesBlock, Tag("<images>")]],
    Discriminator(_block_kind, custom_error_type="jb_union",
                  custom_error_message="正文块应为一段文字、{table: …} 表格、{image: …, caption: …} 照片"
                                       "或 {images: […], caption: …} 并排的照片"),
]
Blocks = Annotated[list[Block], BeforeValidator(one_or_many)]


class Period(_Model):
    """报告期（印在期号下方：“（4月29日—4月30日）”）。"""

    start: YDate = Field(description="报告期第一天，例如 2024-04-29", examples=["2024-04-29"])
    end: YDate = Field(description="报告期最后一天，例如 2024-04-30", examples=["2024-04-30"])

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise PydanticCustomError(
                "jb_period_order",
                "报告期结束日期 {end} 早于开始日期 {start}",
                {"start": self.start.isoformat(), "end": self.end.isoformat()},
            )
        return self


class Item(_Model):
    """二至四级条目：单独成行的标题（title），或段首标题（lead）接正文，或只有正文。"""

    title: str | None = Field(None, min_length=1, description="单独成行的标题，如“省本级综窗办件情况”，序号自动生成",
                              examples=["省本级综窗办件情况"])
    lead: str | None = Field(None, min_length=1, description="段首标题（用标题字体），其后在同一段接 body 的第一段",
                             examples=["推动企业全生命周期重点事项集成办理。"])
    body: Blocks = Field(default_factory=list, description="正文段落：一段文字，或多段文字的列表；写成“body: |”块时每个非空行是一段",
                         examples=[["本周，共计咨询1142人次。"]])
    items: list[ItemLike] = Field(default_factory=list, description="下一级条目（最多四级）；“- |”块写成的一条有几行就有几段，序号印在第一段前",
                                  examples=[["下一级条目的文字"]])

    @model_validator(mode="after")
    def _kind(self) -> Item:
        if self.title is not None and self.lead is not None:
            raise PydanticCustomError("jb_heading_kind", "title 和 lead 只能二选一", {})
        if self.title is None and self.lead is None and not self.body:
            raise PydanticCustomError("jb_heading_kind", "条目至少要有 title、lead 或 body 之一", {})
        if self.title is None and self.lead is None and not isinstance(self.body[0], str):
            raise PydanticCustomError("jb_heading_kind", "没有 title 或 lead 的条目，body 要以一段文字开头（序号印在这段文字前）", {})
        return self


def _item_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "<paragraph>"
    if isinstance(value, (dict, Item)):
        return "<item>"
    return None


ItemLike = Annotated[
    Union[Annotated[Paragraph, Tag("<paragraph>")], Annotated[Item, Tag("<item>")]],
    Discriminator(_item_kind, custom_error_type="jb_union",
                  custom_error_message="条目应为一段文字，或含 title/lead/body 的映射"),
]
Item.model_rebuild()


class Section(_Model):
    """一级部分（“一、”“二、”……自动编号）。"""

    title: str | None = Field(None, min_length=1, description="单独成行的一级标题，如“政务工作动态”（不要输入“一、”）",
                              examples=["政务工作动态"])
    lead: str | None = Field(None, min_length=1, description="段首一级标题，其后在同一段接 body 的第一段",
                             examples=["推进事项管理突破，实现政务服务智能办。"])
    body: Blocks = Field(default_factory=list, description="不编号的正文段落：一段文字或列表；写成“body: |”块时每个非空行是一段",
                         examples=[["本周，公安厅党委委员……到省政务服务大厅窗口调研值守。"]])
    items: list[ItemLike] = Field(default_factory=list, description="二级条目（“（一）”“（二）”……自动编号）；“- |”块写成的一条有几行就有几段，序号印在第一段前",
                                  examples=[["4月29日，省中心党委书记……"]])

    @model_validator(mode="after")
    def _kind(self) -> Section:
        if (self.title is None) == (self.lead is None):
            raise PydanticCustomError("jb_heading_kind", "每一部分要有 title 或 lead（二者之一）", {})
        return self


def _recipients_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "<text>"
    if isinstance(value, list):
        return "<list>"
    return None


Recipients = Annotated[
    Union[
        Annotated[str, Field(min_length=1), Tag("<text>")],
        Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1), Tag("<list>")],
    ],
    Discriminator(_recipients_kind, custom_error_type="jb_union",
                  custom_error_message="发送范围应为一段文字或单位名称的列表"),
]


class SeriesFields(_Model):
    """Series keys, all optional: an issue file may override any of them."""

    name: str | None = Field(None, min_length=1, description="简报名称：红色报头大字，如“政务服务和公共资源交易工作动态”",
                             examples=["政务服务和公共资源交易工作动态"])
    editor: str | None = Field(None, min_length=1, description="编印单位：印在红线上方左侧",
                               examples=["四川省政府政务服务和公共资源交易服务中心"])
    mark: str | None = Field(None, min_length=1, description="左上角标识（密级或“内部资料　注意保存”）；不写则不印",
                             examples=["内部资料　注意保存"])
    copies: Annotated[int, Field(ge=1, le=1_000_000), BeforeValidator(_not_bool), Strict()] | None = Field(None, description="共印份数，印在末页最后：“（共印103份）”",
                               examples=[103])
    distribution: dict[str, Recipients] | None = Field(
        None,
        description="报尾发送范围，按书写顺序印出（报、送、发……）：列表用分隔符连接并以“。”结尾，文字原样照印",
        examples=[{"报": ["省政务管理办公室", "省中心领导"], "发": "省直部门办事大厅。"}],
    )
    separator: str | None = Field(None, min_length=1, max_length=3, description="报尾列表各单位之间的分隔符，默认“，”",
                                  examples=["，", "、"])
    layout: str | None = Field(None, min_length=1, description="版式预设：templates/layouts/ 下的名称或相对路径，默认 gbt9704",
                               examples=["gbt9704"])
    ignore: Annotated[list[Annotated[str, Field(min_length=1)]], BeforeValidator(one_or_many)] | None = Field(
        None, title="忽略的警告",
        description="不再报告的警告代码（如 JB711），写在 jianbao.yaml 中对每一期有效，写在一期中只对这一期有效；"
                    "只针对某一行时在那一行末尾写注释“# jianbao: ignore JB711”。错误不能忽略；没有用到的忽略会被报告",
        examples=[["JB711"]])

    @field_validator("distribution")
    @classmethod
    def _labels(cls, value: dict | None) -> dict | None:
        for label in value or {}:
            if not label.strip() or len(label) > 6:
                raise PydanticCustomError("jb_out_of_range", "报尾标签“{label}”应为一到六个字，如“报”“送”“发”“抄送”",
                                          {"label": label})
        return value


class SeriesFile(SeriesFields):
    """``jianbao.yaml``：一个简报系列的设置（报头、编印单位、报尾、版式）。"""

    model_config = ConfigDict(title="jianbao.yaml")

    name: str = Field(..., min_length=1, description="简报名称：红色报头大字，如“政务服务和公共资源交易工作动态”",
                      examples=["政务服务和公共资源交易工作动态"])
    editor: str = Field(..., min_length=1, description="编印单位：印在红线上方左侧",
                        examples=["四川省政府政务服务和公共资源交易服务中心"])


class IssueFile(SeriesFields):
    """一期简报（issues/2024-05-13.yaml）。"""

    model_config = ConfigDict(title="一期简报")

    number: Count = Field(..., ge=1, le=10_000, description="期号：“第18期”", examples=[18])
    total: Annotated[int, Field(ge=1, le=100_000), BeforeValidator(_not_bool), Strict()] | None = Field(None, description="总期号：“（总第356期）”，可不写", examples=[356])
    supplement: StrictBool = Field(False, description="是否增刊：增刊单独编号，印“增刊第2期”", examples=[False])
    date: YDate = Field(..., description="印发日期，写作 2024-05-13，印为“2024年5月13日”", examples=["2024-05-13"])
    period: Period | None = Field(None, description="报告期（start 第一天、end 最后一天），印在期号下方：“（4月29日—4月30日）”；可不写",
                                  examples=[{"start": "2024-04-29", "end": "2024-04-30"}])
    title: Annotated[list[Annotated[str, Field(min_length=1)]], BeforeValidator(one_or_many)] = Field(
        default_factory=list, description="文章标题（专题简报用）；写成列表或“title: |”块可指定分行（每个非空行一行）", examples=[["关于……的情况"]])
    subtitle: str | None = Field(None, min_length=1, description="标题下的副题，如“——××市……典型经验”",
                                 examples=["——成都市推进“高效办成一件事”的典型经验"])
    note: Paragraphs = Field(default_factory=list, description="编者按：一段文字或多段的列表；写成“note: |”块时每个非空行是一段", examples=[["编者按的文字。"]])
    body: Blocks = Field(default_factory=list, description="第一部分之前不编号的导语段落（也可以是表格）；写成“body: |”块时每个非空行是一段", examples=[["导语段落。"]])
    sections: list[Section] = Field(default_factory=list, description="正文各部分（一级，“一、”起自动编号）",
                                    examples=[[{"title": "政务工作动态", "items": ["4月29日，省中心党委书记……"]}]])
    data: Figures = Field(
        default_factory=dict, title="数据",
        description="本期的数字，可分组嵌套，名称可用汉字；正文中写 {{ 综窗.咨询 }} 引用，ytd.综窗.咨询 为今年以来累计；"
                    "jianbao new 把还要填的数写作“待填”，填好之前 check 会报告",
        examples=[{"综窗": {"咨询": 1142, "受理": 391}, "手册": {"完成": 1159, "总数": 1645}}])
    carry: Figures | None = Field(
        None, title="此前累计",
        description="本期之前今年以来的累计数（档案从年中开始或新增一个数时写）；只设定写到的数，它们此后各期的 ytd 在此基础上累加，其他数不受影响",
        examples=[{"综窗": {"咨询": 23134, "受理": 9599}}])

    @model_validator(mode="after")
    def _dates(self) -> IssueFile:
        if self.period is not None and self.date < self.period.end:
            raise PydanticCustomError(
                "jb_date_before_period",
                "印发日期 {date} 早于报告期结束日期 {end}",
                {"date": self.date.isoformat(), "end": self.period.end.isoformat()},
            )
        return self


class Series(BaseModel):
    """Merged series settings with defaults applied (what the renderer sees)."""

    name: str
    editor: str
    mark: str | None = None
    copies: int | None = None
    distribution: dict[str, str | list[str]] = {}
    separator: str = "，"
    layout: str = "gbt9704"


class Bulletin(BaseModel):
    """One issue ready to render: series settings merged with the issue (the issue wins)."""

    series: Series
    issue: IssueFile

    @classmethod
    def merge(cls, series: SeriesFile, issue: IssueFile) -> Bulletin:
        values = {k: getattr(series, k) for k in SERIES_KEYS}
        for k in SERIES_KEYS:
            if k in issue.model_fields_set and getattr(issue, k) is not None:
                values[k] = getattr(issue, k)
        values = {k: v for k, v in values.items() if v is not None}
        return cls(series=Series(**values), issue=issue)
