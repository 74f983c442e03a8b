"""Read the text of a .pdf with poppler's ``pdftotext`` (text only: no formatting survives).

The file is checked first (size, the ``%PDF-`` signature, encryption); ``pdftotext`` runs with a
timeout and its output is bounded; its lines go to :mod:`.text`, which joins them back into
paragraphs and drops the page numbers.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .document import Document
from .guard import PDF_MAGIC, error
from .text import read_text_document

TIMEOUT = 60
MAX_TEXT = 5_000_000  # bytes of text: read while pdftotext writes them, and it is stopped past this
MAX_ERR = 64_000


def _run_bounded(cmd: list[str]) -> tuple[int, bytes | None, bytes]:
    """(exit status, stdout or None when it went past MAX_TEXT, the start of stderr) of *cmd*: its
    output read as it comes, so that a PDF that unpacks into gigabytes of text never sits in memory."""
    import threading

    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err, over = bytearray(), bytearray(), threading.Event()

    def pump(stream, buf: bytearray, cap: int, stop: bool) -> None:
        while chunk := stream.read(65536):
            if len(buf) <= cap:
                buf += chunk[: cap + 1 - len(buf)]
            if stop and len(buf) > cap:
                over.set()
                p.kill()
                break
        stream.close()

    readers = [threading.Thread(target=pump, args=(p.stdout, out, MAX_TEXT, True), daemon=True),
               threading.Thread(target=pump, args=(p.stderr, err, MAX_ERR, False), daemon=True)]
    for t in readers:
        t.start()
    try:
        p.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        raise
    finally:
        for t in readers:
            t.join(5)
    return p.returncode, None if over.is_set() else bytes(out), bytes(err)


def read_pdf(path: Path, raw: bytes) -> Document:
    if not raw.lstrip()[:1024].startswith(PDF_MAGIC) and PDF_MAGIC not in raw[:1024]:
        raise error("JB903", f"{path.name} 不是 PDF 文件（开头没有 %PDF-），可能已损坏或只是改了扩展名", path)
    exe = shutil.which("pdftotext")
    if exe is None:
        raise error("JB906", "找不到 pdftotext，无法读取 PDF", path,
                    hint="安装 poppler-utils：sudo apt-get install poppler-utils（或运行 scripts/install-system-deps.sh）。")
    with tempfile.TemporaryDirectory(prefix="jianbao-pdf-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(raw)  # a private copy: the name and the file cannot change under us
        try:
            code, stdout, err_bytes = _run_bounded([exe, "-enc", "UTF-8", "-eol", "unix", str(src), "-"])
        except subprocess.TimeoutExpired:
            raise error("JB906", f"pdftotext 读取 {path.name} 超过 {TIMEOUT} 秒，已停止", path) from None
        except OSError as exc:
            raise error("JB906", f"无法运行 pdftotext（{exc.strerror}）", path) from None
    if stdout is None:
        raise error("JB904", f"{path.name} 中的文字超过 {MAX_TEXT // 1_000_000} MB，不像是一期简报（疑似压缩炸弹），已停止读取", path,
                    hint="一期简报的文字只有几万字：确认选对了文件；有原来的 .docx 时请导入 .docx。")
    err = err_bytes.decode("utf-8", "replace")
    if code != 0:
        if "password" in err.lower() or "encrypt" in err.lower():
            raise error("JB905", f"{path.name} 设置了密码，无法读取", path,
                        hint="用 PDF 阅读器去掉密码后另存一份，或直接导入原来的 .docx。")
        raise error("JB903", f"{path.name} 已损坏或不完整，pdftotext 读不出文字（{err.strip().splitlines()[-1] if err.strip() else code}）", path)
    out = stdout.decode("utf-8", "replace")
    if not out.replace("\f", "").strip():
        raise error("JB903", f"{path.name} 中没有可提取的文字（可能是扫描件图片）", path,
                    hint="扫描件需要先做文字识别（OCR）；有原来的 .docx 时请导入 .docx。")
    return read_text_document(path, out, kind="pdf")
