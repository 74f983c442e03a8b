"""Photos: found, bounded, checked and prepared for print and for the web (Pillow).

A photo is hostile until proven otherwise: its path must stay inside the office folder and name a
regular file no larger than :data:`MAX_BYTES`; its pixel count is checked from the header before
anything is decoded (:data:`MAX_PIXELS`, Pillow's decompression-bomb guard set to the same
bound); then it is decoded in full, so a truncated file is an error here and not a grey band in
print.  What goes into the .docx is the photo turned upright (EXIF orientation), without its
metadata, at 300 dpi (:data:`PRINT_DPI`) at its printed size — a 12-megapixel phone photo
printed 156 mm wide is 1843 px wide — so a bulletin with photos stays small.  The web edition gets
a smaller copy (:data:`WEB_WIDTH`).  A photo that is at most :data:`SLACK` times too wide after
libjpeg decoded it at half (or a quarter …) size, or after a whole-factor box reduction, is kept at
that size: resampling it by the last few per cent would cost a third of its time and blur it, for
nothing a printer shows (a 4000 px phone photo printed across the 版心 goes in at 2000 px, 326 dpi).
"""

from __future__ import annotations

import io
import os
import stat
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PureWindowsPath

from .diagnostics import Diagnostic
from .load import Source
from .units import TWIPS_PER_INCH

MAX_BYTES = 30_000_000  # a phone photo is 3–8 MB; refuse anything absurd before reading it
MAX_PIXELS = 60_000_000  # 60 megapixels: larger is a decompression bomb, not a photo
#: A picture whose long side is more than this many times its short side prints as a hairline
#: (1 × 6000 px: a fraction of a millimetre wide); a phone photo is 4:3 or 16:9, a long screenshot 1:2–1:9.
MAX_ELONGATION = 12
PRINT_DPI = 300
#: A JPEG is decoded at the smallest of libjpeg's scales (1, 1/2, 1/4, 1/8) that keeps it this wide:
#: 300 dpi across the A4 版心 (156 mm) is 1843 px.
DRAFT_WIDTH = 1900
#: The tallest a photo prints, in pixels: 22 grid lines (the most image.max_lines allows) at 300 dpi.
DRAFT_HEIGHT = 2700
WEB_WIDTH = 960
#: How much wider than its target a photo may stay rather than be resampled (see the module's text).
SLACK = 9 / 8
#: The most 8×8 blocks a JPEG codes in a byte: 2 bits a block for the flattest baseline, 1 for a
#: progressive DC scan (8 a byte); eight times that before a header is taken to lie about its size.
JPEG_BLOCKS_PER_BYTE = 64
FORMATS = {"JPEG": ("image/jpeg", "jpeg"), "PNG": ("image/png", "png")}


@dataclass(frozen=True)
class Photo:
    """A checked photo, ready to place: its bytes, format and pixel size."""

    data: bytes
    format: str  # JPEG or PNG
    width: int  # pixels
    height: int

    @property
    def mime(self) -> str:
        return FORMATS[self.format][0]

    @property
    def ratio(self) -> float:
        return self.height / self.width


def locate(value: str, issue: Path, office: Path) -> Path | None:
    """The file *value* names, relative to the issue file, when it stays inside the office."""
    # “..\照片\a.jpg” copied from Windows Explorer: Windows reads it, so does every other system
    try:
        target = (issue.parent / PureWindowsPath(value).as_posix()).resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        return None
    try:
        target.relative_to(office.resolve())
    except ValueError:
        return None
    return target


#: How many files of the office :func:`namesake` looks at, at most (a photo folder of years).
NAMESAKE_FILES = 20_000


def namesake(value: str, issue: Path, office: Path) -> str | None:
    """The path, relative to the issue file, of the one photo in the office whose name is the name
    in *value* (letter case aside) — a missing photo written with the wrong case or folder —, else None."""
    name = PureWindowsPath(value).name.casefold()  # either separator
    if not name:
        return None
    found: list[str] = []
    seen = 0
    for folder, dirs, files in os.walk(office):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "build")
        for f in files:
            seen += 1
            if f.casefold() == name:
                found.append(Path(os.path.relpath(os.path.join(folder, f), issue.parent)).as_posix())
        if seen > NAMESAKE_FILES or len(found) > 1:
            break
    return found[0] if len(found) == 1 else None


def check(src: Source, where: tuple, value: str, office: Path) -> tuple[Path | None, Diagnostic | None]:
    """(the photo's file, None) when *value* names a usable photo, else (None, the reason at *where*,
    the path of the string in the issue file: ``image``, or an item of ``images``)."""
    target = locate(value, Path(src.path), office)
    if target is None and _loops(Path(src.path).parent / PureWindowsPath(value).as_posix()):
        return None, src.diagnostic("JB801", f"照片“{value}”是一个循环的符号链接，找不到它指向的文件", where,
                                    hint="删除这个链接，把照片本身放进简报文件夹（例如 照片/ 下）。")
    if target is None:
        return None, src.diagnostic("JB801", f"照片“{value}”在简报文件夹之外", where,
                                    hint="把照片放进简报文件夹（例如 照片/ 下），路径写相对于本期文件的位置。")
    try:
        st = os.stat(target)
    except OSError:
        near = namesake(value, Path(src.path), office)
        hint = "检查文件名和路径：路径相对于本期文件所在的文件夹，如 ../照片/2024-05-13-调研.jpg。"
        if near is not None:
            hint = f"是不是要写 {near}？路径相对于本期文件所在的文件夹，文件名的大小写也要一致。"
        return None, src.diagnostic("JB801", f"找不到照片“{value}”", where, hint=hint)
    if not stat.S_ISREG(st.st_mode):
        return None, src.diagnostic("JB801", f"“{value}”不是一个文件", where)
    if st.st_size > MAX_BYTES:
        return None, src.diagnostic("JB802", f"照片“{value}”太大（{st.st_size // 1_000_000} MB）", where,
                                    hint=f"照片不超过 {MAX_BYTES // 1_000_000} MB；先用看图软件缩小后再用。")
    try:
        _load(target, st.st_mtime_ns, st.st_size)
    except _Bad as exc:
        return None, src.diagnostic(exc.code, f"照片“{value}”{exc.why}", where, hint=exc.hint)
    return target, None


def _loops(path: Path) -> bool:
    try:
        path.resolve()
    except (OSError, RuntimeError):
        return True
    return False


#: The ISO base media “brands” of HEIF/HEIC photos (iPhones take them by default) and AVIF.
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif"}


class _Bad(Exception):
    def __init__(self, code: str, why: str, hint: str | None = None):
        super().__init__(why)
        self.code, self.why, self.hint = code, why, hint


@lru_cache(maxsize=64)
def _load(path: Path, mtime: int, size: int):  # (mtime, size) key the cache: an edited photo is read again
    """The decoded, upright image (Pillow), or _Bad."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    # Pillow's "Corrupt EXIF data" and the like: the photo is checked here, not reported in English on stderr
    warnings.filterwarnings("ignore", category=UserWarning, module="PIL")
    try:  # opened without waiting (a FIFO put in its place since the stat) and read no further than allowed
        with os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)), "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise _Bad("JB801", "不是一个文件")
            raw = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _Bad("JB801", f"无法读取（{exc.strerror}）") from None
    if len(raw) > MAX_BYTES:
        raise _Bad("JB802", "太大", f"照片不超过 {MAX_BYTES // 1_000_000} MB；先用看图软件缩小后再用。")
    try:
        im: Image.Image = Image.open(io.BytesIO(raw))
        if im.format not in FORMATS:
            raise _Bad("JB803", f"是 {im.format} 格式，不是 JPEG 或 PNG", "另存为 JPEG（.jpg）或 PNG 后再用。")
        if im.width * im.height > MAX_PIXELS:
            raise _Bad("JB802", f"有 {im.width}×{im.height} 像素，超过上限", "照片不超过 6000 万像素。")
        if max(im.size) > MAX_ELONGATION * max(1, min(im.size)):
            raise _Bad("JB803", f"是 {im.width}×{im.height} 像素的细长条，印出来只有一条线，不像照片",
                       f"照片的长边不超过短边的 {MAX_ELONGATION} 倍；很长的截图先裁成几张再用。")
        fmt, taken = im.format, im.size
        # libjpeg fills what the data does not hold with grey, silently: a header that claims more 8×8
        # blocks than the file could code (a progressive scan needs a bit a block at the least) lies
        if fmt == "JPEG" and -(-im.width // 8) * -(-im.height // 8) > JPEG_BLOCKS_PER_BYTE * len(raw):
            raise _Bad("JB803", f"已损坏：文件头说它有 {im.width}×{im.height} 像素，文件里的数据远远装不下",
                       "重新从相机或手机导出这张照片。")
        turn = im.getexif().get(0x0112, 1)
        if fmt == "JPEG":  # decode at 1/2, 1/4 … scale when that is still wide enough to print
            im.draft("RGB", (1, DRAFT_WIDTH) if turn in (5, 6, 7, 8) else (DRAFT_WIDTH, 1))
        im.load()  # decode it all (every byte is read, in draft mode too): a truncated file fails here
        ImageOps.exif_transpose(im, in_place=True)  # turned upright (a copy only when it needs turning)
        # a photo already upright and small enough may go in as it is, without its metadata: no
        # generation loss, no time spent encoding (see _prepared)
        as_is = None
        if turn in (None, 1) and im.size == taken and im.width <= DRAFT_WIDTH and im.mode in _AS_IS_MODES[fmt]:
            as_is = _strip(raw, fmt)
        # what is kept (and cached) is no larger than it can print: a 60-megapixel PNG is reduced by a
        # whole factor (box filter) while it stays at least DRAFT_WIDTH wide or DRAFT_HEIGHT tall
        factor = int(max(im.width / DRAFT_WIDTH, im.height / DRAFT_HEIGHT))
        if factor >= 2:
            as_is = None
            im = _reduced(im, factor)
    except _Bad:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _Bad("JB802", "的像素数大得不像照片（可能是“解压炸弹”）", "换一张正常的照片。") from None
    except UnidentifiedImageError:
        if raw[4:8] == b"ftyp" and raw[8:12] in _HEIF_BRANDS:  # an iPhone's photo, as it takes them
            raise _Bad("JB803", "是 HEIC 格式（苹果手机默认的照片格式），不是 JPEG 或 PNG",
                       "用看图软件另存为 JPEG（.jpg）；以后在手机“设置—相机—格式”中选“兼容性最佳”，照片就是 JPEG。") from None
        raise _Bad("JB803", "不是可以识别的图片", "照片要用 JPEG（.jpg）或 PNG 格式。") from None
    except (OSError, ValueError, SyntaxError):
        raise _Bad("JB803", "已损坏或不完整，无法读取", "重新从相机或手机导出这张照片。") from None
    return im, fmt, as_is


def _reduced(im, factor: int):
    """*im* reduced by *factor* (a box filter); a palette or 1-bit image as colours first, and as it
    was when Pillow cannot reduce its mode (16-bit grey …): only smaller, never an error."""
    if im.mode in ("P", "PA", "1"):
        im = im.convert("RGBA" if im.mode == "PA" or "transparency" in im.info else "RGB")
    try:
        return im.reduce(factor)
    except (ValueError, OSError):
        return im


_AS_IS_MODES = {"JPEG": ("RGB", "L"), "PNG": ("RGB", "RGBA", "L", "LA", "P")}
#: APP0 (JFIF) and APP14 (Adobe: how the colours are coded) stay; APP2 stays when it is the ICC profile.
_JPEG_KEEP = {0xE0, 0xEE}
#: PNG chunks that say how to show the pixels; the rest (text, time, EXIF …) is left out.
_PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"pHYs"}


def _strip(raw: bytes, fmt: str) -> bytes | None:
    """*raw* without its metadata (EXIF and its GPS position, XMP, IPTC, comments, PNG text), the image
    data untouched; None when the file is laid out in a way this does not follow (then it is encoded)."""
    from PIL import Image

    try:
        out = _strip_jpeg(raw) if fmt == "JPEG" else _strip_png(raw)
        if out is not None:  # what is left still opens as the same picture (its header; the data is as checked)
            with Image.open(io.BytesIO(out)) as again:
                if (again.format, again.size) != (fmt, Image.open(io.BytesIO(raw)).size):
                    return None
        return out
    except (IndexError, ValueError, OSError):
        return None


def _strip_jpeg(raw: bytes) -> bytes | None:
    if raw[:2] != b"\xff\xd8":
        return None
    out, i = [raw[:2]], 2
    while i + 4 <= len(raw):
        if raw[i] != 0xFF:
            return None
        marker = raw[i + 1]
        if marker == 0xFF:  # a fill byte
            i += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            out.append(raw[i:i + 2])
            i += 2
            continue
        if marker == 0xDA:  # start of scan: the image data up to its end (EOI) — not what a phone
            end = raw.find(b"\xff\xd9", i)  # appends after it (MPF depth and gain maps, with their EXIF)
            if end < 0:
                return None
            out.append(raw[i:end + 2])
            return b"".join(out)
        length = int.from_bytes(raw[i + 2:i + 4], "big")
        if length < 2 or i + 2 + length > len(raw):
            return None
        segment = raw[i:i + 2 + length]
        metadata = 0xE0 <= marker <= 0xEF or marker == 0xFE
        if not metadata or marker in _JPEG_KEEP or (marker == 0xE2 and segment[4:16] == b"ICC_PROFILE\0"):
            out.append(segment)
        i += 2 + length
    return None


def _strip_png(raw: bytes) -> bytes | None:
    if raw[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    out, i = [raw[:8]], 8
    while i + 12 <= len(raw):
        length = int.from_bytes(raw[i:i + 4], "big")
        kind = raw[i + 4:i + 8]
        if i + 12 + length > len(raw):
            return None
        if kind in _PNG_KEEP:
            out.append(raw[i:i + 12 + length])
        i += 12 + length
        if kind == b"IEND":
            return b"".join(out)
    return None


def in_parallel(fn, calls: list[tuple]) -> list:
    """``fn(*args)`` for each of *calls*, in order, on as many threads as there are cores (up to 4):
    Pillow decodes, resizes and encodes without holding the GIL, so photos are prepared side by side."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    workers = min(len(calls), cores, 4)
    if workers < 2:
        return [fn(*args) for args in calls]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers, thread_name_prefix="jianbao-photo") as pool:
        return list(pool.map(lambda args: fn(*args), calls))


def _again(fn, path: Path, *args):
    """``fn(path, mtime, size, *args)`` for a photo :func:`check` passed: read again when it changed
    since (copied over, deleted while the build runs) and refused then, as check would (JB801/JB803)."""
    from .diagnostics import JianbaoError

    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            raise _Bad("JB803", "在检查之后被换成了别的文件")
        return fn(path, st.st_mtime_ns, st.st_size, *args)
    except FileNotFoundError:
        code, why, hint = "JB801", "在检查之后被删除或改名了", None
    except OSError as exc:
        code, why, hint = "JB801", f"无法读取（{exc.strerror}）", None
    except _Bad as exc:
        code, why, hint = exc.code, exc.why, exc.hint
    raise JianbaoError(Diagnostic(code, f"照片“{path.name}”{why}", file=path,
                                  hint=hint or "照片拷贝或导出完成后，再重新编译。")) from None


def ratio(path: Path) -> float:
    """Height over width of the checked photo at *path*, upright."""
    im, _, _ = _again(_load, path)
    return im.height / im.width


def prepared(path: Path, width_twips: int) -> Photo:
    """The photo at *path* for print *width_twips* wide: upright, at most PRINT_DPI, no metadata."""
    return _again(_prepared, path, width_twips)


@lru_cache(maxsize=64)
def _prepared(path: Path, mtime: int, size: int, width_twips: int) -> Photo:
    im, fmt, as_is = _load(path, mtime, size)
    most = max(1, round(width_twips / TWIPS_PER_INCH * PRINT_DPI))
    if as_is is not None and im.width <= most * SLACK:
        return Photo(as_is, fmt, im.width, im.height)
    return _encode(_resize(im, most, _BOX), fmt)


@lru_cache(maxsize=64)
def _web(path: Path, mtime: int, size: int) -> Photo:
    im, fmt, as_is = _load(path, mtime, size)
    if as_is is not None and im.width <= WEB_WIDTH * SLACK:
        return Photo(as_is, fmt, im.width, im.height)
    return _encode(_resize(im, WEB_WIDTH, _BICUBIC), fmt)


def for_web(path: Path) -> Photo:
    """The photo at *path* for the web page: at most WEB_WIDTH pixels wide."""
    return _again(_web, path)


_BICUBIC, _BOX = 3, 4  # PIL.Image.Resampling values, without importing Pillow here


def _resize(im, most: int, resample: int):
    """*im* no more than :data:`SLACK` times *most* pixels wide, resampled as little as it can be: as
    it is when it is that narrow already; else reduced by a whole factor (a box filter: cheap, and as
    sharp as a reduction can be) when that is enough; else resized to *most*, by the whole factor
    first (reducing_gap).  For print the box filter: on a reduction Pillow widens it to the scale, so
    each pixel is the mean of the area it covers (no aliasing), in three quarters of bilinear's time
    and half of bicubic's, and at 300 dpi the difference does not print; bicubic for the screen."""
    if im.width <= most * SLACK:
        return im
    factor = im.width // most
    if factor >= 2 and im.width / factor <= most * SLACK:
        reduced = _reduced(im, factor)
        if reduced.width <= most * SLACK:
            return reduced
    size = (most, max(1, round(im.height * most / im.width)))
    try:
        return im.resize(size, resample, reducing_gap=2.0)
    except ValueError:  # a mode Pillow cannot reduce() (16-bit grey …): resized in one pass
        return im.resize(size, resample)


def _encode(im, fmt: str) -> Photo:
    """JPEG stays JPEG (quality 85, no EXIF), PNG stays PNG (it may be a screenshot or a chart)."""
    out = io.BytesIO()
    if fmt == "JPEG":
        (im if im.mode in ("RGB", "L") else im.convert("RGB")).save(out, "JPEG", quality=85)
    else:
        im.save(out, "PNG", compress_level=6)
    return Photo(out.getvalue(), fmt, im.width, im.height)
