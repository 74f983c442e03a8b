"""Photos through LibreOffice: the photo and its caption on one page, and the text after them back on
the 22-line grid (the next line lands on the 28.95 pt pitch)."""

from __future__ import annotations

import pdfgeom as g
import pytest
from PIL import Image

from jianbao.pdf import convert_to_pdf
from jianbao.pipeline import compile_issue, prepare

PITCH_MM = 579 / 20 * 25.4 / 72  # 28.95 pt
TOP = 37.0  # the text area's top edge, mm

ISSUE = """\
number: 3
date: 2024-05-13
sections:
  - title: 工作动态
    body:
{prefix}      - 本周召开专题会议，部署下一阶段的重点工作，要求各处室按照职责分工抓好落实。
      - image: ../照片/{name}
        caption: 图为专题会议现场。
        width: {width}
      - 会议强调，要坚持问题导向，确保各项任务按期完成。
      - 会后，各处室分别召开会议传达落实。
"""


@pytest.mark.parametrize("size, width", [((4000, 3000), 0.75), ((3000, 4000), 0.5), ((1600, 500), 1)])
def test_the_text_after_a_photo_is_on_the_grid(office, tmp_path, size, width):
    (office.root / "照片").mkdir()
    name = f"{size[0]}x{size[1]}.jpg"
    Image.new("RGB", size, (40, 120, 200)).save(office.root / "照片" / name)
    # 24 one-line paragraphs first: the photo comes on page 2, where the grid starts at the top
    prefix = "".join(f"      - 第{i}段文字，用来把照片推到第二页上去。\n" for i in range(24))
    p = office.issue(ISSUE.format(name=name, width=width, prefix=prefix))
    docx = compile_issue(prepare(p), tmp_path / "x.docx")
    [pdf] = convert_to_pdf([docx], out_dir=tmp_path)
    pages = g.read_pages(pdf)
    [before] = [ln for pg in pages for ln in pg.find("本周召开专题会议")]
    refs = [ln for pg in pages[1:] for ln in pg.lines if "段文字" in ln.text]
    assert refs, "the lead-in did not reach page 2"
    [caption_page] = [pg for pg in pages if pg.find("图为专题会议现场")]
    [after_page] = [pg for pg in pages if pg.find("会议强调")]
    assert caption_page is after_page or caption_page.number + 1 == after_page.number
    after = after_page.find("会议强调")[0]
    for last in after_page.find("会后"):  # the next paragraph, when it is on the same page
        assert abs((last.y0 - after.y0) - PITCH_MM) < 0.3
    # every page after the first has its grid from the top: a body line after the photo is a whole
    # number of pitches from a body line before it, whichever page each is on
    steps = (after.y0 - refs[0].y0) / PITCH_MM
    assert abs(steps - round(steps)) < 0.03, steps
    assert before.y0 < 300
    # the caption sits right under the photo, centred
    cap = caption_page.find("图为专题会议现场")[0]
    assert abs((cap.x0 + cap.x1) / 2 - (28 + 184) / 2) < 2


@pytest.mark.parametrize("block", [
    "          - image: ../照片/p1.png\n            caption: 图1为工作现场\n            width: 0.5\n",
    # a row of two as tall as that photo: a block of the keep rules like it
    "          - images: [../照片/p1.png, ../照片/p1.png]\n            caption: 图1为工作现场\n            width: 1\n",
])
def test_a_photo_that_ends_the_text_comes_with_the_end_block(tmp_path, block):
    """Twelve one-line items, then a lead whose body is a photo (or a row of photos), last in the
    text: the photo and its caption end page 2 and the end block has no room left.  Before the photo
    was a block of the keep rules the end block stood alone on page 3; now the lead, the photo and
    its caption go with it (and the lead never stays behind at the foot of page 2)."""
    import subprocess

    from conftest import SHORT_END_SERIES, Office
    from jianbao.batch import end_block_alone

    office = Office(tmp_path / "office", SHORT_END_SERIES)
    (office.root / "照片").mkdir()
    Image.new("RGB", (400, 300), (40, 120, 200)).save(office.root / "照片" / "p1.png")
    items = "".join(f"      - 段{j}围绕重点任务推进各项工作召开专题会议研究部署。\n" for j in range(12))
    p = office.issue("number: 1\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    items:\n" + items
                     + "      - lead: 要1会议现场。\n        body:\n" + block)
    docx = compile_issue(prepare(p), tmp_path / "end.docx")
    [pdf] = convert_to_pdf([docx], out_dir=tmp_path)
    pages = g.read_pages(pdf)
    assert not end_block_alone(pdf, len(pages), "报：上级单位。发：本单位各处室。（共印20份）")
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    [photo_page] = {int(line.split()[0]) for line in listed.splitlines()[2:] if line.strip()}
    [lead_page] = [pg.number for pg in pages if pg.find("要1会议现场")]
    [caption_page] = [pg.number for pg in pages if pg.find("图1为工作现场")]
    assert lead_page == photo_page == caption_page == len(pages)


ROW = """\
number: 3
date: 2024-05-13
sections:
  - title: 工作动态
    body:
{prefix}      - 本周召开专题会议，部署下一阶段的重点工作，要求各处室按照职责分工抓好落实。
      - images: [{names}]
        caption: 图为专题会议现场。{width}
      - 会议强调，要坚持问题导向，确保各项任务按期完成。
      - 会后，各处室分别召开会议传达落实。
"""


@pytest.mark.parametrize("sizes, width, lead", [
    ([(4000, 3000), (3000, 4000)], None, 24),  # landscape and portrait, the whole 版心 wide, on page 2
    ([(4000, 3000), (3000, 4000), (1600, 1200)], 0.8, 24),  # three, narrower: centred
    ([(3000, 4000), (3000, 4000)], None, 30),  # two portraits, 16 lines tall: too tall for what is left of page 2
])
def test_photos_side_by_side_are_one_row_on_the_grid(office, tmp_path, sizes, width, lead):
    (office.root / "照片").mkdir()
    names = []
    for k, size in enumerate(sizes):
        names.append(f"../照片/{k}.jpg")
        Image.new("RGB", size, (40 + 60 * k, 120, 200)).save(office.root / "照片" / f"{k}.jpg")
    prefix = "".join(f"      - 第{i}段文字，用来把照片推到第二页上去。\n" for i in range(lead))
    p = office.issue(ROW.format(names=", ".join(names), prefix=prefix,
                                width=f"\n        width: {width}" if width else ""))
    docx = compile_issue(prepare(p), tmp_path / "x.docx")
    [pdf] = convert_to_pdf([docx], out_dir=tmp_path)
    pages = g.read_pages(pdf)
    pics = g.find_images(pdf)
    assert len(pics) == len(sizes) and len({p.page for p in pics}) == 1  # one row, never split
    row = pics
    # as tall as each other, top and bottom level, each as wide as its proportions say
    for pic, size in zip(row, sizes):
        assert abs(pic.y0 - row[0].y0) < 0.1 and abs(pic.y1 - row[0].y1) < 0.1
        assert abs(pic.width / pic.height - size[0] / size[1]) < 0.01
    # left to right, a small even gap (160 twips = 2.82 mm), the row as wide as asked and centred
    gaps = [b.x0 - a.x1 for a, b in zip(row, row[1:])]
    assert all(abs(gap - 160 / 20 * 25.4 / 72) < 0.3 for gap in gaps), gaps
    span = row[-1].x1 - row[0].x0
    tall = row[0].height > 16 * PITCH_MM - 1  # the row was made narrower to stay within max_lines
    if not tall:
        assert abs(span - 156 * (width or 1)) < 0.5, span
    assert abs((row[0].x0 + row[-1].x1) / 2 - (28 + 184) / 2) < 0.5
    # the caption on the photos' page, right under them and centred; the text after on the grid
    [caption_page] = [pg for pg in pages if pg.find("图为专题会议现场")]
    assert caption_page.number == row[0].page
    cap = caption_page.find("图为专题会议现场")[0]
    assert 0 < cap.y0 - row[0].y1 < PITCH_MM
    [after_page] = [pg for pg in pages if pg.find("会议强调")]
    after = after_page.find("会议强调")[0]
    refs = [ln for pg in pages[1:] for ln in pg.lines if "段文字" in ln.text]
    steps = (after.y0 - refs[0].y0) / PITCH_MM
    assert abs(steps - round(steps)) < 0.03, steps
    for last in after_page.find("会后"):
        assert abs((last.y0 - after.y0) - PITCH_MM) < 0.3
    if lead == 30:  # did not fit under the text on page 2: the figure moved to page 3, whole, at its top
        assert row[0].page == 3 and row[0].y0 < TOP + 2 * PITCH_MM


def test_the_caption_line_count_of_jb804_is_what_libreoffice_prints(office, tmp_path):
    """JB804's estimate (jianbao.metrics.line_count): 31 characters of 四号 a line across the 版心."""
    from jianbao.metrics import line_count

    (office.root / "照片").mkdir()
    Image.new("RGB", (1600, 300), (40, 120, 200)).save(office.root / "照片" / "a.jpg")
    two, three = "图为" + "甲" * 60, "图为" + "乙" * 61
    p = office.issue("number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    body:\n      - 本周召开专题会议。\n"
                     f"      - image: ../照片/a.jpg\n        caption: {two}\n"
                     f"      - image: ../照片/a.jpg\n        caption: {three}\n")
    docx = compile_issue(prepare(p), tmp_path / "x.docx")
    [pdf] = convert_to_pdf([docx], out_dir=tmp_path)
    lines = [ln for pg in g.read_pages(pdf) for ln in pg.lines]
    assert len([ln for ln in lines if "甲" in ln.text]) == line_count(two, 14, 8844) == 2
    assert len([ln for ln in lines if "乙" in ln.text]) == line_count(three, 14, 8844) == 3
