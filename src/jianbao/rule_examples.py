"""An example for each rule that an issue file can break, and the same file put right.

``jianbao rules CODE`` prints them (the way ruff's rule pages show "Example" and "Use instead"),
and ``tests/test_registry.py`` runs every pair: the example must raise its code, the fix must not.
Each is a whole issue file of a small office (:data:`SERIES` unless the example gives its own
``jianbao.yaml``); ``before`` is an earlier issue of the same folder, for the rules across issues.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The office's jianbao.yaml unless an example brings its own.
SERIES = """\
name: 测试工作动态
editor: 测试中心
copies: 20
distribution:
  报: [上级单位]
  发: 本单位各处室。
"""


@dataclass(frozen=True)
class Example:
    bad: str  # the issue file (issues/2024-05-13.yaml) that breaks the rule
    good: str  # the same issue put right
    series: str = SERIES  # jianbao.yaml with the bad issue
    before: str | None = None  # an earlier issue in the same folder (issues/2024-05-06.yaml)
    good_series: str | None = None  # jianbao.yaml put right, when that is where the fix goes
    good_before: str | None = None  # the earlier issue put right, when that is where the fix goes
    files: tuple[tuple[str, str | bytes], ...] = ()  # other files of the office: (path, text or bytes)


def _text(text: str) -> str:
    """An issue whose only item is *text* (a plain scalar: write it the way staff would)."""
    return f"number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    items:\n      - {text}\n"


def _body(body: str, data: str = "") -> str:
    return f"number: 3\ndate: 2024-05-13\n{data}sections:\n  - title: 工作动态\n    body:\n{body}"


_OK = _text("本周召开专题会议。")


def _png(width: int = 4, height: int = 3) -> bytes:
    """A small grey PNG (a photo for the examples, without Pillow)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _house_captions() -> str:
    """The built-in preset with the caption style asked for: 图为…, at most two lines."""
    from pathlib import Path

    here = Path(__file__).resolve().parent
    for folder in (here / "templates", here.parent.parent / "templates"):
        if (folder / "layouts" / "gbt9704.yaml").is_file():
            text = (folder / "layouts" / "gbt9704.yaml").read_text(encoding="utf-8")
            return text.replace("caption_lead: ~", "caption_lead: 图为").replace("caption_max_lines: ~", "caption_max_lines: 2")
    return ""  # pragma: no cover - installed without templates/


def _photo(caption: str) -> str:
    return _body(f"      - image: ../照片/现场.png\n        caption: {caption}\n")
_PREV = "number: 2\ndate: 2024-05-06\nperiod: {start: 2024-04-29, end: 2024-05-03}\n" \
        "sections:\n  - title: 工作动态\n    items: [上周召开专题会议。]\n"
_TABLE = "      - table:\n          caption: 本周办件\n          header: [类别, 件数]\n          rows: [[窗口, 3], [网上, 4], {}]\n"

EXAMPLES: dict[str, Example] = {
    # JB0xx the file and its YAML
    "JB003": Example("number: 3\ndate: 2024-05-13\nsections:\n  - title: [工作动态\n", _OK),
    "JB004": Example("number: 3\nnumber: 4\ndate: 2024-05-13\n", "number: 3\ndate: 2024-05-13\n"),
    "JB005": Example("- number: 3\n- date: 2024-05-13\n", "number: 3\ndate: 2024-05-13\n"),
    "JB006": Example("number: 3\ndate: 2024-05-13\nbody: " + "[" * 200 + "a" + "]" * 200 + "\n", _OK),
    "JB008": Example('number: 3\ndate: 2024-05-13\nbody: "本周\\u0001召开会议。"\n', 'number: 3\ndate: 2024-05-13\nbody: "本周召开会议。"\n'),
    # JB02x the YAML traps
    "JB020": Example(_text("王建国强调: 要坚持以人民为中心。"), _text("王建国强调：要坚持以人民为中心。")),
    "JB021": Example(_OK + "      -5月9日，组织窗口业务培训。\n", _OK + "      - 5月9日，组织窗口业务培训。\n"),
    "JB022": Example("number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n   body: 本周召开专题会议。\n",
                     "number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    body: 本周召开专题会议。\n"),
    "JB023": Example("number: 3\ndate: 2024-05-13\nsections:\n\t- title: 工作动态\n", _OK),
    "JB024": Example(_text("*重点*工作：召开专题会议。"), _text('"*重点*工作：召开专题会议。"')),
    "JB025": Example(_text("no"), _text('"no"')),
    "JB027": Example(_text("本周开展 #我为群众办实事# 主题活动。"), _text('"本周开展 #我为群众办实事# 主题活动。"')),
    "JB026": Example("number: 3\ndate: 2024-05-13\nsections:\n  - title：工作动态\n    items:\n      - 本周召开专题会议。\n",
                     "number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    items:\n      - 本周召开专题会议。\n"),
    # JB03x ignores (# jianbao: ignore CODE, ignore: [CODE])
    "JB030": Example(_text("本周召开专题会议。  # jianbao: ignore JB711"), _OK),
    "JB031": Example(_text("一、本周召开专题会议。  # jianbao: ignore JB110"), _OK),
    # JB1xx the issue file's fields
    "JB101": Example("number: 3\nsections: []\n", "number: 3\ndate: 2024-05-13\n"),
    "JB102": Example("number: 第三期\ndate: 2024-05-13\n", "number: 3\ndate: 2024-05-13\n"),
    "JB103": Example("nubmer: 3\ndate: 2024-05-13\n", "number: 3\ndate: 2024-05-13\n"),
    "JB104": Example("number: 3\ndate: 2024-04-31\n", "number: 3\ndate: 2024-04-30\n"),
    "JB105": Example("number: 3\ndate: 20240513\n", "number: 3\ndate: 2024-05-13\n"),
    "JB106": Example("number: 3\ndate: 2024-05-13\nperiod: {start: 2024-05-10, end: 2024-05-06}\n",
                     "number: 3\ndate: 2024-05-13\nperiod: {start: 2024-05-06, end: 2024-05-10}\n"),
    "JB107": Example("number: 3\ndate: 2024-05-09\nperiod: {start: 2024-05-06, end: 2024-05-10}\n",
                     "number: 3\ndate: 2024-05-13\nperiod: {start: 2024-05-06, end: 2024-05-10}\n"),
    "JB108": Example("number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    lead: 推进改革。\n", _OK),
    "JB109": Example("number: 3\ndate: 2024-05-13\nsections:\n  - title: 一级\n    items:\n      - title: 二级\n"
                     "        items:\n          - title: 三级\n            items:\n              - title: 四级\n"
                     "                items: [五级]\n",
                     "number: 3\ndate: 2024-05-13\nsections:\n  - title: 一级\n    items:\n      - title: 二级\n"
                     "        items:\n          - title: 三级\n            items: [四级]\n"),
    "JB110": Example(_text("（一）本周召开专题会议。"), _OK),
    "JB111": Example("number: 0\ndate: 2024-05-13\n", "number: 1\ndate: 2024-05-13\n"),
    "JB112": Example('number: 3\ndate: 2024-05-13\nsubtitle: ""\n', "number: 3\ndate: 2024-05-13\n"),
    "JB113": Example("number: 012\ndate: 2024-05-13\n", "number: 12\ndate: 2024-05-13\n"),
    # JB2xx the text
    "JB201": Example(_text("本周召开专题会议,部署重点工作。"), _text("本周召开专题会议，部署重点工作。")),
    "JB202": Example(_text("本周重点做了三件事：一.召开会议。"), _text("本周重点做了三件事：一、召开会议。")),
    "JB203": Example(_text("05月06日召开专题会议。"), _text("5月6日召开专题会议。")),
    "JB204": Example(_text("5月6日-5月10日召开专题会议。"), _text("5月6日—5月10日召开专题会议。")),
    "JB205": Example(_text("本周召开专题会议，参会XX人。"), _text("本周召开专题会议，参会12人。")),
    "JB210": Example(_text("本周 召开 专题会议。"), _OK),
    "JB211": Example(_text("\u3000\u3000本周召开专题会议。"), _OK),
    "JB212": Example(_text("本周\u200b召开专题会议。"), _OK),
    "JB213": Example(_text("本周召开专题会议１２次。"), _text("本周召开专题会议12次。")),
    "JB214": Example(_text("本周召开“专题会议。"), _text("本周召开“专题会议”。")),
    "JB215": Example(_OK.replace("专题会议。", "专题会议。   "), _OK),
    "JB216": Example(_OK.replace("sections:", "title:\n  - 关于全面推进政务服务标准化规范化便利化建设\n  - 的工作情况报告\nsections:"),
                     _OK.replace("sections:", "title:\n  - 关于全面推进政务服务标准化\n  - 规范化便利化建设的工作情况报告\nsections:")),
    "JB206": Example(_body("      - 本周召开专题会议，部署重点工作。\n      - 本周召开专题会议，部署重点工作。\n"),
                     _body("      - 本周召开专题会议，部署重点工作。\n      - 下周继续推进各项工作。\n")),
    "JB207": Example("number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n", _OK),
    "JB208": Example(_text("4月31日召开专题会议。"), _text("4月30日召开专题会议。")),
    # JB3xx across the issues of the folder
    "JB301": Example(_OK.replace("number: 3", "number: 4"), _OK, before=_PREV),
    "JB302": Example(_OK.replace("number: 3", "number: 2"), _OK, before=_PREV),
    "JB303": Example(_OK.replace("number: 3", "number: 3\ntotal: 40"), _OK.replace("number: 3", "number: 3\ntotal: 31"),
                     before=_PREV.replace("number: 2", "number: 2\ntotal: 30")),
    "JB304": Example(_OK.replace("number: 3", "number: 3\ntotal: 30"), _OK.replace("number: 3", "number: 3\ntotal: 31"),
                     before=_PREV.replace("number: 2", "number: 2\ntotal: 30")),
    "JB305": Example(_OK.replace("date: 2024-05-13", "date: 2024-05-05"), _OK, before=_PREV),
    "JB306": Example(_OK.replace("date: 2024-05-13", "date: 2024-05-06"), _OK, before=_PREV),
    "JB307": Example(_OK.replace("date: 2024-05-13", "date: 2024-05-13\nperiod: {start: 2024-05-02, end: 2024-05-10}"),
                     _OK.replace("date: 2024-05-13", "date: 2024-05-13\nperiod: {start: 2024-05-06, end: 2024-05-10}"),
                     before=_PREV),
    "JB308": Example(_OK.replace("date: 2024-05-13", "date: 2024-05-13\nperiod: {start: 2024-05-08, end: 2024-05-10}"),
                     _OK.replace("date: 2024-05-13", "date: 2024-05-13\nperiod: {start: 2024-05-06, end: 2024-05-10}"),
                     before=_PREV),
    # JB4xx settings and layout
    "JB401": Example(_OK + "layout: 本单位\n", _OK + "layout: gbt9704\n"),
    "JB402": Example(_OK + "layout: 本单位\n", _OK + "layout: gbt9704\n",
                     files=(("templates/layouts/本单位.yaml", "page: {width: 11906}\n"),)),
    # JB8xx photos
    "JB804": Example(_photo("调研组在综合窗口了解办件情况。"), _photo("图为调研组在综合窗口了解办件情况。"),
                     series=SERIES + "layout: 本单位\n",
                     files=(("templates/layouts/本单位.yaml", _house_captions()), ("照片/现场.png", _png()))),
    "JB403": Example(_OK, _OK, series="name: 测试工作动态\neditor: 测试中心\ncopies: 20\n", good_series=SERIES),
    "JB404": Example(_OK, _OK, series="name: 测试工作动态\neditor: 测试中心\ndistribution: {发: 本单位各处室。}\n",
                     good_series=SERIES),
    "JB405": Example(_OK, _OK, series=SERIES.replace("name: 测试工作动态", "name: " + "政务服务" * 6 + "工作动态"),
                     good_series=SERIES),
    # JB7xx figures
    "JB701": Example(_text("本周受理{{ 受里 }}件。").replace("sections:", "data: {受理: 5}\nsections:"),
                     _text("本周受理{{ 受理 }}件。").replace("sections:", "data: {受理: 5}\nsections:")),
    "JB702": Example(_text("'本周受理{{ 受理 件。'").replace("sections:", "data: {受理: 5}\nsections:"),
                     _text("本周受理{{ 受理 }}件。").replace("sections:", "data: {受理: 5}\nsections:")),
    "JB703": Example(_text("'{{ 受理.__class__ }}'").replace("sections:", "data: {受理: 5}\nsections:"),
                     _text("本周受理{{ 受理 }}件。").replace("sections:", "data: {受理: 5}\nsections:")),
    "JB704": Example(_text("'{% include \"a.txt\" %}'"), _OK),
    "JB705": Example(_text("'{{ range(100000) | list | length }}'"), _OK),
    "JB706": Example(_text("'{{ 受理 | pct(0) }}'").replace("sections:", "data: {受理: 5}\nsections:"),
                     _text("本周受理{{ 受理 }}件。").replace("sections:", "data: {受理: 5}\nsections:")),
    "JB707": Example(_text("本周受理{{ ytd }}件。").replace("sections:", "data: {ytd: 5}\nsections:"),
                     _text("本周受理{{ 受理 }}件。").replace("sections:", "data: {受理: 5}\nsections:")),
    "JB708": Example(_text("今年以来受理{{ ytd.受理 }}件。").replace("sections:", "data: {受理: 5}\nsections:"),
                     _text("今年以来受理{{ ytd.受理 }}件。").replace("sections:", "data: {受理: 5}\nsections:"),
                     before=_PREV.replace("number: 2", "number: 二"), good_before=_PREV),
    "JB709": Example(_body(_TABLE.replace("{}", "[合计, 7, 1]")), _body(_TABLE.replace("{}", "[合计, 7]"))),
    "JB710": Example(_body(_TABLE.replace("{}", "[合计, 8]")), _body(_TABLE.replace("{}", "[合计, 7]"))),
    "JB711": Example(_text("受理5160件，办结4879件，办结率85.25%。"), _text("受理5160件，办结4879件，办结率94.55%。")),
    "JB713": Example(_text("今年以来受理{{ ytd.受理 }}件。").replace("sections:", "data: {受理: 5}\nsections:"),
                     _text("今年以来受理{{ ytd.受理 }}件。").replace("sections:", "data: {受理: 5}\nsections:"),
                     before=_PREV.replace("sections:", "data: {受理: {窗口: 3}}\nsections:"),
                     good_before=_PREV.replace("sections:", "data: {受理: 3}\nsections:")),
    "JB712": Example(_text("本周受理5件。").replace("sections:", "data: {受理: 5}\nsections:"),
                     _text("本周受理{{ 受理 }}件。").replace("sections:", "data: {受理: 5}\nsections:")),
}


def fix_lines(code: str) -> list[str]:
    """The example of *code* as the lines that change: “- ” what breaks the rule, “+ ” what is right."""
    import difflib

    ex = EXAMPLES[code]
    out: list[str] = []
    for bad, good, where in ((ex.series, ex.good_series, "jianbao.yaml"), (ex.before, ex.good_before, "上一期"),
                             (ex.bad, ex.good, "本期")):
        if bad is None or good is None or bad == good:
            continue
        diff = [ln for ln in difflib.ndiff(bad.splitlines(), good.splitlines()) if ln[:1] in "-+"]
        out += [f"（{where}）"] + [ln.rstrip() for ln in diff]
    return out
