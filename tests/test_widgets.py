"""The two widgets: their JavaScript math against tests/widget_reference.py, and what the pages show.

Three layers: the reference agrees with the published configs and with the worked examples
written in the pages (the no-JS fallback); the JavaScript functions return the reference's
numbers for a table of cases; and setting the controls in real Chromium displays them.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from tests.widget_reference import (
    GB,
    GIB,
    GPU_CASES,
    GPU_CONFIGS,
    GPU_PRESETS,
    SAMPLING_CASES,
    SAMPLING_PRESETS,
    count_params,
    fixed,
    gpu_memory,
    group,
    lora_params,
    resolve_gpu_case,
    sample_counts,
    sampling,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLING_PAGE = "decoding/sampling-playground/"
GPU_PAGE = "inference/gpu-memory-calculator/"
STAGES = ("topk", "topp", "minp")
PARTS = ("weights", "gradients", "optimizer", "kv_cache", "total")
JS_PARTS = {"weights": "weights", "gradients": "gradients", "optimizer": "optimizer",
            "kv_cache": "kvCache", "total": "total"}


# ---- the reference itself ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GPU_PRESETS))
def test_presets_follow_from_the_published_configs(name):
    hidden, inter, layers, heads, kv_heads, vocab, bias = GPU_CONFIGS[name]
    params, p_layers, p_kv, p_head_dim, adapter = GPU_PRESETS[name]
    assert count_params(hidden, inter, layers, heads, kv_heads, vocab, bias) == params
    assert (p_layers, p_kv, p_head_dim) == (layers, kv_heads, hidden // heads)
    assert lora_params(hidden, inter, layers, heads, kv_heads, 16) == adapter


def test_reference_matches_the_chapter_formulas():
    # the chapter's own examples: Llama 2 7B KV cache = 2 GiB; 16 bytes/param for AdamW
    m = gpu_memory(6_738_415_616, "bf16", "inference", 0, 32, 32, 128, 4096, 1, "bf16")
    assert m["kv_cache"] == 2 * GIB
    m = gpu_memory(7_000_000_000, "bf16", "full", 0, 1, 1, 1, 1, 1, "bf16")
    assert m["total"] == 112 * GB
    assert gpu_memory(10, "int4", "inference", 0, 1, 1, 1, 1, 1, "int4")["weights"] == 5
    assert gpu_memory(10, "fp32", "qlora", 2, 1, 1, 1, 1, 1, "bf16")["total"] == 5 + 16 * 2


def test_sampling_reference_edge_cases():
    coin = SAMPLING_PRESETS[3][2]
    assert sampling(coin, 0, 0, 1, 0)["final"][:2] == [0.5, 0.5]  # T → 0 splits tied maxima
    assert sampling(coin, 1, 1, 1, 0)["kept"]["topk"] == 2  # top-k keeps ties at the k-th place
    assert sampling(coin, 1, 0, 0.3, 0)["kept"]["topp"] == 1  # top-p splits a tie
    assert sampling(coin, 0.8, 0, 1, 1.0)["kept"]["minp"] == 2  # min-p = 1 keeps tied maxima
    r = sampling(SAMPLING_PRESETS[0][2], 1, 0, 1, 0)
    assert r["final"] == r["temp"] and math.isclose(sum(r["final"]), 1)
    assert sampling(SAMPLING_PRESETS[0][2], 1, 0, 0, 0)["kept"]["topp"] == 1
    assert sum(sample_counts(r["final"], 42)) == 100


def page_text(rel: str) -> str:
    return (ROOT / "docs" / rel).read_text(encoding="utf-8")


def test_sampling_worked_example_in_the_page_matches_the_reference():
    """The no-JS fallback table is the widget's default state, computed by the reference."""
    text = page_text("decoding/sampling-playground.md")
    tokens, logits = SAMPLING_PRESETS[0][1], SAMPLING_PRESETS[0][2]
    r = sampling(logits, 1.0, 6, 0.95, 0.15)
    mark = {"kept": "✓", "removed": "✗", "gone": "·"}
    for i, tok in enumerate(tokens):
        row = re.search(rf"^\| {tok} \|(.*)\|$", text, re.M)
        assert row, tok
        cells = [c.strip() for c in row.group(1).split("|")]
        assert cells[1] == fixed(r["temp"][i], 3)
        assert cells[3:6] == [mark[r["status"][s][i]] for s in STAGES]
        assert cells[6] == (fixed(r["final"][i], 3) if r["final"][i] else "0")
    assert f"$H\\approx{fixed(r['entropy_final'], 3)}$ nats" in text
    assert f"{fixed(r['entropy_final'] / math.log(2), 3)} bits" in text
    assert f"过滤前的熵是 {fixed(r['entropy_temp'], 3)} nats" in text
    counts = sample_counts(r["final"], 42)
    said = "、".join(f"「{tokens[i]}」{c} 次" for i, c in enumerate(counts) if c)
    assert said in text


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_gpu_worked_examples_in_the_page_match_the_reference(index):
    text = page_text("inference/gpu-memory-calculator.md")
    case = resolve_gpu_case(GPU_CASES[index])
    case.pop("preset")
    total = gpu_memory(**case)["total"]
    assert f"{fixed(total / GB, 2)} GB（{fixed(total / GIB, 2)} GiB）" in text


# ---- the JavaScript math ----------------------------------------------------------------------


@pytest.fixture
def sampling_page(base_url, visit):
    v = visit()
    v.page.goto(base_url + SAMPLING_PAGE)
    v.page.wait_for_selector(".smp-table tbody tr")
    yield v
    assert v.errors == []
    assert v.third_party == []
    assert v.unexpected_404s() == []


@pytest.fixture
def gpu_page(base_url, visit):
    v = visit()
    v.page.goto(base_url + GPU_PAGE)
    v.page.wait_for_selector(".gpu-table tbody tr")
    yield v
    assert v.errors == []
    assert v.third_party == []
    assert v.unexpected_404s() == []


def test_js_presets_are_the_reference_presets(sampling_page):
    presets = sampling_page.page.evaluate("window.handbook.sampling.presets")
    assert [(p["prompt"], p["tokens"], p["logits"]) for p in presets] == [
        (prompt, tokens, logits) for prompt, tokens, logits in SAMPLING_PRESETS]


def test_js_sampling_math_matches_the_reference(sampling_page):
    for preset, t, k, p, m, seed in SAMPLING_CASES:
        logits = SAMPLING_PRESETS[preset][2]
        ref = sampling(logits, t, k, p, m)
        js = sampling_page.page.evaluate(
            """([l, t, k, p, m, seed]) => {
                const w = window.handbook.sampling, r = w.compute(l, t, k, p, m);
                r.counts = w.sampleCounts(r.final, seed, 100);
                return r;
            }""", [logits, t, k, p, m, seed])
        case = (preset, t, k, p, m)
        assert js["greedy"] == ref["greedy"], case
        assert js["status"] == ref["status"], case
        assert js["kept"] == ref["kept"], case
        for key in ("temp", "final"):
            assert js[key] == pytest.approx(ref[key], abs=1e-12), (case, key)
        assert js["entropyTemp"] == pytest.approx(ref["entropy_temp"], abs=1e-12), case
        assert js["entropyFinal"] == pytest.approx(ref["entropy_final"], abs=1e-12), case
        assert js["counts"] == sample_counts(ref["final"], seed), case


def test_js_mulberry32_is_bit_exact(sampling_page):
    from tests.widget_reference import mulberry32

    for seed in (0, 1, 42, 2**31, 2**32 - 1):
        js = sampling_page.page.evaluate(
            "s => { const r = window.handbook.sampling.mulberry32(s);"
            " return Array.from({length: 20}, () => r()); }", seed)
        gen = mulberry32(seed)
        assert js == [next(gen) for _ in range(20)]


def test_js_gpu_math_matches_the_reference(gpu_page):
    for raw in GPU_CASES:
        case = resolve_gpu_case(raw)
        case.pop("preset")
        ref = gpu_memory(**case)
        js = gpu_page.page.evaluate(
            "c => window.handbook.gpuMemory.compute(c)",
            {"params": case["params"], "precision": case["precision"], "mode": case["mode"],
             "adapter": case["adapter"], "layers": case["layers"], "kvHeads": case["kv_heads"],
             "headDim": case["head_dim"], "seqLen": case["seq_len"], "batch": case["batch"],
             "kvPrecision": case["kv_precision"]})
        assert {p: js[JS_PARTS[p]] for p in PARTS} == ref, raw
    presets = gpu_page.page.evaluate("window.handbook.gpuMemory.presets")
    assert {k: (p["params"], p["layers"], p["kvHeads"], p["headDim"], p["adapter"])
            for k, p in presets.items()} == GPU_PRESETS


# ---- what the pages show when the controls are set --------------------------------------------


def set_range(page, selector: str, value: float) -> None:
    got = page.evaluate(
        """([sel, v]) => { const el = document.querySelector(sel); el.value = String(v);
             el.dispatchEvent(new Event('input', {bubbles: true})); return parseFloat(el.value); }""",
        [selector, value])
    assert got == value, (selector, value, got)


def shown_sampling(page) -> dict:
    return page.evaluate("""() => {
        const rows = [...document.querySelectorAll('.smp-table tbody tr')];
        const q = (s) => document.querySelector(s).textContent;
        return {
          temp: rows.map(r => r.querySelector('.smp-temp').textContent),
          final: rows.map(r => r.querySelector('.smp-final').textContent),
          counts: rows.map(r => r.querySelector('.smp-count').textContent),
          status: Object.fromEntries(['topk', 'topp', 'minp'].map(s =>
            [s, rows.map(r => r.querySelector('.smp-' + s).dataset.status)])),
          hFinal: q('.smp-h-final'), hBits: q('.smp-h-final-bits'), hTemp: q('.smp-h-temp'),
        };
    }""")


def test_sampling_page_shows_the_reference_for_every_case(sampling_page):
    page = sampling_page.page
    for preset, t, k, p, m, seed in SAMPLING_CASES:
        page.select_option("#smp-preset", str(preset))
        set_range(page, "#smp-t", t)
        set_range(page, "#smp-k", k)
        set_range(page, "#smp-p", p)
        set_range(page, "#smp-minp", m)
        ref = sampling(SAMPLING_PRESETS[preset][2], t, k, p, m)
        shown = shown_sampling(page)
        case = (preset, t, k, p, m)
        assert shown["temp"] == [fixed(x, 3) for x in ref["temp"]], case
        assert shown["final"] == [fixed(x, 3) for x in ref["final"]], case
        expected = {s: ["skipped"] * len(ref["temp"]) for s in STAGES} if ref["greedy"] \
            else ref["status"]
        assert shown["status"] == expected, case
        assert shown["hFinal"] == fixed(ref["entropy_final"], 3), case
        assert shown["hBits"] == fixed(ref["entropy_final"] / math.log(2), 3), case
        assert shown["hTemp"] == fixed(ref["entropy_temp"], 3), case
        assert shown["counts"] == ["—"] * len(ref["temp"]), case  # stale counts are cleared
        page.fill("#smp-seed", str(seed))
        page.click("#smp-sample")
        counts = sample_counts(ref["final"], seed)
        assert shown_sampling(page)["counts"] == [str(c) for c in counts], case
        assert page.input_value("#smp-seed") == str(seed + 1)
        assert f"种子 {seed} 的 100 次采样" in page.text_content("#smp-result")


def test_sampling_default_state_is_the_worked_example(sampling_page):
    page = sampling_page.page
    ref = sampling(SAMPLING_PRESETS[0][2], 1.0, 6, 0.95, 0.15)
    shown = shown_sampling(page)
    assert shown["final"] == [fixed(x, 3) for x in ref["final"]]
    assert shown["status"] == ref["status"]
    page.click("#smp-sample")  # default seed 42, as the page's worked example says
    assert shown_sampling(page)["counts"] == [str(c) for c in sample_counts(ref["final"], 42)]


def test_sampling_controls_work_by_keyboard_and_logits_are_editable(sampling_page):
    page = sampling_page.page
    page.focus("#smp-t")
    page.keyboard.press("ArrowRight")
    assert page.input_value("#smp-t") == "1.05"
    assert page.text_content("#smp-t-out") == "1.05"
    assert page.get_attribute("#smp-t", "aria-valuetext") == "1.05"
    page.keyboard.press("Home")
    assert page.text_content("#smp-t-out") == "0（贪心）"
    logits = list(SAMPLING_PRESETS[0][2])
    logits[9] = 5.0  # 香蕉 becomes the favourite
    page.fill(".smp-table tbody tr:nth-child(10) .smp-logit", "5")
    ref = sampling(logits, 0, 6, 0.95, 0.15)
    assert shown_sampling(page)["final"] == [fixed(x, 3) for x in ref["final"]]
    page.fill(".smp-table tbody tr:nth-child(10) .smp-logit", "")
    assert page.get_attribute(".smp-table tbody tr:nth-child(10) .smp-logit",
                              "aria-invalid") == "true"


def set_gpu(page, case: dict) -> None:
    page.check("#gpu-mode-inference")  # every control enabled while they are set
    if case["preset"]:
        page.select_option("#gpu-preset", case["preset"])
    else:
        page.select_option("#gpu-preset", "custom")
        page.fill("#gpu-params", repr(case["params"] / 1e9))
        page.fill("#gpu-layers", str(case["layers"]))
        page.fill("#gpu-kv-heads", str(case["kv_heads"]))
        page.fill("#gpu-head-dim", str(case["head_dim"]))
    page.select_option("#gpu-precision", case["precision"])
    page.fill("#gpu-seq", str(case["seq_len"]))
    page.fill("#gpu-batch", str(case["batch"]))
    page.select_option("#gpu-kv-precision", case["kv_precision"])
    page.check(f"#gpu-mode-{case['mode']}")
    if case["mode"] in ("lora", "qlora"):
        page.fill("#gpu-adapter", repr(case["adapter"] / 1e6))


def test_gpu_page_shows_the_reference_for_every_case(gpu_page):
    page = gpu_page.page
    for raw in GPU_CASES:
        case = resolve_gpu_case(raw)
        set_gpu(page, case)
        args = {k: v for k, v in case.items() if k != "preset"}
        ref = gpu_memory(**args)
        rows = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
            '.gpu-table tbody tr')].map(r => [r.dataset.part, [r.querySelector('.gpu-formula')
            .textContent, r.querySelector('.gpu-gb').textContent,
            r.querySelector('.gpu-gib').textContent]]))""")
        for part in PARTS:
            formula, gb, gib = rows[JS_PARTS[part]]
            assert (gb, gib) == (fixed(ref[part] / GB, 2), fixed(ref[part] / GIB, 2)), (raw, part)
            if ref[part] or part == "total":
                assert formula.endswith(f"= {group(ref[part])} B"), (raw, part, formula)
            else:
                assert formula.endswith("（0 B）"), (raw, part, formula)
        total = page.text_content(".gpu-total")
        assert f"{fixed(ref['total'] / GB, 2)} GB（{fixed(ref['total'] / GIB, 2)} GiB）" in total


def test_gpu_controls_follow_the_mode(gpu_page):
    page = gpu_page.page
    assert page.is_enabled("#gpu-precision") and page.is_disabled("#gpu-adapter")
    page.check("#gpu-mode-full")
    assert page.is_disabled("#gpu-precision") and page.is_disabled("#gpu-seq")
    page.check("#gpu-mode-qlora")
    assert page.is_disabled("#gpu-precision") and page.is_enabled("#gpu-adapter")
    page.check("#gpu-mode-lora")
    assert page.is_enabled("#gpu-precision")
    page.fill("#gpu-params", "7")  # editing the model makes the preset a custom one
    assert page.input_value("#gpu-preset") == "custom"
    page.fill("#gpu-params", "-3")
    assert page.get_attribute("#gpu-params", "aria-invalid") == "true"
    # a bad value is reported where the total stands, not silently ignored
    assert "输入无效" in page.locator(".gpu-total, [data-hbw='gpu-memory']").first.inner_text()
    page.fill("#gpu-params", "7")
    assert "输入无效" not in page.locator("[data-hbw='gpu-memory']").inner_text()


# ---- accessibility, phone, dark mode, no-JS and print -----------------------------------------


@pytest.mark.parametrize("rel", [SAMPLING_PAGE, GPU_PAGE])
def test_every_control_has_a_label(base_url, visit, rel):
    v = visit()
    v.page.goto(base_url + rel)
    v.page.wait_for_selector(".hbw[data-ready]")
    unlabeled = v.page.evaluate("""() => [...document.querySelectorAll(
        '.hbw input, .hbw select, .hbw button')].filter(el => !(
        (el.labels && el.labels.length && el.labels[0].textContent.trim()) ||
        el.getAttribute('aria-label') || (el.tagName === 'BUTTON' && el.textContent.trim())))
        .map(el => el.outerHTML)""")
    assert unlabeled == []
    assert v.page.locator(".hbw [aria-live]").count() >= 1


@pytest.mark.parametrize("rel", [SAMPLING_PAGE, GPU_PAGE])
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_widget_fits_a_360px_phone_in_both_schemes(base_url, visit, rel, scheme):
    v = visit(viewport={"width": 360, "height": 740})
    v.page.goto(base_url + rel)
    v.page.wait_for_selector(".hbw[data-ready]")
    v.page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    sizes = v.page.evaluate("""() => ({page: document.documentElement.scrollWidth,
        widget: document.querySelector('.hbw').scrollWidth,
        box: document.querySelector('.hbw').clientWidth,
        table: document.querySelector('.hbw-scroll').scrollWidth,
        scroll: document.querySelector('.hbw-scroll').clientWidth})""")
    assert sizes["page"] <= 360
    assert sizes["widget"] <= sizes["box"]
    assert sizes["table"] <= sizes["scroll"] + 1, "the table should fit without scrolling"
    colors = v.page.evaluate("""() => { const s = getComputedStyle(document.querySelector('.hbw td'));
        return [s.color, getComputedStyle(document.body).backgroundColor]; }""")
    assert colors[0] != colors[1]
    assert v.errors == []


@pytest.mark.parametrize("rel,example", [
    (SAMPLING_PAGE, "top-k 后重新归一化"), (GPU_PAGE, "15.62 GB（14.55 GiB）")])
def test_without_javascript_and_in_print_the_formulas_and_example_remain(
        base_url, visit, rel, example):
    v = visit(javascript=False)
    v.page.goto(base_url + rel)
    assert v.page.locator(".hbw-nojs").is_visible()
    assert example in v.page.text_content("article")
    v2 = visit()
    v2.page.goto(base_url + rel)
    v2.page.wait_for_selector(".hbw[data-ready]")
    v2.page.emulate_media(media="print")
    assert not v2.page.locator(".hbw").is_visible()
    assert v2.page.locator("#worked-example, #worked-examples").first.is_visible()
    assert v2.page.locator(".arithmatex").count() > 0


def test_widget_pages_are_linked_from_their_chapters(site):
    for chapter, target in [("decoding", "sampling-playground/"),
                            ("inference", "gpu-memory-calculator/"),
                            ("distributed", "inference/gpu-memory-calculator/")]:
        html = (site / chapter / "index.html").read_text(encoding="utf-8")
        assert target in html, chapter
