"""The built site in real Chromium: what a reader sees, and what the browser requests."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

DIAGRAM_PAGE = "transformer/transformer-architecture/"

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
# The Chinese an English page shows on purpose (selector per page; "" is every page): the
# language switcher, and the glossary's column of Chinese terms.
CHINESE_ON_PURPOSE = {"": ".md-select", "en/glossary/": "article table td:nth-child(2)"}
# What a reader of the page sees and what names it: the visible text (innerText, so answers
# opened, hidden templates left out), <html lang>, <title> and every nav entry, shown or not.
ENGLISH_VIEW = """(onPurpose) => {
    const hidden = onPurpose ? [...document.querySelectorAll(onPurpose)] : [];
    hidden.forEach(e => e.style.setProperty('display', 'none', 'important'));
    const view = {
        lang: document.documentElement.lang,
        title: document.title,
        nav: [...document.querySelectorAll('.md-nav__link, .md-nav__title, .md-header__topic')]
            .map(e => e.textContent.trim()),
        text: document.body.innerText,
    };
    hidden.forEach(e => e.style.removeProperty('display'));
    return view;
}"""


def built_pages(site: Path) -> list[str]:
    """Every HTML page of both languages, as URLs relative to the site root."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        pages.append(rel.removesuffix("index.html"))
    return pages


def open_all_answers(page) -> None:
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")


def chinese_on_english_page(page, rel: str) -> list[str]:
    """What is not English on an /en/ page: its lang, its title, nav entries, and the Chinese
    runs of its visible text beyond CHINESE_ON_PURPOSE (an empty list for a good page)."""
    on_purpose = ", ".join(sel for where, sel in CHINESE_ON_PURPOSE.items() if where in ("", rel))
    view = page.evaluate(ENGLISH_VIEW, on_purpose)
    found = [] if view["lang"] == "en" else [f"<html lang={view['lang']}>"]
    if CJK.search(view["title"]):
        found.append(f"<title>: {view['title']}")
    found += [f"nav: {title}" for title in dict.fromkeys(view["nav"]) if CJK.search(title)]
    found += [f"text: {run}" for run in dict.fromkeys(CJK.findall(view["text"]))]
    return found


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_every_page_loads_clean_and_english_pages_are_english(site, base_url, visit):
    """One visit per built page: no third-party request, no missing file, no error; and an
    /en/ page is English, answers open, bar the Chinese it shows on purpose."""
    pages = built_pages(site)
    assert len(pages) > 40 and "en/" in pages
    v = visit()
    not_english = {}
    for rel in pages:
        v.page.goto(base_url + rel, wait_until="load")
        open_all_answers(v.page)  # opening answers triggers lazy diagrams and their mermaid
        v.page.wait_for_timeout(150)
        if rel.startswith("en/") and (found := chinese_on_english_page(v.page, rel)):
            not_english[rel] = found[:6]
    assert v.third_party == []
    assert v.unexpected_404s() == []
    assert v.errors == []
    assert not_english == {}


def test_diagram_renders_as_svg_without_error(base_url, visit):
    v = visit()
    v.page.goto(base_url + DIAGRAM_PAGE)
    open_all_answers(v.page)
    v.page.wait_for_selector("pre.diagram--rendered svg", timeout=15000)
    assert v.page.locator("pre.diagram[data-error]").count() == 0
    assert v.page.locator("pre.diagram svg .node").count() >= 3
    assert any(u.endswith("/assets/vendor/mermaid/mermaid.min.js") for u in v.requests)


MATH_PAGE = "position-encoding/absolute-positional-encoding/"
# Every formula typeset (KaTeX HTML with its MathML), and no TeX left in what the reader sees.
TYPESET = r"""() => {
    const formulas = [...document.querySelectorAll('.arithmatex')];
    return {
        formulas: formulas.length,
        untypeset: formulas.filter(f => !f.querySelector(':scope > .katex .katex-mathml math, '
            + ':scope > .katex-display > .katex .katex-mathml math')).length,
        errors: document.querySelectorAll('.katex-error').length,
        rawTex: (document.body.innerText.match(/\\[(\[]|\$\$|\\frac/g) || []).length,
    };
}"""


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_formulas_are_typeset_in_the_page(base_url, visit, javascript):
    v = visit(javascript=javascript)
    v.page.goto(base_url + MATH_PAGE)
    open_all_answers(v.page)
    result = v.page.evaluate(TYPESET)
    assert result["formulas"] >= 20
    assert result == {**result, "untypeset": 0, "errors": 0, "rawTex": 0}
    assert any(u.endswith("/assets/vendor/katex/katex.min.css") for u in v.requests)
    assert not any(u.endswith(".js") and "katex" in u for u in v.requests)  # no KaTeX at runtime


def test_search_index_keeps_the_tex_not_katex_markup(site):
    docs = json.loads((site / "search/search_index.json").read_text())["docs"]
    text = " ".join(doc["text"] for doc in docs)
    assert "katex" not in text and "\\frac" in text


def test_every_page_typesets_its_formulas_and_draws_its_diagrams(site, base_url, visit):
    """Every formula typeset on every page that has math; every diagram drawn (as printing
    does) on every page that has diagrams."""
    v = visit()
    checked = 0
    for rel in built_pages(site):
        html = (site / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)).read_text()
        if 'class="arithmatex"' not in html and 'class="diagram"' not in html:
            continue
        v.page.goto(base_url + rel)
        open_all_answers(v.page)
        math = v.page.evaluate(TYPESET)
        assert math == {**math, "untypeset": 0, "errors": 0, "rawTex": 0}, rel
        result = v.page.evaluate("""async () => {
            const ns = window.handbook || {};
            const diagrams = [...document.querySelectorAll('pre.diagram')];
            if (ns.diagrams) await Promise.all(diagrams.map(ns.diagrams.draw));
            return {
                diagramErrors: diagrams.filter(d => d.dataset.error).map(d => d.dataset.error),
                undrawn: diagrams.filter(d => !d.querySelector('svg')).length,
            };
        }""")
        assert result == {"diagramErrors": [], "undrawn": 0}, rel
        checked += 1
    assert checked >= 20
    assert v.errors == []


def test_page_without_diagram_does_not_load_mermaid(base_url, visit):
    v = visit()
    v.page.goto(base_url)
    v.page.wait_for_load_state("networkidle")
    assert v.page.locator(".diagram").count() == 0
    assert not any("mermaid" in u for u in v.requests)


def test_answer_is_closed_then_opens_on_click(base_url, visit):
    v = visit()
    v.page.goto(base_url + DIAGRAM_PAGE)
    answer = v.page.locator("details.success").first
    body = answer.locator("p").first
    assert answer.get_attribute("open") is None
    assert not body.is_visible()
    answer.locator("summary").click()
    assert answer.get_attribute("open") is not None
    assert body.is_visible()
    assert "一句话" in body.inner_text()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_printed_page_contains_the_collapsed_answers(base_url, visit, tmp_path, javascript):
    v = visit(javascript=javascript)
    v.page.goto(base_url + DIAGRAM_PAGE)
    short = v.page.locator("details.success p").first.text_content().strip()
    assert v.page.locator("details[open]").count() == 0
    text = pdf_text(v.page.pdf(), tmp_path)
    flat = "".join(text.split())
    assert "".join(short.split())[:40] in flat


@pytest.mark.parametrize(("query", "expected"), [
    ("位置编码", "position-encoding/"),
    ("RoPE", "position-encoding/llama-rope-why/"),
    ("LayerNorm", "training/layernorm-vs-batchnorm/"),
    ("灾难性遗忘", "training/catastrophic-forgetting-finetuning/"),
])
def test_search_finds_chinese_and_english_terms(base_url, visit, query, expected):
    v = visit()
    v.page.goto(base_url)
    v.page.locator("label.md-search__icon, .md-search__input").first.click()
    box = v.page.locator("input.md-search__input")
    box.press_sequentially(query, delay=30)
    box.press("End")  # Material listens to keyup; CJK text alone sends none
    v.page.wait_for_selector(".md-search-result__item", timeout=15000)
    hrefs = v.page.eval_on_selector_all(".md-search-result__item a", "as => as.map(a => a.href)")
    assert any(expected in h for h in hrefs), hrefs


def test_phone_width_has_no_horizontal_scroll(base_url, visit):
    v = visit(viewport={"width": 360, "height": 740})
    for rel in ("", DIAGRAM_PAGE, "training/layernorm-vs-batchnorm/", "flashcards/"):
        v.page.goto(base_url + rel)
        open_all_answers(v.page)
        v.page.wait_for_timeout(300)
        width = v.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{rel}: page is {width}px wide"


def test_dark_mode_toggle_switches_the_scheme(base_url, visit):
    v = visit()
    v.page.goto(base_url)
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    background = "getComputedStyle(document.body).backgroundColor"
    assert v.page.evaluate(scheme) == "default"
    light = v.page.evaluate(background)
    for _ in range(3):
        if v.page.evaluate(scheme) == "slate":
            break
        v.page.locator("form[data-md-component=palette] label:visible").first.click()
    assert v.page.evaluate(scheme) == "slate"
    assert v.page.evaluate(background) != light


def test_english_pages_have_english_interface(base_url, visit):
    v = visit()
    v.page.goto(base_url + "en/")
    assert v.page.locator("html").get_attribute("lang") == "en"
    assert "Flashcards" in v.page.locator(".md-nav").first.inner_text()
