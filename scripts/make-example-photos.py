"""Draw the example office's two photos (照片/2024-05-20-座谈会.jpg, 照片/2024-05-20-大厅.jpg).

They are drawn, not photographed: the example must not carry real people's pictures.  They are
sized like phone photos (4000×3000, JPEG quality 90) so the example shows what jianbao does with
a real one (downscaled to 300 dpi at printed size in the .docx, 960 px on the web page).  The
result is committed; run this again only to change them:

    .venv/bin/python scripts/make-example-photos.py
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

W, H = 4000, 3000
ROOT = Path(__file__).resolve().parent.parent


def font(size: int) -> ImageFont.FreeTypeFont:
    path = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC:bold"],
                          capture_output=True, text=True, check=False).stdout.strip()
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        return ImageFont.load_default(size)


def vertical(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], top: tuple, bottom: tuple) -> None:
    x0, y0, x1, y1 = box
    for y in range(y0, y1):
        t = (y - y0) / max(1, y1 - y0)
        draw.line([(x0, y), (x1, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))


def person(draw: ImageDraw.ImageDraw, x: int, y: int, s: float, suit: tuple, rnd: random.Random) -> None:
    """A seated figure seen from the front at (x, y) = the top of the table, scale s."""
    skin = rnd.choice([(226, 186, 160), (214, 170, 140), (232, 196, 170)])
    hair = rnd.choice([(30, 28, 28), (45, 40, 38), (70, 66, 64)])
    w, h = round(210 * s), round(260 * s)
    draw.rounded_rectangle([x - w // 2, y - h, x + w // 2, y + 40], radius=round(70 * s), fill=suit)
    draw.polygon([(x - 28 * s, y - h), (x + 28 * s, y - h), (x, y - h + 90 * s)], fill=(245, 245, 245))
    r = round(62 * s)
    draw.ellipse([x - r, y - h - 2 * r + 14, x + r, y - h + 14], fill=skin)
    draw.chord([x - r, y - h - 2 * r + 4, x + r, y - h - 2 * r + 4 + round(1.1 * r)], 180, 360, fill=hair)


def finish(img: Image.Image, rnd: random.Random) -> Image.Image:
    """A photo's softness and grain."""
    img = img.filter(ImageFilter.GaussianBlur(2.2))
    noise = Image.effect_noise((W // 4, H // 4), 18).resize((W, H)).convert("RGB")
    return Image.blend(img, noise, 0.05)


def meeting() -> Image.Image:
    rnd = random.Random(20240520)
    img = Image.new("RGB", (W, H))
    d = ImageDraw.Draw(img)
    vertical(d, (0, 0, W, 1900), (236, 230, 218), (214, 204, 188))     # wall
    vertical(d, (0, 1900, W, H), (150, 112, 84), (104, 74, 54))         # floor
    for x in range(250, W, 900):                                        # wall panels
        d.rectangle([x, 260, x + 700, 1750], outline=(200, 190, 172), width=10)
    d.rectangle([260, 160, 3740, 520], fill=(178, 20, 28))              # the banner
    f = font(180)
    text = "政务服务便民热线运行情况调研座谈会"
    tw = d.textlength(text, font=f)
    d.text(((W - tw) / 2, 235), text, font=f, fill=(255, 236, 150))
    for k in range(9):                                                  # the far row
        person(d, 520 + k * 370, 1560, 0.95, rnd.choice([(34, 38, 52), (42, 44, 58), (28, 30, 40)]), rnd)
    d.polygon([(180, 1560), (3820, 1560), (4000, 2100), (0, 2100)], fill=(120, 78, 52))  # the table
    d.polygon([(0, 2100), (4000, 2100), (4000, 2180), (0, 2180)], fill=(88, 56, 38))
    for k in range(9):                                                  # name cards and cups
        x = 520 + k * 370
        d.polygon([(x - 110, 1640), (x + 110, 1640), (x + 120, 1740), (x - 120, 1740)], fill=(250, 250, 246))
        d.ellipse([x + 140, 1600, x + 200, 1650], fill=(240, 240, 236))
    for k in range(7):                                                  # the near row, from behind
        x = 300 + k * 560
        d.rounded_rectangle([x - 200, 2250, x + 200, 3000], radius=120, fill=(24, 26, 34))
        d.ellipse([x - 95, 2040, x + 95, 2260], fill=(26, 24, 24))
    return finish(img, rnd)


def hall() -> Image.Image:
    rnd = random.Random(20240521)
    img = Image.new("RGB", (W, H))
    d = ImageDraw.Draw(img)
    vertical(d, (0, 0, W, 1500), (238, 242, 246), (214, 222, 230))    # wall
    vertical(d, (0, 1500, W, H), (200, 204, 208), (150, 156, 162))    # floor
    for x in range(0, W, 250):                                        # ceiling lights
        d.rectangle([x + 40, 60, x + 200, 110], fill=(255, 255, 250))
    f = font(120)
    d.rectangle([300, 250, 3700, 520], fill=(0, 82, 155))             # the hall's sign
    text = "省政务服务大厅  综合窗口"
    tw = d.textlength(text, font=f)
    d.text(((W - tw) / 2, 310), text, font=f, fill=(255, 255, 255))
    small = font(70)
    for k in range(6):                                                # counters with numbers
        x = 250 + k * 600
        d.rectangle([x, 720, x + 500, 860], fill=(0, 104, 180))
        label = f"{k + 1:02d} 号窗口"
        d.text((x + (500 - d.textlength(label, font=small)) / 2, 750), label, font=small, fill=(255, 255, 255))
        person(d, x + 250, 1450, 0.85, (40, 70, 120), rnd)            # the clerk
        d.rectangle([x - 20, 1400, x + 520, 1720], fill=(236, 236, 232))
        d.rectangle([x - 20, 1400, x + 520, 1440], fill=(180, 184, 190))
        d.rectangle([x + 160, 1180, x + 380, 1380], fill=(40, 44, 50))  # the screen
    for k in range(8):                                                # people waiting, from behind
        x = 200 + k * 500 + rnd.randint(-60, 60)
        top = 1900 + rnd.randint(-40, 80)
        coat = rnd.choice([(120, 40, 40), (60, 70, 90), (150, 130, 100), (40, 40, 44), (90, 110, 80)])
        d.rounded_rectangle([x - 170, top + 170, x + 170, 3000], radius=110, fill=coat)
        d.ellipse([x - 85, top, x + 85, top + 200], fill=(30, 28, 26))
    return finish(img, rnd)


def main() -> None:
    out = ROOT / "照片"
    out.mkdir(exist_ok=True)
    meeting().save(out / "2024-05-20-座谈会.jpg", quality=90, optimize=True)
    hall().save(out / "2024-05-20-大厅.jpg", quality=90, optimize=True)


if __name__ == "__main__":
    main()
