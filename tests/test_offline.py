"""Offline mode (handbook/offline.py, sw.js, offline.js) in real Chromium: installable, every
page of a language edition works offline after one visit, a new build is offered as a reload,
and `mkdocs serve` registers no service worker."""

from __future__ import annotations

import functools
import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT, PagesHandler, make_project

WAIT = 120_000  # the first visit precaches ~25 MB; slow under load
READY = "document.documentElement.dataset.offline === 'ready'"
CACHES = "caches.keys().then(ks => ks.filter(k => k.startsWith('llm-handbook-')))"
# pages of the Chinese edition opened offline (question pages, chapter indexes, glossary, home)
ZH_PAGES = [
    "", "transformer/", "transformer/transformer-architecture/", "training/",
    "training/layernorm-vs-batchnorm/", "inference/speculative-decoding/", "glossary/",
    "alignment/dpo-grpo/", "decoding/sampling-temperature-top-p-top-k/", "transformer/quiz/",
    "inference/gpu-memory-calculator/",
]
EN_PAGES = ["en/", "en/transformer/transformer-architecture/", "en/glossary/"]


def precache_list(site: Path) -> dict[str, list[str]]:
    source = (site / "sw.js").read_text(encoding="utf-8")
    return json.loads(re.search(r"var EDITIONS = (.*);", source).group(1))


def go_offline_ready(v, url: str) -> None:
    """Open `url`, wait until the worker controls the page and the edition is precached."""
    v.page.goto(url)
    v.page.wait_for_function(READY, timeout=WAIT)
    v.page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=WAIT)


def test_manifests_and_icons(site):
    for prefix, lang, root in (("", "zh", ""), ("en/", "en", "../")):
        data = json.loads((site / prefix / "manifest.webmanifest").read_text(encoding="utf-8"))
        assert data["lang"] == lang and data["start_url"] == "./" and data["scope"] == "./"
        assert data["theme_color"] == "#3f51b5"
        sizes = {(i["sizes"], i["purpose"]) for i in data["icons"]}
        assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
        for icon in data["icons"]:
            assert icon["src"].startswith(root + "assets/icons/")  # relative: any sub-path
            png = (site / prefix / icon["src"]).resolve().read_bytes()
            assert png[:8] == b"\x89PNG\r\n\x1a\n"
            assert int.from_bytes(png[16:20], "big") == int(icon["sizes"].split("x")[0])
    for page in ("index.html", "glossary/index.html", "en/index.html",
                 "en/transformer/transformer-architecture/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        edition = "en/" if page.startswith("en/") else ""
        href = re.search(r'<link rel="manifest" href="([^"]+)"', html).group(1)
        assert not href.startswith("/")
        assert (site / Path(page).parent / href).resolve() == (site / edition /
                                                               "manifest.webmanifest").resolve()
        assert 'src="' in html and "offline.js" in html


def test_precache_walks_the_site_and_leaves_out_big_downloads(site):
    lists = precache_list(site)
    assert set(lists) == {"", "en/"}
    zh, en = set(lists[""]), set(lists["en/"])
    for url in ("./", "glossary/", "flashcards/", "flashcards/answers.json",
                "search/search_index.json", "assets/javascripts/flashcards.js",
                "assets/vendor/mermaid/mermaid.min.js", "assets/vendor/katex/katex.min.css",
                "assets/javascripts/lunr/min/lunr.zh.min.js", "manifest.webmanifest"):
        assert url in zh, url
    assert "en/search/search_index.json" in en and "en/flashcards/answers.json" in en
    assert "assets/vendor/katex/katex.min.css" in en  # shared assets belong to every edition
    assert not any(u.startswith("en/") for u in zh)
    assert not any(u.endswith((".apkg", ".pdf", ".epub", ".map")) or u.startswith("downloads/")
                   for u in zh | en)
    # every page of the built site is listed (new pages such as /mock/ come for free)
    pages = {p.relative_to(site).as_posix().removesuffix("index.html") or "./"
             for p in site.rglob("index.html") if "print_page" not in p.as_posix()}
    assert pages <= zh | en
    for mock in ("mock.md", "progress.md"):
        if (ROOT / "docs" / mock).exists():
            assert mock.removesuffix(".md") + "/" in zh


def test_one_visit_then_the_edition_works_offline(site, base_url, visit):
    v = visit()
    go_offline_ready(v, base_url + "transformer/")
    page = v.page
    v.context.set_offline(True)
    for rel in ZH_PAGES:
        response = page.goto(base_url + rel)
        assert response is not None and response.ok, rel
        assert page.locator("article h1").count() >= 1 or rel == "", rel
    # search: the index and the search worker's scripts come from the cache
    page.goto(base_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.press_sequentially("LayerNorm", delay=20)
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=60_000)
    assert page.locator(".md-search-result__item").count() > 0
    # a flashcard flips, its full answer from the cached answers.json
    page.goto(base_url + "flashcards/")
    page.wait_for_selector(".fc--js .fc-stage .fc-q")
    page.keyboard.press("Space")
    page.wait_for_selector(".fc-stage .fc-back:not([hidden]) .fc-answer > *", state="attached",
                           timeout=30_000)  # the full answer, in its closed <details>
    # the mock interview, once the site has one (docs/mock.md): its start button shows a question
    if (site / "mock" / "index.html").exists():
        page.goto(base_url + "mock/")
        page.get_by_role("button", name=re.compile(r"开始|Start")).first.click()
        page.wait_for_selector(".hbc-question", timeout=30_000)
        assert page.inner_text(".hbc-question").strip()
    # the formula and diagram assets of a question page: styles and fonts are cached
    page.goto(base_url + "transformer/transformer-architecture/")
    assert page.evaluate("[...document.styleSheets].some(s => (s.href || '').includes('katex'))")
    v.context.set_offline(False)
    assert not v.errors, v.errors
    assert not v.third_party


def test_english_edition_is_cached_when_visited(base_url, visit):
    v = visit()
    go_offline_ready(v, base_url + "en/")
    v.context.set_offline(True)
    for rel in EN_PAGES:
        response = v.page.goto(base_url + rel)
        assert response is not None and response.ok, rel
        assert v.page.evaluate("document.documentElement.lang") == "en"
    v.context.set_offline(False)


def serve_swapping_worker(site: Path, base_url: str, worker: dict):
    """Serve the session build under the same path, but sw.js from worker["source"] once set
    (a new deployment; Playwright's routes never see a service worker's update check)."""
    prefix = urlsplit(base_url).path

    class Handler(PagesHandler):
        def send_head(self):
            if worker.get("source") and urlsplit(self.path).path == prefix + "sw.js":
                body = worker["source"].encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/javascript")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                return io.BytesIO(body)
            return super().send_head()

    handler = functools.partial(type("Handler", (Handler,), {"prefix": prefix}),
                                directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix}"


def test_a_new_build_is_offered_as_a_reload_and_old_caches_go(site, base_url, visit):
    worker: dict = {}
    server, url = serve_swapping_worker(site, base_url, worker)
    try:
        v = visit()
        go_offline_ready(v, url + "glossary/")
        page = v.page
        old = page.evaluate(CACHES)
        assert len(old) == 1
        other = v.context.new_page()  # a second tab of the same build reloads too
        other.goto(url + "transformer/")
        other.wait_for_function("navigator.serviceWorker.controller !== null", timeout=WAIT)
        # a new deployment: the same worker with another precache version
        source = (site / "sw.js").read_text(encoding="utf-8")
        version = re.search(r'var VERSION = "([0-9a-f]+)"', source).group(1)
        new_cache = "llm-handbook-" + "0" * len(version)
        worker["source"] = source.replace(version, "0" * len(version))
        page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
        toast = page.locator(".hb-update")
        toast.wait_for(timeout=WAIT)
        assert toast.text_content() == "有新版本 — 刷新"
        # until the reader agrees, the old build keeps serving from its own cache
        assert sorted(page.evaluate(CACHES)) == sorted([*old, new_cache])
        assert page.evaluate("document.documentElement.dataset.offlineVersion") == version
        with page.expect_navigation(timeout=WAIT), other.expect_navigation(timeout=WAIT):
            toast.locator("button").click()
        for tab in (page, other):
            tab.wait_for_load_state()
            tab.wait_for_function("navigator.serviceWorker.controller !== null", timeout=WAIT)
        page.wait_for_function(f"{CACHES}.then(ks => ks.length === 1)", polling=200,
                               timeout=WAIT)
        assert page.evaluate(CACHES) == [new_cache]
        assert page.locator(".hb-update").count() == 0
        assert not v.errors, v.errors
    finally:
        server.shutdown()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_service_worker_under_mkdocs_serve(tmp_path, visit):
    config = make_project(tmp_path / "project", {"training/page.md": "# 页面\n\n正文。\n"})
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(  # with live reload, as a contributor runs it
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
        cwd=config.parent, env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(url + "training/page/", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert server.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "mkdocs serve did not come up"
            time.sleep(1)
        v = visit()
        v.page.goto(url + "training/page/")
        v.page.wait_for_load_state("load")
        v.page.wait_for_timeout(1500)
        assert v.page.evaluate(
            "navigator.serviceWorker.getRegistrations().then(rs => rs.length)") == 0
        html = v.page.content()
        assert "offline.js" not in html and "sw.js" not in html and ".register(" not in html
        assert v.page.locator("link[rel=manifest]").count() == 1  # still installable-looking
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.mark.parametrize("rel", ["", "en/"])
def test_worker_and_registration_use_relative_urls(site, rel):
    html = (site / rel / "index.html").read_text(encoding="utf-8")
    tag = re.search(r'<script defer src="([^"]*offline\.js)"\s+data-sw="([^"]*)"\s+'
                    r'data-scope="([^"]*)"', html)
    assert tag, "registration script missing"
    for value in tag.groups():
        assert not value.startswith(("/", "http")), value
    assert (site / rel / tag.group(2)).resolve() == (site / "sw.js").resolve()
    assert (site / rel / tag.group(3)).resolve() == site.resolve()
