"""Problems 1 to 7 of the coding chapter, each checked against a reference that shares none of
its code: naive loops over positions and heads, float64 formulas written out, finite
differences, the sampling widget's reference and exhaustive enumeration."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from solutions.attention import attention
from solutions.beam_search import beam_search
from solutions.mha_gqa import multi_head_attention
from solutions.norms import layernorm, layernorm_backward, rmsnorm
from solutions.rope import apply_rope
from solutions.sampling import filter_logits
from solutions.softmax_ce import cross_entropy, log_softmax, softmax
from tests import widget_reference as widget


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def numeric_grad(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar function f at x (float64)."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        up = f()
        x[i] = old - h
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad


# ---------------------------------------------------------------------------------------------
# 1. attention with masks


def naive_attention(q, k, v, visible):
    """One query at a time with math.exp: visible(b, i, j) says whether query i sees key j."""
    b_size, tq, _ = q.shape
    tk, dv = v.shape[1], v.shape[2]
    out, weights = np.zeros((b_size, tq, dv)), np.zeros((b_size, tq, tk))
    for b in range(b_size):
        for i in range(tq):
            keys = [j for j in range(tk) if visible(b, i, j)]
            if not keys:
                continue
            s = {j: float(q[b, i] @ k[b, j]) / math.sqrt(q.shape[-1]) for j in keys}
            top = max(s.values())
            z = sum(math.exp(x - top) for x in s.values())
            for j in keys:
                weights[b, i, j] = math.exp(s[j] - top) / z
                out[b, i] += weights[b, i, j] * v[b, j]
    return out, weights


def test_attention_with_causal_and_padding_masks_matches_a_naive_loop():
    r = rng(1)
    b, t, d = 3, 6, 4
    q, k, v = r.normal(size=(b, t, d)), r.normal(size=(b, t, d)), r.normal(size=(b, t, 5))
    lengths = [6, 4, 1]  # right padding
    pad = np.array([[j < n for j in range(t)] for n in lengths])
    out, w = attention(q, k, v, causal=True, key_padding_mask=pad)
    ref_out, ref_w = naive_attention(q, k, v, lambda bb, i, j: j <= i and j < lengths[bb])
    np.testing.assert_allclose(w, ref_w, atol=1e-12)
    np.testing.assert_allclose(out, ref_out, atol=1e-12)
    assert np.all(w[ref_w == 0] == 0.0)  # masked keys get exactly zero weight, not 1e-9
    np.testing.assert_allclose(w.sum(-1), 1.0)

    out, w = attention(q, k, v)  # no mask at all
    ref_out, _ = naive_attention(q, k, v, lambda bb, i, j: True)
    np.testing.assert_allclose(out, ref_out, atol=1e-12)


def test_causal_mask_aligns_bottom_right_for_decoding_with_a_cache():
    r = rng(2)
    q, k, v = r.normal(size=(1, 2, 4)), r.normal(size=(1, 5, 4)), r.normal(size=(1, 5, 3))
    _, w = attention(q, k, v, causal=True)
    _, ref_w = naive_attention(q, k, v, lambda b, i, j: j <= i + 3)  # queries are positions 3, 4
    np.testing.assert_allclose(w, ref_w, atol=1e-12)


def test_a_fully_masked_query_row_gets_zero_weights_and_zero_output():
    """Left padding with a causal mask: the padding queries see no real key."""
    r = rng(3)
    q, k, v = r.normal(size=(2, 4, 4)), r.normal(size=(2, 4, 4)), r.normal(size=(2, 4, 3))
    pad = np.array([[False, False, True, True], [True, True, True, True]])
    with np.errstate(invalid="raise", divide="raise"):  # no inf - inf, no 0 / 0 on the way
        out, w = attention(q, k, v, causal=True, key_padding_mask=pad)
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(w))
    assert np.all(w[0, :2] == 0.0) and np.all(out[0, :2] == 0.0)
    np.testing.assert_allclose(w[0, 2:].sum(-1), 1.0)
    ref_out, _ = naive_attention(q, k, v, lambda b, i, j: j <= i and pad[b, j])
    np.testing.assert_allclose(out, ref_out, atol=1e-12)


# ---------------------------------------------------------------------------------------------
# 2. multi-head attention with GQA


def naive_mha(x, w_q, w_k, w_v, w_o, n_heads, kv_head_of):
    """Per head and per position: head h reads key/value head kv_head_of(h)."""
    b_size, t, d = x.shape
    hd = d // n_heads
    out = np.zeros((b_size, t, n_heads * hd))
    for b in range(b_size):
        for h in range(n_heads):
            g = kv_head_of(h)
            wq = w_q[:, h * hd:(h + 1) * hd]
            wk, wv = w_k[:, g * hd:(g + 1) * hd], w_v[:, g * hd:(g + 1) * hd]
            for i in range(t):
                qi = x[b, i] @ wq
                s = np.array([qi @ (x[b, j] @ wk) for j in range(i + 1)]) / math.sqrt(hd)
                p = np.exp(s - s.max())
                p /= p.sum()
                out[b, i, h * hd:(h + 1) * hd] = sum(p[j] * (x[b, j] @ wv) for j in range(i + 1))
    return out @ w_o


@pytest.mark.parametrize("n_kv_heads", [4, 2, 1])
def test_multi_head_attention_matches_a_per_head_loop(n_kv_heads):
    r = rng(4)
    b, t, d, h = 2, 5, 16, 4
    hd = d // h
    x = r.normal(size=(b, t, d))
    w_q, w_o = r.normal(size=(d, d)) / 4, r.normal(size=(d, d)) / 4
    w_k, w_v = r.normal(size=(2, d, n_kv_heads * hd)) / 4
    got = multi_head_attention(x, w_q, w_k, w_v, w_o, h, n_kv_heads)
    group = h // n_kv_heads
    ref = naive_mha(x, w_q, w_k, w_v, w_o, h, lambda head: head // group)
    np.testing.assert_allclose(got, ref, atol=1e-10)


def test_mqa_equals_mha_with_the_single_kv_head_repeated():
    r = rng(5)
    b, t, d, h = 2, 5, 12, 3
    hd = d // h
    x = r.normal(size=(b, t, d))
    w_q, w_o = r.normal(size=(d, d)), r.normal(size=(d, d))
    w_k, w_v = r.normal(size=(d, hd)), r.normal(size=(d, hd))
    mqa = multi_head_attention(x, w_q, w_k, w_v, w_o, h, 1)
    mha = multi_head_attention(x, w_q, np.tile(w_k, h), np.tile(w_v, h), w_o, h, h)
    np.testing.assert_allclose(mqa, mha, atol=1e-10)
    with pytest.raises(ValueError):
        multi_head_attention(x, w_q, np.tile(w_k, 2), np.tile(w_v, 2), w_o, h, 2)


# ---------------------------------------------------------------------------------------------
# 3. RoPE


def interleaved_rope(x, m, base=10000.0):
    """The RoFormer paper's layout: pairs (2i, 2i+1) as complex numbers times e^{i m θ_i}."""
    d = x.shape[-1]
    theta = base ** (-np.arange(0, d, 2) / d)
    z = (x[..., 0::2] + 1j * x[..., 1::2]) * np.exp(1j * m * theta)
    out = np.empty_like(x)
    out[..., 0::2], out[..., 1::2] = z.real, z.imag
    return out


def test_rope_is_the_interleaved_rotation_up_to_a_fixed_permutation():
    """rotate-half pairs (i, i + d/2); interleaved pairs (2i, 2i+1): same rotation, reordered."""
    r = rng(6)
    d = 8
    x = r.normal(size=(5, d))
    pos = np.arange(5) * 7.0
    to_interleaved = np.ravel(np.column_stack([np.arange(d // 2), np.arange(d // 2) + d // 2]))
    got = apply_rope(x, pos)
    for t in range(5):
        ref = interleaved_rope(x[t, to_interleaved], pos[t])
        np.testing.assert_allclose(got[t, to_interleaved], ref, atol=1e-12)


def test_rope_scores_depend_only_on_the_offset_and_norms_are_kept():
    r = rng(7)
    d = 16
    q, k = r.normal(size=d), r.normal(size=d)

    def score(m, n):
        return apply_rope(q[None], np.array([m]))[0] @ apply_rope(k[None], np.array([n]))[0]

    for offset in (0, 1, 5, 100):
        scores = [score(n + offset, n) for n in (0, 3, 50, 1000)]
        np.testing.assert_allclose(scores, scores[0], rtol=1e-9)
    assert abs(score(1, 0) - score(2, 0)) > 1e-6  # but the offset itself matters
    x = r.normal(size=(3, 10, d))
    rotated = apply_rope(x, np.arange(10))
    np.testing.assert_allclose(np.linalg.norm(rotated, axis=-1), np.linalg.norm(x, axis=-1))
    np.testing.assert_array_equal(apply_rope(x[:, :1], np.array([0])), x[:, :1])  # identity at 0


# ---------------------------------------------------------------------------------------------
# 4. LayerNorm and RMSNorm


def test_layernorm_and_rmsnorm_forward_match_the_float64_formulas():
    r = rng(8)
    x = r.normal(3, 2, size=(4, 3, 7))
    gamma, beta = r.normal(size=7), r.normal(size=7)
    y, _ = layernorm(x, gamma, beta, eps=1e-5)
    z = rmsnorm(x, gamma, eps=1e-6)
    for row in np.ndindex(x.shape[:-1]):
        v = [float(a) for a in x[row]]
        mean = sum(v) / len(v)
        var = sum((a - mean) ** 2 for a in v) / len(v)
        ms = sum(a * a for a in v) / len(v)
        for i, a in enumerate(v):
            assert y[row][i] == pytest.approx((a - mean) / math.sqrt(var + 1e-5) * gamma[i] + beta[i])
            assert z[row][i] == pytest.approx(a / math.sqrt(ms + 1e-6) * gamma[i])


def test_layernorm_backward_matches_finite_differences():
    r = rng(9)
    x = r.normal(size=(3, 2, 6))
    gamma, beta, w = r.normal(size=6), r.normal(size=6), r.normal(size=(3, 2, 6))

    def loss() -> float:  # L = sum(w * y): dL/dy = w
        return float((layernorm(x, gamma, beta)[0] * w).sum())

    _, cache = layernorm(x, gamma, beta)
    dx, dgamma, dbeta = layernorm_backward(w, cache)
    np.testing.assert_allclose(dx, numeric_grad(loss, x), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(dgamma, numeric_grad(loss, gamma), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(dbeta, numeric_grad(loss, beta), rtol=1e-6, atol=1e-8)


# ---------------------------------------------------------------------------------------------
# 5. softmax and cross-entropy


def test_softmax_and_cross_entropy_match_the_naive_formula_on_small_logits():
    r = rng(10)
    logits = r.normal(size=(5, 7))
    targets = r.integers(0, 7, size=5)
    naive = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    np.testing.assert_allclose(softmax(logits), naive, rtol=1e-12)
    np.testing.assert_allclose(log_softmax(logits), np.log(naive), rtol=1e-12)
    loss, _ = cross_entropy(logits, targets)
    assert loss == pytest.approx(-np.mean(np.log(naive[np.arange(5), targets])), rel=1e-12)


def test_softmax_and_cross_entropy_are_stable_at_huge_logits():
    logits = np.array([[1e4, 0.0, -1e4], [-1e4, -1e4, -1e4 + 1], [1e4, 1e4, 1e4]])
    targets = np.array([2, 2, 0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        p, logp = softmax(logits), log_softmax(logits)
        loss, grad = cross_entropy(logits, targets)
    assert np.all(np.isfinite(p)) and np.all(np.isfinite(logp)) and np.all(np.isfinite(grad))
    assert logp[0, 2] == -2e4  # log p of a token 2e4 below the max, exact
    np.testing.assert_allclose(p[2], 1 / 3)
    assert loss == pytest.approx((2e4 + (math.log(2 + math.e) - 1) + math.log(3)) / 3)
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    assert not np.all(np.isfinite(naive))  # the naive formula does overflow here


def test_cross_entropy_gradient_is_p_minus_onehot_and_matches_finite_differences():
    r = rng(11)
    logits = r.normal(size=(4, 6)) * 3
    targets = np.array([0, 5, 2, 2])
    _, grad = cross_entropy(logits, targets)
    num = numeric_grad(lambda: cross_entropy(logits, targets)[0], logits)
    np.testing.assert_allclose(grad, num, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(grad.sum(-1), 0.0, atol=1e-15)


# ---------------------------------------------------------------------------------------------
# 6. sampling filters


@pytest.mark.parametrize("case", widget.SAMPLING_CASES)
def test_sampling_filters_match_the_widget_reference(case):
    preset, temperature, top_k, top_p, min_p, _ = case
    logits = widget.SAMPLING_LOGITS[preset]
    if temperature <= 0:  # the widget shows greedy; as in transformers, sampling refuses T = 0
        with pytest.raises(ValueError):
            filter_logits(np.array(logits), temperature, top_k, top_p, min_p)
        return
    got = filter_logits(np.array(logits), temperature, top_k, top_p, min_p)
    ref = widget.sampling(logits, temperature, top_k, top_p, min_p)["final"]
    assert [i for i, p in enumerate(got) if p > 0] == [i for i, p in enumerate(ref) if p > 0]
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-300)


def test_sampling_filters_run_in_the_transformers_order():
    """Temperature before top-p changes which tokens survive; top-k before top-p changes the
    mass top-p sees. A different order gives a different set here."""
    logits = np.array([2.0, 1.0, 0.5, 0.0])
    hot = filter_logits(logits, temperature=3.0, top_p=0.55)  # 0.35, 0.25, 0.21, 0.18
    cold_first = filter_logits(logits, top_p=0.55)  # 0.58, 0.21, 0.13, 0.08
    assert (hot > 0).sum() == 2 and (cold_first > 0).sum() == 1
    assert (filter_logits(logits, top_k=2, top_p=0.7) > 0).sum() == 1  # 0.73 of the top two


# ---------------------------------------------------------------------------------------------
# 7. beam search


def toy_model(vocab: int, seed: int):
    """A fixed random next-token distribution for every prefix (token 0 is eos)."""

    def next_logprobs(prefix: tuple[int, ...]) -> np.ndarray:
        logits = np.random.default_rng([seed, len(prefix), *prefix]).normal(size=vocab) * 2
        return logits - np.log(np.exp(logits).sum())

    return next_logprobs


def greedy(next_logprobs, eos, max_len):
    seq: tuple[int, ...] = ()
    total = 0.0
    while len(seq) < max_len and (not seq or seq[-1] != eos):
        lp = next_logprobs(seq)
        token = int(np.argmax(lp))
        seq, total = (*seq, token), total + float(lp[token])
    return seq, total


def exhaustive(next_logprobs, vocab, eos, max_len, alpha):
    """Every sequence that ends in eos (at most max_len tokens) or runs max_len tokens."""
    best = None
    for n in range(1, max_len + 1):
        for seq in itertools.product(range(vocab), repeat=n):
            if eos in seq[:-1] or (n < max_len and seq[-1] != eos):
                continue
            total = sum(float(next_logprobs(seq[:i])[seq[i]]) for i in range(n))
            score = total / n ** alpha
            if best is None or score > best[1]:
                best = (seq, score)
    return best


@pytest.mark.parametrize("seed", range(6))
def test_beam_width_one_is_greedy_decoding(seed):
    model = toy_model(5, seed)
    seq, score = beam_search(model, eos=0, beam_width=1, max_len=6, length_penalty=1.0)
    ref_seq, ref_total = greedy(model, eos=0, max_len=6)
    assert seq == ref_seq
    assert score == pytest.approx(ref_total / len(ref_seq))


@pytest.mark.parametrize(("seed", "alpha"), [(s, a) for s in range(4) for a in (0.0, 0.6, 1.0, 2.0)])
def test_a_beam_as_wide_as_every_sequence_finds_the_exhaustive_best(seed, alpha):
    vocab, max_len = 3, 4
    model = toy_model(vocab, seed)
    seq, score = beam_search(model, eos=0, beam_width=vocab ** max_len, max_len=max_len,
                             length_penalty=alpha)
    ref_seq, ref_score = exhaustive(model, vocab, 0, max_len, alpha)
    assert seq == ref_seq
    assert score == pytest.approx(ref_score)


def test_the_length_penalty_changes_the_winner():
    """Without a penalty the short sequence wins (log 0.4 > log 0.6·0.9·0.7); averaged over
    length (length_penalty = 1) the long one does."""
    table = {(): [math.log(0.4), math.log(0.6)], (1,): [math.log(0.1), math.log(0.9)],
             (1, 1): [math.log(0.7), math.log(0.3)]}

    def model(prefix):
        return np.array(table.get(prefix, [0.0, -50.0]))

    assert beam_search(model, eos=0, beam_width=2, max_len=3, length_penalty=0.0)[0] == (0,)
    assert beam_search(model, eos=0, beam_width=2, max_len=3, length_penalty=1.0)[0] == (1, 1, 0)
