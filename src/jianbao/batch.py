"""Building many issues: skip what is up to date, use every core, convert to PDF in one go.

:func:`build_files` is what ``jianbao build`` runs, for one file or a whole archive.  Each issue
is prepared, rendered and written on its own (a broken issue never stops the others); the
.docx files are rendered in parallel processes; the PDFs come from ONE LibreOffice run.  When
the preset asks for ``end_on_even_page``, pages are counted in the PDF and a bulletin whose end
block would land on an odd page is rebuilt with the end block on a page of its own.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, JianbaoError


@dataclass
class BuildResult:
    source: Path
    output: Path | None = None
    status: str = "failed"  # built · skipped · failed
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pdf: Path | None = None
    pages: int | None = None
    end_page: int | None = None
    notes: list[str] = field(default_factory=list)
    # what the PDF stage needs to know, filled by the worker
    even_end: bool = False
    end_text: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def _inputs_mtime(prepared) -> int:
    paths = [prepared.path, prepared.series_src.path, prepared.layout_path]
    return max(Path(p).stat().st_mtime_ns for p in paths)


def _fresh(out: Path, mtime: int) -> bool:
    return out.is_file() and not out.is_symlink() and out.stat().st_mtime_ns >= mtime


def build_one(path: Path, output: Path | None = None, force: bool = False, *,
              end_page_alone: bool = False) -> BuildResult:
    """Prepare, render and write one issue; never raises for bad input."""
    from .office import compile_issue, default_output, prepare

    res = BuildResult(source=Path(path))
    try:
        prepared = prepare(path)
        res.diagnostics = list(prepared.warnings)
        out = Path(output) if output else default_output(prepared)
        res.output = out
        res.even_end = prepared.layout.end_block.end_on_even_page
        res.end_text = _end_text(prepared.bulletin)
        if not force and not end_page_alone and _fresh(out, _inputs_mtime(prepared)):
            res.status = "skipped"
            return res
        compile_issue(prepared, out, end_page_alone=end_page_alone)
        res.status = "built"
    except JianbaoError as exc:
        res.diagnostics += exc.diagnostics
        res.status = "failed"
    return res


def _end_text(bulletin) -> str:
    s = bulletin.series
    rows = [f"{k}：{v if isinstance(v, str) else s.separator.join(v) + '。'}" for k, v in s.distribution.items()]
    if s.copies:
        rows.append(f"（共印{s.copies}份）")
    return "".join(rows)


def build_files(paths: list[Path], *, output: Path | None = None, force: bool = False, pdf: bool = False,
                jobs: int | None = None, on_done: Callable[[BuildResult], None] | None = None) -> list[BuildResult]:
    """Build every issue in *paths*; then PDFs (one LibreOffice run) when asked or needed."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    results: list[BuildResult] = []
    if jobs == 1 or len(paths) == 1:
        for p in paths:
            r = build_one(p, output, force)
            results.append(r)
            if on_done:
                on_done(r)
    else:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(jobs, len(paths))) as pool:
            for r in pool.map(build_one, paths, [output] * len(paths), [force] * len(paths), chunksize=4):
                results.append(r)
                if on_done:
                    on_done(r)
    if pdf or any(r.ok and r.even_end for r in results):
        _pdf_stage(results, keep_pdf=pdf, force=force)
    return results


def _pdf_stage(results: list[BuildResult], *, keep_pdf: bool, force: bool) -> None:
    from .pdf import PdfError, convert_to_pdf

    todo = [r for r in results if r.ok and (keep_pdf or r.even_end)]
    if not keep_pdf:  # only measuring for end_on_even_page: PDFs go to a scratch folder
        scratch = Path(tempfile.mkdtemp(prefix="jianbao-measure-"))
    try:
        need = [r for r in todo if force or r.status == "built" or not keep_pdf
                or not _fresh(r.output.with_suffix(".pdf"), r.output.stat().st_mtime_ns)]
        try:
            _convert(need, convert_to_pdf, None if keep_pdf else scratch)
        except PdfError as exc:
            _pdf_failed(need, exc, keep_pdf)
            return
        for r in todo:
            if r.pdf is None and keep_pdf:
                r.pdf = r.output.with_suffix(".pdf")
            if r.pdf is not None and r.pdf.is_file():
                r.pages = count_pages(r.pdf)
                r.end_page = r.pages
        redo = [r for r in todo if r.even_end and r.pages and r.pages % 2 == 1 and r.end_text]
        for r in redo:
            again = build_one(r.source, r.output, True, end_page_alone=True)
            r.status, r.diagnostics = again.status, r.diagnostics + [d for d in again.diagnostics
                                                                     if d not in r.diagnostics]
        redo = [r for r in redo if r.ok]
        if redo:
            try:
                _convert(redo, convert_to_pdf, None if keep_pdf else scratch)
            except PdfError as exc:
                _pdf_failed(redo, exc, keep_pdf)
                return
            for r in redo:
                r.pages = count_pages(r.pdf)
                r.end_page = r.pages
                r.notes.append("版记另起一页（双面印刷落在偶数页）")
        for r in todo:
            if r.pdf is not None and r.pages and r.end_text and end_block_alone(r.pdf, r.pages, r.end_text):
                if not any("另起一页" in n for n in r.notes):
                    r.notes.append("正文排满末页，版记单独占一页（上一页未被压缩）")
        if not keep_pdf:
            for r in todo:
                r.pdf = None
    finally:
        if not keep_pdf:
            shutil.rmtree(scratch, ignore_errors=True)


def _convert(results: list[BuildResult], convert_to_pdf, out_dir: Path | None) -> None:
    if not results:
        return
    pdfs = convert_to_pdf([r.output for r in results], out_dir=out_dir)
    for r, p in zip(results, pdfs):
        r.pdf = p


def _pdf_failed(results: list[BuildResult], exc: Exception, keep_pdf: bool) -> None:
    for r in results:
        if keep_pdf:
            r.status = "failed"
            r.diagnostics.append(Diagnostic("JB502", f"PDF 转换失败：{exc}", file=r.output))
        else:
            r.notes.append("无法用 LibreOffice 计算页数，未检查版记是否在偶数页")


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def count_pages(pdf: Path) -> int:
    """Pages of a PDF: poppler's pdfinfo when present, else its page objects counted."""
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        m = re.search(r"^Pages:\s+(\d+)", out, re.M)
        if m:
            return int(m.group(1))
    return len(_PAGE.findall(Path(pdf).read_bytes()))


def end_block_alone(pdf: Path, page: int, end_text: str) -> bool:
    """Whether *page* of *pdf* holds nothing but the end block (and its page number)."""
    if not shutil.which("pdftotext"):
        return False
    text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True).stdout
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"—\d+—", "", text)
    return text.replace(re.sub(r"\s+", "", end_text), "") == ""
