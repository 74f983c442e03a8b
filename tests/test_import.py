"""jianbao import: .docx bulletins back into issue files (issue 14).

Round trip: every bulletin jianbao builds — the example, the fixtures, a table issue — imports
to an issue file (and a jianbao.yaml) that builds the very same .docx, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, Office
from handmade import CENTER, MASTHEAD, handmade
from jianbao.importer import import_files
from jianbao.pipeline import compile_issue, prepare

OFFICES = [
    (ROOT, "issues/2024-05-13.yaml"),
    (FIXTURES / "full", "issues/2024-05-20-zk.yaml"),
    (FIXTURES / "long", "issues/2024-06-03.yaml"),
    (FIXTURES / "minimal", "issues/2024-07-01.yaml"),
]

TABLE_ISSUE = """\
number: 3
date: 2024-05-13
sections:
  - title: 综窗改革攻坚行动
    items:
      - lead: 省本级综窗办件情况。
        body:
          - 本周办件情况见下表。
          - table:
              caption: 省本级综窗办件情况
              header: [类别, 本周, 今年以来]
              widths: [2, 1, 1]
              rows:
                - [咨询, 1142, 24276]
                - [受理, 391, 9990]
                - [颁发, 3096, 61746]
              total: true
          - 表后的一段正文。
"""


def build(issue: Path, out: Path) -> bytes:
    compile_issue(prepare(issue), out)
    return out.read_bytes()


def round_trip(issue: Path, tmp: Path) -> tuple[bytes, bytes, Path]:
    """Build *issue*, import the .docx into an empty folder, build the imported file."""
    original = build(issue, tmp / "original" / (issue.stem + ".docx"))
    office = tmp / "imported"
    created: list[Path] = []
    [result] = import_files([tmp / "original" / (issue.stem + ".docx")], out=office, created=created)
    assert result.ok, "\n".join(d.render() for d in result.diagnostics)
    assert created == [office / "jianbao.yaml"]
    assert result.written == office / "issues" / (issue.stem + ".yaml")
    again = build(result.written, tmp / "again.docx")
    return original, again, result.written


@pytest.mark.parametrize("root,issue", OFFICES, ids=[p.name for p, _ in OFFICES])
def test_import_of_a_built_bulletin_builds_the_same_docx(tmp_path, root, issue):
    original, again, written = round_trip(root / issue, tmp_path)
    assert again == original
    from jianbao.check import iter_texts
    from jianbao.load import load_yaml
    from jianbao.model import IssueFile
    from jianbao.numbering import typed_numeral
    from jianbao.validate import validate

    issue = validate(load_yaml(written), IssueFile)
    starts = [t.text for t in iter_texts(issue) if typed_numeral(t.text)]
    assert not starts, starts  # the numerals are generated, not imported


def test_import_recovers_the_example_fields(tmp_path):
    _, _, written = round_trip(ROOT / "issues/2024-05-13.yaml", tmp_path)
    import yaml

    data = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert (data["number"], data["total"], str(data["date"])) == (18, 356, "2024-05-13")
    assert [s["title"] for s in data["sections"]][:2] == ["政务工作动态", "“高效办成一件事”专项行动"]
    assert data["sections"][2] == {"title": "厅（局）长进大厅", "body": data["sections"][2]["body"]}
    series = yaml.safe_load((tmp_path / "imported" / "jianbao.yaml").read_text(encoding="utf-8"))
    example = yaml.safe_load((ROOT / "jianbao.yaml").read_text(encoding="utf-8"))
    assert series == example  # name, editor, copies, distribution rows in order, separator, layout


def test_a_table_comes_back_as_a_table(tmp_path):
    office = Office(tmp_path / "office")
    original, again, written = round_trip(office.issue(TABLE_ISSUE), tmp_path)
    assert again == original
    text = written.read_text(encoding="utf-8")
    assert "caption: 省本级综窗办件情况" in text and "- [合计, 4629, 96012]" in text


# --- the office folder: jianbao.yaml from the first bulletin, never overwriting -------------------------


HAND_BODY = [
    {"text": "一、重点工作", "font": "黑体"},
    {"runs": [("（一）推进事项管理突破。", {"font": "楷体_GB2312"}), ("坚持市级统筹，注重示范引导。", {})]},
    "（三）本周召开专题会议，研究部署重点工作。",
    {"text": "二、工作动态", "font": "黑体"},
    "1、窗口服务。本周共受理办件120件。",
    {"text": "省本级办件情况", "align": CENTER, "font": "黑体"},
    {"table": [["类别", "本周"], ["咨询", "1142"], ["受理", "391"]]},
    "三“好差评”工作",
    "本周收到好评98条。",
]


def codes(result) -> list[str]:
    return [d.code for d in result.diagnostics]


def test_a_hand_made_bulletin_imports_with_its_structure(tmp_path):
    import yaml

    src = handmade(tmp_path / "第7期.docx", HAND_BODY)
    [r] = import_files([src], out=tmp_path / "office")
    assert r.ok
    data = yaml.safe_load(r.written.read_text(encoding="utf-8"))
    assert r.written.name == "2024-05-13.yaml"
    assert (data["number"], data["total"]) == (7, 120)
    assert data["period"] == {"start": dt.date(2024, 5, 6), "end": dt.date(2024, 5, 10)}
    first, second, third = data["sections"]
    assert first == {"title": "重点工作", "items": [{"lead": "推进事项管理突破。", "body": "坚持市级统筹，注重示范引导。"},
                                                 "本周召开专题会议，研究部署重点工作。"]}
    assert second["items"][0]["body"][0] == "窗口服务。本周共受理办件120件。"
    assert second["items"][0]["body"][1]["table"]["caption"] == "省本级办件情况"
    assert second["items"][0]["body"][1]["table"]["rows"] == [["咨询", 1142], ["受理", 391]]
    assert third == {"title": "“好差评”工作", "body": "本周收到好评98条。"}
    series = yaml.safe_load((tmp_path / "office" / "jianbao.yaml").read_text(encoding="utf-8"))
    assert series == {"name": "政务服务工作动态", "editor": "锦城市政务服务管理局", "copies": 60,
                      "distribution": {"报": ["省政务服务管理办公室", "市委办公室", "市政府办公室"],
                                       "发": ["局机关各处室", "直属单位"]}, "layout": "gbt9704"}
    compile_issue(prepare(r.written), tmp_path / "out.docx")  # and it builds


def test_warnings_name_the_paragraph(tmp_path):
    src = handmade(tmp_path / "b.docx", HAND_BODY, image=True, textbox="文本框里的字")
    [r] = import_files([src], out=tmp_path / "office")
    by = {}
    for d in r.diagnostics:
        by.setdefault(d.code, []).append(d)
    gap = by["JB912"][0]
    assert "“（三）”" in gap.message and "应为“（二）”" in gap.message and gap.line == 7 and "第7段" in gap.place
    assert gap.source_line.startswith("（三）本周召开")
    assert {d.message.split("处")[0] for d in by["JB913"]} == {"第6段", "第7段"}
    assert any("文本框里的字" in d.message for d in by["JB913"])
    assert by["JB914"][0].line == 9 and "“1、”" in by["JB914"][0].message  # 1、 straight under 二、
    assert any("漏了“、”" in d.message and d.line == 17 for d in by["JB916"])  # 三“好差评”
    text = r.written.read_text(encoding="utf-8")
    assert "#   JB912 约第1页第7段" in text  # the warnings are also at the top of the issue file


def test_an_unmapped_paragraph_is_kept_and_said(tmp_path):
    src = handmade(tmp_path / "b.docx", [
        {"text": "一、重点工作", "font": "黑体"}, "（一）本周召开专题会议。",
        {"text": "（此页无正文）", "align": CENTER}, "（二）下周继续推进。"])
    [r] = import_files([src], out=tmp_path / "office")
    [d] = [d for d in r.diagnostics if d.code == "JB911"]
    assert "（此页无正文）" in d.message and d.line == 7
    assert "（此页无正文）" in r.written.read_text(encoding="utf-8")


def test_never_overwrites_without_force(tmp_path, cli):
    src = handmade(tmp_path / "b.docx", HAND_BODY)
    office = tmp_path / "office"
    first = cli("import", src, "-o", office)
    assert first.exit_code == 0 and "issues/2024-05-13.yaml" in first.stdout
    issue = office / "issues" / "2024-05-13.yaml"
    settings = office / "jianbao.yaml"
    issue.write_text(issue.read_text(encoding="utf-8") + "# 手工改过\n", encoding="utf-8")
    settings.write_text(settings.read_text(encoding="utf-8").replace("copies: 60", "copies: 61"), encoding="utf-8")
    again = cli("import", src, "-o", office)
    assert again.exit_code == 1 and "JB909" in again.stderr and "--force" in again.stderr
    assert issue.read_text(encoding="utf-8").endswith("# 手工改过\n")
    forced = cli("import", src, "-o", office, "--force")
    assert forced.exit_code == 0
    text = issue.read_text(encoding="utf-8")
    assert "# 手工改过" not in text
    assert "copies: 61" in settings.read_text(encoding="utf-8")  # jianbao.yaml is never replaced …
    assert "\ncopies: 60\n" in text  # … the issue carries what it printed instead


def test_two_bulletins_of_one_date_are_not_both_written(tmp_path):
    a = handmade(tmp_path / "a.docx", HAND_BODY)
    b = handmade(tmp_path / "b.docx", HAND_BODY)
    ra, rb = import_files([a, b], out=tmp_path / "office")
    assert ra.ok and not rb.ok and codes(rb)[-1] == "JB909" and "a.docx" in rb.diagnostics[-1].message


def test_later_bulletins_override_what_differs_from_the_first(tmp_path):
    import yaml

    a = handmade(tmp_path / "a.docx", HAND_BODY)
    masthead = [dict(m) for m in MASTHEAD]
    masthead[1]["text"] = "第8期（总第121期）"
    masthead[2]["text"] = "（5月13日—5月17日）"
    masthead[3]["text"] = "锦城市政务服务局\t2024年5月20日"
    b = handmade(tmp_path / "b.docx", HAND_BODY, masthead=masthead,
                 end=[{"text": "发：局机关各处室。"}, {"text": "（共印40份）"}])
    ra, rb = import_files([a, b], out=tmp_path / "office")
    assert ra.ok and rb.ok
    data = yaml.safe_load(rb.written.read_text(encoding="utf-8"))
    assert (data["editor"], data["copies"], data["distribution"]) == ("锦城市政务服务局", 40, {"发": "局机关各处室。"})
    assert "editor" not in yaml.safe_load(ra.written.read_text(encoding="utf-8"))


# --- bulletins typed in LibreOffice Writer, saved as .docx, .doc and .odt ---------------------------------

HANDMADE = FIXTURES / "handmade"


def _body(text: str) -> str:
    """The issue file without its first comment lines (they name the file it came from)."""
    return text.split("\n\nnumber:", 1)[1]


@pytest.mark.parametrize("suffix", [".docx", ".doc", ".odt"])
def test_a_libreoffice_bulletin_imports_as_expected(tmp_path, suffix):
    src = HANDMADE / f"2024-06-11{suffix}"
    [r] = import_files([src], out=tmp_path / "office")
    assert r.ok, "\n".join(d.render() for d in r.diagnostics)
    expected = HANDMADE / "expected"
    assert _body(r.written.read_text(encoding="utf-8")) == _body(
        (expected / "issues" / "2024-06-11.yaml").read_text(encoding="utf-8"))
    got = (tmp_path / "office" / "jianbao.yaml").read_text(encoding="utf-8").split("\n", 2)[2]
    assert got == (expected / "jianbao.yaml").read_text(encoding="utf-8").split("\n", 2)[2]
    assert [d.code for d in r.diagnostics] == ["JB912", "JB916", "JB916", "JB916", "JB916"]
    if suffix != ".docx":
        assert f"经 LibreOffice 由 {suffix} 转换" in r.written.read_text(encoding="utf-8")


def test_the_expected_handmade_issue_builds(tmp_path):
    office = tmp_path / "office"
    shutil.copytree(HANDMADE / "expected", office)
    compile_issue(prepare(office / "issues" / "2024-06-11.yaml"), tmp_path / "x.docx")


# --- text only: .pdf and .txt (the seed) -------------------------------------------------------------------

SEED = Path("/work/shared/seed/2024-05-13-sichuan-bulletin.txt")
SEED_COPY = FIXTURES / "handmade" / "seed-2024-05-13.txt"  # the seed as committed (the shared folder may move)


def document_text(path: Path) -> list[str]:
    """The paragraphs of a built .docx, in order (tables' cells included)."""
    from jianbao.readers import read_document

    return [p.text for p in read_document(path).paragraphs()]


def test_a_pdf_imports_to_the_same_document_text(tmp_path):
    """Formatting is lost in a PDF (run-in leads come back as text); the text a build prints is the same."""
    [r] = import_files([HANDMADE / "2024-06-11.pdf"], out=tmp_path / "office")
    assert r.ok
    assert [d.code for d in r.diagnostics] == ["JB912", "JB916", "JB916", "JB916", "JB916"]
    assert any("页码" in n for n in r.notes) is False  # LibreOffice printed no page numbers here
    build(r.written, tmp_path / "pdf.docx")
    got = document_text(tmp_path / "pdf.docx")
    office = tmp_path / "expected"
    shutil.copytree(HANDMADE / "expected", office)
    build(office / "issues" / "2024-06-11.yaml", tmp_path / "want.docx")
    want = document_text(tmp_path / "want.docx")
    assert got == want


def test_the_seed_text_imports_close_to_the_example(tmp_path):
    """The differences are the ones the README's import section explains."""
    import yaml

    from jianbao.check import iter_texts

    [r] = import_files([SEED_COPY], out=tmp_path / "office")
    assert r.ok
    data = yaml.safe_load(r.written.read_text(encoding="utf-8"))
    assert data["number"] == 1 and "total" not in data and "period" not in data  # not in the extracted text
    found = {(d.code, d.line) for d in r.diagnostics}
    assert {("JB915", 1), ("JB915", 3), ("JB916", 73)} <= found  # 4月31日, no name/期号, 二 without 、
    assert any("“— 4—”" in n for n in r.notes)
    settings = tmp_path / "office" / "jianbao.yaml"
    series = yaml.safe_load(settings.read_text(encoding="utf-8"))
    assert series["name"] == "待填：简报名称"  # JB205 until the office fills it in, as a user would:
    settings.write_text(settings.read_text(encoding="utf-8").replace("待填：简报名称", "工作动态"), encoding="utf-8")
    mine = [t.text for t in iter_texts(prepare(r.written).bulletin.issue)]
    example = [t.text for t in iter_texts(prepare(ROOT / "issues" / "2024-05-13.yaml").bulletin.issue)]
    assert len(mine) == len(example)
    differ = [(a, b) for a, b in zip(mine, example) if a != b]
    assert len(differ) == 1 and differ[0][0].replace("平台,是", "平台，是") == differ[0][1]
    assert {k: v for k, v in series.items() if k != "name"} == {
        k: v for k, v in yaml.safe_load((ROOT / "jianbao.yaml").read_text(encoding="utf-8")).items() if k != "name"}


def test_the_committed_seed_is_the_seed():
    if SEED.is_file():
        assert SEED_COPY.read_bytes() == SEED.read_bytes()


def test_a_text_file_one_paragraph_a_line(tmp_path):
    import yaml

    p = tmp_path / "a.txt"
    p.write_text("政务服务工作动态\n第3期\n测试中心　2024年5月13日\n一、工作动态\n（一）本周召开专题会议。\n"
                 "（二）推进改革。\n报：上级单位、相关部门。\n（共印20份）\n", encoding="utf-8")
    [r] = import_files([p], out=tmp_path / "office")
    data = yaml.safe_load(r.written.read_text(encoding="utf-8"))
    assert data["sections"] == [{"title": "工作动态", "items": ["本周召开专题会议。", "推进改革。"]}]
    assert data["number"] == 3


# --- a new office's first day -------------------------------------------------------------------------------

WEEK = """\
number: {n}
total: {t}
date: {date}
period:
  start: {start}
  end: {end}
sections:
  - title: 工作动态
    items:
      - 本周召开专题会议{n}次。
      - lead: 推进改革。
        body: 围绕重点任务推进各项工作。
"""


def test_an_empty_folder_continues_from_imported_bulletins(tmp_path, cli, monkeypatch):
    """jianbao import 去年/*.docx, check issues/, new, build: the new issue continues the numbering."""
    import yaml

    source = Office(tmp_path / "theirs")
    last_year = tmp_path / "去年"
    weeks = [(3, 30, "2024-05-13", "2024-05-06", "2024-05-11"), (4, 31, "2024-05-20", "2024-05-13", "2024-05-17")]
    for n, t, date, start, end in weeks:
        issue = source.issue(WEEK.format(n=n, t=t, date=date, start=start, end=end), name=f"{date}.yaml")
        compile_issue(prepare(issue), last_year / f"第{n}期.docx")
    here = tmp_path / "新办公室"
    here.mkdir()
    monkeypatch.chdir(here)
    r = cli("import", *sorted(last_year.glob("*.docx")))
    assert r.exit_code == 0, r.stderr
    assert r.stdout.split() == ["jianbao.yaml", "issues/2024-05-13.yaml", "issues/2024-05-20.yaml"]
    checked = cli("check", "issues/")
    assert checked.exit_code == 0 and "检查通过" in checked.stderr, checked.stderr
    made = cli("new")
    assert made.exit_code == 0, made.stderr
    new = here / made.stdout.strip()
    data = yaml.safe_load(new.read_text(encoding="utf-8"))
    assert (data["number"], data["total"], str(data["date"])) == (5, 32, "2024-05-27")
    assert [str(data["period"]["start"]), str(data["period"]["end"])] == ["2024-05-20", "2024-05-24"]
    assert data["sections"][0]["title"] == "工作动态"  # the headings of the imported issue
    new.write_text(new.read_text(encoding="utf-8").replace("待填：……", "本周召开专题会议5次。"), encoding="utf-8")
    built = cli("build", new)
    assert built.exit_code == 0, built.stderr


# --- typed numerals -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected3,want", [
    ("一、政务工作动态", None, (1, 1, None)),
    ("十二、其他", None, (1, 12, None)),
    ("二.工作", None, (1, 2, "汉字序号后用了“.”，应为“、”")),
    ("（三）做法", None, (2, 3, None)),
    ("(三)做法", None, (2, 3, "用了半角括号")),
    ("（一）、做法", None, (2, 1, "括号后又加了“、”")),
    ("1.做法", None, (3, 1, None)),
    ("2、做法", None, (3, 2, "阿拉伯数字序号后用了“、”，应为“.”")),
    ("3．做法", None, (3, 3, "阿拉伯数字序号后用了“．”，应为“.”")),
    ("（4）做法", None, (4, 4, None)),
    ("(4)做法", None, (4, 4, "用了半角括号")),
    ("5)做法", None, (4, 5, "只有右括号，应为“（N）”")),
    ("1.12345热线运行平稳", 1, (3, 1, None)),  # jianbao printed “1.” before text that opens with digits
    ("3.4月，推动……", 3, (3, 3, None)),
    ("1.5万户企业受益", 1, None),  # a number, not a numeral
    ("12345热线运行平稳", None, None),
    ("2024年5月13日", None, None),
    ("一体化平台上线", None, None),
    ("一是加强领导", None, None),
])
def test_typed_numerals(text, expected3, want):
    from jianbao.readers.structure import parse_numeral

    n = parse_numeral(text, expected_l3=expected3)
    assert (None if n is None else (n.level, n.n, n.slip)) == want


def test_a_numeral_without_its_mark_only_where_it_is_expected():
    from jianbao.readers.structure import parse_numeral

    assert parse_numeral("二“高效办成一件事”专项行动", expected_l1=2).slip == "汉字序号后漏了“、”"
    assert parse_numeral("二“高效办成一件事”专项行动", expected_l1=3) is None


def test_the_pdf_of_a_built_bulletin_round_trips(tmp_path):
    """jianbao's own PDF (through LibreOffice): the text alone gives back the same .docx."""
    from jianbao.pdf import convert_to_pdf

    original = tmp_path / "2024-05-13.docx"
    build(ROOT / "issues" / "2024-05-13.yaml", original)
    [pdf] = convert_to_pdf([original], out_dir=tmp_path / "pdf")
    [r] = import_files([pdf], out=tmp_path / "office")
    assert r.ok and [d.code for d in r.diagnostics] == []
    assert sum("页码" in n for n in r.notes) >= 3  # “— 1 —” … dropped, and said so
    assert build(r.written, tmp_path / "again.docx") == original.read_bytes()


def test_a_wps_file_goes_through_libreoffice(tmp_path):
    """WPS saves .wps in the Word 97 binary format; LibreOffice reads it by its content (here: the
    .doc fixture under a .wps name — a real WPS file was not at hand)."""
    src = tmp_path / "2024-06-11.wps"
    src.write_bytes((HANDMADE / "2024-06-11.doc").read_bytes())
    [r] = import_files([src], out=tmp_path / "office")
    assert r.ok
    assert _body(r.written.read_text(encoding="utf-8")) == _body(
        (HANDMADE / "expected" / "issues" / "2024-06-11.yaml").read_text(encoding="utf-8"))


def test_pages_come_from_words_rendered_page_breaks(tmp_path):
    """Word records where it broke the pages when it saved (w:lastRenderedPageBreak): places say so exactly."""
    import docx
    from lxml import etree

    src = handmade(tmp_path / "w.docx", HAND_BODY)
    d = docx.Document(src)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    third = [p for p in d.paragraphs if p.text.startswith("（三）")][0]
    run = third.runs[0]._r
    run.insert(1, etree.Element(w + "lastRenderedPageBreak"))
    d.save(src)
    [r] = import_files([src], out=tmp_path / "office")
    gap = next(x for x in r.diagnostics if x.code == "JB912")
    assert gap.place == "第2页第7段"


def test_words_automatic_numbering_is_read_as_typed(tmp_path):
    """Numbers Word prints from its list numbering (not in the text) count as typed numerals."""
    import docx
    from lxml import etree

    src = handmade(tmp_path / "n.docx", ["一、重点工作", "第一件事做完了。", "第二件事也做完了。"])
    d = docx.Document(src)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    numbering = d.part.numbering_part.element
    numbering.insert(0, etree.fromstring(
        f'<w:abstractNum xmlns:w="{w}" w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%1）"/></w:lvl></w:abstractNum>'))
    numbering.append(etree.fromstring(f'<w:num xmlns:w="{w}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for p in d.paragraphs:
        if p.text.endswith("做完了。"):
            p._p.get_or_add_pPr().append(etree.fromstring(
                f'<w:numPr xmlns:w="{w}"><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))
    d.save(src)
    import yaml

    [r] = import_files([src], out=tmp_path / "office")
    data = yaml.safe_load(r.written.read_text(encoding="utf-8"))
    assert data["sections"] == [{"title": "重点工作", "items": ["第一件事做完了。", "第二件事也做完了。"]}]


def test_text_that_looks_like_a_template_prints_as_typed(tmp_path):
    src = handmade(tmp_path / "t.docx", ["一、重点工作", "（一）系统提示“{{ 用户名 }}”和“{% if %}”时请联系热线。"])
    [r] = import_files([src], out=tmp_path / "office")
    built = tmp_path / "t-again.docx"
    build(r.written, built)
    assert "（一）系统提示“{{ 用户名 }}”和“{% if %}”时请联系热线。" in document_text(built)


def test_a_folder_stands_for_the_bulletins_in_it(tmp_path):
    folder = tmp_path / "去年"
    folder.mkdir()
    handmade(folder / "a.docx", HAND_BODY)
    (folder / "~$a.docx").write_bytes(b"\x00" * 162)  # Word's lock file beside an open document
    (folder / "说明.xlsx").write_bytes(b"PK")
    results = import_files([folder], out=tmp_path / "office")
    assert [r.source.name for r in results] == ["a.docx"] and results[0].ok


def test_a_name_spread_with_spaces(tmp_path):
    import yaml

    masthead = [dict(m) for m in MASTHEAD]
    masthead[0]["text"] = "工　作　简　报"
    [r] = import_files([handmade(tmp_path / "s.docx", HAND_BODY, masthead=masthead)], out=tmp_path / "office")
    assert yaml.safe_load((tmp_path / "office" / "jianbao.yaml").read_text(encoding="utf-8"))["name"] == "工作简报"
    assert any("空格已去掉" in n for n in r.notes)


def test_a_note_of_two_paragraphs_typed_by_hand(tmp_path):
    import yaml

    body = [{"text": "编者按：第一段按语。", "font": "楷体_GB2312"}, {"text": "第二段按语。", "font": "楷体_GB2312"},
            "导语段落。", {"text": "一、重点工作", "font": "黑体"}, "（一）本周工作。"]
    [r] = import_files([handmade(tmp_path / "n.docx", body)], out=tmp_path / "office")
    data = yaml.safe_load(r.written.read_text(encoding="utf-8"))
    assert data["note"] == ["第一段按语。", "第二段按语。"] and data["body"] == "导语段落。"


def test_a_last_paragraph_split_for_the_end_block_imports_as_one(tmp_path):
    """Issue 13: the .docx holds a long last paragraph as two (its last two lines go with the end
    block); importing the .docx gives the one paragraph back, and the same .docx again."""
    last = "本周" + "推进工作" * 27 + "。"
    issue = Office(tmp_path / "o").issue(
        f"number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    items:\n      - {last}\n")
    original, again, written = round_trip(issue, tmp_path)
    assert again == original
    assert last in written.read_text(encoding="utf-8")


def test_a_table_without_a_caption_is_placed_by_its_paragraph_number(tmp_path):
    # the place of the table was the repr of a python-docx element (“第<CT_P '<w:p>' at 0x…>段”)
    src = handmade(tmp_path / "b.docx", [{"text": "一、重点工作", "font": "黑体"}, "本周办件情况见下表。",
                                         {"table": [["类别", "本周"], ["受理", "391"]]}])
    [r] = import_files([src], out=tmp_path / "office")
    [d] = [d for d in r.diagnostics if d.code == "JB915" and "表格" in d.message]
    assert "<" not in d.place and d.place.endswith("段起的表格")
    assert "<" not in r.written.read_text(encoding="utf-8")


def test_numerals_that_skip_a_level_stay_siblings(tmp_path):
    # 一、 then 1. 2. (no （一）): both go in at the second level — “2.” is not a child of “1.”
    import yaml

    src = handmade(tmp_path / "b.docx", [
        {"text": "一、窗口服务情况", "font": "黑体"}, "1.本周共受理各类事项1520件。", "2.收到群众表扬信2封。",
        "（1）其中锦旗1面。", "3.开展业务培训1次。", {"text": "二、下周工作安排", "font": "黑体"},
        "1.做好年终考核准备。", "2.做好年终总结。"])
    [r] = import_files([src], out=tmp_path / "office")
    data = yaml.safe_load(r.written.read_text(encoding="utf-8"))
    first, second = data["sections"]
    assert first["items"] == ["本周共受理各类事项1520件。",
                              {"body": "收到群众表扬信2封。", "items": ["其中锦旗1面。"]}, "开展业务培训1次。"]
    assert second["items"] == ["做好年终考核准备。", "做好年终总结。"]
    assert [d.code for d in r.diagnostics].count("JB912") == 0
