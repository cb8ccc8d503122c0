"""Render the whole-book print pages (mkdocs-print-site) to the PDF edition with headless Chromium.

The built site is served on 127.0.0.1 under the path of its `site_url` (Material's search and the
print page need HTTP, not file://). Every diagram and formula is rendered before printing, every
request to another host is refused, and a script error or a missing file fails the render.
Page numbers, the cover and page breaks come from the print section of extra.css.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import chromium
from .revision import epoch

PDF_DIR = "pdf"
# language -> print page, relative to the site root (the default language has no prefix)
PRINT_PAGES = {"zh": "print_page/", "en": "en/print_page/"}


def pdf_name(lang: str) -> str:
    return f"llm-handbook-{lang}.pdf"


class RenderError(Exception):
    """The PDF could not be rendered faithfully; the message says why."""


@dataclass
class Rendered:
    lang: str
    path: Path
    pages: int
    diagrams: int = 0
    formulas: int = 0
    notes: list[str] = field(default_factory=list)
    captured: object = None  # what render()'s capture hook returned for this page


class _Handler(SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_site__")
        return super().translate_path("/" + path[len(self.prefix):])

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(site_dir: Path, base_path: str = "/") -> Iterator[str]:
    """Serve site_dir at http://127.0.0.1:<port><base_path>; yields that URL."""
    prefix = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    handler = type("Handler", (_Handler,), {"prefix": prefix})
    handler = functools.partial(handler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


# What Chromium (Skia) writes into a PDF that changes from one run to the next: the clock, as
# D:YYYYMMDDHHmmSS+HH'mm', and the DOM node numbers it names tagged table headers by.
_PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate) \()D:\d{14}[+-]\d\d'\d\d'\)")
_NODE_ID = re.compile(rb"\(node(\d{8})\)")


def make_reproducible(path: Path, when: int) -> None:
    """Date the PDF by the build date, and number the node ids 1, 2, ... in their order (which
    keeps the ID name tree sorted). Every replacement has the length of what it replaces, so
    the byte offsets in the PDF's cross-reference table stay right."""
    data = path.read_bytes()
    date = dt.datetime.fromtimestamp(when, dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00')").encode()
    data = _PDF_DATE.sub(lambda m: m.group(1) + date, data)
    ids = {old: b"(node%08d)" % n
           for n, old in enumerate(sorted(set(_NODE_ID.findall(data))), 1)}
    path.write_bytes(_NODE_ID.sub(lambda m: ids[m.group(1)], data))


def page_count(path: Path) -> int:
    """Pages of a PDF: pdfinfo (poppler) when installed, else a count of /Type /Page objects."""
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        match = re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE)
        if match:
            return int(match.group(1))
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", path.read_bytes()))


# Resolves when every diagram is drawn (or failed) and every formula typeset; returns counts.
_SETTLE = r"""async ({localBase, siteUrl}) => {
  const diagrams = [...document.querySelectorAll("pre.diagram")];
  const waiting = diagrams.filter(el => !el.classList.contains("diagram--rendered"));
  if (waiting.length && window.handbook && window.handbook.diagrams) {
    // drawing twice is harmless; this also covers diagrams the page has not reached yet
    await Promise.all(waiting.map(el => window.handbook.diagrams.draw(el)));
  }
  await document.fonts.ready;
  // A display formula wider than the column would be cut at the page edge: shrink it to fit
  // (measured with print styles at the width of an A4 text column, see _render_one).
  let shrunk = 0;
  for (const el of document.querySelectorAll(".katex-display")) {
    const inner = el.firstElementChild;
    if (!inner) continue;
    const room = el.clientWidth, need = inner.scrollWidth;
    if (need > room + 1) {
      el.style.fontSize = Math.floor(room / need * 1000) / 10 + "%";
      shrunk++;
    }
  }
  // Links out of the book lead to the website, not to the local server that printed it.
  for (const a of document.querySelectorAll("#print-site-page a[href]")) {
    const url = a.href, here = location.href.split("#")[0];
    if (url.startsWith(localBase) && url.split("#")[0] !== here) {
      a.setAttribute("href", siteUrl + url.slice(localBase.length));
    }
  }
  // Anything still wider than the sheet makes Chromium shrink every page to fit: name it.
  const W = document.documentElement.clientWidth, overflow = [];
  for (const el of document.querySelectorAll("#print-site-page *")) {
    if (el.closest(".katex-mathml") || (el.closest("svg") && el.tagName !== "svg")) continue;
    const parent = el.parentElement.getBoundingClientRect();
    if (el.getBoundingClientRect().right > W + 1 && parent.right <= W + 1) {
      const where = el.closest("section.print-page[id]");
      overflow.push(`${el.tagName.toLowerCase()} in #${where ? where.id : "?"}: ` +
                    (el.textContent || "").trim().slice(0, 40));
    }
  }
  // TeX that arithmatex never saw (a Markdown problem) prints as source: name it.
  const rawTex = [];
  const walker = document.createTreeWalker(document.getElementById("print-site-page"),
                                           NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest(".arithmatex, .katex, code, pre, script, style")) continue;
    if (/\$\$|\\(frac|sqrt|mathrm|begin)\b/.test(node.textContent)) {
      const where = node.parentElement.closest("section.print-page[id]");
      const snippet = node.textContent.trim().replace(/\s+/g, " ").slice(0, 50);
      rawTex.push(`#${where ? where.id : "?"}: ${snippet}`);
    }
  }
  return {
    rawTex,
    overflow,
    diagrams: diagrams.length,
    drawn: document.querySelectorAll("pre.diagram--rendered svg").length,
    diagramErrors: [...document.querySelectorAll("pre.diagram[data-error]")]
      .map(el => el.getAttribute("data-error")),
    formulas: document.querySelectorAll(".arithmatex").length,
    typeset: document.querySelectorAll(".arithmatex .katex").length,
    mathErrors: document.querySelectorAll(".arithmatex .katex-error").length,
    toc: document.querySelectorAll("#print-page-toc a").length,
    cover: document.querySelectorAll("#print-site-cover-page").length,
    shrunk,
  };
}"""


def _render_one(
    browser, base: str, rel: str, site_url: str, out: Path, lang: str, timeout_ms: int,
    capture: Callable | None = None,
) -> Rendered:
    url = base + rel
    # 700 CSS px is about the text width of A4 with the print margins (182 mm at 96 dpi)
    context = browser.new_context(
        locale="zh-CN" if lang == "zh" else "en-US", viewport={"width": 700, "height": 1000},
        color_scheme="light",
    )
    errors: list[str] = []
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(url))

    def route(r):
        if r.request.url.startswith((origin, "data:", "blob:")):
            r.continue_()
        else:
            errors.append(f"request to another host refused: {r.request.url}")
            r.abort()

    def response(resp):
        # Material probes a sitemap.xml next to every page (static-i18n alternates): harmless
        if resp.status >= 400 and not resp.url.endswith("/sitemap.xml"):
            errors.append(f"HTTP {resp.status}: {unquote(resp.url)}")

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    page.on("pageerror", lambda exc: errors.append(f"script error: {exc}"))
    page.on("response", response)
    try:
        page.goto(url, wait_until="networkidle")
        page.wait_for_selector("#print-site-page")
        page.emulate_media(media="print")
        stats = page.evaluate(_SETTLE, {"localBase": base, "siteUrl": site_url})
        if stats["diagramErrors"] or stats["drawn"] < stats["diagrams"]:
            errors.append(f"diagrams drawn {stats['drawn']}/{stats['diagrams']}: "
                          f"{stats['diagramErrors'][:3]}")
        if stats["typeset"] < stats["formulas"] or stats["mathErrors"]:
            errors.append(f"formulas typeset {stats['typeset']}/{stats['formulas']}, "
                          f"{stats['mathErrors']} KaTeX errors")
        if not stats["toc"]:
            errors.append("the table of contents is empty (print-site's generate_toc did not run)")
        if not stats["cover"]:
            errors.append("no cover page")
        if errors:
            raise RenderError(f"{url}:\n  " + "\n  ".join(errors))
        out.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(
            path=str(out),
            prefer_css_page_size=True,  # A4 and margins from extra.css (@page)
            print_background=True,
            outline=True,  # PDF bookmarks from the headings
            tagged=True,
        )
        captured = capture(page) if capture else None
    finally:
        context.close()
    make_reproducible(out, epoch())
    notes = [f"wider than the sheet (pages shrink to fit): {o}" for o in stats["overflow"][:5]]
    notes += [f"TeX not typeset (check the Markdown): {t}" for t in stats["rawTex"][:5]]
    if stats["shrunk"]:
        notes.append(f"{stats['shrunk']} wide display formulas scaled down to fit")
    return Rendered(lang, out, page_count(out), stats["diagrams"], stats["formulas"], notes,
                    captured)


def render(
    site_dir: Path,
    site_url: str = "http://127.0.0.1:8000/",
    languages: dict[str, str] | None = None,
    timeout_s: float = 120,
    capture: Callable | None = None,
) -> list[Rendered]:
    """Render site_dir/<print page> of each language to site_dir/pdf/llm-handbook-<lang>.pdf.

    capture(page), if given, is called with each print page (a Playwright Page) once printed,
    every diagram drawn and formula typeset; what it returns is kept as Rendered.captured.
    """
    languages = languages or PRINT_PAGES
    for rel in languages.values():
        if not (site_dir / rel / "index.html").exists():
            raise RenderError(
                f"{site_dir / rel / 'index.html'} is missing: build with PRINT_SITE=true "
                "(scripts/build.py --pdf does)"
            )
    try:
        chromium.require()
    except FileNotFoundError as exc:
        raise RenderError(str(exc)) from None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # only in requirements-dev.txt
        raise RenderError(
            "Playwright for Python is missing: pip install -r requirements-dev.txt"
        ) from exc

    results = []
    with serve(site_dir, urlsplit(site_url).path) as base, sync_playwright() as p:
        browser = chromium.launch(p)
        try:
            for lang, rel in languages.items():
                out = site_dir / PDF_DIR / pdf_name(lang)
                results.append(
                    _render_one(browser, base, rel, site_url, out, lang, int(timeout_s * 1000),
                                capture)
                )
        finally:
            browser.close()
    return results
