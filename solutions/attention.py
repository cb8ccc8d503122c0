"""Scaled dot-product attention with a causal mask and a key padding mask."""

from __future__ import annotations

import numpy as np


def attention(
    q: np.ndarray,
    k: np.ndarray,
    v: np.ndarray,
    causal: bool = False,
    key_padding_mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """softmax(q kᵀ / sqrt(d) + mask) v.

    q: (..., Tq, d), k: (..., Tk, d), v: (..., Tk, dv).
    causal: query i sees keys j <= i + (Tk - Tq), aligned bottom-right as
        when decoding with a KV cache (Tq == Tk: the usual lower triangle).
    key_padding_mask: (B, Tk) bool, True = real token, False = padding
        (then q, k, v are 3-D).
    Returns out (..., Tq, dv) and weights (..., Tq, Tk). A query that sees
    no key at all (a padding query under left padding) gets all-zero
    weights and a zero output.
    """
    d = q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d)  # (..., Tq, Tk)
    tq, tk = scores.shape[-2:]
    allowed = np.ones((tq, tk), dtype=bool)
    if causal:
        allowed = np.tril(allowed, k=tk - tq)
    if key_padding_mask is not None:
        allowed = allowed & key_padding_mask[:, None, :]  # (B, Tq, Tk)
    scores = np.where(allowed, scores, -np.inf)

    row_max = scores.max(axis=-1, keepdims=True)
    # a fully masked row has max -inf: use 0 so that -inf - max stays -inf
    row_max = np.where(np.isfinite(row_max), row_max, 0.0)
    e = np.exp(scores - row_max)  # exp(-inf) = 0: masked keys weigh exactly 0
    total = e.sum(axis=-1, keepdims=True)
    weights = np.divide(e, total, out=np.zeros_like(e), where=total > 0)
    return weights @ v, weights
