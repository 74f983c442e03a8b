#!/usr/bin/env python3
"""make bench, photos (issue #15): a bulletin with 20 phone-size photos (4000 × 3000 JPEG), built to
.docx and to HTML in one process, without LibreOffice. Target: under 2 s, and linear — the same
bulletin with 5 photos takes about a quarter of the photo time."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def office(root: Path, n: int) -> Path:
    from PIL import Image

    (root / "issues").mkdir(parents=True)
    (root / "照片").mkdir()
    shutil.copy(ROOT / "jianbao.yaml", root)
    body = []
    for i in range(n):
        im = Image.effect_noise((4000, 3000), 40 + i).convert("RGB")  # noise: a hard photo to compress
        im.save(root / "照片" / f"{i}.jpg", quality=90)
        body += [f"      - 第{i + 1}项活动的文字说明。", f"      - image: ../照片/{i}.jpg", f"        caption: 图为第{i + 1}项活动现场。"]
    path = root / "issues" / "2024-05-13.yaml"
    path.write_text("number: 3\ndate: 2024-05-13\nsections:\n  - title: 活动\n    body:\n" + "\n".join(body) + "\n",
                    encoding="utf-8")
    return path


def run(n: int) -> float:
    from jianbao.batch import build_one

    with tempfile.TemporaryDirectory() as tmp:
        path = office(Path(tmp) / "o", n)
        start = time.perf_counter()
        r = build_one(path, force=True, html=True)
        took = time.perf_counter() - start
        assert r.ok, [d.message for d in r.diagnostics]
        size = r.docx.stat().st_size
    print(f"| F | {n} photos (4000×3000 JPEG) → .docx + .html, in process | {took * 1000:.0f} ms, .docx {size // 1000} KB |")
    return took


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    five, twenty = run(5), run(20)
    print(f"| F | 20 photos ≤ 2 s: {'met' if twenty <= 2 else 'NOT met'}; 20 vs 5 photos: {twenty / five:.1f}× (linear: 4×) |")
