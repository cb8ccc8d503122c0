"""Shared fixtures: one real strict build per session, served on 127.0.0.1, and real Chromium.

The session build is a GitHub Pages project site: built with SITE_URL under a sub-path and
served only there (PagesHandler), so a link or asset that escapes the sub-path fails a test.

Browser tests use Debian's Chromium through Playwright (never `playwright install`). Every
request to a host other than the local server is aborted and recorded, so a test can assert
that a page made none.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse, urlsplit

import pytest
import yaml

from handbook import chromium, linkcheck, pdf

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as plain data: its `!ENV` and `!!python/...` tags become None."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _config() -> dict:
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)


def configured_chapters() -> list[str]:
    """The chapter folders in reading order, as the handbook plugin's `chapters` in mkdocs.yml."""
    plugins = _config()["plugins"]
    return next(p["handbook"] for p in plugins if isinstance(p, dict) and "handbook" in p)["chapters"]


def nav_pages() -> list[str]:
    """Every page of the nav in reading order, as paths under docs/ (Chinese names)."""
    def walk(items) -> Iterator[str]:
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            yield from walk(value) if isinstance(value, list) else [value]
    return list(walk(_config()["nav"]))
# Where GitHub Pages serves a project site (https://<user>.github.io/<repo>/); the host does not
# matter to the browser tests (links are relative), only the path does.
SITE_URL = "http://127.0.0.1/llm-handbook/"


def mkdocs_build(site_dir: Path, config: Path = ROOT / "mkdocs.yml", **env: str):
    """Run a real `mkdocs build --strict`; returns the CompletedProcess."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
    )


def make_project(folder: Path, pages: dict[str, str]) -> Path:
    """A throwaway copy of the project: the real mkdocs.yml without its nav, the real theme,
    assets and plugin, and only the given docs pages. Returns the path of its mkdocs.yml."""
    folder.mkdir(parents=True, exist_ok=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"\nnav:\n(?:[ \t]+.*\n|\n)*", "\n", config)
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    for name in ("overrides", "search-dict.txt"):  # no node_modules: building needs Python only
        (folder / name).symlink_to(ROOT / name)
    docs = folder / "docs"
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    for name in ("flashcards.md", "flashcards.en.md"):
        shutil.copy(ROOT / "docs" / name, docs / name)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    (docs / "index.en.md").write_text("# Home\n", encoding="utf-8")
    for rel, text in pages.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder / "mkdocs.yml"


class PagesHandler(pdf._Handler):  # its translate_path maps the prefix to the folder
    """Serves the site under `prefix` as GitHub Pages serves a project site: nothing outside
    it, and a missing path inside it gets the site's 404.html with status 404."""

    def send_head(self):
        if urlsplit(self.path).path == self.prefix.rstrip("/"):  # /repo -> /repo/, as Pages does
            self.send_response(301)
            self.send_header("Location", self.prefix)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return super().send_head()

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        inside = urlsplit(self.path).path.startswith(self.prefix)
        if code != 404 or not inside or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once with --strict for SITE_URL (TEST_SITE_DIR reuses a build, for
    quick reruns; it is served under the path of the site_url it was built with)."""
    if os.environ.get("TEST_SITE_DIR"):
        return Path(os.environ["TEST_SITE_DIR"])
    out = tmp_path_factory.mktemp("site")
    result = mkdocs_build(out, SITE_URL=SITE_URL)
    assert result.returncode == 0, result.stderr[-4000:]
    return out


def serve(folder: Path, base_path: str = "/") -> tuple[ThreadingHTTPServer, str]:
    """Serve folder at http://127.0.0.1:<port><base_path> (PagesHandler); returns server, URL."""
    prefix = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    handler = functools.partial(type("Handler", (PagesHandler,), {"prefix": prefix}),
                                directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix}"


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    """The site's root URL, under the path of its site_url (/llm-handbook/ for SITE_URL)."""
    server, url = serve(site, urlsplit(linkcheck.infer_site_url(site)).path)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = chromium.launch(p)
        yield browser
        browser.close()


class Visit:
    """A browser page that records what it requested and every console/page error."""

    def __init__(self, browser, viewport=None, javascript=True, color_scheme="light"):
        self.context = browser.new_context(
            viewport=viewport or {"width": 1280, "height": 900},
            java_script_enabled=javascript,
            color_scheme=color_scheme,
        )
        self.requests: list[str] = []
        self.third_party: list[str] = []
        self.errors: list[str] = []
        self.not_found: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("console", self._console)
        self.page.on("response", self._response)

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        host = urlparse(url).hostname
        if url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.third_party.append(url)
            route.abort()

    def _console(self, msg):
        # failed loads are checked through their responses (see unexpected_404s)
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self.errors.append(f"console: {msg.text}")

    def _response(self, response):
        if response.status == 404:
            self.not_found.append(response.url)

    def unexpected_404s(self) -> list[str]:
        """404s other than Material's known probes for per-page sitemap.xml (static-i18n)."""
        return [u for u in self.not_found if not u.endswith("/sitemap.xml")]

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    """Factory: visit(viewport=..., javascript=..., color_scheme=...) -> Visit."""
    opened: list[Visit] = []

    def make(**kwargs) -> Visit:
        v = Visit(browser, **kwargs)
        opened.append(v)
        return v

    yield make
    for v in opened:
        v.close()
