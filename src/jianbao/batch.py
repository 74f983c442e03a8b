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
from functools import lru_cache
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, JianbaoError


@dataclass
class BuildResult:
    source: Path
    output: Path | None = None
    status: str = "failed"  # built · converted (only the PDF made again) · skipped · failed
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pdf: Path | None = None
    pages: int | None = None
    end_page: int | None = None
    notes: list[str] = field(default_factory=list)
    web: Path | None = None  # the web page (build --html)
    entry: Any = None  # what the index and the feed say of it (jianbao.render.html.Entry)
    draft: bool = False
    open: int = 0  # errors a draft was built despite
    # what the PDF stage needs to know, filled by the worker
    even_end: bool = False
    end_text: str = ""
    text_bottom: float = 0.0  # the 版心 bottom and the line pitch, in PDF points (from the preset)
    pitch: float = 0.0
    tail: str = ""  # the last lines the renderer split off the last paragraph (render/docx.py split_last)

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    @property
    def docx(self) -> Path:
        """The .docx of a result that has one (built or up to date)."""
        assert self.output is not None, self
        return self.output


#: What a build says of a long last paragraph split before its last two lines (which then always
#: stand with the end block): in the .docx, and in Word, they are two paragraphs.
SPLIT_NOTE = "末段末两行另成一段、与版记同页（在 Word 中改末段时先合并）"
MOVED_NOTE = "正文末两行移到版记所在页（末段拆开或整段移过去）"


def _inputs_mtime(prepared) -> int:
    """Newest mtime of everything the output depends on (neighbour issues read for prev/ytd too)."""
    paths = [prepared.path, prepared.series_src.path, prepared.layout_path, *prepared.inputs]
    return max(Path(p).stat().st_mtime_ns for p in paths)


def _same_inputs(prepared, out: Path, default: bool) -> bool:
    """Whether the output was built from the same files (no neighbour since deleted or renamed)."""
    if not default:
        return True
    from . import deps

    was = deps.recorded(out)
    return was is None or sorted(was) == sorted(deps.names(prepared))


def _fresh(out: Path, mtime: int) -> bool:
    return out.is_file() and not out.is_symlink() and out.stat().st_mtime_ns >= mtime


def build_one(path: Path, output: Path | None = None, force: bool = False, draft: bool = False, *,
              end_page_alone: int = 0, html: bool = False, carry: str | None = None,
              nudge: int = 0) -> BuildResult:
    """Prepare, render and write one issue; never raises for bad input.

    *draft*: build despite the errors a draft may have (placeholders …), each page marked; they are
    reported with the warnings and counted in the notes.
    """
    from .pipeline import compile_issue, default_output, prepare

    res = BuildResult(source=Path(path), draft=draft)
    try:
        prepared = prepare(path, draft=draft)
        from .ignore import apply

        warnings, _ = apply(list(prepared.warnings), prepared.issue_src, prepared.series_src)
        res.diagnostics = sorted(prepared.open + warnings,
                                 key=lambda d: (d.file != prepared.issue_src.path, str(d.file), d.line or 0, d.column or 0))
        if draft:
            res.notes.append(f"草稿：还有 {len(prepared.open)} 个问题未解决" if prepared.open else "草稿")
            res.open = len(prepared.open)
        out = Path(output) if output else default_output(prepared)
        res.output = out
        res.even_end = prepared.layout.end_block.end_on_even_page
        res.end_text = _end_text(prepared.bulletin)
        if html:
            res.web = _web_edition(prepared, out.with_suffix(".html"),
                                   force or not _same_inputs(prepared, out, output is None))
            res.entry = _entry(prepared, out.stem)
        page = prepared.layout.page
        res.text_bottom, res.pitch = (page.height - page.margin_bottom) / 20, prepared.layout.grid.line_pitch / 20
        if not force and not end_page_alone and not carry and not nudge and _fresh(out, _inputs_mtime(prepared)) \
                and _same_inputs(prepared, out, output is None):
            res.status = "skipped"
        else:
            split: list[str] = []
            compile_issue(prepared, out, end_page_alone=end_page_alone, carry=carry, split=split, nudge=nudge)
            res.status = "built"
            if split:
                res.tail = split[0]
                res.notes.append(SPLIT_NOTE)
        if output is None:  # build/<stem>.d: what make and the next build compare with
            from . import deps

            deps.write(prepared, out)
    except JianbaoError as exc:
        res.diagnostics += exc.diagnostics
        res.status = "failed"
    return res


def _web_edition(prepared, out: Path, force: bool) -> Path:
    """Write the issue's web page next to its .docx, unless it is newer than everything it reads."""
    from .layout import builtin_templates
    from .render.html import render_html
    from .write import write_atomic

    templates = [p for p in (prepared.office / "templates" / "html", builtin_templates() / "html") if p.is_dir()]
    mtime = max(_inputs_mtime(prepared), *(_mtime(f) for t in templates for f in t.iterdir()))
    if force or not _fresh(out, mtime):
        write_atomic(out, render_html(prepared.bulletin, prepared.layout, office=prepared.office).encode("utf-8"))
    return out


def _mtime(path: Path) -> int:
    """When *path* (or the link itself, when it leads nowhere: the page template says so) last changed."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        try:
            return path.lstat().st_mtime_ns
        except OSError:
            return 0


def _entry(prepared, stem: str):
    from .render.html import entry

    return entry(prepared.bulletin, stem, base_url=prepared.layout.web.base_url)


def write_site(results: list[BuildResult], folder: Path, *, base_url: str | None = None) -> list[Path]:
    """``index.html`` (every issue, newest first) and ``feed.xml`` (Atom) in *folder*, from the
    issues of *results* that have a web page."""
    from .render.html import render_feed, render_index
    from .write import write_atomic

    entries = [r.entry for r in results if r.ok and r.entry is not None]
    if not entries:
        return []
    base_url = base_url or entries[0].base_url
    from .office import find_settings

    settings = find_settings(results[0].source.parent)  # the office whose templates/html the pages used
    office = settings.parent if settings is not None else None
    index, feed = folder / "index.html", folder / "feed.xml"
    write_atomic(index, render_index(entries, office=office).encode("utf-8"))
    write_atomic(feed, render_feed(entries, base_url=base_url).encode("utf-8"))
    return [index, feed]


def said_once(results: list[BuildResult]) -> list[list[Diagnostic]]:
    """Each result's diagnostics, with a problem of a shared file (jianbao.yaml, the preset) only
    the first time it appears: a batch of 52 issues says a settings warning once, not 52 times."""
    seen: set[tuple] = set()
    out = []
    for r in results:
        own = []
        for d in r.diagnostics:
            key = (d.code, str(d.file), d.line, d.column, d.message)
            if d.file is not None and Path(d.file) != r.source:
                if key in seen:
                    continue
                seen.add(key)
            own.append(d)
        out.append(own)
    return out


def _end_text(bulletin) -> str:
    """The end block's text as the PDF shows it (to find the page it landed on)."""
    from .text import copies_line, end_block_rows

    rows = [f"{label}：{text}" for label, text in end_block_rows(bulletin.series)]
    return "".join(rows + [copies_line(bulletin.series) or ""])


def build_files(paths: list[Path], *, output: Path | None = None, force: bool = False, pdf: bool = False,
                jobs: int | None = None, on_done: Callable[[BuildResult], None] | None = None,
                html: bool = False, draft: bool = False) -> list[BuildResult]:
    """Build every issue in *paths*; then PDFs (one LibreOffice run) when asked or needed."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    results: list[BuildResult] = []
    if jobs == 1 or len(paths) == 1:
        for p in paths:
            r = build_one(p, output, force, draft, html=html)
            results.append(r)
            if on_done:
                on_done(r)
    else:
        results = _build_parallel(paths, output, force, min(jobs, len(paths)), on_done, html, draft)
    _name_broken_neighbours(results)
    if pdf or any(r.ok and r.even_end for r in results):
        _pdf_stage(results, keep_pdf=pdf, force=force)
    return results


def _name_broken_neighbours(results: list[BuildResult]) -> None:
    """An issue that failed only because a neighbour it reads for prev/ytd is broken (JB708), when
    that neighbour is in this batch and reported its own errors: say so in one line, instead of
    repeating the neighbour's error under every later issue of the year."""
    failed = {}
    for r in results:
        if not r.ok:
            try:
                failed[r.source.resolve()] = r
            except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
                pass
    for r in results:
        if r.ok or not r.diagnostics or any(d.code != "JB708" or d.file is None for d in r.diagnostics):
            continue
        try:
            causes = {Path(d.file).resolve() for d in r.diagnostics if d.file is not None}
            me = r.source.resolve()
        except (OSError, RuntimeError):
            continue
        if all(c in failed and c != me and any(
                d.code != "JB708" for d in failed[c].diagnostics) for c in causes):
            r.diagnostics = []
            r.notes += [f"{c.name} 有错误，本期的 prev/ytd 算不出，未编译" for c in sorted(causes)]


def _worker(conn) -> None:
    """A build process: build the paths it is sent, one at a time, until told to stop (None)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it ends us
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        index, path, output, force, html, draft = task
        conn.send((index, build_one(path, output, force, draft, html=html)))  # looked up now: tests replace it


def _crashed(path: Path, exitcode: int | None) -> BuildResult:
    import signal

    how = "内存不足或被终止" if exitcode is None or exitcode < 0 else f"退出码 {exitcode}"
    try:
        if exitcode is not None and exitcode < 0:
            how = f"被信号 {signal.Signals(-exitcode).name} 终止（常见原因：内存不足）"
    except ValueError:
        pass
    return BuildResult(source=Path(path), status="failed", diagnostics=[Diagnostic(
        "JB503", f"编译这一期的进程意外退出（{how}），其余各期照常编译", file=Path(path),
        hint="单独编译这一期（jianbao build 该文件）看是否重现；若是模板占用内存过多，简化其中的计算。")])


def _build_parallel(paths: list[Path], output, force: bool, jobs: int,
                    on_done: Callable[[BuildResult], None] | None, html: bool = False,
                    draft: bool = False) -> list[BuildResult]:
    """:func:`build_one` of each path in *jobs* worker processes, results in the order of *paths*.

    Each worker gets one path at a time, so a worker that dies (killed, out of memory) costs
    exactly the issue it was building: that issue is reported as failed (JB503), the worker is
    replaced, and the others are built.  Ctrl-C stops the workers at once.
    """
    import multiprocessing as mp
    from multiprocessing.connection import wait

    from . import check, layout, office, resolve  # noqa: F401  (imported once, before the workers fork)

    ctx = mp.get_context()
    results: list[BuildResult | None] = [None] * len(paths)
    todo = list(range(len(paths)))[::-1]
    busy: dict = {}  # connection → (process, index or None)
    done_upto = 0

    def start():
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker, args=(child,), daemon=True)
        proc.start()
        child.close()
        return parent, proc

    def give(conn, proc):
        if todo:
            i = todo.pop()
            conn.send((i, paths[i], output, force, html, draft))
            busy[conn] = (proc, i)
        else:
            try:
                conn.send(None)
            except OSError:
                pass
            conn.close()
            proc.join()

    def finish(i: int, r: BuildResult):
        nonlocal done_upto
        results[i] = r
        while done_upto < len(results):
            ready = results[done_upto]
            if ready is None:
                break
            if on_done:
                on_done(ready)
            done_upto += 1

    try:
        for _ in range(jobs):
            give(*start())
        while busy:
            ready = wait(list(busy) + [p.sentinel for p, _ in busy.values()])
            for conn in [c for c in list(busy) if c in ready or busy[c][0].sentinel in ready]:
                proc, i = busy.pop(conn)
                try:
                    if conn.poll():
                        got, r = conn.recv()
                        finish(got, r)
                        give(conn, proc)
                        continue
                except (EOFError, OSError):
                    pass
                # the worker died while building paths[i]: report it, start another
                proc.join()
                conn.close()
                finish(i, _crashed(paths[i], proc.exitcode))
                if todo:
                    give(*start())
    finally:
        for conn, (proc, _) in busy.items():
            proc.kill()
            proc.join()
            conn.close()
    return results  # type: ignore[return-value]


def _pdf_stage(results: list[BuildResult], *, keep_pdf: bool, force: bool) -> None:
    """Convert, count pages, and move odd-page end blocks onto a page of their own."""
    todo = [r for r in results if r.ok and (keep_pdf or r.even_end)]
    # only measuring for end_on_even_page: the PDFs go to a scratch folder and are dropped
    scratch = None if keep_pdf else Path(tempfile.mkdtemp(prefix="jianbao-measure-"))
    try:
        stale = [r for r in todo if scratch or force or r.status == "built"
                 or not _fresh(r.docx.with_suffix(".pdf"), r.docx.stat().st_mtime_ns)]
        if not _convert(stale, scratch, keep_pdf):
            return
        for r in stale:
            if keep_pdf and r.status == "skipped":  # the .docx was up to date, its PDF was not
                r.status = "converted"
        _each(lambda r: _measure(r, scratch), todo)
        odd = [r for r in todo if r.even_end and r.end_text and r.pages and r.pages % 2]
        level: dict[int, int] = {}  # end_page_alone of each result in odd: 1, or 2 with a blank page
        for blank in (False, True):
            # The text ended on an even page with no room under it for the end block, which went
            # to the odd page after it: on a page of its own it is on that odd page still, so it
            # goes two pages after the text, with a blank page first.
            again_odd = [r for r in odd if r.pages and r.pages % 2] if blank else odd
            for r in again_odd:
                level[id(r)] = 2 if blank else 1
                again = build_one(r.source, r.output, True, r.draft, end_page_alone=level[id(r)])
                r.status, r.tail = again.status, again.tail  # a page of its own: nothing is split
                r.notes = [n for n in r.notes if n != SPLIT_NOTE or again.tail]
                r.diagnostics += [d for d in again.diagnostics if d not in r.diagnostics]
            odd = [r for r in odd if r.ok]
            again_odd = [r for r in again_odd if r.ok]
            if not _convert(again_odd, scratch, keep_pdf):
                return
            _each(lambda r: _measure(r, scratch), again_odd)
        for r in odd:
            r.notes.append("版记另起一页，前有一空白页（双面印刷落在偶数页）" if level[id(r)] > 1
                           else "版记另起一页（双面印刷落在偶数页）")
        # An end block alone on its page: split the last paragraph before the two lines that end
        # the page before it, so that they come with the end block (LibreOffice moves a paragraph
        # kept with the next one whole or not at all; Word needs no split).
        candidates = [r for r in todo if r not in odd and r.ok and r.pdf and r.pages and r.pages > 1 and r.end_text]
        alone = {id(r): tail for r, tail in zip(candidates, _each(_carry, candidates)) if tail}
        moved = []
        for r in todo:
            tail = alone.get(id(r))
            if tail and r.output is not None:
                before, was = r.output.read_bytes(), r.output.stat()
                again = build_one(r.source, r.output, True, r.draft, carry=tail)
                if again.ok and r.output.read_bytes() != before:  # the text did end with those lines
                    moved.append(r)
                elif again.ok:  # the same bytes: the .docx stays as old as it was, older than its PDF
                    os.utime(r.output, ns=(was.st_atime_ns, was.st_mtime_ns))
        if moved and _convert(moved, scratch, keep_pdf):
            _each(lambda r: _measure(r, scratch), moved)
        # LibreOffice 7.4 can lose the rows of a table that fills a page to within half a point
        # (see render/docx.py, _Body.table): a PDF that prints less of the text than its .docx
        # holds is made again with the tables' captions a point lower (then two points).
        for nudge in (20, 40):
            short = _each(lambda r: bool(r.ok and r.pdf and r.output is not None and lost_text(r.output, r.pdf)), todo)
            lost = [r for r, s in zip(todo, short) if s]
            for r in lost:
                again = build_one(r.source, r.output, True, r.draft, end_page_alone=level.get(id(r), 0),
                                  carry=alone.get(id(r)) if r in moved else None, nudge=nudge)
                r.diagnostics += [d for d in again.diagnostics if d not in r.diagnostics]
            if not lost or not _convert(lost, scratch, keep_pdf):
                break
            _each(lambda r: _measure(r, scratch), lost)
        by_itself = _each(lambda r: bool(r.pages and r.end_text and r.pdf
                                         and end_block_alone(r.pdf, r.pages, r.end_text)), todo)
        for r, end_alone in zip(todo, by_itself):
            if end_alone and id(r) not in level:  # on a page of its own for end_on_even_page: no news
                r.notes.append("正文排满末页，版记单独占一页（正文末尾不是可拆分的段落）")
            elif r in moved or _moved_tail(r):
                r.notes = [n for n in r.notes if n != SPLIT_NOTE] + [MOVED_NOTE]
            if scratch:
                r.pdf = None
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def _convert(results: list[BuildResult], out_dir: Path | None, keep_pdf: bool) -> bool:
    """One LibreOffice run for *results*; on failure mark them (or note it) and say False."""
    from .pdf import PdfError, convert_to_pdf

    if not results:
        return True
    if out_dir is None:  # a folder (or a link) where the PDF goes: refuse before LibreOffice runs
        for r in results:
            target = r.docx.with_suffix(".pdf")
            if target.is_dir() or target.is_symlink():
                what = "文件夹" if target.is_dir() and not target.is_symlink() else "符号链接"
                r.status = "failed"
                r.diagnostics.append(Diagnostic("JB501", f"PDF 的输出路径是一个{what}：{target}", file=target,
                                                hint="删除或改名这个文件夹（链接），再编译。"))
        results = [r for r in results if r.ok]
        if not results:
            return False
    try:
        convert_to_pdf([r.docx for r in results], out_dir=out_dir)
    except (PdfError, OSError) as exc:  # OSError: the disk filled up, or a folder appeared meanwhile
        why = str(exc) if isinstance(exc, PdfError) else f"无法写入 PDF（{exc.strerror or exc}）"
        for r in results:
            if keep_pdf:
                r.status = "failed"
                r.diagnostics.append(Diagnostic("JB502", f"PDF 转换失败：{why}", file=r.output))
            else:
                r.notes.append("无法用 LibreOffice 计算页数，未检查版记是否在偶数页")
        return False
    return True


def _each(fn: Callable[[Any], Any], items: list) -> list:
    """``[fn(x) for x in items]``, side by side: what each does is wait for pdfinfo or pdftotext on
    one PDF, and a year of issues asks them ~250 times (issue 17).  Results in the order of *items*;
    the first exception is raised, as by the loop."""
    if len(items) < 2:
        return [fn(x) for x in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(len(items), 2 * (os.cpu_count() or 1))) as pool:
        return list(pool.map(fn, items))


def _measure(r: BuildResult, out_dir: Path | None) -> None:
    r.pdf = (out_dir / f"{r.docx.stem}.pdf") if out_dir else r.docx.with_suffix(".pdf")
    r.pages = r.end_page = count_pages(r.pdf)


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def count_pages(pdf: Path) -> int:
    """Pages of a PDF: poppler's pdfinfo when present, else its page objects counted."""
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        m = re.search(r"^Pages:\s+(\d+)", out, re.M)
        if m:
            return int(m.group(1))
    return len(_PAGE.findall(Path(pdf).read_bytes()))


def _carry(r: BuildResult) -> str:
    """The last two lines of the text, when they should go to the end block's page and did not:
    the end block stands alone (the lines that end the page before it), or the last paragraph
    moved whole to the end block's page and left room on the page before (the lines above the
    end block).  "" when neither."""
    if r.pdf is None or not r.pages:
        return ""
    if end_block_alone(r.pdf, r.pages, r.end_text):
        return "".join(text for text, _ in _text_lines(r.pdf, r.pages - 1)[-2:])
    end = re.sub(r"\s+", "", r.end_text)
    last = [(t, y) for t, y in _text_lines(r.pdf, r.pages) if t not in end]
    before = _text_lines(r.pdf, r.pages - 1)
    if len(last) > 2 and before and r.text_bottom - before[-1][1] > 2.5 * r.pitch:
        return "".join(text for text, _ in last[-2:])
    return ""


def _moved_tail(r: BuildResult) -> bool:
    """Whether the last lines the renderer split off went to the end block's page while the page
    before had room for them: the last page holds nothing else above the end block."""
    if not r.tail or r.pdf is None or not r.pages or r.pages < 2:
        return False
    end = re.sub(r"\s+", "", r.end_text)
    last = "".join(t for t, _ in _text_lines(r.pdf, r.pages) if t not in end)
    before = _text_lines(r.pdf, r.pages - 1)
    return last == re.sub(r"\s+", "", r.tail) and bool(before) and r.text_bottom - before[-1][1] > 0.5 * r.pitch


def _text_lines(pdf: Path, page: int) -> list[tuple[str, float]]:
    """The text lines of *page* above its page number: (text without spaces, bottom in points)."""
    if not shutil.which("pdftotext"):
        return []
    st = Path(pdf).stat()
    return list(_lines_of(str(pdf), page, (st.st_ino, st.st_mtime_ns, st.st_size)))


@lru_cache(maxsize=512)
def _lines_of(pdf: str, page: int, version: tuple) -> tuple[tuple[str, float], ...]:
    """:func:`_text_lines` of *pdf* as it is now (*version*: inode, mtime, size): _carry and
    _moved_tail ask for the same two pages of a PDF that was not converted again in between."""
    xml = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), pdf, "-"],
                         capture_output=True, text=True).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>'
    words = sorted((float(y1), float(x0), text) for x0, y1, text in re.findall(pattern, xml))
    rows: list[list[tuple[float, float, str]]] = []
    for y1, x0, text in words:  # one line: words whose bottoms lie within 2 pt
        if rows and y1 - rows[-1][0][0] < 2:
            rows[-1].append((y1, x0, text))
        else:
            rows.append([(y1, x0, text)])
    lines = [("".join(t for _, _, t in sorted(ws, key=lambda w: w[1])), max(y for y, _, _ in ws)) for ws in rows]
    lines = [(re.sub(r"\s+", "", t), y) for t, y in lines]
    return tuple((t, y) for t, y in lines if t and not re.fullmatch(r"—\d+—", t))


@lru_cache(maxsize=512)
def _page_text(pdf: str, page: int, version: tuple) -> str:
    """``pdftotext`` of one page of *pdf* as it is now (*version*: inode, mtime, size): the PDF
    stage asks whether the end block stands alone twice for every PDF it did not convert again."""
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), pdf, "-"],
                          capture_output=True, text=True).stdout


_PRINTED = re.compile(r"[\u4e00-\u9fffA-Za-z]")  # what a PDF's text gives back as it was written


def lost_text(docx: Path, pdf: Path) -> bool:
    """Whether *pdf* prints fewer of some character (a Chinese character, a Latin letter) than the
    text of *docx* holds: LibreOffice lost part of it in a layout loop."""
    import zipfile
    from collections import Counter

    from lxml import etree

    if not shutil.which("pdftotext"):
        return False
    with zipfile.ZipFile(docx) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    t = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
    want = Counter(_PRINTED.findall("".join(e.text or "" for e in root.iter(t))))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    return bool(want - Counter(_PRINTED.findall(text)))


def end_block_alone(pdf: Path, page: int, end_text: str) -> bool:
    """Whether *page* of *pdf* holds nothing but the end block (and its page number)."""
    if not shutil.which("pdftotext"):
        return False
    st = Path(pdf).stat()
    text = re.sub(r"\s+", "", _page_text(str(pdf), page, (st.st_ino, st.st_mtime_ns, st.st_size)))
    text = re.sub(r"—\d+—", "", text)
    return text.replace(re.sub(r"\s+", "", end_text), "") == ""
