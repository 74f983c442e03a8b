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
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

__all__ = ["PdfError", "FONTS_CONF", "find_soffice", "convert_to_pdf", "pdf_fonts"]

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
    """Return the LibreOffice program to run, or None if there is none.

    ``JIANBAO_SOFFICE`` (a path or a command name) wins when set; if it names nothing
    executable the answer is None — we do not silently fall back to another LibreOffice.
    Otherwise ``soffice`` or ``libreoffice`` on PATH.
    """
    env = os.environ.get("JIANBAO_SOFFICE", "").strip()
    if env:
        return shutil.which(env)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


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


def _kill_group(proc: subprocess.Popen) -> None:
    # soffice is a shell script -> oosplash -> soffice.bin: kill the whole session.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.kill()
    except ProcessLookupError:
        pass


def _move_into_place(src: Path, dest: Path) -> None:
    """Put ``src`` at ``dest`` atomically (readers never see a half-written PDF)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(src, dest)
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
        os.replace(tmp_name, dest)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
    """Convert .docx files to PDF with one headless LibreOffice process; return the PDF paths.

    Each PDF is written next to its .docx (``a/b.docx`` -> ``a/b.pdf``), or into ``out_dir``
    when given, atomically: LibreOffice writes into a temporary directory and the finished
    file is renamed into place. ``timeout`` (seconds) bounds each LibreOffice run, plus
    :data:`SECONDS_PER_FILE` for every file it converts (a 300-file batch took longer than a
    flat 180 s on a loaded machine). Raises
    :class:`PdfError` (Chinese message) when LibreOffice is missing, fails, times out or
    does not produce a PDF.
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

    soffice = find_soffice()
    if soffice is None:
        raise PdfError(_missing_soffice_message())

    env = dict(os.environ)
    if FONTS_CONF.is_file():
        env["FONTCONFIG_FILE"] = str(FONTS_CONF)

    work = Path(tempfile.mkdtemp(prefix="jianbao-soffice-"))
    try:
        unique = list(dict.fromkeys(sources))
        for n, batch in enumerate(_batches(unique)):
            outdir = work / f"out{n}"
            outdir.mkdir()
            todo = list(batch)
            while todo:
                _run_soffice(soffice, todo, outdir, work / "profile", env, timeout + SECONDS_PER_FILE * len(todo))
                missing = [src for src in todo if not _produced(outdir, src)]
                if len(missing) == len(todo):
                    break
                # LibreOffice stopped part-way through a long batch (seen after some hundred files):
                # the files it did not reach go to a fresh run, as long as each run makes progress.
                todo = missing
            for src in batch:
                produced = outdir / f"{src.stem}.pdf"
                if not _produced(outdir, src):
                    raise PdfError(
                        f"LibreOffice 没有生成 {src.name} 的 PDF（文件可能已损坏或不是 .docx）。"
                    )
                _move_into_place(produced, target_of[src])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return targets


def _produced(outdir: Path, src: Path) -> bool:
    out = outdir / f"{src.stem}.pdf"
    return out.is_file() and out.stat().st_size > 0


def _run_soffice(
    soffice: str, batch: list[Path], outdir: Path, profile: Path, env: dict, timeout: float
) -> None:
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        *(str(p) for p in batch),
    ]
    try:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            env=env,
            start_new_session=True,
        )
    except OSError as exc:
        raise PdfError(f"无法启动 LibreOffice（{soffice}）：{exc}。{_INSTALL_HINT}") from exc
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        proc.communicate()
        names = "、".join(p.name for p in batch)
        raise PdfError(
            f"LibreOffice 转换 PDF 超时（{timeout:g} 秒），已终止。涉及的文件：{names}"
        ) from None
    except BaseException:
        _kill_group(proc)
        proc.communicate()
        raise
    if proc.returncode != 0:
        detail = _tail(err) or _tail(out)
        raise PdfError(
            f"LibreOffice 转换 PDF 失败（退出码 {proc.returncode}）。"
            + (f"\n{detail}" if detail else "")
        )
    # soffice exits 0 even when a file could not be loaded; the caller checks the outputs,
    # but an explicit error line gives a better message.
    for line in (err or "").splitlines() + (out or "").splitlines():
        if line.startswith("Error:"):
            raise PdfError(f"LibreOffice 转换 PDF 出错：{line.strip()}")


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
