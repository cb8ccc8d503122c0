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


# Formulas and diagrams wider than the content column: each must be cut off only by a box
# that scrolls sideways and shows a cue (the edge shadows of extra.css); the page never scrolls.
CUT_OFF = """() => {
    const column = document.querySelector('.md-content').getBoundingClientRect();
    const name = e => e.tagName.toLowerCase() + '.' + String(e.className.baseVal ?? e.className).split(' ')[0];
    const bad = [];
    for (const el of document.querySelectorAll('div.arithmatex, .katex-display, pre.diagram')) {
        const box = el.getBoundingClientRect();
        if (!box.width) continue;
        let scroller = null;
        for (let a = el; a !== document.body && !scroller; a = a.parentElement) {
            const style = getComputedStyle(a);
            if (style.overflowX === 'visible') continue;
            scroller = a;
            const cue = /auto|scroll/.test(style.overflowX) && style.backgroundImage.includes('gradient')
                && style.backgroundAttachment.includes('local');
            if (a.scrollWidth > a.clientWidth + 1 && !cue) bad.push(`${name(el)} cut off by ${name(a)}, no cue`);
        }
        if (!scroller && (box.left < column.left - 1 || box.right > column.right + 1))
            bad.push(`${name(el)} sticks out of the column`);
    }
    const width = document.documentElement.scrollWidth;
    if (width > innerWidth) bad.push(`the page is ${width} px wide`);
    return bad;
}"""


def test_every_page_typesets_its_formulas_and_draws_its_diagrams(site, base_url, visit):
    """Every formula typeset and every diagram drawn (as printing does) on every page that has
    math or diagrams; with every answer open, nothing wide is cut off without a cue, at 1280 and
    390 px."""
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
        open_all_answers(v.page)
        assert v.page.evaluate(CUT_OFF) == [], f"{rel} at 1280 px"
        v.page.set_viewport_size({"width": 390, "height": 900})
        assert v.page.evaluate(CUT_OFF) == [], f"{rel} at 390 px"
        # back before the next page loads (resizing up, the header's search box slides wider)
        v.page.set_viewport_size({"width": 1280, "height": 900})
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


def test_a_link_to_a_question_opens_its_answer(base_url, visit):
    """From a quiz explanation, a search result (?h=term highlights), a hash change on the page,
    and to a target inside a collapsed answer: the answer opens, marked terms visible."""
    v = visit(viewport={"width": 390, "height": 800})
    answer_of = "id => document.getElementById(id).nextElementSibling.open"
    v.page.goto(base_url + "transformer/quiz/")
    link = v.page.locator('.quiz a[href$="#transformer-architecture"]').first.evaluate("a => a.href")
    v.page.goto(link)
    assert v.page.evaluate(answer_of, "transformer-architecture")
    assert v.page.locator("details.success p").first.is_visible()

    v.page.goto(base_url + DIAGRAM_PAGE + "?h=LayerNorm#transformer-architecture")
    marks = v.page.locator("#transformer-architecture + details mark[data-md-highlight]")
    marks.first.wait_for(state="visible", timeout=15000)
    assert marks.count() >= 2 and all(m.is_visible() for m in marks.all())

    v.page.goto(base_url + "training/layernorm-vs-batchnorm/")
    second = v.page.locator("h2[data-difficulty]").nth(1).get_attribute("id")
    v.page.evaluate("id => location.hash = id", second)
    v.page.wait_for_function(answer_of, arg=second)
    assert 0 <= v.page.locator("#" + second).bounding_box()["y"] < 800

    inner = v.page.evaluate("document.querySelector('details [id]').id")
    v.page.evaluate("document.querySelectorAll('details').forEach(d => d.open = false)")
    v.page.evaluate("id => location.hash = id", inner)
    v.page.wait_for_function("id => !document.getElementById(id).closest('details:not([open])')", arg=inner)
    assert v.page.locator(f'[id="{inner}"]').is_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_printed_page_contains_the_collapsed_answers(base_url, visit, tmp_path, javascript):
    v = visit(javascript=javascript)
    v.page.goto(base_url + DIAGRAM_PAGE)
    short = v.page.locator("details.success p").first.text_content().strip()
    assert v.page.locator("details[open]").count() == 0
    text = pdf_text(v.page.pdf(), tmp_path)
    flat = "".join(text.split())
    assert "".join(short.split())[:40] in flat


def test_phone_width_has_no_horizontal_scroll(base_url, visit):
    v = visit(viewport={"width": 360, "height": 740})
    for rel in ("", DIAGRAM_PAGE, "training/layernorm-vs-batchnorm/", "flashcards/"):
        v.page.goto(base_url + rel)
        open_all_answers(v.page)
        v.page.wait_for_timeout(300)
        width = v.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{rel}: page is {width}px wide"


def test_glossary_meanings_are_on_screen_on_a_phone(base_url, visit):
    v = visit(viewport={"width": 390, "height": 800})
    for rel in ("glossary/", "en/glossary/"):
        v.page.goto(base_url + rel)
        cells = v.page.evaluate("""() => [...document.querySelectorAll('article table tbody tr')].map(r => {
            const cell = r.lastElementChild, box = cell.getBoundingClientRect();
            return {left: box.left, right: box.right, size: parseFloat(getComputedStyle(cell).fontSize)};
        })""")
        assert len(cells) > 200
        off = [c for c in cells if c["left"] < 0 or c["right"] > 390 or c["size"] < 12]
        assert off == [], f"{rel}: {len(off)} meanings off-screen or too small, e.g. {off[0]}"
        assert v.page.evaluate("document.documentElement.scrollWidth") <= 390


# WCAG contrast of each visible, enabled text on the page against the colours painted behind it
# (backgrounds of its ancestors, composited); large text needs 3:1, other text 4.5:1.
LOW_CONTRAST = """() => {
    const rgba = c => { const v = c.match(/[\\d.]+/g).map(Number); return [v[0], v[1], v[2], v[3] ?? 1]; };
    const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
    const lum = c => c.slice(0, 3).map(v => (v /= 255) <= .03928 ? v / 12.92 : ((v + .055) / 1.055) ** 2.4)
        .reduce((sum, v, i) => sum + v * [.2126, .7152, .0722][i], 0);
    const low = [];
    for (const el of document.querySelectorAll('body *')) {
        if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
        if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true}) || el.closest(':disabled')) continue;
        let behind = [255, 255, 255, 1], opacity = 1;
        const layers = [];
        for (let e = el; e; e = e.parentElement) {
            opacity *= parseFloat(getComputedStyle(e).opacity);
            const c = rgba(getComputedStyle(e).backgroundColor);
            if (c[3] > 0 && !layers.some(l => l[3] === 1)) layers.push(c);
        }
        for (const c of layers.reverse()) behind = over(c, behind);
        const style = getComputedStyle(el), text = rgba(style.color);
        const fg = over([...over(text, behind).slice(0, 3), opacity], behind);
        const [hi, lo] = [lum(fg), lum(behind)].sort((a, b) => b - a);
        const size = parseFloat(style.fontSize), large = size >= 24 || (size >= 18.66 && style.fontWeight >= 700);
        const ratio = (hi + .05) / (lo + .05);
        if (ratio < (large ? 3 : 4.5)) low.push(`${ratio.toFixed(2)}: ${el.textContent.trim().slice(0, 30)}`);
    }
    return low;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_quiz_text_has_aa_contrast(base_url, visit, scheme):
    """A quiz answered to the end, 30 % wrong: the feedback on right and wrong answers, the
    reset buttons, the progress and the final (middling) score all meet AA."""
    v = visit(color_scheme=scheme)
    v.page.goto(base_url + "transformer/quiz/")
    quizzes = v.page.locator(".quiz").all()
    for i, quiz in enumerate(quizzes):
        right = i >= round(len(quizzes) * .3)
        blanks = quiz.locator("input.quiz-blank-input").all()
        for blank in blanks:
            blank.fill(blank.get_attribute("data-answer") if right else "?")
        if not blanks:
            choices = quiz.locator("input[data-correct]" if right else "input:not([data-correct])").all()
            for choice in choices[:1] if quiz.locator("input[type=radio]").count() else choices:
                choice.check()
        submit = quiz.locator("button.quiz-button:visible")
        if submit.count():
            submit.click()
    v.page.locator(".quiz-results-score-average").wait_for()
    assert v.page.evaluate(LOW_CONTRAST) == []


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
