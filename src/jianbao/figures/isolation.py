"""Templates that cannot run away, and a child process for the others.

A template made only of names, ``.``/``[…]``, our filters, short constants and ``+ - /`` runs code we
wrote, which the timer stops and the limits bound: it runs in this process.  Anything else runs in a
forked child (:func:`isolated`) with a memory limit, which the parent kills when it stays silent past
the time limit — even inside one long C call, where no timer signal is ever handled — or at once on
Ctrl-C.  Forking costs a few milliseconds, and only issues with such templates pay it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from .values import FILTERS

#: Run templates that do more than name figures and call our filters in a child process.
ISOLATE = hasattr(os, "fork")
#: Memory a child process may take on top of what it starts with.
CHILD_MEMORY = 1 << 30
#: Seconds the parent waits past the time limit for the child's answer on one string.
GRACE = 1.0


def simple(ast) -> bool:
    """Whether *ast* uses nothing but figures (names, ``.``, ``[…]``), our filters, short constants
    and ``+ - /``."""
    from jinja2 import nodes

    plain = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Getattr, nodes.Keyword,
             nodes.Add, nodes.Sub, nodes.Div, nodes.FloorDiv, nodes.Neg, nodes.Pos)
    for node in ast.find_all(nodes.Node):
        if isinstance(node, nodes.Const):
            v = node.value
            if isinstance(v, str) and len(v) > 1000 or isinstance(v, int) and abs(v).bit_length() > 64:
                return False
        elif isinstance(node, nodes.Filter):
            if node.name not in FILTERS:
                return False
        elif isinstance(node, nodes.Getitem):
            if not isinstance(node.arg, nodes.Const):
                return False
        elif not isinstance(node, plain):
            return False
    return True


def isolated(jobs: list[tuple], execute: Callable[..., Any], failed: Callable[[tuple, str], Any],
             seconds: float) -> list[Any]:
    """``execute(*job)`` of each job, in a forked child process with a memory limit.

    A child that goes silent for longer than *seconds* + GRACE is killed and ``failed(job,
    "timeout")`` stands for the job it was on; a child that dies (the memory limit) gives
    ``failed(job, "memory")``; the jobs after it go to a new child.  Ctrl-C kills the child at once.
    """
    import pickle
    import select
    import signal

    results: list[Any] = []
    while len(results) < len(jobs):
        first = len(results)
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: render, send each result, never return into the caller
            try:
                os.close(r)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                die_with_parent()
                limit_memory()
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
                ready, _, _ = select.select([r], [], [], seconds + GRACE)
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


def die_with_parent() -> None:
    """In a child process: be killed when the parent dies (Linux), even by SIGKILL — a batch
    worker killed on Ctrl-C must not leave its template running."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before the call
            os._exit(0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux: the parent's wall clock still holds
        pass


def limit_memory() -> None:
    """In a child process: at most CHILD_MEMORY more address space than now (Linux)."""
    import resource

    try:
        with open("/proc/self/statm") as f:
            size = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (size + CHILD_MEMORY, resource.RLIM_INFINITY))
    except (OSError, ValueError, AttributeError):  # pragma: no cover - not Linux: the timer still holds
        pass
