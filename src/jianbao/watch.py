"""``jianbao build --watch``: rebuild when a file is saved (polling, no extra dependency)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

POLL = 0.1  # seconds between looks at the files (a few stat calls: cheap)
SETTLE = 0.1  # a change must be this old before we build (editors save in several writes, within ms)


def _snapshot(paths: list[Path]) -> dict[Path, int]:
    """mtimes of the issue files, every jianbao.yaml above them and the local presets."""
    from .office import find_settings

    seen: dict[Path, int] = {}
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += [f for f in p.rglob("*.y*ml") if "build" not in f.parts]
        else:
            files.append(p)
        settings = find_settings(p if p.is_dir() else p.parent)
        if settings:
            files.append(settings)
            files += list((settings.parent / "templates" / "layouts").glob("*.yaml"))
    for f in files:
        try:
            seen[f] = f.stat().st_mtime_ns
        except OSError:
            seen[f] = -1
    return seen


def timed(build: Callable[[], bool], console) -> bool:
    """Run *build* and say how long it took (the time from a save to the new output)."""
    t0 = time.perf_counter()
    ok = build()
    took = time.perf_counter() - t0
    console.print(f"[dim]{'编译完成' if ok else '编译失败'}，用时 {took:.2f} 秒。[/dim]")
    return ok


def watch_and_build(paths: list[Path], build: Callable[[], bool], *, console, seconds: float | None = None) -> None:
    """Build once, then again after every change, until Ctrl-C (or *seconds* have passed).

    Each build's time is printed (``编译完成，用时 0.31 秒。``).
    """
    console.print("[dim]监视中：保存文件后自动重新编译，按 Ctrl-C 结束。[/dim]")
    end = None if seconds is None else time.monotonic() + seconds
    pending_since: float | None = None
    try:
        last = _snapshot(paths)  # before the first build: a save while it runs is built after it
        timed(build, console)
        while end is None or time.monotonic() < end:
            time.sleep(POLL)
            now = _snapshot(paths)
            if now != last:
                last = now
                pending_since = time.monotonic()
                continue
            if pending_since is not None and time.monotonic() - pending_since >= SETTLE:
                pending_since = None
                console.rule("[dim]文件已修改，重新编译[/dim]")
                timed(build, console)
    except KeyboardInterrupt:
        console.print("[dim]已停止监视。[/dim]")
