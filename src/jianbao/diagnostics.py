"""Diagnostics: every problem jianbao reports, with a stable code, a place and a hint.

The codes and their Chinese wording live in one table (:data:`RULES`), shared by
``jianbao build`` and ``jianbao check`` and listed by ``jianbao rules``.  A
:class:`Diagnostic` is what a check produces; :class:`JianbaoError` carries a list of
them out of the pipeline to the command line, which prints them and exits 1.

Nothing here imports rich, pydantic or python-docx: formatting diagnostics as plain
text is cheap and used by tests; the CLI colours them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


@dataclass(frozen=True)
class Rule:
    """One kind of problem: its code, a short name, severity, summary and default hint."""

    code: str
    name: str
    severity: Severity
    summary: str
    hint: str = ""


_E, _W = Severity.ERROR, Severity.WARNING

#: Every diagnostic code jianbao can emit. Codes are stable: never renumber, only add.
#: JB0xx files and YAML · JB1xx the issue contract · JB2xx text lint · JB3xx across issues
#: · JB4xx settings and layout · JB5xx output · JB6xx scaffolding · JB7xx figures · JB8xx photos · JB9xx import
#: and Word bulletins (jianbao import, jianbao check FILE.docx).
RULES: dict[str, Rule] = {
    r.code: r
    for r in [
        Rule("JB001", "file-unreadable", _E, "文件无法读取", "检查路径是否正确、文件是否存在且有读取权限。"),
        Rule("JB002", "not-utf8", _E, "文件不是 UTF-8 编码", "请用 UTF-8 编码保存文件（WPS/记事本“另存为”时选择 UTF-8）。"),
        Rule("JB003", "yaml-syntax", _E, "YAML 语法错误", "检查缩进（只能用空格）、冒号后的空格和引号是否成对。"),
        Rule("JB004", "duplicate-key", _E, "同一层级出现了重复的字段", "删除或合并重复的字段。"),
        Rule("JB005", "not-a-mapping", _E, "文件内容应当是“字段: 值”的映射", "参照示例文件，按“字段: 值”逐行填写。"),
        Rule("JB006", "yaml-too-large", _E, "YAML 内容过大或嵌套过深", "检查是否误用了锚点（&）和别名（*），或嵌套层级过多。"),
        Rule("JB007", "settings-not-found", _E, "找不到简报设置文件 jianbao.yaml", "在简报文件夹根目录放置 jianbao.yaml，或用 `jianbao init` 新建。"),
        Rule("JB008", "invalid-character", _E, "文本中含有无法写入 Word 文档的控制字符", "删除该处不可见的控制字符（常见于从网页或 PDF 复制的文字）。"),
        Rule("JB009", "same-name-issue", _E, "同名的 .yaml 和 .yml 简报文件并存，会写到同一个输出文件", "删去或改名其中一个（只保留 X.yaml 或 X.yml）。"),
        Rule("JB019", "too-many-problems", _E, "一个文件的问题太多，只列出了一部分", "先改正列出的问题，再运行 jianbao check。"),
        # JB02x the usual YAML traps, said in the words of the people who fall into them.
        Rule("JB020", "prose-colon", _E, "文字中的半角冒号让 YAML 把文字读成了“字段: 值”", "文字中的半角冒号，改为全角“：”或给整段加引号。"),
        Rule("JB021", "dash-without-space", _E, "列表项的“-”后面缺少空格", "列表项写作“- 文字”：“-”后面加一个空格。"),
        Rule("JB022", "indentation", _E, "缩进不对齐", "同一层的字段和列表项“- ”要从同一列开始，只用空格缩进。"),
        Rule("JB023", "tab", _E, "用了制表符（Tab）缩进", "YAML 只能用空格缩进：把制表符换成空格（每一层两个空格）。"),
        Rule("JB024", "special-start", _E, "文字以 YAML 的特殊记号开头", "以 {{、*、&、!、%、@、` 开头的文字要整段加引号。"),
        Rule("JB025", "not-text", _E, "YAML 把文字读成了布尔值或数字", "要印出的文字加引号，例如 \"no\"、\"2024\"。"),
        Rule("JB026", "key-colon", _E, "字段名后的冒号是全角“：”，或冒号后缺少空格", "字段名后写半角冒号加一个空格，如“title: 工作动态”。"),
        Rule("JB027", "comment-in-text", _E, "文字中的“ #”让 YAML 把后面的文字当成了注释，不会印出", "给整段加引号，或把“#”改为全角“＃”。"),
        # JB03x silencing: ``# jianbao: ignore JB711`` on a line, ``ignore: [JB711]`` in an issue or jianbao.yaml.
        Rule("JB030", "ignore-unused", _W, "这条忽略没有用到：那里没有这个警告", "删去这条忽略（问题已经改正，或代码、位置写错了）。"),
        Rule("JB031", "ignore-invalid", _W, "忽略写得不对：代码不存在，或是错误（错误不能忽略）", "写警告的代码，如 JB711（jianbao rules 列出全部代码）；错误要改正，不能忽略。"),
        Rule("JB101", "missing-field", _E, "缺少必填字段", "补上该字段。"),
        Rule("JB102", "wrong-type", _E, "字段的值类型不对", "按说明填写正确类型的值。"),
        Rule("JB103", "unknown-field", _E, "未知字段", "检查字段名拼写。"),
        Rule("JB104", "impossible-date", _E, "日期不存在", "改为该月实际存在的日期。"),
        Rule("JB105", "bad-date", _E, "日期格式不对", "日期写作 2024-05-13（年-月-日），不加引号。"),
        Rule("JB106", "period-order", _E, "报告期的结束日期早于开始日期", "检查 period 的 start 和 end 是否写反。"),
        Rule("JB107", "date-before-period", _E, "印发日期早于报告期结束日期", "检查 date 和 period.end。"),
        Rule("JB108", "heading-kind", _E, "标题写法不对", "每一部分用 title（单独成行的标题）或 lead（段首标题）二者之一。"),
        Rule("JB109", "too-deep", _E, "层级超过四级", "简报正文最多四级：一、（一）1.（1），请合并或改写为正文段落。"),
        Rule("JB110", "typed-numeral", _E, "文字开头手工输入了序号", "序号由 jianbao 自动生成，删除开头的序号。"),
        Rule("JB111", "out-of-range", _E, "数值超出允许范围", "按说明填写。"),
        Rule("JB112", "empty-text", _E, "文字内容为空", "填写内容，或删除这一项。"),
        Rule("JB113", "yaml11-number", _E, "数字的写法会被 YAML 读成另一个数（前导零的八进制、带冒号的六十进制、十六进制）", "数字前不加 0、不用冒号；要印出“012”“1:20”这样的文字，加引号。"),
        Rule("JB401", "layout-not-found", _E, "找不到版式预设文件", "layout 写预设名（如 gbt9704，对应 templates/layouts/gbt9704.yaml）或相对路径。"),
        Rule("JB402", "layout-invalid", _E, "版式预设文件有误", "对照内置的 templates/layouts/gbt9704.yaml 修改。"),
        Rule("JB501", "output-failed", _E, "无法写入输出文件", "检查输出目录是否存在、是否有写入权限、文件是否正被 Word/WPS 打开。"),
        Rule("JB502", "pdf-failed", _E, "PDF 转换失败", "运行 `jianbao doctor` 查看 LibreOffice 和字体情况。"),
        Rule("JB503", "build-crashed", _E, "编译这一期的进程意外退出（被终止或内存不足）", "单独编译这一期看是否重现；检查模板中是否有占用大量内存的计算。"),
        Rule("JB504", "lsp-unavailable", _E, "jianbao lsp 需要的 pygls 没有安装", "pip install 'jianbao[lsp]'（或 pip install pygls），再启动 jianbao lsp。"),
        # JB2xx text lint (jianbao.check), JB3xx across the issues of a folder (jianbao.check_series),
        # JB4xx settings: warnings unless the bulletin would print wrong or unfinished.
        Rule("JB201", "halfwidth-punctuation", _W, "汉字旁用了半角标点", "中文里用全角标点：，；：（）？！"),
        Rule("JB202", "numeral-form", _W, "正文中的序号写法不规范", "序号写作：一、（一）1.（1）；“（一）”“（1）”后不再加顿号或点。"),
        Rule("JB203", "zero-padded-date", _W, "日期的月、日前面补了零", "写作“5月6日”，不写“05月06日”。"),
        Rule("JB204", "range-dash", _W, "日期起止没有用一字线“—”", "起止日期之间用一字线“—”（GB/T 15834-2011），如“4月29日—5月3日”。"),
        Rule("JB205", "placeholder", _E, "文字中留有占位符", "把占位符（TODO、待填、XXX、×× 等）换成实际内容。"),
        Rule("JB206", "duplicate-paragraph", _W, "同一期中有完全相同的段落", "检查是否重复粘贴，删除其中一段。"),
        Rule("JB207", "empty-section", _W, "这一部分没有正文，也没有条目", "在该部分下写 body 或 items，或者删除这一部分。"),
        Rule("JB208", "impossible-date-text", _E, "文字中的日期不存在", "改为该月实际存在的日期（4月、6月、9月、11月只有30天，2月只有28或29天）。"),
        Rule("JB210", "stray-space", _W, "汉字之间有多余的空格，或有不换行空格（NBSP）", "删除汉字之间的空格；从 Word、网页复制的文字常带这些空格。`jianbao check --fix` 可自动删除。"),
        Rule("JB211", "fullwidth-space", _W, "段首或文字中有成串的全角空格", "段首缩进由 jianbao 自动排版，删除手工输入的全角空格。`jianbao check --fix` 可自动删除。"),
        Rule("JB212", "invisible-character", _W, "文字中有看不见的字符（零宽空格、软连字符、方向标记等）", "删除这些字符（常见于从网页、微信复制的文字）。`jianbao check --fix` 可自动删除。"),
        Rule("JB213", "fullwidth-alphanumeric", _W, "数字或字母用了全角（如“１２６件”）", "数字和外文字母用半角：“126件”。`jianbao check --fix` 可自动改正。"),
        Rule("JB214", "unmatched-quotes", _W, "引号“”或‘’不成对", "检查是否漏了前引号或后引号，或前后引号用反了。"),
        Rule("JB215", "trailing-space", _W, "行尾有多余的空格", "删除行尾的空格。`jianbao check --fix` 可自动删除。"),
        Rule("JB216", "title-line-wraps", _W, "文章标题的一行排不下，折行后末行只剩一两个字或打乱了分好的行", "把标题写成几行（title 下每行一项），每行不超过版心一行（二号字约 20 个字）。"),
        Rule("JB301", "number-gap", _W, "期号不连续", "检查是否漏了一期，或期号写错。"),
        Rule("JB302", "number-duplicate", _E, "同一年中期号重复", "每年的期号（增刊单独编号）从第1期起依次递增，不能重复。"),
        Rule("JB303", "total-gap", _W, "总期号不连续", "总期号应比上一期多 1。"),
        Rule("JB304", "total-order", _E, "总期号重复或倒退", "总期号应比上一期多 1。"),
        Rule("JB305", "date-order", _E, "期号在后的一期印发日期反而更早", "检查 date 或 number 是否写错。"),
        Rule("JB306", "same-date", _W, "两期的印发日期相同", "检查新的一期是否忘了修改 date。"),
        Rule("JB307", "period-overlap", _E, "报告期与上一期重叠", "这一期的报告期应从上一期报告期结束的次日开始。"),
        Rule("JB308", "period-gap", _W, "两期报告期之间有工作日没有覆盖", "这一期的报告期应从上一期报告期结束后的第一个工作日开始。"),
        Rule("JB403", "no-distribution", _W, "没有设置报尾发送范围（distribution）", "在 jianbao.yaml 中写 distribution，如“报: [上级单位]”“发: 本单位各处室。”。"),
        Rule("JB404", "no-copies", _W, "没有设置共印份数（copies）", "在 jianbao.yaml 中写 copies，如“copies: 100”。"),
        Rule("JB405", "masthead-too-long", _W, "简报名称太长，最小字号下一行也排不下", "缩短简报名称；否则报头分两行印出。"),
        Rule("JB406", "web-template-invalid", _E, "本简报文件夹的网页模板（templates/html/）有误", "对照内置的 templates/html/issue.html.j2 修改；模板只能用传给它的名称，只能引用本简报文件夹 templates/html/ 中的文件。"),
        # JB6xx scaffolding: jianbao new and jianbao init.
        Rule("JB601", "file-exists", _E, "要新建的文件已经存在，没有覆盖", "打开已有的那一期接着编辑；要另起一期请用 --date 指定别的日期。"),
        Rule("JB602", "calendar-unknown-year", _E, "节假日日历没有这一年的数据，推算不了工作日", "用 --date 指定印发日期（此时不核对节假日），或升级日历：pip install -U chinese-calendar。"),
        Rule("JB603", "folder-not-empty", _E, "目标文件夹不是空的", "换一个空文件夹，或加 --force 只补建缺少的文件（已有的文件一律不动）。"),
        Rule("JB604", "no-previous-issue", _E, "还没有任何一期，推算不了下一期", "第一期请用 --date 指定印发日期，如 jianbao new --date 2024-05-13。"),
        Rule("JB605", "date-not-after-latest", _E, "指定的印发日期不晚于最近一期", "新一期的日期应晚于最近一期；补编旧的一期请复制一个文件后手工修改。"),
        Rule("JB606", "calendar-unchecked", _W, "这一年的法定节假日和调休无法核对", "报告期按周一至周五推算：请对照国务院办公厅的放假通知核对 period 和 date。"),
        Rule("JB607", "date-not-workday", _W, "印发日期不是工作日", "核对 date；确实在休息日印发的，可以不理会这条提示。"),
        Rule("JB608", "period-omitted", _W, "推算不出报告期，没有写 period", "印发日期早于下一个报告期的第一个工作日：按实际情况补写 period，或改 --date。"),
        Rule("JB609", "scaffold-template-invalid", _E, "新建文件用的模板有误", "对照内置的 templates/scaffold/issue.yaml.j2 修改本地的 templates/scaffold/ 模板，或删去它改用内置模板。"),
        Rule("JB610", "schemas-not-written", _W, "编辑器用的 schemas/ 没有写好", "在简报文件夹里运行 jianbao schema（或检查 schemas/ 的写入权限）：编辑器靠它补全和检查字段。"),
        # JB7xx figures: data, templated text ({{ … }}), running totals and tables (jianbao.resolve,
        # jianbao.check_figures).
        Rule("JB701", "template-undefined", _E, "模板中用到的名称没有定义", "检查名称的拼写；名称来自本期的 data，以及 number、total、date、period、supplement、prev、ytd。"),
        Rule("JB702", "template-syntax", _E, "模板语法错误", "模板写作 {{ 名称 }} 或 {{ 名称 | 过滤器(参数) }}，花括号要成对，模板内的标点用半角。"),
        Rule("JB703", "template-unsafe", _E, "模板访问了不允许访问的内容", "模板只能引用 data 中的数、期号、日期和 prev/ytd，不能访问程序内部的属性和方法。"),
        Rule("JB704", "template-file-access", _E, "模板不能读取文件（include、import、extends）", "要用的文字直接写在本期文件中。"),
        Rule("JB705", "template-limit", _E, "模板运行时间过长、结果过长或数太大，已停止", "简报中的数字用不着循环和大范围计算：直接引用 data 中的数。"),
        Rule("JB706", "template-error", _E, "模板计算出错", "检查参与计算的是否都是数字，除数或比较基数是否可能为 0。"),
        Rule("JB707", "data-name", _E, "data 或 carry 的名称不能用作模板中的名称", "名称由汉字、字母、数字和下划线组成，不以数字开头，不与 number、date、prev、ytd 等重名。"),
        Rule("JB708", "neighbour-invalid", _E, "计算 prev/ytd 要读取的另一期有错误", "先改正那一期（jianbao check 那个文件），再编译本期。"),
        Rule("JB709", "table-shape", _E, "表格的行列不整齐", "每一行的格数、widths 和 align 的项数要与表头的列数相同。"),
        Rule("JB710", "table-total", _E, "表格中手写的合计与各行之和不符", "改正合计数，或删去手写的合计行，写 total: true 让 jianbao 计算。"),
        Rule("JB711", "percent-mismatch", _W, "比率与同一句中它所指的两个数算出来的不符", "用 {{ 部分 | pct(总数) }} 让 jianbao 计算百分比；确认无误时可以忽略：在那一行写 # jianbao: ignore JB711。"),
        Rule("JB712", "data-unused", _W, "data 中的数没有在正文中用到", "在正文中用 {{ 名称 }} 引用它，或从 data 中删去。"),
        Rule("JB713", "data-shape", _E, "data 的结构与同一年其他各期不一致，无法累计", "同一年各期的 data 用同样的结构：同一个名称要么是数，要么是一组数。"),
        # JB8xx photos (jianbao.images).
        Rule("JB801", "image-not-found", _E, "找不到照片，或照片在简报文件夹之外", "照片放进简报文件夹，路径写相对于本期文件的位置。"),
        Rule("JB802", "image-too-large", _E, "照片文件或像素数过大", "照片不超过 30 MB、6000 万像素；先缩小再用。"),
        Rule("JB803", "image-unreadable", _E, "照片不是 JPEG/PNG，或已损坏", "重新导出为 JPEG 或 PNG。"),
        Rule("JB804", "caption-style", _W, "图注不合版式预设要求的写法（开头的“图为”、最多几行）", "图注写作“图为……。”，一两行说清是谁、在哪里、做什么；版式预设 image.caption_lead 和 caption_max_lines 决定是否检查。"),
        # JB9xx import: reading finished bulletins (.docx .doc .wps .odt .txt .pdf) back into issue files
        # (jianbao.readers, jianbao.importer) and linting them where they are (jianbao check FILE.docx).
        Rule("JB901", "import-unsupported", _E, "不支持导入这种文件", "可以导入 .docx、.doc、.wps、.odt、.txt 和 .pdf；其他格式请先在 Word/WPS 中另存为 .docx。"),
        Rule("JB902", "import-too-large", _E, "要导入的文件过大", "一期简报连同图片通常只有几 MB：确认选对了文件，或删去其中的大图片后另存一份。"),
        Rule("JB903", "import-corrupt", _E, "文件已损坏、不完整，或不是它的扩展名所说的格式", "重新拷贝文件，或在 Word/WPS 中打开后另存为 .docx 再导入。"),
        Rule("JB904", "import-zip-bomb", _E, "文件解压后大得不合常理（疑似压缩炸弹），没有解压", "这不像是一份正常的简报：确认文件来源，或在 Word/WPS 中另存一份再导入。"),
        Rule("JB905", "import-encrypted", _E, "文件设置了密码，无法读取", "在 Word/WPS 中打开文件，取消“用密码进行加密”后另存一份再导入。"),
        Rule("JB906", "import-convert-failed", _E, "无法用 LibreOffice 或 pdftotext 读取文件", "运行 `jianbao doctor` 查看 LibreOffice 的情况；或在 Word/WPS 中把文件另存为 .docx 再导入。"),
        Rule("JB907", "import-no-issue", _E, "在文件中找不到一期简报的必备内容（印发日期）", "确认这是一期简报：报头的编印单位和印发日期（如“2024年5月13日”）应在同一行。"),
        Rule("JB908", "import-encoding", _E, "文本文件的编码认不出", "请把文件另存为 UTF-8 编码（记事本/WPS“另存为”时选择 UTF-8）。"),
        Rule("JB909", "import-exists", _E, "要写的文件已经存在，没有覆盖", "确认要用导入的内容替换已有文件时加 --force；否则先把已有文件改名。"),
        Rule("JB911", "import-unmapped", _W, "有一段无法归入简报的结构，已按正文导入或略去", "核对导入的文件中这一段的位置；jianbao 不印的内容（如印发机关行）请确认可以不要。"),
        Rule("JB912", "import-numeral-gap", _W, "原件中手工输入的序号跳号或重复", "jianbao 会按顺序重新编号：核对原件是否漏了一条，或序号打错了。"),
        Rule("JB913", "import-object", _W, "原件中的图片或文本框没有导入", "照片：把原图放进简报文件夹，在这一期的正文中写 image: 路径 和 caption: 图注；文本框：其中的文字如属正文，写进正文。"),
        Rule("JB914", "import-level-skip", _W, "原件中的序号跳过了一级，已按上一级的下一级导入", "公文序号依次为一、（一）1.（1）：核对这一段应在哪一级。"),
        Rule("JB915", "import-guessed", _W, "原件中缺少这一项，导入时暂用了一个值", "在导入的文件中改为实际内容。"),
        Rule("JB917", "import-unwritable", _W, "原件中有 Word 文档不能存放的控制字符，已删去", "核对这一段：这些字符看不见，删去后文字不变；常见于从网页或 PDF 复制的文字。"),
        Rule("JB916", "import-numeral-form", _W, "原件中手工输入的序号写法不规范", "jianbao 自动生成规范的序号：一、（一）1.（1）。"),
    ]
}


def rules_matching(token: str) -> list[str]:
    """The codes *token* names on the command line (``jianbao check --select/--ignore``): a code or
    the start of one (JB711, JB7, JB21), or a rule's name (unpaired-quote); [] when none."""
    token = token.strip()
    if token.lower() in _BY_NAME:
        return [_BY_NAME[token.lower()]]
    prefix = token.upper()
    return [code for code in RULES if prefix.startswith("JB") and code.startswith(prefix)]


_BY_NAME = {r.name: r.code for r in RULES.values()}


def always_reported(code: str) -> bool:
    """An error that means a file could not be read as YAML at all (JB0xx): ``--select`` never
    hides it, since none of the selected rules could look at that file."""
    return code.startswith("JB0") and RULES[code].severity is Severity.ERROR


@dataclass(frozen=True)
class Edit:
    """One safe change to a source file: at 1-based *line*/*column*, *old* becomes *new*.

    Rules attach edits where they have one right fix; ``jianbao check --fix`` applies them after
    checking that the file still holds *old* there.
    """

    line: int
    column: int
    old: str
    new: str


@dataclass
class Diagnostic:
    """One reported problem at one place."""

    code: str
    message: str
    file: Path | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    hint: str | None = None
    width: int = 1  # caret width, in characters
    source_line: str | None = None
    notes: list[str] = field(default_factory=list)
    fixes: list[Edit] = field(default_factory=list)  # what ``jianbao check --fix`` would change
    #: Where in a document that has no lines: “第2页第15段” (a Word bulletin); ``line`` then is the
    #: paragraph number and ``source_line`` the paragraph's text.
    place: str | None = None

    @property
    def rule(self) -> Rule:
        return RULES[self.code]

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        if self.file is None:
            return ""
        loc = str(self.file)
        if self.place is not None:
            return f"{loc}（{self.place}）"
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        return loc

    def render(self) -> str:
        """Plain-text form, ruff style: header, ``-->`` place, source line with a caret, hint."""
        out = [f"{self.severity.label} {self.code}: {self.message}"]
        loc = self.location()
        if loc:
            out.append(f"  --> {loc}")
        if self.source_line is not None and self.line is not None:
            num = str(self.line)
            pad = " " * len(num)
            text = self.source_line.rstrip("\r\n").expandtabs(1)
            col = max(1, self.column or 1)
            if len(text) > SOURCE_WINDOW:  # a long line is shown around the place, not whole
                a = max(0, col - 1 - SOURCE_WINDOW // 2)
                b = min(len(text), a + SOURCE_WINDOW)
                text = ("…" if a else "") + text[a:b] + ("…" if b < len(text) else "")
                col = col - a + (1 if a else 0)
            caret_at = _display_width(text[: col - 1])
            caret = "^" * max(1, _display_width(text[col - 1 : col - 1 + self.width]) or 1)
            out.append(f" {pad} |")
            out.append(f" {num} | {text}")
            out.append(f" {pad} | {' ' * caret_at}{caret}")
        for note in self.notes:
            out.append(f"   = {note}")
        hint = self.hint if self.hint is not None else self.rule.hint
        if hint:
            out.append(f"   = 提示：{hint}")
        return "\n".join(out)

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "name": self.rule.name,
            "severity": self.severity.value,
            "message": self.message,
            "file": str(self.file) if self.file else None,
            "line": self.line,
            "column": self.column,
            **({"place": self.place} if self.place is not None else {}),
            "hint": self.hint if self.hint is not None else self.rule.hint,
        }


#: Characters of a source line shown under a diagnostic (a longer line is cut around the place).
SOURCE_WINDOW = 120


def _display_width(text: str) -> int:
    """Terminal columns of *text*: East Asian wide characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class JianbaoError(Exception):
    """Raised by any pipeline stage with one or more diagnostics (at least one an error)."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = diagnostics
        super().__init__("\n\n".join(d.render() for d in diagnostics))
