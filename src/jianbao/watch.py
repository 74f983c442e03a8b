"""``jianbao build --watch``: rebuild when a file is saved (polling, no extra dependency)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

POLL = 0.05  # seconds between looks at the files (stat and hash: ~1 ms for one issue, ~4 ms for 52)
SETTLE = 0.05  # a change must have stood this long before we build (editors save in several writes, within ms)


def _snapshot(paths: list[Path]) -> dict[Path, tuple]:
    """(mtime, size, content hash) of the issue files and their neighbours (read for prev/ytd),
    every jianbao.yaml above them and the local presets: a save that keeps the mtime is seen too;
    (mtime, size) of the photos their last builds read (build/<stem>.d)."""
    files, photos = _watched(paths)
    seen = {f: _fingerprint(f) for f in dict.fromkeys(files)}
    seen.update({f: _stat(f) for f in dict.fromkeys(photos) if f not in seen})
    return seen


def _photo_snapshot(paths: list[Path]) -> dict[Path, tuple]:
    """(mtime, size) of the photos the last builds of the watched issues read."""
    return {f: _stat(f) for f in dict.fromkeys(_watched(paths)[1])}


def _watched(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(the files to hash: the issue files, the neighbours of one named alone, each jianbao.yaml and
    its local presets; the photos the issues' last builds read), each folder listed once."""
    from .office import find_settings

    files: list[Path] = []
    photos: list[Path] = []
    for p in paths:
        if p.is_dir():  # not the office's build/ (a folder named build higher up is fine)
            issues = [f for f in p.rglob("*.y*ml") if "build" not in f.relative_to(p).parts[:-1]]
            files += issues
        else:
            issues = [p]
            files += [p, *p.parent.glob("*.y*ml")]  # prev/ytd neighbours
        settings = find_settings(p if p.is_dir() else p.parent)
        if settings:
            files.append(settings)
            files += list((settings.parent / "templates" / "layouts").glob("*.yaml"))
            photos += _photos(issues, settings.parent)
    return files, photos


def _with_new_photos(last, paths: list[Path]):
    """*last* and the photos a build just read that it did not know: watched from now on, not a change."""
    new = {f: v for f, v in _photo_snapshot(paths).items() if f not in last}
    return {**last, **new} if new else last


def _photos(issues: list[Path], office: Path) -> list[Path]:
    """The photos the last build of each issue read, as its dependency file (build/<stem>.d) lists them."""
    from .deps import recorded

    out: list[Path] = []
    for issue in issues:
        for stem in (issue.stem, issue.stem + "-draft"):
            names = recorded(office / "build" / f"{stem}.docx") or []
            out += [office / n for n in names if not n.endswith((".yaml", ".yml"))]
    return out


def _stat(path: Path) -> tuple:
    """A photo's (mtime, size): a few MB each, too many to hash ten times a second."""
    try:
        st = path.stat()
    except OSError:
        return (-1,)
    return (st.st_mtime_ns, st.st_size)


def _fingerprint(path: Path) -> tuple:
    import hashlib
    import stat

    try:
        st = path.stat()
    except OSError:
        return (-1,)
    if not stat.S_ISREG(st.st_mode) or st.st_size > 5_000_000:  # a FIFO is never opened
        return (st.st_mode, st.st_mtime_ns, st.st_size)
    try:
        digest = hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    except OSError:
        digest = b""
    return (st.st_mtime_ns, st.st_size, digest)


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
    pending = False  # a change was seen at the last look
    try:
        last = _snapshot(paths)  # before the first build: a save while it runs is built after it
        timed(build, console)
        last = _with_new_photos(last, paths)  # the photos the build read (its .d files)
        while end is None or time.monotonic() < end:
            # after a change, the next look comes when it has stood SETTLE, not a whole POLL later
            time.sleep(SETTLE if pending else POLL)
            now = _snapshot(paths)
            if now != last:
                last = now
                pending = True
                continue
            if pending:  # unchanged for SETTLE: the save is complete
                pending = False
                console.rule("[dim]文件已修改，重新编译[/dim]")
                timed(build, console)
                last = _with_new_photos(last, paths)  # a photo just added
    except KeyboardInterrupt:
        console.print("[dim]已停止监视。[/dim]")
