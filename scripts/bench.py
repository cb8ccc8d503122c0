#!/usr/bin/env python3
"""Performance figures for the site, printed as one table and written as JSON.

    make bench                      # full run (about 10-15 minutes on 2 cores)
    .venv/bin/python scripts/bench.py --smoke --out /tmp/b.json   # quick run used by the tests

What it measures, all in one run so that results can be read as ratios to a baseline:

* build: `mkdocs build` of both languages, cold (fresh jieba cache, fresh bytecode cache, empty
  site dir) and warm (same caches, existing site dir); with the PDF stage when
  `scripts/build.py --pdf` exists and can build into a temporary folder;
* pages (home, a chapter page with a diagram and formulas, flashcards, a chapter quiz) served
  from 127.0.0.1 with gzip like a static host: requests, bytes transferred, DOM elements at
  first load in Chromium, and Lighthouse (mobile preset) category scores, median of N runs;
* baseline: a bare Material site (plain config) with one page of about as much Chinese text as
  the chapter page, measured in the same way;
* flashcard scale: synthetic banks (valid Q&A pages) of 100 / 1,000 / 2,000 / 5,000 questions:
  build time, flashcard page size, first render and keystroke-to-filter latency in Chromium.
* search, per language (`--only-search` runs just this): the index's size (raw and gzip) and
  its bytes per question, and on Lighthouse's mobile throttling (CPU 4x, slow 4G) the time from
  opening search to the first results and from a keystroke to its results.

Budgets (README, "Performance budgets") are printed next to the results as PASS/FAIL.
The browser is Debian's Chromium (/usr/bin/chromium), never a downloaded one.
"""

from __future__ import annotations

import argparse
import gzip
import json
import mimetypes
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

from handbook import chromium

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = chromium.PATH
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PAGES = {  # name -> path in the built site
    "home": "",
    "chapter": "transformer/transformer-architecture/",
    "flashcards": "flashcards/",
    "quiz": "transformer/quiz/",
}
# measured too (weight, first render, Lighthouse) when the built site has them
OPTIONAL_PAGES = {"mock": "mock/", "progress": "progress/"}
MOBILE = {"width": 412, "height": 823}  # the viewport of Lighthouse's mobile preset
# Lighthouse's mobile throttling (its "devtools" numbers for slow 4G, and CPU 4x), through CDP
MOBILE_CPU_SLOWDOWN = 4
MOBILE_NETWORK = {"offline": False, "latency": 150 * 3.75,
                  "downloadThroughput": 1.6 * 1024 * 0.9 * 1024 / 8,
                  "uploadThroughput": 750 * 0.9 * 1024 / 8}
SEARCH_HOMES = {"zh": "", "en": "en/"}  # a page of each language, and the query typed there
SEARCH_QUERIES = {"zh": "位置编码", "en": "attention"}
KIB = 1024

BUDGETS = {
    "lighthouse_performance_min": 95,
    "lighthouse_other_min": 100,  # accessibility, best-practices, seo
    "chapter_first_load_max_kib": 150,
    "filter_max_ms": 16,
    "first_render_max_ms": 300,  # flashcard page: navigation start -> first card shown
    "filter_at_cards": 2000,
}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Builds
# ---------------------------------------------------------------------------------------------


def build_env(tmp: Path, pycache: Path, site_url: str | None = None) -> dict[str, str]:
    """Environment of one build: its own temp dir (jieba's cache lives there) and bytecode
    cache; SITE_URL is where the site will be served (canonical and 404-page links use it)."""
    tmp.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "TMPDIR": str(tmp),
        "PYTHONPYCACHEPREFIX": str(pycache),
    }
    if site_url:
        env["SITE_URL"] = site_url
    return env


def mkdocs_build(config: Path, site: Path, env: dict[str, str]) -> float:
    """Non-strict build (other people's pages may be unfinished); returns wall seconds."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=config.parent, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build of {config} failed:\n{result.stderr[-3000:]}")
    return elapsed


def time_builds(config: Path, site: Path, work: Path, runs: int, site_url: str) -> dict:
    """Cold: fresh caches and empty site dir, each time. Warm: caches kept, site dir kept."""
    cold = []
    for i in range(runs):
        shutil.rmtree(site, ignore_errors=True)
        env = build_env(work / f"cold-tmp-{i}", work / f"cold-pyc-{i}", site_url)
        cold.append(mkdocs_build(config, site, env))
    env = build_env(work / f"cold-tmp-{runs - 1}", work / f"cold-pyc-{runs - 1}", site_url)
    warm = [mkdocs_build(config, site, env) for _ in range(runs)]
    return {"cold_s": median(cold), "warm_s": median(warm), "cold_runs": cold, "warm_runs": warm}


def pdf_stage(work: Path, runs: int) -> dict:
    """Build with the PDF stage through scripts/build.py --pdf, if it exists and can build into
    a temporary folder (it must never write into the project's own site/)."""
    script = ROOT / "scripts" / "build.py"
    if not script.exists():
        return {"skipped": "scripts/build.py does not exist yet (PDF stage not written)"}
    help_text = subprocess.run(
        [sys.executable, str(script), "--help"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    if "--pdf" not in help_text:
        return {"skipped": "scripts/build.py has no --pdf option yet"}
    option = next((o for o in ("--site-dir", "--out", "--output") if o in help_text), None)
    if option is None:
        return {"skipped": "scripts/build.py --pdf has no --site-dir option, so it cannot build "
                "outside the project's site/; not measured"}
    runs = min(runs, 1)  # print-site makes this stage slow: one cold and one warm build
    results: dict[str, list[float]] = {"cold": [], "warm": []}
    site = work / "site-pdf"
    for kind in ("cold", "warm"):
        for i in range(runs):
            if kind == "cold":
                shutil.rmtree(site, ignore_errors=True)
                env = build_env(work / f"pdf-tmp-{i}", work / f"pdf-pyc-{i}")
            else:
                env = build_env(work / f"pdf-tmp-{runs - 1}", work / f"pdf-pyc-{runs - 1}")
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, str(script), "--pdf", option, str(site)],
                cwd=ROOT, env=env, capture_output=True, text=True,
            )
            if done.returncode != 0:
                return {"skipped": f"scripts/build.py --pdf failed (exit {done.returncode}): "
                        + (done.stderr or done.stdout)[-400:].strip()}
            results[kind].append(time.perf_counter() - start)
    return {
        "cold_s": median(results["cold"]), "warm_s": median(results["warm"]),
        "cold_runs": results["cold"], "warm_runs": results["warm"],
        "note": "scripts/build.py --pdf: strict build with print-site + link check + PDF "
                "render, one run each",
    }


# ---------------------------------------------------------------------------------------------
# A static server with gzip, as a static host serves the site
# ---------------------------------------------------------------------------------------------

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml",
                "application/xml", "application/manifest+json")


class GzipHandler(BaseHTTPRequestHandler):
    directory: Path
    cache: dict
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def _resolve(self) -> Path | None:
        rel = unquote(urlparse(self.path).path).lstrip("/")
        path = (self.directory / rel).resolve()
        if not path.is_relative_to(self.directory):
            return None
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return path  # redirected in _send
            path = path / "index.html"
        return path if path.is_file() else None

    def _send(self, head: bool) -> None:
        path = self._resolve()
        if path is not None and path.is_dir():
            self.send_response(301)
            self.send_header("Location", urlparse(self.path).path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = 200
        if path is None:
            status, path = 404, self.directory / "404.html"
        body = path.read_bytes() if path.is_file() else b"not found"
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype.endswith(("javascript", "json", "xml")):
            ctype += "; charset=utf-8"
        gz = "gzip" in self.headers.get("Accept-Encoding", "") and ctype.startswith(COMPRESSIBLE)
        if gz:
            key = (path, path.stat().st_mtime_ns if path.exists() else 0)
            if key not in self.cache:
                self.cache[key] = gzip.compress(body, compresslevel=6, mtime=0)
            body = self.cache[key]
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        if gz:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def do_GET(self):
        self._send(head=False)

    def do_HEAD(self):
        self._send(head=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, folder: Path, port: int = 0):
        handler = type("Handler", (GzipHandler,), {"directory": folder.resolve(), "cache": {}})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# ---------------------------------------------------------------------------------------------
# Browser measurements (Playwright driving Debian's Chromium)
# ---------------------------------------------------------------------------------------------


class Browser:
    def __init__(self):
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        try:
            self.browser = chromium.launch(self._pw)
        except FileNotFoundError as exc:
            raise SystemExit(str(exc)) from None

    def close(self) -> None:
        self.browser.close()
        self._pw.stop()

    def page_weight(self, url: str) -> dict:
        """First load of `url` in a fresh context (empty cache), mobile viewport: every request
        until the network is idle, bytes on the wire (CDP encodedDataLength: gzip body +
        headers), DOM elements."""
        context = self.browser.new_context(viewport=MOBILE, device_scale_factor=2.625)
        page = context.new_page()
        third_party: list[str] = []

        def route(r):
            host = urlparse(r.request.url).hostname
            if host in ("127.0.0.1", "localhost") or r.request.url.startswith("data:"):
                r.continue_()
            else:
                third_party.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        requests: dict[str, dict] = {}

        def sent(e):
            if not e["request"]["url"].startswith("data:"):
                requests[e["requestId"]] = {"url": e["request"]["url"], "bytes": 0, "status": None}

        def received(e):
            if e["requestId"] in requests:
                requests[e["requestId"]]["status"] = e["response"]["status"]

        def finished(e):
            if e["requestId"] in requests:
                requests[e["requestId"]]["bytes"] = int(e["encodedDataLength"])

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.responseReceived", received)
        cdp.on("Network.loadingFinished", finished)
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        dom = page.evaluate("document.getElementsByTagName('*').length")
        context.close()
        base = url.split("/", 3)[:3]
        items = sorted(requests.values(), key=lambda r: -r["bytes"])
        return {
            "requests": len(items),
            "transfer_bytes": sum(r["bytes"] for r in items),
            "dom_elements": dom,
            "not_found": [r["url"] for r in items if r["status"] == 404],
            "third_party": third_party,
            "largest": [
                {"url": "/" + r["url"].split("/", 3)[3] if r["url"].split("/", 3)[:3] == base
                 else r["url"], "bytes": r["bytes"]}
                for r in items[:6]
            ],
        }

    def first_render(self, url: str) -> float:
        """Navigation start -> the page's last change to its main content within a quiet
        second after load (a page built by its script, such as /mock/, is ready then)."""
        context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.add_init_script(RENDER_PROBE)
        page.goto(url, wait_until="load", timeout=180_000)
        page.wait_for_timeout(1000)
        value = page.evaluate("Math.max(window.__lastChange || 0, performance.getEntriesByType("
                              "'navigation')[0].domContentLoadedEventEnd)")
        context.close()
        return round(value, 1)

    def flashcards(self, url: str, runs: int) -> dict:
        """First render of the flashcard page (navigation start -> drill ready) and
        keystroke-to-filter latency (input event dispatched -> list updated and laid out)."""
        ready, fcp, filters = [], [], []
        script_only: list[float] = []
        for _ in range(runs):
            context = self.browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.add_init_script(READY_PROBE)
            page.goto(url, wait_until="load", timeout=180_000)
            page.wait_for_function("window.__fcReady !== undefined", timeout=120_000)
            timing = page.evaluate(
                """() => ({ready: window.__fcReady, fcp: (performance.getEntriesByName(
                    'first-contentful-paint')[0] || {}).startTime})"""
            )
            ready.append(timing["ready"])
            if timing["fcp"] is not None:
                fcp.append(timing["fcp"])
            page.wait_for_timeout(300)
            result = page.evaluate(FILTER_PROBE)
            filters.extend(r["layout"] for r in result["times"])
            script_only.extend(r["js"] for r in result["times"])
            context.close()
        return {
            "first_render_ms": median(ready),
            "first_contentful_paint_ms": median(fcp) if fcp else None,
            "filter_ms_median": median(filters),
            "filter_ms_max": max(filters),
            "filter_script_ms_median": median(script_only),
            "keystrokes": len(filters),
            "cards_shown_all": result["cards"],
        }

    def search(self, url: str, query: str) -> dict:
        """On mobile throttling: open search on `url` (the index is fetched only then), type
        `query` at once, and time the first results; then type it again character by character
        and time each keystroke to its results (query sent to Material's worker -> results
        rendered)."""
        context = self.browser.new_context(viewport=MOBILE, device_scale_factor=2.625,
                                           is_mobile=True, has_touch=True)
        context.add_init_script(SEARCH_PROBE)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", MOBILE_NETWORK)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": MOBILE_CPU_SLOWDOWN})
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        page.evaluate("window.__search.opened = performance.now()")
        page.locator("header label[for=__search]").first.click()  # the phone header button
        box = page.locator("input.md-search__input")
        box.fill(query)
        box.press("End")  # Material reads the box on keyup
        page.wait_for_function("window.__search.results.length > 0", timeout=180_000)
        first = page.evaluate("window.__search.results[0] - window.__search.opened")
        hits = page.locator(".md-search-result__item").count()
        box.fill("")
        box.press("End")
        page.wait_for_timeout(500)
        page.evaluate("window.__search.sent = []; window.__search.results = []")
        for char in query:  # one keyup per character, as an IME commits Chinese characters
            box.press_sequentially(char)
            box.press("End")
            page.wait_for_timeout(600)
        page.wait_for_timeout(1000)
        keys = page.evaluate("window.__search.results.map((t, i) => t - window.__search.sent[i])")
        context.close()
        return {"query": query, "first_results_ms": round(first, 1), "result_groups": hits,
                "keystroke_ms_median": median(keys), "keystroke_ms_max": round(max(keys), 1)}


# Times each query Material posts to its search worker and each result, once rendered.
SEARCH_PROBE = """
(() => {
  const Base = window.Worker;
  window.__search = {sent: [], results: []};
  window.Worker = class extends Base {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", e => {
        if (e.data && e.data.type === 3 && e.data.data.items.length)  // RESULT, not empty
          setTimeout(() => window.__search.results.push(performance.now()));  // after render
      });
    }
    postMessage(message, ...rest) {
      if (message && message.type === 2 && message.data)  // QUERY
        window.__search.sent.push(performance.now());
      return super.postMessage(message, ...rest);
    }
  };
})();
"""


RENDER_PROBE = """
new MutationObserver(() => { window.__lastChange = performance.now(); })
  .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""

READY_PROBE = """
new MutationObserver((records, observer) => {
  const root = document.querySelector('.fc.fc--js');
  const stage = root && root.querySelector('.fc-stage');
  if (stage && stage.childElementCount) {
    window.__fcReady = performance.now();
    observer.disconnect();
  }
}).observe(document,
           {subtree: true, childList: true, attributes: true, attributeFilter: ['class']});
"""

# Type a Chinese term and an English word letter by letter, then delete them again (the last
# deletion shows every card again, the most expensive case). Each step is one input event;
# latency = the synchronous handler + a forced style/layout of the updated list, so the
# figure does not include waiting for the next vsync.
FILTER_PROBE = """
async () => {
  const input = document.querySelector('.fc-search input');
  const list = document.querySelector('.fc-list');
  const steps = [];
  for (const word of ['注意力', 'cache']) {
    for (let i = 1; i <= word.length; i++) steps.push(word.slice(0, i));
    for (let i = word.length - 1; i >= 0; i--) steps.push(word.slice(0, i));
  }
  const times = [];
  for (const value of steps) {
    input.value = value;
    const t0 = performance.now();
    input.dispatchEvent(new Event('input', {bubbles: true}));
    const t1 = performance.now();
    list.getBoundingClientRect();
    void document.body.offsetHeight;
    const t2 = performance.now();
    times.push({value, js: t1 - t0, layout: t2 - t0,
                shown: list.querySelectorAll('.fc-card:not([hidden])').length});
    await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 20)));
  }
  return {times, cards: list.querySelectorAll('.fc-card').length};
}
"""


# ---------------------------------------------------------------------------------------------
# Lighthouse
# ---------------------------------------------------------------------------------------------


def lighthouse(url: str, runs: int, out: Path) -> dict:
    """Median category scores of `runs` Lighthouse runs (mobile preset, the default)."""
    if not LIGHTHOUSE.exists():
        raise SystemExit("node_modules/.bin/lighthouse is missing: run `npm ci` (make setup)")
    scores: dict[str, list[float]] = {c: [] for c in CATEGORIES}
    metrics: dict[str, list[float]] = {}
    failing: dict[str, dict] = {}
    version = None
    for i in range(runs):
        report = out / f"lh-{abs(hash(url))}-{i}.json"
        cmd = [
            str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
            "--only-categories=" + ",".join(CATEGORIES),
            "--chrome-flags=" + " ".join(["--headless", *chromium.ARGS]),
        ]
        done = subprocess.run(cmd, env={**os.environ, "CHROME_PATH": CHROMIUM},
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or not report.exists():
            raise SystemExit(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
        data = json.loads(report.read_text())
        version = data["lighthouseVersion"]
        if data.get("runtimeError"):
            raise SystemExit(f"lighthouse runtime error on {url}: {data['runtimeError']}")
        for cat in CATEGORIES:
            scores[cat].append(round((data["categories"][cat]["score"] or 0) * 100))
            for ref in data["categories"][cat]["auditRefs"]:
                audit = data["audits"][ref["id"]]
                if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                    entry = failing.setdefault(ref["id"], {
                        "category": cat, "title": audit["title"], "runs": 0,
                        "display": audit.get("displayValue", ""),
                        "items": _audit_items(audit),
                    })
                    entry["runs"] += 1
        for m in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                  "cumulative-layout-shift", "speed-index"):
            value = data["audits"][m].get("numericValue")
            if value is not None:
                metrics.setdefault(m, []).append(value)
    return {
        "version": version,
        "runs": runs,
        "scores": {c: median(v) for c, v in scores.items()},
        "score_runs": scores,
        "metrics": {m: round(median(v), 3) for m, v in metrics.items()},
        "failing_audits": failing,
    }


def _audit_items(audit: dict) -> list[str]:
    """A few failing elements/URLs of an audit, to say precisely what fails."""
    details = audit.get("details") or {}
    out = []
    for item in (details.get("items") or [])[:4]:
        node = item.get("node") if isinstance(item, dict) else None
        if node:
            out.append(node.get("snippet", "")[:160])
        elif isinstance(item, dict):
            text = item.get("url") or item.get("description") or item.get("source") or ""
            if isinstance(text, dict):
                text = text.get("url", "")
            out.append(str(text)[:160])
    return out


# ---------------------------------------------------------------------------------------------
# Baseline: a bare Material site with about as much Chinese text as the chapter page
# ---------------------------------------------------------------------------------------------

SENTENCES = [
    "注意力机制让每个位置都能直接读取序列中其他位置的信息。",
    "训练时把整段序列并行送入模型，推理时则逐个生成新的词元。",
    "归一化层让每一层的输入分布保持稳定，使深层网络更容易收敛。",
    "学习率预热可以避免训练初期梯度过大导致的发散。",
    "量化用更少的比特表示权重，以少量精度损失换取显存和带宽。",
    "检索增强生成先从外部知识库取回相关段落，再让模型据此作答。",
    "数据并行在每张卡上保存完整模型，只切分每一步的训练样本。",
    "张量并行把单层的矩阵乘法拆到多张卡上，需要频繁的集合通信。",
    "温度越低，采样分布越尖锐，生成结果越确定也越单调。",
    "评估大模型时既要看自动指标，也要看人工评审和对抗测试。",
]


def chinese_text(chars: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    out, n, section = [], 0, 1
    while n < chars:
        para = "".join(rng.choice(SENTENCES) for _ in range(6))
        if section == 1 or rng.random() < 0.2:
            out.append(f"## 第 {section} 节\n")
            section += 1
        out.append(para + "\n")
        n += len(para)
    return "\n".join(out)


def article_chars(html_file: Path) -> int:
    html = html_file.read_text(encoding="utf-8")
    match = re.search(r"<article[^>]*>(.*?)</article>", html, re.S)
    text = re.sub(r"<[^>]+>", "", match.group(1) if match else html)
    return len(re.sub(r"\s+", "", text))


def make_baseline(work: Path, chars: int, site_url: str) -> Path:
    project = work / "baseline"
    (project / "docs").mkdir(parents=True, exist_ok=True)
    (project / "mkdocs.yml").write_text(
        "site_name: 基线站点\n"
        "site_description: 一个只有 Material 默认配置和一页中文正文的基线站点。\n"
        f"site_url: {site_url}\n"
        "theme:\n  name: material\n  language: zh\n"
        # the Google Fonts request cannot succeed offline: compare like with like
        "  font: false\n",
        encoding="utf-8",
    )
    (project / "docs" / "index.md").write_text(
        "# 基线页面\n\n" + chinese_text(chars), encoding="utf-8"
    )
    return project / "mkdocs.yml"


# ---------------------------------------------------------------------------------------------
# Synthetic flashcard banks: valid Q&A pages in a temporary copy of the project skeleton
# ---------------------------------------------------------------------------------------------

TERMS = ["注意力", "多头注意力", "KV cache", "RoPE", "LayerNorm", "RMSNorm", "量化", "蒸馏",
         "剪枝", "LoRA", "RLHF", "DPO", "温度采样", "top-p", "束搜索", "数据并行", "ZeRO",
         "张量并行", "流水线并行", "混合精度", "梯度裁剪", "学习率预热", "幻觉", "RAG", "困惑度",
         "BLEU", "ROUGE", "FlashAttention", "GQA", "MoE", "SwiGLU", "位置编码", "长度外推"]
ASPECTS = ["原理", "作用", "代价", "适用场景", "常见误区", "与替代方案的区别", "实现细节",
           "对显存的影响", "对训练稳定性的影响", "在推理时的表现"]
PER_PAGE = 25


def _question(i: int, rng: random.Random) -> str:
    a, b = rng.sample(TERMS, 2)
    aspect = rng.choice(ASPECTS)
    tags = ",".join(rng.sample(TERMS[:12], 2))
    body = "".join(rng.choice(SENTENCES) for _ in range(8))
    extra = ""
    if i % 5 == 0:
        extra = f"\n    复杂度写成 $O(n^2 d)$，其中 $n={i}$ 是序列长度。\n"
    if i % 7 == 0:
        extra += (f"\n    | 方案 | 优点 | 代价 |\n    |---|---|---|\n"
                  f"    | {a} | 省显存 | 精度略降 |\n    | {b} | 更稳定 | 计算更多 |\n")
    attrs = f'{{ #bench-q{i} data-difficulty="{1 + i % 3}" data-tags="{tags}" }}'
    return f"""## 第 {i} 题：{a} 的{aspect}是什么？它和 {b} 有什么关系？ {attrs}

??? success "参考答案"

    **一句话：** {a} 的{aspect}可以概括为：{rng.choice(SENTENCES)}

    {body}
{extra}
    !!! warning "常见误区"

        {rng.choice(SENTENCES)}

??? question "追问"

    1. **{b} 在这里起什么作用？** {rng.choice(SENTENCES)}

**参考文献：**

- Vaswani et al., "Attention Is All You Need", 2017 (arXiv:1706.03762)

"""


def make_bank(work: Path, n: int) -> Path:
    """A copy of the project's config, overrides, assets and flashcard pages, with `n`
    synthetic questions spread over the chapters (25 per page)."""
    project = work / f"bank-{n}"
    shutil.rmtree(project, ignore_errors=True)
    docs = project / "docs"
    docs.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copy(ROOT / "search-dict.txt", project / "search-dict.txt")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    for name in ("flashcards.md", "flashcards.en.md"):
        shutil.copy(ROOT / "docs" / name, docs / name)
    (docs / "index.md").write_text("# 基准测试题库\n\n合成题目，只用于性能测量。\n",
                                   encoding="utf-8")
    (docs / "index.en.md").write_text("# Benchmark bank\n\nSynthetic questions.\n",
                                      encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    chapters = re.findall(r"^\s+- ([a-z-]+)$", config.split("- handbook:", 1)[1], re.M)
    rng = random.Random(n)
    pages = (n + PER_PAGE - 1) // PER_PAGE
    for p in range(pages):
        chapter = chapters[p % len(chapters)]
        folder = docs / chapter
        if not folder.exists():
            folder.mkdir()
            (folder / "index.md").write_text(f"# 章节 {chapter}\n\n合成章节。\n", encoding="utf-8")
        first = p * PER_PAGE + 1
        blocks = [_question(i, rng) for i in range(first, min(n, first + PER_PAGE - 1) + 1)]
        (folder / f"bench-{p:04d}.md").write_text(
            f"# 合成页面 {p}\n\n" + "".join(blocks), encoding="utf-8"
        )
    return project / "mkdocs.yml"


def search_figures(browser: Browser, site: Path, site_url: str) -> dict:
    """Per language: index size, bytes per question, and search timings on mobile throttling."""
    out = {}
    for lang, home in SEARCH_HOMES.items():
        index = site / home / "search" / "search_index.json"
        data = json.loads(index.read_text(encoding="utf-8"))
        # handbook/search.py gives question entries `keys`; growth = what their pages add
        pages = {d["location"].split("#")[0] for d in data["docs"] if "keys" in d}
        rest = [d for d in data["docs"] if d["location"].split("#")[0] not in pages]
        rest_gz = len(gzip.compress(json.dumps({**data, "docs": rest}, ensure_ascii=False,
                                               separators=(",", ":")).encode(), 6, mtime=0))
        questions = sum("keys" in d for d in data["docs"])
        gz = gzip_size(index)
        log(f"search: {lang}")
        out[lang] = {
            "index": "/" + index.relative_to(site).as_posix(), "entries": len(data["docs"]),
            "questions": questions, "index_bytes": index.stat().st_size, "index_gzip_bytes": gz,
            "gzip_bytes_per_100_questions":
                round((gz - rest_gz) / questions * 100) if questions else None,
            **browser.search(site_url + home, SEARCH_QUERIES[lang]),
        }
    return out


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def median(values):
    return round(statistics.median(values), 3) if values else None


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def budgets(results: dict) -> list[dict]:
    out = []
    names = [n for n in results["pages"] if n != "baseline"]
    lh = {name: results["pages"][name].get("lighthouse") for name in names}
    for name in names:
        for cat in CATEGORIES:
            limit = BUDGETS["lighthouse_performance_min" if cat == "performance"
                            else "lighthouse_other_min"]
            value = lh[name]["scores"][cat] if lh[name] else None
            out.append({"budget": f"{name}: Lighthouse {cat} >= {limit}", "value": value,
                        "pass": None if value is None else value >= limit})
    chapter_kib = results["pages"]["chapter"]["transfer_bytes"] / KIB
    out.append({"budget": f"chapter: first load <= {BUDGETS['chapter_first_load_max_kib']} KiB"
                " gzip", "value": round(chapter_kib, 1),
                "pass": chapter_kib <= BUDGETS["chapter_first_load_max_kib"]})
    at = BUDGETS["filter_at_cards"]
    bank = next((b for b in results["flashcard_scale"] if b["questions"] == at), None)
    value = bank["filter_ms_median"] if bank else None
    out.append({"budget": f"flashcards: filter < {BUDGETS['filter_max_ms']} ms at {at} cards",
                "value": value,
                "pass": None if value is None else value < BUDGETS["filter_max_ms"]})
    value = bank["first_render_ms"] if bank else None
    out.append({"budget": f"flashcards: first render < {BUDGETS['first_render_max_ms']} ms at "
                f"{at} cards", "value": value,
                "pass": None if value is None else value < BUDGETS["first_render_max_ms"]})
    return out


def table(results: dict) -> str:
    rows: list[tuple[str, str, str, str, str]] = []  # measure, value, baseline, ratio, budget

    def ratio(a, b):
        return f"{a / b:.2f}x" if a is not None and b else ""

    def fmt(v, unit=""):
        if v is None:
            return "-"
        if isinstance(v, float):
            v = f"{v:.2f}" if v < 100 else f"{v:.0f}"
        return f"{v}{unit}"

    verdict = {b["budget"]: b for b in results["budgets"]}

    def status(key):
        b = verdict.get(key)
        if not b:
            return ""
        return "n/a" if b["pass"] is None else ("PASS" if b["pass"] else "FAIL")

    base = results["build"]["baseline"]
    for kind in ("cold_s", "warm_s"):
        site = results["build"]["site"][kind]
        rows.append((f"build zh+en, no PDF, {kind[:4]} (s)", fmt(site), fmt(base[kind]),
                     ratio(site, base[kind]), ""))
    pdf = results["build"]["site_pdf"]
    if "skipped" in pdf:
        rows.append(("build zh+en, with PDF (s)", "skipped", "", "", ""))
    else:
        for kind in ("cold_s", "warm_s"):
            rows.append((f"build zh+en, with PDF, {kind[:4]} (s)", fmt(pdf[kind]),
                         fmt(base[kind]), ratio(pdf[kind], base[kind]), ""))
    bpage = results["pages"]["baseline"]
    for name in [n for n in results["pages"] if n != "baseline"]:
        page = results["pages"][name]
        rows.append((f"{name}: requests", fmt(page["requests"]), fmt(bpage["requests"]),
                     ratio(page["requests"], bpage["requests"]), ""))
        key = f"chapter: first load <= {BUDGETS['chapter_first_load_max_kib']} KiB gzip"
        rows.append((f"{name}: transferred (KiB, gzip)", fmt(page["transfer_bytes"] / KIB),
                     fmt(bpage["transfer_bytes"] / KIB),
                     ratio(page["transfer_bytes"], bpage["transfer_bytes"]),
                     status(key) if name == "chapter" else ""))
        if page.get("first_render_ms") is not None:
            rows.append((f"{name}: first render (ms)", fmt(page["first_render_ms"]),
                         fmt(bpage.get("first_render_ms")),
                         ratio(page["first_render_ms"], bpage.get("first_render_ms")), ""))
        rows.append((f"{name}: DOM elements", fmt(page["dom_elements"]),
                     fmt(bpage["dom_elements"]), ratio(page["dom_elements"],
                                                       bpage["dom_elements"]), ""))
        for cat in CATEGORIES:
            lh, blh = page.get("lighthouse"), bpage.get("lighthouse")
            v = lh["scores"][cat] if lh else None
            bv = blh["scores"][cat] if blh else None
            limit = BUDGETS["lighthouse_performance_min" if cat == "performance"
                            else "lighthouse_other_min"]
            rows.append((f"{name}: Lighthouse {cat}", fmt(v), fmt(bv), ratio(v, bv),
                         status(f"{name}: Lighthouse {cat} >= {limit}")))
    for lang, f in results.get("search", {}).items():
        size = f"{f['index_bytes'] / KIB:.0f} / {f['index_gzip_bytes'] / KIB:.0f}"
        rows.append((f"search {lang}: index (KiB raw / gzip)", size, "", "", ""))
        rows.append((f"search {lang}: first results after opening (ms, mobile)",
                     fmt(f["first_results_ms"]), "", "", ""))
        rows.append((f"search {lang}: keystroke to results median / max (ms, mobile)",
                     f"{fmt(f['keystroke_ms_median'])} / {fmt(f['keystroke_ms_max'])}", "", "", ""))
    at = BUDGETS["filter_at_cards"]
    for bank in results["flashcard_scale"]:
        n = bank["questions"]
        rows.append((f"{n} cards: build zh+en (s)", fmt(bank["build_s"]), "", "", ""))
        rows.append((f"{n} cards: page HTML (KiB raw / gzip)",
                     f"{bank['html_bytes'] / KIB:.0f} / {bank['html_gzip_bytes'] / KIB:.0f}",
                     "", "", ""))
        key = f"flashcards: first render < {BUDGETS['first_render_max_ms']} ms at {at} cards"
        rows.append((f"{n} cards: first render (ms)", fmt(bank["first_render_ms"]), "", "",
                     status(key) if n == at else ""))
        key = f"flashcards: filter < {BUDGETS['filter_max_ms']} ms at {at} cards"
        rows.append((f"{n} cards: filter median / max (ms)",
                     f"{fmt(bank['filter_ms_median'])} / {fmt(bank['filter_ms_max'])}", "", "",
                     status(key) if n == at else ""))
    head = ("measure", "value", "baseline", "ratio", "budget")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(5)]
    lines = [" | ".join(str(c).ljust(w) for c, w in zip(head, widths, strict=True)),
             "-|-".join("-" * w for w in widths)]
    lines += [" | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------


def only_search(out: Path) -> int:
    """Build once and print the search figures (`--only-search`)."""
    work = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    browser = server = None
    try:
        log("building the site")
        mkdocs_build(ROOT / "mkdocs.yml", work / "site", build_env(work / "tmp", work / "pyc", url))
        server, browser = Server(work / "site", port), Browser()
        figures = search_figures(browser, work / "site", server.url)
    finally:
        if server:
            server.close()
        if browser:
            browser.close()
        shutil.rmtree(work, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"search": figures}, indent=2, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    for lang, f in figures.items():
        print(f"search {lang}: {f['index']} {f['index_bytes'] / KIB:.0f} KiB, "
              f"{f['index_gzip_bytes'] / KIB:.0f} KiB gzip, {f['questions']} questions "
              f"(question pages add {f['gzip_bytes_per_100_questions'] / KIB:.0f} KiB gzip per 100 "
              f"questions); mobile: first results {f['first_results_ms']:.0f} ms after opening, "
              f"keystroke to results {f['keystroke_ms_median']:.0f} ms median "
              f"({f['keystroke_ms_max']:.0f} max), query {f['query']!r}")
    return 0


def only_flashcards(out: Path, banks: list[int], runs: int) -> int:
    """Synthetic banks only (`--only-flashcards`): build each, then first render and filter."""
    work = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    browser = None
    servers: list[Server] = []
    rows = []
    try:
        browser = Browser()
        for n in banks:
            log(f"flashcard bank of {n}")
            rows.append(flashcard_bank(browser, work, n, runs, servers))
            r = rows[-1]
            print(f"{n} cards: page {r['html_bytes'] / KIB:.0f} KiB "
                  f"({r['html_gzip_bytes'] / KIB:.0f} KiB gzip), first render "
                  f"{r['first_render_ms']:.0f} ms, filter {r['filter_ms_median']:.1f} ms median "
                  f"({r['filter_ms_max']:.1f} max)", flush=True)
    finally:
        for s in servers:
            s.close()
        if browser:
            browser.close()
        shutil.rmtree(work, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"flashcard_scale": rows}, indent=2, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    return 0


def flashcard_bank(browser: Browser, work: Path, n: int, runs: int, servers: list,
                   env_dirs: tuple[Path, Path] | None = None) -> dict:
    """Build a synthetic bank of `n` questions, serve it, measure its flashcard page."""
    config = make_bank(work, n)
    bank_site = work / f"bank-{n}-site"
    bank_port = free_port()
    tmp, pyc = env_dirs or (work / "bank-tmp", work / "bank-pyc")
    env = build_env(tmp, pyc, f"http://127.0.0.1:{bank_port}/")
    build_s = mkdocs_build(config, bank_site, env)
    page = bank_site / "flashcards" / "index.html"
    count = page.read_text(encoding="utf-8").count('class="fc-card"')
    if count != n:
        raise SystemExit(f"bank of {n}: the flashcard page has {count} cards")
    bank_server = Server(bank_site, bank_port)
    servers.append(bank_server)
    figures = browser.flashcards(bank_server.url + "flashcards/", runs)
    return {
        "questions": n, "build_s": round(build_s, 3),
        "html_bytes": page.stat().st_size, "html_gzip_bytes": gzip_size(page),
        **figures,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true",
                        help="quick run: one build of each kind, no PDF stage, a 20-card bank, "
                        "one Lighthouse run on the home page only")
    parser.add_argument("--runs", type=int, default=3, help="runs per median (default 3)")
    parser.add_argument("--banks", default="100,1000,2000,5000",
                        help="synthetic bank sizes (default 100,1000,2000,5000)")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "bench.json")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--check", action="store_true", help="exit 1 if a budget fails")
    parser.add_argument("--only-search", action="store_true",
                        help="one build, then the search figures only")
    parser.add_argument("--only-flashcards", action="store_true",
                        help="the synthetic flashcard banks only (--banks, --runs)")
    args = parser.parse_args(argv)
    if args.only_search:
        return only_search(args.out)
    if args.only_flashcards:
        banks = [int(b) for b in args.banks.split(",")]
        return only_flashcards(args.out, banks, args.runs)
    runs = 1 if args.smoke else args.runs
    banks = [20] if args.smoke else [int(b) for b in args.banks.split(",")]
    lh_pages = set() if args.no_lighthouse else ({"home"} if args.smoke else
                                                 {*PAGES, *OPTIONAL_PAGES, "baseline"})
    lh_runs = 1 if args.smoke else args.runs

    work = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    log(f"working in {work}")
    results: dict = {
        "meta": {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "mode": "smoke" if args.smoke else "full",
            "runs": runs,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_start": [round(x, 2) for x in os.getloadavg()],
            "chromium": CHROMIUM,
            "notes": [
                "cold build = fresh TMPDIR (jieba rebuilds its dictionary cache), fresh "
                "PYTHONPYCACHEPREFIX (no bytecode reuse) and empty site dir; warm = same caches "
                "and the previous site dir. Builds are non-strict.",
                "page weight: first load in Chromium (412x823 viewport, empty cache) until network "
                "idle; bytes are CDP encodedDataLength (gzip body + headers) from a local "
                "gzip static server; DOM = document.getElementsByTagName('*').length.",
                "filter latency: input event dispatched on the search box -> handler done + "
                "forced style/layout of the list, median over keystrokes (desktop viewport, "
                "no CPU throttling).",
            ],
        },
        "build": {},
        "pages": {},
        "flashcard_scale": [],
    }
    browser = None
    servers: list[Server] = []
    try:
        # ---- builds ----------------------------------------------------------------------
        site = work / "site"
        port, base_port = free_port(), free_port()
        site_url, base_url = f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{base_port}/"
        log("building the site (cold, warm)")
        results["build"]["site"] = time_builds(ROOT / "mkdocs.yml", site, work, runs, site_url)
        log("PDF stage")
        # the PDF tests already render it; two print builds would double the smoke run's time
        results["build"]["site_pdf"] = ({"skipped": "smoke run (the PDF tests build it)"}
                                        if args.smoke else pdf_stage(work, runs))
        chars = article_chars(site / PAGES["chapter"] / "index.html")
        log(f"baseline: bare Material with {chars} characters of Chinese text")
        base_config = make_baseline(work, chars, base_url)
        base_site = work / "baseline-site"
        results["build"]["baseline"] = time_builds(base_config, base_site, work / "b", runs,
                                                   base_url)
        results["build"]["baseline"]["chinese_chars"] = chars

        # ---- pages -----------------------------------------------------------------------
        browser = Browser()
        server, base_server = Server(site, port), Server(base_site, base_port)
        servers += [server, base_server]
        pages = {**PAGES, **{name: path for name, path in OPTIONAL_PAGES.items()
                             if (site / path / "index.html").exists()}}
        urls = {name: server.url + path for name, path in pages.items()}
        urls["baseline"] = base_server.url
        for name, url in urls.items():
            log(f"page weight: {name}")
            results["pages"][name] = {"url": url.replace(server.url, "/").replace(
                base_server.url, "baseline:/"), **browser.page_weight(url),
                "first_render_ms": browser.first_render(url)}
        results["search"] = search_figures(browser, site, server.url)
        for name in urls:
            if name in lh_pages:
                log(f"lighthouse x{lh_runs}: {name}")
                results["pages"][name]["lighthouse"] = lighthouse(urls[name], lh_runs, work)
            else:
                results["pages"][name]["lighthouse"] = None

        # ---- flashcard scale -------------------------------------------------------------
        for n in banks:
            log(f"flashcard bank of {n}")
            # warm caches (those of the site's warm builds), so sizes compare like with like
            dirs = (work / f"cold-tmp-{runs - 1}", work / f"cold-pyc-{runs - 1}")
            results["flashcard_scale"].append(flashcard_bank(browser, work, n, runs, servers,
                                                             dirs))
    finally:
        for s in servers:
            s.close()
        if browser:
            browser.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    results["meta"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    results["budgets"] = budgets(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    print(table(results))
    pdf = results["build"]["site_pdf"]
    if "skipped" in pdf:
        print(f"\nPDF stage not measured: {pdf['skipped']}")
    for name, page in results["pages"].items():
        lh = page.get("lighthouse")
        for audit_id, a in (lh or {}).get("failing_audits", {}).items():
            print(f"{name}: {a['category']} audit '{audit_id}' fails in {a['runs']}/{lh['runs']} "
                  f"runs: {a['title']} {a['display']}".rstrip())
    failed = [b for b in results["budgets"] if b["pass"] is False]
    print(f"\nbudgets: {sum(b['pass'] is True for b in results['budgets'])} pass, "
          f"{len(failed)} fail, {sum(b['pass'] is None for b in results['budgets'])} not measured"
          f"; load average {results['meta']['load_average_start']} -> "
          f"{results['meta']['load_average_end']}; JSON: {args.out}")
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
