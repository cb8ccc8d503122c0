"""Printing one page from the browser (the print section of extra.css): answers expanded with or without JavaScript,
controls hidden, nothing wider than the sheet."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

PAGE = "training/layernorm-vs-batchnorm/"
DIAGRAM_PAGE = "transformer/transformer-architecture/"
MATH_PAGE = "position-encoding/absolute-positional-encoding/"  # long display formulas


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_printed_page_shows_every_answer(base_url, visit, tmp_path, javascript):
    v = visit(javascript=javascript)
    v.page.goto(base_url + PAGE, wait_until="networkidle")
    answers = v.page.locator("details.success")
    assert answers.count() >= 2
    # the last paragraph of every answer, deep inside the collapsed block
    deep = [
        "".join(answers.nth(i).locator(":scope > p").last.text_content().split())[:30]
        for i in range(answers.count())
    ]
    assert v.page.locator("details[open]").count() == 0
    text = "".join(pdf_text(v.page.pdf(), tmp_path).split())
    for piece in deep:
        assert piece in text


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_print_hides_controls_and_fits_the_sheet(base_url, visit, javascript):
    v = visit(javascript=javascript, viewport={"width": 700, "height": 1000})
    v.page.goto(base_url + PAGE, wait_until="networkidle")
    v.page.emulate_media(media="print")
    hidden = v.page.evaluate("""() => [".md-header", ".md-sidebar--primary", ".md-search",
        ".md-footer", ".md-top", "summary::after"].filter(s => {
          if (s.includes("::")) return false;
          const el = document.querySelector(s);
          return el && getComputedStyle(el).display !== "none";
        })""")
    assert hidden == []
    width = v.page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1]


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_page_printed_right_after_load_shows_typeset_formulas(base_url, visit, tmp_path,
                                                               javascript):
    """Printed at the load event, on a slow network: no time to typeset, and KaTeX's fonts
    hide text until they arrive, so the fonts formulas use must come with the page."""
    v = visit(javascript=javascript)

    def slow_font(route):
        time.sleep(1)
        route.continue_()

    v.page.route("**/katex/fonts/*", slow_font)
    v.page.goto(base_url + MATH_PAGE)
    text = pdf_text(v.page.pdf(), tmp_path)
    assert "SelfAttn(P X) = P SelfAttn(X)" in text  # \mathrm{SelfAttn}(PX)=P\,\mathrm{SelfAttn}(X)
    raw = [line for line in text.splitlines() if re.search(r"\\[()\[\]]|\$\$|\\[a-z]{3,}", line)]
    assert raw == []


def test_long_display_formulas_fit_the_sheet(base_url, visit):
    """At the width of an A4 text column, a display formula breaks lines instead of being cut."""
    v = visit(javascript=False, viewport={"width": 700, "height": 1000})
    v.page.goto(base_url + MATH_PAGE, wait_until="networkidle")
    v.page.emulate_media(media="print")
    sizes = v.page.eval_on_selector_all(
        ".katex-display", "es => es.map(e => [e.scrollWidth, e.getBoundingClientRect().width])")
    assert len(sizes) >= 5
    assert [s for s in sizes if s[0] > s[1] + 1] == []
    width = v.page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1]


def test_question_blocks_start_a_new_sheet(base_url, visit):
    v = visit()
    v.page.goto(base_url + PAGE)
    v.page.emulate_media(media="print")
    breaks = v.page.evaluate("""() => [...document.querySelectorAll("h2[data-difficulty]")]
        .map(h => getComputedStyle(h).breakBefore)""")
    assert len(breaks) >= 2
    assert breaks[0] == "auto" and set(breaks[1:]) == {"page"}


def test_flashcard_page_prints_the_plain_list(base_url, visit, tmp_path):
    v = visit()
    v.page.goto(base_url + "flashcards/", wait_until="networkidle")
    v.page.emulate_media(media="print")
    shown = v.page.evaluate("""() => ["fc-app", "fc-downloads"].map(c => {
        const el = document.querySelector("." + c);
        return el ? getComputedStyle(el).display : "none"; })""")
    assert shown == ["none", "none"]
    assert v.page.locator(".fc-list .fc-back").first.is_visible()


def longest_dark_run(pdf: bytes, tmp_path: Path) -> int:
    """The longest horizontal run of dark pixels, three pixels tall, on any sheet rendered at
    30 dpi in grey: glyphs and underlined links make short or one-pixel-thin runs; a dark box
    (a diagram in dark colours) long, tall ones."""
    (tmp_path / "page.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(tmp_path / "page.pdf"), str(tmp_path / "sheet")],
                   check=True)
    longest = 0
    for sheet in tmp_path.glob("sheet*.pgm"):
        _magic, size, _maxval, pixels = sheet.read_bytes().split(b"\n", 3)
        width = int(size.split()[0])
        rows = [pixels[y:y + width] for y in range(0, len(pixels) - width + 1, width)]
        for above, row, below in zip(rows, rows[1:], rows[2:], strict=False):
            run = 0
            for x in range(width):
                run = run + 1 if max(above[x], row[x], below[x]) < 100 else 0
                longest = max(longest, run)
    return longest


def test_diagram_prints_drawn_right_after_load(base_url, visit, tmp_path):
    v = visit()
    v.page.goto(base_url + DIAGRAM_PAGE)
    source = v.page.locator("pre.diagram").first.text_content()
    assert "flowchart" in source and "-->" in source  # not drawn yet: its answer is closed
    text = pdf_text(v.page.pdf(), tmp_path)
    assert "flowchart" not in text and "-->" not in text
    assert "目标序列" in text  # a label of the drawn diagram
    assert v.errors == []


def test_diagram_prints_light_from_dark_mode(base_url, visit, tmp_path):
    v = visit(color_scheme="dark")
    v.page.goto(base_url + DIAGRAM_PAGE)
    v.page.locator("details.success summary").first.click()
    v.page.wait_for_selector("pre.diagram--rendered svg", timeout=15000)
    run = longest_dark_run(v.page.pdf(), tmp_path)
    assert run < 25, f"a dark box {run} px (at 30 dpi) wide on paper"  # 25 px: about 2 cm
    # and the screen gets its dark diagram back
    v.page.wait_for_function("document.querySelector('pre.diagram').dataset.theme === 'dark'")
