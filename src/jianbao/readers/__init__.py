"""Readers of finished bulletins: .docx, .doc/.wps/.odt (through LibreOffice), .txt, .pdf.

:func:`read_document` picks the reader by what the file *is* (its first bytes), not only by its
name: a .doc renamed .docx, an encrypted .docx (an OLE container), a .pdf that is not one are
each told apart and reported with a JB9xx code.  Every reader gives a
:class:`~jianbao.readers.document.Document`; :func:`jianbao.readers.structure.recover` turns it
into the fields of an issue file.  Only the standard library is imported here; python-docx is
imported by the .docx reader when a .docx is read.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from .document import Document
from .guard import OLE_MAGIC, PDF_MAGIC, ZIP_MAGIC, error, is_encrypted_ole, read_bounded

SUFFIXES = (".docx", ".doc", ".wps", ".odt", ".txt", ".pdf")
LEGACY = (".doc", ".wps", ".odt", ".fodt", ".rtf", ".wpt", ".dot")

__all__ = ["Document", "SUFFIXES", "read_document"]


def read_document(path: Path, *, convert_timeout: float = 180) -> Document:
    """Read *path* into a Document; raise JianbaoError (JB9xx) when it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES + LEGACY:
        raise error("JB901", f"不支持导入 {suffix or '没有扩展名的'} 文件：{path.name}", path)
    raw = read_bounded(path)
    if is_encrypted_ole(raw):
        raise error("JB905", f"{path.name} 设置了打开密码，无法读取", path)
    if suffix == ".pdf" or raw.startswith(PDF_MAGIC):
        from .pdf import read_pdf

        return read_pdf(path, raw)
    if suffix == ".txt":
        from .text import decode, read_text_document

        if raw.startswith((ZIP_MAGIC, OLE_MAGIC)):
            raise error("JB903", f"{path.name} 不是文本文件（是 Word/WPS 文档，只是扩展名为 .txt）", path,
                        hint="把扩展名改回 .docx 或 .doc 再导入。")
        return read_text_document(path, decode(raw, path))
    if suffix == ".docx" and not raw.startswith(OLE_MAGIC):
        from .docx import read_docx

        return read_docx(path, raw)
    return _read_legacy(path, raw, convert_timeout)


def _read_legacy(path: Path, raw: bytes, timeout: float) -> Document:
    """.doc / .wps / .odt (and a .docx that is really a .doc): LibreOffice converts it to .docx."""
    from ..pdf import PdfError, convert_to_docx
    from .docx import read_docx
    from .guard import open_zip

    if path.suffix.lower() == ".odt":
        open_zip(raw, path, ".odt")  # the zip checks before LibreOffice inflates anything
    elif not raw.startswith(OLE_MAGIC) and path.suffix.lower() in (".doc", ".wps", ".docx"):
        if raw.startswith(ZIP_MAGIC):  # a .docx named .doc: read it as what it is
            return read_docx(path, raw)
        raise error("JB903", f"{path.name} 不是 Word/WPS 文件（文件开头不对），可能已损坏或只是改了扩展名", path)
    with tempfile.TemporaryDirectory(prefix="jianbao-import-") as tmp:
        src = Path(tmp) / ("in" + path.suffix.lower())  # a plain private name for LibreOffice
        src.write_bytes(raw)
        try:
            out = convert_to_docx(src, Path(tmp), timeout=timeout)
        except PdfError as exc:
            raise error("JB906", f"无法读取 {path.name}：{exc.message_zh}", path) from None
        converted = read_bounded(out)
        doc = read_docx(path, converted)
    doc.converted_from = path.suffix.lower().lstrip(".")
    return doc
