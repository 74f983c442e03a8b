"""jianbao.preview: which PNG files are a PDF's page images."""

from __future__ import annotations

from jianbao import preview


def test_only_the_pages_of_this_pdf_are_its_images(tmp_path):
    for name in ("2024-05-13-1.png", "2024-05-13-2.png", "2024-05-13-10.png", "2024-05-13-zk-1.png",
                 "2024-05-13-zk-2.png", "2024-05-13-old.png"):
        (tmp_path / name).write_bytes(b"")
    found = preview._images(tmp_path / "2024-05-13")
    assert [p.name for p in found] == ["2024-05-13-1.png", "2024-05-13-2.png", "2024-05-13-10.png"]
