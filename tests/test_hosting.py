"""Hosting: the site as a GitHub Pages project site under a sub-path (the session build, see
conftest), edit links and last-updated dates, and reproducible builds.

The whole suite already runs under the sub-path, and test_site's every-page visit fails on any
request that escapes it (the server answers 404 outside the prefix). The tests here follow
what a reader does there: switch language, search, drill flashcards, download the deck,
answer a quiz, mistype a URL.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from handbook import linkcheck
from handbook.pdf import make_reproducible
from tests.conftest import make_project, mkdocs_build, serve

PAGE = "transformer/transformer-architecture/"
QUIZ = "transformer/quiz/"
REPO = "https://github.com/example/llm-handbook"


def escaped(v, base_url: str) -> list[str]:
    """Requests to the local server outside the site's sub-path."""
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(base_url))
    return [u for u in v.requests if u.startswith(origin) and not u.startswith(base_url)]


def assert_clean(v, base_url: str) -> None:
    assert escaped(v, base_url) == []
    assert v.unexpected_404s() == []
    assert v.errors == []


def test_session_site_is_served_under_a_sub_path(base_url):
    assert urlsplit(base_url).path == "/llm-handbook/"


def test_language_switcher_keeps_the_page_and_the_sub_path(base_url, visit):
    v = visit()
    v.page.goto(base_url + PAGE)
    for lang, url in (("en", base_url + "en/" + PAGE), ("zh", base_url + PAGE)):
        v.page.locator(".md-header .md-select").hover()
        v.page.locator(f'.md-header a.md-select__link[hreflang="{lang}"]').click()
        v.page.wait_for_url(url)
        assert v.page.evaluate("document.documentElement.lang") == lang
    assert_clean(v, base_url)


def test_search_result_opens_its_page(base_url, visit):
    v = visit()
    v.page.goto(base_url + "en/" + PAGE)  # two folders deep: result URLs must still resolve
    v.page.locator("label.md-search__icon, .md-search__input").first.click()
    box = v.page.locator("input.md-search__input")
    box.press_sequentially("RoPE", delay=30)
    box.press("End")
    result = v.page.locator(".md-search-result__item a").first
    result.wait_for(timeout=15000)
    href = result.evaluate("a => a.href")
    assert href.startswith(base_url), href
    with v.page.expect_navigation() as nav:
        result.click()
    assert nav.value.status == 200 and v.page.url.startswith(base_url)
    assert v.page.locator("article h1").count() == 1
    assert_clean(v, base_url)


def test_flashcards_flip_and_link_to_their_page(base_url, visit):
    v = visit()
    v.page.goto(base_url + "flashcards/")
    v.page.wait_for_selector(".fc--js .fc-stage .fc-q")
    v.page.keyboard.press("Space")
    source = v.page.locator(".fc-stage .fc-source a")
    source.wait_for()
    with v.page.expect_navigation() as nav:
        source.click()
    assert nav.value.status == 200 and v.page.url.startswith(base_url), v.page.url
    assert_clean(v, base_url)


def test_deck_downloads(base_url, visit, tmp_path):
    v = visit()
    v.page.goto(base_url + "flashcards/")
    links = v.page.locator(".fc-downloads a[download]")
    assert links.count() == 3
    saved = {}
    for i in range(3):
        with v.page.expect_download() as download:
            links.nth(i).click()
        name = download.value.suggested_filename
        download.value.save_as(tmp_path / name)
        saved[Path(name).suffix] = tmp_path / name
    with zipfile.ZipFile(saved[".apkg"]) as apkg:
        assert "collection.anki2" in apkg.namelist()
    assert json.loads(saved[".json"].read_text())["questions"]
    assert saved[".txt"].read_text().startswith("#separator:tab")
    assert_clean(v, base_url)


def test_quiz_answers_and_links_to_the_answer(base_url, visit):
    v = visit()
    v.page.goto(base_url + QUIZ)
    quiz = v.page.locator("div.quiz:has(input[type=radio])").first
    quiz.locator("input:not([data-correct]) + label").first.click()
    assert "incorrect" in quiz.locator(".quiz-feedback").inner_html()
    with v.page.expect_navigation() as nav:
        quiz.locator("section.content a").first.click()
    assert nav.value.status == 200 and v.page.url.startswith(base_url), v.page.url
    assert_clean(v, base_url)


@pytest.mark.parametrize("missing", ["no-such-page/", "en/transformer/no-such-page/"])
def test_missing_url_shows_the_styled_404_page(base_url, visit, missing):
    """GitHub Pages answers a missing path with the site's 404.html, at any depth."""
    v = visit()
    response = v.page.goto(base_url + missing)
    assert response.status == 404
    assert "404" in v.page.locator("article h1").inner_text()
    # Material's stylesheet and script loaded: the header is sticky, search opens
    assert v.page.locator(".md-header").evaluate("e => getComputedStyle(e).position") == "sticky"
    v.page.locator("label.md-search__icon, .md-search__input").first.click()
    v.page.locator("input.md-search__input").press_sequentially("RoPE", delay=30)
    v.page.locator(".md-search-result__item").first.wait_for(timeout=15000)
    links = v.page.eval_on_selector_all("a[href]", "as => as.map(a => a.href.split('#')[0])")
    inside = sorted({u for u in links if u.startswith(base_url)})
    assert len(inside) > 10  # home, language switcher, nav
    broken = [u for u in inside if v.page.request.get(u).status != 200]
    assert broken == []
    assert [u for u in v.unexpected_404s() if u != base_url + missing] == []
    assert escaped(v, base_url) == [] and v.errors == []


# ---- edit links and last-updated dates -----------------------------------------------------

GOOD = """# 页面

## 一个问题？ { #a-question data-difficulty="1" }

??? success "参考答案"

    **一句话：** 回答。

**参考文献：**

- 来源
"""
GOOD_EN = GOOD.replace("# 页面", "# Page").replace("一个问题？", "A question?").replace(
    "参考答案", "Answer").replace("**一句话：** 回答。", "**In short:** an answer.").replace(
    "参考文献：", "References:").replace("来源", "A source")
PAGES = {"training/good.md": GOOD, "training/good.en.md": GOOD_EN}


def source_facts(site: Path, page: str) -> dict:
    soup = BeautifulSoup((site / page / "index.html").read_text(), "lxml")
    edit = soup.select_one("a[rel=edit]")
    date = soup.select_one(".md-source-file .git-revision-date-localized-plugin-date")
    return {
        "edit": edit["href"] if edit else None,
        "date": date.get_text(strip=True) if date else None,
        "repo": [a["href"] for a in soup.select("a.md-source")],
    }


def test_with_a_repository_pages_link_their_source_and_show_the_commit_date(
        tmp_path, visit):
    config = make_project(tmp_path / "p", PAGES)
    commit_date = "2024-03-05T12:00:00+00:00"
    git = ["git", "-C", str(config.parent), "-c", "user.name=Test", "-c",
           "user.email=test@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "pages"], check=True,
                   env={**os.environ, "GIT_AUTHOR_DATE": commit_date,
                        "GIT_COMMITTER_DATE": commit_date})
    result = mkdocs_build(tmp_path / "site", config, REPO_URL=REPO)
    assert result.returncode == 0, result.stderr[-3000:]
    site = tmp_path / "site"
    assert source_facts(site, "en/training/good") == {
        "edit": f"{REPO}/edit/main/docs/training/good.en.md",
        "date": "March 5, 2024",
        "repo": [REPO, REPO],  # header and phone menu
    }
    assert source_facts(site, "training/good") == {
        "edit": f"{REPO}/edit/main/docs/training/good.md",
        "date": "2024年3月5日",
        "repo": [REPO, REPO],
    }
    # the build date is the commit's: the sitemap says so
    assert "<lastmod>2024-03-05</lastmod>" in (site / "sitemap.xml").read_text()
    # the repository link is a plain link: no request to the GitHub API at page load
    server, url = serve(site, urlsplit(linkcheck.infer_site_url(site)).path)
    try:
        v = visit()
        v.page.goto(url + "en/training/good/", wait_until="networkidle")
        assert v.third_party == [] and v.errors == []
    finally:
        server.shutdown()


def test_a_copy_without_git_or_repository_builds_strictly_without_them(tmp_path):
    config = make_project(tmp_path / "p", PAGES)
    result = mkdocs_build(tmp_path / "site", config)
    assert result.returncode == 0, result.stderr[-3000:]
    for page in ("training/good", "en/training/good"):
        assert source_facts(tmp_path / "site", page) == {"edit": None, "date": None, "repo": []}


# ---- reproducible builds --------------------------------------------------------------------

def test_a_second_build_is_byte_identical(site, tmp_path):
    """Same commit, same files: the .apkg decks (timestamps in the SQLite collection and the zip
    entries), sitemap.xml.gz and every page. Pages not committed yet get the current time as
    their last-updated date: commit them first (and with TEST_SITE_DIR, use a build of HEAD)."""
    again = tmp_path / "again"
    result = mkdocs_build(again, SITE_URL=linkcheck.infer_site_url(site))
    assert result.returncode == 0, result.stderr[-3000:]
    first = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again).as_posix() for p in again.rglob("*") if p.is_file()}
    assert first == second
    differ = [rel for rel in sorted(first) if (site / rel).read_bytes() != (again / rel).read_bytes()]
    assert differ == []


def test_pdf_is_dated_by_the_build_date_and_numbers_its_nodes_in_order(browser, tmp_path):
    """Chromium writes the clock (CreationDate, ModDate) and DOM node numbers (tagged table
    headers) into a PDF; make_reproducible makes two prints of one page byte-identical."""
    page = browser.new_page()
    prints = []
    for i in range(2):
        # the second print numbers its table headers higher: the page was built again
        page.set_content("<h1>标题 Title</h1><table><tr><th>A</th><th>B</th></tr>"
                         "<tr><td>1</td><td>2</td></tr></table>")
        path = tmp_path / f"{i}.pdf"
        page.pdf(path=str(path), tagged=True, outline=True)
        prints.append(path)
        time.sleep(1.1)
    page.close()
    raw = [p.read_bytes() for p in prints]
    assert raw[0] != raw[1]
    assert re.findall(rb"\(node\d+\)", raw[0]) != re.findall(rb"\(node\d+\)", raw[1])
    for path in prints:
        make_reproducible(path, 1700000000)
    assert prints[0].read_bytes() == prints[1].read_bytes()
    info = subprocess.run(["pdfinfo", "-isodates", str(prints[0])], capture_output=True,
                          text=True).stdout
    assert re.findall(r"(?:CreationDate|ModDate):\s+(\S+)", info) == ["2023-11-14T22:13:20Z"] * 2
    assert "Tagged:          yes" in info
