"""Layout tests: render through LibreOffice and measure the PDF.

They need LibreOffice, poppler-utils and the fonts. When something is missing the tests FAIL
(not skip): a layout suite that silently skips would let a broken layout land.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # so tests can `import pdfgeom` whatever the import mode
    sys.path.insert(0, str(HERE))

INSTALL = "运行 `make deps`（即以 root 运行 `bash scripts/install-system-deps.sh`）"

# alias (as a document names it) -> family fontconfig must give through our fonts.conf
EXPECTED_FACES = {
    "仿宋_GB2312": "FandolFang",
    "楷体_GB2312": "FandolKai",
    "黑体": "FandolHei",
    "宋体": "FandolSong",
    "方正小标宋简体": "FandolSong",
    "Times New Roman": "Liberation Serif",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.layout)


def _missing_tools() -> list[str]:
    from jianbao.pdf import find_soffice

    missing = []
    if find_soffice() is None:
        missing.append("soffice (libreoffice-writer-nogui)")
    for tool in ("pdftotext", "pdftocairo", "pdftohtml", "pdffonts"):
        if shutil.which(tool) is None:
            missing.append(f"{tool} (poppler-utils)")
    if shutil.which("fc-match") is None:
        missing.append("fc-match (fontconfig)")
    return missing


def _wrong_faces() -> list[str]:
    from jianbao.pdf import FONTS_CONF

    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    wrong = []
    for alias, want in EXPECTED_FACES.items():
        res = subprocess.run(
            ["fc-match", "-f", "%{family[0]}", f"{alias}:lang=zh-cn"],
            capture_output=True, text=True, env=env, check=False,
        )
        got = res.stdout.strip()
        if got != want:
            wrong.append(f"{alias} → {got or '?'}（应为 {want}）")
    return wrong


@pytest.fixture(scope="session", autouse=True)
def layout_tools() -> None:
    """Fail every layout test at once, with the fix, when a tool or a font is missing."""
    missing = _missing_tools()
    if missing:
        pytest.fail(f"版式测试缺少系统工具：{', '.join(missing)}。请{INSTALL}。", pytrace=False)
    wrong = _wrong_faces()
    if wrong:
        pytest.fail(
            f"版式测试所需字体未安装或未生效：{'; '.join(wrong)}。请{INSTALL}。", pytrace=False
        )
