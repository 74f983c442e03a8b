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
    # half of the 156 mm text width is 78 mm = 3.07 in: 921 px at 300 dpi, not the 4000 taken
    assert im.format == "JPEG" and im.size == (921, 691)
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
    assert Image.open(io.BytesIO(data)).width == 960
