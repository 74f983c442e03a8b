"""Stage 5 — write: reproducible bytes, written atomically.

A .docx is a zip; python-docx would stamp each entry with the current time.  We zip the
package's parts ourselves, with a fixed entry time, a fixed order and fixed attributes, so that
the same input gives the same bytes.  The file is written to a temporary name in the target
folder, flushed to disk, then renamed over the target: a crash or a full disk never leaves half
a file behind, and the previous output stays as it was.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

from . import system
from .diagnostics import Diagnostic, JianbaoError

ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def docx_bytes(doc) -> bytes:
    """The document as deterministic .docx bytes."""
    members = package_members(doc)
    names = sorted(members, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            # photos are compressed already: deflating them again costs time and saves nothing
            stored = name.startswith("word/media/") and name.endswith((".jpeg", ".jpg", ".png"))
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            zout.writestr(info, members[name], compresslevel=None if stored else 6)
    return out.getvalue()


def package_members(doc) -> dict[str, bytes]:
    """Name → bytes of each member of *doc*'s package: what python-docx's ``save()`` zips.

    Taken from the parts directly (as ``docx.opc.pkgwriter.PackageWriter.write`` does), so that
    the XML is compressed once, in :func:`docx_bytes`, instead of zipped, unzipped and zipped
    again.  A python-docx without these internals is asked to save, and its zip read back.
    """
    try:
        from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
        from docx.opc.pkgwriter import _ContentTypesItem

        package = doc.part.package
        parts = list(package.iter_parts())
    except (ImportError, AttributeError):  # pragma: no cover - another python-docx
        return saved_members(doc)
    for part in parts:
        part.before_marshal()
    members = {CONTENT_TYPES_URI.membername: _ContentTypesItem.from_parts(parts).blob,
               PACKAGE_URI.rels_uri.membername: package.rels.xml}
    for part in parts:
        members[part.partname.membername] = part.blob
        if len(part.rels):
            members[part.partname.rels_uri.membername] = part.rels.xml
    return members


def saved_members(doc) -> dict[str, bytes]:
    """Name → bytes of each member, by python-docx's own ``save()`` (the reference for the above)."""
    raw = io.BytesIO()
    doc.save(raw)
    with zipfile.ZipFile(raw) as zin:
        return {name: zin.read(name) for name in zin.namelist()}


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write *data* to *path* atomically (temp file in the same folder, fsync, rename)."""
    path = Path(path)
    if path.is_symlink():
        raise JianbaoError(Diagnostic("JB501", f"输出文件是一个符号链接，jianbao 不会透过链接写文件：{path}", file=path,
                                      hint="删除这个链接，或用 -o 指定一个普通文件。"))
    if path.is_dir():
        raise JianbaoError(Diagnostic("JB501", f"输出路径是一个文件夹：{path}", file=path,
                                      hint="用 -o 指定一个 .docx 文件名。"))
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        sweep_temporary(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise JianbaoError(Diagnostic("JB501", f"无法在 {folder} 中写入文件（{exc.strerror}）", file=path)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        system.replace(Path(tmp), path)
    except system.FileInUse:
        _remove(tmp)
        raise JianbaoError(Diagnostic("JB501", f"请先在 Word/WPS 中关闭 {_shown(path)}，再重新编译：文件正被打开，无法替换",
                                      file=path, hint="原来的文件没有改动。关闭后重新运行同一条命令。")) from None
    except OSError as exc:
        _remove(tmp)
        raise JianbaoError(Diagnostic("JB501", f"无法写入 {path}（{exc.strerror}）", file=path)) from None


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def _shown(path: Path) -> str:
    """*path* relative to the current folder when it is below it (``build/x.docx``)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(path)


def sweep_temporary(path: Path) -> None:
    """Remove ``.NAME.<pid>.*.tmp`` files next to *path* whose writing process is gone (killed
    during the fsync, say): a live process's temporary file is left alone."""
    prefix = f".{path.name}."
    for tmp in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"):
        pid = tmp.name[len(prefix):].split(".", 1)[0]
        if not pid.isdigit() or system.pid_alive(int(pid)):
            continue
        try:
            tmp.unlink()
        except OSError:
            pass


def glob_escape(name: str) -> str:
    import glob

    return glob.escape(name)
