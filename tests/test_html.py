"""The web edition (jianbao build --html): one page per issue, the index and the Atom feed.

What a reader of the government website gets: every paragraph of the source in order, the same
numerals as print, semantic structure, no external resource, no script, text never markup."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import FIXTURES, ROOT, Office
from jianbao.document import walk
from jianbao.pipeline import prepare
from jianbao.render.html import entry, render_feed, render_html, render_index

ISSUES = [ROOT / "issues" / "2024-05-13.yaml", *sorted(FIXTURES.glob("*/issues/*.yaml"))]


def _page(path):
    p = prepare(path)
    return p, render_html(p.bulletin, p.layout, office=p.office)


def _text(page: str) -> str:
    """The page's text as a reader sees it, tags gone, entities decoded."""
    body = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


@pytest.mark.parametrize("path", ISSUES, ids=lambda p: p.parent.parent.name)
def test_every_paragraph_of_the_source_is_on_the_page_in_order_with_its_numeral(path):
    p, page = _page(path)
    text = _text(page)
    at = 0
    for node in walk(p.bulletin.issue):
        if not node.is_text:
            continue
        want = (node.marker or "") + node.value if node.kind in ("heading", "lead", "paragraph") else node.value
        found = text.find(want.replace("\n", ""), at) if node.kind != "title" else text.find(node.value)
        assert found >= 0, f"{node.path}: {want[:30]!r} not on the page (after position {at})"
        if node.kind != "title":
            at = found


@pytest.mark.parametrize("path", ISSUES, ids=lambda p: p.parent.parent.name)
def test_the_page_stands_alone(path):
    _, page = _page(path)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert '<meta name="viewport"' in page and "<title>" in page
    assert "<script" not in page.lower()
    # nothing is fetched from anywhere: no src, no stylesheet link, no url() in the CSS
    assert not re.search(r"""\s(src|srcset)\s*=""", page)
    assert not re.search(r"""<link[^>]+stylesheet""", page)
    assert "url(" not in page and "@import" not in page
    assert page.count("<h1") == 1  # one main heading: the title, else the bulletin's name


def test_headings_nest_as_sections_and_tables_have_headers(office: Office):
    path = office.issue("""\
number: 3
date: 2024-05-13
sections:
  - title: 一级
    items:
      - title: 二级
        items:
          - title: 三级
            items: [四级文字。]
      - 二级文字。
      - lead: 段首。
        body: 接着的文字。
    body:
      - table:
          caption: 办件
          header: [类别, 件数]
          rows: [[窗口, 3]]
""")
    _, page = _page(path)
    assert "<h2><span class=\"num\">一、</span>一级</h2>" in page
    assert "<h3><span class=\"num\">（一）</span>二级</h3>" in page
    assert "<h4><span class=\"num\">1.</span>三级</h4>" in page
    assert "<p><span class=\"num\">（1）</span>四级文字。</p>" in page
    assert '<strong class="lead"><span class="num">（三）</span>段首。</strong>接着的文字。</p>' in page
    assert page.count("<section") == page.count("</section>") == 3
    assert '<caption>办件</caption>' in page and '<th scope="col">类别</th>' in page
    assert '<th scope="row">窗口</th><td class="n">3</td>' in page


def test_text_never_becomes_markup(office: Office):
    path = office.issue("number: 3\ndate: 2024-05-13\nsections:\n  - title: '<script>alert(1)</script>'\n"
                        "    items: ['a < b & \"c\" <img src=x>']\n")
    _, page = _page(path)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "a &lt; b &amp; &quot;c&quot;" in page


def test_the_end_block_is_left_out_unless_the_preset_asks(office: Office):
    path = office.issue()
    _, page = _page(path)
    assert "（共印20份）" not in page and "上级单位" not in page
    preset = (ROOT / "templates/layouts/gbt9704.yaml").read_text(encoding="utf-8")
    (office.root / "templates" / "layouts").mkdir(parents=True)
    (office.root / "templates" / "layouts" / "网页.yaml").write_text(
        preset.replace("  end_block: false ", "  end_block: true "), encoding="utf-8")
    (office.root / "jianbao.yaml").write_text((office.root / "jianbao.yaml").read_text(encoding="utf-8")
                                              + "layout: 网页\n", encoding="utf-8")
    _, page = _page(path)
    assert "报：上级单位，相关部门。" in page and "（共印20份）" in page


def test_an_office_can_bring_its_own_page_template(office: Office):
    (office.root / "templates" / "html").mkdir(parents=True)
    (office.root / "templates" / "html" / "issue.html.j2").write_text(
        "<!DOCTYPE html><html lang=\"{{ lang }}\"><title>{{ name }}</title><main>本单位网页{{ body }}</main></html>\n",
        encoding="utf-8")
    _, page = _page(office.issue())
    assert "本单位网页" in page and "本周召开专题会议。" in page


def test_index_and_feed_list_the_issues_newest_first(office: Office):
    a = office.issue(name="2024-05-13.yaml")
    b = office.issue(name="2024-05-20.yaml", text=(ROOT / "tests/fixtures/minimal/issues/2024-07-01.yaml")
                     .read_text(encoding="utf-8").replace("2024-07-01", "2024-05-20"))
    entries = [entry(prepare(p).bulletin, p.stem) for p in (a, b)]
    index = render_index(entries)
    assert index.index("2024-05-20.html") < index.index("2024-05-13.html")
    assert 'href="feed.xml"' in index
    feed = render_feed(entries, base_url="https://www.example.gov.cn/jianbao")
    root = ET.fromstring(feed)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    got = [(e.find("a:link", ns).get("href"), e.find("a:updated", ns).text) for e in root.findall("a:entry", ns)]
    assert got == [("https://www.example.gov.cn/jianbao/2024-05-20.html", "2024-05-20T00:00:00Z"),
                   ("https://www.example.gov.cn/jianbao/2024-05-13.html", "2024-05-13T00:00:00Z")]
    ids = [e.find("a:id", ns).text for e in root.findall("a:entry", ns)]
    assert len(set(ids)) == 2 and all(i.startswith("urn:uuid:") for i in ids)
    assert ids == [e.find("a:id", ns).text for e in ET.fromstring(render_feed(entries)).findall("a:entry", ns)]
    assert root.find("a:updated", ns).text == "2024-05-20T00:00:00Z"
    assert root.find("a:title", ns).text == "测试工作动态"


def test_build_dir_html_writes_pages_index_and_feed(office: Office, cli):
    office.issue()
    r = cli("build", office.root / "issues", "--html")
    assert r.exit_code == 0, r.stderr
    build = office.root / "build"
    assert sorted(p.name for p in build.iterdir()) == ["2024-05-13.d", "2024-05-13.docx", "2024-05-13.html",  # .d: make
                                                       "feed.xml", "index.html"]
    again = cli("build", office.root / "issues", "--html")
    assert again.exit_code == 0 and "已是最新" in again.stdout + again.stderr


def _own_template(office: Office, text: str, name: str = "issue.html.j2"):
    folder = office.root / "templates" / "html"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def _refused(office: Office) -> list:
    from jianbao.diagnostics import JianbaoError

    p = prepare(office.issue())
    with pytest.raises(JianbaoError) as exc:
        render_html(p.bulletin, p.layout, office=p.office)
    for d in exc.value.diagnostics:
        assert d.is_error and any("\u4e00" <= c <= "\u9fff" for c in d.message) and d.hint
    return exc.value.diagnostics


@pytest.mark.parametrize("text, line", [
    ("<html>\n<p>{% if %}</p>\n", 2),  # a syntax error
    ("<html>\n\n<p>{{ nosuch }}</p>\n", 3),  # a name the page is not given
    ("<p>{{ 1 / 0 }}</p>", 1),
    ('{% include "nosuch.html" %}', 1),
    ('{% include "../../../../../../etc/passwd" %}', 1),
])
def test_an_office_page_template_with_an_error_is_jb406_at_its_line(office: Office, text, line):
    tpl = _own_template(office, text)
    [d] = _refused(office)
    assert (d.code, d.file, d.line) == ("JB406", tpl, line)


def test_an_office_page_template_cannot_run_code_or_read_outside_its_folder(office: Office, tmp_path):
    _own_template(office, '{{ lipsum.__globals__["os"].popen("echo pwned").read() }}')
    [d] = _refused(office)
    assert d.code == "JB406" and d.line == 1
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容", encoding="utf-8")
    (office.root / "templates" / "html" / "pw.html").symlink_to(secret)
    _own_template(office, '<p>{% include "pw.html" %}</p>')
    [d] = _refused(office)
    assert d.code == "JB406" and "pw.html" in d.message


def test_an_office_page_template_that_is_not_utf8_or_runs_away_is_jb406(office: Office, monkeypatch):
    from jianbao.render import html as web

    tpl = _own_template(office, "")
    tpl.write_bytes(b"\xff\xfe<p>\xb1\xbe</p>")
    [d] = _refused(office)
    assert d.code == "JB406" and d.file == tpl
    monkeypatch.setattr(web, "PAGE_TIME", 0.2)
    _own_template(office, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    [d] = _refused(office)
    assert d.code == "JB406"
    _own_template(office, "{{ 'x' * 1000000000 }}")
    [d] = _refused(office)
    assert d.code == "JB406"


@pytest.mark.parametrize("expression, said", [
    ("'%*d' % (600000000, 1)", "宽度或位数"),  # a format width: 600 MB of spaces before anything is checked
    ("(10 ** 1000) * (10 ** 1000) * (10 ** 1000) * (10 ** 1000) * (10 ** 1000)", "乘积太大"),
    ("2 ** 100000", "乘方的结果太大"),
])
def test_an_office_page_template_is_held_to_the_figure_templates_arithmetic_bounds(office: Office, expression, said):
    tpl = _own_template(office, "<p>{{ " + expression + " }}</p>\n")
    [d] = _refused(office)
    assert d.code == "JB406" and said in d.message and (d.file, d.line) == (tpl, 1), (d.message, d.file, d.line)


def test_a_broken_page_template_fails_the_build_with_exit_1_and_writes_no_page(office: Office, cli):
    office.issue()
    (office.root / "templates" / "html").mkdir(parents=True)
    (office.root / "templates" / "html" / "dangling.css").symlink_to(office.root / "nowhere")
    _own_template(office, "{{ nosuch }}")
    r = cli("build", office.root / "issues" / "2024-05-13.yaml", "--html")
    assert r.exit_code == 1 and "JB406" in r.stdout + r.stderr and "内部错误" not in r.stdout + r.stderr
    assert not (office.root / "build" / "2024-05-13.html").exists()
    _own_template(office, "{{ nosuch }}", name="index.html.j2")
    (office.root / "templates" / "html" / "issue.html.j2").unlink()
    r = cli("build", office.root / "issues", "--html")
    assert r.exit_code == 1 and "JB406" in r.stdout + r.stderr and "内部错误" not in r.stdout + r.stderr
    assert not (office.root / "build" / "index.html").exists()


def test_an_issue_named_twice_is_built_once_and_listed_once(office: Office, cli):
    office.issue()
    r = cli("build", office.root / "issues", office.root / "issues" / "2024-05-13.yaml", office.root / "issues", "--html")
    assert r.exit_code == 0, r.stderr
    assert "共 1 期" in r.stdout + r.stderr
    feed = ET.parse(office.root / "build" / "feed.xml").getroot()
    assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) == 1
    assert (office.root / "build" / "index.html").read_text(encoding="utf-8").count('href="2024-05-13.html"') == 1


def test_the_index_of_a_nested_issues_folder_uses_the_office_templates(office: Office, cli):
    (office.root / "issues" / "2024").mkdir()
    office.issue(name="2024/2024-05-13.yaml")
    _own_template(office, "<p>本单位目录{% for e in entries %}{{ e.stem }}{% endfor %}</p>\n", name="index.html.j2")
    (office.root / "issues" / "templates" / "html").mkdir(parents=True)  # not the office's: never read
    (office.root / "issues" / "templates" / "html" / "index.html.j2").write_text("别处的模板", encoding="utf-8")
    r = cli("build", office.root / "issues" / "2024", "--html")
    assert r.exit_code == 0, r.stderr
    assert (office.root / "build" / "index.html").read_text(encoding="utf-8") == "<p>本单位目录2024-05-13</p>\n"


@pytest.mark.parametrize("stem", ['2024-05-13 "特刊"<1>&2', "2024-05-13#3?x=1", "2024-05-13 第3期"])
def test_the_feed_stays_well_formed_and_links_find_an_issue_named_with_quotes_spaces_or_hashes(office: Office, stem):
    from urllib.parse import unquote

    p = office.issue(name=f"{stem}.yaml")
    entries = [entry(prepare(p).bulletin, p.stem)]
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(render_feed(entries, base_url="https://www.example.gov.cn/jb"))  # well-formed
    href = feed.find("a:entry/a:link", ns).get("href")
    assert " " not in href and "#" not in href and "?" not in href
    assert unquote(href) == f"https://www.example.gov.cn/jb/{stem}.html"
    [link] = re.findall(r'<a href="([^"]*)"', render_index(entries))
    assert unquote(html.unescape(link)) == f"{stem}.html" and not set(" #?") & set(html.unescape(link))
    assert "特刊" in link or "第3期" in link or "#" in stem  # Chinese stays readable (an IRI)
