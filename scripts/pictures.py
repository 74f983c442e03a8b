#!/usr/bin/env python3
"""Regenerate the README's pictures (make pictures): what a user gets from the example issue.

    docs/img/example-page-1.png     the first page of build/2024-05-13.pdf (LibreOffice)
    docs/img/example-page-last.png  its last page, with the end block at the foot
    docs/img/photos-page-1.png      the first page of the next issue, build/2024-05-20.pdf: a photo
    docs/img/web-375.png            the web edition of 2024-05-20 on a phone (375 px, headless Chromium),
                                    scrolled to its first photo
    docs/img/web-1280.png           the web edition of 2024-05-13 on a desktop screen (1280 px, top)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        office = Path(tmp) / "office"
        (office / "issues").mkdir(parents=True)
        shutil.copy(ROOT / "jianbao.yaml", office)
        for name in ("2024-05-13.yaml", "2024-05-20.yaml"):
            shutil.copy(ROOT / "issues" / name, office / "issues")
        shutil.copytree(ROOT / "照片", office / "照片")
        jb = [sys.executable, "-m", "jianbao"]
        subprocess.run([*jb, "build", str(office / "issues"), "--pdf", "--html", "--force"], check=True)
        pdf = office / "build" / "2024-05-13.pdf"
        pages = int(next(ln.split()[-1] for ln in subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                                 text=True, check=True).stdout.splitlines()
                         if ln.startswith("Pages:")))
        for name, source, page in (("example-page-1", pdf, 1), ("example-page-last", pdf, pages),
                                   ("photos-page-1", office / "build" / "2024-05-20.pdf", 1)):
            subprocess.run(["pdftoppm", "-png", "-r", "50", "-singlefile", "-f", str(page), "-l", str(page),
                            str(source), str(OUT / name)], check=True)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS)
            for width, height, stem in ((375, 1400, "2024-05-20"), (1280, 900, "2024-05-13")):
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto((office / "build" / f"{stem}.html").as_uri())
                page.screenshot(path=str(OUT / f"web-{width}.png"))
            browser.close()
    for f in sorted(OUT.glob("*.png")):
        print(f.relative_to(ROOT), f.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
