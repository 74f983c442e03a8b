"""Photos in the body (issue #15): found inside the office, bounded before they are read, checked,
turned upright, downscaled for print and for the web, and placed with their caption."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from PIL import Image

from conftest import Office
from jianbao.diagnostics import JianbaoError
from jianbao.pipeline import compile_issue, prepare

ISSUE = """\
number: 3
date: 2024-05-13
sections:
  - title: 工作动态
    body:
      - 本周召开专题会议。
      - image: {path}
        caption: 图为专题会议现场。{width}
      - 会议部署了下一阶段的重点工作。
"""


def photo(office: Office, name: str = "会议.jpg", size=(4000, 3000), orientation: int | None = None, **save) -> str:
    folder = office.root / "照片"
    folder.mkdir(exist_ok=True)
    im = Image.new("RGB", size, (40, 120, 200))
    im.paste((220, 30, 30), (0, 0, size[0] // 4, size[1] // 4))  # a red corner: top left as taken
    kw = dict(save)
    if orientation:
        exif = im.getexif()
        exif[0x0112] = orientation
        kw["exif"] = exif
    im.save(folder / name, **kw)
    return f"../照片/{name}"


def issue(office: Office, path: str, width: str = "") -> object:
    return office.issue(ISSUE.format(path=path, width=f"\n        width: {width}" if width else ""))


def codes(path) -> list[tuple[str, int | None]]:
    with pytest.raises(JianbaoError) as exc:
        prepare(path)
    return [(d.code, d.line) for d in exc.value.diagnostics]


def media(docx) -> dict[str, bytes]:
    with zipfile.ZipFile(docx) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("word/media/")}


def test_a_phone_photo_is_downscaled_to_300_dpi_at_its_printed_width(office, tmp_path):
    p = issue(office, photo(office), width="0.5")
    out = compile_issue(prepare(p), tmp_path / "x.docx")
    [(name, data)] = media(out).items()
    im = Image.open(io.BytesIO(data))
    # half of the 156 mm text width is 78 mm = 3.07 in: 921 px at 300 dpi, not the 4000 taken; decoded
    # at half size (2000) and halved by a box filter (1000) it is within 9/8 of that: not resampled again
    assert im.format == "JPEG" and im.size == (1000, 750)
    assert "exif" not in im.info  # no camera metadata (location …) in the bulletin
    assert out.stat().st_size < 400_000
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert 'descr="' not in xml or "图为专题会议现场" in xml
    assert "图为专题会议现场。" in xml and 'w:val="JBImageCaption"' in xml


def test_the_exif_orientation_is_applied(office, tmp_path):
    p = issue(office, photo(office, orientation=6))  # taken sideways: shown turned 90° clockwise
    out = compile_issue(prepare(p), tmp_path / "x.docx")
    im = Image.open(io.BytesIO(next(iter(media(out).values()))))
    assert im.height > im.width  # upright: portrait
    r, g, b = im.convert("RGB").getpixel((im.width - 5, 5))
    assert r > 150 and b < 100  # the red corner is now top right


def test_a_photo_counts_as_an_input_of_the_build(office):
    p = issue(office, photo(office))
    assert any(i.name == "会议.jpg" for i in prepare(p).inputs)


def test_a_templated_caption_and_the_lint_see_the_caption(office):
    p = office.issue(ISSUE.format(path=photo(office), width="").replace("图为专题会议现场。", "图为会议现场,XX人参加。"))
    with pytest.raises(JianbaoError) as exc:
        prepare(p)
    assert {d.code for d in exc.value.diagnostics} == {"JB205"}  # 占位符 in the caption, and where
    assert exc.value.diagnostics[0].line == 8


@pytest.mark.parametrize("make, code", [
    (lambda o: "../照片/没有.jpg", "JB801"),
    (lambda o: "../../外面.jpg", "JB801"),
    (lambda o: "/etc/passwd", "JB801"),
    (lambda o: "../照片", "JB801"),
])
def test_a_missing_or_outside_photo_is_an_error_at_its_line(office, make, code):
    (office.root / "照片").mkdir(exist_ok=True)
    assert codes(issue(office, make(office))) == [(code, 7)]


def test_not_an_image_a_truncated_one_and_a_gif_are_refused(office):
    folder = office.root / "照片"
    folder.mkdir()
    (folder / "文字.jpg").write_text("这不是照片", encoding="utf-8")
    assert codes(issue(office, "../照片/文字.jpg")) == [("JB803", 7)]
    photo(office, "整张.jpg")
    data = (folder / "整张.jpg").read_bytes()
    (folder / "半张.jpg").write_bytes(data[: len(data) // 2])
    assert codes(issue(office, "../照片/半张.jpg")) == [("JB803", 7)]
    Image.new("RGB", (40, 30)).save(folder / "动图.gif")
    assert codes(issue(office, "../照片/动图.gif")) == [("JB803", 7)]


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width × height pixels: a decompression bomb's header, no pixels."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused_before_it_is_decoded(office):
    folder = office.root / "照片"
    folder.mkdir()
    (folder / "炸弹.png").write_bytes(_png_header_only(100_000, 100_000))  # 10 gigapixels claimed in 80 bytes
    assert codes(issue(office, "../照片/炸弹.png")) == [("JB802", 7)]


def test_a_file_too_large_is_refused_before_it_is_read(office, monkeypatch):
    from jianbao import images

    monkeypatch.setattr(images, "MAX_BYTES", 1000)
    assert codes(issue(office, photo(office))) == [("JB802", 7)]


def test_a_photo_taller_than_the_preset_allows_is_scaled_down(office, tmp_path):
    p = issue(office, photo(office, "竖.jpg", size=(1000, 4000)))
    out = compile_issue(prepare(p), tmp_path / "x.docx")
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    import re

    cx, cy = map(int, re.search(r'<wp:extent cx="(\d+)" cy="(\d+)"', xml).groups())
    assert cy <= 16 * 579 * 635 and abs(cx / cy - 0.25) < 0.01  # 16 lines at most, proportions kept


def test_the_web_page_embeds_the_photo_with_its_caption_as_alt_text(office):
    from jianbao.render.html import render_html

    p = prepare(issue(office, photo(office)))
    page = render_html(p.bulletin, p.layout)
    assert '<figure class="photo"' in page and 'alt="图为专题会议现场。"' in page
    assert "<figcaption>图为专题会议现场。</figcaption>" in page
    import base64
    import re

    data = base64.b64decode(re.search(r'src="data:image/jpeg;base64,([^"]+)"', page).group(1))
    assert Image.open(io.BytesIO(data)).width == 1000  # 4000 px decoded at half size and halved: ≤ 960 × 9/8


# --- photos side by side (images:) -------------------------------------------------------------

ROW = """\
number: 3
date: 2024-05-13
sections:
  - title: 工作动态
    body:
      - 本周召开专题会议。
      - images: [{a}, {b}]
        caption: 图为专题会议现场（左）和窗口调研（右）。{width}
      - 会议部署了下一阶段的重点工作。
"""


def row(office: Office, a: str, b: str, width: str = "") -> object:
    return office.issue(ROW.format(a=a, b=b, width=f"\n        width: {width}" if width else ""))


def places(path) -> list[tuple[str, int | None, int | None]]:
    with pytest.raises(JianbaoError) as exc:
        prepare(path)
    return [(d.code, d.line, d.column) for d in exc.value.diagnostics]


def test_photos_side_by_side_are_one_paragraph_of_equal_heights_filling_the_row(office, tmp_path):
    import re

    p = row(office, photo(office, "横.jpg", size=(4000, 3000)), photo(office, "竖.jpg", size=(3000, 4000)))
    out = compile_issue(prepare(p), tmp_path / "x.docx")
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    [para] = [m for m in re.findall(r"<w:p>.*?</w:p>", xml) if "pic:pic" in m]
    extents = [tuple(map(int, e)) for e in re.findall(r'<wp:extent cx="(\d+)" cy="(\d+)"', para)]
    assert len(extents) == 2 and extents[0][1] == extents[1][1]  # one paragraph, one height
    (w1, h), (w2, _) = extents
    assert abs(w1 / h - 4 / 3) < 0.001 and abs(w2 / h - 3 / 4) < 0.001
    gap = 160 * 635
    assert 8844 * 635 - 2 * 635 <= w1 + w2 + gap <= 8844 * 635  # the whole 版心, never wider
    assert re.findall(r'<w:tab w:val="left" w:pos="(\d+)"/>', para) == [str(round(w1 / 635) + 160)]
    assert para.count('distL="0"') == 2  # LibreOffice's default space around a picture would push the row
    line = int(re.search(r'w:line="(\d+)" w:lineRule="atLeast"', para).group(1))
    assert line % 579 == 0 and line >= h / 635  # whole grid lines, at least the photos' height
    assert "图为专题会议现场（左）和窗口调研（右）。" in xml
    # each photo at 300 dpi at its printed size (EMU → inches → pixels), or up to 9/8 of that when
    # it was not resampled again
    got = sorted(Image.open(io.BytesIO(d)).size for d in media(out).values())
    want = sorted((cx / 914400 * 300, cy / 914400 * 300) for cx, cy in extents)
    assert all(t - 1.5 <= a <= t * 9 / 8 + 1 for g, w in zip(got, want) for a, t in zip(g, w)), (got, want)
    assert all(abs(g[0] / g[1] - w[0] / w[1]) < 0.01 for g, w in zip(got, want))


def test_a_row_narrower_than_the_page_is_centred_and_a_tall_one_is_capped(office, tmp_path):
    import re

    p = row(office, photo(office, "竖1.jpg", size=(1000, 4000)), photo(office, "竖2.jpg", size=(1000, 4000)), "0.5")
    out = compile_issue(prepare(p), tmp_path / "x.docx")
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    extents = [tuple(map(int, e)) for e in re.findall(r'<wp:extent cx="(\d+)" cy="(\d+)"', xml)]
    assert all(cy <= 16 * 579 * 635 for _, cy in extents)  # at most max_lines tall
    stops = [int(s) for s in re.findall(r'<w:tab w:val="left" w:pos="(\d+)"/>', xml)]
    w = extents[0][0] / 635
    left = stops[0]
    assert len(stops) == 2 and abs(stops[1] - (left + w + 160)) <= 1
    assert abs((left + (2 * w + 160) / 2) - 8844 / 2) <= 2  # centred in the 版心


def test_every_photo_of_a_row_is_an_input(office):
    p = row(office, photo(office, "甲.jpg"), photo(office, "乙.png", format="PNG"))
    names = {i.name for i in prepare(p).inputs}
    assert {"甲.jpg", "乙.png"} <= names


def test_the_dependency_file_lists_every_photo_of_a_row(office):
    from jianbao.batch import build_one

    r = build_one(row(office, photo(office, "甲.jpg"), photo(office, "乙.jpg")), force=True)
    assert r.ok
    d = (r.docx.parent / (r.docx.stem + ".d")).read_text(encoding="utf-8")
    assert "照片/甲.jpg" in d and "照片/乙.jpg" in d


def test_a_bad_photo_in_a_row_is_an_error_at_its_item(office):
    folder = office.root / "照片"
    good = photo(office, "好.jpg")
    (folder / "文字.jpg").write_text("这不是照片", encoding="utf-8")
    data = (folder / "好.jpg").read_bytes()
    (folder / "半张.jpg").write_bytes(data[: len(data) // 2])
    (folder / "炸弹.png").write_bytes(_png_header_only(100_000, 100_000))
    column = len("      - images: [") + len(good) + len(", ") + 1  # the second item of the flow list
    for bad, code in [("../照片/没有.jpg", "JB801"), ("../../外面.jpg", "JB801"), ("../照片/文字.jpg", "JB803"),
                      ("../照片/半张.jpg", "JB803"), ("../照片/炸弹.png", "JB802")]:
        assert places(row(office, good, bad)) == [(code, 7, column)], bad
    # both bad: both reported, left to right
    assert places(row(office, "../照片/没有.jpg", "../照片/文字.jpg")) == [
        ("JB801", 7, len("      - images: [") + 1), ("JB803", 7, len("      - images: [../照片/没有.jpg, ") + 1)]


def test_a_bad_photo_in_a_block_list_is_an_error_at_its_line(office):
    good = photo(office, "好.jpg")
    p = office.issue(f"""\
number: 3
date: 2024-05-13
sections:
  - title: 工作动态
    body:
      - images:
          - {good}
          - ../照片/没有.jpg
          - {good}
        caption: 图为三张。
""")
    assert places(p) == [("JB801", 8, 13)]


@pytest.mark.parametrize("images, code", [("[../照片/a.jpg]", "JB1"), ("[a, b, c, d]", "JB1"), ("../照片/a.jpg", "JB1")])
def test_one_photo_or_four_in_a_row_are_refused(office, images, code):
    p = office.issue(ROW.replace("[{a}, {b}]", images).format(width=""))
    with pytest.raises(JianbaoError) as exc:
        prepare(p)
    assert [d.code[:3] for d in exc.value.diagnostics] == [code] and exc.value.diagnostics[0].line == 7


def test_a_row_without_a_caption_is_refused(office):
    p = office.issue(ROW.replace("        caption: 图为专题会议现场（左）和窗口调研（右）。{width}\n", "").format(
        a=photo(office, "甲.jpg"), b=photo(office, "乙.jpg")))
    with pytest.raises(JianbaoError) as exc:
        prepare(p)
    [d] = exc.value.diagnostics
    assert d.code == "JB101" and "caption" in d.message
    assert "图注" in d.message and "表题" not in d.message  # what a caption is, said for a photo


def test_the_web_page_shows_a_row_as_one_figure_with_an_alt_text_for_each_photo(office):
    from jianbao.render.html import render_html

    p = prepare(row(office, photo(office, "横.jpg", size=(4000, 3000)), photo(office, "竖.jpg", size=(3000, 4000))))
    page = render_html(p.bulletin, p.layout)
    import re

    [figure] = re.findall(r'<figure class="photo photos".*?</figure>', page)
    assert figure.count("<img ") == 2 and figure.count("<figcaption>") == 1
    assert re.findall(r'alt="([^"]+)"', figure) == ["左图：图为专题会议现场（左）和窗口调研（右）。",
                                                    "右图：图为专题会议现场（左）和窗口调研（右）。"]
    grows = [float(g) for g in re.findall(r"flex-grow:([\d.]+)", figure)]
    assert abs(grows[0] - 4 / 3) < 0.001 and abs(grows[1] - 3 / 4) < 0.001  # equal heights in the row
    widths = [int(w) for w in re.findall(r' width="(\d+)"', figure)]
    # 4000 × 3000 decoded at half size and halved; 3000 × 4000 decoded whole (half would print too narrow)
    # and reduced by three: each within 9/8 of 960
    assert widths == [1000, 1000]


# --- the house style of captions (JB804) --------------------------------------------------------

def _house(office: Office, lead: str = "图为", most: str = "2") -> None:
    from jianbao.layout import builtin_templates

    text = (builtin_templates() / "layouts" / "gbt9704.yaml").read_text(encoding="utf-8")
    text = text.replace("caption_lead: ~", f"caption_lead: {lead}").replace("caption_max_lines: ~", f"caption_max_lines: {most}")
    (office.root / "templates" / "layouts").mkdir(parents=True)
    (office.root / "templates" / "layouts" / "本单位.yaml").write_text(text, encoding="utf-8")
    settings = office.root / "jianbao.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "layout: 本单位\n", encoding="utf-8")


def _warnings(path, code: str = "JB804"):
    from jianbao.check_series import check_paths

    return [(d.line, d.column, d.message) for d in check_paths([path]).diagnostics if d.code == code]


def caption_issue(office: Office, caption: str, kind: str = "image") -> object:
    block = (f"      - image: {photo(office)}\n" if kind == "image"
             else f"      - images: [{photo(office)}, {photo(office, '乙.jpg')}]\n")
    return office.issue("number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    body:\n"
                        f"      - 本周召开专题会议。\n{block}        caption: {caption}\n")


def test_a_caption_without_its_lead_in_is_a_warning_at_the_caption_when_the_preset_asks(office):
    _house(office)
    [(line, column, message)] = _warnings(caption_issue(office, "调研组在综合窗口了解办件情况。"))
    assert (line, column) == (8, 18) and "没有以“图为”开头" in message
    [(line, _, _)] = _warnings(caption_issue(office, "调研组察看综合窗口（左）和座谈会（右）。", "images"))
    assert line == 8
    assert _warnings(caption_issue(office, "图为调研组在综合窗口了解办件情况。")) == []


def test_a_caption_over_two_lines_is_a_warning_counted_at_the_caption_size(office):
    _house(office)
    # 四号 (14 pt) across the 156 mm 版心 (442.2 pt): 31 characters a line
    assert _warnings(caption_issue(office, "图为" + "调" * 60)) == []  # 62 characters: two full lines
    [(line, _, message)] = _warnings(caption_issue(office, "图为" + "调" * 61))  # one more: a third line
    assert line == 8 and "约有 3 行，超过版式预设的 2 行" in message
    # half-width characters are half as wide: 120 digits in twelve groups of ten are still two lines
    assert _warnings(caption_issue(office, "图为" + "，".join(["1234567890"] * 6) + "。")) == []


def test_the_caption_style_is_not_checked_unless_the_preset_asks(office):
    assert _warnings(caption_issue(office, "调研组" * 40)) == []  # the built-in preset asks for neither
    _house(office, lead="~", most="1")
    [(_, _, message)] = _warnings(caption_issue(office, "调研组" * 11))
    assert "约有 2 行" in message  # only the length: any lead-in will do


def test_the_line_count_is_the_text_layer_estimate():
    from jianbao.metrics import line_count

    assert line_count("图" * 31, 14, 8844) == 1 and line_count("图" * 32, 14, 8844) == 2
    assert line_count("a" * 63, 14, 8844) == 1 and line_count("a" * 64, 14, 8844) == 2
    assert line_count("图" * 30 + "。", 14, 8844) == 1 and line_count("图" * 31 + "。", 14, 8844) == 2  # no 。 at a line start
    assert line_count("", 14, 8844) == 1


# --- a photo small enough goes in as it is, without its metadata -----------------------------------

def test_a_small_upright_photo_goes_in_unencoded_without_its_metadata(office, tmp_path):
    folder = office.root / "照片"
    folder.mkdir()
    im = Image.effect_noise((1200, 900), 30).convert("RGB")
    exif = im.getexif()
    exif[0x010F] = "手机厂商"  # Make
    exif.get_ifd(0x8825)[2] = (30.0, 39.0, 12.0)  # GPS latitude: where it was taken
    im.save(folder / "小.jpg", quality=80, exif=exif, comment=b"secret")
    original = Image.open(folder / "小.jpg")
    assert original.getexif() and original.info.get("comment") == b"secret"
    out = compile_issue(prepare(issue(office, "../照片/小.jpg")), tmp_path / "x.docx")
    [data] = media(out).values()
    placed = Image.open(io.BytesIO(data))
    assert placed.size == (1200, 900) and not placed.getexif() and "comment" not in placed.info
    assert b"Exif" not in data and "手机厂商".encode() not in data
    assert placed.convert("RGB").tobytes() == original.convert("RGB").tobytes()  # not re-encoded


def test_a_small_png_loses_its_text_chunks_not_its_pixels(office, tmp_path):
    from PIL import PngImagePlugin

    folder = office.root / "照片"
    folder.mkdir()
    meta = PngImagePlugin.PngInfo()
    meta.add_text("Author", "某某")
    meta.add_text("Location", "30.39N")
    im = Image.new("RGB", (800, 600), (40, 120, 200))
    im.save(folder / "图.png", pnginfo=meta)
    out = compile_issue(prepare(issue(office, "../照片/图.png")), tmp_path / "x.docx")
    [data] = media(out).values()
    assert b"tEXt" not in data and b"Location" not in data
    assert Image.open(io.BytesIO(data)).convert("RGB").tobytes() == im.tobytes()


def test_a_small_photo_taken_sideways_is_still_turned(office, tmp_path):
    p = issue(office, photo(office, "侧.jpg", size=(1200, 900), orientation=6))
    out = compile_issue(prepare(p), tmp_path / "x.docx")
    placed = Image.open(io.BytesIO(next(iter(media(out).values()))))
    assert placed.size == (900, 1200) and not placed.getexif()


def test_a_row_of_one_or_four_says_two_or_three_and_a_typo_suggests_caption(office):
    for images, words in [("[../照片/a.jpg]", "至少要有 2 项（现在是 1 项）"), ("[a, b, c, d]", "最多 3 项（现在是 4 项）")]:
        p = office.issue(ROW.replace("[{a}, {b}]", images).format(width=""))
        with pytest.raises(JianbaoError) as exc:
            prepare(p)
        [d] = exc.value.diagnostics
        assert d.code == "JB111" and words in d.message and (d.line, d.column) == (7, 17)
    p = office.issue(ROW.replace("caption:", "captoin:").format(a="a.jpg", b="b.jpg", width=""))
    with pytest.raises(JianbaoError) as exc:
        prepare(p)
    assert any(d.code == "JB103" and d.hint == "是不是要写 caption？" for d in exc.value.diagnostics)


def test_changing_the_second_photo_of_a_row_rebuilds_the_issue(office):
    import os
    import time

    from jianbao.batch import build_one

    p = row(office, photo(office, "甲.jpg"), photo(office, "乙.jpg"))
    assert build_one(p).status == "built"
    assert build_one(p).status == "skipped"
    second = office.root / "照片" / "乙.jpg"
    Image.new("RGB", (3000, 4000), (200, 40, 40)).save(second)
    later = time.time() + 5
    os.utime(second, (later, later))
    assert build_one(p).status == "built"


def test_a_huge_photo_is_kept_no_larger_than_it_can_print(office, tmp_path):
    from jianbao import images

    folder = office.root / "照片"
    folder.mkdir()
    Image.new("RGB", (8000, 6000), (40, 120, 200)).save(folder / "大.png")  # 48 megapixels
    p = prepare(issue(office, "../照片/大.png"))
    path = next(i for i in p.inputs if i.name == "大.png")
    st = path.stat()
    kept, _, _ = images._load(path, st.st_mtime_ns, st.st_size)
    assert kept.size == (2000, 1500)  # reduced by 4: still wider than the 版心 at 300 dpi (1843 px)
    out = compile_issue(p, tmp_path / "x.docx")
    [data] = media(out).values()
    assert Image.open(io.BytesIO(data)).size == (1382, 1036)  # 0.75 of the 版心 at 300 dpi


def test_watch_sees_every_photo_of_a_row_after_the_first_build(office):
    import os

    from jianbao.batch import build_one
    from jianbao.watch import _snapshot

    p = row(office, photo(office, "甲.jpg"), photo(office, "乙.jpg"))
    second = office.root / "照片" / "乙.jpg"
    assert second not in _snapshot([p])  # nothing built yet: no dependency file to read
    assert build_one(p).ok
    before = _snapshot([p])
    assert {office.root / "照片" / "甲.jpg", second} <= set(before)
    st = second.stat()
    os.utime(second, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert _snapshot([p]) != before
    assert _snapshot([office.root / "issues"]).keys() >= {second}  # watching the folder too


@pytest.mark.parametrize("mode", ["P", "1", "I;16", "LA"])
def test_a_huge_photo_of_any_png_mode_builds(office, tmp_path, mode):
    folder = office.root / "照片"
    folder.mkdir()
    if mode == "I;16":  # 16-bit grey: Pillow cannot reduce() it; it is resized as it is
        Image.new("I;16", (6000, 4500), 3000).save(folder / "大.png")
    else:
        Image.new("RGB", (6000, 4500), (40, 120, 200)).convert(mode).save(folder / "大.png")
    out = compile_issue(prepare(issue(office, "../照片/大.png")), tmp_path / "x.docx")
    [data] = media(out).values()
    assert Image.open(io.BytesIO(data)).width == 1382


@pytest.mark.parametrize("width, most, kept", [
    (2000, 1843, 2000),  # a 4000 px phone photo decoded at half size, printed across the 版心: kept
    (2016, 1843, 2016),  # 4032 px (a 12-megapixel iPhone)
    (2100, 1843, 1843),  # 14 % over: resampled to the width
    (2000, 921, 1000),  # half the 版心: halved by a box filter, within 9/8
    (2000, 960, 1000),  # the web copy
    (3000, 960, 1000),  # reduced by three
    (2500, 960, 960),  # halves would be 1250: resampled
    (4000, 1290, 1334),  # reduced by three (Pillow rounds up), within 9/8 of 1290
    (900, 1843, 900),  # narrower than it prints: never enlarged
])
def test_a_photo_is_resampled_only_when_it_is_over_nine_eighths_of_its_width(width, most, kept):
    from jianbao import images

    out = images._resize(Image.new("RGB", (width, width * 3 // 4), (1, 2, 3)), most, 2)
    assert out.width == kept and abs(out.height / out.width - 0.75) < 0.01


@pytest.mark.parametrize("links", [{"p.jpg": "p.jpg"}, {"a.jpg": "b.jpg", "b.jpg": "a.jpg"}])
def test_a_photo_that_is_a_symlink_loop_is_an_error_at_its_line(office, links):
    folder = office.root / "照片"
    folder.mkdir()
    for name, to in links.items():
        (folder / name).symlink_to(to)
    assert codes(issue(office, f"../照片/{next(iter(links))}")) == [("JB801", 7)]


@pytest.mark.parametrize("change, code", [
    (lambda f: f.write_bytes(b"not a photo any more"), "JB803"),
    (lambda f: f.unlink(), "JB801"),
])
def test_a_photo_changed_between_check_and_build_is_an_error_and_nothing_is_written(office, tmp_path, change, code):
    from jianbao.render.html import render_html

    p = prepare(issue(office, photo(office, size=(400, 300))))
    change(office.root / "照片" / "会议.jpg")
    for make in (lambda: compile_issue(p, tmp_path / "x.docx"), lambda: render_html(p.bulletin, p.layout)):
        with pytest.raises(JianbaoError) as exc:
            make()
        [d] = exc.value.diagnostics
        assert d.code == code and d.file == office.root / "照片" / "会议.jpg" and "会议.jpg" in d.message
    assert not (tmp_path / "x.docx").exists()


def test_a_photo_replaced_by_a_fifo_after_its_check_is_refused_without_waiting(office, tmp_path):
    import os

    p = prepare(issue(office, photo(office, size=(400, 300))))
    f = office.root / "照片" / "会议.jpg"
    f.unlink()
    os.mkfifo(f)
    with pytest.raises(JianbaoError) as exc:
        compile_issue(p, tmp_path / "x.docx")
    assert [d.code for d in exc.value.diagnostics] == ["JB803"]
    from jianbao import images

    with pytest.raises(images._Bad):  # and the reader itself never blocks on one
        images._load(f, 0, 0)


def test_a_photo_with_corrupt_exif_builds_without_pillow_warnings(office, tmp_path):
    import warnings

    name = photo(office, "坏.jpg", size=(400, 300))
    f = office.root / "照片" / "坏.jpg"
    raw = f.read_bytes()
    app1 = b"Exif\0\0MM\0\x2a\0\0\0\x08" + b"\xff\xff" + b"\x01" * 50  # 65535 entries promised, 25 there
    f.write_bytes(raw[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + raw[2:])
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        out = compile_issue(prepare(issue(office, name)), tmp_path / "x.docx")
    assert not [w for w in seen if "PIL" in w.filename], [str(w.message) for w in seen]
    assert len(media(out)) == 1


def test_a_jpeg_whose_header_claims_more_pixels_than_its_data_holds_is_refused(office):
    """A small JPEG whose frame header says 1000 × 60000: libjpeg fills what the data does not hold with
    grey and says nothing, so without this it would print as a 22-line grey band."""
    name = photo(office, "谎.jpg", size=(80, 60))
    f = office.root / "照片" / "谎.jpg"
    raw = bytearray(f.read_bytes())
    sof = raw.find(b"\xff\xc0")
    raw[sof + 5:sof + 9] = struct.pack(">HH", 60000, 1000)
    f.write_bytes(bytes(raw))
    assert codes(issue(office, name)) == [("JB803", 7)]


@pytest.mark.parametrize("mode, progressive", [("L", False), ("RGB", True)])
def test_a_flat_photo_compressed_as_far_as_jpeg_goes_still_builds(office, tmp_path, mode, progressive):
    folder = office.root / "照片"
    folder.mkdir()
    Image.new(mode, (4000, 3000), 0).save(folder / "平.jpg", quality=1, progressive=progressive, optimize=True)
    out = compile_issue(prepare(issue(office, "../照片/平.jpg")), tmp_path / "x.docx")
    assert len(media(out)) == 1


def test_a_path_written_with_backslashes_finds_the_photo_on_every_system(office):
    # a path copied from Windows Explorer: Windows reads it, so must Linux (the colleague's make)
    photo(office)
    p = issue(office, "..\\照片\\会议.jpg")
    out = office.root / "build" / "a.docx"
    compile_issue(prepare(p), out)
    assert len(media(out)) == 1


@pytest.mark.parametrize("written,suggested", [
    ("../照片/会议.JPG", "../照片/会议.jpg"),  # the case differs: Windows finds it, Linux does not
    ("照片/会议.jpg", "../照片/会议.jpg"),  # relative to the office, not to the issue file
    ("C:\\Users\\admin\\Desktop\\会议.jpg", "../照片/会议.jpg"),  # the copy on the desktop
])
def test_a_missing_photo_suggests_the_one_of_that_name_in_the_office(office, cli, written, suggested):
    photo(office)
    p = issue(office, written)
    r = cli("check", p)
    assert r.exit_code == 1 and "错误 JB801" in r.stderr
    assert f"是不是要写 {suggested}" in r.stderr, r.stderr


def test_an_iphone_heic_photo_says_what_it_is_and_how_to_get_a_jpeg(office, cli):
    (office.root / "照片").mkdir()
    (office.root / "照片" / "IMG_0001.HEIC").write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(200))
    r = cli("check", issue(office, "../照片/IMG_0001.HEIC"))
    assert r.exit_code == 1 and "错误 JB803" in r.stderr
    assert "HEIC" in r.stderr and "JPEG" in r.stderr and "兼容性最佳" in r.stderr, r.stderr


def test_a_width_written_as_a_percentage_says_write_a_fraction(office, cli):
    photo(office)
    r = cli("check", issue(office, "../照片/会议.jpg", width="60%"))
    assert r.exit_code == 1 and "错误 JB102" in r.stderr and "写作 0.6" in r.stderr, r.stderr


def test_a_photo_written_as_an_item_says_photos_go_in_a_body(office):
    """An item (items:) cannot be a photo: the hint said 'did you mean image?' of the key image."""
    p = office.issue("""\
number: 3
date: 2024-05-13
sections:
  - title: 工作动态
    items:
      - 本周召开专题会议。
      - image: ../照片/a.jpg
        caption: 图为专题会议现场。
""")
    with pytest.raises(JianbaoError) as exc:
        prepare(p)
    found = [d for d in exc.value.diagnostics if d.code == "JB103"]
    assert [(d.line, d.column) for d in found] == [(7, 9), (8, 9)]
    for d in found:
        assert "是不是要写" not in d.hint and "body" in d.hint, d.hint


@pytest.mark.parametrize("size", [(1, 6000), (6000, 1), (40, 1000)])
def test_a_picture_far_longer_than_wide_is_no_photo(office, size):
    """A 1 × 6000 strip printed as a hairline a fraction of a millimetre wide: refused at its line, with
    what to do (a long phone screenshot, 1080 × 20000, is cut into pages first)."""
    name = photo(office, "条.png", size=size)
    assert codes(issue(office, name)) == [("JB803", 7)]


def test_a_long_phone_screenshot_still_builds(office, tmp_path):
    name = photo(office, "截图.png", size=(1080, 2340))
    out = compile_issue(prepare(issue(office, name)), tmp_path / "x.docx")
    assert len(media(out)) == 1
