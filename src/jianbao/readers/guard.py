"""Hostile-input guards for imported files: sizes bounded before reading, zip bombs, encryption.

Every imported file is treated as hostile until proven otherwise.  The file's size is looked at
before a byte is read; a zip package (.docx, .odt) has its directory checked before anything is
decompressed: the number of members, each member's declared size, the sum of them and the
compression ratio (:mod:`zipfile` never inflates a member past its declared size, so bounding the
declared sizes bounds the memory).  Password-protected packages are recognised and refused.
Each refusal is a :class:`~jianbao.diagnostics.JianbaoError` with a JB9xx code.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..diagnostics import Diagnostic, JianbaoError

#: A bulletin of twenty pages with photos is a few MB; refuse anything far beyond that unread.
MAX_FILE_BYTES = 30_000_000
#: Members of one package, their declared total and each one's size once decompressed.
MAX_MEMBERS = 2_000
MAX_UNPACKED = 200_000_000
MAX_MEMBER = 60_000_000
#: Deflated XML rarely shrinks below 1/30; 1/200 with more than a megabyte is a bomb.
MAX_RATIO = 200
RATIO_FROM = 1_000_000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .wps, .xls … and encrypted .docx
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"


def error(code: str, message: str, path: Path, hint: str | None = None) -> JianbaoError:
    return JianbaoError(Diagnostic(code, message, file=path, hint=hint))


def read_bounded(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of *path*, refusing (JB902) a file larger than *limit* before reading it."""
    import os
    import stat

    try:
        st = path.stat()
    except FileNotFoundError:
        raise error("JB001", f"文件不存在：{path}", path) from None
    except OSError as exc:
        raise error("JB001", f"无法读取文件：{path}（{exc.strerror}）", path) from None
    size = st.st_size
    if stat.S_ISDIR(st.st_mode):
        raise error("JB001", f"这是一个文件夹，不是文件：{path}", path)
    if not stat.S_ISREG(st.st_mode):
        raise error("JB001", f"这不是普通文件（命名管道或设备），jianbao 不读取它：{path}", path,
                    hint="导入保存在磁盘上的 .docx、.doc、.txt 或 .pdf 文件。")
    if size > limit:
        raise error("JB902", f"文件过大（{size / 1e6:.1f} MB），超过导入上限 {limit / 1e6:.0f} MB", path)
    try:  # not waiting on a FIFO put in its place since the stat
        with os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)), "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise error("JB001", f"这不是普通文件（命名管道或设备），jianbao 不读取它：{path}", path)
            raw = f.read(limit + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise error("JB001", f"无法读取文件：{path}（{exc.strerror}）", path) from None
    if len(raw) > limit:
        raise error("JB902", f"文件过大，超过导入上限 {limit / 1e6:.0f} MB", path)
    if not raw:
        raise error("JB903", f"文件是空的（0 字节）：{path}", path, hint="文件可能没有保存完整，请重新保存或重新拷贝。")
    return raw


def is_encrypted_ole(raw: bytes) -> bool:
    """An OLE container holding an encrypted OOXML package (Word's “用密码进行加密”)."""
    return raw.startswith(OLE_MAGIC) and "EncryptedPackage".encode("utf-16-le") in raw


def open_zip(raw: bytes, path: Path, what: str) -> zipfile.ZipFile:
    """The zip package in *raw*, after checking its directory; JB903/JB904/JB905 when it is not safe."""
    if is_encrypted_ole(raw):
        raise error("JB905", f"{path.name} 设置了打开密码，无法读取", path)
    if not raw.startswith(ZIP_MAGIC):
        if raw.startswith(OLE_MAGIC):
            raise error("JB903", f"{path.name} 不是 {what} 文件，而是旧版 Word/WPS 文件（.doc/.wps）", path,
                        hint="把扩展名改为 .doc 再导入（jianbao 会用 LibreOffice 转换），或在 Word/WPS 中另存为 .docx。")
        raise error("JB903", f"{path.name} 不是 {what} 文件（文件开头不是 zip 压缩包），可能已损坏或只是改了扩展名", path)
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise error("JB903", f"{path.name} 已损坏或不完整（{_zip_reason(exc)}）", path,
                    hint="文件可能没有拷贝完整：重新拷贝，或在 Word/WPS 中打开后另存一份。") from None
    if len(infos) > MAX_MEMBERS:
        raise error("JB904", f"{path.name} 中有 {len(infos)} 个部件（上限 {MAX_MEMBERS}），不像是一份简报", path)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise error("JB905", f"{path.name} 的部件 {info.filename} 已加密，无法读取", path)
        if info.file_size > MAX_MEMBER:
            raise error("JB904", f"{path.name} 的部件 {info.filename} 解压后有 {info.file_size / 1e6:.0f} MB"
                                 f"（上限 {MAX_MEMBER / 1e6:.0f} MB），疑似压缩炸弹，没有解压", path)
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise error("JB904", f"{path.name} 的部件 {info.filename} 压缩比达 "
                                 f"{info.file_size // max(1, info.compress_size)} 倍，疑似压缩炸弹，没有解压", path)
        total += info.file_size
    if total > MAX_UNPACKED:
        raise error("JB904", f"{path.name} 解压后共 {total / 1e6:.0f} MB（上限 {MAX_UNPACKED / 1e6:.0f} MB），"
                             "疑似压缩炸弹，没有解压", path)
    return zf


def _zip_reason(exc: Exception) -> str:
    text = str(exc)
    if "not a zip file" in text.lower():
        return "找不到压缩包目录，文件可能被截断"
    return text or type(exc).__name__
