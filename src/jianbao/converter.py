"""A resident LibreOffice for ``--watch --pdf``, ``preview`` and batch ``--pdf`` (issue 17).

Starting LibreOffice costs one to two seconds; converting the example bulletin in a LibreOffice that
is already running about 0.15 s.  Inside ``with resident():`` :func:`jianbao.pdf.convert_to_pdf`
hands each file to one LibreOffice that stays up:

- LibreOffice listens on a free port of 127.0.0.1 (``--accept``), with a private profile in a
  scratch folder of its own (``<tmp>/jianbao-soffice-*``, see :mod:`jianbao.system`);
- a small bridge (``uno_bridge.py``), run by the Python that has LibreOffice's ``uno`` module,
  loads each .docx and stores it as PDF; jianbao talks to it over its stdin/stdout;
- every conversion has a timeout: a LibreOffice that hangs is killed (its whole process tree) and
  the next conversion starts a new one; one that died is restarted and the file tried again once;
- leaving the ``with`` block — normally, by an error, Ctrl-C or SIGTERM — stops LibreOffice and
  the bridge and removes the scratch folder.

Without a Python that can ``import uno`` (Debian: ``apt-get install python3-uno``) or when
``JIANBAO_RESIDENT=0``, nothing is kept running and each call starts its own LibreOffice, as
``jianbao build --pdf`` of one file always does.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

from . import system
from .pdf import PdfError, current_resident, find_soffice, install_pdf, pop_resident, push_resident, soffice_env

__all__ = ["ResidentConverter", "resident", "current", "BRIDGE"]

BRIDGE = Path(__file__).resolve().parent / "uno_bridge.py"
_PREFIX = "JIANBAO "


def current() -> ResidentConverter | None:
    """The converter of the innermost ``with resident():``, or None."""
    return current_resident()


@contextlib.contextmanager
def resident(enabled: bool = True, workers: int = 1) -> Iterator[ResidentConverter | None]:
    """Keep LibreOffice running for the conversions inside the block; always stop it after.

    *workers* > 1 lets a large batch (:meth:`ResidentConverter.convert_many`) use up to that many
    LibreOffices side by side (one per core); single conversions always use the first.
    """
    if not enabled or os.environ.get("JIANBAO_RESIDENT", "").strip() == "0":
        yield None
        return
    conv = ResidentConverter(workers=workers)
    push_resident(conv)
    try:
        yield conv
    finally:
        pop_resident(conv)
        conv.stop()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ResidentConverter:
    """One LibreOffice kept running, restarted when it dies or hangs."""

    #: a batch gets one more LibreOffice for every this many files (up to *workers* in all)
    FILES_PER_EXTRA = 8

    def __init__(self, start_timeout: float = 120.0, workers: int = 1) -> None:
        self.start_timeout = start_timeout
        self.workers = max(1, workers)
        self.helpers: list[ResidentConverter] = []  # the extra LibreOffices of a parallel batch
        self.closed = False
        self.tag = system.new_tag()
        self.broken: str | None = None  # why it cannot be used (then the one-shot path is taken)
        self.soffice: str | None = None
        self.python: str | None = None
        self.work: Path | None = None
        self.office: subprocess.Popen | None = None
        self.bridge: subprocess.Popen | None = None
        self.replies: queue.Queue = queue.Queue()
        self.starts = 0  # how many LibreOffices were started (tests, bench)
        self.conversions = 0

    # --- life cycle --------------------------------------------------------------------------------
    def usable(self) -> bool:
        """Whether conversions go through this converter (it is started on first use)."""
        if self.broken:
            return False
        if self.alive():
            return True
        if self.soffice is None:
            self.soffice = find_soffice()
            if self.soffice is None:
                self.broken = "未找到 LibreOffice"
                return False
            self.python = system.find_uno_python(self.soffice)
            if self.python is None:
                self.broken = "没有能 import uno 的 Python（Debian/UOS/麒麟：apt-get install python3-uno）"
                return False
        try:
            self.start()
        except PdfError as exc:
            self.broken = exc.message_zh
            return False
        return True

    def alive(self) -> bool:
        return (self.bridge is not None and self.bridge.poll() is None
                and self.office is not None and self.office.poll() is None)

    def start(self) -> None:
        """Start LibreOffice and the bridge; PdfError when they do not come up (twice)."""
        if self.closed:
            raise PdfError("常驻的 LibreOffice 已停止（程序正在退出）。")
        if self.work is None:
            self.work = system.scratch_dir(self.tag)
        error = ""
        for _ in range(2):  # a second try on another port
            self.starts += 1
            n = self.starts
            port = _free_port()
            profile = (self.work / f"profile{n}").as_uri()
            assert self.soffice is not None and self.python is not None  # usable() found them
            cmd = [self.soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--norestore",
                   "--nologo", "--nolockcheck", "--nodefault",
                   f"--accept=socket,host=127.0.0.1,port={port},tcpNoDelay=1;urp;StarOffice.ComponentContext"]
            env = soffice_env(self.work)
            bridge_env = {k: v for k, v in env.items()
                          if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")}
            bridge_env["PYTHONIOENCODING"] = "utf-8"
            with open(self.work / f"office{n}.log", "wb") as log, open(self.work / f"bridge{n}.log", "wb") as blog:
                try:
                    self.office = system.start(cmd, env=env, tag=self.tag, stdout=log, stderr=log)
                    self.bridge = system.start([self.python, str(BRIDGE), str(port), str(self.start_timeout)],
                                               env=bridge_env, tag=self.tag, stdin=subprocess.PIPE,
                                               stdout=subprocess.PIPE, stderr=blog, text=True, encoding="utf-8",
                                               errors="replace", bufsize=1)
                except OSError as exc:
                    self.kill()
                    raise PdfError(f"无法启动 LibreOffice（{self.soffice}）：{exc}") from exc
            self.replies = queue.Queue()
            threading.Thread(target=_read_replies, args=(self.bridge.stdout, self.replies), daemon=True).start()
            try:
                msg = self._reply(self.start_timeout + 10)
            except BaseException:
                self.kill()
                raise
            if isinstance(msg, dict) and msg.get("ready"):
                return
            error = msg.get("error", "") if isinstance(msg, dict) else msg
            self.kill()
        raise PdfError(f"无法启动常驻的 LibreOffice：{error}")

    def kill(self) -> None:
        """End LibreOffice and the bridge now (their whole process trees)."""
        for proc in (self.bridge, self.office):
            if proc is not None:
                system.kill_tree(proc)
                for f in (proc.stdin, proc.stdout):
                    if f is not None:
                        with contextlib.suppress(OSError):
                            f.close()
        system.kill_tagged(self.tag)
        self.bridge = self.office = None

    def stop(self) -> None:
        """Ask LibreOffice to quit (the bridge does when its stdin closes), then make sure; clean up."""
        self.closed = True
        for helper in self.helpers:
            helper.stop()
        try:
            bridge, office = self.bridge, self.office
            if self.alive() and bridge is not None and office is not None and bridge.stdin is not None:
                with contextlib.suppress(OSError):
                    bridge.stdin.close()
                system.wait(bridge, 5)
                system.wait(office, 5)
        finally:
            self.kill()
            if self.work is not None:
                shutil.rmtree(self.work, ignore_errors=True)
                self.work = None

    # --- converting ---------------------------------------------------------------------------------
    def convert(self, src: Path, dest: Path, *, timeout: float = 180) -> None:
        """Convert *src* to the PDF *dest* (checked, then renamed into place); PdfError on failure."""
        src, dest = Path(src), Path(dest)
        for attempt in (1, 2):
            if not self.alive():
                self.kill()
                self.start()
            bridge, work = self.bridge, self.work
            assert bridge is not None and bridge.stdin is not None and work is not None  # start() made them
            self.conversions += 1
            outdir = work / f"out{self.conversions}"
            outdir.mkdir()
            produced = outdir / f"{src.stem}.pdf"
            msg: dict | str
            try:
                bridge.stdin.write(json.dumps({"src": str(src), "dest": str(produced)}) + "\n")
                bridge.stdin.flush()
                msg = self._reply(timeout)
            except OSError:  # the bridge is gone
                msg = "eof"
            except BaseException:  # Ctrl-C, SIGTERM: the with-block stops everything
                raise
            try:
                if msg == "timeout":
                    self.kill()
                    raise PdfError(f"LibreOffice 转换 PDF 超时（{timeout:g} 秒），已终止（下次转换时重新启动）。"
                                   f"涉及的文件：{src.name}")
                if msg == "eof" or (isinstance(msg, dict) and msg.get("dead")):
                    self.kill()
                    if attempt == 1:
                        continue  # LibreOffice died: start a new one and try this file again
                    detail = msg.get("error", "") if isinstance(msg, dict) else ""
                    raise PdfError(f"LibreOffice 在转换 {src.name} 时退出了。{detail}")
                if not isinstance(msg, dict) or not msg.get("ok"):
                    msg = msg if isinstance(msg, dict) else {}
                    raise PdfError(f"LibreOffice 无法转换 {src.name}（文件可能已损坏或不是 .docx）：{msg.get('error', '')}")
                install_pdf(produced, dest, src)
                return
            finally:
                shutil.rmtree(outdir, ignore_errors=True)

    def convert_many(self, pairs: list[tuple[Path, Path]], *, timeout: float = 180) -> None:
        """Convert (src, dest) pairs, on up to ``workers`` LibreOffices side by side.

        Every file is tried; then the first failure (in the given order) is raised as PdfError.
        """
        extra = min(self.workers - 1, len(pairs) // self.FILES_PER_EXTRA)
        if extra <= 0:
            for src, dest in pairs:
                self.convert(src, dest, timeout=timeout)
            return
        from concurrent.futures import ThreadPoolExecutor

        while len(self.helpers) < extra:
            helper = ResidentConverter(self.start_timeout)
            helper.soffice, helper.python = self.soffice, self.python
            self.helpers.append(helper)
        todo: queue.Queue = queue.Queue()
        for n, pair in enumerate(pairs):
            todo.put((n, pair))
        errors: dict[int, PdfError] = {}

        def drain(conv: ResidentConverter) -> None:
            while not conv.closed:
                try:
                    n, (src, dest) = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    conv.convert(src, dest, timeout=timeout)
                except PdfError as exc:
                    errors[n] = exc

        offices = [self, *self.helpers[:extra]]
        pool = ThreadPoolExecutor(max_workers=len(offices))
        try:
            for f in [pool.submit(drain, c) for c in offices]:
                f.result()
        except BaseException:  # Ctrl-C, SIGTERM: stop at once, do not wait for the conversions under way
            for conv in offices:
                conv.closed = True
                conv.kill()
            raise
        finally:
            pool.shutdown(wait=True)
        if errors:
            raise errors[min(errors)]

    def _reply(self, timeout: float) -> dict | str:
        """The bridge's next answer, or "timeout", or "eof" (it exited)."""
        try:
            line = self.replies.get(timeout=timeout)
        except queue.Empty:
            return "timeout"
        if line is None:
            return "eof"
        return line


def _read_replies(stream, out: queue.Queue) -> None:
    try:
        for line in stream:
            if line.startswith(_PREFIX):
                try:
                    out.put(json.loads(line[len(_PREFIX):]))
                except ValueError:
                    continue
    except (OSError, ValueError):
        pass
    out.put(None)
