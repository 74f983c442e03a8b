"""PDF output through LibreOffice (headless), and a look at which fonts a PDF uses.

Only the standard library is imported here, so ``import jianbao.pdf`` costs nothing.

- :func:`convert_to_pdf` converts a batch of .docx files in ONE soffice process (a cold start
  costs about 2 s, each further file only its own layout time). Each call has its own
  throw-away LibreOffice user profile, so it runs beside an open LibreOffice and in parallel
  with other calls, and it sets ``FONTCONFIG_FILE`` to our ``data/fonts.conf`` so that
  仿宋_GB2312, 楷体_GB2312, 方正小标宋简体 … come out in Fandol / Noto faces instead of all
  in Noto Sans.
- :func:`pdf_fonts` lists the faces embedded in a PDF (``pdffonts``).

Errors are raised as :class:`PdfError` with a message in Chinese for the user.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["PdfError", "FONTS_CONF", "find_soffice", "convert_to_pdf", "convert_to_docx", "soffice_env", "pdf_pages",
           "pdf_problem", "install_pdf", "pdf_fonts"]

#: Our fontconfig file (aliases for the official Chinese font names), used as FONTCONFIG_FILE.
FONTS_CONF = Path(__file__).resolve().parent / "data" / "fonts.conf"

_INSTALL_HINT = (
    "请安装 LibreOffice：sudo apt-get install libreoffice-writer-nogui ；"
    "或在 jianbao 项目目录下运行 sudo bash scripts/install-system-deps.sh"
    "（同时安装 PDF 所需的字体和 poppler-utils）。"
    "也可用环境变量 JIANBAO_SOFFICE 指定 soffice 程序的路径。"
)
_POPPLER_HINT = (
    "请安装 poppler-utils：sudo apt-get install poppler-utils ；"
    "或运行 sudo bash scripts/install-system-deps.sh 。"
)


class PdfError(RuntimeError):
    """PDF conversion failed; ``message_zh`` is a message for the user, in Chinese."""

    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


def find_soffice() -> str | None:
    """Return the LibreOffice program to run, or None if there is none (see :func:`system.find_soffice`).

    ``JIANBAO_SOFFICE`` (a path or a command name) wins when set; if it names nothing
    executable the answer is None — we do not silently fall back to another LibreOffice.
    Otherwise ``soffice`` or ``libreoffice`` on PATH, then the usual install folders
    (``C:\\Program Files\\LibreOffice\\program``, ``/opt/libreoffice*/program`` …).
    """
    from . import system

    return system.find_soffice()


def _missing_soffice_message() -> str:
    env = os.environ.get("JIANBAO_SOFFICE", "").strip()
    if env:
        return (
            f"环境变量 JIANBAO_SOFFICE 指定的 LibreOffice 程序“{env}”不存在或不可执行，"
            f"无法生成 PDF。请改正该路径或删除这个环境变量。{_INSTALL_HINT}"
        )
    return f"未找到 LibreOffice（soffice），无法生成 PDF。{_INSTALL_HINT}"


def _tail(text: str, lines: int = 12) -> str:
    text = (text or "").strip()
    if not text:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def _batches(paths: list[Path]) -> list[list[Path]]:
    """Split into batches whose file stems are unique (soffice writes STEM.pdf into one dir)."""
    batches: list[list[Path]] = []
    for p in paths:
        for batch in batches:
            if all(q.stem != p.stem for q in batch):
                batch.append(p)
                break
        else:
            batches.append([p])
    return batches


#: Time allowed per file on top of a run's ``timeout``: a bound against a hung LibreOffice, not a target.
SECONDS_PER_FILE = 10


def convert_to_pdf(
    docx_paths: list[Path], out_dir: Path | None = None, timeout: float = 180
) -> list[Path]:
    """Convert .docx files to PDF with LibreOffice; return the PDF paths.

    Each PDF is written next to its .docx (``a/b.docx`` -> ``a/b.pdf``), or into ``out_dir``
    when given, atomically: LibreOffice writes into a temporary directory, the result is
    checked (a PDF header, an end, at least one page) and only then renamed over the old PDF.
    Inside ``with jianbao.converter.resident():`` the resident LibreOffice converts the files one
    by one (``timeout`` per file); otherwise ONE soffice process converts the whole batch
    (``timeout`` plus :data:`SECONDS_PER_FILE` for every file: a 300-file batch took longer than
    a flat 180 s on a loaded machine), and the files a run stopped short of go to a fresh run.  Raises :class:`PdfError` (Chinese message) when LibreOffice
    is missing, fails, times out or does not produce a valid PDF.
    """
    sources = [Path(p).resolve() for p in docx_paths]
    if not sources:
        return []
    for src in sources:
        if not src.is_file():
            raise PdfError(f"找不到要转换的文件：{src}")

    if out_dir is not None:
        out_dir = Path(out_dir).resolve()
        targets = [out_dir / f"{src.stem}.pdf" for src in sources]
        seen: dict[Path, Path] = {}
        for src, dst in zip(sources, targets):
            if dst in seen and seen[dst] != src:
                raise PdfError(
                    f"两个文件会生成同名的 PDF：{seen[dst]} 和 {src} → {dst}。"
                    "请改名，或不指定输出目录（PDF 写在各自 .docx 旁边）。"
                )
            seen[dst] = src
    else:
        targets = [src.with_suffix(".pdf") for src in sources]
    target_of = dict(zip(sources, targets))
    unique = list(dict.fromkeys(sources))

    resident = current_resident()
    if resident is not None and resident.usable():
        resident.convert_many([(src, target_of[src]) for src in unique], timeout=timeout)
        return targets

    soffice = find_soffice()
    if soffice is None:
        raise PdfError(_missing_soffice_message())

    from . import system

    tag = system.new_tag()
    work = system.scratch_dir(tag)
    try:
        for n, batch in enumerate(_batches(unique)):
            outdir = work / f"out{n}"
            outdir.mkdir()
            todo = list(batch)
            while todo:
                _run_soffice(soffice, todo, outdir, work, soffice_env(work), timeout + SECONDS_PER_FILE * len(todo),
                             tag)
                missing = [src for src in todo if not _produced(outdir, src)]
                if len(missing) == len(todo):
                    break
                # LibreOffice stopped part-way through a long batch (seen after some hundred files):
                # the files it did not reach go to a fresh run, as long as each run makes progress.
                todo = missing
            for src in batch:
                install_pdf(outdir / f"{src.stem}.pdf", target_of[src], src)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return targets


_RESIDENT: list = []  # the converters of the open ``with converter.resident():`` blocks, innermost last


def current_resident():
    """The resident converter that :func:`convert_to_pdf` uses now (see :mod:`jianbao.converter`), or None."""
    return _RESIDENT[-1] if _RESIDENT else None


def push_resident(conv) -> None:
    """Make *conv* (a :class:`jianbao.converter.ResidentConverter`) the one :func:`convert_to_pdf` uses."""
    _RESIDENT.append(conv)


def pop_resident(conv) -> None:
    if conv in _RESIDENT:
        _RESIDENT.remove(conv)


def soffice_env(work: Path | None = None) -> dict[str, str]:
    """The environment LibreOffice runs in: ours, with FONTCONFIG_FILE set to our fonts.conf and,
    given the scratch folder *work*, its temp files inside it (so that they go with the folder even
    when LibreOffice is killed)."""
    env = dict(os.environ)
    if FONTS_CONF.is_file():
        env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    if work is not None:
        tmp = work / "tmp"
        tmp.mkdir(exist_ok=True)
        env["TMPDIR"] = env["TMP"] = env["TEMP"] = str(tmp)
    return env


def convert_to_docx(source: Path, out_dir: Path, timeout: float = 180) -> Path:
    """Convert one .doc/.wps/.odt file to .docx in *out_dir* with headless LibreOffice (for import).

    The same process handling as :func:`convert_to_pdf` (a throw-away profile and scratch folder,
    *timeout*, the whole process tree killed on timeout or interruption); raises :class:`PdfError`
    with a Chinese message.
    """
    from . import system

    soffice = find_soffice()
    if soffice is None:
        raise PdfError(_missing_soffice_message().replace("无法生成 PDF", "无法读取 .doc、.wps、.odt 文件"))
    out_dir = Path(out_dir)
    tag = system.new_tag()
    work = system.scratch_dir(tag)
    try:
        outdir = work / "out"
        outdir.mkdir()
        _run_soffice(soffice, [Path(source)], outdir, work, soffice_env(work), timeout, tag, fmt="docx")
        produced = outdir / f"{Path(source).stem}.docx"
        if not produced.is_file() or produced.stat().st_size == 0:
            raise PdfError(f"LibreOffice 没有把 {Path(source).name} 转换成 .docx（文件可能已损坏，或不是它的扩展名所说的格式）。")
        target = out_dir / produced.name
        shutil.move(str(produced), target)
        return target
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _produced(outdir: Path, src: Path) -> bool:
    out = outdir / f"{src.stem}.pdf"
    return out.is_file() and out.stat().st_size > 0


def _run_soffice(
    soffice: str, batch: list[Path], outdir: Path, work: Path, env: dict, timeout: float, tag: str,
    fmt: str = "pdf",
) -> None:
    from . import system

    cmd = [
        soffice,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nolockcheck",
        "--convert-to",
        fmt,
        "--outdir",
        str(outdir),
        *(str(p) for p in batch),
    ]
    # Output goes to files, not pipes: a child that LibreOffice (or a wrapper script) leaves
    # behind would keep a pipe open, and reading it would wait for that child past the timeout.
    log_out, log_err = work / "stdout.txt", work / "stderr.txt"
    with open(log_out, "wb") as out_f, open(log_err, "wb") as err_f:
        try:
            proc = system.start(cmd, env=env, tag=tag, stdout=out_f, stderr=err_f)
        except OSError as exc:
            raise PdfError(f"无法启动 LibreOffice（{soffice}）：{exc}。{_INSTALL_HINT}") from exc
        try:
            code = system.wait(proc, timeout)
        except BaseException:  # Ctrl-C, SIGTERM (system.Terminated): take LibreOffice down with us
            system.kill_tree(proc, tag)
            raise
        if code is None:
            system.kill_tree(proc, tag)
            names = "、".join(p.name for p in batch)
            raise PdfError(
                f"LibreOffice 转换 PDF 超时（{timeout:g} 秒），已终止。涉及的文件：{names}"
            )
        # whatever it left running (a detached child) goes now
        system.kill_tagged(tag)
    out = log_out.read_text(encoding="utf-8", errors="replace")
    err = log_err.read_text(encoding="utf-8", errors="replace")
    if code != 0:
        detail = _tail(err) or _tail(out)
        raise PdfError(
            f"LibreOffice 转换 PDF 失败（退出码 {code}）。" + (f"\n{detail}" if detail else "")
        )
    # soffice exits 0 even when a file could not be loaded; the caller checks the outputs,
    # but an explicit error line gives a better message.
    for line in err.splitlines() + out.splitlines():
        if line.startswith("Error:"):
            raise PdfError(f"LibreOffice 转换 PDF 出错：{line.strip()}")


# --- checking and installing a produced PDF ---------------------------------------------------

def pdf_pages(pdf: Path) -> int | None:
    """Pages of a PDF: poppler's ``pdfinfo`` when present, else its page objects counted; None
    when the file cannot be read as a PDF."""
    exe = shutil.which("pdfinfo")
    if exe:
        try:
            res = subprocess.run([exe, str(pdf)], capture_output=True, text=True, errors="replace", timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            res = None
        if res is not None:
            m = re.search(r"^Pages:\s+(\d+)", res.stdout, re.M)
            return int(m.group(1)) if res.returncode == 0 and m else None
    try:
        data = Path(pdf).read_bytes()
    except OSError:
        return None
    return len(_PAGE.findall(data)) or None


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pdf_problem(pdf: Path) -> str | None:
    """Why *pdf* is not a usable PDF (no file, no ``%PDF-`` header, no ``%%EOF``, no pages), or None."""
    try:
        size = pdf.stat().st_size
        with open(pdf, "rb") as f:
            head = f.read(8)
            f.seek(max(0, size - 2048))
            tail = f.read()
    except FileNotFoundError:
        return "没有生成文件"
    except OSError as exc:
        return f"无法读取（{exc.strerror}）"
    if not head.startswith(b"%PDF-"):
        return f"不是 PDF 文件（{size} 字节，开头不是 %PDF-）"
    if b"%%EOF" not in tail:
        return f"PDF 不完整（{size} 字节，没有 %%EOF 结尾）"
    # page objects counted in the bytes (no process to start); a PDF that keeps them in compressed
    # object streams has none to see, and pdfinfo decides
    try:
        seen = bool(_PAGE.search(pdf.read_bytes()))
    except OSError as exc:
        return f"无法读取（{exc.strerror}）"
    if not seen and not pdf_pages(pdf):
        return "PDF 中没有可读的页面"
    return None


def install_pdf(produced: Path, dest: Path, source: Path | None = None) -> None:
    """Check the PDF LibreOffice *produced*, then rename it over *dest* (the old one stays on failure)."""
    problem = pdf_problem(produced)
    if problem is not None:
        name = source.name if source is not None else dest.name
        keep = f"原有的 {dest} 未改动。" if dest.exists() else ""
        if problem == "没有生成文件":
            raise PdfError(f"LibreOffice 没有生成 {name} 的 PDF（文件可能已损坏或不是 .docx）。{keep}")
        raise PdfError(f"LibreOffice 为 {name} 生成的 PDF 无效：{problem}。{keep}")
    _move_into_place(produced, dest)


def _move_into_place(src: Path, dest: Path) -> None:
    """Put ``src`` at ``dest`` atomically (readers never see a half-written PDF)."""
    from . import system

    if dest.is_dir() and not dest.is_symlink():
        raise PdfError(f"无法写入 PDF：{dest} 是一个文件夹。请删除或改名这个文件夹。")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            system.replace(src, dest)
            return
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
        # Different file systems: copy next to the destination first, then rename.
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
        os.close(fd)
        try:
            shutil.copyfile(src, tmp_name)
            os.chmod(tmp_name, 0o644 & ~_umask())
            system.replace(Path(tmp_name), dest)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
    except system.FileInUse as exc:
        raise PdfError(f"{exc.message_zh}。原有的 PDF 未改动。") from None
    except OSError as exc:
        raise PdfError(f"无法写入 {dest}（{exc.strerror or exc}）。原有的 PDF 未改动。") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def pdf_fonts(pdf: Path) -> list[str]:
    """Names of the fonts in ``pdf`` (``pdffonts``), subset tags removed, in order, unique.

    E.g. ``['FandolFang-Regular', 'LiberationSerif', 'NotoSerifCJKsc-Bold']``.
    """
    exe = shutil.which("pdffonts")
    if exe is None:
        raise PdfError(f"未找到 pdffonts，无法检查 PDF 的字体。{_POPPLER_HINT}")
    res = subprocess.run(
        [exe, str(pdf)], capture_output=True, text=True, errors="replace", check=False
    )
    if res.returncode != 0:
        raise PdfError(f"pdffonts 无法读取 {pdf}：{_tail(res.stderr)}")
    names: list[str] = []
    lines = res.stdout.splitlines()
    # Header: "name  type  encoding ...", then a line of dashes, then one line per font.
    start = next((i + 1 for i, ln in enumerate(lines) if ln.startswith("---")), len(lines))
    for line in lines[start:]:
        if not line.strip():
            continue
        name = line.split()[0]
        if len(name) > 7 and name[6] == "+" and name[:6].isalpha() and name[:6].isupper():
            name = name[7:]
        if name not in names:
            names.append(name)
    return names
