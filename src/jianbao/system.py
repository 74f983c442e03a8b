"""What differs between Windows and POSIX, in one place: processes, signals, LibreOffice, file replace.

Every other module goes through these functions instead of calling ``os.killpg``, ``signal.SIGKILL``,
``start_new_session`` … itself (tests/test_portable.py fails when one does).  The Windows branches
are chosen by :func:`is_windows`, which the tests patch to exercise them on Linux.

Processes
    :func:`start` runs a helper program (LibreOffice) in a process group of its own, with a *tag*
    in its environment (``JIANBAO_RUN=<tag>``) that its children inherit.  :func:`kill_tree` ends
    the group and — on Linux — every process that still carries the tag, so that a converter's
    child that detached itself (``setsid``, a double fork) is ended as well.
Scratch folders
    :func:`scratch_dir` makes ``<tmp>/jianbao-soffice-*`` with an ``owner`` file (our pid and the
    tag); :func:`sweep_stale` removes the folders whose owner is dead (a jianbao killed with
    SIGKILL, a power cut) and ends the processes that were started for them.
Signals
    :func:`catch_termination` turns SIGTERM / SIGHUP (SIGBREAK on Windows) into :class:`Terminated`,
    a ``KeyboardInterrupt``, so that the ``finally`` blocks that stop LibreOffice and remove the
    scratch folders run on those signals as on Ctrl-C.
Files
    :func:`replace` renames a finished file over the old one; on Windows a file open in Word or WPS
    cannot be replaced, and that is :class:`FileInUse` with a message that says so.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = [
    "TAG_VAR", "SCRATCH_PREFIX", "Terminated", "FileInUse", "is_windows", "new_tag", "start", "wait",
    "kill_tree", "kill_tagged", "pid_alive", "scratch_dir", "sweep_stale", "catch_termination", "caught_signal",
    "find_soffice", "soffice_candidates", "find_uno_python", "safe_console", "can_show", "replace",
    "run_forked",
]

#: Environment variable that marks the processes jianbao started (inherited by their children).
TAG_VAR = "JIANBAO_RUN"
#: Prefix of the scratch folders (LibreOffice profile, PDFs on their way) in the temp folder.
SCRATCH_PREFIX = "jianbao-soffice-"
#: A scratch folder without an owner file (made by an older jianbao) is stale when this old.
OWNERLESS_STALE = 3600.0
#: Where The Document Foundation's Linux packages install LibreOffice (/opt/libreoffice24.8 …).
OPT = Path("/opt")


def is_windows() -> bool:
    """Whether we run on Windows (the tests patch this to run the Windows branches)."""
    return os.name == "nt"


def new_tag() -> str:
    return f"{os.getpid()}-{os.urandom(6).hex()}"


# --- processes -----------------------------------------------------------------------------------

def start(cmd: list[str], *, env: dict[str, str], tag: str, stdin=subprocess.DEVNULL, stdout=None,
          stderr=None, cwd: str | None = None, **popen) -> subprocess.Popen:
    """Start *cmd* in a new process group, marked with *tag* (see :func:`kill_tree`).

    Give files (not pipes) for *stdout*/*stderr* when the program may leave children behind:
    a child that keeps a pipe open would make reading it wait for that child.
    """
    env = dict(env)
    env[TAG_VAR] = tag
    kw: dict = {}
    if is_windows():
        kw["creationflags"] = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0x200)
    else:
        kw["start_new_session"] = True
    return subprocess.Popen(cmd, stdin=stdin, stdout=stdout, stderr=stderr, env=env, cwd=cwd, **kw, **popen)


def wait(proc: subprocess.Popen, timeout: float | None) -> int | None:
    """The exit status of *proc*, or None when it is still running after *timeout* seconds.

    Only the process itself is waited for, never the children it may have left running.
    """
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return None


def kill_tree(proc: subprocess.Popen | None, tag: str | None = None) -> None:
    """End *proc*, its process group / tree, and (Linux) every process carrying *tag*."""
    if proc is not None:
        if is_windows():
            try:
                subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                pass
        else:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            proc.kill()
        except OSError:
            pass
    if tag:
        kill_tagged(tag)
    if proc is not None:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - an unkillable process (D state)
            pass


def tagged_pids(tag: str) -> list[int]:
    """Processes whose environment holds ``JIANBAO_RUN=<tag>`` (Linux /proc; elsewhere none)."""
    proc_dir = Path("/proc")
    if is_windows() or not proc_dir.is_dir():
        return []
    needle = f"{TAG_VAR}={tag}".encode()
    me = os.getpid()
    found = []
    for entry in proc_dir.iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if needle in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def kill_tagged(tag: str) -> None:
    """SIGKILL every process carrying *tag* (however it detached itself); wait until they are gone."""
    for _ in range(50):
        pids = tagged_pids(tag)
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.02)


def pid_alive(pid: int) -> bool:
    """Whether process *pid* exists (a zombie counts as gone)."""
    if pid <= 0:
        return False
    if is_windows():
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except (OSError, IndexError):
        return True


def _windows_pid_alive(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000 | 0x100000, False, pid)  # QUERY_LIMITED_INFORMATION | SYNCHRONIZE
    if not handle:
        return False
    try:
        return kernel32.WaitForSingleObject(handle, 0) == 0x102  # WAIT_TIMEOUT: still running
    finally:
        kernel32.CloseHandle(handle)


# --- scratch folders -----------------------------------------------------------------------------

def scratch_dir(tag: str) -> Path:
    """A new ``<tmp>/jianbao-soffice-*`` folder owned by this process (stale ones are swept first)."""
    sweep_stale()
    work = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX))
    (work / "owner").write_text(f"{os.getpid()} {tag}\n", encoding="ascii")
    return work


def sweep_stale(tmp: Path | None = None) -> list[Path]:
    """Remove the scratch folders of jianbao runs that are gone, and end what they left running."""
    tmp = Path(tmp or tempfile.gettempdir())
    removed: list[Path] = []
    try:
        folders = [p for p in tmp.glob(SCRATCH_PREFIX + "*") if p.is_dir() and not p.is_symlink()]
    except OSError:
        return removed
    for folder in folders:
        try:
            owner = (folder / "owner").read_text(encoding="ascii").split()
        except (OSError, UnicodeDecodeError):
            owner = []
        if len(owner) == 2 and owner[0].isdigit():
            pid, tag = int(owner[0]), owner[1]
            if pid_alive(pid):
                continue
            kill_tagged(tag)
        else:
            try:
                if time.time() - folder.stat().st_mtime < OWNERLESS_STALE:
                    continue
            except OSError:
                continue
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            removed.append(folder)
    return removed


# --- signals -------------------------------------------------------------------------------------

class Terminated(KeyboardInterrupt):
    """SIGTERM, SIGHUP or SIGBREAK arrived: unwind like Ctrl-C (``finally`` blocks run)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_CAUGHT: list[int] = []


def _raise_terminated(signum, frame):
    _CAUGHT.append(signum)
    raise Terminated(signum)


def caught_signal() -> int | None:
    """The last signal that :func:`catch_termination` turned into :class:`Terminated`, if any."""
    return _CAUGHT[-1] if _CAUGHT else None


def catch_termination() -> None:
    """Make the catchable ends of a process (SIGTERM, SIGHUP; SIGBREAK on Windows) raise Terminated.

    Only from the main thread; a signal whose handler was set to be ignored stays ignored
    (``nohup jianbao …``).
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    names = ("SIGBREAK", "SIGTERM") if is_windows() else ("SIGTERM", "SIGHUP")
    for name in names:
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        try:
            if signal.getsignal(signum) is signal.SIG_IGN:
                continue
            signal.signal(signum, _raise_terminated)
        except (OSError, ValueError):  # pragma: no cover - not allowed here
            pass


# --- LibreOffice ---------------------------------------------------------------------------------

def soffice_candidates() -> list[Path]:
    """The usual install folders of LibreOffice, in the order we try them (existing or not)."""
    if is_windows():
        roots = [r for r in dict.fromkeys(os.environ.get(v, "") for v in ("ProgramFiles", "ProgramW6432",
                                                                           "ProgramFiles(x86)")) if r]
        out = [Path(r) / "LibreOffice" / "program" / "soffice.exe" for r in roots]
        local = os.environ.get("LOCALAPPDATA")
        if local:
            out.append(Path(local) / "Programs" / "LibreOffice" / "program" / "soffice.exe")
        return out
    out = []
    # The Document Foundation's own packages (what UOS/Kylin offices often install): newest first.
    try:
        found = [p for p in OPT.glob("libreoffice*") if p.is_dir()]
    except OSError:
        found = []
    found.sort(key=lambda p: [int(n) for n in re.findall(r"\d+", p.name)], reverse=True)
    out += [p / "program" / "soffice" for p in found]
    out += [Path("/usr/lib/libreoffice/program/soffice"), Path("/usr/local/lib/libreoffice/program/soffice"),
            Path("/snap/bin/libreoffice"), Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    return out


def find_soffice() -> str | None:
    """The LibreOffice program to run, or None.

    ``JIANBAO_SOFFICE`` (a path or a command name) wins when set; if it names nothing executable
    the answer is None — we never fall back silently to another LibreOffice.  Then ``soffice`` /
    ``libreoffice`` on PATH, then the usual install folders (:func:`soffice_candidates`).
    """
    env = os.environ.get("JIANBAO_SOFFICE", "").strip()
    if env:
        return shutil.which(env)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in soffice_candidates():
        if candidate.is_file() and (is_windows() or os.access(candidate, os.X_OK)):
            return str(candidate)
    return None


_UNO_PYTHON: dict[str, str | None] = {}


def find_uno_python(soffice: str) -> str | None:
    """A Python that can ``import uno`` for this LibreOffice, or None.

    ``JIANBAO_UNO_PYTHON`` when set; else the Python LibreOffice brings along (``program/python``
    on Windows and in The Document Foundation's Linux packages); else the system ``python3``
    (Debian/UOS/Kylin: package python3-uno).  Asked once per process.
    """
    if soffice in _UNO_PYTHON:
        return _UNO_PYTHON[soffice]
    env = os.environ.get("JIANBAO_UNO_PYTHON", "").strip()
    if env:
        candidates = [env]
    else:
        program = Path(soffice).resolve().parent
        candidates = [str(program / ("python.exe" if is_windows() else "python"))]
        if not is_windows():
            candidates += ["/usr/bin/python3", shutil.which("python3") or ""]
        candidates.append(sys.executable)
    found = None
    for c in dict.fromkeys(candidates):
        exe = shutil.which(c) if c else None
        if exe and _imports_uno(exe):
            found = exe
            break
    _UNO_PYTHON[soffice] = found
    return found


def _imports_uno(python: str) -> bool:
    try:
        res = subprocess.run([python, "-c", "import uno"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return res.returncode == 0


# --- the console ---------------------------------------------------------------------------------

def safe_console() -> None:
    """Make stdout/stderr replace what their encoding cannot show instead of crashing.

    A Windows console in code page 936 (GBK), or ``LANG=zh_CN.GBK``, cannot encode ✓, 𠀀 or an emoji;
    printing one would raise UnicodeEncodeError.  Such characters come out as ``?`` instead.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding.startswith("utf") or not hasattr(stream, "reconfigure"):
            continue
        try:
            stream.reconfigure(errors="replace")
        except (OSError, ValueError):  # pragma: no cover - a stream that cannot be reconfigured
            pass


def can_show(text: str, stream=None) -> bool:
    """Whether *stream* (stderr by default) can encode *text*."""
    encoding = getattr(stream or sys.stderr, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


# --- files ---------------------------------------------------------------------------------------

class FileInUse(PermissionError):
    """The old file cannot be replaced because a program (Word, WPS) holds it open (Windows)."""

    def __init__(self, path: Path) -> None:
        super().__init__(13, f"请先在 Word/WPS 中关闭 {path}，再重新编译（文件正被打开，无法替换）", str(path))
        self.path = path
        self.message_zh = self.strerror


def replace(src: Path, dest: Path, *, retries: int = 5) -> None:
    """Rename *src* over *dest* atomically.

    On Windows a file that is open in Word/WPS cannot be replaced (PermissionError; a virus
    scanner or the indexer can hold it for a moment too): we try again a few times, then raise
    :class:`FileInUse`.  *src* is left in place for the caller to remove; *dest* is never touched.
    """
    for attempt in range(retries if is_windows() else 1):
        try:
            os.replace(src, dest)
            return
        except PermissionError:
            if not is_windows() or not os.path.lexists(dest):
                raise
            if attempt + 1 < retries:
                time.sleep(0.1 * (attempt + 1))
    raise FileInUse(Path(dest))


# --- a child process for work that may run away (templates) ------------------------------------------

def run_forked(jobs: list[tuple], execute, failed, silence: float, memory: int) -> list:
    """``execute(*job)`` of each job, in a forked child process (POSIX) with at most *memory* more
    address space than the parent.

    A child that goes silent for longer than *silence* seconds is killed and ``failed(job,
    "timeout")`` stands for the job it was on; a child that dies (the memory limit) gives
    ``failed(job, "memory")``; the jobs after it go to a new child.  Ctrl-C kills the child at once,
    and the child dies with its parent.
    """
    import pickle
    import select

    results: list = []
    while len(results) < len(jobs):
        first = len(results)
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: render, send each result, never return into the caller
            try:
                os.close(r)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                _die_with_parent()
                _limit_memory(memory)
                for k in range(first, len(jobs)):
                    try:
                        blob = pickle.dumps(execute(*jobs[k]))
                    except MemoryError:
                        blob = pickle.dumps(failed(jobs[k], "memory"))
                    view = memoryview(len(blob).to_bytes(8, "big") + blob)
                    while view:
                        view = view[os.write(w, view):]
            finally:
                os._exit(0)
        buf = b""
        try:
            os.close(w)
            while len(results) < len(jobs):
                ready, _, _ = select.select([r], [], [], silence)
                if not ready:  # silent past the limit: stuck inside one call
                    results.append(failed(jobs[len(results)], "timeout"))
                    break
                chunk = os.read(r, 1 << 16)
                if not chunk:  # died: the memory limit, or killed from outside
                    results.append(failed(jobs[len(results)], "memory"))
                    break
                buf += chunk
                while len(buf) >= 8 and len(buf) >= 8 + int.from_bytes(buf[:8], "big"):
                    n = int.from_bytes(buf[:8], "big")
                    results.append(pickle.loads(buf[8:8 + n]))
                    buf = buf[8 + n:]
        finally:
            os.close(r)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:  # pragma: no cover - it had already gone
                pass
            os.waitpid(pid, 0)
    return results


def _die_with_parent() -> None:
    """In a child process: be killed when the parent dies (Linux), even by SIGKILL — a batch
    worker killed on Ctrl-C must not leave its template running."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before the call
            os._exit(0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux: the parent's wall clock still holds
        pass


def _limit_memory(memory: int) -> None:
    """In a child process: at most *memory* bytes more address space than now (Linux)."""
    import resource

    try:
        with open("/proc/self/statm") as f:
            size = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (size + memory, resource.RLIM_INFINITY))
    except (OSError, ValueError, AttributeError):  # pragma: no cover - not Linux: the timer still holds
        pass
