"""Problems 8 to 14 of the coding chapter: each published solution against a reference written
independently here (naive loops, exhaustive enumeration, the papers' and docs' equations)."""

from __future__ import annotations

import itertools
import math
import re
from fractions import Fraction

import numpy as np
import pytest

from solutions import adamw, bpe, kv_cache, lora, moe_router, pass_at_k, ring_allreduce

# --- 8. KV cache -------------------------------------------------------------------------------


def full_recompute_logits(m: kv_cache.Decoder, tokens: list[int]) -> np.ndarray:
    """Logits (T, V) of the whole sequence, recomputed from scratch, one query at a time."""
    t_len = len(tokens)
    x = np.array([m.tok[tok] + m.pos[i] for i, tok in enumerate(tokens)])
    for p in m.layers:
        h = x / np.sqrt((x**2).mean(axis=1, keepdims=True) + 1e-6)
        q, k, v = h @ p["wq"], h @ p["wk"], h @ p["wv"]
        dh = x.shape[1] // m.n_heads
        attn = np.zeros_like(x)
        for head in range(m.n_heads):
            cols = slice(head * dh, (head + 1) * dh)
            for i in range(t_len):
                s = [float(q[i, cols] @ k[j, cols]) / math.sqrt(dh) for j in range(i + 1)]
                w = np.exp(np.array(s) - max(s))
                attn[i, cols] = (w / w.sum()) @ v[: i + 1, cols]
        x = x + attn @ p["wo"]
        h = x / np.sqrt((x**2).mean(axis=1, keepdims=True) + 1e-6)
        x = x + np.maximum(h @ p["w1"], 0) @ p["w2"]
    return x / np.sqrt((x**2).mean(axis=1, keepdims=True) + 1e-6) @ m.head


@pytest.fixture(scope="module")
def decoder() -> kv_cache.Decoder:
    return kv_cache.random_decoder(np.random.default_rng(0), vocab=11, d=16, n_heads=4,
                                   n_layers=2, max_len=32)


def test_kv_cache_decoding_equals_full_recomputation_at_every_step(decoder):
    prompt = [3, 1, 4, 1, 5]
    ids, chosen_by = kv_cache.greedy_generate(decoder, np.array(prompt), steps=8)
    assert len(ids) == len(chosen_by) == 8
    for step, logits in enumerate(chosen_by):
        prefix = prompt + ids[:step]
        reference = full_recompute_logits(decoder, prefix)[-1]
        np.testing.assert_allclose(logits, reference, rtol=1e-10, atol=1e-10)
        assert ids[step] == int(np.argmax(reference))


def test_prefill_logits_and_cache_shapes(decoder):
    tokens = [2, 7, 1, 8, 2, 8]
    cache: kv_cache.Cache = []
    logits = kv_cache.forward(decoder, np.array(tokens[:4]), cache)
    np.testing.assert_allclose(logits, full_recompute_logits(decoder, tokens[:4]), atol=1e-10)
    for token in tokens[4:]:  # then one token at a time
        kv_cache.forward(decoder, np.array([token]), cache)
    assert len(cache) == 2
    assert cache[0]["k"].shape == cache[1]["v"].shape == (4, len(tokens), 4)


def test_a_decode_step_without_the_position_offset_would_be_caught(decoder):
    """The reference is sensitive to the classic bug: the new token embedded at position 0."""
    tokens = [3, 1, 4]
    right = full_recompute_logits(decoder, tokens)[-1]
    shifted = kv_cache.Decoder(decoder.tok, np.roll(decoder.pos, 2, axis=0), decoder.head,
                               decoder.layers, decoder.n_heads)
    wrong = full_recompute_logits(shifted, tokens)[-1]
    assert not np.allclose(right, wrong)


# --- 9. LoRA -------------------------------------------------------------------------------------


@pytest.fixture
def layer() -> lora.LoRALinear:
    rng = np.random.default_rng(1)
    return lora.LoRALinear(rng.normal(size=(6, 10)), r=3, alpha=8.0, rng=rng)


def test_lora_starts_as_the_base_layer(layer):
    x = np.random.default_rng(2).normal(size=(4, 10))
    np.testing.assert_array_equal(layer(x), x @ layer.weight.T)


def test_lora_merged_equals_unmerged_and_unmerge_restores_w(layer):
    rng = np.random.default_rng(3)
    layer.b = rng.normal(size=layer.b.shape)  # as if trained
    base = layer.weight.copy()
    x = rng.normal(size=(2, 5, 10))
    reference = x @ (base + (8.0 / 3) * layer.b @ layer.a).T
    unmerged = layer(x)
    layer.merge()
    layer.merge()  # a second merge changes nothing
    merged = layer(x)
    np.testing.assert_allclose(unmerged, reference, atol=1e-12)
    np.testing.assert_allclose(merged, reference, atol=1e-12)
    assert not np.allclose(merged, x @ base.T)
    layer.unmerge()
    np.testing.assert_allclose(layer.weight, base, rtol=0, atol=1e-13)
    np.testing.assert_allclose(layer(x), unmerged, atol=1e-12)


def test_lora_parameter_count_matches_the_memory_calculator():
    rng = np.random.default_rng(4)
    assert lora.LoRALinear(np.zeros((6, 10)), 3, 3.0, rng).trainable_params() == 3 * (10 + 6)
    # Llama 3 8B, r = 16 on q, k, v, o, gate, up, down of 32 layers: the calculator's A
    shapes = [(4096, 4096), (1024, 4096), (1024, 4096), (4096, 4096),
              (14336, 4096), (14336, 4096), (4096, 14336)]
    per_layer = sum(16 * (d_in + d_out) for d_out, d_in in shapes)
    assert per_layer * 32 == 41_943_040
    q_proj = lora.LoRALinear(np.zeros((256, 256)), 16, 32.0, rng)
    assert q_proj.trainable_params() == 16 * (256 + 256)


# --- 10. BPE -------------------------------------------------------------------------------------

SENNRICH = {"low": 5, "lower": 2, "newest": 6, "widest": 3}
# What the paper's Algorithm 1 prints for this dictionary on Python 3.7+ (insertion-ordered
# dicts, so `max` breaks ties in favour of the pair seen first).
SENNRICH_MERGES = [("e", "s"), ("es", "t"), ("est", "</w>"), ("l", "o"), ("lo", "w"),
                   ("n", "e"), ("ne", "w"), ("new", "est</w>"), ("low", "</w>"), ("w", "i")]


def reference_bpe(freqs: dict[str, int], num_merges: int) -> tuple[list, dict[str, int]]:
    """Words as space-separated strings; a merge is a regex over whole symbols."""
    vocab = {" ".join([*word, "</w>"]): f for word, f in freqs.items()}
    merges = []
    for _ in range(num_merges):
        counts: dict[tuple[str, str], int] = {}
        order: list[tuple[str, str]] = []
        for word, f in vocab.items():
            symbols = word.split(" ")
            for i in range(len(symbols) - 1):
                pair = (symbols[i], symbols[i + 1])
                if pair not in counts:
                    counts[pair] = 0
                    order.append(pair)
                counts[pair] += f
        if not order:
            break
        best = order[0]
        for pair in order:
            if counts[pair] > counts[best]:
                best = pair
        merges.append(best)
        pattern = re.compile(r"(?<!\S)" + re.escape(" ".join(best)) + r"(?!\S)")
        vocab = {pattern.sub("".join(best), word): f for word, f in vocab.items()}
    return merges, vocab


def test_bpe_reproduces_algorithm_1_of_sennrich_et_al():
    assert bpe.train_bpe(SENNRICH, 10) == SENNRICH_MERGES
    assert reference_bpe(SENNRICH, 10)[0] == SENNRICH_MERGES
    assert bpe.train_bpe(SENNRICH, 3) == SENNRICH_MERGES[:3]


def test_bpe_encodes_with_the_merges_of_figure_1():
    """The paper's Figure 1 merges segment the unseen word 'lower' as 'low er·'."""
    figure_1 = [("r", "</w>"), ("l", "o"), ("lo", "w"), ("e", "r</w>")]
    assert bpe.encode("lower", figure_1) == ["low", "er</w>"]
    assert bpe.encode("lowest", SENNRICH_MERGES) == ["low", "est</w>"]


def test_bpe_encoding_applies_merges_in_learned_order():
    assert bpe.encode("abc", [("b", "c"), ("a", "b")]) == ["a", "bc", "</w>"]
    assert bpe.encode("abc", [("a", "b"), ("b", "c")]) == ["ab", "c", "</w>"]
    assert bpe.encode("aaaa", [("a", "a")]) == ["aa", "aa", "</w>"]
    assert bpe.encode("aaa", [("a", "a")]) == ["aa", "a", "</w>"]


def test_bpe_matches_the_reference_on_random_corpora():
    rng = np.random.default_rng(5)
    for _ in range(30):
        words = {"".join(rng.choice(list("abcd"), size=rng.integers(1, 7))): 0 for _ in range(8)}
        freqs = {w: int(rng.integers(1, 5)) for w in words}
        merges, vocab = reference_bpe(freqs, 12)
        assert bpe.train_bpe(freqs, 12) == merges
        for word, segmented in zip(freqs, vocab, strict=True):  # training words re-encode
            assert bpe.encode(word, merges) == segmented.split(" ")


# --- 11. AdamW -----------------------------------------------------------------------------------


def reference_adamw(theta, grads, lr, b1, b2, eps, wd):
    """torch.optim.AdamW's algorithm box, element by element in Python floats."""
    theta = [float(x) for x in theta]
    m = [0.0] * len(theta)
    v = [0.0] * len(theta)
    for t, g in enumerate(grads, start=1):
        for i in range(len(theta)):
            theta[i] = theta[i] - lr * wd * theta[i]
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] ** 2
            m_hat = m[i] / (1 - b1**t)
            v_hat = v[i] / (1 - b2**t)
            theta[i] = theta[i] - lr * m_hat / (math.sqrt(v_hat) + eps)
    return theta


def run(step_fn, p, grads, **kw):
    m = np.zeros_like(p)
    v = np.zeros_like(p)
    for t, g in enumerate(grads, start=1):
        p, m, v = step_fn(p, g, m, v, t, **kw)
    return p


def test_adamw_matches_the_pytorch_algorithm_over_several_steps():
    rng = np.random.default_rng(6)
    p0 = rng.normal(size=7)
    grads = [rng.normal(size=7) * 10.0**e for e in (-3, -1, 0, 1, 2)]
    kw = {"lr": 3e-3, "betas": (0.9, 0.95), "eps": 1e-8, "weight_decay": 0.1}
    got = run(adamw.adamw_step, p0, grads, **kw)
    want = reference_adamw(p0, grads, 3e-3, 0.9, 0.95, 1e-8, 0.1)
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15)


def test_adamw_in_the_papers_notation():
    """Loshchilov & Hutter: theta -= eta_t * (alpha * m_hat / (sqrt(v_hat) + eps) + lambda * theta).
    It is the PyTorch step with lr = eta_t * alpha and weight_decay = lambda / alpha."""
    p, g = np.array([0.5, -2.0, 3.0]), np.array([0.3, -0.1, 2.0])
    alpha, eta, lam, b1, b2, eps = 1e-3, 0.5, 1e-4, 0.9, 0.999, 1e-8
    m, v = (1 - b1) * g, (1 - b2) * g**2
    paper = p - eta * (alpha * (m / (1 - b1)) / (np.sqrt(v / (1 - b2)) + eps) + lam * p)
    ours, _, _ = adamw.adamw_step(p, g, np.zeros(3), np.zeros(3), 1, lr=eta * alpha,
                                  betas=(b1, b2), eps=eps, weight_decay=lam / alpha)
    np.testing.assert_allclose(ours, paper, rtol=1e-14)


def test_decoupled_decay_differs_from_l2_under_adam():
    """With L2 the decay term is divided by sqrt(v_hat): a weight with large gradients is
    barely decayed. At t = 1 Adam's step is about lr * sign(g + wd * p), whatever wd is."""
    p = np.array([1.0, 1.0])
    g = np.array([1e-4, 10.0])  # one quiet weight, one with large gradients
    kw = {"lr": 0.01, "weight_decay": 0.1}
    zero = np.zeros(2)
    w_new, _, _ = adamw.adamw_step(p, g, zero, zero, 1, **kw)
    l2_new, _, _ = adamw.adam_l2_step(p, g, zero, zero, 1, **kw)
    np.testing.assert_allclose(w_new, p - 0.01 * 0.1 * p - 0.01 * np.sign(g), atol=1e-6)
    np.testing.assert_allclose(l2_new, p - 0.01 * np.sign(g + 0.1 * p), atol=1e-6)
    assert not np.allclose(w_new, l2_new)
    # without decay the two are the same optimizer: plain Adam
    grads = [g, -g, 2 * g]
    np.testing.assert_array_equal(run(adamw.adamw_step, p, grads, weight_decay=0.0),
                                  run(adamw.adam_l2_step, p, grads, weight_decay=0.0))


def test_for_plain_sgd_l2_and_decoupled_decay_coincide_up_to_rescaling():
    """SGD: p - lr * (g + l2 * p) == p - lr * g - decay * p exactly when l2 = decay / lr."""
    p, g, lr, decay = np.array([0.7, -1.3]), np.array([0.2, 0.4]), 0.05, 0.002
    decoupled = adamw.sgd_step(p, g, lr, decay, decoupled=True)
    np.testing.assert_allclose(decoupled, p - lr * g - decay * p, rtol=1e-15)
    np.testing.assert_allclose(adamw.sgd_step(p, g, lr, decay / lr, decoupled=False), decoupled,
                               rtol=1e-14)
    assert not np.allclose(adamw.sgd_step(p, g, lr, decay, decoupled=False), decoupled)


# --- 12. Ring all-reduce -------------------------------------------------------------------------


@pytest.mark.parametrize("n", range(2, 9))
@pytest.mark.parametrize("size", [1, 7, 24, 101])
def test_ring_allreduce_sums_and_traffic(n, size):
    rng = np.random.default_rng(n * 1000 + size)
    buffers = [rng.integers(-100, 100, size=size).astype(np.float64) for _ in range(n)]
    before = [b.copy() for b in buffers]
    total = np.zeros(size)
    for b in buffers:
        for i in range(size):
            total[i] += b[i]
    results, sent = ring_allreduce.ring_allreduce(buffers)
    assert len(results) == n
    for r in results:
        np.testing.assert_array_equal(r, total)
    for b, b0 in zip(buffers, before, strict=True):
        np.testing.assert_array_equal(b, b0)  # inputs untouched
    # every element of S leaves N - 1 ranks in each phase: 2(N-1)S in all, 2(N-1)/N * S each
    assert sum(sent) == 2 * (n - 1) * size
    for s in sent:
        assert abs(s - 2 * (n - 1) / n * size) < 2  # chunk sizes differ by at most 1
    if size % n == 0:
        assert sent == [2 * (n - 1) * size // n] * n


# --- 13. MoE router ------------------------------------------------------------------------------


def reference_route(x, w_gate, k):
    """Mixtral's form: softmax over the k largest logits, found by sorting each row."""
    experts, gates = [], []
    for row in x @ w_gate:
        top = sorted(range(len(row)), key=lambda e: -row[e])[:k]
        z = np.exp(row[top] - row[top].max())
        experts.append(top)
        gates.append(z / z.sum())
    return np.array(experts), np.array(gates)


def reference_loss(probs, experts):
    t_len, n_exp = probs.shape
    total = 0.0
    for i in range(n_exp):
        f_i = sum(1 for row in experts for e in row if e == i) / experts.size
        p_i = sum(probs[t, i] for t in range(t_len)) / t_len
        total += f_i * p_i
    return n_exp * total


def test_router_picks_top_k_and_renormalizes_gates():
    rng = np.random.default_rng(7)
    x, w_gate = rng.normal(size=(20, 8)), rng.normal(size=(8, 6))
    experts, gates, probs = moe_router.route(x, w_gate, k=2)
    ref_experts, ref_gates = reference_route(x, w_gate, 2)
    np.testing.assert_array_equal(experts, ref_experts)
    np.testing.assert_allclose(gates, ref_gates, rtol=1e-12)
    np.testing.assert_allclose(gates.sum(axis=1), 1.0)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    _, raw, _ = moe_router.route(x, w_gate, k=1, renormalize=False)  # Switch: raw p_i(x)
    np.testing.assert_allclose(raw[:, 0], probs.max(axis=1))
    assert np.all(raw < 1.0)


def test_load_balancing_loss_is_one_at_uniform_load_and_larger_when_unbalanced():
    rng = np.random.default_rng(8)
    n_exp, k = 4, 2
    probs = rng.dirichlet(np.ones(n_exp), size=8)
    uniform = np.array([[t % n_exp, (t + 1) % n_exp] for t in range(8)])  # each expert 4 of 16
    assert moe_router.load_balancing_loss(probs, uniform) == pytest.approx(1.0)
    assert moe_router.load_balancing_loss(np.full((8, 4), 0.25), uniform) == pytest.approx(1.0)
    # collapse: every token sent to experts 0 and 1, which also hold most of the probability
    skewed = np.tile([0.6, 0.3, 0.05, 0.05], (8, 1))
    collapsed = np.tile([0, 1], (8, 1))
    loss = moe_router.load_balancing_loss(skewed, collapsed)
    assert loss == pytest.approx(4 * (0.5 * 0.6 + 0.5 * 0.3)) and loss > 1.0
    for _ in range(20):
        experts = rng.integers(0, n_exp, size=(8, k))
        assert moe_router.load_balancing_loss(probs, experts) == pytest.approx(
            reference_loss(probs, experts), rel=1e-12)


def test_load_balancing_loss_can_dip_below_one():
    """1 is its value at uniform load, not a lower bound once f comes from an argmax:
    three near-ties sent to expert 0 and one confident token to expert 1 give 0.875."""
    probs = np.array([[0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.0, 1.0]])
    experts = np.array([[0], [0], [0], [1]])
    assert moe_router.load_balancing_loss(probs, experts) == pytest.approx(0.875)


def test_moe_layer_equals_a_dense_mixture():
    rng = np.random.default_rng(9)
    x, w_gate = rng.normal(size=(12, 5)), rng.normal(size=(5, 4))
    expert_w = rng.normal(size=(4, 5, 5))
    ref_experts, ref_gates = reference_route(x, w_gate, 2)
    want = np.zeros_like(x)
    for t in range(12):
        for slot in range(2):
            want[t] += ref_gates[t, slot] * (x[t] @ expert_w[ref_experts[t, slot]])
    np.testing.assert_allclose(moe_router.moe_layer(x, w_gate, expert_w, 2), want, atol=1e-12)


# --- 14. pass@k ----------------------------------------------------------------------------------


def test_pass_at_k_matches_exhaustive_enumeration():
    for n in range(1, 9):
        for c in range(n + 1):
            for k in range(1, n + 1):
                subsets = list(itertools.combinations(range(n), k))  # samples 0..c-1 are correct
                hits = sum(1 for s in subsets if min(s) < c)
                assert pass_at_k.pass_at_k(n, c, k) == pytest.approx(hits / len(subsets),
                                                                     abs=1e-12), (n, c, k)


def test_pass_at_k_edge_cases_and_large_n():
    assert pass_at_k.pass_at_k(5, 3, 3) == 1.0  # n - c = 2 < k
    assert pass_at_k.pass_at_k(10, 10, 1) == 1.0
    assert pass_at_k.pass_at_k(10, 0, 5) == 0.0
    assert pass_at_k.pass_at_k(200, 37, 1) == pytest.approx(37 / 200)
    # the evaluation chapter's example: n = 10, c = 3, k = 5 -> 1 - 21/252
    assert pass_at_k.pass_at_k(10, 3, 5) == pytest.approx(1 - 21 / 252)
    exact = 1 - Fraction(math.comb(200 - 37, 100), math.comb(200, 100))
    assert pass_at_k.pass_at_k(200, 37, 100) == pytest.approx(float(exact), rel=1e-12)
    assert pass_at_k.mean_pass_at_k([10, 10], [3, 0], 5) == pytest.approx((1 - 21 / 252) / 2)
    with pytest.raises(ValueError):
        pass_at_k.pass_at_k(5, 1, 6)
