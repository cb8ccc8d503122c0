"""Reference implementations of the two widgets' math, independent of their JavaScript.

`docs/assets/javascripts/sampling.js` and `docs/assets/javascripts/gpu-memory.js` must agree with
these functions (tests/test_widgets.py checks both the raw numbers and what the pages display).

Sampling follows Hugging Face transformers' sampling path (`GenerationMixin._get_logits_processor`
with `do_sample=True`): temperature → top-k → top-p → min-p, every filter seeing the output of the
one before, then a softmax over the survivors. Tie and boundary rules are those of
`TopKLogitsWarper`, `TopPLogitsWarper` and `MinPLogitsWarper` (see the widget page).

GPU memory follows the formulas the inference and distributed chapters use: weights = P * bytes,
mixed-precision AdamW = 16 bytes/param (ZeRO paper), KV cache = 2·L·H_kv·d·s·B·bytes, or with
MLA (DeepSeek-V2/V3) L·(d_c + d_rope)·s·B·bytes: one compressed latent and one shared RoPE key per
token and layer, no separate K and V. Below 16 bits
(FP8, INT8, INT4, NF4) the embeddings and the output layer stay in 16 bits, as with bitsandbytes:
transformers swaps only nn.Linear layers for quantized ones and leaves out the output embeddings
(`get_keys_to_not_convert`), so E = vocab * hidden (once if tied, twice if not) costs 2 bytes each.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

# ---------------------------------------------------------------------------------------------
# shared formatting: round half up on the double, then print (identical in JS and Python)


def fixed(x: float, digits: int) -> str:
    scale = 10**digits
    value = math.floor(x * scale + 0.5) / scale
    text = f"{value:.{digits}f}"
    return "0." + "0" * digits if text == "-0." + "0" * digits else text


TIMES = "\N{MULTIPLICATION SIGN}"
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
HUGE = 1e15  # from here on, integers are no longer exact in a double: scientific notation


def sci(x: float) -> str:
    """x ≥ 1 as "2.0 TIMES 10³⁰": one decimal, rounded half up on the exact value of the double
    (what JavaScript's toExponential(1) does)."""
    d = Decimal(x)
    e = d.adjusted()
    m = d.scaleb(-e).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if m >= 10:
        m, e = (m / 10).quantize(Decimal("0.1")), e + 1
    return f"{m} {TIMES} 10{str(e).translate(SUPERSCRIPT)}"


def amount(x: float, digits: int) -> str:
    """Thousands separators and `digits` decimals; scientific notation from HUGE on."""
    if x >= HUGE:
        return sci(x)
    whole, _, frac = fixed(x, digits).partition(".")
    return f"{int(whole):,}" + ("." + frac if frac else "")


def group(n: float) -> str:
    """A byte or parameter count: no decimals, or one when there is half a byte (INT4)."""
    return amount(n, 0 if n == int(n) or n >= HUGE else 1)


# ---------------------------------------------------------------------------------------------
# sampling playground

EPS = 1e-9


def mulberry32(seed: int) -> Iterator[float]:
    """Tommy Ettinger's mulberry32, bit-exact with the usual JavaScript version."""
    a = seed & 0xFFFFFFFF
    mask = 0xFFFFFFFF
    while True:
        a = (a + 0x6D2B79F5) & mask
        t = ((a ^ (a >> 15)) * (1 | a)) & mask
        t = ((t + (((t ^ (t >> 7)) * (61 | t)) & mask)) & mask) ^ t
        yield ((t ^ (t >> 14)) & mask) / 4294967296


def entropy(probs: list[float]) -> float:
    """Shannon entropy in nats."""
    return -sum(p * math.log(p) for p in probs if p > 0)


def sampling(logits: list[float], temperature: float, top_k: int, top_p: float,
             min_p: float) -> dict:
    """Every stage of the pipeline.

    status[stage][i] is "kept", "removed" (by this stage), "gone" (by an earlier one) or "off".
    temperature <= 0 is greedy: the T → 0⁺ limit (mass split evenly over tied maxima), and the
    filters are skipped, as transformers skips its warpers when do_sample=False.
    """
    n = len(logits)
    stages = ("topk", "topp", "minp")
    if temperature <= 0:
        top = max(logits)
        winners = [i for i in range(n) if logits[i] == top]
        temp = [1 / len(winners) if i in winners else 0.0 for i in range(n)]
        return {
            "greedy": True, "temp": temp, "final": temp[:],
            "status": {s: ["off"] * n for s in stages},
            "kept": {s: len(winners) for s in stages},
            "entropy_temp": entropy(temp), "entropy_final": entropy(temp),
        }

    z = [x / temperature for x in logits]
    zmax = max(z)
    e = [math.exp(v - zmax) for v in z]
    total = sum(e)
    temp = [v / total for v in e]
    alive = [True] * n
    status: dict[str, list[str]] = {}

    def begin(on: bool) -> list[str]:
        return [("kept" if on else "off") if alive[i] else "gone" for i in range(n)]

    # top-k: drop every token whose scaled logit is below the k-th largest (ties at k all stay)
    on = top_k > 0
    st = begin(on)
    if on:
        ranked = sorted((z[i] for i in range(n) if alive[i]), reverse=True)
        kth = ranked[min(top_k, len(ranked)) - 1]
        for i in range(n):
            if alive[i] and z[i] < kth:
                alive[i], st[i] = False, "removed"
    status["topk"] = st

    # top-p on the renormalised survivors: keep a token while the mass ranked above it is < p
    on = top_p < 1
    st = begin(on)
    if on:
        mass = sum(e[i] for i in range(n) if alive[i])
        order = sorted((i for i in range(n) if alive[i]), key=lambda i: (-e[i], i))
        before = 0.0
        for rank, i in enumerate(order):
            if rank > 0 and not before < top_p - EPS:
                alive[i], st[i] = False, "removed"
            before += e[i] / mass
    status["topp"] = st

    # min-p: drop tokens whose probability is below min_p * the largest (ratio, so no renorm)
    on = min_p > 0
    st = begin(on)
    if on:
        emax = max(e[i] for i in range(n) if alive[i])
        for i in range(n):
            if alive[i] and e[i] / emax < min_p - EPS:
                alive[i], st[i] = False, "removed"
    status["minp"] = st

    mass = sum(e[i] for i in range(n) if alive[i])
    final = [e[i] / mass if alive[i] else 0.0 for i in range(n)]
    kept = {s: sum(1 for x in status[s] if x in ("kept", "off")) for s in stages}
    return {
        "greedy": False, "temp": temp, "final": final, "status": status, "kept": kept,
        "entropy_temp": entropy(temp), "entropy_final": entropy(final),
    }


def sample_counts(final: list[float], seed: int, draws: int = 100) -> list[int]:
    """Inverse-CDF sampling in token order with mulberry32(seed)."""
    rng = mulberry32(seed)
    counts = [0] * len(final)
    last = max(i for i, p in enumerate(final) if p > 0)
    for _ in range(draws):
        u = next(rng)
        acc, pick = 0.0, last
        for i, p in enumerate(final):
            if p <= 0:
                continue
            acc += p
            if u < acc:
                pick = i
                break
        counts[pick] += 1
    return counts


# The presets of the page, in the same order (the browser test checks they match): the same
# logits in both languages, so the same reference figures apply to both pages.
SAMPLING_LOGITS = [
    [3.2, 2.6, 2.1, 1.4, 1.0, 0.4, 0.1, -0.3, -1.2, -3.0],
    [6.0, 2.5, 1.5, 1.0, 0.5, 0.2, -0.5, -1.0, -1.2, -4.0],
    [1.6, 1.5, 1.4, 1.2, 1.2, 1.0, 0.9, 0.7, 0.5, 0.3],
    [2.0, 2.0, -0.5, -1.5, -1.8, -2.0, -2.2, -2.5, -3.0, -4.0],
]
SAMPLING_TEXT = {
    "zh": [
        ("今天天气真", ["好", "不错", "热", "冷", "晴朗", "糟糕", "闷", "差", "奇怪", "香蕉"]),
        ("法国的首都是", ["巴黎", "一座", "哪里", "里昂", "马赛", "什么", "伦敦", "北京", "罗马", "香蕉"]),
        ("从前有一只", ["小狐狸", "小猫", "兔子", "老虎", "小狗", "乌龟", "熊", "龙", "蜗牛", "鲸鱼"]),
        ("抛一枚硬币，结果是", ["正面", "反面", "不知道", "立起来", "硬币", "一样", "向上", "落地",
                              "飞走", "香蕉"]),
    ],
    "en": [
        ("The weather today is really", ["nice", "good", "hot", "cold", "sunny", "bad", "humid",
                                         "awful", "strange", "banana"]),
        ("The capital of France is", ["Paris", "a", "the", "Lyon", "Nice", "not", "London",
                                      "Beijing", "Rome", "banana"]),
        ("Once upon a time there was a little", ["fox", "cat", "rabbit", "tiger", "dog", "turtle",
                                                 "bear", "dragon", "snail", "whale"]),
        ("I flipped a coin and it landed on", ["heads", "tails", "its", "the", "my", "a", "edge",
                                               "top", "grass", "banana"]),
    ],
}
SAMPLING_PRESETS = {lang: [(prompt, tokens, logits) for (prompt, tokens), logits
                           in zip(text, SAMPLING_LOGITS, strict=True)]
                    for lang, text in SAMPLING_TEXT.items()}

# (preset index, temperature, top_k, top_p, min_p, seed)
SAMPLING_CASES = [
    (0, 1.0, 0, 1.0, 0.0, 42),     # no filter: the softmax itself
    (0, 0.7, 10, 0.9, 0.0, 42),    # k = vocabulary size: top-k is a no-op
    (0, 0.0, 0, 1.0, 0.0, 7),      # T → 0: greedy
    (0, 1.0, 1, 1.0, 0.0, 1),      # top-k = 1
    (0, 1.5, 5, 0.8, 0.1, 2024),   # all filters combined
    (1, 1.0, 0, 0.9, 0.0, 3),      # confident prompt: top-p keeps one token
    (1, 2.0, 0, 1.0, 0.05, 9),     # high temperature tamed by min-p
    (2, 1.0, 4, 1.0, 0.0, 11),     # tie at the k-th place: top-k = 4 keeps 5
    (2, 1.3, 0, 0.5, 0.0, 12),     # flat distribution: top-p needs many tokens
    (3, 1.0, 1, 1.0, 0.0, 5),      # tied maxima survive top-k = 1
    (3, 0.0, 0, 1.0, 0.0, 5),      # tied maxima under greedy: T → 0 limit splits 50/50
    (3, 1.0, 0, 0.3, 0.0, 6),      # tie split by top-p: only one of the pair survives
    (3, 0.8, 0, 1.0, 1.0, 8),      # min-p = 1 keeps exactly the tied maxima
    (0, 0.05, 0, 1.0, 0.0, 13),    # very low temperature, but still sampling
    (0, 1.0, 0, 0.0, 0.0, 14),     # top-p = 0 still keeps the top token
]

# ---------------------------------------------------------------------------------------------
# GPU-memory calculator

BYTES = {"fp32": 4, "bf16": 2, "fp16": 2, "fp8": 1, "int8": 1, "int4": 0.5}
NF4 = 0.5
KEEP16 = 2  # bytes of the embeddings and output layer when the rest is quantized
GB, GIB = 10**9, 2**30

# name → (parameters, layers, kv heads, head dim, LoRA params for r = 16 on all 7 linear layers,
#         embedding + output-layer params that stay in 16 bits when the rest is quantized,
#         MLA latent dim d_c (kv_lora_rank) and decoupled RoPE key dim d_rope, 0 without MLA).
# The MLA presets are MoE models: no LoRA preset (A = 0), and kv heads * head dim describe the
# MHA they replace (n_h = d_h = 128), used only if the attention is switched to MHA/GQA.
GPU_PRESETS = {
    "llama3.2-1b": (1_235_814_400, 16, 8, 64, 11_272_192, 262_668_288, 0, 0),
    "llama2-7b": (6_738_415_616, 32, 32, 128, 39_976_960, 262_144_000, 0, 0),
    "llama3-8b": (8_030_261_248, 32, 8, 128, 41_943_040, 1_050_673_152, 0, 0),
    "llama3-70b": (70_553_706_496, 80, 8, 128, 207_093_760, 2_101_346_304, 0, 0),
    "qwen2.5-7b": (7_615_616_512, 28, 4, 128, 40_370_176, 1_089_994_752, 0, 0),
    "deepseek-v2": (235_741_434_880, 60, 128, 128, 0, 1_048_576_000, 512, 64),
    "deepseek-v3": (671_026_419_200, 61, 128, 128, 0, 1_853_358_080, 512, 64),
}

# Published configs (config.json) the presets come from:
# hidden, intermediate, layers, attention heads, kv heads, vocab, qkv bias, tied embeddings
GPU_CONFIGS = {
    "llama3.2-1b": (2048, 8192, 16, 32, 8, 128256, False, True),
    "llama2-7b": (4096, 11008, 32, 32, 32, 32000, False, False),
    "llama3-8b": (4096, 14336, 32, 32, 8, 128256, False, False),
    "llama3-70b": (8192, 28672, 80, 64, 8, 128256, False, False),
    "qwen2.5-7b": (3584, 18944, 28, 28, 4, 152064, True, False),
}


# DeepSeek's MLA + MoE configs (config.json; inference/configs/config_236B.json and
# config_671B.json in the DeepSeek-V3 repository): hidden, dense FFN, expert FFN, layers, dense
# layers, heads, routed experts, shared experts, vocab, q_lora_rank, kv_lora_rank,
# qk_nope_head_dim, qk_rope_head_dim, v_head_dim, router bias (V3's e_score_correction_bias).
# Not tied. V3's multi-token-prediction module (another 14B in the checkpoint) is not counted.
GPU_MLA_CONFIGS = {
    "deepseek-v2": (5120, 12288, 1536, 60, 1, 128, 160, 2, 102400, 1536, 512, 128, 64, 128, False),
    "deepseek-v3": (7168, 18432, 2048, 61, 3, 128, 256, 1, 129280, 1536, 512, 128, 64, 128, True),
}


def embed_params(hidden, vocab, tied):
    """Input embeddings + output layer (lm_head): one matrix when tied, two when not."""
    return (1 if tied else 2) * vocab * hidden


def count_params(hidden, inter, layers, heads, kv_heads, vocab, qkv_bias, tied):
    """Parameters of a Llama-style decoder (RMSNorm, SwiGLU)."""
    head_dim = hidden // heads
    kv = kv_heads * head_dim
    attn = 2 * hidden * hidden + 2 * hidden * kv + ((hidden + 2 * kv) if qkv_bias else 0)
    mlp = 3 * hidden * inter
    per_layer = attn + mlp + 2 * hidden
    return layers * per_layer + embed_params(hidden, vocab, tied) + hidden


def count_mla_moe_params(hidden, inter, moe_inter, layers, dense, heads, routed, shared, vocab,
                         q_lora, kv_lora, nope, rope, v_dim, router_bias):
    """Parameters of a DeepSeek-V2/V3 decoder as transformers builds it: MLA with a low-rank
    query (q_a, its RMSNorm, q_b), the joint KV down-projection plus the RoPE key (kv_a_proj_with
    _mqa, its RMSNorm on the latent, kv_b), o_proj; SwiGLU FFN in the first `dense` layers, MoE
    (routed experts, shared experts as one wide FFN, router) in the others."""
    attn = (hidden * q_lora + q_lora + q_lora * heads * (nope + rope)
            + hidden * (kv_lora + rope) + kv_lora + kv_lora * heads * (nope + v_dim)
            + heads * v_dim * hidden)
    moe = (routed * 3 * hidden * moe_inter + 3 * hidden * moe_inter * shared + routed * hidden
           + (routed if router_bias else 0))
    return (layers * (attn + 2 * hidden) + dense * 3 * hidden * inter + (layers - dense) * moe
            + embed_params(hidden, vocab, False) + hidden)


def lora_params(hidden, inter, layers, heads, kv_heads, rank):
    """r·(d_in + d_out) for q, k, v, o, gate, up, down in every layer."""
    kv = kv_heads * (hidden // heads)
    dims = [(hidden, hidden), (hidden, kv), (hidden, kv), (hidden, hidden),
            (hidden, inter), (hidden, inter), (inter, hidden)]
    return layers * sum(rank * (a + b) for a, b in dims)


def gpu_memory(params: int, precision: str, mode: str, adapter: int, layers: int,
               kv_heads: int, head_dim: int, seq_len: int, batch: int,
               kv_precision: str, embed: int, attention: str = "gqa", kv_lora: int = 0,
               rope_dim: int = 0) -> dict:
    """Bytes of each part. mode: inference | full | lora | qlora; attention: gqa (MHA, GQA, MQA:
    kv_heads * head_dim for K and again for V) | mla (kv_lora + rope_dim, cached once). `embed16`
    is the part of `weights` spent on 16-bit embeddings and output layer (0 unless quantized)."""
    embed16 = 0
    if mode == "full":  # BF16 weights 2 + grads 2 + FP32 master 4 + Adam m 4 + v 4
        weights, grads, optim = params * 2, params * 2, params * 12
    elif mode in ("inference", "lora", "qlora"):
        base = NF4 if mode == "qlora" else BYTES[precision]
        if base < KEEP16:
            embed16 = embed * KEEP16
            weights = (params - embed) * base + embed16
        else:
            weights = params * base
        grads, optim = 0, 0
        if mode != "inference":
            weights, grads, optim = weights + adapter * 2, adapter * 2, adapter * 12
    else:
        raise ValueError(mode)
    kv = 0
    if mode == "inference" and attention == "mla":
        kv = layers * (kv_lora + rope_dim) * seq_len * batch * BYTES[kv_precision]
    elif mode == "inference":
        kv = 2 * layers * kv_heads * head_dim * seq_len * batch * BYTES[kv_precision]
    total = weights + grads + optim + kv
    return {"weights": weights, "embed16": embed16, "gradients": grads, "optimizer": optim,
            "kv_cache": kv, "total": total}


# (preset or None, params, precision, mode, adapter, layers, kv_heads, head_dim, seq, batch, kv,
#  embed)
GPU_CASES = [
    ("llama2-7b", None, "bf16", "inference", None, None, None, None, 4096, 1, "bf16", None),
    ("llama3-8b", None, "bf16", "full", None, None, None, None, 4096, 1, "bf16", None),
    ("llama3-8b", None, "bf16", "qlora", None, None, None, None, 4096, 1, "bf16", None),
    ("llama3-70b", None, "int4", "inference", None, None, None, None, 8192, 8, "fp8", None),
    ("qwen2.5-7b", None, "fp16", "lora", None, None, None, None, 32768, 4, "bf16", None),
    ("qwen2.5-7b", None, "fp8", "inference", None, None, None, None, 131072, 1, "fp16", None),
    ("llama3.2-1b", None, "bf16", "qlora", None, None, None, None, 4096, 1, "bf16", None),  # tied
    ("llama3.2-1b", None, "int8", "lora", None, None, None, None, 4096, 1, "bf16", None),
    (None, 175_000_000_000, "fp32", "inference", 0, 96, 96, 128, 2048, 1, "fp32", 0),
    (None, 1_000_000_001, "int4", "inference", 0, 1, 1, 1, 1, 1, "int4", 0),
    (None, 7_000_000_000, "int8", "lora", 20_000_000, 32, 32, 128, 4096, 1, "bf16", 262_144_000),
    (None, 1e39, "bf16", "inference", 0, 1, 1, 1, 1, 1, "bf16", 0),  # "1e30" B: scientific notation
    ("deepseek-v2", None, "bf16", "inference", None, None, None, None, 131072, 1, "bf16", None),
    ("deepseek-v3", None, "fp8", "inference", None, None, None, None, 131072, 4, "fp8", None),
]


def resolve_gpu_case(case) -> dict:
    preset, params, precision, mode, adapter, layers, kv_heads, head_dim, seq, batch, kvp, emb = case
    kv_lora = rope_dim = 0
    if preset is not None:
        params, layers, kv_heads, head_dim, adapter, emb, kv_lora, rope_dim = GPU_PRESETS[preset]
    return {"preset": preset, "params": params, "precision": precision, "mode": mode,
            "adapter": adapter, "layers": layers, "kv_heads": kv_heads, "head_dim": head_dim,
            "seq_len": seq, "batch": batch, "kv_precision": kvp, "embed": emb,
            "attention": "mla" if kv_lora else "gqa", "kv_lora": kv_lora, "rope_dim": rope_dim}
