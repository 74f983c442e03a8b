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
ISOLATE = hasattr(os, "fork")  # (the forking itself is in jianbao.system)
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
    """``execute(*job)`` of each job in a child process that a memory limit and the wall clock stop
    (:func:`jianbao.system.run_forked`): a job the child was stuck on gives ``failed(job, "timeout")``,
    one it died on ``failed(job, "memory")``."""
    from .. import system

    return system.run_forked(jobs, execute, failed, seconds + GRACE, CHILD_MEMORY)
