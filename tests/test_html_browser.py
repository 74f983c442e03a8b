"""The web edition in a real browser and a real validator (issue #15).

Debian's Chromium, headless, driven by Playwright (its own browser download is never used: the
launch names /usr/bin/chromium), with axe-core injected into each page; the W3C Nu Html Checker
(vnu.jar) validates the HTML. The tools come from scripts/install-web-test-deps.sh (apt: chromium,
a Java runtime; npm: tests/web/package.json). When one is missing the tests fail and say what to
install — they never skip quietly."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

WEB = Path(__file__).parent / "web" / "node_modules"
AXE = WEB / "axe-core" / "axe.min.js"
VNU = WEB / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
INSTALL = "运行 bash scripts/install-web-test-deps.sh（apt: chromium、Java；npm: tests/web）"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The example office and the fixtures' issues, built with --html into one folder."""
    root = tmp_path_factory.mktemp("site")
    (root / "issues").mkdir()
    shutil.copy(ROOT / "jianbao.yaml", root / "jianbao.yaml")
    shutil.copytree(ROOT / "照片", root / "照片")  # the example's second issue has two photos
    for p in [*ROOT.glob("issues/*.yaml"), *FIXTURES.glob("full/issues/*.yaml"),
              *FIXTURES.glob("shapes/issues/*.yaml"), *FIXTURES.glob("long/issues/*.yaml")]:
        shutil.copy(p, root / "issues" / p.name)
    _photo_issue(root)
    from jianbao.batch import build_files, write_site

    results = build_files(sorted((root / "issues").glob("*.yaml")), html=True, jobs=1)
    assert all(r.ok for r in results), [d.message for r in results for d in r.diagnostics]
    write_site(results, root / "build")
    return root / "build"


PHOTOS = "2024-06-03-photos"


def _photo_issue(root: Path) -> None:
    """An issue with a photo and three photos side by side (landscape, portrait, landscape)."""
    from PIL import Image

    (root / "照片" / "并排").mkdir(parents=True, exist_ok=True)
    for name, size, color in [("横.jpg", (1600, 1200), (40, 120, 200)), ("竖.jpg", (900, 1200), (200, 80, 40)),
                              ("宽.png", (1800, 1000), (60, 160, 60))]:
        Image.new("RGB", size, color).save(root / "照片" / "并排" / name)
    (root / "issues" / f"{PHOTOS}.yaml").write_text("""\
number: 9
date: 2024-06-03
sections:
  - title: 工作动态
    body:
      - 本周召开专题会议。
      - image: ../照片/并排/横.jpg
        caption: 图为专题会议现场。
      - images: [../照片/并排/横.jpg, ../照片/并排/竖.jpg, ../照片/并排/宽.png]
        caption: 图为窗口、座谈会和自助服务区。
""", encoding="utf-8")


def pages(site: Path) -> list[Path]:
    return sorted(site.glob("*.html"))


def test_the_pages_validate_as_html5(site):
    assert VNU.is_file() and shutil.which("java"), f"找不到 vnu.jar 或 java：{INSTALL}"
    r = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "text", *map(str, pages(site))],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(pages(site)) >= 6  # five issues and the index


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), f"找不到 Chromium：{INSTALL}"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_no_horizontal_scroll_and_no_accessibility_violation(site, browser, width, tmp_path):
    assert AXE.is_file(), f"找不到 axe-core：{INSTALL}"
    for page_file in pages(site):
        page = browser.new_page(viewport={"width": width, "height": 900})
        requests: list[str] = []
        page.on("request", lambda req, seen=requests: seen.append(req.url))
        page.goto(page_file.as_uri())
        scroll, view = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= view, f"{page_file.name} at {width}px scrolls sideways ({scroll} > {view})"
        # a photo: as wide as the text on a phone, its print width (a fraction of the text) on a desktop
        for fig, text, share in page.evaluate(
                "[...document.querySelectorAll('figure.photo')].map(f => [f.getBoundingClientRect().width,"
                " f.parentElement.clientWidth - parseFloat(getComputedStyle(f.parentElement).paddingLeft)"
                " - parseFloat(getComputedStyle(f.parentElement).paddingRight),"
                " parseFloat(f.style.getPropertyValue('--width')) / 100])"):
            expected = text if width < 640 else text * share
            assert abs(fig - expected) < 2, f"{page_file.name} at {width}px: a photo {fig}px wide, not {expected}"
        assert requests == [page_file.as_uri()], f"{page_file.name} fetched {requests[1:]}"
        page.screenshot(path=str(tmp_path / f"{page_file.stem}-{width}.png"), full_page=True)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            "axe.run(document, {resultTypes: ['violations']})"
            ".then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target).join(', ')))")
        assert violations == [], f"{page_file.name} at {width}px: {violations}"
        page.close()


@pytest.mark.parametrize("width, stacked", [(375, True), (1280, False)])
def test_photos_side_by_side_stack_on_a_phone_and_stand_level_on_a_desk(site, browser, width, stacked):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((site / f"{PHOTOS}.html").as_uri())
    boxes = page.evaluate("[...document.querySelectorAll('figure.photos img')].map(i => {"
                          "const r = i.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })")
    figure = page.evaluate("document.querySelector('figure.photos').getBoundingClientRect().width")
    page.close()
    assert len(boxes) == 3
    if stacked:  # one under the other, each the figure's width: a photo a third of 375 px is too small
        assert all(abs(w - figure) < 1 for _, _, w, _ in boxes)
        assert boxes[0][1] < boxes[1][1] < boxes[2][1]
    else:  # side by side, equally tall, filling the figure with the gaps between them
        assert boxes[0][0] < boxes[1][0] < boxes[2][0]
        assert all(abs(h - boxes[0][3]) < 1.5 and abs(top - boxes[0][1]) < 1 for _, top, _, h in boxes)
        assert figure - 3 * 8 - 2 <= sum(w for _, _, w, _ in boxes) <= figure


@pytest.mark.parametrize("width", [375, 1280])
def test_the_editor_line_keeps_the_editor_left_and_the_date_right(site, browser, width):
    """As on paper: the editor at the left edge, the date at the right edge — also on a phone,
    where the example's long editor name wraps and the date goes to a line of its own."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((site / "2024-05-13.html").as_uri())
    line, editor, date, align = page.evaluate(
        "(() => { const p = document.querySelector('.editor-line'), r = e => e.getBoundingClientRect();"
        " const range = document.createRange(); range.selectNodeContents(p.querySelector('.editor'));"
        " const rects = [...range.getClientRects()].map(q => [q.left, q.right]);"
        " return [[r(p).left, r(p).right], rects, [r(p.querySelector('time')).left, r(p.querySelector('time')).right],"
        " getComputedStyle(p.querySelector('.editor')).textAlign]; })()")
    page.close()
    assert abs(date[1] - line[1]) < 1, f"the date ends at {date[1]}, the line at {line[1]}"
    assert abs(editor[0][0] - line[0]) < 1 and align in ("left", "start"), (editor, align)
    if width == 375:
        assert len(editor) >= 2  # the case: the editor's name wraps


@pytest.mark.parametrize("width", [375, 1280])
def test_the_mark_stands_at_the_top_left_as_on_paper(site, browser, width):
    """内部资料 / a 密级 is printed at the top left of the 版心 (GB/T 9704 7.2.2), not centred."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((site / "2024-05-20-zk.html").as_uri())
    head, mark = page.evaluate(
        "(() => { const m = document.querySelector('.mark'), range = document.createRange();"
        " range.selectNodeContents(m); return [m.parentElement.getBoundingClientRect().left,"
        " range.getBoundingClientRect().left]; })()")
    page.close()
    assert abs(mark - head) < 1, f"the mark starts at {mark}, the masthead at {head}"
