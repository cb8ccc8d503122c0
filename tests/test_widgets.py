"""The two widgets: their JavaScript math against tests/widget_reference.py, and what the pages show.

Three layers: the reference agrees with the published configs and with the worked examples
written in the pages (the no-JS fallback); the JavaScript functions return the reference's
numbers for a table of cases; and setting the controls in real Chromium displays them, on the
Chinese pages and on the English ones.
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
    GPU_MLA_CONFIGS,
    GPU_PRESETS,
    SAMPLING_CASES,
    SAMPLING_LOGITS,
    SAMPLING_PRESETS,
    TIMES,
    amount,
    count_mla_moe_params,
    count_params,
    embed_params,
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
PARTS = ("weights", "embed16", "gradients", "optimizer", "kv_cache", "total")
JS_PARTS = {"weights": "weights", "embed16": "embed16", "gradients": "gradients",
            "optimizer": "optimizer", "kv_cache": "kvCache", "total": "total"}
LANGS = ("zh", "en")
PREFIX = {"zh": "", "en": "en/"}
HAN = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")  # Chinese characters and punctuation


# ---- the reference itself ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GPU_CONFIGS))
def test_presets_follow_from_the_published_configs(name):
    hidden, inter, layers, heads, kv_heads, vocab, bias, tied = GPU_CONFIGS[name]
    params, p_layers, p_kv, p_head_dim, adapter, embed, kv_lora, rope = GPU_PRESETS[name]
    assert (kv_lora, rope) == (0, 0)
    assert count_params(hidden, inter, layers, heads, kv_heads, vocab, bias, tied) == params
    assert (p_layers, p_kv, p_head_dim) == (layers, kv_heads, hidden // heads)
    assert lora_params(hidden, inter, layers, heads, kv_heads, 16) == adapter
    assert embed_params(hidden, vocab, tied) == embed


@pytest.mark.parametrize("name", sorted(GPU_MLA_CONFIGS))
def test_mla_presets_follow_from_the_published_configs(name):
    """DeepSeek-V2 236B and V3 671B total parameters, as their papers state, from the configs."""
    cfg = GPU_MLA_CONFIGS[name]
    hidden, layers, heads, vocab, kv_lora, rope, v_dim = (cfg[0], cfg[3], cfg[5], cfg[8], cfg[10],
                                                          cfg[12], cfg[13])
    assert GPU_PRESETS[name] == (count_mla_moe_params(*cfg), layers, heads, v_dim, 0,
                                 embed_params(hidden, vocab, False), kv_lora, rope)
    assert round(GPU_PRESETS[name][0] / 1e9) == {"deepseek-v2": 236, "deepseek-v3": 671}[name]
    assert set(GPU_PRESETS) == set(GPU_CONFIGS) | set(GPU_MLA_CONFIGS)


def test_reference_matches_the_chapter_formulas():
    # the chapter's own examples: Llama 2 7B KV cache = 2 GiB; 16 bytes/param for AdamW
    m = gpu_memory(6_738_415_616, "bf16", "inference", 0, 32, 32, 128, 4096, 1, "bf16", 0)
    assert m["kv_cache"] == 2 * GIB
    m = gpu_memory(7_000_000_000, "bf16", "full", 0, 1, 1, 1, 1, 1, "bf16", 4)
    assert m["total"] == 112 * GB
    assert gpu_memory(10, "int4", "inference", 0, 1, 1, 1, 1, 1, "int4", 0)["weights"] == 5
    assert gpu_memory(10, "fp32", "qlora", 2, 1, 1, 1, 1, 1, "bf16", 0)["total"] == 5 + 16 * 2
    # below 16 bits the embeddings and output layer (E of the P parameters) stay at 2 bytes
    m = gpu_memory(10, "fp32", "qlora", 2, 1, 1, 1, 1, 1, "bf16", 4)
    assert (m["weights"], m["embed16"], m["total"]) == (6 * 0.5 + 4 * 2 + 2 * 2, 8, 43)
    assert gpu_memory(10, "int8", "lora", 0, 1, 1, 1, 1, 1, "bf16", 4)["weights"] == 6 + 8
    assert gpu_memory(10, "bf16", "inference", 0, 1, 1, 1, 1, 1, "bf16", 4)["embed16"] == 0
    # MLA (DeepSeek-V2, inference/mqa-gqa-mla.md): 60 * (512 + 64) * 2 B = 69,120 B = 67.5 KiB/token
    m = gpu_memory(0, "bf16", "inference", 0, 60, 128, 128, 1, 1, "bf16", 0, "mla", 512, 64)
    assert m["kv_cache"] == 69_120 == 67.5 * 1024


def test_qlora_llama3_8b_keeps_embeddings_and_lm_head_in_16_bits():
    """The figure the page quotes: 1.58 GB more than an all-NF4 count (4.69 GB → 6.26 GB)."""
    case = resolve_gpu_case(GPU_CASES[2])
    assert (case["preset"], case["mode"]) == ("llama3-8b", "qlora")
    case.pop("preset")
    m = gpu_memory(**case)
    all_nf4 = gpu_memory(**{**case, "embed": 0})
    assert case["embed"] == 2 * 128_256 * 4096  # untied: input embeddings + lm_head
    assert m["total"] - all_nf4["total"] == 1_576_009_728
    assert (fixed(all_nf4["total"] / GB, 2), fixed(m["total"] / GB, 2)) == ("4.69", "6.26")


def test_sampling_reference_edge_cases():
    coin = SAMPLING_LOGITS[3]
    assert sampling(coin, 0, 0, 1, 0)["final"][:2] == [0.5, 0.5]  # T → 0 splits tied maxima
    assert sampling(coin, 1, 1, 1, 0)["kept"]["topk"] == 2  # top-k keeps ties at the k-th place
    assert sampling(coin, 1, 0, 0.3, 0)["kept"]["topp"] == 1  # top-p splits a tie
    assert sampling(coin, 0.8, 0, 1, 1.0)["kept"]["minp"] == 2  # min-p = 1 keeps tied maxima
    r = sampling(SAMPLING_LOGITS[0], 1, 0, 1, 0)
    assert r["final"] == r["temp"] and math.isclose(sum(r["final"]), 1)
    assert sampling(SAMPLING_LOGITS[0], 1, 0, 0, 0)["kept"]["topp"] == 1
    assert sum(sample_counts(r["final"], 42)) == 100


def page_text(rel: str) -> str:
    return (ROOT / "docs" / rel).read_text(encoding="utf-8")


def page_file(rel: str, lang: str) -> str:
    return rel if lang == "zh" else rel.replace(".md", ".en.md")


@pytest.mark.parametrize("lang", LANGS)
def test_sampling_worked_example_in_the_page_matches_the_reference(lang):
    """The no-JS fallback table is the widget's default state, computed by the reference."""
    text = page_text(page_file("decoding/sampling-playground.md", lang))
    _, tokens, logits = SAMPLING_PRESETS[lang][0]
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
    counts = sample_counts(r["final"], 42)
    if lang == "zh":
        assert f"过滤前的熵是 {fixed(r['entropy_temp'], 3)} nats" in text
        said = "、".join(f"「{tokens[i]}」{c} 次" for i, c in enumerate(counts) if c)
    else:
        assert f"before the filters is {fixed(r['entropy_temp'], 3)} nats" in text
        said = ", ".join(f'"{tokens[i]}" {c} times' for i, c in enumerate(counts) if c)
    assert said in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("index", [0, 1, 2, 3, 12, 13])
def test_gpu_worked_examples_in_the_page_match_the_reference(index, lang):
    text = page_text(page_file("inference/gpu-memory-calculator.md", lang))
    case = resolve_gpu_case(GPU_CASES[index])
    case.pop("preset")
    m = gpu_memory(**case)
    form = "{} GB（{} GiB）" if lang == "zh" else "{} GB ({} GiB)"
    assert form.format(fixed(m["total"] / GB, 2), fixed(m["total"] / GIB, 2)) in text
    if m["embed16"]:  # the quantized examples say what the 16-bit embeddings and lm_head cost
        assert f"{group(m['embed16'])} + " in text or f"+ {group(m['embed16'])} " in text


@pytest.mark.parametrize("lang", LANGS)
def test_memory_estimation_question_quotes_the_calculator(lang):
    """The quantization chapter's memory-estimation table repeats calculator cases: same totals."""
    text = page_text(page_file("quantization/quantization-methods.md", lang))
    form = "{} GB（{} GiB）" if lang == "zh" else "{} GB ({} GiB)"
    for index in (0, 1, 2, 3, 12):
        case = resolve_gpu_case(GPU_CASES[index])
        case.pop("preset")
        m = gpu_memory(**case)
        assert form.format(fixed(m["total"] / GB, 2), fixed(m["total"] / GIB, 2)) in text, index


# ---- the JavaScript math ----------------------------------------------------------------------


def open_widget(visit, url: str, ready: str):
    v = visit()
    v.page.goto(url)
    v.page.wait_for_selector(ready)
    v.lang = v.page.evaluate("document.documentElement.lang")
    return v


@pytest.fixture(params=LANGS)
def sampling_page(request, base_url, visit):
    v = open_widget(visit, base_url + PREFIX[request.param] + SAMPLING_PAGE, ".smp-table tbody tr")
    assert v.lang == request.param
    yield v
    assert v.errors == []
    assert v.third_party == []
    assert v.unexpected_404s() == []


@pytest.fixture(params=LANGS)
def gpu_page(request, base_url, visit):
    v = open_widget(visit, base_url + PREFIX[request.param] + GPU_PAGE, ".gpu-table tbody tr")
    assert v.lang == request.param
    yield v
    assert v.errors == []
    assert v.third_party == []
    assert v.unexpected_404s() == []


def test_js_presets_are_the_reference_presets(sampling_page):
    presets = sampling_page.page.evaluate("window.handbook.sampling.presets")
    assert [(p["prompt"], p["tokens"], p["logits"]) for p in presets] == [
        (prompt, tokens, logits) for prompt, tokens, logits in SAMPLING_PRESETS[sampling_page.lang]]


def test_js_sampling_math_matches_the_reference(sampling_page):
    for preset, t, k, p, m, seed in SAMPLING_CASES:
        logits = SAMPLING_LOGITS[preset]
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
             "kvPrecision": case["kv_precision"], "embed": case["embed"],
             "attention": case["attention"], "kvLora": case["kv_lora"],
             "ropeDim": case["rope_dim"]})
        assert {p: js[JS_PARTS[p]] for p in PARTS} == ref, raw
    presets = gpu_page.page.evaluate("window.handbook.gpuMemory.presets")
    assert {k: (p["params"], p["layers"], p["kvHeads"], p["headDim"], p["adapter"], p["embed"],
                p["kvLora"], p["ropeDim"]) for k, p in presets.items()} == GPU_PRESETS


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
        ref = sampling(SAMPLING_LOGITS[preset], t, k, p, m)
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
        said = f"种子 {seed} 的 100 次采样" if sampling_page.lang == "zh" \
            else f"100 draws with seed {seed}:"
        assert said in page.text_content("#smp-result")


def test_sampling_default_state_is_the_worked_example(sampling_page):
    page = sampling_page.page
    ref = sampling(SAMPLING_LOGITS[0], 1.0, 6, 0.95, 0.15)
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
    assert page.text_content("#smp-t-out") == {"zh": "0（贪心）", "en": "0 (greedy)"}[
        sampling_page.lang]
    logits = list(SAMPLING_LOGITS[0])
    logits[9] = 5.0  # the banana becomes the favourite
    page.fill(".smp-table tbody tr:nth-child(10) .smp-logit", "5")
    ref = sampling(logits, 0, 6, 0.95, 0.15)
    assert shown_sampling(page)["final"] == [fixed(x, 3) for x in ref["final"]]


def test_an_emptied_logit_is_flagged_and_no_stale_numbers_are_shown(sampling_page):
    """Issue 19: emptying a logit field used to keep its last value silently."""
    page = sampling_page.page
    field = ".smp-table tbody tr:nth-child(2) .smp-logit"
    page.fill(field, "")
    assert page.get_attribute(field, "aria-invalid") == "true"
    token = SAMPLING_PRESETS[sampling_page.lang][0][1][1]
    message = page.locator("[data-hbw='sampling'] .hbw-error")
    assert message.is_visible()
    assert token in message.inner_text()
    assert page.get_attribute(field, "aria-describedby") == "smp-summary"  # read with the field
    shown = page.evaluate("""() => [...document.querySelectorAll('.smp-table tbody tr')].map(r =>
        [r.querySelector('.smp-temp').textContent, r.querySelector('.smp-final').textContent,
         ...['.smp-topk', '.smp-topp', '.smp-minp'].map(s => r.querySelector(s).dataset.status)])""")
    assert shown == [["—", "—", "none", "none", "none"]] * 10
    assert page.locator(".smp-h-final").count() == 0  # no entropy from the stale value either
    assert page.is_disabled("#smp-sample")
    page.fill(field, "-3")  # a valid value brings the results back, computed from it
    assert page.get_attribute(field, "aria-invalid") == "false"
    assert page.locator("[data-hbw='sampling'] .hbw-error").count() == 0
    logits = list(SAMPLING_LOGITS[0])
    logits[1] = -3.0
    ref = sampling(logits, 1.0, 6, 0.95, 0.15)
    assert shown_sampling(page)["final"] == [fixed(x, 3) for x in ref["final"]]
    assert page.is_enabled("#smp-sample")


def set_gpu(page, case: dict) -> None:
    page.check("#gpu-mode-inference")  # every control enabled while they are set
    if case["preset"]:
        page.select_option("#gpu-preset", case["preset"])
    else:
        page.select_option("#gpu-preset", "custom")
        page.select_option("#gpu-attention", case["attention"])
        page.fill("#gpu-params", repr(case["params"] / 1e9))
        page.fill("#gpu-embed", repr(case["embed"] / 1e6))
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
        zero, form = ("（0 B）", "{} GB（{} GiB）") if gpu_page.lang == "zh" \
            else (" (0 B)", "{} GB ({} GiB)")
        for part in PARTS:
            formula, gb, gib = rows[JS_PARTS[part]]
            assert (gb, gib) == (amount(ref[part] / GB, 2), amount(ref[part] / GIB, 2)), (raw, part)
            if ref[part] or part == "total":
                assert formula.endswith(f"= {group(ref[part])} B"), (raw, part, formula)
            else:
                assert formula.endswith(zero), (raw, part, formula)
        # the 16-bit embeddings row is shown exactly when the weights are quantized
        assert page.is_visible(".gpu-table [data-part='embed16']") == bool(ref["embed16"]), raw
        total = page.text_content(".gpu-total")
        assert form.format(amount(ref["total"] / GB, 2), amount(ref["total"] / GIB, 2)) in total


def test_mla_preset_caches_one_latent_per_token_and_layer(gpu_page):
    """DeepSeek-V2: 60 * (512 + 64) * 2 B = 69,120 B per token, the figure of the MLA question."""
    page = gpu_page.page
    page.check("#gpu-mode-inference")
    page.select_option("#gpu-preset", "deepseek-v2")
    page.fill("#gpu-seq", "1")
    page.select_option("#gpu-kv-precision", "bf16")
    kv = page.text_content(".gpu-table [data-part='kvCache'] .gpu-formula")
    assert kv.startswith(f"L {TIMES} (d_c + d_rope)") and kv.endswith(
        f"= 60 {TIMES} (512 + 64) {TIMES} 1 {TIMES} 1 {TIMES} 2 B (BF16) = 69,120 B"
        .replace(" (BF16)", "（BF16）" if gpu_page.lang == "zh" else " (BF16)")), kv
    assert page.is_disabled("#gpu-kv-heads") and page.is_enabled("#gpu-kv-lora")
    page.select_option("#gpu-attention", "gqa")  # the same model as MHA: 128 heads * 128 * 2
    assert page.input_value("#gpu-preset") == "custom"
    assert page.text_content(".gpu-table [data-part='kvCache'] .gpu-formula").endswith(
        "= 3,932,160 B")
    assert page.is_disabled("#gpu-kv-lora")


def test_huge_numbers_are_printed_in_scientific_notation(gpu_page):
    """Issue 19: 1e30 billion parameters printed as "1.0,000,…e+39"."""
    page = gpu_page.page
    page.select_option("#gpu-preset", "custom")
    page.fill("#gpu-params", "1e30")
    widget = page.locator("[data-hbw='gpu-memory']")
    text = widget.inner_text()
    assert "e+" not in text and ",000,000,000,000,000,000" not in text
    weights = page.text_content(".gpu-table [data-part='weights'] .gpu-formula")
    assert weights.endswith(f"= 1.0 {TIMES} 10³⁹ {TIMES} 2 B = 2.0 {TIMES} 10³⁹ B"), weights
    assert page.text_content(".gpu-table [data-part='total'] .gpu-gb") == f"2.0 {TIMES} 10³⁰"
    page.fill("#gpu-params", "1e300")  # beyond what a double holds: said, not printed as Infinity
    assert page.get_attribute("#gpu-params", "aria-invalid") == "true"
    assert "Infinity" not in widget.inner_text() and "NaN" not in widget.inner_text()
    assert page.locator("[data-hbw='gpu-memory'].hbw-stale").count() == 1


def test_qlora_shows_the_16_bit_embeddings_in_the_breakdown(gpu_page):
    page = gpu_page.page
    page.select_option("#gpu-preset", "llama3-8b")
    page.check("#gpu-mode-qlora")
    row = page.locator(".gpu-table [data-part='embed16']")
    assert row.is_visible()
    assert row.locator(".gpu-formula").inner_text() == \
        f"E {TIMES} 2 B = 1,050,673,152 {TIMES} 2 B = 2,101,346,304 B"
    assert row.locator(".gpu-gb").inner_text() == "2.10"
    assert page.text_content(".gpu-table [data-part='total'] .gpu-gb") == "6.26"
    assert "lm_head" in page.text_content(".gpu-mode-note")
    page.check("#gpu-mode-full")
    assert not row.is_visible()


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
    invalid = {"zh": "输入无效", "en": "Invalid input"}[gpu_page.lang]
    assert invalid in page.locator(".gpu-total, [data-hbw='gpu-memory']").first.inner_text()
    page.fill("#gpu-params", "7")
    assert invalid not in page.locator("[data-hbw='gpu-memory']").inner_text()
    page.fill("#gpu-embed", "8000")  # embeddings larger than the whole model
    assert page.get_attribute("#gpu-embed", "aria-invalid") == "true"
    assert invalid in page.text_content(".gpu-total")


@pytest.mark.parametrize("rel,ready", [(SAMPLING_PAGE, ".smp-table tbody tr"),
                                       (GPU_PAGE, ".gpu-table tbody tr")])
def test_english_widgets_are_all_english(base_url, visit, rel, ready):
    """Every word the widgets write on /en/, in every mode and state, is English."""
    v = open_widget(visit, base_url + "en/" + rel, ready)
    page = v.page
    assert v.lang == "en"
    texts = []

    def grab():
        texts.append(page.evaluate("""() => { const w = document.querySelector('.hbw');
            return w.innerText + ' ' + [...w.querySelectorAll('[aria-label], option, .hbw-sr')]
              .map(e => (e.getAttribute('aria-label') || '') + ' ' + e.textContent).join(' '); }"""))

    if rel == SAMPLING_PAGE:
        for preset in range(len(SAMPLING_LOGITS)):
            page.select_option("#smp-preset", str(preset))
            grab()
        set_range(page, "#smp-t", 0)
        grab()
        page.click("#smp-sample")
        set_range(page, "#smp-k", 0)
        grab()
        page.fill(".smp-table tbody tr:nth-child(1) .smp-logit", "")
        grab()
    else:
        for mode in ("inference", "full", "lora", "qlora"):
            page.check(f"#gpu-mode-{mode}")
            grab()
        page.fill("#gpu-params", "-1")
        grab()
        page.fill("#gpu-params", "1e300")
        grab()
    chinese = sorted({m.group() for t in texts for m in HAN.finditer(t)})
    assert chinese == [], chinese
    assert v.errors == []


# ---- accessibility, phone, dark mode, no-JS and print -----------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("rel", [SAMPLING_PAGE, GPU_PAGE])
def test_every_control_has_a_label(base_url, visit, rel, lang):
    v = visit()
    v.page.goto(base_url + PREFIX[lang] + rel)
    v.page.wait_for_selector(".hbw[data-ready]")
    unlabeled = v.page.evaluate("""() => [...document.querySelectorAll(
        '.hbw input, .hbw select, .hbw button')].filter(el => !(
        (el.labels && el.labels.length && el.labels[0].textContent.trim()) ||
        el.getAttribute('aria-label') || (el.tagName === 'BUTTON' && el.textContent.trim())))
        .map(el => el.outerHTML)""")
    assert unlabeled == []
    assert v.page.locator(".hbw [aria-live]").count() >= 1


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("rel", [SAMPLING_PAGE, GPU_PAGE])
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_widget_fits_a_360px_phone_in_both_schemes(base_url, visit, rel, scheme, lang):
    v = visit(viewport={"width": 360, "height": 740})
    v.page.goto(base_url + PREFIX[lang] + rel)
    v.page.wait_for_selector(".hbw[data-ready]")
    v.page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    # every preset (longer tokens) or mode (longer formulas) must fit, not only the default
    states = [("#smp-preset", str(i)) for i in range(len(SAMPLING_LOGITS))] if rel == SAMPLING_PAGE \
        else [(f"#gpu-mode-{m}", None) for m in ("inference", "full", "lora", "qlora")]
    for control, value in states:
        if value is None:
            v.page.check(control)
        else:
            v.page.select_option(control, value)
        sizes = v.page.evaluate("""() => ({page: document.documentElement.scrollWidth,
            widget: document.querySelector('.hbw').scrollWidth,
            box: document.querySelector('.hbw').clientWidth,
            table: document.querySelector('.hbw-scroll').scrollWidth,
            scroll: document.querySelector('.hbw-scroll').clientWidth})""")
        assert sizes["page"] <= 360, control
        assert sizes["widget"] <= sizes["box"], control
        assert sizes["table"] <= sizes["scroll"] + 1, ("the table should fit without scrolling",
                                                       control, value, sizes)
    colors = v.page.evaluate("""() => { const s = getComputedStyle(document.querySelector('.hbw td'));
        return [s.color, getComputedStyle(document.body).backgroundColor]; }""")
    assert colors[0] != colors[1]
    assert v.errors == []


@pytest.mark.parametrize("rel,example", [
    (SAMPLING_PAGE, "top-k 后重新归一化"), (GPU_PAGE, "15.62 GB（14.55 GiB）"),
    ("en/" + SAMPLING_PAGE, "Renormalized after top-k"), ("en/" + GPU_PAGE, "15.62 GB (14.55 GiB)")])
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


@pytest.mark.parametrize("lang", LANGS)
def test_widget_pages_are_linked_from_their_chapters(site, lang):
    for chapter, target in [("decoding", "sampling-playground/"),
                            ("inference", "gpu-memory-calculator/"),
                            ("distributed", "inference/gpu-memory-calculator/")]:
        html = (site / PREFIX[lang] / chapter / "index.html").read_text(encoding="utf-8")
        assert target in html, chapter
    for rel in (SAMPLING_PAGE, GPU_PAGE):  # the English edition has its own widget pages
        html = (site / PREFIX[lang] / rel / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in html
        assert bool(HAN.search(html.split('class="md-content"')[1].split("</article>")[0])) \
            == (lang == "zh"), rel
